"""When a block's next headcount is due, in words and a tone, for the roll and the
headcount screens alike."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTableWidgetItem

from depot_app.clock import to_local
from depot_app.readmodels import CountDueView
from ui import format as fmt
from ui import theme

OPEN, OVERDUE, DUE = "open", "overdue", "due"
TONE_INK = {OPEN: theme.ACCENT, OVERDUE: theme.DANGER, DUE: theme.INK}


def due_state(d: CountDueView) -> str:
    if d.open_count_id is not None:
        return OPEN
    return OVERDUE if d.overdue else DUE


def due_words(d: CountDueView) -> str:
    """“Count open”, “Overdue since …”, “Never counted: overdue” or “Due …”."""
    state = due_state(d)
    if state == OPEN:
        return "Count open" + (" (overdue)" if d.overdue else "")
    if d.last_closed_at is None:
        return "Never counted: overdue"
    if state == OVERDUE:
        return f"Overdue since {fmt.when(d.due_at)}"
    return f"Due {fmt.when(d.due_at)}"


def due_short(d: CountDueView) -> str:
    """The same, in a narrow column: “Count open”, “Overdue”, “Due 03/12 01:23”."""
    state = due_state(d)
    if state == OPEN:
        return "Count open"
    if state == OVERDUE:
        return "Overdue"
    return f"Due {short_when(d.due_at)}"


def short_when(value) -> str:
    return to_local(value).strftime("%d/%m %H:%M") if value else ""


def last_counted_words(d: CountDueView, short: bool = False) -> str:
    if d.last_closed_at is None:
        return "Never"
    return short_when(d.last_closed_at) if short else fmt.when(d.last_closed_at)


def tone_item(item: QTableWidgetItem, state: str) -> QTableWidgetItem:
    """Red and bold when overdue, the accent colour for a count in progress."""
    item.setForeground(QBrush(QColor(TONE_INK[state])))
    if state in (OVERDUE, OPEN):
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    if state == OVERDUE:
        item.setBackground(QBrush(QColor("#fdecea")))
    return item
