"""Accounts: first-run set-up, logging in, lock-out after five failures, roles."""

from __future__ import annotations

import pytest

from depot_app.actor import Permission, Role
from depot_app.errors import (
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from depot_app.services import setup, users
from tests.conftest import PASSWORD


def _first_run(**overrides):
    fields = dict(depot_code="SMY", depot_name="Depot Imigresen Semenyih", depot_state="Selangor",
                  admin_username="admin", admin_full_name="Aminah Yusof",
                  admin_password=PASSWORD, admin_password_again=PASSWORD)
    fields.update(overrides)
    return setup.FirstRunRequest(**fields)


def test_first_run_creates_depot_and_admin(empty_db):
    with empty_db.read() as uow:
        assert not setup.is_initialised(uow)
    with empty_db.write() as uow:
        result = setup.first_run(uow, _first_run(depot_code="smy"))
    assert result.value.code == "SMY"
    actor = users.login(empty_db, "admin", PASSWORD, "ws")
    assert actor.roles == frozenset({Role.ADMIN})
    with empty_db.read() as uow:
        assert setup.is_initialised(uow)
        assert setup.current_depot(uow).name == "Depot Imigresen Semenyih"


@pytest.mark.parametrize("overrides, field", [
    ({"depot_code": ""}, "depot_code"),
    ({"depot_code": "S1"}, "depot_code"),
    ({"depot_name": "  "}, "depot_name"),
    ({"admin_password_again": "different pw"}, "admin_password_again"),
    ({"admin_password": "short", "admin_password_again": "short"}, "admin_password"),
    ({"admin_username": "9lives"}, "admin_username"),
    ({"admin_full_name": ""}, "admin_full_name"),
])
def test_first_run_names_the_bad_field_and_writes_nothing(empty_db, overrides, field):
    with pytest.raises(ValidationError) as caught:
        with empty_db.write() as uow:
            setup.first_run(uow, _first_run(**overrides))
    assert field in caught.value.fields
    with empty_db.read() as uow:
        assert not setup.is_initialised(uow)
        from depot_app import audit
        assert audit.verify(uow.session).events == 0


def test_first_run_refused_once_set_up(db):
    with pytest.raises(ConflictError):
        with db.write() as uow:
            setup.first_run(uow, _first_run(admin_username="other"))


def test_wrong_password_counts_down_then_locks(db):
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed, match=f"{left} attempt") as caught:
            users.login(db, "clerk1", "wrong password", "ws")
        assert type(caught.value) is AuthenticationFailed  # not yet AccountLocked
    with pytest.raises(AccountLocked):
        users.login(db, "clerk1", "wrong password", "ws")
    # Even the right password is refused now, until an administrator unlocks.
    with pytest.raises(AccountLocked):
        users.login(db, "clerk1", PASSWORD, "ws")
    admin = users.login(db, "admin", PASSWORD, "ws")
    with db.write() as uow:
        view = users.unlock_user(uow, admin, "clerk1").value
    assert not view.locked and view.failed_logins == 0
    assert users.login(db, "clerk1", PASSWORD, "ws").username == "clerk1"


def test_success_resets_the_failure_count(db):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "warden1", "nope nope", "ws")
    users.login(db, "warden1", PASSWORD, "ws")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "warden1", "nope nope", "ws")
    assert users.login(db, "warden1", PASSWORD, "ws")


def test_unknown_user_gets_the_same_message(db):
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.login(db, "nobody", PASSWORD, "ws")


def test_unlock_session_after_idle_lock_counts_failures(db, login):
    clerk = login("clerk1")
    with pytest.raises(AuthenticationFailed) as caught:
        users.unlock_session(db, clerk, "bad password")
    assert type(caught.value) is AuthenticationFailed
    assert users.unlock_session(db, clerk, PASSWORD).user_id == clerk.user_id


@pytest.mark.parametrize("username", ["clerk1", "warden1", "medical1", "officer1"])
def test_only_admin_manages_users(db, login, username):
    actor = login(username)
    assert not actor.can(Permission.MANAGE_USERS)
    with pytest.raises(PermissionDenied):
        with db.read() as uow:
            users.list_users(uow, actor)
    with pytest.raises(PermissionDenied):
        with db.write() as uow:
            users.add_user(uow, actor, users.NewUser("x1", "X", (Role.CLERK,), PASSWORD))
    with pytest.raises(PermissionDenied):
        with db.write() as uow:
            users.unlock_user(uow, actor, "clerk1")


def test_user_may_hold_several_roles(db, login):
    admin = login("admin")
    with db.write() as uow:
        users.add_user(uow, admin, users.NewUser("dual", "Dual Role", ("warden", "officer"),
                                                 PASSWORD))
    actor = login("dual")
    assert actor.roles == {Role.WARDEN, Role.OFFICER}
    assert actor.can(Permission.MANAGE_COURT) and actor.can(Permission.MOVE)
    assert not actor.can(Permission.ADMIT)


@pytest.mark.parametrize("request_fields, field", [
    (("clerk1", "Dup", ("clerk",), PASSWORD), "username"),
    (("new1", "New", (), PASSWORD), "roles"),
    (("new1", "New", ("janitor",), PASSWORD), "roles"),
    (("new1", "New", ("clerk",), "short"), "password"),
])
def test_add_user_validation(db, login, request_fields, field):
    admin = login("admin")
    with pytest.raises(ValidationError) as caught:
        with db.write() as uow:
            users.add_user(uow, admin, users.NewUser(*request_fields))
    assert field in caught.value.fields


def test_passwords_are_argon2id(db):
    from sqlalchemy import select

    from db.models import User
    with db.read() as uow:
        hashes = list(uow.session.scalars(select(User.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_first_run_reports_every_bad_field_at_once(empty_db):
    with pytest.raises(ValidationError) as caught:
        with empty_db.write() as uow:
            setup.first_run(uow, _first_run(depot_code="", admin_username="",
                                            admin_password="short", admin_password_again="x"))
    assert set(caught.value.fields) == {"depot_code", "admin_username", "admin_password",
                                        "admin_password_again"}
