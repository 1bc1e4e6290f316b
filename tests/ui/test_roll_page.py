"""The roll page: every figure of the roll service, per block, reception and the depot
total; overcrowded cells flagged; headcounts due; and a live refresh when a movement is
published on the change bus."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from sqlalchemy import select, update

from db.models import Cell, PrintedDocument
from depot_app.changes import Changes
from depot_app.services import outings
from depot_app.services.outings import OutRequest
from tests.custody_fixtures import clock, depot, version, warden  # noqa: F401
from ui import theme
from ui.custody import RollPage
from ui.custody.roll_page import OVER_BG

WAIT = 10_000


@pytest.fixture
def page(qtbot, ctx, db, warden, depot):  # noqa: F811
    ctx.actor = warden
    p = RollPage(ctx)
    qtbot.addWidget(p)
    p.resize(1176, 700)
    with qtbot.waitSignal(p.sig_loaded, timeout=WAIT):
        p.show()
    yield p
    p.close_page()


def _row(page: RollPage, name: str) -> dict[str, str]:
    """The roll line whose first column is ``name``, by column key."""
    table = page.table
    for r in range(table.rowCount()):
        if table.item(r, 0).text() == name:
            return {key: table.item(r, c).text() for c, (key, _, _) in enumerate(page.columns)}
    raise AssertionError(f"no line {name!r}")


def _item(page: RollPage, name: str, key: str):
    table = page.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)
    return table.item(row, page.column(key))


def test_shows_every_figure_of_the_roll_per_block_reception_and_total(page):
    a = _row(page, "Blok A")
    assert (a["on_roll"], a["capacity"], a["in_cell"], a["out"], a["vacancies"],
            a["over_capacity"], a["men"], a["women"]) == ("2", "5", "2", "0", "3", "0", "2", "0")
    w = _row(page, "Blok W")
    assert (w["on_roll"], w["capacity"], w["women"], w["girls"], w["vacancies"]) == (
        "2", "8", "1", "1", "6")
    reception = _row(page, "Reception")
    # Capacity and cells mean nothing for reception: a dash, not a misleading 0.
    assert (reception["on_roll"], reception["unallocated"], reception["capacity"],
            reception["vacancies"]) == ("1", "1", "–", "–")
    total = _row(page, "Depot total")
    assert (total["on_roll"], total["capacity"], total["in_cell"], total["unallocated"],
            total["men"], total["women"], total["boys"], total["girls"]) == (
        "5", "13", "4", "1", "3", "1", "0", "1")
    assert _item(page, "Depot total", "on_roll").font().bold()
    assert not _item(page, "Blok A", "on_roll").font().bold()
    # One column per reason a detainee can be out, even when nobody is.
    assert {"out:Court", "out:Hospital", "out:Embassy"} <= {k for k, _, _ in page.columns}
    assert "as of 15/06/2026 11:00 (Malaysian time)" in page.subtitle.text()
    nationalities = [(page.by_nationality.item(r, 0).text(), page.by_nationality.item(r, 1).text())
                     for r in range(page.by_nationality.rowCount())]
    assert nationalities == [("Indonesia", "2"), ("Myanmar", "2"), ("Bangladesh", "1")]


def test_blocks_never_counted_are_flagged_overdue_in_red(page):
    due = page.due
    assert [due.item(r, 0).text() for r in range(due.rowCount())] == ["Blok A", "Blok W"]
    for r in range(due.rowCount()):
        item = due.item(r, 2)
        assert item.text() == "Never counted: overdue"
        assert item.foreground().color() == QColor(theme.DANGER)
    assert "2 overdue" in page.due_card.title.text()


def test_an_overcrowded_cell_is_named_and_flagged(qtbot, db, depot, page):  # noqa: F811
    with db.write() as uow:  # A-01 holds two: take its capacity down to one
        uow.session.execute(update(Cell).where(Cell.id == depot["A-01"]).values(capacity=1))
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.refresh()
    over = _item(page, "Blok A", "over_capacity")
    assert over.text() == "⚠ 1"
    assert over.background().color() == QColor(OVER_BG)
    assert "Blok A / A-01" in over.toolTip()
    assert "Blok A / A-01" in _item(page, "Blok A", "name").toolTip()
    assert not page.over_banner.isHidden()
    assert "Blok A / A-01" in page.over_banner.text()
    assert _row(page, "Depot total")["over_capacity"] == "⚠ 1"


def test_people_left_in_a_cell_out_of_service_are_named_apart(qtbot, db, depot, page):  # noqa: F811
    with db.write() as uow:  # A-01 floods with its two still inside
        uow.session.execute(update(Cell).where(Cell.id == depot["A-01"])
                            .values(in_service=False, out_of_service_reason="Flooded"))
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.refresh()
    assert _row(page, "Depot total")["over_capacity"] == "0"
    text = page.over_banner.text()
    assert not page.over_banner.isHidden() and "Over capacity" not in text
    assert "Still held in cells out of service: 2 detainees in Blok A / A-01" in text


def test_refreshes_itself_when_a_movement_is_published(qtbot, db, warden, depot, page):  # noqa: F811
    with db.write() as uow:  # recorded elsewhere: only the bus tells the page
        result = outings.go_out(uow, warden, OutRequest(
            depot["agus"], "court", "Mahkamah Majistret Kajang", "Production",
            version(db, depot["agus"])))
    assert _row(page, "Blok A")["in_cell"] == "2"
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.ctx.bus.publish(result.changes)
    a = _row(page, "Blok A")
    assert (a["in_cell"], a["out:Court"], a["out"], a["on_roll"], a["vacancies"]) == (
        "1", "1", "1", "2", "3")
    assert _row(page, "Depot total")["out:Court"] == "1"


def test_a_hidden_page_refreshes_when_shown_again(qtbot, db, warden, depot, page):  # noqa: F811
    page.hide()
    with db.write() as uow:
        result = outings.go_out(uow, warden, OutRequest(
            depot["citra"], "hospital", "Hospital Kajang", "Check-up",
            version(db, depot["citra"])))
    page.ctx.bus.publish(result.changes)
    assert _row(page, "Blok W")["out:Hospital"] == "0"  # not loaded while hidden
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.show()
    assert _row(page, "Blok W")["out:Hospital"] == "1"


def test_unrelated_changes_do_not_reload(qtbot, page):
    with qtbot.assertNotEmitted(page.sig_loaded, wait=300):
        page.ctx.bus.publish(Changes.of("users"))


def test_print_roll_records_the_roll_with_a_serial_and_previews_it(qtbot, db, page):
    previews = []
    with qtbot.waitSignal(page.sig_print_finished, timeout=30_000) as finished:
        runner = page.print_roll()
        assert runner is not None and not page.print_button.isEnabled()
        runner.sig_preview_shown.connect(previews.append)
    job = finished.args[0]
    assert job is not None and job.document.form_code == "roll"
    with db.read() as uow:
        kept = uow.session.scalars(select(PrintedDocument.form_code)).all()
    assert kept == ["roll"]
    assert previews and previews[0].isVisible()
    assert page.print_button.isEnabled() and page.runner is None
