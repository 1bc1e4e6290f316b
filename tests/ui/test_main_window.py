"""The main window: areas by role, idle lock and unlock, Ctrl+L, the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.conftest import PASSWORD
from ui.main_window import MainWindow

from . import helpers


@pytest.fixture
def window_for(qtbot, ctx, db):
    made = []

    def _make(username="clerk1", idle_timeout_ms=60_000):
        from depot_app.services import setup
        ctx.actor = helpers.actor(db, username)
        with db.read() as uow:
            ctx.depot = setup.current_depot(uow)
        window = MainWindow(ctx, idle_timeout_ms=idle_timeout_ms)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        made.append(window)
        return window

    yield _make
    for window in made:
        window.teardown()


def test_navigation_shows_only_what_the_user_may_use(window_for):
    clerk = window_for("clerk1")
    labels = [clerk.nav.item(i).text() for i in range(clerk.nav.count())]
    assert labels == ["Dashboard", "Detainees", "Admit", "Roll", "Medical", "Court"]
    warden = window_for("warden1")  # wardens count, and do not admit
    assert [warden.nav.item(i).text() for i in range(warden.nav.count())] == \
        ["Dashboard", "Detainees", "Roll", "Headcount", "Medical", "Court"]
    admin = window_for("admin")  # administrators keep the cells, not the detainees
    assert [admin.nav.item(i).text() for i in range(admin.nav.count())] == \
        ["Dashboard", "Detainees", "Roll", "Medical", "Court", "Locations", "Users"]


def test_status_bar_names_user_depot_database_and_workstation(window_for, db):
    window = window_for("clerk1")
    status = window.status
    assert status.user.text() == "Clerk1 (Clerk)"
    assert status.depot.text() == "Depot Imigresen Semenyih"
    assert status.database.text() == f"SQLite: {db.engine.url.database}"
    assert status.workstation.text().startswith("Workstation ")


def test_menus_lead_somewhere(window_for):
    window = window_for("clerk1")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Go", "&Help"]
    file_items = [a.text() for a in window.menuBar().actions()[0].menu().actions()
                  if not a.isSeparator()]
    assert file_items == ["&Lock now", "Log &out", "&Quit"]
    assert window.lock_action.shortcut().toString() == "Ctrl+L"


def test_idle_timeout_locks_and_password_unlocks(qtbot, window_for, ctx):
    window = window_for("clerk1", idle_timeout_ms=300)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.screens.currentWidget() is window.lock_screen
    assert not window.scanner.enabled
    lock = window.lock_screen
    assert "Clerk1 (clerk1, Clerk) is logged in" in lock.who.text()

    lock.password.setText("wrong password")
    lock.submit()
    qtbot.waitUntil(lambda: lock.message.isVisible() and lock.unlock_button.isEnabled(),
                    timeout=10000)
    assert lock.message.text() == ("Wrong password. 4 attempts left before the account is "
                                   "locked.")
    assert window.locked

    lock.password.setText(PASSWORD)
    with qtbot.waitSignal(lock.sig_unlocked, timeout=10000):
        qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert not window.locked
    assert window.screens.currentIndex() == 0 and window.scanner.enabled
    assert ctx.actor.username == "clerk1"
    # Idle again after the timeout: the monitor runs again after unlocking.
    qtbot.waitUntil(lambda: window.locked, timeout=3000)


def test_input_keeps_the_window_unlocked(qtbot, window_for):
    window = window_for("clerk1", idle_timeout_ms=400)
    for _ in range(6):
        qtbot.wait(150)
        qtbot.mouseMove(window.nav, window.nav.rect().center())
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert not window.locked


def test_ctrl_l_locks_at_once_and_closes_dialogs(qtbot, window_for):
    window = window_for("admin")
    users = window.show_area("users")
    qtbot.waitUntil(lambda: bool(users.users), timeout=5000)
    dialog = users.add_user()
    assert dialog.isVisible()
    window.lock_action.trigger()
    assert window.locked
    assert not dialog.isVisible()  # nothing readable stays over the lock screen
    assert not any(d.isVisible() for d in window.findChildren(QDialog))


def test_five_failures_at_the_lock_screen_leave_only_log_out(qtbot, window_for):
    window = window_for("warden1")
    window.lock()
    lock = window.lock_screen
    for _ in range(5):
        lock.password.setText("nope")
        lock.submit()
        qtbot.waitUntil(lambda: not lock._busy.active, timeout=10000)
    assert "now locked" in lock.message.text()
    assert not lock.password.isEnabled() and not lock.unlock_button.isEnabled()
    with qtbot.waitSignal(window.sig_logout_requested, timeout=1000):
        lock.logout_button.click()


def test_double_clicking_a_block_on_the_roll_lists_who_is_on_its_roll(qtbot, window_for, db):
    ids = helpers.admit_many(db, 10)  # eight placed in Blok A's cells, two in reception
    window = window_for("warden1")
    roll = window.show_area("roll")
    qtbot.waitUntil(lambda: roll.table.rowCount() >= 2, timeout=5000)
    row = next(r for r in range(roll.table.rowCount())
               if roll.table.item(r, 0).text() == "Blok A")
    assert roll.where_at(row, 0) == ("block:A", "the roll of Blok A")
    area = window.areas["detainees"]
    page = area.list_page
    page.search.setText("ZZZ")  # an old search does not narrow the roll's list
    with qtbot.waitSignal(page.model.modelReset, timeout=5000):
        roll.table.cellDoubleClicked.emit(row, 0)
    assert window.area_stack.currentWidget() is area
    assert page.where == "block:A" and "the roll of Blok A" in page.where_label.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 8, timeout=5000)
    assert len(ids) == 10
    assert page.search.text() == ""
    window.find_detainee()  # Ctrl+F looks for someone everywhere
    assert page.where == "" and page.where_label.isHidden()
    qtbot.waitUntil(lambda: page.model.rowCount() == 10, timeout=5000)
