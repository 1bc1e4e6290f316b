"""A small depot for custody tests: two blocks, reception, and detainees in each state."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Detention, Movement
from depot_app.clock import FixedClock
from tests import factories
from tests.test_admission import actor_for

NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)
ADMITTED = NOW - dt.timedelta(days=2)


@pytest.fixture
def clock(db):
    db.clock = FixedClock(NOW)
    return db.clock


@pytest.fixture
def warden(db, clock):
    return actor_for(db, "warden1")


@pytest.fixture
def depot(db, clock):
    """Blok A: A-01 (men, 3), A-02 (men, 2); Blok W: W-01 (women, 4); J-01 juvenile in Blok W.
    Held: Agus and Budi in A-01, Citra (F) in W-01, Dewi (F, minor) in J-01, Eko unallocated."""
    with db.write() as uow:
        ids = {
            "A-01": factories.cell(uow, "Blok A", "A-01", "adult_male", 3),
            "A-02": factories.cell(uow, "Blok A", "A-02", "adult_male", 2),
            "W-01": factories.cell(uow, "Blok W", "W-01", "adult_female", 4),
            "J-01": factories.cell(uow, "Blok W", "J-01", "juvenile", 4),
        }
        ids["agus"] = factories.detainee(uow, "Agus Setiawan", cell_id=ids["A-01"],
                                         admitted=ADMITTED, nationality="IDN")
        ids["budi"] = factories.detainee(uow, "Budi Santoso", cell_id=ids["A-01"],
                                         admitted=ADMITTED, nationality="IDN")
        ids["citra"] = factories.detainee(uow, "Citra Dewi", sex="F", cell_id=ids["W-01"],
                                          admitted=ADMITTED, nationality="MMR")
        ids["dewi"] = factories.detainee(uow, "Dewi Lestari", sex="F", minor=True,
                                         born=dt.date(2012, 1, 1), cell_id=ids["J-01"],
                                         admitted=ADMITTED, nationality="MMR")
        ids["eko"] = factories.detainee(uow, "Eko Prasetyo", admitted=ADMITTED,
                                        nationality="BGD")
    return ids


def version(db, detention_id) -> int:
    with db.read() as uow:
        return uow.session.get(Detention, detention_id).version


def snapshot(db) -> tuple[int, int, int]:
    """(movements, audit events, sum of versions): what a refused action must not touch."""
    with db.read() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(Movement)),
                s.scalar(select(func.count()).select_from(AuditEvent)),
                s.scalar(select(func.sum(Detention.version))))
