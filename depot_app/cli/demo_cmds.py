"""``depot demo``: a demonstration depot in an empty database (no login: no users yet), or
in one just set up by first-run (its administrator logs in)."""

from __future__ import annotations

import argparse
import sys

from depot_app.cli.common import Context, add_json, print_json, print_table
from depot_app.demo import DemoReport, load_demo
from depot_app.services import setup


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo", help="load demonstration data into an empty database",
        description="Create the depot SMY with its blocks and cells, one user per role and "
                    "N detainees admitted the real way. Into an empty database, or one just set "
                    "up (no cells or detainees yet) with its administrator's login.")
    demo.add_argument("--detainees", type=_count, default=200, metavar="N",
                      help="how many detainees (0 for the depot and users only; default 200)")
    demo.add_argument("--seed", type=int, help="the same seed gives the same data")
    demo.add_argument("--password", metavar="PW",
                      help="every user's password (default: a random one each, printed)")
    add_json(demo)
    demo.set_defaults(handler=run_demo)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def run_demo(ctx: Context) -> int:
    db = ctx.database()
    with db.read() as uow:
        initialised = setup.is_initialised(uow)
    # A database that has been through first-run set-up belongs to its administrator.
    admin = ctx.login() if initialised else None
    progress = _progress if sys.stderr.isatty() and not ctx.args.json else None
    report = load_demo(db, ctx.args.detainees, ctx.args.seed, ctx.args.password,
                       progress=progress, admin=admin)
    if progress is not None:
        print(file=sys.stderr)
    if ctx.args.json:
        print_json(report)
    else:
        _print(report, random_passwords=ctx.args.password is None)
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\radmitted {done} of {total}", end="", file=sys.stderr, flush=True)


def _print(r: DemoReport, random_passwords: bool) -> None:
    print(f"Demonstration depot {r.depot_code} ({r.depot_name}) loaded in {r.seconds:.1f} s "
          f"(seed {r.seed}).")
    numbers = f"; numbers {r.first_no} to {r.last_no}" if r.first_no else ""
    print(f"  detainees: {r.detainees} ({r.in_custody} in custody, {r.released} released, "
          f"{r.removed} removed, {r.transferred} transferred){numbers}")
    print(f"  blocks: {r.blocks}, cells: {r.cells}, places in service: {r.capacity}")
    print()
    print_table(("USER", "NAME", "ROLES", "PASSWORD"),
                [(u.username, u.full_name, ", ".join(u.roles), u.password) for u in r.users])
    if random_passwords:
        print()
        print("Keep these passwords: they are not shown again.")
