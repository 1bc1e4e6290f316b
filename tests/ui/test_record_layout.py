"""The record as a warden reads it at 1366×768: tables that fit the width (long texts
wrap, rows grow, no horizontal scroll bar), a scanned card opening at the top, the
warnings near the name (a cell out of service, where a detainee went), a slip for any
movement, and dialogs whose fields neither overlap nor get cut."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from db.models import Cell, Detention
from depot_app.services import locations, outings, visits
from depot_app.services.outings import OutRequest, ReturnRequest
from depot_app.services.visits import VisitInput
from tests.custody_fixtures import version
from tests.test_admission import actor_for
from ui.detainees import record_text as words
from ui.detainees.detail import DetaineeRecordView
from ui.widgets.record import SmallTable

from .test_movement_dialogs import login, place, record  # noqa: F401


@pytest.fixture(autouse=True)
def _close_dialogs(qapp):
    """A dialog a test left open is closed, so no later test meets it as a modal window."""
    yield
    for widget in qapp.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


LONG_REASON = ("Hearing under s.6(1)(c) of the Immigration Act 1959/63, adjourned from last "
               "month at the request of the interpreter; produce again with the passport")
LONG_ORG = "UNHCR Kuala Lumpur, Protection Unit (detention monitoring and registration)"


@pytest.fixture
def history(db, place):  # noqa: F811
    """Agus went to court with a long reason and came back; a UNHCR visit."""
    warden = actor_for(db, "warden1")
    agus = place["agus"]
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(
            agus, "court", "Mahkamah Majistret Kajang", LONG_REASON, version(db, agus),
            escort="Kpl Azman (Escort unit)", authority="Production order",
            document_ref="MK-PO-2026-0441"))
    with db.write() as uow:
        outings.come_back(uow, warden, ReturnRequest(agus, version(db, agus),
                                                     note="Remanded for 14 days"))
    with db.write() as uow:
        visits.record_visit(uow, warden, VisitInput(
            agus, "ngo", "Ms Sarah Lim, Mr Daniel Tan", organisation=LONG_ORG,
            approval_ref="JIM/NGO/2026/118", officer_present="Insp. Rosli"))
    return place


def _fits(table: SmallTable) -> None:
    """Every column inside the table's width, every long word whole, every row whole."""
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert sum(widths) <= table.viewport().width() + 1
    metrics = table.fontMetrics()
    for c in range(table.columnCount()):
        header = table.horizontalHeader().sectionSizeFromContents(c).width()
        assert widths[c] >= min(header, 60), (c, widths)
        for r in range(table.rowCount()):
            for word in table.item(r, c).text().split():
                assert metrics.horizontalAdvance(word) <= widths[c], (c, word, widths[c])
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.height() >= table.horizontalHeader().height() + rows


def test_movements_and_visits_fit_the_width_and_long_texts_wrap(qtbot, ctx, db, history):
    view = record(qtbot, login(ctx, db, "warden1"), history["agus"])
    movements, visits_ = view.movements, view.visits
    qtbot.waitUntil(lambda: movements.viewport().width() > 900, timeout=5000)
    _fits(movements)
    _fits(visits_)
    reason = 3
    court = next(r for r in range(movements.rowCount())
                 if movements.item(r, 1).text() == "Out to court")
    assert movements.item(court, reason).text() == LONG_REASON
    # The reason has a real share of the width, and its row grew to its lines.
    assert movements.columnWidth(reason) >= 180
    one_line = movements.fontMetrics().height()
    assert movements.rowHeight(court) >= 2 * one_line
    need = movements.fontMetrics().boundingRect(
        0, 0, movements.columnWidth(reason) - SmallTable.PADDING, 10_000,
        int(Qt.TextFlag.TextWordWrap), LONG_REASON).height()
    assert movements.rowHeight(court) >= need
    assert "Production order · ref. MK-PO-2026-0441" == movements.item(court, 4).text()
    # The visit's organisation ("From / relation") is there in full, wrapped.
    assert visits_.item(0, 3).text() == LONG_ORG
    assert visits_.columnWidth(3) >= 150
    # Narrower (a smaller window): still no horizontal scroll bar, the rows grow more.
    before, wide = movements.rowHeight(court), movements.viewport().width()
    view.resize(1000, 768)
    qtbot.waitUntil(lambda: movements.viewport().width() < wide - 300, timeout=5000)
    _fits(movements)
    assert movements.rowHeight(court) >= before


