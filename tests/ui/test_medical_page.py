# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""The Medical area, the outbreak list and the dashboard's medical alerts: a detainee not
screened is listed as due, flagged once past the 24 hours, and moves to the isolation list
when a screening orders isolation; the outbreak list is for medical staff and lists one
block's cases; the dashboard counts and lists overdue screenings. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QColor

from depot_app.services.medical import exams
from depot_app.services.medical.exams import FindingsInput, OutcomeInput
from tests import factories
from tests.conftest import _fresh
from tests.custody_fixtures import NOW, clock, depot, warden  # noqa: F401
from tests.medical_fixtures import exam_request, medic  # noqa: F401
from ui import theme
from ui.dashboard.page import DashboardPage
from ui.main_window import MainWindow
from ui.medical.board_page import NOTE, WHEN, MedicalPage
from ui.medical.outbreak_dialog import OutbreakDialog

WAIT = 10_000


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, templates, pg_factory, tmp_path):
    """The seeded database on both engines (the UI tests' default is SQLite only)."""
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


def record(ctx, db, actor, detention_id: int, **changes) -> None:
    """An examination recorded through the service, published as the application does."""
    with db.write() as uow:
        result = exams.record_exam(uow, actor, exam_request(detention_id, **changes))
    ctx.bus.publish(result.changes)


def open_page(qtbot, ctx, actor) -> MedicalPage:
    ctx.actor = actor
    page = MedicalPage(ctx)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    return page


def rows(page: MedicalPage, key: str) -> dict[str, tuple[str, ...]]:
    """A list's rows by detainee name: every column's text."""
    table = page.lists[key].table
    return {table.item(r, 1).text(): tuple(table.item(r, c).text()
                                           for c in range(table.columnCount()))
            for r in range(table.rowCount())}


def row_of(page: MedicalPage, key: str, name: str) -> int:
    table = page.lists[key].table
    return next(r for r in range(table.rowCount()) if table.item(r, 1).text() == name)


def ink(page: MedicalPage, key: str, name: str, column: int) -> str:
    item = page.lists[key].table.item(row_of(page, key, name), column)
    return item.foreground().color().name()


def test_screening_due_turns_overdue_then_isolation_is_listed_until_moved(
        qtbot, ctx, db, depot, warden, medic, clock):
    with db.write() as uow:
        fajar = factories.detainee(uow, "Fajar Nugroho", cell_id=depot["A-02"],
                                   admitted=NOW - dt.timedelta(hours=20))
    page = open_page(qtbot, ctx, warden)
    due = rows(page, "screening_due")
    assert due["Fajar Nugroho"][3] == "Blok A / A-02"
    assert due["Fajar Nugroho"][WHEN] == "15/06/2026 15:00"  # admitted + 24 h, in MYT
    assert due["Fajar Nugroho"][NOTE] == "Due in 4 h"
    assert ink(page, "screening_due", "Fajar Nugroho", NOTE) != QColor(theme.DANGER).name()
    # Those admitted two days ago are overdue, and listed first.
    assert list(due)[-1] == "Fajar Nugroho" and due["Agus Setiawan"][NOTE] == "Overdue by 24 h"

    clock.advance(dt.timedelta(hours=5))  # nothing is written: the page's own reload sees it
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.refresh()
    assert rows(page, "screening_due")["Fajar Nugroho"][NOTE] == "Overdue by 1 h"
    assert ink(page, "screening_due", "Fajar Nugroho", NOTE) == QColor(theme.DANGER).name()
    card = page.lists["screening_due"]
    assert card.title.text() == "Admission screening due · 6 · 6 overdue"
    assert page.tabs.tabText(0) == "Screening due (6)"
    assert "6 screenings overdue" in page.todo.text() and page.todo.isVisible()

    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):  # reloads from the change bus
        record(ctx, db, medic, fajar, outcome=OutcomeInput(isolate=True))
    assert "Fajar Nugroho" not in rows(page, "screening_due")
    isolation = rows(page, "isolation")
    assert isolation["Fajar Nugroho"][NOTE] == "Not yet in an isolation cell: move them"
    assert ink(page, "isolation", "Fajar Nugroho", NOTE) == QColor(theme.DANGER).name()
    assert page.lists["isolation"].title.text() == \
        "Isolation · 1 · 1 not yet in an isolation cell"
    assert "1 detainee to move to an isolation cell" in page.todo.text()
    page.show_list("isolation")  # the to-do line's link
    assert page.tabs.currentWidget() is page.lists["isolation"]
    # Wardens do not read diagnoses: no outbreak list for them.
    assert page.outbreak_button is None and page.open_outbreak() is None
    page.close_page()


