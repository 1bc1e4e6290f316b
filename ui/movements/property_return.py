"""Giving back property and cash: the part of the release/transfer dialog that does it, and
the dialog for a return on its own (a bag collected later, items sent on after a transfer).

Every item still held is listed, ticked; the cash defaults to the whole balance. Whatever
is left unticked (or unpaid) is named in a warning: it stays held and stays visible on the
record.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSizePolicy, QWidget

from depot_app.readmodels import DetaineeDetail, PropertyView
from depot_app.services.property import PropertyReturn
from ui import theme
from ui.context import AppContext
from ui.movements.common import MovementDialog, line
from ui.operations import movements as ops
from ui.widgets.fields import FieldForm, NoteLabel

ITEM_ROLE = Qt.ItemDataRole.UserRole
LIST_ROWS = 5  # items shown before the list scrolls


class CheckList(QListWidget):
    """Items to tick, each wrapped to the list's width (never a horizontal scroll bar),
    the list as high as its first ``LIST_ROWS`` items."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fitted_width = -1

    def fit_rows(self) -> None:
        self._fitted_width = self.width()
        # All shown: no vertical bar (it would narrow the rows, wrap them and want itself).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff
                                        if self.count() <= LIST_ROWS
                                        else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.doItemsLayout()
        rows = [self.visualRect(self.model().index(r, 0)).height()
                for r in range(min(self.count(), LIST_ROWS))]
        one = self.fontMetrics().height() + 6
        height = sum(rows) if rows else 2 * one
        self.setFixedHeight(max(height, 2 * one) + 2 * self.frameWidth() + 6)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self.fit_rows()


def held_items(d: DetaineeDetail) -> list[PropertyView]:
    return [p for p in d.property if p.returned_at is None]


def holds_anything(d: DetaineeDetail) -> bool:
    return bool(held_items(d)) or d.cash_balance > 0


def item_words(p: PropertyView) -> str:
    text = p.description if p.quantity == 1 else f"{p.description} × {p.quantity}"
    return f"{text} (bag {p.bag_no})" if p.bag_no else text


def money(amount: Decimal) -> str:
    return f"RM {amount:,.2f}"


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("RM", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class PropertyReturnPart:
    """The items (ticked), the cash to pay out, to whom and the receipt, in ``form``; the
    field names carry ``prefix`` as the service's errors do (``property.cash_amount``)."""

    def __init__(self, form: FieldForm, detail: DetaineeDetail, prefix: str = ""):
        self.form = form
        self.prefix = prefix
        self.items = CheckList()
        form.add_field(f"{prefix}item_ids", "Items given back", self.items)
        self.cash = line("0.00", 20)
        self.cash.setMaximumWidth(140)
        form.add_field(f"{prefix}cash_amount", "Cash paid out (RM)", self.cash)
        form.add_field(f"{prefix}note", "Returned to",
                       line("Empty: the detainee in person; or a relative, an escort", 200))
        form.add_field(f"{prefix}receipt_no", "Receipt no.", line("", 40))
        self.warning = NoteLabel()
        self.warning.setStyleSheet(f"color: {theme.WARN_INK}; background: {theme.WARN_BG};"
                                   "border: 1px solid #ecd28b; border-radius: 4px;"
                                   "padding: 5px 8px;")
        form.form.addRow("", self.warning)
        self.items.itemChanged.connect(lambda _item: self.update_warning())
        self.cash.textChanged.connect(lambda _text: self.update_warning())
        self.fill(detail)

    def fields(self) -> list[QWidget]:
        return [self.form.field(f"{self.prefix}{n}")
                for n in ("item_ids", "cash_amount", "note", "receipt_no")]

    def fill(self, detail: DetaineeDetail) -> None:
        """Every item still held, ticked; the whole balance as the cash."""
        self.detail = detail
        self.items.blockSignals(True)
        self.items.clear()
        for p in held_items(detail):
            item = QListWidgetItem(item_words(p))
            item.setData(ITEM_ROLE, p.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.items.addItem(item)
        self.items.blockSignals(False)
        rows = self.items.count()
        self.items.fit_rows()
        self.form.form.setRowVisible(self.items, rows > 0)
        balance = detail.cash_balance
        self.cash.setText(f"{balance:.2f}" if balance > 0 else "")
        self.form.form.setRowVisible(self.cash, balance > 0)
        for name in ("note", "receipt_no"):
            self.form.form.setRowVisible(self.form.field(f"{self.prefix}{name}"),
                                         holds_anything(detail))
        self.update_warning()

    @property
    def balance(self) -> Decimal:
        return self.detail.cash_balance

    def ticked(self) -> list[int]:
        return [self.items.item(r).data(ITEM_ROLE) for r in range(self.items.count())
                if self.items.item(r).checkState() == Qt.CheckState.Checked]

    def set_ticked(self, item_id: int, ticked: bool) -> None:
        for r in range(self.items.count()):
            if self.items.item(r).data(ITEM_ROLE) == item_id:
                self.items.item(r).setCheckState(
                    Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def request(self) -> PropertyReturn:
        cash = self.cash.text().strip() if self.balance > 0 else ""
        return PropertyReturn(tuple(self.ticked()), cash or None,
                              self.form.field(f"{self.prefix}note").text(),
                              self.form.field(f"{self.prefix}receipt_no").text())

    def left_held(self) -> tuple[list[str], Decimal]:
        """What stays with the depot after this return: item words and cash."""
        ticked = set(self.ticked())
        items = [item_words(p) for p in held_items(self.detail) if p.id not in ticked]
        paid = _amount(self.cash.text()) if self.cash.text().strip() else Decimal("0")
        left = self.balance - paid if paid is not None and paid >= 0 else self.balance
        return items, max(left, Decimal("0.00"))

    def warning_words(self) -> str:
        if not holds_anything(self.detail):
            return "The depot holds no property or cash for this detainee."
        items, cash = self.left_held()
        parts = []
        if items:
            parts.append(", ".join(items))
        if cash > 0:
            parts.append(f"{money(cash)} in cash")
        if not parts:
            return ""
        return f"Stays held by the depot, as the record will show: {'; '.join(parts)}."

    def update_warning(self) -> None:
        text = self.warning_words()
        shown = not self.warning.isHidden() and bool(self.warning.text())
        self.warning.setText(text)
        self.form.form.setRowVisible(self.warning, bool(text))
        if bool(text) != shown or text:
            # The window grows for the warning, rather than the rows squeezing together.
            self.form.sig_changed_size.emit()


class ReturnPropertyDialog(MovementDialog):
    """Give back property and/or cash on its own, in custody or after the detainee left."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Return property", "Record return", "Saving…", parent)
        self.set_intro("Untick what is not being handed over now: it stays held.")
        self.part = PropertyReturnPart(self.form, detail)
        self.legend.hide()
        self.inputs_done()

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        self.part.fill(d)

    def submit(self) -> None:
        if self.busy:
            return
        request = self.part.request()
        items = len(request.item_ids)
        what = [f"{items} item{'s' if items != 1 else ''}"] if items else []
        if request.cash_amount:
            what.append(f"RM {request.cash_amount}")
        self.run(ops.return_property(self.ctx, self.detail.id, request),
                 f"Returned to {self.detail.detainee_no}: {' and '.join(what) or 'nothing'}.")
