"""The court forms' own sections, drawn for ``printing.document.render_document`` (its
``draw`` hook, as ``printing.render`` passes it for ``FORMS``).

A ``ListSection`` (``forms.production_list``): long tables whose lines may hold a photo
(``PhotoColumn``) or a stack of values with a Code 128 number (``StackColumn``); a line
with ``"_alert"`` prints white on black; the tables run on over pages with their headings
repeated and the last line kept with what follows. An ``AlertSection``
(``forms.authority_history``): white on black in a heavy frame. Every other section is
left to the document (``draw_section`` returns None).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import black, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from forms.base import FieldDef, SectionDef
from printing import codes, document
from printing.card import photo_reader
from printing.fonts import BOLD

LIST_PHOTO_W, LIST_PHOTO_H = 16 * mm, 20 * mm
# Code 128 module in a list line: the card's, two pixels at 150 dpi. (At 0.3 mm some
# numbers failed to decode at 150 dpi.) A column with a barcode has no padding: its
# quiet zones are the margins, and its text is indented instead.
# The forms whose own kinds of section this module draws (``printing.render`` hands them here).
FORMS = frozenset({"production-list", "detention-order", "authority-history"})
MODULE = 0.34 * mm
INDENT = 3
BAR_H = 8 * mm
LIST_KEEP = 45 * mm  # a list starts only with room for its title, headings and a line
NAME = ParagraphStyle("list_name", fontName=BOLD, fontSize=9, leading=10.8)
ALERT = ParagraphStyle("alert", fontName=BOLD, fontSize=8, leading=10, textColor=white,
                       backColor=black, borderPadding=(1.2, 2, 1.6, 2), spaceBefore=2.5)
ALERT_ROW = ParagraphStyle("alert_row", fontName=BOLD, fontSize=8, leading=9.6,
                           textColor=white)
ALERT_TITLE = ParagraphStyle("alert_title", fontName=BOLD, fontSize=11, leading=13.5,
                             textColor=white)
ALERT_BODY = ParagraphStyle("alert_body", fontName=BOLD, fontSize=10, leading=13)
ALERT_LABEL = ParagraphStyle("alert_label", parent=document.LABEL, textColor=black)
PLACEHOLDER = ParagraphStyle("list_placeholder", parent=document.LABEL, alignment=1,
                             fontSize=6.5, leading=8)
BOLD_CELL = document.CELL_BOLD[document.CELL.name]
PARTS = {"text": document.CELL, "bold": BOLD_CELL, "name": NAME, "alert": ALERT}
INDENTED = {kind: ParagraphStyle(f"{style.name}_indented", parent=style, leftIndent=INDENT,
                                 rightIndent=INDENT) for kind, style in PARTS.items()}


def _text(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br/>") if value not in (None, "") else "-"


class ListBarcode(Flowable):
    """Code 128 with its text under it and a quiet zone of ten modules each side, so that a
    table's rules never touch the bars."""

    def __init__(self, text: str, module: float = MODULE, height: float = BAR_H):
        super().__init__()
        self.text, self.module, self.bar_h = text, module, height
        self.quiet = codes.CODE128_QUIET * module
        self.bars = codes.code128_width(text, module)
        self.width, self.height = self.bars + 2 * self.quiet, height + 3.8 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.bars = min(codes.code128_width(self.text, self.module),
                        avail_width - 2 * self.quiet)
        self.width = self.bars + 2 * self.quiet
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        codes.draw_code128(c, self.text, self.quiet, 3.8 * mm, self.bars, self.bar_h)
        c.setFont(BOLD, 8.5)
        c.drawCentredString(self.quiet + self.bars / 2, 0.7 * mm, self.text)


class HeadingIfTop(Flowable):
    """A table's headings, drawn only at the top of a page: over a list's last line when
    it moves to a new page with the signatures, and not at all when it follows the others.
    (Measured for keeping together with an unbounded height, it counts itself in.)"""

    def __init__(self, heading: Table, frame_height: float):
        super().__init__()
        self.heading, self.frame_height = heading, frame_height
        self.shown = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.shown = avail_height >= self.frame_height - 1
        w, h = self.heading.wrap(avail_width, avail_height)
        return w, h if self.shown else 0

    def draw(self) -> None:
        if self.shown:
            self.heading.drawOn(self.canv, 0, 0)


