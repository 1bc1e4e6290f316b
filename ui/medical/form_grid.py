"""Forms laid out in grids, with the service's reasons under their fields.

The examination form is denser than a movement dialog's single column, so it does not use
:class:`~ui.widgets.fields.FieldForm`; :class:`ErrorSlots` does the same job for any
layout: each key of a ``ValidationError`` (``findings.pulse``,
``findings.injuries[0].body_site``) has a red line under the widget that holds it, and the
line goes as soon as that widget is changed. :class:`FormGrid` puts labelled fields
several to a row, each with its line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ui.widgets.fields import NoteLabel


def error_line() -> NoteLabel:
    label = NoteLabel()
    label.setObjectName("fieldError")
    label.hide()
    return label


def on_change(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` when the user changes ``widget`` or anything in it."""
    for w in [widget, *widget.findChildren(QWidget)]:
        if isinstance(w, QLineEdit):
            w.textEdited.connect(lambda *_: callback())
        elif isinstance(w, QPlainTextEdit):
            w.textChanged.connect(callback)
        elif isinstance(w, QComboBox):
            w.activated.connect(lambda *_: callback())
        elif isinstance(w, QCheckBox):
            w.clicked.connect(lambda *_: callback())


class ErrorSlots:
    """Which widget and which red line show each error key. Keys may share a line
    (systolic and diastolic; the fields of one injury): their reasons are joined."""

    def __init__(self, on_resize: Callable[[], None] = lambda: None):
        self._slots: dict[str, tuple[QWidget, QLabel]] = {}
        self._on_resize = on_resize

    def add(self, key: str, widget: QWidget, line: QLabel) -> None:
        self.bind(key, widget, line)
        self.watch(widget, line)

    def bind(self, key: str, widget: QWidget, line: QLabel) -> None:
        """Show ``key`` on ``line`` and focus ``widget`` for it."""
        self._slots[key] = (widget, line)

    def watch(self, widget: QWidget, line: QLabel) -> None:
        """Clear ``line`` when the user changes ``widget``."""
        on_change(widget, lambda: self._clear_line(line))

    def drop(self, prefix: str) -> None:
        """Forget the keys starting with ``prefix`` (an injury row removed)."""
        for key in [k for k in self._slots if k.startswith(prefix)]:
            del self._slots[key]

    def keys(self) -> list[str]:
        return list(self._slots)

    def widget(self, key: str) -> QWidget:
        return self._slots[key][0]

    def text(self, key: str) -> str:
        """The reason shown for ``key`` (its line's text), "" when none."""
        slot = self._slots.get(key)
        return slot[1].text() if slot is not None and not slot[1].isHidden() else ""

    def _clear_line(self, line: QLabel) -> None:
        if not line.isHidden():
            line.clear()
            line.hide()
            self._on_resize()

    def clear(self) -> None:
        for _widget, line in self._slots.values():
            line.clear()
            line.hide()

    def show(self, errors: dict[str, str]) -> list[str]:
        """Put each reason on its line, focus the first bad widget in the form's order,
        and return the reasons no widget shows."""
        self.clear()
        leftovers: list[str] = []
        shown: dict[int, list[str]] = {}
        for key, reason in errors.items():
            slot = self._slots.get(key)
            if slot is None:
                leftovers.append(reason)
                continue
            shown.setdefault(id(slot[1]), []).append(reason)
            slot[1].setText("; ".join(shown[id(slot[1])]))
            slot[1].show()
        for key, (widget, _line) in self._slots.items():
            if key in errors:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break
        self._on_resize()
        return leftovers


class FormGrid(QWidget):
    """Labelled fields in a grid, ``columns`` pairs to a row, each with its red line
    underneath. ``add`` fills the next place; ``span`` takes more than one. The first
    column of labels is at least ``LABEL_TEXT`` wide, so that grids one under another
    start their fields at the same place."""

    LABEL_TEXT = "Chronic conditions"

    def __init__(self, slots: ErrorSlots, columns: int = 2, parent: QWidget | None = None,
                 *, line_per_row: bool = False):
        """``line_per_row``: the fields of a row share one red line as wide as the row
        (short fields, such as the vital signs, whose reasons name what they are about:
        under a narrow field they would wrap into a column of words)."""
        super().__init__(parent)
        self.slots = slots
        self.columns = columns
        self.line_per_row = line_per_row
        self._row_lines: dict[int, QLabel] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnMinimumWidth(0, self.fontMetrics().horizontalAdvance(
            self.LABEL_TEXT) + 4)
        for c in range(columns):
            self.grid.setColumnStretch(2 * c + 1, 1)
        self._row = 0
        self._col = 0
        self.labels: dict[str, QLabel] = {}

    def add(self, keys: str | Sequence[str], label: str, widget: QWidget, *,
            span: int = 1, hint: QLabel | None = None) -> QWidget:
        """``widget`` under ``keys`` (the service's names for what it holds), with
        ``hint`` (a muted line the caller may change) between it and its red line."""
        keys = [keys] if isinstance(keys, str) else list(keys)
        if self._col + span > self.columns:
            self.new_row()
        row, col = 3 * self._row, 2 * self._col
        caption = QLabel(label)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if isinstance(widget, QPlainTextEdit):
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setBuddy(widget.focusProxy() or widget)
        self.grid.addWidget(caption, row, col)
        self.grid.addWidget(widget, row, col + 1, 1, 2 * span - 1)
        if hint is not None:
            self.grid.addWidget(hint, row + 1, col + 1, 1, 2 * span - 1)
        if self.line_per_row:
            line = self._row_lines.get(row)
            if line is None:
                line = self._row_lines[row] = error_line()
                self.grid.addWidget(line, row + 2, 1, 1, 2 * self.columns - 1)
        else:
            line = error_line()
            self.grid.addWidget(line, row + 2, col + 1, 1, 2 * span - 1)
        for key in keys:
            self.slots.add(key, widget, line)
            self.labels[key] = caption
        self._col += span
        if self._col >= self.columns:
            self.new_row()
        return widget

    def new_row(self) -> None:
        if self._col:
            self._row += 1
            self._col = 0


def combo(words: dict[str, str], codes: Iterable[str] | None = None) -> QComboBox:
    """A combo box of a vocabulary's labels, each item carrying its code."""
    box = QComboBox()
    for code in codes if codes is not None else words:
        box.addItem(words[code], code)
    return box


def choose(box: QComboBox, code: str) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)


def section_title(text: str, note: str = "") -> QWidget:
    """A section's heading, with a muted note beside it."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 6, 0, 0)
    row.setSpacing(10)
    title = QLabel(text)
    title.setObjectName("sectionTitle")
    row.addWidget(title)
    if note:
        muted = QLabel(note)
        muted.setObjectName("muted")
        row.addWidget(muted)
    row.addStretch(1)
    return box
