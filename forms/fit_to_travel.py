"""The fit-to-travel certificate: what the escorting officers carry on a removal.

It is made from an examination's **outcome only** (``ExamOutcome``), never from its
findings: the officers, the escort and the carrier read it. Who (particulars, photo, the
detainee number as Code 128, the travel document), that they were certified fit to travel
and until when, who examined them (name, registration number, Government Medical Officer
or medical assistant) and when, what the escort must see to (special diet, instructions:
the outcome's own words), then the examiner's signature and the official stamp.

``context(detail, outcome, today)`` refuses (``ValueError``) an examination that did not
certify fitness to travel; ``problem(outcome, latest_exam_id, today)`` says why a
certificate may not be printed now (expired, or replaced by a later examination).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from depot_app.readmodels import DetaineeDetail
from depot_app.services.medical.views import ExamOutcome
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection
from forms.medical_exam import (
    EXAMINER,
    examiner,
    particulars,
    running_head,
    signature_box,
    word,
)
from forms.property_receipt import Column

FIT = ("LAYAK UNTUK PERJALANAN", "FIT TO TRAVEL")

SECTIONS = (
    SectionDef("Butiran tahanan", "Detainee particulars", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("sex", "Jantina", "Sex"),
        FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
        FieldDef("travel_document", "Dokumen perjalanan", "Travel document"),
    ), columns=3),
    SectionDef("Perakuan", "Certificate", (
        FieldDef("certified", "Diperakui", "Certified", "name", span=2),
        FieldDef("valid_until", "Sah sehingga (termasuk)", "Valid until (inclusive)", "name"),
        FieldDef("examined_at", "Tarikh dan masa diperiksa", "Date and time examined"),
        FieldDef("kind", "Jenis pemeriksaan", "Kind of examination"),
        FieldDef("exam_no", "No. pemeriksaan", "Examination no."),
        FieldDef("statement", "Akuan pemeriksa", "Examiner's statement", "multiline", span=3),
    ), columns=3),
    SectionDef("Pemeriksa", "Examiner", EXAMINER, columns=3),
    SectionDef("Untuk pengiring", "For the escort", (
        FieldDef("special_diet", "Diet khas", "Special diet"),
        FieldDef("instructions", "Arahan", "Instructions", "multiline"),
    )),
    KeptSection("Tandatangan dan cop", "Signature and stamp", (
        FieldDef("sign", "Pemeriksa yang memperakui", "Certifying examiner", "table", columns=(
            Column("signature", "Tandatangan pemeriksa", "Examiner's signature", 1.6),
            Column("stamp", "Cop rasmi", "Official stamp", 1.0),
        )),
    ), columns=1),
)


def problem(o: ExamOutcome, latest_exam_id: int | None, today: dt.date) -> str:
    """Why no certificate may be printed from this examination today; empty when it may."""
    if o.travel != "fit" or o.fit_to_travel_until is None:
        found = "unfit to travel" if o.travel == "unfit" else "not assessed for travel"
        return (f"Examination {o.id} did not certify fitness to travel (the detainee was "
                f"{found}): there is no certificate to print")
    if latest_exam_id is not None and latest_exam_id != o.id:
        return (f"Examination {o.id} is no longer the latest: a later examination governs "
                f"fitness to travel; print the certificate from it if it certifies it")
    if o.fit_to_travel_until < today:
        return (f"The fitness to travel certified by examination {o.id} ran until "
                f"{vocab.day(o.fit_to_travel_until)}: the certificate has expired; ask "
                f"medical staff to examine the detainee again")
    return ""


def _travel_document(d: DetaineeDetail) -> str:
    for x in d.documents:
        if x.doc_type in ("passport", "travel_document", "emergency_travel_document"):
            return f"{vocab.word(vocab.DOCUMENT_TYPE, x.doc_type)} {x.number} ({x.issuing_state})"
    return bilingual("Tiada dalam rekod", "None on record")


def context(detail: DetaineeDetail, outcome: ExamOutcome) -> dict[str, Any]:
    """The certificate of ``outcome`` (an examination of ``detail`` that found them fit to
    travel). It takes the outcome alone: the findings cannot reach the page."""
    o = outcome
    if o.travel != "fit" or o.fit_to_travel_until is None:
        raise ValueError(f"examination {o.id} did not certify fitness to travel")
    if o.detention_id != detail.id:
        raise ValueError(f"examination {o.id} is not one of detainee {detail.detainee_no}")
    until = vocab.day(o.fit_to_travel_until)
    seen = vocab.moment(o.examined_at)
    return {
        **particulars(detail),
        "running_head": running_head(detail, "Layak untuk perjalanan / Fit to travel"),
        "exam_id": o.id,
        "travel_document": _travel_document(detail),
        "certified": bilingual(*FIT),
        "valid_until": until,
        "examined_at": seen,
        "kind": word("EXAM_KINDS", o.kind),
        "exam_no": str(o.id),
        "statement": (
            f"Saya memperakui bahawa saya telah memeriksa tahanan yang dinamakan di atas pada "
            f"{seen} dan mendapati beliau layak untuk perjalanan sehingga {until}. Perakuan "
            f"ini terbatal jika pemeriksaan kemudian mendapati sebaliknya.\n"
            f"I certify that I examined the detainee named above on {seen} and found them "
            f"fit to travel until {until}. This certificate lapses if a later examination "
            f"finds otherwise."),
        **examiner(o),
        "special_diet": o.special_diet or bilingual(*vocab.NONE),
        "instructions": o.instructions or bilingual(*vocab.NONE),
        "sign": signature_box(o),
    }


FORM = FormDef(
    code="fit-to-travel", title_ms="Perakuan layak untuk perjalanan",
    title_en="Fit-to-travel certificate", sections=SECTIONS, page_size=A4, layout="document",
    subject_type="medical_exam", context=context,
    note_ms="Mengiringi tahanan semasa perjalanan", note_en="Goes with the detainee on travel",
)
