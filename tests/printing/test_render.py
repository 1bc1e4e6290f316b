"""Rendering without a database: byte-stable invariant mode, bundled fonts, page sizes,
names that must fit, progress and cancel."""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from depot_app.demo.photos import silhouette_jpeg
from forms import registry
from forms.base import document_context
from printing import PrintCancelled, fonts, render, render_cards
from printing.card import WIDTH, name_lines
from tests.printing.helpers import decode, fonts_used, page_texts

ROOT = Path(__file__).resolve().parents[2]
PRINTED = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)
PAYLOAD = ("DPT1.SMY-2026-000123.1.20261123."
           "K5QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
           "AAAAAAAAAAAAAAAAAAAAAAAA")


def card_record(n: int = 123, name: str = "NGUYỄN VĂN AN", photo: bytes | None = None) -> dict:
    return {"detainee_no": f"SMY-2026-{n:06d}", "full_name": name,
            "nationality": "Viet Nam (VNM)", "sex": "L / M", "date_of_birth": "17/05/1990",
            "admitted_on": "20/11/2026", "location": "Blok A / A-01", "card_serial": "1",
            "issued_on": "23/11/2026", "qr": PAYLOAD.replace("000123", f"{n:06d}"),
            "photo": photo, "photo_mime": "image/jpeg" if photo else ""}


def admission_record() -> dict:
    return {"detainee_no": "SMY-2026-000123", "full_name": "NGUYỄN VĂN AN",
            "aliases": "ĐỖ VĂN AN", "sex": "Lelaki / Male", "nationality": "Viet Nam (VNM)",
            "home_address": "Số 12, Phố Huế,\nHà Nội", "stages": [], "passes": [],
            "documents": [{"doc_type": "Pasport / Passport", "number": "C1234567"}]}


def property_receipt() -> dict:
    return {"detainee_no": "SMY-2026-000123", "full_name": "NGUYỄN VĂN AN",
            "items": [{"no": "1", "description": "Telefon bimbit Samsung", "quantity": "1",
                       "bag_no": "B-0412", "state": "Disimpan / Held"}],
            "cash_entries": [{"no": "1", "amount": "235.50"}], "cash_received": "RM 235.50",
            "detainee_signature": "NGUYỄN VĂN AN"}


def doc(code: str, records: list[dict], serial: str = "SMY-DOC-2026-000042") -> dict:
    return document_context(registry.get(code), records, depot_name="Depot Imigresen Semenyih",
                            serial=serial, printed_at=PRINTED, printed_by="Clerk One")


@pytest.mark.parametrize("code", ["card", "card-sheet", "admission-record",
                                  "property-receipt"])
def test_invariant_mode_gives_the_same_bytes(code):
    rng = random.Random(3)
    documents = {"admission-record": admission_record, "property-receipt": property_receipt}
    records = ([documents[code]()] if code in documents
               else [card_record(i, photo=silhouette_jpeg(rng)) for i in range(1, 4)])
    form = registry.get(code)
    first = render(form, doc(code, records), invariant=True)
    assert first.startswith(b"%PDF")
    assert render(form, doc(code, records), invariant=True) == first
    assert b"20000101" in first  # ReportLab's fixed creation date
    assert render(form, doc(code, records, serial="SMY-DOC-2026-000043"),
                  invariant=True) != first


def test_invariant_bytes_do_not_depend_on_the_process():
    code = ("import sys, hashlib\n"
            "sys.path.insert(0, '.')\n"
            "from tests.printing.test_render import doc, admission_record\n"
            "from forms import registry\nfrom printing import render\n"
            "pdf = render(registry.get('admission-record'), doc('admission-record', "
            "[admission_record()]), invariant=True)\n"
            "print(hashlib.sha256(pdf).hexdigest())\n")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout for _ in range(2)}
    assert len(runs) == 1


