"""Detainee numbers: ``SMY-2026-000123``, gap-free and unique per depot and year.

One ``detainee_number_sequence`` row per depot and year holds the last number given.
Taking a number inserts the row if it is missing (``ON CONFLICT DO NOTHING``, so two
workstations starting a new year at once do not clash) and then increments it with a
single ``UPDATE ... RETURNING``. That UPDATE takes the row lock exactly as a
``SELECT ... FOR UPDATE`` would: on PostgreSQL a second workstation waits at it until
the first commits or rolls back, then reads the committed value; on SQLite every write
unit of work already holds the database lock (``BEGIN IMMEDIATE``). The number commits
or rolls back with the admission that took it, so a failed admission leaves no gap.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import DetaineeNumberSequence
from depot_app.clock import MYT
from depot_app.database import UnitOfWork

_SEQ = DetaineeNumberSequence.__table__
DIGITS = 6


def format_number(depot_code: str, year: int, value: int) -> str:
    return f"{depot_code.upper()}-{year}-{value:0{DIGITS}d}"


def year_of(at: dt.datetime) -> int:
    """The year a detainee number belongs to: the admission's year in Malaysian time."""
    return at.astimezone(MYT).year


def next_detainee_no(uow: UnitOfWork, depot_id: int, depot_code: str, year: int) -> str:
    """Take the next number for this depot and year, inside the caller's write unit of work."""
    session = uow.session
    dialect = postgresql if uow.dialect == "postgresql" else sqlite
    session.execute(
        dialect.insert(_SEQ)
        .values(depot_id=depot_id, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=[_SEQ.c.depot_id, _SEQ.c.year])
    )
    value = session.execute(
        update(_SEQ)
        .where(_SEQ.c.depot_id == depot_id, _SEQ.c.year == year)
        .values(last_value=_SEQ.c.last_value + 1)
        .returning(_SEQ.c.last_value)
    ).scalar_one()
    return format_number(depot_code, year, value)


def last_issued(uow: UnitOfWork, depot_id: int, year: int) -> int:
    """How many numbers this depot has given in this year (0 when none yet)."""
    row = uow.session.get(DetaineeNumberSequence, (depot_id, year))
    return row.last_value if row is not None else 0
