"""Logging in, first-run set-up, and the lock screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from depot_app.services import setup
from tests.conftest import PASSWORD
from ui import theme
from ui.session.first_run import FirstRunDialog
from ui.session.login import LoginDialog

from .conftest import make_ctx

# -- login ----------------------------------------------------------------------------

def _login(qtbot, ctx, username, password):
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText(username)
    dialog.password.setText(password)
    return dialog


def test_login_success_sets_the_actor_and_accepts(qtbot, ctx):
    dialog = _login(qtbot, ctx, "clerk1", PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor.username == "clerk1"
    assert dialog.actor.full_name == "Clerk1"


def test_login_failure_says_why_and_counts_down(qtbot, ctx):
    dialog = _login(qtbot, ctx, "clerk1", "not the password")
    with qtbot.waitSignal(dialog.login_button.clicked, timeout=1000):
        dialog.login_button.click()
    assert not dialog.login_button.isEnabled()  # busy while argon2 works on the worker
    assert dialog.login_button.text() == "Checking…"
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert dialog.message.text() == ("Wrong user name or password. 4 attempts left before "
                                     "the account is locked.")
    assert dialog.login_button.isEnabled() and dialog.password.text() == ""
    assert dialog.actor is None and dialog.isVisible()


def test_login_asks_for_missing_fields_without_a_database_call(qtbot, ctx):
    dialog = _login(qtbot, ctx, "", "")
    dialog.submit()
    assert dialog.message.text() == "Enter your user name."
    dialog.username.setText("clerk1")
    dialog.submit()
    assert dialog.message.text() == "Enter your password."
    assert not ctx.worker.busy


def test_fifth_failure_locks_the_account(qtbot, ctx):
    dialog = _login(qtbot, ctx, "warden1", "wrong")
    for _ in range(5):
        dialog.password.setText("wrong")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10000)
    assert "now locked" in dialog.message.text()
    dialog.password.setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10000)
    assert "locked" in dialog.message.text() and dialog.actor is None


# -- first run ------------------------------------------------------------------------

@pytest.fixture
def empty_ctx(qtbot, empty_db):
    context = make_ctx(empty_db)
    yield context
    context.worker.shutdown()


def _fill(dialog: FirstRunDialog, **values):
    for name, value in values.items():
        widget = dialog.form.field(name)
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        else:
            widget.setEditText(value)


def _submit(qtbot, dialog):
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.create_button.isEnabled(), timeout=10000)


def test_first_run_shows_each_reason_beside_its_field(qtbot, empty_ctx, empty_db):
    dialog = FirstRunDialog(empty_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, depot_code="s1", depot_name="", depot_state="Selangor",
          admin_username="Admin!", admin_full_name="Aminah Yusof",
          admin_password="short", admin_password_again="different")
    _submit(qtbot, dialog)
    form = dialog.form
    assert form.error_text("depot_code") == "Depot code must be 2 to 6 letters, e.g. SMY"
    assert form.error_text("depot_name") == "Depot name is required"
    assert "User name must start with a letter" in form.error_text("admin_username")
    assert form.error_text("admin_password") == "Password must be at least 8 characters"
    assert form.error_text("admin_password_again") == "The two passwords differ"
    assert form.error_text("depot_state") == ""
    assert form.error_text("admin_full_name") == ""
    assert form.message.text() == "Please correct the fields marked in red."
    assert form.error_label("admin_username").objectName() == "fieldError"  # red, by the theme
    assert f"QLabel#fieldError {{ color: {theme.DANGER}; }}" in theme.STYLESHEET
    assert dialog.result() == 0 and dialog.isVisible()

    # Corrected fields lose their messages on the next try.
    _fill(dialog, depot_code="smy", depot_name="Depot Imigresen Semenyih")
    _submit(qtbot, dialog)
    assert form.error_text("depot_code") == "" and form.error_text("depot_name") == ""
    assert form.error_text("admin_password") == "Password must be at least 8 characters"
    with empty_db.read() as uow:
        assert not setup.is_initialised(uow)


def test_first_run_creates_the_depot_and_administrator(qtbot, empty_ctx, empty_db):
    dialog = FirstRunDialog(empty_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, depot_code="sm", depot_name="Depot Imigresen Semenyih",
          depot_state="Selangor", admin_username="Admin", admin_full_name="Aminah Yusof",
          admin_password=PASSWORD, admin_password_again=PASSWORD)
    with qtbot.waitSignal(empty_ctx.bus.changed, timeout=10000) as changed, \
            qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.create_button.click()
    assert changed.args[0].touches("depot", "users")
    assert dialog.depot.code == "SM" and dialog.admin_username == "admin"
    with empty_db.read() as uow:
        assert setup.is_initialised(uow)
