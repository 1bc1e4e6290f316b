"""Checking what intake records besides the person and the arrest: the property and cash
taken into safe keeping, family links to other detainees, and the clerk's answer to the
identity check. Field names are the request's own (``property[0].description``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.models import Detention, IdentityDocument, Person
from depot_app.errors import Validator

if TYPE_CHECKING:
    from depot_app.services.admission import (
        AdmissionRequest,
        DocumentInput,
        FamilyInput,
        PropertyInput,
    )

RELATIONS = {"parent": "child", "child": "parent", "spouse": "spouse", "sibling": "sibling"}
MAX_QUANTITY = 999
MAX_CASH = Decimal("1000000.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CheckedExtras:
    property: tuple[PropertyInput, ...]
    bag_no: str
    cash: Decimal | None
    cash_note: str
    family: tuple[tuple[str, int, str], ...]  # (relation, related detention id, its number)


def check_extras(v: Validator, s, r: AdmissionRequest, depot_id: int,
                 documents: tuple[DocumentInput, ...] = ()) -> CheckedExtras:
    items = tuple(_item(v, i, item) for i, item in enumerate(r.property))
    bag_no = " ".join((r.property_bag_no or "").split())
    if len(bag_no) > 24:
        v.add("property_bag_no", "Bag/locker number is longer than 24 characters")
    if items and not bag_no:
        v.add("property_bag_no", "Give the bag or locker number the property is kept in")
    cash = _cash(v, r.cash_amount)
    note = (r.cash_note or "").strip()
    if len(note) > 200:
        v.add("cash_note", "Cash note is longer than 200 characters")
    family = _family(v, s, r.family, depot_id)
    _identity(v, s, r, documents)
    decision = r.identity_decision
    if decision is not None and len(decision.reason or "") > 500:
        v.add("identity_decision.reason", "The reason is longer than 500 characters")
    return CheckedExtras(items, bag_no, cash, note, family)


def _identity(v: Validator, s, r: AdmissionRequest, documents: tuple[DocumentInput, ...]) -> None:
    """One document, one person: a document on record for someone else is never added to
    the person admitted; the clerk's answer to the identity check needs a reason when it
    goes against the documents."""
    holders: dict[int, tuple[int, str]] = {}  # document index -> (person id, name)
    for i, d in enumerate(documents):
        if not d.number:
            continue
        found = s.execute(select(Person.id, Person.full_name)
                          .join(IdentityDocument, IdentityDocument.person_id == Person.id)
                          .where(IdentityDocument.number == d.number,
                                 IdentityDocument.issuing_state == d.issuing_state)
                          .order_by(Person.id).limit(1)).first()
        if found is not None:
            holders[i] = (found.id, found.full_name)
    linked = r.existing_person_id
    if linked is not None:
        for i, (holder, name) in holders.items():
            if holder != linked:
                v.add(f"documents[{i}].number",
                      f"This document is on record for another person ({name})")
    decision = r.identity_decision
    if decision is None or (decision.reason or "").strip():
        return
    if linked is None and (holders or decision.document_match):
        v.add("identity_decision.reason",
              "A person on record holds this document number: say why this is someone else")
    elif linked is not None and not any(holder == linked for holder, _ in holders.values()):
        v.add("identity_decision.reason",
              "None of this person's documents on record matches: say why this is the same "
              "person (e.g. confirmed by photo and fingerprints)")


def _item(v: Validator, i: int, item: PropertyInput) -> PropertyInput:
    field = f"property[{i}]"
    description = v.require(f"{field}.description", " ".join((item.description or "").split()),
                            max_len=200, label="Description")
    quantity = item.quantity
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        v.add(f"{field}.quantity", f"Quantity must be a whole number from 1 to {MAX_QUANTITY}")
    return replace(item, description=description)


def _cash(v: Validator, amount) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except InvalidOperation:
        v.add("cash_amount", f"{amount!r} is not an amount of money (e.g. 235.50)")
        return None
    if not value.is_finite():
        v.add("cash_amount", "Cash must be an amount of money (e.g. 235.50)")
        return None
    if value < 0:
        v.add("cash_amount", "Cash received cannot be negative")
    elif value.quantize(CENT) != value:
        v.add("cash_amount", "Cash is in ringgit and sen: at most two decimal places")
    elif value > MAX_CASH:
        v.add("cash_amount", f"Cash over RM {MAX_CASH:,} must be checked and entered by "
                             "a supervisor")
    return value.quantize(CENT) if value >= 0 else None


def _family(v: Validator, s, links: tuple[FamilyInput, ...],
            depot_id: int) -> tuple[tuple[str, int, str], ...]:
    out: list[tuple[str, int, str]] = []
    seen: set[int] = set()
    for i, link in enumerate(links):
        field = f"family[{i}]"
        relation = (link.relation or "").strip().lower()
        if relation not in RELATIONS:
            v.add(f"{field}.relation", f"Relation must be one of {', '.join(RELATIONS)}")
        number = (link.detainee_no or "").strip().upper()
        if not number:
            v.add(f"{field}.detainee_no", "Give the detainee number of the family member")
            continue
        found = s.execute(select(Detention.id, Detention.status).where(
            Detention.detainee_no == number, Detention.depot_id == depot_id)).first()
        if found is None:
            v.add(f"{field}.detainee_no", f"There is no detainee {number} in this depot")
        elif found.status != "in_custody":
            v.add(f"{field}.detainee_no", f"{number} is no longer in custody")
        elif found.id in seen:
            v.add(f"{field}.detainee_no", f"{number} is linked twice")
        else:
            seen.add(found.id)
            out.append((relation, found.id, number))
    return tuple(out)
