"""Printing forms and detainee cards (``printing.jobs`` on the database worker).

A print job is a *write* unit of work: it may issue first cards, takes the document serial,
renders the PDF with that serial on every page and keeps the counterfoil (s.53). Cancelled
or failed, the unit of work rolls back and nothing is recorded.

Long jobs take a :class:`PrintTask`, the shared :class:`ui.operations.task.TaskState`:
cancel flag, throttled progress, and pauses that keep the window responsive.

    task = PrintTask()
    print_cards(ctx, ids, "sheet", task).success(show).run_in_background()
    ... task.cancel()   # the job raises PrintCancelled at its next record or card
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.errors import ValidationError
from depot_app.services import cards
from depot_app.services.cards import CardView
from printing import court_jobs, custody_jobs, jobs, medical_jobs
from printing.cards import PrintCancelled
from printing.jobs import PrintJob
from ui.context import AppContext
from ui.operations.op import DbOp
from ui.operations.task import ProgressThrottle, TaskState

__all__ = ["CANCELLED_MESSAGE", "PrintCancelled", "PrintTask", "ProgressThrottle",
           "current_card", "in_custody_count", "print_authority_history", "print_cards",
           "print_cards_in_custody", "print_latest_order", "print_production_list",
           "print_fit_to_travel", "print_form", "print_medical_exam", "print_movement_slip",
           "print_outbreak", "reissue_and_print_card", "TaskState"]

CANCELLED_MESSAGE = "Printing cancelled: nothing was recorded"
REISSUE_REASONS = ("lost", "damaged", "photo_change")


# A print job is a long job: it takes the shared task state.
PrintTask = TaskState


def job_op(ctx: AppContext, label: str, task: PrintTask | None,
           body: Callable[..., PrintJob]) -> DbOp[PrintJob]:
    """``body(uow, actor, progress=, cancelled=)`` in one write unit of work; what it
    changed (first cards issued, the audit trail) goes on the change bus."""
    actor = ctx.require_actor()
    progress = task.report if task is not None else None
    cancelled = task.check_cancelled if task is not None else None

    def fn(db: Database) -> Result[PrintJob]:
        with db.write() as uow:
            job = body(uow, actor, progress=progress, cancelled=cancelled)
            changes = uow.changes
        return Result(job, changes)
    return DbOp(ctx, fn, label=label)


def print_form(ctx: AppContext, form_code: str, detention_ids: Sequence[int],
               task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Any form for these detentions, as one document with one serial."""
    ids = list(detention_ids)  # gathered now, on the GUI thread
    return job_op(ctx, f"print {form_code}", task,
                  lambda uow, actor, **kw: jobs.print_form(uow, actor, form_code, ids, **kw))


def print_cards(ctx: AppContext, detention_ids: Sequence[int], layout: str = "sheet",
                task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Cards for these detentions: ``sheet`` (A4, ten a page) or ``single`` (CR80)."""
    ids = list(detention_ids)
    return job_op(ctx, "print cards", task,
                  lambda uow, actor, **kw: jobs.print_cards(uow, actor, ids, layout, **kw))


def print_cards_in_custody(ctx: AppContext, layout: str = "sheet",
                           task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Cards for everyone in custody, read in the job's own unit of work."""
    def body(uow, actor, **kw) -> PrintJob:
        ids = jobs.in_custody_ids(uow, actor)
        if not ids:
            raise ValidationError({"detainees": "nobody is in custody: there is nothing "
                                                "to print"})
        return jobs.print_cards(uow, actor, ids, layout, **kw)
    return job_op(ctx, "print cards for everyone in custody", task, body)


def reissue_and_print_card(ctx: AppContext, detention_id: int, reason: str,
                           layout: str = "single",
                           task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Replace the card (lost, damaged, photo change) and print the new one, together: a
    card is never superseded without its replacement printed and recorded."""
    def body(uow, actor, **kw) -> PrintJob:
        cards.issue_card(uow, actor, detention_id, reason)
        return jobs.print_cards(uow, actor, [detention_id], layout, **kw)
    return job_op(ctx, "reissue card", task, body)


def current_card(ctx: AppContext, detention_id: int) -> DbOp[CardView | None]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(cards.current_card, actor, detention_id),
                label="read current card")


def in_custody_count(ctx: AppContext) -> DbOp[int]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: len(db.call(jobs.in_custody_ids, actor)),
                label="count detainees in custody")


def print_movement_slip(ctx: AppContext, detention_id: int, movement_id: int | None = None,
                        task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The slip for one movement of a detainee (the latest when ``movement_id`` is None)."""
    return job_op(ctx, "print the movement slip", task,
                  lambda uow, actor, **_kw: custody_jobs.print_movement_slip(
                      uow, actor, detention_id, movement_id))


def print_medical_exam(ctx: AppContext, exam_id: int,
                       task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The record of one examination, findings and all (medical staff only: the job
    refuses anyone else before it reads or records anything)."""
    return job_op(ctx, "print the examination record", task,
                  lambda uow, actor, **_kw: medical_jobs.print_exam_record(uow, actor, exam_id))


def print_fit_to_travel(ctx: AppContext, exam_id: int,
                        task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The fit-to-travel certificate of an examination that found the detainee fit, while
    it holds (refused, with the reason under ``exam_id``, otherwise)."""
    return job_op(ctx, "print the fit-to-travel certificate", task,
                  lambda uow, actor, **_kw: medical_jobs.print_fit_to_travel(uow, actor,
                                                                             exam_id))


def print_outbreak(ctx: AppContext, condition: str, block_code: str = "",
                   task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The outbreak list of one condition, for one block (every block when empty), as it
    stands when the job runs (medical staff only)."""
    return job_op(ctx, "print the outbreak list", task,
                  lambda uow, actor, **_kw: medical_jobs.print_outbreak_list(
                      uow, actor, condition, block_code))


# -- the court forms --------------------------------------------------------------------

def print_production_list(ctx: AppContext, court: str, day: dt.date,
                          task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The production list of ``court`` on ``day`` (with photos, for the escort and the
    court), as it stands when the job runs, recorded with its serial."""
    return job_op(ctx, "print the production list", task,
                  lambda uow, actor, **_kw: court_jobs.print_production_list(
                      uow, actor, court, day))


def print_authority_history(ctx: AppContext, detention_id: int,
                            task: PrintTask | None = None) -> DbOp[PrintJob]:
    return job_op(ctx, "print the detention-authority history", task,
                  lambda uow, actor, **_kw: court_jobs.print_authority_history(
                      uow, actor, detention_id))


def print_latest_order(ctx: AppContext, detention_id: int,
                       task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The record of the detention's latest Magistrate's order."""
    return job_op(ctx, "print the detention order record", task,
                  lambda uow, actor, **_kw: court_jobs.print_latest_order(
                      uow, actor, detention_id))
