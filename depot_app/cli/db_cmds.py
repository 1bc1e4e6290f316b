"""``depot init`` (first-run set-up) and ``depot db upgrade``."""

from __future__ import annotations

import argparse

from db import migrate
from depot_app.cli import common
from depot_app.cli.common import (
    EXIT_USAGE,
    PASSWORD_ENV,
    CliError,
    Context,
    add_json,
    group_help,
    new_password,
    print_json,
)
from depot_app.services import setup

# (option, attribute, prompt, required)
INIT_FIELDS = (
    ("--depot-code", "depot_code", "Depot code (2 to 6 letters, e.g. SMY)", True),
    ("--depot-name", "depot_name", "Depot name", True),
    ("--state", "state", "State", False),
    ("--admin", "admin", "Administrator's user name", True),
    ("--admin-name", "admin_name", "Administrator's full name", True),
)


def register(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="set up a new database: the depot and its administrator",
                          description="Set up the depot and its first administrator. Missing "
                          f"values are asked for at a terminal; the password comes from "
                          f"${PASSWORD_ENV} or is typed twice.")
    for option, dest, prompt, _ in INIT_FIELDS:
        init.add_argument(option, dest=dest, metavar="TEXT", help=prompt)
    add_json(init)
    init.set_defaults(handler=run_init)

    db = sub.add_parser("db", help="the database itself")
    db_sub = db.add_subparsers(dest="db_command", metavar="COMMAND")
    db.set_defaults(handler=group_help(db))
    upgrade = db_sub.add_parser("upgrade", help="bring the schema up to date (migrations)")
    add_json(upgrade)
    upgrade.set_defaults(handler=run_upgrade)


def run_init(ctx: Context) -> int:
    args = ctx.args
    values = {dest: (getattr(args, dest) or "").strip() for _, dest, _, _ in INIT_FIELDS}
    db = ctx.database()
    with db.read() as uow:
        if setup.is_initialised(uow):
            raise CliError("this database is already set up; log in instead")
    missing = [option for option, dest, _, required in INIT_FIELDS
               if required and not values[dest]]
    if missing and not common.interactive():
        raise CliError(f"missing {', '.join(missing)} (or run `depot init` in a terminal "
                       "to be asked)", EXIT_USAGE)
    for _, dest, prompt, required in INIT_FIELDS:
        if not values[dest] and common.interactive():
            values[dest] = common.ask(prompt if required else f"{prompt} (optional)")
    password = new_password(PASSWORD_ENV, field="admin_password")
    with db.write() as uow:
        depot = setup.first_run(uow, setup.FirstRunRequest(
            values["depot_code"], values["depot_name"], values["state"], values["admin"],
            values["admin_name"], password, password)).value
    if args.json:
        print_json({"depot": depot, "admin": values["admin"].lower()})
    else:
        print(f"Depot {depot.code} ({depot.name}) is set up; "
              f"the administrator is {values['admin'].lower()}.")
    return 0


def run_upgrade(ctx: Context) -> int:
    db = ctx.database(migrate=False)
    before = migrate.current_revision(db.engine)
    db.upgrade()
    after = migrate.current_revision(db.engine)
    head = migrate.head_revision(db.engine)
    if ctx.args.json:
        print_json({"database": db.display_url, "from_revision": before,
                    "revision": after, "head": head, "up_to_date": after == head})
    elif before == after:
        print(f"{db.display_url}: already at revision {after} (head)")
    else:
        print(f"{db.display_url}: upgraded from revision {before or 'none'} to {after} (head)")
    return 0
