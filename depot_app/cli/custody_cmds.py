"""``depot roll``: the establishment roll, per block and for the depot."""

from __future__ import annotations

import argparse

from depot_app.cli.common import Context, add_json, print_json, print_table, when
from depot_app.readmodels import RollLine
from depot_app.services import roll as roll_service


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("roll", help="the establishment roll: who is held where, per block")
    add_json(cmd)
    cmd.set_defaults(handler=run_roll)


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
