"""What the court dialogs share: the detainee at the top, a form whose fields carry the
request's names, a warning line, one main button, and one way to handle the answer.

A ``ValidationError`` puts each reason under the field it names (reasons about fields the
form does not show go to its message) and nothing closes; a ``ConflictError`` (changed at
another workstation) says so in words and calls ``reload()`` so the dialog works from the
record as it is now. On success the dialog emits ``sig_done`` with the operation's
:class:`~depot_app.changes.Result` and closes with ``confirmation`` set.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from depot_app.errors import ConflictError, DepotError, ValidationError
from ui import theme
from ui.context import AppContext
from ui.movements.common import REQUIRED_MARK, DetaineeHeader
from ui.operations.errors import describe
from ui.operations.op import DbOp
from ui.widgets.busy import BusyState
from ui.widgets.fields import FieldForm, NoteLabel

CONFLICT_WORDS = ("Someone else changed this production or the detainee's record at another "
                  "workstation while this window was open. It has been read again: check it "
                  "as it is now, then try again if this is still right.")


class CourtDialog(QDialog):
    sig_done = Signal(object)  # the Result of the saved change

    def __init__(self, ctx: AppContext, title: str, action: str, busy_text: str,
                 parent: QWidget | None = None, *, width: int = 600):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.confirmation = ""
        self.result_value: object | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        self.header = DetaineeHeader()
        layout.addWidget(self.header)
        self.intro = NoteLabel()
        self.intro.hide()
        layout.addWidget(self.intro)
        self.form = FieldForm()
        self.form.sig_changed_size.connect(self._fit_soon)
        layout.addWidget(self.form)
        self.warning = NoteLabel()
        self.warning.setObjectName("banner")
        self.warning.hide()
        layout.addWidget(self.warning)
        foot = QHBoxLayout()
        self.legend = QLabel(f"Fields marked{REQUIRED_MARK} must be filled in.")
        self.legend.setObjectName("muted")
        foot.addWidget(self.legend)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        theme.mark_primary(self.ok)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        foot.addWidget(buttons, 1)
        layout.addLayout(foot)
        self._busy = BusyState(self.ok, busy_text, [self.form])

    # -- building -------------------------------------------------------------------

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))
        self._fit_soon()

    def set_warning(self, text: str, *, danger: bool = False) -> None:
        self.warning.setObjectName("formError" if danger else "banner")
        self.warning.style().unpolish(self.warning)
        self.warning.style().polish(self.warning)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))
        self._fit_soon()

    # -- size -----------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fit_height()
        QTimer.singleShot(0, self.fit_height)

    def fit_height(self) -> None:
        layout = self.layout()
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        need = max(need, layout.totalMinimumSize().height())
        if need != self.height():
            self.resize(self.width(), need)
        screen = self.screen().availableGeometry() if self.screen() else None
        frame = self.frameGeometry()
        if screen is not None and self.isVisible() and frame.bottom() > screen.bottom():
            self.move(frame.x(), max(screen.top(), screen.bottom() - frame.height()))

    def _fit_soon(self) -> None:
        if self.isVisible():
            QTimer.singleShot(0, self, self.fit_height)

    # -- running --------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy.active

    def submit(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def run(self, op: DbOp, confirmation: str) -> None:
        self.form.clear_errors()
        self._busy.begin()
        (op.parent(self).finished(self._busy.end)
         .success(lambda result: self._done(result, confirmation))
         .failure(self._refused).run_in_background())

    def field_for(self, key: str) -> str:
        """The form field that shows a service error named ``key``."""
        return key

    def show_errors(self, errors: dict[str, str]) -> None:
        shown: dict[str, str] = {}
        for key, reason in errors.items():
            name = self.field_for(key)
            shown[name] = f"{shown[name]}; {reason}" if name in shown else reason
        self.form.show_errors(shown)

    def error_text(self, name: str) -> str:
        return self.form.error_text(name)

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.fields)
        elif isinstance(exc, ConflictError):
            self.form.show_message(CONFLICT_WORDS)
            self.reload()
        else:
            self.form.show_message(describe(exc))

    def reload(self) -> None:
        """Read what the dialog works on again (after a conflict)."""

    def _done(self, result: object, confirmation: str) -> None:
        self.result_value = result
        self.confirmation = confirmation
        self.sig_done.emit(result)
        self.accept()
