"""The headcount page as a warden uses it: choose a block, start, scan cards (a keyboard
wedge typing fast and ending in Return), tick by hand, see unknown numbers and double scans
answered in words (never a dialog), close only when every discrepancy has a resolution, a
stale close, and a refresh when another workstation ticks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy import func, select

from db.models import AuditEvent, Headcount, HeadcountEntry, PrintedDocument
from depot_app import changes as areas
from depot_app.changes import Changes
from depot_app.services import headcount
from tests.custody_fixtures import clock, depot, warden  # noqa: F401
from ui.custody import HeadcountPage
from ui.custody import count_model as cm
from ui.scanner import ScanDetector

WAIT = 10_000
SCAN_GAP = 0.005   # a wedge: a few ms between keys
HUMAN_GAP = 0.090  # a quick typist


class SteppingClock:
    """The detector's clock, moved on by ``step`` seconds at every key it reads."""

    def __init__(self):
        self.now = 0.0
        self.step = SCAN_GAP

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def page(qtbot, ctx, db, warden, depot):  # noqa: F811
    ctx.actor = warden
    p = HeadcountPage(ctx)
    qtbot.addWidget(p)
    p.resize(1176, 700)
    p.scanner = ScanDetector(p, clock=SteppingClock())
    p.scanner.install()
    opened = []
    p.scanner.sig_scanned.connect(opened.append)
    p.opened = opened  # scans that would have opened a record instead of counting
    with qtbot.waitSignal(p.sig_count_shown, timeout=WAIT):
        p.show()
    yield p
    p.scanner.uninstall()
    p.close_page()


@pytest.fixture
def started(qtbot, page):
    assert page.panel.count_title.text() == "Blok A: no count open"  # the first overdue block
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT):
        page.panel.start_button.click()
    assert page.view is not None and page.view.status == "open"
    return page


def _number(depot, name: str) -> str:  # noqa: F811
    return depot["numbers"][name]


@pytest.fixture(autouse=True)
def _numbers(db, depot):  # noqa: F811
    from db.models import Detention
    with db.read() as uow:
        by_id = dict(uow.session.execute(select(Detention.id, Detention.detainee_no)).all())
    depot["numbers"] = {k: by_id[v] for k, v in depot.items()
                        if k in ("agus", "budi", "citra", "dewi", "eko")}


def scan(qtbot, page: HeadcountPage, code: str, *, gap: float = SCAN_GAP,
         into: QWidget | None = None) -> str:
    """Type ``code`` + Return as a wedge scanner does; the tone the page answered with."""
    page.scanner._clock.step = gap
    target = into or page.panel.table
    target.setFocus()
    with qtbot.waitSignal(page.sig_answered, timeout=WAIT) as answered:
        qtbot.keyClicks(target, code, delay=1)
        qtbot.keyClick(target, Qt.Key.Key_Return, delay=1)
    return answered.args[0]


def entry(page: HeadcountPage, number: str):
    return next(e for e, _ in page.panel.model.rows if e.detainee_no == number)


def kind(page: HeadcountPage, number: str) -> str:
    return next(k for e, k in page.panel.model.rows if e.detainee_no == number)


def figures(page: HeadcountPage) -> tuple[str, str, str, str]:
    return tuple(f.value.text() for f in page.panel.figures)


def db_entries(db) -> dict[int, tuple[bool, str, str]]:
    with db.read() as uow:
        return {r.detention_id: (r.expected, r.counted_by, r.resolution)
                for r in uow.session.scalars(select(HeadcountEntry))}


def test_blocks_show_when_each_was_last_counted_and_whether_overdue(page):
    rows = [[page.blocks.item(r, c).text() for c in range(3)]
            for r in range(page.blocks.rowCount())]
    assert rows == [["Blok A", "Never", "Overdue"], ["Blok W", "Never", "Overdue"]]
    assert "2 blocks overdue" in page.subtitle.text()
    assert page.panel.start_button.isVisible() and page.panel.start_button.isEnabled()
    assert not page.panel.close_button.isVisible()


