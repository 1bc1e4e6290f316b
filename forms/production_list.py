"""The production list: everyone to be produced before a Magistrate at one court on one
day (s.51(5)), for the escort to take and the court to receive.

A4 portrait, because a line per person is as tall as the photo: the court, the day, the
depot, how many (and how many after their authority has run out), the escorts; then a
line per detainee in court order: the photo (a clear "no photo" box without one), the name,
the detainee number as Code 128 to scan at the court and back at the gate, nationality,
sex, date of birth and age, the cell to fetch them from; the time and purpose (and where
the production stands, when it has gone to court already); the section they are held
under and until when the authority runs ("SELEPAS TAMAT KUASA / AFTER EXPIRY" printed
white on black when the production comes too late); the escort; a box for the court to
tick when produced. The lines run on over pages with their headings repeated; then the
escorting officer signs for the detainees taken, and the court for those received.

Two extensions of the definitions live here until ``printing/document.py`` takes them:
``PhotoColumn`` (a photo in each line) and ``StackColumn`` (values one under another,
each drawn as its kind: a name, a barcode, text, an alert), in a ``ListSection``.
``printing.render`` draws them; every column also has a plain-text value, so
the ordinary renderer still prints a readable list (without photos or barcodes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from depot_app.services.court.views import ProductionList, ProductionView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, LongTable, TickColumn, place
from forms.detention_order import word
from forms.property_receipt import Column, Signature

AFTER_EXPIRY = ("SELEPAS TAMAT KUASA", "AFTER EXPIRY")
NO_AUTHORITY = ("TIADA KUASA", "NO AUTHORITY")
WEEKDAYS = (("Isnin", "Monday"), ("Selasa", "Tuesday"), ("Rabu", "Wednesday"),
            ("Khamis", "Thursday"), ("Jumaat", "Friday"), ("Sabtu", "Saturday"),
            ("Ahad", "Sunday"))
PART_KINDS = ("name", "barcode", "text", "bold", "alert")


@dataclass(frozen=True)
class PhotoColumn(Column):
    """A photo in each line: the row's bytes under ``source``, drawn small, or a box saying
    there is none. The column's own value (empty) is what a plain table prints."""

    kind: str = "photo"
    source: str = "_photo"


@dataclass(frozen=True)
class StackColumn(Column):
    """Several values one under another in a cell, each drawn as its kind (``PART_KINDS``:
    a name in bold, a Code 128 barcode with its text, text, bold text, an alert printed
    white on black); an empty value is left out. The column's own value is the same in
    plain text."""

    kind: str = "stack"
    parts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for key, kind in self.parts:
            if kind not in PART_KINDS:
                raise ValueError(f"column {self.key}: part {key} has unknown kind {kind!r}")


@dataclass(frozen=True)
class ListSection(SectionDef):
    """A section of long tables (its only fields) drawn by ``printing.render``:
    lines may hold a photo (``PhotoColumn``) or a stack of values with a barcode
    (``StackColumn``); a line with ``"_alert"`` prints white on black; the tables run on
    over pages with their headings repeated, and the last line stays with what follows (a
    ``KeptSection``'s signatures), under the headings again when that takes it to a new
    page. Printed only when the record's value under ``when`` is true, if it has one."""

    listing: bool = True
    when: str = ""


# Widths in millimetres of the 180 across A4: the number's bars and quiet zones need 67.
LIST = LongTable("rows", "Tahanan untuk dikemukakan, mengikut masa",
                 "Detainees to be produced, by time", columns=(
                     Column("no", "Bil.", "No.", 6.5, align="right"),
                     PhotoColumn("photo", "Foto", "Photo", 18.5),
                     StackColumn("detainee", "Tahanan", "Detainee", 67.5, parts=(
                         ("full_name", "name"), ("detainee_no", "barcode"),
                         ("particulars", "text"), ("where", "text"))),
                     StackColumn("when", "Masa dan tujuan", "Time and purpose", 24, parts=(
                         ("time", "bold"), ("purpose", "text"), ("status", "bold"))),
                     StackColumn("authority", "Ditahan di bawah, kuasa sehingga",
                                 "Held under, authority until", 27, parts=(
                                     ("section", "bold"), ("valid_until", "text"),
                                     ("late", "alert"))),
                     Column("escort", "Pengiring", "Escort", 19),
                     TickColumn("produced", "Dikemukakan", "Produced", 17.5),
                 ))

