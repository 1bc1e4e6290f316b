"""Today at a glance: the custody deadlines first (overdue, due today, tomorrow, later this
week, not yet scheduled, and the productions this week per court), then counts as tiles,
medical alerts, who is held where, and the latest admissions. A deadline tile opens the
Court area's deadlines (``sig_open_deadlines`` with the bucket).

The medical tiles and the list of overdue admission screenings carry outcomes only (who
is late for a screening, who must be isolated or escorted), never a diagnosis: every role
sees them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.readmodels import DashboardView
from depot_app.services.court.views import DeadlineSummary
from depot_app.services.medical.views import BoardRow
from ui import format as fmt
from ui import theme
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.dashboard.tiles import CourtsTile, Tile
from ui.medical.board_page import due_words
from ui.operations import dashboard as ops
from ui.widgets.page import page_header
from ui.widgets.record import Card
from ui.widgets.reloader import Reloader
from ui.widgets.tables import fill_counts, list_table

PERIODIC_REFRESH_MS = 60 * 1000  # "today" and "overdue" move on even when nothing is written
ID_ROLE = Qt.ItemDataRole.UserRole
TILES_PER_ROW = 8
SCREENING_ROWS_SHOWN = 4  # more scroll; the Medical page has them all
COURT_ROWS_SHOWN = 3  # the Court area lists them all
# The deadlines' row: (key, label, tone, note). The buckets do not overlap: "later this
# week" is after tomorrow and within the seven days from today.
DEADLINE_TILES = (
    ("overdue", "Overdue", "danger", "held past authority"),
    ("today", "Due today", "warn", "authority ends"),
    ("tomorrow", "Due tomorrow", "", "authority ends"),
    ("this_week", "Later this week", "", "within 7 days"),
    ("unscheduled", "Not scheduled", "warn", "no production yet"),
)
DEADLINE_COLUMNS = len(DEADLINE_TILES)
# (key, label, tone): the day and the places on the first row; who is held, then the
# medical alerts (outcomes only) on the second.
TILES = (
    ("in_custody", "In custody", "accent"), ("admitted_today", "Admitted today", ""),
    ("left_today", "Left today", ""), ("out_of_depot", "Out of the depot", ""),
    ("capacity", "Places", ""), ("vacancies", "Vacant places", ""),
    ("unallocated", "Unallocated", "warn"), ("vulnerable", "Vulnerable", "warn"),
    ("men", "Men", ""), ("women", "Women", ""), ("boys", "Boys", ""), ("girls", "Girls", ""),
    ("screenings_overdue", "Screening late", "danger"),
    ("follow_ups_overdue", "Exams overdue", "danger"),
    ("isolation_pending", "Not yet isolated", "danger"),
    ("referrals_pending", "Awaiting escort", "warn"),
)


class DashboardPage(QWidget, ChangeAware):
    sig_open_detainee = Signal(int)
    sig_open_deadlines = Signal(str)  # the bucket: overdue, today, tomorrow, ...
    sig_loaded = Signal()

    watched_areas = frozenset({areas.DETAINEES, areas.ROLL, areas.LOCATIONS, areas.DEPOT,
                               areas.MEDICAL, areas.DEADLINES})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.view: DashboardView | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        self.subtitle = QLabel(ctx.depot.name if ctx.depot else "")
        self.subtitle.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        layout.addWidget(page_header("Dashboard", self.subtitle, self.refresh_button))

        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.deadline_tiles: dict[str, Tile] = {}
        for i, (key, label, tone, _note) in enumerate(DEADLINE_TILES):
            tile = Tile(label, tone)
            tile.set_clickable("the Court area's deadlines")
            tile.sig_clicked.connect(lambda bucket=key: self.sig_open_deadlines.emit(bucket))
            self.deadline_tiles[key] = tile
            tiles.addWidget(tile, 0, i)
        self.courts = CourtsTile("Productions this week", COURT_ROWS_SHOWN)
        tiles.addWidget(self.courts, 0, DEADLINE_COLUMNS, 1, TILES_PER_ROW - DEADLINE_COLUMNS)
        self.tiles: dict[str, Tile] = {}
        for i, (key, label, tone) in enumerate(TILES):
            tile = Tile(label, tone)
            self.tiles[key] = tile
            tiles.addWidget(tile, 1 + i // TILES_PER_ROW, i % TILES_PER_ROW)
        for column in range(TILES_PER_ROW):
            tiles.setColumnStretch(column, 1)
        layout.addLayout(tiles)

        self.screening_card = Card("Admission screening overdue")
        self.screening = list_table(["Detainee no.", "Name", "Where", "Due by", "Overdue by"],
                                    1, selectable=True)
        self.screening.itemActivated.connect(self._recent_activated)
        self.screening.setToolTip("Double-click or Enter opens the record")
        self.screening_card.body.addWidget(self.screening)
        layout.addWidget(self.screening_card)

        lists = QHBoxLayout()
        lists.setSpacing(10)
        self.by_nationality = list_table(["Nationality", "Held", "Share"], 0, selectable=True)
        self.by_block = list_table(["Block", "Held", ""], 0, selectable=True)
        self.by_block.setColumnHidden(2, True)
        self.recent = list_table(["Detainee no.", "Name", "Nationality", "Admitted"], 1,
                                 selectable=True)
        self.recent.itemActivated.connect(self._recent_activated)
        self.recent.setToolTip("Double-click or Enter opens the record")
        for title, table, stretch in (("By nationality (top 10)", self.by_nationality, 3),
                                      ("In each block", self.by_block, 2),
                                      ("Latest admissions", self.recent, 5)):
            card = Card(title, fill=True)
            card.body.addWidget(table)
            lists.addWidget(card, stretch)
        layout.addLayout(lists, 1)

        self.reloader = Reloader(self, lambda: ops.load(self.ctx), self._show,
                                 period_ms=PERIODIC_REFRESH_MS, button=self.refresh_button)
        self.subscribe(ctx.bus)
        self.refresh()

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self.reloader.refresh()

    def _show(self, view: DashboardView) -> None:
        self.view = view
        self.subtitle.setText(f"{view.depot_name} · as of {fmt.when(view.as_of)} "
                              "(Malaysian time)")
        t = self.tiles
        t["in_custody"].set(view.in_custody)
        t["admitted_today"].set(view.admitted_today)
        t["left_today"].set(view.left_today)
        t["capacity"].set(view.capacity, fmt.plural(view.cells_out_of_service,
                                                    "cell out of service", "cells out of service")
                          if view.cells_out_of_service else "")
        t["vacancies"].set(view.vacancies)
        t["out_of_depot"].set(view.out_of_depot, "court, hospital, embassy")
        t["men"].set(view.men)
        t["women"].set(view.women)
        t["boys"].set(view.boys)
        t["girls"].set(view.girls)
        t["unallocated"].set(view.unallocated, "at reception, no cell yet")
        t["vulnerable"].set(view.vulnerable, "minor, pregnant, disabled")
        t["screenings_overdue"].set(len(view.screenings_overdue), "admission screening overdue")
        t["follow_ups_overdue"].set(view.follow_ups_overdue, "examinations past due")
        t["isolation_pending"].set(view.isolation_pending, "no isolation cell yet")
        t["referrals_pending"].set(view.referrals_pending, "to hospital")
        self._fill_screening(view.screenings_overdue, view)
        if view.deadlines is not None:
            self._fill_deadlines(view.deadlines)
        fill_counts(self.by_nationality, view.by_nationality, view.in_custody)
        fill_counts(self.by_block, view.by_block, 0)
        self.recent.setRowCount(len(view.recent_admissions))
        for r, row in enumerate(view.recent_admissions):
            for c, text in enumerate((row.detainee_no, row.full_name, row.nationality_name,
                                      fmt.when(row.admitted_at))):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.id)
                self.recent.setItem(r, c, item)
        self.sig_loaded.emit()

    def _fill_screening(self, rows: tuple[BoardRow, ...], view: DashboardView) -> None:
        """The overdue screenings, the most overdue first; when there are none, the card
        is its title alone."""
        card, table = self.screening_card, self.screening
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.detainee_no, row.full_name, row.location,
                                      fmt.when(row.when),
                                      due_words(row.when, view.as_of).removeprefix(
                                          "Overdue by "))):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.detention_id)
                if c >= 3:
                    item.setForeground(QBrush(QColor(theme.DANGER)))
                table.setItem(r, c, item)
        table.setVisible(bool(rows))
        _fit_rows(table, SCREENING_ROWS_SHOWN)
        if rows:
            card.title.setText(f"Admission screening overdue · {len(rows)}")
            card.title.setStyleSheet(f"color: {theme.DANGER};")
        else:
            card.title.setText("Admission screening overdue: none")
            card.title.setStyleSheet("")

    def _fill_deadlines(self, s: DeadlineSummary) -> None:
        for key, _label, _tone, note in DEADLINE_TILES:
            self.deadline_tiles[key].set(getattr(s, key), note)
        self.courts.set_lines([(c.court, c.today, c.tomorrow, c.this_week) for c in s.courts],
                              "None scheduled.")

    def _recent_activated(self, item: QTableWidgetItem) -> None:
        detention_id = item.data(ID_ROLE)
        if detention_id is not None:
            self.sig_open_detainee.emit(int(detention_id))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.reloader.stop()
        self.unsubscribe()


def _fit_rows(table: QTableWidget, most: int) -> None:
    """The table as tall as its rows, up to ``most`` of them (then it scrolls)."""
    shown = min(table.rowCount(), most)
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(shown))
    table.setFixedHeight(height + 2)
