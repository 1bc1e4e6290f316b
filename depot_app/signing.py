"""The depot's Ed25519 signing key and the signed text printed in a card's QR code.

A card's QR code carries ``DPT1.<detainee no>.<card serial>.<issue date YYYYMMDD>.<sig>``,
e.g. ``DPT1.SMY-2026-000123.2.20261123.K5Q...`` where ``sig`` is the Ed25519 signature of
everything before the last dot, in unpadded RFC 4648 base32. Every character is in the QR
alphanumeric set (upper-case letters, digits, ``-`` and ``.``), so the code stays small
(version 6, 41 x 41 modules, at error correction M) and a phone shows the detainee number.

Anyone holding the depot's public key can check a card offline with ``verify_text``; only
the depot database can say whether a validly signed card is still the current one.

The keypair is made on first use and kept in the ``signing_key`` table. The private key is
stored unencrypted in the depot database: whoever can read that database (or a backup of
it) can sign cards. See docs/printing.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select, text

from db.models import SigningKey
from depot_app.actor import Actor
from depot_app.database import UnitOfWork

PREFIX = "DPT1"
SIGNATURE_CHARS = 103  # 64 bytes in base32 without padding
_LOCK_KEY = 0x44505431  # "DPT1": the advisory lock taken while a first key is made


@dataclass(frozen=True)
class CardClaim:
    """What a card's QR text says, before anyone has checked it."""

    detainee_no: str
    card_serial: int
    issued_on: dt.date
    message: bytes
    signature: bytes


class MalformedPayload(ValueError):
    """Not a card payload at all (wrong prefix, wrong number of parts, bad encoding)."""


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# The text ------------------------------------------------------------------------------

def message(detainee_no: str, card_serial: int, issued_on: dt.date) -> str:
    detainee_no = detainee_no.strip().upper()
    if not detainee_no or "." in detainee_no:
        raise ValueError(f"cannot sign detainee number {detainee_no!r}")
    if card_serial < 1:
        raise ValueError("card serials start at 1")
    return f"{PREFIX}.{detainee_no}.{card_serial}.{issued_on:%Y%m%d}"


def sign(private: Ed25519PrivateKey, detainee_no: str, card_serial: int,
         issued_on: dt.date) -> str:
    """The QR text for a card (Ed25519 is deterministic: the same card gives the same text)."""
    body = message(detainee_no, card_serial, issued_on)
    signature = private.sign(body.encode("ascii"))
    return f"{body}.{base64.b32encode(signature).decode('ascii').rstrip('=')}"


def parse(payload: str) -> CardClaim:
    """Split a QR text into its claim; raises ``MalformedPayload`` when it is not one."""
    payload = (payload or "").strip()
    body, dot, sig_text = payload.rpartition(".")
    parts = body.split(".")
    if not dot or len(parts) != 4 or parts[0] != PREFIX:
        raise MalformedPayload("not a Depot card code")
    _, number, serial_text, day_text = parts
    try:
        serial = int(serial_text)
        issued_on = dt.datetime.strptime(day_text, "%Y%m%d").date()
        padded = sig_text.upper() + "=" * (-len(sig_text) % 8)
        signature = base64.b32decode(padded)
    except (ValueError, binascii.Error) as exc:
        raise MalformedPayload(f"card code damaged: {exc}") from exc
    if len(signature) != 64 or serial < 1 or not number:
        raise MalformedPayload("card code damaged")
    return CardClaim(number, serial, issued_on, body.encode("utf-8"), signature)


def verify_text(payload: str, public_keys: list[Ed25519PublicKey]) -> CardClaim | None:
    """The claim if one of these keys signed it, else None (forged or damaged).

    Raises ``MalformedPayload`` for text that is not a card code at all."""
    claim = parse(payload)
    for key in public_keys:
        try:
            key.verify(claim.signature, claim.message)
        except InvalidSignature:
            continue
        return claim
    return None


# The keys in the database ---------------------------------------------------------------

def active_private_key(uow: UnitOfWork, actor: Actor) -> Ed25519PrivateKey:
    """The depot's signing key, made (and audited) on first use: needs a write unit of work."""
    row = _active(uow)
    if row is None:
        if uow.dialect == "postgresql":
            # Two workstations issuing the first card at once: the second waits, then finds
            # the key the first made. (SQLite write units of work hold the database lock.)
            uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            row = _active(uow)
        if row is None:
            row = _create(uow)
            uow.record(actor, "signing_key.create", "signing_key", row.id, None,
                       {"key_id": row.key_id, "public_key": row.public_key.hex()})
    key = serialization.load_pem_private_key(row.private_key_pem.encode("ascii"), None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def public_keys(uow: UnitOfWork) -> list[Ed25519PublicKey]:
    """Every key the depot has signed with, the active one first."""
    rows = uow.session.scalars(select(SigningKey)
                               .order_by(SigningKey.active.desc(), SigningKey.id.desc()))
    return [Ed25519PublicKey.from_public_bytes(r.public_key) for r in rows]


def public_key_pem(uow: UnitOfWork) -> str | None:
    """The active public key as PEM, for verifying cards away from the depot."""
    row = _active(uow)
    if row is None:
        return None
    key = Ed25519PublicKey.from_public_bytes(row.public_key)
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_pem(pem: str | bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _active(uow: UnitOfWork) -> SigningKey | None:
    return uow.session.scalars(select(SigningKey).where(SigningKey.active)
                               .order_by(SigningKey.id.desc()).limit(1)).first()


def _create(uow: UnitOfWork) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public = _raw_public(private.public_key())
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    row = SigningKey(key_id=key_id(public), public_key=public, private_key_pem=pem,
                     created_at=uow.now(), active=True)
    uow.session.add(row)
    uow.session.flush()
    return row
