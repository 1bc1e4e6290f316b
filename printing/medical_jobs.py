"""Print jobs for the medical forms: the examination record, the fit-to-travel certificate
and the outbreak list.

Same shape as ``printing.custody_jobs``: ONE write unit of work checks who may print,
reads the record, takes the document serial, renders with it on every page and keeps the
counterfoil (s.53), or rolls all of it back (a refusal takes no serial).

========================  ===============================  ==========================
form                      subject                          also listed
========================  ===============================  ==========================
``medical-exam``          ``("medical_exam", exam id)``    ``("detention", id)``
``fit-to-travel``         ``("medical_exam", exam id)``    ``("detention", id)``
``outbreak-list``         ``("outbreak", 0)``
========================  ===============================  ==========================

Who may print: the examination record and the outbreak list name clinical findings, so
they need ``Permission.READ_MEDICAL_FINDINGS`` (checked before anything is read, and
again on a reprint; ``depot_app.services.printing`` refuses their kept copies to anyone
else). The certificate carries the outcome only and any user who may print prints it:
officers take it on a removal. It is refused for an examination that did not find the
detainee fit to travel, once it has expired, and once a later examination governs.

``reprint`` prints the record or the certificate again under its serial, marked as a
reprint (a certificate only while it still holds). An outbreak list is not reprinted: it
is the depot at the moment it was drawn; print a new one. ``printing.custody_jobs.reprint``
hands these forms here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import PrintedDocument, PrintedDocumentSubject
from depot_app.actor import Actor, Permission
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services import detainees
from depot_app.services import printing as counterfoils
from depot_app.services.medical import outbreak, status
from depot_app.services.medical.views import ExamView
from forms import fit_to_travel
from forms.base import FormDef
from printing import jobs
from printing.jobs import PrintJob

EXAM_RECORD, FIT_TO_TRAVEL, OUTBREAK_LIST = "medical-exam", "fit-to-travel", "outbreak-list"
CODES = (EXAM_RECORD, FIT_TO_TRAVEL, OUTBREAK_LIST)


def print_exam_record(uow: UnitOfWork, actor: Actor, exam_id: int, *,
                      invariant: bool = False) -> PrintJob:
    """The record of one examination, findings and all (medical staff only)."""
    counterfoils.require_readable(actor, EXAM_RECORD)
    form = jobs.form_for(EXAM_RECORD)
    exam = status.exam_view(uow, actor, exam_id)
    record = _exam_record(uow, actor, form, exam)
    return jobs.finish_one(uow, actor, form, record, ("medical_exam", exam_id),
                   [("detention", exam.outcome.detention_id)], None, invariant)


def print_fit_to_travel(uow: UnitOfWork, actor: Actor, exam_id: int, *,
                        invariant: bool = False) -> PrintJob:
    """The certificate of an examination that found the detainee fit to travel, while it
    holds (outcome only: any user who may print)."""
    counterfoils.require_readable(actor, FIT_TO_TRAVEL)
    form = jobs.form_for(FIT_TO_TRAVEL)
    exam = status.exam_view(uow, actor, exam_id)
    record = _certificate(uow, actor, form, exam)
    return jobs.finish_one(uow, actor, form, record, ("medical_exam", exam_id),
                   [("detention", exam.outcome.detention_id)], None, invariant)


def print_outbreak_list(uow: UnitOfWork, actor: Actor, condition: str, block_code: str = "",
                        *, invariant: bool = False) -> PrintJob:
    """Everyone held in the block (all blocks when ``block_code`` is empty) whose latest
    examination records ``condition``, as it stands now (medical staff only)."""
    counterfoils.require_readable(actor, OUTBREAK_LIST)
    form = jobs.form_for(OUTBREAK_LIST)
    view = outbreak.outbreak_list(uow, actor, condition, block_code)
    record = form.context(view, actor.full_name)
    return jobs.finish_one(uow, actor, form, record, ("outbreak", 0), [], None, invariant)


def reprint(uow: UnitOfWork, actor: Actor, document_id: int, *,
            invariant: bool = False) -> PrintJob:
    """A medical document again under its serial, marked as a reprint; the permission is
    checked again (a warden reprints no examination record)."""
    actor.require(Permission.PRINT)
    original = uow.session.get(PrintedDocument, document_id)
    if original is None:
        raise NotFound("printed document", document_id)
    if original.form_code not in CODES:
        raise ValidationError({"document_id": f"{original.serial} is not a medical document"})
    counterfoils.require_readable(actor, original.form_code)
    form = jobs.form_for(original.form_code)
    if form.code == OUTBREAK_LIST:
        raise ValidationError({"serial": f"{original.serial} is an outbreak list: it shows "
                                         f"the depot at the time it was printed, so it is "
                                         f"not printed again; print a new list"})
    subjects = dict(uow.session.execute(
        select(PrintedDocumentSubject.subject_type, PrintedDocumentSubject.subject_id)
        .where(PrintedDocumentSubject.printed_document_id == original.id)).tuples().all())
    exam = status.exam_view(uow, actor, subjects["medical_exam"])
    if form.code == EXAM_RECORD:
        record = _exam_record(uow, actor, form, exam)
    else:
        record = _certificate(uow, actor, form, exam)
    return jobs.finish_one(uow, actor, form, record, ("medical_exam", exam.outcome.id),
                   [("detention", exam.outcome.detention_id)], original, invariant)


def _exam_record(uow: UnitOfWork, actor: Actor, form: FormDef,
                 exam: ExamView) -> dict[str, Any]:
    if exam.findings is None:  # the permission was checked: the findings must be there
        raise ValidationError({"exam_id": f"The findings of examination {exam.outcome.id} "
                                          f"could not be read"})
    return form.context(detainees.detail(uow, actor, exam.outcome.detention_id), exam)


def _certificate(uow: UnitOfWork, actor: Actor, form: FormDef,
                 exam: ExamView) -> dict[str, Any]:
    o = exam.outcome
    latest = status.status_of(uow, actor, o.detention_id).last_exam_id
    why = fit_to_travel.problem(o, latest, uow.now().astimezone(MYT).date())
    if why:
        raise ValidationError({"exam_id": why})
    # The outcome alone goes to the form: the findings cannot reach the certificate.
    return form.context(detainees.detail(uow, actor, o.detention_id), o)
