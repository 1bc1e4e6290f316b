"""Productions before a Magistrate: scheduled (court, time, escort), out to court and back
(the movements of ``services.outings``), and the court's outcome.

An outcome with a Magistrate's order (detention order, remand, remand after a charge)
starts a stage resting on that order until it expires; the order may not run beyond the
cap of the provision it cites (s.51(5) proviso: s.35, 30 days from the start of the
detention under it). A release or conviction ends the stage in force with none after it:
the detainee shows as held without authority until the release or the transfer to prison
is recorded. A charge needs the Public Prosecutor's sanction (s.58).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import CourtProduction, Detention, DetentionOrder, Movement
from depot_app import changes as areas
from depot_app import legal_bases
from depot_app.actor import Actor, Permission
from depot_app.authority import MAGISTRATE_ORDER, Law, cap_until
from depot_app.changes import Changes, Result
from depot_app.clock import format_local
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, NotFound, ValidationError, Validator
from depot_app.services import outings
from depot_app.services.court import authority, deadlines, stages
from depot_app.services.court.vocab import (
    CHARGED,
    ENDS_AUTHORITY,
    ORDER_PURPOSES,
    OUTCOMES,
    PURPOSES,
    REMAND,
    WITH_ORDER,
)
from depot_app.services.custody_common import (
    detention_for_update,
    optional,
    require_in_custody,
)

__all__ = ["CancelRequest", "OrderInput", "OutcomeRequest", "ScheduleRequest", "SendRequest",
           "cancel", "record_outcome", "reschedule", "schedule", "send"]

COURT_LEN, ESCORT_LEN = 120, 120  # the escort goes on the outing's movement (120)
MAX_ORDER_DAYS = 3660  # beyond ten years a period is a typing mistake


@dataclass(frozen=True)
class ScheduleRequest:
    detention_id: int
    expected_version: int  # the detention's
    court: str  # "Mahkamah Majistret Kajang"
    scheduled_at: dt.datetime
    escort: str = ""
    purpose: str = "first"


@dataclass(frozen=True)
class RescheduleRequest:
    production_id: int
    expected_version: int  # the production's
    court: str
    scheduled_at: dt.datetime
    escort: str = ""


@dataclass(frozen=True)
class CancelRequest:
    production_id: int
    expected_version: int
    reason: str


@dataclass(frozen=True)
class SendRequest:
    production_id: int
    expected_version: int  # the production's
    detention_version: int
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class OrderInput:
    order_no: str
    magistrate: str
    section: str  # the provision the detainee is to be detained under
    period_days: int
    starts_at: dt.datetime | None = None  # None: when produced
    purpose: str = ""  # None: from the outcome and the section


@dataclass(frozen=True)
class OutcomeRequest:
    production_id: int
    expected_version: int
    outcome: str
    produced_at: dt.datetime | None = None  # None: the scheduled time
    order: OrderInput | None = None
    sanction_ref: str = ""  # s.58: the Public Prosecutor's written consent
    case_no: str = ""
    charge: str = ""
    sentence: str = ""
    prison: str = ""
    note: str = ""


def _production(uow: UnitOfWork, production_id: int, expected_version: int) -> CourtProduction:
    p = uow.session.get(CourtProduction, production_id, with_for_update=True)
    if p is None:
        raise NotFound("court production", production_id)
    if p.version != expected_version:
        raise ConflictError("The production was changed by someone else since you opened "
                            "it: reload")
    return p


def _court_time(v: Validator, uow: UnitOfWork, detention: Detention, value: dt.datetime | None,
                court: str, escort: str) -> tuple[str, dt.datetime | None, str]:
    court = v.require("court", court, max_len=COURT_LEN, label="Court")
    escort = optional(v, "escort", escort, max_len=ESCORT_LEN, label="Escort")
    if value is None:
        v.add("scheduled_at", "Date and time at court is required")
    elif value.tzinfo is None or value.utcoffset() is None:
        v.add("scheduled_at", "Date and time at court must include its time zone")
        value = None
    elif value < detention.arrested_at:
        v.add("scheduled_at", f"Date and time at court cannot be before the arrest "
                              f"({format_local(detention.arrested_at)})")
    elif value > uow.now() + dt.timedelta(days=400):
        v.add("scheduled_at", "Date and time at court is more than a year ahead: check the year")
    return court, value.astimezone(dt.UTC) if value else None, escort


def schedule(uow: UnitOfWork, actor: Actor, request: ScheduleRequest) -> Result[int]:
    """Put a detainee on a court's list for a date and time, with the escort."""
    actor.require(Permission.MANAGE_COURT)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    court, when, escort = _court_time(v, uow, detention, request.scheduled_at, request.court,
                                      request.escort)
    if request.purpose not in PURPOSES:
        v.add("purpose", f"Purpose must be one of: {', '.join(PURPOSES)}")
    elif request.purpose == "first":
        produced = uow.session.scalar(select(func.min(CourtProduction.produced_at)).where(
            CourtProduction.detention_id == detention.id, CourtProduction.status == "done"))
        if produced is not None:
            v.add("purpose", f"Purpose: the first production was on {format_local(produced)}: "
                             f"this one is for a further order, or a mention or trial")
    pending = uow.session.scalar(select(CourtProduction.id).where(
        CourtProduction.detention_id == detention.id, deadlines.to_come(uow.now())).limit(1))
    if pending is not None:
        v.add("detention_id", f"Detainee {detention.detainee_no} already has a production "
                              f"scheduled: change or cancel that one")
    v.check()
    missed = _missed(uow, detention.id)
    p = CourtProduction(detention_id=detention.id, court=court, scheduled_at=when, escort=escort,
                        purpose=request.purpose, status="scheduled",
                        scheduled_by_id=actor.user_id)
    uow.session.add(p)
    uow.session.flush()
    uow.record(actor, "production.schedule", "court_production", p.id, None,
               {"detention_id": detention.id, "court": court, "scheduled_at": when,
                "escort": escort, "purpose": request.purpose, "missed_closed": missed})
    detention.version += 1
    uow.touch(Changes.of(areas.DEADLINES, areas.DETAINEES, detention_ids=(detention.id,)))
    return Result(p.id, uow.changes)


