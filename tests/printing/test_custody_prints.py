"""What the reviewer's prints showed, fixed: a headcount sheet whose totals add up and on
which every entry of the count appears; movement slips that say the right thing for a
return, a death and an abscondment; the custody record's from and to; a roll that keeps
to one landscape page for a dozen blocks and a dozen nationalities, with the detainees
held in closed cells in its header, and whose signatures never stand alone on a page.
Read models built by hand (no database); the PDFs read back as text."""

from __future__ import annotations

import datetime as dt

from depot_app.readmodels import CountEntryView, CountLine, HeadcountView, MovementView, RollView
from forms import custody_record, headcount_sheet, movement_slip, registry, roll_sheet
from forms.base import document_context
from printing import render
from tests.printing.custody_samples import (
    ADMITTED,
    COURT,
    HOSPITAL,
    custody_detail,
    headcount_view,
    roll_line,
)
from tests.printing.helpers import raw_pages

PRINTED = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)
STARTED = ADMITTED + dt.timedelta(days=1)


def _pdf(code: str, record: dict) -> bytes:
    form = registry.get(code)
    context = document_context(form, [record], depot_name="Depot Imigresen Semenyih",
                               serial="SMY-DOC-2026-000042", printed_at=PRINTED,
                               printed_by="Warden Lim")
    return render(form, context, invariant=True)


# --- the headcount sheet --------------------------------------------------------------

def _entry(n: int, name: str, *, expected: bool, counted: int | None = None, how="scan",
           location="Blok A / A-01", resolution="", **flags) -> CountEntryView:
    at = STARTED + dt.timedelta(minutes=counted) if counted is not None else None
    return CountEntryView(n, f"SMY-2026-{n:06d}", name, location, expected, at,
                          how if at else "", resolution, cell=location if expected else "",
                          **flags)


def every_kind(status: str = "closed") -> HeadcountView:
    """A count of Blok A with an entry of every kind."""
    entries = (
        _entry(101, "AUNG KYAW OO", expected=True, counted=2),
        _entry(102, "SITI", expected=True, counted=4, how="hand"),
        _entry(103, "MD JAHANGIR ALAM", expected=True,
               resolution="Di klinik depot / At the depot clinic"),
        # Expected, counted, but recorded as out of the depot: the record disagrees.
        _entry(104, "JOSÉ MARÍA PEÑA", expected=True, counted=6, location="Out: hospital",
               away_now=True, resolution="Kembali dari hospital, rekod dikemas kini"),
        # Counted here, not on the block's roll.
        _entry(201, "TRẦN QUỐC BẢO", expected=False, counted=8, location="Blok B / B-07",
               resolution="Dipindahkan petang ini / Moved this afternoon"),
        # Away when the count began, back and counted.
        _entry(301, "WANJIRŨ NJOROGE", expected=False, counted=10, away_at_start=True),
        # Away when the count began, back in the block, not seen.
        _entry(302, "RAM BAHADUR THAPA MAGAR", expected=False, location="Blok A / A-02",
               away_at_start=True, back_unseen=True, resolution="Di bilik mandi / Washing"),
    )
    away = (_entry(303, "KHIN MYAT NOE", expected=False, location="Out: court",
                   away_at_start=True, away_now=True),
            # Away when the count began, back since but in another block: not seen here.
            _entry(304, "NGUYỄN THỊ LAN", expected=False, location="Blok B / B-02",
                   away_at_start=True))
    closed = status == "closed"
    return HeadcountView(
        id=14, version=9, block_id=1, block_name="Blok A", status=status, started_at=STARTED,
        started_by="Warden Lim", closed_at=STARTED + dt.timedelta(minutes=30) if closed
        else None, closed_by="Sarjan Ali" if closed else "", entries=entries, away=away)


