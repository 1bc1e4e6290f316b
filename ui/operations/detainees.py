"""Finding detainees and reading their records."""

from __future__ import annotations

from depot_app.readmodels import DetaineeDetail, DetaineeRow
from depot_app.services import detainees
from depot_app.services.detainees import DetaineeQuery
from ui.context import AppContext
from ui.operations.op import DbOp


def search_ids(ctx: AppContext, query: DetaineeQuery) -> DbOp[list[int]]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(detainees.search_ids, actor, query),
                label="search detainees")


def rows(ctx: AppContext, ids: list[int]) -> DbOp[list[DetaineeRow]]:
    actor = ctx.require_actor()
    ids = list(ids)
    return DbOp(ctx, lambda db: db.call(detainees.rows, actor, ids), label="load detainee rows")


def detail(ctx: AppContext, detention_id: int) -> DbOp[DetaineeDetail]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(detainees.detail, actor, detention_id),
                label="open detainee")


def id_for_number(ctx: AppContext, detainee_no: str) -> DbOp[int]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(detainees.id_for_number, actor, detainee_no),
                label="find detainee by number")
