"""One change event for the whole application (Anki's ``operation_did_execute``).

Every successful mutation, local or from another workstation, ends in one
``ChangeBus.changed`` emission carrying a :class:`depot_app.changes.Changes`. A view
subscribes when it opens, unsubscribes when it closes, and refreshes when the areas it
shows are touched. :class:`ChangeAware` is the mix-in pages use for that.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from depot_app.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object)  # depot_app.changes.Changes

    def publish(self, changes: Changes | None) -> None:
        if changes:
            self.changed.emit(changes)


class ChangeAware:
    """For a page: refresh when its areas change; if hidden, refresh when next shown.

    The page sets ``watched_areas``, implements ``refresh()``, calls
    ``subscribe(bus)`` once built and ``unsubscribe()`` when it closes, and calls
    ``refresh_if_stale()`` from its ``showEvent``.
    """

    watched_areas: frozenset[str] = frozenset()
    _bus: ChangeBus | None = None
    _stale: bool = False

    def subscribe(self, bus: ChangeBus) -> None:
        self.unsubscribe()
        self._bus = bus
        bus.changed.connect(self._on_changes)

    def unsubscribe(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            try:
                bus.changed.disconnect(self._on_changes)
            except (RuntimeError, TypeError):
                pass  # the bus went first

    def _on_changes(self, changes: Changes) -> None:
        if not changes.touches(*self.watched_areas):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def refresh_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:  # pragma: no cover - pages implement it
        raise NotImplementedError
