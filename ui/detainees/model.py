"""The detainee list as a lazy table model (STYLE.md §7; Anki ``browser/table/model.py``).

The model holds only the ordered list of detention ids from a search. When the view asks
for a row that is not cached, the model asks for that row's *page* (``page_size`` rows
around it) through ``request_rows`` — in the application an operation on the database
worker — and shows a placeholder until the rows arrive; then it emits ``dataChanged`` for
the page. Rows are cached by id in a bounded LRU (``max_cached``).

Every new id list or refresh bumps a *generation*. A page that arrives for an older
generation is dropped, so a slow answer can never paint rows over newer results. After
a refresh, cached rows are still shown (marked stale) while their page is fetched again,
so a refresh does not flash placeholders.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from depot_app.clock import to_local
from depot_app.readmodels import DetaineeRow
from ui import format as fmt

Deliver = Callable[[list[DetaineeRow]], None]
# Asks for rows and calls deliver later (on the GUI thread). It may return a handle with
# ``cancel()`` (a worker Job): requests made stale by new results are then cancelled.
RequestRows = Callable[[list[int], Deliver], Any]

COLUMNS = ("Detainee no.", "Name", "Sex", "Age (DOB)", "Nationality", "Location", "Status",
           "Admitted", "Flags")
ID_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the DetaineeRow, or None while loading

_PLACEHOLDER = QColor("#9aa3ad")
_FLAG_INK = QColor("#8a4b00")
_GONE_INK = QColor("#6b7785")
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class DetaineeTableModel(QAbstractTableModel):
    sig_page_loaded = Signal(int, int)  # first and last row of a page that arrived

    def __init__(self, request_rows: RequestRows, *, page_size: int = 200,
                 max_cached: int = 5000, parent=None):
        super().__init__(parent)
        self._request_rows = request_rows
        self.page_size = max(1, page_size)
        self.max_cached = max(self.page_size, max_cached)
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        # id -> (generation it was loaded in, row); None for an id the database no longer has.
        self._cache: OrderedDict[int, tuple[int, DetaineeRow | None]] = OrderedDict()
        self._generation = 0
        self._pending: dict[tuple[int, int], Any] = {}  # (generation, page) -> handle
        self.requests = 0  # pages asked for, for tests and diagnostics
        self._today = to_local(dt.datetime.now(dt.UTC)).date()

    # -- the id list ----------------------------------------------------------------

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def generation(self) -> int:
        return self._generation

    def set_ids(self, ids: Sequence[int]) -> None:
        """New search results. The same ids in the same order only refresh the rows."""
        ids = list(ids)
        if ids == self._ids:
            self.invalidate()
            return
        self.beginResetModel()
        self._ids = ids
        self._positions = None
        self._generation += 1
        self._drop_pending()
        self._today = to_local(dt.datetime.now(dt.UTC)).date()
        self.endResetModel()

    def invalidate(self) -> None:
        """The rows may have changed: fetch again what is shown, keep showing the old."""
        self._generation += 1
        self._drop_pending()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, detention_id: int) -> int | None:
        if self._positions is None:
            self._positions = {d: i for i, d in enumerate(self._ids)}
        return self._positions.get(detention_id)

    def cached_row(self, row: int) -> DetaineeRow | None:
        entry = self._cache.get(self._ids[row])
        return entry[1] if entry else None

    def is_loaded(self, row: int) -> bool:
        entry = self._cache.get(self._ids[row])
        return entry is not None and entry[0] == self._generation

    # -- Qt model API ---------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        detention_id = self._ids[index.row()]
        if role == ID_ROLE:
            return detention_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, ROW_ROLE):
            return None
        entry = self._cache.get(detention_id)
        if entry is None or entry[0] != self._generation:
            self._request(index.row())
        if entry is None:
            return self._placeholder(index.column(), role)
        self._cache.move_to_end(detention_id)
        row = entry[1]
        if role == ROW_ROLE:
            return row
        if row is None:
            return self._gone(index.column(), role)
        return _cell(row, index.column(), role, self._today)

    # -- loading --------------------------------------------------------------------

    def _request(self, row: int) -> None:
        page = row // self.page_size
        key = (self._generation, page)
        if key in self._pending:
            return
        self._pending[key] = None
        start = page * self.page_size
        ids = self._ids[start:start + self.page_size]
        generation = self._generation
        self.requests += 1
        handle = self._request_rows(ids, lambda rows: self._deliver(generation, page, ids, rows))
        if key in self._pending:  # not delivered already
            self._pending[key] = handle

    def _drop_pending(self) -> None:
        """Cancel what is still queued for an older list; it would only be dropped."""
        for handle in self._pending.values():
            if handle is not None and hasattr(handle, "cancel"):
                handle.cancel()
        self._pending.clear()

    def _deliver(self, generation: int, page: int, ids: list[int],
                 rows: list[DetaineeRow]) -> None:
        self._pending.pop((generation, page), None)
        if generation != self._generation:
            return  # stale: the list changed while this page was on its way
        found = {r.id: r for r in rows}
        for detention_id in ids:
            self._cache[detention_id] = (generation, found.get(detention_id))
            self._cache.move_to_end(detention_id)
        while len(self._cache) > self.max_cached:
            self._cache.popitem(last=False)
        first = page * self.page_size
        last = min(first + self.page_size, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
            self.sig_page_loaded.emit(first, last)

    @staticmethod
    def _placeholder(column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return _PLACEHOLDER
        if role == Qt.ItemDataRole.DisplayRole and column == 1:
            return "Loading…"
        return None

    @staticmethod
    def _gone(column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return _GONE_INK
        if role == Qt.ItemDataRole.DisplayRole and column == 1:
            return "(no longer in the database)"
        return None


def _cell(row: DetaineeRow, column: int, role: int, today: dt.date) -> Any:
    if role == Qt.ItemDataRole.ForegroundRole:
        return _FLAG_INK if column == 8 and row.flags else None
    if role == Qt.ItemDataRole.ToolTipRole:
        if column == 8 and row.flags:
            return ", ".join(row.flags)
        if column == 4:
            return f"{row.nationality_name} ({row.nationality})"
        return None
    return (
        row.detainee_no,
        row.full_name,
        fmt.SEX_SHORT.get(row.sex, row.sex),
        fmt.age_and_dob(row.date_of_birth, today),
        row.nationality_name,
        row.location,
        fmt.status(row.status),
        fmt.when(row.admitted_at),
        ", ".join(row.flags),
    )[column]
