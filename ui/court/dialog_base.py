"""What the court dialogs share: the frame of ``ui.movements.common.DetaineeDialog`` (the
detainee at the top, a form whose fields carry the request's names, one main button, one
way to handle the answer), a warning line under the form, and ``sig_done``.

A ``ValidationError`` puts each reason under the field it names (reasons about fields the
form does not show go to its message) and nothing closes; a ``ConflictError`` (changed at
another workstation) says so in words and calls ``reload()`` so the dialog works from the
record as it is now. On success the dialog emits ``sig_done`` with the operation's
:class:`~depot_app.changes.Result` and closes with ``confirmation`` set.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.movements.common import DetaineeDialog
from ui.widgets.fields import NoteLabel

CONFLICT_WORDS = ("Someone else changed this production or the detainee's record at another "
                  "workstation while this window was open. It has been read again: check it "
                  "as it is now, then try again if this is still right.")


class CourtDialog(DetaineeDialog):
    sig_done = Signal(object)  # the Result of the saved change

    conflict_words = CONFLICT_WORDS

    def __init__(self, ctx: AppContext, title: str, action: str, busy_text: str,
                 parent: QWidget | None = None, *, width: int = 600):
        super().__init__(ctx, title, action, busy_text, parent, width=width)
        self.warning = NoteLabel()
        self.warning.setObjectName("banner")
        self.warning.hide()
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.form) + 1, self.warning)

    def set_warning(self, text: str, *, danger: bool = False) -> None:
        self.warning.setObjectName("formError" if danger else "banner")
        self.warning.style().unpolish(self.warning)
        self.warning.style().polish(self.warning)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))
        self._fit_soon()

    def error_text(self, name: str) -> str:
        return self.form.error_text(name)

    def saved(self, value: object) -> None:
        self.sig_done.emit(value)
