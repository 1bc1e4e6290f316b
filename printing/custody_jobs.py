"""Print jobs for the custody forms whose subject is not simply a detention: the movement
slip (one movement of one detention), the establishment roll (the depot at a moment) and
the headcount sheet (one count). The custody record is about a detention and prints
through ``printing.jobs.print_form`` like the admission record.

Same shape as ``printing.jobs``: ONE write unit of work reads the record, takes the
document serial, renders with it on every page and keeps the counterfoil (s.53), or
rolls all of it back. The counterfoil's subject is what the document is about:

========================  ========================  ===============================
form                      subject                   also listed
========================  ========================  ===============================
``movement-slip``         ``("movement", id)``      ``("detention", id)``, so the
                                                    slip is among the detainee's
                                                    documents
``roll``                  ``("roll", 0)``           (the depot: there is no row)
``headcount-sheet``       ``("headcount", id)``
========================  ========================  ===============================

``reprint`` handles these, hands the medical forms to ``printing.medical_jobs.reprint``
(which checks again who may see them), the court forms to ``printing.court_jobs.reprint``
and every other form to ``printing.jobs.reprint``. A
roll is not reprinted: it shows the depot at the moment it was printed, and printing it
again would print today's figures under yesterday's serial; print a new roll instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import PrintedDocument, PrintedDocumentSubject
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services import detainees, headcount, roll
from forms.base import FormDef
from printing import court_jobs, jobs, medical_jobs
from printing.jobs import PrintJob

MOVEMENT_SLIP, ROLL, HEADCOUNT_SHEET = "movement-slip", "roll", "headcount-sheet"
CODES = (MOVEMENT_SLIP, ROLL, HEADCOUNT_SHEET)


def print_movement_slip(uow: UnitOfWork, actor: Actor, detention_id: int,
                        movement_id: int | None = None, *,
                        invariant: bool = False) -> PrintJob:
    """The slip for one movement of this detention (the latest when ``movement_id`` is
    None)."""
    actor.require(Permission.PRINT)
    form = jobs.form_for(MOVEMENT_SLIP)
    record = _slip(uow, actor, form, detention_id, movement_id)
    return jobs.finish_one(uow, actor, form, record, ("movement", record["movement_id"]),
                   [("detention", detention_id)], None, invariant)


def print_roll(uow: UnitOfWork, actor: Actor, *, invariant: bool = False) -> PrintJob:
    """The establishment roll as it stands now."""
    actor.require(Permission.PRINT)
    form = jobs.form_for(ROLL)
    record = form.context(roll.roll(uow, actor))
    return jobs.finish_one(uow, actor, form, record, ("roll", 0), [], None, invariant)


def print_headcount(uow: UnitOfWork, actor: Actor, headcount_id: int, *,
                    invariant: bool = False) -> PrintJob:
    """A count's sheet: to tick while it is open, the record once closed."""
    actor.require(Permission.PRINT)
    form = jobs.form_for(HEADCOUNT_SHEET)
    record = form.context(headcount.count_view(uow, actor, headcount_id))
    return jobs.finish_one(uow, actor, form, record, ("headcount", headcount_id), [], None, invariant)


def reprint(uow: UnitOfWork, actor: Actor, document_id: int, *,
            invariant: bool = False) -> PrintJob:
    """Any document again under its serial, marked as a reprint: these forms here, the
    medical forms through ``printing.medical_jobs.reprint``, the court forms through
    ``printing.court_jobs.reprint``, every other form through ``printing.jobs.reprint``."""
    actor.require(Permission.PRINT)
    original = uow.session.get(PrintedDocument, document_id)
    if original is None:
        raise NotFound("printed document", document_id)
    if original.form_code in medical_jobs.CODES:
        return medical_jobs.reprint(uow, actor, document_id, invariant=invariant)
    if original.form_code in court_jobs.CODES:
        return court_jobs.reprint(uow, actor, document_id, invariant=invariant)
    if original.form_code not in CODES:
        return jobs.reprint(uow, actor, document_id, invariant=invariant)
    form = jobs.form_for(original.form_code)
    subjects = dict(uow.session.execute(
        select(PrintedDocumentSubject.subject_type, PrintedDocumentSubject.subject_id)
        .where(PrintedDocumentSubject.printed_document_id == original.id)).tuples().all())
    if form.code == ROLL:
        raise ValidationError({"serial": f"{original.serial} is a roll: it shows the depot "
                                         f"at the time it was printed, so it is not printed "
                                         f"again; print a new roll"})
    if form.code == MOVEMENT_SLIP:
        detention_id = subjects["detention"]
        record = _slip(uow, actor, form, detention_id, subjects["movement"])
        main, also = ("movement", subjects["movement"]), [("detention", detention_id)]
    else:
        record = form.context(headcount.count_view(uow, actor, subjects["headcount"]))
        main, also = ("headcount", subjects["headcount"]), []
    return jobs.finish_one(uow, actor, form, record, main, also, original, invariant)


def _slip(uow: UnitOfWork, actor: Actor, form: FormDef, detention_id: int,
          movement_id: int | None) -> dict[str, Any]:
    detail = detainees.detail(uow, actor, detention_id)
    try:
        return form.context(detail, movement_id)
    except ValueError as exc:
        raise ValidationError({"movement_id": str(exc)}) from None