def test_start_then_a_scanned_card_ticks_the_detainee_not_opens_the_record(
        qtbot, db, depot, started):  # noqa: F811
    page = started
    assert figures(page) == ("2", "0", "2", "0")
    assert kind(page, _number(depot, "agus")) == cm.NOT_COUNTED
    assert scan(qtbot, page, _number(depot, "agus")) == "ok"
    assert page.opened == []  # the scan was the count's, not "open this record"
    e = entry(page, _number(depot, "agus"))
    assert e.counted_at is not None and e.counted_by == "scan"
    assert kind(page, e.detainee_no) == cm.COUNTED
    assert figures(page) == ("2", "1", "1", "0")
    assert page.panel.message.tone == "ok" and e.detainee_no in page.panel.message.text()
    assert page.panel.model.flashing == depot["agus"]  # the ticked row lights up
    assert db_entries(db)[depot["agus"]] == (True, "scan", "")
    # The scan's keys were erased from the field they went to.
    assert scan(qtbot, page, _number(depot, "budi"), into=page.panel.number) == "ok"
    assert page.panel.number.text() == ""
    assert figures(page) == ("2", "2", "0", "0")
    assert "Everyone expected is counted" in page.panel.message.text()


def test_an_unknown_number_is_answered_in_words_without_a_dialog(qtbot, db, started):
    page = started
    assert scan(qtbot, page, "SMY-2026-999999") == "error"
    assert "No detainee SMY-2026-999999 is held in this depot" in page.panel.message.text()
    assert QApplication.activeModalWidget() is None
    assert page.opened == []
    assert figures(page) == ("2", "0", "2", "0")
    assert db_entries(db) and all(by == "" for _, by, _ in db_entries(db).values())


def test_a_double_scan_changes_nothing_and_says_so(qtbot, db, depot, started):  # noqa: F811
    page = started
    assert scan(qtbot, page, _number(depot, "agus")) == "ok"
    first = entry(page, _number(depot, "agus")).counted_at
    assert scan(qtbot, page, _number(depot, "agus")) == "warn"
    assert "already counted" in page.panel.message.text()
    assert entry(page, _number(depot, "agus")).counted_at == first
    assert figures(page) == ("2", "1", "1", "0")


def test_a_detainee_of_another_block_is_counted_as_unexpected(qtbot, db, depot, started):  # noqa: F811
    page = started
    assert scan(qtbot, page, _number(depot, "citra")) == "error"
    assert kind(page, _number(depot, "citra")) == cm.UNEXPECTED
    assert "not expected here" in page.panel.message.text()
    assert figures(page) == ("2", "0", "2", "1")
    assert db_entries(db)[depot["citra"]] == (False, "scan", "")


def test_a_hand_tick_is_marked_by_hand(qtbot, db, depot, started):  # noqa: F811
    page = started
    index = page.panel.proxy_index(depot["budi"])
    page.panel.table.selectRow(index.row())
    assert page.panel.hand_button.isEnabled()
    with qtbot.waitSignal(page.sig_answered, timeout=WAIT) as answered:
        page.panel.hand_button.click()
    assert answered.args == ["ok"]
    row = page.panel.model.row_of(depot["budi"])
    assert page.panel.model.index(row, cm.COUNTED_AT).data().endswith(" · by hand")
    assert "by hand" in page.panel.message.text()
    assert db_entries(db)[depot["budi"]] == (True, "hand", "")
    assert page.panel.counted_figure.note.text() == "1 by hand"
    # Undo a tick made by mistake.
    page.panel.table.selectRow(page.panel.proxy_index(depot["budi"]).row())
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT):
        page.panel.untick_button.click()
    assert kind(page, _number(depot, "budi")) == cm.NOT_COUNTED
    assert db_entries(db)[depot["budi"]] == (True, "", "")


