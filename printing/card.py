"""One detainee card (CR80, 85.60 x 53.98 mm) drawn on a canvas at a given origin.

Layout, in mm from the card's lower left corner:

    45.5-54   band: depot name, "KAD TAHANAN / DETAINEE CARD"
    38.5-44.5 full name (bold, shrunk to fit, two lines for long names)
    15.5-38   photo (18 x 22.5) | nationality, sex, date of birth, admitted, issued,
              block / cell | QR code (19.5 mm square, quiet zone kept clear)
    5.8-14    Code 128 of the detainee number (0.34 mm modules), number beneath;
              card number at the right; the document serial at the bottom right

``draw_card`` is what both the single-card pages and the A4 sheets draw; the benchmark's
raw baseline draws the same elements with plain canvas calls.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from PIL import Image
from reportlab.lib.colors import Color, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from forms.base import CR80
from forms.card import CARD
from printing import codes, fonts
from printing.fonts import BOLD, CONDENSED, CONDENSED_BOLD, REGULAR

WIDTH, HEIGHT = CR80.width_mm * mm, CR80.height_mm * mm
BAND = Color(0.106, 0.212, 0.365)  # dark navy
LABEL = Color(0.33, 0.33, 0.33)
FRAME = Color(0.6, 0.6, 0.6)
PLACEHOLDER = Color(0.9, 0.91, 0.93)
PLACEHOLDER_INK = Color(0.72, 0.74, 0.78)

PHOTO = (3 * mm, 15.5 * mm, 18 * mm, 22.5 * mm)  # x, y, w, h
FIELDS_X, FIELDS_W = 23.5 * mm, 37.5 * mm
QR_SIZE = 19.5 * mm
QR_X, QR_Y = WIDTH - 3 * mm - QR_SIZE, 16.5 * mm
BARS_X, BARS_Y, BARS_H, BARS_MAX_W = 4.5 * mm, 5.8 * mm, 8.2 * mm, 62 * mm
MODULE = 0.34 * mm  # Code 128 module: 2 px at 150 dpi, 4 px at 300 dpi
MAX_PHOTO_PX = 600


_LABELS = {key: f.label for key, f in CARD.fields().items()}


def label(key: str) -> str:
    return _LABELS[key]


def photo_reader(data: bytes | None) -> ImageReader | None:
    """The photo to embed: a JPEG of sensible size as it is (no re-encoding), anything else
    (or a huge camera JPEG) converted to a JPEG at most 600 px high. None without a photo."""
    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data))
        if image.format == "JPEG" and max(image.size) <= MAX_PHOTO_PX and image.mode in (
                "RGB", "L"):
            return ImageReader(io.BytesIO(data))
        image = image.convert("RGB")
        image.thumbnail((MAX_PHOTO_PX, MAX_PHOTO_PX))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88)
        out.seek(0)
        return ImageReader(out)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # a damaged photo prints as the empty frame, not as a failed batch


def draw_card(c: Canvas, x: float, y: float, r: Mapping[str, Any], depot_name: str,
              doc_line: str = "", photo: ImageReader | None = None) -> None:
    """Draw the card for record ``r`` (a ``forms.card.context``) with its lower left corner
    at (x, y). ``photo`` may be given already prepared; otherwise it is read from ``r``."""
    c.saveState()
    c.translate(x, y)
    _band(c, depot_name)
    _name(c, r["full_name"])
    _photo(c, photo if photo is not None else photo_reader(r.get("photo")))
    fx, fw, half = FIELDS_X, FIELDS_W, 18 * mm
    _field(c, fx, 37.7 * mm, fw, label("nationality"), r["nationality"])
    _field(c, fx, 32.2 * mm, 10 * mm, label("sex"), r["sex"])
    _field(c, fx + 11 * mm, 32.2 * mm, fw - 11 * mm, label("date_of_birth"),
           r["date_of_birth"])
    _field(c, fx, 26.7 * mm, half, label("admitted_on"), r["admitted_on"])
    _field(c, fx + half + 1.5 * mm, 26.7 * mm, fw - half - 1.5 * mm, label("issued_on"),
           r["issued_on"])
    _field(c, fx, 21.2 * mm, fw, label("location"), r["location"])
    codes.draw_qr(c, r["qr"], QR_X, QR_Y, QR_SIZE)
    _barcode(c, r["detainee_no"])
    _card_number(c, r["card_serial"], doc_line)
    c.restoreState()


def _band(c: Canvas, depot_name: str) -> None:
    top = HEIGHT
    c.setFillColor(BAND)
    c.rect(0, top - 8.5 * mm, WIDTH, 8.5 * mm, stroke=0, fill=1)
    c.setFillColor(white)
    name = depot_name.upper()
    size = fonts.fit_size(name, BOLD, 52 * mm, 7, 4.5)
    c.setFont(BOLD, size)
    c.drawString(3 * mm, top - 4.6 * mm, name)
    c.setFont(REGULAR, 4.6)
    c.drawString(3 * mm, top - 7.2 * mm, "Depot Tahanan Imigresen / Immigration Depot")
    c.setFont(BOLD, 6.5)
    c.drawRightString(WIDTH - 3 * mm, top - 4.4 * mm, "KAD TAHANAN")
    c.setFont(REGULAR, 5)
    c.drawRightString(WIDTH - 3 * mm, top - 7.0 * mm, "DETAINEE CARD")


def name_lines(name: str, width: float) -> tuple[list[str], str, float]:
    """Lines, font and size for a name in ``width``: one bold line from 9 pt down to 6.5 pt;
    else two condensed lines (>= 5.5 pt); else one condensed line down to 4 pt."""
    size = fonts.fit_size(name, BOLD, width, 9, 6.5)
    if fonts.width(name, BOLD, size) <= width:
        return [name], BOLD, size
    words = name.split()
    if len(words) > 1:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        a, b = min(splits, key=lambda p: max(fonts.width(p[0], CONDENSED_BOLD, 1),
                                             fonts.width(p[1], CONDENSED_BOLD, 1)))
        size = min(fonts.fit_size(a, CONDENSED_BOLD, width, 7.5, 5.5),
                   fonts.fit_size(b, CONDENSED_BOLD, width, 7.5, 5.5))
        if max(fonts.width(a, CONDENSED_BOLD, size), fonts.width(b, CONDENSED_BOLD, size)) \
                <= width:
            return [a, b], CONDENSED_BOLD, size
    size = fonts.fit_size(name, CONDENSED_BOLD, width, 7, 4)
    while fonts.width(name, CONDENSED_BOLD, size) > width and len(name) > 4:
        name = name[:-2].rstrip() + "…"
    return [name], CONDENSED_BOLD, size


def _name(c: Canvas, name: str) -> None:
    width = WIDTH - 3 * mm - FIELDS_X + (FIELDS_X - PHOTO[0])
    lines, font, size = name_lines(name, width)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, size)
    if len(lines) == 1:
        c.drawString(PHOTO[0], 40.0 * mm, lines[0])
    else:
        c.drawString(PHOTO[0], 42.2 * mm, lines[0])
        c.drawString(PHOTO[0], 42.2 * mm - size * 1.1, lines[1])


def _photo(c: Canvas, photo: ImageReader | None) -> None:
    x, y, w, h = PHOTO
    if photo is not None:
        c.drawImage(photo, x, y, w, h, preserveAspectRatio=True, anchor="c")
    else:
        c.saveState()
        clip = c.beginPath()
        clip.rect(x, y, w, h)
        c.clipPath(clip, stroke=0, fill=0)
        c.setFillColor(PLACEHOLDER)
        c.rect(x, y, w, h, stroke=0, fill=1)
        c.setFillColor(PLACEHOLDER_INK)
        cx = x + w / 2
        c.circle(cx, y + h * 0.64, w * 0.19, stroke=0, fill=1)
        c.ellipse(cx - w * 0.36, y - h * 0.25, cx + w * 0.36, y + h * 0.44, stroke=0, fill=1)
        c.restoreState()
        c.setFillColor(white)
        c.rect(x + 1 * mm, y + 0.8 * mm, w - 2 * mm, 2.4 * mm, stroke=0, fill=1)
        c.setFillColor(LABEL)
        c.setFont(CONDENSED, 4.2)
        c.drawCentredString(cx, y + 1.5 * mm, "Tiada foto / No photo")
    c.setStrokeColor(FRAME)
    c.setLineWidth(0.4)
    c.rect(x, y, w, h, stroke=1, fill=0)


def _field(c: Canvas, x: float, top: float, width: float, text: str, value: str) -> None:
    c.setFillColor(LABEL)
    c.setFont(CONDENSED, fonts.fit_size(text, CONDENSED, width, 4.6, 3.6))
    c.drawString(x, top - 1.7 * mm, text)
    c.setFillColorRGB(0, 0, 0)
    value = value or "-"
    font = REGULAR if fonts.width(value, REGULAR, 6.8) <= width else CONDENSED
    c.setFont(font, fonts.fit_size(value, font, width, 6.8, 4.5))
    c.drawString(x, top - 4.3 * mm, value)


def _barcode(c: Canvas, number: str) -> None:
    width = min(codes.code128_width(number, MODULE), BARS_MAX_W)
    c.setFillColorRGB(0, 0, 0)
    codes.draw_code128(c, number, BARS_X, BARS_Y, width, BARS_H)
    c.setFont(BOLD, 6.5)
    c.drawCentredString(BARS_X + width / 2, 3.3 * mm, number)


def _card_number(c: Canvas, serial: str, doc_line: str) -> None:
    right = WIDTH - 3 * mm
    c.setFillColor(LABEL)
    c.setFont(CONDENSED, 4.6)
    c.drawRightString(right, 12.4 * mm, "No. kad")
    c.drawRightString(right, 10.6 * mm, "Card no.")
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, 10)
    c.drawRightString(right, 6.6 * mm, serial)
    if doc_line:
        c.setFillColor(LABEL)
        c.setFont(CONDENSED, 3.8)
        c.drawRightString(right, 1.4 * mm, doc_line)
