"""Small read-only tables of figures, as the dashboard and the roll show them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from depot_app.readmodels import CountLine
from ui import format as fmt

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def list_table(headers: list[str], stretch: int, *, selectable: bool = False) -> QTableWidget:
    """A frameless table sized to its contents, column ``stretch`` taking the rest;
    ``selectable``: one whole row at a time (to open what it names), else no selection."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if selectable:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setFrameShape(QFrame.Shape.NoFrame)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_counts(table: QTableWidget, lines: tuple[CountLine, ...], total: int) -> None:
    """Label, count and share of ``total``, a line a row."""
    table.setRowCount(len(lines))
    for r, line in enumerate(lines):
        table.setItem(r, 0, QTableWidgetItem(line.label))
        share = f"{100 * line.count / total:.0f}%" if total else ""
        for c, text in ((1, fmt.count(line.count)), (2, share)):
            item = QTableWidgetItem(text)
            item.setTextAlignment(RIGHT)
            table.setItem(r, c, item)
