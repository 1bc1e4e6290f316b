"""Realistic read models for the medical forms (examination record, fit-to-travel
certificate, outbreak list), built without a database: the forms only read these."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from depot_app.services.medical.views import (
    ExamOutcome,
    ExamView,
    FindingsView,
    InjuryView,
    OutbreakList,
    OutbreakRow,
    ReferralView,
)
from tests.printing.custody_samples import ADMITTED, COUNT_NAMES, LONG_NAME, custody_detail

EXAMINED = ADMITTED + dt.timedelta(hours=20)  # 21/11/2026 21:30 in Malaysia
SECRET_DRUG = "Rifampicin 600 mg OD"  # a finding: must never reach the certificate
SECRET_NOTE = "Crepitations right upper zone"

INJURIES = (
    InjuryView("Lengan kiri bawah / Left forearm", "Lebam 4 cm / Bruise 4 cm, yellowing",
               True, "Jatuh semasa ditangkap / Fell during the arrest"),
    InjuryView("Belakang, di bawah bilah bahu kanan / Back, below the right shoulder blade",
               "Luka melecet 6 × 2 cm / Abrasion 6 × 2 cm", False, ""),
    InjuryView("Kening kanan / Right eyebrow", "Luka berjahit, sembuh / Healed sutured laceration",
               True, "Kemalangan kerja di tapak binaan, 2025 / Building-site accident, 2025"),
)


def outcome(**changes) -> ExamOutcome:
    values = dict(
        id=31, detention_id=7, kind="screening", kind_label="Admission screening",
        examined_at=EXAMINED, examiner_name="Dr Siti Aminah binti Abdullah",
        examiner_reg_no="MMC 45123", examiner_kind="gmo",
        examiner_kind_label="Government Medical Officer", fit_for_detention=True,
        isolate=False, refer_hospital=False, special_diet="Soft diet; no nuts",
        travel="fit", travel_label="Fit to travel",
        fit_to_travel_until=dt.date(2026, 12, 3), unfit_reason="",
        instructions="Give the inhaler when asked; observe during the flight",
        next_due_at=EXAMINED + dt.timedelta(days=7), recorded_by="Medical1",
        recorded_at=EXAMINED, referral=None)
    values.update(changes)
    return ExamOutcome(**values)


def findings(**changes) -> FindingsView:
    values = dict(
        temperature_c=Decimal("37.9"), pulse=96, resp_rate=20, bp_systolic=128,
        bp_diastolic=84, spo2=96, weight_kg=Decimal("58.5"), height_cm=164,
        tb_symptoms=("cough", "night_sweats"), chest_xray="abnormal",
        chest_xray_note=SECRET_NOTE, communicable=("scabies", "tb"), pregnancy="not_asked",
        pregnancy_weeks=None, chronic_conditions="Asthma since childhood",
        medication=SECRET_DRUG, allergies="Penicillin (rash)", mental_health="concerns",
        mental_health_note="Low mood, sleeping poorly; no thoughts of self-harm",
        notes="Itchy papules on both wrists and between the fingers. Sputum sent for AFB.",
        injuries=INJURIES)
    values.update(changes)
    return FindingsView(**values)


def exam(**changes) -> ExamView:
    return ExamView(outcome(**changes), findings())


def referred() -> ExamOutcome:
    return outcome(id=32, refer_hospital=True, travel="unfit", travel_label="Unfit to travel",
                   fit_to_travel_until=None, unfit_reason="Awaiting hospital review",
                   referral=ReferralView(4, 1, 32, 7, "Hospital Kajang", "urgent",
                                         "Urgent (today)", "pending",
                                         "awaiting escort to hospital", EXAMINED, None, None))


def detail(**changes):
    """The detainee of ``outcome()`` (id 7), with a photo."""
    return custody_detail(movement_count=2, **changes)


def _where(i: int, block: str) -> str:
    if i % 9 == 8:
        return "Out: hospital"
    code = block or "AB"[i % 2]
    return f"Blok {code} / {code}-{1 + i // 4:02d}"


def outbreak(count: int = 8, block: str = "A") -> OutbreakList:
    """``count`` people with scabies in Blok ``block`` (every block when empty); every
    ninth is at hospital, every third ordered isolated (every sixth in an isolation
    cell)."""
    names = (*COUNT_NAMES, LONG_NAME)
    rows = tuple(OutbreakRow(
        100 + i, f"SMY-2026-{100 + i:06d}", names[i % len(names)], "MF"[i % 5 == 4],
        dt.date(1985 + i % 20, 1 + i % 12, 1 + i % 28), ("MMR", "IDN", "BGD", "VNM")[i % 4],
        _where(i, block), EXAMINED + dt.timedelta(hours=i),
        ("Dr Siti Aminah binti Abdullah", "PPP Rahim")[i % 2], i % 3 == 0, i % 6 == 0)
        for i in range(count))
    return OutbreakList(EXAMINED + dt.timedelta(days=1), "Depot Imigresen Semenyih",
                        block, f"Blok {block}" if block else "All blocks", "scabies",
                        "Scabies", rows)


def with_injuries(n: int) -> ExamView:
    many = tuple(dataclasses.replace(INJURIES[i % 3], body_site=f"{INJURIES[i % 3].body_site} "
                                     f"({i + 1})") for i in range(n))
    return ExamView(outcome(), findings(injuries=many))
