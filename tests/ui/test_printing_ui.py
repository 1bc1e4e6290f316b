"""Printing from the window: the preview (QtPdf), Print to a QPrinter, Save as PDF, and the
print jobs started from the detainee record and the detainee list, with progress and cancel.

Everything is offscreen on SQLite; ``pdfinfo`` (poppler-utils, needed by tests/printing too)
counts the pages a printer wrote.
"""

from __future__ import annotations

import re
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPageRanges
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton
from shiboken6 import Shiboken

from db.models import CashEntry, PropertyItem
from depot_app.actor import Actor
from depot_app.services import cards, property
from depot_app.services import printing as counterfoils
from depot_app.services.property import PropertyReturn
from printing import jobs
from tests.test_admission import actor_for
from ui.detainees.detail import DetaineeRecordView
from ui.detainees.list_page import DetaineeListPage
from ui.operations import printing as ops
from ui.printing import preview as preview_module
from ui.printing import runner as runner_module
from ui.printing.actions import CardPrintButton, DetaineePrintBar
from ui.printing.preview import PrintPreview
from ui.printing.raster import fit_page, pages_to_print

from . import helpers


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def recorded_job(db, actor, ids, form="card-sheet") -> jobs.PrintJob:
    with db.write() as uow:
        return jobs.print_form(uow, actor, form, ids)


def documents_about(db, actor, ids) -> list:
    """Every counterfoil naming these detentions or any of their cards."""
    found = []
    with db.read() as uow:
        for detention_id in ids:
            found += counterfoils.documents_for(uow, actor, "detention", detention_id)
            for card in cards.cards_for(uow, actor, detention_id):
                found += counterfoils.documents_for(uow, actor, "detainee_card", card.id)
    return found


def cards_of(db, actor, ids) -> list:
    with db.read() as uow:
        return [c for i in ids for c in cards.cards_for(uow, actor, i)]


def show_preview(qtbot, job, **kwargs) -> PrintPreview:
    preview = PrintPreview.for_job(job, **kwargs)
    qtbot.addWidget(preview)
    with qtbot.waitExposed(preview):
        preview.show()
    return preview


class FilePrinterDialog:
    """Stands in for the print dialog: the user picks "Print to file (PDF)"."""

    def __init__(self, path: Path, ranges: tuple[int, int] | None = None, copies: int = 1,
                 collate: bool = True):
        self.path, self.ranges, self.copies, self.collate = path, ranges, copies, collate
        self.asked = 0

    def __call__(self, parent, printer, page_count, on_accepted):
        self.asked += 1
        self.page_count = page_count
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        if self.ranges:
            ranges = QPageRanges()
            ranges.addRange(*self.ranges)
            printer.setPageRanges(ranges)
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setCopyCount(self.copies)
        printer.setCollateCopies(self.collate)
        QTimer.singleShot(0, on_accepted)  # after the dialog "closes"
        return None


# -- the preview ----------------------------------------------------------------------


def test_preview_shows_every_page_of_the_recorded_pdf(qtbot, clerk_ctx, db):
    ids = helpers.admit_many(db, 12)
    job = recorded_job(db, clerk_ctx.actor, ids)
    preview = show_preview(qtbot, job, subject="12 cards")
    assert preview.page_count == 2 == preview.document.pageCount()
    assert preview.windowTitle() == f"Detainee card sheet – {job.document.serial}"
    assert preview.page_label.text().strip() == "of 2"
    assert job.document.serial in preview.info.text() and "12 cards" in preview.info.text()
    preview.next_page()
    qtbot.waitUntil(lambda: preview.current_page() == 1, timeout=3000)
    assert preview.page_box.value() == 2 and not preview.next_action.isEnabled()
    preview.set_zoom(1.0)
    preview.zoom_in()
    assert preview.zoom_box.currentText() == "125 %"
    preview.set_zoom("width")
    qtbot.wait(200)  # QPdfView renders on its own thread: let it paint before grabbing
    assert not preview.grab().isNull()
    qtbot.keyClick(preview.view, Qt.Key.Key_Escape)
    assert not preview.isVisible()


