"""``depot audit verify``: walk the hash chain and name the first event that does not fit."""

from __future__ import annotations

import argparse

from depot_app.cli.common import EXIT_ERROR, Context, add_json, group_help, print_json
from depot_app.services import audit_trail


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("audit", help="the audit trail")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="audit_command", metavar="COMMAND")
    verify = cmds.add_parser("verify", help="check that no audit event was altered, removed "
                             "or inserted (exit 1 if one was)")
    add_json(verify)
    verify.set_defaults(handler=run_verify)


def run_verify(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        report = audit_trail.verify_chain(uow, actor)
    if ctx.args.json:
        print_json(report)
    elif report.ok:
        print(f"audit chain intact: {report.events} events")
    else:
        where = f"event {report.broken_seq}" if report.broken_seq else "the chain head"
        print(f"audit chain BROKEN at {where}: {report.reason} "
              f"({report.events} events verified before it)")
    return 0 if report.ok else EXIT_ERROR
