"""The custody forms: the custody record, the movement slip, the establishment roll and the
headcount sheet. Context builders from realistic read models (no database), the PDFs read
back as a reader and a scanner would (text, pages, Code 128), and the print jobs with
their counterfoils and reprints on both engines, and from the command line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Cell, PrintedDocument
from depot_app.cli import main, print_cmds
from depot_app.errors import ValidationError
from depot_app.readmodels import CountLine, MovementView
from depot_app.services import detainees, headcount, outings
from depot_app.services import printing as counterfoils
from depot_app.services.outings import OutRequest
from forms import custody_record, headcount_sheet, movement_slip, registry, roll_sheet
from forms.base import document_context
from printing import custody_jobs, jobs, render
from printing.document import TickBox, _body_cell
from tests import factories
from tests.conftest import PASSWORD
from tests.printing.custody_samples import (
    COURT,
    HOSPITAL,
    LONG_NAME,
    custody_detail,
    headcount_view,
    roll_view,
)
from tests.printing.helpers import decode
from tests.test_admission import actor_for

PRINTED = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)


def _pdf(code: str, record: dict) -> bytes:
    context = document_context(registry.get(code), [record], depot_name="Depot Imigresen "
                               "Semenyih", serial="SMY-DOC-2026-000042", printed_at=PRINTED,
                               printed_by="Warden Lim")
    return render(registry.get(code), context, invariant=True)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    """Each page's text in the order it is drawn, one cell after another, single-spaced
    (``pdftotext -raw``: a wrapped cell reads as one phrase, unlike the layout mode)."""
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(src), "-"],
                             check=True, capture_output=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return [_flat(p) for p in (pages[:-1] if pages and not pages[-1].strip() else pages)]


def _every_key_given(form, ctx: dict) -> None:
    every_key = {f.key for s in form.sections for f in s.fields}
    assert every_key <= set(ctx), every_key - set(ctx)


# --- the registry ---------------------------------------------------------------------

def test_the_four_forms_are_registered_with_their_subjects():
    forms = {code: registry.get(code) for code in ("custody-record", "movement-slip", "roll",
                                                   "headcount-sheet")}
    assert forms["custody-record"] is custody_record.FORM
    assert [f.subject_type for f in forms.values()] == ["detention", "movement", "roll",
                                                        "headcount"]
    assert roll_sheet.FORM.page_size.width_mm > roll_sheet.FORM.page_size.height_mm  # landscape
    for form in forms.values():
        assert form.title_ms and form.title_en and form.layout == "document"


# --- the custody record ---------------------------------------------------------------

def test_custody_record_lists_every_movement_in_time_order_with_its_officer():
    ctx = custody_record.context(custody_detail(movement_count=6))
    _every_key_given(custody_record.FORM, ctx)
    rows = ctx["movements"]
    assert [r["no"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0] == {"no": "1", "occurred_at": "21/11/2026\n01:30",
                       "kind": "Kemasukan / Admission", "from_place": "",
                       "to_place": "Blok A / A-01", "details": "Ditahan di bawah s.6(1)(c)",
                       "officer": "Clerk One"}
    out, back = rows[1], rows[2]
    assert out["kind"] == "Keluar ke mahkamah / Out to court" and out["to_place"] == COURT
    assert "Kuasa / Authority: Perintah pengeluaran" in out["details"]
    assert "Dokumen / Document: MK-KJG-83-002-2026" in out["details"]
    assert out["officer"] == "Sarjan Ali"
    # The return reads as coming back from court, to the cell kept.
    assert (back["kind"], back["from_place"], back["to_place"]) == (
        "Kembali / Returned", COURT, "Blok A / A-01")
    assert rows[3]["kind"] == "Pindah sel / Cell move" and rows[3]["officer"] == "Warden Lim"
    assert rows[4]["to_place"] == HOSPITAL
    times = [dt.datetime.strptime(r["occurred_at"], "%d/%m/%Y\n%H:%M") for r in rows]
    assert times == sorted(times)


def test_custody_record_particulars_law_property_and_visits():
    ctx = custody_record.context(custody_detail())
    assert ctx["full_name"] == "NGUYỄN VĂN AN" and ctx["detainee_no"] == "SMY-2026-000007"
    assert ctx["running_head"] == "No. tahanan / Detainee no. SMY-2026-000007 · NGUYỄN VĂN AN"
    assert ctx["status"] == "Dalam tahanan / In custody"
    assert ctx["travel_document"] == "Pasport / Passport C1234567 (VNM)"
    assert ctx["arrest"] == "20/11/2026 22:30, Semenyih, JIM"
    assert [(s["section"], s["authority"]) for s in ctx["stages"]] == [
        ("s.6(1)(c)", "Tangkapan / Arrest"), ("s.34", "Perintah pengusiran / Removal order")]
    assert ctx["stages"][0]["words"].startswith("Entering Malaysia without a valid Pass")
    held, returned = ctx["items"]
    assert held["state"] == "Disimpan / Held"
    assert returned["state"] == ("Dipulangkan / Returned 23/11/2026 01:30\noleh / by Sarjan Ali"
                                 "\nkepada / to: Abang / brother TRẦN VĂN HÙNG (IC "
                                 "880101-14-5555)")
    assert (ctx["items_held"], ctx["items_returned"], ctx["bag_nos"]) == ("1", "1", "B-0412")
    assert (ctx["cash_received"], ctx["cash_paid"], ctx["cash_balance"]) == (
        "RM 235.50", "RM 20.00", "RM 215.50")
    assert [e["amount"] for e in ctx["cash_entries"]] == ["235.50", "-20.00"]
    # Visits in time order (the read model gives the latest first).
    consular, family = ctx["visits"]
    assert consular == {"no": "1", "when": "23/11/2026\n01:30 – 02:30",
                        "kind": "Konsular / Consular", "visitor": "NGUYỄN THANH HẢI",
                        "organisation": "Embassy of Viet Nam", "approval_ref": "KL-VN-2026-118",
                        "officer": "Sarjan Ali", "notes": "Temuduga dokumen perjalanan"}
    assert family["visitor"] == "TRẦN THỊ MAI\n(isteri / wife)"
    assert family["officer"] == "Warden Lim\n(direkod / recorded: Clerk One)"
    assert ctx["has_death"] is False


def test_custody_record_death_section_only_for_a_death():
    ctx = custody_record.context(custody_detail(died=True))
    assert ctx["has_death"] is True and ctx["status"] == "Meninggal dunia / Deceased"
    assert ctx["death_place"] == "Di hospital / In hospital: Hospital Kajang"
    assert ctx["cause_certified"] == "Acute myocardial infarction"
    assert [n["whom"] for n in ctx["notifications"]] == ["Embassy of Viet Nam",
                                                         "Polis DiRaja Malaysia, IPD Kajang"]
    dead = " ".join(_pages(_pdf("custody-record", ctx)))
    alive = " ".join(_pages(_pdf("custody-record", custody_record.context(custody_detail()))))
    for words in ("KEMATIAN DALAM TAHANAN / Death in custody", "Dr Siti Aminah (MMC 45123)",
                  "BS/HKJ/2026/77", "Laporan polis / police report KJG/4471/26"):
        assert words in dead, words
    assert "KEMATIAN" not in alive and "Death in custody" not in alive


def test_a_long_custody_record_runs_on_with_its_headings_and_whose_it_is():
    """Sixty movements: the table starts under the legal basis, runs on over the pages
    with its headings repeated, and every later page names the detainee."""
    ctx = custody_record.context(custody_detail(movement_count=60, died=True,
                                                full_name=LONG_NAME))
    pdf = _pdf("custody-record", ctx)
    pages = _pages(pdf)
    total = len(pages)
    assert total >= 4
    for n, page in enumerate(pages, 1):
        assert f"Muka surat {n} daripada {total} / Page {n} of {total}" in page
        assert "No. siri / Serial: SMY-DOC-2026-000042" in page
        if n > 1:
            assert f"No. tahanan / Detainee no. SMY-2026-000007 · {LONG_NAME}" in page
    assert LONG_NAME in pages[0]  # the whole name, wrapped, in the particulars
    # The table starts on the first page, under the legal basis, not on a fresh page.
    assert "PENEMPATAN DAN PERGERAKAN" in pages[0] and "Kemasukan / Admission" in pages[0]
    with_rows = [p for p in pages if re.search(r"Keluar ke|Pindah sel|Kembali /", p)]
    assert len(with_rows) >= 3
    for page in with_rows:  # the headings, repeated on every page the table reaches
        assert "Tarikh dan masa Date and time Pergerakan Movement Dari From Ke To" in page
    # Every movement once, in order, across the pages.
    numbers = [int(m) for m in re.findall(r"(?:^|\s)(\d{1,2}) \d\d/\d\d/2026 \d\d:\d\d (?:"
                                          r"Kemasukan|Keluar|Kembali|Pindah)",
                                          " ".join(pages))]
    assert numbers == list(range(1, 61))
    assert "PENGESAHAN / Certification" in pages[-1]
    assert "KEMATIAN DALAM TAHANAN" in " ".join(pages)
    assert [x.text for x in decode(pdf, 150) if x.kind == "Code128"] == ["SMY-2026-000007"]


# --- the movement slip ----------------------------------------------------------------

def test_the_slip_prints_the_movement_asked_for_or_the_latest():
    d = custody_detail(movement_count=6)
    out = movement_slip.context(d, 2)
    _every_key_given(movement_slip.FORM, out)
    assert out["movement_id"] == 2
    assert (out["kind"], out["from_place"], out["to_place"]) == (
        "Keluar ke mahkamah / Out to court", "Blok A / A-01", COURT)
    assert (out["authority"], out["document_ref"]) == ("Perintah pengeluaran",
                                                       "MK-KJG-83-002-2026")
    assert out["occurred_at"] == "21/11/2026 08:32" and out["recorded_by"] == "Sarjan Ali"
    assert out["is_out"] and out["leaves_depot"]
    assert out["attention"] == "Perlu jurubahasa / Interpreter needed"
    latest = movement_slip.context(d)
    assert latest["movement_id"] == 6 and latest["kind"] == "Keluar ke mahkamah / Out to court"
    move = movement_slip.context(d, 4)
    assert move["kind"] == "Pindah sel / Cell move"
    assert not move["is_out"] and not move["leaves_depot"]
    released = movement_slip.context(custody_detail(movements=(
        d.movements[-1], MovementView(d.admitted_at + dt.timedelta(days=9), "release",
                                      "Released", "Compound paid", "Tan Wei Liang", id=9,
                                      document_ref="CO/SMY/2026/1290",
                                      from_place="Blok A / A-01",
                                      to_place="Left on a Check Out Memo"))))
    assert released["kind"] == "Dibebaskan / Released" and released["movement_id"] == 9
    assert not released["leaves_depot"]  # nobody escorts a released detainee
    with pytest.raises(ValueError, match="movement 99 is not one of detainee SMY-2026-000007"):
        movement_slip.context(d, 99)
    with pytest.raises(ValueError, match="no movement"):
        movement_slip.context(custody_detail(movements=()))


def test_the_slip_is_one_page_with_its_signatures_and_a_readable_barcode():
    d = custody_detail(movement_count=6)
    out = _pdf("movement-slip", movement_slip.context(d, 2))
    pages = _pages(out)
    assert len(pages) == 1
    text = pages[0]
    for words in ("SLIP PERGERAKAN TAHANAN", "Detainee movement slip", "NGUYỄN VĂN AN",
                  "Keluar ke mahkamah / Out to court", COURT, "MK-KJG-83-002-2026",
                  "Perintah pengeluaran", "PENGIRING / Escort", "Vehicle no.",
                  "Pegawai yang menyerahkan", "Officer handing over",
                  "Escort / receiving officer", "I have received the detainee named above",
                  "KEMBALI KE DEPOT / Return to the depot", "Officer receiving back"):
        assert words in text, words
    assert [x.text for x in decode(out, 150) if x.kind == "Code128"] == ["SMY-2026-000007"]
    assert [x.text for x in decode(out, 300) if x.kind == "Code128"] == ["SMY-2026-000007"]
    # A move between cells has no escort and no return.
    inside = _pages(_pdf("movement-slip", movement_slip.context(d, 4)))[0]
    assert "Pindah sel / Cell move" in inside and "Blok A / A-02" in inside
    assert "PENGIRING" not in inside and "KEMBALI KE DEPOT" not in inside


# --- the roll -------------------------------------------------------------------------

def test_roll_context_has_a_line_per_block_reception_and_the_total():
    ctx = roll_sheet.context(roll_view())
    _every_key_given(roll_sheet.FORM, ctx)
    names = [line["name"] for line in ctx["lines"]]
    assert names == ["Blok A", "Blok B (Wanita dan kanak-kanak / Women and children)",
                     "Penerimaan / Reception", "Jumlah depot / Depot total"]
    a, b, reception, total = ctx["lines"]
    assert (a["out_court"], a["out_hospital"], a["out_embassy"], a["out"]) == ("2", "1", "0",
                                                                               "3")
    assert (a["in_cell"], a["on_roll"], a["vacancies"], a["cells_out_of_service"]) == (
        "31", "34", "6", "1")
    assert (b["over_capacity"], b["out_embassy"], b["girls"]) == ("2", "1", "4")
    assert (reception["unallocated"], reception["capacity"]) == ("5", "0")
    assert total["_emphasis"] and not any(line.get("_emphasis") for line in ctx["lines"][:-1])
    assert (total["on_roll"], total["capacity"], total["men"], total["women"], total["boys"],
            total["girls"]) == ("66", "64", "34", "20", "7", "5")
    assert (ctx["as_of"], ctx["on_roll"], ctx["out"], ctx["overcrowded_cells"]) == (
        "21/11/2026 01:30", "66", "4", "B-03")
    # Nationalities read down each pair of columns, six pairs across: nine in two rows.
    first = ctx["by_nationality"][0]
    assert (first["nationality_1"], first["count_1"], first["nationality_2"],
            first["nationality_3"]) == ("Indonesia", "21", "Bangladesh", "Nepal")
    assert len(ctx["by_nationality"]) == 2
    assert ctx["closed_cells"] == "Tiada / None"
    # The columns in the screen's order: the block, on the roll, then where they are.
    keys = [c.key for c in roll_sheet.FORM.field("lines").columns]
    assert keys[:4] == ["name", "on_roll", "capacity", "in_cell"]
    assert keys.index("out") > keys.index("out_embassy") > keys.index("in_cell")


def test_an_out_reason_the_form_has_no_column_for_still_counts_in_the_total():
    line = roll_sheet.line(roll_view().blocks[0].__class__(
        **{**roll_view().blocks[0].__dict__, "out": 2,
           "out_by_reason": (CountLine("Out: court", 1), CountLine("Immigration HQ", 1))}),
        "Blok A")
    assert (line["out_court"], line["out_hospital"], line["out"]) == ("1", "0", "2")


def test_the_roll_prints_on_one_landscape_page_with_the_duty_officer():
    pdf = _pdf("roll", roll_sheet.context(roll_view()))
    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert box and float(box.group(1)) > float(box.group(2))  # landscape A4
    pages = _pages(pdf)
    assert len(pages) == 1
    text = pages[0]
    for words in ("DAFTAR TAHANAN DEPOT", "Establishment roll", "Pada / As at",
                  "21/11/2026 01:30", "Kapasiti Capacity", "Mahkamah Court",
                  "Belum ditempatkan Unallocated", "Lebih kapasiti Over capacity",
                  "Perempuan Women", "Budak perempuan Girls", "Jumlah depot / Depot total",
                  "Indonesia 21", "Türkiye 1", "Pegawai bertugas / Duty officer",
                  "I certify that the figures above are correct"):
        assert words in text, words
    # The total line, figure by figure, in the screen's order: on roll, capacity, in cell,
    # court, hospital, embassy, out, unallocated, vacancies, over capacity, cells closed, ...
    assert "Jumlah depot / Depot total 66 64 57 2 1 1 4 5 6 2 1 34 20 7 5" in text
    assert "Dalam sel ditutup / Held in closed cells Tiada / None" in text


# --- the headcount sheet --------------------------------------------------------------

def test_an_open_count_prints_boxes_to_tick_and_totals_to_write_in():
    ctx = headcount_sheet.context(headcount_view(closed=False))
    _every_key_given(headcount_sheet.FORM, ctx)
    assert ctx["status"] == "Terbuka / Open" and ctx["is_open"]
    ticks = [r["counted"] for r in ctx["expected"]]
    assert ticks == ["✓", "✓", "", "", "", "", "", ""]  # empty: a box to tick
    assert ctx["expected"][0]["how"] == "01:32 Imbasan / Scan"  # one line
    assert ctx["expected"][2]["full_name"] == LONG_NAME
    # The sheet names the block; each line gives the cell alone, in cell order.
    assert [r["location"] for r in ctx["expected"]] == ["A-01"] * 3 + ["A-02"] * 3 + ["A-03"] * 2
    assert ctx["total_expected"] == "8" and not ctx["total_counted"].strip()
    # Open, nobody is "missing" yet: only blank lines for anyone found unexpected.
    assert all(not r["detainee_no"].strip() for r in ctx["discrepancies"])
    assert len(ctx["discrepancies"]) == headcount_sheet.BLANK_LINES
    assert [(a["location"], a["outcome"]) for a in ctx["away"]] == [
        ("Keluar: mahkamah / Out: court", "Masih di luar / Still away")]
    column = headcount_sheet.FORM.field("expected").columns[4]
    assert isinstance(_body_cell(column, ctx["expected"][2]), TickBox)
    assert not isinstance(_body_cell(column, ctx["expected"][0]), TickBox)

    text = " ".join(_pages(_pdf("headcount-sheet", ctx)))
    for words in ("HELAIAN KIRAAN KEPALA", "Headcount sheet", "Terbuka / Open", "Blok A",
                  "SMY-2026-000107", "JOSÉ MARÍA PEÑA",
                  "DI LUAR DEPOT SEMASA KIRAAN BERMULA / Away when the count began",
                  "WANJIRŨ NJOROGE", "Masih di luar / Still away",
                  "Pegawai yang mengira / Counting officer"):
        assert words in text, words
    assert text.count("✓") == 2


def test_a_closed_count_prints_the_record_with_discrepancies_and_totals():
    ctx = headcount_sheet.context(headcount_view(closed=True))
    assert ctx["status"] == "Ditutup / Closed" and not ctx["is_open"]
    assert ctx["closed"] == "22/11/2026 01:55\nSarjan Ali"
    assert [r["counted"] for r in ctx["expected"]] == ["✓", "✓", "–", "✓", "✓", "✓", "✓", "✓"]
    assert ctx["expected"][4]["how"] == "01:37 Manual / By hand"
    assert [(r["detainee_no"], r["discrepancy"]) for r in ctx["discrepancies"]] == [
        ("SMY-2026-000102", "Tidak dijumpai / Missing"),
        ("SMY-2026-000200", "Tidak dijangka / Unexpected")]
    assert ctx["discrepancies"][0]["resolution"].startswith("Di klinik depot")
    # Counted is of those expected: 7 of 8, the eighth missing; the unexpected apart.
    assert (ctx["total_expected"], ctx["total_counted"], ctx["total_missing"],
            ctx["total_unexpected"], ctx["total_away"]) == ("8", "7", "1", "1", "0")
    pages = _pages(_pdf("headcount-sheet", ctx))
    assert len(pages) == 1
    text = pages[0]
    for words in ("Ditutup / Closed", "Sarjan Ali", "Tidak dijumpai / Missing",
                  "Moved this afternoon, record updated", "Dijangka / Expected"):
        assert words in text, words
    assert "DI LUAR DEPOT" not in text  # nobody was away when this count began


# --- the print jobs, counterfoils and reprints (both engines) -------------------------

@pytest.fixture
def held(db):
    """Two detainees in Blok A; the first went out to court with a production order."""
    warden = actor_for(db, "warden1")
    with db.write() as uow:
        a01 = factories.cell(uow, "Blok A", "A-01")
        first = factories.detainee(uow, "NGUYỄN VĂN AN", nationality="VNM", cell_id=a01)
        second = factories.detainee(uow, LONG_NAME, nationality="MYS", cell_id=a01)
        block_id = uow.session.get(Cell, a01).block_id
    with db.write() as uow:
        version = detainees.detail(uow, warden, first).version
        outings.go_out(uow, warden, OutRequest(
            detention_id=first, to="court", destination=COURT, reason="Sebutan kes",
            expected_version=version, escort="Kpl Rosli", authority="Perintah pengeluaran",
            document_ref="MK-KJG-83-123-2026"))
    return {"first": first, "second": second, "block_id": block_id, "warden": warden}


def test_custody_record_and_slip_print_with_counterfoils(db, held):
    warden = held["warden"]
    with db.write() as uow:
        record = jobs.print_form(uow, warden, "custody-record", [held["first"]])
    text = " ".join(_pages(record.pdf))
    for words in ("REKOD JAGAAN TAHANAN", "NGUYỄN VĂN AN", "Kemasukan / Admission",
                  "Keluar ke mahkamah / Out to court", COURT, "MK-KJG-83-123-2026",
                  "Warden1"):
        assert words in text, words
    with db.write() as uow:
        slip = custody_jobs.print_movement_slip(uow, warden, held["first"])
    d = slip.document
    with db.read() as uow:
        movement_id = detainees.detail(uow, warden, held["first"]).movements[0].id
    assert (d.form_code, d.subject_type, d.subject_id) == ("movement-slip", "movement",
                                                           movement_id)
    assert set(d.subjects) == {("movement", movement_id), ("detention", held["first"])}
    assert d.serial.endswith("-000002")  # after the custody record's
    assert "Pengiring / Escort Kpl Rosli" in _pages(slip.pdf)[0]
    with db.read() as uow:  # the slip is among the detainee's documents
        found = counterfoils.documents_for(uow, warden, "detention", held["first"])
    assert {x.form_code for x in found} == {"custody-record", "movement-slip"}
    with db.write() as uow:  # a reprint: the same movement under the same serial
        again = custody_jobs.reprint(uow, warden, d.id)
    assert again.document.serial == d.serial and again.document.reprint_of_id == d.id
    assert again.document.subject_id == movement_id
    assert "CETAKAN SEMULA / REPRINT" in _pages(again.pdf)[0]
    with db.write() as uow:  # other forms go through printing.jobs
        record_again = custody_jobs.reprint(uow, warden, record.document.id)
    assert record_again.document.serial == record.document.serial
    with db.write() as uow, pytest.raises(ValidationError, match="movement 999999 is not one"):
        custody_jobs.print_movement_slip(uow, warden, held["first"], 999999)


def test_roll_and_headcount_print_without_a_detention_subject(db, held):
    warden = held["warden"]
    with db.write() as uow:
        roll_job = custody_jobs.print_roll(uow, warden)
    d = roll_job.document
    assert (d.form_code, d.subject_type, d.subject_id, d.subjects) == ("roll", "roll", 0,
                                                                       (("roll", 0),))
    text = _pages(roll_job.pdf)[0]
    assert "DAFTAR TAHANAN DEPOT" in text and "Jumlah depot /" in text
    with db.write() as uow, pytest.raises(ValidationError, match="print a new roll"):
        custody_jobs.reprint(uow, warden, d.id)

    with db.write() as uow:
        count = headcount.start_count(uow, warden, held["block_id"]).value
    with db.write() as uow:
        sheet = custody_jobs.print_headcount(uow, warden, count.id)
    assert (sheet.document.subject_type, sheet.document.subject_id) == ("headcount", count.id)
    text = " ".join(_pages(sheet.pdf))
    # The second detainee is expected; the first is away at court: listed, not expected.
    assert LONG_NAME in text and "Terbuka / Open" in text
    assert "DI LUAR DEPOT" in text and "NGUYỄN VĂN AN" in text
    with db.write() as uow:
        again = custody_jobs.reprint(uow, warden, sheet.document.id)
    assert again.document.serial == sheet.document.serial
    with db.read() as uow:
        rows = uow.session.scalars(select(PrintedDocument.form_code)
                                   .order_by(PrintedDocument.id)).all()
    assert rows == ["roll", "headcount-sheet", "headcount-sheet"]  # the refused one: none


def test_a_failed_print_leaves_no_serial_used(db, held):
    warden = held["warden"]
    with pytest.raises(ValidationError), db.write() as uow:
        custody_jobs.print_movement_slip(uow, warden, held["second"], 424242)
    with db.write() as uow:
        job = custody_jobs.print_roll(uow, warden)
    assert job.document.serial.endswith("-000001")


# --- the command line -----------------------------------------------------------------

@pytest.fixture
def depot(db, monkeypatch, capsys):
    if print_cmds not in main.MODULES:
        monkeypatch.setattr(main, "MODULES", (*main.MODULES, print_cmds))
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main.main(["--db", db.url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_print_the_custody_forms_from_the_command_line(depot, db, held, tmp_path):
    with db.read() as uow:
        number = detainees.detail(uow, held["warden"], held["first"]).detainee_no
    code, out, err = depot("print", "custody-record", "--detainee", number, "-o",
                           str(tmp_path / "record.pdf"))
    assert code == 0, err
    code, out, err = depot("print", "movement-slip", "--detainee", number, "-o",
                           str(tmp_path / "slip.pdf"))
    assert code == 0, err
    assert re.search(r"Printed movement-slip SMY-DOC-\d{4}-000002 \(movement \d+\)", out)
    assert [x.text for x in decode((tmp_path / "slip.pdf").read_bytes(), 150)] == [number]
    code, out, err = depot("print", "roll", "-o", str(tmp_path / "roll.pdf"))
    assert code == 0 and "Printed roll" in out and "(roll)" in out, err
    with db.write() as uow:
        count = headcount.start_count(uow, held["warden"], held["block_id"]).value
    code, out, err = depot("print", "headcount-sheet", "--count", str(count.id), "-o",
                           str(tmp_path / "count.pdf"))
    assert code == 0, err
    serial = re.search(r"SMY-DOC-\d{4}-\d{6}", out).group(0)
    code, out, err = depot("print", "reprint", serial, "-o", str(tmp_path / "again.pdf"))
    assert code == 0 and "a reprint" in out, err
    code, out, err = depot("print", "roll", "--detainee", number, "-o", str(tmp_path / "x.pdf"))
    assert code != 0  # the roll is about the depot, not a detainee


def test_the_custody_forms_print_the_same_bytes_for_the_same_records():
    for code, record in (("roll", roll_sheet.context(roll_view())),
                         ("headcount-sheet", headcount_sheet.context(headcount_view(closed=False))),
                         ("movement-slip", movement_slip.context(custody_detail(), 2))):
        assert _pdf(code, record) == _pdf(code, record), code


def test_forms_not_about_detainees_are_refused_by_the_detainee_print_job(db):
    """The roll, a headcount sheet and a movement slip print through their own jobs; asked
    for by detainee they are refused, nothing printed and no serial taken."""
    from depot_app.errors import ValidationError as Refused
    from printing import jobs
    from tests.test_admission import actor_for

    warden = actor_for(db, "warden1")
    for code in ("roll", "headcount-sheet", "movement-slip"):
        with db.write() as uow, pytest.raises(Refused) as exc:
            jobs.print_form(uow, warden, code, [1])
        assert "print it from its own page" in exc.value.fields["form"]
