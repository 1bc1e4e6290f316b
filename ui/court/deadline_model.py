"""The deadline list as a table model: every detention in custody, soonest to run out first,
narrowed to one bucket (overdue, today, tomorrow, this week) and one court.

The service hands the whole list at once (20,000 rows in well under a second), so the model
keeps the frozen rows and draws each cell when asked; filtering only picks which of them
show. Overdue rows carry the danger tone on their expiry and state, rows due soon the
warning tone; a production after the expiry is flagged in the danger tone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from depot_app.authority import AUTHORITY_WORDS, DUE_SOON, OVERDUE
from depot_app.clock import to_local
from depot_app.services.court.views import DeadlineRow
from ui import format as fmt
from ui import theme
from ui.court import words

# What an officer reads at a glance comes first: who, until when, what must happen, when
# they go to court; the rest follows (scrolled to on a narrow screen).
COLUMNS = ("Detainee no.", "Name", "Valid until", "State", "What must happen",
           "Next production", "Section", "Authority", "Nationality", "Where")
(NUMBER, NAME, UNTIL, STATE, NEEDS, PRODUCTION, SECTION, AUTHORITY, NATIONALITY,
 WHERE) = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

ALL = "all"
FILTERS = ("overdue", "today", "tomorrow", "this_week", ALL)
ALL_COURTS, NO_COURT = "", "\x00none"  # the court filter's "every court" and "none scheduled"
NOT_SCHEDULED = "Not scheduled"

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_INK = {OVERDUE: QColor(theme.DANGER), DUE_SOON: QColor(theme.WARN_INK)}
_BG = {OVERDUE: QColor(theme.DANGER_BG), DUE_SOON: QColor(theme.WARN_BG)}
_TONED = (UNTIL, STATE)


class DeadlineModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple[DeadlineRow, ...] = ()
        self.shown: list[DeadlineRow] = []
        self.now = dt.datetime.now(dt.UTC)
        self.bucket = ALL
        self.court = ALL_COURTS
        self._bold = QFont()
        self._bold.setBold(True)

    # -- the rows and the filter ----------------------------------------------------

    def set_rows(self, rows: tuple[DeadlineRow, ...], now: dt.datetime) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.now = now
        self.shown = self._pick()
        self.endResetModel()

    def set_filter(self, bucket: str | None = None, court: str | None = None) -> None:
        if bucket is not None:
            self.bucket = bucket if bucket in FILTERS else ALL
        if court is not None:
            self.court = court
        self.beginResetModel()
        self.shown = self._pick()
        self.endResetModel()

    def _in_court(self, row: DeadlineRow) -> bool:
        if self.court == ALL_COURTS:
            return True
        if self.court == NO_COURT:
            return row.production_id is None
        return row.court == self.court

    def _pick(self) -> list[DeadlineRow]:
        return [r for r in self.rows if self._in_court(r)
                and (self.bucket == ALL or r.bucket == self.bucket)]

    def counts(self) -> dict[str, int]:
        """Rows per filter, within the chosen court."""
        counts = dict.fromkeys(FILTERS, 0)
        for r in self.rows:
            if self._in_court(r):
                counts[ALL] += 1
                if r.bucket in counts:
                    counts[r.bucket] += 1
        return counts

    def courts(self) -> list[str]:
        return sorted({r.court for r in self.rows if r.court})

    def row_at(self, row: int) -> DeadlineRow | None:
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def row_of(self, detention_id: int) -> int | None:
        return next((i for i, r in enumerate(self.shown) if r.detention_id == detention_id),
                    None)

    # -- Qt model API ---------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.shown)

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
        if not index.isValid() or not 0 <= index.row() < len(self.shown):
            return None
        row = self.shown[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.detention_id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._ink(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column in _TONED and row.state in _BG:
                return _BG[row.state]
            return None
        if role == Qt.ItemDataRole.FontRole:
            if (column in _TONED and row.state in (OVERDUE, DUE_SOON)) or \
                    (column == PRODUCTION and words.flag_late(row)):
                return self._bold
            return None
        return None

    def text(self, row: DeadlineRow, column: int) -> str:
        if column == NUMBER:
            return row.detainee_no
        if column == NAME:
            return row.full_name
        if column == NATIONALITY:
            return words.nationality(row.nationality)
        if column == WHERE:
            return row.location
        if column == SECTION:
            return row.section or "—"
        if column == AUTHORITY:
            return words.authority(row)
        if column == UNTIL:
            return fmt.when(row.valid_until)
        if column == NEEDS:
            return row.needs
        if column == STATE:
            return words.state(row, self.now)
        if column == PRODUCTION:
            text = words.next_production(row, to_local(self.now).date())
            if not text and row.state != "ok":
                return NOT_SCHEDULED
            return text
        return ""

    def _tip(self, row: DeadlineRow, column: int) -> str | None:
        if column in (SECTION, AUTHORITY, UNTIL):
            ref = f"{AUTHORITY_WORDS.get(row.authority, row.authority)} {row.reference}"
            return "\n".join(x for x in (row.rests_on, ref.strip() if row.reference else "")
                             if x) or None
        if column == PRODUCTION and words.flag_late(row):
            return (f"The production is after the authority runs out "
                    f"({fmt.when(row.valid_until)}): bring it forward")
        if column == NEEDS:
            return row.needs
        return None

    def _ink(self, row: DeadlineRow, column: int) -> QColor | None:
        if column in _TONED:
            return _INK.get(row.state)
        if column == PRODUCTION:
            if words.flag_late(row):
                return QColor(theme.DANGER)
            if row.production_at is None:
                return QColor(theme.MUTED)
        return None
