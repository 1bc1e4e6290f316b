"""The compound fields of the examination form: the vital signs, the injury rows and the
boxes to tick for a vocabulary's codes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from depot_app.services.medical.exams import InjuryInput
from depot_app.services.medical.vocab import VITAL_LIMITS
from ui.medical.form_grid import ErrorSlots, FormGrid, error_line

# key -> (short label, unit, width in characters)
VITALS = {
    "temperature_c": ("Temperature", "°C", 5),
    "pulse": ("Pulse", "/min", 4),
    "resp_rate": ("Resp. rate", "/min", 4),
    "spo2": ("SpO₂", "%", 4),
    "weight_kg": ("Weight", "kg", 5),
    "height_cm": ("Height", "cm", 4),
}


def unit_field(edit: QLineEdit, unit: str, chars: int) -> QWidget:
    """A short line edit with its unit after it."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0") * (chars + 2) + 14)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    row.addWidget(edit)
    shown = QLabel(unit)
    shown.setObjectName("muted")
    row.addWidget(shown)
    row.addStretch(1)
    box.setFocusProxy(edit)
    return box


class VitalsGrid(QWidget):
    """The vital signs, four to a row, each a short line edit with its unit. Blank is
    "not taken"; the text goes to the service as typed (it reads numbers, both "36,8"
    and "36.8")."""

    def __init__(self, slots: ErrorSlots, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        grid = FormGrid(slots, columns=4, line_per_row=True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(grid)
        for key in ("temperature_c", "pulse", "resp_rate", "spo2"):
            self._add(grid, key)
        sys_edit, dia_edit = QLineEdit(), QLineEdit()
        self.edits["bp_systolic"], self.edits["bp_diastolic"] = sys_edit, dia_edit
        bp = QWidget()
        row = QHBoxLayout(bp)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for edit, tip in ((sys_edit, "bp_systolic"), (dia_edit, "bp_diastolic")):
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0") * 5 + 14)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setToolTip(VITAL_LIMITS[tip][0])
            row.addWidget(edit)
            if edit is sys_edit:
                row.addWidget(QLabel("/"))
        unit = QLabel("mmHg")
        unit.setObjectName("muted")
        row.addWidget(unit)
        row.addStretch(1)
        bp.setFocusProxy(sys_edit)
        sys_edit.setPlaceholderText("sys")
        dia_edit.setPlaceholderText("dia")
        grid.add(("findings.bp_systolic", "findings.bp_diastolic"), "Blood pressure", bp)
        for key in ("weight_kg", "height_cm"):
            self._add(grid, key)

    def _add(self, grid: FormGrid, key: str) -> None:
        label, unit, chars = VITALS[key]
        edit = QLineEdit()
        edit.setMaxLength(8)
        edit.setToolTip(VITAL_LIMITS[key][0])
        self.edits[key] = edit
        grid.add(f"findings.{key}", label, unit_field(edit, unit, chars))

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}


class InjuryRow:
    """One injury: where on the body, what it is, whether the detainee explained it, and
    their account."""

    def __init__(self, number: int):
        self.site = QLineEdit()
        self.site.setPlaceholderText("e.g. left forearm")
        self.site.setMaxLength(80)
        self.description = QLineEdit()
        self.description.setPlaceholderText("e.g. bruise 4 cm, healing")
        self.description.setMaxLength(300)
        self.explained = QCheckBox("Explained")
        self.explained.setToolTip("The detainee gave an account of how it happened")
        self.account = QLineEdit()
        self.account.setPlaceholderText("How it happened, in the detainee's words")
        self.account.setMaxLength(300)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        # Not a stop for Tab or Enter: moving on from the account must not delete the row
        # (a row left blank is simply not sent).
        self.remove.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.line = error_line()
        self.renumber(number)

    def renumber(self, number: int) -> None:
        self.remove.setToolTip(f"Remove injury {number}")
        self.remove.setAccessibleName(f"Remove injury {number}")

    def widgets(self) -> list[QWidget]:
        """In the tab order."""
        return [self.site, self.description, self.explained, self.account, self.remove]

    def is_blank(self) -> bool:
        return not (self.site.text().strip() or self.description.text().strip()
                    or self.account.text().strip() or self.explained.isChecked())

    def value(self) -> InjuryInput:
        return InjuryInput(self.site.text(), self.description.text(),
                           self.explained.isChecked(), self.account.text())


class InjuryRows(QWidget):
    """Injuries seen, one row each: "Add injury" (Alt+J) adds a row and puts the cursor
    in it; ✕ removes one. Blank rows are left out of the request; ``values()`` binds each
    injury sent to its row, so ``findings.injuries[i].<field>`` shows on the right one."""

    sig_changed_size = Signal()

    def __init__(self, slots: ErrorSlots, parent: QWidget | None = None):
        super().__init__(parent)
        self.slots = slots
        self.rows: list[InjuryRow] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(3, 4)
        self.heads = []
        for c, text in enumerate(("Where on the body", "Description", "",
                                  "The detainee's account")):
            head = QLabel(text)
            head.setObjectName("muted")
            self.grid.addWidget(head, 0, c)
            self.heads.append(head)
        column.addLayout(self.grid)
        foot = QHBoxLayout()
        self.add_button = QPushButton("Add in&jury")
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("Add a row for an injury seen (Alt+J)")
        self.add_button.clicked.connect(self.add_row)
        foot.addWidget(self.add_button)
        self.none_seen = QLabel("No injuries seen.")
        self.none_seen.setObjectName("muted")
        foot.addWidget(self.none_seen)
        foot.addStretch(1)
        column.addLayout(foot)
        self._layout_rows()

    def add_row(self) -> InjuryRow:
        row = InjuryRow(len(self.rows) + 1)
        row.remove.clicked.connect(lambda: self.remove_row(row))
        anchor = self._before_add_button()
        self.rows.append(row)
        self._layout_rows()
        chain = [anchor, *row.widgets(), self.add_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for w in (row.site, row.description, row.explained, row.account):
            self.slots.watch(w, row.line)
        row.site.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_changed_size.emit()
        return row

    def _before_add_button(self) -> QWidget:
        """The widget the keyboard reaches just before "Add injury": a new row goes
        between them (added to the window, it would otherwise come last of all)."""
        w = self.add_button.previousInFocusChain()
        for _ in range(500):  # the chain is a ring: never round it forever
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not w.isAncestorOf(
                    self.add_button) and w.focusProxy() is None:
                return w
            w = w.previousInFocusChain()
        return self.add_button.previousInFocusChain()

    def remove_row(self, row: InjuryRow) -> None:
        self.rows.remove(row)
        self.slots.drop("findings.injuries[")  # bound again on the next submit
        for w in [*row.widgets(), row.line]:
            self.grid.removeWidget(w)
            w.deleteLater()
        self._layout_rows()
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_changed_size.emit()

    def _layout_rows(self) -> None:
        for i, row in enumerate(self.rows):
            r = 1 + 2 * i
            for c, w in enumerate(row.widgets()):
                self.grid.addWidget(w, r, c)
                w.setVisible(True)  # now, not when the layout gets to it: focus goes here
            self.grid.addWidget(row.line, r + 1, 0, 1, 5)
            row.renumber(i + 1)
        for head in self.heads:
            head.setVisible(bool(self.rows))
        self.none_seen.setVisible(not self.rows)

    def values(self) -> tuple[InjuryInput, ...]:
        """The injuries to send (blank rows left out); remembers their rows for errors."""
        sent = [row for row in self.rows if not row.is_blank()]
        self.slots.drop("findings.injuries[")
        for i, row in enumerate(sent):
            key = f"findings.injuries[{i}]"
            for name in ("body_site", "description", "explanation"):
                widget = {"body_site": row.site, "description": row.description,
                          "explanation": row.account}[name]
                self.slots.bind(f"{key}.{name}", widget, row.line)
        return tuple(row.value() for row in sent)


class CheckGrid(QWidget):
    """A box for each code of a vocabulary, ``columns`` to a row, in the vocabulary's
    order (which is the tab order)."""

    def __init__(self, words: dict[str, str], columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        rows = -(-len(words) // columns)
        for i, (code, label) in enumerate(words.items()):
            box = QCheckBox(label)
            self.boxes[code] = box
            grid.addWidget(box, i % rows, i // rows)  # down the columns, as read
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        first = next(iter(self.boxes.values()), None)
        if first is not None:
            self.setFocusProxy(first)

    def checked(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.boxes.items() if box.isChecked())
