# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""The court dialogs as an officer uses them: a production scheduled by detainee number
appears on that court's list for the day (and prints); a time after the authority runs out
is flagged before saving; an order longer than s.35 allows is refused under the period
with nothing written, and the right one moves the detainee's valid-until on the Deadlines
tab; a release says the detainee is now held without authority. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import CourtProduction, DetentionOrder
from depot_app.clock import MYT
from tests.conftest import _fresh
from tests.court_fixtures import KAJANG, clock, held, officer, scheduled  # noqa: F401
from ui.court.deadline_model import STATE, UNTIL
from ui.court.outcome_dialog import OutcomeDialog
from ui.court.page import CourtPage
from ui.court.production_panel import BACK, OUTCOME, SEND
from ui.court.production_panel import STATUS as LIST_STATUS
from ui.court.production_panel import UNTIL as LIST_UNTIL
from ui.court.schedule_dialog import ScheduleDialog
from ui.movements.outing import ReturnDialog

WAIT = 10_000
TOMORROW = dt.date(2026, 3, 11)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, templates, pg_factory, tmp_path):
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


def open_page(qtbot, ctx, actor) -> CourtPage:
    ctx.actor = actor
    page = CourtPage(ctx)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    return page


def show_list(qtbot, page: CourtPage, court: str, day: dt.date) -> None:
    with qtbot.waitSignal(page.sig_list_loaded, timeout=WAIT):
        page.show_production_list(court, day)
    qtbot.waitUntil(lambda: not page.list_reloader.loading, timeout=WAIT)


def listed(page: CourtPage) -> list[tuple[str, ...]]:
    table = page.productions.table
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]


def count(db, model) -> int:
    with db.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_schedule_by_number_appears_on_the_days_list_and_prints(qtbot, ctx, db, officer):
    did = held(db, "Budi Santoso", arrested=dt.datetime(2026, 2, 25, 15, 0, tzinfo=MYT))
    page = open_page(qtbot, ctx, officer)
    number = page.deadlines.model.rows[0].detainee_no
    dialog = ScheduleDialog(ctx, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.number is not None and not dialog.header.isVisible()
    dialog.number.edit.setText(number.lower())  # as typed; found all the same
    dialog.find_detainee()
    qtbot.waitUntil(lambda: dialog.row is not None, timeout=WAIT)
    assert dialog.header.isVisible()
    assert "until 11/03/2026 15:00" in dialog.header.where.text()
    dialog.court.setEditText(KAJANG)
    dialog.when.setText("11/03/2026 16:00")  # after the authority runs out: flagged at once
    assert dialog.warning.isVisible() and "after the authority runs out" in \
        dialog.warning.text()
    dialog.when.setText("11/03/2026 09:30")
    assert not dialog.warning.isVisible()
    dialog.escort.setText("Insp. Rahman")
    with qtbot.waitSignal(dialog.sig_done, timeout=WAIT) as done:
        dialog.submit()
    result = done.args[0]
    assert result.changes.touches("deadlines") and isinstance(result.value, int)
    assert dialog.confirmation == f"{number} on the list for {KAJANG}, 11/03/2026 09:30."

    show_list(qtbot, page, KAJANG, TOMORROW)
    rows = listed(page)
    assert [r[:3] for r in rows] == [("09:30", number, "Budi Santoso")]
    assert rows[0][LIST_UNTIL] == "11/03/2026 15:00" and rows[0][-1] == "Insp. Rahman"
    assert rows[0][LIST_STATUS] == "Scheduled"
    assert f'{KAJANG}</a> (1)' in page.productions.sitting.text()

    # A second production for the same detainee is the first one to change, not another.
    again = ScheduleDialog(ctx, did, page)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.production is not None, timeout=WAIT)
    assert again.ok.text() == "Save changes" and again.when.text() == "11/03/2026 09:30"
    again.reject()

    with qtbot.waitSignal(page.sig_print_finished, timeout=30_000) as printed:
        assert page.print_list() is not None
    job = printed.args[0]
    assert job is not None and job.document.form_code == "production-list"

    # Out to court (the outing's movement), then back through the return dialog.
    page.productions.select_production(result.value)
    with qtbot.waitSignal(page.sig_list_loaded, timeout=WAIT):
        page.send(page.productions.selected())
    qtbot.waitUntil(lambda: listed(page)[0][LIST_STATUS].startswith("At court"), timeout=WAIT)
    page.productions.select_production(result.value)
    assert page.productions.action_buttons[BACK].isEnabled()
    assert not page.productions.action_buttons[SEND].isEnabled()
    page.productions.request(BACK)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ReturnDialog), timeout=WAIT)
    with qtbot.waitSignal(page.sig_list_loaded, timeout=WAIT):
        page.dialog.submit()
    qtbot.waitUntil(lambda: listed(page)[0][LIST_STATUS].endswith("outcome to record"),
                    timeout=WAIT)
    page.close_page()


