"""Column types, optimistic locking and migrations, on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from db.models import Base, Block, CashEntry, Cell, Depot, Detention, Person
from depot_app.clock import MYT
from depot_app.errors import ConflictError


def _detention(uow) -> int:
    depot = uow.session.scalars(select(Depot)).first()
    now = uow.now()
    person = Person(full_name="ARIF BIN HASAN", name_key="ARIF BIN HASAN", sex="M",
                    nationality="IDN", created_at=now)
    uow.session.add(person)
    uow.session.flush()
    detention = Detention(detainee_no="SMY-2026-900001", person_id=person.id, depot_id=depot.id,
                          arrested_at=now, admitted_at=now)
    uow.session.add(detention)
    uow.session.flush()
    return detention.id


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}),
                                Base.metadata)
    assert diff == []


def test_times_are_stored_utc_and_returned_aware(db):
    local = dt.datetime(2026, 2, 28, 23, 30, tzinfo=MYT)  # 15:30 UTC the same day
    with db.write() as uow:
        did = _detention(uow)
        uow.session.get(Detention, did).arrested_at = local
    with db.read() as uow:
        stored = uow.session.get(Detention, did).arrested_at
    assert stored.tzinfo is not None and stored.utcoffset() == dt.timedelta(0)
    assert stored == local


def test_naive_datetimes_are_refused(db):
    with pytest.raises(StatementError, match="naive datetime"):
        with db.write() as uow:
            did = _detention(uow)
            uow.session.get(Detention, did).arrested_at = dt.datetime(2026, 1, 1, 8, 0)
            uow.session.flush()


def test_money_is_exact_decimal(db):
    with db.write() as uow:
        did = _detention(uow)
        for amount in ("0.10", "0.20", "1234567.89", "-50.00"):
            uow.session.add(CashEntry(detention_id=did, amount=Decimal(amount),
                                      occurred_at=uow.now()))
    with db.read() as uow:
        amounts = list(uow.session.scalars(select(CashEntry.amount).order_by(CashEntry.id)))
    assert amounts == [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.89"), Decimal("-50.00")]
    assert sum(amounts[:2]) == Decimal("0.30")


def test_money_refuses_floats_and_fractions_of_a_sen(db):
    with pytest.raises(StatementError, match="more than two decimal places"):
        with db.write() as uow:
            did = _detention(uow)
            uow.session.add(CashEntry(detention_id=did, amount=Decimal("1.005"),
                                      occurred_at=uow.now()))
    with pytest.raises(StatementError, match="money must be Decimal"):
        with db.write() as uow:
            did = _detention(uow)
            uow.session.add(CashEntry(detention_id=did, amount=1.5, occurred_at=uow.now()))


def _cell(db) -> int:
    with db.write() as uow:
        depot = uow.session.scalars(select(Depot)).first()
        block = Block(depot_id=depot.id, code="A", name="Blok A")
        uow.session.add(block)
        uow.session.flush()
        cell = Cell(block_id=block.id, code="A-01", capacity=20, category="adult_male")
        uow.session.add(cell)
        uow.session.flush()
        return cell.id


def test_stale_edit_is_a_conflict_not_a_lost_update(db):
    cell_id = _cell(db)
    # Workstation A loads the cell; workstation B then changes and saves it.
    with db.read() as uow:
        seen_by_a = uow.session.get(Cell, cell_id)
        uow.session.expunge(seen_by_a)
    with db.write() as uow:
        uow.session.get(Cell, cell_id).capacity = 25
    # A saves its edit of the version it saw: refused, and B's change stands.
    seen_by_a.capacity = 30
    with pytest.raises(ConflictError, match="another workstation"):
        with db.write() as uow:
            uow.session.add(seen_by_a)
    with db.read() as uow:
        cell = uow.session.get(Cell, cell_id)
        assert (cell.capacity, cell.version) == (25, 2)
