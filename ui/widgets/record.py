"""Building blocks for record cards: titled cards, label/value grids, small fixed tables,
and the one-line confirmation shown after an action."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.text import leave_room_for_marks

ROW_HEIGHT = 24


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
    """A read-only table sized to its rows (no inner scroll bar), with an empty text.

    The columns share the table's width; there is never a horizontal scroll bar. Short
    columns (dates, numbers, kinds) keep their one-line width. The long-text columns named
    in ``wrap`` (column -> weight) wrap their text: they share what the short ones leave,
    by weight, each no wider than its longest line needs and no narrower than its longest
    word, and the rows grow to the lines. Space left over goes to ``stretch_column`` (or
    the wrapping columns, or the last one)."""

    MIN_WRAP_WIDTH = 70
    PADDING = 14  # the item's margins and grid line, beside its text

    def __init__(self, headers: Sequence[str], empty_text: str, parent: QWidget | None = None,
                 stretch_column: int = -1, wrap: Mapping[int, int] | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.wrap = dict(wrap or {})
        self.stretch_column = stretch_column
        self.setWordWrap(bool(self.wrap))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(24)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("muted")
        self._fitted_width = -1

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
        self.fit()

    def add_to(self, layout) -> None:
        layout.addWidget(self)
        layout.addWidget(self.empty)

    # -- sizing ---------------------------------------------------------------------

    def available_width(self) -> int:
        return max(self.width() - 2 * self.frameWidth(), 0)

    def fit(self) -> None:
        """Share the width among the columns, then grow the rows to their lines and the
        table to its rows."""
        width = self.available_width()
        self._fitted_width = self.width()
        for c, w in enumerate(self.column_widths(width)):
            self.setColumnWidth(c, w)
        if self.wrap:
            self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows
                            + 2 * self.frameWidth())

    def column_widths(self, width: int) -> list[int]:
        """The width of each column when the table is ``width`` wide inside its frame."""
        count = self.columnCount()
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        heads = [header.sectionSizeFromContents(c).width() for c in range(count)]
        lines = [0] * count  # the widest one-line text of each column
        words = [0] * count  # the widest word of each column
        for r in range(self.rowCount()):
            for c in range(count):
                item = self.item(r, c)
                text = item.text() if item is not None else ""
                if not text:
                    continue
                lines[c] = max(lines[c], max(metrics.horizontalAdvance(t)
                                             for t in text.splitlines()))
                if c in self.wrap:
                    words[c] = max(words[c], max((metrics.horizontalAdvance(w)
                                                  for w in text.split()), default=0))
        natural = [max(heads[c], lines[c] + self.PADDING) for c in range(count)]
        widths = list(natural)
        wrapping = [c for c in self.wrap if 0 <= c < count]
        if sum(natural) > width and wrapping:
            # The short columns keep their width; the wrapping ones share the rest.
            least = {c: min(natural[c], max(self.MIN_WRAP_WIDTH, heads[c],
                                            words[c] + self.PADDING)) for c in wrapping}
            room = max(width - sum(natural[c] for c in range(count) if c not in self.wrap),
                       sum(least.values()))
            share = _share(room, {c: self.wrap[c] for c in wrapping}, least,
                           {c: natural[c] for c in wrapping})
            for c in wrapping:
                widths[c] = share[c]
        spare = width - sum(widths)
        if spare > 0:
            takers = ([self.stretch_column] if 0 <= self.stretch_column < count
                      else wrapping or [count - 1])
            weights = {c: self.wrap.get(c, 1) for c in takers}
            total = sum(weights.values())
            given = 0
            for n, c in enumerate(takers):
                extra = spare - given if n == len(takers) - 1 else spare * weights[c] // total
                widths[c] += extra
                given += extra
        return widths

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self.fit()


def _share(room: int, weights: dict[int, int], least: dict[int, int],
           most: dict[int, int]) -> dict[int, int]:
    """``room`` among the columns by weight, each between its least and most width: what
    a column does not need goes to the others."""
    given = dict(least)
    open_ = [c for c in weights if given[c] < most[c]]
    left = room - sum(given.values())
    while left > 0 and open_:
        total = sum(weights[c] for c in open_)
        spent = 0
        for c in list(open_):
            add = max(1, left * weights[c] // total)
            add = min(add, most[c] - given[c], left - spent)
            given[c] += add
            spent += add
            if given[c] >= most[c]:
                open_.remove(c)
            if spent >= left:
                break
        left -= spent
        if spent == 0:
            break
    return given


class Notice(QLabel):
    """The confirmation beside the movement buttons: one line, shortened with "…" when
    the buttons need the room (the buttons keep their words); the whole sentence is its
    tooltip, ``text()`` and the status bar's."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self._extra = 0  # padding and border beside the text

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setToolTip(text)
        super().setText(text)
        self._extra = max(super().sizeHint().width()
                          - self.fontMetrics().horizontalAdvance(text), 0)
        self.updateGeometry()
        self._elide()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + self._extra,
                     hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(min(self.sizeHint().width(), 120), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.width() - self._extra
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(room, 0))
        if shown != QLabel.text(self):
            QLabel.setText(self, shown)