def _missed(uow: UnitOfWork, detention_id: int) -> list[int]:
    """Productions of an earlier day never taken to court: closed as missed when the
    detainee is put on another list."""
    closed = []
    for p in uow.session.scalars(select(CourtProduction).where(
            CourtProduction.detention_id == detention_id,
            CourtProduction.status == "scheduled", ~deadlines.to_come(uow.now()))):
        p.status = "cancelled"
        p.outcome_note = f"Missed: not taken to court on {format_local(p.scheduled_at)}"
        closed.append(p.id)
    return closed


def reschedule(uow: UnitOfWork, actor: Actor, request: RescheduleRequest) -> Result[int]:
    actor.require(Permission.MANAGE_COURT)
    p = _production(uow, request.production_id, request.expected_version)
    if p.status != "scheduled":
        raise ValidationError({"production_id": "Only a production not yet gone to court can "
                                                "be changed"})
    detention = uow.session.get(Detention, p.detention_id)
    assert detention is not None
    v = Validator()
    court, when, escort = _court_time(v, uow, detention, request.scheduled_at, request.court,
                                      request.escort)
    v.check()
    before = {"court": p.court, "scheduled_at": p.scheduled_at, "escort": p.escort}
    p.court, p.scheduled_at, p.escort = court, when, escort
    uow.session.flush()
    uow.record(actor, "production.reschedule", "court_production", p.id, before,
               {"court": court, "scheduled_at": when, "escort": escort})
    uow.touch(Changes.of(areas.DEADLINES, detention_ids=(p.detention_id,)))
    return Result(p.id, uow.changes)


def cancel(uow: UnitOfWork, actor: Actor, request: CancelRequest) -> Result[int]:
    actor.require(Permission.MANAGE_COURT)
    p = _production(uow, request.production_id, request.expected_version)
    v = Validator()
    reason = v.require("reason", request.reason, max_len=300, label="Reason for cancelling")
    if p.status != "scheduled":
        v.add("production_id", "Only a production not yet gone to court can be cancelled")
    v.check()
    p.status, p.outcome_note = "cancelled", reason
    uow.session.flush()
    uow.record(actor, "production.cancel", "court_production", p.id, {"status": "scheduled"},
               {"status": "cancelled", "reason": reason})
    uow.touch(Changes.of(areas.DEADLINES, detention_ids=(p.detention_id,)))
    return Result(p.id, uow.changes)


