"""The Locations page: blocks and cells as the database holds them, the add/capacity/service
dialogs writing through the services (or showing their refusal beside the field), stale
edits, and a read-only view for staff who are not administrators."""

from __future__ import annotations

import dataclasses
import json

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from db.models import AuditEvent, Cell
from depot_app.changes import ROLL, Changes
from depot_app.services import locations, settings
from depot_app.services.locations import BlockInput, CellInput
from tests import factories
from tests.test_admission import actor_for
from ui.locations import LocationsPage
from ui.locations.dialogs import ChangeCapacityDialog
from ui.locations.tree import CATEGORY, FREE, HELD, PLACES, SERVICE

WAIT = 10_000


@pytest.fixture
def admin(db):
    return actor_for(db, "admin")


@pytest.fixture
def cells(db, admin):
    """Blok A with A-01 (adult male, 4 places, 3 held) and A-02 (adult female, 6 places)."""
    with db.write() as uow:
        block = locations.add_block(uow, admin, BlockInput("A", "Blok A")).value
        a1 = locations.add_cell(uow, admin, CellInput(block.id, "A-01", 4, "adult_male")).value
        a2 = locations.add_cell(uow, admin, CellInput(block.id, "A-02", 6, "adult_female")).value
    with db.write() as uow:
        for i in range(3):
            factories.detainee(uow, f"Held {i}", cell_id=a1.id)
    return block.id, a1.id, a2.id


@pytest.fixture
def open_page(qtbot, ctx, db):
    """Opens the page as a user. The pages are held here until pytest-qt has closed and
    deleted them: a parentless page left to Python's cyclic garbage collector was freed
    while Qt delivered a timer event to its tree, and the test process crashed."""
    made: list[LocationsPage] = []

    def _open(username: str = "admin") -> LocationsPage:
        ctx.actor = actor_for(db, username)
        page = LocationsPage(ctx)
        qtbot.addWidget(page)
        made.append(page)
        page.resize(1180, 700)
        with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
            page.show()
        return page

    yield _open
    for page in made:
        if shiboken6.isValid(page):
            page.close_page()


def _row(page: LocationsPage, text: str) -> list[str]:
    """The texts of the tree row whose first column is ``text``."""
    return page.tree.row_texts(text)


@dataclasses.dataclass(frozen=True)
class Stored:
    capacity: int
    in_service: bool
    reason: str


def _save(qtbot, page: LocationsPage, dialog) -> None:
    """Submit a dialog that is to succeed: it closes, and the page reloads from the bus."""
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        dialog.submit()
    assert accepted


def _cell(db, cell_id: int) -> Stored:
    """The cell as the database holds it now."""
    with db.read() as uow:
        c = uow.session.get(Cell, cell_id)
        return Stored(c.capacity, c.in_service, c.out_of_service_reason)


def _events(db, action: str) -> list[dict]:
    with db.read() as uow:
        return [json.loads(a) for a in uow.session.scalars(
            select(AuditEvent.after).where(AuditEvent.action == action))]


def test_lists_blocks_and_cells_from_the_database(open_page, qtmodeltester, cells):
    page = open_page()
    assert _row(page, "Blok A · A") == ["Blok A · A", "2 cells", "10", "3", "7",
                                        "All in service"]
    assert _row(page, "A-01") == ["A-01", "Adult male", "4", "3", "1", "In service"]
    assert _row(page, "A-02") == ["A-02", "Adult female", "6", "0", "6", "In service"]
    assert page.count_label.text() == "1 block · 2 cells · 10 places in service · 3 held"
    qtmodeltester.check(page.tree.model())

    # Selecting a cell shows whom it is for in the placement rules' words.
    assert page.select("cell", cells[1])
    assert page.detail.facts.value("Cell for") == "Adult male: men aged 18 and over"
    assert page.capacity_button.isEnabled() and page.out_button.isEnabled()
    assert not page.return_button.isEnabled()


