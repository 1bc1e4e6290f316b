"""Hospital referrals and the movements that carry them out.

A referral is made by an examination (``exams.record_exam`` with ``refer_hospital``). It
waits for the warden: recording the detainee going out to hospital (``outings.go_out``)
takes the oldest pending referral out (its ``out_movement_id``), and the return
(``outings.come_back``) brings it back (``return_movement_id``); the medical lists then
ask for an examination after the return (which reviews it). A trip to hospital no
examination referred gets a referral of its own (no exam, no urgency). Medical staff may
cancel a referral not yet carried out; a departure from custody cancels it, or closes one
carried out.
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import Detention, MedicalReferral, Movement
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, NotFound, Validator
from depot_app.services.custody_common import REASON_LEN

__all__ = ["cancel_referral", "close_on_departure", "on_out", "on_return",
           "pending_referral"]


def pending_referral(uow: UnitOfWork, detention_id: int) -> MedicalReferral | None:
    return uow.session.scalars(
        select(MedicalReferral).where(MedicalReferral.detention_id == detention_id,
                                      MedicalReferral.status == "pending")
        .order_by(MedicalReferral.id).limit(1)).first()


def on_out(uow: UnitOfWork, detention: Detention, movement: Movement) -> int:
    """The detainee went out to hospital: the pending referral is carried out by this
    movement; a trip no examination referred (an emergency) gets a referral of its own, so
    that the return asks for an examination just the same. Returns its id."""
    referral = pending_referral(uow, detention.id)
    if referral is None:
        referral = MedicalReferral(detention_id=detention.id, hospital=movement.destination,
                                   urgency="", status="out")
        uow.session.add(referral)
    referral.status = "out"
    referral.out_movement_id = movement.id
    uow.session.flush()
    uow.touch(Changes.of(areas.MEDICAL, detention_ids=(detention.id,)))
    return referral.id


def on_return(uow: UnitOfWork, detention: Detention, movement: Movement) -> int | None:
    """The detainee is back: the referral that took them out is returned. Returns its id."""
    referral = uow.session.scalars(
        select(MedicalReferral).where(MedicalReferral.detention_id == detention.id,
                                      MedicalReferral.status == "out")
        .order_by(MedicalReferral.id.desc()).limit(1)).first()
    if referral is None:
        return None
    referral.status = "returned"
    referral.return_movement_id = movement.id
    uow.touch(Changes.of(areas.MEDICAL, detention_ids=(detention.id,)))
    return referral.id


def close_on_departure(uow: UnitOfWork, detention: Detention) -> list[int]:
    """Custody ended: a referral not yet carried out is cancelled; one carried out (at
    hospital, or back and not yet examined) is closed. Returns the ids."""
    closed = []
    for referral in uow.session.scalars(select(MedicalReferral).where(
            MedicalReferral.detention_id == detention.id,
            MedicalReferral.status.in_(("pending", "out", "returned")))):
        referral.status = "cancelled" if referral.status == "pending" else "closed"
        closed.append(referral.id)
    if closed:
        uow.touch(Changes.of(areas.MEDICAL, detention_ids=(detention.id,)))
    return closed


def cancel_referral(uow: UnitOfWork, actor: Actor, referral_id: int, expected_version: int,
                    reason: str) -> Result[int]:
    """Medical staff withdraw a referral the detainee has not yet been taken out on."""
    actor.require(Permission.RECORD_MEDICAL)
    referral = uow.session.execute(select(MedicalReferral).where(
        MedicalReferral.id == referral_id).with_for_update()).scalar()
    if referral is None:
        raise NotFound("referral", referral_id)
    if referral.version != expected_version:
        raise ConflictError("The referral was changed by someone else since you opened it: "
                            "reload")
    v = Validator()
    why = v.require("reason", reason, max_len=REASON_LEN, label="Reason for cancelling")
    if referral.status != "pending":
        v.add("referral_id", f"The referral to {referral.hospital} is "
                             f"{'already carried out' if referral.status != 'cancelled' else 'already cancelled'}"
                             f": it can no longer be cancelled")
    v.check()
    referral.status = "cancelled"
    uow.session.flush()
    uow.record(actor, "medical.referral_cancel", "medical_referral", referral.id,
               {"status": "pending"}, {"status": "cancelled", "reason": why})
    uow.touch(Changes.of(areas.MEDICAL, areas.DETAINEES, detention_ids=(referral.detention_id,)))
    return Result(referral.id, uow.changes)


