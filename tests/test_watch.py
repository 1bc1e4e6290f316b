"""The change watcher sees what other connections commit, on both engines."""

from __future__ import annotations

import time

import pytest

from depot_app import changes as areas
from depot_app.database import Database
from depot_app.services import settings, users
from depot_app.watch import ChangeWatcher
from tests.conftest import PASSWORD


def _poll_until(watcher: ChangeWatcher, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = watcher.poll()
        if found is not None:
            return found
        time.sleep(0.05)
    return None


def _change_setting(db: Database, minutes: int) -> None:
    admin = users.login(db, "admin", PASSWORD, "other-ws")
    with db.write() as uow:
        settings.set_idle_lock_minutes(uow, admin, minutes)


def test_first_poll_is_a_baseline_and_quiet_database_reports_nothing(db):
    watcher = ChangeWatcher(db)
    try:
        assert watcher.poll() is None
        assert watcher.poll() is None
        with db.read() as uow:  # reading changes nothing
            settings.idle_lock_minutes(uow)
        assert watcher.poll() is None
    finally:
        watcher.close()


def test_a_write_at_another_workstation_is_seen(db):
    watcher = ChangeWatcher(db)
    other = Database(db.url)  # another workstation: its own engine and connections
    try:
        assert watcher.poll() is None
        _change_setting(other, 15)
        seen = _poll_until(watcher)
        assert seen is not None
        assert seen.remote
        assert seen.touches(areas.SETTINGS)
        # Drained: nothing more until the next commit.
        assert watcher.poll() is None
        _change_setting(other, 20)
        assert _poll_until(watcher) is not None
    finally:
        watcher.close()
        other.dispose()


@pytest.mark.parametrize("db", ["postgres"], indirect=True)  # SQLite reports every area
def test_postgres_reports_only_the_areas_named(db):
    watcher = ChangeWatcher(db)
    try:
        watcher.poll()
        _change_setting(db, 30)
        seen = _poll_until(watcher)
        assert seen is not None
        # The login (users: a successful login touches nothing) and the setting change.
        assert areas.SETTINGS in seen.areas
        assert areas.DETAINEES not in seen.areas
    finally:
        watcher.close()


def test_close_is_idempotent_and_poll_reopens(db):
    watcher = ChangeWatcher(db)
    watcher.poll()
    watcher.close()
    watcher.close()
    assert watcher.poll() is None  # a new baseline, not a change
    watcher.close()
