"""Leaving custody: release, transfer to another depot, removal, abscondment and death.

Each ends the detention (its status and ``ended_at``) and its open legal stage, frees the
cell, and writes one movement naming who recorded it, when, why and on what authority; the
detainee leaves the roll. Release and transfer return property and pay out cash in the same unit of work
(``property.PropertyReturn``); what is not returned stays visible as held. A death writes
its death record: time, place, the cause as certified, the post-mortem reference and the
notifications made (more can be added later, as they are made).

A stale detention version is a ``ConflictError``: two workstations recording a departure
of the same detainee cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from db.models import (
    DEATH_PLACES,
    DeathNotification,
    DeathRecord,
    Detention,
    DetentionStage,
    Movement,
)
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import format_local
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError, Validator
from depot_app.readmodels import DetaineeRow
from depot_app.services import detainees
from depot_app.services.court import authority
from depot_app.services.court import hooks as court_hooks
from depot_app.services.custody_common import (
    AWAY_WORDS,
    REASON_LEN,
    REF_LEN,
    add_movement,
    cell_label,
    detention_for_update,
    occurred_at,
    optional,
    require_in_custody,
)
from depot_app.services.medical import current as medical_current
from depot_app.services.medical import referrals
from depot_app.services.medical.status import fit_to_travel_problem
from depot_app.services.property import PropertyReturn, apply_return, check_return
from depot_app.services.setup import current_depot

__all__ = ["DISCHARGES", "AbscondRequest", "DeathRequest", "DischargeRequest",
           "NotificationInput", "abscond", "add_death_notification", "discharge",
           "record_death", "set_post_mortem"]


@dataclass(frozen=True)
class Discharge:
    status: str
    label: str
    destination_label: str  # what ``destination`` is for this kind
    destination_required: bool
    document_required: bool
    # While out of the depot, for these away reasons only (a Magistrate may order release at
    # court; a detainee at hospital or an embassy is brought back first).
    may_be_away: frozenset[str]


DISCHARGES = {
    "release": Discharge("released", "Release", "Released to", False, False,
                         frozenset({"court"})),
    "transfer": Discharge("transferred", "Transfer", "Receiving depot", True, True,
                          frozenset()),
    "removal": Discharge("removed", "Removal", "Removed to (country, port or flight)", True,
                         True, frozenset()),
}


@dataclass(frozen=True)
class DischargeRequest:
    detention_id: int
    kind: str  # release, transfer, removal
    authority: str  # who authorised it: "Magistrate's order", "Director of Immigration"
    reason: str
    expected_version: int
    document_ref: str = ""  # the transfer document, release order or removal order number
    destination: str = ""  # receiving depot; country/flight; to whom released
    property: PropertyReturn = field(default_factory=PropertyReturn)
    escort: str = ""  # the officer or agency taking the detainee (transfer, removal)
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class AbscondRequest:
    detention_id: int
    expected_version: int
    circumstances: str  # how and where it was discovered
    last_seen: str = ""  # where and when last seen, in words
    police_report: str = ""  # the report number
    occurred_at: dt.datetime | None = None  # when discovered


@dataclass(frozen=True)
class NotificationInput:
    notified: str  # "Embassy of Myanmar", "Police (IPD Kajang)", "Next of kin"
    notified_at: dt.datetime
    means: str = ""  # "letter ref. JIM/SMY/123", "telephone"


@dataclass(frozen=True)
class DeathRequest:
    detention_id: int
    expected_version: int
    died_at: dt.datetime
    place_kind: str  # depot, hospital
    cause_certified: str
    certified_by: str  # the medical officer who certified it
    place: str = ""  # empty: the cell, or the hospital the detainee was taken to
    post_mortem_ref: str = ""
    notifications: tuple[NotificationInput, ...] = ()


def _after_stages(v: Validator, uow: UnitOfWork, detention: Detention, when: dt.datetime,
                  key: str, label: str) -> None:
    """Custody cannot end before the authority it ends began: a departure recorded after
    the fact may not be dated before the start of the open legal stage."""
    started = uow.session.execute(
        select(DetentionStage.section, DetentionStage.starts_at)
        .where(DetentionStage.detention_id == detention.id, DetentionStage.ends_at.is_(None))
        .order_by(DetentionStage.starts_at.desc()).limit(1)).first()
    if started is not None and key not in v.errors and when < started.starts_at:
        v.add(key, f"{label} cannot be before the detention under {started.section} began "
                   f"({format_local(started.starts_at)})")


def _end(uow: UnitOfWork, detention: Detention, status: str, when: dt.datetime) -> dict:
    before = {"status": detention.status, "cell": cell_label(uow, detention.current_cell_id),
              "away_reason": detention.away_reason, "version": detention.version}
    detention.status = status
    detention.ended_at = when
    detention.current_cell_id = None
    detention.away_reason = ""
    # The authority to hold ends with the custody: its open stage closes at the departure.
    for stage in uow.session.scalars(select(DetentionStage).where(
            DetentionStage.detention_id == detention.id, DetentionStage.ends_at.is_(None))):
        stage.ends_at = when
        before.setdefault("stages_closed", []).append(stage.section)
    authority.refresh(uow.session, [detention.id])
    productions = court_hooks.on_departure(uow.session, detention, status.replace("_", " "))
    if productions:
        before["productions_cancelled"] = productions
    medical_current.off_lists(uow, detention.id)
    cancelled = referrals.close_on_departure(uow, detention)
    if cancelled:
        before["referrals_cancelled"] = cancelled
    return before


def _finish(uow: UnitOfWork, actor: Actor, detention: Detention) -> Result[DetaineeRow]:
    uow.touch(Changes.of(areas.DETAINEES, areas.ROLL, areas.LOCATIONS, areas.DEADLINES,
                         detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)


def discharge(uow: UnitOfWork, actor: Actor, request: DischargeRequest) -> Result[DetaineeRow]:
    """Release, transfer or remove a detainee, returning property as the request says."""
    actor.require(Permission.MOVE)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    kind = DISCHARGES.get(request.kind)
    if kind is None:
        raise ValidationError({"kind": f"Departure must be one of: {', '.join(DISCHARGES)}"})
    require_in_custody(detention, may_be_away=detention.away_reason in kind.may_be_away,
                       what=f"recording the {kind.label.lower()}")
    v = Validator()
    authority = v.require("authority", request.authority, max_len=120,
                          label=f"Authority for the {kind.label.lower()}")
    reason = v.require("reason", request.reason, max_len=REASON_LEN,
                       label=f"Reason for the {kind.label.lower()}")
    if kind.document_required:
        document_ref = v.require("document_ref", request.document_ref, max_len=REF_LEN,
                                 label=("Transfer document no." if request.kind == "transfer"
                                        else "Removal order no."))
    else:
        document_ref = optional(v, "document_ref", request.document_ref, max_len=REF_LEN,
                                label="Document no.")
    if kind.destination_required:
        destination = v.require("destination", request.destination, max_len=200,
                                label=kind.destination_label)
    else:
        destination = optional(v, "destination", request.destination, max_len=200,
                               label=kind.destination_label)
    if request.kind == "transfer" and destination:
        here = current_depot(uow)
        if destination.strip().lower() in {here.name.lower(), here.code.lower()}:
            v.add("destination", "The receiving depot cannot be this depot")
    escort = optional(v, "escort", request.escort, max_len=120, label="Escort")
    when = occurred_at(v, uow, request.occurred_at, detention,
                       label=f"Time of the {kind.label.lower()}")
    _after_stages(v, uow, detention, when, "occurred_at", f"Time of the {kind.label.lower()}")
    if request.kind == "removal" and "occurred_at" not in v.errors:
        # Removal needs a valid fit-to-travel outcome (the latest examination before it).
        problem = fit_to_travel_problem(uow, detention, when)
        if problem:
            v.add("fit_to_travel", problem)
    checked = check_return(v, uow, detention, request.property, prefix="property.")
    v.check()

    add_movement(uow, actor, detention, request.kind, when, reason=reason,
                 destination=destination, authority=authority, document_ref=document_ref,
                 escort=escort)
    returned = apply_return(uow, actor, detention, checked, when)
    before = _end(uow, detention, kind.status, when)
    uow.session.flush()
    uow.record(actor, f"detention.{request.kind}", "detention", detention.id, before,
               {"status": kind.status, "occurred_at": when, "authority": authority,
                "document_ref": document_ref, "destination": destination, "reason": reason,
                "escort": escort,
                "property_returned": returned})
    return _finish(uow, actor, detention)


def abscond(uow: UnitOfWork, actor: Actor, request: AbscondRequest) -> Result[DetaineeRow]:
    """Record that a detainee has escaped (from the depot, or while out at court or
    hospital): off the roll, property kept."""
    actor.require(Permission.MOVE)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    circumstances = v.require("circumstances", request.circumstances, max_len=REASON_LEN,
                              label="How it was discovered")
    last_seen = optional(v, "last_seen", request.last_seen, max_len=200, label="Last seen")
    report = optional(v, "police_report", request.police_report, max_len=REF_LEN,
                      label="Police report no.")
    when = occurred_at(v, uow, request.occurred_at, detention, label="Time discovered")
    _after_stages(v, uow, detention, when, "occurred_at", "Time discovered")
    v.check()

    away = detention.away_reason
    add_movement(uow, actor, detention, "abscond", when, reason=circumstances,
                 destination=last_seen, authority="Police report" if report else "",
                 document_ref=report)
    before = _end(uow, detention, "absconded", when)
    uow.session.flush()
    uow.record(actor, "detention.abscond", "detention", detention.id, before,
               {"status": "absconded", "occurred_at": when, "circumstances": circumstances,
                "last_seen": last_seen, "police_report": report, "while_away": away})
    return _finish(uow, actor, detention)


def _notification(v: Validator, i: int | None, n: NotificationInput, died_at: dt.datetime,
                  now: dt.datetime) -> None:
    key = "notifications" if i is None else f"notifications[{i}]"
    v.require(f"{key}.notified", n.notified, max_len=200, label="Who was notified")
    optional(v, f"{key}.means", n.means, max_len=120, label="How they were notified")
    at = n.notified_at
    if at is None or at.tzinfo is None or at.utcoffset() is None:
        v.add(f"{key}.notified_at", "Time notified must include its time zone")
    elif at < died_at:
        v.add(f"{key}.notified_at", "Time notified cannot be before the death")
    elif at > now + dt.timedelta(minutes=5):
        v.add(f"{key}.notified_at", "Time notified is in the future")


def record_death(uow: UnitOfWork, actor: Actor, request: DeathRequest) -> Result[DetaineeRow]:
    """Record a death in custody with its death record and the notifications made."""
    actor.require(Permission.MOVE)
    detention = detention_for_update(uow, request.detention_id, request.expected_version)
    require_in_custody(detention, may_be_away=True, what="")
    v = Validator()
    if request.place_kind not in DEATH_PLACES:
        v.add("place_kind", "Place of death must be the depot or a hospital")
    when = occurred_at(v, uow, request.died_at, detention, label="Time of death",
                       key="died_at")
    _after_stages(v, uow, detention, when, "died_at", "Time of death")
    place = optional(v, "place", request.place, max_len=200, label="Place of death")
    away = AWAY_WORDS.get(detention.away_reason, detention.away_reason)
    if detention.away_reason and request.place_kind == "depot":
        v.add("place_kind", f"Detainee {detention.detainee_no} is out of the depot ({away}): "
                            f"a death there is not in the depot; choose the hospital, or "
                            f"record the return first if they had come back")
    elif not place and request.place_kind == "depot":
        place = cell_label(uow, detention.current_cell_id)
    elif not place and request.place_kind == "hospital":
        place = _hospital(uow, detention)
        if not place:
            v.add("place", "Name the hospital where the detainee died")
    cause = v.require("cause_certified", request.cause_certified, max_len=2000,
                      label="Cause of death as certified")
    certified_by = v.require("certified_by", request.certified_by, max_len=200,
                             label="Certified by")
    post_mortem = optional(v, "post_mortem_ref", request.post_mortem_ref, max_len=REF_LEN,
                           label="Post-mortem reference")
    for i, n in enumerate(request.notifications):
        _notification(v, i, n, when, uow.now())
    v.check()

    movement = add_movement(uow, actor, detention, "death", when,
                            reason=f"Cause as certified: {cause}", destination=place,
                            authority=f"Certified by {certified_by}",
                            document_ref=post_mortem)
    uow.session.flush()
    record = DeathRecord(detention_id=detention.id, movement_id=movement.id, died_at=when,
                         place_kind=request.place_kind, place=place, cause_certified=cause,
                         certified_by=certified_by, post_mortem_ref=post_mortem,
                         recorded_by_id=actor.user_id, recorded_at=uow.now())
    uow.session.add(record)
    uow.session.flush()
    for n in request.notifications:
        uow.session.add(DeathNotification(death_record_id=record.id, notified=n.notified.strip(),
                                          notified_at=n.notified_at, means=n.means.strip()))
    before = _end(uow, detention, "deceased", when)
    uow.session.flush()
    uow.record(actor, "detention.death", "detention", detention.id, before,
               {"status": "deceased", "died_at": when, "place_kind": request.place_kind,
                "place": place, "cause_certified": cause, "certified_by": certified_by,
                "post_mortem_ref": post_mortem,
                "notifications": [{"notified": n.notified.strip(), "at": n.notified_at,
                                   "means": n.means.strip()} for n in request.notifications]})
    return _finish(uow, actor, detention)


def _hospital(uow: UnitOfWork, detention: Detention) -> str:
    """Where the detainee was taken when out at hospital now."""
    if detention.away_reason != "hospital":
        return ""
    return uow.session.scalar(
        select(Movement.destination).where(Movement.detention_id == detention.id,
                                           Movement.kind == "out_hospital")
        .order_by(Movement.occurred_at.desc(), Movement.id.desc()).limit(1)) or ""


def _death_record(uow: UnitOfWork, detention_id: int) -> DeathRecord:
    record = uow.session.execute(select(DeathRecord).where(
        DeathRecord.detention_id == detention_id).with_for_update()).scalar()
    if record is None:
        raise NotFound("death record of detention", detention_id)
    return record


def add_death_notification(uow: UnitOfWork, actor: Actor, detention_id: int,
                           notification: NotificationInput) -> Result[DetaineeRow]:
    """Add a notification made after the death was recorded."""
    actor.require(Permission.MOVE)
    record = _death_record(uow, detention_id)
    v = Validator()
    _notification(v, None, notification, record.died_at, uow.now())
    v.check()
    uow.session.add(DeathNotification(death_record_id=record.id,
                                      notified=notification.notified.strip(),
                                      notified_at=notification.notified_at,
                                      means=notification.means.strip()))
    uow.record(actor, "death.notify", "detention", detention_id, None,
               {"notified": notification.notified.strip(), "at": notification.notified_at,
                "means": notification.means.strip()})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(detention_id,)))
    return Result(detainees.rows(uow, actor, [detention_id])[0], uow.changes)


def set_post_mortem(uow: UnitOfWork, actor: Actor, detention_id: int,
                    reference: str) -> Result[DetaineeRow]:
    """Record the post-mortem reference when it arrives after the death was recorded."""
    actor.require(Permission.MOVE)
    record = _death_record(uow, detention_id)
    v = Validator()
    ref = v.require("post_mortem_ref", reference, max_len=REF_LEN, label="Post-mortem reference")
    v.check()
    before = record.post_mortem_ref
    record.post_mortem_ref = ref
    uow.record(actor, "death.post_mortem", "detention", detention_id,
               {"post_mortem_ref": before}, {"post_mortem_ref": ref})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(detention_id,)))
    return Result(detainees.rows(uow, actor, [detention_id])[0], uow.changes)
