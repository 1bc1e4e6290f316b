"""Administering user accounts."""

from __future__ import annotations

from depot_app.database import Database
from depot_app.readmodels import UserView
from depot_app.services import users
from ui.context import AppContext
from ui.operations.op import DbOp


def list_users(ctx: AppContext) -> DbOp[list[UserView]]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(users.list_users, actor), label="list users")


def add_user(ctx: AppContext, request: users.NewUser) -> DbOp[UserView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return users.add_user(uow, actor, request)
    return DbOp(ctx, fn, label="add user")


def unlock_user(ctx: AppContext, username: str) -> DbOp[UserView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return users.unlock_user(uow, actor, username)
    return DbOp(ctx, fn, label="unlock user")


def reset_password(ctx: AppContext, username: str, new_password: str) -> DbOp[UserView]:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return users.reset_password(uow, actor, username, new_password)
    return DbOp(ctx, fn, label="reset password")
