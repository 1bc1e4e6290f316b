"""The lock screen that hides the window's content until the same user's password is given.

Failed attempts count like failed logins (``users.unlock_session``): after five the
account locks and only "Log out" is left.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import ROLE_LABELS, Actor
from depot_app.errors import AccountLocked, DepotError
from ui import theme
from ui.context import AppContext
from ui.operations import session as ops
from ui.widgets.busy import BusyState


class LockScreen(QWidget):
    sig_unlocked = Signal(object)  # Actor
    sig_logout_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)

        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(440)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 22)
        inner.setSpacing(10)
        title = QLabel("This workstation is locked")
        title.setObjectName("pageTitle")
        inner.addWidget(title)
        self.who = QLabel()
        self.who.setWordWrap(True)
        inner.addWidget(self.who)

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.returnPressed.connect(self.submit)
        inner.addWidget(self.password)
        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()
        inner.addWidget(self.message)

        row = QHBoxLayout()
        self.logout_button = QPushButton("Log out")
        self.logout_button.clicked.connect(self.sig_logout_requested)
        row.addWidget(self.logout_button)
        row.addStretch(1)
        self.unlock_button = QPushButton("Unlock")
        theme.mark_primary(self.unlock_button)
        self.unlock_button.clicked.connect(self.submit)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(3)
        self._busy = BusyState(self.unlock_button, "Checking…", [self.password])

    def prepare(self) -> None:
        """Called when the window locks."""
        actor = self.ctx.require_actor()
        roles = ", ".join(ROLE_LABELS[r] for r in sorted(actor.roles)) or "no role"
        depot = self.ctx.depot.name if self.ctx.depot else "Depot"
        self.who.setText(f"{depot}\n\n{actor.full_name} ({actor.username}, {roles}) is "
                         "logged in. Enter the password to continue, or log out.")
        self.password.clear()
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.show_message("")
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def submit(self) -> None:
        if self._busy.active or not self.password.isEnabled():
            return
        if not self.password.text():
            self.show_message("Enter your password.")
            return
        self._busy.begin()
        (ops.unlock(self.ctx, self.password.text()).parent(self)
         .finished(self._busy.end).success(self._unlocked).failure(self._refused)
         .run_in_background())

    def _unlocked(self, actor: Actor) -> None:
        self.password.clear()
        self.show_message("")
        self.sig_unlocked.emit(actor)

    def _refused(self, exc: DepotError) -> None:
        self.password.clear()
        # The user name is not in question here, only the password.
        self.show_message(str(exc).replace("Wrong user name or password.", "Wrong password."))
        if isinstance(exc, AccountLocked):
            self.password.setEnabled(False)
            self.unlock_button.setEnabled(False)
            self.logout_button.setFocus()
        else:
            self.password.setFocus()
