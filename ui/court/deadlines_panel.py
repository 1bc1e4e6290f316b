"""The Deadlines tab: every detention in custody, what authority holds it and until when.

Filter buttons count the rows of each bucket (overdue, today, tomorrow, this week, all)
and a court list narrows to those on one court's list (or to those with no production
scheduled). Double-click or Enter opens the record; officers schedule (or change) the
production of the row chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import Permission
from depot_app.services.court.views import DeadlineRow
from ui import theme
from ui.context import AppContext
from ui.court.deadline_model import (
    ALL,
    ALL_COURTS,
    FILTERS,
    NAME,
    NEEDS,
    NO_COURT,
    PRODUCTION,
    DeadlineModel,
)
from ui.court.words import BUCKETS

FILTER_WORDS = {**BUCKETS, ALL: "All"}
FILTER_TIPS = {
    "overdue": "Held past their authority: produce, release or record the authority now",
    "today": "Authority runs out before midnight tonight",
    "tomorrow": "Authority runs out tomorrow: these must go to court by then",
    "this_week": "Authority runs out within the next seven days (after tomorrow)",
    ALL: "Everyone in custody, soonest to run out first",
}
EMPTY = {
    "overdue": "Nobody is held past their authority.",
    "today": "No authority runs out today.",
    "tomorrow": "No authority runs out tomorrow.",
    "this_week": "No authority runs out later this week.",
    ALL: "Nobody is in custody.",
}


class DeadlinesPanel(QWidget):
    sig_open_detainee = Signal(int)
    sig_schedule_requested = Signal(object)  # the DeadlineRow

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        for key in FILTERS:
            button = QPushButton(FILTER_WORDS[key])
            button.setCheckable(True)
            button.setToolTip(FILTER_TIPS[key])
            button.clicked.connect(lambda _=False, k=key: self.set_bucket(k))
            self.filter_group.addButton(button)
            self.filter_buttons[key] = button
            bar.addWidget(button)
        bar.addSpacing(18)
        court_label = QLabel("C&ourt")
        self.court = QComboBox()
        self.court.setMinimumWidth(260)
        self.court.setToolTip("Only those on one court's list, or those with no production "
                              "scheduled")
        court_label.setBuddy(self.court)
        self.court.addItem("All courts", ALL_COURTS)
        self.court.addItem("No production scheduled", NO_COURT)
        self.court.currentIndexChanged.connect(self._court_changed)
        bar.addWidget(court_label)
        bar.addWidget(self.court)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.model = DeadlineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setFrameShape(QFrame.Shape.StyledPanel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setToolTip("Double-click or Enter opens the record")
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.hide()
        layout.addWidget(self.empty)

        actions = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("muted")
        actions.addWidget(self.count, 1)
        self.open_button = QPushButton("Open record")
        self.open_button.clicked.connect(self.open_selected)
        actions.addWidget(self.open_button)
        self.schedule_button: QPushButton | None = None
        if ctx.can(Permission.MANAGE_COURT):
            self.schedule_button = QPushButton("Schedule production…")
            theme.mark_primary(self.schedule_button)
            self.schedule_button.clicked.connect(self.schedule_selected)
            actions.addWidget(self.schedule_button)
        layout.addLayout(actions)
        self.loaded = False
        self._sized = False
        self.set_bucket(ALL)
        self._selection_changed()

    # -- filling --------------------------------------------------------------------

    def fill(self, rows: tuple[DeadlineRow, ...], now) -> None:
        chosen = self.selected()
        self.loaded = True
        self.model.set_rows(rows, now)
        self._fill_courts()
        self._after_filter(chosen.detention_id if chosen else None)
        if not self._sized:
            self._size_columns()  # once: a minute's reload keeps the widths (and is quick)

    def _fill_courts(self) -> None:
        current = self.court.currentData()
        self.court.blockSignals(True)
        while self.court.count() > 2:
            self.court.removeItem(2)
        for name in self.model.courts():
            self.court.addItem(name, name)
        index = self.court.findData(current)
        self.court.setCurrentIndex(max(index, 0))
        self.court.blockSignals(False)
        if index < 0 and current != ALL_COURTS:  # that court has nobody on its list now
            self.model.set_filter(court=ALL_COURTS)

    def _size_columns(self) -> None:
        if not self.model.rows:
            return
        self._sized = True
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # the first rows tell the widths well enough
        self.table.resizeColumnsToContents()
        for column, most in ((NAME, 180), (NEEDS, 250), (PRODUCTION, 400)):
            header.resizeSection(column, min(header.sectionSize(column), most))

    # -- filtering ------------------------------------------------------------------

    def set_bucket(self, bucket: str) -> None:
        bucket = bucket if bucket in FILTERS else ALL
        self.filter_buttons[bucket].setChecked(True)
        chosen = self.selected()
        self.model.set_filter(bucket=bucket)
        self._after_filter(chosen.detention_id if chosen else None)

    def set_court(self, court: str) -> None:
        """``ALL_COURTS``, ``NO_COURT`` or a court's name."""
        index = self.court.findData(court)
        self.court.setCurrentIndex(max(index, 0))

    def _court_changed(self) -> None:
        chosen = self.selected()
        self.model.set_filter(court=self.court.currentData() or ALL_COURTS)
        self._after_filter(chosen.detention_id if chosen else None)

    def _after_filter(self, keep: int | None) -> None:
        counts = self.model.counts()
        for key, button in self.filter_buttons.items():
            button.setText(f"{FILTER_WORDS[key]} ({counts[key]:,})")
        overdue = self.filter_buttons["overdue"]
        overdue.setStyleSheet(f"color: {theme.DANGER}; font-weight: 600;"
                              if counts["overdue"] else "")
        shown = len(self.model.shown)
        self.table.setVisible(bool(shown))
        self.empty.setText("Reading the deadlines…" if not self.loaded else
                           EMPTY[self.model.bucket] if self.model.rows else
                           "Nobody is in custody.")
        self.empty.setVisible(not shown)
        court = self.court.currentText() if self.model.court != ALL_COURTS else ""
        self.count.setText(f"{shown:,} shown" + (f" · {court}" if court else ""))
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._selection_changed()

    # -- the row chosen -------------------------------------------------------------

    def selected(self) -> DeadlineRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_detention(self, detention_id: int) -> bool:
        row = self.model.row_of(detention_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _selection_changed(self, *_args) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        if self.schedule_button is not None:
            self.schedule_button.setEnabled(row is not None)
            self.schedule_button.setText("Change production…" if row is not None
                                         and row.production_id is not None
                                         else "Schedule production…")

    def _activated(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.sig_open_detainee.emit(row.detention_id)

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.sig_open_detainee.emit(row.detention_id)

    def schedule_selected(self) -> None:
        row = self.selected()
        if row is not None and self.ctx.can(Permission.MANAGE_COURT):
            self.sig_schedule_requested.emit(row)
