"""The receipt for property and cash given back: at release or transfer, or later (a
released detainee who comes back for a bag, items sent on after a transfer).

It lists everything returned so far, item by item (when, by which officer, to whom), and
every payment of cash out (the negative cash entries); then, clearly, what the depot still
holds (items and the cash balance), or that nothing is held; then the declarations: the
detainee, or the person named as receiving them (an escort, a relative), with a
right-thumbprint box, and the officer who returned them.

The admission receipt (``forms/property_receipt.py``) is what the detainee signs on the way
in; this one is what they, or whoever takes the property for them, sign on the way out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depot_app.errors import ValidationError
from depot_app.readmodels import CashView, DetaineeDetail, PropertyView
from forms import vocab
from forms.admission_record import particulars, ringgit
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection
from forms.property_receipt import Column, Signature

NOTHING_HELD = ("Tiada apa-apa lagi disimpan oleh depot", "Nothing is held by the depot")
TO_DETAINEE = ("Tahanan sendiri", "The detainee in person")
AS_ABOVE = ("Seperti di atas", "As above")
TOTAL = ("Jumlah", "Total")
BLANK = "\u00a0"  # an empty cell (not "-") on a total line



@dataclass(frozen=True)
class OptionalTable(FieldDef):
    """A table printed only when the record's value under ``when`` is true."""

    kind: str = "table"
    when: str = ""


SECTIONS = (
    SectionDef("Butiran tahanan", "Detainee particulars", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("returned_at", "Tarikh dan masa dipulangkan", "Returned at"),
        FieldDef("returned_to", "Dipulangkan kepada", "Returned to", span=2),
    ), columns=3),
    SectionDef("Harta dan wang yang dipulangkan", "Property and cash returned", (
        FieldDef("items_returned", "Barang yang dipulangkan", "Items returned", "table",
                 columns=(
                     Column("no", "Bil.", "No.", 0.42, align="right"),
                     Column("description", "Perihal barang", "Description", 2.3),
                     Column("quantity", "Kuantiti", "Quantity", 0.7, align="right"),
                     Column("bag_no", "No. beg / loker", "Bag / locker", 0.9),
                     Column("returned_at", "Bila", "When", 1.0),
                     Column("returned_by", "Oleh", "By", 1.55),
                     Column("returned_to", "Kepada", "To", 1.9),
                 )),
        FieldDef("cash_paid_out", "Wang tunai yang dibayar", "Cash paid out", "table",
                 columns=(
                     Column("no", "Bil.", "No.", 0.42, align="right"),
                     Column("occurred_at", "Bila", "When", 1.0),
                     Column("receipt_no", "No. resit", "Receipt no.", 1.1),
                     Column("note", "Catatan", "Note", 2.6),
                     Column("recorded_by", "Oleh", "By", 1.55),
                     Column("amount", "Amaun (RM)", "Amount (RM)", 1.0, align="right"),
                 )),
    ), columns=1),
    SectionDef("Masih disimpan oleh depot", "Still held by the depot", (
        FieldDef("held_summary", "Yang masih disimpan", "What the depot still holds", "name",
                 span=2),
        FieldDef("cash_balance", "Baki wang tunai", "Cash balance"),
        OptionalTable("items_held", "Barang yang masih disimpan", "Items still held",
                      when="holds_items", columns=(
                     Column("no", "Bil.", "No.", 0.42, align="right"),
                     Column("description", "Perihal barang", "Description", 3.4),
                     Column("quantity", "Kuantiti", "Quantity", 0.75, align="right"),
                     Column("bag_no", "No. beg / loker", "Bag / locker no.", 1.1),
                     Column("received_at", "Diterima", "Received", 1.0),
                      )),
    ), columns=3),
    KeptSection("Pengakuan", "Declarations", (
        Signature(
            "receiver_signature", "Penerima", "Received by", thumbprint=True,
            declaration_ms="Saya (tahanan, atau penerima yang dinamakan di atas) telah "
                           "menerima semula harta dan wang tunai yang disenaraikan di atas "
                           "sebagai dipulangkan.",
            declaration_en="I (the detainee, or the person named above as receiving them) "
                           "have received back the property and cash listed above as "
                           "returned."),
        Signature(
            "officer_signature", "Pegawai yang memulangkan", "Officer returning them",
            declaration_ms="Saya telah memulangkan harta dan wang tunai di atas; yang masih "
                           "disimpan oleh depot adalah seperti yang dinyatakan.",
            declaration_en="I have returned the property and cash above; what the depot "
                           "still holds is as stated."),
    )),
)


def has_returns(detail: DetaineeDetail) -> bool:
    """Whether anything has been given back: an item returned or cash paid out."""
    return (any(p.returned_at is not None for p in detail.property)
            or any(c.amount < 0 for c in detail.cash))


def _returned(d: DetaineeDetail) -> list[PropertyView]:
    items = [p for p in d.property if p.returned_at is not None]
    return sorted(items, key=lambda p: (p.returned_at, p.id))


def _paid_out(d: DetaineeDetail) -> list[CashView]:
    return sorted((c for c in d.cash if c.amount < 0), key=lambda c: c.occurred_at)


