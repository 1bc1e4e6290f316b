"""``depot print FORM | cards | reprint | log`` and ``depot card verify | issue | public-key``.

Every print is one unit of work: the document serial is taken, the PDF rendered with it on
every page and the counterfoil kept (s.53), or nothing is. The file is written once that
has committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from depot_app import signing
from depot_app.actor import Permission
from depot_app.cli.common import (
    EXIT_ERROR,
    CliError,
    Context,
    add_json,
    group_help,
    print_json,
    print_table,
    when,
)
from depot_app.clock import MYT
from depot_app.services import cards, detainees
from depot_app.services import printing as counterfoils
from depot_app.services.medical.vocab import COMMUNICABLE
from forms import registry
from printing import court_jobs, custody_jobs, jobs, medical_jobs

REASONS = ("lost", "damaged", "photo_change")


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("print", help="print forms and detainee cards to PDF",
                           description="Print a form for detainees to a PDF file. Every "
                           "document gets a serial and a kept copy (s.53 counterfoil).")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="print_command", metavar="FORM")
    for form in registry.all_forms():
        if form.code in (*custody_jobs.CODES, *medical_jobs.CODES, *court_jobs.CODES):
            continue  # not about detainees alone: their own commands below
        p = cmds.add_parser(form.code, help=f"{form.title_en} ({form.title_ms})")
        _who(p, all_allowed=form.subject_type == "detainee_card")
        _output(p)
        p.set_defaults(handler=run_form, form_code=form.code)

    batch = cmds.add_parser("cards", help="detainee cards: A4 sheets of ten or one per card")
    _who(batch, all_allowed=True)
    batch.add_argument("--layout", choices=tuple(jobs.CARD_LAYOUTS), default="sheet",
                       help="sheet: ten cards on A4 with cut marks (default); "
                            "single: one card per CR80 page, for a card printer")
    _output(batch)
    batch.set_defaults(handler=run_cards)

    _custody_forms(cmds)
    _medical_forms(cmds)
    _court_forms(cmds)

    again = cmds.add_parser("reprint", help="print a document again under its serial")
    again.add_argument("serial", help="the document serial, e.g. SMY-DOC-2026-000012")
    _output(again)
    again.set_defaults(handler=run_reprint)

    log = cmds.add_parser("log", help="the counterfoils: what was printed, by whom, when")
    which = log.add_mutually_exclusive_group(required=True)
    which.add_argument("--detainee", metavar="NO", help="documents about this detainee")
    which.add_argument("--serial", help="one serial and its reprints")
    add_json(log)
    log.set_defaults(handler=run_log)

    card = sub.add_parser("card", help="detainee cards: verify a scanned code, reissue")
    card.set_defaults(handler=group_help(card))
    card_cmds = card.add_subparsers(dest="card_command", metavar="COMMAND")
    verify = card_cmds.add_parser("verify", help="check a card's QR text: prints JSON with "
                                  "status valid, forged, superseded or unknown (exit 1 "
                                  "unless valid)")
    verify.add_argument("payload", metavar="PAYLOAD", help="the text the QR code holds")
    verify.set_defaults(handler=run_verify)
    issue = card_cmds.add_parser("issue", help="issue a replacement card (not printed)")
    issue.add_argument("number", metavar="NO", help="detainee number")
    issue.add_argument("--reason", required=True, choices=REASONS)
    add_json(issue)
    issue.set_defaults(handler=run_issue)
    key = card_cmds.add_parser("public-key", help="the depot's public key (PEM), for "
                               "checking cards away from the depot")
    key.set_defaults(handler=run_public_key)


def _custody_forms(cmds: argparse._SubParsersAction) -> None:
    """``depot print movement-slip | roll | headcount-sheet``."""
    slip = cmds.add_parser(custody_jobs.MOVEMENT_SLIP, help="Detainee movement slip (Slip "
                           "pergerakan tahanan): one movement, to go with the detainee")
    slip.add_argument("--detainee", metavar="NO", required=True, help="detainee number")
    slip.add_argument("--movement", metavar="ID", type=int,
                      help="the movement's number (default: the latest)")
    _output(slip)
    slip.set_defaults(handler=run_movement_slip)
    rolled = cmds.add_parser(custody_jobs.ROLL, help="Establishment roll (Daftar tahanan "
                             "depot): by block and nationality, as it stands now")
    _output(rolled)
    rolled.set_defaults(handler=run_roll)
    count = cmds.add_parser(custody_jobs.HEADCOUNT_SHEET, help="Headcount sheet (Helaian "
                            "kiraan kepala): to tick while open, the record once closed")
    count.add_argument("--count", metavar="ID", type=int, required=True,
                       help="the headcount's number")
    _output(count)
    count.set_defaults(handler=run_headcount_sheet)


def _print_one(ctx: Context, job_for) -> int:
    """One document: ``job_for(uow, actor)`` prints it in one unit of work (serial and
    counterfoil, or nothing); the PDF goes to ``--output``."""
    actor = ctx.login()
    with ctx.database().write() as uow:
        job = job_for(uow, actor)
    _write(ctx.args.output, job.pdf)
    _report_one(ctx, job)
    return 0


def run_movement_slip(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: custody_jobs.print_movement_slip(
        uow, actor, detainees.id_for_number(uow, actor, ctx.args.detainee), ctx.args.movement))


def run_roll(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: custody_jobs.print_roll(uow, actor))


def run_headcount_sheet(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: custody_jobs.print_headcount(
        uow, actor, ctx.args.count))


def _medical_forms(cmds: argparse._SubParsersAction) -> None:
    """``depot print medical-exam | fit-to-travel | outbreak``."""
    exam = cmds.add_parser(medical_jobs.EXAM_RECORD, help="Medical examination record (Rekod "
                           "pemeriksaan perubatan): one examination, findings and outcome; "
                           "medical staff only")
    exam.add_argument("exam_id", metavar="EXAM_ID", type=int, help="the examination's number")
    _output(exam)
    exam.set_defaults(handler=run_exam_record)
    fit = cmds.add_parser(medical_jobs.FIT_TO_TRAVEL, help="Fit-to-travel certificate "
                          "(Perakuan layak untuk perjalanan): from an examination that found "
                          "the detainee fit to travel, while it holds")
    fit.add_argument("exam_id", metavar="EXAM_ID", type=int, help="the examination's number")
    _output(fit)
    fit.set_defaults(handler=run_fit_to_travel)
    sick = cmds.add_parser("outbreak", help="Communicable disease outbreak list (Senarai wabak "
                           "penyakit berjangkit): everyone whose latest examination records "
                           "the condition; medical staff only")
    sick.add_argument("condition", metavar="CONDITION", choices=tuple(COMMUNICABLE),
                      help=f"one of: {', '.join(COMMUNICABLE)}")
    sick.add_argument("--block", metavar="CODE", default="",
                      help="one block's code (default: every block)")
    _output(sick)
    sick.set_defaults(handler=run_outbreak)


def run_exam_record(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: medical_jobs.print_exam_record(
        uow, actor, ctx.args.exam_id))


def run_fit_to_travel(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: medical_jobs.print_fit_to_travel(
        uow, actor, ctx.args.exam_id))


def run_outbreak(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: medical_jobs.print_outbreak_list(
        uow, actor, ctx.args.condition, ctx.args.block))


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"date must be YYYY-MM-DD, e.g. 2026-03-11, not "
                                         f"{text!r}") from None


def _court_forms(cmds: argparse._SubParsersAction) -> None:
    """``depot print production-list | detention-order | authority-history``."""
    listing = cmds.add_parser(court_jobs.PRODUCTION_LIST, help="Court production list "
                              "(Senarai pengeluaran ke mahkamah): everyone to be produced at "
                              "one court on one day, with photos, for the escort and the "
                              "court")
    listing.add_argument("--court", required=True, metavar="NAME",
                         help="the court as scheduled, e.g. 'Mahkamah Majistret Kajang' "
                              "(`depot court courts --date` lists them)")
    listing.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                         help="the day at court, Malaysian time (default: today)")
    _output(listing)
    listing.set_defaults(handler=run_production_list)
    order = cmds.add_parser(court_jobs.DETENTION_ORDER, help="Record of a Magistrate's "
                            "detention order (Rekod perintah tahanan Majistret), s.51(5)(b)")
    which = order.add_mutually_exclusive_group(required=True)
    which.add_argument("order_id", metavar="ORDER_ID", type=int, nargs="?",
                       help="the order's record number (`depot court history NO --json`)")
    which.add_argument("--detainee", metavar="NO", help="the detainee's latest order")
    _output(order)
    order.set_defaults(handler=run_detention_order)
    history = cmds.add_parser(court_jobs.AUTHORITY_HISTORY, help="Detention-authority "
                              "history (Sejarah kuasa tahanan): every stage and section from "
                              "the arrest, any time held without authority, productions and "
                              "orders")
    history.add_argument("detainee", metavar="DETAINEE_NO", help="detainee number")
    _output(history)
    history.set_defaults(handler=run_authority_history)


def run_production_list(ctx: Context) -> int:
    day = ctx.args.date or dt.datetime.now(MYT).date()
    return _print_one(ctx, lambda uow, actor: court_jobs.print_production_list(
        uow, actor, ctx.args.court, day))


def run_detention_order(ctx: Context) -> int:
    if ctx.args.detainee:
        return _print_one(ctx, lambda uow, actor: court_jobs.print_latest_order(
            uow, actor, detainees.id_for_number(uow, actor, ctx.args.detainee)))
    return _print_one(ctx, lambda uow, actor: court_jobs.print_detention_order(
        uow, actor, ctx.args.order_id))


def run_authority_history(ctx: Context) -> int:
    return _print_one(ctx, lambda uow, actor: court_jobs.print_authority_history(
        uow, actor, detainees.id_for_number(uow, actor, ctx.args.detainee)))


def _report_one(ctx: Context, job: jobs.PrintJob) -> None:
    """A document about one thing (a movement, the roll, a count, an examination)."""
    d = job.document
    if ctx.args.json:
        print_json({"file": str(ctx.args.output), "document": d})
        return
    what = f"{d.subject_type} {d.subject_id}" if d.subject_id else d.subject_type
    again = ", a reprint" if d.is_reprint else ""
    print(f"Printed {d.form_code} {d.serial} ({what}{again}) to {ctx.args.output}")


def _who(parser: argparse.ArgumentParser, *, all_allowed: bool) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--detainee", metavar="NO", nargs="+", action="extend",
                       help="detainee numbers (one document for all of them)")
    if all_allowed:
        which.add_argument("--all-in-custody", action="store_true",
                           help="everyone in custody now")


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", type=Path,
                        help="where to write the PDF")
    add_json(parser)


def _progress(done: int, total: int) -> None:
    print(f"\rpreparing and drawing: {done} of {total}", end="", file=sys.stderr, flush=True)


def _print_job(ctx: Context, form_code: str) -> int:
    actor = ctx.login()
    show = sys.stderr.isatty() and not ctx.args.json
    with ctx.database().write() as uow:
        if getattr(ctx.args, "all_in_custody", False):
            ids = jobs.in_custody_ids(uow, actor)
            if not ids:
                raise CliError("nobody is in custody: there is nothing to print")
        else:
            ids = jobs.ids_for_numbers(uow, actor, ctx.args.detainee)
        job = jobs.print_form(uow, actor, form_code, ids, progress=_progress if show else None)
    if show:
        print(file=sys.stderr)
    _write(ctx.args.output, job.pdf)
    _report(ctx, job)
    return 0


def run_form(ctx: Context) -> int:
    return _print_job(ctx, ctx.args.form_code)


def run_cards(ctx: Context) -> int:
    return _print_job(ctx, jobs.CARD_LAYOUTS[ctx.args.layout])


def run_reprint(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().write() as uow:
        first = counterfoils.by_serial(uow, actor, ctx.args.serial)[-1]
        job = custody_jobs.reprint(uow, actor, first.id)  # hands on medical and other forms
    _write(ctx.args.output, job.pdf)
    _report(ctx, job)
    return 0


def run_log(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().read() as uow:
        if ctx.args.serial:
            found = counterfoils.by_serial(uow, actor, ctx.args.serial)
        else:
            detention_id = detainees.id_for_number(uow, actor, ctx.args.detainee)
            found = counterfoils.documents_for(uow, actor, "detention", detention_id)
            for card in cards.cards_for(uow, actor, detention_id):
                found += counterfoils.documents_for(uow, actor, "detainee_card", card.id)
            found = sorted({d.id: d for d in found}.values(),
                           key=lambda d: (d.printed_at, d.id), reverse=True)
    if ctx.args.json:
        print_json(found)
        return 0
    print_table(("SERIAL", "FORM", "PRINTED", "BY", "REPRINT OF", "SUBJECTS", "SHA-256"), [
        (d.serial, d.form_code, when(d.printed_at), d.printed_by, d.reprint_of_id or "",
         len(d.subjects), d.sha256[:16]) for d in found])
    return 0


def run_verify(ctx: Context) -> int:
    actor = ctx.login()
    actor.require(Permission.VIEW_DETAINEES)
    with ctx.database().read() as uow:
        result = cards.verify_card(uow, ctx.args.payload)
    print_json(result)
    return 0 if result["status"] == cards.VALID else EXIT_ERROR


def run_issue(ctx: Context) -> int:
    actor = ctx.login()
    with ctx.database().write() as uow:
        detention_id = detainees.id_for_number(uow, actor, ctx.args.number)
        card = cards.issue_card(uow, actor, detention_id, ctx.args.reason).value
    if ctx.args.json:
        print_json(card)
    else:
        print(f"Issued card {card.serial} for {card.detainee_no} ({ctx.args.reason}); "
              f"earlier cards no longer verify. Print it with `depot print card --detainee "
              f"{card.detainee_no} -o FILE.pdf`.")
    return 0


def run_public_key(ctx: Context) -> int:
    actor = ctx.login()
    actor.require(Permission.VIEW_DETAINEES)
    with ctx.database().read() as uow:
        pem = signing.public_key_pem(uow)
    if pem is None:
        raise CliError("no card has been issued yet, so the depot has no signing key")
    print(pem, end="")
    return 0


def _write(path: Path, data: bytes) -> None:
    """Write the whole file or none of it (a half-written PDF is worse than none)."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".depot-", suffix=".pdf", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise CliError(f"the document was recorded but could not be written to {path}: "
                       f"{exc.strerror or exc}; `depot print reprint` prints it again") from exc


def _report(ctx: Context, job: jobs.PrintJob) -> None:
    d = job.document
    if ctx.args.json:
        print_json({"file": str(ctx.args.output), "document": d, "cards": job.cards})
        return
    what = f"{len(d.subjects)} record{'s' if len(d.subjects) != 1 else ''}"
    again = f", a reprint of {d.serial}" if d.is_reprint else ""
    print(f"Printed {d.form_code} {d.serial} ({what}{again}) to {ctx.args.output}")
