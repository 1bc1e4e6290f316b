"""The database and its units of work: one SQLAlchemy session per user action.

A unit of work collects audit events and what changed; on success it appends the audit
events to the chain and commits them in the same transaction as the change itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import migrate
from db.engine import WRITE_OPTION, make_engine, normalise_url, sqlite_url
from depot_app import audit
from depot_app.actor import Actor
from depot_app.changes import Changes
from depot_app.clock import Clock, SystemClock
from depot_app.errors import ConflictError, DepotError

NOTIFY_CHANNEL = "depot_changes"
APP_NAME = "Depot"

T = TypeVar("T")


def default_database_url() -> str:
    """``DEPOT_DATABASE_URL`` if set, else the embedded SQLite file in the user's data folder."""
    import os

    url = os.environ.get("DEPOT_DATABASE_URL", "").strip()
    if url:
        return url
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return sqlite_url(folder / "depot.sqlite")


class UnitOfWork:
    def __init__(self, session: Session, clock: Clock, dialect: str):
        self.session = session
        self.clock = clock
        self.dialect = dialect
        self.changes = Changes()
        self._events: list[audit.PendingEvent] = []

    def now(self):
        return self.clock.now()

    def record(self, actor: Actor, action: str, entity: str, entity_id: object,
               before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Queue an audit event; it is written in this transaction or not at all."""
        self._events.append(audit.PendingEvent(actor, action, entity, str(entity_id),
                                               before, after))

    def touch(self, changes: Changes) -> None:
        self.changes = self.changes | changes

    def flush_audit(self) -> None:
        self.session.flush()
        audit.append(self.session, self._events, self.now())
        self._events = []
        if self.dialect == "postgresql" and self.changes:
            payload = json.dumps({"areas": sorted(self.changes.areas)})
            self.session.execute(text("SELECT pg_notify(:c, :p)"),
                                 {"c": NOTIFY_CHANNEL, "p": payload})


FILLS_AUTHORITY = "0011"  # revisions are zero-padded: they compare as text


class Database:
    """One per process: the engine, its session factories and the clock."""

    def __init__(self, url: str | None = None, *, clock: Clock | None = None,
                 engine: Engine | None = None):
        self.url = normalise_url(url or default_database_url())
        self.engine = engine or make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self.clock = clock or SystemClock()
        self._read = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._write = sessionmaker(self.engine.execution_options(**{WRITE_OPTION: True}),
                                   expire_on_commit=False, autoflush=True)

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        before = migrate.current_revision(self.engine)
        migrate.upgrade(self.engine)
        if before is not None and (before < FILLS_AUTHORITY or self._authority_unwritten()):
            self._fill_authority()

    def _authority_unwritten(self) -> bool:
        """A stage in force without its authority: an earlier fill did not finish (read
        through the open-stage index, so cheap at every start)."""
        with self.read() as uow:
            return uow.session.execute(text(
                "SELECT 1 FROM detention_stage WHERE ends_at IS NULL AND valid_until IS NULL "
                "LIMIT 1")).first() is not None

    def _fill_authority(self) -> None:
        """Stages recorded before 0011 get their authority from the code that keeps it from
        then on (a migration may not import the services)."""
        from depot_app.services.court import authority  # noqa: PLC0415 - services import us

        with self.write() as uow:
            authority.refresh_unwritten(uow.session)

    def is_up_to_date(self) -> bool:
        return migrate.is_up_to_date(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        with self._read() as session:
            uow = UnitOfWork(session, self.clock, self.dialect)
            try:
                yield uow
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One transaction: the change and its audit events commit together or not at all."""
        with self._write() as session:
            uow = UnitOfWork(session, self.clock, self.dialect)
            try:
                yield uow
                uow.flush_audit()
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                raise ConflictError(
                    "this record was changed at another workstation; reload it and try again"
                ) from exc
            except IntegrityError as exc:
                session.rollback()
                raise ConflictError(f"the change clashes with a record already saved: "
                                    f"{_constraint_words(exc)}") from exc
            except OperationalError as exc:
                session.rollback()
                if "locked" in str(exc).lower():
                    raise ConflictError("the database is busy at another workstation; "
                                        "try again in a moment") from exc
                raise
            except BaseException:
                session.rollback()
                raise

    def call(self, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        """Run ``fn(uow, *args)`` in its own unit of work."""
        with (self.write() if write else self.read()) as uow:
            return fn(uow, *args)


def _constraint_words(exc: IntegrityError) -> str:
    message = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
    return message


__all__ = ["Database", "UnitOfWork", "DepotError", "default_database_url", "NOTIFY_CHANNEL"]
