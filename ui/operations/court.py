"""Court: the deadline list and its counts, a court's production list for a day, and the
officer's actions on a production (schedule, change, cancel, out to court, the outcome).

Each returns a :class:`~ui.operations.op.DbOp` run on the database worker. The reads hand
back the service's frozen views. The changes hand their success callback the whole
:class:`~depot_app.changes.Result` (``value`` is the production's id; its ``changes`` have
already been published on the change bus), so a dialog can pass it on as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from depot_app.changes import Result
from depot_app.database import Database, UnitOfWork
from depot_app.services import detainees
from depot_app.services.court import deadlines, productions, records
from depot_app.services.court.productions import (
    CancelRequest,
    OrderInput,
    OutcomeRequest,
    RescheduleRequest,
    ScheduleRequest,
    SendRequest,
)
from depot_app.services.court.views import (
    CourtLine,
    DeadlineRow,
    DeadlineSummary,
    ProductionList,
    ProductionView,
)
from ui.context import AppContext
from ui.operations.op import DbOp

__all__ = ["CancelRequest", "CourtDay", "DeadlineBoard", "OrderInput", "OutcomeRequest",
           "RescheduleRequest", "ScheduleRequest", "SendRequest", "board", "cancel",
           "court_day", "courts", "deadline_board", "deadline_row", "production",
           "production_list", "record_outcome", "reschedule", "schedule", "send", "summary",
           "write_op"]


@dataclass(frozen=True)
class DeadlineBoard:
    """The deadline list with the moment it was read (what "overdue by 3 h" counts from)."""

    as_of: dt.datetime
    rows: tuple[DeadlineRow, ...]
    courts: tuple[CourtLine, ...] = ()  # productions to come per court: today, tomorrow


@dataclass(frozen=True)
class CourtDay:
    """One court's list for a day, and every court sitting that day with its count."""

    day: dt.date
    sitting: tuple[tuple[str, int], ...]
    known: tuple[str, ...]  # every court productions were ever scheduled at
    listing: ProductionList | None  # None: no court chosen
    as_of: dt.datetime


# -- reading ----------------------------------------------------------------------------

def board(ctx: AppContext, as_of: dt.datetime | None = None) -> DbOp[tuple[DeadlineRow, ...]]:
    """Every detention in custody with its authority, soonest to run out first."""
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(deadlines.board, actor, as_of),
                label="load the deadlines")


def deadline_board(ctx: AppContext) -> DbOp[DeadlineBoard]:
    """The deadline list now, with the database's time of reading it."""
    actor = ctx.require_actor()

    def fn(db: Database) -> DeadlineBoard:
        with db.read() as uow:
            return DeadlineBoard(uow.now(), deadlines.board(uow, actor),
                                 deadlines.summary(uow, actor).courts)
    return DbOp(ctx, fn, label="load the deadlines")


def summary(ctx: AppContext) -> DbOp[DeadlineSummary]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(deadlines.summary, actor), label="count the deadlines")


def deadline_row(ctx: AppContext, detention_id: int | None = None,
                 detainee_no: str = "") -> DbOp[DeadlineRow | None]:
    """One detention's line of the list, by id or by detainee number (None: not held)."""
    actor = ctx.require_actor()

    def fn(uow: UnitOfWork, *_args) -> DeadlineRow | None:
        did = detention_id if detention_id is not None else \
            detainees.id_for_number(uow, actor, detainee_no)
        found = deadlines.row(uow, actor, did)
        return found
    return DbOp(ctx, lambda db: db.call(fn), label="read the detainee's authority")


def production_list(ctx: AppContext, court: str, day: dt.date,
                    photos: bool = False) -> DbOp[ProductionList]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(records.production_list, actor, court, day, photos),
                label="load the production list")


def courts(ctx: AppContext, day: dt.date | None = None) -> DbOp[tuple[str, ...]]:
    """The courts productions were scheduled at (sitting on ``day``, when given)."""
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(records.courts, actor, day), label="list the courts")


def court_day(ctx: AppContext, court: str, day: dt.date) -> DbOp[CourtDay]:
    """The production list of ``court`` (the first court sitting that day when empty), the
    courts sitting that day with how many each, and every court known: one read."""
    actor = ctx.require_actor()

    def fn(db: Database) -> CourtDay:
        with db.read() as uow:
            known = records.courts(uow, actor)
            sitting = []
            listing = None
            for name in records.courts(uow, actor, day):
                found = records.production_list(uow, actor, name, day)
                sitting.append((name, len(found.rows)))
                if name == court:
                    listing = found
            chosen = court.strip() or (sitting[0][0] if sitting else "")
            if listing is None and chosen:
                listing = records.production_list(uow, actor, chosen, day)
            return CourtDay(day, tuple(sitting), known, listing, uow.now())
    return DbOp(ctx, fn, label="load the production list")


def production(ctx: AppContext, production_id: int) -> DbOp[ProductionView]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(records.production, actor, production_id),
                label="read the production")


# -- changing ---------------------------------------------------------------------------

def write_op(ctx: AppContext, label: str, body: Callable[[UnitOfWork, Any], Result]) -> DbOp:
    """``body(uow, actor)`` in one write unit of work; success gets the whole Result."""
    actor = ctx.require_actor()

    def fn(db: Database) -> Result:
        with db.write() as uow:
            result = body(uow, actor)
        return Result(result, result.changes)  # the op publishes; success gets the Result
    return DbOp(ctx, fn, label=label)


def schedule(ctx: AppContext, request: ScheduleRequest) -> DbOp[Result[int]]:
    return write_op(ctx, "schedule the production",
                  lambda uow, actor: productions.schedule(uow, actor, request))


def reschedule(ctx: AppContext, request: RescheduleRequest) -> DbOp[Result[int]]:
    return write_op(ctx, "change the production",
                  lambda uow, actor: productions.reschedule(uow, actor, request))


def cancel(ctx: AppContext, request: CancelRequest) -> DbOp[Result[int]]:
    return write_op(ctx, "cancel the production",
                  lambda uow, actor: productions.cancel(uow, actor, request))


def send(ctx: AppContext, request: SendRequest) -> DbOp[Result[int]]:
    """Out to court with the escort (the outing's movement, linked to the production)."""
    return write_op(ctx, "record going out to court",
                  lambda uow, actor: productions.send(uow, actor, request))


def record_outcome(ctx: AppContext, request: OutcomeRequest) -> DbOp[Result[int]]:
    return write_op(ctx, "record the court's outcome",
                  lambda uow, actor: productions.record_outcome(uow, actor, request))


