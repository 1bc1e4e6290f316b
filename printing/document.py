"""A4 forms (layout "document"): each section of the form definition becomes flowables.

Section title bar, then the fields in a grid of bilingual label over value; a photo field
sits at the right of its section; a table field is a table with bilingual headings; a
barcode field is vector Code 128; a signature field leaves room to sign. The page template
draws the fixed artwork (``printing.artwork``). Several records make one document, each
starting on a new page. The document is built twice: the first pass counts the pages so
that every footer can say "Page X of Y".

Extensions read where a definition has them (forms without them print as before):
``Signature.declaration_ms/_en`` and ``thumbprint``, ``Column.align`` ("right", "center"),
``Column.tick`` (an empty value prints a box to tick), ``FieldDef.split`` (a long table
starts where it is and runs on over the pages, headings repeated, rather than moving
whole to the next page), ``SectionDef.when`` and a table field's ``when`` (the section, or
the table, prints only when the record's value under that key is true), a table row's ``"_emphasis"`` (a total line, in bold) and
a record's ``"running_head"`` (printed at the top of every page after the first of a
one-record document, so a loose page still says whose record it is), a table field's
``dense`` (tighter rows, for a table of figures that should keep to one page) and
``keep_with_next`` (the table moves to the next page together with what follows it, so
a signature is never alone on a page) and a section's ``keep_with_previous`` (the
section, the signatures, moves with the block before it). A form with sections of a kind
of its own passes ``render_document`` a ``draw`` that draws them (``printing.lists``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from forms.base import ColumnDef, FieldDef, FormDef, SectionDef
from printing import codes, fonts
from printing.artwork import BAND_H, FOOTER_H, MARGIN_TOP, MARGIN_X, Artwork
from printing.card import photo_reader
from printing.fonts import BOLD, CONDENSED, REGULAR

SHADE = Color(0.9, 0.92, 0.95)
LINE = Color(0.7, 0.7, 0.7)
GREY = Color(0.33, 0.33, 0.33)
PHOTO_W, PHOTO_H = 35 * mm, 45 * mm
FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)  # else empty cells name Helvetica

LABEL = ParagraphStyle("label", fontName=CONDENSED, fontSize=7, leading=8.4, textColor=GREY)
VALUE = ParagraphStyle("value", fontName=REGULAR, fontSize=9.5, leading=11.5)
NAME = ParagraphStyle("name", parent=VALUE, fontName=BOLD, fontSize=12, leading=14.5)
TITLE = ParagraphStyle("title", fontName=REGULAR, fontSize=10, leading=12.5)
HEAD = ParagraphStyle("head", fontName=CONDENSED, fontSize=7, leading=8.2, textColor=GREY)
PLACEHOLDER = ParagraphStyle("placeholder", parent=LABEL, alignment=1)
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=9.6)
CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=2)
HEAD_RIGHT = ParagraphStyle("head_right", parent=HEAD, alignment=2)
CELL_CENTER = ParagraphStyle("cell_center", parent=CELL, alignment=1)
HEAD_CENTER = ParagraphStyle("head_center", parent=HEAD, alignment=1)
CELL_BOLD = {style.name: ParagraphStyle(f"{style.name}_bold", parent=style, fontName=BOLD)
             for style in (CELL, CELL_RIGHT, CELL_CENTER)}
# A dense table (figures): a smaller size and tighter rows.
CELL_DENSE = {style.name: ParagraphStyle(f"{style.name}_dense", parent=style, fontSize=7.5,
                                         leading=8.8)
              for style in (CELL, CELL_RIGHT, CELL_CENTER, *CELL_BOLD.values())}
TICK = 4.2 * mm  # the side of a box to tick
SPLIT_KEEP = 45 * mm  # a table that may split starts only with this much room left
DECLARATION = ParagraphStyle("declaration", fontName=REGULAR, fontSize=8, leading=10)
DECLARATION_EN = ParagraphStyle("declaration_en", parent=DECLARATION, textColor=GREY,
                                spaceBefore=1.5)
THUMB_W, THUMB_H = 21 * mm, 26 * mm


def _text(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br/>") if value not in (None, "") else "-"


class Barcode(Flowable):
    """Vector Code 128 with the text under it."""

    def __init__(self, text: str, module: float = 0.33 * mm, height: float = 11 * mm):
        super().__init__()
        self.text, self.module, self.bar_h = text, module, height
        self.width = codes.code128_width(text, module)
        self.height = height + 4.2 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.width, avail_width - 20 * self.module)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        codes.draw_code128(c, self.text, 0, 4.2 * mm, self.width, self.bar_h)
        c.setFont(BOLD, 9)
        c.drawCentredString(self.width / 2, 0.8 * mm, self.text)


class Rule(Flowable):
    """A line to sign on."""

    def __init__(self, width: float):
        super().__init__()
        self.width, self.height = width, 2 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return min(self.width, avail_width), self.height

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 1 * mm, self.width, 1 * mm)


class Gap(Spacer):
    """Space after a section that shrinks to what is left of the frame: a section that ends
    at the foot of a page must not push an empty page out after it."""

    def __init__(self, height: float):
        super().__init__(1, height)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, max(min(self.height, avail_height), 0)


class SubjectMarker(Flowable):
    """Zero-size: tells the artwork which record the page shows."""

    def __init__(self, artwork: Artwork, subject: str):
        super().__init__()
        self.artwork, self.subject = artwork, subject

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.artwork.subject = self.subject


def _cell(field: FieldDef, value: Any) -> list[Flowable]:
    label = Paragraph(escape(field.label), LABEL)
    if field.kind == "barcode":
        if value:
            return [label, Spacer(1, 1 * mm), Barcode(str(value))]
    style = NAME if field.kind == "name" else VALUE
    return [label, Paragraph(_text(value), style)]


def _grid(section: SectionDef, fields: list[FieldDef], record: Mapping[str, Any],
          width: float) -> Table:
    cols = section.columns
    rows: list[list[Any]] = []
    spans: list[tuple[int, int, int]] = []
    row: list[Any] = []
    for field in fields:
        span = min(field.span, cols)
        if len(row) + span > cols:
            rows.append(row + [""] * (cols - len(row)))
            row = []
        if span > 1:
            spans.append((len(rows), len(row), len(row) + span - 1))
        row += [_cell(field, record.get(field.key, ""))] + [""] * (span - 1)
    if row:
        rows.append(row + [""] * (cols - len(row)))
    style = [FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE)]
    style += [("SPAN", (c0, r), (c1, r)) for r, c0, c1 in spans]
    return Table(rows, colWidths=[width / cols] * cols, style=TableStyle(style))


def _photo(record: Mapping[str, Any]) -> Flowable:
    reader = photo_reader(record.get("photo"))
    if reader is None:
        box = Table([[Paragraph("Tiada foto<br/>No photo", PLACEHOLDER)]], colWidths=[PHOTO_W],
                    rowHeights=[PHOTO_H])
        box.setStyle(TableStyle([FONT, ("BOX", (0, 0), (-1, -1), 0.5, LINE),
                                 ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                 ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return box
    iw, ih = reader.getSize()
    scale = min(PHOTO_W / iw, PHOTO_H / ih)
    return Photo(reader, iw * scale, ih * scale)


class Photo(Flowable):
    """A photo already read (``ImageReader``), drawn at a fixed size with a thin frame."""

    def __init__(self, reader, width: float, height: float):
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)
        self.canv.setStrokeColor(LINE)
        self.canv.setLineWidth(0.5)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def _align(column: ColumnDef) -> str:
    """A ``forms.property_receipt.Column`` may align "right" (quantities and amounts) or
    "center" (a box to tick); any other column aligns left."""
    return getattr(column, "align", "left")


class TickBox(Flowable):
    """An empty square to tick by hand, centred in its cell, with room around it so that
    its row is tall enough to write a time beside it."""

    MARGIN = 1.2 * mm

    def __init__(self, side: float = TICK):
        super().__init__()
        self.side = side
        self.width, self.height = side, side + 2 * self.MARGIN

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = max(avail_width, self.side)
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(GREY)
        self.canv.setLineWidth(0.7)
        self.canv.rect((self.width - self.side) / 2, self.MARGIN * 0.5, self.side, self.side,
                       stroke=1, fill=0)


def _body_cell(column: ColumnDef, row: Mapping[str, Any], dense: bool = False) -> Flowable:
    value = row.get(column.key, "")
    if getattr(column, "tick", False) and value in (None, ""):
        return TickBox()
    style = {"right": CELL_RIGHT, "center": CELL_CENTER}.get(_align(column), CELL)
    if row.get("_emphasis"):
        style = CELL_BOLD[style.name]
    if dense:
        style = CELL_DENSE[style.name]
    return Paragraph(_text(value), style)


def _table(field: FieldDef, rows: list[Mapping[str, Any]], width: float) -> list[Flowable]:
    total = sum(c.width for c in field.columns)
    widths = [width * c.width / total for c in field.columns]
    dense = bool(getattr(field, "dense", False))
    head = [Paragraph("<br/>".join(escape(w) for w in dict.fromkeys((c.label_ms, c.label_en))),
                      {"right": HEAD_RIGHT, "center": HEAD_CENTER}.get(_align(c), HEAD))
            for c in field.columns]
    body = [[_body_cell(c, r, dense) for c in field.columns] for r in rows]
    style = [FONT, ("GRID", (0, 0), (-1, -1), 0.25, LINE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if dense:  # rows a third less tall
        style += [("TOPPADDING", (0, 0), (-1, -1), 0.8),
                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    style += [("BACKGROUND", (0, n), (-1, n), SHADE)
              for n, r in enumerate(rows, 1) if r.get("_emphasis")]
    if not body:
        body = [[Paragraph("Tiada / None", CELL)] + [""] * (len(widths) - 1)]
        style.append(("SPAN", (0, 1), (-1, 1)))
    caption = Paragraph(f"<b>{escape(field.label_ms)}</b> / {escape(field.label_en)}", CELL)
    table = Table([head] + body, colWidths=widths, repeatRows=1, style=TableStyle(style))
    return [caption, Spacer(1, 1 * mm), table]


class Thumbprint(Flowable):
    """An empty box for the right thumbprint, captioned inside along its foot."""

    CAPTION = ("Cap ibu jari kanan", "Right thumbprint")

    def __init__(self, width: float = THUMB_W, height: float = THUMB_H):
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(GREY)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setFillColor(GREY)
        c.setFont(CONDENSED, 6)
        for n, words in enumerate(reversed(self.CAPTION)):
            c.drawCentredString(self.width / 2, 1.4 * mm + n * 2.6 * mm, words)


def _signature(f: FieldDef, value: Any, width: float) -> list[Flowable]:
    """Room to sign, the line, who signs; the name when the form gives it, else a line."""
    name = (f"Nama / Name: <b>{escape(str(value))}</b>" if value
            else "Nama / Name: ____________________________")
    return [Spacer(1, 14 * mm), Rule(width),
            Paragraph(f"Tandatangan / Signature: <b>{escape(f.label_ms)}</b> / "
                      f"{escape(f.label_en)}", LABEL),
            Paragraph(name, LABEL),
            Paragraph("Tarikh / Date: ________________", LABEL)]


def _declaration(f: FieldDef) -> list[Flowable]:
    """What the signer declares (a ``forms.property_receipt.Signature``), Malay first."""
    words = ((getattr(f, "declaration_ms", ""), DECLARATION),
             (getattr(f, "declaration_en", ""), DECLARATION_EN))
    return [Paragraph(escape(w), style) for w, style in words if w]


def _signatures(fields: list[FieldDef], record: Mapping[str, Any], width: float) -> Table:
    """Signature blocks side by side. A field may add a declaration above its block (all
    blocks then start level) and a thumbprint box beside its line."""
    col = width / len(fields)
    cells = []
    for f in fields:
        value = record.get(f.key, "")
        if getattr(f, "thumbprint", False):
            sign = _signature(f, value, col - THUMB_W - 18 * mm)
            cells.append([Table([[sign, Thumbprint()]],
                                colWidths=[col - THUMB_W - 9 * mm, THUMB_W + 3 * mm],
                                style=TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                  ("TOPPADDING", (0, 0), (-1, -1), 0)]))])
        else:
            cells.append(_signature(f, value, col - 12 * mm))
    declared = [_declaration(f) for f in fields]
    rows = [declared, cells] if any(declared) else [cells]
    style = [FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3)]
    if len(rows) > 1:
        style += [("RIGHTPADDING", (0, 0), (-1, 0), 9), ("BOTTOMPADDING", (0, 0), (-1, 0), 0)]
    return Table(rows, colWidths=[col] * len(cells), style=TableStyle(style))


def _wanted(definition: FieldDef | SectionDef, record: Mapping[str, Any]) -> bool:
    """False when the definition prints only ``when`` the record says so, and it does not."""
    when = getattr(definition, "when", "")
    return not when or bool(record.get(when))


def section_flowables(section: SectionDef, record: Mapping[str, Any],
                      width: float) -> list[Flowable]:
    if not _wanted(section, record):
        return []
    title = Table([[Paragraph(f"<b>{escape(section.title_ms.upper())}</b> / "
                              f"{escape(section.title_en)}", TITLE)]], colWidths=[width],
                  style=TableStyle([FONT, ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 4)]))
    blocks: list[list[Flowable]] = []  # each kept on one page where it fits
    splits: list[bool] = []  # ... unless it is a table that may split
    grid = [f for f in section.fields if f.kind not in ("photo", "table", "signature")]
    photos = [f for f in section.fields if f.kind == "photo"]
    if grid and photos:
        inner = width - PHOTO_W - 4 * mm
        blocks.append([Table([[_grid(section, grid, record, inner), _photo(record)]],
                             colWidths=[inner + 4 * mm, PHOTO_W],
                             style=TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))])
    elif grid:
        blocks.append([_grid(section, grid, record, width)])
    splits += [False] * len(blocks)
    joined: list[bool] = [False] * len(blocks)  # ... or kept with the block after it
    for field in section.fields:
        if field.kind == "table" and not _wanted(field, record):
            continue
        if field.kind == "table":
            rows = list(record.get(field.key) or [])
            blocks.append([Spacer(1, 2 * mm) if blocks else Spacer(1, 0),
                           *_table(field, rows, width)])
            splits.append(bool(getattr(field, "split", False)))
            joined.append(bool(getattr(field, "keep_with_next", False)))
    signatures = [f for f in section.fields if f.kind == "signature"]
    if signatures:
        block: list[Flowable] = [_signatures(signatures, record, width)]
        if blocks:  # after a table or grid of the same section: a little space first
            block.insert(0, Spacer(1, 4 * mm))
        blocks.append(block)
        splits.append(False)
        joined.append(False)
    for n in range(len(blocks) - 2, -1, -1):  # a block kept with the next: one block
        if joined[n] and not splits[n] and not splits[n + 1]:
            blocks[n:n + 2] = [blocks[n] + blocks[n + 1]]
            del splits[n + 1], joined[n + 1]
    # The title stays with the first block under it: never alone at the foot of a page.
    # (KeepTogether cannot be nested: each block is kept together on its own.)
    heads = [title, Spacer(1, 1.5 * mm)]
    if not blocks:
        return [KeepTogether(heads), Gap(5 * mm)]
    blocks[0] = heads + blocks[0]
    out: list[Flowable] = []
    for block, split in zip(blocks, splits, strict=True):
        # A table that may split starts where there is room for its title, headings and
        # first rows, and runs on (headings repeated); anything else moves whole.
        out += [CondPageBreak(SPLIT_KEEP), *block] if split else [KeepTogether(block)]
    return out + [Gap(5 * mm)]


def _add_section(story: list[Flowable], flowables: list[Flowable], keep: bool) -> None:
    """Append a section; one that keeps with the previous (the signatures) starts on the
    page where the block before it ends, the two moved together when they must move. A
    table before it that runs on over pages is not held back: the section follows it."""
    if (keep and flowables and len(story) >= 2 and isinstance(story[-2], KeepTogether)
            and isinstance(story[-1], Gap) and isinstance(flowables[0], KeepTogether)):
        gap = story.pop()
        last = story.pop()
        story.append(KeepTogether([*last._content, gap, *flowables[0]._content]))
        story += flowables[1:]
        return
    story += flowables


def _page_end(artwork: Artwork, context: Mapping[str, Any]):
    """The artwork's page end, and the record's running head on its later pages."""
    records = context["records"]
    head = records[0].get("running_head", "") if len(records) == 1 else ""
    if not head:
        return artwork.on_page_end

    def on_page_end(canvas, doc) -> None:
        artwork.on_page_end(canvas, doc)
        if doc.page > 1:
            canvas.saveState()
            canvas.setFont(CONDENSED, 7)
            canvas.setFillColor(GREY)
            canvas.drawRightString(artwork.width - MARGIN_X,
                                   artwork.height - MARGIN_TOP - BAND_H - 3.5 * mm, head)
            canvas.restoreState()
    return on_page_end


SectionDrawer = Callable[[SectionDef, Mapping[str, Any], float, float], list[Flowable] | None]
"""Draws a form's sections of a kind of its own (``printing.lists.draw_section``): given the
section, the record, the frame's width and height, its flowables, or None to leave the
section to ``section_flowables``."""


def render_document(form: FormDef, context: Mapping[str, Any], *, invariant: bool = False,
                    draw: SectionDrawer | None = None, marks: bool = True) -> bytes:
    """The PDF of ``context`` on ``form``; ``draw`` draws the sections it knows first.
    ``marks=False`` leaves out the markers that tell the page whose record it shows, of
    use only to a document of several records (the court forms print one, without)."""
    fonts.register()
    size = (form.page_size.width_mm * mm, form.page_size.height_mm * mm)
    artwork = Artwork(form, context, size)
    total = None
    for _ in range(2):  # first pass: count the pages; second: print "of Y"
        artwork.total = total
        out = io.BytesIO()
        frame = Frame(MARGIN_X, FOOTER_H, size[0] - 2 * MARGIN_X,
                      size[1] - MARGIN_TOP - BAND_H - 6 * mm - FOOTER_H, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        template = PageTemplate("form", [frame], onPage=artwork.on_page,
                                onPageEnd=_page_end(artwork, context), pagesize=size)
        doc = BaseDocTemplate(out, pagesize=size, pageTemplates=[template],
                              invariant=int(invariant), initialFontName=REGULAR,
                              title=form.title, creator="Depot", author=context["depot_name"],
                              subject=f"{form.code} {context['serial']}")
        story: list[Flowable] = []
        for i, record in enumerate(context["records"]):
            if i:
                story.append(PageBreak())
            if marks:
                number = record.get("detainee_no", "")
                story.append(SubjectMarker(artwork, f"No. tahanan / Detainee no. {number}"
                                           if number else ""))
            for section in form.sections:
                flowables = draw(section, record, frame._width, frame._height) if draw else None
                if flowables is None:
                    flowables = section_flowables(section, record, frame._width)
                _add_section(story, flowables,
                             bool(getattr(section, "keep_with_previous", False)))
        doc.build(story)
        total = doc.page
    return out.getvalue()