def _photo(data: bytes | None) -> Flowable:
    reader = photo_reader(data)
    if reader is None:
        box = Table([[Paragraph("Tiada foto<br/>No photo", PLACEHOLDER)]],
                    colWidths=[LIST_PHOTO_W], rowHeights=[LIST_PHOTO_H])
        box.setStyle(TableStyle([document.FONT, ("BOX", (0, 0), (-1, -1), 0.6, document.GREY),
                                 ("BACKGROUND", (0, 0), (-1, -1), document.SHADE),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return box
    iw, ih = reader.getSize()
    scale = min(LIST_PHOTO_W / iw, LIST_PHOTO_H / ih)
    return document.Photo(reader, iw * scale, ih * scale)


def _barcoded(column) -> bool:
    return any(part == "barcode" for _key, part in getattr(column, "parts", ()))


def _cell(column, row: Mapping[str, Any]) -> Any:
    kind = getattr(column, "kind", "text")
    if kind == "photo":
        return _photo(row.get(column.source))
    if kind == "stack":
        styles = INDENTED if _barcoded(column) else PARTS
        out: list[Flowable] = []
        for key, part in column.parts:
            if not row.get(key):
                continue
            if part == "barcode":
                out += [Spacer(1, 1 * mm), ListBarcode(str(row[key])), Spacer(1, 0.8 * mm)]
            else:
                out.append(Paragraph(_text(row[key]), styles[part]))
        return out or Paragraph("-", document.CELL)
    if getattr(column, "tick", False) and not row.get(column.key):
        return document.TickBox()
    style = {"right": document.CELL_RIGHT, "center": document.CELL_CENTER}.get(
        getattr(column, "align", "left"), document.CELL)
    if row.get("_alert"):
        style = ALERT_ROW
    elif row.get("_emphasis"):
        style = document.CELL_BOLD[style.name]
    return Paragraph(_text(row.get(column.key)), style)


def _title(section: SectionDef, width: float, *, alert: bool = False) -> Table:
    words = f"<b>{escape(section.title_ms.upper())}</b> / {escape(section.title_en)}"
    if alert:
        words = f"{escape(section.title_ms.upper())} / {escape(section.title_en.upper())}"
    return Table([[Paragraph(words, ALERT_TITLE if alert else document.TITLE)]],
                 colWidths=[width], style=TableStyle([
                     document.FONT, ("LEFTPADDING", (0, 0), (-1, -1), 4),
                     ("BACKGROUND", (0, 0), (-1, -1), black if alert else document.SHADE)]))


def _listing(section: SectionDef, record: Mapping[str, Any], width: float,
             frame_height: float) -> list[Flowable]:
    """A ``ListSection``: its tables run on over pages with their headings repeated and
    the last line of the last one kept with what follows; a table of one line moves whole
    (with the section's title when it is the first)."""
    if getattr(section, "when", "") and not record.get(section.when):
        return []
    tables = [f for f in section.fields if f.kind == "table"]
    out: list[Flowable] = []
    ahead: list[Flowable] = [_title(section, width), Spacer(1, 1.5 * mm)]
    for n, field in enumerate(tables):
        if n:
            ahead.append(Spacer(1, 2 * mm))
        block, whole = _list_table(field, list(record.get(field.key) or []), width,
                                   frame_height, last=n == len(tables) - 1)
        if whole:
            out.append(KeepTogether(ahead + block))
        else:
            out += [CondPageBreak(LIST_KEEP), *ahead, *block]
        ahead = []
    return out + [document.Gap(5 * mm)]


def _list_table(field: FieldDef, rows: list[Mapping[str, Any]], width: float,
                frame_height: float, *, last: bool) -> tuple[list[Flowable], bool]:
    """The table's flowables, and whether they move whole (one line, or none)."""
    total = sum(c.width for c in field.columns)
    widths = [width * c.width / total for c in field.columns]
    heads = {"right": document.HEAD_RIGHT, "center": document.HEAD_CENTER}
    head = [Paragraph("<br/>".join(escape(w) for w in dict.fromkeys((c.label_ms, c.label_en))),
                      heads.get(getattr(c, "align", "left"), document.HEAD))
            for c in field.columns]
    body = [[_cell(c, r) for c in field.columns] for r in rows]
    photos = [n for n, c in enumerate(field.columns) if getattr(c, "kind", "") == "photo"]
    bare = [n for n, c in enumerate(field.columns) if _barcoded(c)]
    caption = [Paragraph(f"<b>{escape(field.label_ms)}</b> / {escape(field.label_en)}",
                         document.CELL), Spacer(1, 1 * mm)]
    if not body:
        body = [[Paragraph("Tiada / None", document.CELL)] + [""] * (len(widths) - 1)]
        rows = [{"_span": True}]
    if len(body) == 1:
        return caption + [Table([head] + body, colWidths=widths,
                                style=_lines(rows, photos, bare, head=True))], True
    if not last:
        return caption + [Table([head] + body, colWidths=widths, repeatRows=1,
                                style=_lines(rows, photos, bare, head=True))], False
    # The last line keeps with what follows (a ``KeptSection``: the signatures never
    # start a page alone), under the headings again if that takes it to a new page.
    first = Table([head] + body[:-1], colWidths=widths, repeatRows=1,
                  style=_lines(rows[:-1], photos, bare, head=True))
    heading = Table([head], colWidths=widths, style=_lines([], photos, bare, head=True))
    end = Table(body[-1:], colWidths=widths, style=_lines(rows[-1:], photos, bare, head=False))
    return caption + [first, KeepTogether([HeadingIfTop(heading, frame_height), end])], False


def _lines(rows: list[Mapping[str, Any]], photos: list[int], bare: list[int], *,
           head: bool) -> TableStyle:
    top = 1 if head else 0
    style = [document.FONT, ("GRID", (0, 0), (-1, -1), 0.25, document.LINE),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), document.SHADE))
    if rows:
        style.append(("BOTTOMPADDING", (0, top), (-1, -1), 3))
    for n in photos:  # the photo fills its column
        style += [("LEFTPADDING", (n, top), (n, -1), 2.5),
                  ("RIGHTPADDING", (n, top), (n, -1), 0)]
    for n in bare:  # the barcode's quiet zones are the margins
        style += [("LEFTPADDING", (n, top), (n, -1), 0),
                  ("RIGHTPADDING", (n, top), (n, -1), 0)]
    for n, r in enumerate(rows, top):
        if r.get("_alert"):
            style.append(("BACKGROUND", (0, n), (-1, n), black))
        elif r.get("_emphasis"):
            style.append(("BACKGROUND", (0, n), (-1, n), document.SHADE))
        if r.get("_span"):
            style.append(("SPAN", (0, n), (-1, n)))
    return TableStyle(style)


def _alert(section: SectionDef, record: Mapping[str, Any], width: float) -> list[Flowable]:
    """White on black, in a heavy frame: a stretch held without authority."""
    if getattr(section, "when", "") and not record.get(section.when):
        return []
    cells: list[Flowable] = []
    for field in section.fields:
        cells += [Paragraph(escape(field.label), ALERT_LABEL), Spacer(1, 1 * mm),
                  Paragraph(_text(record.get(field.key)), ALERT_BODY)]
    box = Table([[_title(section, width - 3, alert=True)], [cells]], colWidths=[width],
                style=TableStyle([document.FONT, ("BOX", (0, 0), (-1, -1), 2, black),
                                  ("LEFTPADDING", (0, 0), (-1, 0), 1.5),
                                  ("RIGHTPADDING", (0, 0), (-1, 0), 1.5),
                                  ("LEFTPADDING", (0, 1), (-1, 1), 6),
                                  ("TOPPADDING", (0, 1), (-1, 1), 5),
                                  ("BOTTOMPADDING", (0, 1), (-1, 1), 7)]))
    return [KeepTogether([box]), document.Gap(5 * mm)]


def draw_section(section: SectionDef, record: Mapping[str, Any], width: float,
            frame_height: float) -> list[Flowable] | None:
    """The flowables of a list or an alert section; None for any other section."""
    if getattr(section, "listing", False):
        return _listing(section, record, width, frame_height)
    if getattr(section, "alert", False):
        return _alert(section, record, width)
    return None
