"""The establishment roll and headcounts: one operation per user action.

A tick answers with a :class:`TickOutcome`, so the page can tell a new tick from a card
scanned twice (or ticked a moment ago at another workstation): the service then returns
the count unchanged and no changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.readmodels import CountDueView, HeadcountView, RollView
from depot_app.services import headcount, roll
from printing import custody_jobs
from printing.jobs import PrintJob
from ui.context import AppContext
from ui.operations.op import DbOp
from ui.operations.printing import PrintTask, job_op


@dataclass(frozen=True)
class RollScreen:
    roll: RollView
    due: tuple[CountDueView, ...]  # every block, by code


@dataclass(frozen=True)
class TickOutcome:
    view: HeadcountView
    changed: bool  # False: already counted (a double scan), nothing written


def load_roll(ctx: AppContext) -> DbOp[RollScreen]:
    """The roll and when each block's next headcount is due, read together."""
    actor = ctx.require_actor()

    def fn(db: Database) -> RollScreen:
        with db.read() as uow:
            return RollScreen(roll.roll(uow, actor), headcount.counts_due(uow, actor))
    return DbOp(ctx, fn, label="load the roll")


def counts_due(ctx: AppContext) -> DbOp[tuple[CountDueView, ...]]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(headcount.counts_due, actor),
                label="read when counts are due")


def open_count_for_block(ctx: AppContext, block_id: int) -> DbOp[HeadcountView | None]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(headcount.open_count_for_block, actor, block_id),
                label="read the open count")


def load_count(ctx: AppContext, headcount_id: int) -> DbOp[HeadcountView]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(headcount.count_view, actor, headcount_id),
                label="read the count")


def start_count(ctx: AppContext, block_id: int) -> DbOp[HeadcountView]:
    actor = ctx.require_actor()

    def fn(db: Database) -> Result[HeadcountView]:
        with db.write() as uow:
            return headcount.start_count(uow, actor, block_id)
    return DbOp(ctx, fn, label="start a headcount")


def tick(ctx: AppContext, headcount_id: int, expected_version: int, *, detainee_no: str = "",
         detention_id: int | None = None, how: str = "scan") -> DbOp[TickOutcome]:
    """Count one detainee, by the scanned or typed number or by the row's id."""
    actor = ctx.require_actor()

    def fn(db: Database) -> Result[TickOutcome]:
        with db.write() as uow:
            result = headcount.tick(uow, actor, headcount_id, expected_version,
                                    detainee_no=detainee_no, detention_id=detention_id,
                                    how=how)
        return Result(TickOutcome(result.value, bool(result.changes)), result.changes)
    return DbOp(ctx, fn, label="count a detainee")


def untick(ctx: AppContext, headcount_id: int, detention_id: int) -> DbOp[HeadcountView]:
    actor = ctx.require_actor()

    def fn(db: Database) -> Result[HeadcountView]:
        with db.write() as uow:
            return headcount.untick(uow, actor, headcount_id, detention_id)
    return DbOp(ctx, fn, label="undo a tick")


def close_count(ctx: AppContext, headcount_id: int, expected_version: int,
                resolutions: dict[int, str]) -> DbOp[HeadcountView]:
    actor = ctx.require_actor()
    given = dict(resolutions)  # gathered now, on the GUI thread

    def fn(db: Database) -> Result[HeadcountView]:
        with db.write() as uow:
            return headcount.close_count(uow, actor, headcount_id, expected_version, given)
    return DbOp(ctx, fn, label="close the headcount")


def print_roll(ctx: AppContext, task: PrintTask | None = None) -> DbOp[PrintJob]:
    """The establishment roll as it stands now, with a serial and its counterfoil."""
    return job_op(ctx, "print the roll", task,
                  lambda uow, actor, **_kw: custody_jobs.print_roll(uow, actor))


def print_headcount(ctx: AppContext, headcount_id: int,
                    task: PrintTask | None = None) -> DbOp[PrintJob]:
    """A count's sheet: to tick while it is open, the record once closed."""
    return job_op(ctx, "print the headcount sheet", task,
                  lambda uow, actor, **_kw: custody_jobs.print_headcount(uow, actor,
                                                                          headcount_id))
