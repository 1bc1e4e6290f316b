"""The print preview: the recorded PDF on screen (QtPdf), then Print… or Save as PDF….

What is shown, printed and saved are the very bytes kept as the counterfoil (s.53): the
preview never renders anything of its own. Printing goes through :mod:`ui.printing.raster`
on the pool, so the window stays usable while pages go to the printer.

It is a non-modal dialog (a window of its own) parented to the main window, so the idle
lock closes it like every other dialog: nothing stays readable over the lock screen.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMargins,
    QPointF,
    QSizeF,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from depot_app.services.printing import PrintedDocumentView
from forms import registry
from printing.jobs import PrintJob
from ui import format as fmt
from ui.printing.raster import PrinterRun, match_paper, pages_to_print

FIT_WIDTH, FIT_PAGE = "width", "page"
BACKDROP = "#7b8794"
ZOOM_STEPS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
_last_printer: dict[str, str] = {}   # "card" / "page" -> printer name, for this session
_last_folder: list[str] = []


def ask_printer(parent: QWidget, printer: QPrinter, page_count: int,
                on_accepted: Callable[[], None]) -> QDialog:
    """The print dialog (printer, copies, page range), opened without blocking; calls
    ``on_accepted`` once the user prints. Tests replace this function."""
    dialog = QPrintDialog(printer, parent)
    options = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(options.PrintToFile | options.PrintPageRange | options.PrintCurrentPage
                      | options.PrintCollateCopies | options.PrintShowPageSize)
    dialog.setMinMax(1, max(1, page_count))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.finished.connect(
        lambda result: on_accepted() if result == QDialog.DialogCode.Accepted else None)
    QDialog.open(dialog)  # QPrintDialog.open(receiver, member) hides the plain overload
    return dialog


def save_pdf_name(parent: QWidget, suggested: str) -> str:
    folder = _last_folder[-1] if _last_folder else QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(parent, "Save as PDF",
                                          str(Path(folder or ".") / suggested),
                                          "PDF documents (*.pdf)")
    return path


class PrintPreview(QDialog):
    sig_saved = Signal(str)                # the file written
    sig_print_finished = Signal(bool, str)  # sent in full?, words for the user

    def __init__(self, pdf: bytes, *, title: str, serial: str, info: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.WindowMinMaxButtonsHint
                            | Qt.WindowType.WindowCloseButtonHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(f"{title} – {serial}")
        self.pdf = pdf
        self.serial = serial
        self.run: PrinterRun | None = None
        self._zoom_mode = FIT_WIDTH

        # Children are deleted in the order they were made: the view first (it renders
        # from the document), then the document, then the buffer it reads. The other way
        # round, a preview deleted with its parent window corrupted the heap.
        self._data = QByteArray(pdf)
        self.view = QPdfView(self)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)  # from memory: ready at once
        self.page_count = self.document.pageCount()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setPageSpacing(12)
        self.view.setDocumentMargins(QMargins(16, 16, 16, 16))
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        backdrop = self.view.palette()
        backdrop.setColor(QPalette.ColorRole.Dark, QColor(BACKDROP))  # around the pages
        self.view.setPalette(backdrop)
        self.navigator = self.view.pageNavigator()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_toolbar())
        self.info = QLabel(info or f"Serial {escape(serial)}")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setObjectName("muted")
        self.info.setContentsMargins(12, 6, 12, 6)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._build_footer())

        self.navigator.currentPageChanged.connect(self._page_changed)
        portrait = self._page_points().height() >= self._page_points().width()
        self.set_zoom(FIT_WIDTH if portrait else 2.0)
        self._page_changed(0)
        self.print_action.setEnabled(self.page_count > 0)
        self._fit_screen(1000 if portrait else 900, 880 if portrait else 640)

    def _fit_screen(self, width: int, height: int) -> None:
        """As large as wanted, but never taller or wider than the screen it opens on."""
        screen = (self.parentWidget().screen() if self.parentWidget() is not None
                  else self.screen())
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 40)
        self.resize(width, height)

    @classmethod
    def for_job(cls, job: PrintJob, *, subject: str = "",
                parent: QWidget | None = None) -> PrintPreview:
        d = job.document
        try:
            title = registry.get(d.form_code).title_en
        except KeyError:
            title = d.form_code
        return cls(job.pdf, title=title, serial=d.serial, info=describe(d, subject),
                   parent=parent)

    # -- building -------------------------------------------------------------------

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar("Preview")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setStyleSheet("QToolBar { spacing: 6px; padding: 4px 8px; }")
        self.print_action = self._action(bar, "&Print…", QKeySequence.StandardKey.Print,
                                         self.print_document, "Print on a printer (Ctrl+P)")
        self.save_action = self._action(bar, "&Save as PDF…", QKeySequence.StandardKey.Save,
                                        self.save_as, "Save the recorded PDF (Ctrl+S)")
        bar.addSeparator()
        self.zoom_out_action = self._action(bar, "−", QKeySequence.StandardKey.ZoomOut,
                                            self.zoom_out, "Zoom out (Ctrl+−)")
        self.zoom_box = QComboBox()
        self.zoom_box.addItem("Fit width", FIT_WIDTH)
        self.zoom_box.addItem("Whole page", FIT_PAGE)
        for step in ZOOM_STEPS:
            self.zoom_box.addItem(f"{round(step * 100)} %", step)
        self.zoom_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.zoom_box.activated.connect(
            lambda index: self.set_zoom(self.zoom_box.itemData(index)))
        bar.addWidget(self.zoom_box)
        self.zoom_in_action = self._action(bar, "+", QKeySequence.StandardKey.ZoomIn,
                                           self.zoom_in, "Zoom in (Ctrl++)")
        fit = QAction("Fit width", self)
        fit.setShortcut(QKeySequence("Ctrl+0"))
        fit.triggered.connect(lambda: self.set_zoom(FIT_WIDTH))
        self.addAction(fit)
        bar.addSeparator()
        self.previous_action = self._action(bar, "◀", QKeySequence(), self.previous_page,
                                            "Previous page")
        bar.addWidget(QLabel(" Page "))
        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(1, self.page_count))
        self.page_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.page_box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setMinimumWidth(44)
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        bar.addWidget(self.page_box)
        self.page_label = QLabel(f" of {self.page_count} ")
        bar.addWidget(self.page_label)
        self.next_action = self._action(bar, "▶", QKeySequence(), self.next_page, "Next page")
        return bar

    def _action(self, bar: QToolBar, text: str, keys, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setIconText(text.replace("&", ""))  # keep the "…": a dialog follows
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(tip)
        action.triggered.connect(slot)
        bar.addAction(action)
        return action

    def _build_footer(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(12, 6, 12, 8)
        self.message = QLabel()
        self.message.setObjectName("muted")
        row.addWidget(self.message, 1)
        self.print_progress = QProgressBar()
        self.print_progress.setFixedWidth(180)
        self.print_progress.setTextVisible(False)
        self.print_progress.hide()
        row.addWidget(self.print_progress)
        self.stop_button = QPushButton("Stop printing")
        self.stop_button.setAutoDefault(False)
        self.stop_button.clicked.connect(self.stop_printing)
        self.stop_button.hide()
        row.addWidget(self.stop_button)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip("Close the preview (Esc)")
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.close_button)
        return box

    # -- pages and zoom -------------------------------------------------------------

    def _page_points(self, page: int = 0) -> QSizeF:
        return self.document.pagePointSize(page)  # empty when there is no such page

    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        if 0 <= page < self.page_count and page != self.current_page():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < self.page_count - 1)

    def set_zoom(self, zoom) -> None:
        """``FIT_WIDTH``, ``FIT_PAGE`` or a factor (1.0: real size on this screen)."""
        if zoom == FIT_WIDTH:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif zoom == FIT_PAGE:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            zoom = min(max(float(zoom), ZOOM_STEPS[0]), ZOOM_STEPS[-1])
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(zoom)
        self._zoom_mode = zoom
        index = self.zoom_box.findData(zoom)
        if index < 0:
            self.zoom_box.addItem(f"{round(zoom * 100)} %", zoom)
            index = self.zoom_box.count() - 1
        self.zoom_box.setCurrentIndex(index)

    def effective_zoom(self) -> float:
        """The factor a fitted page is shown at, so zooming in starts from what is seen."""
        if self._zoom_mode not in (FIT_WIDTH, FIT_PAGE):
            return float(self._zoom_mode)
        page = self._page_points(max(self.current_page(), 0))
        scale = self.view.logicalDpiX() / 72.0
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        height = self.view.viewport().height() - margins.top() - margins.bottom()
        if page.width() <= 0 or page.height() <= 0:
            return 1.0
        zoom = width / (page.width() * scale)
        if self._zoom_mode == FIT_PAGE:
            zoom = min(zoom, height / (page.height() * scale))
        return zoom

    def zoom_in(self) -> None:
        now = self.effective_zoom()
        self.set_zoom(next((z for z in ZOOM_STEPS if z > now * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        now = self.effective_zoom()
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < now * 0.99),
                           ZOOM_STEPS[0]))

    # -- printing -------------------------------------------------------------------

    def _paper_kind(self) -> str:
        page = self._page_points()
        return "card" if page.width() > page.height() else "page"

    def make_printer(self) -> QPrinter:
        """A printer set for this document: its paper, its title, the last printer used for
        this kind of paper in this session."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        last = _last_printer.get(self._paper_kind())
        if last:
            printer.setPrinterName(last)
        match_paper(printer, self._page_points())
        printer.setDocName(self.serial)
        printer.setCreator("Depot")
        return printer

    def print_document(self) -> None:
        if self.run is not None and self.run.running:
            self.say("Still printing: wait for it to finish, or stop it.")
            return
        if not self.page_count:
            return
        printer = self.make_printer()
        self._print_dialog = ask_printer(self, printer, self.page_count,
                                         lambda: self.start_printing(printer))

    def start_printing(self, printer: QPrinter) -> PrinterRun:
        """Send the chosen pages to ``printer`` on the pool; the window stays usable."""
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            _last_printer[self._paper_kind()] = printer.printerName()
        pages = pages_to_print(printer, self.page_count, self.current_page())
        run = PrinterRun(self.pdf, printer, pages)
        run.sig_progress.connect(self._print_progress)
        run.sig_finished.connect(self._print_finished)
        self.run = run
        self.print_action.setEnabled(False)
        self.print_progress.setRange(0, max(1, len(pages)))
        self.print_progress.setValue(0)
        self.print_progress.show()
        self.stop_button.setEnabled(True)
        self.stop_button.show()
        self.say(f"Printing {len(pages)} page{'s' if len(pages) != 1 else ''}…")
        run.start()
        return run

    def stop_printing(self) -> None:
        if self.run is not None and self.run.running:
            self.run.cancel()
            self.stop_button.setEnabled(False)
            self.say("Stopping after this page…")

    def _print_progress(self, sent: int, total: int) -> None:
        self.print_progress.setValue(sent)
        self.say(f"Printing: page {sent} of {total} sent…")

    def _print_finished(self, ok: bool, message: str) -> None:
        self.print_progress.hide()
        self.stop_button.hide()
        self.print_action.setEnabled(True)
        self.say(message, error=not ok)
        self.sig_print_finished.emit(ok, message)

    # -- saving ---------------------------------------------------------------------

    def save_as(self) -> str | None:
        """Write the recorded bytes, unchanged, to a file the user names."""
        path = save_pdf_name(self, f"{self.serial}.pdf")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_atomically(Path(path), self.pdf)
        except OSError as exc:
            text = f"Could not save {path}: {exc.strerror or exc}"
            self.say(text, error=True)
            box = QMessageBox(QMessageBox.Icon.Warning, "Not saved", text,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            box.open()
            return None
        _last_folder[:] = [str(Path(path).parent)]
        self.say(f"Saved {path}")
        self.sig_saved.emit(path)
        return path

    # -- words ----------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b3261e; font-weight: 600;" if error else "")
        self.message.setText(text)


def describe(d: PrintedDocumentView, subject: str = "") -> str:
    """One line of rich text: serial, what, who and when, and that the copy is kept."""
    parts = [f"<b>Serial {escape(d.serial)}</b>"]
    if d.is_reprint:
        parts.append("reprint")
    if subject:
        parts.append(escape(subject))
    parts.append(f"recorded {fmt.when(d.printed_at)} by {escape(d.printed_by)}")
    parts.append("counterfoil&nbsp;kept&nbsp;(s.53)")
    return " · ".join(parts)


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file or none of it (a half-written PDF is worse than none)."""
    path = path.expanduser()
    fd, tmp = tempfile.mkstemp(prefix=".depot-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
