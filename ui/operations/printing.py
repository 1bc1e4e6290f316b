"""Printing forms and detainee cards (``printing.jobs`` on the database worker).

A print job is a *write* unit of work: it may issue first cards, takes the document serial,
renders the PDF with that serial on every page and keeps the counterfoil (s.53). Cancelled
or failed, the unit of work rolls back and nothing is recorded.

Long jobs take a :class:`PrintTask` (Orange's ``TaskState``): the job reads its thread-safe
cancel flag and reports progress through it; progress reaches the GUI thread by a queued
signal, throttled to a step of 1 % or 100 ms.

The job is CPU-bound Python on the worker thread, and every Python call the GUI thread makes
(a table model's ``data()``, the application-wide event filters) must then take the GIL from
it, waiting up to the switch interval (5 ms) each time: painting the detainee list during a
batch froze the window for the whole job (measured: a 10 ms timer fired twice in a 60-card
job of 0.9 s). So the task also lets the GUI breathe: between records and cards, after 20 ms
of work the worker sleeps 3 ms, long enough for the GUI to run its Python uncontended (the
same timer, repainting the list each time, then fires ~15 times a second, no gap over
0.16 s). It costs the job up to ~15 % when the GUI is idle.

    task = PrintTask()
    print_cards(ctx, ids, "sheet", task).success(show).run_in_background()
    ... task.cancel()   # the job raises PrintCancelled at its next record or card
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.errors import ValidationError
from depot_app.services import cards
from depot_app.services.cards import CardView
from printing import jobs
from printing.cards import PrintCancelled
from printing.jobs import PrintJob
from ui.context import AppContext
from ui.operations.op import DbOp

__all__ = ["CANCELLED_MESSAGE", "PrintCancelled", "PrintTask", "ProgressThrottle",
           "current_card", "in_custody_count", "print_cards", "print_cards_in_custody",
           "print_form", "reissue_and_print_card"]

CANCELLED_MESSAGE = "Printing cancelled: nothing was recorded"
BREATHE_EVERY_S = 0.020   # of work on the worker, then
BREATHE_FOR_S = 0.003     # of sleep, the GIL free for the GUI thread
REISSUE_REASONS = ("lost", "damaged", "photo_change")


class ProgressThrottle:
    """Whether a progress report is worth a signal: the first and the last always are; in
    between, only when it moved by ``min_step`` of the total or ``min_interval`` seconds
    passed since the last one that was."""

    def __init__(self, min_step: float = 0.01, min_interval: float = 0.1,
                 clock: Callable[[], float] = time.monotonic):
        self.min_step = min_step
        self.min_interval = min_interval
        self._clock = clock
        self._done = -1
        self._at = float("-inf")

    def should_emit(self, done: int, total: int) -> bool:
        if done == self._done:
            return False
        now = self._clock()
        step = (done - self._done) / total if total > 0 else 1.0
        if self._done < 0 or done >= total or step >= self.min_step \
                or now - self._at >= self.min_interval:
            self._done, self._at = done, now
            return True
        return False


class PrintTask(QObject):
    """One running job's state: a cancel flag the job reads, progress for the GUI.

    Create it on the GUI thread; ``report`` and ``is_cancelled`` are called on the worker."""

    sig_progress = Signal(int, int)  # done, total (the job counts reading, then drawing)

    def __init__(self, parent: QObject | None = None, *,
                 throttle: ProgressThrottle | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._throttle = throttle or ProgressThrottle()
        self._working_since = time.monotonic()
        self.breaths = 0

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- called by the job, on the worker -------------------------------------------

    def report(self, done: int, total: int) -> None:
        self._breathe()
        if self._throttle.should_emit(done, total):
            self.sig_progress.emit(done, total)

    def check_cancelled(self) -> bool:
        self._breathe()
        return self._cancel.is_set()

    def _breathe(self) -> None:
        if time.monotonic() - self._working_since >= BREATHE_EVERY_S:
            time.sleep(BREATHE_FOR_S)  # see the module's note: the GUI takes the GIL now
            self.breaths += 1
            self._working_since = time.monotonic()


def _job_op(ctx: AppContext, label: str, task: PrintTask | None,
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
    return _job_op(ctx, f"print {form_code}", task,
                   lambda uow, actor, **kw: jobs.print_form(uow, actor, form_code, ids, **kw))


def print_cards(ctx: AppContext, detention_ids: Sequence[int], layout: str = "sheet",
                task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Cards for these detentions: ``sheet`` (A4, ten a page) or ``single`` (CR80)."""
    ids = list(detention_ids)
    return _job_op(ctx, "print cards", task,
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
    return _job_op(ctx, "print cards for everyone in custody", task, body)


def reissue_and_print_card(ctx: AppContext, detention_id: int, reason: str,
                           layout: str = "single",
                           task: PrintTask | None = None) -> DbOp[PrintJob]:
    """Replace the card (lost, damaged, photo change) and print the new one, together: a
    card is never superseded without its replacement printed and recorded."""
    def body(uow, actor, **kw) -> PrintJob:
        cards.issue_card(uow, actor, detention_id, reason)
        return jobs.print_cards(uow, actor, [detention_id], layout, **kw)
    return _job_op(ctx, "reissue card", task, body)


def current_card(ctx: AppContext, detention_id: int) -> DbOp[CardView | None]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(cards.current_card, actor, detention_id),
                label="read current card")


def in_custody_count(ctx: AppContext) -> DbOp[int]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: len(db.call(jobs.in_custody_ids, actor)),
                label="count detainees in custody")
