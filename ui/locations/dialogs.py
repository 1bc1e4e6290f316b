"""Adding blocks and cells, changing a cell's capacity, taking it out of service and back.

Each dialog sends one request to the service and shows its refusal beside the field it
names. An edit of a cell carries the version the user saw; if the cell was changed at
another workstation meanwhile (``ConflictError``) the dialog says so, reads the cell as it
is now (keeping what the user typed) and emits ``sig_stale`` so the page reloads too.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from depot_app.errors import ConflictError, DepotError, ValidationError
from depot_app.readmodels import BlockView, CellView
from depot_app.services.locations import MAX_CAPACITY, REASON_LEN, BlockInput, CellInput
from depot_app.services.placement import CATEGORY_RULES
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.locations.tree import block_title, category_words
from ui.operations import locations as ops
from ui.operations.errors import describe
from ui.operations.op import DbOp
from ui.widgets.busy import BusyState
from ui.widgets.fields import FieldForm


def cell_summary(cell: CellView) -> str:
    """One line on where the cell stands now."""
    state = "in service" if cell.in_service else f"out of service ({cell.reason})"
    return (f"{cell.category_label} · {fmt.plural(cell.capacity, 'place')} · "
            f"{fmt.count(cell.occupancy)} held now · {state}")


def _now(cell: CellView) -> str:
    return f"<b>Cell {html.escape(cell.label)}</b><br>{html.escape(cell_summary(cell))}"


class LocationDialog(QDialog):
    """A form dialog: an optional explanation, the fields, the action and Cancel."""

    def __init__(self, ctx: AppContext, title: str, action: str, busy_text: str,
                 parent: QWidget | None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        layout.addWidget(self.intro)
        self.form = FieldForm()
        layout.addWidget(self.form)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        theme.mark_primary(self.ok)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._busy_text = busy_text
        self._busy: BusyState | None = None
        self.result_view: BlockView | CellView | None = None

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def _inputs_done(self) -> None:
        """Call once the fields are added: they are disabled while the work runs."""
        self._busy = BusyState(self.ok, self._busy_text,
                               [self.form.field(n) for n in self.form.field_names()])
        self.form.field(self.form.field_names()[0]).setFocus()

    @property
    def busy(self) -> bool:
        return self._busy is not None and self._busy.active

    def _run(self, op: DbOp) -> None:
        assert self._busy is not None
        self.form.clear_errors()
        self._busy.begin()
        (op.parent(self).finished(self._busy.end).success(self._done).failure(self._refused)
         .run_in_background())

    def submit(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.fields)
        else:
            self.form.show_message(describe(exc))

    def _done(self, view: BlockView | CellView) -> None:
        self.result_view = view
        self.accept()


class AddBlockDialog(LocationDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, "Add a block", "Add block", "Adding…", parent)
        f = self.form
        f.add_field("code", "Block code", QLineEdit(),
                    "Short, as it is painted on the wall: letters and digits, e.g. A or B2")
        f.add_field("name", "Block name", QLineEdit(), "As wardens say it, e.g. Blok A")
        self._inputs_done()

    def request(self) -> BlockInput:
        return BlockInput(self.form.field("code").text(), self.form.field("name").text())

    def submit(self) -> None:
        if not self.busy:
            self._run(ops.add_block(self.ctx, self.request()))


class AddCellDialog(LocationDialog):
    """A new cell in a block; the category is chosen from the placement rules' words."""

    def __init__(self, ctx: AppContext, blocks: list[BlockView], block_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, "Add a cell", "Add cell", "Adding…", parent)
        f = self.form
        block = QComboBox()
        for b in blocks:
            block.addItem(block_title(b), b.id)
        if block_id is not None and block.findData(block_id) >= 0:
            block.setCurrentIndex(block.findData(block_id))
        f.add_field("block_id", "Block", block)
        f.add_field("code", "Cell code", QLineEdit(), "As on the door, e.g. A-01")
        capacity = QLineEdit()
        capacity.setValidator(QIntValidator(0, MAX_CAPACITY, capacity))
        capacity.setPlaceholderText(f"0 to {MAX_CAPACITY}")
        capacity.setMaximumWidth(120)
        f.add_field("capacity", "Places", capacity, "How many detainees the cell holds")
        choices = QWidget()
        column = QVBoxLayout(choices)
        column.setContentsMargins(0, 2, 0, 2)
        column.setSpacing(4)
        self.category_group = QButtonGroup(self)
        self.category_buttons: dict[str, QRadioButton] = {}
        for key in CATEGORY_RULES:
            button = QRadioButton(category_words(key))
            button.setProperty("category", key)
            self.category_group.addButton(button)
            self.category_buttons[key] = button
            column.addWidget(button)
        f.add_field("category", "Cell for", choices)
        self._inputs_done()
        if block_id is not None:
            f.field("code").setFocus()

    def category(self) -> str:
        button = self.category_group.checkedButton()
        return str(button.property("category")) if button is not None else ""

    def request(self) -> CellInput:
        f = self.form
        text = f.field("capacity").text().strip()
        # Digits become a number; anything else goes as typed for the service to refuse.
        capacity: int = int(text) if text.isdigit() else text  # type: ignore[assignment]
        return CellInput(f.field("block_id").currentData() or 0, f.field("code").text(),
                         capacity, self.category())

    def submit(self) -> None:
        if self.busy:
            return
        if not self.category():
            self.form.show_errors({"category": "Choose whom the cell is for"})
            return
        self._run(ops.add_cell(self.ctx, self.request()))


