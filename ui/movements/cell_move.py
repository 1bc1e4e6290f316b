"""Moving a detainee to another cell.

The cells come from ``placement.choices_for``: suitable ones first, then full ones (an
officer with ``Permission.OVERRIDE_CAPACITY`` may still choose them, giving a reason),
then those the detainee may not go into, greyed with the reason. The service checks the
placement again when the move is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from depot_app.actor import Permission
from depot_app.readmodels import DetaineeDetail
from depot_app.services.custody_common import REASON_LEN
from depot_app.services.movements import MoveRequest
from depot_app.services.placement import CellChoice
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.movements.common import MovementDialog, WhenField, line, required
from ui.operations import movements as ops

HERE, SUITABLE, OVERRIDE, UNSUITABLE = "Here now", "Suitable cells", \
    "Full: an officer may override", "Not suitable for this detainee"
CHOICE_ROLE = Qt.ItemDataRole.UserRole


def group_of(choice: CellChoice) -> str:
    if choice.current:
        return HERE
    if not choice.problems:
        return SUITABLE
    return OVERRIDE if choice.needs_override else UNSUITABLE


def short_reason(choice: CellChoice, words: str) -> str:
    """A reason without the cell's name, which the line above already gives: "Cell Blok
    A / A-03 is full (…)" reads "Full (…)" under it."""
    head = f"Cell {choice.label} is "
    if words.startswith(head):
        words = words[len(head):]
        return words[:1].upper() + words[1:]
    return words


def choice_words(choice: CellChoice, can_override: bool) -> tuple[str, str, bool]:
    """(text, tooltip, selectable) for one cell in the list."""
    places = f"{choice.occupancy} of {fmt.plural(choice.capacity, 'place')} taken"
    text = f"{choice.label}  ·  {choice.category_label}  ·  {places}"
    if choice.current:
        return text, "The detainee is in this cell now", False
    if not choice.problems:
        return text, f"{choice.label}: suitable", True
    why = "; ".join(choice.problems)
    if choice.needs_override:
        if can_override:
            return (f"{text}\n! Full: you may place the detainee here, giving a reason", why,
                    True)
        return (f"{text}\n✗ Full: only an officer can place a detainee in a full cell",
                why, False)
    return f"{text}\n✗ {'; '.join(short_reason(choice, p) for p in choice.problems)}", \
        why, False


class CellList(QListWidget):
    """The cells, in groups, with the unsuitable ones greyed and the reason under each."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # the reasons wrap under the cell, never off to the side
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(220)
        self.setMaximumHeight(300)
        self.addItem("Reading the cells…")

    def fill(self, choices: tuple[CellChoice, ...], can_override: bool) -> None:
        self.clear()
        group = ""
        ordered = sorted(choices, key=lambda c: not c.current)  # stable: then as given
        for choice in ordered:
            if group_of(choice) != group:
                group = group_of(choice)
                heading = QListWidgetItem(group)
                font = QFont(self.font())
                font.setBold(True)
                heading.setFont(font)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)  # not a choice, but dark
                heading.setForeground(QColor(theme.INK))
                heading.setBackground(QColor(theme.WINDOW))
                self.addItem(heading)
            text, tip, selectable = choice_words(choice, can_override)
            item = QListWidgetItem(text)
            item.setData(CHOICE_ROLE, choice)
            item.setToolTip(tip)
            if not selectable:
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # greyed, not selectable
            self.addItem(item)
        if not choices:
            self.addItem("This depot has no cells.")

    def item_for(self, cell_id: int) -> QListWidgetItem | None:
        for row in range(self.count()):
            choice = self.item(row).data(CHOICE_ROLE)
            if choice is not None and choice.cell_id == cell_id:
                return self.item(row)
        return None

    def chosen(self) -> CellChoice | None:
        items = self.selectedItems()
        return items[0].data(CHOICE_ROLE) if items else None

    def choose(self, cell_id: int) -> bool:
        item = self.item_for(cell_id)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsSelectable:
            return False
        self.setCurrentItem(item)
        item.setSelected(True)
        return True


class CellMoveDialog(MovementDialog):
    sig_choices_loaded = Signal()

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Move to another cell", "Move", "Moving…", parent,
                         width=720)
        self.can_override = ctx.can(Permission.OVERRIDE_CAPACITY)
        self.choices: tuple[CellChoice, ...] | None = None
        f = self.form
        self.cells = CellList()
        f.add_field("cell_id", required("Move to"), self.cells,
                    "Greyed cells cannot take this detainee: the reason is under each.")
        f.add_field("override_reason", required("Override reason"),
                    line("Why this detainee must go into a full cell (recorded with your "
                         "name)", 500))
        self.set_field_visible("override_reason", False)
        f.add_field("reason", required("Reason for the move"),
                    line("e.g. separated after a fight; moved nearer the clinic", REASON_LEN))
        f.add_field("occurred_at", required("Time of the move"), WhenField())
        self.cells.itemSelectionChanged.connect(self._chosen)
        self.inputs_done()
        self.ok.setEnabled(False)
        self._load()

    def _load(self) -> None:
        (ops.cell_choices(self.ctx, self.detail.id).parent(self)
         .success(self._loaded).run_in_background())

    def _loaded(self, choices: tuple[CellChoice, ...]) -> None:
        chosen = self.cells.chosen()
        self.choices = choices
        self.cells.fill(choices, self.can_override)
        if chosen is not None:
            self.cells.choose(chosen.cell_id)
        self.ok.setEnabled(True)
        self._chosen()
        self.sig_choices_loaded.emit()

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        self._load()  # occupancy may have changed too

    def _chosen(self) -> None:
        choice = self.cells.chosen()
        self.set_field_visible("override_reason",
                               choice is not None and choice.needs_override)

    def request(self, errors: dict[str, str]) -> MoveRequest:
        choice = self.cells.chosen()
        if choice is None:
            errors["cell_id"] = "Choose the cell to move the detainee to"
        when = self.read_time(errors, "occurred_at")
        override = self.form.field("override_reason").text() \
            if choice is not None and choice.needs_override else ""
        if choice is not None and choice.needs_override and not override.strip():
            errors["override_reason"] = ("Give the reason this detainee must go into a full "
                                         "cell")
        reason = self.form.field("reason").text()
        if not reason.strip():  # with the cell, at once: not on a second try
            errors["reason"] = "Reason for the move is required"
        return MoveRequest(self.detail.id, choice.cell_id if choice else 0,
                           reason, self.detail.version,
                           occurred_at=when, override_reason=override)

    def submit(self) -> None:
        if self.busy or self.choices is None:
            return
        errors: dict[str, str] = {}
        request = self.request(errors)
        if errors:
            self.show_errors(errors)
            return
        choice = self.cells.chosen()
        self.run(ops.move_to_cell(self.ctx, request),
                 f"{self.detail.detainee_no} moved to {choice.label if choice else 'the cell'}.")
