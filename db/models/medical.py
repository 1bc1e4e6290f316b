"""Medical examinations: what the rest of the depot acts on, and what only medical staff
read.

``MedicalExam`` holds who examined whom, when, and the outcome every role sees (fit for
detention, isolation, hospital referral, special diet, fitness to travel, follow-up).
The clinical findings live apart, in ``MedicalFindings`` with its injuries and
communicable-disease flags: a query that does not join them cannot disclose them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, Versioned

EXAM_KINDS = ("screening", "periodic", "request", "follow_up", "travel")
TRAVEL_STATES = ("not_assessed", "fit", "unfit")
REFERRAL_STATES = ("pending", "out", "returned", "reviewed", "cancelled", "closed")


class MedicalExam(Base):
    """One examination and its outcome (visible to all staff; never a diagnosis)."""

    __tablename__ = "medical_exam"
    __table_args__ = (
        Index("ix_medical_exam_detention_time", "detention_id", "examined_at"),
        Index("ix_medical_exam_detention_kind", "detention_id", "kind"),
        # The examination form starts from this examiner's last examination.
        Index("ix_medical_exam_recorder_time", "recorded_by_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"))
    kind: Mapped[str] = mapped_column(String(16))
    examined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    examiner_name: Mapped[str] = mapped_column(String(120))
    examiner_reg_no: Mapped[str] = mapped_column(String(40))
    examiner_kind: Mapped[str] = mapped_column(String(8))  # gmo, ma
    fit_for_detention: Mapped[bool] = mapped_column(Boolean)
    isolate: Mapped[bool] = mapped_column(Boolean, default=False)
    refer_hospital: Mapped[bool] = mapped_column(Boolean, default=False)
    special_diet: Mapped[str] = mapped_column(String(200), default="")
    travel: Mapped[str] = mapped_column(String(12), default="not_assessed")
    fit_to_travel_until: Mapped[dt.date | None] = mapped_column(Date)
    unfit_reason: Mapped[str] = mapped_column(String(300), default="")
    instructions: Mapped[str] = mapped_column(Text, default="")  # for staff, not clinical
    next_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class MedicalFindings(Base):
    """The clinical findings of one examination: medical staff only."""

    __tablename__ = "medical_findings"

    exam_id: Mapped[int] = mapped_column(ForeignKey("medical_exam.id"), primary_key=True)
    temperature_c: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    pulse: Mapped[int | None] = mapped_column(Integer)
    resp_rate: Mapped[int | None] = mapped_column(Integer)
    bp_systolic: Mapped[int | None] = mapped_column(Integer)
    bp_diastolic: Mapped[int | None] = mapped_column(Integer)
    spo2: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    height_cm: Mapped[int | None] = mapped_column(Integer)
    tb_symptoms: Mapped[str] = mapped_column(String(200), default="")  # codes, comma-separated
    chest_xray: Mapped[str] = mapped_column(String(12), default="not_taken")
    chest_xray_note: Mapped[str] = mapped_column(String(300), default="")
    pregnancy: Mapped[str] = mapped_column(String(12), default="not_asked")
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer)
    chronic_conditions: Mapped[str] = mapped_column(Text, default="")
    medication: Mapped[str] = mapped_column(Text, default="")
    allergies: Mapped[str] = mapped_column(Text, default="")
    mental_health: Mapped[str] = mapped_column(String(12), default="no_concerns")
    mental_health_note: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Random, kept with the findings: the audit trail's digest of them cannot be reversed
    # by trying every combination of the coded answers.
    salt: Mapped[str] = mapped_column(String(32), default="")


class MedicalInjury(Base):
    """An injury seen at the examination: where on the body, and whether it is explained."""

    __tablename__ = "medical_injury"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("medical_findings.exam_id"), index=True)
    body_site: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300))
    explained: Mapped[bool] = mapped_column(Boolean)
    explanation: Mapped[str] = mapped_column(String(300), default="")


class MedicalCondition(Base):
    """A communicable-disease sign or diagnosis found at the examination (for outbreak
    lists)."""

    __tablename__ = "medical_condition"

    exam_id: Mapped[int] = mapped_column(ForeignKey("medical_findings.exam_id"),
                                         primary_key=True)
    code: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)


class MedicalCurrent(Base):
    """A detention's medical standing now: its latest examination (the one every outcome
    is read from), when it was first screened, and whether it is on a medical list
    (isolation, a next examination, fitness to travel) while held. Kept by the services
    under the detention's lock, so the lists read a few rows instead of ranking a
    million examinations."""

    __tablename__ = "medical_current"

    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("medical_exam.id"))
    examined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # of that examination
    screened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    on_lists: Mapped[bool] = mapped_column(Boolean, index=True)


class MedicalReferral(Base, Versioned):
    """A referral to hospital: pending until the detainee is taken out, then out, then
    returned (the movements out and back are linked), then reviewed by an examination
    after the return."""

    __tablename__ = "medical_referral"
    __table_args__ = (Index("ix_medical_referral_status", "status", "detention_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a trip to hospital no examination referred (an emergency the warden took).
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("medical_exam.id"), unique=True)
    detention_id: Mapped[int] = mapped_column(ForeignKey("detention.id"), index=True)
    hospital: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[str] = mapped_column(String(12))  # routine, urgent, emergency; "": none
    status: Mapped[str] = mapped_column(String(12), default="pending")
    out_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    return_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