def test_an_order_beyond_s35_is_refused_then_moves_the_valid_until(qtbot, ctx, db, officer):
    did = held(db, "Agus Setiawan", section="s.35")
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    page = open_page(qtbot, ctx, officer)
    assert page.deadlines.model.rows[0].valid_until == dt.datetime(2026, 3, 15, 10, 0,
                                                                   tzinfo=MYT)
    show_list(qtbot, page, KAJANG, dt.date(2026, 3, 10))
    assert page.productions.select_production(pid)
    page.productions.request(OUTCOME)
    dialog = page.dialog
    assert isinstance(dialog, OutcomeDialog) and dialog.isVisible()  # deletes itself
    assert dialog.outcome_key() == "detention_order" and dialog.order_no.isVisible()
    assert not dialog.sanction_ref.isVisible()
    assert dialog.section.currentData() == "s.35"  # the section held under, to start with
    dialog.order_no.setText("MA-KJG-7/2026")
    dialog.magistrate.setText("Puan Aisyah binti Omar")
    dialog.period.setValue(30)
    assert dialog.expires.text() == "09/04/2026 09:00"  # live, as typed
    before = count(db, DetentionOrder)
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.error_text("period_days")), timeout=WAIT)
    reason = dialog.error_text("period_days")
    assert "s.35" in reason and "21 days" in reason
    assert dialog.isVisible() and count(db, DetentionOrder) == before
    with db.read() as uow:
        assert uow.session.get(CourtProduction, pid).status == "scheduled"

    dialog.period.setValue(21)
    assert not dialog.error_text("period_days")  # the reason goes with the change
    assert dialog.expires.text() == "31/03/2026 09:00"
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        with qtbot.waitSignal(dialog.sig_done, timeout=WAIT):
            dialog.submit()
    model = page.deadlines.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Agus Setiawan")
    assert model.index(row, UNTIL).data() == "31/03/2026 09:00"
    assert model.index(row, STATE).data() == "OK"
    assert count(db, DetentionOrder) == before + 1
    page.close_page()


def test_a_release_and_a_charge_ask_for_their_own_fields(qtbot, ctx, db, officer):
    did = held(db, "Citra Dewi")
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    page = open_page(qtbot, ctx, officer)
    show_list(qtbot, page, KAJANG, dt.date(2026, 3, 10))
    page.productions.select_production(pid)
    page.productions.request(OUTCOME)
    dialog = page.dialog
    assert isinstance(dialog, OutcomeDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("charged"))
    assert dialog.sanction_ref.isVisible() and dialog.order_no.isVisible()
    dialog.submit()  # nothing filled in: each reason under its field
    qtbot.waitUntil(lambda: bool(dialog.error_text("sanction_ref")), timeout=WAIT)
    assert "s.58" in dialog.error_text("sanction_ref")
    assert dialog.error_text("order_no") and dialog.error_text("charge")

    dialog.outcome.setCurrentIndex(dialog.outcome.findData("released"))
    assert not dialog.order_no.isVisible() and not dialog.error_text("order_no")
    assert "held without authority" in dialog.warning.text()
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        with qtbot.waitSignal(dialog.sig_done, timeout=WAIT):
            dialog.submit()
    box = page.ended_box
    assert box.isVisible() and "WITHOUT authority" in box.text()
    assert "release is recorded" in box.text()
    box.reject()
    row = page.deadlines.model.rows[0]
    assert row.state == "overdue" and row.needs.startswith("Release or transfer now")
    page.close_page()
