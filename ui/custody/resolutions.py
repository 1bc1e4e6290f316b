"""The last step of a headcount: a resolution for every missing and every unexpected
detainee, then close.

One row per discrepancy: who, where they are now, an editable list of the usual
resolutions, and under it the service's message for that row (``resolution:<id>``).
What the warden typed survives a reload of the count (a scan during this step, or a
tick at another workstation), row by row. With many missing (a block emptied for court),
"Same resolution for all missing" puts one text in every missing row not yet resolved,
each still editable. The rows fit the panel's width: no horizontal scroll bar.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from depot_app.readmodels import CountEntryView
from ui import theme

MISSING_SUGGESTIONS = (
    "At court: movement not recorded",
    "In hospital: movement not recorded",
    "At the embassy: movement not recorded",
    "Found in another block after the count",
    "Found in the block after the count",
    "Absconded: reported to the duty officer",
)
UNEXPECTED_SUGGESTIONS = (
    "Moved to this block: cell move not recorded",
    "Returned from court: return not recorded",
    "Returned from hospital: return not recorded",
    "Brought here from another block for the count",
)


WHO_WIDTH = 330  # the widest the number and name may be before they wrap


def error_key(detention_id: int) -> str:
    return f"resolution:{detention_id}"


class _Row:
    def __init__(self, entry: CountEntryView, kind: str):
        self.entry = entry
        self.kind = kind
        self.chip = QLabel("Missing" if kind == "missing" else "Unexpected")
        self.chip.setObjectName("chip")
        self.chip.setProperty("tone", "warn")
        self.chip.setStyleSheet(f"color: {theme.DANGER};")
        self.who = QLabel(f"<b>{entry.detainee_no}</b> · {html.escape(entry.full_name)}<br>"
                          f"<span style='color:{theme.MUTED}'>Now: "
                          f"{html.escape(entry.location)}</span>")
        self.who.setTextFormat(Qt.TextFormat.RichText)
        # On one line when it fits in WHO_WIDTH; a longer name wraps rather than push the
        # editor off the panel.
        natural = self.who.sizeHint().width()
        self.who.setWordWrap(True)
        self.who.setMinimumWidth(min(natural, WHO_WIDTH))
        self.editor = QComboBox()
        self.editor.setEditable(True)
        self.editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.editor.addItems(MISSING_SUGGESTIONS if kind == "missing"
                             else UNEXPECTED_SUGGESTIONS)
        self.editor.setCurrentIndex(-1)
        self.editor.lineEdit().setPlaceholderText(
            "What became of them? Choose or type" if kind == "missing"
            else "Why were they here? Choose or type")
        self.editor.setMinimumWidth(200)
        self.editor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.editor.setMinimumContentsLength(18)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

    def text(self) -> str:
        return self.editor.currentText().strip()


class ResolutionPanel(QWidget):
    sig_close_requested = Signal()
    sig_back_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: dict[int, _Row] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addWidget(self._build_same_for_all())

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holder = QWidget()
        self.holder.setObjectName("resolutionRows")
        self.holder.setStyleSheet(f"QWidget#resolutionRows {{ background: {theme.SURFACE}; }}")
        self.grid = QGridLayout(self.holder)
        self.grid.setContentsMargins(10, 8, 10, 8)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(2, 1)  # the editor takes what the names leave
        self.scroll.setWidget(self.holder)
        layout.addWidget(self.scroll, 1)

        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        layout.addWidget(self.form_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton("Back to counting")
        self.back_button.clicked.connect(self.sig_back_requested)
        self.close_button = QPushButton("Close the count")
        theme.mark_primary(self.close_button)
        self.close_button.clicked.connect(self.sig_close_requested)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _build_same_for_all(self) -> QWidget:
        self.same_box = box = QFrame()
        box.setObjectName("sameForAll")
        box.setStyleSheet(f"QFrame#sameForAll {{ background: {theme.SURFACE}; "
                          f"border: 1px solid {theme.LINE}; border-radius: 4px; }}")
        row = QHBoxLayout(box)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(8)
        label = QLabel("Same resolution for all missing:")
        label.setStyleSheet("border: none; background: transparent;")
        row.addWidget(label)
        self.same_editor = QComboBox()
        self.same_editor.setEditable(True)
        self.same_editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.same_editor.addItems(MISSING_SUGGESTIONS)
        self.same_editor.setCurrentIndex(-1)
        self.same_editor.lineEdit().setPlaceholderText("Choose or type, then apply")
        self.same_editor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.same_editor.setMinimumContentsLength(18)
        self.same_editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.same_editor.lineEdit().returnPressed.connect(self.apply_same)
        row.addWidget(self.same_editor, 1)
        self.same_button = QPushButton("Apply to missing")
        self.same_button.setToolTip("Put this resolution in every missing row that has none "
                                    "yet; each can still be changed")
        self.same_button.clicked.connect(self.apply_same)
        row.addWidget(self.same_button)
        return box

    def apply_same(self) -> int:
        """The text of "same resolution for all missing" in every missing row with no
        resolution yet (each stays editable); how many rows it went to."""
        text = self.same_editor.currentText().strip()
        if not text:
            self.same_editor.setFocus()
            return 0
        done = 0
        for row in self.rows.values():
            if row.kind == "missing" and not row.text():
                row.editor.setEditText(text)
                done += 1
        self._update_same()
        return done

    def _update_same(self) -> None:
        empty = sum(1 for r in self.rows.values() if r.kind == "missing" and not r.text())
        self.same_button.setText(f"Apply to {empty} not yet resolved" if empty
                                 else "All missing resolved")
        self.same_button.setEnabled(empty > 0)

    # -- filling --------------------------------------------------------------------

    def set_entries(self, missing: tuple[CountEntryView, ...],
                    unexpected: tuple[CountEntryView, ...]) -> None:
        """Rebuild the rows, keeping what was typed for anyone still listed."""
        typed = {i: row.text() for i, row in self.rows.items()}
        errors = {i: row.error.text() for i, row in self.rows.items() if row.error.text()}
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows.clear()
        entries = [(e, "missing") for e in missing] + [(e, "unexpected") for e in unexpected]
        for n, (entry, kind) in enumerate(entries):
            row = _Row(entry, kind)
            if typed.get(entry.detention_id):
                row.editor.setEditText(typed[entry.detention_id])
            if errors.get(entry.detention_id):
                self._set_error(row, errors[entry.detention_id])
            self.rows[entry.detention_id] = row
            row.editor.editTextChanged.connect(
                lambda text, row=row: self._set_error(row, "") if text.strip() else None)
            row.editor.editTextChanged.connect(lambda _text: self._update_same())
            self.grid.addWidget(row.chip, 2 * n, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(row.who, 2 * n, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(row.editor, 2 * n, 2, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(row.error, 2 * n + 1, 2)
        self.grid.setRowStretch(2 * len(entries), 1)
        if entries:
            parts = [f"{len(missing)} missing"] if missing else []
            parts += [f"{len(unexpected)} unexpected"] if unexpected else []
            self.intro.setText(f"Give a resolution for every discrepancy below "
                               f"({', '.join(parts)}), then close the count. A card scanned "
                               "now still counts.")
        else:
            self.intro.setText("Everyone expected was counted and no one unexpected: "
                               "nothing to resolve. Close the count to record it.")
        self.scroll.setVisible(bool(entries))
        self.same_box.setVisible(len(missing) > 1)  # one row is as quick to type
        self._update_same()
        self.form_error.hide()

    def focus_first_empty(self) -> None:
        for row in self.rows.values():
            if not row.text():
                row.editor.setFocus()
                return

    # -- reading and errors ---------------------------------------------------------

    def resolutions(self) -> dict[int, str]:
        return {i: row.text() for i, row in self.rows.items() if row.text()}

    def editor(self, detention_id: int) -> QComboBox:
        return self.rows[detention_id].editor

    def error_text(self, detention_id: int) -> str:
        row = self.rows.get(detention_id)
        return row.error.text() if row is not None and not row.error.isHidden() else ""

    def clear_errors(self) -> None:
        for row in self.rows.values():
            self._set_error(row, "")
        self.form_error.hide()

    def show_errors(self, fields: dict[str, str]) -> None:
        """Each ``resolution:<id>`` message under its row; anything else above the buttons."""
        self.clear_errors()
        others = []
        first = None
        for key, message in fields.items():
            row = None
            if key.startswith("resolution:"):
                try:
                    row = self.rows.get(int(key.split(":", 1)[1]))
                except ValueError:
                    row = None
            if row is None:
                others.append(message)
                continue
            self._set_error(row, message)
            first = first or row
        if others:
            self.form_error.setText("\n".join(others))
            self.form_error.show()
        if first is not None:
            self.scroll.ensureWidgetVisible(first.editor)
            first.editor.setFocus()

    @staticmethod
    def _set_error(row: _Row, message: str) -> None:
        row.error.setText(message)
        row.error.setVisible(bool(message))
        row.editor.setStyleSheet(f"QComboBox {{ border: 1px solid {theme.DANGER}; }}"
                                 if message else "")