def test_save_as_pdf_writes_exactly_the_counterfoil(qtbot, clerk_ctx, db, tmp_path,
                                                    monkeypatch):
    ids = helpers.admit_many(db, 1)
    job = recorded_job(db, clerk_ctx.actor, ids, "admission-record")
    preview = show_preview(qtbot, job)
    target = tmp_path / "record"  # no extension: .pdf is added
    asked = []
    monkeypatch.setattr(preview_module.QFileDialog, "getSaveFileName",
                        lambda *args: (asked.append(args[2]) or str(target), "PDF (*.pdf)"))
    with qtbot.waitActive(preview):
        preview.activateWindow()
    with qtbot.waitSignal(preview.sig_saved, timeout=3000) as saved:  # Ctrl+S
        qtbot.keyClick(preview.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0] == str(target) + ".pdf"
    assert asked[0].endswith(f"{job.document.serial}.pdf")
    with db.read() as uow:
        kept = counterfoils.content(uow, clerk_ctx.actor, job.document.id)
    assert (tmp_path / "record.pdf").read_bytes() == kept == job.pdf
    assert not list(tmp_path.glob(".depot-*"))  # no temporary file left behind


def test_print_to_a_pdf_file_printer_prints_every_page(qtbot, clerk_ctx, db, tmp_path,
                                                       monkeypatch):
    ids = helpers.admit_many(db, 23)
    job = recorded_job(db, clerk_ctx.actor, ids)
    preview = show_preview(qtbot, job)
    out = tmp_path / "printed.pdf"
    dialog = FilePrinterDialog(out)
    monkeypatch.setattr(preview_module, "ask_printer", dialog)
    with qtbot.waitSignal(preview.sig_print_finished, timeout=20000) as finished:
        preview.print_action.trigger()
    assert finished.args == [True, "Sent 3 pages to printed.pdf."]
    assert dialog.page_count == 3
    assert pdf_pages(out) == 3
    size = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "(A4)" in size  # the printer was offered the document's own paper
    assert preview.print_action.isEnabled() and preview.stop_button.isHidden()


def test_print_honours_the_page_range_and_copies(qtbot, clerk_ctx, db, tmp_path,
                                                 monkeypatch):
    ids = helpers.admit_many(db, 4)
    job = recorded_job(db, clerk_ctx.actor, ids, "card")  # one CR80 page a card
    preview = show_preview(qtbot, job)
    out = tmp_path / "cards.pdf"
    monkeypatch.setattr(preview_module, "ask_printer",
                        FilePrinterDialog(out, ranges=(2, 3), copies=2))
    with qtbot.waitSignal(preview.sig_print_finished, timeout=20000) as finished:
        preview.print_document()
    assert finished.args[0] is True
    assert pdf_pages(out) == 4  # pages 2 and 3, twice
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height and abs(width - 242.6) < 2  # a landscape CR80 card, real size


def test_pages_to_print_and_where_they_go(qapp):
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # cannot make copies itself
    assert pages_to_print(printer, 3) == [0, 1, 2]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 3, current_page=1) == [1]
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    assert pages_to_print(printer, 5) == [1, 2, 1, 2]
    printer.setCollateCopies(False)
    assert pages_to_print(printer, 5) == [1, 1, 2, 2]
    a4 = QSizeF(595.28, 841.89)
    area = QRectF(0, 0, 2400, 3400)  # a printable area at 300 dpi, smaller than A4
    placed = fit_page(a4, area, 300, 300)
    assert placed.width() == pytest.approx(2400) and placed.height() <= 3400  # shrunk
    assert placed.top() == 0
    assert placed.width() / placed.height() == pytest.approx(a4.width() / a4.height())
    card = fit_page(QSizeF(242.65, 153.01), area, 300, 300)
    assert card.width() == pytest.approx(242.65 / 72 * 300)  # real size, never enlarged
    assert card.center().x() == pytest.approx(1200)


def test_progress_is_throttled_to_one_percent_or_a_tenth_of_a_second():
    now = [0.0]
    throttle = ops.ProgressThrottle(clock=lambda: now[0])
    sent = [n for n in range(1, 1001) if throttle.should_emit(n, 1000)]
    assert sent[0] == 1 and sent[-1] == 1000
    assert len(sent) == 101  # the first, then every 10th of 1,000 (1 %)
    throttle = ops.ProgressThrottle(clock=lambda: now[0])
    assert throttle.should_emit(1, 100_000)
    assert not throttle.should_emit(2, 100_000)
    now[0] = 0.15
    assert throttle.should_emit(3, 100_000)  # slow job: 100 ms passed
    assert not throttle.should_emit(3, 100_000)  # nothing moved


# -- jobs from the list and the record ------------------------------------------------


@pytest.fixture
def list_page(qtbot, clerk_ctx):
    def _make():
        page = DetaineeListPage(clerk_ctx, search_delay_ms=0)
        qtbot.addWidget(page)
        page.resize(1200, 700)
        page.show()
        return page
    return _make


def _card_button(page) -> CardPrintButton:
    assert isinstance(page.print_cards_button, CardPrintButton)
    return page.print_cards_button


