"""Today at a glance: counts as tiles, who is held where, and the latest admissions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.readmodels import DashboardView
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.dashboard.tiles import Tile
from ui.operations import dashboard as ops
from ui.widgets.page import page_header
from ui.widgets.record import Card
from ui.widgets.reloader import Reloader
from ui.widgets.tables import fill_counts, list_table

PERIODIC_REFRESH_MS = 5 * 60 * 1000  # "today" moves on even when nothing is written
ID_ROLE = Qt.ItemDataRole.UserRole


class DashboardPage(QWidget, ChangeAware):
    sig_open_detainee = Signal(int)
    sig_loaded = Signal()

    watched_areas = frozenset({areas.DETAINEES, areas.ROLL, areas.LOCATIONS, areas.DEPOT})

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
        self.tiles: dict[str, Tile] = {}
        spec = (("in_custody", "In custody", "accent"), ("admitted_today", "Admitted today", ""),
                ("left_today", "Left today", ""), ("capacity", "Places", ""),
                ("vacancies", "Vacant places", ""), ("out_of_depot", "Out of the depot", ""),
                ("men", "Men", ""), ("women", "Women", ""), ("boys", "Boys", ""),
                ("girls", "Girls", ""), ("unallocated", "Unallocated", "warn"),
                ("vulnerable", "Vulnerable", "warn"))
        for i, (key, label, tone) in enumerate(spec):
            tile = Tile(label, tone)
            self.tiles[key] = tile
            tiles.addWidget(tile, i // 6, i % 6)
        layout.addLayout(tiles)

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
