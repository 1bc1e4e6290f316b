"""Starting a session: first-run set-up, logging in, unlocking a locked window."""

from __future__ import annotations

from dataclasses import dataclass

from depot_app.actor import Actor
from depot_app.database import Database
from depot_app.readmodels import DepotView
from depot_app.services import settings, setup, users
from ui.context import AppContext
from ui.operations.op import DbOp


@dataclass(frozen=True)
class StartupState:
    initialised: bool
    depot: DepotView | None


def startup_state(ctx: AppContext) -> DbOp[StartupState]:
    def fn(db: Database) -> StartupState:
        with db.read() as uow:
            if not setup.is_initialised(uow):
                return StartupState(False, None)
            return StartupState(True, setup.current_depot(uow))
    return DbOp(ctx, fn, label="read start-up state")


def first_run(ctx: AppContext, request: setup.FirstRunRequest) -> DbOp[DepotView]:
    workstation = ctx.workstation

    def fn(db: Database):
        with db.write() as uow:
            return setup.first_run(uow, request, workstation)
    return DbOp(ctx, fn, label="first-run set-up")


def login(ctx: AppContext, username: str, password: str) -> DbOp[Actor]:
    workstation = ctx.workstation
    return DbOp(ctx, lambda db: users.login(db, username, password, workstation),
                label="log in")


def unlock(ctx: AppContext, password: str) -> DbOp[Actor]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: users.unlock_session(db, actor, password), label="unlock")


def idle_lock_minutes(ctx: AppContext) -> DbOp[int]:
    return DbOp(ctx, lambda db: db.call(settings.idle_lock_minutes), label="read idle lock")
