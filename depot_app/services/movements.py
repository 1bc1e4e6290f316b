"""Movements inside the depot: moving a detainee from one cell to another.

A move is checked against the placement rules (``placement.check_placement``) with the
target cell row locked first, so two workstations cannot both take its last place: on
PostgreSQL the lock is ``SELECT ... FOR UPDATE``; on SQLite a writing unit of work already
holds the database lock. The move carries the detention version the user saw: a detention
changed since gives ``ConflictError``, and so does one changed by a concurrent unit of work
(the version column makes its UPDATE find no row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Block, Cell, Detention, Movement
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
    Validator,
)
from depot_app.readmodels import DetaineeRow
from depot_app.services import detainees
from depot_app.services.placement import check_placement
from depot_app.services.setup import current_depot

__all__ = ["CLOCK_SKEW", "REASON_LEN", "MoveRequest", "move_to_cell"]

CLOCK_SKEW = dt.timedelta(minutes=5)
REASON_LEN = 500


@dataclass(frozen=True)
class MoveRequest:
    detention_id: int
    cell_id: int
    reason: str
    expected_version: int  # the detention's version when the user opened it
    occurred_at: dt.datetime | None = None  # None: now
    override_reason: str = ""  # an officer's reason to use a full cell
    needs_isolation: bool = False  # a medical outcome requires isolation


def move_to_cell(uow: UnitOfWork, actor: Actor, request: MoveRequest) -> Result[DetaineeRow]:
    """Move a detainee held here to another cell. ``ValidationError`` names every bad field;
    a stale ``expected_version`` gives ``ConflictError``; nothing is written unless all is
    right."""
    actor.require(Permission.MOVE)
    s = uow.session
    detention = s.get(Detention, request.detention_id)
    if detention is None or detention.depot_id != current_depot(uow).id:
        raise NotFound("detention", request.detention_id)
    number = detention.detainee_no
    if detention.version != request.expected_version:
        raise ConflictError(f"Detainee {number} was changed by someone else since you "
                            f"opened it: reload")
    if detention.status != "in_custody":
        raise ValidationError({"detention_id": f"Detainee {number} is not in custody "
                                               f"({detention.status.replace('_', ' ')})"})
    if detention.away_reason:
        raise ValidationError({"detention_id": f"Detainee {number} is away "
                                               f"({detention.away_reason}): record the "
                                               f"return before moving them to a cell"})

    v = Validator()
    reason = v.require("reason", request.reason, max_len=REASON_LEN, label="Reason for the move")
    occurred_at = _occurred_at(v, request.occurred_at, uow.now(), detention.admitted_at)
    target = _cell_for_update(uow, request.cell_id)
    from_cell_id = detention.current_cell_id
    denied: PermissionDenied | None = None
    overridden: tuple[str, ...] = ()
    if from_cell_id == target.id:
        v.add("cell_id", f"Detainee {number} is already in {target.label}")
    else:
        try:
            overridden = check_placement(uow, actor, detention.id, target.id,
                                         needs_isolation=request.needs_isolation,
                                         override_reason=request.override_reason)
        except ValidationError as exc:
            for name, words in exc.fields.items():
                v.add(name, words)
        except PermissionDenied as exc:
            denied = exc
    v.check()
    if denied is not None:
        raise denied

    override = (request.override_reason or "").strip() if overridden else ""
    written = reason
    if override:
        written = f"{reason}\nOver capacity: {override} (override by {actor.full_name})"
    from_label = _cell_label(uow, from_cell_id)
    before_version = detention.version
    detention.current_cell_id = target.id
    s.add(Movement(
        detention_id=detention.id, kind="cell_move", occurred_at=occurred_at,
        from_cell_id=from_cell_id, to_cell_id=target.id, destination="", reason=written,
        authority="", recorded_by_id=actor.user_id, recorded_at=uow.now(),
    ))
    s.flush()  # a concurrent change of the detention surfaces here as StaleDataError

    uow.record(actor, "detention.move", "detention", detention.id,
               {"cell_id": from_cell_id, "cell": from_label, "version": before_version},
               {"cell_id": target.id, "cell": target.label, "occurred_at": occurred_at,
                "reason": reason,
                "override": ({"reason": override, "overridden": list(overridden)}
                             if override else None)})
    uow.touch(Changes.of(areas.DETAINEES, areas.ROLL, areas.LOCATIONS,
                         detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)


@dataclass(frozen=True)
class _Target:
    id: int
    label: str


def _cell_for_update(uow: UnitOfWork, cell_id: int) -> _Target:
    """The target cell of this depot, locked until the unit of work ends (PostgreSQL;
    SQLite's writing unit of work holds the database lock already), so that occupancy
    counted after this cannot change under the move."""
    depot_id = current_depot(uow).id
    found = uow.session.execute(
        select(Cell.id, Cell.code, Block.name).join(Block, Block.id == Cell.block_id)
        .where(Cell.id == cell_id, Block.depot_id == depot_id)
        .with_for_update(of=Cell)).first()
    if found is None:
        raise ValidationError({"cell_id": f"There is no cell with id {cell_id} in this depot"})
    return _Target(found.id, f"{found.name} / {found.code}")


def _cell_label(uow: UnitOfWork, cell_id: int | None) -> str:
    if cell_id is None:
        return "reception (unallocated)"
    found = uow.session.execute(select(Cell.code, Block.name).join(Block, Block.id == Cell.block_id)
                                .where(Cell.id == cell_id)).first()
    return f"{found.name} / {found.code}" if found else str(cell_id)


def _occurred_at(v: Validator, value: dt.datetime | None, now: dt.datetime,
                 admitted_at: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if value.tzinfo is None or value.utcoffset() is None:
        v.add("occurred_at", "Time of the move must include its time zone")
        return now
    if value > now + CLOCK_SKEW:
        v.add("occurred_at", "Time of the move is in the future")
    elif value < admitted_at:
        v.add("occurred_at", "Time of the move cannot be before the admission")
    return value