def test_batch_cards_for_the_selected_rows_with_progress(qtbot, clerk_ctx, db, list_page):
    ids = helpers.admit_many(db, 30)
    page = list_page()
    qtbot.waitUntil(lambda: page.model.rowCount() == 30, timeout=5000)
    assert page.table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    page.table.selectRow(0)
    for row in range(1, 12):
        page.table.selectionModel().select(
            page.model.index(row, 0),
            page.table.selectionModel().SelectionFlag.Select
            | page.table.selectionModel().SelectionFlag.Rows)
    chosen = [page.model.id_at(r) for r in range(12)]
    button = _card_button(page)
    progress, previews = [], []

    def started(runner):
        runner.sig_progress.connect(lambda done, total: progress.append((done, total)))
        runner.sig_preview_shown.connect(previews.append)

    button.sig_started.connect(started)
    dialog = button.choose()
    assert dialog.selected_button.isChecked() and "12 selected" in dialog.selected_button.text()
    qtbot.waitUntil(lambda: dialog.in_custody == 30, timeout=5000)
    assert dialog.summary.text() == "12 cards on 2 A4 sheets."
    with qtbot.waitSignal(button.sig_finished, timeout=30000) as finished:
        dialog.accept()
    job = finished.args[0]
    assert isinstance(job, jobs.PrintJob)
    assert job.document.form_code == "card-sheet"
    assert sorted(c.detention_id for c in job.cards) == sorted(chosen)
    assert progress and progress[-1] == (24, 24)  # 12 records read, then 12 cards drawn
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    with db.read() as uow:
        kept = counterfoils.by_serial(uow, clerk_ctx.actor, job.document.serial)
    assert [d.id for d in kept] == [job.document.id]
    assert len(cards_of(db, clerk_ctx.actor, ids)) == 12  # first cards for the twelve only
    assert previews and previews[0].page_count == 2 and previews[0].isVisible()
    assert button.isEnabled() and set(ids) >= set(chosen)


def test_cancelling_a_batch_records_nothing(qtbot, clerk_ctx, db, list_page):
    ids = helpers.admit_many(db, 60)
    page = list_page()
    qtbot.waitUntil(lambda: page.model.rowCount() == 60, timeout=5000)
    button = _card_button(page)
    state = {}

    def cancel_when_under_way(done, total):
        runner = state["runner"]
        if runner.progress is not None and not runner.cancel_requested:
            runner.progress.findChild(QPushButton).click()  # the dialog's Cancel

    def started(runner):
        state["runner"] = runner
        runner.sig_progress.connect(cancel_when_under_way)

    button.sig_started.connect(started)
    with qtbot.waitSignal(button.sig_finished, timeout=30000) as finished:
        runner = button.start([], everyone=True, layout="sheet", count=60)
        messages = []
        runner.sig_message.connect(messages.append)
    assert finished.args[0] is None
    assert runner.cancel_requested
    assert messages == [ops.CANCELLED_MESSAGE + "."]
    assert documents_about(db, clerk_ctx.actor, ids) == []
    assert cards_of(db, clerk_ctx.actor, ids) == []  # no first card survived the rollback
    assert runner.preview is None and button.isEnabled()
    # Nothing was used up: the next job takes the first serial of the year.
    job = recorded_job(db, clerk_ctx.actor, ids[:1])
    assert job.document.serial.endswith("-000001")


def test_the_window_stays_responsive_while_a_job_runs(qtbot, clerk_ctx, db, list_page):
    """The list on screen, a 60-card job on the worker: the GUI's timers keep firing and the
    table keeps repainting (every Python call of the GUI thread needs the GIL: see
    ``ui.operations.printing``)."""
    ids = helpers.admit_many(db, 60)
    page = list_page()  # its first rows arrive through the event loop, below
    with qtbot.waitSignal(page.model.sig_page_loaded, timeout=5000):
        pass
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: (ticks.append(time.monotonic()),
                                   page.table.viewport().update()))
    task = ops.PrintTask()
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(clerk_ctx.bus.changed, timeout=30000):
        ops.print_cards(clerk_ctx, ids, "sheet", task).run_in_background()
    ended = time.monotonic()
    timer.stop()
    during = [started, *[t for t in ticks if t < ended], ended]
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    assert ended - started > 0.1 and task.breaths > 0
    # Measured here: ~15 ticks a second, gaps under 0.16 s; without the breaths 2 ticks in
    # the whole job and one gap of 0.85 s.
    assert len(during) - 2 >= (ended - started) * 5, (len(during), ended - started)
    assert max(gaps) < 0.35, max(gaps)