def test_a_number_typed_at_human_speed_is_a_hand_tick(qtbot, db, depot, started):  # noqa: F811
    page = started
    page.scanner._clock.step = HUMAN_GAP
    page.panel.number.setFocus()
    with qtbot.waitSignal(page.sig_answered, timeout=WAIT) as answered:
        qtbot.keyClicks(page.panel.number, _number(depot, "agus").lower(), delay=1)
        qtbot.keyClick(page.panel.number, Qt.Key.Key_Return, delay=1)
    assert answered.args == ["ok"]
    assert db_entries(db)[depot["agus"]] == (True, "hand", "")


def test_close_is_refused_until_every_discrepancy_has_a_resolution(
        qtbot, db, depot, started):  # noqa: F811
    page = started
    scan(qtbot, page, _number(depot, "agus"))
    scan(qtbot, page, _number(depot, "citra"))  # unexpected; Budi missing
    page.panel.close_button.click()
    panel = page.panel.resolution
    assert page.panel.stack.currentWidget() is panel
    assert set(panel.rows) == {depot["budi"], depot["citra"]}

    def refused():
        panel.close_button.click()
        qtbot.waitUntil(lambda: page.panel.message.tone == "error" and not page._closing,
                        timeout=WAIT)

    refused()
    assert "was not counted" in panel.error_text(depot["budi"])
    assert "not expected in this block" in panel.error_text(depot["citra"])
    with db.read() as uow:
        assert uow.session.scalar(select(Headcount.status)) == "open"

    panel.editor(depot["budi"]).setEditText("In hospital: movement not recorded")
    page.panel.message.say("", "hint")
    refused()
    assert panel.error_text(depot["budi"]) == ""  # the one resolved is no longer flagged
    assert panel.error_text(depot["citra"]) != ""

    panel.editor(depot["citra"]).setEditText("Moved to this block: cell move not recorded")
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT) as shown:
        panel.close_button.click()
    assert shown.args[0].status == "closed"
    assert page.panel.stack.currentWidget() is not panel
    assert "closed" in page.panel.message.text() and page.panel.message.tone == "ok"
    assert kind(page, _number(depot, "budi")) == cm.MISSING
    assert db_entries(db)[depot["budi"]][2] == "In hospital: movement not recorded"
    assert db_entries(db)[depot["citra"]][2] == "Moved to this block: cell move not recorded"
    with db.read() as uow:
        assert uow.session.scalar(select(Headcount.status)) == "closed"
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "headcount.close")) == 1
    qtbot.waitUntil(lambda: page.blocks.item(0, 2).text().startswith("Due "), timeout=WAIT)
    assert page.panel.start_button.text() == "Start a new count"


def test_a_count_with_no_discrepancy_closes_at_once(qtbot, db, depot, started):  # noqa: F811
    page = started
    scan(qtbot, page, _number(depot, "agus"))
    scan(qtbot, page, _number(depot, "budi"))
    page.panel.close_button.click()
    assert page.panel.resolution.rows == {}
    assert "nothing to resolve" in page.panel.resolution.intro.text()
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT) as shown:
        page.panel.resolution.close_button.click()
    assert shown.args[0].status == "closed"


def test_a_scan_during_the_resolution_step_still_counts(qtbot, db, depot, started):  # noqa: F811
    page = started
    scan(qtbot, page, _number(depot, "agus"))
    page.panel.close_button.click()
    assert set(page.panel.resolution.rows) == {depot["budi"]}
    assert scan(qtbot, page, _number(depot, "budi"), into=page.panel.resolution.back_button) == "ok"
    assert page.panel.resolution.rows == {}


def test_a_stale_close_shows_the_conflict_and_reloads(qtbot, db, warden, depot, started):  # noqa: F811
    page = started
    view = page.view
    with db.write() as uow:  # the other warden closes it at another workstation
        headcount.close_count(uow, warden, view.id, view.version,
                              {depot["agus"]: "Counted on paper", depot["budi"]: "On paper"})
    page.panel.close_button.click()
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT) as shown:
        page.panel.resolution.close_button.click()
    assert shown.args[0].status == "closed"
    assert "Someone else changed this count" in page.panel.message.text()
    assert "Reloaded: closed 15/06/2026 11:00 by" in page.panel.message.text()
    assert page.panel.message.tone == "error"
    assert page.panel.stack.currentWidget() is not page.panel.resolution
    assert not page.panel.close_button.isVisible()