def send(uow: UnitOfWork, actor: Actor, request: SendRequest) -> Result[int]:
    """The detainee leaves for court with the escort: the outing's movement, linked."""
    actor.require(Permission.MANAGE_COURT)
    p = _production(uow, request.production_id, request.expected_version)
    if p.status != "scheduled":
        raise ValidationError({"production_id": "This production has already gone to court "
                                                "or was cancelled"})
    purpose = PURPOSES.get(p.purpose, p.purpose)
    outings.go_out(uow, actor, outings.OutRequest(
        detention_id=p.detention_id, to="court", destination=p.court,
        reason=f"Production before a Magistrate: {purpose}",
        expected_version=request.detention_version, escort=p.escort,
        authority="Production before a Magistrate (s.51(5))",
        document_ref=f"Production {p.id}", occurred_at=request.occurred_at,
        production_id=p.id))
    uow.session.flush()
    assert p.status == "out"  # outings' hook linked the outing's movement to it
    uow.record(actor, "production.out", "court_production", p.id, {"status": "scheduled"},
               {"status": "out", "movement_id": p.out_movement_id})
    uow.touch(Changes.of(areas.DEADLINES, detention_ids=(p.detention_id,)))
    return Result(p.id, uow.changes)


def record_outcome(uow: UnitOfWork, actor: Actor, request: OutcomeRequest) -> Result[int]:
    """What the court decided, in one transaction with the stage it starts or ends."""
    actor.require(Permission.MANAGE_COURT)
    p = _production(uow, request.production_id, request.expected_version)
    detention = uow.session.get(Detention, p.detention_id, with_for_update=True)
    assert detention is not None
    v = Validator()
    if p.status in ("done", "cancelled", "closed"):
        v.add("production_id", {"done": "The outcome of this production is already recorded",
                                "cancelled": "This production was cancelled",
                                "closed": "The custody ended during this production"}[p.status])
        v.check()
    require_in_custody(detention, may_be_away=True, what="")
    if request.outcome not in OUTCOMES:
        v.add("outcome", f"Outcome must be one of: {', '.join(OUTCOMES)}")
    produced = stages.valid_time(v, uow, detention, request.produced_at or p.scheduled_at,
                                 key="produced_at", label="Produced at")
    went = uow.session.get(Movement, p.out_movement_id) if p.out_movement_id else None
    earliest = (went.occurred_at, "the detainee left for court") if went is not None else \
        (p.scheduled_at, "the time the production was listed for")
    if "produced_at" not in v.errors and produced < earliest[0]:
        v.add("produced_at", f"Produced at cannot be before {earliest[1]} "
                             f"({format_local(earliest[0])}): record the outcome once the "
                             f"court has sat")
    note = optional(v, "note", request.note, max_len=2000, label="Note")
    fields = {"sanction_ref": "", "case_no": "", "charge": "", "sentence": "", "prison": ""}
    if request.outcome == CHARGED:
        fields["sanction_ref"] = v.require(
            "sanction_ref", request.sanction_ref, max_len=60,
            label="Public Prosecutor's sanction reference (s.58)")
        fields["charge"] = v.require("charge", request.charge, max_len=2000, label="Charge")
        fields["case_no"] = optional(v, "case_no", request.case_no, max_len=60,
                                     label="Case number")
    if request.outcome == "convicted":
        fields["sentence"] = v.require("sentence", request.sentence, max_len=200,
                                       label="Sentence")
        fields["prison"] = v.require("prison", request.prison, max_len=200,
                                     label="Prison (transferred to)")
        fields["case_no"] = optional(v, "case_no", request.case_no, max_len=60,
                                     label="Case number")
    order_values = None
    law = authority.load_law(uow.session)  # once for the whole action
    if request.outcome in WITH_ORDER:
        order_values = _order(v, uow, detention, request, produced, law)
    elif request.order is not None and request.outcome in OUTCOMES:
        v.add("outcome", f"{OUTCOMES[request.outcome]} makes no detention order")
    v.check()

    before = {"status": p.status, "outcome": p.outcome}
    p.status, p.outcome, p.produced_at, p.outcome_note = "done", request.outcome, produced, note
    for key, value in fields.items():
        setattr(p, key, value)
    p.outcome_by_id = actor.user_id
    order_id = None
    if order_values is not None:
        order = DetentionOrder(detention_id=detention.id, production_id=p.id,
                               recorded_by_id=actor.user_id, recorded_at=uow.now(),
                               **order_values)
        uow.session.add(order)
        uow.session.flush()
        order_id = order.id
        stages.begin(uow, actor, detention, section=order.section, kind=MAGISTRATE_ORDER,
                     reference=order.order_no, starts_at=order.starts_at, order_id=order.id,
                     law=law)
    elif request.outcome in ENDS_AUTHORITY:
        closed = stages.end_in_force(uow, detention, produced)
        authority.refresh(uow.session, [detention.id], law)
        uow.record(actor, "stage.end", "detention", detention.id, {"stages_closed": closed},
                   {"outcome": request.outcome, "at": produced})
    uow.session.flush()
    uow.record(actor, "production.outcome", "court_production", p.id, before,
               {"outcome": request.outcome, "produced_at": produced, "note": note,
                "order_id": order_id, **fields})
    detention.version += 1
    uow.touch(Changes.of(areas.DEADLINES, areas.DETAINEES, detention_ids=(detention.id,)))
    return Result(p.id, uow.changes)


