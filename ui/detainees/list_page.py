"""Find a detainee: a debounced search box, a scope toggle and the lazy table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.services.detainees import DetaineeQuery
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.detainees.model import COLUMNS, DetaineeTableModel
from ui.operations import detainees as ops
from ui.printing.actions import CardPrintButton
from ui.widgets.page import page_header

SEARCH_DELAY_MS = 250
# Detainee no., Name (stretches), Sex, Age (DOB), Nationality, Location, Status, Admitted, Flags
COLUMN_WIDTHS = (140, 0, 40, 120, 120, 170, 95, 130, 120)
STATUS_COLUMN = 6


class DetaineeListPage(QWidget, ChangeAware):
    sig_open_requested = Signal(int)  # detention id
    sig_results_shown = Signal(int)   # how many ids the table now holds

    watched_areas = frozenset({areas.DETAINEES, areas.PERSONS, areas.LOCATIONS, areas.ROLL})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 search_delay_ms: int = SEARCH_DELAY_MS):
        super().__init__(parent)
        self.ctx = ctx
        self._search_generation = 0
        self._shown_query: DetaineeQuery | None = None
        self._go_on_result = False
        self._search_job = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        self.print_cards_button = CardPrintButton(ctx, self)  # reads table/model when pressed
        layout.addWidget(page_header("Detainees", self.count_label, self.print_cards_button))

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search by name, alias, detainee number or document number")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(420)
        bar.addWidget(self.search, 1)
        self.scope_buttons = QButtonGroup(self)
        for scope, label in (("in_custody", "&In custody"), ("all", "&All episodes")):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setProperty("scope", scope)
            self.scope_buttons.addButton(button)
            bar.addWidget(button)
        self.scope_buttons.buttons()[0].setChecked(True)
        layout.addLayout(bar)
        # A place on the roll the list is narrowed to (opened from the Roll), with its words.
        self.where = ""
        self.where_bar = QHBoxLayout()
        self.where_label = QLabel()
        self.where_label.setObjectName("banner")
        self.where_clear = QPushButton("Show everyone")
        self.where_clear.clicked.connect(lambda: self.set_where("", ""))
        self.where_bar.addWidget(self.where_label, 1)
        self.where_bar.addWidget(self.where_clear)
        layout.addLayout(self.where_bar)
        self.where_label.hide()
        self.where_clear.hide()

        self.model = DetaineeTableModel(self._request_rows, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(36)
        for column, width in enumerate(COLUMN_WIDTHS[:len(COLUMNS)]):
            if width:
                self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)

        hint = QLabel("Enter or double-click opens the record. Scanning a detainee card "
                      "opens it from anywhere.")
        hint.setObjectName("muted")
        layout.addWidget(hint)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(search_delay_ms)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._search_return)
        self.search.installEventFilter(self)
        self.scope_buttons.buttonToggled.connect(self._scope_toggled)
        self.subscribe(ctx.bus)
        self.run_search()

    # -- searching ------------------------------------------------------------------

    def query(self) -> DetaineeQuery:
        checked = self.scope_buttons.checkedButton()
        scope = checked.property("scope") if checked else "in_custody"
        return DetaineeQuery(self.search.text().strip(), scope, self.where)

    def set_where(self, where: str, words: str) -> None:
        """Narrow the list to one place of the roll ("block:A", "reception", "out:court"),
        in custody; "" shows everyone again."""
        self.where = where
        if where:  # a name typed earlier would show fewer than the roll counts
            blocked = self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(blocked)
        self.where_label.setText(f"Showing only {words}" if where else "")
        self.where_label.setVisible(bool(where))
        self.where_clear.setVisible(bool(where))
        if where:
            self.set_scope("in_custody")
        self.run_search()

    def set_scope(self, scope: str) -> None:
        for button in self.scope_buttons.buttons():
            if button.property("scope") == scope:
                button.setChecked(True)

    def _scope_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.run_search()

    def run_search(self) -> None:
        """Search now; an answer to an older search is dropped when it arrives."""
        self._debounce.stop()
        self._search_generation += 1
        generation = self._search_generation
        query = self.query()
        if query != self._shown_query:
            self.count_label.setText("Searching…")
        if self._search_job is not None:
            self._search_job.cancel()  # still queued: its answer would be dropped anyway
        self._search_job = (ops.search_ids(self.ctx, query).parent(self)
                            .finished(lambda: self._search_finished(generation))
                            .success(lambda ids: self._show_results(generation, query, ids))
                            .run_in_background())

    def _search_finished(self, generation: int) -> None:
        if generation == self._search_generation:
            self._search_job = None
            if self.count_label.text() == "Searching…":  # failed: say what is shown
                self.count_label.setText(_count_words(self.model.rowCount(), self._shown_query)
                                         if self._shown_query else "")

    def _show_results(self, generation: int, query: DetaineeQuery, ids: list[int]) -> None:
        if generation != self._search_generation:
            return  # a newer search is under way or done
        selected = self.selected_id()
        self.model.set_ids(ids)
        self._shown_query = query
        # Everyone in custody has the same status: the column only speaks for "All".
        self.table.setColumnHidden(STATUS_COLUMN, query.scope == "in_custody")
        self.count_label.setText(_count_words(len(ids), query))
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectRow(row)
        self.sig_results_shown.emit(len(ids))
        if self._go_on_result:
            self._go_on_result = False
            self._go_to_results()

    def refresh(self) -> None:
        self.run_search()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    # -- rows and opening -----------------------------------------------------------

    def _request_rows(self, ids: list[int], deliver):
        return ops.rows(self.ctx, ids).parent(self).success(deliver).run_in_background()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.id_at(rows[0].row()) if rows else None

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_open_requested.emit(self.model.id_at(index.row()))

    def _search_return(self) -> None:
        """Return in the search box: one match opens; several move to the table."""
        if self._debounce.isActive():
            self._go_on_result = True
            self.run_search()
        else:
            self._go_to_results()

    def _go_to_results(self) -> None:
        if self.model.rowCount() == 1:
            self.sig_open_requested.emit(self.model.id_at(0))
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.table.setFocus()
                if not self.selected_id():
                    self.table.selectRow(0)
                return True
        return False

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def close_page(self) -> None:
        self.unsubscribe()


def _count_words(n: int, query: DetaineeQuery) -> str:
    if query.text:
        where = "in custody" if query.scope == "in_custody" else "in all episodes"
        return f"{fmt.count(n)} found {where} for “{query.text}”"
    if query.scope == "in_custody":
        return f"{fmt.count(n)} in custody"
    return f"{fmt.plural(n, 'custody episode')}, past and present"
