"""User accounts: who may log in, with which roles; unlock and reset passwords."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import ROLE_LABELS
from depot_app.readmodels import UserView
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.operations import users as ops
from ui.users.dialogs import AddUserDialog, ResetPasswordDialog
from ui.widgets.page import page_header

COLUMNS = ["User name", "Full name", "Roles", "Status", "Last login"]


def _status(user: UserView) -> str:
    if not user.active:
        return "Inactive"
    if user.locked:
        return "Locked (too many failed attempts)"
    if user.failed_logins:
        return f"Active ({fmt.plural(user.failed_logins, 'failed attempt')})"
    return "Active"


class UsersPage(QWidget, ChangeAware):
    sig_status_message = Signal(str)
    sig_loaded = Signal()

    watched_areas = frozenset({areas.USERS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.users: list[UserView] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        layout.addWidget(page_header("Users", self.count_label))

        bar = QHBoxLayout()
        self.add_button = QPushButton("Add user…")
        self.unlock_button = QPushButton("Unlock")
        self.reset_button = QPushButton("Reset password…")
        for button in (self.add_button, self.unlock_button, self.reset_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self.add_button.clicked.connect(self.add_user)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.subscribe(ctx.bus)
        self.refresh()

    # -- data -----------------------------------------------------------------------

    def refresh(self) -> None:
        ops.list_users(self.ctx).parent(self).success(self._show).run_in_background()

    def _show(self, users: list[UserView]) -> None:
        selected = self.selected()
        self.users = users
        self.table.setRowCount(len(users))
        for r, user in enumerate(users):
            roles = ", ".join(ROLE_LABELS[role] for role in user.roles)
            values = (user.username, user.full_name, roles, _status(user),
                      fmt.when(user.last_login_at) or "Never")
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 3 and user.locked:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
            if selected and user.username == selected.username:
                self.table.selectRow(r)
        locked = sum(1 for u in users if u.locked)
        self.count_label.setText(fmt.plural(len(users), "account")
                                 + (f" · {locked} locked" if locked else ""))
        self._update_buttons()
        self.sig_loaded.emit()

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def _update_buttons(self) -> None:
        user = self.selected()
        self.unlock_button.setEnabled(bool(user and user.locked))
        self.reset_button.setEnabled(user is not None)

    # -- actions --------------------------------------------------------------------

    def add_user(self) -> AddUserDialog:
        dialog = AddUserDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._said(
            f"Added {dialog.result_view.username}." if dialog.result_view else ""))
        dialog.open()
        return dialog

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        (ops.unlock_user(self.ctx, user.username).parent(self)
         .success(lambda u: self._said(f"Unlocked {u.username}; they can log in again."))
         .run_in_background())

    def reset_selected(self) -> ResetPasswordDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = ResetPasswordDialog(self.ctx, user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._said(f"New password set for {user.username}."))
        dialog.open()
        return dialog

    def _said(self, text: str) -> None:
        if text:
            self.sig_status_message.emit(text)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.unsubscribe()
