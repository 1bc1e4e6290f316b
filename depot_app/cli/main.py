"""``depot``: the command line, and the window when run without a command.

Exit status: 0 done; 1 refused or failed (``error: ...`` on stderr); 2 usage (bad
arguments, no way to log in); 3 authentication or permission; 4 not found.
"""

from __future__ import annotations

import argparse
import os
import sys

from sqlalchemy.exc import OperationalError

from depot_app.cli import (
    audit_cmds,
    court_cmds,
    custody_cmds,
    db_cmds,
    demo_cmds,
    detainees_cmds,
    import_cmds,
    medical_cmds,
    mrz_cmds,
    print_cmds,
    users_cmds,
)
from depot_app.cli.common import (
    EXIT_AUTH,
    EXIT_ERROR,
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    CliError,
    Context,
    resolve_url,
)
from depot_app.errors import (
    AuthenticationFailed,
    DepotError,
    NotFound,
    NotInitialised,
    PermissionDenied,
    ValidationError,
)

EPILOG = """\
Commands that read personal data or change anything log in as $DEPOT_USER with
$DEPOT_PASSWORD, or ask at a terminal. New passwords: $DEPOT_PASSWORD for `init`,
$DEPOT_NEW_PASSWORD for `users add`, or typed twice.

exit status: 0 done, 1 refused or failed, 2 usage, 3 login or permission, 4 not found"""

MODULES = (db_cmds, users_cmds, audit_cmds, demo_cmds, detainees_cmds, custody_cmds,
           medical_cmds, court_cmds, print_cmds, mrz_cmds, import_cmds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="depot",
        description="Depot: custody records for an immigration depot. "
                    "Without a command, opens the window.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="URL",
                        help="database URL (default: $DEPOT_DATABASE_URL, else the local file)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already explained
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    url = resolve_url(args.db)
    if args.command is None:
        return open_window(url)
    ctx = Context(args, url)
    try:
        return int(args.handler(ctx) or 0)
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except ValidationError as exc:
        lines = "\n".join(f"  {field}: {reason}" for field, reason in exc.fields.items())
        return _fail(f"{'this value was' if len(exc.fields) == 1 else 'these values were'} "
                     f"refused:\n{lines}", EXIT_ERROR)
    except (AuthenticationFailed, PermissionDenied) as exc:
        return _fail(str(exc), EXIT_AUTH)
    except NotFound as exc:
        return _fail(str(exc), EXIT_NOT_FOUND)
    except NotInitialised as exc:
        return _fail(f"{exc}: run `depot init` (or `depot demo` for demonstration data)",
                     EXIT_ERROR)
    except DepotError as exc:
        return _fail(str(exc), EXIT_ERROR)
    except OperationalError as exc:
        orig = getattr(exc, "orig", None) or exc
        return _fail(f"database error: {str(orig).strip().splitlines()[0]}", EXIT_ERROR)
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. `| head`)
        _silence_stdout()
        return EXIT_ERROR
    except (KeyboardInterrupt, EOFError):
        print(file=sys.stderr)
        return _fail("cancelled", 130)
    finally:
        ctx.close()


def open_window(url: str) -> int:
    try:
        from ui.app import run_gui
    except ImportError as exc:
        return _fail(f"the window is not available in this installation ({exc}); "
                     "see `depot --help` for the commands", EXIT_ERROR)
    return int(run_gui(url) or 0)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
