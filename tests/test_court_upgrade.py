"""Upgrading a database recorded before the stages carried their authority (revision 0010):
``Database.upgrade`` migrates to 0011 and then works out every stage's authority with the
code that keeps it from then on, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, select, text

from db import migrate
from db.base import UTCDateTime
from db.models import DetentionStage
from depot_app.actor import Actor, Role
from depot_app.clock import MYT, FixedClock
from depot_app.database import Database
from depot_app.services.court import authority, deadlines
from tests.dbutil import SqliteFactory

ARREST = dt.datetime(2026, 3, 1, 10, 0, tzinfo=MYT)
CITIZEN_ARREST = dt.datetime(2026, 3, 9, 20, 0, tzinfo=MYT)
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT)


@pytest.fixture(params=["sqlite", "postgres"])
def at_0010(request, pg_factory, tmp_path):
    """An empty database migrated to revision 0010 only."""
    if request.param == "postgres":
        factory, why = pg_factory
        if factory is None:
            pytest.skip(why)
        name, url = factory.create()
    else:
        _, url = SqliteFactory(tmp_path).create()
    db = Database(url, clock=FixedClock(NOW))
    migrate.upgrade(db.engine, "0010")
    yield db
    db.dispose()
    if request.param == "postgres":
        factory.drop_later(name)


def _insert(conn, table: str, times: tuple[str, ...] = (), **values) -> int:
    """A row with the columns revision 0010 requires, in plain SQL."""
    cols = ", ".join(values)
    sql = text(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in values)})")
    sql = sql.bindparams(*(bindparam(c, type_=UTCDateTime()) for c in times))
    conn.execute(sql, values)
    return conn.execute(text(f"SELECT max(id) FROM {table}")).scalar_one()


def _detention(conn, depot: int, n: int, arrested: dt.datetime, *, citizen: bool = False,
               status: str = "in_custody", ended: dt.datetime | None = None) -> int:
    person = _insert(conn, "person", ("created_at",), full_name=f"ORANG {n}",
                     name_key=f"ORANG {n}", sex="M", date_of_birth_estimated=False,
                     nationality="MYS" if citizen else "IDN", place_of_birth="", languages="",
                     interpreter_needed=False, distinguishing_marks="", home_address="",
                     work_address="", created_at=arrested, version=1)
    return _insert(conn, "detention", ("arrested_at", "admitted_at", "ended_at"),
                   detainee_no=f"SMY-2026-{n:06d}", person_id=person, depot_id=depot,
                   arrested_at=arrested, arrest_place="", arresting_agency="",
                   operation_name="", citizen=citizen, admitted_at=arrested + dt.timedelta(hours=3),
                   status=status, ended_at=ended, away_reason="", is_minor=False,
                   is_pregnant=False, is_disabled=False, is_unaccompanied_child=False, version=1)


def _stage(conn, detention: int, section: str, authority: str, starts: dt.datetime,
           ends: dt.datetime | None = None) -> int:
    return _insert(conn, "detention_stage", ("starts_at", "ends_at"), detention_id=detention,
                   section=section, authority=authority, reference="", starts_at=starts,
                   ends_at=ends)


def test_upgrade_from_0010_gives_every_stage_its_authority(at_0010):
    db = at_0010
    with db.engine.begin() as conn:
        depot = _insert(conn, "depot", ("created_at",), code="SMY", name="Depot Imigresen Semenyih",
                        state="Selangor", address="", created_at=ARREST, version=1)
        held = _detention(conn, depot, 1, ARREST)
        held_stage = _stage(conn, held, "s.6(1)(c)", "arrest", ARREST)
        citizen = _detention(conn, depot, 2, CITIZEN_ARREST, citizen=True)
        citizen_stage = _stage(conn, citizen, "s.6(1)(c)", "arrest", CITIZEN_ARREST)
        # Removed last year after a removal order under s.34: both stages closed.
        arrested = dt.datetime(2025, 1, 31, 10, 0, tzinfo=MYT)
        removed = _detention(conn, depot, 3, arrested, status="removed",
                             ended=arrested + dt.timedelta(days=20))
        first = _stage(conn, removed, "s.15(1)(c)", "arrest", arrested,
                       arrested + dt.timedelta(days=5))
        second = _stage(conn, removed, "s.34", "removal_order", arrested + dt.timedelta(days=5),
                        arrested + dt.timedelta(days=20))
    assert migrate.current_revision(db.engine) == "0010"

    db.upgrade()

    assert db.is_up_to_date()
    with db.read() as uow:
        found = {s.id: s for s in uow.session.execute(
            select(DetentionStage.id, DetentionStage.valid_until, DetentionStage.needs,
                   DetentionStage.rests_on))}
    s = found[held_stage]
    assert s.valid_until == dt.datetime(2026, 3, 15, 10, 0, tzinfo=MYT)  # arrest + 14 days
    assert s.needs == "Produce before a Magistrate"
    assert s.rests_on == ("Arrest under s.6(1)(c): s.51(5)(b), 14 days from arrest (Immigration "
                          "Act 1959/63 s.51(5)(b); Federal Constitution Art. 5(4))")
    s = found[citizen_stage]
    assert s.valid_until == CITIZEN_ARREST + dt.timedelta(hours=24)
    assert s.rests_on.startswith("Arrest under s.6(1)(c): s.51(5)(a), 24 hours from arrest")
    # 31 January + 14 days is 14 February, for both the arrest and the removal order (no
    # Magistrate's order was recorded before 0011).
    for sid in (first, second):
        assert found[sid].valid_until == dt.datetime(2025, 2, 14, 10, 0, tzinfo=MYT)
    assert found[second].rests_on.startswith("Removal order under s.34: s.51(5)(b), 14 days")
    # The deadline list reads what was written: both held, the citizen due at 20:00 today.
    officer = Actor(1, "officer1", "Officer", frozenset({Role.OFFICER}), "test-ws")
    with db.read() as uow:
        rows = deadlines.board(uow, officer)
    assert [(r.detention_id, r.valid_until, r.state) for r in rows] == [
        (citizen, CITIZEN_ARREST + dt.timedelta(hours=24), "due-soon"),
        (held, dt.datetime(2026, 3, 15, 10, 0, tzinfo=MYT), "due-soon")]


def test_a_fill_cut_short_is_done_at_the_next_start(at_0010, monkeypatch):
    """The fill runs after the migration has committed: if it fails, the next upgrade
    (the next start of the application) does it, though the revision is already 0011."""
    db = at_0010
    with db.engine.begin() as conn:
        depot = _insert(conn, "depot", ("created_at",), code="SMY", name="D", state="S",
                        address="", created_at=ARREST, version=1)
        _stage(conn, _detention(conn, depot, 1, ARREST), "s.6(1)(c)", "arrest", ARREST)
    real = authority.refresh_unwritten

    def cut_short(session):
        raise RuntimeError("the power went")
    monkeypatch.setattr(authority, "refresh_unwritten", cut_short)
    with pytest.raises(RuntimeError):
        db.upgrade()
    monkeypatch.setattr(authority, "refresh_unwritten", real)
    db.upgrade()
    with db.read() as uow:
        assert uow.session.scalars(select(DetentionStage.id).where(
            DetentionStage.valid_until.is_(None))).all() == []
