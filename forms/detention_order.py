"""The record of a Magistrate's detention order (Immigration Act 1959/63 s.51(5)(b)), for
the custody file and the escort: who (particulars, photo, the detainee number as Code 128),
the order (court, Magistrate, number, the section the person is detained under and for what
purpose, the period in days, from and until when in Malaysian time, the most the provision
allows when it sets a limit: the s.51(5) proviso), the production it was made at (with the
case, charge and the Public Prosecutor's sanction, s.58, when there is one), who recorded
it and when; then the officer who prepared it and the certifying officer sign.

The bilingual words of the court codes live here (``MS`` and ``word``): the English is the
court service's own label (``depot_app.services.court.vocab``), the Malay beside it. The
production list and the authority history print with them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from depot_app import legal_bases
from depot_app.authority import Period
from depot_app.readmodels import DetaineeDetail
from depot_app.services.court import vocab as court
from depot_app.services.court.views import OrderView, ProductionView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, OptionalSection, common_particulars
from forms.property_receipt import Signature

# The Malay beside each English label of the court vocabulary, by table and code.
MS: dict[str, dict[str, str]] = {
    "PURPOSES": {"first": "Pengeluaran pertama (s.51(5))", "further": "Untuk perintah lanjut",
                 "mention": "Sebutan atau perbicaraan"},
    "OUTCOMES": {"detention_order": "Perintah tahanan", "remand": "Reman untuk siasatan",
                 "charged": "Dituduh (direman menunggu perbicaraan)",
                 "released": "Dibebaskan oleh mahkamah",
                 "convicted": "Disabitkan (hukuman; dipindahkan ke penjara)"},
    "ORDER_PURPOSES": {"investigation": "penyiasatan kesalahan di bawah Akta",
                       "inquiries": "membuat siasatan di bawah Akta",
                       "removal": "melaksanakan pengusiran dari Malaysia",
                       "trial": "reman menunggu perbicaraan"},
    "STATUSES": {"scheduled": "Dijadualkan", "out": "Di mahkamah",
                 "done": "Keputusan direkodkan", "cancelled": "Dibatalkan",
                 "closed": "Tahanan tamat"},
}
DAYS = ("hari", "days")
NO_CAP = ("Peruntukan ini tidak menetapkan had; perintah berakhir pada tarikh tamatnya",
          "The provision sets no limit; the order ends at its expiry")


def word(table: str, code: str) -> str:
    """"Perintah tahanan / Detention order": the Malay from ``MS``, the English from the
    court service."""
    english = getattr(court, table).get(code, code)
    return bilingual(MS[table].get(code, ""), english) if code else ""


def section_words(section: str) -> str:
    """"s.35: Person liable to removal: ..." (the words of the provision as data)."""
    basis = legal_bases.find(section)
    return f"{section} — {basis.words}" if basis else section


def order_purpose(code: str) -> str:
    """What s.51(5)(b) lets the Magistrate order detention for, in both languages."""
    return (f"s.51(5)(b): untuk {MS['ORDER_PURPOSES'].get(code, '')} / for "
            f"{court.ORDER_PURPOSES.get(code, code)}")


def period(days: int) -> str:
    return f"{days} {DAYS[0]} / {days} {DAYS[1]}" if days != 1 else "1 hari / 1 day"


def cap_words(section: str, cap: tuple[dt.datetime, Period] | None) -> str:
    """The s.51(5) proviso: the most the provision allows, counted from the start of the
    detention under it, until when that is, and the source."""
    if cap is None:
        return bilingual(*NO_CAP)
    until, p = cap
    return (f"Paling lama / At most {p.words} di bawah / under {section}: sehingga / until "
            f"{vocab.moment(until)}\nSumber / Source: {p.source}")


PARTICULARS = SectionDef("Butiran tahanan", "Detainee particulars", (
    FieldDef("photo", "Foto", "Photo", "photo"),
    FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
    FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
    FieldDef("nationality", "Warganegara", "Nationality"),
    FieldDef("sex", "Jantina", "Sex"),
    FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
    FieldDef("location", "Blok / Sel", "Block / Cell"),
    FieldDef("arrest", "Tangkapan", "Arrest", span=3),
), columns=3)

SECTIONS = (
    PARTICULARS,
    SectionDef("Perintah Majistret", "The Magistrate's order", (
        FieldDef("order_no", "No. perintah", "Order no.", "name"),
        FieldDef("court", "Mahkamah", "Court", span=2),
        FieldDef("magistrate", "Majistret", "Magistrate"),
        FieldDef("outcome", "Keputusan mahkamah", "The court's decision", span=2),
        FieldDef("section", "Ditahan di bawah seksyen", "Detained under section", span=3),
        FieldDef("purpose", "Tujuan tahanan", "Purpose of detention", span=3),
        FieldDef("period", "Tempoh", "Period", "name"),
        FieldDef("starts_at", "Dari (waktu Malaysia)", "From (Malaysian time)", "name"),
        FieldDef("expires_at", "Tamat (waktu Malaysia)", "Expires (Malaysian time)", "name"),
        FieldDef("cap", "Had peruntukan (proviso s.51(5))",
                 "Most the provision allows (s.51(5) proviso)", "multiline", span=3),
    ), columns=3),
    OptionalSection("Pertuduhan", "Charge", (
        FieldDef("case_no", "No. kes", "Case no."),
        FieldDef("sanction_ref", "Izin Pendakwa Raya (s.58)",
                 "Public Prosecutor's sanction (s.58)", span=2),
        FieldDef("charge", "Pertuduhan", "Charge", "multiline", span=3),
    ), columns=3, when="has_charge"),
    SectionDef("Pengeluaran dan rekod", "Production and record", (
        FieldDef("produced_at", "Dikemukakan pada", "Produced at"),
        FieldDef("escort", "Pengiring", "Escort"),
        FieldDef("production_no", "No. pengeluaran", "Production no."),
        FieldDef("recorded_by", "Direkod oleh", "Recorded by"),
        FieldDef("recorded_at", "Direkod pada", "Recorded at"),
        FieldDef("order_id", "No. rekod perintah", "Order record no."),
    ), columns=3),

    KeptSection("Pengesahan", "Certification", (
        Signature("prepared_by", "Disediakan oleh", "Prepared by"),
        Signature("certifying_officer", "Pegawai yang mengesahkan", "Certifying officer",
                  declaration_ms="Saya mengesahkan bahawa ini adalah rekod benar perintah "
                                 "Majistret yang dinamakan di atas seperti yang direkodkan "
                                 "oleh depot.",
                  declaration_en="I certify that this is a true record of the order of the "
                                 "Magistrate named above as recorded by the depot."),
    )),
)


def particulars(d: DetaineeDetail) -> dict[str, Any]:
    """The particulars every court form prints beside the photo."""
    p = common_particulars(d)
    arrest = ", ".join(x for x in (vocab.moment(d.arrested_at), d.arrest_place,
                                   d.arresting_agency) if x)
    keys = ("detention_id", "detainee_no", "photo", "photo_mime", "full_name", "nationality",
            "sex", "date_of_birth", "location", "status")
    return {**{key: p[key] for key in keys}, "arrest": arrest}


def outcome(p: ProductionView | None) -> str:
    """What the court decided, and its note when it made one."""
    if p is None or not p.outcome:
        return ""
    text = word("OUTCOMES", p.outcome)
    if p.outcome_note.strip():
        text += f"\nCatatan / Note: {p.outcome_note.strip()}"
    return text


def context(detail: DetaineeDetail, order: OrderView, production: ProductionView | None,
            cap: tuple[dt.datetime, Period] | None, printed_by: str = "") -> dict[str, Any]:
    """The record of ``order`` (an order about ``detail``), made at ``production`` (None
    when it was recorded without one); ``cap`` is what the provision allows at most (from
    ``depot_app.authority.cap_until``), None when it sets no limit."""
    p = production
    if p is not None and p.detention_id != detail.id:
        raise ValueError(f"production {p.id} is not one of detainee {detail.detainee_no}")
    charge = bool(p is not None and (p.charge or p.sanction_ref or p.case_no))
    return {
        **particulars(detail),
        "running_head": (f"Perintah / Order {order.order_no} · {detail.detainee_no} · "
                         f"{vocab.name(detail.full_name)}"),
        "order_id": str(order.id),
        "order_no": order.order_no,
        "court": p.court if p is not None else "",
        "magistrate": vocab.name(order.magistrate),
        "outcome": outcome(p),
        "section": section_words(order.section),
        "purpose": order_purpose(order.purpose),
        "period": period(order.period_days),
        "starts_at": vocab.moment(order.starts_at),
        "expires_at": vocab.moment(order.expires_at),
        "cap": cap_words(order.section, cap),
        "produced_at": vocab.moment(p.produced_at) if p is not None else "",
        "escort": p.escort if p is not None else "",
        "production_no": str(p.id) if p is not None else "",
        "recorded_by": order.recorded_by,
        "recorded_at": vocab.moment(order.recorded_at),
        "has_charge": charge,
        "case_no": p.case_no if p is not None else "",
        "sanction_ref": p.sanction_ref if p is not None else "",
        "charge": p.charge if p is not None else "",
        "prepared_by": printed_by,
        "certifying_officer": "",
    }


FORM = FormDef(
    code="detention-order", title_ms="Rekod perintah tahanan Majistret",
    title_en="Record of a Magistrate's detention order", sections=SECTIONS, page_size=A4,
    layout="document", subject_type="detention_order", context=context,
    note_ms="Akta Imigresen 1959/63 (Akta 155) s.51(5)(b)",
    note_en="Immigration Act 1959/63 (Act 155) s.51(5)(b)",
)
