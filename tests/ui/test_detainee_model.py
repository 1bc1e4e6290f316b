"""The lazy detainee model: ids up front, rows fetched by page on the worker."""

from __future__ import annotations

from PySide6.QtCore import Qt

from depot_app.services import detainees
from depot_app.services.detainees import DetaineeQuery
from ui.detainees.list_page import DetaineeListPage
from ui.detainees.model import ID_ROLE, DetaineeTableModel
from ui.operations import detainees as ops

from . import helpers


def _loader(ctx):
    def request_rows(ids, deliver):
        ops.rows(ctx, ids).success(deliver).run_in_background()
    return request_rows


def _all_ids(db, clerk, scope="in_custody"):
    with db.read() as uow:
        return detainees.search_ids(uow, clerk, DetaineeQuery("", scope))


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, clerk_ctx, db):
    helpers.admit_many(db, 30)
    model = DetaineeTableModel(_loader(clerk_ctx), page_size=8)
    model.set_ids(_all_ids(db, clerk_ctx.actor))
    qtmodeltester.check(model)  # placeholders while loading

    def all_loaded():
        for r in range(model.rowCount()):
            model.data(model.index(r, 0))  # asks for the pages not yet loaded
        return all(model.is_loaded(r) for r in range(model.rowCount()))

    qtbot.waitUntil(all_loaded, timeout=5000)
    assert model.requests == 4  # 30 rows in pages of 8
    qtmodeltester.check(model)  # and with every row loaded


def test_rows_load_lazily_by_page(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 45)
    model = DetaineeTableModel(_loader(clerk_ctx), page_size=10)
    ids = _all_ids(db, clerk_ctx.actor)
    model.set_ids(ids)
    assert model.rowCount() == 45
    assert model.requests == 0  # nothing fetched until someone looks

    index = model.index(23, 1)
    assert model.data(index) == "Loading…"
    assert model.data(index, ID_ROLE) == ids[23]
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000) as loaded:
        pass
    assert loaded.args == [20, 29]
    assert model.requests == 1
    row = model.cached_row(23)
    assert model.data(index) == row.full_name
    assert model.data(model.index(23, 0)) == row.detainee_no
    assert not model.is_loaded(0) and not model.is_loaded(30)
    # Asking again for rows of a loaded page does not fetch again.
    model.data(model.index(25, 1))
    assert model.requests == 1


def test_cache_is_bounded(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 40)
    model = DetaineeTableModel(_loader(clerk_ctx), page_size=10, max_cached=20)
    model.set_ids(_all_ids(db, clerk_ctx.actor))
    for start in (0, 10, 20, 30):
        with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
            model.data(model.index(start, 0))
    loaded = [r for r in range(40) if model.cached_row(r) is not None]
    assert loaded == list(range(20, 40))


def test_a_page_for_an_older_id_list_is_dropped(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 30)
    delivered = []
    model = None

    def slow_loader(ids, deliver):
        delivered.append((ids, deliver))

    model = DetaineeTableModel(slow_loader, page_size=10)
    ids = _all_ids(db, clerk_ctx.actor)
    model.set_ids(ids)
    model.data(model.index(0, 0))
    assert len(delivered) == 1
    old_ids, old_deliver = delivered[0]
    model.set_ids(list(reversed(ids)))  # new results before the old page arrived
    with db.read() as uow:
        old_rows = detainees.rows(uow, clerk_ctx.actor, old_ids)
    changed = []
    model.dataChanged.connect(lambda *a: changed.append(a))
    old_deliver(old_rows)
    assert changed == []
    assert model.cached_row(0) is None  # the stale page did not paint over the new list


def test_refresh_keeps_showing_old_rows_while_refetching(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 5)
    model = DetaineeTableModel(_loader(clerk_ctx), page_size=10)
    ids = _all_ids(db, clerk_ctx.actor)
    model.set_ids(ids)
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        model.data(model.index(0, 0))
    name = model.data(model.index(0, 1))
    model.set_ids(list(ids))  # same ids: a refresh, not a reset
    assert model.data(model.index(0, 1)) == name  # stale row shown, no "Loading…"
    assert not model.is_loaded(0)
    with qtbot.waitSignal(model.sig_page_loaded, timeout=5000):
        pass
    assert model.is_loaded(0)


def test_search_updates_and_stale_results_are_dropped(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 25)
    target, number = helpers.admit_one(db, "Zulkarnain Bin Zainal", document="ZZ998877")
    page = DetaineeListPage(clerk_ctx, search_delay_ms=10)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 26, timeout=5000)
    assert page.count_label.text() == "26 in custody"

    with qtbot.waitSignal(page.sig_results_shown, timeout=5000) as shown:
        page.search.setText("zulkarn")
    assert shown.args == [1]
    assert page.model.id_at(0) == target
    assert "1 found in custody" in page.count_label.text()

    # Two searches in flight: only the newer one's answer is shown.
    page.search.blockSignals(True)
    page.search.setText("ZZ9988")   # document number prefix
    page.run_search()
    page.search.setText("no such name at all")
    with qtbot.waitSignal(page.sig_results_shown, timeout=5000) as shown:
        page.run_search()
    page.search.blockSignals(False)
    qtbot.wait(100)
    assert shown.args == [0]
    assert page.model.rowCount() == 0

    with qtbot.waitSignal(page.sig_results_shown, timeout=5000):
        page.search.setText(number)
    assert page.model.ids == [target]


def test_scope_all_includes_ended_episodes(qtbot, clerk_ctx, db):
    ids = helpers.admit_many(db, 6)
    helpers.end_episode(db, ids[0], "removed")
    page = DetaineeListPage(clerk_ctx, search_delay_ms=10)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5000)
    with qtbot.waitSignal(page.sig_results_shown, timeout=5000):
        page.set_scope("all")
    assert page.model.rowCount() == 6
    assert "custody episodes" in page.count_label.text()


def test_table_shows_loaded_rows_and_enter_opens(qtbot, clerk_ctx, db):
    ids = helpers.admit_many(db, 12)
    page = DetaineeListPage(clerk_ctx, search_delay_ms=10)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 12, timeout=5000)
    qtbot.waitUntil(lambda: page.model.is_loaded(0), timeout=5000)
    page.table.setFocus()
    page.table.selectRow(2)
    with qtbot.waitSignal(page.sig_open_requested, timeout=2000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.id_at(2)]
    assert set(page.model.ids) == set(ids)


def test_requests_for_an_older_list_are_cancelled(qtbot, clerk_ctx, db):
    helpers.admit_many(db, 30)
    handles = []

    class Handle:
        cancelled = False

        def cancel(self):
            self.cancelled = True

    def loader(ids, deliver):
        handles.append(Handle())
        return handles[-1]

    model = DetaineeTableModel(loader, page_size=10)
    ids = _all_ids(db, clerk_ctx.actor)
    model.set_ids(ids)
    model.data(model.index(0, 0))
    model.data(model.index(15, 0))
    assert len(handles) == 2 and not any(h.cancelled for h in handles)
    model.set_ids(ids[:5])
    assert all(h.cancelled for h in handles)
