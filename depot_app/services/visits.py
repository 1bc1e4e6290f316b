"""Visits to a detainee: consular officers, family, lawyers, NGOs and UNHCR.

A visit records who came, from which organisation, for whom and when, and the officer
present. An NGO or UNHCR visit needs the reference of its approval; a consular visit names
the embassy or consulate; a family visit names the relation to the detainee. A visit is
recorded while the detainee is held here; its end is recorded when the visitor leaves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from db.models import User, Visit
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError, Validator
from depot_app.readmodels import VisitView
from depot_app.services.custody_common import CLOCK_SKEW, lock_detention, optional

__all__ = ["VISIT_KINDS", "VisitInput", "end_visit", "record_visit", "visits_of"]

# kind -> (label, what the organisation field is, organisation required, approval required)
VISIT_KINDS = {
    "consular": ("Consular / embassy", "Embassy or consulate", True, False),
    "family": ("Family", "", False, False),
    "lawyer": ("Lawyer", "Firm", False, False),
    "ngo": ("NGO / UNHCR", "Organisation", True, True),
}


@dataclass(frozen=True)
class VisitInput:
    detention_id: int
    kind: str
    visitor: str  # name(s) of the visitor(s)
    started_at: dt.datetime | None = None  # None: now
    organisation: str = ""
    approval_ref: str = ""
    relation: str = ""  # family: "wife", "brother"
    officer_present: str = ""
    notes: str = ""
    ended_at: dt.datetime | None = None


def _time(v: Validator, key: str, label: str, value: dt.datetime, now: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        v.add(key, f"{label} must include its time zone")
    elif value > now + CLOCK_SKEW:
        v.add(key, f"{label} is in the future")


def record_visit(uow: UnitOfWork, actor: Actor, request: VisitInput) -> Result[VisitView]:
    actor.require(Permission.MOVE)
    detention = lock_detention(uow, request.detention_id)  # a departure meanwhile waits
    if detention.status != "in_custody":
        raise ValidationError({"detention_id": f"Detainee {detention.detainee_no} is not in "
                                               f"custody: no visit can be recorded"})
    v = Validator()
    spec = VISIT_KINDS.get(request.kind)
    if spec is None:
        v.add("kind", f"Kind of visit must be one of: {', '.join(VISIT_KINDS)}")
        spec = ("Visit", "Organisation", False, False)
    _, org_label, org_required, approval_required = spec
    visitor = v.require("visitor", request.visitor, max_len=200, label="Visitor's name")
    if org_required:
        organisation = v.require("organisation", request.organisation, max_len=200,
                                 label=org_label)
    else:
        organisation = optional(v, "organisation", request.organisation, max_len=200,
                                label=org_label or "Organisation")
    if approval_required:
        approval = v.require("approval_ref", request.approval_ref, max_len=60,
                             label="Approval reference")
    else:
        approval = optional(v, "approval_ref", request.approval_ref, max_len=60,
                            label="Approval reference")
    if request.kind == "family":
        relation = v.require("relation", request.relation, max_len=60,
                             label="Relation to the detainee")
    else:
        relation = optional(v, "relation", request.relation, max_len=60, label="Relation")
    officer = optional(v, "officer_present", request.officer_present, max_len=120,
                       label="Officer present")
    notes = optional(v, "notes", request.notes, max_len=1000, label="Notes")
    now = uow.now()
    started = request.started_at or now
    _time(v, "started_at", "Start of the visit", started, now)
    if "started_at" not in v.errors and started < detention.admitted_at:
        v.add("started_at", "Start of the visit cannot be before the admission")
    ended = request.ended_at
    if ended is not None:
        _time(v, "ended_at", "End of the visit", ended, now)
        if "ended_at" not in v.errors and "started_at" not in v.errors and ended < started:
            v.add("ended_at", "End of the visit cannot be before its start")
    v.check()

    visit = Visit(detention_id=detention.id, kind=request.kind, visitor=visitor,
                  organisation=organisation, approval_ref=approval, relation=relation,
                  officer_present=officer, notes=notes, started_at=started, ended_at=ended,
                  recorded_by_id=actor.user_id)
    uow.session.add(visit)
    uow.session.flush()
    uow.record(actor, "visit.record", "visit", visit.id, None,
               {"detention_id": detention.id, "kind": request.kind, "visitor": visitor,
                "organisation": organisation, "approval_ref": approval, "relation": relation,
                "officer_present": officer, "started_at": started, "ended_at": ended})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(detention.id,)))
    return Result(_view(uow, visit.id), uow.changes)


def end_visit(uow: UnitOfWork, actor: Actor, visit_id: int,
              ended_at: dt.datetime | None = None) -> Result[VisitView]:
    actor.require(Permission.MOVE)
    visit = uow.session.execute(select(Visit).where(Visit.id == visit_id)
                                .with_for_update()).scalar()
    if visit is None:
        raise NotFound("visit", visit_id)
    v = Validator()
    if visit.ended_at is not None:
        v.add("ended_at", "This visit's end is already recorded")
    now = uow.now()
    ended = ended_at or now
    _time(v, "ended_at", "End of the visit", ended, now)
    if "ended_at" not in v.errors and ended < visit.started_at:
        v.add("ended_at", "End of the visit cannot be before its start")
    v.check()
    visit.ended_at = ended
    uow.record(actor, "visit.end", "visit", visit.id, {"ended_at": None}, {"ended_at": ended})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(visit.detention_id,)))
    return Result(_view(uow, visit.id), uow.changes)


def visits_of(uow: UnitOfWork, detention_id: int) -> tuple[VisitView, ...]:
    """A detention's visits, the most recent first (no permission check: callers have one)."""
    recorder = aliased(User)
    return tuple(
        _to_view(visit, who or "")
        for visit, who in uow.session.execute(
            select(Visit, recorder.full_name)
            .outerjoin(recorder, recorder.id == Visit.recorded_by_id)
            .where(Visit.detention_id == detention_id)
            .order_by(Visit.started_at.desc(), Visit.id.desc())))


def _view(uow: UnitOfWork, visit_id: int) -> VisitView:
    visit = uow.session.get(Visit, visit_id)
    who = uow.session.scalar(select(User.full_name).where(User.id == visit.recorded_by_id))
    return _to_view(visit, who or "")


def _to_view(visit: Visit, recorded_by: str) -> VisitView:
    return VisitView(id=visit.id, detention_id=visit.detention_id, kind=visit.kind,
                     visitor=visit.visitor, organisation=visit.organisation,
                     approval_ref=visit.approval_ref, relation=visit.relation,
                     officer_present=visit.officer_present, notes=visit.notes,
                     started_at=visit.started_at, ended_at=visit.ended_at,
                     recorded_by=recorded_by)
