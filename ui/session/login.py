"""The login dialog: user name and password, checked on the worker (argon2 takes ~100 ms)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import Actor
from depot_app.errors import DepotError
from ui import theme
from ui.context import AppContext
from ui.operations import session as ops
from ui.session.header import dialog_header, footer_text
from ui.widgets.busy import BusyState


class LoginDialog(QDialog):
    sig_logged_in = Signal(object)  # Actor

    def __init__(self, ctx: AppContext, username: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.setWindowTitle("Depot – Log in")
        self.setMinimumWidth(420)
        depot = ctx.depot.name if ctx.depot else "Depot"

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(dialog_header("Log in", depot))

        self.username = QLineEdit(username)
        self.username.setPlaceholderText("e.g. clerk1")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton("Log in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setDefault(True)
        theme.mark_primary(self.login_button)
        quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if ctx.database:
            layout.addWidget(footer_text(ctx.database.display, ctx.workstation))

        self._busy = BusyState(self.login_button, "Checking…", [self.username, self.password])
        (self.password if username else self.username).setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def submit(self) -> None:
        if self._busy.active:
            return
        name = self.username.text().strip()
        if not name:
            self.show_message("Enter your user name.")
            self.username.setFocus()
            return
        if not self.password.text():
            self.show_message("Enter your password.")
            self.password.setFocus()
            return
        self.show_message("")
        self._busy.begin()
        (ops.login(self.ctx, name, self.password.text()).parent(self)
         .success(self._logged_in).failure(self._refused).finished(self._busy.end)
         .run_in_background())

    def _logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.password.clear()
        self.sig_logged_in.emit(actor)
        self.accept()

    def _refused(self, exc: DepotError) -> None:
        self.show_message(str(exc))
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        if not self._busy.active:
            super().reject()
