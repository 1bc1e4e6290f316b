"""Recording a medical examination: admission screening, periodic, on request, follow-up,
fitness to travel.

One unit of work writes the examination's outcome, its findings (injuries and
communicable-disease flags with them) and, when it refers to hospital, the referral the
warden's "To hospital" outing then carries out. ``ValidationError`` names every bad field
(``findings.pulse``, ``findings.injuries[0].body_site``, ``outcome.hospital`` ...).

The audit trail records the outcome and a digest of the findings, never the findings: the
people who read the trail are not all medical staff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from db.models import (
    Detention,
    MedicalCondition,
    MedicalCurrent,
    MedicalExam,
    MedicalFindings,
    MedicalInjury,
    MedicalReferral,
    Person,
)
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import MYT, format_local
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError, Validator
from depot_app.services.custody_common import CLOCK_SKEW, lock_detention, optional
from depot_app.services.medical import current
from depot_app.services.medical import status as medical_status
from depot_app.services.medical.views import ExamView
from depot_app.services.medical.vocab import (
    CHEST_XRAY,
    COMMUNICABLE,
    EXAM_KINDS,
    EXAMINER_KINDS,
    MENTAL_HEALTH,
    PREGNANCY,
    TB_SYMPTOMS,
    TRAVEL,
    URGENCY,
    VITAL_LIMITS,
)
from depot_app.services.rules import rule

__all__ = ["ExamDefaults", "ExamRequest", "FindingsInput", "InjuryInput", "OutcomeInput",
           "exam_defaults", "record_exam"]

TEXT_LEN = 2000


@dataclass(frozen=True)
class InjuryInput:
    body_site: str  # "left forearm", "back, below the right shoulder blade"
    description: str  # "bruise 4 cm", "healing laceration"
    explained: bool  # the detainee gave an account of how it happened
    explanation: str = ""  # that account, in their words


@dataclass(frozen=True)
class FindingsInput:
    """Clinical findings (medical staff only). Vital signs as typed: text or numbers, blank
    when not taken."""

    temperature_c: str | Decimal | None = None
    pulse: str | int | None = None
    resp_rate: str | int | None = None
    bp_systolic: str | int | None = None
    bp_diastolic: str | int | None = None
    spo2: str | int | None = None
    weight_kg: str | Decimal | None = None
    height_cm: str | int | None = None
    injuries: tuple[InjuryInput, ...] = ()
    tb_symptoms: tuple[str, ...] = ()
    chest_xray: str = "not_taken"
    chest_xray_note: str = ""
    communicable: tuple[str, ...] = ()
    pregnancy: str = "not_asked"
    pregnancy_weeks: str | int | None = None
    chronic_conditions: str = ""
    medication: str = ""
    allergies: str = ""
    mental_health: str = "no_concerns"
    mental_health_note: str = ""
    notes: str = ""


@dataclass(frozen=True)
class OutcomeInput:
    """What the rest of the depot acts on. Never a diagnosis: the words here are read by
    wardens, officers and clerks."""

    fit_for_detention: bool = True
    isolate: bool = False
    refer_hospital: bool = False
    hospital: str = ""  # with refer_hospital
    urgency: str = "routine"  # with refer_hospital
    special_diet: str = ""  # for the kitchen: "soft diet", "no nuts"
    travel: str = "not_assessed"  # not_assessed, fit, unfit
    fit_to_travel_until: dt.date | None = None  # with travel == "fit"
    unfit_reason: str = ""  # with travel == "unfit"; in words fit for officers to read
    instructions: str = ""  # other instructions for staff ("observe every 30 minutes")
    next_due_at: dt.datetime | None = None  # the next examination (follow-up)


@dataclass(frozen=True)
class ExamRequest:
    detention_id: int
    kind: str  # vocab.EXAM_KINDS
    examiner_name: str
    examiner_reg_no: str  # MMC / MAB registration number
    examiner_kind: str  # gmo, ma
    findings: FindingsInput = field(default_factory=FindingsInput)
    outcome: OutcomeInput = field(default_factory=OutcomeInput)
    examined_at: dt.datetime | None = None  # None: now


@dataclass(frozen=True)
class ExamDefaults:
    """What the examination form starts from: this examiner's name and registration as
    last recorded, the kind the detainee is due, and the outcome as it stands (carried
    forward: a later examination replaces it)."""

    detention_id: int
    detainee_no: str
    full_name: str
    sex: str
    kind: str
    examiner_name: str
    examiner_reg_no: str
    examiner_kind: str
    outcome: OutcomeInput
    fit_to_travel_max_days: int
    fit_to_travel_rule: str
    screened: bool


def exam_defaults(uow: UnitOfWork, actor: Actor, detention_id: int) -> ExamDefaults:
    actor.require(Permission.RECORD_MEDICAL)
    status = medical_status.status_of(uow, actor, detention_id)
    person = uow.session.execute(
        select(Person.full_name, Person.sex, Detention.detainee_no)
        .join(Detention, Detention.person_id == Person.id)
        .where(Detention.id == detention_id)).one()
    mine = uow.session.execute(
        select(MedicalExam.examiner_name, MedicalExam.examiner_reg_no, MedicalExam.examiner_kind)
        .where(MedicalExam.recorded_by_id == actor.user_id)
        .order_by(MedicalExam.recorded_at.desc(), MedicalExam.id.desc()).limit(1)).first()
    name, reg, kind = mine if mine is not None else (actor.full_name, "", "gmo")
    max_rule = rule(uow, "medical.fit_to_travel_max", uow.now().astimezone(MYT).date())
    today = uow.now().astimezone(MYT).date()
    fit_still = status.travel == "fit" and status.fit_to_travel_until is not None \
        and status.fit_to_travel_until >= today
    outcome = OutcomeInput(
        fit_for_detention=True if status.fit_for_detention is None else status.fit_for_detention,
        isolate=status.isolate, special_diet=status.special_diet,
        travel=status.travel if (status.travel != "fit" or fit_still) else "not_assessed",
        fit_to_travel_until=status.fit_to_travel_until if fit_still else None,
        unfit_reason=status.unfit_reason, instructions=status.instructions)
    return ExamDefaults(
        detention_id=detention_id, detainee_no=person.detainee_no, full_name=person.full_name,
        sex=person.sex, kind="periodic" if status.screened_at else "screening",
        examiner_name=name, examiner_reg_no=reg, examiner_kind=kind, outcome=outcome,
        fit_to_travel_max_days=max_rule.period().days,
        fit_to_travel_rule=f"{max_rule.words()}: {max_rule.source}",
        screened=status.screened_at is not None)


# -- validation ---------------------------------------------------------------------------

def _number(v: Validator, key: str, raw, *, whole: bool):
    """A vital sign as typed: blank is None; otherwise a number within ``VITAL_LIMITS``."""
    label, low, high = VITAL_LIMITS[key]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        v.add(f"findings.{key}", f"{label} must be a number")
        return None
    if not value.is_finite():
        v.add(f"findings.{key}", f"{label} must be a number")
        return None
    if whole and value != value.to_integral_value():
        v.add(f"findings.{key}", f"{label} must be a whole number")
        return None
    if not low <= value <= high:
        v.add(f"findings.{key}", f"{label} must be between {low} and {high}")
        return None
    return int(value) if whole else value.quantize(Decimal("0.1"))


def _codes(v: Validator, key: str, label: str, values, known: dict[str, str]) -> tuple[str, ...]:
    unknown = [c for c in values if c not in known]
    if unknown:
        v.add(key, f"{label}: unknown {', '.join(unknown)} (known: {', '.join(known)})")
    return tuple(dict.fromkeys(c for c in values if c in known))


def _choice(v: Validator, key: str, label: str, value: str, known: dict[str, str]) -> str:
    if value not in known:
        v.add(key, f"{label} must be one of: {', '.join(known)}")
    return value


def _findings(v: Validator, f: FindingsInput, sex: str) -> dict:
    out = {k: _number(v, k, getattr(f, k), whole=k not in ("temperature_c", "weight_kg"))
           for k in VITAL_LIMITS}
    if (out["bp_systolic"] is not None and out["bp_diastolic"] is not None
            and out["bp_diastolic"] >= out["bp_systolic"]):
        v.add("findings.bp_diastolic", "Diastolic pressure must be below the systolic")
    if (out["bp_systolic"] is None) != (out["bp_diastolic"] is None):
        v.add("findings.bp_systolic", "Blood pressure needs both figures, systolic and "
                                      "diastolic")
    out["tb_symptoms"] = _codes(v, "findings.tb_symptoms", "TB symptoms", f.tb_symptoms,
                                TB_SYMPTOMS)
    out["chest_xray"] = _choice(v, "findings.chest_xray", "Chest X-ray", f.chest_xray,
                                CHEST_XRAY)
    out["chest_xray_note"] = optional(v, "findings.chest_xray_note", f.chest_xray_note,
                                      max_len=300, label="Chest X-ray result")
    if f.chest_xray == "abnormal" and not out["chest_xray_note"]:
        v.add("findings.chest_xray_note", "Chest X-ray result: say what is abnormal")
    out["communicable"] = _codes(v, "findings.communicable", "Communicable disease signs",
                                 f.communicable, COMMUNICABLE)
    out["pregnancy"] = _choice(v, "findings.pregnancy", "Pregnancy", f.pregnancy, PREGNANCY)
    if f.pregnancy in ("pregnant", "not_pregnant", "unknown") and sex == "M":
        v.add("findings.pregnancy", "Pregnancy: the detainee is recorded as male")
    weeks = f.pregnancy_weeks
    out["pregnancy_weeks"] = None
    if weeks is not None and str(weeks).strip():
        if f.pregnancy != "pregnant":
            v.add("findings.pregnancy_weeks", "Weeks of pregnancy: only for a pregnancy")
        elif (not re.fullmatch(r"[0-9]{1,2}", str(weeks).strip())
              or not 1 <= int(str(weeks).strip()) <= 45):
            v.add("findings.pregnancy_weeks", "Weeks of pregnancy must be a whole number "
                                              "from 1 to 45")
        else:
            out["pregnancy_weeks"] = int(str(weeks).strip())
    for key, label in (("chronic_conditions", "Chronic conditions"), ("medication", "Medication"),
                       ("allergies", "Allergies"), ("mental_health_note", "Mental health note"),
                       ("notes", "Clinical notes")):
        out[key] = optional(v, f"findings.{key}", getattr(f, key), max_len=TEXT_LEN,
                            label=label)
    out["mental_health"] = _choice(v, "findings.mental_health", "Mental health",
                                   f.mental_health, MENTAL_HEALTH)
    if f.mental_health != "no_concerns" and not out["mental_health_note"]:
        v.add("findings.mental_health_note", "Mental health note: say what was seen")
    injuries = []
    for i, injury in enumerate(f.injuries):
        key = f"findings.injuries[{i}]"
        site = v.require(f"{key}.body_site", injury.body_site, max_len=80,
                         label=f"Injury {i + 1}: where on the body")
        what = v.require(f"{key}.description", injury.description, max_len=300,
                         label=f"Injury {i + 1}: description")
        if injury.explained:
            account = v.require(f"{key}.explanation", injury.explanation, max_len=300,
                                label=f"Injury {i + 1}: the detainee's account")
        else:
            account = optional(v, f"{key}.explanation", injury.explanation, max_len=300,
                               label=f"Injury {i + 1}: note")
        injuries.append((site, what, bool(injury.explained), account))
    out["injuries"] = injuries
    return out


def _outcome(v: Validator, o: OutcomeInput, examined: dt.datetime, max_days: int) -> dict:
    out = {"fit_for_detention": bool(o.fit_for_detention), "isolate": bool(o.isolate),
           "refer_hospital": bool(o.refer_hospital)}
    out["special_diet"] = optional(v, "outcome.special_diet", o.special_diet, max_len=200,
                                   label="Special diet")
    out["instructions"] = optional(v, "outcome.instructions", o.instructions, max_len=1000,
                                   label="Instructions for staff")
    if not o.fit_for_detention and not out["instructions"] and not o.refer_hospital:
        v.add("outcome.instructions", "Not fit for detention: refer to hospital or say in "
                                      "the instructions what must be done")
    out["hospital"] = out["urgency"] = ""
    if o.refer_hospital:
        out["hospital"] = v.require("outcome.hospital", o.hospital, max_len=200,
                                    label="Hospital referred to")
        out["urgency"] = _choice(v, "outcome.urgency", "Urgency", o.urgency, URGENCY)
    travel = _choice(v, "outcome.travel", "Fitness to travel", o.travel, TRAVEL)
    out["travel"], out["fit_to_travel_until"], out["unfit_reason"] = travel, None, ""
    day = examined.astimezone(MYT).date()
    if travel == "fit":
        until = o.fit_to_travel_until
        blocking = [w for w, on in (("isolation is required", o.isolate),
                                    ("a hospital referral is made", o.refer_hospital),
                                    ("the detainee is not fit for detention",
                                     not o.fit_for_detention)) if on]
        if blocking:
            v.add("outcome.travel", f"Fit to travel cannot be certified when "
                                    f"{' and '.join(blocking)}")
        if until is None:
            v.add("outcome.fit_to_travel_until", "Fit to travel until: the date is required")
        elif until < day:
            v.add("outcome.fit_to_travel_until", "Fit to travel until cannot be before the "
                                                 "examination")
        elif until > day + dt.timedelta(days=max_days):
            v.add("outcome.fit_to_travel_until",
                  f"A fit-to-travel certificate runs at most {max_days} days after the "
                  f"examination: until {(day + dt.timedelta(days=max_days)):%d/%m/%Y} at the "
                  f"latest")
        out["fit_to_travel_until"] = until
    elif travel == "unfit":
        out["unfit_reason"] = v.require("outcome.unfit_reason", o.unfit_reason, max_len=300,
                                        label="Reason unfit to travel")
    nxt = o.next_due_at
    if nxt is not None:
        if nxt.tzinfo is None or nxt.utcoffset() is None:
            v.add("outcome.next_due_at", "Next examination must include its time zone")
        elif nxt <= examined:
            v.add("outcome.next_due_at", "Next examination must be after this one")
    out["next_due_at"] = nxt
    return out


def _digest(salt: str, findings: dict) -> str:
    """Proof in the audit trail that the findings were not changed, without them: salted,
    so that trying every combination of the coded answers does not find them."""
    text = salt + json.dumps(findings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# -- recording ----------------------------------------------------------------------------

def record_exam(uow: UnitOfWork, actor: Actor, request: ExamRequest) -> Result[ExamView]:
    """Record one examination with its findings and outcome (and referral), or nothing."""
    actor.require(Permission.RECORD_MEDICAL)
    s = uow.session
    detention = lock_detention(uow, request.detention_id)  # one examination at a time
    number = detention.detainee_no
    if detention.status != "in_custody":
        raise ValidationError({"detention_id": f"Detainee {number} is not in custody "
                                               f"({detention.status.replace('_', ' ')})"})
    if detention.away_reason:
        raise ValidationError({"detention_id": f"Detainee {number} is out of the depot "
                                               f"({detention.away_reason}): record the "
                                               f"examination once they are back"})
    sex = s.scalar(select(Person.sex).where(Person.id == detention.person_id)) or ""
    v = Validator()
    kind = _choice(v, "kind", "Kind of examination", request.kind, EXAM_KINDS)
    examiner = v.require("examiner_name", request.examiner_name, max_len=120,
                         label="Examiner's name")
    reg_no = v.require("examiner_reg_no", request.examiner_reg_no, max_len=40,
                       label="Examiner's registration no.")
    examiner_kind = _choice(v, "examiner_kind", "Examiner", request.examiner_kind,
                            EXAMINER_KINDS)
    now = uow.now()
    examined = request.examined_at or now
    if examined.tzinfo is None or examined.utcoffset() is None:
        v.add("examined_at", "Time of the examination must include its time zone")
        examined = now
    elif examined > now + CLOCK_SKEW:
        v.add("examined_at", "Time of the examination is in the future")
    elif examined < detention.admitted_at:
        v.add("examined_at", f"Time of the examination cannot be before the admission "
                             f"({format_local(detention.admitted_at)})")
    else:
        # The latest examination governs every outcome: one dated before it would be
        # recorded and silently change nothing (an isolation typed in late from paper).
        latest = s.scalar(select(MedicalCurrent.examined_at)
                          .where(MedicalCurrent.detention_id == detention.id))
        if latest is not None and examined < latest:
            v.add("examined_at", f"Time of the examination is before the latest one on "
                                 f"record ({format_local(latest)}), whose outcome governs: "
                                 f"record examinations in the order they were made")
    if kind == "screening":
        done = s.scalar(select(MedicalExam.examined_at).where(
            MedicalExam.detention_id == detention.id, MedicalExam.kind == "screening")
            .limit(1))
        if done is not None:
            v.add("kind", f"The admission screening was recorded on {format_local(done)}: "
                          f"record a follow-up or periodic examination")
    findings = _findings(v, request.findings, sex)
    max_rule = rule(uow, "medical.fit_to_travel_max", examined.astimezone(MYT).date())
    outcome = _outcome(v, request.outcome, examined, max_rule.period().days)
    open_referral = s.scalar(select(MedicalReferral.hospital).where(
        MedicalReferral.detention_id == detention.id,
        MedicalReferral.status.in_(("pending", "out"))).limit(1))
    if open_referral is not None and outcome["refer_hospital"]:
        v.add("outcome.refer_hospital", f"A referral to {open_referral} is still open: it "
                                        f"ends when the detainee is back")
    if open_referral is not None and outcome["travel"] == "fit":
        v.add("outcome.travel", f"Fit to travel cannot be certified while the referral to "
                                f"{open_referral} is open: cancel it, or certify after the "
                                f"return")
    v.check()

    exam = MedicalExam(
        detention_id=detention.id, kind=kind, examined_at=examined, examiner_name=examiner,
        examiner_reg_no=reg_no, examiner_kind=examiner_kind,
        fit_for_detention=outcome["fit_for_detention"], isolate=outcome["isolate"],
        refer_hospital=outcome["refer_hospital"], special_diet=outcome["special_diet"],
        travel=outcome["travel"], fit_to_travel_until=outcome["fit_to_travel_until"],
        unfit_reason=outcome["unfit_reason"], instructions=outcome["instructions"],
        next_due_at=outcome["next_due_at"], recorded_by_id=actor.user_id, recorded_at=now)
    s.add(exam)
    s.flush()
    salt = secrets.token_hex(16)
    s.add(MedicalFindings(
        exam_id=exam.id, salt=salt, **{k: findings[k] for k in VITAL_LIMITS},
        tb_symptoms=",".join(findings["tb_symptoms"]), chest_xray=findings["chest_xray"],
        chest_xray_note=findings["chest_xray_note"], pregnancy=findings["pregnancy"],
        pregnancy_weeks=findings["pregnancy_weeks"],
        chronic_conditions=findings["chronic_conditions"], medication=findings["medication"],
        allergies=findings["allergies"], mental_health=findings["mental_health"],
        mental_health_note=findings["mental_health_note"], notes=findings["notes"]))
    s.flush()
    for site, what, explained, account in findings["injuries"]:
        s.add(MedicalInjury(exam_id=exam.id, body_site=site, description=what,
                            explained=explained, explanation=account))
    for code in findings["communicable"]:
        s.add(MedicalCondition(exam_id=exam.id, code=code))
    referral_id = None
    if outcome["refer_hospital"]:
        referral = MedicalReferral(exam_id=exam.id, detention_id=detention.id,
                                   hospital=outcome["hospital"], urgency=outcome["urgency"],
                                   status="pending")
        s.add(referral)
        s.flush()
        referral_id = referral.id
    s.flush()
    current.note_exam(uow, exam)
    public = {k: outcome[k] for k in ("fit_for_detention", "isolate", "refer_hospital",
                                      "hospital", "urgency", "special_diet", "travel",
                                      "fit_to_travel_until", "unfit_reason", "instructions",
                                      "next_due_at")}
    uow.record(actor, "medical.exam", "medical_exam", exam.id, None,
               {"detention_id": detention.id, "kind": kind, "examined_at": examined,
                "examiner_name": examiner, "examiner_reg_no": reg_no,
                "examiner_kind": examiner_kind, **public, "referral_id": referral_id,
                "findings_sha256": _digest(salt, findings)})
    uow.touch(Changes.of(areas.DETAINEES, areas.MEDICAL, detention_ids=(detention.id,)))
    return Result(medical_status.exam_view(uow, actor, exam.id), uow.changes)
