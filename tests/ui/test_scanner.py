"""The keyboard-wedge scanner: a fast burst ending in Return opens the detainee; people
typing at human speed are left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from ui.detainees.area import DetaineesArea
from ui.main_window import MainWindow
from ui.scanner import DETAINEE_NO, ScanDetector, claim_scans, release_scans

from . import helpers

SCAN_GAP = 0.005   # a wedge: a few ms between keys
HUMAN_GAP = 0.090  # a quick typist


class SteppingClock:
    """The detector's clock, moved on by ``step`` seconds at every key it reads: real Qt
    key events, timing that does not depend on how busy the test machine is."""

    def __init__(self):
        self.now = 0.0
        self.step = SCAN_GAP

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def window(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 5, with_cells=False)
    w = MainWindow(clerk_ctx, idle_timeout_ms=600_000)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.scanner._clock = SteppingClock()
    yield w
    w.teardown()


def _scan(qtbot, widget, code, gap=SCAN_GAP):
    scanner = widget.window().scanner if hasattr(widget.window(), "scanner") else None
    if scanner is not None:
        scanner._clock.step = gap
    qtbot.keyClicks(widget, code, delay=1)
    qtbot.keyClick(widget, Qt.Key.Key_Return, delay=1)


def _number(db, detention_id):
    from sqlalchemy import select

    from db.models import Detention
    with db.read() as uow:
        return uow.session.scalar(select(Detention.detainee_no)
                                  .where(Detention.id == detention_id))


def test_pattern():
    assert DETAINEE_NO.match("SMY-2026-000123")
    assert not DETAINEE_NO.match("smy-2026-000123")
    assert not DETAINEE_NO.match("SMY-2026-00012")


def test_a_scan_into_the_search_box_opens_the_detainee_and_leaves_the_box_as_it_was(
        qtbot, window, db):
    area: DetaineesArea = window.show_area("detainees")
    search = area.list_page.search
    search.setText("ab")
    search.setCursorPosition(2)
    target = area.list_page.model.ids[0] if area.list_page.model.ids else None
    qtbot.waitUntil(lambda: area.list_page.model.rowCount() == 5, timeout=5000)
    target = area.list_page.model.id_at(3)
    number = _number(db, target)
    with qtbot.waitSignal(window.scanner.sig_scanned, timeout=3000) as scanned, \
            qtbot.waitSignal(area.record.sig_loaded, timeout=5000) as loaded:
        _scan(qtbot, search, number)
    assert scanned.args == [number]
    assert loaded.args == [target]
    assert area.currentWidget() is area.record
    assert area.record.number.text() == number
    assert search.text() == "ab"  # the scanned characters were taken out again


def test_human_typing_is_left_alone(qtbot, window, db):
    area: DetaineesArea = window.show_area("detainees")
    qtbot.waitUntil(lambda: area.list_page.model.rowCount() == 5, timeout=5000)
    number = _number(db, area.list_page.model.id_at(0))
    search = area.list_page.search
    scans = []
    window.scanner.sig_scanned.connect(scans.append)
    _scan(qtbot, search, number, gap=HUMAN_GAP)
    assert scans == []
    assert search.text() == number  # every key reached the field


def test_a_fast_burst_that_is_not_a_detainee_number_reaches_the_field(qtbot, window):
    area: DetaineesArea = window.show_area("detainees")
    search = area.list_page.search
    scans = []
    window.scanner.sig_scanned.connect(scans.append)
    returns = []
    search.returnPressed.connect(lambda: returns.append(True))
    _scan(qtbot, search, "9555123456789")  # an EAN-13, say
    assert scans == []
    assert search.text() == "9555123456789"
    assert returns == [True]  # the Return was not swallowed


def test_an_unknown_number_says_so_in_the_status_bar(qtbot, window):
    area: DetaineesArea = window.show_area("detainees")
    with qtbot.waitSignal(window.scanner.sig_scanned, timeout=3000):
        _scan(qtbot, area.list_page.table, "SMY-2026-999999")
    qtbot.waitUntil(lambda: "no such detainee" in window.status.message.text(), timeout=5000)
    assert window.status.message.text().startswith("Scanned SMY-2026-999999")
    assert window.status.message.objectName() == "statusError"
    assert area.currentWidget() is area.list_page


def test_a_pause_inside_the_burst_is_not_a_scan(qtbot, window):
    area: DetaineesArea = window.show_area("detainees")
    search = area.list_page.search
    scans = []
    window.scanner.sig_scanned.connect(scans.append)
    _scan(qtbot, search, "SMY-2026", gap=SCAN_GAP)
    window.scanner._clock.now += 1.0  # someone stops typing for a second
    _scan(qtbot, search, "-000001", gap=SCAN_GAP)
    assert scans == []  # the burst after the pause is too short and not a number
    assert search.text() == "SMY-2026-000001"  # every key reached the field


def test_with_the_real_clock_a_fast_burst_is_a_scan(qtbot, window, db):
    """Once with wall-clock time (keys 1 ms apart, far under the 50 ms limit)."""
    import time

    window.scanner._clock = time.monotonic
    area: DetaineesArea = window.show_area("detainees")
    qtbot.waitUntil(lambda: area.list_page.model.rowCount() == 5, timeout=5000)
    number = _number(db, area.list_page.model.id_at(0))
    with qtbot.waitSignal(window.scanner.sig_scanned, timeout=3000) as scanned:
        qtbot.keyClicks(area.list_page.table, number)
        qtbot.keyClick(area.list_page.table, Qt.Key.Key_Return)
    assert scanned.args == [number]


def test_keys_in_another_window_are_not_scans(qtbot, window, db):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    edit = QLineEdit()
    QVBoxLayout(dialog).addWidget(edit)
    dialog.show()
    scans = []
    window.scanner.sig_scanned.connect(scans.append)
    _scan(qtbot, edit, "SMY-2026-000001")
    assert scans == [] and edit.text() == "SMY-2026-000001"


def test_no_scans_while_locked(qtbot, window):
    window.lock()
    scans = []
    window.scanner.sig_scanned.connect(scans.append)
    _scan(qtbot, window.lock_screen.password, "SMY-2026-000001")
    assert scans == []


class _Claimant(QWidget):
    """A page that claims scans (as the headcount does) and answers misreads."""

    def __init__(self):
        super().__init__()
        self.scans: list[str] = []
        self.misreads: list[str] = []

    def take_scan(self, code: str) -> bool:
        self.scans.append(code)
        return True

    def take_misread(self, code: str) -> bool:
        self.misreads.append(code)
        return True


def test_a_misread_burst_goes_to_the_page_that_claims_scans(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    column = QVBoxLayout(host)
    field = QLineEdit()
    page = _Claimant()
    column.addWidget(field)
    column.addWidget(page)
    detector = ScanDetector(host, clock=SteppingClock())
    detector.install()
    claim_scans(page)
    emitted, returns = [], []
    detector.sig_scanned.connect(emitted.append)
    field.returnPressed.connect(lambda: returns.append(True))
    try:
        host.show()
        field.setText("note: ")
        field.setFocus()
        _scan(qtbot, field, "SMY-2026-00007")  # a digit lost: fast, ends in Return
        assert page.misreads == ["SMY-2026-00007"]
        assert returns == []  # the Return was the scanner's
        assert field.text() == "note: "  # and so were the keys
        _scan(qtbot, field, "SMY-2026-000007")
        assert page.scans == ["SMY-2026-000007"] and emitted == []
        # Typed at a person's speed: ordinary typing, not a misread.
        detector._clock.step = HUMAN_GAP
        qtbot.keyClicks(field, "ABC-12345", delay=1)
        qtbot.keyClick(field, Qt.Key.Key_Return, delay=1)
        assert page.misreads == ["SMY-2026-00007"] and returns == [True]
        # The page hidden: a fast burst of the wrong shape reaches the field as before.
        detector._clock.step = SCAN_GAP
        page.hide()
        field.clear()
        _scan(qtbot, field, "9555123456789")
        assert page.misreads == ["SMY-2026-00007"]
        assert field.text() == "9555123456789" and returns == [True, True]
    finally:
        release_scans(page)
        detector.uninstall()
