"""Detainee numbers: SMY-2026-000123, gap-free and unique per depot and year, even with
several workstations admitting at once."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections import defaultdict

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Depot, Detention
from depot_app import audit
from depot_app.clock import FixedClock
from depot_app.database import Database
from depot_app.services import admission, numbers
from depot_app.services.setup import current_depot
from tests.test_admission import actor_for, request

WORKERS, EACH = 4, 10


def _take(db: Database, depot_id: int, code: str, year: int) -> str:
    with db.write() as uow:
        return numbers.next_detainee_no(uow, depot_id, code, year)


def test_numbers_count_up_per_depot_and_year(db):
    with db.write() as uow:
        smy = current_depot(uow).id
        other = Depot(code="KLA", name="Depot Imigresen Lenggeng", created_at=uow.now())
        uow.session.add(other)
        uow.session.flush()
        kla = other.id
    assert [_take(db, smy, "SMY", 2026) for _ in range(3)] == [
        "SMY-2026-000001", "SMY-2026-000002", "SMY-2026-000003"]
    assert _take(db, smy, "SMY", 2027) == "SMY-2027-000001"
    assert _take(db, kla, "kla", 2026) == "KLA-2026-000001"
    assert _take(db, smy, "SMY", 2026) == "SMY-2026-000004"
    with db.read() as uow:
        assert numbers.last_issued(uow, smy, 2026) == 4
        assert numbers.last_issued(uow, smy, 2025) == 0


def test_a_number_taken_by_a_failed_admission_is_given_again(db):
    with db.read() as uow:
        smy = current_depot(uow).id
    assert _take(db, smy, "SMY", 2026) == "SMY-2026-000001"
    with pytest.raises(RuntimeError):
        with db.write() as uow:
            assert numbers.next_detainee_no(uow, smy, "SMY", 2026) == "SMY-2026-000002"
            raise RuntimeError("the admission failed after taking its number")
    assert _take(db, smy, "SMY", 2026) == "SMY-2026-000002"


def test_the_year_is_the_admission_year_in_malaysia(db):
    new_year_myt = dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)  # 01:00 on 1 Jan 2027 MYT
    assert numbers.year_of(new_year_myt) == 2027
    db.clock = FixedClock(new_year_myt)
    row = admission_row(db, arrested_at=new_year_myt - dt.timedelta(hours=4))
    assert row.detainee_no == "SMY-2027-000001"


def admission_row(db, **changes):
    with db.write() as uow:
        return admission.admit(uow, actor_for(db, "clerk1"), request(**changes)).value


def _admit_many(url: str, name: str, count: int, barrier) -> None:
    db = Database(url)
    clerk = actor_for(db, "clerk1", workstation=f"ws-{name}")
    now = db.clock.now()
    barrier.wait(60)
    for i in range(count):
        with db.write() as uow:
            admission.admit(uow, clerk, request(full_name=f"Worker {name} Person {i}",
                                                arrested_at=now - dt.timedelta(hours=2)))
    db.dispose()


def test_workstations_admitting_at_once_get_gap_free_unique_numbers(db):
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=_admit_many, args=(db.url, str(n), EACH, barrier))
             for n in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WORKERS

    with db.read() as uow:
        taken = list(uow.session.scalars(select(Detention.detainee_no)))
        admits = uow.session.scalars(select(AuditEvent.workstation)
                                     .where(AuditEvent.action == "detention.admit")).all()
        report = audit.verify(uow.session)
    assert len(taken) == len(set(taken)) == WORKERS * EACH
    by_year: dict[str, list[int]] = defaultdict(list)  # (a run across new year splits)
    for number in taken:
        code, year, value = number.split("-")
        assert code == "SMY" and len(value) == 6
        by_year[year].append(int(value))
    for values in by_year.values():
        assert sorted(values) == list(range(1, len(values) + 1))
    assert report.ok, report.reason
    assert sorted(set(admits)) == [f"ws-{n}" for n in range(WORKERS)]
    assert len(admits) == WORKERS * EACH
