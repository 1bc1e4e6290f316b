"""The fonts every document uses, bundled in ``printing/fonts`` (DejaVu, see LICENSE there).

They are read through ``importlib.resources`` so a frozen build finds them inside the
package, and system fonts are never used: a name such as "NGUYỄN VĂN AN" prints the same on
every workstation.
"""

from __future__ import annotations

import io
import threading
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"

FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
    CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
}

_lock = threading.Lock()
_done = False


def font_bytes(name: str) -> bytes:
    return (resources.files("printing") / "fonts" / FILES[name]).read_bytes()


def register() -> None:
    """Register the bundled fonts with ReportLab once per process (thread-safe)."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        for name in FILES:
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(font_bytes(name))))
        for family, regular, bold in ((REGULAR, REGULAR, BOLD),
                                      (CONDENSED, CONDENSED, CONDENSED_BOLD)):
            addMapping(family, 0, 0, regular)
            addMapping(family, 1, 0, bold)
            addMapping(family, 0, 1, regular)
            addMapping(family, 1, 1, bold)
        _done = True


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def fit_size(text: str, font: str, max_width: float, size: float, min_size: float) -> float:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits, in 0.25 pt
    steps; ``min_size`` when it fits at none."""
    w = width(text, font, size)
    if w <= max_width:
        return size
    # Width is linear in size: jump near the answer, then step down for rounding.
    best = max(min_size, int(size * max_width / w * 4) / 4)
    while best > min_size and width(text, font, best) > max_width:
        best -= 0.25
    return max(best, min_size)
