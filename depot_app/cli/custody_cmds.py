"""``depot roll``: the establishment roll, per block and for the depot; ``depot headcount
due`` and ``interval``: when each block is next due a count, and how often counts are due;
``depot property outstanding``: who has left while the depot still holds their things."""

from __future__ import annotations

import argparse

from depot_app.cli.common import (
    Context,
    add_json,
    group_help,
    print_json,
    print_table,
    when,
)
from depot_app.readmodels import RollLine
from depot_app.services import headcount, property, settings
from depot_app.services import roll as roll_service


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("roll", help="the establishment roll: who is held where, per block")
    add_json(cmd)
    cmd.set_defaults(handler=run_roll)

    group = sub.add_parser("headcount", help="when blocks are due a count")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="headcount_command", metavar="COMMAND")
    due = cmds.add_parser("due", help="each block's last count and when the next is due")
    add_json(due)
    due.set_defaults(handler=run_due)
    interval = cmds.add_parser("interval", help="show, or set (administrators), how many "
                                                "hours after a count the next is due")
    interval.add_argument("hours", nargs="?", type=int, help="1 to 24 (default 8)")
    interval.set_defaults(handler=run_interval)

    prop = sub.add_parser("property", help="property and cash held for detainees")
    prop.set_defaults(handler=group_help(prop))
    pcmds = prop.add_subparsers(dest="property_command", metavar="COMMAND")
    outstanding = pcmds.add_parser("outstanding", help="detainees who have left while the "
                                                       "depot still holds their property "
                                                       "or cash")
    add_json(outstanding)
    outstanding.set_defaults(handler=run_outstanding)


def _out(line: RollLine) -> str:
    if not line.out:
        return "0"
    return f"{line.out} (" + ", ".join(f"{c.label.lower()} {c.count}"
                                        for c in line.out_by_reason) + ")"


def run_roll(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        view = roll_service.roll(uow, actor)
    if ctx.args.json:
        print_json(roll_service.roll_as_dict(view))
        return 0
    print(f"Establishment roll, {view.depot_name}, {when(view.as_of)}")
    print_table(
        ("BLOCK", "ON ROLL", "IN CELL", "OUT", "RECEPTION", "CAPACITY", "VACANT", "OVER",
         "CELLS OOS", "MEN", "WOMEN", "BOYS", "GIRLS"),
        [(line.name if line.key != roll_service.TOTAL else "TOTAL", line.on_roll, line.in_cell,
          _out(line), line.unallocated, line.capacity, line.vacancies, line.over_capacity,
          line.cells_out_of_service, line.men, line.women, line.boys, line.girls)
         for line in (*view.blocks, view.total)])
    for line in view.blocks:
        if line.overcrowded_cells:
            print(f"Over capacity in {line.name}: {', '.join(line.overcrowded_cells)}")
    if view.by_nationality:
        print("By nationality: " + ", ".join(f"{c.label} {c.count}" for c in view.by_nationality))
    return 0


def run_due(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        due = headcount.counts_due(uow, actor)
        hours = settings.headcount_interval_hours(uow)
    if ctx.args.json:
        print_json(due)
        return 0
    print(f"Counts are due every {hours} hours after the last.")
    print_table(("BLOCK", "LAST COUNTED", "NEXT DUE", "STATE"), [
        (d.block_name, when(d.last_closed_at) or "never", when(d.due_at) or "now",
         "count open" if d.open_count_id else "OVERDUE" if d.overdue else "")
        for d in due])
    return 0


def run_interval(ctx: Context) -> int:
    actor = ctx.login()
    if ctx.args.hours is None:
        with ctx.database().read() as uow:
            print(f"Counts are due every {settings.headcount_interval_hours(uow)} hours.")
        return 0
    with ctx.database().write() as uow:
        hours = settings.set_headcount_interval_hours(uow, actor, ctx.args.hours).value
    print(f"Counts are now due every {hours} hours.")
    return 0


def run_outstanding(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        rows = property.outstanding(uow, actor)
    if ctx.args.json:
        print_json(rows)
        return 0
    print_table(("NO", "NAME", "STATUS", "LEFT", "ITEMS HELD", "CASH HELD (RM)"), [
        (r.detainee.detainee_no, r.detainee.full_name, r.detainee.status,
         when(r.left_at), r.items_held, f"{r.cash_held:,.2f}") for r in rows])
    print(f"{len(rows)} detainee{'s' if len(rows) != 1 else ''} with property or cash still held")
    return 0
