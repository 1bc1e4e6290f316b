"""The custody record of one detention, as a warden reads it on paper: who (particulars,
photo, the detainee number as Code 128), under what law (every stage and section of the
Act), every placement and movement in time order with the officer who recorded it and the
reason, authority and document behind it, the property and cash (held, or returned: when,
by whom, to whom), every visit, and the death record if there is one.

A long record runs on over several pages: the movements, property and visits tables start
where they are and repeat their headings on each page (``LongTable``).

Small extensions of the definitions live here until ``forms/base.py`` takes them, as
``Signature`` and ``Column`` live in ``forms/property_receipt.py``; ``printing/document.py``
reads their extra attributes where a definition has them:
``OptionalSection`` (printed only when the record's value under ``when`` is true),
``LongTable`` (a table that may split across pages), ``TickColumn`` (an empty value
prints a box to tick by hand) and ``KeptSection`` (a section, the signatures, kept on the
page with the block before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depot_app import legal_bases
from depot_app.clock import to_local
from depot_app.readmodels import DetaineeDetail, MovementView, PropertyView, VisitView
from forms import vocab
from forms.admission_record import particulars, ringgit
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.property_receipt import Column, Signature


@dataclass(frozen=True)
class OptionalSection(SectionDef):
    """A section printed only when the record's value under ``when`` is true."""

    when: str = ""


@dataclass(frozen=True)
class KeptSection(SectionDef):
    """A section (the signatures) kept on the page with the block before it: never alone
    at the top of a page."""

    keep_with_previous: bool = True


@dataclass(frozen=True)
class LongTable(FieldDef):
    """A table that may be long: it starts part-way down a page and runs on over the next
    pages with its headings repeated, rather than moving whole to a fresh page."""

    kind: str = "table"
    split: bool = True


@dataclass(frozen=True)
class TickColumn(Column):
    """A column whose empty cells print a box to tick by hand."""

    align: str = "center"
    tick: bool = True


MOVEMENT = {
    "admission": ("Kemasukan", "Admission"), "cell_move": ("Pindah sel", "Cell move"),
    "out_court": ("Keluar ke mahkamah", "Out to court"),
    "out_hospital": ("Keluar ke hospital", "Out to hospital"),
    "out_embassy": ("Keluar ke kedutaan", "Out to embassy"),
    "return": ("Kembali", "Returned"),
    "transfer": ("Dipindahkan", "Transferred"), "release": ("Dibebaskan", "Released"),
    "removal": ("Dihantar pulang", "Removed"), "abscond": ("Melarikan diri", "Absconded"),
    "death": ("Meninggal dunia", "Died"),
}
OUT_KINDS = ("out_court", "out_hospital", "out_embassy")
LEAVING_KINDS = (*OUT_KINDS, "transfer", "removal")  # an escort takes them away
RECORD_ONLY = ("abscond", "death")  # nobody is handed over, and they go nowhere
WHERE = {"death": ("Tempat", "Place"), "abscond": ("Kali terakhir dilihat", "Last seen")}
VISIT = {
    "consular": ("Konsular", "Consular"), "family": ("Keluarga", "Family"),
    "lawyer": ("Peguam", "Lawyer"), "ngo": ("Badan bukan kerajaan", "NGO"),
}
AWAY = {"court": ("Di mahkamah", "At court"), "hospital": ("Di hospital", "At hospital"),
        "embassy": ("Di kedutaan", "At the embassy")}
DEATH_PLACE = {"depot": ("Di depot", "In the depot"), "hospital": ("Di hospital", "In hospital")}
PLACE = {"reception (unallocated)": ("Penerimaan (belum ditempatkan)",
                                     "Reception (unallocated)")}
HELD, RETURNED = ("Disimpan", "Held"), ("Dipulangkan", "Returned")

PARTICULARS = SectionDef("Butiran tahanan", "Detainee particulars", (
    FieldDef("photo", "Foto", "Photo", "photo"),
    FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
    FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
    FieldDef("status", "Status", "Status"),
    FieldDef("sex", "Jantina", "Sex"),
    FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
    FieldDef("nationality", "Warganegara", "Nationality"),
    FieldDef("aliases", "Nama lain", "Other names", span=2),
    FieldDef("travel_document", "Dokumen perjalanan", "Travel document"),
    FieldDef("arrest", "Tangkapan", "Arrest", span=2),
    FieldDef("location", "Blok / Sel sekarang", "Block / Cell now"),
    FieldDef("admitted_at", "Tarikh dan masa masuk", "Admitted at"),
    FieldDef("admitted_by", "Diterima oleh", "Admitted by"),
    FieldDef("ended_at", "Tamat tahanan", "Custody ended"),
), columns=3)