def test_only_the_bundled_fonts_are_used_and_embedded():
    pdf = render(registry.get("admission-record"), doc("admission-record",
                                                       [admission_record()]))
    receipt = render(registry.get("property-receipt"), doc("property-receipt",
                                                           [property_receipt()]))
    for used in (fonts_used(pdf), fonts_used(receipt)):  # the receipt draws its thumbprint box
        assert used and all("DejaVuSans" in name and embedded for name, embedded in used)
        assert {name.split("+")[-1] for name, _ in used} <= set(fonts.FILES)
    text = " ".join(page_texts(pdf))
    for words in ("NGUYỄN VĂN AN", "ĐỖ VĂN AN", "Hà Nội", "Phố Huế"):
        assert words in text


def test_page_sizes(tmp_path):
    pdf = render(registry.get("card"), doc("card", [card_record()]))
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "242.646 x 153.014 pts" in info  # 85.60 x 53.98 mm
    sheet = render(registry.get("card-sheet"), doc("card-sheet", [card_record()] * 11))
    assert len(page_texts(sheet)) == 2
    assert "Muka surat 2 daripada 2 / Page 2 of 2" in page_texts(sheet)[1]


@pytest.mark.parametrize("name, lines", [
    ("SITI", 1),
    ("NGUYỄN VĂN AN", 1),
    ("MUHAMMAD ABDUL RAHMAN BIN MOHAMED SALLEH AL-HADDAD", 2),
    ("KHIN MYAT NOE THANDAR WIN HTUT AUNG MYINT " * 5, 1),  # ellipsis as a last resort
])
def test_long_names_shrink_then_wrap_and_always_fit(name, lines):
    fonts.register()
    width = WIDTH * 0.9
    got, font, size = name_lines(name, width)
    assert len(got) == lines and size >= 4
    assert all(fonts.width(line, font, size) <= width for line in got)


def test_a_card_without_photo_a_huge_photo_and_a_broken_one_all_print():
    big = io.BytesIO()
    Image.new("RGB", (3000, 4000), (200, 180, 160)).save(big, format="PNG")
    records = [card_record(1), card_record(2, photo=big.getvalue()),
               card_record(3, photo=b"\xff\xd8 not really a jpeg")]
    pdf = render_cards(doc("card", records), "single")
    assert len(pdf) < 400_000  # the 3000 x 4000 photo was scaled down, not embedded whole
    numbers = sorted(d.text for d in decode(pdf, 150) if d.kind == "Code128")
    assert numbers == ["SMY-2026-000001", "SMY-2026-000002", "SMY-2026-000003"]


def test_rendering_reports_progress_and_can_be_cancelled():
    records = [card_record(i) for i in range(1, 26)]
    seen = []
    render_cards(doc("card-sheet", records), "sheet",
                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 25) for n in range(1, 26)]
    with pytest.raises(PrintCancelled):
        render_cards(doc("card-sheet", records), "sheet", cancelled=lambda: True)
    with pytest.raises(ValueError):
        render_cards(doc("card-sheet", records), "folded")


def test_fonts_come_from_the_package_not_the_system():
    source = (ROOT / "printing" / "fonts.py").read_text(encoding="utf-8")
    assert "/usr/share" not in source and "importlib" in source
    for name in fonts.FILES:
        assert fonts.font_bytes(name)[:4] in (b"\x00\x01\x00\x00", b"true")
    assert (ROOT / "printing" / "fonts" / "LICENSE").read_text().count("Bitstream") > 0


def test_a_form_that_fills_its_last_page_adds_no_empty_page():
    # With one item more or less the declarations end just at the foot of a page: the
    # space after the last section must not push out a page with only the artwork on it.
    form = registry.get("property-receipt")
    for n in range(4, 13):
        record = {**property_receipt(), "cash_entries": [],
                  "items": [{"no": str(i), "description": "Beg galas hitam"}
                            for i in range(n)]}
        pages = page_texts(render(form, doc("property-receipt", [record])))
        assert "PENGAKUAN" in pages[-1], (n, len(pages))
