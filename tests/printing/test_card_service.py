"""Issuing, reissuing and verifying detainee cards; the depot's signing key. Both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Detention, SigningKey
from depot_app import signing
from depot_app.actor import Actor
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import cards


def _issue(db, actor, detention_id, reason="first"):
    with db.write() as uow:
        return cards.issue_card(uow, actor, detention_id, reason).value


def _verify(db, payload):
    with db.read() as uow:
        return cards.verify_card(uow, payload)


def test_first_card_is_signed_and_verifies(db, clerk, few):
    card = _issue(db, clerk, few[0])
    assert card.serial == 1 and card.reason == "first" and card.current
    assert card.payload.startswith(f"DPT1.{card.detainee_no}.1.{card.issued_on:%Y%m%d}.")
    result = _verify(db, card.payload)
    assert result["status"] == "valid"
    assert (result["detainee_no"], result["card_serial"], result["current_serial"]) == \
        (card.detainee_no, 1, 1)
    assert result["detention_status"] == "in_custody"
    # Anyone with the public key can check the signature offline.
    with db.read() as uow:
        public = signing.load_public_pem(signing.public_key_pem(uow))
    claim = signing.verify_text(card.payload, [public])
    assert claim is not None
    assert (claim.detainee_no, claim.card_serial, claim.issued_on) == \
        (card.detainee_no, 1, card.issued_on)
    assert signing.verify_text(card.payload.replace(".1.", ".7.", 1), [public]) is None


def test_reissue_takes_the_next_serial_and_supersedes(db, clerk, few):
    first = _issue(db, clerk, few[0])
    second = _issue(db, clerk, few[0], "lost")
    third = _issue(db, clerk, few[0], "photo_change")
    assert (second.serial, third.serial) == (2, 3)
    assert _verify(db, first.payload)["status"] == "superseded"
    assert _verify(db, second.payload)["status"] == "superseded"
    assert _verify(db, third.payload)["status"] == "valid"
    assert _verify(db, first.payload)["current_serial"] == 3
    with db.read() as uow:
        listed = cards.cards_for(uow, clerk, few[0])
        assert [c.serial for c in listed] == [3, 2, 1]
        assert [c.current for c in listed] == [True, False, False]
        assert cards.current_card(uow, clerk, few[0]).serial == 3
        events = uow.session.scalars(select(AuditEvent.action)
                                     .where(AuditEvent.entity == "detainee_card")).all()
    assert events == ["card.issue"] * 3


TAMPERS = {
    "card serial": lambda p: p.replace(".1.", ".2.", 1),
    "detainee": lambda p: p.replace("-000", "-900", 1),
    "signature": lambda p: p[:-6] + ("AAAAAA" if not p.endswith("AAAAAA") else "BBBBBB"),
    "issue date": lambda p: p.replace(p.split(".")[3], "20300101"),
}


def test_a_tampered_or_foreign_payload_is_forged_and_junk_is_unknown(db, clerk, few):
    card = _issue(db, clerk, few[1])
    for what, tamper in TAMPERS.items():
        assert _verify(db, tamper(card.payload))["status"] == "forged", what
    other = signing.Ed25519PrivateKey.generate()
    fake = signing.sign(other, card.detainee_no, card.serial, card.issued_on)
    assert _verify(db, fake)["status"] == "forged"
    for text in ("", "hello", "DPT1.SMY-2026-000001", "DPT1.A.B.C.D", "XYZ1.A.1.20260101.AA"):
        assert _verify(db, text)["status"] == "unknown"


def test_first_twice_or_reissue_without_a_card_is_refused(db, clerk, few):
    with pytest.raises(ValidationError, match="issue the first one"):
        _issue(db, clerk, few[2], "damaged")
    _issue(db, clerk, few[2])
    with pytest.raises(ValidationError, match="already has card 1"):
        _issue(db, clerk, few[2])
    with pytest.raises(ValidationError, match="reason"):
        _issue(db, clerk, few[2], "stolen by pirates")


def test_no_card_when_not_in_custody_or_not_allowed(db, clerk, few):
    with db.write() as uow:
        uow.session.get(Detention, few[3]).status = "released"
    with pytest.raises(ValidationError, match="no longer in custody"):
        _issue(db, clerk, few[3])
    nobody = Actor(None, "guest", "Guest", frozenset(), "ws")
    with pytest.raises(PermissionDenied):
        _issue(db, nobody, few[0])


def test_the_key_is_made_once_stored_and_audited(db, clerk, few):
    with db.read() as uow:
        assert signing.public_key_pem(uow) is None
    for did in few[:3]:
        _issue(db, clerk, did)
    with db.read() as uow:
        keys = [(k.active, len(k.public_key), k.private_key_pem)
                for k in uow.session.scalars(select(SigningKey))]
        made = uow.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "signing_key.create"))
        pem = signing.public_key_pem(uow)
    assert len(keys) == 1 and keys[0][:2] == (True, 32)
    assert "PRIVATE KEY" in keys[0][2]
    assert made == 1
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")


def test_signing_is_deterministic_and_qr_alphanumeric():
    key = signing.Ed25519PrivateKey.generate()
    a = signing.sign(key, "smy-2026-000001", 1, dt.date(2026, 11, 23))
    assert a == signing.sign(key, "SMY-2026-000001", 1, dt.date(2026, 11, 23))
    alphanumeric = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert set(a) <= alphanumeric
    assert len(a.rsplit(".", 1)[1]) == signing.SIGNATURE_CHARS
    with pytest.raises(ValueError):
        signing.message("A.B", 1, dt.date(2026, 1, 1))
