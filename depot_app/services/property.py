"""Giving back what the depot holds for a detainee: property items and cash.

At release or transfer the items handed back and the cash paid out are recorded with the
departure (``departures.discharge``); anything left is still shown as held on the record
and in ``outstanding``, and can be returned later with ``return_property`` (a released
detainee who comes back for a bag, items sent on after a transfer). Cash is paid out as a
negative cash entry, never more than the balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from db.models import CashEntry, Detention, PropertyItem
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import Validator
from depot_app.readmodels import DetaineeRow, PropertyOutstandingRow
from depot_app.services import detainees
from depot_app.services.custody_common import lock_detention, optional
from depot_app.services.setup import current_depot

__all__ = ["PropertyReturn", "outstanding", "return_property"]

CENT = Decimal("0.01")
MAX_CASH = Decimal("1000000.00")  # as at admission: more is a typing mistake
NOTE_LEN = 200


@dataclass(frozen=True)
class PropertyReturn:
    """What is given back: these items, this much cash (MYR), and to whom when it is not
    the detainee in person (``note``: "Handed to the escort of Depot Bukit Jalil")."""

    item_ids: tuple[int, ...] = ()
    cash_amount: Decimal | str | None = None
    note: str = ""
    receipt_no: str = ""

    @property
    def empty(self) -> bool:
        return not self.item_ids and self.cash_amount in (None, "")


@dataclass(frozen=True)
class CheckedReturn:
    items: tuple[PropertyItem, ...]
    cash: Decimal | None
    note: str
    receipt_no: str


def cash_balance(uow: UnitOfWork, detention_id: int) -> Decimal:
    total = uow.session.scalar(select(func.sum(CashEntry.amount))
                               .where(CashEntry.detention_id == detention_id))
    return Decimal(total or 0).quantize(CENT)


def check_return(v: Validator, uow: UnitOfWork, detention: Detention, r: PropertyReturn,
                 prefix: str = "") -> CheckedReturn:
    """Each item must be this detainee's and still held; cash a positive amount in sen no
    more than the balance. Field names carry ``prefix`` ("property.").
    """
    s = uow.session
    items: list[PropertyItem] = []
    wanted = list(dict.fromkeys(r.item_ids))
    if wanted:
        found = {i.id: i for i in s.scalars(select(PropertyItem).where(
            PropertyItem.id.in_(wanted)).with_for_update())}
        for item_id in wanted:
            item = found.get(item_id)
            if item is None or item.detention_id != detention.id:
                v.add(f"{prefix}item_ids", f"Item {item_id} is not property of detainee "
                                           f"{detention.detainee_no}")
            elif item.returned_at is not None:
                v.add(f"{prefix}item_ids", f"'{item.description}' was already returned")
            else:
                items.append(item)
    cash = _amount(v, r.cash_amount, f"{prefix}cash_amount")
    if cash is not None:
        balance = cash_balance(uow, detention.id)
        if cash > balance:
            v.add(f"{prefix}cash_amount", f"Cash paid out (RM {cash:,.2f}) is more than the "
                                          f"depot holds for this detainee (RM {balance:,.2f})")
    note = optional(v, f"{prefix}note", r.note, max_len=NOTE_LEN, label="Returned to")
    receipt = optional(v, f"{prefix}receipt_no", r.receipt_no, max_len=40, label="Receipt no.")
    return CheckedReturn(tuple(items), cash, note, receipt)


def _amount(v: Validator, value: Decimal | str | None, key: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        v.add(key, "Cash paid out must be an amount in ringgit, e.g. 120.50")
        return None
    if amount.is_finite() and amount > MAX_CASH:
        v.add(key, f"Cash paid out cannot be more than RM {MAX_CASH:,.2f}")
        return None
    if not amount.is_finite() or amount <= 0:
        v.add(key, "Cash paid out must be more than RM 0.00")
        return None
    if amount != amount.quantize(CENT):
        v.add(key, "Cash paid out cannot have fractions of a sen")
        return None
    return amount.quantize(CENT)


def apply_return(uow: UnitOfWork, actor: Actor, detention: Detention, checked: CheckedReturn,
                 when: dt.datetime) -> dict[str, object]:
    """Write the return; what was returned, for the audit event."""
    for item in checked.items:
        item.returned_at = when
        item.returned_by_id = actor.user_id
        item.return_note = checked.note
    if checked.cash is not None:
        to_whom = f" ({checked.note})" if checked.note else ""
        uow.session.add(CashEntry(
            detention_id=detention.id, amount=-checked.cash, occurred_at=when,
            receipt_no=checked.receipt_no, recorded_by_id=actor.user_id,
            note=f"Dikembalikan / Returned{to_whom}"))
    return {"items": [{"id": i.id, "description": i.description, "quantity": i.quantity}
                      for i in checked.items],
            "cash_paid_out": checked.cash, "note": checked.note,
            "receipt_no": checked.receipt_no}


def return_property(uow: UnitOfWork, actor: Actor, detention_id: int,
                    request: PropertyReturn) -> Result[DetaineeRow]:
    """Give back items and/or cash, in custody or after the detainee has left."""
    actor.require(Permission.MOVE)
    # Locked as a departure locks it: a release paying out the cash at another workstation
    # finishes first, and the balance read here is the one it left.
    detention = lock_detention(uow, detention_id)
    v = Validator()
    if request.empty:
        v.add("item_ids", "Choose the items given back, or the cash paid out")
    checked = check_return(v, uow, detention, request)
    v.check()
    when = uow.now()
    returned = apply_return(uow, actor, detention, checked, when)
    uow.record(actor, "property.return", "detention", detention.id, None,
               {**returned, "occurred_at": when})
    uow.touch(Changes.of(areas.DETAINEES, detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)


def outstanding(uow: UnitOfWork, actor: Actor) -> tuple[PropertyOutstandingRow, ...]:
    """Detainees who have left the depot while it still holds their property or cash, the
    longest gone first. A report (``depot property outstanding``): it reads every item not
    returned and every cash balance of those who have left."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    gone = (Detention.depot_id == current_depot(uow).id, Detention.status != "in_custody")
    items = dict(s.execute(
        select(PropertyItem.detention_id, func.count(PropertyItem.id))
        .join(Detention, Detention.id == PropertyItem.detention_id)
        .where(*gone, PropertyItem.returned_at.is_(None))
        .group_by(PropertyItem.detention_id)).tuples().all())
    cash = {k: Decimal(v).quantize(CENT) for k, v in s.execute(
        select(CashEntry.detention_id, func.sum(CashEntry.amount))
        .join(Detention, Detention.id == CashEntry.detention_id).where(*gone)
        .group_by(CashEntry.detention_id)
        .having(func.sum(CashEntry.amount) != Decimal("0.00"))).tuples().all()}
    ids = sorted(set(items) | set(cash))
    left = dict(s.execute(select(Detention.id, Detention.ended_at)
                          .where(Detention.id.in_(ids))).tuples().all()) if ids else {}
    rows = detainees.rows(uow, actor, ids) if ids else []
    return tuple(PropertyOutstandingRow(row, int(items.get(row.id, 0)),
                                        cash.get(row.id, Decimal("0.00")), left.get(row.id))
                 for row in sorted(rows, key=lambda r: (left.get(r.id) is None,
                                                        left.get(r.id), r.detainee_no)))