def test_a_row_opens_the_detainees_record_in_the_main_window(qtbot, ctx, db, depot, warden):
    ctx.actor = warden
    window = MainWindow(ctx, idle_timeout_ms=60_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.areas["medical"]
    assert isinstance(page, MedicalPage)
    assert page.board is None  # not read at login: on first show
    window.show_area("medical")
    qtbot.waitUntil(lambda: page.board is not None, timeout=WAIT)
    table = page.lists["screening_due"].table
    area = window.areas["detainees"]
    table.itemActivated.emit(table.item(row_of(page, "screening_due", "Citra Dewi"), 0))
    assert area.currentWidget() is area.record
    assert window.area_stack.currentWidget() is area
    qtbot.waitUntil(lambda: area.record.detail is not None
                    and area.record.detail.id == depot["citra"], timeout=WAIT)
    window.teardown()


def show(qtbot, dialog: OutbreakDialog, condition: str, block_code: str) -> None:
    """Choose, and wait for that list (an earlier choice's may still be on its way)."""
    dialog.choose(condition, block_code)
    qtbot.waitUntil(lambda: dialog.current is not None and not dialog.reloader.loading
                    and (dialog.current.condition, dialog.current.block_code)
                    == (condition, block_code), timeout=WAIT)


def test_the_outbreak_list_is_for_medical_staff_and_lists_one_blocks_cases(
        qtbot, ctx, db, depot, medic):
    scabies = FindingsInput(communicable=("scabies",))
    record(ctx, db, medic, depot["agus"], findings=scabies, outcome=OutcomeInput(isolate=True))
    record(ctx, db, medic, depot["citra"], findings=scabies)
    record(ctx, db, medic, depot["budi"], findings=FindingsInput(communicable=("tb",)))
    page = open_page(qtbot, ctx, medic)
    assert page.outbreak_button is not None and page.outbreak_button.isVisible()
    dialog = page.open_outbreak()
    assert isinstance(dialog, OutbreakDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.block.count() == 3, timeout=WAIT)  # All, Blok A, Blok W
    show(qtbot, dialog, "scabies", "W")
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == \
        ["Citra Dewi"]
    assert dialog.table.item(0, 5).text() == "Blok W / W-01"
    assert dialog.count.text().startswith("Scabies · Blok W · 1 detainee · ")
    with qtbot.waitSignal(dialog.sig_print_finished, timeout=30_000) as printed:
        runner = dialog.print_list()
        assert runner is not None and not dialog.print_button.isEnabled()
    job = printed.args[0]
    assert job is not None and job.document.form_code == "outbreak-list"
    assert dialog.print_button.isEnabled() and dialog.runner is None
    show(qtbot, dialog, "scabies", "")
    names = {dialog.table.item(r, 1).text(): dialog.table.item(r, 8).text()
             for r in range(dialog.table.rowCount())}
    assert names == {"Agus Setiawan": "Ordered, not yet isolated", "Citra Dewi": "No"}
    show(qtbot, dialog, "measles", "A")
    assert not dialog.table.isVisible() and dialog.empty.isVisible()
    assert dialog.print_button.isVisible()
    page.close_page()


def test_the_dashboard_counts_and_lists_overdue_screenings(qtbot, ctx, db, depot, warden,
                                                           medic):
    ctx.actor = warden
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    tile = page.tiles["screenings_overdue"]
    assert tile.value.text() == "5" and tile.tone == "danger"
    assert page.screening_card.title.text() == "Admission screening overdue · 5"
    table = page.screening
    listed = {table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 4).text())
              for r in range(table.rowCount())}
    assert listed["Agus Setiawan"] == ("Blok A / A-01", "24 h")
    assert listed["Eko Prasetyo"] == ("Reception (unallocated)", "24 h")
    with qtbot.waitSignal(page.sig_open_detainee, timeout=2000) as opened:
        table.itemActivated.emit(table.item(0, 1))
    assert opened.args[0] in {depot[k] for k in ("agus", "budi", "citra", "dewi", "eko")}
    assert page.tiles["isolation_pending"].value.text() == "0"
    assert page.tiles["isolation_pending"].tone == ""  # no colour when nothing to do

    for key in ("agus", "budi", "citra", "dewi", "eko"):  # each reloads the page
        record(ctx, db, medic, depot[key], outcome=OutcomeInput(isolate=key == "agus"))
    qtbot.waitUntil(lambda: page.view is not None and not page.view.screenings_overdue
                    and not page.reloader.loading, timeout=WAIT)
    assert page.tiles["screenings_overdue"].value.text() == "0"
    assert page.tiles["screenings_overdue"].tone == ""
    assert page.tiles["isolation_pending"].value.text() == "1"
    assert page.tiles["isolation_pending"].tone == "danger"
    assert page.screening_card.title.text() == "Admission screening overdue: none"
    assert not table.isVisible()
    page.close_page()
