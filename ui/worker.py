"""The one serial database worker (Anki ``qt/aqt/taskman.py``, with no database call left on
the GUI thread).

Every database call of the GUI runs here, one after another, as ``fn(db)``. The
:class:`~depot_app.database.Database` lives on the worker; the GUI never touches it. Results
and exceptions come back to the GUI thread by a queued signal, and the callbacks given to
:meth:`DbWorker.submit` run there.

Use :mod:`ui.operations` rather than ``submit`` directly: operations add error display and
the app-wide change event.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from depot_app.database import Database

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Job:
    """One call on the worker. ``cancel()`` before it starts and it never runs; after it
    has run, a cancelled job's callbacks are not called."""

    fn: Callable[[Database | None], Any]
    on_success: Callable[[Any], None] | None = None
    on_failure: Callable[[BaseException], None] | None = None
    label: str = ""
    result: Any = None
    error: BaseException | None = None
    traceback: str = ""
    cancelled: bool = False
    essential: bool = False  # clean-up that still runs when the worker shuts down
    done: bool = field(default=False)

    def cancel(self) -> None:
        self.cancelled = True


class _Runner(QObject):
    """Lives on the worker thread; runs jobs in the order they were posted."""

    finished = Signal(object)

    def __init__(self, db: Database | None):
        super().__init__()
        self.db = db

    @Slot(object)
    def run(self, job: Job) -> None:
        if not job.cancelled:
            try:
                job.result = job.fn(self.db)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
                job.error = exc
                job.traceback = traceback.format_exc()
        job.done = True
        self.finished.emit(job)


class DbWorker(QObject):
    """Owns the worker thread. Create on the GUI thread; ``shutdown()`` before exit."""

    _post = Signal(object)
    sig_busy_changed = Signal(bool)  # True while jobs are queued or running
    # A callback raised on the GUI thread: (exception, formatted traceback).
    sig_callback_failed = Signal(object, str)

    def __init__(self, db: Database | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("depot-db-worker")
        self._runner = _Runner(db)
        self._runner.moveToThread(self._thread)
        self._post.connect(self._runner.run)
        self._runner.finished.connect(self._finished)
        self._pending: set[Job] = set()
        self._stopped = False
        self._thread.start()

    # -- submitting -----------------------------------------------------------------

    def submit(self, fn: Callable[[Database | None], Any], *,
               on_success: Callable[[Any], None] | None = None,
               on_failure: Callable[[BaseException], None] | None = None,
               label: str = "", essential: bool = False) -> Job:
        job = Job(fn, on_success, on_failure, label or getattr(fn, "__name__", "job"),
                  essential=essential)
        if self._stopped:
            job.cancel()
            return job
        self._pending.add(job)
        if len(self._pending) == 1:
            self.sig_busy_changed.emit(True)
        self._post.emit(job)
        return job

    def open_database(self, url: str, *, upgrade: bool = True,
                      on_success: Callable[[Any], None] | None = None,
                      on_failure: Callable[[BaseException], None] | None = None) -> Job:
        """Open (and migrate) the database on the worker; it stays there for later jobs.

        ``on_success`` receives a :class:`DatabaseInfo`, never the Database itself.
        """
        runner = self._runner

        def _open(_old: Database | None) -> DatabaseInfo:
            db = Database(url)
            try:
                if upgrade:
                    db.upgrade()
            except BaseException:
                db.dispose()
                raise
            if runner.db is not None:
                runner.db.dispose()
            runner.db = db
            return DatabaseInfo.of(db)

        return self.submit(_open, on_success=on_success, on_failure=on_failure,
                           label="open database")

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    # -- results --------------------------------------------------------------------

    @Slot(object)
    def _finished(self, job: Job) -> None:
        self._pending.discard(job)
        if not self._pending:
            self.sig_busy_changed.emit(False)
        if job.cancelled:
            return
        try:
            if job.error is None:
                if job.on_success is not None:
                    job.on_success(job.result)
            elif job.on_failure is not None:
                job.on_failure(job.error)
            else:
                log.error("unhandled error in %s:\n%s", job.label, job.traceback)
        except Exception as exc:  # noqa: BLE001 - an exception must not vanish in a slot
            tb = traceback.format_exc()
            log.error("a callback of %s failed:\n%s", job.label, tb)
            self.sig_callback_failed.emit(exc, tb)

    # -- stopping -------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Finish the running job, drop the queue (but for essential clean-up jobs), close
        the database, stop the thread."""
        if self._stopped:
            return
        self._stopped = True
        for job in self._pending:
            if not job.essential:
                job.cancel()
        runner = self._runner
        thread = self._thread

        def _close(db: Database | None) -> None:
            # Runs after everything already queued (each skipped, being cancelled).
            try:
                if db is not None:
                    db.dispose()
            finally:
                runner.db = None
                thread.quit()

        self._post.emit(Job(_close, label="close database"))
        if not self._thread.wait(timeout_ms):
            log.warning("the database worker did not stop within %d ms", timeout_ms)


@dataclass(frozen=True)
class DatabaseInfo:
    """What the GUI may know about the open database: words for the status bar."""

    dialect: str
    display: str   # "SQLite: /path/depot.sqlite" or "PostgreSQL: host/dbname"
    url: str       # without the password

    @staticmethod
    def of(db: Database) -> DatabaseInfo:
        url = db.engine.url
        if db.dialect == "sqlite":
            display = f"SQLite: {url.database}"
        else:
            host = url.host or "localhost"
            port = f":{url.port}" if url.port else ""
            display = f"PostgreSQL: {host}{port}/{url.database}"
        return DatabaseInfo(db.dialect, display, db.display_url)
