"""The session flow: open the database → first-run set-up if empty → log in → main window;
"Log out" comes back to the login. Every database step runs on the worker."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from depot_app.actor import Actor
from ui.changebus import ChangeBus
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import session as ops
from ui.operations.errors import ErrorPresenter, describe
from ui.remote import RemoteChangePoller
from ui.session.first_run import FirstRunDialog
from ui.session.login import LoginDialog
from ui.worker import DatabaseInfo, DbWorker

log = logging.getLogger(__name__)
EXIT_DATABASE = 2


class SessionFlow(QObject):
    sig_window_shown = Signal(object)  # the MainWindow, for tests
    sig_finished = Signal(int)         # exit code

    def __init__(self, url: str, *, idle_timeout_ms: int | None = None,
                 poll_interval_ms: int = 2000, parent: QObject | None = None):
        super().__init__(parent)
        self.url = url
        self.idle_timeout_ms = idle_timeout_ms
        worker = DbWorker()
        self.ctx = AppContext(worker, ChangeBus(), ErrorPresenter())
        worker.sig_callback_failed.connect(
            lambda exc, tb: self.ctx.errors.show(exc, None, tb))
        self.poller = RemoteChangePoller(self.ctx, poll_interval_ms, self)
        self.window: MainWindow | None = None
        self.dialog = None
        self._progress: QProgressDialog | None = None
        self._retired: MainWindow | None = None
        self._retired_progress: QProgressDialog | None = None
        self._stopped = False

    # -- opening --------------------------------------------------------------------

    def start(self) -> None:
        self._progress = QProgressDialog("Opening the database…", "", 0, 0)
        self._progress.setWindowTitle("Depot")
        self._progress.setCancelButton(None)
        self._progress.setMinimumDuration(400)
        self._progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.ctx.worker.open_database(self.url, on_success=self._opened,
                                      on_failure=self._open_failed)

    def _close_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is not None:
            progress.reset()
            progress.deleteLater()
            self._retired_progress = progress  # deleted by Qt, not by the garbage collector

    def _open_failed(self, exc: BaseException) -> None:
        self._close_progress()
        log.error("cannot open the database %s", self.url, exc_info=exc)
        box = QMessageBox(QMessageBox.Icon.Critical, "Depot – cannot open the database",
                          "The database could not be opened, so Depot cannot start.",
                          QMessageBox.StandardButton.Close)
        if self.url.startswith("sqlite"):
            advice = ("Check the file path in DEPOT_DATABASE_URL (or --db) and that you may "
                      "write to that folder.")
        else:
            advice = ("Check the address in DEPOT_DATABASE_URL (or --db), the user name and "
                      "password, and that the database server is running and reachable from "
                      "this workstation.")
        box.setInformativeText(f"Database: {_safe(self.url)}\n\n{describe(exc)}\n\n{advice}")
        box.setDetailedText(f"{type(exc).__name__}: {exc}")
        box.finished.connect(lambda _r: self.finish(EXIT_DATABASE))
        self.dialog = box
        box.open()

    def _opened(self, info: DatabaseInfo) -> None:
        self.ctx.database = info
        self.poller.start()
        ops.startup_state(self.ctx).success(self._state_known).run_in_background()

    def _state_known(self, state: ops.StartupState) -> None:
        self._close_progress()
        if state.initialised:
            self.ctx.depot = state.depot
            self.show_login()
            return
        dialog = FirstRunDialog(self.ctx)
        dialog.accepted.connect(lambda: self._set_up(dialog))
        dialog.rejected.connect(lambda: self.finish(0))
        self._show_dialog(dialog)

    def _set_up(self, dialog: FirstRunDialog) -> None:
        self.ctx.depot = dialog.depot
        self.show_login(dialog.admin_username)

    # -- logging in and out ---------------------------------------------------------

    def show_login(self, username: str = "") -> None:
        dialog = LoginDialog(self.ctx, username)
        dialog.accepted.connect(lambda: self._logged_in(dialog.actor))
        dialog.rejected.connect(lambda: self.finish(0))
        self._show_dialog(dialog)

    def _show_dialog(self, dialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _logged_in(self, actor: Actor | None) -> None:
        if actor is None:
            return
        self.ctx.actor = actor
        self.dialog = None
        if self.idle_timeout_ms is not None:
            self._open_window(self.idle_timeout_ms)
        else:
            (ops.idle_lock_minutes(self.ctx).success(lambda m: self._open_window(m * 60_000))
             .failure(lambda _exc: self._open_window(10 * 60_000)).run_in_background())

    def _open_window(self, idle_timeout_ms: int) -> None:
        window = MainWindow(self.ctx, idle_timeout_ms=idle_timeout_ms)
        window.sig_logout_requested.connect(self.log_out)
        window.sig_quit_requested.connect(lambda: self.finish(0))
        self.window = window
        # Maximised: a workstation runs Depot all shift. (setGeometry too, for desktops
        # without a window manager to honour the maximised state.)
        window.setGeometry(window.screen().availableGeometry())
        window.showMaximized()
        self.sig_window_shown.emit(window)

    def log_out(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            window.teardown()
            window.hide()
            window.deleteLater()
            # Keep the Python reference until Qt deletes it: the window has no parent, so
            # dropping the last reference would delete it at once, while the button or
            # menu action that asked to log out (its children) is still being handled.
            self._retired = window
        self.ctx.actor = None
        # The next user types their own name: the last one is not offered.
        QTimer.singleShot(0, self.show_login)

    # -- stopping -------------------------------------------------------------------

    def finish(self, code: int = 0) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._close_progress()
        if self.window is not None:
            self.window.teardown()
            self.window.hide()
        self.poller.stop()
        self.ctx.worker.shutdown()
        self.sig_finished.emit(code)  # run_gui ends the event loop on this


def _safe(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