SECTIONS = (
    PARTICULARS,
    SectionDef("Asas undang-undang tahanan", "Legal basis of detention", (
        FieldDef("stages", "Peringkat tahanan dan seksyen Akta", "Stages of detention and "
                 "sections of the Act", "table", columns=(
                     Column("section", "Seksyen", "Section", 0.8),
                     Column("words", "Peruntukan", "Provision", 2.6),
                     Column("authority", "Kuasa", "Authority", 1.2),
                     Column("reference", "Rujukan", "Reference", 1.2),
                     Column("starts_at", "Mula", "From", 1.0),
                     Column("ends_at", "Tamat", "To", 1.0),
                 )),
    ), columns=1),
    SectionDef("Penempatan dan pergerakan", "Placements and movements", (
        LongTable("movements", "Setiap penempatan dan pergerakan, mengikut masa",
                  "Every placement and movement, in time order", columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("occurred_at", "Tarikh dan masa", "Date and time", 1.0),
                      Column("kind", "Pergerakan", "Movement", 1.3),
                      Column("from_place", "Dari", "From", 1.3),
                      Column("to_place", "Ke", "To", 1.45),
                      Column("details", "Sebab, kuasa dan dokumen",
                             "Reason, authority and document", 2.6),
                      Column("officer", "Pegawai", "Officer", 1.25),
                  )),
    ), columns=1),
    SectionDef("Harta dan wang tunai", "Property and cash", (
        FieldDef("items_held", "Barang masih disimpan", "Items still held"),
        FieldDef("items_returned", "Barang dipulangkan", "Items returned"),
        FieldDef("bag_nos", "No. beg / loker", "Bag / locker no."),
        FieldDef("cash_received", "Wang tunai diterima", "Cash received"),
        FieldDef("cash_paid", "Wang tunai dikeluarkan", "Cash paid out"),
        FieldDef("cash_balance", "Baki dipegang depot", "Cash held by the depot"),
        LongTable("items", "Barang", "Property", columns=(
            Column("no", "Bil.", "No.", 0.42, align="right"),
            Column("description", "Perihal barang", "Description", 2.45),
            Column("quantity", "Kuantiti", "Quantity", 0.72, align="right"),
            Column("bag_no", "No. beg / loker", "Bag / locker no.", 0.95),
            Column("received", "Diterima (oleh)", "Received (by)", 1.35),
            Column("state", "Status: dipulangkan bila, oleh siapa, kepada siapa",
                   "State: returned when, by whom, to whom", 2.5),
        )),
        LongTable("cash_entries", "Wang tunai", "Cash", columns=(
            Column("no", "Bil.", "No.", 0.42, align="right"),
            Column("occurred_at", "Tarikh dan masa", "Date and time", 1.0),
            Column("receipt_no", "No. resit", "Receipt no.", 1.1),
            Column("note", "Catatan", "Note", 2.6),
            Column("recorded_by", "Pegawai", "Officer", 1.2),
            Column("amount", "Amaun (RM)", "Amount (RM)", 1.1, align="right"),
        )),
    ), columns=3),
    SectionDef("Lawatan", "Visits", (
        LongTable("visits", "Setiap lawatan, mengikut masa", "Every visit, in time order",
                  columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("when", "Tarikh, dari – hingga", "Date, from – to", 1.1),
                      Column("kind", "Jenis", "Kind", 0.95),
                      Column("visitor", "Pelawat (hubungan)", "Visitor (relation)", 1.6),
                      Column("organisation", "Organisasi", "Organisation", 1.4),
                      Column("approval_ref", "Rujukan kelulusan", "Approval ref.", 1.05),
                      Column("officer", "Pegawai hadir", "Officer present", 1.2),
                      Column("notes", "Catatan", "Notes", 1.3),
                  )),
    ), columns=1),
    OptionalSection("Kematian dalam tahanan", "Death in custody", (
        FieldDef("died_at", "Tarikh dan masa kematian", "Died at"),
        FieldDef("death_place", "Tempat", "Place", span=2),
        FieldDef("cause_certified", "Sebab kematian seperti yang disahkan",
                 "Cause of death as certified", "multiline", span=3),
        FieldDef("certified_by", "Disahkan oleh", "Certified by"),
        FieldDef("post_mortem_ref", "Rujukan bedah siasat", "Post-mortem ref."),
        FieldDef("death_recorded_by", "Direkod oleh", "Recorded by"),
        FieldDef("notifications", "Pemberitahuan", "Notifications", "table", columns=(
            Column("no", "Bil.", "No.", 0.42, align="right"),
            Column("whom", "Dimaklumkan kepada", "Notified", 2.6),
            Column("when", "Tarikh dan masa", "Date and time", 1.2),
            Column("means", "Cara dan rujukan", "Means and reference", 2.4),
        )),
    ), columns=3, when="has_death"),
    SectionDef("Pengesahan", "Certification", (
        Signature(
"prepared_by", "Disediakan oleh", "Prepared by"),
        Signature(
            "certifying_officer", "Pegawai yang mengesahkan", "Certifying officer",
            declaration_ms="Saya mengesahkan bahawa rekod ini adalah salinan benar rekod "
                           "tahanan yang disimpan oleh depot pada tarikh ia dicetak.",
            declaration_en="I certify that this is a true copy of the custody record kept "
                           "by the depot on the date it was printed."),
    )),
)


