"""``depot deadlines``: every detention in custody with its authority, until when, and its
state (ok / due-soon / overdue), now or as things stood at ``--as-of``; ``depot court``:
schedule a production, a court's list for a day, the courts known, and a detention's
authority history."""

from __future__ import annotations

import argparse
import datetime as dt

from depot_app.authority import AUTHORITY_WORDS, OVERDUE
from depot_app.cli.common import (
    Context,
    add_json,
    group_help,
    print_json,
    print_table,
    when,
)
from depot_app.clock import MYT, parse_local
from depot_app.services import detainees
from depot_app.services.court import deadlines, productions, records
from depot_app.services.court.vocab import PURPOSES


def _moment(text: str) -> dt.datetime:
    try:
        return parse_local(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date and time (e.g. 2026-03-01T09:00, Malaysian time "
            f"unless an offset is given)") from exc


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("deadlines", help="every detention in custody: its authority, until "
                                           "when, and whether it is ok, due soon or overdue")
    cmd.add_argument("--as-of", type=_moment, metavar="ISO",
                     help="as things stood (or will stand) at this moment; Malaysian time "
                          "unless an offset is given")
    cmd.add_argument("--overdue", action="store_true", help="only those overdue")
    add_json(cmd)
    cmd.set_defaults(handler=run_deadlines)

    group = sub.add_parser("court", help="productions before a Magistrate")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="court_command", metavar="COMMAND")
    listing = cmds.add_parser("list", help="a court's production list for a day")
    listing.add_argument("--court", required=True, help="as scheduled, e.g. 'Mahkamah "
                                                        "Majistret Kajang'")
    listing.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD (today)")
    add_json(listing)
    listing.set_defaults(handler=run_list)
    known = cmds.add_parser("courts", help="the courts productions were scheduled at")
    known.add_argument("--date", type=dt.date.fromisoformat, help="only those sitting on "
                                                                  "this day (YYYY-MM-DD)")
    known.set_defaults(handler=run_courts)
    plan = cmds.add_parser("schedule", help="put a detainee on a court's list (officers)")
    plan.add_argument("number", help="detainee number")
    plan.add_argument("--court", required=True)
    plan.add_argument("--at", required=True, type=_moment, help="date and time at court, ISO")
    plan.add_argument("--escort", default="")
    plan.add_argument("--purpose", default="first", choices=tuple(PURPOSES))
    plan.set_defaults(handler=run_schedule)
    hist = cmds.add_parser("history", help="a detention's authority, stage by stage")
    hist.add_argument("number", help="detainee number")
    add_json(hist)
    hist.set_defaults(handler=run_history)


def run_deadlines(ctx: Context) -> int:
    actor = ctx.login()
    as_of = ctx.args.as_of
    with ctx.database().read() as uow:
        rows = deadlines.board(uow, actor, as_of)
        at = as_of or uow.now()
    counts = {s: sum(1 for r in rows if r.state == s) for s in ("overdue", "due-soon", "ok")}
    held = len(rows)
    if ctx.args.overdue:
        rows = tuple(r for r in rows if r.state == OVERDUE)
    if ctx.args.json:
        print_json({"as_of": at, "count": len(rows), "detentions": [{
            "detainee_no": r.detainee_no, "full_name": r.full_name,
            "nationality": r.nationality, "section": r.section, "authority": r.authority,
            "reference": r.reference, "since": r.since, "valid_until": r.valid_until,
            "needs": r.needs, "rests_on": r.rests_on, "state": r.state, "bucket": r.bucket,
            "court": r.court, "production_at": r.production_at, "late": r.late,
        } for r in rows]})
        return 0
    print(f"Deadlines as of {when(at)}: {held} in custody, {counts['overdue']} overdue, "
          f"{counts['due-soon']} due within the week")
    print_table(("NO", "NAME", "SECTION", "AUTHORITY", "UNTIL", "STATE", "NEEDS", "COURT"),
                [(r.detainee_no, r.full_name, r.section or "-",
                  AUTHORITY_WORDS.get(r.authority, "none"),
                  when(r.valid_until), r.state.upper() if r.state == OVERDUE else r.state,
                  r.needs, f"{r.court} {when(r.production_at)}".strip()
                  + (" (AFTER EXPIRY)" if r.late else "")) for r in rows])
    return 0


def run_list(ctx: Context) -> int:
    actor = ctx.login()
    day = ctx.args.date or dt.datetime.now(MYT).date()
    with ctx.database().read() as uow:
        found = records.production_list(uow, actor, ctx.args.court, day)
        sitting = records.courts(uow, actor, day) if not found.rows else ()
    if ctx.args.json:
        print_json(found)
        return 0
    if not found.rows:
        print(f"No one is on the list of {ctx.args.court} on {day:%d/%m/%Y}. Courts with a "
              f"list that day: {', '.join(sitting) or 'none'}")
        return 0
    print(f"Production list: {found.rows[0].court}, {day:%d/%m/%Y}: {len(found.rows)}")
    print_table(("TIME", "NO", "NAME", "NAT", "PURPOSE", "SECTION", "AUTHORITY UNTIL",
                 "ESCORT", "STATUS"),
                [(when(p.scheduled_at)[-5:], p.detainee_no, p.full_name, p.nationality,
                  p.purpose_words, p.section, when(p.valid_until)
                  + (" (AFTER EXPIRY)" if p.late else ""), p.escort,
                  p.outcome_words or p.status_words) for p in found.rows])
    return 0


def run_courts(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        for name in records.courts(uow, actor, ctx.args.date):
            print(name)
    return 0


def run_schedule(ctx: Context) -> int:
    actor = ctx.login()
    a = ctx.args
    with ctx.database().write() as uow:
        did = detainees.id_for_number(uow, actor, a.number)
        version = detainees.detail(uow, actor, did).version
        pid = productions.schedule(uow, actor, productions.ScheduleRequest(
            did, version, a.court, a.at, a.escort, a.purpose)).value
        p = records.production(uow, actor, pid)
    print(f"{p.detainee_no} to {p.court} on {when(p.scheduled_at)} (production {p.id})"
          + (f": AFTER the authority runs out at {when(p.valid_until)}" if p.late else ""))
    return 0


def run_history(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        h = records.history(uow, actor, detainees.id_for_number(uow, actor, ctx.args.number))
    if ctx.args.json:
        print_json(h)
        return 0
    print(f"{h.detainee_no}  {h.full_name}: arrested {when(h.arrested_at)}; produce before a "
          f"Magistrate by {when(h.production_due)} ({h.production_rule})")
    print_table(("SECTION", "AUTHORITY", "REFERENCE", "FROM", "TO", "VALID UNTIL", "RESTS ON"),
                [(s.section, s.authority_words, s.reference, when(s.starts_at),
                  when(s.ends_at), when(s.valid_until), s.rests_on) for s in h.stages])
    for a, b in h.unlawful:
        print(f"HELD WITHOUT AUTHORITY from {when(a)} to {when(b)}")
    if h.current is not None:
        print(f"Now: {h.current.state}: {h.current.needs} by {when(h.current.valid_until)}")
    return 0
