# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""Custody deadlines where everyone sees them: the status-bar badge (red while anything is
overdue, and then it cannot be hidden), the dashboard's deadline tiles and productions per
court, the record's Legal authority section, and changing the legal basis from there."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton
from sqlalchemy import select

from db.models import DetentionStage
from depot_app.clock import MYT
from tests.court_fixtures import KAJANG, NOW, clock, held, officer, order, scheduled  # noqa: F401
from ui import theme
from ui.court.basis_dialog import BasisDialog
from ui.court.journey_dialog import JourneyDialog
from ui.court.schedule_dialog import ScheduleDialog
from ui.dashboard.page import DashboardPage
from ui.detainees.detail import DetaineeRecordView
from ui.main_window import MainWindow
from ui.status import DEADLINES_EVERY_MS

from . import helpers

WAIT = 10_000
DAY = dt.timedelta(days=1)


def overdue_and_due_today(db) -> tuple[int, int]:
    """One detainee held a day past the 14 days (due 09/03 09:00), one whose 14 days end
    today at 14:00 (NOW is 10/03/2026 09:00)."""
    late = held(db, arrested=NOW - 15 * DAY)
    today = held(db, "Budi Santoso", arrested=NOW - 14 * DAY + dt.timedelta(hours=5))
    return late, today


def produced_with_an_order(ctx, db, actor, detention_id: int) -> None:
    """Produced now; the Magistrate orders 14 days. Published as the application does."""
    pid = scheduled(db, actor, detention_id, NOW)
    result = order(db, actor, pid, days=14, produced=NOW)
    ctx.bus.publish(result.changes)


def test_the_badge_is_red_and_stays_while_overdue_then_quietens(qtbot, ctx, db, officer):
    late, _today = overdue_and_due_today(db)
    ctx.actor = officer
    window = MainWindow(ctx, idle_timeout_ms=600_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    badge = window.status.deadlines
    qtbot.waitUntil(lambda: badge.summary is not None, timeout=WAIT)
    assert badge.text() == "⚠ Deadlines: 1 overdue · 1 due today"
    assert badge.tone == "danger"
    assert "1 overdue: held past their authority" in badge.toolTip()
    # Drawn red with white bold text, whatever the status bar says meanwhile.
    inside = badge.grab().toImage().pixelColor(4, badge.height() // 2)
    assert inside.name() == QColor(theme.DANGER).name()
    assert badge.font().bold() or badge.fontInfo().bold()
    # No way to dismiss it: nothing to close, it refuses to hide, messages do not cover it.
    assert badge.findChildren(QAbstractButton) == []
    badge.hide()
    badge.setVisible(False)
    window.status.showMessage("A temporary message", 5000)
    window.status.say("Something else happened.")
    assert badge.isVisible()
    # It reads again every minute, on the worker; not while locked.
    assert badge._timer.isActive() and badge._timer.interval() == DEADLINES_EVERY_MS
    window.lock()
    assert not badge.active and not badge._timer.isActive()
    window.unlock(officer)
    assert badge.active and badge._timer.isActive()
    # A click asks for the Court area's overdue list.
    with qtbot.waitSignal(badge.sig_open_requested, timeout=WAIT) as asked:
        qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    assert asked.args == ["overdue"]

    # The Magistrate's order makes the late one lawful again: the change bus refreshes it.
    with qtbot.waitSignal(badge.sig_updated, timeout=WAIT):
        produced_with_an_order(ctx, db, officer, late)
    qtbot.waitUntil(lambda: not badge.loading, timeout=WAIT)
    assert badge.summary.overdue == 0
    assert badge.text() == "Deadlines: 1 due today"
    assert badge.tone == "warn"
    window.teardown()
    assert not badge.active and not badge._timer.isActive()


def test_the_dashboard_counts_the_deadlines_and_the_courts(qtbot, ctx, db, officer):
    late, _today = overdue_and_due_today(db)
    soon = held(db, "Citra Dewi", arrested=NOW - 12 * DAY)  # due 12/03
    scheduled(db, officer, soon, dt.datetime(2026, 3, 11, 9, 0, tzinfo=MYT))  # tomorrow
    ctx.actor = officer
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    tiles = page.deadline_tiles
    counts = {key: tile.value.text() for key, tile in tiles.items()}
    assert counts == {"overdue": "1", "today": "1", "tomorrow": "0", "this_week": "1",
                      "unscheduled": "2"}
    assert tiles["overdue"].tone == "danger" and tiles["today"].tone == "warn"
    assert page.courts.lines == [(KAJANG, 0, 1, 0)]
    with qtbot.waitSignal(page.sig_open_deadlines, timeout=WAIT) as asked:
        qtbot.mouseClick(tiles["overdue"], Qt.MouseButton.LeftButton)
    assert asked.args == ["overdue"]

    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):  # the change bus reloads it
        produced_with_an_order(ctx, db, officer, late)
    assert tiles["overdue"].value.text() == "0" and tiles["overdue"].tone == ""
    page.close_page()


def test_the_record_shows_the_authority_and_the_time_held_without_one(
        qtbot, ctx, db, officer):
    late = held(db, arrested=NOW - 15 * DAY)
    ctx.actor = officer
    view = DetaineeRecordView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 900)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=WAIT):
        view.show_detention(late)
    section = view.authority
    assert section.current.text() == (
        "Held under s.6(1)(c) on arrest. Produce before a Magistrate was due by "
        "09/03/2026 09:00 (s.51(5)(b), 14 days from arrest): overdue by 1 day.")
    assert section.current.property("tone") == "danger"
    assert section.court.text() == "No production scheduled."
    assert section.unlawful_lines() == [
        "Held without authority from 09/03/2026 09:00 to now (1 day)."]
    assert section.stages.rowCount() == 1
    assert [section.stages.item(0, c).text() for c in range(6)] == [
        "s.6(1)(c)", "Arrest", "—", "23/02/2026 09:00", "still held: authority ran out",
        "09/03/2026 09:00"]
    assert section.stages.item(0, 5).foreground().color().name() == \
        QColor(theme.DANGER).name()  # it ran past its authority
    assert section.schedule_button.isVisible() and section.basis_button.isVisible()
    assert not section.journey_button.isVisible()  # journeys count for citizens only

    with qtbot.waitSignal(view.sig_loaded, timeout=WAIT):  # refreshed by the change bus
        produced_with_an_order(ctx, db, officer, late)
    assert section.current.text() == (
        "Held under s.6(1)(c) on a Magistrate's order MA-KJG-123/2026. Produce for a "
        "further order, or release by 24/03/2026 09:00: 14 days left.")
    assert section.current.property("tone") == "ok"
    assert section.unlawful_lines() == [
        "Held without authority from 09/03/2026 09:00 to 10/03/2026 09:00 (1 day)."]
    assert [section.productions.item(0, c).text() for c in (1, 3, 4, 5)] == [
        KAJANG, "Detention order", "MA-KJG-123/2026", "24/03/2026 09:00"]
    dialog = section.open_schedule()  # the Court area's dialog, for this detainee
    assert isinstance(dialog, ScheduleDialog) and dialog.detention_id == late
    assert section.open_basis() is None  # one dialog at a time
    dialog.reject()
    assert section.dialog is None
    # Others read it; only officers act on it.
    ctx.actor = helpers.actor(db, "clerk1")
    section.show_history(section.history)
    assert not section.schedule_button.isVisible() and not section.basis_button.isVisible()
    assert section.open_basis() is None
    view.close_page()


