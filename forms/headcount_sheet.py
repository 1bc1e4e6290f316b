"""The headcount sheet of one block: everyone expected, cell by cell, with a box to tick.

Printed while the count is open it is the sheet to count with: an empty box (and room
for the time) for each detainee not yet counted, those already counted by scan shown with
their time, blank lines for anyone found who was not expected, and totals to write in.
Printed once the count is closed it is the record: who was counted when and how, every
discrepancy with its resolution, the totals, and who closed it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from depot_app.clock import to_local
from depot_app.readmodels import CountEntryView, HeadcountView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import LongTable, OptionalSection, TickColumn, place
from forms.property_receipt import Column, Signature

OPEN, CLOSED = ("Terbuka", "Open"), ("Ditutup", "Closed")
HOW = {"scan": ("Imbasan", "Scan"), "hand": ("Manual", "By hand")}
DISCREPANCY = {"missing": ("Tidak dijumpai", "Missing"),
               "unexpected": ("Tidak dijangka", "Unexpected")}
COUNTED = "\u2713"  # ✓
WRITE_IN = "\u00a0"  # an empty cell with its height, to write in
BLANK_LINES = 4  # lines for detainees found who were not expected, on an open sheet
WHOLE_DEPOT = ("Seluruh depot", "Whole depot")

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
                      Column("location", "Sel", "Cell", 1.0),
                      Column("detainee_no", "No. tahanan", "Detainee no.", 1.75),
                      Column("full_name", "Nama", "Name", 3.0),
                      TickColumn("counted", "Dikira", "Counted", 0.75),
                      Column("how", "Masa dan cara", "Time and how", 1.45),
                      Column("remarks", "Catatan", "Remarks", 1.4),
                  )),
    ), columns=1),
    # The service lists those away only while the count is open.
    OptionalSection("Di luar depot", "Away from the depot", (
        FieldDef("away", "Dalam daftar blok tetapi di luar depot: tidak dikira",
                 "On the block's roll but away: not counted", "table", columns=(
                     Column("no", "Bil.", "No.", 0.45, align="right"),
                     Column("detainee_no", "No. tahanan", "Detainee no.", 1.75),
                     Column("full_name", "Nama", "Name", 4.1),
                     Column("location", "Di mana", "Where", 2.5),
                 )),
    ), columns=1, when="is_open"),
    SectionDef("Percanggahan dan jumlah", "Discrepancies and totals", (
        FieldDef("total_expected", "Dijangka", "Expected"),
        FieldDef("total_counted", "Dikira", "Counted"),
        FieldDef("total_missing", "Tidak dijumpai", "Missing"),
        FieldDef("total_unexpected", "Tidak dijangka", "Unexpected"),
        LongTable("discrepancies", "Tidak dijumpai, atau dijumpai tetapi tidak dijangka",
                  "Missing, or found but not expected", columns=(
                      Column("no", "Bil.", "No.", 0.45, align="right"),
                      Column("detainee_no", "No. tahanan", "Detainee no.", 1.75),
                      Column("full_name", "Nama", "Name", 2.3),
                      Column("discrepancy", "Percanggahan", "Discrepancy", 1.3),
                      Column("location", "Di mana sekarang", "Where now", 1.3),
                      Column("resolution", "Penyelesaian", "Resolution", 2.6),
                  )),
    ), columns=4),
    SectionDef("Pengesahan", "Certification", (
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
    return "\n".join(x for x in (_time(e.counted_at, started), how) if x)


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
        if closed and e.discrepancy == "missing" and not remarks:
            remarks = bilingual(*DISCREPANCY["missing"])
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
             "location": place(e.location), "resolution": e.resolution}
            for n, e in enumerate(found, 1)]
    if not closed:
        rows += [{"no": str(len(rows) + i), **{k: WRITE_IN for k in (
                      "detainee_no", "full_name", "discrepancy", "location", "resolution")}}
                 for i in range(1, BLANK_LINES + 1)]
    return rows


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
        "away": [{"no": str(n), "detainee_no": e.detainee_no,
                  "full_name": vocab.name(e.full_name), "location": place(e.location)}
                 for n, e in enumerate(count.away, 1)],
        "discrepancies": _discrepancies(count, closed),
        "total_expected": str(count.expected),
        "total_counted": str(count.counted) if closed else blank,
        "total_missing": str(len(count.missing)) if closed else blank,
        "total_unexpected": str(len(count.unexpected)) if closed else blank,
        "counting_officer": count.closed_by if closed else "",
        "duty_officer": "",
    }


FORM = FormDef(
    code="headcount-sheet", title_ms="Helaian kiraan kepala", title_en="Headcount sheet",
    sections=SECTIONS, page_size=A4, layout="document", subject_type="headcount",
    context=context, note_ms="Kiraan tahanan mengikut blok", note_en="Count of detainees, by block",
)
