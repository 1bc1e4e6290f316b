"""The headcount sheet of one block: everyone expected, cell by cell, with a box to tick.

Printed while the count is open it is the sheet to count with: an empty box (and room
for the time) for each detainee not yet counted, those already counted by scan shown with
their time, blank lines for anyone found who was not expected, and totals to write in.
Printed once the count is closed it is the record: who was counted when and how, every
discrepancy with its resolution, the totals, and who closed it.

Every entry of the count is on the sheet, once among the people: the expected in the
first table (counted or missing), those out of the depot when the count began in the
away table (still away, back and counted, or back and not seen), and anyone counted who
was not expected among the discrepancies (a missing or unexpected detainee is also listed
there, with the resolution). The totals keep them apart: "counted" is of those expected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from depot_app.clock import to_local
from depot_app.readmodels import CountEntryView, HeadcountView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, LongTable, OptionalSection, TickColumn, place
from forms.property_receipt import Column, Signature

OPEN, CLOSED = ("Terbuka", "Open"), ("Ditutup", "Closed")
HOW = {"scan": ("Imbasan", "Scan"), "hand": ("Manual", "By hand")}
DISCREPANCY = {"missing": ("Tidak dijumpai", "Missing"),
               "unexpected": ("Tidak dijangka", "Unexpected")}
COUNTED = "\u2713"  # ✓
WRITE_IN = "\u00a0"  # an empty cell with its height, to write in
BLANK_LINES = 4  # lines for detainees found who were not expected, on an open sheet
WHOLE_DEPOT = ("Seluruh depot", "Whole depot")
STILL_AWAY = ("Masih di luar", "Still away")
BACK_UNSEEN = ("Kembali ke blok, tidak dikira", "Back in the block, not counted")
BACK_COUNTED = ("Kembali, dikira", "Back, counted")
# No longer out, but not back in this block (elsewhere in the depot, or left custody).
BACK_ELSEWHERE = ("Tidak lagi di luar; tidak dikira di sini", "No longer out; not counted here")
COUNTED_BUT_OUT = ("Dikira, tetapi direkod di luar depot", "Counted, but recorded as out")



SECTIONS = (
    SectionDef("Butiran kiraan", "The count", (
        FieldDef("block_name", "Blok", "Block", "name"),
        FieldDef("status", "Status", "Status"),
        FieldDef("count_no", "No. kiraan", "Count no."),
        FieldDef("started", "Dimulakan pada, oleh", "Started at, by"),
        FieldDef("closed", "Ditutup pada, oleh", "Closed at, by"),
    ), columns=5),
    SectionDef("Tahanan yang dijangka", "Detainees expected", (
        LongTable("expected", "Setiap tahanan yang dijangka, mengikut sel",
                  "Every detainee expected, by cell", columns=(
                      Column("no", "Bil.", "No.", 0.45, align="right"),
                      Column("location", "Sel", "Cell", 0.9),
                      Column("detainee_no", "No. tahanan", "Detainee no.", 1.65),
                      Column("full_name", "Nama", "Name", 2.6),
                      TickColumn("counted", "Dikira", "Counted", 0.7),
                      Column("how", "Masa dan cara", "Time and how", 2.0),
                      Column("remarks", "Catatan", "Remarks", 1.5),
                  )),
    ), columns=1),
    OptionalSection("Di luar depot semasa kiraan bermula", "Away when the count began", (
        FieldDef("away", "Dalam daftar blok, di luar depot ketika kiraan bermula",
                 "On the block's roll, out of the depot when the count began", "table",
                 columns=(
                     Column("no", "Bil.", "No.", 0.45, align="right"),
                     Column("detainee_no", "No. tahanan", "Detainee no.", 1.75),
                     Column("full_name", "Nama", "Name", 2.9),
                     Column("location", "Di mana sekarang", "Where now", 1.6),
                     Column("outcome", "Semasa kiraan", "During the count", 2.1),
                 )),
    ), columns=1, when="has_away"),
    SectionDef("Percanggahan dan jumlah", "Discrepancies and totals", (
        FieldDef("total_expected", "Dijangka", "Expected"),
        FieldDef("total_counted", "Dikira", "Counted (of those expected)"),
        FieldDef("total_missing", "Tidak dijumpai", "Missing"),
        FieldDef("total_unexpected", "Tidak dijangka", "Unexpected"),
        FieldDef("total_away", "Di luar ketika mula", "Away at start"),
        FieldDef("discrepancies", "Tidak dijumpai, atau dijumpai tetapi tidak dijangka",
                 "Missing, or found but not expected", "table", columns=(
                     Column("no", "Bil.", "No.", 0.45, align="right"),
                     Column("detainee_no", "No. tahanan", "Detainee no.", 1.65),
                     Column("full_name", "Nama", "Name", 2.6),
                     Column("discrepancy", "Percanggahan", "Discrepancy", 1.3),
                     Column("location", "Di mana sekarang", "Where now", 1.3),
                     Column("resolution", "Penyelesaian", "Resolution", 2.4),
                 )),
    ), columns=5),
    # The signatures go with the discrepancies and totals: never alone on a page.
    KeptSection("Pengesahan", "Certification", (
        Signature("counting_officer", "Pegawai yang mengira", "Counting officer",
                  declaration_ms="Saya telah mengira tahanan seperti dicatat di atas.",
                  declaration_en="I counted the detainees as recorded above."),
        Signature("duty_officer", "Pegawai bertugas", "Duty officer",
                  declaration_ms="Saya telah menyemak kiraan ini dan percanggahannya.",
                  declaration_en="I have checked this count and its discrepancies."),
    )),
)


def _time(at: dt.datetime, started: dt.datetime) -> str:
    """The time counted; the date too when it is not the day the count started."""
    if to_local(at).date() == to_local(started).date():
        return f"{to_local(at):%H:%M}"
    return vocab.moment(at)


def _how(e: CountEntryView, started: dt.datetime) -> str:
    if e.counted_at is None:
        return WRITE_IN
    how = vocab.word(HOW, e.counted_by) if e.counted_by else ""
    return " ".join(x for x in (_time(e.counted_at, started), how) if x)  # one line


def _counted(e: CountEntryView, closed: bool) -> str:
    if e.counted_at is not None:
        return COUNTED
    return "\u2013" if closed else ""  # closed: a dash, not a box left to tick


def _cell(location: str, block_name: str) -> str:
    """A cell of the block counted as its code alone ("A-01"): the sheet names the block."""
    prefix = f"{block_name} / "
    if block_name and location.startswith(prefix):
        return location.removeprefix(prefix)
    return place(location)


def _expected(count: HeadcountView, closed: bool) -> list[dict[str, str]]:
    rows = []
    for n, e in enumerate((e for e in count.entries if e.expected), 1):
        remarks = e.resolution if e.discrepancy else ""
        if closed and e.discrepancy and not remarks:
            remarks = bilingual(*DISCREPANCY[e.discrepancy])
        rows.append({"no": str(n), "location": _cell(e.cell or e.location, count.block_name),
                     "detainee_no": e.detainee_no,
                     "full_name": vocab.name(e.full_name), "counted": _counted(e, closed),
                     "how": _how(e, count.started_at), "remarks": remarks or WRITE_IN})
    return rows


def _discrepancies(count: HeadcountView, closed: bool) -> list[dict[str, str]]:
    # Open, "missing" means only "not counted yet": the sheet lists the unexpected so far.
    found = [*count.missing, *count.unexpected] if closed else list(count.unexpected)
    rows = [{"no": str(n), "detainee_no": e.detainee_no, "full_name": vocab.name(e.full_name),
             "discrepancy": vocab.word(DISCREPANCY, e.discrepancy),
             "location": _cell(e.location, count.block_name), "resolution": e.resolution}
            for n, e in enumerate(found, 1)]
    if not closed:
        rows += [{"no": str(len(rows) + i), **{k: WRITE_IN for k in (
                      "detainee_no", "full_name", "discrepancy", "location", "resolution")}}
                 for i in range(1, BLANK_LINES + 1)]
    return rows


def away_entries(count: HeadcountView) -> list[CountEntryView]:
    """Everyone on the block's roll who was out of the depot when the count began: those
    back since (counted, or not seen: among the entries) and those still away."""
    back = [e for e in count.entries if e.away_at_start and not e.expected]
    return [*back, *count.away]


def _outcome(e: CountEntryView, started: dt.datetime) -> str:
    if e.counted_at is not None:
        words = COUNTED_BUT_OUT if e.discrepancy == "unexpected" else BACK_COUNTED
        how = f" ({vocab.word(HOW, e.counted_by)})" if e.counted_by else ""
        return f"{bilingual(*words)} {_time(e.counted_at, started)}{how}"
    if e.back_unseen:
        return bilingual(*BACK_UNSEEN)
    return bilingual(*(STILL_AWAY if e.away_now else BACK_ELSEWHERE))


def _away(count: HeadcountView) -> list[dict[str, str]]:
    return [{"no": str(n), "detainee_no": e.detainee_no, "full_name": vocab.name(e.full_name),
             "location": _cell(e.location, count.block_name),
             "outcome": _outcome(e, count.started_at)}
            for n, e in enumerate(away_entries(count), 1)]


def totals(count: HeadcountView) -> dict[str, int]:
    """The figures of a closed count, each entry in one place: those expected are counted
    or missing (expected = counted + missing); the unexpected apart; those away at the start
    apart, with how many came back and were counted, or came back and were not seen."""
    expected = [e for e in count.entries if e.expected]
    away = away_entries(count)
    return {
        "expected": len(expected),
        "counted": sum(1 for e in expected if e.counted_at is not None),
        "missing": sum(1 for e in expected if e.counted_at is None),
        "unexpected": len(count.unexpected),
        "away": len(away),
        "away_back_counted": sum(1 for e in away if e.counted_at is not None),
        "away_back_unseen": sum(1 for e in away if e.back_unseen),
    }


def _totals(count: HeadcountView) -> dict[str, str]:
    t = totals(count)
    missing = str(t["missing"])
    away = str(t["away"])
    back = [f"{t['away_back_counted']} dikira / counted"] if t["away_back_counted"] else []
    if t["away_back_unseen"]:
        back.append(f"{t['away_back_unseen']} kembali, tidak dikira / back, not counted")
    if back:
        away += f" ({'; '.join(back)})"
    return {"total_expected": str(t["expected"]), "total_counted": str(t["counted"]),
            "total_missing": missing, "total_unexpected": str(t["unexpected"]),
            "total_away": away}


def context(count: HeadcountView) -> dict[str, Any]:
    closed = count.status == "closed"
    blank = WRITE_IN + "\n" + WRITE_IN  # a total to write in by hand
    return {
        "headcount_id": count.id,
        "running_head": f"{count.block_name or bilingual(*WHOLE_DEPOT)} · "
                        f"No. kiraan / Count no. {count.id}",
        "block_name": count.block_name or bilingual(*WHOLE_DEPOT),
        "status": bilingual(*(CLOSED if closed else OPEN)),
        "is_open": not closed,
        "count_no": str(count.id),
        "started": f"{vocab.moment(count.started_at)}\n{count.started_by}",
        "closed": f"{vocab.moment(count.closed_at)}\n{count.closed_by}" if closed else blank,
        "expected": _expected(count, closed),
        "has_away": bool(away_entries(count)),
        "away": _away(count),
        "discrepancies": _discrepancies(count, closed),
        **(_totals(count) if closed else {
            "total_expected": str(count.expected), "total_counted": blank,
            "total_missing": blank, "total_unexpected": blank,
            "total_away": str(len(away_entries(count)))}),
        "counting_officer": count.closed_by if closed else "",
        "duty_officer": "",
    }


FORM = FormDef(
    code="headcount-sheet", title_ms="Helaian kiraan kepala", title_en="Headcount sheet",
    sections=SECTIONS, page_size=A4, layout="document", subject_type="headcount",
    context=context, note_ms="Kiraan tahanan mengikut blok", note_en="Count of detainees, by block",
)
