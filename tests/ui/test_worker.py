"""The database worker: results and exceptions come back on the GUI thread, in order."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy.exc
from PySide6.QtCore import QThread

from depot_app import changes as areas
from depot_app.changes import Changes, Result
from depot_app.errors import NotFound, ValidationError
from ui.operations.errors import describe
from ui.operations.op import DbOp


def test_results_come_back_on_the_gui_thread_in_order(qtbot, ctx):
    gui = QThread.currentThread()
    seen = []
    threads = []

    def job(n):
        def fn(db):
            threads.append(threading.get_ident())
            return n
        return fn

    with qtbot.waitSignal(ctx.worker.sig_busy_changed, timeout=5000,
                          check_params_cb=lambda busy: busy is False):
        for n in range(20):
            ctx.worker.submit(job(n), on_success=lambda r: seen.append(
                (r, QThread.currentThread() is gui)))
    assert seen == [(n, True) for n in range(20)]
    assert set(threads) != {threading.get_ident()}
    assert len(set(threads)) == 1  # one serial worker


def test_expected_error_goes_to_failure_callback(qtbot, ctx):
    failures = []

    def fn(db):
        raise ValidationError({"name": "Name is required"})

    with qtbot.waitSignal(ctx.worker.sig_busy_changed, timeout=5000,
                          check_params_cb=lambda busy: not busy):
        DbOp(ctx, fn, label="t").failure(failures.append).run_in_background()
    assert isinstance(failures[0], ValidationError)
    assert ctx.errors.last is None  # handled by the form, not a dialog


def test_expected_error_without_callback_is_shown_in_words(qtbot, ctx):
    def fn(db):
        raise NotFound("detainee", "SMY-2026-000999")

    with qtbot.waitSignal(ctx.errors.sig_error_shown, timeout=5000) as signal:
        DbOp(ctx, fn, label="t").run_in_background()
    title, text = signal.args
    assert title == "Not found"
    assert text == "There is no detainee SMY-2026-000999."


def test_unexpected_error_is_shown_and_logged_even_with_a_failure_callback(qtbot, ctx, caplog):
    failures = []

    def fn(db):
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(ctx.errors.sig_error_shown, timeout=5000) as signal:
        DbOp(ctx, fn, label="t").failure(failures.append).run_in_background()
    assert failures == []
    assert signal.args[0] == "Something went wrong"
    assert "ZeroDivisionError" in signal.args[1]
    assert "Traceback" in caplog.text and "division by zero" in caplog.text


def test_a_failing_callback_is_reported_not_lost(qtbot, ctx):
    def explode(_result):
        raise RuntimeError("callback broke")

    with qtbot.waitSignal(ctx.worker.sig_callback_failed, timeout=5000) as signal:
        ctx.worker.submit(lambda db: 1, on_success=explode)
    assert isinstance(signal.args[0], RuntimeError)


def test_a_mutation_publishes_its_changes_and_hands_over_the_value(qtbot, ctx):
    got = []
    changes = Changes.of(areas.DETAINEES)
    with qtbot.waitSignal(ctx.bus.changed, timeout=5000) as signal:
        DbOp(ctx, lambda db: Result("value", changes), label="t").success(got.append) \
            .run_in_background()
    assert signal.args == [changes]
    qtbot.waitUntil(lambda: got == ["value"])


def test_cancelled_job_never_calls_back(qtbot, ctx):
    got = []
    job = ctx.worker.submit(lambda db: 1, on_success=got.append)
    job.cancel()
    with qtbot.waitSignal(ctx.worker.sig_busy_changed, timeout=5000,
                          check_params_cb=lambda busy: not busy):
        pass
    assert got == []


def test_open_database_keeps_it_on_the_worker(qtbot, db):
    from ui.worker import DbWorker

    worker = DbWorker()
    try:
        with qtbot.waitSignal(worker.sig_busy_changed, timeout=10000,
                              check_params_cb=lambda busy: not busy):
            infos = []
            worker.open_database(db.url, on_success=infos.append)
        assert infos[0].dialect == "sqlite"
        assert infos[0].display.startswith("SQLite: ")
        with qtbot.waitSignal(worker.sig_busy_changed, timeout=5000,
                              check_params_cb=lambda busy: not busy):
            got = []
            worker.submit(lambda d: d.dialect, on_success=got.append)
        assert got == ["sqlite"]
    finally:
        worker.shutdown()


def test_shutdown_twice_is_harmless(qtbot, ctx):
    ctx.worker.shutdown()
    ctx.worker.shutdown()
    job = ctx.worker.submit(lambda db: 1)
    assert job.cancelled


@pytest.mark.parametrize("bad", ["not a url://", "mysql://x/y"])
def test_a_database_that_cannot_be_opened_reports_why(qtbot, bad):
    from ui.worker import DbWorker

    worker = DbWorker()
    errors = []
    try:
        with qtbot.waitSignal(worker.sig_busy_changed, timeout=10000,
                              check_params_cb=lambda busy: not busy):
            worker.open_database(bad, on_failure=errors.append)
        assert errors and isinstance(errors[0], Exception)
    finally:
        worker.shutdown()


def test_shutdown_drops_queued_work_but_runs_clean_up(qtbot, ctx):
    import time

    ran = []
    ctx.worker.submit(lambda db: time.sleep(0.2))  # keeps the worker busy
    ctx.worker.submit(lambda db: ran.append("ordinary"))
    ctx.worker.submit(lambda db: ran.append("clean-up"), essential=True)
    ctx.worker.shutdown()
    assert ran == ["clean-up"]


def test_a_schema_the_app_does_not_expect_is_not_called_a_network_fault():
    missing = sqlalchemy.exc.OperationalError(
        "INSERT ...", {}, Exception("table headcount_entry has no column named away"))
    assert describe(missing).startswith("The database's tables do not match this version")
    down = sqlalchemy.exc.OperationalError(
        "SELECT 1", {}, Exception("connection to server at 127.0.0.1 failed"))
    assert describe(down).startswith("The database did not answer")
