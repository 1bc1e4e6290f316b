"""Custody episodes, their legal stages, movements, headcounts, property and visits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, UTCDateTime, Versioned, code_string

DETENTION_STATUSES = ("in_custody", "released", "removed", "transferred", "absconded", "deceased")
MOVEMENT_KINDS = (
    "admission", "cell_move", "out_court", "out_hospital", "out_embassy", "return",
    "transfer", "release", "removal", "abscond", "death",
)


class Detention(Base, Versioned):
    """One custody episode of one person at one depot."""

    __tablename__ = "detention"
    __table_args__ = (
        # The roll reads who is held where from this index alone (index-only): 50 -> 13 ms
        # for 20,000 held among a million (docs/benchmarks.md). Its prefix serves any
        # "held in this depot" query.
        Index("ix_detention_roll", "status", "depot_id", "current_cell_id", "away_reason",
              "is_minor", "person_id"),
        # The roll and dashboard count who is held where: the held few among a million.
        Index("ix_detention_status_cell", "status", "current_cell_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    detainee_no: Mapped[str] = mapped_column(code_string(24), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id"))
    arrested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    arrest_place: Mapped[str] = mapped_column(String(200), default="")
    arresting_agency: Mapped[str] = mapped_column(String(120), default="")
    operation_name: Mapped[str] = mapped_column(String(120), default="")
    citizen: Mapped[bool] = mapped_column(Boolean, default=False)
    admitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="in_custody")
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    current_cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell.id"), index=True)
    # Set while the detainee is out of the depot (court, hospital, embassy): still on the roll.
    away_reason: Mapped[str] = mapped_column(String(16), default="")
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    is_unaccompanied_child: Mapped[bool] = mapped_column(Boolean, default=False)
    admitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class DetaineeNumberSequence(Base):
    """Gap-free detainee numbers per depot and year; the row is locked while a number is taken."""

    __tablename__ = "detainee_number_sequence"

    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class DetentionStage(Base):
    """The legal authority for one stretch of a detention, citing its section of the Act."""

    __tablename__ = "detention_stage"
    __table_args__ = (Index("ix_detention_stage_open", "ends_at", "detention_id", "valid_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    section: Mapped[str] = mapped_column(String(24))  # e.g. "s.6(1)(c)", "s.35", "s.34"
    authority: Mapped[str] = mapped_column(String(40))  # arrest, magistrate_order, removal_order
    reference: Mapped[str] = mapped_column(String(80), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Written by services/court/authority.refresh from depot_app.authority, never by hand:
    # until when this stage's authority runs, what must happen by then, and why.
    valid_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    needs: Mapped[str] = mapped_column(String(120), default="")
    rests_on: Mapped[str] = mapped_column(String(300), default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("detention_order.id"))


class CustodyJourney(Base):
    """A necessary journey (s.51(5)(a)): not counted in a citizen's 24 hours."""

    __tablename__ = "custody_journey"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    departed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    arrived_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    from_place: Mapped[str] = mapped_column(String(200))
    to_place: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FamilyLink(Base):
    __tablename__ = "family_link"
    __table_args__ = (UniqueConstraint("detention_id", "related_detention_id"),
                      Index("ix_family_link_related", "related_detention_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    related_detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"))
    relation: Mapped[str] = mapped_column(String(16))  # parent, child, spouse, sibling


class Movement(Base):
    """Every change of place or status, timestamped, with who and why."""

    __tablename__ = "movement"
    __table_args__ = (Index("ix_movement_detention_time", "detention_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    from_cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell.id"))
    to_cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell.id"))
    destination: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    authority: Mapped[str] = mapped_column(String(120), default="")
    escort: Mapped[str] = mapped_column(String(120), default="")  # who took the detainee out
    # The paper behind it: a transfer document, a release order, a removal order's number.
    document_ref: Mapped[str] = mapped_column(String(80), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


DEATH_PLACES = ("depot", "hospital")


class DeathRecord(Base):
    """A death in custody: when and where, the cause as certified, the post-mortem and
    everyone who was told."""

    __tablename__ = "death_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), unique=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movement.id"))
    died_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    place_kind: Mapped[str] = mapped_column(String(12))  # depot, hospital
    place: Mapped[str] = mapped_column(String(200))  # cell or hospital, in words
    cause_certified: Mapped[str] = mapped_column(Text)
    certified_by: Mapped[str] = mapped_column(String(200))
    post_mortem_ref: Mapped[str] = mapped_column(String(80), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DeathNotification(Base):
    """One notification of a death: whom, when, how (and its reference)."""

    __tablename__ = "death_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    death_record_id: Mapped[int] = mapped_column(ForeignKey("death_record.id"), index=True)
    notified: Mapped[str] = mapped_column(String(200))  # e.g. "Embassy of Myanmar", "Police"
    notified_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    means: Mapped[str] = mapped_column(String(120), default="")  # letter ref, phone, fax


class Headcount(Base, Versioned):
    __tablename__ = "headcount"
    # When each block was last counted: the overdue check reads the latest closed count.
    __table_args__ = (Index("ix_headcount_block_closed", "block_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("block.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, closed


class HeadcountEntry(Base):
    """One detainee in a count: ``expected`` when held in the block at the start;
    ``counted_at`` once seen; ``resolution`` explains a discrepancy at close."""

    __tablename__ = "headcount_entry"
    __table_args__ = (UniqueConstraint("headcount_id", "detention_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    headcount_id: Mapped[int] = mapped_column(ForeignKey("headcount.id"), index=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"))
    expected: Mapped[bool] = mapped_column(Boolean)
    # On the block's roll but out of the depot when the count started (not expected).
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    counted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    counted_by: Mapped[str] = mapped_column(String(8), default="")  # scan, hand
    # Where the detainee was held when the count started (an unexpected one: when seen), so
    # that a count printed later shows the cells as they were counted.
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")


class PropertyItem(Base, Versioned):
    __tablename__ = "property_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    bag_no: Mapped[str] = mapped_column(String(24), default="")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # To whom and why, when not to the detainee in person (e.g. the receiving depot's escort).
    return_note: Mapped[str] = mapped_column(String(200), default="")


class CashEntry(Base):
    """Cash held for a detainee: positive in, negative out, each with its receipt."""

    __tablename__ = "cash_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    receipt_no: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Visit(Base):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # consular, family, lawyer, ngo
    visitor: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    approval_ref: Mapped[str] = mapped_column(String(60), default="")
    relation: Mapped[str] = mapped_column(String(60), default="")  # to the detainee, for family
    officer_present: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