def test_refreshes_when_the_roll_changes_elsewhere(qtbot, open_page, ctx, db, cells):
    page = open_page()
    with db.write() as uow:
        factories.detainee(uow, "Newcomer", cell_id=cells[2])
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        ctx.bus.publish(Changes(frozenset({ROLL}), remote=True))
    assert _row(page, "A-02")[HELD] == "1"


def test_adds_a_block_then_a_cell_through_the_dialogs(qtbot, open_page, db, admin):
    page = open_page()
    assert page.tree.model().rowCount() == 0
    assert page.detail.title.text() == "No blocks yet"

    dialog = page.add_block()
    dialog.form.field("code").setText("b")
    dialog.form.field("name").setText("Blok B")
    with qtbot.waitSignal(page.sig_status_message, timeout=WAIT) as said:
        _save(qtbot, page, dialog)
    assert said.args == ["Added block Blok B (B). Now add its cells."]
    assert _row(page, "Blok B · B")[CATEGORY] == "No cells yet"
    assert page.selected_key()[0] == "block"  # the new block, ready for its cells

    dialog = page.add_cell()
    f = dialog.form
    block_id = page.selected_block().id
    assert f.field("block_id").currentData() == block_id
    f.field("code").setText("b-01")
    f.field("capacity").setText("12")
    dialog.submit()  # no category chosen: said beside the field, nothing sent
    assert f.error_text("category") == "Choose whom the cell is for"
    assert "Juvenile: children under 18 not held with their family" in [
        b.text() for b in dialog.category_buttons.values()]
    dialog.category_buttons["juvenile"].setChecked(True)
    _save(qtbot, page, dialog)
    assert _row(page, "B-01")[:4] == ["B-01", "Juvenile", "12", "0"]
    with db.read() as uow:
        (block,) = locations.list_locations(uow, admin)
    assert [(c.code, c.capacity, c.category) for c in block.cells] == [("B-01", 12, "juvenile")]
    assert page.selected_cell().code == "B-01"

    # The service's refusal of a duplicate code sits beside the code field.
    dialog = page.add_cell()
    dialog.form.field("code").setText("B-01")
    dialog.form.field("capacity").setText("5")
    dialog.category_buttons["family"].setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert dialog.form.error_text("code") == "Block Blok B already has a cell B-01"
    assert dialog.isVisible()
    dialog.reject()


def test_capacity_change_needs_a_reason_and_not_below_those_held(qtbot, open_page, db, cells):
    _, a1, _ = cells
    page = open_page()
    page.select("cell", a1)
    dialog = page.change_capacity()
    f = dialog.form
    f.field("capacity").setValue(10)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert f.error_text("reason") == "Reason for the change is required"
    assert _cell(db, a1).capacity == 4
    assert _events(db, "cell.capacity") == []

    f.field("capacity").setValue(2)
    f.field("reason").setText("Half the cell closed for repairs")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert "its capacity cannot be less than 3" in f.error_text("capacity")
    assert _cell(db, a1).capacity == 4

    f.field("capacity").setValue(8)
    _save(qtbot, page, dialog)
    assert _cell(db, a1).capacity == 8
    assert _events(db, "cell.capacity") == [
        {"capacity": 8, "reason": "Half the cell closed for repairs", "occupancy": 3}]
    assert _row(page, "A-01")[PLACES:FREE + 1] == ["8", "3", "5"]


def test_out_of_service_with_reason_shows_in_the_table(qtbot, open_page, db, cells):
    _, a1, a2 = cells
    page = open_page()
    page.select("cell", a2)
    dialog = page.take_out_of_service()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert dialog.form.error_text("reason") == \
        "Reason for taking the cell out of service is required"
    assert _cell(db, a2).in_service

    dialog.form.field("reason").setText("Flooded")
    _save(qtbot, page, dialog)
    assert _row(page, "A-02")[SERVICE] == "Out of service: Flooded"
    assert _row(page, "A-02")[FREE] == "—"
    assert _row(page, "Blok A · A")[SERVICE] == "1 of 2 cells out of service"
    assert page.count_label.text().endswith("· 1 cell out of service")
    assert page.selected_cell().id == a2
    assert page.return_button.isEnabled() and not page.out_button.isEnabled()
    assert page.detail.facts.value("Reason") == "Flooded"

    _save(qtbot, page, page.return_to_service())  # the note is optional
    assert _row(page, "A-02")[SERVICE] == "In service"
    assert _cell(db, a2).in_service and _cell(db, a2).reason == ""