def test_the_basis_dialog_refuses_a_bad_section_and_saves_a_removal_order(
        qtbot, ctx, db, officer):
    did = held(db)
    ctx.actor = officer
    dialog = BasisDialog(ctx, did)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert "Now held under s.6(1)(c) (Arrest)" in dialog.header.where.text()

    dialog.submit()  # no section chosen
    qtbot.waitUntil(lambda: dialog.form.error_text("section") != "", timeout=WAIT)
    assert dialog.form.error_text("section").startswith("Section must be one of: ")
    assert dialog.form.error_text("reference") != ""  # every reason at once
    dialog.starts_at.set_value(NOW - dt.timedelta(hours=1))  # (the test's clock is fixed)
    dialog.section.setCurrentIndex(dialog.section.findData("s.6(1)(c)"))  # the one in force
    dialog.reference.setText("JIM/SGR/1/2026")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.form.error_text("section") != "", timeout=WAIT)
    assert "already held under s.6(1)(c) since 01/03/2026 10:00" in \
        dialog.form.error_text("section")
    assert dialog.isVisible()

    dialog.section.setCurrentIndex(dialog.section.findData("s.34"))
    assert "removal" in dialog.about.text()
    dialog.reference.setText("PG(I)/34/2026/118 by the Director")
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT) as done:
        dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.confirmation == "Now held under s.34 from 10/03/2026 08:00."
    with db.read() as uow:
        stage = uow.session.get(DetentionStage, done.args[0].value)
        saved = (stage.section, stage.authority, stage.reference, stage.starts_at)
        open_stages = uow.session.scalars(select(DetentionStage.section).where(
            DetentionStage.detention_id == did, DetentionStage.ends_at.is_(None))).all()
    assert saved == ("s.34", "removal_order", "PG(I)/34/2026/118 by the Director",
                     NOW - dt.timedelta(hours=1))
    assert open_stages == ["s.34"]


def test_a_citizens_journey_is_recorded_and_not_counted(qtbot, ctx, db, officer):
    arrested = dt.datetime(2026, 3, 9, 20, 0, tzinfo=MYT)
    did = held(db, "Ahmad bin Ali", arrested=arrested, citizen=True, nationality="MYS")
    ctx.actor = officer
    dialog = JourneyDialog(ctx, did)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert "by 10/03/2026 20:00" in dialog.header.where.text()  # 24 hours
    assert "not counted in the 24 hours" in dialog.intro.text()
    dialog.from_place.setText("Kota Kinabalu")
    dialog.to_place.setText("Semenyih")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.form.error_text("departed_at") != "", timeout=WAIT)
    assert dialog.form.error_text("departed_at") == "Departed is required"
    dialog.departed_at.edit.setText("09/03/2026 22:00")
    dialog.arrived_at.set_value(dt.datetime(2026, 3, 10, 3, 30, tzinfo=MYT))
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT):
        dialog.submit()
    with db.read() as uow:
        until = uow.session.scalar(select(DetentionStage.valid_until).where(
            DetentionStage.detention_id == did))
    assert until == dt.datetime(2026, 3, 11, 1, 30, tzinfo=MYT)  # + 5 h 30 min


def test_the_record_names_the_production_to_come(qtbot, ctx, db, officer):
    did = held(db)  # due 15/03/2026 10:00
    scheduled(db, officer, did, dt.datetime(2026, 3, 11, 9, 0, tzinfo=MYT))
    ctx.actor = officer
    view = DetaineeRecordView(ctx)
    qtbot.addWidget(view)
    view.show_detention(did)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=WAIT)
    qtbot.wait(50)
    assert view.authority.court.text() == f"Production: {KAJANG}, 11/03/2026 09:00."
