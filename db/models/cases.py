"""Court productions, removal, costs and check-out memos."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, UTCDateTime, Versioned


class CourtProduction(Base, Versioned):
    """Production before a Magistrate (s.51(5)): scheduled, out to court, its outcome."""

    __tablename__ = "court_production"
    __table_args__ = (Index("ix_court_production_list", "status", "scheduled_at", "court"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    court: Mapped[str] = mapped_column(String(120))
    scheduled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    escort: Mapped[str] = mapped_column(String(200), default="")
    produced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(24), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    sanction_ref: Mapped[str] = mapped_column(String(60), default="")  # Public Prosecutor, s.58
    purpose: Mapped[str] = mapped_column(String(16), default="first")  # first, further, trial
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # court.vocab.STATUSES
    case_no: Mapped[str] = mapped_column(String(60), default="")
    charge: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str] = mapped_column(String(200), default="")
    prison: Mapped[str] = mapped_column(String(200), default="")
    out_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    return_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class DetentionOrder(Base):
    __tablename__ = "detention_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("court_production.id"))
    order_no: Mapped[str] = mapped_column(String(60))
    magistrate: Mapped[str] = mapped_column(String(120))
    section: Mapped[str] = mapped_column(String(24))
    period_days: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(String(16), default="")  # s.51(5)(b): see court.vocab
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class RemovalCase(Base, Versioned):
    __tablename__ = "removal_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    order_section: Mapped[str] = mapped_column(String(24))
    order_no: Mapped[str] = mapped_column(String(60))
    order_date: Mapped[dt.date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(3))
    travel_document_status: Mapped[str] = mapped_column(String(24), default="none")
    itinerary: Mapped[str] = mapped_column(Text, default="")
    escort: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class LiableParty(Base, Versioned):
    """Who answers for the costs: carrier (s.47), employer, conveyor or harbourer (s.54(1)(d))."""

    __tablename__ = "liable_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    removal_case_id: Mapped[int] = mapped_column(ForeignKey("removal_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(80), default="")
    section: Mapped[str] = mapped_column(String(24), default="")


class CostItem(Base, Versioned):
    __tablename__ = "cost_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    removal_case_id: Mapped[int] = mapped_column(ForeignKey("removal_case.id"), index=True)
    liable_party_id: Mapped[int | None] = mapped_column(ForeignKey("liable_party.id"))
    kind: Mapped[str] = mapped_column(String(16))  # detention, maintenance, medical, removal
    description: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    incurred_on: Mapped[dt.date] = mapped_column(Date)


class Payment(Base):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    liable_party_id: Mapped[int] = mapped_column(ForeignKey("liable_party.id"), index=True)
    cost_item_id: Mapped[int | None] = mapped_column(ForeignKey("cost_item.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    receipt_no: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CheckOutMemo(Base, Versioned):
    __tablename__ = "check_out_memo"

    id: Mapped[int] = mapped_column(primary_key=True)
    memo_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    detention_id: Mapped[int | None] = mapped_column(ForeignKey("detention.id"))
    compound_amount: Mapped[Decimal] = mapped_column(Money)
    compound_receipt_no: Mapped[str] = mapped_column(String(40))
    exit_point: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    depart_by: Mapped[dt.date] = mapped_column(Date)
    issuing_officer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    qr_payload: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="issued")