def test_stale_edit_says_so_and_reloads(qtbot, open_page, db, admin, cells):
    _, a1, _ = cells
    page = open_page()
    page.select("cell", a1)
    dialog = page.change_capacity()
    seen = dialog.cell.version
    with db.write() as uow:  # another workstation changes the cell meanwhile
        locations.change_capacity(uow, admin, a1, 5, "one bed more", seen)
    dialog.form.field("capacity").setValue(9)
    dialog.form.field("reason").setText("new beds")
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):  # reloaded, the dialog open
        dialog.submit()
    assert "Someone changed cell Blok A / A-01 at another workstation" in \
        dialog.form.message.text()
    assert _row(page, "A-01")[PLACES] == "5"
    qtbot.waitUntil(lambda: dialog.cell.version != seen and dialog.ok.isEnabled(),
                    timeout=WAIT)
    assert "5 places" in dialog.intro.text()
    assert dialog.form.field("capacity").value() == 9  # what the user typed is kept
    _save(qtbot, page, dialog)
    assert _cell(db, a1).capacity == 9


def test_staff_who_are_not_admins_only_look(qtbot, open_page, ctx, db, cells):
    _, a1, _ = cells
    page = open_page("warden1")
    assert _row(page, "A-01")[HELD] == "3"
    assert all(button.isHidden() for button in page.action_buttons)
    assert page.view_only.isVisible()
    page.select("cell", a1)
    page._activated(page.tree.currentIndex())  # double-click does not open an edit
    assert page.findChildren(QDialog) == []

    # Were a dialog opened anyway, the service's refusal is shown in it.
    dialog = ChangeCapacityDialog(ctx, page.selected_cell(), page)  # the page owns it
    dialog.form.field("capacity").setValue(9)
    dialog.form.field("reason").setText("more beds")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert "does not have permission to manage blocks and cells" in dialog.form.message.text()
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "cell.capacity")) == 0
    assert _cell(db, a1).capacity == 4


def test_a_reload_keeps_the_view_where_the_user_had_it(qtbot, open_page, db, admin):
    with db.write() as uow:
        for b in "ABCD":
            block = locations.add_block(uow, admin, BlockInput(b, f"Blok {b}")).value
            for i in range(12):
                locations.add_cell(uow, admin, CellInput(block.id, f"{b}-{i:02d}", 10,
                                                         "adult_male"))
    page = open_page()
    bar = page.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT)  # laid out
    page.tree.collapse(page.tree.model().index(0, 0))  # Blok A folded away
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    with qtbot.waitSignal(page.sig_loaded, timeout=WAIT):
        page.ctx.bus.publish(Changes(frozenset({ROLL}), remote=True))
    qtbot.wait(100)  # the view lays its rows out again after a timer
    assert bar.value() == where
    assert not page.tree.isExpanded(page.tree.model().index(0, 0))
    assert page.tree.isExpanded(page.tree.model().index(1, 0))


def test_an_administrator_sets_how_often_headcounts_are_due(qtbot, db, cells, open_page,
                                                            monkeypatch):
    page = open_page("admin")
    qtbot.waitUntil(lambda: page.interval_hours == 8, timeout=5000)
    assert page.interval_label.text() == "Headcounts due every 8 hours"
    monkeypatch.setattr("ui.locations.page.QInputDialog.getInt",
                        lambda *args, **kw: (6, True))
    page.interval_button.click()
    qtbot.waitUntil(lambda: page.interval_hours == 6, timeout=5000)
    assert page.interval_label.text() == "Headcounts due every 6 hours"
    with db.read() as uow:
        assert settings.headcount_interval_hours(uow) == 6
    warden_page = open_page("warden1")
    assert not warden_page.interval_button.isVisible()