def test_a_released_record_shows_the_authority_column(qtbot, ctx, db, place):  # noqa: F811
    """The columns after a long "From → to" stay on screen (they were behind a scroll
    bar), and the record says where the detainee went."""
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("release")
    f = dialog.form
    f.field("authority").setText("Director of Immigration Selangor")
    f.field("document_ref").setText("REL-2026-0077")
    f.field("destination").setText("Employer, Syarikat Pembinaan Maju Jaya Sdn. Bhd. (Semenyih)")
    f.field("reason").setText("Special pass granted under s.10 pending the appeal")
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        dialog.submit()
    _fits(view.movements)
    authority = view.movements.columnViewportPosition(4)
    assert 0 <= authority < view.movements.viewport().width() - 60
    assert view.departure.isVisible()
    assert view.departure.text() == ("Released to Employer, Syarikat Pembinaan Maju Jaya Sdn. "
                                     "Bhd. (Semenyih) · release order REL-2026-0077")


def test_a_transfer_says_where_and_with_whom_on_the_record(qtbot, ctx, db, place):  # noqa: F811
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    assert not view.departure.isVisible()  # in custody: nothing to say
    dialog = view.movement_bar.open_dialog("transfer")
    f = dialog.form
    assert not f.field("escort").isHidden()
    f.field("authority").setText("Director of Immigration, Selangor")
    f.field("document_ref").setText("TRF-2026-031")
    f.field("destination").setText("Depot Imigresen Bukit Jalil")
    f.field("reason").setText("Family held at the receiving depot")
    f.field("escort").setText("Insp. Rahman, Depot Bukit Jalil")
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        dialog.submit()
    last = view.detail.movements[0]
    assert (last.kind, last.escort) == ("transfer", "Insp. Rahman, Depot Bukit Jalil")
    assert view.departure.isVisible()
    assert view.departure.text() == ("Transferred to Depot Imigresen Bukit Jalil · transfer "
                                     "document TRF-2026-031 · escort Insp. Rahman, Depot "
                                     "Bukit Jalil")


def test_a_release_has_no_escort_field(qtbot, ctx, db, place):  # noqa: F811
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("release")
    assert "escort" not in dialog.form.field_names()
    assert dialog.request({}).escort == ""


def test_a_scanned_card_opens_the_record_at_its_top(qtbot, ctx, db, history):
    view = record(qtbot, login(ctx, db, "warden1"), history["agus"])
    bar = view.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    with db.read() as uow:
        other = uow.session.scalar(select(Detention.id).where(Detention.id != history["agus"]))
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(other)
    qtbot.wait(50)  # the layout settles
    assert bar.value() == 0
    assert view.photo.visibleRegion().boundingRect().height() == view.photo.height()
    # The same record scanned again, scrolled down: back to the top as well.
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(other)
    qtbot.wait(50)
    assert bar.value() == 0


def test_a_detainee_in_a_cell_out_of_service_is_to_be_moved(qtbot, ctx, db, place):  # noqa: F811
    admin = actor_for(db, "admin")
    with db.read() as uow:
        cell_version = uow.session.get(Cell, place["A-01"]).version
    with db.write() as uow:
        locations.set_in_service(uow, admin, place["A-01"], False, "Flooded: burst pipe",
                                 cell_version)
    view = DetaineeRecordView(login(ctx, db, "warden1"))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    with qtbot.waitSignal(view.sig_cell_checked, timeout=5000) as checked:
        view.show_detention(place["agus"])
    assert checked.args == [True]
    assert view.cell_banner.isVisible()
    assert view.cell_banner.text() == ("Cell Blok A / A-01 is out of service (Flooded: burst "
                                       "pipe): move them to another cell (Move to cell…).")
    # Moved to a cell in service: the warning goes.
    dialog = view.movement_bar.open_dialog("move")
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)
    assert dialog.cells.choose(place["A-02"])
    dialog.form.field("reason").setText("Cell A-01 flooded")
    with qtbot.waitSignal(view.sig_cell_checked, timeout=5000) as checked:
        dialog.submit()
    assert checked.args == [False]
    assert view.cell_banner.isHidden()


def test_the_cell_warning_words():
    from tests.printing.custody_samples import custody_detail
    d = custody_detail(status="in_custody", cell_id=7, location="Blok A / A-01",
                       away_reason="")
    assert words.cell_out_of_service(d, "Blok A / A-01", True) == ""
    assert "move them" in words.cell_out_of_service(d, "Blok A / A-01", False)
    gone = custody_detail(status="released", cell_id=7, location="", away_reason="")
    assert words.cell_out_of_service(gone, "Blok A / A-01", False) == ""
    away = custody_detail(status="in_custody", cell_id=7, location="Out: court",
                          away_reason="court")
    assert words.cell_out_of_service(away, "Blok A / A-01", False) == (
        "Cell Blok A / A-01 is out of service: on their return they go to reception, to be "
        "placed in a cell.")


# -- a slip for any movement ----------------------------------------------------------