def test_every_entry_of_a_count_is_on_the_sheet_and_the_totals_add_up():
    count = every_kind()
    numbers = {e.detainee_no for e in (*count.entries, *count.away)}
    assert len(numbers) == 9
    ctx = headcount_sheet.context(count)
    listed = {key: [r["detainee_no"] for r in ctx[key] if r["detainee_no"].strip()]
              for key in ("expected", "away", "discrepancies")}
    # Each entry among the people once: expected, away at the start, or found unexpected.
    people = listed["expected"] + listed["away"] + [
        n for n in listed["discrepancies"] if n not in listed["expected"] + listed["away"]]
    assert sorted(people) == sorted(numbers)
    assert listed["expected"] == ["SMY-2026-000101", "SMY-2026-000102", "SMY-2026-000103",
                                  "SMY-2026-000104"]
    assert listed["away"] == ["SMY-2026-000301", "SMY-2026-000302", "SMY-2026-000303",
                              "SMY-2026-000304"]
    assert sorted(listed["discrepancies"]) == ["SMY-2026-000103", "SMY-2026-000104",
                                               "SMY-2026-000201", "SMY-2026-000302"]
    # What became of those away: back and counted (with the time), back unseen, still out.
    assert [r["outcome"] for r in ctx["away"]] == [
        "Kembali, dikira / Back, counted 01:40 (Imbasan / Scan)",
        "Kembali ke blok, tidak dikira / Back in the block, not counted",
        "Masih di luar / Still away",
        "Tidak lagi di luar; tidak dikira di sini / No longer out; not counted here"]
    # Counted is of those expected: 4 expected = 3 counted + 1 missing; the unexpected
    # apart; the four away at the start apart, with what became of them.
    assert (ctx["total_expected"], ctx["total_counted"], ctx["total_missing"],
            ctx["total_unexpected"], ctx["total_away"]) == (
        "4", "3", "1", "2",
        "4 (1 dikira / counted; 1 kembali, tidak dikira / back, not counted)")
    t = headcount_sheet.totals(count)
    assert t["expected"] == t["counted"] + t["missing"]
    assert t["counted"] != count.counted  # the read model's "counted" counts every tick

    text = " ".join(raw_pages(_pdf("headcount-sheet", ctx)))
    for number in numbers:
        assert number in text, number
    for words in ("DI LUAR DEPOT SEMASA KIRAAN BERMULA / Away when the count began",
                  "Dikira / Counted (of those expected)", "Back, counted 01:40",
                  "Kembali dari hospital, rekod dikemas kini", "Di bilik mandi / Washing"):
        assert words in text, words


def test_an_open_sheet_lists_everyone_too_and_keeps_its_signatures_with_the_table():
    count = every_kind("open")
    ctx = headcount_sheet.context(count)
    assert ctx["is_open"] and ctx["has_away"]
    assert not ctx["total_counted"].strip()  # to write in by hand
    pages = raw_pages(_pdf("headcount-sheet", ctx))
    text = " ".join(pages)
    for e in (*count.entries, *count.away):
        assert e.detainee_no in text, e.detainee_no
    # The sample's open sheet takes two pages: the certification is not alone on the last,
    # the table of discrepancies goes with it.
    sample = raw_pages(_pdf("headcount-sheet", headcount_sheet.context(
        headcount_view(closed=False))))
    assert len(sample) == 2
    assert "PENGESAHAN / Certification" in sample[-1]
    assert "Tidak dijumpai, atau dijumpai tetapi tidak dijangka" in sample[-1]


def test_a_closed_sample_count_still_fits_one_page():
    pages = raw_pages(_pdf("headcount-sheet", headcount_sheet.context(
        headcount_view(closed=True))))
    assert len(pages) == 1 and "PENGESAHAN / Certification" in pages[0]


# --- the movement slip and the custody record -----------------------------------------

def _with(*extra: MovementView):
    d = custody_detail(movement_count=2)
    return custody_detail(movements=(*extra, *d.movements))


def test_a_return_slip_comes_from_court_and_is_handed_back():
    back = MovementView(ADMITTED + dt.timedelta(hours=9), "return", "Returned",
                        "Remanded 14 days", "Sarjan Ali", id=3, destination=COURT,
                        from_place=COURT, to_place="Blok A / A-01")
    ctx = movement_slip.context(_with(back), 3)
    assert (ctx["from_place"], ctx["to_place"]) == (COURT, "Blok A / A-01")
    assert ctx["is_return"] and not ctx["is_handover"] and not ctx["is_record"]
    text = raw_pages(_pdf("movement-slip", ctx))[0]
    assert f"Dari / From {COURT}" in text
    for words in ("PENYERAHAN SEMULA KE DEPOT / Handing back to the depot",
                  "I hand the detainee named above back to the depot.",
                  "I have received the detainee named above back into the depot's custody."):
        assert words in text, words
    assert "into my custody" not in text and "PENGIRING" not in text


