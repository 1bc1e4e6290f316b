"""Forms whose field errors sit next to their fields, in red, naming the reason.

A :class:`FieldForm` is a ``QFormLayout`` that knows each field by the name a service's
:class:`~depot_app.errors.ValidationError` uses, so ``show_errors(exc.fields)`` puts each
reason under its field. Reasons for fields the form does not show go to the form's
general message.

A field's reason goes as soon as the user changes that field (it was about the old
value); the dialog is told (``sig_changed_size``) so it can fit its height again. A hint
or a reason takes the height of its lines at the form's width (:class:`NoteLabel`), not
the two lines a wrapped label asks for before it knows its width.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

GENERIC = "Please correct the fields marked in red."


class NoteLabel(QLabel):
    """A wrapped label as high as its lines at the width it was given.

    A word-wrapped ``QLabel`` reports a size hint measured at a narrow guess of its width,
    so a one-line hint in a form row was given the height of two. Once it has its width,
    this one asks for the height of its text at that width (and asks again when the width
    changes). It does not ask its layout for height-for-width: a ``QFormLayout`` doing
    that placed the rows after a row that had been hidden as if it were squeezed (a hint
    drawn over the list above it)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def _fitted(self, hint: QSize) -> QSize:
        if self.width() > hint.width() and self.text():
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._fitted(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._fitted(super().minimumSizeHint())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


class FieldForm(QWidget):
    sig_changed_size = Signal()  # a message came or went: the window may fit its height

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.message = NoteLabel()
        self.message.setObjectName("formError")
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
            note = NoteLabel(hint)
            note.setObjectName("muted")
            self.form.addRow("", note)
        error = NoteLabel()
        error.setObjectName("fieldError")
        self.form.addRow("", error)
        self.form.setRowVisible(error, False)
        self._fields[name] = widget
        self._errors[name] = error
        self._watch(name, widget)
        return widget

    def _watch(self, name: str, widget: QWidget) -> None:
        """Clear the field's reason when the user changes the field (or anything in it)."""
        def clear(*_args) -> None:
            self.clear_error(name)
        for w in [widget, *widget.findChildren(QWidget)]:
            if isinstance(w, QLineEdit):
                w.textEdited.connect(clear)  # typed, not set by the program
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                w.textChanged.connect(clear)
            elif isinstance(w, QComboBox):
                w.activated.connect(clear)  # chosen (typing: its line edit, above)
            elif isinstance(w, QDateTimeEdit):
                w.dateTimeChanged.connect(clear)
            elif isinstance(w, QAbstractSpinBox) and hasattr(w, "valueChanged"):
                w.valueChanged.connect(clear)
            elif isinstance(w, QAbstractButton):
                w.clicked.connect(clear)
            elif isinstance(w, QAbstractItemView):
                w.clicked.connect(clear)
                if isinstance(w, (QListWidget, QTableWidget)):
                    w.itemChanged.connect(clear)  # a box ticked, a cell typed in
                if isinstance(w, QListWidget):
                    w.itemSelectionChanged.connect(clear)

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

    def clear_error(self, name: str) -> None:
        """The reason under one field goes (the user changed it); the general "correct the
        fields marked in red" goes with the last of them."""
        label = self._errors.get(name)
        if label is None or label.isHidden() and not label.text():
            return
        label.clear()
        self.form.setRowVisible(label, False)
        if self.message.text() == GENERIC and not any(
                not e.isHidden() for e in self._errors.values()):
            self.message.clear()
            self.message.hide()
        self.sig_changed_size.emit()

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
            text = GENERIC
        self.show_message(text)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._fit_window()
        self.sig_changed_size.emit()

    def fit_window(self) -> None:
        """Grow the window for what the form shows now (a warning that appeared)."""
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
