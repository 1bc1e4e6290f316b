"""UI tests: offscreen, on SQLite only (the services are tested on both engines), each with
a database worker, a change bus and a quiet error presenter."""

from __future__ import annotations

import gc
import os

import pytest
from PySide6.QtCore import QEvent

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.conftest import _fresh  # noqa: E402
from ui.changebus import ChangeBus  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.operations.errors import ErrorPresenter  # noqa: E402
from ui.worker import DatabaseInfo, DbWorker  # noqa: E402

from . import helpers  # noqa: E402


@pytest.fixture(params=["sqlite"])
def db(request, templates, pg_factory, tmp_path):
    """The seeded database of tests/conftest.py, restricted to SQLite for widget tests."""
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


@pytest.fixture(params=["sqlite"])
def empty_db(request, templates, pg_factory, tmp_path):
    yield from _fresh(request, templates, pg_factory, False, tmp_path)


@pytest.fixture(autouse=True)
def _delete_qt_objects_now(qapp):
    """After each test (and after pytest-qt closed its widgets): run the deferred deletes
    and collect garbage *here*. ``processEvents`` does not run deferred deletes, and a
    parentless Python-owned widget left to the cyclic garbage collector is deleted at
    whatever moment Python next runs, possibly while Qt is delivering an event to it: the
    intermittent segfault this fixture exists to prevent."""
    yield
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _close_previews_first(qtbot, qapp):
    """Before pytest-qt deletes a test's widgets: close the print previews they opened.

    A preview is a child window of the widget that printed; deleted with its parent while
    open, its PDF view and document were torn down in creation order (the buffer before the
    document reading it), which corrupted the heap and crashed a later test. Closed, each
    preview deletes itself in order, as in the application (the lock and log-out close
    them)."""
    yield
    from ui.printing.preview import PrintPreview

    for widget in qapp.topLevelWidgets():
        if isinstance(widget, PrintPreview) and widget.isVisible():
            widget.close()
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def make_ctx(database) -> AppContext:
    worker = DbWorker(database)
    errors = ErrorPresenter()
    errors.dialogs_enabled = False
    return AppContext(worker, ChangeBus(), errors, DatabaseInfo.of(database))


@pytest.fixture
def ctx(qtbot, db):
    """A context with no one logged in yet."""
    context = make_ctx(db)
    yield context
    context.worker.shutdown()


@pytest.fixture
def clerk_ctx(ctx, db):
    ctx.actor = helpers.actor(db, "clerk1")
    with db.read() as uow:
        from depot_app.services import setup
        ctx.depot = setup.current_depot(uow)
    return ctx
