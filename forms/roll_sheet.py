"""The establishment roll on paper (A4 landscape): one line per block, reception, and the
depot total (in bold) with every figure of ``RollLine``, in the screen's column order; then
everyone held by nationality; then the duty officer signs for the figures at the time
printed. Up to a dozen blocks and a dozen nationalities keep to one page (tight rows,
nationalities six pairs across); a longer roll takes the nationalities to the next page
together with the signatures, never the signatures alone.

The figures are the roll service's own (``depot_app.services.roll``): this form only lays
them out, so the paper, the screen and ``depot roll --json`` agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from depot_app.readmodels import CountLine, RollLine, RollView
from forms import vocab
from forms.base import FieldDef, FormDef, PageSize, SectionDef, bilingual
from forms.property_receipt import Column, Signature

A4_LANDSCAPE = PageSize("A4 landscape", 297.0, 210.0)
OUT_REASONS = ("court", "hospital", "embassy")  # a column each; any other counts in the total
RECEPTION = ("Penerimaan", "Reception")
TOTAL = ("Jumlah depot", "Depot total")
NATIONALITY_COLUMNS = 6  # nationality and count, six pairs across


@dataclass(frozen=True)
class FiguresTable(FieldDef):
    """A table of figures in tight rows (``dense``); ``keep_with_next`` moves it to the next
    page together with what follows (the signatures) rather than leave those alone."""

    kind: str = "table"
    dense: bool = True
    keep_with_next: bool = False


def _n(label_ms: str, label_en: str, key: str, width: float = 0.8) -> Column:
    return Column(key, label_ms, label_en, width, align="right")


SECTIONS = (
    SectionDef("Daftar mengikut blok dan warganegara", "Roll by block and nationality", (
        FieldDef("as_of", "Pada", "As at"),
        FieldDef("on_roll", "Dalam daftar", "On the roll"),
        FieldDef("out", "Di luar depot", "Out"),
        FieldDef("vacancies", "Kekosongan", "Vacancies"),
        FieldDef("overcrowded_cells", "Sel terlebih muatan", "Overcrowded cells", span=2),
        FieldDef("closed_cells", "Dalam sel ditutup", "Held in closed cells", span=2),
        # The screen's order: the block, on the roll, then where they are.
        FiguresTable("lines", "Setiap blok, penerimaan dan jumlah depot",
                     "Every block, reception and the depot total", columns=(
                         Column("name", "Blok", "Block", 2.7),
                         _n("Dalam daftar", "On roll", "on_roll"),
                         _n("Kapasiti", "Capacity", "capacity"),
                         _n("Dalam sel", "In cell", "in_cell"),
                         _n("Mahkamah", "Court", "out_court", 0.85),
                         _n("Hospital", "Hospital", "out_hospital"),
                         _n("Kedutaan", "Embassy", "out_embassy"),
                         _n("Jumlah di luar", "Total out", "out"),
                         _n("Belum ditempatkan", "Unallocated", "unallocated", 1.0),
                         _n("Kekosongan", "Vacancies", "vacancies", 1.0),
                         _n("Lebih kapasiti", "Over capacity", "over_capacity", 1.15),
                         _n("Sel ditutup", "Cells out of service", "cells_out_of_service",
                            0.95),
                         _n("Lelaki", "Men", "men", 0.7),
                         _n("Perempuan", "Women", "women", 0.9),
                         _n("Budak lelaki", "Boys", "boys", 0.7),
                         _n("Budak perempuan", "Girls", "girls", 0.9),
                     )),
        FiguresTable("by_nationality", "Tahanan dalam daftar mengikut warganegara",
                     "Detainees on the roll by nationality", keep_with_next=True,
                     columns=tuple(
                         c for i in range(1, NATIONALITY_COLUMNS + 1) for c in (
                             Column(f"nationality_{i}", "Warganegara", "Nationality", 2.0),
                             Column(f"count_{i}", "Bilangan", "Number", 0.75,
                                    align="right")))),
        # The duty officer signs under the figures, on the same page where they fit.
        Signature("duty_officer", "Pegawai bertugas", "Duty officer",
                  declaration_ms="Saya mengesahkan bahawa angka di atas adalah betul pada "
                                 "masa yang dinyatakan.",
                  declaration_en="I certify that the figures above are correct at the time "
                                 "stated."),
        Signature("checked_by", "Disemak oleh", "Checked by"),
    ), columns=8),
)


def _reason(label: str) -> str:
    """"Court", "Out: court", "court" -> "court"."""
    return label.strip().lower().removeprefix("out:").strip()


def line(row: RollLine, name: str) -> dict[str, Any]:
    out = {_reason(c.label): c.count for c in row.out_by_reason}
    return {
        "name": name, "capacity": str(row.capacity), "in_cell": str(row.in_cell),
        **{f"out_{r}": str(out.get(r, 0)) for r in OUT_REASONS},
        "out": str(row.out), "unallocated": str(row.unallocated), "on_roll": str(row.on_roll),
        "vacancies": str(row.vacancies), "over_capacity": str(row.over_capacity),
        "cells_out_of_service": str(row.cells_out_of_service),
        "men": str(row.men), "women": str(row.women), "boys": str(row.boys),
        "girls": str(row.girls),
    }


def _name(row: RollLine) -> str:
    if row.key == "":
        return bilingual(*RECEPTION)
    return row.name


def _nationalities(counts: tuple[CountLine, ...]) -> list[dict[str, str]]:
    """Down the first pair of columns, then the next: as a list reads on paper."""
    per_column = -(-len(counts) // NATIONALITY_COLUMNS) if counts else 0
    rows = []
    for r in range(per_column):
        row = {}
        for c in range(NATIONALITY_COLUMNS):
            i = c * per_column + r
            if i < len(counts):
                row[f"nationality_{c + 1}"] = counts[i].label
                row[f"count_{c + 1}"] = str(counts[i].count)
            else:
                row[f"nationality_{c + 1}"] = row[f"count_{c + 1}"] = "\u00a0"
        rows.append(row)
    return rows


def _closed(total: RollLine) -> str:
    """"3 in Blok A / A-04, Blok B / B-02": detainees still in cells taken out of service."""
    if not total.held_out_of_service:
        return bilingual(*vocab.NONE)
    cells = ", ".join(total.closed_cells)
    return f"{total.held_out_of_service} dalam / in {cells}" if cells else \
        str(total.held_out_of_service)


def context(roll: RollView) -> dict[str, Any]:
    total = roll.total
    return {
        "running_head": f"Daftar pada / Roll as at {vocab.moment(roll.as_of)}",
        "as_of": vocab.moment(roll.as_of),
        "on_roll": str(total.on_roll),
        "out": str(total.out),
        "vacancies": str(total.vacancies),
        "overcrowded_cells": (", ".join(total.overcrowded_cells) if total.overcrowded_cells
                              else bilingual(*vocab.NONE)),
        "closed_cells": _closed(total),
        "lines": [line(b, _name(b)) for b in roll.blocks]
        + [{**line(total, bilingual(*TOTAL)), "_emphasis": True}],
        "by_nationality": _nationalities(roll.by_nationality),
        "duty_officer": "",
        "checked_by": "",
    }


FORM = FormDef(
    code="roll", title_ms="Daftar tahanan depot", title_en="Establishment roll",
    sections=SECTIONS, page_size=A4_LANDSCAPE, layout="document", subject_type="roll",
    context=context, note_ms="Bilangan tahanan mengikut blok", note_en="Detainees held, by block",
)
