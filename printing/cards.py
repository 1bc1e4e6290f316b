"""Many cards in one PDF: A4 sheets of ten (2 x 5, cut marks) or one card per CR80 page.

Each card is a flowable placed in a card-sized frame of the page template; the fixed
artwork of a sheet (cut marks, header, "page X of Y" footer with the document serial) is
drawn in the template's ``onPage``. A single-card page has no margin, so its card carries
the document serial and "X/Y" in small type instead.

Long batches report progress after each card and stop when ``cancelled()`` says so.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from depot_app.errors import DepotError
from forms.base import A4
from forms.card import CARD_SHEET
from printing import fonts
from printing.card import HEIGHT, WIDTH, draw_card
from printing.fonts import BOLD, CONDENSED, REGULAR

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

COLS, ROWS = 2, 5
PER_SHEET = COLS * ROWS
GUTTER_X = 4 * mm  # between the columns; the rows share their cuts
PAGE_W, PAGE_H = A4.width_mm * mm, A4.height_mm * mm
GRID_W, GRID_H = COLS * WIDTH + (COLS - 1) * GUTTER_X, ROWS * HEIGHT
LEFT, BOTTOM = (PAGE_W - GRID_W) / 2, (PAGE_H - GRID_H) / 2
SLACK = 0.5  # frames are this much larger than a card, so a card always fits


class PrintCancelled(DepotError):
    """The user cancelled a print job; nothing was printed or recorded."""

    def __init__(self) -> None:
        super().__init__("printing cancelled")


class CardFlowable(Flowable):
    def __init__(self, record: Mapping[str, Any], depot_name: str, doc_line: str = ""):
        super().__init__()
        self.record = record
        self.depot_name = depot_name
        self.doc_line = doc_line

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return WIDTH, HEIGHT

    def draw(self) -> None:
        draw_card(self.canv, 0, 0, self.record, self.depot_name, self.doc_line)


class _CardDoc(BaseDocTemplate):
    def __init__(self, out, *, total: int, progress: Progress | None,
                 cancelled: Cancelled | None, **kwargs):
        super().__init__(out, **kwargs)
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if isinstance(flowable, CardFlowable):
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total)
            if self.cancelled is not None and self.done < self.total and self.cancelled():
                raise PrintCancelled()


def card_origins() -> list[tuple[float, float]]:
    """Lower left corners of the ten cards of a sheet, in reading order."""
    return [(LEFT + col * (WIDTH + GUTTER_X), BOTTOM + (ROWS - 1 - row) * HEIGHT)
            for row in range(ROWS) for col in range(COLS)]


def render_cards(context: Mapping[str, Any], layout: str = "sheet", *,
                 progress: Progress | None = None, cancelled: Cancelled | None = None,
                 invariant: bool = False) -> bytes:
    """The cards of ``context["records"]`` (each a ``forms.card.context``) as a PDF.

    ``context`` is a ``forms.base.document_context``: its serial is printed on every page.
    Raises ``PrintCancelled`` when ``cancelled()`` turns true part-way.
    """
    if layout not in ("sheet", "single"):
        raise ValueError(f"layout must be 'sheet' or 'single', not {layout!r}")
    fonts.register()
    records: Sequence[Mapping[str, Any]] = context["records"]
    total = len(records)
    if total == 0:
        raise ValueError("no cards to print")
    serial, depot = context["serial"], context["depot_name"]
    out = io.BytesIO()
    if layout == "sheet":
        pages = math.ceil(total / PER_SHEET)
        frames = [Frame(x, y - SLACK, WIDTH + SLACK, HEIGHT + SLACK, leftPadding=0,
                        rightPadding=0, topPadding=0, bottomPadding=0, id=f"card{i}")
                  for i, (x, y) in enumerate(card_origins())]
        template = PageTemplate("sheet", frames, onPage=_sheet_artwork(context, pages),
                                pagesize=(PAGE_W, PAGE_H))
        story = [CardFlowable(r, depot) for r in records]
        size = (PAGE_W, PAGE_H)
    else:
        frame = Frame(0, -SLACK, WIDTH + SLACK, HEIGHT + SLACK, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id="card")
        template = PageTemplate("single", [frame], pagesize=(WIDTH, HEIGHT))
        story = [CardFlowable(r, depot, f"{serial} · {i}/{total}")
                 for i, r in enumerate(records, 1)]
        size = (WIDTH, HEIGHT)
    title = CARD_SHEET.title if layout == "sheet" else "Kad tahanan / Detainee card"
    doc = _CardDoc(out, total=total, progress=progress, cancelled=cancelled, pagesize=size,
                   pageTemplates=[template], invariant=int(invariant),
                   initialFontName=REGULAR, title=title, author=depot, creator="Depot",
                   subject=f"{context['form_code']} {serial}",
                   leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
    doc.build(story)
    return out.getvalue()


def _sheet_artwork(context: Mapping[str, Any], pages: int):
    serial = context["serial"]
    depot = context["depot_name"]
    reprint = " · CETAKAN SEMULA / REPRINT" if context.get("reprint") else ""
    printed = f"Dicetak / Printed: {context.get('printed_at', '')}"
    if context.get("printed_by"):
        printed += f" oleh / by {context['printed_by']}"

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        _cut_marks(canvas)
        top, bottom, right = PAGE_H - 7 * mm, 6.5 * mm, PAGE_W - LEFT
        canvas.setFont(BOLD, 8)
        serial_text = f"No. siri / Serial {serial}"
        canvas.drawRightString(right, top, serial_text)
        room = GRID_W - fonts.width(serial_text, BOLD, 8) - 6 * mm
        canvas.drawString(LEFT, top, depot)
        title = CARD_SHEET.title + reprint
        room -= fonts.width(depot, BOLD, 8) + 3 * mm
        canvas.setFont(REGULAR, fonts.fit_size(title, REGULAR, room, 8, 5))
        canvas.drawString(LEFT + fonts.width(depot, BOLD, 8) + 3 * mm, top, title)
        pages_text = (f"Muka surat {doc.page} daripada {pages} / Page {doc.page} of {pages}")
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(right, bottom, pages_text)
        left_text = f"Borang / Form {CARD_SHEET.code} · {printed}"
        room = GRID_W - fonts.width(pages_text, REGULAR, 7.5) - 6 * mm
        canvas.setFont(CONDENSED, fonts.fit_size(left_text, CONDENSED, room, 7, 4.5))
        canvas.drawString(LEFT, bottom, left_text)
        canvas.restoreState()

    return on_page


def _cut_marks(canvas) -> None:
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0, 0, 0)
    near, far = 1 * mm, 4 * mm
    xs = sorted({LEFT + col * (WIDTH + GUTTER_X) + edge
                 for col in range(COLS) for edge in (0, WIDTH)})
    ys = [BOTTOM + row * HEIGHT for row in range(ROWS + 1)]
    top, right = BOTTOM + GRID_H, LEFT + GRID_W
    lines = []
    for x in xs:
        lines += [(x, top + near, x, top + far), (x, BOTTOM - near, x, BOTTOM - far)]
    for y in ys:
        lines += [(LEFT - near, y, LEFT - far, y), (right + near, y, right + far, y)]
    canvas.lines(lines)


__all__ = ["CardFlowable", "PER_SHEET", "PrintCancelled", "card_origins",
           "render_cards"]
