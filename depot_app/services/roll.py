"""The establishment roll: who is on the depot's roll and where, per block and in total.

One grouped query over the detentions in custody (by cell, away reason, sex, minority
and nationality) and one over the cells; the arithmetic is done here, in one place, so
that the screen, ``depot roll --json`` and the printed roll always agree. A detainee
away (court, hospital, embassy) is on the roll as "out" in the block whose cell is kept
for them; one with no cell is in reception ("unallocated", or "out" from reception).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from db.models import Block, Cell, Detention, Person
from depot_app.actor import Actor, Permission
from depot_app.countries import country_name
from depot_app.database import UnitOfWork
from depot_app.readmodels import CountLine, RollLine, RollView
from depot_app.services.places import AWAY_REASONS, cell_words
from depot_app.services.setup import current_depot

__all__ = ["RECEPTION", "TOTAL", "roll", "roll_as_dict"]

RECEPTION = ""
TOTAL = "*"


@dataclass
class _Tally:
    capacity: int = 0
    in_cell: int = 0
    unallocated: int = 0
    vacancies: int = 0
    over: int = 0
    held_closed: int = 0
    cells: int = 0
    out_of_service: int = 0
    overcrowded: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # out-of-service cells still holding people
    out: Counter = field(default_factory=Counter)
    people: Counter = field(default_factory=Counter)  # men, women, boys, girls

    def add(self, other: _Tally) -> None:
        for name in ("capacity", "in_cell", "unallocated", "vacancies", "over", "held_closed",
                     "cells", "out_of_service"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.overcrowded.extend(other.overcrowded)
        self.closed.extend(other.closed)
        self.out.update(other.out)
        self.people.update(other.people)

    def line(self, key: str, name: str) -> RollLine:
        out = tuple(CountLine(AWAY_REASONS.get(r, r), self.out[r])
                    for r in (*AWAY_REASONS, *sorted(set(self.out) - set(AWAY_REASONS)))
                    if self.out[r])
        return RollLine(key=key, name=name, capacity=self.capacity, in_cell=self.in_cell,
                        out=sum(self.out.values()), out_by_reason=out,
                        unallocated=self.unallocated, vacancies=self.vacancies,
                        over_capacity=self.over, overcrowded_cells=tuple(self.overcrowded),
                        cells=self.cells, cells_out_of_service=self.out_of_service,
                        men=self.people["men"], women=self.people["women"],
                        boys=self.people["boys"], girls=self.people["girls"],
                        held_out_of_service=self.held_closed, closed_cells=tuple(self.closed))


def _who(sex: str, minor: bool) -> str:
    if sex == "F":
        return "girls" if minor else "women"
    return "boys" if minor else "men"


def roll(uow: UnitOfWork, actor: Actor) -> RollView:
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    depot = current_depot(uow)
    held = s.execute(
        select(Detention.current_cell_id, Detention.away_reason, Person.sex, Detention.is_minor,
               Person.nationality, func.count())
        .join(Person, Person.id == Detention.person_id)
        .where(Detention.status == "in_custody", Detention.depot_id == depot.id)
        .group_by(Detention.current_cell_id, Detention.away_reason, Person.sex,
                  Detention.is_minor, Person.nationality)).all()
    cells = s.execute(
        select(Cell.id, Cell.code, Cell.capacity, Cell.in_service, Block.id, Block.code,
               Block.name)
        .join(Block, Block.id == Cell.block_id).where(Block.depot_id == depot.id)).all()
    blocks = {b.id: (b.code, b.name) for b in s.execute(
        select(Block.id, Block.code, Block.name).where(Block.depot_id == depot.id))}

    occupancy: Counter = Counter()  # cell -> on its roll (in cell or away with the place kept)
    tallies: dict[int | None, _Tally] = defaultdict(_Tally)
    cell_block = {c[0]: c[4] for c in cells}
    nationality: Counter = Counter()
    for cell_id, away, sex, minor, nat, n in held:
        block_id = cell_block.get(cell_id)  # None: reception (or a cell of another depot)
        t = tallies[block_id]
        if away:
            t.out[away] += n
        elif block_id is None:
            t.unallocated += n
        else:
            t.in_cell += n
        if block_id is not None:
            occupancy[cell_id] += n
        t.people[_who(sex, bool(minor))] += n
        nationality[nat] += n
    for cell_id, code, capacity, in_service, block_id, _, block_name in cells:
        t = tallies[block_id]
        t.cells += 1
        places = capacity if in_service else 0
        t.capacity += places
        if not in_service:
            t.out_of_service += 1
        on_roll = occupancy[cell_id]
        t.vacancies += max(places - on_roll, 0)
        if not in_service:
            if on_roll:  # still held in a cell taken out of service: to be moved, not "over"
                t.held_closed += on_roll
                t.closed.append(cell_words(block_name, code))
        elif on_roll > places:
            t.over += on_roll - places
            t.overcrowded.append(cell_words(block_name, code))

    lines = []
    total = _Tally()
    for block_id, (code, name) in sorted(blocks.items(), key=lambda b: b[1][0]):
        t = tallies.get(block_id, _Tally())
        t.overcrowded.sort()
        t.closed.sort()
        lines.append(t.line(code, name))
        total.add(t)
    reception = tallies.get(None)
    if reception is not None:
        lines.append(reception.line(RECEPTION, "Reception (unallocated)"))
        total.add(reception)
    by_nat = tuple(CountLine(country_name(code) or code or "Unknown", n)
                   for code, n in sorted(nationality.items(), key=lambda kv: (-kv[1], kv[0])))
    return RollView(depot_name=depot.name, as_of=uow.now(), blocks=tuple(lines),
                    total=total.line(TOTAL, depot.name), by_nationality=by_nat)


def _line_dict(line: RollLine) -> dict[str, object]:
    return {"key": line.key, "name": line.name, "on_roll": line.on_roll,
            "capacity": line.capacity, "in_cell": line.in_cell, "out": line.out,
            "out_by_reason": {c.label: c.count for c in line.out_by_reason},
            "unallocated": line.unallocated, "vacancies": line.vacancies,
            "over_capacity": line.over_capacity,
            "overcrowded_cells": list(line.overcrowded_cells),
            "held_out_of_service": line.held_out_of_service,
            "closed_cells": list(line.closed_cells), "cells": line.cells,
            "cells_out_of_service": line.cells_out_of_service, "men": line.men,
            "women": line.women, "boys": line.boys, "girls": line.girls}


def roll_as_dict(view: RollView) -> dict[str, object]:
    """The roll as plain data (``depot roll --json``)."""
    return {"depot": view.depot_name, "as_of": view.as_of.isoformat(),
            "total": _line_dict(view.total), "blocks": [_line_dict(b) for b in view.blocks],
            "by_nationality": {c.label: c.count for c in view.by_nationality}}
