"""The stages of a detention: each rests on a section of the Act and an authority.

A new stage (a removal order under s.34, a decision to hold under s.35, a Magistrate's
order) ends the stage in force at the moment it begins; a court's release or conviction
ends the stage in force with none after it. Every change rewrites the stages' authority
(``authority.refresh``) in the same transaction and is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import CustodyJourney, Detention, DetentionStage
from depot_app import changes as areas
from depot_app import legal_bases
from depot_app.actor import Actor, Permission
from depot_app.authority import MAGISTRATE_ORDER, Law
from depot_app.changes import Changes, Result
from depot_app.clock import format_local
from depot_app.database import UnitOfWork
from depot_app.errors import Validator
from depot_app.services.court import authority
from depot_app.services.custody_common import detention_for_update, require_in_custody

__all__ = ["JourneyRequest", "StageRequest", "begin", "change_basis", "end_in_force",
           "open_stage", "record_journey", "valid_time"]

FUTURE_SLACK = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class StageRequest:
    """A new legal basis from a moment, not from a court: a removal order under s.34, or
    detention under s.35 pending a decision whether to order removal."""

    detention_id: int
    expected_version: int
    section: str
    reference: str  # the order's number and who made it
    starts_at: dt.datetime


@dataclass(frozen=True)
class JourneyRequest:
    detention_id: int
    expected_version: int
    departed_at: dt.datetime
    arrived_at: dt.datetime
    from_place: str
    to_place: str


def open_stage(uow: UnitOfWork, detention_id: int) -> DetentionStage | None:
    return uow.session.scalars(
        select(DetentionStage).where(DetentionStage.detention_id == detention_id,
                                     DetentionStage.ends_at.is_(None))
        .order_by(DetentionStage.starts_at.desc(), DetentionStage.id.desc()).limit(1)).first()


def valid_time(v: Validator, uow: UnitOfWork, detention: Detention, value: dt.datetime | None,
               *, key: str, label: str) -> dt.datetime:
    """A moment in this detention: aware, not in the future, not before the stage in force
    began (the stages must read in order)."""
    if value is None:
        v.add(key, f"{label} is required")
        return uow.now()
    if value.tzinfo is None or value.utcoffset() is None:
        v.add(key, f"{label} must include its time zone")
        return uow.now()
    value = value.astimezone(dt.UTC)
    if value > uow.now() + FUTURE_SLACK:
        v.add(key, f"{label} cannot be in the future")
    current = open_stage(uow, detention.id)
    ended = uow.session.scalar(select(func.max(DetentionStage.ends_at)).where(
        DetentionStage.detention_id == detention.id))
    floor, what = detention.arrested_at, "the arrest"
    if current is not None and current.starts_at >= floor:
        floor, what = current.starts_at, f"the stage under {current.section} began"
    if ended is not None and ended > floor:  # e.g. the court released the detainee then
        floor, what = ended, "the last stage ended"
    if value < floor:
        v.add(key, f"{label} cannot be before {what} ({format_local(floor)})")
    return value


def begin(uow: UnitOfWork, actor: Actor, detention: Detention, *, section: str, kind: str,
          reference: str, starts_at: dt.datetime, order_id: int | None = None,
          law: Law | None = None) -> DetentionStage:
    """End the stage in force at ``starts_at`` and start the new one (validated already)."""
    closed = end_in_force(uow, detention, starts_at)
    stage = DetentionStage(detention_id=detention.id, section=section, authority=kind,
                           reference=reference, starts_at=starts_at, ends_at=None,
                           recorded_by_id=actor.user_id, order_id=order_id)
    uow.session.add(stage)
    authority.refresh(uow.session, [detention.id], law)
    uow.record(actor, "stage.add", "detention", detention.id, {"stages_closed": closed},
               {"section": section, "authority": kind, "reference": reference,
                "starts_at": starts_at, "order_id": order_id,
                "valid_until": stage.valid_until, "rests_on": stage.rests_on})
    return stage


def end_in_force(uow: UnitOfWork, detention: Detention, at: dt.datetime) -> list[str]:
    closed = []
    for stage in uow.session.scalars(select(DetentionStage).where(
            DetentionStage.detention_id == detention.id, DetentionStage.ends_at.is_(None))):
        stage.ends_at = at
        closed.append(stage.section)
    return closed


def change_basis(uow: UnitOfWork, actor: Actor, request: StageRequest) -> Result[int]:
    """Hold the detainee under another section from a moment (not a Magistrate's order:
    those come with the court's outcome)."""
    actor.require(Permission.MANAGE_COURT)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    basis = legal_bases.find(request.section)
    if basis is None:
        v.add("section", f"Section must be one of: {', '.join(legal_bases.codes())}")
    reference = v.require("reference", request.reference, max_len=80,
                          label="Reference (the order's number, or who decided)")
    when = valid_time(v, uow, detention, request.starts_at, key="starts_at", label="From")
    v.check()
    assert basis is not None
    current = open_stage(uow, detention.id)
    if current is None:
        v.add("section", f"Detainee {detention.detainee_no} has no authority in force (the "
                         f"court released or convicted them): record the release or the "
                         f"transfer, or admit anew on a new arrest")
        v.check()
    if current is not None and current.section == basis.code \
            and current.authority != MAGISTRATE_ORDER:
        v.add("section", f"Detainee {detention.detainee_no} is already held under "
                         f"{basis.code} since {format_local(current.starts_at)}")
        v.check()
    stage = begin(uow, actor, detention, section=basis.code, kind=basis.authority,
                  reference=reference, starts_at=when)
    detention.version += 1
    uow.touch(Changes.of(areas.DETAINEES, areas.DEADLINES, detention_ids=(detention.id,)))
    return Result(stage.id, uow.changes)


def record_journey(uow: UnitOfWork, actor: Actor, request: JourneyRequest) -> Result[int]:
    """A necessary journey of a citizen (s.51(5)(a)): the 24 hours exclude it."""
    actor.require(Permission.MANAGE_COURT)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    if not detention.citizen:
        v.add("detention_id", f"Detainee {detention.detainee_no} is not a citizen: journey "
                              f"time counts only in a citizen's 24 hours (s.51(5)(a))")
    src = v.require("from_place", request.from_place, max_len=200, label="From (place)")
    dst = v.require("to_place", request.to_place, max_len=200, label="To (place)")
    dep = _aware(v, request.departed_at, "departed_at", "Departed")
    arr = _aware(v, request.arrived_at, "arrived_at", "Arrived")
    if dep and arr:
        if arr <= dep:
            v.add("arrived_at", "Arrived must be after departed")
        if dep < detention.arrested_at:
            v.add("departed_at", f"Departed cannot be before the arrest "
                                 f"({format_local(detention.arrested_at)})")
        if arr > uow.now() + FUTURE_SLACK:
            v.add("arrived_at", "Arrived cannot be in the future")
    v.check()
    journey = CustodyJourney(detention_id=detention.id, departed_at=dep, arrived_at=arr,
                             from_place=src, to_place=dst, recorded_by_id=actor.user_id,
                             recorded_at=uow.now())
    uow.session.add(journey)
    uow.session.flush()
    authority.refresh(uow.session, [detention.id])
    current = open_stage(uow, detention.id)
    uow.record(actor, "journey.add", "detention", detention.id, None,
               {"departed_at": dep, "arrived_at": arr, "from": src, "to": dst,
                "valid_until": current.valid_until if current else None})
    detention.version += 1
    uow.touch(Changes.of(areas.DETAINEES, areas.DEADLINES, detention_ids=(detention.id,)))
    return Result(journey.id, uow.changes)


def _aware(v: Validator, value: dt.datetime | None, key: str, label: str) -> dt.datetime | None:
    if value is None:
        v.add(key, f"{label} is required")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        v.add(key, f"{label} must include its time zone")
        return None
    return value.astimezone(dt.UTC)