def place(text: str) -> str:
    """A place as printed: a cell as stored ("Blok A / A-01"), reception in both languages."""
    pair = PLACE.get((text or "").strip().lower()) or vocab.LOCATION.get((text or "").strip())
    return bilingual(*pair) if pair else text


def when(value: dt.datetime | None) -> str:
    """Date over time, for a narrow column: "21/11/2026\\n01:30"."""
    return vocab.moment(value).replace(" ", "\n") if value else ""


def span(start: dt.datetime, end: dt.datetime | None) -> str:
    """"21/11/2026\\n10:00 – 11:15", the end day given when it is another day."""
    if end is None:
        return f"{vocab.day(start)}\n{to_local(start):%H:%M} – …"
    same_day = to_local(end).date() == to_local(start).date()
    finish = f"{to_local(end):%H:%M}" if same_day else vocab.moment(end)
    return f"{vocab.day(start)}\n{to_local(start):%H:%M} – {finish}"


def in_time_order(movements: tuple[MovementView, ...]) -> list[MovementView]:
    return sorted(movements, key=lambda m: (m.occurred_at, m.id))


def movement_reason(m: MovementView) -> str:
    """The reason; for an abscondment or a death, which go nowhere, also where it happened
    (the movement keeps that as its destination)."""
    where = WHERE.get(m.kind)
    if where and m.destination:
        return "\n".join(x for x in (m.reason.strip(), f"{bilingual(*where)}: {m.destination}")
                         if x)
    return m.reason.strip()


def movement_to(m: MovementView) -> str:
    """Where the movement went: a cell, reception, or the outing's destination; nothing for
    an abscondment or a death."""
    if m.kind in RECORD_ONLY:  # where it happened is told with the reason
        return ""
    return place(m.to_place or m.destination)


def movement_details(m: MovementView) -> str:
    reason = movement_reason(m)
    lines = [reason] if reason else []
    if m.authority:
        lines.append(f"Kuasa / Authority: {m.authority}")
    if m.document_ref:
        lines.append(f"Dokumen / Document: {m.document_ref}")
    if m.escort:
        lines.append(f"Pengiring / Escort: {m.escort}")
    return "\n".join(lines)


def movement_rows(movements: tuple[MovementView, ...]) -> list[dict[str, str]]:
    """Every movement in time order, from and to as the read model gives them (a return
    comes from where the detainee went)."""
    return [{"no": str(n), "occurred_at": when(m.occurred_at),
             "kind": vocab.word(MOVEMENT, m.kind), "from_place": place(m.from_place),
             "to_place": movement_to(m), "details": movement_details(m),
             "officer": m.recorded_by}
            for n, m in enumerate(in_time_order(movements), 1)]


def _state(p: PropertyView) -> str:
    if p.returned_at is None:
        return bilingual(*HELD)
    lines = [f"{bilingual(*RETURNED)} {vocab.moment(p.returned_at)}"]
    if p.returned_by:
        lines.append(f"oleh / by {p.returned_by}")
    lines.append(f"kepada / to: {p.return_note}" if p.return_note
                 else "kepada tahanan / to the detainee")
    return "\n".join(lines)


def _visit(n: int, v: VisitView) -> dict[str, str]:
    visitor = vocab.name(v.visitor)
    if v.relation:
        visitor += f"\n({v.relation})"
    officer = v.officer_present
    if v.recorded_by and v.recorded_by != v.officer_present:
        officer = "\n".join(x for x in (officer, f"(direkod / recorded: {v.recorded_by})") if x)
    return {"no": str(n), "when": span(v.started_at, v.ended_at),
            "kind": vocab.word(VISIT, v.kind), "visitor": visitor,
            "organisation": v.organisation, "approval_ref": v.approval_ref,
            "officer": officer, "notes": v.notes}