def test_ticks_at_another_workstation_show_up(qtbot, db, warden, depot, started):  # noqa: F811
    page = started
    with db.write() as uow:
        headcount.tick(uow, warden, page.view.id, page.view.version,
                       detainee_no=_number(depot, "budi"), how="scan")
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT):
        page.ctx.bus.publish(Changes(frozenset({areas.ROLL}), remote=True))
    assert kind(page, _number(depot, "budi")) == cm.COUNTED
    assert figures(page) == ("2", "1", "1", "0")


def test_a_scan_with_no_count_open_is_kept_and_explained(qtbot, page, depot):  # noqa: F811
    assert scan(qtbot, page, _number(depot, "agus")) == "warn"
    assert "no count is open" in page.panel.message.text()
    assert page.opened == []


def test_when_the_page_is_hidden_a_scan_opens_the_record_as_usual(qtbot, ctx, db, warden,  # noqa: F811
                                                                  depot):  # noqa: F811
    ctx.actor = warden
    host = QWidget()
    qtbot.addWidget(host)
    field = QLineEdit()
    page = HeadcountPage(ctx)
    column = QVBoxLayout(host)
    column.addWidget(field)
    column.addWidget(page)
    detector = ScanDetector(host, clock=SteppingClock())
    detector.install()
    try:
        host.show()
        page.hide()
        with qtbot.waitSignal(detector.sig_scanned, timeout=WAIT) as scanned:
            qtbot.keyClicks(field, _number(depot, "agus"), delay=1)
            qtbot.keyClick(field, Qt.Key.Key_Return, delay=1)
        assert scanned.args == [_number(depot, "agus")]
    finally:
        detector.uninstall()
        page.close_page()


def test_the_entries_model(qtmodeltester, qtbot, depot, started):  # noqa: F811
    qtmodeltester.check(started.panel.model)
    started.panel.proxy.set_mode(cm.SHOW_NOT_COUNTED)
    assert started.panel.proxy.rowCount() == 2
    scan(qtbot, started, _number(depot, "agus"))
    assert started.panel.proxy.rowCount() == 1
    started.panel.proxy.set_mode(cm.SHOW_COUNTED)
    assert started.panel.proxy.rowCount() == 1


def test_print_the_sheet_of_the_open_count(qtbot, db, started):
    page = started
    assert page.panel.print_button.isEnabled()
    with qtbot.waitSignal(page.sig_print_finished, timeout=30_000) as finished:
        assert page.print_sheet() is not None
    job = finished.args[0]
    assert job is not None and job.document.form_code == "headcount-sheet"
    with db.read() as uow:
        assert uow.session.scalars(select(PrintedDocument.subject_type)).all() == ["headcount"]
    assert page.runner is None and page.panel.print_button.isEnabled()


# -- what a scan says, and closing a count with many missing ---------------------------

def test_a_card_of_someone_recorded_out_says_so_plainly(qtbot, monkeypatch, db, warden,  # noqa: F811
                                                      depot, page):  # noqa: F811
    from depot_app.services import outings
    from depot_app.services.outings import OutRequest
    from tests.custody_fixtures import version

    with db.write() as uow:  # Budi is recorded as gone to hospital
        outings.go_out(uow, warden, OutRequest(depot["budi"], "hospital", "Hospital Kajang",
                                               "Chest pain", version(db, depot["budi"])))
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT):
        page.panel.start_button.click()
    assert page.panel.missing_figure.label.text() == "Not yet counted"  # open: not missing
    assert kind(page, _number(depot, "budi")) == cm.AWAY

    beeps = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(True))
    assert scan(qtbot, page, _number(depot, "budi")) == "warn"
    text = page.panel.message.text()
    assert text == (f"⚠ {_number(depot, 'budi')} · Budi Santoso is recorded as out at "
                    "hospital but was scanned here: record their return on their record "
                    "(Detainees).")
    assert "Out: hospital" not in text and "not expected here" not in text
    assert beeps == [True]
    # A discrepancy to resolve, and its row lights up in its own (red) tone, not green.
    assert kind(page, _number(depot, "budi")) == cm.UNEXPECTED
    assert figures(page)[3] == "1"
    row = page.panel.model.row_of(depot["budi"])
    assert page.panel.model.flashing == depot["budi"]
    colour = page.panel.model.index(row, cm.NAME).data(Qt.ItemDataRole.BackgroundRole).color()
    assert colour.name() == cm.FLASH[cm.UNEXPECTED] != cm.FLASH[cm.COUNTED]
    # An ordinary scan flashes green.
    assert scan(qtbot, page, _number(depot, "agus")) == "ok"
    row = page.panel.model.row_of(depot["agus"])
    colour = page.panel.model.index(row, cm.NAME).data(Qt.ItemDataRole.BackgroundRole).color()
    assert colour.name() == cm.FLASH[cm.COUNTED]