SECTIONS = (
    SectionDef("Senarai pengeluaran", "Production list", (
        FieldDef("court", "Mahkamah", "Court", "name", span=2),
        FieldDef("day", "Tarikh", "Date", "name"),
        FieldDef("count", "Bilangan tahanan", "Number of detainees"),
        FieldDef("escorts", "Pengiring", "Escort", span=2),
    ), columns=3),
    ListSection("Tahanan", "Detainees", (LIST,), columns=1),
    # The signatures go on the page where the list ends.
    KeptSection("Penyerahan dan penerimaan", "Handing over and receipt", (
        Signature("escorting_officer", "Pegawai pengiring", "Escorting officer",
                  declaration_ms="Saya menerima tahanan yang disenaraikan di atas daripada "
                                 "depot untuk dikemukakan di hadapan Majistret.",
                  declaration_en="I received the detainees listed above from the depot for "
                                 "production before the Magistrate."),
        Signature("court_officer", "Pegawai mahkamah", "Court officer",
                  declaration_ms="Tahanan yang ditandakan di atas telah dikemukakan di "
                                 "mahkamah ini. Cop mahkamah:",
                  declaration_en="The detainees ticked above were produced at this court. "
                                 "Court stamp:"),
    )),
)


def weekday(day: dt.date) -> str:
    """"Rabu / Wednesday 11/03/2026"."""
    return f"{bilingual(*WEEKDAYS[day.weekday()])} {day:%d/%m/%Y}"


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def particulars(p: ProductionView, on: dt.date) -> str:
    """"VNM · L / M · 17/05/1990 (35)": the line under the barcode."""
    born = vocab.day(p.date_of_birth)
    age = _age(p.date_of_birth, on)
    if born and age is not None:
        born = f"{born} ({age})"
    return " · ".join(x for x in (p.nationality, vocab.SEX_SHORT.get(p.sex, p.sex), born) if x)


def where(p: ProductionView) -> str:
    """Where to fetch them from: the cell, reception, or where they are while away."""
    if not p.location:
        return ""
    label = "Sel / Cell" if " / " in p.location else "Di / At"  # "Blok A / A-01"
    return f"{label}: {place(p.location)}"


def status(p: ProductionView) -> str:
    """Nothing while scheduled (the list is made for that); else where it stands."""
    if p.status == "scheduled":
        return ""
    text = word("STATUSES", p.status)
    if p.outcome:
        text += f": {word('OUTCOMES', p.outcome)}"
    return text


def authority(p: ProductionView) -> dict[str, str]:
    if p.valid_until is None:
        return {"section": p.section or "-", "valid_until": "",
                "late": bilingual(*NO_AUTHORITY)}
    return {"section": p.section or "-",
            "valid_until": f"sehingga / until {vocab.moment(p.valid_until)}",
            "late": bilingual(*AFTER_EXPIRY) if p.late else ""}


def _joined(row: dict[str, Any], column: StackColumn) -> str:
    return "\n".join(str(row[key]) for key, _kind in column.parts if row.get(key))


def row(n: int, p: ProductionView, on: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {
        "no": str(n), "photo": "", "_photo": p.photo, "production_id": p.id,
        "detention_id": p.detention_id, "full_name": vocab.name(p.full_name),
        "detainee_no": p.detainee_no, "particulars": particulars(p, on), "where": where(p),
        "time": vocab.moment(p.scheduled_at)[-5:],
        "purpose": word("PURPOSES", p.purpose), "status": status(p),
        **authority(p), "escort": p.escort, "produced": "",
    }
    for column in LIST.columns:
        if isinstance(column, StackColumn):
            out[column.key] = _joined(out, column)
    return out


def context(view: ProductionList) -> dict[str, Any]:
    """The list as it stands."""
    rows = [row(n, p, view.day) for n, p in enumerate(view.rows, 1)]
    late = sum(1 for p in view.rows if p.late or p.valid_until is None)
    count = str(len(rows))
    if late:
        count += f" ({late} selepas tamat kuasa / after expiry)"
    escorts = "; ".join(dict.fromkeys(p.escort for p in view.rows if p.escort))
    day = weekday(view.day)
    return {
        "running_head": f"Senarai pengeluaran / Production list · {view.court} · {day}",
        "court": view.court,
        "day": day,
        "count": count,
        "escorts": escorts,
        "rows": rows,
        "escorting_officer": "",
        "court_officer": "",
    }


FORM = FormDef(
    code="production-list", title_ms="Senarai pengeluaran ke mahkamah",
    title_en="Court production list", sections=SECTIONS, page_size=A4, layout="document",
    subject_type="production_list", context=context,
    note_ms="Akta Imigresen 1959/63 (Akta 155) s.51(5)",
    note_en="Immigration Act 1959/63 (Act 155) s.51(5)",
)