def _death(d: DetaineeDetail) -> dict[str, Any]:
    x = d.death
    if x is None:  # the section is not printed
        return {"has_death": False, "died_at": "", "death_place": "", "cause_certified": "",
                "certified_by": "", "post_mortem_ref": "", "death_recorded_by": "",
                "notifications": []}
    where = vocab.word(DEATH_PLACE, x.place_kind)
    return {
        "has_death": True, "died_at": vocab.moment(x.died_at),
        "death_place": f"{where}: {x.place}" if x.place else where,
        "cause_certified": x.cause_certified, "certified_by": x.certified_by,
        "post_mortem_ref": x.post_mortem_ref, "death_recorded_by": x.recorded_by,
        "notifications": [{"no": str(n), "whom": whom, "when": vocab.moment(at), "means": means}
                          for n, (whom, at, means) in enumerate(x.notifications, 1)],
    }


def running_head(d: DetaineeDetail) -> str:
    """What the later pages of a detainee's document say at the top: whose it is."""
    return f"No. tahanan / Detainee no. {d.detainee_no} · {vocab.name(d.full_name)}"


def common_particulars(d: DetaineeDetail) -> dict[str, Any]:
    """The particulars the custody forms print beside the photo."""
    born = vocab.day(d.date_of_birth)
    if born and d.age is not None:
        born = f"{born} ({d.age})"
    location = vocab.word(vocab.LOCATION, d.location) if d.location else ""
    if d.away_reason and d.away_reason in AWAY:
        location = bilingual(*AWAY[d.away_reason])
    return {
        **particulars(d),
        "running_head": running_head(d),
        "location": location,
        "sex": vocab.word(vocab.SEX, d.sex),
        "date_of_birth": born,
        "status": vocab.word(vocab.STATUS, d.status),
    }


def _travel_document(d: DetaineeDetail) -> str:
    for x in d.documents:
        if x.doc_type in ("passport", "travel_document", "emergency_travel_document"):
            return f"{vocab.word(vocab.DOCUMENT_TYPE, x.doc_type)} {x.number} ({x.issuing_state})"
    return ""


def context(detail: DetaineeDetail) -> dict[str, Any]:
    d = detail
    arrest = ", ".join(x for x in (vocab.moment(d.arrested_at), d.arrest_place,
                                   d.arresting_agency) if x)
    cash_in = sum((c.amount for c in d.cash if c.amount > 0), Decimal("0.00"))
    cash_out = sum((-c.amount for c in d.cash if c.amount < 0), Decimal("0.00"))
    return {
        **common_particulars(d),
        "aliases": "; ".join(vocab.name(a) for a in d.aliases),
        "travel_document": _travel_document(d),
        "arrest": arrest,
        "admitted_at": vocab.moment(d.admitted_at),
        "admitted_by": d.admitted_by,
        "ended_at": vocab.moment(d.ended_at),
        "stages": [
            {"section": s.section, "words": _words(s.section),
             "authority": vocab.word(vocab.AUTHORITY, s.authority), "reference": s.reference,
             "starts_at": when(s.starts_at), "ends_at": when(s.ends_at)}
            for s in d.stages
        ],
        "movements": movement_rows(d.movements),
        "items_held": str(sum(1 for p in d.property if p.returned_at is None)),
        "items_returned": str(sum(1 for p in d.property if p.returned_at is not None)),
        "bag_nos": ", ".join(dict.fromkeys(p.bag_no for p in d.property
                                           if p.bag_no and p.returned_at is None)),
        "cash_received": ringgit(cash_in),
        "cash_paid": ringgit(cash_out),
        "cash_balance": ringgit(d.cash_balance),
        "items": [
            {"no": str(n), "description": p.description, "quantity": str(p.quantity),
             "bag_no": p.bag_no, "received": f"{vocab.moment(p.received_at)}\n{p.received_by}",
             "state": _state(p)}
            for n, p in enumerate(d.property, 1)
        ],
        "cash_entries": [
            {"no": str(n), "occurred_at": when(c.occurred_at), "receipt_no": c.receipt_no,
             "note": c.note, "recorded_by": c.recorded_by, "amount": f"{c.amount:,.2f}"}
            for n, c in enumerate(d.cash, 1)
        ],
        "visits": [_visit(n, v) for n, v in enumerate(
            sorted(d.visits, key=lambda v: (v.started_at, v.id)), 1)],
        **_death(d),
        "prepared_by": "",
        "certifying_officer": "",
    }


def _words(section: str) -> str:
    basis = legal_bases.find(section)
    return basis.words if basis else ""


FORM = FormDef(
    code="custody-record", title_ms="Rekod jagaan tahanan", title_en="Custody record",
    sections=SECTIONS, page_size=A4, layout="document", subject_type="detention",
    context=context, note_ms="Akta Imigresen 1959/63 (Akta 155)",
    note_en="Immigration Act 1959/63 (Act 155)",
)