@pytest.fixture
def record_view(qtbot, clerk_ctx):
    def _make(detention_id):
        view = DetaineeRecordView(clerk_ctx)
        qtbot.addWidget(view)
        view.resize(1366, 768)
        view.show()
        with qtbot.waitSignal(view.sig_loaded, timeout=5000):
            view.show_detention(detention_id)
        assert isinstance(view.print_bar, DetaineePrintBar)
        return view, view.print_bar
    return _make


def test_record_view_prints_the_admission_record_and_the_card(qtbot, clerk_ctx, db,
                                                              record_view):
    detention_id, number = helpers.admit_one(db, "Nguyễn Văn An")
    view, bar = record_view(detention_id)
    assert bar.isVisible() and bar.forms_button.isEnabled() and bar.card_button.isEnabled()
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.form_actions["admission-record"].trigger()
    record = finished.args[0]
    assert record.document.form_code == "admission-record"
    assert record.document.subjects == (("detention", detention_id),)
    previews = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, PrintPreview) and w.serial == record.document.serial]
    assert previews and previews[0].isVisible() and number in previews[0].info.text()

    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.card_button.click()
    card_job = finished.args[0]
    assert card_job.document.form_code == "card"  # one CR80 card, for a card printer
    assert [c.serial for c in card_job.cards] == [1]
    assert card_job.document.serial != record.document.serial


def test_record_view_prints_the_property_receipt(qtbot, clerk_ctx, db, record_view):
    detention_id, _number = helpers.admit_one(db, "Siti Aminah")
    _view, bar = record_view(detention_id)
    assert bar.form_actions["property-receipt"].isEnabled()
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.form_actions["property-receipt"].trigger()
    job = finished.args[0]
    assert job.document.form_code == "property-receipt"
    assert job.document.subjects == (("detention", detention_id),)


def test_the_property_return_receipt_is_offered_once_something_is_given_back(
        qtbot, clerk_ctx, db, record_view):
    """“Print form ▾” has the return receipt; it is greyed out (and says why) until an item
    or cash has been given back, and then prints through the same job as the other forms."""
    detention_id, _number = helpers.admit_one(db, "Aung Kyaw Oo")
    with db.write() as uow:
        item = PropertyItem(detention_id=detention_id, description="Telefon bimbit",
                            quantity=1, bag_no="B-0412", received_at=db.clock.now())
        uow.session.add(item)
        uow.session.add(CashEntry(detention_id=detention_id, amount=Decimal("80.00"),
                                  occurred_at=db.clock.now(), note="Diterima"))
        uow.session.flush()
        item_id = item.id
    view, bar = record_view(detention_id)
    action = bar.form_actions["property-return"]
    assert action.text() == "Property return receipt"
    assert action in bar.forms_button.menu().actions()
    assert not action.isEnabled() and "Nothing has been given back" in action.toolTip()
    assert bar.print_property_return() is None  # nothing to print, nothing started

    with db.write() as uow:
        property.return_property(uow, actor_for(db, "warden1"), detention_id,
                                 PropertyReturn(item_ids=(item_id,), cash_amount="30.00"))
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(detention_id)
    assert action.isEnabled() and "What was given back" in action.toolTip()
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        action.trigger()
    job = finished.args[0]
    assert job.document.form_code == "property-return"
    assert job.document.subjects == (("detention", detention_id),)
    with db.read() as uow:
        assert counterfoils.content(uow, clerk_ctx.actor, job.document.id) == job.pdf


def test_record_view_prints_the_custody_record_and_the_movement_slip(qtbot, clerk_ctx, db,
                                                                     record_view):
    detention_id, number = helpers.admit_one(db, "Agus Setiawan")
    _view, bar = record_view(detention_id)
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.form_actions["custody-record"].trigger()
    job = finished.args[0]
    assert (job.document.form_code, job.document.subjects) == (
        "custody-record", (("detention", detention_id),))
    assert bar.form_actions["movement-slip"].isEnabled()  # the admission is a movement
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.form_actions["movement-slip"].trigger()
    slip = finished.args[0]
    assert slip.document.form_code == "movement-slip"
    assert ("detention", detention_id) in slip.document.subjects


