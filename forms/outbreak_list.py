"""The outbreak list: everyone held in a block (or the whole depot) whose latest examination
carries one communicable-disease flag, to notify the district health office. It names a
diagnosis against each person: SULIT / CONFIDENTIAL, medical staff only.

A4 landscape: the condition, depot, block and the time the list was drawn, how many (and
how many isolated); a block to fill in by hand when the list is sent (to which district
health office, by whom, when, how), at the top where it is seen first; then a line per
detainee (no., name, sex, date of birth, nationality, where held, when examined and by
whom, isolated or not), running on over pages with its headings repeated and the list
named at the top of each later page; then who prepared it and the medical officer sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from depot_app.services.medical.views import OutbreakList, OutbreakRow
from forms import vocab
from forms.base import FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, LongTable, place
from forms.medical_exam import CONFIDENTIAL_EN, CONFIDENTIAL_MS, SULIT, word
from forms.property_receipt import Column, Signature
from forms.roll_sheet import A4_LANDSCAPE

ALL_BLOCKS = ("Semua blok", "All blocks")
WRITE_IN = "\u00a0\n\u00a0"  # room to write by hand, above the field's line

@dataclass(frozen=True)
class DenseTable(LongTable):
    """A long list of people on single lines where they fit: tighter rows."""

    dense: bool = True


SECTIONS = (
    # The notification is filled in by hand when the list is sent, at the top where it is
    # seen first.
    SectionDef("Senarai dan pemberitahuan", "The list and its notification", (
        FieldDef("condition", "Penyakit", "Condition", "name", span=2),
        FieldDef("depot", "Depot", "Depot"),
        FieldDef("block", "Blok", "Block"),
        FieldDef("as_of", "Pada", "As at"),
        FieldDef("count", "Bilangan tahanan", "Number of detainees"),
        FieldDef("notified_to", "Dimaklumkan kepada (Pejabat Kesihatan Daerah)",
                 "Notified to (district health office)", span=2),
        FieldDef("notified_by", "Dimaklumkan oleh", "Notified by"),
        FieldDef("notified_on", "Pada (tarikh dan masa)", "On (date and time)"),
        FieldDef("means", "Cara dan rujukan", "Means and reference", span=2),
    ), columns=6),
    SectionDef("Tahanan", "Detainees", (
        DenseTable("rows", "Tahanan dalam jagaan yang pemeriksaan terkininya mencatatkannya",
                   "Everyone in custody whose latest examination records it", columns=(
                       Column("no", "Bil.", "No.", 0.45, align="right"),
                       Column("detainee_no", "No. tahanan", "Detainee no.", 1.5),
                       Column("full_name", "Nama", "Name", 3.0),
                       Column("sex", "Jantina", "Sex", 0.6, align="center"),
                       Column("date_of_birth", "Tarikh lahir", "Date of birth", 1.0),
                       Column("nationality", "Warganegara", "Nationality", 0.9),
                       Column("location", "Tempat ditahan", "Where held", 1.35),
                       Column("examined_at", "Diperiksa", "Examined", 1.4),
                       Column("examiner", "Pemeriksa", "Examiner", 1.7),
                       Column("isolated", "Diasingkan", "Isolated", 1.0, align="center"),
                   )),
    ), columns=1),
    # The signatures go on the page where the list ends.
    KeptSection("Pengesahan", "Certification", (
        Signature("prepared_by", "Disediakan oleh", "Prepared by"),
        Signature("medical_officer", "Pegawai perubatan yang bertanggungjawab",
                  "Medical officer in charge"),
    )),
)


def _where(location: str, block_name: str) -> str:
    """A cell of the block listed as its code alone ("A-01"): the header names the block."""
    prefix = f"{block_name} / "
    if block_name and location.startswith(prefix):
        return location.removeprefix(prefix)
    return place(location) or bilingual("Belum ditempatkan", "Unallocated")


def _row(n: int, r: OutbreakRow, block_name: str) -> dict[str, str]:
    return {"no": str(n), "detainee_no": r.detainee_no, "full_name": vocab.name(r.full_name),
            "sex": vocab.SEX_SHORT.get(r.sex, r.sex), "date_of_birth": vocab.day(r.date_of_birth),
            "nationality": r.nationality, "location": _where(r.location, block_name),
            "examined_at": vocab.moment(r.examined_at),
            "examiner": vocab.name(r.examiner_name),
            "isolated": isolation_words(r)}


def isolation_words(r: OutbreakRow) -> str:
    """What public health must know: isolated in fact (yes), ordered but not yet moved to
    an isolation cell (not yet), or not ordered (no)."""
    if r.in_isolation_cell:
        return vocab.yes_no(True)
    if r.isolate:
        return bilingual("Belum", "Not yet")
    return vocab.yes_no(False)


def context(view: OutbreakList, printed_by: str = "") -> dict[str, Any]:
    """The list as drawn; ``printed_by`` is named under "Prepared by"."""
    block = view.block_name if view.block_code else bilingual(*ALL_BLOCKS)
    isolated = sum(1 for r in view.rows if r.in_isolation_cell)
    count = str(len(view.rows))
    if view.rows:  # isolated in fact (the table says who is ordered but not yet moved)
        count += f" ({isolated} diasingkan / isolated)"
    condition = word("COMMUNICABLE", view.condition)
    return {
        "running_head": f"{SULIT} · {condition} · {block} · {vocab.moment(view.as_of)}",
        "condition_code": view.condition,
        "block_code": view.block_code,
        "condition": condition,
        "depot": view.depot_name,
        "block": block,
        "as_of": vocab.moment(view.as_of),
        "count": count,
        "rows": [_row(n, r, view.block_name if view.block_code else "")
                 for n, r in enumerate(view.rows, 1)],
        "notified_to": WRITE_IN, "notified_by": WRITE_IN, "notified_on": WRITE_IN,
        "means": WRITE_IN,
        "prepared_by": printed_by, "medical_officer": "",
    }


FORM = FormDef(
    code="outbreak-list", title_ms="Senarai wabak penyakit berjangkit",
    title_en="Communicable disease outbreak list", sections=SECTIONS,
    page_size=A4_LANDSCAPE, layout="document", subject_type="outbreak", context=context,
    note_ms=CONFIDENTIAL_MS, note_en=CONFIDENTIAL_EN, confidential=True,
)
