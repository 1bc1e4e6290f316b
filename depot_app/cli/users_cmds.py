"""``depot users add | list | unlock``: accounts, for administrators."""

from __future__ import annotations

import argparse

from depot_app.actor import Role
from depot_app.cli.common import (
    NEW_PASSWORD_ENV,
    Context,
    add_json,
    group_help,
    new_password,
    print_json,
    print_table,
    when,
)
from depot_app.readmodels import UserView
from depot_app.services import users


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("users", help="user accounts (administrators)")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="users_command", metavar="COMMAND")

    add = cmds.add_parser("add", help="create an account",
                          description="Create an account. Its password comes from "
                          f"${NEW_PASSWORD_ENV} or is typed twice.")
    add.add_argument("username")
    add.add_argument("--name", required=True, metavar="FULL_NAME", help="the person's full name")
    add.add_argument("--role", action="append", required=True, dest="roles",
                     choices=[r.value for r in Role], help="a role (repeat for more)")
    add_json(add)
    add.set_defaults(handler=run_add)

    listing = cmds.add_parser("list", help="list the accounts")
    add_json(listing)
    listing.set_defaults(handler=run_list)

    unlock = cmds.add_parser("unlock", help="unlock an account after failed logins")
    unlock.add_argument("username")
    add_json(unlock)
    unlock.set_defaults(handler=run_unlock)


def _state(user: UserView) -> str:
    if not user.active:
        return "inactive"
    return "locked" if user.locked else "active"


def _show(user: UserView, what: str, as_json: bool) -> None:
    if as_json:
        print_json(user)
    else:
        print(f"{what} {user.username} ({user.full_name}); roles: "
              f"{', '.join(r.value for r in user.roles)}; {_state(user)}")


def run_add(ctx: Context) -> int:
    actor = ctx.login()
    password = new_password(NEW_PASSWORD_ENV)
    with ctx.database().write() as uow:
        user = users.add_user(uow, actor, users.NewUser(
            ctx.args.username, ctx.args.name, tuple(Role(r) for r in ctx.args.roles),
            password)).value
    _show(user, "Added", ctx.args.json)
    return 0


def run_list(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        found = users.list_users(uow, actor)
    if ctx.args.json:
        print_json(found)
        return 0
    print_table(("USER", "NAME", "ROLES", "STATE", "FAILED", "LAST LOGIN"), [
        (u.username, u.full_name, ", ".join(r.value for r in u.roles), _state(u),
         u.failed_logins, when(u.last_login_at)) for u in found])
    return 0


def run_unlock(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().write() as uow:
        user = users.unlock_user(uow, actor, ctx.args.username).value
    _show(user, "Unlocked", ctx.args.json)
    return 0
