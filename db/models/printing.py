"""Printing: document serials, the depot's signing keys, detainee cards and what each
printed document carried.

* ``DocumentSequence``: gap-free serials per depot, kind and year (``SMY-DOC-2026-000001``);
  the row is locked while a serial is taken, exactly like detainee numbers.
* ``SigningKey``: the depot's Ed25519 keypair for card QR codes. The private key is kept
  here, in the depot database (see docs/printing.md for what that implies).
* ``DetaineeCard``: every card issued for a custody episode; a reissue takes the next serial
  and supersedes the card before it.
* ``PrintedDocumentSubject``: every subject a printed document carried (a sheet of cards,
  a batch of records), next to the counterfoil in ``printed_document``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime

CARD_REASONS = ("first", "lost", "damaged", "photo_change")


class DocumentSequence(Base):
    """The last serial given per depot, kind (``DOC``) and year."""

    __tablename__ = "document_sequence"

    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class SigningKey(Base):
    """An Ed25519 keypair; the one ``active`` key signs, every key still verifies."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)  # sha256(public)[:16]
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # raw, 32 bytes
    private_key_pem: Mapped[str] = mapped_column(Text)  # PKCS#8, unencrypted
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DetaineeCard(Base):
    """One card issued for one custody episode; only the newest is current."""

    __tablename__ = "detainee_card"
    __table_args__ = (UniqueConstraint("detention_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    serial: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per detention
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(String(16))  # one of CARD_REASONS
    payload: Mapped[str] = mapped_column(Text)  # the signed QR text printed on the card
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PrintedDocumentSubject(Base):
    """One subject (``detainee_card`` 12, ``detention`` 7, ...) a printed document carried."""

    __tablename__ = "printed_document_subject"

    printed_document_id: Mapped[int] = mapped_column(ForeignKey("printed_document.id"),
                                                     primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
