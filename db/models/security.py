"""Users and roles, the audit chain, printed-document counterfoils, rules and settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, Versioned

ROLES = ("clerk", "warden", "medical", "officer", "admin")


class User(Base, Versioned):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role"
    )


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class AuditEvent(Base):
    """One change, chained: ``hash = sha256(prev_hash + canonical(event))``.

    Rows are only ever inserted; on PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the trail outlives accounts
    username: Mapped[str] = mapped_column(String(40))
    workstation: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[str] = mapped_column(Text)  # canonical JSON
    after: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row every writer locks to append to the chain, so the chain cannot fork."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class PrintedDocument(Base):
    """The counterfoil of every document printed (s.53)."""

    __tablename__ = "printed_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), index=True)
    form_code: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    printed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("printed_document.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class LegalRule(Base):
    """A legal period or amount with the provision it comes from and when it applies."""

    __tablename__ = "legal_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), index=True)
    description: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))  # hours, days, MYR, percent
    source: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)


class Setting(Base, Versioned):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
