"""Forms whose field errors sit next to their fields, in red, naming the reason.

A :class:`FieldForm` is a ``QFormLayout`` that knows each field by the name a service's
:class:`~depot_app.errors.ValidationError` uses, so ``show_errors(exc.fields)`` puts each
reason under its field. Reasons for fields the form does not show go to the form's
general message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


class FieldForm(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setVerticalSpacing(5)
        self.form.setHorizontalSpacing(12)
        outer.addLayout(self.form)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add_field(self, name: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        # The hint and the error are rows of their own under the field: a wrapped QLabel
        # directly in a form row gets the height it needs at the row's width (nested in a
        # column widget it was cut in half).
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, widget.sizePolicy().verticalPolicy())
        self.form.addRow(label, widget)
        if hint:
            note = QLabel(hint)
            note.setObjectName("muted")
            note.setWordWrap(True)
            note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.form.addRow("", note)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Under its field: the form may size the row for more lines than the text needs.
        error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.addRow("", error)
        self.form.setRowVisible(error, False)
        self._fields[name] = widget
        self._errors[name] = error
        return widget

    def add_section(self, title: str) -> None:
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.form.addRow(heading)

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    def field_names(self) -> list[str]:
        """The fields in the order they were added (the tab order)."""
        return list(self._fields)

    def error_text(self, name: str) -> str:
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def error_label(self, name: str) -> QLabel:
        return self._errors[name]

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            self.form.setRowVisible(label, False)
        self.message.clear()
        self.message.hide()

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        """Put each reason under its field and focus the first bad field."""
        self.clear_errors()
        leftovers = []
        first: QWidget | None = None
        for name, reason in errors.items():
            label = self._errors.get(name)
            if label is None:
                leftovers.append(reason)
                continue
            label.setText(reason)
            self.form.setRowVisible(label, True)
            if first is None:
                first = self._fields[name]
        text = "\n".join(x for x in [general, *leftovers] if x)
        if not text and errors:
            text = "Please correct the fields marked in red."
        self.show_message(text)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._fit_window()

    def _fit_window(self) -> None:
        """Grow the dialog for the error lines instead of squeezing the fields, and keep
        it on the screen."""
        window = self.window()
        layout = window.layout() if window is not self else None
        if layout is None or not window.isVisible():
            return
        layout.activate()
        # Wrapped messages: their height at this width (sizeHint measures them narrower).
        need = layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() \
            else window.sizeHint().height()
        if window.height() < need:
            window.resize(window.width(), need)
        screen = window.screen().availableGeometry() if window.screen() else None
        frame = window.frameGeometry()
        if screen is not None and frame.bottom() > screen.bottom():
            window.move(frame.x(), max(screen.top(), screen.bottom() - frame.height()))
