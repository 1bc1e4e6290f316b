"""Batch intake from an operation list: the preview (nothing written) and the import (one
write unit of work), both long jobs taking a TaskState for progress and cancel."""

from __future__ import annotations

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.services import arrest_import
from depot_app.services.arrest_import import ImportOutcome, ImportPreview, ImportSource
from ui.context import AppContext
from ui.operations.op import DbOp
from ui.operations.task import TaskState


def preview(ctx: AppContext, source: ImportSource, task: TaskState) -> DbOp[ImportPreview]:
    actor = ctx.require_actor()

    def fn(db: Database) -> ImportPreview:
        with db.read() as uow:
            return arrest_import.preview(uow, actor, source, progress=task.report,
                                         cancelled=task.check_cancelled)
    return DbOp(ctx, fn, label="preview arrest list")


def import_arrests(ctx: AppContext, source: ImportSource, strict: bool,
                   task: TaskState) -> DbOp[ImportOutcome]:
    actor = ctx.require_actor()

    def fn(db: Database) -> Result[ImportOutcome]:
        with db.write() as uow:
            result = arrest_import.import_arrests(uow, actor, source, strict,
                                                  progress=task.report,
                                                  cancelled=task.check_cancelled)
        return result
    return DbOp(ctx, fn, label="import arrest list")
