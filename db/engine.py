"""Engines for the embedded SQLite default and the depot's PostgreSQL server.

SQLite: WAL, foreign keys on, a busy timeout, ``synchronous=FULL`` (the audit chain and
the ledgers must survive power loss) and ``BEGIN IMMEDIATE`` for units of work that write,
so two writers queue for the lock instead of failing half-way on upgrade.
PostgreSQL: psycopg 3.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE_OPTION = "depot_write"
BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """Accept the forms people type and give SQLAlchemy the driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, echo=echo, pool_pre_ping=True, pool_size=4, max_overflow=4,
            hide_parameters=True,  # a driver error must not carry findings or names to a log
            # PostgreSQL's default random_page_cost (4) models spinning disks: with it, joining
            # the 20,000 held to a million persons seq-scans person (117 ms); at the SSD value
            # it walks the index (33 ms). Measured in bench/bench_search.py.
            connect_args={"options": "-c random_page_cost=1.1"},
        )
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")


def _sqlite_engine(url: str, echo: bool) -> Engine:
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,  # a driver error must not carry findings or names to a log
        # The pool hands a connection to one thread at a time; a checked-in connection may
        # be checked out next by another thread, which pysqlite allows with this flag.
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine
