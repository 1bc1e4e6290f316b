"""``depot mrz parse LINE LINE [LINE]``: read a passport or card MRZ (no login: text only)."""

from __future__ import annotations

import argparse

from depot_app.cli.common import Context, add_json, day, group_help, print_fields, print_json
from depot_app.mrz import parse_mrz


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("mrz", help="read machine-readable zones of passports and cards")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="mrz_command", metavar="COMMAND")
    parse = cmds.add_parser(
        "parse", help="parse and check an MRZ (TD3 passport 2x44, TD2 2x36, TD1 3x30)",
        description="Parse the lines of a machine-readable zone and check every check digit. "
                    "Quote each line: '<' is special to the shell.")
    parse.add_argument("lines", metavar="LINE", nargs="+", help="a line of the zone")
    add_json(parse)
    parse.set_defaults(handler=run_parse)


def run_parse(ctx: Context) -> int:
    result = parse_mrz(ctx.args.lines)  # ValidationError: exit 1 with the failed fields
    if ctx.args.json:
        print_json(result)
        return 0
    print(f"{result.format} {result.doc_type}  {result.full_name}")
    nationality = result.nationality + (f" ({result.nationality_name})"
                                        if result.nationality_name else "")
    if not result.nationality_known:
        nationality += " - not an ISO 3166 country"
    print_fields([
        ("Surname", result.surname), ("Given names", result.given_names),
        ("Document", result.document_number), ("Issuing state", result.issuing_state),
        ("Nationality", nationality), ("Born", day(result.date_of_birth)),
        ("Sex", result.sex), ("Expires", day(result.expiry)),
        ("Optional data", result.optional_data), ("Optional data 2", result.optional_data_2),
        ("Check digits", "all correct"),
    ])
    return 0
