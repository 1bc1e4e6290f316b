"""The right side of the headcount screen: what is being counted, the big figures, the
answer to the last scan, and the entries (or the resolution step, or a word on what to do).

It only shows: :class:`~ui.custody.headcount_page.HeadcountPage` runs the operations and
connects the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depot_app.readmodels import CountDueView, HeadcountView
from ui import format as fmt
from ui import theme
from ui.custody import count_model as cm
from ui.custody.count_parts import Figure, ScanMessage
from ui.custody.due import due_words, last_counted_words
from ui.custody.resolutions import ResolutionPanel

ENTRIES, RESOLVING, NOTHING = range(3)


class CountPanel(QWidget):
    def __init__(self, can_count: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.can_count = can_count
        self.can_print = True
        right = QVBoxLayout(self)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(8)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(1)
        self.count_title = QLabel("Choose a block")
        self.count_title.setObjectName("sectionTitle")
        self.count_by = QLabel()
        self.count_by.setObjectName("muted")
        titles.addWidget(self.count_title)
        titles.addWidget(self.count_by)
        top.addLayout(titles, 1)
        self.start_button = QPushButton("Start count")
        theme.mark_primary(self.start_button)
        self.close_button = QPushButton("Close count…")
        self.close_button.setToolTip("Give a resolution for every discrepancy and close")
        self.print_button = QPushButton("Print sheet")
        self.print_button.setToolTip("The count on A4: a sheet to tick while it is open, the "
                                     "record once it is closed")
        top.addWidget(self.print_button)
        top.addWidget(self.start_button)
        top.addWidget(self.close_button)
        right.addLayout(top)

        figures = QHBoxLayout()
        figures.setSpacing(8)
        self.expected_figure = Figure("Expected")
        self.counted_figure = Figure("Counted")
        self.missing_figure = Figure("Missing", "warn")
        self.unexpected_figure = Figure("Unexpected", "error")
        self.figures = (self.expected_figure, self.counted_figure, self.missing_figure,
                        self.unexpected_figure)
        for figure in self.figures:
            figures.addWidget(figure, 1)
        right.addLayout(figures)

        self.message = ScanMessage()
        right.addWidget(self.message)

        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_entries())
        self.resolution = ResolutionPanel()
        self.stack.addWidget(self.resolution)
        self.nothing = QLabel()
        self.nothing.setWordWrap(True)
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.setStyleSheet(f"color: {theme.MUTED}; font-size: 12pt;")
        self.stack.addWidget(self.nothing)

    def _build_entries(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        self.show_combo = QComboBox()
        self.show_combo.addItems(cm.SHOW_WORDS)
        bar.addWidget(self.show_combo)
        bar.addStretch(1)
        self.number = QLineEdit()
        self.number.setPlaceholderText("No card? Type the no. + Enter")
        self.number.setToolTip("A card that will not scan: type the detainee number and press "
                               "Enter (recorded as ticked by hand)")
        self.number.setMinimumWidth(210)
        bar.addWidget(self.number)
        self.hand_button = QPushButton("Tick by hand")
        self.hand_button.setToolTip("Count the selected detainees without their cards (shown "
                                    "as “by hand”)")
        self.untick_button = QPushButton("Undo tick")
        self.untick_button.setToolTip("Uncount the selected detainee (a tick made by mistake)")
        bar.addWidget(self.hand_button)
        bar.addWidget(self.untick_button)
        column.addLayout(bar)

        self.model = cm.CountEntriesModel(self)
        self.proxy = cm.CountFilter(self)
        self.proxy.setSourceModel(self.model)
        self.show_combo.currentIndexChanged.connect(self.proxy.set_mode)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(cm.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(cm.RESOLUTION, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        return box

    # -- showing --------------------------------------------------------------------

    def show_count(self, view: HeadcountView | None, due: CountDueView | None) -> None:
        """The count (None: none open for the block ``due`` describes)."""
        selected = self.selected_ids()
        self.model.set_view(view)
        self._reselect(selected)
        is_open = view is not None and view.status == "open"
        self.table.setColumnHidden(cm.RESOLUTION, is_open)
        self.table.setColumnHidden(cm.CELL, view is not None and not is_open)  # room for words
        self.table.setWordWrap(not is_open)  # a closed count's resolutions, in full
        if view is not None and not is_open:
            self.table.resizeRowsToContents()
        self._show_figures(view)
        self._show_title(view, due)
        if view is None:
            self.stack.setCurrentIndex(NOTHING)
        elif self.stack.currentIndex() == RESOLVING and is_open:
            self.resolution.set_entries(view.missing, view.unexpected)
        else:
            self.stack.setCurrentIndex(ENTRIES)
        if not self.message.text() or self.message.tone == "hint":
            self.message.say("Scan each detainee's card: every scan is counted here." if is_open
                             else "Start a count, then scan each detainee's card."
                             if view is None or not self.can_count else
                             "This count is closed. Start a new count to count again.",
                             "hint")

    def _show_title(self, view: HeadcountView | None, d: CountDueView | None) -> None:
        if view is None:
            block = d.block_name if d else ""
            self.count_title.setText(f"{block}: no count open" if d else "Choose a block")
            self.count_by.setText(f"{due_words(d)}." if d else "")
            self.count_by.setToolTip("")
            last = last_counted_words(d) if d else ""
            self.nothing.setText(
                (f"No count is open for {block}.\nLast counted: {last.lower()}." if d else
                 "Choose a block on the left.") if self.can_count else
                "Only wardens and officers may count.")
            return
        if view.status == "open":
            self.count_title.setText(f"{view.block_name}: count open")
            self.count_by.setText(f"Started {fmt.when(view.started_at)} by {view.started_by}")
        else:
            self.count_title.setText(f"{view.block_name}: count closed")
            self.count_by.setText(f"Closed {fmt.when(view.closed_at)} by {view.closed_by}")
        self.count_by.setToolTip(f"Started {fmt.when(view.started_at)} by {view.started_by}"
                                 + (f"; closed {fmt.when(view.closed_at)} by {view.closed_by}"
                                    if view.closed_at else ""))

    def _show_figures(self, view: HeadcountView | None) -> None:
        if view is None:
            for figure in self.figures:
                figure.set(None)
            return
        is_open = view.status == "open"
        away = ", ".join(sorted({e.location.removeprefix("Out: ") for e in view.away}))
        self.expected_figure.set(view.expected, f"+{len(view.away)} out ({away})"
                                 if view.away else "")
        missing = len(view.missing)
        # Of those expected; the unexpected apart (and anyone back from court since the start)
        counted = sum(1 for e in view.entries if e.expected and e.counted_at is not None)
        by_hand = sum(1 for e in view.entries if e.counted_by == "hand")
        self.counted_figure.set(counted, f"{by_hand} by hand" if by_hand else "",
                                "ok" if view.expected and not missing else None)
        # While the count is open, those not seen yet are not missing: not yet counted.
        self.missing_figure.label.setText("Not yet counted" if is_open else "Missing")
        self.missing_figure.set(missing, "", "error" if missing and not is_open else None)
        self.unexpected_figure.set(len(view.unexpected),
                                   "reason needed to close" if is_open and view.unexpected
                                   else "")

    def update_actions(self, view: HeadcountView | None, block_chosen: bool,
                       printing: bool = False) -> None:
        is_open = view is not None and view.status == "open"
        self.print_button.setVisible(self.can_print and view is not None)
        self.print_button.setEnabled(not printing)
        self.start_button.setVisible(self.can_count and not is_open)
        self.start_button.setEnabled(block_chosen)
        self.start_button.setText("Start a new count" if view is not None else "Start count")
        self.close_button.setVisible(self.can_count and is_open)
        self.close_button.setEnabled(self.stack.currentIndex() != RESOLVING)
        self.number.setEnabled(self.can_count and is_open)
        for widget in (self.number, self.hand_button, self.untick_button):
            widget.setVisible(self.can_count and (is_open or view is None))
        kinds = self.selected_kinds()
        self.hand_button.setEnabled(is_open and bool(kinds & {cm.NOT_COUNTED, cm.AWAY}))
        self.untick_button.setEnabled(is_open and bool(kinds & {cm.COUNTED, cm.UNEXPECTED}))

    # -- rows -----------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        return [index.data(cm.ID_ROLE) for index in self.table.selectionModel().selectedRows()]

    def selected_kinds(self) -> set[str]:
        return {index.data(cm.KIND_ROLE) for index in self.table.selectionModel().selectedRows()}

    def proxy_index(self, detention_id: int) -> QModelIndex | None:
        row = self.model.row_of(detention_id)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        return index if index.isValid() else None

    def _reselect(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for detention_id in ids:
            index = self.proxy_index(detention_id)
            if index is not None:
                selection.select(index, flags)

    def point_at(self, detention_id: int) -> None:
        """Flash the row and scroll it into view (the selection is left alone: it is the
        warden's, for a tick by hand)."""
        self.model.flash(detention_id)
        index = self.proxy_index(detention_id)
        if index is not None:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
