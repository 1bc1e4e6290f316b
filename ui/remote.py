"""Changes made at other workstations, polled every ~2 s on the database worker and
published on the change bus like local ones (``Changes.remote`` is True)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from depot_app.changes import Changes
from depot_app.watch import ChangeWatcher
from ui.context import AppContext

log = logging.getLogger(__name__)
POLL_INTERVAL_MS = 2000


class RemoteChangePoller(QObject):
    def __init__(self, ctx: AppContext, interval_ms: int = POLL_INTERVAL_MS,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._watcher: ChangeWatcher | None = None  # used on the worker thread only
        self._in_flight = False
        self._failures = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        """Stop polling and close the watcher's connection on the worker."""
        self._timer.stop()
        self.ctx.worker.submit(self._close, label="close change watcher", essential=True)

    def poll(self) -> None:
        if self._in_flight:
            return  # the worker is busy; skip a beat rather than queue polls
        self._in_flight = True
        self.ctx.worker.submit(self._poll, on_success=self._polled, on_failure=self._failed,
                               label="poll for remote changes")

    # -- on the worker --------------------------------------------------------------

    def _poll(self, db) -> Changes | None:
        if self._watcher is None:
            self._watcher = ChangeWatcher(db)
        return self._watcher.poll()

    def _close(self, _db) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    # -- on the GUI thread ----------------------------------------------------------

    def _polled(self, changes: Changes | None) -> None:
        self._in_flight = False
        self._failures = 0
        if changes:
            self.ctx.bus.publish(changes)

    def _failed(self, exc: BaseException) -> None:
        self._in_flight = False
        self._failures += 1
        # Quietly: a flaky network must not bury the clerk in dialogs. Log the first.
        if self._failures == 1:
            log.warning("polling for changes at other workstations failed: %r", exc)
