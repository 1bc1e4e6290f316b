"""Building blocks for record cards: titled cards, label/value grids, small fixed tables."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.text import leave_room_for_marks


class Card(QFrame):
    """A white panel with a heading; put content in ``body``."""

    def __init__(self, title: str, parent: QWidget | None = None, *, fill: bool = False):
        """``fill``: the content takes the card's spare height (a list); otherwise the
        spare height goes below it, so a short card keeps its heading at the top."""
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        layout.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        layout.addLayout(self.body, 1 if fill else 0)
        if not fill:
            layout.addStretch(1)


class FactGrid(QWidget):
    """Label/value pairs in two columns; empty values show a dash.

    Values are not mouse-selectable: a selectable QLabel draws through a text document
    that clips stacked accents (see :mod:`ui.widgets.text`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(5)
        self.grid.setColumnStretch(1, 1)
        self._values: dict[str, QLabel] = {}

    def set_facts(self, facts: Sequence[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._values.clear()
        for row, (label, value) in enumerate(facts):
            name = QLabel(label)
            name.setObjectName("muted")
            shown = QLabel(value or "—")
            shown.setWordWrap(True)
            leave_room_for_marks(shown)  # NGUYỄN, not NGUYÊN
            name.setMinimumHeight(shown.minimumHeight())
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(shown, row, 1)
            self._values[label] = shown

    def value(self, label: str) -> str:
        return self._values[label].text()


class SmallTable(QTableWidget):
    """A read-only table sized to its rows (no inner scroll bar), with an empty text."""

    def __init__(self, headers: Sequence[str], empty_text: str, parent: QWidget | None = None,
                 stretch_column: int = -1):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch_column >= 0:
            header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("muted")

    def set_rows(self, rows: Sequence[Sequence[str]], tooltips: Sequence[str] = ()) -> None:
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                tip = tooltips[r] if r < len(tooltips) and tooltips[r] else value
                if tip:
                    item.setToolTip(tip)  # the whole text, when a column cuts it short
                self.setItem(r, c, item)
        self.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        height = self.horizontalHeader().sizeHint().height() + 24 * len(rows) + 4
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)

    def add_to(self, layout) -> None:
        layout.addWidget(self)
        layout.addWidget(self.empty)
