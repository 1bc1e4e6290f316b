"""The admission record: the person's particulars and photo, the arrest, the admission,
vulnerability and family held with them, the legal basis of each stage of detention, the
identity documents, and a summary of the property and cash held (the items are on the
property receipt, ``forms/property_receipt.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from depot_app import legal_bases
from depot_app.readmodels import DetaineeDetail
from forms import vocab
from forms.base import A4, ColumnDef, FieldDef, FormDef, SectionDef

RELATION = {
    "parent": ("Ibu atau bapa", "Parent"), "child": ("Anak", "Child"),
    "spouse": ("Pasangan", "Spouse"), "sibling": ("Adik-beradik", "Sibling"),
}
VULNERABILITY = (  # (field key, flag in DetaineeDetail.flags)
    ("is_minor", "minor"), ("is_unaccompanied_child", "unaccompanied child"),
    ("is_pregnant", "pregnant"), ("is_disabled", "disabled"),
)

SECTIONS = (
    SectionDef("Butiran diri", "Personal particulars", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama penuh", "Full name", "name", span=2),
        FieldDef("aliases", "Nama lain", "Other names", span=2),
        FieldDef("sex", "Jantina", "Sex"),
        FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("place_of_birth", "Tempat lahir", "Place of birth"),
        FieldDef("languages", "Bahasa", "Languages"),
        FieldDef("interpreter", "Perlu jurubahasa", "Interpreter needed"),
        FieldDef("distinguishing_marks", "Tanda pengenalan", "Distinguishing marks",
                 "multiline", span=2),
        FieldDef("home_address", "Alamat", "Address", "multiline", span=2),
        FieldDef("employer", "Majikan", "Employer", span=2),
    )),
    SectionDef("Tangkapan", "Arrest", (
        FieldDef("arrested_at", "Tarikh dan masa tangkapan", "Arrested at"),
        FieldDef("arresting_agency", "Agensi penangkap", "Arresting agency"),
        FieldDef("arrest_place", "Tempat tangkapan", "Place of arrest", span=2),
        FieldDef("operation_name", "Operasi", "Operation"),
        FieldDef("citizen", "Warganegara Malaysia", "Malaysian citizen"),
    )),
    SectionDef("Kemasukan ke depot", "Admission to the depot", (
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
        FieldDef("admitted_at", "Tarikh dan masa masuk", "Admitted at"),
        FieldDef("admitted_by", "Diterima oleh", "Admitted by"),
        FieldDef("location", "Blok / Sel", "Block / Cell"),
        FieldDef("status", "Status", "Status"),
    )),
    SectionDef("Kerentanan dan keluarga", "Vulnerability and family", (
        FieldDef("is_minor", "Kanak-kanak", "Minor"),
        FieldDef("is_unaccompanied_child", "Kanak-kanak tanpa pengiring",
                 "Unaccompanied child"),
        FieldDef("is_pregnant", "Hamil", "Pregnant"),
        FieldDef("is_disabled", "Orang kurang upaya (OKU)", "Disabled"),
        FieldDef("family", "Ahli keluarga dalam tahanan", "Family members in detention",
                 "table", span=4, columns=(
                     ColumnDef("relation", "Hubungan", "Relation", 1.6),
                     ColumnDef("detainee_no", "No. tahanan", "Detainee no.", 1.2),
                     ColumnDef("full_name", "Nama", "Name", 3.2),
                 )),
    ), columns=4),
    SectionDef("Asas undang-undang tahanan", "Legal basis of detention", (
        FieldDef("stages", "Peringkat", "Stages", "table", span=2, columns=(
            ColumnDef("section", "Seksyen", "Section", 0.8),
            ColumnDef("words", "Peruntukan", "Provision", 2.6),
            ColumnDef("authority", "Kuasa", "Authority", 1.2),
            ColumnDef("reference", "Rujukan", "Reference", 1.2),
            ColumnDef("starts_at", "Mula", "From", 1.1),
            ColumnDef("ends_at", "Tamat", "To", 1.1),
        )),
    )),
    SectionDef("Dokumen pengenalan dan pas", "Identity documents and passes", (
        FieldDef("documents", "Dokumen", "Documents", "table", span=2, columns=(
            ColumnDef("doc_type", "Jenis", "Type", 1.5),
            ColumnDef("number", "Nombor", "Number", 1.3),
            ColumnDef("issuing_state", "Negara pengeluar", "Issuing state", 1.0),
            ColumnDef("issued_on", "Dikeluarkan", "Issued", 0.9),
            ColumnDef("expires_on", "Tamat tempoh", "Expires", 0.9),
            ColumnDef("held", "Disimpan depot", "Held by depot", 0.9),
        )),
        FieldDef("passes", "Pas", "Passes", "table", span=2, columns=(
            ColumnDef("pass_type", "Jenis pas", "Pass type", 2.0),
            ColumnDef("number", "Nombor", "Number", 1.3),
            ColumnDef("issued_on", "Dikeluarkan", "Issued", 1.0),
            ColumnDef("expires_on", "Tamat tempoh", "Expires", 1.0),
        )),
    )),
    SectionDef("Harta dan wang tunai", "Property and cash", (
        FieldDef("property_count", "Barang disimpan", "Items held"),
        FieldDef("bag_nos", "No. beg / loker", "Bag / locker no."),
        FieldDef("cash_balance", "Wang tunai dipegang", "Cash held"),
    ), columns=3),
    SectionDef("Pengesahan", "Certification", (
        FieldDef("officer", "Pegawai yang menerima", "Receiving officer", "signature"),
        FieldDef("detainee", "Tahanan", "Detainee", "signature"),
    )),
)


def _stage_words(section: str) -> str:
    basis = legal_bases.find(section)
    return basis.words if basis else ""


def ringgit(amount: Decimal) -> str:
    """Malaysian ringgit as printed: "RM 1,234.50", "-RM 20.00"."""
    sign = "-" if amount < 0 else ""
    return f"{sign}RM {abs(amount):,.2f}"


def particulars(d: DetaineeDetail) -> dict[str, Any]:
    """Who a detainee document is about, as every such form prints it (with the photo)."""
    return {
        "detention_id": d.id,
        "detainee_no": d.detainee_no,
        "photo": d.photo,
        "photo_mime": d.photo_mime,
        "full_name": vocab.name(d.full_name),
        "nationality": vocab.nationality(d.nationality, d.nationality_name),
        "location": vocab.word(vocab.LOCATION, d.location) if d.location else "",
    }


def context(detail: DetaineeDetail) -> dict[str, Any]:
    d = detail
    born = vocab.day(d.date_of_birth)
    if born and d.age is not None:
        born = f"{born} ({d.age})"
    return {
        **particulars(d),
        "aliases": "; ".join(vocab.name(a) for a in d.aliases),
        "sex": vocab.word(vocab.SEX, d.sex),
        "date_of_birth": born,
        "place_of_birth": d.place_of_birth,
        "languages": d.languages,
        "interpreter": vocab.yes_no(d.interpreter_needed),
        "distinguishing_marks": d.distinguishing_marks,
        "home_address": d.home_address,
        "employer": d.employer,
        "arrested_at": vocab.moment(d.arrested_at),
        "arresting_agency": d.arresting_agency,
        "arrest_place": d.arrest_place,
        "operation_name": d.operation_name,
        "citizen": vocab.yes_no(d.citizen),
        "admitted_at": vocab.moment(d.admitted_at),
        "admitted_by": d.admitted_by,
        "status": vocab.word(vocab.STATUS, d.status),
        **{key: vocab.yes_no(flag in d.flags) for key, flag in VULNERABILITY},
        "family": [
            {"relation": vocab.word(RELATION, f.relation), "detainee_no": f.detainee_no,
             "full_name": vocab.name(f.full_name)}
            for f in d.family
        ],
        "stages": [
            {"section": s.section, "words": _stage_words(s.section),
             "authority": vocab.word(vocab.AUTHORITY, s.authority), "reference": s.reference,
             "starts_at": vocab.moment(s.starts_at), "ends_at": vocab.moment(s.ends_at)}
            for s in d.stages
        ],
        "documents": [
            {"doc_type": vocab.word(vocab.DOCUMENT_TYPE, x.doc_type), "number": x.number,
             "issuing_state": x.issuing_state, "issued_on": vocab.day(x.issued_on),
             "expires_on": vocab.day(x.expires_on), "held": vocab.yes_no(x.held_by_depot)}
            for x in d.documents
        ],
        "passes": [
            {"pass_type": p.pass_type, "number": p.number, "issued_on": vocab.day(p.issued_on),
             "expires_on": vocab.day(p.expires_on)}
            for p in d.passes
        ],
        "property_count": _held(d),
        "bag_nos": ", ".join(dict.fromkeys(p.bag_no for p in d.property
                                           if p.bag_no and p.returned_at is None)),
        "cash_balance": ringgit(d.cash_balance),
        "officer": "",
        "detainee": "",
    }


def _held(d: DetaineeDetail) -> str:
    """How many items the depot still holds (each may be several pieces)."""
    return str(sum(1 for p in d.property if p.returned_at is None))


FORM = FormDef(
    code="admission-record", title_ms="Rekod kemasukan tahanan",
    title_en="Detainee admission record", sections=SECTIONS, page_size=A4, layout="document",
    subject_type="detention", context=context,
    note_ms="Akta Imigresen 1959/63 (Akta 155)", note_en="Immigration Act 1959/63 (Act 155)",
)
