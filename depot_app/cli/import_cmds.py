"""``depot import arrests FILE``: batch intake from an enforcement operation list."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from depot_app.cli.common import (
    EXIT_ERROR,
    EXIT_USAGE,
    CliError,
    Context,
    add_json,
    day,
    group_help,
    print_json,
    print_table,
)
from depot_app.cli.print_cmds import _write as write_pdf
from depot_app.errors import DepotError
from depot_app.services import arrest_import
from depot_app.services.arrest_import import ImportPreview, ImportSource

ARRESTS_HELP = f"""\
FILE is CSV UTF-8 (with or without a byte-order mark) or an Excel workbook (.xlsx, first
sheet). Row 1 names the columns (case, spaces and hyphens do not matter):

{textwrap.fill(", ".join(arrest_import.REQUIRED), 86, initial_indent="  ",
               subsequent_indent="  ")}

and may add {", ".join(arrest_import.OPTIONAL[:3])},
{", ".join(arrest_import.OPTIONAL[3:])}.

Dates are YYYY-MM-DD; arrested_at is ISO 8601, in Malaysian time unless it carries an
offset; document_type is passport, travel_document, national_id or none; citizen is yes or
no (default no); issuing_state defaults to the nationality; mrz is the document's
machine-readable zone, whose check digits are checked.

Every valid row is admitted in one transaction: a row whose document number and issuing
state are on record becomes a new custody episode of that person; persons on record of a
close name and the same date of birth are listed for review; persons removed before are
listed as repeat entrants (s.36). Rows refused, and rows repeated inside the file, are
left out. With --strict nothing is admitted if any row is refused.

--json prints {{accepted, rejected: [{{row, field, reason}}], duplicates, known_persons,
repeat_entrants, detainee_numbers}}: accepted is the number admitted (with --dry-run, the
number that would be; with --strict and a refused row, 0); detainee_numbers are those
given, in the order of the rows; row numbers count the header as row 1. With --cards,
"cards" names the PDF and its document serial.

exit status: 0 done (rows may have been refused: see the list); 1 the file could not be
used, or --strict and a row was refused (nothing admitted), or the cards failed (the
admissions stand)"""


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("import", help="batch intake from an enforcement operation list")
    group.set_defaults(handler=group_help(group))
    cmds = group.add_subparsers(dest="import_command", metavar="WHAT")
    arrests = cmds.add_parser(
        "arrests", help="admit everyone on an operation list (CSV or XLSX)",
        description="Check an enforcement operation list and admit every valid row.",
        epilog=ARRESTS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    arrests.add_argument("file", metavar="FILE", type=Path, help="the list (.csv or .xlsx)")
    arrests.add_argument("--dry-run", action="store_true",
                         help="check and report only: admit nobody")
    arrests.add_argument("--strict", action="store_true",
                         help="admit nobody if any row is refused")
    arrests.add_argument("--cards", metavar="OUT.pdf", type=Path,
                         help="then print the cards of everyone admitted, in one batch")
    arrests.add_argument("--layout", choices=("sheet", "single"), default="sheet",
                         help="cards: ten on A4 with cut marks (default), or one per CR80 page")
    add_json(arrests)
    arrests.set_defaults(handler=run_arrests)


def _progress(done: int, total: int) -> None:
    print(f"\rchecking and admitting: {done * 100 // max(total, 1)} %", end="",
          file=sys.stderr, flush=True)


def run_arrests(ctx: Context) -> int:
    args = ctx.args
    if args.cards is not None and args.dry_run:
        raise CliError("--cards prints the cards of those admitted: not with --dry-run",
                       EXIT_USAGE)
    source = ImportSource.from_path(args.file)
    actor = ctx.login()
    show = sys.stderr.isatty() and not args.json
    db = ctx.database()
    numbers: tuple[str, ...] = ()
    detention_ids: tuple[int, ...] = ()
    with (db.read() if args.dry_run else db.write()) as uow:
        progress = _progress if show else None
        if args.dry_run:
            preview = arrest_import.preview(uow, actor, source, progress=progress)
            accepted = 0 if args.strict and preview.rejected else preview.accepted
        else:
            outcome = arrest_import.import_arrests(uow, actor, source, args.strict,
                                                   progress=progress).value
            preview, accepted = outcome.preview, outcome.accepted
            numbers, detention_ids = outcome.detainee_numbers, outcome.detention_ids
    if show:
        print(file=sys.stderr)
    refused = bool(args.strict and preview.rejected)
    cards, failure = None, None
    if args.cards is not None and detention_ids:
        try:
            cards = _cards(ctx, actor, detention_ids)
        except CliError as exc:  # the admissions stand: say so after the report
            failure = str(exc)
    if args.json:
        report = {"accepted": accepted,
                  "rejected": [{"row": e.row, "field": e.field, "reason": e.reason}
                               for e in preview.rejected],
                  "duplicates": preview.duplicates, "known_persons": preview.known_persons,
                  "repeat_entrants": preview.repeat_entrants, "detainee_numbers": numbers}
        if cards is not None:
            report["cards"] = cards
        print_json(report)
    else:
        _print(preview, accepted, numbers, args, cards)
    if failure is not None:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR if refused else 0


def _cards(ctx: Context, actor, detention_ids: tuple[int, ...]) -> dict:
    """The admitted detainees' cards in one print job, after the import has committed."""
    from printing import jobs

    try:
        with ctx.database().write() as uow:
            job = jobs.print_cards(uow, actor, list(detention_ids), ctx.args.layout)
    except DepotError as exc:
        raise CliError(f"{len(detention_ids)} detainees were admitted, but their cards could "
                       f"not be printed: {exc}; print them with `depot print cards "
                       f"--detainee NO ...`") from exc
    write_pdf(ctx.args.cards, job.pdf)
    return {"file": str(ctx.args.cards), "serial": job.document.serial,
            "count": len(job.cards)}


