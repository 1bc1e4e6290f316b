"""What every movement shares: the detention it moves (of this depot, at the version the
user saw, locked against a concurrent movement), the time it happened (aware, not in the
future, not before the admission nor before the last movement already recorded), the
words for a place, and the movement row itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db.models import Block, Cell, Detention, Movement
from depot_app.actor import Actor
from depot_app.clock import format_local
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, NotFound, ValidationError, Validator
from depot_app.services.places import AWAY_WORDS, cell_words
from depot_app.services.setup import current_depot

CLOCK_SKEW = dt.timedelta(minutes=5)
REASON_LEN = 500
REF_LEN = 80


def lock_detention(uow: UnitOfWork, detention_id: int) -> Detention:
    """The detention of this depot, its row locked until the unit of work ends (PostgreSQL;
    SQLite's writing unit of work holds the database lock): whatever else changes it
    (a departure paying out cash, a movement) waits, and is then seen."""
    detention = uow.session.execute(
        select(Detention).where(Detention.id == detention_id).with_for_update()
        .execution_options(populate_existing=True)).scalar()
    if detention is None or detention.depot_id != current_depot(uow).id:
        raise NotFound("detention", detention_id)
    return detention


def detention_for_update(uow: UnitOfWork, detention_id: int, expected_version: int) -> Detention:
    """The detention of this depot at ``expected_version``, its row locked (PostgreSQL;
    SQLite's writing unit of work holds the database lock) so that a concurrent movement
    waits and then finds the version moved on: ``ConflictError``, never a lost update."""
    detention = lock_detention(uow, detention_id)
    if detention.version != expected_version:
        raise ConflictError(f"Detainee {detention.detainee_no} was changed by someone else "
                            f"since you opened it: reload")
    return detention


def require_in_custody(detention: Detention, *, may_be_away: bool, what: str) -> None:
    number = detention.detainee_no
    if detention.status != "in_custody":
        raise ValidationError({"detention_id": f"Detainee {number} is not in custody "
                                               f"({detention.status.replace('_', ' ')})"})
    if detention.away_reason and not may_be_away:
        where = AWAY_WORDS.get(detention.away_reason, detention.away_reason)
        raise ValidationError({"detention_id": f"Detainee {number} is away ({where}): record "
                                               f"the return before {what}"})


def last_movement_at(uow: UnitOfWork, detention_id: int) -> dt.datetime | None:
    return uow.session.scalar(select(func.max(Movement.occurred_at))
                              .where(Movement.detention_id == detention_id))


def occurred_at(v: Validator, uow: UnitOfWork, value: dt.datetime | None,
                detention: Detention, *, label: str, key: str = "occurred_at") -> dt.datetime:
    """When it happened: now when not given; otherwise aware, not in the future (a few
    minutes' clock difference allowed), and not before the admission or the last movement
    already recorded (the record must read in order). "Now" at a workstation whose clock is
    behind the one that recorded the last movement is taken as that movement's time, so the
    record still reads in order."""
    now = uow.now()
    if value is None:
        last = last_movement_at(uow, detention.id)
        return max(now, last) if last is not None else now
    if value.tzinfo is None or value.utcoffset() is None:
        v.add(key, f"{label} must include its time zone")
        return now
    if value > now + CLOCK_SKEW:
        v.add(key, f"{label} is in the future")
        return value
    if value < detention.admitted_at:
        v.add(key, f"{label} cannot be before the admission")
        return value
    last = last_movement_at(uow, detention.id)
    if last is not None and value < last:
        v.add(key, f"{label} cannot be before the last movement recorded "
                   f"({format_local(last)})")
    return value


def optional(v: Validator, key: str, value: str, *, max_len: int, label: str) -> str:
    text = (value or "").strip()
    if len(text) > max_len:
        v.add(key, f"{label} is longer than {max_len} characters")
    else:
        v.printable(key, text, label)
    return text


def cell_label(uow: UnitOfWork, cell_id: int | None) -> str:
    if cell_id is None:
        return "reception (unallocated)"
    found = uow.session.execute(select(Cell.code, Block.name).join(Block, Block.id == Cell.block_id)
                                .where(Cell.id == cell_id)).first()
    return cell_words(found.name, found.code) if found else str(cell_id)


def add_movement(uow: UnitOfWork, actor: Actor, detention: Detention, kind: str,
                 when: dt.datetime, *, reason: str, to_cell_id: int | None = None,
                 destination: str = "", authority: str = "", document_ref: str = "",
                 escort: str = "") -> Movement:
    movement = Movement(
        detention_id=detention.id, kind=kind, occurred_at=when,
        from_cell_id=detention.current_cell_id, to_cell_id=to_cell_id, destination=destination,
        reason=reason, authority=authority, document_ref=document_ref, escort=escort,
        recorded_by_id=actor.user_id, recorded_at=uow.now())
    uow.session.add(movement)
    return movement
