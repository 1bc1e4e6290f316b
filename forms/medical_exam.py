"""The medical examination record: one examination, findings and outcome, for the medical
file. SULIT / CONFIDENTIAL: it names clinical findings, so only medical staff print it
(``printing.medical_jobs`` checks ``Permission.READ_MEDICAL_FINDINGS``, and the kept copy
is read back under the same permission).

Who (particulars, photo, the detainee number as Code 128), the examination (kind, time,
the examiner with registration number and capacity: Government Medical Officer or medical
assistant), the vital signs, every injury by body site (where, what, whether the detainee
explained it and their account; no body chart: the site is written out), the TB screen
and chest X-ray, communicable-disease signs, pregnancy, chronic conditions, medication,
allergies, mental health and the clinical notes; then the outcome the rest of the depot
acts on, and the examiner's signature with room for the stamp.

The bilingual words of the medical codes live here (``MS`` and ``word``): the English is
the service's own label (``depot_app.services.medical.vocab``), the Malay beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depot_app.readmodels import DetaineeDetail
from depot_app.services.medical import vocab as medical
from depot_app.services.medical.views import ExamOutcome, ExamView, FindingsView, InjuryView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, LongTable, common_particulars
from forms.property_receipt import Column

# The Malay beside each English label of the medical vocabulary, by table and code.
MS: dict[str, dict[str, str]] = {
    "EXAM_KINDS": {"screening": "Saringan kemasukan", "periodic": "Pemeriksaan berkala",
                   "request": "Pemeriksaan atas permintaan", "follow_up": "Pemeriksaan susulan",
                   "travel": "Kelayakan perjalanan"},
    "EXAMINER_KINDS": {"gmo": "Pegawai Perubatan Kerajaan", "ma": "Penolong Pegawai Perubatan"},
    "TB_SYMPTOMS": {"cough": "Batuk dua minggu atau lebih", "haemoptysis": "Batuk berdarah",
                    "fever": "Demam", "night_sweats": "Berpeluh pada waktu malam",
                    "weight_loss": "Susut berat badan tanpa sebab"},
    "CHEST_XRAY": {"not_taken": "Tidak diambil", "pending": "Diambil, keputusan belum diterima",
                   "normal": "Normal", "abnormal": "Tidak normal"},
    "COMMUNICABLE": {"tb": "Tuberkulosis (disyaki atau disahkan)", "scabies": "Kudis buta",
                     "chickenpox": "Cacar air", "measles": "Campak",
                     "hepatitis": "Hepatitis virus", "covid19": "COVID-19",
                     "ili": "Penyakit seperti influenza", "diarrhoea": "Cirit-birit akut",
                     "hfmd": "Penyakit tangan, kaki dan mulut"},
    "PREGNANCY": {"not_asked": "Tidak berkenaan", "not_pregnant": "Tidak hamil",
                  "pregnant": "Hamil", "unknown": "Tidak diketahui (ujian belum selesai)"},
    "MENTAL_HEALTH": {"no_concerns": "Tiada kebimbangan",
                      "concerns": "Ada kebimbangan: perlu disemak",
                      "at_risk": "Berisiko mencederakan diri"},
    "TRAVEL": {"not_assessed": "Tidak dinilai", "fit": "Layak untuk perjalanan",
               "unfit": "Tidak layak untuk perjalanan"},
    "URGENCY": {"routine": "Biasa", "urgent": "Segera (hari ini)",
                "emergency": "Kecemasan (sekarang)"},
    "REFERRAL_STATES": {"pending": "menunggu pengiring ke hospital", "out": "di hospital",
                        "returned": "telah kembali dari hospital",
                        "reviewed": "diperiksa selepas kembali", "cancelled": "dibatalkan",
                        "closed": "ditutup apabila tahanan tamat"},
}
EXAMINER_SHORT = {"gmo": "GMO", "ma": "MA"}
NOT_TAKEN = ("Tidak diambil", "Not taken")
NONE_RECORDED = ("Tiada dicatat", "None recorded")
NONE_SEEN = ("Tiada dilihat", "None seen")
NO_ACCOUNT = ("Tiada keterangan diberi", "No account given")
CONFIDENTIAL_MS = "SULIT — untuk kakitangan perubatan sahaja"
CONFIDENTIAL_EN = "CONFIDENTIAL — medical staff only"
SULIT = "SULIT / CONFIDENTIAL"  # at the top of every later page too
BLANK = "\u00a0"  # an empty line with its height, to write or stamp on


def word(table: str, code: str) -> str:
    """"Kudis buta / Scabies": the Malay from ``MS``, the English from the service."""
    english = getattr(medical, table).get(code, code)
    return bilingual(MS[table].get(code, ""), english) if code else ""


def examiner_kind(code: str) -> str:
    """"Pegawai Perubatan Kerajaan / Government Medical Officer (GMO)"."""
    short = EXAMINER_SHORT.get(code)
    text = word("EXAMINER_KINDS", code)
    return f"{text} ({short})" if short else text


@dataclass(frozen=True)
class InjuryTable(LongTable):
    """The injuries, one a line, running on over pages; none seen: no empty table."""

    when: str = "has_injuries"


PARTICULARS = SectionDef("Butiran tahanan", "Detainee particulars", (
    FieldDef("photo", "Foto", "Photo", "photo"),
    FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
    FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
    FieldDef("nationality", "Warganegara", "Nationality"),
    FieldDef("sex", "Jantina", "Sex"),
    FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
    FieldDef("location", "Blok / Sel", "Block / Cell"),
), columns=3)

EXAMINER = (
    FieldDef("examiner_name", "Pemeriksa", "Examiner"),
    FieldDef("examiner_reg_no", "No. pendaftaran", "Registration no. (MMC / MAB)"),
    FieldDef("examiner_kind", "Jawatan", "Capacity"),
)

SECTIONS = (
    PARTICULARS,
    SectionDef("Pemeriksaan", "Examination", (
        FieldDef("kind", "Jenis pemeriksaan", "Kind of examination"),
        FieldDef("examined_at", "Tarikh dan masa diperiksa", "Examined at"),
        FieldDef("exam_no", "No. pemeriksaan", "Examination no."),
        *EXAMINER,
    ), columns=3),
    SectionDef("Tanda vital", "Vital signs", (
        FieldDef("temperature", "Suhu", "Temperature"),
        FieldDef("pulse", "Nadi", "Pulse"),
        FieldDef("resp_rate", "Kadar pernafasan", "Respiratory rate"),
        FieldDef("blood_pressure", "Tekanan darah", "Blood pressure"),
        FieldDef("spo2", "Ketepuan oksigen (SpO₂)", "Oxygen saturation (SpO₂)"),
        FieldDef("weight", "Berat", "Weight"),
        FieldDef("height", "Tinggi", "Height"),
        FieldDef("bmi", "Indeks jisim badan", "Body mass index"),
    ), columns=4),
    SectionDef("Kecederaan", "Injuries", (
        FieldDef("injury_count", "Bilangan kecederaan", "Number of injuries"),
        InjuryTable("injuries", "Setiap kecederaan, mengikut bahagian badan",
                  "Every injury, by body site", columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("site", "Bahagian badan", "Body site", 2.0),
                      Column("description", "Perihal", "Description", 2.3),
                      Column("explained", "Dijelaskan", "Explained", 0.85),
                      Column("account", "Keterangan tahanan", "Detainee's account", 2.45),
                  )),
    ), columns=1),
    SectionDef("Saringan tuberkulosis dan penyakit berjangkit",
               "TB screen and communicable disease", (
                   FieldDef("tb_symptoms", "Gejala tuberkulosis", "TB symptoms", "multiline"),
                   FieldDef("chest_xray", "X-ray dada", "Chest X-ray", "multiline"),
                   FieldDef("communicable", "Tanda penyakit berjangkit",
                            "Communicable disease signs", "multiline", span=2),
               )),
    SectionDef("Kesihatan am", "General health", (
        FieldDef("pregnancy", "Kehamilan", "Pregnancy"),
        FieldDef("mental_health", "Kesihatan mental", "Mental health", "multiline"),
        FieldDef("chronic_conditions", "Penyakit kronik", "Chronic conditions", "multiline"),
        FieldDef("allergies", "Alahan", "Allergies", "multiline"),
        FieldDef("medication", "Ubat-ubatan", "Medication", "multiline", span=2),
        FieldDef("notes", "Catatan klinikal", "Clinical notes", "multiline", span=2),
    )),
    SectionDef("Keputusan", "Outcome", (
        FieldDef("fit_for_detention", "Layak untuk ditahan", "Fit for detention"),
        FieldDef("isolate", "Pengasingan", "Isolation"),
        FieldDef("next_due", "Pemeriksaan seterusnya", "Next examination"),
        FieldDef("referral", "Rujukan ke hospital", "Hospital referral", "multiline", span=3),
        FieldDef("travel", "Kelayakan perjalanan", "Fitness to travel", span=2),
        FieldDef("special_diet", "Diet khas", "Special diet"),
        FieldDef("instructions", "Arahan kepada kakitangan", "Instructions for staff",
                 "multiline", span=3),
    ), columns=3),
    # The examiner signs and stamps on the page where the outcome ends.
    KeptSection("Pengesahan pemeriksa", "Examiner's certification", (
        FieldDef("certification", "Akuan", "Declaration", "multiline"),
        FieldDef("sign", "Tandatangan dan cop", "Signature and stamp", "table", columns=(
            Column("signature", "Tandatangan pemeriksa", "Examiner's signature", 1.6),
            Column("stamp", "Cop rasmi", "Official stamp", 1.0),
        )),
    ), columns=1),
)


def running_head(d: DetaineeDetail, what: str) -> str:
    """The top of every later page: what this is, and whose (short: it is one line)."""
    return f"{what} · {d.detainee_no} · {vocab.name(d.full_name)}"


def particulars(d: DetaineeDetail) -> dict[str, Any]:
    p = common_particulars(d)
    return {key: p[key] for key in ("detention_id", "detainee_no", "photo", "photo_mime",
                                    "full_name", "nationality", "sex", "date_of_birth",
                                    "location")}


def examiner(o: ExamOutcome) -> dict[str, str]:
    return {"examiner_name": vocab.name(o.examiner_name), "examiner_reg_no": o.examiner_reg_no,
            "examiner_kind": examiner_kind(o.examiner_kind)}


def signature_box(o: ExamOutcome) -> list[dict[str, str]]:
    """One tall row: room to sign, the examiner named under it, beside room for the stamp."""
    room = "\n".join([BLANK] * 5)
    short = EXAMINER_SHORT.get(o.examiner_kind, o.examiner_kind)
    who = (f"Nama / Name: {vocab.name(o.examiner_name)} ({short})"
           f"\nNo. pendaftaran / Reg. no.: {o.examiner_reg_no}"
           f"\nTarikh / Date: ____________________")
    return [{"signature": f"{room}\n{who}", "stamp": room}]


def _figure(value: Any, unit: str) -> str:
    return bilingual(*NOT_TAKEN) if value is None else f"{value} {unit}"


def _bmi(weight: Decimal | None, height: int | None) -> str:
    if weight is None or not height:
        return ""
    metres = Decimal(height) / 100
    return f"{(weight / (metres * metres)).quantize(Decimal('0.1'))} kg/m²"


def _vitals(f: FindingsView) -> dict[str, str]:
    pressure = (f"{f.bp_systolic}/{f.bp_diastolic} mmHg"
                if f.bp_systolic is not None and f.bp_diastolic is not None
                else bilingual(*NOT_TAKEN))
    return {"temperature": _figure(f.temperature_c, "°C"),
            "pulse": _figure(f.pulse, "/min"), "resp_rate": _figure(f.resp_rate, "/min"),
            "blood_pressure": pressure, "spo2": _figure(f.spo2, "%"),
            "weight": _figure(f.weight_kg, "kg"), "height": _figure(f.height_cm, "cm"),
            "bmi": _bmi(f.weight_kg, f.height_cm)}


def _injury(n: int, i: InjuryView) -> dict[str, str]:
    return {"no": str(n), "site": i.body_site, "description": i.description,
            "explained": vocab.yes_no(i.explained),
            "account": i.explanation or bilingual(*NO_ACCOUNT)}


def _injuries(f: FindingsView) -> dict[str, Any]:
    unexplained = sum(1 for i in f.injuries if not i.explained)
    count = str(len(f.injuries))
    if unexplained:
        count += f" ({unexplained} tidak dijelaskan / not explained)"
    if not f.injuries:
        count = bilingual(*NONE_SEEN)
    return {"injury_count": count, "has_injuries": bool(f.injuries),
            "injuries": [_injury(n, i) for n, i in enumerate(f.injuries, 1)]}


def _lines(table: str, codes: tuple[str, ...], empty: tuple[str, str]) -> str:
    return "\n".join(word(table, c) for c in codes) if codes else bilingual(*empty)


def _or_none(text: str) -> str:
    return text.strip() or bilingual(*NONE_RECORDED)


def _general(f: FindingsView) -> dict[str, str]:
    pregnancy = word("PREGNANCY", f.pregnancy)
    if f.pregnancy == "pregnant" and f.pregnancy_weeks:
        pregnancy += f", {f.pregnancy_weeks} minggu / weeks"
    mind = word("MENTAL_HEALTH", f.mental_health)
    if f.mental_health_note.strip():
        mind += f"\n{f.mental_health_note.strip()}"
    xray = word("CHEST_XRAY", f.chest_xray)
    if f.chest_xray_note.strip():
        xray += f"\n{f.chest_xray_note.strip()}"
    return {"tb_symptoms": _lines("TB_SYMPTOMS", f.tb_symptoms, vocab.NONE),
            "chest_xray": xray,
            "communicable": _lines("COMMUNICABLE", f.communicable, NONE_SEEN),
            "pregnancy": pregnancy, "mental_health": mind,
            "chronic_conditions": _or_none(f.chronic_conditions),
            "allergies": _or_none(f.allergies), "medication": _or_none(f.medication),
            "notes": f.notes.strip()}


def referral(o: ExamOutcome) -> str:
    if not o.refer_hospital:
        return bilingual(*vocab.NO)
    r = o.referral
    if r is None:
        return bilingual(*vocab.YES)
    state = bilingual(MS["REFERRAL_STATES"].get(r.status, ""), r.status_label)
    return f"{r.hospital}\n{word('URGENCY', r.urgency)} · {state}"


def travel(o: ExamOutcome) -> str:
    text = word("TRAVEL", o.travel)
    if o.travel == "fit" and o.fit_to_travel_until is not None:
        return f"{text}, sehingga / until {vocab.day(o.fit_to_travel_until)}"
    if o.travel == "unfit" and o.unfit_reason:
        return f"{text}: {o.unfit_reason}"
    return text


def outcome(o: ExamOutcome) -> dict[str, str]:
    return {
        "fit_for_detention": vocab.yes_no(o.fit_for_detention),
        "isolate": bilingual("Perlu diasingkan", "Required") if o.isolate
        else bilingual("Tidak perlu", "Not required"),
        "next_due": vocab.moment(o.next_due_at) or bilingual("Tidak ditetapkan", "Not set"),
        "referral": referral(o), "travel": travel(o),
        "special_diet": o.special_diet or bilingual(*vocab.NONE),
        "instructions": o.instructions or bilingual(*vocab.NONE),
    }


def context(detail: DetaineeDetail, exam: ExamView) -> dict[str, Any]:
    """The record of ``exam`` (an examination of ``detail``), findings and all."""
    o, f = exam.outcome, exam.findings
    if f is None:
        raise ValueError(f"examination {o.id}: the findings were not read (medical staff "
                         f"only), so its record cannot be printed")
    if o.detention_id != detail.id:
        raise ValueError(f"examination {o.id} is not one of detainee {detail.detainee_no}")
    return {
        **particulars(detail),
        "running_head": running_head(detail, f"{SULIT} · Pemeriksaan / Examination {o.id}"),
        "exam_id": o.id,
        "kind": word("EXAM_KINDS", o.kind),
        "examined_at": vocab.moment(o.examined_at),
        "exam_no": str(o.id),
        **examiner(o),
        **_vitals(f),
        **_injuries(f),
        **_general(f),
        **outcome(o),
        "certification": (
            "Saya telah memeriksa tahanan yang dinamakan di atas pada masa yang dinyatakan "
            "dan merekodkan penemuan dan keputusan di atas.\n"
            "I examined the detainee named above at the time stated and recorded the "
            "findings and outcome above."),
        "sign": signature_box(o),
    }


FORM = FormDef(
    code="medical-exam", title_ms="Rekod pemeriksaan perubatan",
    title_en="Medical examination record", sections=SECTIONS, page_size=A4,
    layout="document", subject_type="medical_exam", context=context,
    note_ms=CONFIDENTIAL_MS, note_en=CONFIDENTIAL_EN, confidential=True,
)
