"""Fresh databases for tests: a migrated template per engine, copied for every test.

SQLite: the template file is copied. PostgreSQL: ``CREATE DATABASE ... TEMPLATE``.
PostgreSQL comes from ``DEPOT_TEST_POSTGRES_URL``; when that is set the server must answer
(CI sets it, so CI fails rather than skips). When unset, a server on 127.0.0.1:5432 is used
if one answers, otherwise the PostgreSQL tests are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.engine import normalise_url, sqlite_url

LOCAL_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> tuple[str | None, str]:
    """(url, why-not): the URL to use, or None and the reason PostgreSQL is not used."""
    explicit = os.environ.get("DEPOT_TEST_POSTGRES_URL", "").strip()
    url = normalise_url(explicit or LOCAL_DEFAULT)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return url, ""
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        reason = f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} " \
                 f"is unreachable: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
        if explicit or os.environ.get("CI_REQUIRE_POSTGRES") or os.environ.get("CI"):
            raise RuntimeError(reason + " (DEPOT_TEST_POSTGRES_URL is set, so this fails)") \
                from exc
        return None, reason


class PostgresFactory:
    """Clones a template database per test on one server.

    ``CREATE DATABASE ... TEMPLATE`` takes most of a second for the migrated schema, which
    the server does while the test process waits: ``clone`` keeps the next copy of each
    template made in the background (the server works on it while the previous test runs)
    and ``drop_later`` drops in the background too. A copy is made from a template nobody
    connects to, so a spare is exactly what a fresh clone would be."""

    SPARES = 2  # copies kept ready per template

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"depot_t_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._n = itertools.count()
        self.created: list[str] = []
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-clones")
        self._spares: dict[str, list[Future]] = {}

    def clone(self, template: str) -> tuple[str, str]:
        """A fresh copy of ``template``: a spare made earlier when one is ready."""
        spares = self._spares.setdefault(template, [])
        while len(spares) < self.SPARES + 1:
            spares.append(self._worker.submit(self.create, template))
        return spares.pop(0).result()

    def drop_later(self, name: str) -> None:
        self._worker.submit(self.drop, name)

    def url_for(self, name: str) -> str:
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> tuple[str, str]:
        with self._lock:
            name = f"{self.prefix}_{next(self._n)}"
        with self.admin.connect() as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        with self._lock:
            self.created.append(name)
        return name, self.url_for(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        with self._lock:
            if name in self.created:
                self.created.remove(name)

    def close(self) -> None:
        self._worker.shutdown(wait=True)  # spares finish, then everything is dropped
        for name in list(self.created):
            self.drop(name)
        self.admin.dispose()


class SqliteFactory:
    def __init__(self, folder: Path):
        self.folder = folder
        self._n = itertools.count()

    def create(self, template: Path | None = None) -> tuple[Path, str]:
        path = self.folder / f"db{next(self._n)}.sqlite"
        if template is not None:
            shutil.copyfile(template, path)
        return path, sqlite_url(path)