class CellEditDialog(LocationDialog):
    """An edit of one cell that carries the version the user saw."""

    sig_stale = Signal()  # the cell was changed elsewhere: whoever shows it should reload

    def __init__(self, ctx: AppContext, cell: CellView, title: str, action: str,
                 busy_text: str, parent: QWidget | None):
        super().__init__(ctx, title, action, busy_text, parent)
        self.cell = cell

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ConflictError):
            self.form.show_message(
                f"Someone changed cell {self.cell.label} at another workstation while this "
                "window was open. It has been read again: check it as it is now, then save "
                "again if you still want this change.")
            self.sig_stale.emit()
            self.ok.setEnabled(False)
            (ops.find_cell(self.ctx, self.cell.id).parent(self).success(self._reloaded)
             .run_in_background())
            return
        super()._refused(exc)

    def _reloaded(self, cell: CellView | None) -> None:
        if cell is None:
            self.form.show_message(f"Cell {self.cell.label} no longer exists.")
            return
        self.cell = cell
        self.show_cell()
        self.ok.setEnabled(True)

    def show_cell(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError


class ChangeCapacityDialog(CellEditDialog):
    def __init__(self, ctx: AppContext, cell: CellView, parent: QWidget | None = None):
        super().__init__(ctx, cell, f"Change the capacity of {cell.label}", "Change capacity",
                         "Saving…", parent)
        spin = QSpinBox()
        spin.setRange(0, MAX_CAPACITY)
        spin.valueChanged.connect(
            lambda n: spin.setSuffix(" place" if n == 1 else " places"))
        spin.setValue(cell.capacity)
        spin.setSuffix(" place" if cell.capacity == 1 else " places")
        spin.setMaximumWidth(160)
        self.form.add_field("capacity", "New capacity", spin)
        reason = QLineEdit()
        reason.setMaxLength(REASON_LEN)
        reason.setPlaceholderText("e.g. beds added; part of the cell closed for repairs")
        self.form.add_field("reason", "Reason", reason,
                            "Kept in the audit trail with the old and new capacity")
        self.show_cell()
        self._inputs_done()
        spin.selectAll()

    def show_cell(self) -> None:
        self.set_intro(_now(self.cell))

    def submit(self) -> None:
        if self.busy:
            return
        f = self.form
        f.field("capacity").interpretText()
        self._run(ops.change_capacity(self.ctx, self.cell.id, f.field("capacity").value(),
                                      f.field("reason").text(), self.cell.version))


class ServiceDialog(CellEditDialog):
    """Take a cell out of service (a reason is required) or return it to service."""

    def __init__(self, ctx: AppContext, cell: CellView, in_service: bool,
                 parent: QWidget | None = None):
        if in_service:
            title, action = f"Return {cell.label} to service", "Return to service"
        else:
            title, action = f"Take {cell.label} out of service", "Take out of service"
        super().__init__(ctx, cell, title, action, "Saving…", parent)
        self.in_service = in_service
        reason = QLineEdit()
        reason.setMaxLength(REASON_LEN)
        if in_service:
            reason.setPlaceholderText("e.g. repairs finished")
            self.form.add_field("reason", "Note", reason,
                                "Optional: kept in the audit trail")
        else:
            reason.setPlaceholderText("e.g. flooded; broken lock; pest control")
            self.form.add_field("reason", "Reason", reason,
                                "Shown to everyone who places detainees, until the cell is "
                                "back in service")
        self.show_cell()
        self._inputs_done()

    def show_cell(self) -> None:
        cell = self.cell
        text = _now(cell)
        if not self.in_service and cell.occupancy:
            text += (f"<br><br>{fmt.plural(cell.occupancy, 'detainee is', 'detainees are')} "
                     "held in it: they stay until they are moved, but nobody more can be "
                     "placed there.")
        elif self.in_service:
            text += "<br><br>Detainees can be placed in it again."
        self.set_intro(text)

    def submit(self) -> None:
        if not self.busy:
            self._run(ops.set_in_service(self.ctx, self.cell.id, self.in_service,
                                         self.form.field("reason").text(), self.cell.version))
