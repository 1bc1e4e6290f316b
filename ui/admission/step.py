"""One step of the admission wizard: a titled form whose fields carry the request's names,
so the service's field errors land under the fields that caused them."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.fields import FieldForm

_HEAD = re.compile(r"[.\[]")


class Step(QScrollArea):
    """Subclasses set ``title``, ``owns`` (the request's top-level field names shown here)
    and fill ``self.form``; ``collect`` adds their part of the request and any input it
    cannot read to ``errors``."""

    title = ""
    intro = ""
    owns: tuple[str, ...] = ()
    sig_advance = Signal()  # the step's own way to go on (e.g. a complete MRZ scanned)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(24, 18, 24, 18)
        self.body.setSpacing(10)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.body.addWidget(heading)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setObjectName("muted")
            intro.setWordWrap(True)
            self.body.addWidget(intro)
        self.form = FieldForm()
        self.body.addWidget(self.form)
        self.build()
        self.body.addStretch(1)
        self.setWidget(inner)

    def build(self) -> None:
        """Add the step's fields to ``self.form`` (and anything else to ``self.body``)."""

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        return {}

    def shows(self, field: str) -> bool:
        return field_head(field) in self.owns

    def first_input(self) -> QWidget | None:
        for name in self.form.field_names():
            widget = self.form.field(name)
            if widget.isEnabled() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                return widget
        return None

    def entered(self) -> None:
        """Called when the step comes on screen: focus its first input."""
        widget = self.first_input()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.TabFocusReason)

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) lines for the review step."""
        return []


def field_head(field: str) -> str:
    """The request field a service error names: ``family`` for ``family[1].detainee_no``."""
    return _HEAD.split(field, maxsplit=1)[0]


def wide_label(object_name: str = "") -> QLabel:
    """A wrapped label that takes the form's whole width (a form row squeezes it)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if object_name:
        label.setObjectName(object_name)
    return label


def read(errors: dict[str, str], name: str, widget) -> Any:
    """``widget.value()``, or None with the reason in ``errors`` under ``name``."""
    try:
        return widget.value()
    except ValueError as exc:
        errors[name] = str(exc)
        return None
