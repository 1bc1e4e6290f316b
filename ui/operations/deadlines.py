"""Custody deadlines: the counts the main window always shows, a detainee's record with its
authority history, and the two changes an officer makes to a detention's authority outside
court (a new legal basis; a citizen's necessary journey). Each returns a
:class:`~ui.operations.op.DbOp` run on the database worker."""

from __future__ import annotations

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.readmodels import DetaineeDetail
from depot_app.services import detainees
from depot_app.services.court import deadlines, records, stages
from depot_app.services.court.stages import JourneyRequest, StageRequest
from depot_app.services.court.views import AuthorityHistory, DeadlineSummary
from ui.context import AppContext
from ui.operations.court import write_op
from ui.operations.op import DbOp


def summary(ctx: AppContext) -> DbOp[DeadlineSummary]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(deadlines.summary, actor),
                label="count custody deadlines")


def history(ctx: AppContext, detention_id: int) -> DbOp[AuthorityHistory]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(records.history, actor, detention_id),
                label="read the authority history")


def record(ctx: AppContext, detention_id: int) -> \
        DbOp[tuple[DetaineeDetail, AuthorityHistory]]:
    """A detainee's record and its authority history, read together (one unit of work:
    the two agree)."""
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.read() as uow:
            return (detainees.detail(uow, actor, detention_id),
                    records.history(uow, actor, detention_id))
    return DbOp(ctx, fn, label="open detainee")


def change_basis(ctx: AppContext, request: StageRequest) -> DbOp[Result[int]]:
    """``value``: the new stage's id."""
    return write_op(ctx, "change the legal basis",
                  lambda uow, actor: stages.change_basis(uow, actor, request))


def record_journey(ctx: AppContext, request: JourneyRequest) -> DbOp[Result[int]]:
    """``value``: the journey's id."""
    return write_op(ctx, "record the journey",
                  lambda uow, actor: stages.record_journey(uow, actor, request))


__all__ = ["JourneyRequest", "StageRequest", "change_basis", "history", "record",
           "record_journey", "summary"]
