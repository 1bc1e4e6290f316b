"""``depot medical due``: the medical lists (admission screenings due and overdue,
examinations due, isolation, hospital referrals, fitness to travel) — outcomes only;
``depot rules list`` and ``depot rules set``: the legal periods and amounts in force, and
a new value from a date with its source (administrators)."""

from __future__ import annotations

import argparse
import datetime as dt

from depot_app.cli.common import (
    Context,
    add_json,
    group_help,
    print_json,
    print_table,
    when,
)
from depot_app.clock import MYT
from depot_app.services import rules
from depot_app.services.medical import status

LISTS = (("screening_due", "Admission screening due"), ("follow_ups", "Examinations due"),
         ("isolation", "Isolation required"), ("referrals", "Hospital referrals"),
         ("travel", "Fitness to travel"))


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("medical", help="the medical lists (outcomes, never findings)")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="medical_command", metavar="COMMAND")
    due = cmds.add_parser("due", help="screenings due and overdue, examinations due, "
                                      "isolation, referrals and fitness to travel")
    add_json(due)
    due.set_defaults(handler=run_due)

    group = sub.add_parser("rules", help="legal periods and amounts, each with its source")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="rules_command", metavar="COMMAND")
    listing = cmds.add_parser("list", help="the rules in force on a day (today by default)")
    listing.add_argument("--on", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    add_json(listing)
    listing.set_defaults(handler=run_list)
    amend = cmds.add_parser("set", help="a new value for a rule from a date (administrators)")
    amend.add_argument("code", help="e.g. medical.screening_within")
    amend.add_argument("value", help="in the rule's unit (hours, days, MYR, percent)")
    amend.add_argument("--from", dest="effective_from", required=True,
                       type=dt.date.fromisoformat, help="YYYY-MM-DD: in force from this day")
    amend.add_argument("--source", required=True,
                       help="the provision, regulation or standing order that sets it")
    amend.set_defaults(handler=run_set)


def run_due(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        board = status.board(uow, actor)
    if ctx.args.json:
        print_json({key: getattr(board, key) for key, _ in LISTS})
        return 0
    for key, title in LISTS:
        rows = getattr(board, key)
        flagged = sum(1 for r in rows if r.overdue)
        print(f"{title}: {len(rows)}" + (f" ({flagged} need action)" if flagged else ""))
        if rows:
            print_table(("NO", "NAME", "WHERE", "UNTIL" if key == "travel" else "WHEN", "",
                         "NOTE"),
                        [(r.detainee_no, r.full_name, r.location,
                          # a certificate runs to the end of its day: the date says it
                          r.when.astimezone(MYT).strftime("%d/%m/%Y") if key == "travel"
                          else when(r.when), "!" if r.overdue else "", r.note)
                         for r in rows])
        print()
    return 0


def run_list(ctx: Context) -> int:
    ctx.login()
    on = ctx.args.on or dt.datetime.now(MYT).date()
    with ctx.database().read() as uow:
        found = rules.rules_in_force(uow, on)
    if ctx.args.json:
        print_json(found)
        return 0
    print_table(("CODE", "VALUE", "FROM", "DESCRIPTION", "SOURCE"),
                [(r.code, r.words(), r.effective_from, r.description, r.source) for r in found])
    return 0


def run_set(ctx: Context) -> int:
    actor = ctx.login()
    a = ctx.args
    with ctx.database().write() as uow:
        r = rules.amend_rule(uow, actor, a.code, a.value, a.effective_from, a.source).value
    print(f"{r.code}: {r.words()} from {r.effective_from:%d/%m/%Y} ({r.source})")
    return 0
