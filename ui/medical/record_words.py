"""The medical section of a record in words: what staff must do (with how urgent it is),
each examination's outcome, and, for medical staff only, its findings.

Plain functions of the read models, tested without a window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from depot_app.clock import MYT
from depot_app.services.medical.views import (
    ExamOutcome,
    ExamView,
    FindingsView,
    MedicalRecordView,
    MedicalStatus,
)
from depot_app.services.medical.vocab import (
    CHEST_XRAY,
    COMMUNICABLE,
    MENTAL_HEALTH,
    PREGNANCY,
    TB_SYMPTOMS,
)
from ui import format as fmt

EXAMINER_SHORT = {"gmo": "GMO", "ma": "MA"}
CONFIDENTIAL = "Findings are confidential to medical staff."


def status_lines(st: MedicalStatus) -> list[tuple[str, str]]:
    """``st.actions`` with a tone each: "danger" for what must be put right now (a
    screening overdue, isolation not yet in an isolation cell, not fit for detention),
    "warn" for what someone must act on soon (a referral awaiting escort, a follow-up
    overdue, a certificate run out), "" otherwise."""
    lines = []
    for text in st.actions:
        tone = ""
        if (text.startswith("Admission screening overdue") or text == "Not fit for detention"
                or text.startswith("Isolation required:")):
            tone = "danger"
        elif ((text.startswith("Referred to") and st.referral is not None
               and st.referral.status == "pending")
              or text.startswith(("Next examination overdue", "Fit-to-travel certificate "
                                                              "expired"))):
            tone = "warn"
        lines.append((text, tone))
    return lines


def header_flags(st: MedicalStatus) -> list[tuple[str, str]]:
    """The few medical words worth a chip beside the name, with their tone: what changes
    how the detainee is held today (danger: someone must act now)."""
    flags = []
    if st.screening_overdue:
        flags.append(("Medical screening overdue", "danger"))
    if st.fit_for_detention is False:
        flags.append(("Not fit for detention", "danger"))
    if st.isolate:
        flags.append(("Isolate", "warn" if st.in_isolation_cell else "danger"))
    if st.referral is not None:
        flags.append(("Hospital referral", "warn"))
    return flags


def travel_words(st: MedicalStatus, day: dt.date) -> tuple[str, bool]:
    """Whether the detainee may travel on ``day``, in words for the officer recording a
    removal, and whether they may (the service refuses a removal without it)."""
    if st.fit_to_travel_on(day):
        return (f"Fit to travel until {fmt.date(st.fit_to_travel_until)} (examined "
                f"{fmt.when(st.last_exam_at)}).", True)
    if st.last_exam_id is None:
        why = "not examined yet"
    elif st.travel == "unfit":
        why = f"found unfit ({st.unfit_reason})"
    elif st.travel == "fit" and st.fit_to_travel_until is not None:
        why = f"the certificate ran out on {fmt.date(st.fit_to_travel_until)}"
    else:
        why = "the latest examination did not assess it"
    return (f"Not certified fit to travel: {why}. Medical staff must certify fitness "
            f"before the removal.", False)


def screening_line(st: MedicalStatus) -> str:
    """When the admission screening was done (the actions say when it is due)."""
    if st.screened_at is not None:
        return f"Admission screening done {fmt.when(st.screened_at)}."
    if not st.held:
        return "No admission screening was recorded."
    return ""


def outcome_words(o: ExamOutcome) -> str:
    """An examination's outcome in words every member of staff may read."""
    parts = ["Fit for detention" if o.fit_for_detention else "Not fit for detention"]
    if o.isolate:
        parts.append("isolate")
    if o.referral is not None:
        parts.append(f"referred to {o.referral.hospital} ({o.referral.urgency}): "
                     f"{o.referral.status_label}")
    elif o.refer_hospital:
        parts.append("referred to hospital")
    if o.special_diet:
        parts.append(f"diet: {o.special_diet}")
    if o.travel == "fit" and o.fit_to_travel_until is not None:
        parts.append(f"fit to travel until {fmt.date(o.fit_to_travel_until)}")
    elif o.travel == "unfit":
        parts.append(f"unfit to travel: {o.unfit_reason}")
    if o.instructions:
        parts.append(f"instructions: {o.instructions}")
    return "; ".join(parts)