def _order(v: Validator, uow: UnitOfWork, detention: Detention, request: OutcomeRequest,
           produced: dt.datetime, law: Law) -> dict | None:
    o = request.order
    if o is None:
        v.add("order_no", f"{OUTCOMES[request.outcome]} needs the Magistrate's order: its "
                          f"number, the Magistrate, the section and the period")
        return None
    order_no = v.require("order_no", o.order_no, max_len=60, label="Order number")
    magistrate = v.require("magistrate", o.magistrate, max_len=120, label="Magistrate")
    basis = legal_bases.find(o.section)
    if basis is None:
        v.add("section", f"Section (detained under) must be one of: "
                         f"{', '.join(legal_bases.codes())}")
    purpose = o.purpose or ("investigation" if request.outcome == REMAND
                            else "trial" if request.outcome == CHARGED
                            else "removal" if basis is not None and basis.code == "s.34"
                            else "inquiries")
    if purpose not in ORDER_PURPOSES:
        v.add("purpose", f"Purpose of the order must be one of: {', '.join(ORDER_PURPOSES)}")
    if not isinstance(o.period_days, int) or not 1 <= o.period_days <= MAX_ORDER_DAYS:
        v.add("period_days", f"Period (days) must be a whole number from 1 to {MAX_ORDER_DAYS}")
        return None
    starts = produced if o.starts_at is None else stages.valid_time(
        v, uow, detention, o.starts_at, key="order_starts_at", label="Order runs from")
    if starts < produced and "order_starts_at" not in v.errors:
        v.add("order_starts_at", f"Order runs from cannot be before the production "
                                 f"({format_local(produced)})")
    expires = starts + dt.timedelta(days=o.period_days)
    if basis is not None and "order_starts_at" not in v.errors:
        loaded = authority.load(uow.session, [detention.id])[detention.id]
        cap = cap_until(loaded.timeline, law, basis.code, starts)
        if cap is not None and cap[0] <= starts:
            v.add("section", f"Section (detained under): the {cap[1].words} {basis.code} "
                             f"allows ran out on {format_local(cap[0])}: no order can be "
                             f"made under {basis.code} (s.51(5) proviso)")
        elif cap is not None and expires > cap[0]:
            most = (cap[0] - starts).days
            v.add("period_days", f"Period (days) may not exceed what {basis.code} allows: at "
                                 f"most {cap[1].words} in all, so at most {most} days from "
                                 f"{format_local(starts)} (until {format_local(cap[0])}; "
                                 f"s.51(5) proviso)")
    if basis is None or "period_days" in v.errors or "section" in v.errors:
        return None
    return {"order_no": order_no, "magistrate": magistrate, "section": basis.code,
            "period_days": o.period_days, "starts_at": starts, "expires_at": expires,
            "purpose": purpose}
