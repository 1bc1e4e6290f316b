"""The words of the medical record: each code with the label staff read, in one place."""

from __future__ import annotations

EXAM_KINDS = {
    "screening": "Admission screening",
    "periodic": "Periodic examination",
    "request": "Examination on request",
    "follow_up": "Follow-up",
    "travel": "Fitness to travel",
}
EXAMINER_KINDS = {
    "gmo": "Government Medical Officer",
    "ma": "Medical assistant",
}
TB_SYMPTOMS = {
    "cough": "Cough for two weeks or more",
    "haemoptysis": "Coughing up blood",
    "fever": "Fever",
    "night_sweats": "Night sweats",
    "weight_loss": "Unexplained weight loss",
}
CHEST_XRAY = {
    "not_taken": "Not taken",
    "pending": "Taken, result pending",
    "normal": "Normal",
    "abnormal": "Abnormal",
}
# Communicable diseases the depot reports to public health: the outbreak list's flags.
COMMUNICABLE = {
    "tb": "Tuberculosis (suspected or confirmed)",
    "scabies": "Scabies",
    "chickenpox": "Chickenpox",
    "measles": "Measles",
    "hepatitis": "Viral hepatitis",
    "covid19": "COVID-19",
    "ili": "Influenza-like illness",
    "diarrhoea": "Acute diarrhoea",
    "hfmd": "Hand, foot and mouth disease",
}
PREGNANCY = {
    "not_asked": "Not applicable",
    "not_pregnant": "Not pregnant",
    "pregnant": "Pregnant",
    "unknown": "Unknown (test pending)",
}
MENTAL_HEALTH = {
    "no_concerns": "No concerns",
    "concerns": "Concerns: review",
    "at_risk": "At risk of self-harm",
}
TRAVEL = {
    "not_assessed": "Not assessed",
    "fit": "Fit to travel",
    "unfit": "Unfit to travel",
}
URGENCY = {
    "routine": "Routine",
    "urgent": "Urgent (today)",
    "emergency": "Emergency (now)",
}
REFERRAL_STATES = {
    "pending": "awaiting escort to hospital",
    "out": "at hospital",
    "returned": "back from hospital",
    "reviewed": "examined after the return",
    "closed": "closed when custody ended",
    "cancelled": "cancelled",
}

# Plausible limits for the vital signs: outside them a figure is a typing mistake.
VITAL_LIMITS = {
    "temperature_c": ("Temperature (°C)", 30, 45),
    "pulse": ("Pulse (per minute)", 20, 250),
    "resp_rate": ("Respiratory rate (per minute)", 4, 80),
    "bp_systolic": ("Blood pressure, systolic (mmHg)", 50, 260),
    "bp_diastolic": ("Blood pressure, diastolic (mmHg)", 20, 160),
    "spo2": ("Oxygen saturation (%)", 50, 100),
    "weight_kg": ("Weight (kg)", 1, 300),
    "height_cm": ("Height (cm)", 30, 250),
}
