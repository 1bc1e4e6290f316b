"""The receipt for a detainee's property and cash: what the depot took into safekeeping,
item by item, the cash in ringgit, and the declarations the detainee (with a thumbprint)
and the receiving officer sign.

Two small extensions of the form definitions live here until ``forms/base.py`` takes them:
``Signature`` (a signature field with the words the signer declares and, optionally, a
thumbprint box) and ``Column`` (a table column aligned right, for quantities and amounts).
``printing/document.py`` reads their extra attributes where a field or column has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depot_app.readmodels import DetaineeDetail
from forms import vocab
from forms.admission_record import particulars, ringgit
from forms.base import A4, ColumnDef, FieldDef, FormDef, SectionDef, bilingual

HELD, RETURNED = ("Disimpan", "Held"), ("Dipulangkan", "Returned")


@dataclass(frozen=True)
class Signature(FieldDef):
    """A signature with the declaration above it; ``thumbprint`` adds a box for the right
    thumbprint (for a signer who may not write). The field's value, when given, is the name
    printed under the line."""

    kind: str = "signature"
    declaration_ms: str = ""
    declaration_en: str = ""
    thumbprint: bool = False


@dataclass(frozen=True)
class Column(ColumnDef):
    """A table column with its alignment: "left" (the default for any column) or "right"."""

    align: str = "left"


SECTIONS = (
    SectionDef("Butiran tahanan", "Detainee particulars", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("location", "Blok / Sel", "Block / Cell"),
        FieldDef("received_at", "Tarikh dan masa diterima", "Received at"),
        FieldDef("received_by", "Diterima oleh", "Received by"),
    ), columns=3),
    SectionDef("Harta dan wang tunai", "Property and cash", (
        FieldDef("items", "Barang yang diterima untuk disimpan", "Items received for "
                 "safekeeping", "table", span=2, columns=(
                     Column("no", "Bil.", "No.", 0.45, align="right"),
                     Column("description", "Perihal barang", "Description", 3.4),
                     Column("quantity", "Kuantiti", "Quantity", 0.75, align="right"),
                     Column("bag_no", "No. beg / loker", "Bag / locker no.", 1.1),
                     Column("state", "Status", "Status", 1.5),
                 )),
        FieldDef("cash_entries", "Wang tunai", "Cash", "table", span=2, columns=(
            Column("no", "Bil.", "No.", 0.45, align="right"),
            Column("occurred_at", "Tarikh dan masa", "Date and time", 1.3),
            Column("receipt_no", "No. resit", "Receipt no.", 1.1),
            Column("note", "Catatan", "Note", 2.5),
            Column("amount", "Amaun (RM)", "Amount (RM)", 1.1, align="right"),
        )),
    )),
    SectionDef("Jumlah", "Totals", (
        FieldDef("item_count", "Bilangan barang", "Items listed"),
        FieldDef("quantity_total", "Jumlah kuantiti", "Total quantity"),
        FieldDef("bag_nos", "No. beg / loker", "Bag / locker no."),
        FieldDef("cash_received", "Wang tunai diterima", "Cash received"),
        FieldDef("cash_paid", "Wang tunai dibayar", "Cash paid out"),
        FieldDef("cash_balance", "Baki dipegang depot", "Held by the depot"),
    ), columns=6),
    SectionDef("Pengakuan", "Declarations", (
        Signature(
            "detainee_signature", "Tahanan", "Detainee", thumbprint=True,
            declaration_ms="Saya mengaku bahawa harta dan wang tunai yang disenaraikan di atas "
                           "adalah milik saya dan telah saya serahkan kepada depot untuk "
                           "disimpan. Senarai ini lengkap dan betul.",
            declaration_en="I declare that the property and cash listed above are mine and "
                           "that I have handed them to the depot for safekeeping. This list "
                           "is complete and correct."),
        Signature(
            "officer_signature", "Pegawai yang menerima", "Receiving officer",
            declaration_ms="Saya mengesahkan bahawa saya telah menerima harta dan wang tunai "
                           "yang disenaraikan di atas daripada tahanan ini untuk disimpan.",
            declaration_en="I certify that I have received the property and cash listed "
                           "above from this detainee for safekeeping."),
    )),
)


def _amount(amount: Decimal) -> str:
    """An amount in a column headed (RM): "1,234.50", "-20.00"."""
    return f"{amount:,.2f}"


def _state(returned_at) -> str:
    if returned_at is None:
        return bilingual(*HELD)
    return f"{bilingual(*RETURNED)} {vocab.day(returned_at)}"


def _joined(values) -> str:
    """Distinct non-empty values in their first order: "B-0412, B-0413"."""
    return ", ".join(dict.fromkeys(v for v in values if v))


def context(detail: DetaineeDetail) -> dict[str, Any]:
    d = detail
    cash_in = [c for c in d.cash if c.amount > 0]
    received = [p.received_at for p in d.property] + [c.occurred_at for c in cash_in]
    officers = dict.fromkeys([p.received_by for p in d.property if p.received_by]
                             + [c.recorded_by for c in cash_in if c.recorded_by])
    return {
        **particulars(d),
        "received_at": vocab.moment(min(received)) if received else "",
        "received_by": "; ".join(officers),
        "items": [
            {"no": str(n), "description": p.description, "quantity": str(p.quantity),
             "bag_no": p.bag_no, "state": _state(p.returned_at)}
            for n, p in enumerate(d.property, 1)
        ],
        "cash_entries": [
            {"no": str(n), "occurred_at": vocab.moment(c.occurred_at),
             "receipt_no": c.receipt_no, "note": c.note, "amount": _amount(c.amount)}
            for n, c in enumerate(d.cash, 1)
        ],
        "item_count": str(len(d.property)),
        "quantity_total": str(sum(p.quantity for p in d.property)),
        "bag_nos": _joined(p.bag_no for p in d.property),
        "cash_received": ringgit(sum((c.amount for c in cash_in), Decimal("0.00"))),
        "cash_paid": ringgit(sum((-c.amount for c in d.cash if c.amount < 0),
                                 Decimal("0.00"))),
        "cash_balance": ringgit(d.cash_balance),
        "detainee_signature": vocab.name(d.full_name),
        # The officer's name is printed only when one officer received everything.
        "officer_signature": next(iter(officers)) if len(officers) == 1 else "",
    }


FORM = FormDef(
    code="property-receipt", title_ms="Resit harta dan wang", title_en="Receipt for property "
    "and cash", sections=SECTIONS, page_size=A4, layout="document", subject_type="detention",
    context=context, note_ms="Simpanan harta tahanan", note_en="Detainee's property in safekeeping",
)
