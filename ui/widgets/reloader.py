"""Keeping a page's read model fresh: one load at a time on the database worker.

A refresh asked for while a load runs makes one more load after it (not a queue of them);
a timer refreshes the page every ``period_ms`` (if given) while it is visible (for what moves on with
the clock, such as "today" or "overdue"); the refresh button, when given, is disabled while
a load runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QWidget

from ui.operations.op import DbOp


class Reloader(QObject):
    def __init__(self, page: QWidget, load: Callable[[], DbOp[Any]],
                 show: Callable[[Any], None], *, period_ms: int | None = None,
                 button: QAbstractButton | None = None):
        super().__init__(page)
        self._page = page
        self._load = load
        self._show = show
        self._button = button
        self.loading = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._periodic)
        if period_ms is not None:
            self._timer.setInterval(period_ms)
            self._timer.start()

    def refresh(self) -> None:
        if self.loading:
            self._again = True
            return
        self.loading = True
        if self._button is not None:
            self._button.setEnabled(False)
        self._load().parent(self._page).finished(self._finished).success(self._show) \
            .run_in_background()

    def stop(self) -> None:
        self._timer.stop()

    def _finished(self) -> None:
        self.loading = False
        if self._button is not None:
            self._button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _periodic(self) -> None:
        if self._page.isVisible():
            self.refresh()
