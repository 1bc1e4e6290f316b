"""Print jobs for the court forms: the production list (one court, one day), the record of
a Magistrate's detention order, and a detention's authority history.

Same shape as ``printing.medical_jobs``: ONE write unit of work reads the record, takes the
document serial, renders with it on every page and keeps the counterfoil (s.53), or rolls
all of it back (a refusal, such as an empty list, takes no serial).

=====================  ====================================  ==============================
form                   subject                               also listed
=====================  ====================================  ==============================
``production-list``    ``("production_list", 0)``            each ``("court_production",
                                                             id)`` and ``("detention", id)``
``detention-order``    ``("detention_order", order id)``     ``("detention", id)``
``authority-history``  ``("authority_history", detention)``  ``("detention", id)``
=====================  ====================================  ==============================

Any user who may print and see detainees prints them. ``reprint`` prints an order's record
again under its serial, marked as a reprint; a production list and an authority history
are not reprinted (each is the custody as it stood when printed, like the roll): print a
new one. ``printing.custody_jobs.reprint`` hands these forms here.

``printing.render`` draws them with their own sections from ``printing.lists``: the production list's lines with a photo and a Code 128 number
each (``ListSection``, ``PhotoColumn``, ``StackColumn`` in ``forms.production_list``) and
the authority history's ``AlertSection`` (white on black in a heavy frame). Every other
section prints as usual.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from db.models import PrintedDocument
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services import detainees
from depot_app.services.court import records
from depot_app.services.court.views import ProductionList
from forms.base import FormDef
from printing import jobs
from printing.jobs import PrintJob, form_for

PRODUCTION_LIST, DETENTION_ORDER, AUTHORITY_HISTORY = (
    "production-list", "detention-order", "authority-history")
CODES = (PRODUCTION_LIST, DETENTION_ORDER, AUTHORITY_HISTORY)
NOT_REPRINTED = {
    PRODUCTION_LIST: "a production list: it shows the court's list as it stood when it was "
                     "printed, so it is not printed again; print a new list",
    AUTHORITY_HISTORY: "an authority history: it shows the authority as it stood when it "
                       "was printed, so it is not printed again; print a new one",
}


# --- the jobs ---------------------------------------------------------------------------

def print_production_list(uow: UnitOfWork, actor: Actor, court: str, day: dt.date, *,
                          invariant: bool = False) -> PrintJob:
    """Everyone to be produced at ``court`` on the Malaysian day ``day``, with photos, for
    the escort and the court. An empty list is refused (no serial is taken)."""
    actor.require(Permission.PRINT)
    form = form_for(PRODUCTION_LIST)
    view = _listed(uow, actor, court, day)
    also = ([("court_production", p.id) for p in view.rows]
            + [("detention", p.detention_id) for p in view.rows])
    return jobs.finish_one(uow, actor, form, form.context(view), ("production_list", 0), also, None,
                   invariant)


def print_detention_order(uow: UnitOfWork, actor: Actor, order_id: int, *,
                          invariant: bool = False) -> PrintJob:
    """The record of one Magistrate's detention order (s.51(5)(b))."""
    actor.require(Permission.PRINT)
    form = form_for(DETENTION_ORDER)
    record, detention_id = _order_record(uow, actor, form, order_id)
    return jobs.finish_one(uow, actor, form, record, ("detention_order", order_id),
                   [("detention", detention_id)], None, invariant)


def print_latest_order(uow: UnitOfWork, actor: Actor, detention_id: int, *,
                       invariant: bool = False) -> PrintJob:
    """The record of the detention's latest order; refused when a Magistrate made none."""
    actor.require(Permission.PRINT)
    order_id = records.latest_order_id(uow, actor, detention_id)
    if order_id is None:
        number = detainees.detail(uow, actor, detention_id).detainee_no
        raise ValidationError({"order": f"No Magistrate's detention order is recorded for "
                                        f"{number}: there is no order to print"})
    return print_detention_order(uow, actor, order_id, invariant=invariant)


def print_authority_history(uow: UnitOfWork, actor: Actor, detention_id: int, *,
                            invariant: bool = False) -> PrintJob:
    """On what authority the detainee was held from the arrest to now, for the custody
    record."""
    actor.require(Permission.PRINT)
    form = form_for(AUTHORITY_HISTORY)
    history = records.history(uow, actor, detention_id)
    record = form.context(detainees.detail(uow, actor, detention_id), history,
                          actor.full_name)
    return jobs.finish_one(uow, actor, form, record, ("authority_history", detention_id),
                   [("detention", detention_id)], None, invariant)


def reprint(uow: UnitOfWork, actor: Actor, document_id: int, *,
            invariant: bool = False) -> PrintJob:
    """An order's record again under its serial, marked as a reprint."""
    actor.require(Permission.PRINT)
    original = uow.session.get(PrintedDocument, document_id)
    if original is None:
        raise NotFound("printed document", document_id)
    if original.form_code not in CODES:
        raise ValidationError({"document_id": f"{original.serial} is not a court document"})
    if original.form_code in NOT_REPRINTED:
        raise ValidationError({"serial": f"{original.serial} is "
                                         f"{NOT_REPRINTED[original.form_code]}"})
    form = form_for(original.form_code)
    record, detention_id = _order_record(uow, actor, form, original.subject_id)
    return jobs.finish_one(uow, actor, form, record, ("detention_order", original.subject_id),
                   [("detention", detention_id)], original, invariant)


def _listed(uow: UnitOfWork, actor: Actor, court: str, day: dt.date) -> ProductionList:
    """The court's list for the day; the court's name as scheduled even when typed in
    another case. Nobody on it: refused, naming the courts that do sit that day."""
    name = " ".join(court.split())
    if not name:
        raise ValidationError({"court": "Court is required"})
    view = records.production_list(uow, actor, name, day, photos=True)
    if view.rows:
        return view
    sitting = records.courts(uow, actor, day)
    same = [c for c in sitting if c.casefold() == name.casefold()]
    if same:
        view = records.production_list(uow, actor, same[0], day, photos=True)
        if view.rows:
            return view
    where = (f"; productions that day are at: {', '.join(sitting)}" if sitting
             else "; no production is scheduled anywhere that day")
    raise ValidationError({"court": f"Nobody is listed for production at {name} on "
                                    f"{day:%d/%m/%Y}: there is nothing to print{where}"})


def _order_record(uow: UnitOfWork, actor: Actor, form: FormDef,
                  order_id: int) -> tuple[dict[str, Any], int]:
    order = records.order(uow, actor, order_id)
    detention_id = order.detention_id
    production = (records.production(uow, actor, order.production_id)
                  if order.production_id is not None else None)
    cap = records.order_cap(uow, actor, order)
    detail = detainees.detail(uow, actor, detention_id)
    return form.context(detail, order, production, cap, actor.full_name), detention_id


