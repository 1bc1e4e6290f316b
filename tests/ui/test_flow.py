"""The whole start: open the database, set up or log in, the main window; log out; and
changes from another workstation arriving by the poller."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from shiboken6 import Shiboken

from depot_app.database import Database
from tests.conftest import PASSWORD
from ui.detainees.list_page import DetaineeListPage
from ui.remote import RemoteChangePoller
from ui.session.first_run import FirstRunDialog
from ui.session.login import LoginDialog
from ui.startup import SessionFlow

from . import helpers


@pytest.fixture
def flow_for(qtbot):
    flows = []

    def _make(url):
        flow = SessionFlow(url, idle_timeout_ms=600_000, poll_interval_ms=100)
        flow.ctx.errors.dialogs_enabled = False
        flows.append(flow)
        return flow

    yield _make
    for flow in flows:
        flow.finish(0)
        for widget in (flow.dialog, flow.window, flow._retired):
            if widget is not None and Shiboken.isValid(widget):
                widget.close()
                widget.deleteLater()  # run by the autouse fixture in conftest


def test_login_then_main_window_then_log_out(qtbot, flow_for, db):
    url = db.url
    db.dispose()
    flow = flow_for(url)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=10000)
    login = flow.dialog
    assert login.windowTitle() == "Depot – Log in"
    login.username.setText("clerk1")
    login.password.setText(PASSWORD)
    with qtbot.waitSignal(flow.sig_window_shown, timeout=10000) as shown:
        login.submit()
    window = shown.args[0]
    assert window.status.user.text() == "Clerk1 (Clerk)"
    assert flow.ctx.database.display.startswith("SQLite: ")

    flow.log_out()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog) and flow.dialog is not login,
                    timeout=5000)
    assert flow.window is None and flow.ctx.actor is None
    assert flow.dialog.username.text() == ""  # the next user types their own name


def test_an_empty_database_starts_with_first_run(qtbot, flow_for, empty_db):
    url = empty_db.url
    flow = flow_for(url)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, FirstRunDialog), timeout=10000)
    dialog = flow.dialog
    values = dict(depot_code="SMY", depot_name="Depot Imigresen Semenyih",
                  admin_username="admin", admin_full_name="Aminah Yusof",
                  admin_password=PASSWORD, admin_password_again=PASSWORD)
    for name, value in values.items():
        widget = dialog.form.field(name)
        assert isinstance(widget, QLineEdit)
        widget.setText(value)
    dialog.submit()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=10000)
    assert flow.dialog.username.text() == "admin"  # offered after set-up
    assert flow.ctx.depot.code == "SMY"


def test_a_database_that_cannot_be_opened_explains_and_exits(qtbot, flow_for, tmp_path):
    flow = flow_for("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    codes = []
    flow.sig_finished.connect(codes.append)
    flow.start()
    qtbot.waitUntil(lambda: flow.dialog is not None, timeout=15000)
    box = flow.dialog
    assert "could not be opened" in box.text()
    assert "secret" not in box.informativeText()
    assert "nobody:***@127.0.0.1" in box.informativeText()
    box.done(0)
    assert codes == [2]


def test_changes_at_another_workstation_refresh_the_list(qtbot, clerk_ctx, db):
    page = DetaineeListPage(clerk_ctx, search_delay_ms=10)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.count_label.text() == "0 in custody", timeout=5000)
    poller = RemoteChangePoller(clerk_ctx, interval_ms=100)
    poller.start()
    try:
        qtbot.wait(300)  # the first poll takes the baseline
        other = Database(db.url)  # another workstation
        try:
            with qtbot.waitSignal(clerk_ctx.bus.changed, timeout=5000,
                                  check_params_cb=lambda c: c.remote):
                helpers.admit_many(other, 2, with_cells=False)
        finally:
            other.dispose()
        qtbot.waitUntil(lambda: page.count_label.text() == "2 in custody", timeout=5000)
    finally:
        poller.stop()


@pytest.mark.parametrize("how", ["lock screen button", "file menu"])
def test_log_out_from_inside_the_window(qtbot, flow_for, db, how):
    """The window is deleted while its own button or menu action is being handled: it must
    outlive that handling (a parentless window dies with its last Python reference)."""
    from PySide6.QtCore import Qt

    url = db.url
    db.dispose()
    flow = flow_for(url)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=10000)
    flow.dialog.username.setText("clerk1")
    flow.dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(flow.sig_window_shown, timeout=10000):
        flow.dialog.submit()
    first_login = flow.dialog
    if how == "lock screen button":
        flow.window.lock()
        qtbot.mouseClick(flow.window.lock_screen.logout_button, Qt.MouseButton.LeftButton)
    else:
        file_menu = flow.window.menuBar().actions()[0].menu()
        next(a for a in file_menu.actions() if a.text() == "Log &out").trigger()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog)
                    and flow.dialog is not first_login, timeout=5000)
    qtbot.wait(50)  # the old window's deferred deletion runs here
    assert flow.window is None
