"""The state of one long job on the database worker (Orange's ``TaskState``): a thread-safe
cancel flag the job reads, progress reaching the GUI thread by a queued signal, throttled to
a step of 1 % or 100 ms, and pauses that let the GUI thread run.

A long job is CPU-bound Python on the worker thread, and every Python call the GUI thread
makes (a table model's ``data()``, the application-wide event filters) must then take the
GIL from it, waiting up to the switch interval (5 ms) each time: painting the detainee list
during a card batch froze the window for the whole job (measured: a 10 ms timer fired twice
in a 0.9 s job). So, whenever the job reports progress or asks whether it is cancelled,
after 20 ms of work the worker sleeps 3 ms, long enough for the GUI to run its Python
uncontended (the same timer then fires ~15 times a second, no gap over 0.16 s). It costs
the job up to ~15 % when the GUI is idle. Every long job should take one of these.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

BREATHE_EVERY_S = 0.020   # of work on the worker, then
BREATHE_FOR_S = 0.003     # of sleep, the GIL free for the GUI thread


class ProgressThrottle:
    """Whether a progress report is worth a signal: the first and the last always are; in
    between, only when it moved by ``min_step`` of the total or ``min_interval`` seconds
    passed since the last one that was."""

    def __init__(self, min_step: float = 0.01, min_interval: float = 0.1,
                 clock: Callable[[], float] = time.monotonic):
        self.min_step = min_step
        self.min_interval = min_interval
        self._clock = clock
        self._done = -1
        self._at = float("-inf")

    def should_emit(self, done: int, total: int) -> bool:
        if done == self._done:
            return False
        now = self._clock()
        step = (done - self._done) / total if total > 0 else 1.0
        if self._done < 0 or done >= total or step >= self.min_step \
                or now - self._at >= self.min_interval:
            self._done, self._at = done, now
            return True
        return False


class TaskState(QObject):
    """One running job's state: a cancel flag the job reads, progress for the GUI.

    Create it on the GUI thread; ``report`` and ``is_cancelled`` are called on the worker."""

    sig_progress = Signal(int, int)  # done, total (the job counts reading, then drawing)

    def __init__(self, parent: QObject | None = None, *,
                 throttle: ProgressThrottle | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._throttle = throttle or ProgressThrottle()
        self._working_since = time.monotonic()
        self.breaths = 0

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- called by the job, on the worker -------------------------------------------

    def report(self, done: int, total: int) -> None:
        self._breathe()
        if self._throttle.should_emit(done, total):
            self.sig_progress.emit(done, total)

    def check_cancelled(self) -> bool:
        self._breathe()
        return self._cancel.is_set()

    def _breathe(self) -> None:
        if time.monotonic() - self._working_since >= BREATHE_EVERY_S:
            time.sleep(BREATHE_FOR_S)  # see the module's note: the GUI takes the GIL now
            self.breaths += 1
            self._working_since = time.monotonic()
