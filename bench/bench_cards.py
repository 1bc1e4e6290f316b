"""Detainee cards at batch scale: the printing framework against raw ReportLab, same run.

Makes N card records (default 1,000) with distinct photos and real Ed25519-signed QR texts,
then times, best of --repeat runs, interleaved:

* framework, A4 sheets:  ``printing.render_cards(context, "sheet")`` (platypus: frames,
  page template with cut marks and "page X of Y", a flowable per card)
* framework, CR80 pages: ``render_cards(context, "single")``
* raw baseline:          the same card drawn with direct canvas calls on A4 sheets, no forms,
  no platypus: band, texts (names shrunk to fit), photo, segno QR and python-barcode Code 128
  as filled rectangles (``path.rect``), cut marks, footer
* raw layout + the framework's code drawing (``printing.codes``: rectangles written at
  module scale): isolates what platypus and the forms layer cost
* the framework with the QR embedded as an image instead of vector rectangles

and, unless --no-db, a whole print job on SQLite (read 1,000 records, issue and sign 1,000
cards, take the serial, render, keep the counterfoil) as the window and the CLI run it.

    .venv/bin/python bench/bench_cards.py [--cards 1000] [--repeat 3] [--no-db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import segno  # noqa: E402
from barcode import Code128  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from depot_app import signing  # noqa: E402
from depot_app.demo.photos import silhouette_jpeg  # noqa: E402
from forms import registry  # noqa: E402
from forms.base import document_context  # noqa: E402
from printing import codes, fonts, render_cards  # noqa: E402

NAMES = ["NGUYỄN VĂN AN", "MUHAMMAD ABDUL RAHMAN BIN MOHAMED SALLEH", "AUNG KYAW OO", "SITI",
         "ĐỖ THỊ HỒNG NHUNG", "RAM BAHADUR THAPA MAGAR", "MD JAHANGIR ALAM", "JOSÉ PEÑA"]
NATS = ["Viet Nam (VNM)", "Malaysia (MYS)", "Myanmar (MMR)", "Indonesia (IDN)",
        "Bangladesh (BGD)", "Nepal (NPL)", "Philippines (PHL)"]


def records(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    key = Ed25519PrivateKey.generate()
    out = []
    for i in range(1, n + 1):
        number = f"SMY-2026-{i:06d}"
        out.append({
            "detainee_no": number, "full_name": NAMES[i % len(NAMES)],
            "nationality": NATS[i % len(NATS)], "sex": "L / M" if i % 2 else "P / F",
            "date_of_birth": f"{1 + i % 28:02d}/{1 + i % 12:02d}/19{60 + i % 40}",
            "admitted_on": "20/11/2026", "location": f"Blok {'ABCDEF'[i % 6]} / A-{i % 30:02d}",
            "card_serial": str(1 + i % 3), "issued_on": "23/11/2026",
            "qr": signing.sign(key, number, 1 + i % 3, dt.date(2026, 11, 23)),
            "photo": silhouette_jpeg(rng, long_hair=i % 2 == 0), "photo_mime": "image/jpeg",
        })
    return out


# The raw baseline: the same card, direct canvas calls --------------------------------------

def _fit(text: str, font: str, width: float, size: float, least: float) -> float:
    while size > least and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def raw_card(c: Canvas, x: float, y: float, r: dict, depot: str, fast: bool = False) -> None:
    w, h = 85.6 * mm, 53.98 * mm
    c.saveState()
    c.translate(x, y)
    c.setFillColorRGB(0.106, 0.212, 0.365)
    c.rect(0, h - 8.5 * mm, w, 8.5 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("DejaVuSans-Bold", _fit(depot.upper(), "DejaVuSans-Bold", 52 * mm, 7, 4.5))
    c.drawString(3 * mm, h - 4.6 * mm, depot.upper())
    c.setFont("DejaVuSans", 4.6)
    c.drawString(3 * mm, h - 7.2 * mm, "Depot Tahanan Imigresen / Immigration Depot")
    c.setFont("DejaVuSans-Bold", 6.5)
    c.drawRightString(w - 3 * mm, h - 4.4 * mm, "KAD TAHANAN")
    c.setFont("DejaVuSans", 5)
    c.drawRightString(w - 3 * mm, h - 7.0 * mm, "DETAINEE CARD")
    c.setFillColorRGB(0, 0, 0)
    name_w = w - 6 * mm
    size = _fit(r["full_name"], "DejaVuSans-Bold", name_w, 9, 6.5)
    font = "DejaVuSans-Bold"
    if stringWidth(r["full_name"], font, size) > name_w:
        font = "DejaVuSansCondensed-Bold"
        size = _fit(r["full_name"], font, name_w, 7, 4)
    c.setFont(font, size)
    c.drawString(3 * mm, 40 * mm, r["full_name"])
    c.drawImage(ImageReader(io.BytesIO(r["photo"])), 3 * mm, 15.5 * mm, 18 * mm, 22.5 * mm,
                preserveAspectRatio=True)
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.rect(3 * mm, 15.5 * mm, 18 * mm, 22.5 * mm, stroke=1, fill=0)
    fields = [(23.5, 37.7, 37.5, "Warganegara / Nationality", r["nationality"]),
              (23.5, 32.2, 10, "Jantina / Sex", r["sex"]),
              (34.5, 32.2, 26.5, "Tarikh lahir / Date of birth", r["date_of_birth"]),
              (23.5, 26.7, 18, "Masuk / Admitted", r["admitted_on"]),
              (43, 26.7, 18, "Dikeluarkan / Issued", r["issued_on"]),
              (23.5, 21.2, 37.5, "Blok / Sel / Block / Cell", r["location"])]
    for fx, top, fw, label, value in fields:
        c.setFillColorRGB(0.33, 0.33, 0.33)
        c.setFont("DejaVuSansCondensed", _fit(label, "DejaVuSansCondensed", fw * mm, 4.6, 3.6))
        c.drawString(fx * mm, (top - 1.7) * mm, label)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("DejaVuSans", _fit(value, "DejaVuSans", fw * mm, 6.8, 4.5))
        c.drawString(fx * mm, (top - 4.3) * mm, value)
    qx, qtop = w - 3 * mm - 19.5 * mm, 16.5 * mm + 19.5 * mm
    if fast:  # the framework's code drawing (rectangles at module scale), raw layout
        c.setFillColorRGB(0, 0, 0)
        codes.draw_qr(c, r["qr"], qx, 16.5 * mm, 19.5 * mm)
        width = codes.code128_width(r["detainee_no"], 0.34 * mm)
        codes.draw_code128(c, r["detainee_no"], 4.5 * mm, 5.8 * mm, width, 8.2 * mm)
        c.setFont("DejaVuSans-Bold", 6.5)
        c.drawCentredString(4.5 * mm + width / 2, 3.3 * mm, r["detainee_no"])
        _card_no(c, w, r)
        c.restoreState()
        return
    matrix = segno.make(r["qr"], error="m", micro=False, boost_error=False).matrix
    m = 19.5 * mm / len(matrix)
    path = c.beginPath()
    for row_no, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(qx + start * m, qtop - (row_no + 1) * m, (col - start) * m, m)
            col += 1
    c.drawPath(path, stroke=0, fill=1)
    modules = Code128(r["detainee_no"]).build()[0]
    bar = 0.34 * mm
    path = c.beginPath()
    col = 0
    while col < len(modules):
        if modules[col] == "1":
            start = col
            while col < len(modules) and modules[col] == "1":
                col += 1
            path.rect(4.5 * mm + start * bar, 5.8 * mm, (col - start) * bar, 8.2 * mm)
        col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.setFont("DejaVuSans-Bold", 6.5)
    c.drawCentredString(4.5 * mm + len(modules) * bar / 2, 3.3 * mm, r["detainee_no"])
    _card_no(c, w, r)
    c.restoreState()


def _card_no(c: Canvas, w: float, r: dict) -> None:
    c.setFont("DejaVuSansCondensed", 4.6)
    c.drawRightString(w - 3 * mm, 12.4 * mm, "No. kad")
    c.drawRightString(w - 3 * mm, 10.6 * mm, "Card no.")
    c.setFont("DejaVuSans-Bold", 10)
    c.drawRightString(w - 3 * mm, 6.6 * mm, r["card_serial"])


def raw_sheets(recs: list[dict], depot: str, serial: str, fast: bool = False) -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=(210 * mm, 297 * mm), initialFontName="DejaVuSans")
    w, h = 85.6 * mm, 53.98 * mm
    left, bottom = (210 * mm - 2 * w - 4 * mm) / 2, (297 * mm - 5 * h) / 2
    pages = (len(recs) + 9) // 10
    for p in range(pages):
        for i, r in enumerate(recs[p * 10:(p + 1) * 10]):
            raw_card(c, left + (i % 2) * (w + 4 * mm), bottom + (4 - i // 2) * h, r, depot,
                     fast)
        for x in (left, left + w, left + w + 4 * mm, left + 2 * w + 4 * mm):
            c.line(x, bottom + 5 * h + 1 * mm, x, bottom + 5 * h + 4 * mm)
            c.line(x, bottom - 1 * mm, x, bottom - 4 * mm)
        for row in range(6):
            c.line(left - 1 * mm, bottom + row * h, left - 4 * mm, bottom + row * h)
            c.line(left + 2 * w + 5 * mm, bottom + row * h, left + 2 * w + 8 * mm,
                   bottom + row * h)
        c.setFont("DejaVuSans", 7.5)
        c.drawRightString(210 * mm - left, 6.5 * mm, f"Muka surat {p + 1} daripada {pages} / "
                                                      f"Page {p + 1} of {pages}")
        c.drawString(left, 290 * mm, f"{depot}  No. siri / Serial {serial}")
        c.showPage()
    c.save()
    return out.getvalue()


# Timing -----------------------------------------------------------------------------------

def best_of(repeat: int, fn: Callable[[], bytes]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return min(times), size


def end_to_end(n: int) -> float:
    """A print job as the window runs it, on a fresh SQLite file."""
    from db.models import Detention, Photo
    from depot_app.database import Database
    from depot_app.services import setup, users
    from printing import jobs
    from tests import factories

    folder = tempfile.mkdtemp(prefix="bench-cards-")
    db = Database(f"sqlite:///{folder}/bench.sqlite")
    db.upgrade()
    with db.write() as uow:
        setup.first_run(uow, setup.FirstRunRequest("SMY", "Depot Imigresen Semenyih", "Selangor",
                                                   "admin", "Admin", "bench pass 1",
                                                   "bench pass 1"))
    admin = users.login(db, "admin", "bench pass 1", "bench")
    rng = random.Random(2)
    with db.write() as uow:
        cell = factories.cell(uow)
        for i in range(n):
            did = factories.detainee(uow, NAMES[i % len(NAMES)], cell_id=cell)
            person = uow.session.get(Detention, did).person_id
            uow.session.add(Photo(person_id=person, taken_at=uow.now(), mime="image/jpeg",
                                  data=silhouette_jpeg(rng), is_current=True))
    start = time.perf_counter()
    with db.write() as uow:
        job = jobs.print_cards(uow, admin, jobs.in_custody_ids(uow, admin), "sheet")
    elapsed = time.perf_counter() - start
    assert len(job.cards) == n
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-db", action="store_true", help="skip the end-to-end print job")
    args = parser.parse_args()
    fonts.register()
    t = time.perf_counter()
    recs = records(args.cards)
    print(f"{args.cards} cards, distinct photos ({sum(len(r['photo']) for r in recs) // 1024} KiB"
          f" of JPEG), signed QR codes; prepared in {time.perf_counter() - t:.1f} s")
    depot, serial = "Depot Imigresen Semenyih", "SMY-DOC-2026-000001"
    context = document_context(registry.get("card-sheet"), recs, depot_name=depot,
                               serial=serial, printed_at=dt.datetime.now(dt.UTC),
                               printed_by="Bench")
    raw = lambda: raw_sheets(recs, depot, serial)  # noqa: E731
    raw_fast = lambda: raw_sheets(recs, depot, serial, fast=True)  # noqa: E731
    sheet = lambda: render_cards(context, "sheet")  # noqa: E731
    single = lambda: render_cards(context, "single")  # noqa: E731
    results: dict[str, list[tuple[float, int]]] = {"raw": [], "raw_fast": [], "sheet": [],
                                                    "single": [], "image": []}
    vector = codes.draw_qr
    warm = document_context(registry.get("card-sheet"), recs[:10], depot_name=depot,
                            serial=serial, printed_at=dt.datetime.now(dt.UTC), printed_by="B")
    raw_sheets(recs[:10], depot, serial)  # warm up: imports, font subsets, caches
    raw_sheets(recs[:10], depot, serial, fast=True)
    render_cards(warm, "sheet")
    for _ in range(args.repeat):  # interleaved, so drift hits every variant alike
        results["raw"].append(best_of(1, raw))
        results["raw_fast"].append(best_of(1, raw_fast))
        results["sheet"].append(best_of(1, sheet))
        results["single"].append(best_of(1, single))
        codes.draw_qr = codes.draw_qr_image
        try:
            results["image"].append(best_of(1, sheet))
        finally:
            codes.draw_qr = vector
    best = {k: min(v) for k, v in results.items()}
    base = best["raw"][0]
    print(f"\n{'variant':44s} {'seconds':>8s} {'cards/s':>8s} {'MiB':>6s} {'ratio':>6s}")
    labels = {"raw": "raw ReportLab baseline, A4 sheets",
              "raw_fast": "raw layout + the framework's code drawing",
              "sheet": "framework, A4 sheets (vector QR)",
              "single": "framework, CR80 pages (vector QR)",
              "image": "framework, A4 sheets (QR as PNG image)"}
    for key, label in labels.items():
        secs, size = best[key]
        print(f"{label:44s} {secs:8.2f} {args.cards / secs:8.0f} {size / 2**20:6.1f} "
              f"{secs / base:6.2f}")
    qr = min(_time_segno(recs[:200]) for _ in range(3))
    print(f"\nsegno QR encoding alone: {qr * 1000:.1f} ms per card "
          f"({qr * args.cards / base:.0%} of the baseline)")
    print(f"ratio framework / raw (A4 sheets): {best['sheet'][0] / base:.2f} (goal <= 1.5); "
          f"against the raw layout drawing codes as the framework does: "
          f"{best['sheet'][0] / best['raw_fast'][0]:.2f}")
    if not args.no_db:
        secs = end_to_end(args.cards)
        print(f"end-to-end print job on SQLite (read, issue and sign, render, counterfoil): "
              f"{secs:.2f} s for {args.cards} cards ({args.cards / secs:.0f} cards/s)")


def _time_segno(recs: list[dict]) -> float:
    start = time.perf_counter()
    for r in recs:
        segno.make(r["qr"], error="m", micro=False, boost_error=False)
    return (time.perf_counter() - start) / len(recs)


if __name__ == "__main__":
    main()
