"""Code 128 barcodes and QR codes drawn as vector shapes on a ReportLab canvas.

python-barcode works out the Code 128 module pattern and segno the QR matrix; we draw the
dark modules as filled rectangles (runs merged), which stays sharp at any resolution. A
low-resolution PNG barcode fails to decode at 150 dpi; vector bars decode at 150 and 300.
(ReportLab's own QR widget is slow, ~70 cards/s; see bench/bench_cards.py for the measured
difference between vector QR and a QR embedded as an image.)
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import segno
from barcode import Code128
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

CODE128_QUIET = 10  # modules of white each side
QR_QUIET = 4
QR_ERROR = "m"


@lru_cache(maxsize=4096)
def code128_modules(text: str) -> str:
    """The module pattern ("1" dark, "0" light) with start, check and stop symbols."""
    return Code128(text).build()[0]


@lru_cache(maxsize=4096)
def _code128_rects(text: str) -> tuple[int, str]:
    modules = code128_modules(text).encode("ascii").replace(b"0", b"\x00")
    modules = modules.replace(b"1", b"\x01")
    return len(modules), " ".join(f"{s} 0 {n} 1 re" for s, n in _runs(modules))


_DARK = re.compile(rb"\x01+")


def _runs(row: bytes) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules (byte 1) in a row."""
    return [(m.start(), m.end() - m.start()) for m in _DARK.finditer(row)]


def _fill_modules(canvas: Canvas, rects: str, x: float, y: float, sx: float,
                  sy: float) -> None:
    """Fill rectangles given in module units (``"c r w h re"`` operators), scaled to the
    page: integer module coordinates keep the operator text short and exact."""
    canvas.saveState()
    canvas.transform(sx, 0, 0, sy, x, y)
    canvas.addLiteral(rects + " f")
    canvas.restoreState()


def code128_width(text: str, module: float) -> float:
    """Width of the bars alone (quiet zones not included)."""
    return len(code128_modules(text)) * module


def draw_code128(canvas: Canvas, text: str, x: float, y: float, width: float,
                 height: float) -> float:
    """Draw the bars of ``text`` filling ``width`` (quiet zones are the caller's margins);
    returns the module width used."""
    count, rects = _code128_rects(text)
    module = width / count
    _fill_modules(canvas, rects, x, y, module, height)
    return module


@lru_cache(maxsize=64)
def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The QR matrix (no quiet zone), rows top to bottom, byte 1 = dark."""
    qr = segno.make(text, error=QR_ERROR, micro=False, boost_error=False)
    return tuple(bytes(row) for row in qr.matrix)


def qr_modules(text: str) -> int:
    return len(qr_matrix(text))


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR symbol (without its quiet zone) as a ``size`` square, lower left at x, y."""
    matrix = qr_matrix(text)
    n = len(matrix)
    rects = " ".join(f"{c} {n - 1 - r} {w} 1 re"
                     for r, row in enumerate(matrix) for c, w in _runs(row))
    _fill_modules(canvas, rects, x, y, size / n, size / n)


def qr_image(text: str) -> ImageReader:
    """The QR symbol as a one-pixel-per-module PNG (the alternative ``draw_qr`` is measured
    against in the benchmark)."""
    out = io.BytesIO()
    segno.make(text, error=QR_ERROR, micro=False, boost_error=False).save(
        out, kind="png", scale=1, border=0)
    out.seek(0)
    return ImageReader(out)


def draw_qr_image(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    canvas.drawImage(qr_image(text), x, y, size, size)
