"""Notice changes committed at other workstations, without Qt.

``ChangeWatcher(db).poll()`` is cheap and never blocks; a front end calls it every few
seconds from its database worker (never from the GUI thread) and fans the result out
like any local change.

* SQLite: ``PRAGMA data_version`` on a dedicated connection. The number moves whenever
  any *other* connection commits to the file, which includes this process's own writes
  (they use other connections): harmless, a view refreshes once more than it needs to.
  SQLite cannot say what changed, so a change reports every area.
* PostgreSQL: a dedicated psycopg connection that ``LISTEN``s on
  :data:`depot_app.database.NOTIFY_CHANNEL`; every unit of work that changed something
  sends ``{"areas": [...]}`` there on commit. The connection is used for nothing else
  (psycopg blocks other statements while ``notifies()`` runs). If it drops, the next poll
  reconnects and reports every area, since notifications may have been missed.

The watcher is used from one thread at a time; ``poll`` opens its connection on first use,
so the thread that polls is the thread that owns it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from depot_app.changes import ALL_AREAS, Changes
from depot_app.database import NOTIFY_CHANNEL, Database

log = logging.getLogger(__name__)


class ChangeWatcher:
    def __init__(self, db: Database):
        self._url = db.engine.url
        self._dialect = db.dialect
        self._conn: Any = None
        self._last_version: int | None = None
        self._lost = False

    @property
    def dialect(self) -> str:
        return self._dialect

    def poll(self) -> Changes | None:
        """What other connections committed since the last poll, or None.

        The first poll only takes a baseline and returns None.
        """
        if self._dialect == "sqlite":
            return self._poll_sqlite()
        if self._dialect == "postgresql":
            return self._poll_postgres()
        return None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        self._last_version = None  # data_version is per connection: start a new baseline
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                log.debug("closing the change watcher's connection failed", exc_info=True)

    # -- SQLite ---------------------------------------------------------------------

    def _poll_sqlite(self) -> Changes | None:
        path = self._url.database
        if not path or path == ":memory:":
            return None  # nobody else can write to a private in-memory database
        if self._conn is None:
            # Autocommit (isolation_level=None): no read transaction is left open, so the
            # version is current on every poll and the WAL is never pinned.
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                         timeout=5)
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        previous, self._last_version = self._last_version, version
        if previous is None or previous == version:
            return None
        return Changes(ALL_AREAS, frozenset(), remote=True)

    # -- PostgreSQL -----------------------------------------------------------------

    def _connect_postgres(self) -> None:
        import psycopg

        url = self._url
        params: dict[str, Any] = {k: v for k, v in url.query.items() if isinstance(v, str)}
        for key, value in (("host", url.host), ("port", url.port), ("dbname", url.database),
                           ("user", url.username), ("password", url.password)):
            if value is not None:
                params[key] = value
        conn = psycopg.connect(autocommit=True, **params)
        conn.execute(f'LISTEN "{NOTIFY_CHANNEL}"')
        self._conn = conn

    def _poll_postgres(self) -> Changes | None:
        import psycopg

        reconnected = False
        if self._conn is None:
            self._connect_postgres()
            reconnected = self._lost
            self._lost = False
        areas: set[str] = set()
        try:
            # timeout=0: drain what has arrived and return at once.
            for note in self._conn.notifies(timeout=0):
                areas |= _areas_of(note.payload)
        except psycopg.OperationalError:
            log.warning("the change watcher lost its PostgreSQL connection; reconnecting",
                        exc_info=True)
            self.close()
            self._lost = True
            return None
        if reconnected:
            areas |= ALL_AREAS
        if not areas:
            return None
        return Changes(frozenset(areas), frozenset(), remote=True)


def _areas_of(payload: str) -> set[str]:
    try:
        areas = json.loads(payload)["areas"]
        if isinstance(areas, list) and all(isinstance(a, str) for a in areas):
            return set(areas)
    except (ValueError, KeyError, TypeError):
        pass
    log.warning("unreadable change notification %r: refreshing everything", payload)
    return set(ALL_AREAS)
