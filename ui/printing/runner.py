"""Running one print job from a button: progress with Cancel, then the preview.

    PrintRunner(ctx, widget, what="57 cards", count=57).run(
        lambda task: ops.print_cards(ctx, ids, "sheet", task))

The job runs on the database worker (one write unit of work, see
:mod:`ui.operations.printing`); the window stays usable. Its throttled progress moves a
window-modal QProgressDialog (shown only if the job takes longer than
:data:`SHOW_PROGRESS_AFTER_MS`). Cancel — or anything that rejects the dialog, such as the
idle lock — sets the job's cancel flag: the job stops at its next record or card and rolls
back. The result opens the preview (never over the lock screen: a job that ends while the
window is locked shows it after unlocking); messages go to the window's status bar. The
runner deletes itself when all that is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from depot_app.errors import DepotError
from printing.jobs import PrintJob
from ui.context import AppContext
from ui.operations import printing as ops
from ui.operations.op import DbOp
from ui.printing.preview import PrintPreview

log = logging.getLogger(__name__)

SHOW_PROGRESS_AFTER_MS = 400


class PrintRunner(QObject):
    sig_finished = Signal(object)  # the PrintJob, or None (cancelled or failed)
    sig_message = Signal(str)      # what was said to the user at the end
    sig_preview_shown = Signal(object)  # the PrintPreview
    sig_progress = Signal(int, int)     # as the progress dialog shows it

    def __init__(self, ctx: AppContext, widget: QWidget, *, what: str, count: int = 0,
                 subject: str = ""):
        """``what``: the job in words ("57 cards"); ``count``: how many records (for the
        progress words); ``subject``: shown in the preview's info line."""
        super().__init__(widget)
        self.ctx = ctx
        self.widget = widget
        self.what = what
        self.count = count
        self.subject = subject
        self.task: ops.PrintTask | None = None
        self.progress: QProgressDialog | None = None
        self.preview: PrintPreview | None = None
        self.result: PrintJob | None = None
        self.cancel_requested = False
        self._settled = False
        self._preview_pending = False

    # -- starting -------------------------------------------------------------------

    def run(self, make_op: Callable[[ops.PrintTask], DbOp[PrintJob]]) -> PrintRunner:
        self.task = ops.PrintTask(self)
        self.task.sig_progress.connect(self._progress)
        owner = self.widget.window()
        progress = QProgressDialog(_words(f"Preparing {self.what}…"), "Cancel", 0, 0, owner)
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        progress.setMinimumWidth(420)
        progress.canceled.connect(self.cancel)
        progress.rejected.connect(self.cancel)  # Esc, or the lock closing dialogs
        progress.setValue(0)
        self.progress = progress
        (make_op(self.task).parent(owner)
         .finished(self._job_ended).success(self._succeeded).failure(self._failed)
         .run_in_background())
        return self

    def cancel(self) -> None:
        if self.task is None or self._settled or self.cancel_requested:
            return
        self.cancel_requested = True
        self.task.cancel()
        if self.progress is not None:
            self.progress.setLabelText(f"Cancelling {self.what}…")
            for button in self.progress.findChildren(QPushButton):
                button.setEnabled(False)
        log.info("print job cancelled by the user: %s", self.what)

    # -- progress (GUI thread) ------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        progress = self.progress
        if progress is None or self._settled:
            return
        if self.cancel_requested:
            return
        if progress.maximum() != total:
            progress.setRange(0, total)
        self.sig_progress.emit(done, total)
        progress.setValue(done)  # a modal progress dialog processes events here
        if self.progress is not progress or self.cancel_requested:
            return  # the job ended (or was cancelled) meanwhile
        half = total // 2
        count = self.count or half
        if done <= half:
            progress.setLabelText(_words(f"Preparing {self.what}: {min(done, count)} of "
                                         f"{count}…"))
        else:
            progress.setLabelText(_words(f"Drawing {self.what}: {min(done - half, count)} of "
                                         f"{count}…"))

    # -- the end --------------------------------------------------------------------

    def _job_ended(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.canceled.disconnect(self.cancel)
            progress.rejected.disconnect(self.cancel)
            progress.hide()
            progress.deleteLater()
        # An unexpected fault reaches neither callback (the error presenter shows it).
        QTimer.singleShot(0, lambda: self._settle(None, ""))

    def _succeeded(self, job: PrintJob) -> None:
        d = job.document
        self.result = job
        if self.cancel_requested:
            text = (f"It was too late to cancel: {d.serial} had been recorded "
                    f"({self.what}).")
        else:
            text = f"Recorded {d.serial}: {self.what}."
        self.preview = PrintPreview.for_job(job, subject=self.subject,
                                            parent=self.widget.window())
        self._show_preview_when_unlocked()
        self._settle(job, text)

    def _failed(self, exc: DepotError) -> None:
        if isinstance(exc, ops.PrintCancelled):
            self._settle(None, ops.CANCELLED_MESSAGE + ".")
            return
        self.ctx.errors.show(exc, self.widget)
        self._settle(None, "")

    def _settle(self, job: PrintJob | None, text: str) -> None:
        if self._settled:
            return
        self._settled = True
        if text:
            tell(self.widget, text)
        self.sig_message.emit(text)
        self.sig_finished.emit(job)
        if not self._preview_pending:
            self.deleteLater()  # done; otherwise once the preview is shown

    def _show_preview_when_unlocked(self) -> None:
        """Never over the lock screen: a job that ended while the window was locked shows
        its preview once it is unlocked."""
        preview = self.preview
        if preview is None:
            return
        if getattr(self.widget.window(), "locked", False):
            self._preview_pending = True
            QTimer.singleShot(500, self._show_preview_when_unlocked)
            return
        self._preview_pending = False
        preview.show()
        preview.raise_()
        preview.activateWindow()
        self.sig_preview_shown.emit(preview)
        if self._settled:
            self.deleteLater()


def _words(doing: str) -> str:
    return f"{doing}\nNothing is recorded until it is done: Cancel leaves no trace."


def tell(widget: QWidget, text: str, *, error: bool = False) -> None:
    """A message in the window's status bar (the session status bar, or any other)."""
    window = widget.window()
    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is None:
        return
    say = getattr(bar, "say", None)
    if say is not None:
        say(text, error=error, seconds=12)
    else:
        bar.showMessage(text, 12_000)
