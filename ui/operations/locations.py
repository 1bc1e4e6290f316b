"""Blocks and cells: listing them, adding them, capacity and service state (admins)."""

from __future__ import annotations

from depot_app.database import Database
from depot_app.readmodels import BlockView, CellView
from depot_app.services import locations, settings
from depot_app.services.locations import BlockInput, CellInput
from ui.context import AppContext
from ui.operations.op import DbOp


def list_locations(ctx: AppContext) -> DbOp[tuple[BlockView, ...]]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(locations.list_locations, actor),
                label="list blocks and cells")


def find_cell(ctx: AppContext, cell_id: int) -> DbOp[CellView | None]:
    """The cell as it is now (None if it is gone): to start again after a stale edit."""
    actor = ctx.require_actor()

    def fn(db: Database) -> CellView | None:
        blocks = db.call(locations.list_locations, actor)
        return next((c for b in blocks for c in b.cells if c.id == cell_id), None)
    return DbOp(ctx, fn, label="read cell")


def add_block(ctx: AppContext, request: BlockInput) -> DbOp[BlockView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return locations.add_block(uow, actor, request)
    return DbOp(ctx, fn, label="add block")


def add_cell(ctx: AppContext, request: CellInput) -> DbOp[CellView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return locations.add_cell(uow, actor, request)
    return DbOp(ctx, fn, label="add cell")


def change_capacity(ctx: AppContext, cell_id: int, capacity: int, reason: str,
                    expected_version: int) -> DbOp[CellView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return locations.change_capacity(uow, actor, cell_id, capacity, reason,
                                             expected_version)
    return DbOp(ctx, fn, label="change cell capacity")


def set_in_service(ctx: AppContext, cell_id: int, in_service: bool, reason: str,
                   expected_version: int) -> DbOp[CellView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return locations.set_in_service(uow, actor, cell_id, in_service, reason,
                                            expected_version)
    return DbOp(ctx, fn, label="return cell to service" if in_service
                else "take cell out of service")


def headcount_interval(ctx: AppContext) -> DbOp[int]:
    """How many hours after a block's last count the next is due."""
    return DbOp(ctx, lambda db: db.call(settings.headcount_interval_hours),
                label="read the headcount interval")


def set_headcount_interval(ctx: AppContext, hours: int) -> DbOp[int]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return settings.set_headcount_interval_hours(uow, actor, hours)
    return DbOp(ctx, fn, label="set the headcount interval")
