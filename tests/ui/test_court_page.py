# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""The Court area's Deadlines tab: an overdue detention shows as overdue in the danger tone
and is counted on its filter button and in the to-do line; the Tomorrow filter shows only
those whose authority runs out tomorrow; a production scheduled elsewhere shows on the row
(the change bus reloads the page), and a court filter narrows to it. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from depot_app.clock import MYT
from depot_app.services.court import productions
from tests.conftest import _fresh
from tests.court_fixtures import KAJANG, NOW, clock, held, officer, version  # noqa: F401
from ui import theme
from ui.court.deadline_model import (
    ALL,
    NEEDS,
    NO_COURT,
    PRODUCTION,
    STATE,
    UNTIL,
    DeadlineModel,
)
from ui.court.page import CourtPage
from ui.main_window import MainWindow

WAIT = 10_000


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, templates, pg_factory, tmp_path):
    """The seeded database on both engines (the UI tests' default is SQLite only)."""
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


def open_page(qtbot, ctx, actor) -> CourtPage:
    ctx.actor = actor
    page = CourtPage(ctx)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    return page


def shown(page: CourtPage) -> dict[str, dict[int, str]]:
    """The rows shown, by name: each column's text."""
    model = page.deadlines.model
    return {model.index(r, 1).data(): {c: model.index(r, c).data()
                                       for c in range(model.columnCount())}
            for r in range(model.rowCount())}


def ink(page: CourtPage, name: str, column: int) -> str | None:
    model = page.deadlines.model
    r = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    colour = model.index(r, column).data(Qt.ItemDataRole.ForegroundRole)
    return colour.name() if colour is not None else None


def test_overdue_is_flagged_and_tomorrow_filters(qtbot, qtmodeltester, ctx, db, officer):
    # 14 days from arrest: Agus's ran out on 06/03, Budi's runs out tomorrow 11/03 15:00,
    # Citra's on 15/03 (this week).
    held(db, "Agus Setiawan", arrested=dt.datetime(2026, 2, 20, 10, 0, tzinfo=MYT))
    budi = held(db, "Budi Santoso", arrested=dt.datetime(2026, 2, 25, 15, 0, tzinfo=MYT))
    held(db, "Citra Dewi")
    page = open_page(qtbot, ctx, officer)
    qtmodeltester.check(page.deadlines.model)

    rows = shown(page)
    assert list(rows) == ["Agus Setiawan", "Budi Santoso", "Citra Dewi"]  # soonest first
    agus = rows["Agus Setiawan"]
    assert agus[UNTIL] == "06/03/2026 10:00"
    assert agus[STATE] == "OVERDUE by 3 days"
    assert agus[NEEDS] == "Produce before a Magistrate"
    assert agus[PRODUCTION] == "Not scheduled"
    assert ink(page, "Agus Setiawan", STATE) == QColor(theme.DANGER).name()
    assert rows["Budi Santoso"][STATE] == "Due in 30 h"
    assert ink(page, "Budi Santoso", STATE) == QColor(theme.WARN_INK).name()
    assert page.deadlines.filter_buttons["overdue"].text() == "Overdue (1)"
    assert page.deadlines.filter_buttons["tomorrow"].text() == "Tomorrow (1)"
    assert page.deadlines.filter_buttons[ALL].text() == "All (3)"
    assert page.tabs.tabText(0) == "&Deadlines (1 overdue)"
    todo = page.todo.text()
    assert page.todo.isVisible() and "1 held past their authority" in todo
    assert "1 runs out tomorrow (1 with no production)" in todo

    page.deadlines.filter_buttons["tomorrow"].click()
    assert list(shown(page)) == ["Budi Santoso"]
    page.show_deadlines("overdue")  # what the badge and the dashboard ask for
    assert list(shown(page)) == ["Agus Setiawan"]
    assert page.deadlines.filter_buttons["overdue"].isChecked()

    # Scheduled at another workstation: the change bus reloads the page.
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        with db.write() as uow:
            result = productions.schedule(uow, officer, productions.ScheduleRequest(
                budi, version(db, budi), KAJANG, dt.datetime(2026, 3, 11, 16, 0, tzinfo=MYT),
                "Insp. Rahman"))
        ctx.bus.publish(result.changes)
    page.show_deadlines("tomorrow")
    budi_row = shown(page)["Budi Santoso"]
    # 16:00 is after Budi's authority runs out at 15:00: flagged.
    assert budi_row[PRODUCTION] == f"AFTER EXPIRY · tomorrow 16:00 · {KAJANG}"
    assert ink(page, "Budi Santoso", PRODUCTION) == QColor(theme.DANGER).name()
    assert "after the authority runs out" in page.todo.text()
    page.deadlines.set_bucket(ALL)
    page.deadlines.set_court(KAJANG)
    assert list(shown(page)) == ["Budi Santoso"]
    page.deadlines.set_court(NO_COURT)
    assert list(shown(page)) == ["Agus Setiawan", "Citra Dewi"]
    assert page.deadlines.filter_buttons[ALL].text() == "All (2)"  # counts within the court

    # Time alone makes Budi overdue: the minute's reload sees it, nothing written.
    db.clock.advance(dt.timedelta(days=1, hours=7))
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.refresh()
    page.show_deadlines("overdue")
    assert list(shown(page)) == ["Agus Setiawan", "Budi Santoso"]
    page.close_page()


def test_a_row_opens_the_record_and_only_officers_schedule(qtbot, ctx, db, officer):
    from tests.ui import helpers

    did = held(db, "Agus Setiawan")
    warden = helpers.actor(db, "warden1")
    page = open_page(qtbot, ctx, warden)
    assert page.deadlines.schedule_button is None
    assert not page.productions.action_buttons  # no officer's actions for a warden
    page.close_page()

    ctx.actor = officer
    window = MainWindow(ctx, idle_timeout_ms=60_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    court = window.areas["court"]
    assert isinstance(court, CourtPage)
    with qtbot.waitSignal(court.sig_loaded, timeout=WAIT):
        window.show_deadlines("this_week")
    assert court.deadlines.filter_buttons["this_week"].isChecked()
    view = court.deadlines.table
    assert court.deadlines.schedule_button is not None
    assert not court.deadlines.schedule_button.isEnabled()  # nothing chosen yet
    view.selectRow(0)
    assert court.deadlines.schedule_button.isEnabled()
    area = window.areas["detainees"]
    view.activated.emit(court.deadlines.model.index(0, 1))
    assert window.area_stack.currentWidget() is area
    qtbot.waitUntil(lambda: area.record.detail is not None and area.record.detail.id == did,
                    timeout=WAIT)
    window.teardown()


def test_the_model_with_many_rows(qtbot, qtmodeltester):
    """The model alone: twenty thousand rows filter at once."""
    from depot_app.services.court.views import DeadlineRow

    now = NOW.astimezone(dt.UTC)
    buckets = ("overdue", "today", "tomorrow", "this_week", "later")
    rows = tuple(DeadlineRow(
        i, 1, f"SMY-2026-{i:06d}", f"Person {i}", "IDN", "Blok A / A-01", "s.6(1)(c)",
        "arrest", "", now, now + dt.timedelta(hours=i % 200 - 20), "Produce before a "
        "Magistrate", "", "overdue" if i % 5 == 0 else "due-soon", buckets[i % 5])
        for i in range(20_000))
    model = DeadlineModel()
    model.set_rows(rows, now)
    model.set_filter(bucket="tomorrow")
    assert model.rowCount() == 4_000 and model.counts()["overdue"] == 4_000
    qtmodeltester.check(model)
