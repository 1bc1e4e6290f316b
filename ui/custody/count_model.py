"""The entries of one headcount as a table: who is expected, who is counted (when, and by
scan or by hand), who is missing and who turned up unexpected; then, greyed, those on the
block's roll who are out of the depot (not expected).

A count has at most a few hundred entries, all in the read model: the model holds them
as they are and is reset whenever a new view of the count arrives. ``flash`` lights one
row for a moment, so the warden sees which card a scan counted.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont

from depot_app.clock import format_local, to_local
from depot_app.readmodels import CountEntryView, HeadcountView
from ui import theme

COLUMNS = ["Status", "Detainee no.", "Name", "Cell", "Counted", "Resolution"]
STATE, NUMBER, NAME, CELL, COUNTED_AT, RESOLUTION = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1

COUNTED, NOT_COUNTED, MISSING, UNEXPECTED, AWAY = (
    "counted", "not counted", "missing", "unexpected", "away")
STATE_WORDS = {COUNTED: "✓ Counted", NOT_COUNTED: "Not yet counted", MISSING: "✗ Missing",
               UNEXPECTED: "⚠ Unexpected", AWAY: "Away: not expected"}
HOW_WORDS = {"scan": "scan", "hand": "by hand"}
BACKGROUND = {NOT_COUNTED: theme.WARN_BG, MISSING: "#fbe1de", UNEXPECTED: "#fbe1de"}
INK = {COUNTED: theme.OK_INK, NOT_COUNTED: theme.WARN_INK, MISSING: theme.DANGER,
       UNEXPECTED: theme.DANGER, AWAY: theme.MUTED}
# A counted row lights up for a moment in a stronger shade of its own tone: green for a
# count that adds up, red for one that does not.
FLASH = {COUNTED: "#bfe8c9", UNEXPECTED: "#f4b7b0", NOT_COUNTED: "#f5dc8c", MISSING: "#f4b7b0",
         AWAY: "#d9dee4"}
FLASH_MS = 1600

# What the filter shows.
SHOW_ALL, SHOW_NOT_COUNTED, SHOW_COUNTED, SHOW_DISCREPANCIES = range(4)
SHOW_WORDS = ("Everyone", "Not yet counted", "Counted", "Missing and unexpected")


def entry_kind(entry: CountEntryView, is_open: bool, away: bool = False) -> str:
    if away:
        return AWAY
    if entry.discrepancy == "unexpected":  # not on the roll here, or recorded as out now
        return UNEXPECTED
    if entry.counted_at is None:  # expected, or back from court since the start, unseen
        return NOT_COUNTED if is_open else MISSING
    return COUNTED


class CountEntriesModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view: HeadcountView | None = None
        self.rows: list[tuple[CountEntryView, str]] = []
        self.flashing: int | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._flash_off)

    def set_view(self, view: HeadcountView | None) -> None:
        self.beginResetModel()
        self.view = view
        if view is None:
            self.rows = []
        else:
            is_open = view.status == "open"
            self.rows = [(e, entry_kind(e, is_open)) for e in view.entries]
            self.rows += [(e, AWAY) for e in view.away]
        self.endResetModel()

    # -- reading --------------------------------------------------------------------

    def row_of(self, detention_id: int) -> int | None:
        return next((r for r, (e, _) in enumerate(self.rows) if e.detention_id == detention_id),
                    None)

    def entry(self, row: int) -> CountEntryView:
        return self.rows[row][0]

    def kind(self, row: int) -> str:
        return self.rows[row][1]

    # -- flashing -------------------------------------------------------------------

    def flash(self, detention_id: int) -> None:
        self._flash_off()
        row = self.row_of(detention_id)
        if row is None:
            return
        self.flashing = detention_id
        self._changed_row(row)
        self._flash_timer.start(FLASH_MS)

    def _flash_off(self) -> None:
        was, self.flashing = self.flashing, None
        row = self.row_of(was) if was is not None else None
        if row is not None:
            self._changed_row(row)

    def _changed_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1),
                              [Qt.ItemDataRole.BackgroundRole])

    # -- the Qt model ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        entry, kind = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, kind, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COUNTED_AT and entry.counted_at is not None:
                return format_local(entry.counted_at, with_seconds=True) + (
                    ": ticked by hand on the warden's word, not by scanning the card"
                    if entry.counted_by == "hand" else ": card scanned")
            if column == RESOLUTION and entry.resolution:
                return entry.resolution
            if column == NAME:
                return entry.full_name
            if column in (CELL, STATE):
                return f"Now: {entry.location}"
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if entry.detention_id == self.flashing:
                return QBrush(QColor(FLASH[kind]))
            colour = BACKGROUND.get(kind)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATE or kind == AWAY:
                return QBrush(QColor(INK[kind]))
            if column == COUNTED_AT and entry.counted_by == "hand":
                return QBrush(QColor(theme.WARN_INK))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if (column == STATE and kind in (MISSING, UNEXPECTED)) or \
                    (column == COUNTED_AT and entry.counted_by == "hand"):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == ID_ROLE:
            return entry.detention_id
        if role == KIND_ROLE:
            return kind
        return None

    def _cell(self, entry: CountEntryView) -> str:
        """The cell held in when the count started (an unexpected one: when seen), short
        for this block's own cells; and where they are now if they have moved since."""
        cell = entry.cell or entry.location
        block = self.view.block_name if self.view is not None else ""
        shown = cell.removeprefix(f"{block} / ") if block else cell
        moved = entry.cell and entry.location != entry.cell \
            and not entry.location.startswith("Out: ")
        return f"{shown} (now {entry.location})" if moved else shown

    def _text(self, entry: CountEntryView, kind: str, column: int) -> str:
        if column == STATE:
            if kind == AWAY and entry.location.startswith("Out: "):
                return f"Away: {entry.location[5:]}"  # at court, hospital, embassy
            return STATE_WORDS[kind]
        if column == NUMBER:
            return entry.detainee_no
        if column == NAME:
            return entry.full_name
        if column == CELL:
            return self._cell(entry)
        if column == COUNTED_AT:
            if entry.counted_at is None:
                return ""
            how = HOW_WORDS.get(entry.counted_by, entry.counted_by)
            return f"{to_local(entry.counted_at).strftime('%H:%M:%S')} · {how}"
        if column == RESOLUTION:
            return entry.resolution
        return ""


class CountFilter(QSortFilterProxyModel):
    """Everyone, those not yet counted, those counted, or the discrepancies."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mode = SHOW_ALL

    def set_mode(self, mode: int) -> None:
        self.beginFilterChange()
        self.mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,  # noqa: N802 - Qt API
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.mode == SHOW_ALL:
            return True
        model = self.sourceModel()
        kind = model.index(source_row, 0, source_parent).data(KIND_ROLE)
        if self.mode == SHOW_NOT_COUNTED:
            return kind in (NOT_COUNTED, MISSING)
        if self.mode == SHOW_COUNTED:
            return kind in (COUNTED, UNEXPECTED)
        return kind in (MISSING, UNEXPECTED, NOT_COUNTED)
