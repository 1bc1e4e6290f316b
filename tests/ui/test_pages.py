"""Dashboard, record card and users page: what they show and when they refresh."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from db.models import Detention
from depot_app import changes as areas
from depot_app.changes import Changes
from depot_app.services import admission
from tests.conftest import PASSWORD
from ui.dashboard.page import DashboardPage
from ui.detainees.detail import DetaineeRecordView
from ui.detainees.record_text import history_warning
from ui.users.page import UsersPage

from . import helpers


def test_dashboard_shows_the_counts_and_opens_recent_admissions(qtbot, clerk_ctx, db):
    ids = helpers.admit_many(db, 10)
    page = DashboardPage(clerk_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None, timeout=5000)
    assert page.tiles["in_custody"].value.text() == "10"
    assert page.tiles["capacity"].value.text() == "120"  # 4 cells of 30
    assert page.recent.rowCount() == 8
    assert page.by_block.item(0, 0).text() == "Blok A"
    with qtbot.waitSignal(page.sig_open_detainee, timeout=2000) as opened:
        page.recent.itemActivated.emit(page.recent.item(0, 1))
    assert opened.args[0] in ids


def test_dashboard_refreshes_when_detainees_change(qtbot, clerk_ctx, db):
    page = DashboardPage(clerk_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None, timeout=5000)
    assert page.view.in_custody == 0
    helpers.admit_many(db, 3, with_cells=False)
    with qtbot.waitSignal(page.sig_loaded, timeout=5000):
        clerk_ctx.bus.publish(Changes.of(areas.DETAINEES))
    assert page.tiles["in_custody"].value.text() == "3"
    # Areas it does not show do not reload it.
    with qtbot.assertNotEmitted(page.sig_loaded, wait=300):
        clerk_ctx.bus.publish(Changes.of(areas.USERS))


def test_a_hidden_page_refreshes_when_shown_again(qtbot, clerk_ctx, db):
    page = DashboardPage(clerk_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None, timeout=5000)
    page.hide()
    helpers.admit_many(db, 2, with_cells=False)
    with qtbot.assertNotEmitted(page.sig_loaded, wait=300):
        clerk_ctx.bus.publish(Changes.of(areas.DETAINEES))
    with qtbot.waitSignal(page.sig_loaded, timeout=5000):
        page.show()
    assert page.view.in_custody == 2
    page.close_page()
    with qtbot.assertNotEmitted(page.sig_loaded, wait=300):
        clerk_ctx.bus.publish(Changes.of(areas.DETAINEES))  # unsubscribed


def test_record_card_shows_the_particulars_and_a_previous_removal(qtbot, clerk_ctx, db):
    first, number = helpers.admit_one(db, "Nguyễn Văn Tuấn", document="C1234567")
    helpers.end_episode(db, first, "removed")
    with db.write() as uow:
        person_id = uow.session.get(Detention, first).person_id
        again = admission.admit(uow, clerk_ctx.actor, admission.AdmissionRequest(
            existing_person_id=person_id, legal_basis="s.36",
            arrested_at=db.clock.now() - dt.timedelta(hours=2))).value.id
    view = DetaineeRecordView(clerk_ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(again)
    assert view.name.text() == "Nguyễn Văn Tuấn"
    assert view.number.text().startswith("SMY-")
    assert view.particulars.value("Nationality").endswith(")")
    assert view.photo.text() == "No photo\non record"
    assert view.banner.isVisible()
    assert f"Previously removed from Malaysia: {number}" in view.banner.text()
    assert "s.36" in view.banner.text()
    stages = view.authority.stages  # the legal authority section: one list of stages
    assert stages.item(0, 0).text() == "s.36"
    assert "Unlawful return after removal" in stages.item(0, 0).toolTip()
    assert view.authority.current.text().startswith("Held under s.36 on arrest. Produce "
                                                    "before a Magistrate by ")
    assert view.episodes.rowCount() == 1 and view.episodes.item(0, 2).text() == "Removed"
    assert view.movements.rowCount() >= 1
    assert history_warning(view.detail).startswith("Previously removed")


def test_record_card_for_a_missing_detainee_says_so(qtbot, clerk_ctx):
    view = DetaineeRecordView(clerk_ctx)
    qtbot.addWidget(view)
    view.show_detention(987654)
    qtbot.waitUntil(lambda: view.state.text() == "no detainee 987654", timeout=5000)
    assert not view.content.isVisible()


def test_users_page_adds_a_user_with_roles_and_unlocks(qtbot, ctx, db):
    ctx.actor = helpers.actor(db, "admin")
    page = UsersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: len(page.users) == 5, timeout=5000)

    dialog = page.add_user()
    f = dialog.form
    f.field("username").setText("clerk2")
    f.field("full_name").setText("Siti Aminah")
    f.field("password").setText(PASSWORD)
    f.field("password_again").setText("something else")
    dialog.submit()
    assert f.error_text("password_again") == "The two passwords differ"
    f.field("password_again").setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=5000)
    assert f.error_text("roles") == "Choose at least one role"
    dialog.role_boxes[next(iter(dialog.role_boxes))].setChecked(True)
    with qtbot.waitSignal(page.sig_loaded, timeout=10000):  # refreshed by the change bus
        dialog.submit()
    assert [u.username for u in page.users].count("clerk2") == 1

    # Lock warden1 by failed logins, then unlock from the page.
    from depot_app.errors import AuthenticationFailed
    from depot_app.services import users
    for _ in range(5):
        try:
            users.login(db, "warden1", "wrong", "ws")
        except AuthenticationFailed:
            pass
    with qtbot.waitSignal(page.sig_loaded, timeout=5000):
        page.refresh()
    row = [u.username for u in page.users].index("warden1")
    page.table.selectRow(row)
    assert page.unlock_button.isEnabled()
    with qtbot.waitSignal(page.sig_status_message, timeout=10000) as said:
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert said.args == ["Unlocked warden1; they can log in again."]
    qtbot.waitUntil(lambda: not page.users[row].locked, timeout=5000)


def test_stacked_accents_are_not_clipped(qtbot):
    """NGUYỄN must not render as NGUYÊN: QLabel clips marks that rise above the ascent, so
    ink touching the label's top edge means the tilde was cut off."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from ui.widgets.text import leave_room_for_marks

    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel("NGUYỄN VĂN TUẤN")
    label.setStyleSheet("font-size: 20pt; font-weight: 600; color: black;")
    leave_room_for_marks(label)
    layout.addWidget(label)
    box.show()
    image = label.grab().toImage()
    first_ink = next(y for y in range(image.height())
                     if any(image.pixelColor(x, y).lightness() < 128
                            for x in range(image.width())))
    assert first_ink > 0