def test_a_misread_card_is_answered_not_ignored(qtbot, db, depot, started):  # noqa: F811
    page = started
    assert scan(qtbot, page, "SMY-2026-00007") == "error"  # a digit short, fast + Return
    assert page.panel.message.text() == ("✗ Not a detainee number: SMY-2026-00007 — scan "
                                         "again or type it")
    assert page.opened == []
    assert figures(page) == ("2", "0", "2", "0")
    # Into the number field: the misread is erased from it, not left to be ticked by hand.
    assert scan(qtbot, page, "SMY-2026-0000", into=page.panel.number) == "error"
    assert page.panel.number.text() == ""
    # A wedge typing in lower case is still a scan of that number.
    assert scan(qtbot, page, _number(depot, "agus").lower()) == "ok"
    assert db_entries(db)[depot["agus"]] == (True, "scan", "")


def test_the_same_resolution_for_every_missing_row(qtbot, db, depot, started):  # noqa: F811
    page = started
    scan(qtbot, page, _number(depot, "citra"))  # unexpected; Agus and Budi missing
    page.panel.close_button.click()
    panel = page.panel.resolution
    assert panel.same_box.isVisible()
    assert panel.same_button.text() == "Apply to 2 not yet resolved"
    panel.editor(depot["budi"]).setEditText("At court: movement not recorded")
    assert panel.same_button.text() == "Apply to 1 not yet resolved"
    panel.same_editor.setEditText("Found in the block after the count")
    assert panel.apply_same() == 1
    assert panel.editor(depot["agus"]).currentText() == "Found in the block after the count"
    assert panel.editor(depot["budi"]).currentText() == "At court: movement not recorded"
    assert panel.editor(depot["citra"]).currentText() == ""  # unexpected: its own reason
    assert not panel.same_button.isEnabled()
    # Each still editable.
    panel.editor(depot["agus"]).setEditText("Found in another block after the count")
    panel.editor(depot["citra"]).setEditText("Brought here from another block for the count")
    with qtbot.waitSignal(page.sig_count_shown, timeout=WAIT) as shown:
        panel.close_button.click()
    assert shown.args[0].status == "closed"
    assert page.panel.missing_figure.label.text() == "Missing"
    entries = db_entries(db)
    assert entries[depot["agus"]][2] == "Found in another block after the count"
    assert entries[depot["budi"]][2] == "At court: movement not recorded"


def test_the_resolution_rows_fit_without_a_horizontal_scroll_bar(qtbot, db, depot, started):  # noqa: F811
    page = started
    page.resize(980, 700)  # the count's side at a 1366-pixel screen, and less
    page.panel.close_button.click()
    panel = page.panel.resolution
    qtbot.wait(50)
    viewport = panel.scroll.viewport().width()
    assert not panel.scroll.horizontalScrollBar().isVisible()
    assert panel.holder.width() <= viewport
    for row in panel.rows.values():
        right = row.editor.mapTo(panel.holder, row.editor.rect().topRight()).x()
        assert right <= viewport
        assert row.editor.width() >= 200