def test_a_death_slip_is_a_record_not_a_hand_over():
    died = MovementView(ADMITTED + dt.timedelta(days=3), "death", "Died",
                        "Cause as certified: Acute myocardial infarction", "Warden Lim", id=4,
                        authority="Certified by Dr Siti Aminah", destination=HOSPITAL,
                        from_place="Blok A / A-01", to_place="")
    ctx = movement_slip.context(_with(died), 4)
    assert ctx["to_place"] == "" and ctx["is_record"] and not ctx["is_handover"]
    assert ctx["reason"].endswith(f"Tempat / Place: {HOSPITAL}")
    assert ctx["recording_officer"] == "Warden Lim"
    text = raw_pages(_pdf("movement-slip", ctx))[0]
    for words in ("Meninggal dunia / Died", "REKOD PERGERAKAN / Record of the movement",
                  "I certify that this movement is recorded as above.",
                  "Pegawai yang merekod / Recording officer", "Nama / Name: Warden Lim"):
        assert words in text, words
    for words in ("into my custody", "PENYERAHAN", "Handing over", "Officer handing over"):
        assert words not in text, words
    row = custody_record.movement_rows(_with(died).movements)[-1]
    assert (row["to_place"], row["details"].splitlines()[1]) == ("", f"Tempat / Place: "
                                                                     f"{HOSPITAL}")


def test_an_abscondment_slip_goes_nowhere_and_says_where_last_seen():
    gone = MovementView(ADMITTED + dt.timedelta(days=3), "abscond", "Absconded",
                        "Tidak dijumpai semasa kiraan pagi", "Warden Lim", id=5,
                        authority="Police report", document_ref="KJG/4471/26",
                        destination="Dewan makan, 07:15", from_place="Blok A / A-01",
                        to_place="Dewan makan, 07:15")
    ctx = movement_slip.context(_with(gone), 5)
    assert ctx["to_place"] == "" and ctx["is_record"]
    assert "Kali terakhir dilihat / Last seen: Dewan makan, 07:15" in ctx["reason"]
    text = raw_pages(_pdf("movement-slip", ctx))[0]
    assert "REKOD PERGERAKAN" in text and "into my custody" not in text


def test_the_custody_record_prints_the_read_models_from_and_to():
    """No fix-up of its own: a return reads from where the read model says."""
    rows = custody_record.movement_rows(custody_detail(movement_count=6).movements)
    back = rows[2]
    assert (back["kind"], back["from_place"], back["to_place"]) == (
        "Kembali / Returned", COURT, "Blok A / A-01")
    odd = MovementView(ADMITTED, "return", "Returned", "", "Sarjan Ali", id=9,
                       destination=COURT, from_place="Hospital Serdang", to_place="Blok A / A-01")
    assert custody_record.movement_rows((odd,))[0]["from_place"] == "Hospital Serdang"


# --- the roll -------------------------------------------------------------------------

def big_roll(blocks: int, nationalities: int) -> RollView:
    lines = tuple(roll_line(chr(65 + i), f"Blok {chr(65 + i)} (Lelaki dewasa)")
                  for i in range(blocks))
    reception = roll_line("", "Reception", capacity=0, in_cell=0, out=0, out_by_reason=(),
                          unallocated=5, vacancies=0, cells=0, cells_out_of_service=0)
    total = roll_line("*", "Depot", over_capacity=2, overcrowded_cells=("Blok B / B-03",),
                      held_out_of_service=3, closed_cells=("Blok A / A-04", "Blok C / C-02"))
    return RollView("Depot Imigresen Semenyih", ADMITTED, (*lines, reception), total,
                    tuple(CountLine(f"Warganegara {n:02d}", 40 - n)
                          for n in range(nationalities)))


def test_the_roll_header_names_the_cells_out_of_service_still_holding_detainees():
    ctx = roll_sheet.context(big_roll(2, 3))
    assert ctx["closed_cells"] == "3 dalam / in Blok A / A-04, Blok C / C-02"
    text = raw_pages(_pdf("roll", ctx))[0]
    assert ("Sel terlebih muatan / Overcrowded cells Blok B / B-03 Dalam sel ditutup / Held "
            "in closed cells 3 dalam / in Blok A / A-04, Blok C / C-02") in text


def test_a_dozen_blocks_and_a_dozen_nationalities_keep_to_one_page():
    pages = raw_pages(_pdf("roll", roll_sheet.context(big_roll(12, 12))))
    assert len(pages) == 1
    text = pages[0]
    assert "Blok L (Lelaki dewasa)" in text and "Warganegara 11" in text
    assert "Pegawai bertugas / Duty officer" in text
    assert "Penerimaan / Reception 5 0 0" in text  # on roll, capacity, in cell


def test_a_longer_roll_takes_the_signatures_over_with_the_nationalities():
    pages = raw_pages(_pdf("roll", roll_sheet.context(big_roll(16, 14))))
    assert len(pages) == 2
    assert "Blok P (Lelaki dewasa)" in pages[0] and "Jumlah depot / Depot total" in pages[0]
    assert "Pegawai bertugas / Duty officer" in pages[1]
    assert "Tahanan dalam daftar mengikut warganegara" in pages[1]  # not alone
    assert "Daftar pada / Roll as at 21/11/2026 01:30" in pages[1]
