"""Adding a user and resetting a password: field errors beside the fields."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import ROLE_LABELS, Role
from depot_app.errors import DepotError, ValidationError
from depot_app.readmodels import UserView
from depot_app.services.users import NewUser
from ui import theme
from ui.context import AppContext
from ui.operations import users as ops
from ui.widgets.busy import BusyState
from ui.widgets.fields import FieldForm


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    def __init__(self, title: str, action: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 16, 20, 14)
        self.form = FieldForm()
        self.layout_.addWidget(self.form)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        theme.mark_primary(self.ok)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)
        self.result_view: UserView | None = None

    def submit(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.fields)
        else:
            self.form.show_message(str(exc))

    def _done(self, view: UserView) -> None:
        self.result_view = view
        self.accept()


class AddUserDialog(_FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Add a user", "Add user", parent)
        self.ctx = ctx
        f = self.form
        f.add_field("username", "User name", QLineEdit())
        f.field("username").setPlaceholderText("lower case: letters, digits, . _ -")
        f.add_field("full_name", "Full name", QLineEdit())
        roles = QWidget()
        grid = QGridLayout(roles)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(16)
        self.role_boxes: dict[Role, QCheckBox] = {}
        for i, role in enumerate(Role):
            box = QCheckBox(ROLE_LABELS[role])
            self.role_boxes[role] = box
            grid.addWidget(box, i // 3, i % 3)
        f.add_field("roles", "Roles", roles)
        f.add_field("password", "Password", _password(), "At least 8 characters")
        f.add_field("password_again", "Password again", _password())
        self._busy = BusyState(self.ok, "Adding…", [roles] + [
            f.field(n) for n in ("username", "full_name", "password", "password_again")])
        f.field("username").setFocus()

    def request(self) -> NewUser:
        f = self.form
        return NewUser(f.field("username").text(), f.field("full_name").text(),
                       tuple(r for r, box in self.role_boxes.items() if box.isChecked()),
                       f.field("password").text())

    def submit(self) -> None:
        if self._busy.active:
            return
        f = self.form
        if not _passwords_agree(f):
            return
        self._busy.begin()
        (ops.add_user(self.ctx, self.request()).parent(self).finished(self._busy.end)
         .success(self._done).failure(self._refused).run_in_background())


class ResetPasswordDialog(_FormDialog):
    def __init__(self, ctx: AppContext, user: UserView, parent: QWidget | None = None):
        super().__init__(f"Reset the password of {user.username}", "Set password", parent)
        self.ctx = ctx
        self.user = user
        self.form.show_message("")
        self.form.add_field("password", "New password", _password(), "At least 8 characters")
        self.form.add_field("password_again", "Again", _password())
        self._busy = BusyState(self.ok, "Saving…", [self.form.field("password"),
                                                    self.form.field("password_again")])
        self.form.field("password").setFocus()

    def submit(self) -> None:
        if self._busy.active:
            return
        f = self.form
        if not _passwords_agree(f):
            return
        self._busy.begin()
        (ops.reset_password(self.ctx, self.user.username, f.field("password").text())
         .parent(self).finished(self._busy.end).success(self._done).failure(self._refused)
         .run_in_background())


def _passwords_agree(form) -> bool:
    """Both password fields the same; otherwise say so next to the second one."""
    if form.field("password").text() != form.field("password_again").text():
        form.show_errors({"password_again": "The two passwords differ"})
        return False
    form.clear_errors()
    return True
