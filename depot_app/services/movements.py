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

from db.models import Block, Cell
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import PermissionDenied, ValidationError, Validator
from depot_app.readmodels import DetaineeRow
from depot_app.services import detainees
from depot_app.services.custody_common import (
    REASON_LEN,
    add_movement,
    cell_label,
    detention_for_update,
    occurred_at,
    require_in_custody,
)
from depot_app.services.placement import check_placement
from depot_app.services.places import cell_words
from depot_app.services.setup import current_depot

__all__ = ["MoveRequest", "move_to_cell"]



@dataclass(frozen=True)
class MoveRequest:
    detention_id: int
    cell_id: int
    reason: str
    expected_version: int  # the detention's version when the user opened it
    occurred_at: dt.datetime | None = None  # None: now
    override_reason: str = ""  # an officer's reason to use a full cell


def move_to_cell(uow: UnitOfWork, actor: Actor, request: MoveRequest) -> Result[DetaineeRow]:
    """Move a detainee held here to another cell. ``ValidationError`` names every bad field;
    a stale ``expected_version`` gives ``ConflictError``; nothing is written unless all is
    right."""
    actor.require(Permission.MOVE)
    s = uow.session
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    number = detention.detainee_no
    require_in_custody(detention, may_be_away=False, what="moving them to a cell")

    v = Validator()
    reason = v.require("reason", request.reason, max_len=REASON_LEN, label="Reason for the move")
    when = occurred_at(v, uow, request.occurred_at, detention, label="Time of the move")
    target = _cell_for_update(uow, request.cell_id)
    from_cell_id = detention.current_cell_id
    denied: PermissionDenied | None = None
    overridden: tuple[str, ...] = ()
    if from_cell_id == target.id:
        v.add("cell_id", f"Detainee {number} is already in {target.label}")
    else:
        try:
            overridden = check_placement(uow, actor, detention.id, target.id,
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
    from_label = cell_label(uow, from_cell_id)
    before_version = detention.version
    add_movement(uow, actor, detention, "cell_move", when, reason=written,
                 to_cell_id=target.id)
    detention.current_cell_id = target.id
    s.flush()  # a concurrent change of the detention surfaces here as StaleDataError

    uow.record(actor, "detention.move", "detention", detention.id,
               {"cell_id": from_cell_id, "cell": from_label, "version": before_version},
               {"cell_id": target.id, "cell": target.label, "occurred_at": when,
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
    return _Target(found.id, cell_words(found.name, found.code))