def examiner(o: ExamOutcome) -> str:
    kind = EXAMINER_SHORT.get(o.examiner_kind, o.examiner_kind_label)
    return f"{o.examiner_name} ({kind}, reg. {o.examiner_reg_no})"


def exam_rows(record: MedicalRecordView) -> list[list[str]]:
    """Examined, kind, examiner, outcome, next examination: the most recent first."""
    return [[fmt.when(e.outcome.examined_at), e.outcome.kind_label, examiner(e.outcome),
             outcome_words(e.outcome), fmt.when(e.outcome.next_due_at)]
            for e in record.exams]


def findings_title(e: ExamView) -> str:
    o = e.outcome
    return (f"Findings of the {o.kind_label.lower()} on {fmt.when(o.examined_at)} "
            f"(confidential to medical staff)")


def _number(value: Decimal | int | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value}{unit}" if unit.startswith(("/", "%")) else f"{value} {unit}"


def vitals_words(f: FindingsView) -> str:
    parts = [(label, _number(value, unit)) for label, value, unit in (
        ("temperature", f.temperature_c, "°C"), ("pulse", f.pulse, "/min"),
        ("resp. rate", f.resp_rate, "/min"), ("SpO₂", f.spo2, "%"),
        ("weight", f.weight_kg, "kg"), ("height", f.height_cm, "cm"))]
    if f.bp_systolic is not None and f.bp_diastolic is not None:
        parts.insert(3, ("BP", f"{f.bp_systolic}/{f.bp_diastolic} mmHg"))
    text = " · ".join(f"{label} {value}" for label, value in parts if value)
    return text[:1].upper() + text[1:] if text else "Not taken"


def injury_rows(f: FindingsView) -> list[list[str]]:
    """Where on the body, description, explained or not, the detainee's account."""
    return [[inj.body_site, inj.description, "Explained" if inj.explained else "Not explained",
             inj.explanation] for inj in f.injuries]


def _labels(codes: tuple[str, ...], words: dict[str, str], none: str) -> str:
    return ", ".join(words.get(c, c) for c in codes) or none


def findings_facts(f: FindingsView) -> list[tuple[str, str]]:
    """The findings as label/value pairs (empty values show as a dash); the injuries are
    a table of their own (:func:`injury_rows`)."""
    xray = CHEST_XRAY.get(f.chest_xray, f.chest_xray)
    facts = [
        ("Vital signs", vitals_words(f)),
        ("TB symptoms", _labels(f.tb_symptoms, TB_SYMPTOMS, "None")),
        ("Chest X-ray", f"{xray}: {f.chest_xray_note}" if f.chest_xray_note else xray),
        ("Communicable disease signs", _labels(f.communicable, COMMUNICABLE, "None")),
    ]
    if f.pregnancy != "not_asked":
        weeks = f", {f.pregnancy_weeks} weeks" if f.pregnancy_weeks else ""
        facts.append(("Pregnancy", PREGNANCY.get(f.pregnancy, f.pregnancy) + weeks))
    mental = MENTAL_HEALTH.get(f.mental_health, f.mental_health)
    facts += [
        ("Chronic conditions", f.chronic_conditions),
        ("Medication", f.medication),
        ("Allergies", f.allergies),
        ("Mental health", f"{mental}: {f.mental_health_note}" if f.mental_health_note
         else mental),
        ("Clinical notes", f.notes),
    ]
    return facts


def certificate_exam_id(st: MedicalStatus | None) -> int | None:
    """The examination whose fit-to-travel certificate holds today (the latest one, when
    it found the detainee fit and its date has not passed): the one to print."""
    if st is None or st.last_exam_id is None:
        return None
    return st.last_exam_id if st.fit_to_travel_on(st.as_of.astimezone(MYT).date()) else None
