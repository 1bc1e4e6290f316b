"""Detainee cards: issued per custody episode, reissued with the next serial, verified.

A card carries a QR code with a signed claim (detainee number, card serial, issue date; see
``depot_app.signing``). Reissuing (lost, damaged, photo change) takes the next serial for the
detention and supersedes the card before it, so the old card's code still has a good
signature but no longer verifies as current.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from db.models import CARD_REASONS, DetaineeCard, Detention, User
from depot_app import changes as areas
from depot_app import signing
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError

REASON_LABELS = {
    "first": "First card", "lost": "Reissued: lost", "damaged": "Reissued: damaged",
    "photo_change": "Reissued: new photo",
}
VALID, FORGED, SUPERSEDED, UNKNOWN = "valid", "forged", "superseded", "unknown"


@dataclass(frozen=True)
class CardView:
    id: int
    detention_id: int
    detainee_no: str
    serial: int
    issued_at: dt.datetime
    issued_by: str
    reason: str
    payload: str
    superseded_at: dt.datetime | None

    @property
    def issued_on(self) -> dt.date:
        """The issue date printed and signed: the Malaysian calendar day."""
        return self.issued_at.astimezone(MYT).date()

    @property
    def current(self) -> bool:
        return self.superseded_at is None


def _view(card: DetaineeCard, detainee_no: str, issued_by: str) -> CardView:
    return CardView(card.id, card.detention_id, detainee_no, card.serial, card.issued_at,
                    issued_by, card.reason, card.payload, card.superseded_at)


def issue_card(uow: UnitOfWork, actor: Actor, detention_id: int,
               reason: str) -> Result[CardView]:
    """Issue the first card (``first``) or a replacement (``lost``, ``damaged``,
    ``photo_change``), superseding the current one. Audited."""
    actor.require(Permission.PRINT)
    if reason not in CARD_REASONS:
        raise ValidationError({"reason": f"reason must be one of {', '.join(CARD_REASONS)}"})
    s = uow.session
    detention = s.get(Detention, detention_id, with_for_update=True)  # serials queue here
    if detention is None:
        raise NotFound("detainee", detention_id)
    if detention.status != "in_custody":
        raise ValidationError({"detention": f"{detention.detainee_no} is no longer in custody "
                                            f"({detention.status}); no card is issued"})
    current = s.scalars(select(DetaineeCard).where(DetaineeCard.detention_id == detention_id,
                                                   DetaineeCard.superseded_at.is_(None))).first()
    if reason == "first" and current is not None:
        raise ValidationError({"reason": f"{detention.detainee_no} already has card "
                                         f"{current.serial}; reissue it as lost, damaged or "
                                         "photo change"})
    last = s.scalar(select(func.max(DetaineeCard.serial))
                    .where(DetaineeCard.detention_id == detention_id)) or 0
    if reason != "first" and last == 0:
        raise ValidationError({"reason": f"{detention.detainee_no} has no card yet: "
                                         "issue the first one"})
    now = uow.now()
    before = None
    if current is not None:
        current.superseded_at = now
        before = {"serial": current.serial, "superseded_at": now}
    serial = last + 1
    key = signing.active_private_key(uow, actor)
    payload = signing.sign(key, detention.detainee_no, serial, now.astimezone(MYT).date())
    card = DetaineeCard(detention_id=detention_id, serial=serial, issued_at=now,
                        issued_by_id=actor.user_id, reason=reason, payload=payload)
    s.add(card)
    s.flush()
    uow.record(actor, "card.issue", "detainee_card", card.id, before,
               {"detention_id": detention_id, "detainee_no": detention.detainee_no,
                "serial": serial, "reason": reason})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(detention_id,)))
    return Result(_view(card, detention.detainee_no, actor.full_name), uow.changes)


def cards_for(uow: UnitOfWork, actor: Actor, detention_id: int) -> list[CardView]:
    """Every card issued for this custody episode, the newest first."""
    actor.require(Permission.VIEW_DETAINEES)
    rows = uow.session.execute(
        select(DetaineeCard, Detention.detainee_no, User.full_name)
        .join(Detention, Detention.id == DetaineeCard.detention_id)
        .outerjoin(User, User.id == DetaineeCard.issued_by_id)
        .where(DetaineeCard.detention_id == detention_id)
        .order_by(DetaineeCard.serial.desc()))
    return [_view(card, number, who or "") for card, number, who in rows]


def card_by_id(uow: UnitOfWork, actor: Actor, card_id: int) -> CardView:
    actor.require(Permission.VIEW_DETAINEES)
    found = uow.session.execute(
        select(DetaineeCard, Detention.detainee_no, User.full_name)
        .join(Detention, Detention.id == DetaineeCard.detention_id)
        .outerjoin(User, User.id == DetaineeCard.issued_by_id)
        .where(DetaineeCard.id == card_id)).first()
    if found is None:
        raise NotFound("detainee card", card_id)
    card, number, who = found
    return _view(card, number, who or "")


def current_card(uow: UnitOfWork, actor: Actor, detention_id: int) -> CardView | None:
    found = cards_for(uow, actor, detention_id)
    return found[0] if found and found[0].current else None


def current_or_first(uow: UnitOfWork, actor: Actor, detention_id: int) -> CardView:
    """The current card, issuing the first one when there is none (write unit of work)."""
    card = current_card(uow, actor, detention_id)
    if card is None:
        card = issue_card(uow, actor, detention_id, "first").value
    return card


def verify_card(uow: UnitOfWork, payload: str) -> dict[str, Any]:
    """What a scanned card code is worth.

    ``valid``: signed by this depot and the current card of its detention. ``superseded``:
    signed, but a newer card has been issued. ``forged``: a card code whose signature no key
    of this depot makes (altered, or made elsewhere). ``unknown``: not a card code, or signed
    but for a card this database does not hold.
    """
    result: dict[str, Any] = {"status": UNKNOWN, "payload": (payload or "").strip()}
    try:
        claim = signing.parse(payload)
    except signing.MalformedPayload as exc:
        result["reason"] = str(exc)
        return result
    result.update(detainee_no=claim.detainee_no, card_serial=claim.card_serial,
                  issued_on=claim.issued_on.isoformat())
    if signing.verify_text(payload, signing.public_keys(uow)) is None:
        result.update(status=FORGED, reason="the signature does not match the card's details")
        return result
    found = uow.session.execute(
        select(DetaineeCard, Detention.status)
        .join(Detention, Detention.id == DetaineeCard.detention_id)
        .where(Detention.detainee_no == claim.detainee_no,
               DetaineeCard.serial == claim.card_serial)).first()
    if found is None:
        result["reason"] = "signed by this depot, but no such card is on record"
        return result
    card, detention_status = found
    latest = uow.session.scalar(select(func.max(DetaineeCard.serial))
                                .where(DetaineeCard.detention_id == card.detention_id))
    result.update(current_serial=latest, detention_status=detention_status,
                  issued_at=card.issued_at.isoformat())
    if signing.parse(card.payload).signature != claim.signature:
        # Validly signed, yet not the code printed on this card (signed again by another key).
        result.update(status=FORGED, reason="the code differs from the card issued")
    elif card.superseded_at is not None:
        result.update(status=SUPERSEDED, superseded_at=card.superseded_at.isoformat(),
                      reason=f"card {card.serial} was replaced by card {latest}")
    else:
        result.update(status=VALID, reason=REASON_LABELS.get(card.reason, card.reason))
    return result
