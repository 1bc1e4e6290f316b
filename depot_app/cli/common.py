"""What every command shares: the database, logging in, prompts, JSON and tables."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import ArgumentError, OperationalError

from depot_app.actor import Actor, this_workstation
from depot_app.clock import MYT, format_local
from depot_app.database import Database, default_database_url
from depot_app.errors import NotInitialised, ValidationError
from depot_app.services import setup, users

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
USER_ENV, PASSWORD_ENV, NEW_PASSWORD_ENV = "DEPOT_USER", "DEPOT_PASSWORD", "DEPOT_NEW_PASSWORD"

Handler = Callable[["Context"], int]


class CliError(Exception):
    """A failure the command explains itself; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def resolve_url(given: str | None) -> str:
    """``--db``, else ``DEPOT_DATABASE_URL``, else the embedded SQLite file."""
    return (given or "").strip() or default_database_url()


class Context:
    """One command's run: its arguments and, once opened, its database."""

    def __init__(self, args: argparse.Namespace, url: str):
        self.args = args
        self.url = url
        self._db: Database | None = None

    def database(self, migrate: bool = True) -> Database:
        """Open the database, bringing its schema up to date first (unless told not to)."""
        if self._db is None:
            try:
                self._db = Database(self.url)
            except (ArgumentError, ValueError) as exc:
                raise CliError(f"cannot use the database URL {self.url!r}: {exc}",
                               EXIT_USAGE) from exc
            if migrate:
                try:
                    self._db.upgrade()
                except OperationalError as exc:
                    raise CliError(f"cannot open the database {self._db.display_url}: "
                                   f"{_first_line(exc)}") from exc
        return self._db

    def login(self) -> Actor:
        """Log in from DEPOT_USER / DEPOT_PASSWORD, or by asking at the terminal."""
        db = self.database()
        with db.read() as uow:
            if not setup.is_initialised(uow):
                raise NotInitialised("no depot has been set up in this database yet")
        username = os.environ.get(USER_ENV, "").strip()
        password = os.environ.get(PASSWORD_ENV)
        if (not username or password is None) and not interactive():
            raise CliError(f"this command needs a login: set {USER_ENV} and {PASSWORD_ENV}, "
                           "or run it in a terminal", EXIT_USAGE)
        if not username:
            username = ask("User name")
        if password is None:
            password = getpass.getpass("Password: ")
        return users.login(db, username, password, this_workstation())

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


# Prompts ------------------------------------------------------------------------------

def interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask(label: str, default: str = "") -> str:
    suffix = f" [{default}]" if default else ""
    answer = input(f"{label}{suffix}: ").strip()
    return answer or default


def new_password(env: str, field: str = "password") -> str:
    """A new password from ``env``, or typed twice at the terminal."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not interactive():
        raise CliError(f"no password: set {env} or run this in a terminal", EXIT_USAGE)
    first = getpass.getpass("New password: ")
    if getpass.getpass("New password again: ") != first:
        raise ValidationError({f"{field}_again": "The two passwords differ"})
    return first


# Output -------------------------------------------------------------------------------

def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def local_iso(value: dt.datetime) -> str:
    return value.astimezone(MYT).isoformat()


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates ISO 8601, datetimes in UTC with their offset plus a
    ``<name>_local`` twin in Malaysian time, bytes left out (their size is given)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, bytes):
                out[f"{key}_size"] = len(item)
                continue
            out[str(key)] = jsonable(item)
            if isinstance(item, dt.datetime):
                out[f"{key}_local"] = local_iso(item)
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if value is None:
        return None
    return value


def print_json(value: Any) -> None:
    print(json.dumps(jsonable(value), indent=2, sort_keys=True, ensure_ascii=False))


def when(value: dt.datetime | None) -> str:
    """A time for people: Malaysian local, dd/mm/yyyy hh:mm."""
    return format_local(value)


def day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    text_rows = [["" if c is None else str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in text_rows:
        print(line.format(*row).rstrip())


def print_fields(pairs: Iterable[tuple[str, Any]]) -> None:
    """``label: value`` lines with the values aligned; empty values are left out."""
    shown = [(label, str(value)) for label, value in pairs if value not in (None, "", ())]
    width = max((len(label) for label, _ in shown), default=0)
    for label, value in shown:
        print(f"  {label + ':':<{width + 1}} {value}")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def group_help(parser: argparse.ArgumentParser) -> Handler:
    """The handler of a command group run without a subcommand: its usage, exit 2."""
    def handler(_ctx: Context) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return handler
