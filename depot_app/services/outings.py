"""Out of the depot and back: to court, hospital or an embassy/consulate.

A detainee away stays on the roll ("out", by reason) and keeps their cell: the place is
not given to anyone else while they are away. The return brings them back to that cell
(or to reception when the cell was taken out of service meanwhile, or they had none).
Both carry the detention version the user saw: a stale one is a ``ConflictError``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Cell, Movement
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import local_day_bounds, to_local
from depot_app.database import UnitOfWork
from depot_app.errors import Validator
from depot_app.readmodels import DetaineeRow
from depot_app.services import detainees
from depot_app.services.court import hooks as court_hooks
from depot_app.services.custody_common import (
    AWAY_WORDS,
    REASON_LEN,
    add_movement,
    cell_label,
    detention_for_update,
    occurred_at,
    optional,
    require_in_custody,
)
from depot_app.services.medical import referrals

__all__ = ["OUT_REASONS", "OutRequest", "ReturnRequest", "come_back", "go_out"]

# Away reason -> (movement kind, what the destination is, in words).
OUT_REASONS = {
    "court": ("out_court", "Court"),
    "hospital": ("out_hospital", "Hospital"),
    "embassy": ("out_embassy", "Embassy or consulate"),
}
DESTINATION_LEN = 200


@dataclass(frozen=True)
class OutRequest:
    detention_id: int
    to: str  # court, hospital, embassy
    destination: str  # "Mahkamah Majistret Kajang", "Hospital Kajang", "Embassy of Myanmar"
    reason: str
    expected_version: int
    escort: str = ""  # the officer or agency taking the detainee
    authority: str = ""  # e.g. the production order or referral
    document_ref: str = ""
    occurred_at: dt.datetime | None = None
    production_id: int | None = None  # to court: the production it is for (None: the one listed)


@dataclass(frozen=True)
class ReturnRequest:
    detention_id: int
    expected_version: int
    note: str = ""
    occurred_at: dt.datetime | None = None


def go_out(uow: UnitOfWork, actor: Actor, request: OutRequest) -> Result[DetaineeRow]:
    """Record a detainee leaving for court, hospital or an embassy: still on the roll."""
    actor.require(Permission.MOVE)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=False, what="recording another outing")
    v = Validator()
    kind_and_words = OUT_REASONS.get(request.to)
    if kind_and_words is None:
        v.add("to", f"Going out to must be one of: {', '.join(OUT_REASONS)}")
        kind, words = "", "Destination"
    else:
        kind, words = kind_and_words
    destination = v.require("destination", request.destination, max_len=DESTINATION_LEN,
                            label=f"{words} (destination)")
    reason = v.require("reason", request.reason, max_len=REASON_LEN, label="Reason for going out")
    escort = optional(v, "escort", request.escort, max_len=120, label="Escort")
    authority = optional(v, "authority", request.authority, max_len=120, label="Authority")
    document_ref = optional(v, "document_ref", request.document_ref, max_len=80,
                            label="Document reference")
    when = occurred_at(v, uow, request.occurred_at, detention, label="Time of leaving")
    v.check()

    before = {"away_reason": "", "version": detention.version}
    movement = add_movement(uow, actor, detention, kind, when, reason=reason,
                            destination=destination, authority=authority,
                            document_ref=document_ref, escort=escort)
    detention.away_reason = request.to
    uow.session.flush()
    referral = referrals.on_out(uow, detention, movement) if request.to == "hospital" else None
    production = court_hooks.on_out(
        uow.session, detention, movement,
        local_day_bounds(to_local(uow.now()).date())[0], request.production_id) \
        if request.to == "court" else None
    uow.record(actor, "detention.out", "detention", detention.id, before,
               {"away_reason": request.to, "destination": destination, "occurred_at": when,
                "reason": reason, "escort": escort, "authority": authority,
                "document_ref": document_ref, "referral_id": referral,
                "production_id": production,
                "cell_kept": cell_label(uow, detention.current_cell_id)})
    uow.touch(Changes.of(areas.DETAINEES, areas.ROLL,
                         *([areas.DEADLINES] if production else []),
                         detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)


def come_back(uow: UnitOfWork, actor: Actor, request: ReturnRequest) -> Result[DetaineeRow]:
    """Record a detainee's return from court, hospital or an embassy to the cell kept for
    them."""
    actor.require(Permission.MOVE)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    if not detention.away_reason:
        v.add("detention_id", f"Detainee {detention.detainee_no} is not away: there is no "
                              f"outing to return from")
    note = optional(v, "note", request.note, max_len=REASON_LEN, label="Note")
    when = occurred_at(v, uow, request.occurred_at, detention, label="Time of return")
    v.check()

    cell = uow.session.get(Cell, detention.current_cell_id) if detention.current_cell_id else None
    back_to = cell.id if cell is not None and cell.in_service else None
    where = AWAY_WORDS.get(detention.away_reason, detention.away_reason)
    reason = note or f"Returned from {where.removeprefix('at ').removeprefix('the ')}"
    if cell is not None and back_to is None:
        reason += f"\nCell {cell_label(uow, cell.id)} is out of service: held in reception"
    before = {"away_reason": detention.away_reason, "version": detention.version}
    came_from = uow.session.scalar(
        select(Movement.destination).where(Movement.detention_id == detention.id,
                                           Movement.kind.in_([k for k, _ in OUT_REASONS.values()]))
        .order_by(Movement.occurred_at.desc(), Movement.id.desc()).limit(1)) or ""
    movement = add_movement(uow, actor, detention, "return", when, reason=reason,
                            to_cell_id=back_to, destination=came_from)
    movement.from_cell_id = None  # from the court or hospital (its destination), not the cell
    away = detention.away_reason
    detention.away_reason = ""
    detention.current_cell_id = back_to
    uow.session.flush()
    referral = referrals.on_return(uow, detention, movement) if away == "hospital" else None
    production = court_hooks.on_return(uow.session, detention, movement) if away == "court" \
        else None
    uow.record(actor, "detention.return", "detention", detention.id, before,
               {"away_reason": "", "occurred_at": when, "cell": cell_label(uow, back_to),
                "note": note, "referral_id": referral, "production_id": production})
    uow.touch(Changes.of(areas.DETAINEES, areas.ROLL, areas.LOCATIONS,
                         *([areas.DEADLINES] if production else []),
                         detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)