def test_any_movement_slip_from_the_movements_table(qtbot, ctx, db, history):
    from tests.printing.helpers import page_texts

    view = record(qtbot, login(ctx, db, "warden1"), history["agus"])
    table = view.movements
    kinds = [m.kind for m in view.detail.movements]
    assert kinds == ["return", "out_court", "admission"]  # the latest first
    court = kinds.index("out_court")
    menu = view.movement_menu(court)
    assert [a.text() for a in menu.actions()] == ["Print movement slip"]
    assert menu.actions()[0].isEnabled()

    chosen = []
    real = view.print_bar.print_movement_slip
    view.print_bar.print_movement_slip = lambda movement_id=None: (
        chosen.append(movement_id), real(movement_id))[1]
    # A double-click on the row prints that movement's slip, not the latest one's.
    rect = table.visualRect(table.model().index(court, 1))
    with qtbot.waitSignal(view.print_bar.sig_finished, timeout=30_000) as finished:
        # (A person's double-click: the first click, then the second as a double-click.)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [view.detail.movements[court].id]
    job = finished.args[0]
    assert job is not None and job.document.form_code == "movement-slip"
    text = " ".join(" ".join(page_texts(job.pdf)).split())
    assert "Mahkamah Majistret Kajang" in text and "MK-PO-2026-0441" in text
    assert "Remanded for 14 days" not in text  # the return, the latest, is not this slip

    # The context menu does the same for the admission.
    menu = view.movement_menu(kinds.index("admission"))
    with qtbot.waitSignal(view.print_bar.sig_finished, timeout=30_000):
        menu.actions()[0].trigger()
    assert chosen[-1] == view.detail.movements[-1].id
    assert view.movement_menu(99) is None


def test_the_context_menu_opens_on_the_row_under_the_mouse(qtbot, ctx, db, history):
    view = record(qtbot, login(ctx, db, "warden1"), history["agus"])
    table = view.movements
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    shown = []
    view.movement_menu = lambda row: shown.append(row)  # what the right-click asks for
    rect = table.visualRect(table.model().index(1, 2))
    table.customContextMenuRequested.emit(rect.center())
    assert shown == [1]
    table.customContextMenuRequested.emit(QPoint(5, table.viewport().height() + 50))
    assert shown == [1, -1]


# -- dialogs at 1366×768 --------------------------------------------------------------

def _no_overlap(widgets) -> None:
    shown = [w for w in widgets if w.isVisible()]
    for above, below in zip(shown, shown[1:], strict=False):
        top = below.mapTo(below.window(), QPoint(0, 0)).y()
        bottom = above.mapTo(above.window(), QPoint(0, above.height())).y()
        assert bottom <= top, (above, below)


def test_the_visit_kinds_are_not_cut(qtbot, ctx, db, place):  # noqa: F811
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("visit")
    qtbot.waitExposed(dialog)
    dialog.kind_buttons["consular"].setChecked(True)
    qtbot.wait(50)
    for button in dialog.kind_buttons.values():
        assert button.width() >= button.sizeHint().width(), button.text()
        right = button.mapTo(dialog, QPoint(button.width(), 0)).x()
        assert right <= dialog.width()
    labels = [b.text() for b in dialog.kind_buttons.values()]
    assert labels == ["Consular / embassy", "Family", "Lawyer", "NGO / UNHCR"]


def test_the_release_warning_pushes_the_fields_down_not_over(qtbot, ctx, db, place):  # noqa: F811
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("release")
    qtbot.waitExposed(dialog)
    part = dialog.property
    fields = [part.items, part.cash, dialog.form.field("property.note"),
              dialog.form.field("property.receipt_no")]
    qtbot.wait(50)
    _no_overlap(fields)
    part.items.item(0).setCheckState(Qt.CheckState.Unchecked)
    part.cash.setText("20.00")
    qtbot.waitUntil(lambda: part.warning.isVisible(), timeout=2000)
    qtbot.wait(50)
    _no_overlap([*fields, part.warning])
    assert dialog.height() >= dialog.layout().totalSizeHint().height()
    # The items list shows every item in full: no scroll bars.
    assert not part.items.horizontalScrollBar().isVisible()
    assert not part.items.verticalScrollBar().isVisible()


def test_a_long_item_wraps_in_the_removal_list(qtbot, ctx, db, place):  # noqa: F811
    from db.models import PropertyItem
    with db.write() as uow:
        uow.session.add(PropertyItem(
            detention_id=place["agus"], quantity=1, bag_no="B-0412",
            description="Beg galas (backpack) with clothes, two pairs of shoes and a prayer mat",
            received_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("removal")
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    items = dialog.property.items
    assert items.count() == 3
    assert not items.horizontalScrollBar().isVisible()
    assert not items.verticalScrollBar().isVisible()
    rows = [items.visualRect(items.model().index(r, 0)) for r in range(items.count())]
    assert all(r.right() <= items.viewport().width() for r in rows)
    assert rows[-1].height() > rows[0].height()  # the long one on two lines
    assert rows[-1].bottom() <= items.viewport().height()
