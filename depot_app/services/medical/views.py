"""What leaves the medical services: frozen views, never ORM objects.

Two kinds, kept apart so that confidentiality is a matter of types as well as checks:

* the **outcome** (``MedicalStatus``, ``ExamOutcome``, ``BoardRow``): what every member of
  staff acts on (isolation, hospital, diet, fitness to travel, follow-up), never a
  diagnosis;
* the **findings** (``FindingsView``): clinical details, given only to an actor holding
  ``Permission.READ_MEDICAL_FINDINGS`` (``ExamView.findings`` is None for everyone else).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ReferralView:
    id: int
    version: int
    exam_id: int | None  # None: a trip to hospital without a referral
    detention_id: int
    hospital: str
    urgency: str  # routine, urgent, emergency; "" without a referral
    urgency_label: str
    status: str  # pending, out, returned, cancelled
    status_label: str
    referred_at: dt.datetime
    out_at: dt.datetime | None
    returned_at: dt.datetime | None


@dataclass(frozen=True)
class ExamOutcome:
    """One examination as every member of staff may see it."""

    id: int
    detention_id: int
    kind: str
    kind_label: str
    examined_at: dt.datetime
    examiner_name: str
    examiner_reg_no: str
    examiner_kind: str  # gmo, ma
    examiner_kind_label: str
    fit_for_detention: bool
    isolate: bool
    refer_hospital: bool
    special_diet: str
    travel: str  # not_assessed, fit, unfit
    travel_label: str
    fit_to_travel_until: dt.date | None
    unfit_reason: str
    instructions: str
    next_due_at: dt.datetime | None
    recorded_by: str
    recorded_at: dt.datetime
    referral: ReferralView | None


@dataclass(frozen=True)
class InjuryView:
    body_site: str
    description: str
    explained: bool
    explanation: str


@dataclass(frozen=True)
class FindingsView:
    """The clinical findings of one examination: medical staff only."""

    temperature_c: Decimal | None
    pulse: int | None
    resp_rate: int | None
    bp_systolic: int | None
    bp_diastolic: int | None
    spo2: int | None
    weight_kg: Decimal | None
    height_cm: int | None
    tb_symptoms: tuple[str, ...]  # codes (vocab.TB_SYMPTOMS)
    chest_xray: str
    chest_xray_note: str
    communicable: tuple[str, ...]  # codes (vocab.COMMUNICABLE)
    pregnancy: str
    pregnancy_weeks: int | None
    chronic_conditions: str
    medication: str
    allergies: str
    mental_health: str
    mental_health_note: str
    notes: str
    injuries: tuple[InjuryView, ...]


@dataclass(frozen=True)
class ExamView:
    outcome: ExamOutcome
    findings: FindingsView | None  # None unless the actor may read medical findings


@dataclass(frozen=True)
class MedicalStatus:
    """Where a detainee stands medically now, in outcomes only. The latest examination
    governs every outcome: a later examination replaces an earlier one's isolation, diet
    and fitness to travel (a fit-to-travel certificate holds only while it is the latest
    word)."""

    detention_id: int
    held: bool  # in custody: what is due is due only while held
    admitted_at: dt.datetime
    screening_due_at: dt.datetime  # admission + the rule's period
    screening_rule: str  # "24 hours: Depot standing orders ..."
    screened_at: dt.datetime | None
    last_exam_id: int | None
    last_exam_at: dt.datetime | None
    fit_for_detention: bool | None  # None: never examined
    isolate: bool
    special_diet: str
    travel: str  # not_assessed, fit, unfit
    fit_to_travel_until: dt.date | None
    unfit_reason: str
    instructions: str
    next_due_at: dt.datetime | None
    referral: ReferralView | None  # open: pending or out
    in_isolation_cell: bool
    as_of: dt.datetime
    actions: tuple[str, ...]  # what staff must do, in words ("Isolation required", ...)

    @property
    def screening_overdue(self) -> bool:
        return self.held and self.screened_at is None and self.as_of > self.screening_due_at

    @property
    def follow_up_overdue(self) -> bool:
        return self.held and self.next_due_at is not None and self.as_of > self.next_due_at

    def fit_to_travel_on(self, day: dt.date) -> bool:
        return (self.travel == "fit" and self.fit_to_travel_until is not None
                and day <= self.fit_to_travel_until)


@dataclass(frozen=True)
class MedicalRecordView:
    status: MedicalStatus
    exams: tuple[ExamView, ...]  # the most recent first
    can_read_findings: bool
    can_record: bool


@dataclass(frozen=True)
class BoardRow:
    """One line of a medical list: who, where, when and what."""

    detention_id: int
    detainee_no: str
    full_name: str
    sex: str
    nationality: str
    location: str
    when: dt.datetime | None  # due, referred or until (as a datetime at 00:00 local)
    note: str
    overdue: bool  # past due, not yet isolated, awaiting escort: someone must act


@dataclass(frozen=True)
class MedicalBoard:
    as_of: dt.datetime
    screening_due: tuple[BoardRow, ...]  # unscreened, soonest due first (overdue first)
    follow_ups: tuple[BoardRow, ...]  # next examination due, soonest first
    isolation: tuple[BoardRow, ...]  # isolation required; note says if not yet isolated
    referrals: tuple[BoardRow, ...]  # hospital referrals pending or out
    travel: tuple[BoardRow, ...]  # fitness to travel assessed: fit (until) or unfit

    @property
    def screenings_overdue(self) -> int:
        return sum(1 for r in self.screening_due if r.overdue)


@dataclass(frozen=True)
class MedicalSummary:
    """The dashboard's share of the lists: who is overdue a screening, and how many wait
    on someone in the other lists (the same figures the board's lists flag)."""

    as_of: dt.datetime
    screenings_overdue: tuple[BoardRow, ...]
    isolation_pending: int  # isolation required, not yet in an isolation cell
    referrals_pending: int  # referred to hospital, awaiting escort
    follow_ups_overdue: int  # next examination past due, or back from hospital unexamined


@dataclass(frozen=True)
class OutbreakRow:
    detention_id: int
    detainee_no: str
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    location: str
    examined_at: dt.datetime
    examiner_name: str
    isolate: bool  # the latest examination orders isolation
    in_isolation_cell: bool  # and the detainee is in a medical-isolation cell now


@dataclass(frozen=True)
class OutbreakList:
    """Everyone held in a block whose latest examination carries a communicable-disease
    flag (medical staff only)."""

    as_of: dt.datetime
    depot_name: str
    block_code: str  # "" for every block
    block_name: str
    condition: str
    condition_label: str
    rows: tuple[OutbreakRow, ...]