def test_reissuing_a_card_prints_the_new_one_and_supersedes_the_old(qtbot, clerk_ctx, db,
                                                                    record_view):
    detention_id, _ = helpers.admit_one(db, "Siti Rahman")
    first = recorded_job(db, clerk_ctx.actor, [detention_id], "card").cards[0]
    view, bar = record_view(detention_id)
    dialog = bar.reissue_card()
    qtbot.waitUntil(lambda: dialog.current is not None, timeout=5000)
    assert "Current card: No. 1" in dialog.card_line.text()
    assert not dialog.ok_button.isEnabled()  # a reason first
    next(b for b in dialog.reasons.buttons() if b.property("reason") == "lost").setChecked(True)
    assert dialog.ok_button.isEnabled() and "No. 2" in dialog.warning.text()
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        dialog.ok_button.click()
    job = finished.args[0]
    assert [(c.serial, c.reason) for c in job.cards] == [(2, "lost")]
    with db.read() as uow:
        verdict = cards.verify_card(uow, first.payload)
    assert verdict["status"] == cards.SUPERSEDED


def test_no_print_buttons_without_the_print_permission(qtbot, clerk_ctx, db):
    clerk_ctx.actor = Actor(None, "nobody", "Nobody", frozenset(), "test-ws")
    page = DetaineeListPage(clerk_ctx, search_delay_ms=0)
    qtbot.addWidget(page)
    button = _card_button(page)
    assert button.isHidden() and button.choose() is None
    view = DetaineeRecordView(clerk_ctx)
    qtbot.addWidget(view)
    assert view.print_bar.isHidden() and view.print_bar.print_card() is None


# -- the idle lock --------------------------------------------------------------------


@pytest.fixture
def window(qtbot, clerk_ctx):
    from ui.main_window import MainWindow

    made = MainWindow(clerk_ctx, idle_timeout_ms=600_000)
    qtbot.addWidget(made)
    made.resize(1366, 768)
    made.show()
    yield made
    made.teardown()


def test_locking_cancels_a_running_job_and_closes_previews(qtbot, clerk_ctx, db, window,
                                                           monkeypatch):
    ids = helpers.admit_many(db, 60)
    monkeypatch.setattr(runner_module, "SHOW_PROGRESS_AFTER_MS", 0)
    earlier = show_preview(qtbot, recorded_job(db, clerk_ctx.actor, ids[:1],
                                               "admission-record"), parent=window)
    button = window.areas["detainees"].list_page.print_cards_button
    button.sig_started.connect(lambda runner: runner.sig_progress.connect(
        lambda *_: window.lock() if runner.progress.isVisible() else None))
    with qtbot.waitSignal(button.sig_finished, timeout=30000) as finished:
        button.start([], everyone=True, layout="sheet", count=60)
    assert window.locked and finished.args[0] is None
    assert not (Shiboken.isValid(earlier) and earlier.isVisible())  # closed by the lock
    assert cards_of(db, clerk_ctx.actor, ids) == []


def test_a_job_that_ends_while_locked_shows_its_preview_after_unlocking(qtbot, clerk_ctx, db,
                                                                        window, monkeypatch):
    helpers.admit_many(db, 20)
    monkeypatch.setattr(runner_module, "SHOW_PROGRESS_AFTER_MS", 60_000)  # never shown
    button = window.areas["detainees"].list_page.print_cards_button
    runners = []
    button.sig_started.connect(runners.append)
    button.sig_started.connect(lambda runner: runner.sig_progress.connect(
        lambda *_: window.lock()))
    with qtbot.waitSignal(button.sig_finished, timeout=30000) as finished:
        button.start([], everyone=True, layout="sheet", count=20)
    assert window.locked and isinstance(finished.args[0], jobs.PrintJob)
    preview = runners[0].preview
    qtbot.wait(700)
    assert not preview.isVisible()
    with qtbot.waitSignal(runners[0].sig_preview_shown, timeout=5000):
        window.unlock(clerk_ctx.actor)
    assert preview.isVisible()


def test_the_real_print_dialog_opens_without_blocking(qtbot, clerk_ctx, db):
    job = recorded_job(db, clerk_ctx.actor, helpers.admit_many(db, 3), "card")
    preview = show_preview(qtbot, job)
    preview.print_document()
    dialog = preview._print_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.printer().docName() == job.document.serial
    assert (dialog.minPage(), dialog.maxPage()) == (1, 3)
    dialog.reject()
    assert preview.run is None  # cancelled: nothing sent


def test_cards_are_only_for_detainees_in_custody(qtbot, clerk_ctx, db, record_view):
    detention_id, _ = helpers.admit_one(db, "Maria Cruz")
    helpers.end_episode(db, detention_id, "released")
    view, bar = record_view(detention_id)
    assert bar.forms_button.isEnabled()  # the admission record still prints
    assert not bar.card_button.isEnabled() and not bar.reissue_button.isEnabled()
    assert "released" in bar.card_button.toolTip()
    other, _ = helpers.admit_one(db, "Budi Santoso", document="B7654321")
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(other)
    assert bar.card_button.isEnabled() and "issued" in bar.card_button.toolTip()
