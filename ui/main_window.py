"""The main window wires the areas together; it draws nothing of its own.

Left: the navigation (only areas that work, and only those the user may use). Right:
the current area. Over everything, when locked: the lock screen. Below: the status bar.
The barcode scanner, the idle lock and the wheel guard are application-wide event filters
owned here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from depot_app.actor import Actor, Permission
from depot_app.errors import DepotError, NotFound
from ui.admission.wizard import AdmissionWizard
from ui.context import AppContext
from ui.court.page import CourtPage
from ui.custody.headcount_page import HeadcountPage
from ui.custody.roll_page import RollPage
from ui.dashboard.page import DashboardPage
from ui.detainees.area import DetaineesArea
from ui.locations.page import LocationsPage
from ui.medical.board_page import MedicalPage
from ui.operations import detainees as detainee_ops
from ui.scanner import ScanDetector
from ui.session.idle import IdleMonitor
from ui.session.lock import LockScreen
from ui.status import SessionStatusBar
from ui.users.page import UsersPage
from ui.widgets.wheel import WheelGuard


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    build: Callable[[AppContext], QWidget]
    permission: Permission


AREAS = (
    Area("dashboard", "Dashboard", DashboardPage, Permission.VIEW_DETAINEES),
    Area("detainees", "Detainees", DetaineesArea, Permission.VIEW_DETAINEES),
    Area("admission", "Admit", AdmissionWizard, Permission.ADMIT),
    Area("roll", "Roll", RollPage, Permission.VIEW_DETAINEES),
    Area("headcount", "Headcount", HeadcountPage, Permission.MOVE),
    Area("medical", "Medical", MedicalPage, Permission.VIEW_DETAINEES),
    Area("court", "Court", CourtPage, Permission.VIEW_DETAINEES),
    Area("locations", "Locations", LocationsPage, Permission.MANAGE_LOCATIONS),
    Area("users", "Users", UsersPage, Permission.MANAGE_USERS),
)


class MainWindow(QMainWindow):
    sig_logout_requested = Signal()
    sig_quit_requested = Signal()

    def __init__(self, ctx: AppContext, *, idle_timeout_ms: int = 10 * 60 * 1000,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.locked = False
        self.setWindowTitle(f"Depot – {ctx.depot.name}" if ctx.depot else "Depot")
        self.setMinimumSize(1000, 640)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(190)
        self.area_stack = QStackedWidget()
        self.areas: dict[str, QWidget] = {}
        for area in AREAS:
            if ctx.can(area.permission):
                widget = area.build(ctx)
                self.areas[area.key] = widget
                self.area_stack.addWidget(widget)
                item = QListWidgetItem(area.label)
                item.setData(Qt.ItemDataRole.UserRole, area.key)
                self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.area_stack, 1)
        self.lock_screen = LockScreen(ctx)
        self.lock_screen.sig_unlocked.connect(self.unlock)
        self.lock_screen.sig_logout_requested.connect(self.sig_logout_requested)
        self.screens = QStackedWidget()
        self.screens.addWidget(workspace)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self.screens)

        self.status = SessionStatusBar(ctx)
        self.setStatusBar(self.status)
        self.status.deadlines.sig_open_requested.connect(self.open_deadlines)
        self._build_menus()
        self._wire_areas()

        self.scanner = ScanDetector(self)
        self.scanner.sig_scanned.connect(self.open_scanned)
        self.scanner.install()
        self.wheel_guard = WheelGuard(self)  # the wheel scrolls forms, not their answers
        self.wheel_guard.install()
        self.idle = IdleMonitor(idle_timeout_ms, self)
        self.idle.sig_idle.connect(self.lock)
        self.idle.start()
        if self.nav.count():
            self.nav.setCurrentRow(0)

    # -- building -------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        logout = QAction("Log &out", self)
        logout.triggered.connect(self.sig_logout_requested)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.sig_quit_requested)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(logout)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.addAction(self.lock_action)  # the shortcut works with the menu closed
        go_menu = self.go_menu = self.menuBar().addMenu("&Go")
        for n, area in enumerate(a for a in AREAS if a.key in self.areas):
            action = QAction(area.label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _=False, key=area.key: self.show_area(key))
            go_menu.addAction(action)
        if "detainees" in self.areas:
            find = QAction("&Find a detainee", self)
            find.setShortcut(QKeySequence.StandardKey.Find)
            find.triggered.connect(self.find_detainee)
            go_menu.addSeparator()
            go_menu.addAction(find)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Depot", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _wire_areas(self) -> None:
        for key in ("dashboard", "medical", "court"):
            page = self.areas.get(key)
            if isinstance(page, (DashboardPage, MedicalPage, CourtPage)):
                page.sig_open_detainee.connect(self.open_detainee)
        dashboard = self.areas.get("dashboard")
        if isinstance(dashboard, DashboardPage):
            dashboard.sig_open_deadlines.connect(self.open_deadlines)
        admission = self.areas.get("admission")
        if isinstance(admission, AdmissionWizard):
            admission.sig_open_detainee.connect(self.open_detainee)
        roll = self.areas.get("roll")
        if isinstance(roll, RollPage):
            roll.sig_open_where.connect(self.list_where)
        for key in ("users", "locations"):
            page = self.areas.get(key)
            if isinstance(page, (UsersPage, LocationsPage)):
                page.sig_status_message.connect(self.status.say)

    # -- navigation -----------------------------------------------------------------

    def _nav_changed(self, row: int) -> None:
        item = self.nav.item(row)
        if item is None:
            return
        widget = self.areas[item.data(Qt.ItemDataRole.UserRole)]
        self.area_stack.setCurrentWidget(widget)
        if hasattr(widget, "activate"):
            widget.activate()

    def show_area(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
        return self.areas[key]

    def list_where(self, where: str, words: str) -> None:
        """The detainees list narrowed to one place of the roll (double-click on the roll)."""
        area = self.show_area("detainees")
        if isinstance(area, DetaineesArea):
            area.show_list()
            area.list_page.set_where(where, words)

    def show_deadlines(self, bucket: str) -> None:
        """The Court area's deadline list narrowed to ``bucket`` (overdue, today, tomorrow,
        this_week, all)."""
        area = self.areas.get("court")
        if isinstance(area, CourtPage):
            self.show_area("court")
            area.show_deadlines(bucket)

    def find_detainee(self) -> None:
        area = self.show_area("detainees")
        if isinstance(area, DetaineesArea):
            area.show_list()
            if area.list_page.where:  # a search for someone looks everywhere
                area.list_page.set_where("", "")
            area.list_page.focus_search()

    def open_detainee(self, detention_id: int) -> None:
        area = self.areas.get("detainees")
        if isinstance(area, DetaineesArea):
            self.show_area("detainees")
            area.open_detainee(detention_id)

    def open_scanned(self, code: str) -> None:
        self.status.say(f"Scanned {code}: opening…")
        (detainee_ops.id_for_number(self.ctx, code).parent(self)
         .success(self._scan_found(code)).failure(self._scan_failed(code))
         .run_in_background())

    def _scan_found(self, code: str):
        def found(detention_id: int) -> None:
            self.status.say(f"Scanned {code}.")
            self.open_detainee(detention_id)
        return found

    def _scan_failed(self, code: str):
        def failed(exc: DepotError) -> None:
            QApplication.beep()
            if isinstance(exc, NotFound):
                self.status.say(f"Scanned {code}: no such detainee in this depot's records.",
                                error=True, seconds=20)
            else:
                self.status.say(f"Scanned {code}: {exc}", error=True, seconds=20)
        return failed

    def open_deadlines(self, bucket: str = "") -> None:
        """The Court area's deadlines (the status-bar badge, the dashboard's tiles)."""
        if self.locked:
            return
        show = getattr(self, "show_deadlines", None)
        if callable(show):
            show(bucket)
        elif "court" in self.areas:
            self.show_area("court")
        else:
            self.status.say("The deadlines are in the Court area, which is not open to you.")

    # -- locking --------------------------------------------------------------------

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.idle.stop()
        self.scanner.enabled = False
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()  # nothing stays readable over the lock screen
        self.status.stop_deadlines()
        self.lock_action.setEnabled(False)
        self.go_menu.setEnabled(False)
        for action in self.go_menu.actions():
            action.setEnabled(False)
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.prepare()

    def unlock(self, actor: Actor) -> None:
        self.ctx.actor = actor
        self.locked = False
        self.screens.setCurrentIndex(0)
        self.lock_action.setEnabled(True)
        self.go_menu.setEnabled(True)
        for action in self.go_menu.actions():
            action.setEnabled(True)
        self.scanner.enabled = True
        self.idle.start()
        self.status.start_deadlines()
        self.status.say("Unlocked.")

    # -- help and closing -----------------------------------------------------------

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About Depot",
                          f"<b>Depot</b> {_version()}<br>Custody, intake and lawful-detention "
                          "records for an immigration depot (Immigration Act 1959/63).",
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def teardown(self) -> None:
        """Before the window goes: filters off, views unsubscribed."""
        self.idle.stop()
        self.scanner.uninstall()
        self.status.stop_deadlines()
        for widget in self.areas.values():
            for closer in ("close_area", "close_page"):
                if hasattr(widget, closer):
                    getattr(widget, closer)()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Closing the main window ends Depot: the session flow stops the worker and exits.
        event.accept()
        self.sig_quit_requested.emit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("depot")
    except PackageNotFoundError:
        return "(development)"
