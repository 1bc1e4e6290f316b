"""The establishment roll, live: every block, reception and the depot total with each figure
of the roll, everyone held by nationality, and when each block's next headcount is due.

The figures are the roll service's own (``depot_app.services.roll``), so the screen, the
printed roll and ``depot roll`` agree. The page reloads on the worker whenever the roll
changes, here or at another workstation, and every minute while it is on screen (a count
falls due without anything being written).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.readmodels import CountDueView, CountLine, RollLine
from depot_app.services.places import AWAY_REASONS
from depot_app.services.roll import RECEPTION, TOTAL
from ui import format as fmt
from ui import theme
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.custody.due import due_state, due_words, last_counted_words, tone_item
from ui.operations import custody as ops
from ui.operations.custody import RollScreen
from ui.printing.actions import can_print
from ui.printing.runner import PrintRunner
from ui.widgets.page import page_header
from ui.widgets.record import Card
from ui.widgets.reloader import Reloader
from ui.widgets.tables import fill_counts, list_table

PERIODIC_REFRESH_MS = 60 * 1000
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ZERO_INK = "#a3adb8"
OVER_BG = "#fdecea"
TOTAL_BG = theme.ACCENT_SOFT

# (key, heading, tooltip); "out:<label>" columns are added for each away reason.
BEFORE_OUT = (
    ("name", "Block", "Each block, reception (detainees with no cell yet) and the depot"),
    ("on_roll", "On\nroll", "Everyone on the roll: in a cell, out of the depot with their "
                            "place kept, and unallocated"),
    ("capacity", "Capacity", "Places in the cells in service"),
    ("in_cell", "In\ncell", "In the block's cells now"),
)
AFTER_OUT = (
    ("out", "Out\ntotal", "Out of the depot (court, hospital, embassy) with their place kept"),
    ("unallocated", "Unallo-\ncated", "In reception with no cell yet"),
    ("vacancies", "Vacant\nplaces", "Free places in cells in service (a place kept for "
                                    "someone out is not free)"),
    ("over_capacity", "Over\ncapacity", "Detainees beyond capacity in overcrowded cells "
                                        "(held there on an officer's override)"),
    ("cells_out_of_service", "Cells out\nof service", "Cells taken out of service"),
    ("men", "Men", "Adult men"),
    ("women", "Women", "Adult women"),
    ("boys", "Boys", "Boys under 18"),
    ("girls", "Girls", "Girls under 18"),
)
NOT_FOR_RECEPTION = {"capacity", "in_cell", "vacancies", "over_capacity",
                     "cells_out_of_service"}


def _out_key(label: str) -> str:
    return f"out:{label}"


def _value(line: RollLine, key: str) -> int:
    if key.startswith("out:"):
        label = key[4:]
        return next((c.count for c in line.out_by_reason if c.label == label), 0)
    return int(getattr(line, key))


def _number_item(n: int | None) -> QTableWidgetItem:
    item = QTableWidgetItem("–" if n is None else fmt.count(n))
    item.setTextAlignment(RIGHT)
    if not n:
        item.setForeground(QBrush(QColor(ZERO_INK)))
    return item


class RollPage(QWidget, ChangeAware):
    sig_loaded = Signal()
    sig_open_where = Signal(str, str)  # a place of the roll to list by name, and its words
    sig_print_finished = Signal(object)  # the PrintJob, or None (cancelled or failed)

    watched_areas = frozenset({areas.ROLL, areas.LOCATIONS, areas.DEPOT, areas.SETTINGS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.current: RollScreen | None = None
        self.columns: list[tuple[str, str, str]] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.subtitle = QLabel(ctx.depot.name if ctx.depot else "")
        self.subtitle.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("The roll also refreshes by itself whenever a movement "
                                       "is recorded at any workstation")
        self.refresh_button.clicked.connect(self.refresh)
        self.runner: PrintRunner | None = None
        self.print_button = QPushButton("Print roll")
        self.print_button.setToolTip("The roll as it stands now on A4 landscape, with a "
                                     "document serial, to preview and print")
        self.print_button.clicked.connect(self.print_roll)
        layout.addWidget(page_header("Establishment roll", self.subtitle,
                                     self.print_button, self.refresh_button))
        if not can_print(ctx):
            self.print_button.hide()

        self.table = QTableWidget(0, 0)
        self.table.setToolTip("Double-click a block to list who is on its roll")
        self.table.cellDoubleClicked.connect(self._open_where)
        self.table.setObjectName("rollTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout.addWidget(self.table, 1)

        self.over_banner = QLabel()
        self.over_banner.setObjectName("banner")
        self.over_banner.setWordWrap(True)
        self.over_banner.hide()
        layout.addWidget(self.over_banner)

        lists = QHBoxLayout()
        lists.setSpacing(10)
        self.by_nationality = list_table(["Nationality", "Held", "Share"], 0)
        self.due = list_table(["Block", "Last counted", "Next headcount"], 2)
        self.due_card = Card("Headcounts", fill=True)
        self.due_card.body.addWidget(self.due)
        nationality_card = Card("By nationality", fill=True)
        nationality_card.body.addWidget(self.by_nationality)
        lists.addWidget(nationality_card, 2)
        lists.addWidget(self.due_card, 3)
        layout.addLayout(lists, 1)

        self.reloader = Reloader(self, lambda: ops.load_roll(self.ctx), self._show,
                                 period_ms=PERIODIC_REFRESH_MS, button=self.refresh_button)
        self.subscribe(ctx.bus)
        self.refresh()

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self.reloader.refresh()

    # -- showing --------------------------------------------------------------------

    def _show(self, screen: RollScreen) -> None:
        self.current = screen
        view = screen.roll
        self.subtitle.setText(f"{view.depot_name} · as of {fmt.when(view.as_of)} (Malaysian "
                              f"time) · {fmt.plural(view.total.on_roll, 'detainee')} on the "
                              "roll")
        lines = (*view.blocks, view.total)
        self._set_columns(lines)
        self._fill_roll(lines)
        self._fill_banner(view.total)
        self._fill_nationality(view.by_nationality, view.total.on_roll)
        self._fill_due(screen.due)
        self.sig_loaded.emit()

    def _set_columns(self, lines: tuple[RollLine, ...]) -> None:
        labels = list(AWAY_REASONS.values())
        for line in lines:
            labels += [c.label for c in line.out_by_reason if c.label not in labels]
        out = [(_out_key(label), f"Out:\n{label.lower()}", f"Out of the depot: {label.lower()}")
               for label in labels]
        columns = [*BEFORE_OUT, *out, *AFTER_OUT]
        if columns == self.columns:
            return
        self.columns = columns
        self.table.setColumnCount(len(columns))
        for c, (_, heading, tip) in enumerate(columns):
            item = QTableWidgetItem(heading)
            item.setToolTip(tip)
            self.table.setHorizontalHeaderItem(c, item)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(48)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def column(self, key: str) -> int:
        return next(i for i, (k, _, _) in enumerate(self.columns) if k == key)

    def where_at(self, row: int, column: int) -> tuple[str, str] | None:
        """The place of the roll a cell of the table stands for, to list by name: a block's
        roll, reception, or (on the total line) those out, by reason."""
        lines = getattr(self, "_lines", ())
        if not 0 <= row < len(lines) or not self.columns:
            return None
        line, key = lines[row], self.columns[column][0]
        if line.key == TOTAL:
            if key == "out":
                return "out", "those out of the depot"
            if key.startswith("out:"):
                reason = next((r for r, label in AWAY_REASONS.items() if label == key[4:]), "")
                return (f"out:{reason}", f"those out at {key[4:].lower()}") if reason else None
            return None
        if line.key == RECEPTION:
            return "reception", "reception (no cell yet)"
        return f"block:{line.key}", f"the roll of {line.name}"

    def _open_where(self, row: int, column: int) -> None:
        found = self.where_at(row, column)
        if found is not None:
            self.sig_open_where.emit(*found)

    def _fill_roll(self, lines: tuple[RollLine, ...]) -> None:
        self._lines = lines
        table = self.table
        table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            reception = line.key == RECEPTION
            total = line.key == TOTAL
            name = QTableWidgetItem("Depot total" if total else
                                    "Reception" if reception else line.name)
            name.setToolTip(f"{line.name}: {fmt.plural(line.cells, 'cell')}"
                            if not reception else "Reception: detainees with no cell yet")
            table.setItem(r, 0, name)
            for c, (key, _, _) in enumerate(self.columns[1:], start=1):
                n = None if reception and key in NOT_FOR_RECEPTION else _value(line, key)
                table.setItem(r, c, _number_item(n))
            if line.over_capacity:
                self._flag_overcrowded(r, line)
            if total:
                for c in range(table.columnCount()):
                    item = table.item(r, c)
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    if not line.over_capacity or c != self.column("over_capacity"):
                        item.setBackground(QBrush(QColor(TOTAL_BG)))
        self._fit_height()

    def _flag_overcrowded(self, row: int, line: RollLine) -> None:
        cells = "\n".join(f"  {c}" for c in line.overcrowded_cells)
        tip = (f"{fmt.plural(line.over_capacity, 'detainee')} beyond capacity in "
               f"{fmt.plural(len(line.overcrowded_cells), 'overcrowded cell')}:\n{cells}")
        for c in (0, self.column("over_capacity")):
            item = self.table.item(row, c)
            item.setToolTip(tip)
        item = self.table.item(row, self.column("over_capacity"))
        item.setText(f"⚠ {fmt.count(line.over_capacity)}")
        item.setBackground(QBrush(QColor(OVER_BG)))
        item.setForeground(QBrush(QColor(theme.DANGER)))
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)

    def _fit_height(self) -> None:
        """The roll table is as tall as its lines (the lists below get the rest)."""
        table = self.table
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        if table.horizontalScrollBar().isVisible():
            height += table.horizontalScrollBar().sizeHint().height()
        table.setMaximumHeight(height + 2)

    def _fill_banner(self, total: RollLine) -> None:
        parts = []
        if total.over_capacity:
            parts.append(f"⚠ Over capacity: {fmt.plural(total.over_capacity, 'detainee')} "
                         f"beyond the places in {', '.join(total.overcrowded_cells)}.")
        if total.held_out_of_service:
            parts.append(f"⚠ Still held in cells out of service: "
                         f"{fmt.plural(total.held_out_of_service, 'detainee')} in "
                         f"{', '.join(total.closed_cells)}: move them.")
        self.over_banner.setText("\n".join(parts))
        self.over_banner.setVisible(bool(parts))

    def _fill_nationality(self, lines: tuple[CountLine, ...], on_roll: int) -> None:
        fill_counts(self.by_nationality, lines, on_roll)

    def _fill_due(self, due: tuple[CountDueView, ...]) -> None:
        table = self.due
        table.setRowCount(len(due))
        overdue = 0
        for r, d in enumerate(due):
            state = due_state(d)
            overdue += d.overdue
            table.setItem(r, 0, QTableWidgetItem(d.block_name))
            table.setItem(r, 1, QTableWidgetItem(last_counted_words(d)))
            table.setItem(r, 2, tone_item(QTableWidgetItem(due_words(d)), state))
        self.due_card.title.setText(
            "Headcounts" + (f" · {overdue} overdue" if overdue else " · none overdue"))
        self.due_card.title.setStyleSheet(f"color: {theme.DANGER};" if overdue else "")

    # -- printing -------------------------------------------------------------------

    def print_roll(self) -> PrintRunner | None:
        """The roll as it stands at the moment of printing (it is read again in the print
        job, so the paper has the figures of its own time and serial)."""
        if self.runner is not None or not can_print(self.ctx):
            return None
        depot = self.ctx.depot.name if self.ctx.depot else ""
        runner = PrintRunner(self.ctx, self, what="the establishment roll", count=1,
                             subject=f"Establishment roll · {depot}")
        runner.sig_finished.connect(lambda job: self._print_ended(runner, job))
        self.runner = runner
        self.print_button.setEnabled(False)
        runner.run(lambda task: ops.print_roll(self.ctx, task))
        return runner

    def _print_ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.sig_print_finished.emit(job)
        self.print_button.setEnabled(True)

    # -- life cycle -----------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.reloader.stop()
        self.unsubscribe()
