"""``depot detainees list | show``: finding detainees and reading a record."""

from __future__ import annotations

import argparse
import dataclasses

from depot_app.cli.common import (
    Context,
    add_json,
    day,
    group_help,
    jsonable,
    print_fields,
    print_json,
    print_table,
    when,
)
from depot_app.readmodels import DetaineeDetail, DetaineeRow
from depot_app.services import detainees

CHUNK = 500


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("detainees", help="find detainees and read their records")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="detainees_command", metavar="COMMAND")

    listing = cmds.add_parser("list", help="list detainees (those in custody unless --all)")
    listing.add_argument("--all", action="store_true", help="include those who have left")
    listing.add_argument("--search", metavar="TEXT", default="",
                         help="name, alias, detainee number or document number")
    listing.add_argument("--where", metavar="PLACE", default="",
                         help="those held in one place of the roll: block:CODE, reception, "
                              "out, out:court, out:hospital or out:embassy")
    add_json(listing)
    listing.set_defaults(handler=run_list)

    show = cmds.add_parser("show", help="one detainee's record")
    show.add_argument("number", metavar="NO", help="detainee number, e.g. SMY-2026-000123")
    add_json(show)
    show.set_defaults(handler=run_show)


def run_list(ctx: Context) -> int:
    actor = ctx.login()
    query = detainees.DetaineeQuery(ctx.args.search, "all" if ctx.args.all else "in_custody",
                                    ctx.args.where)
    found: list[DetaineeRow] = []
    with ctx.database().read() as uow:
        ids = detainees.search_ids(uow, actor, query)
        for start in range(0, len(ids), CHUNK):
            found += detainees.rows(uow, actor, ids[start:start + CHUNK])
    if ctx.args.json:
        print_json(found)
        return 0
    print_table(("NO", "NAME", "SEX", "BORN", "NATIONALITY", "LOCATION", "STATUS", "ADMITTED",
                 "FLAGS"), [
        (r.detainee_no, r.full_name, r.sex, day(r.date_of_birth), r.nationality_name,
         r.location, r.status, when(r.admitted_at), ", ".join(r.flags)) for r in found])
    print(f"{len(found)} detainee{'s' if len(found) != 1 else ''}")
    return 0


def run_show(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        d = detainees.detail(uow, actor, detainees.id_for_number(uow, actor, ctx.args.number))
    if ctx.args.json:
        record = jsonable(dataclasses.replace(d, photo=None))
        del record["photo"]  # the image itself stays out of JSON; its size and type are given
        record["photo_size"] = len(d.photo or b"")
        print_json(record)
    else:
        _print(d)
    return 0


def _print(d: DetaineeDetail) -> None:
    print(f"{d.detainee_no}  {d.full_name}")
    print_fields([
        ("Aliases", "; ".join(d.aliases)), ("Sex", d.sex),
        ("Born", f"{day(d.date_of_birth)} (age {d.age})" if d.date_of_birth else ""),
        ("Nationality", f"{d.nationality_name} ({d.nationality})"),
        ("Citizen", "yes" if d.citizen else ""), ("Place of birth", d.place_of_birth),
        ("Languages", d.languages + ("; interpreter needed" if d.interpreter_needed else "")),
        ("Employer", d.employer), ("Status", d.status), ("Location", d.location),
        ("Flags", ", ".join(d.flags)),
        ("Arrested", f"{when(d.arrested_at)} at {d.arrest_place or '?'} by "
                     f"{d.arresting_agency or '?'}"),
        ("Operation", d.operation_name),
        ("Admitted", f"{when(d.admitted_at)} by {d.admitted_by or '?'}"),
        ("Left", when(d.ended_at)),
        ("Photo", f"{d.photo_mime}, {len(d.photo)} bytes" if d.photo else ""),
    ])
    _section("Legal basis", ("SECTION", "AUTHORITY", "REFERENCE", "FROM", "TO"), [
        (s.section, s.authority, s.reference, when(s.starts_at), when(s.ends_at))
        for s in d.stages])
    _section("Documents", ("TYPE", "NUMBER", "STATE", "ISSUED", "EXPIRES", "HELD"), [
        (x.doc_type, x.number, x.issuing_state, day(x.issued_on), day(x.expires_on),
         "yes" if x.held_by_depot else "") for x in d.documents])
    _section("Passes", ("TYPE", "NUMBER", "ISSUED", "EXPIRES"), [
        (p.pass_type, p.number, day(p.issued_on), day(p.expires_on)) for p in d.passes])
    _section("Movements", ("WHEN", "WHAT", "REASON", "BY"), [
        (when(m.occurred_at), m.description, m.reason, m.recorded_by) for m in d.movements])
    _section("Other custody episodes", ("NO", "ADMITTED", "STATUS", "LEFT"), [
        (e.detainee_no, when(e.admitted_at), e.status, when(e.ended_at))
        for e in d.other_episodes])
    if d.medical is not None:  # outcomes only; the exam number is what `depot print` takes
        if d.medical.status.actions:
            print()
            print("Medical: " + "; ".join(d.medical.status.actions))
        _section("Medical examinations", ("EXAM", "WHEN", "KIND", "EXAMINER", "TRAVEL"), [
            (x.outcome.id, when(x.outcome.examined_at), x.outcome.kind_label,
             f"{x.outcome.examiner_name} ({x.outcome.examiner_reg_no})",
             x.outcome.travel_label + (f" until {day(x.outcome.fit_to_travel_until)}"
                                       if x.outcome.fit_to_travel_until else ""))
            for x in d.medical.exams])


def _section(title: str, headers: tuple[str, ...], rows: list[tuple]) -> None:
    if rows:
        print()
        print(f"{title}:")
        print_table(headers, rows)
