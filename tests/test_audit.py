"""The audit chain: written with every change, verified end to end, tamper-evident."""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from db.models import AuditEvent, AuditHead
from depot_app import audit
from depot_app.database import Database
from depot_app.services import users
from tests.conftest import PASSWORD


def _verify(db: Database) -> audit.VerifyReport:
    with db.read() as uow:
        return audit.verify(uow.session)


def test_seeded_chain_verifies(db):
    report = _verify(db)
    assert report.ok, report.reason
    # first-run (depot + admin), the admin's login, and four users added
    assert report.events >= 7


def test_every_change_writes_its_event_in_the_same_transaction(db, login):
    admin = login("admin")
    before = _verify(db).events
    with db.write() as uow:
        users.add_user(uow, admin, users.NewUser("clerk2", "Siti Clerk", ("clerk",), PASSWORD))
    with db.read() as uow:
        last = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last.action == "user.create"
        assert last.username == "admin" and last.workstation == "test-ws"
        assert '"clerk2"' in last.after
    assert _verify(db).events == before + 1


def test_failed_change_leaves_no_event(db, login):
    admin = login("admin")
    before = _verify(db).events
    with pytest.raises(RuntimeError):
        with db.write() as uow:
            users.add_user(uow, admin, users.NewUser("clerk3", "X", ("clerk",), PASSWORD))
            raise RuntimeError("the action failed after its change")
    assert _verify(db).events == before
    with db.read() as uow:
        assert "clerk3" not in [u.username for u in users.list_users(uow, admin)]


def _tamper(db: Database, sql: str) -> None:
    if db.dialect == "postgresql":
        # Only a superuser bypassing the trigger could do this on a real server.
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            conn.execute(text(sql))
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text(sql))


@pytest.mark.parametrize("sql, broken, words", [
    ("UPDATE audit_event SET after = '{\"username\":\"mallory\"}' WHERE seq = 3", 3, "altered"),
    ("UPDATE audit_event SET username = 'someone' WHERE seq = 2", 2, "altered"),
    ("DELETE FROM audit_event WHERE seq = 4", 4, "missing"),
])
def test_verify_names_the_first_broken_event(db, sql, broken, words):
    _tamper(db, sql)
    report = _verify(db)
    assert not report.ok
    assert report.broken_seq == broken
    assert words in report.reason


def test_verify_detects_removed_tail(db):
    last = _verify(db).events
    _tamper(db, f"DELETE FROM audit_event WHERE seq = {last}")
    report = _verify(db)
    assert not report.ok and "removed" in report.reason


def test_verify_detects_event_inserted_out_of_chain(db):
    with db.read() as uow:
        last = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        head = uow.session.get(AuditHead, 1)
        seq, prev_hash = last.seq, last.hash
        assert head.last_seq == seq
    # A forged event with a plausible but wrong chain hash, and the head moved to match.
    _tamper(db, f"""INSERT INTO audit_event (seq, occurred_at, user_id, username, workstation,
        action, entity, entity_id, before, after, prev_hash, hash)
        VALUES ({seq + 1}, '2026-01-01 00:00:00', NULL, 'x', 'x', 'user.create', 'user', '99',
        'null', 'null', '{prev_hash}', '{"f" * 64}')""")
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_head SET last_seq = {seq + 1}, last_hash = '{'f' * 64}'"))
    report = _verify(db)
    assert not report.ok and report.broken_seq == seq + 1


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
@pytest.mark.parametrize("sql", [
    "UPDATE audit_event SET username = 'x' WHERE seq = 1",
    "DELETE FROM audit_event WHERE seq = 1",
    "TRUNCATE audit_event",
])
def test_postgres_refuses_update_delete_truncate(db, sql):
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(text(sql))
    assert _verify(db).ok


def _writer(url: str, name: str, count: int) -> None:
    db = Database(url)
    actor = users.login(db, "admin", PASSWORD, f"ws-{name}")
    for i in range(count):
        with db.write() as uow:
            users.reset_password(uow, actor, "clerk1", f"{PASSWORD}-{name}-{i}")
    db.dispose()


def test_concurrent_writers_do_not_fork_the_chain(db):
    before = _verify(db).events
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db.url, str(n), 5)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    report = _verify(db)
    assert report.ok, report.reason
    # each writer: one login event and five password resets
    assert report.events == before + 3 * 6
    with db.read() as uow:
        workstations = set(uow.session.scalars(select(AuditEvent.workstation)))
    assert {"ws-0", "ws-1", "ws-2"} <= workstations


@pytest.mark.parametrize("username", ["clerk1", "warden1", "medical1", "officer1"])
def test_only_admin_verifies_the_chain(db, login, username):
    from depot_app.errors import PermissionDenied
    from depot_app.services import audit_trail
    with db.read() as uow, pytest.raises(PermissionDenied):
        audit_trail.verify_chain(uow, login(username))
    with db.read() as uow:
        assert audit_trail.verify_chain(uow, login("admin")).ok
