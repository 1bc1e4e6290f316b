"""Medical: the lists, a detainee's defaults for a new examination, recording one, and
cancelling a referral. Each returns a :class:`~ui.operations.op.DbOp` run on the database
worker; the services decide who may see findings and who may record."""

from __future__ import annotations

from depot_app.database import Database
from depot_app.services.medical import exams, outbreak, referrals, status
from depot_app.services.medical.exams import ExamDefaults, ExamRequest
from depot_app.services.medical.views import ExamView, MedicalBoard, OutbreakList
from ui.context import AppContext
from ui.operations.op import DbOp


def board(ctx: AppContext) -> DbOp[MedicalBoard]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(status.board, actor), label="load the medical lists")


def defaults(ctx: AppContext, detention_id: int) -> DbOp[ExamDefaults]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(exams.exam_defaults, actor, detention_id),
                label="prepare an examination")


def record_exam(ctx: AppContext, request: ExamRequest) -> DbOp:
    """Result[ExamView] of the examination recorded."""
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return exams.record_exam(uow, actor, request)
    return DbOp(ctx, fn, label="record the examination")


def cancel_referral(ctx: AppContext, referral_id: int, expected_version: int,
                    reason: str) -> DbOp:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return referrals.cancel_referral(uow, actor, referral_id, expected_version, reason)
    return DbOp(ctx, fn, label="cancel the referral")


def outbreak_list(ctx: AppContext, condition: str, block_code: str = "") -> DbOp[OutbreakList]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(outbreak.outbreak_list, actor, condition, block_code),
                label="list an outbreak")


__all__ = ["ExamView", "board", "cancel_referral", "defaults", "outbreak_list", "record_exam"]
