"""The fixed artwork of an A4 form, drawn by the page template on every page.

Header band: the form's bilingual title (Bahasa Malaysia first), its note, the depot name,
the form code and the document serial. Footer: who printed it and when, "Muka surat X
daripada Y / Page X of Y" and the serial again. A reprint says so in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm

from forms.base import FormDef
from printing import fonts
from printing.fonts import BOLD, CONDENSED, REGULAR

BAND = Color(0.106, 0.212, 0.365)
RULE = Color(0.55, 0.55, 0.55)
GREY = Color(0.3, 0.3, 0.3)
MARGIN_X = 15 * mm
MARGIN_TOP = 10 * mm
BAND_H = 20 * mm
FOOTER_H = 20 * mm  # the frame's bottom margin
REPRINT = "CETAKAN SEMULA / REPRINT"


class Artwork:
    """``on_page`` for the page template; ``total`` is filled in after the first pass."""

    def __init__(self, form: FormDef, context: Mapping[str, Any], page_size: tuple[float,
                                                                                  float]):
        self.form = form
        self.context = context
        self.width, self.height = page_size
        self.total: int | None = None
        self.subject = ""  # the record on the page, set by a marker flowable

    def on_page(self, canvas, doc) -> None:
        canvas.saveState()
        self._band(canvas)
        self._footer(canvas, doc.page)
        canvas.restoreState()

    def on_page_end(self, canvas, doc) -> None:
        """The record a page belongs to, known once its flowables are drawn."""
        if self.subject and len(self.context["records"]) > 1:
            canvas.saveState()
            canvas.setFont(CONDENSED, 7)
            canvas.setFillColor(GREY)
            canvas.drawRightString(self.width - MARGIN_X, self.height - MARGIN_TOP - BAND_H
                                   - 3.5 * mm, self.subject)
            canvas.restoreState()

    def _band(self, c) -> None:
        ctx, form = self.context, self.form
        left, right = MARGIN_X, self.width - MARGIN_X
        top = self.height - MARGIN_TOP
        c.setFillColor(BAND)
        c.rect(left, top - BAND_H, right - left, BAND_H, stroke=0, fill=1)
        c.setFillColor(white)
        pad = 4 * mm
        title_w = (right - left) * 0.58
        c.setFont(BOLD, fonts.fit_size(form.title_ms.upper(), BOLD, title_w, 13, 9))
        c.drawString(left + pad, top - 7.2 * mm, form.title_ms.upper())
        c.setFont(REGULAR, fonts.fit_size(form.title_en, REGULAR, title_w, 10, 7))
        c.drawString(left + pad, top - 12 * mm, form.title_en)
        if form.note_ms or form.note_en:
            note = " / ".join(n for n in (form.note_ms, form.note_en) if n)
            face = BOLD if form.confidential else REGULAR
            c.setFont(face, fonts.fit_size(note, face, title_w, 7.5 if form.confidential else 7,
                                           5))
            c.drawString(left + pad, top - 16.5 * mm, note)
        depot = ctx["depot_name"]
        c.setFont(BOLD, fonts.fit_size(depot, BOLD, (right - left) * 0.38, 9.5, 7))
        c.drawRightString(right - pad, top - 6.5 * mm, depot)
        c.setFont(REGULAR, 7.5)
        c.drawRightString(right - pad, top - 10.8 * mm, f"Borang / Form: {form.code}")
        c.setFont(BOLD, 8.5)
        c.drawRightString(right - pad, top - 15.3 * mm, f"No. siri / Serial: {ctx['serial']}")
        if ctx.get("reprint"):
            c.setFont(BOLD, 7)
            c.drawRightString(right - pad, top - 18.6 * mm, REPRINT)

    def _footer(self, c, page: int) -> None:
        ctx = self.context
        left, right = MARGIN_X, self.width - MARGIN_X
        y = 12.5 * mm
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(left, y + 4 * mm, right, y + 4 * mm)
        if self.form.confidential:
            c.setFillColor(black)
            c.setFont(BOLD, 7.5)
            c.drawCentredString((left + right) / 2, y + 5.2 * mm,
                                " / ".join(n for n in (self.form.note_ms, self.form.note_en) if n))
        c.setFillColor(GREY)
        printed = f"Dicetak / Printed: {ctx.get('printed_at', '')}"
        if ctx.get("printed_by"):
            printed += f" oleh / by {ctx['printed_by']}"
        if ctx.get("reprint"):
            printed += f" · {REPRINT}"
        serial_text = f"No. siri / Serial: {ctx['serial']}"
        room = right - left - fonts.width(serial_text, BOLD, 8) - 5 * mm
        c.setFont(CONDENSED, fonts.fit_size(printed, CONDENSED, room, 7, 4.5))
        c.drawString(left, y, printed)
        total = self.total if self.total is not None else "?"
        c.setFillColorRGB(0, 0, 0)
        c.setFont(REGULAR, 8)
        c.drawCentredString(self.width / 2, y - 4.2 * mm,
                            f"Muka surat {page} daripada {total} / Page {page} of {total}")
        c.setFont(BOLD, 8)
        c.drawRightString(right, y, serial_text)
