"""Sending a PDF to a QPrinter: each page rasterised with QtPdf and painted on a printer page.

A :class:`PrinterRun` works on a thread of the pool (``QThreadPool.globalInstance()``), never
on the GUI thread, so a long document never freezes the window. Both halves are allowed
there: ``QPdfDocument.render`` takes PDFium's global lock (QPdfView renders on its own
thread the same way), and Qt documents QPainter on a QPrinter as safe in another thread (as
on a QImage). The run has its own QPdfDocument, so closing the preview cannot pull the
document from under it; the run keeps itself alive until it has finished.

Pages are rasterised at the printer's resolution, capped at :data:`MAX_DPI`, on white, and
placed at their real size inside the printable area, shrunk to fit when the paper is
smaller (never enlarged: a CR80 card on A4 stays card-sized), centred across, top aligned.
"""

from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)

MAX_DPI = 300
_RUNNING: set[PrinterRun] = set()


def pages_to_print(printer: QPrinter, page_count: int, current_page: int = 0) -> list[int]:
    """The 0-based pages to send, in order, copies included when the printer cannot make
    them itself (a PDF file, some drivers): collated 1,2,3,1,2,3 or not 1,1,2,2,3,3."""
    wanted = list(range(page_count))
    kind = printer.printRange()
    if kind == QPrinter.PrintRange.CurrentPage:
        wanted = [min(max(current_page, 0), page_count - 1)] if page_count else []
    elif kind == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            wanted = [p - 1 for p in range(1, page_count + 1) if ranges.contains(p)]
        elif printer.fromPage() > 0:
            last = printer.toPage() or page_count
            wanted = [p - 1 for p in range(printer.fromPage(), min(last, page_count) + 1)]
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if copies == 1:
        return wanted
    if printer.collateCopies():
        return wanted * copies
    return [p for p in wanted for _ in range(copies)]


def fit_page(page_points: QSizeF, area: QRectF, dpi_x: float, dpi_y: float) -> QRectF:
    """Where a PDF page goes in the printable ``area`` (device pixels): real size, or
    shrunk to fit keeping its aspect ratio; centred across, at the top."""
    width = page_points.width() / 72.0 * dpi_x
    height = page_points.height() / 72.0 * dpi_y
    if width <= 0 or height <= 0:
        return QRectF(area)
    scale = min(1.0, area.width() / width, area.height() / height)
    width, height = width * scale, height * scale
    return QRectF(area.x() + (area.width() - width) / 2, area.y(), width, height)


def match_paper(printer: QPrinter, page_points: QSizeF) -> None:
    """Offer the document's own paper (A4, or a CR80 card in landscape) in the print
    dialog, with the smallest margins the printer allows; the user may still change it."""
    if page_points.isEmpty():
        return
    landscape = page_points.width() > page_points.height()
    portrait = page_points.transposed() if landscape else QSizeF(page_points)
    size = QPageSize(portrait, QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    layout = QPageLayout(size, orientation, printer.pageLayout().minimumMargins(),
                         QPageLayout.Unit.Millimeter)
    printer.setPageLayout(layout)


class PrinterRun(QObject):
    """One document sent to one printer, page by page, on the pool.

    ``sig_progress(sent, total)`` after each page; ``sig_finished(ok, message)`` once, with
    words for the user. ``cancel()`` stops before the next page."""

    sig_progress = Signal(int, int)
    sig_finished = Signal(bool, str)

    def __init__(self, pdf: bytes, printer: QPrinter, pages: list[int], *,
                 max_dpi: int = MAX_DPI):
        super().__init__()
        self.pdf = pdf
        self.printer = printer
        self.pages = list(pages)
        self.max_dpi = max_dpi
        self._cancel = threading.Event()
        self.running = False

    def start(self) -> None:
        self.running = True
        _RUNNING.add(self)  # alive until it ends, whatever happens to the preview
        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        self._cancel.set()

    # -- on the pool thread ---------------------------------------------------------

    def _run(self) -> None:
        ok, message = False, ""
        try:
            ok, message = self._print()
        except Exception as exc:  # noqa: BLE001 - reported, never lost in a thread
            log.exception("printing failed")
            message = f"Printing failed: {exc}"
        finally:
            self.running = False
            self.sig_finished.emit(ok, message)
            _RUNNING.discard(self)

    def _print(self) -> tuple[bool, str]:
        total = len(self.pages)
        if not total:
            return False, "No pages to print in that range."
        data = QByteArray(self.pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            return False, "The document could not be read for printing."
        printer = self.printer
        painter = QPainter()
        if not painter.begin(printer):
            return False, f"The printer {_name(printer)} could not be opened."
        sent = 0
        try:
            area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            area.moveTo(0, 0)  # the painter's origin is the printable area's corner
            dpi_x, dpi_y = printer.logicalDpiX(), printer.logicalDpiY()
            raster = min(self.max_dpi, dpi_x) / dpi_x
            for n, index in enumerate(self.pages):
                if self._cancel.is_set():
                    printer.abort()
                    break
                if n and not printer.newPage():
                    return False, f"The printer {_name(printer)} stopped after {n} pages."
                target = fit_page(document.pagePointSize(index), area, dpi_x, dpi_y)
                image = _on_white(document.render(index, QSize(
                    max(1, round(target.width() * raster)),
                    max(1, round(target.height() * raster)))))
                painter.drawImage(target, image)
                sent += 1
                self.sig_progress.emit(sent, total)
        finally:
            painter.end()
        if self._cancel.is_set() and sent < total:
            _discard_partial_file(printer)
            return False, f"Printing stopped after {sent} of {total} pages."
        return True, f"Sent {_pages(total)} to {_name(printer)}."


def _on_white(image: QImage) -> QImage:
    """QtPdf renders on transparent; paper is white (and a PDF printer keeps no alpha)."""
    page = QImage(image.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    return page


def _name(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return os.path.basename(printer.outputFileName())
    return printer.printerName() or "the printer"


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def _discard_partial_file(printer: QPrinter) -> None:
    path = printer.outputFileName()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and path:
        try:
            os.unlink(path)
        except OSError:
            pass
