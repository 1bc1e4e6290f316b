"""Property and cash taken into safe keeping (the detainee signs the printed receipt), and
the photo."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from depot_app.services.admission import PhotoInput, PropertyInput
from ui.admission.step import Step

ITEM_ROWS = 4


class PropertyTable(QTableWidget):
    """Items as rows (description, quantity); there is always an empty row to type in."""

    def __init__(self):
        super().__init__(ITEM_ROWS, 2)
        self.setHorizontalHeaderLabels(["Description", "Qty"])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(1, 60)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setTabKeyNavigation(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setMinimumHeight(26 * (ITEM_ROWS + 1) + 4)
        self.itemChanged.connect(self._grow)

    def _grow(self) -> None:
        last = self.rowCount() - 1
        if self._text(last, 0):
            self.insertRow(self.rowCount())

    def _text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text().strip() if item else ""

    def items(self, errors: dict[str, str]) -> tuple[PropertyInput, ...]:
        out = []
        for row in range(self.rowCount()):
            description, qty = self._text(row, 0), self._text(row, 1)
            if not description and not qty:
                continue
            field = f"property[{len(out)}].quantity"
            try:
                quantity = int(qty) if qty else 1
            except ValueError:
                errors[field] = f"Quantity {qty!r} on line {row + 1} is not a whole number"
                quantity = 0
            out.append(PropertyInput(description, quantity))
        return tuple(out)

    def set_row(self, row: int, description: str, quantity: int = 1) -> None:
        while self.rowCount() <= row:
            self.insertRow(self.rowCount())
        self.setItem(row, 0, QTableWidgetItem(description))
        self.setItem(row, 1, QTableWidgetItem(str(quantity)))

    # Tab walks the cells; on an empty line it leaves the table (to the bag number), so
    # the keyboard never gets stuck in here.
    def _leaving(self, forward: bool) -> bool:
        row = self.currentRow()
        if forward:
            return not self._text(row, 0)
        return row <= 0 and self.currentColumn() <= 0

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        if self._leaving(forward):
            return QWidget.focusNextPrevChild(self, forward)
        return super().focusNextPrevChild(forward)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt API
        Hint = QAbstractItemDelegate.EndEditHint
        forward = hint == Hint.EditNextItem
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem) and self._leaving(forward):
            super().closeEditor(editor, Hint.NoHint)
            QWidget.focusNextPrevChild(self, forward)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event) -> None:
        # Enter moves on to the next step unless a cell is being edited.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.state() != QAbstractItemView.State.EditingState:
            event.ignore()
            return
        super().keyPressEvent(event)


_MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def parse_money(text: str) -> Decimal | None:
    """``235.50``, ``RM 235.50`` or ``1,235.50``; ValueError naming the reason. A comma is
    only a thousands separator: ``12,50`` is refused, never read as 1250."""
    cleaned = text.strip().upper().removeprefix("RM").strip()
    if not cleaned:
        return None
    if not _MONEY.match(cleaned):
        raise ValueError(f"{text.strip()!r} is not an amount of money: type ringgit and sen "
                         "with a point, e.g. 235.50")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not an amount of money (e.g. 235.50)") from None


class PropertyStep(Step):
    title = "Property and cash"
    intro = ("Everything taken into safe keeping, item by item, and the cash counted in front "
             "of the detainee. A receipt for the detainee's signature is printed after "
             "admission.")
    owns = ("property", "property_bag_no", "cash_amount", "cash_note")

    def build(self) -> None:
        f = self.form
        self.table = f.add_field("property", "Items", PropertyTable(),
                                 "Type an item and press Tab for its quantity; a new line "
                                 "appears as you fill the last.")
        self.bag_no = f.add_field("property_bag_no", "Bag / locker no.", QLineEdit())
        self.cash = f.add_field("cash_amount", "Cash (RM)", QLineEdit(),
                                "Ringgit and sen, e.g. 235.50; leave empty when none")
        self.cash.setMaximumWidth(160)
        self.cash_note = f.add_field("cash_note", "Cash note", QLineEdit(),
                                     "e.g. foreign notes counted separately: USD 20")

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        items = self.table.items(errors)
        try:
            cash = parse_money(self.cash.text())
        except ValueError as exc:
            errors["cash_amount"] = str(exc)
            cash = None
        return {"property": items, "property_bag_no": self.bag_no.text(), "cash_amount": cash,
                "cash_note": self.cash_note.text()}

    def summary(self) -> list[tuple[str, str]]:
        items = self.table.items({})
        listed = "; ".join(f"{i.quantity} × {i.description}" for i in items) or "none"
        if items:
            listed += f" (bag {self.bag_no.text().strip()})"
        try:
            cash = parse_money(self.cash.text())
        except ValueError:
            cash = None
        return [("Property", listed),
                ("Cash", f"RM {cash:,.2f}" if cash is not None else "none")]


class PhotoStep(Step):
    title = "Photo"
    intro = ("Take the photo with the camera, or choose a file; adjust the frame to the "
             "head and shoulders. A photo can be added later if none can be taken now.")
    owns = ("photo",)

    def build(self) -> None:
        from ui.admission.photo import PhotoCapture

        self.capture = PhotoCapture()
        self.form.add_field("photo", "", self.capture)

    def first_input(self):
        return self.capture

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        data = self.capture.photo_bytes()
        return {"photo": PhotoInput(data, self.capture.mime) if data else None}

    def summary(self) -> list[tuple[str, str]]:
        data = self.capture.photo_bytes()
        return [("Photo", f"taken ({len(data) // 1024 + 1} kB)" if data else "no photo")]