def _print(preview: ImportPreview, accepted: int, numbers: tuple[str, ...], args,
           cards: dict | None) -> None:
    p = preview
    if args.strict and p.rejected:
        head = f"Nothing admitted (--strict): {len(p.rejected_rows)} of {len(p.rows)} rows refused"
    elif args.dry_run:
        head = f"Checked {p.file_name}: {accepted} of {len(p.rows)} rows would be admitted"
    else:
        span = f" ({numbers[0]} to {numbers[-1]})" if numbers else ""
        head = f"Admitted {accepted} of {len(p.rows)} rows from {p.file_name}{span}"
    print(head)
    if p.ignored_columns:
        print(f"Columns ignored: {', '.join(p.ignored_columns)}")
    if p.rejected:
        print(f"\nRefused ({len(p.rejected_rows)} rows):")
        print_table(("ROW", "FIELD", "REASON"), [(e.row, e.field, e.reason)
                                                 for e in p.rejected])
    if p.duplicates:
        print("\nRepeated in the file:")
        print_table(("ROW", "SAME AS ROW", "REASON"),
                    [(d.row, d.duplicate_of, d.reason) for d in p.duplicates])
    if p.known_persons:
        print("\nPersons on record:")
        print_table(("ROW", "MATCH", "PERSON", "NAME", "BORN", "NAT", "EPISODES", "SCORE"), [
            (k.row, ("document: new episode" if k.linked else k.match), k.person_id,
             k.full_name, day(k.date_of_birth), k.nationality, ", ".join(k.episodes[:3]),
             k.score) for k in p.known_persons])
    if p.repeat_entrants:
        print("\nRepeat entrants (removed before; returning is an offence under s.36):")
        print_table(("ROW", "PERSON", "NAME", "REMOVED", "UNDER", "MATCH", "ROW CITES"), [
            (e.row, e.person_id, e.full_name, day(e.removed_on), e.section, e.match,
             e.legal_basis) for e in p.repeat_entrants])
    if cards is not None:
        print(f"\nPrinted {cards['count']} cards as {cards['serial']} to {cards['file']}")