def _cash_to_whom(c: CashView) -> str | None:
    """To whom a payment of cash was returned, read from the note the return writes
    ("Dikembalikan / Returned (to the escort …)"); None for any other payment (canteen)."""
    found = re.fullmatch(r"Dikembalikan / Returned(?: \((.*)\))?", c.note.strip(), re.S)
    return (found.group(1) or "") if found else None


def _receivers(items: list[PropertyView], paid: list[CashView]) -> list[str]:
    """Each distinct receiver once, in order: a return note, or "" for the detainee."""
    notes = [p.return_note for p in items]
    notes += [w for c in paid if (w := _cash_to_whom(c)) is not None]
    return list(dict.fromkeys(notes)) or [""]


def _when(at) -> str:
    """Date over time, for a narrow column."""
    return vocab.moment(at).replace(" ", "\n")


def _total(rows: list, **values: str) -> list[dict[str, Any]]:
    """A bold total line under a table of more than one row."""
    if len(rows) < 2:
        return []
    return [{"no": BLANK, "_emphasis": True, **{k: BLANK for k in (
        "description", "bag_no", "returned_at", "returned_by", "returned_to", "occurred_at",
        "receipt_no", "recorded_by")}, **values}]


def _to_whom(note: str) -> str:
    return note or bilingual(*TO_DETAINEE)


def _span(moments: list) -> str:
    """One moment, or the first and last when the returns were made at different times."""
    texts = list(dict.fromkeys(vocab.moment(m) for m in sorted(moments)))
    if not texts:
        return ""
    return texts[0] if len(texts) == 1 else f"{texts[0]} – {texts[-1]}"


def _held_summary(held: list[PropertyView], balance: Decimal) -> str:
    if not held and balance == 0:
        return bilingual(*NOTHING_HELD)
    ms, en = [], []
    if held:
        count = len(held)
        ms.append(f"{count} barang")
        en.append(f"{count} item{'s' if count != 1 else ''}")
    if balance != 0:
        ms.append(ringgit(balance))
        en.append(ringgit(balance))
    return f"{' dan '.join(ms)} / {' and '.join(en)}"


def context(detail: DetaineeDetail) -> dict[str, Any]:
    d = detail
    if not has_returns(d):
        raise ValidationError({"detainees": f"Nothing has been returned to {d.detainee_no} "
                                            "yet: there is no return receipt to print "
                                            "(the property receipt lists what is held)"})
    items, paid = _returned(d), _paid_out(d)
    held = [p for p in d.property if p.returned_at is None]
    officers = dict.fromkeys([p.returned_by for p in items if p.returned_by]
                             + [c.recorded_by for c in paid if c.recorded_by])
    notes = _receivers(items, paid)
    paid_total = sum((-c.amount for c in paid), Decimal("0.00"))
    return {
        **particulars(d),
        "running_head": f"No. tahanan / Detainee no. {d.detainee_no} · "
                        f"{vocab.name(d.full_name)}",
        "returned_at": _span([p.returned_at for p in items] + [c.occurred_at for c in paid]),
        "returned_to": "; ".join(_to_whom(n) for n in notes),
        "items_returned": [
            {"no": str(n), "description": p.description, "quantity": str(p.quantity),
             "bag_no": p.bag_no, "returned_at": _when(p.returned_at),
             "returned_by": p.returned_by,
             # One receiver for everything: named once, in the particulars.
             "returned_to": bilingual(*AS_ABOVE) if len(notes) == 1
             else _to_whom(p.return_note)}
            for n, p in enumerate(items, 1)
        ] + _total(items, description=bilingual(*TOTAL),
                   quantity=str(sum(p.quantity for p in items))),
        "cash_paid_out": [
            {"no": str(n), "occurred_at": _when(c.occurred_at), "receipt_no": c.receipt_no,
             "note": c.note, "recorded_by": c.recorded_by, "amount": f"{-c.amount:,.2f}"}
            for n, c in enumerate(paid, 1)
        ] + _total(paid, note=bilingual(*TOTAL), amount=f"{paid_total:,.2f}"),
        "item_count": str(len(items)),
        "cash_paid_total": ringgit(paid_total),
        "held_summary": _held_summary(held, d.cash_balance),
        "cash_balance": ringgit(d.cash_balance),
        "holds_items": bool(held),
        "items_held": [
            {"no": str(n), "description": p.description, "quantity": str(p.quantity),
             "bag_no": p.bag_no, "received_at": vocab.day(p.received_at)}
            for n, p in enumerate(held, 1)
        ],
        # The names under the lines: the detainee when everything went to them in person,
        # the officer when one officer returned everything; otherwise written by hand.
        "receiver_signature": vocab.name(d.full_name) if notes == [""] else "",
        "officer_signature": next(iter(officers)) if len(officers) == 1 else "",
    }


FORM = FormDef(
    code="property-return", title_ms="Resit pemulangan harta dan wang",
    title_en="Receipt for property and cash returned", sections=SECTIONS, page_size=A4,
    layout="document", subject_type="detention", context=context,
    note_ms="Pemulangan harta tahanan", note_en="Detainee's property given back",
)
