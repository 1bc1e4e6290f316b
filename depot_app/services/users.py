"""User accounts, roles and logging in.

Five failed logins in a row lock an account until an administrator unlocks it. Every
login, failure, lock and account change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from db.models import User, UserRole
from depot_app import changes as areas
from depot_app import passwords
from depot_app.actor import Actor, Permission, Role
from depot_app.changes import Changes, Result
from depot_app.database import Database, UnitOfWork
from depot_app.errors import (
    AccountLocked,
    AuthenticationFailed,
    ConflictError,
    NotFound,
    ValidationError,
    Validator,
)
from depot_app.readmodels import UserView

MAX_FAILED_LOGINS = 5
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    roles: tuple[Role, ...]
    password: str


def _view(user: User) -> UserView:
    return UserView(
        id=user.id, username=user.username, full_name=user.full_name,
        roles=tuple(Role(r.role) for r in user.roles), active=user.active,
        locked=user.locked_at is not None, failed_logins=user.failed_logins,
        last_login_at=user.last_login_at,
    )


def _actor(user: User, workstation: str) -> Actor:
    return Actor(user.id, user.username, user.full_name,
                 frozenset(Role(r.role) for r in user.roles), workstation)


def _get_for_update(uow: UnitOfWork, username: str) -> User:
    """The user row, locked until this unit of work ends (concurrent admins queue)."""
    user = uow.session.scalars(
        select(User).where(User.username == username.strip().lower()).with_for_update()
    ).first()
    if user is None:
        raise NotFound("user", username)
    return user


def check_new_user(v: Validator, request: NewUser, field_prefix: str = "") -> None:
    """Add every problem with a new account's fields to ``v`` (nothing is written)."""
    username = request.username.strip().lower()
    if not username:
        v.add(f"{field_prefix}username", "User name is required")
    elif not USERNAME.match(username):
        v.add(f"{field_prefix}username",
              "User name must start with a letter and use only a-z, 0-9, '.', '_' or '-' "
              "(2 to 40 characters)")
    v.require(f"{field_prefix}full_name", request.full_name, max_len=120, label="Full name")
    if not request.roles:
        v.add(f"{field_prefix}roles", "Choose at least one role")
    else:
        unknown = [r for r in request.roles if str(r).strip().lower() not in set(Role)]
        if unknown:
            v.add(f"{field_prefix}roles", f"{unknown[0]!r} is not a role "
                  f"({', '.join(r.value for r in Role)})")
    problem = passwords.password_problem(request.password)
    if problem:
        v.add(f"{field_prefix}password", f"Password {problem}")


def create_user(uow: UnitOfWork, actor: Actor, request: NewUser, *,
                field_prefix: str = "") -> UserView:
    """Create an account. Callers check permission; first-run set-up has no user yet."""
    v = Validator()
    check_new_user(v, request, field_prefix)
    v.check()
    username = request.username.strip().lower()
    full_name = request.full_name.strip()
    roles = tuple(sorted({Role(str(r).strip().lower()) for r in request.roles}))
    if uow.session.scalars(select(User.id).where(User.username == username)).first():
        raise ValidationError({f"{field_prefix}username": f"User name {username!r} is taken"})
    user = User(username=username, full_name=full_name,
                password_hash=passwords.hash_password(request.password), active=True,
                failed_logins=0, created_at=uow.now(),
                roles=[UserRole(role=r.value) for r in roles])
    uow.session.add(user)
    uow.session.flush()
    uow.record(actor, "user.create", "user", user.id, None,
               {"username": username, "full_name": full_name, "roles": [r.value for r in roles]})
    uow.touch(Changes.of(areas.USERS))
    return _view(user)


def add_user(uow: UnitOfWork, actor: Actor, request: NewUser) -> Result[UserView]:
    actor.require(Permission.MANAGE_USERS)
    return Result(create_user(uow, actor, request), uow.changes)


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    actor.require(Permission.MANAGE_USERS)
    return [_view(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def unlock_user(uow: UnitOfWork, actor: Actor, username: str) -> Result[UserView]:
    actor.require(Permission.MANAGE_USERS)
    user = _get_for_update(uow, username)
    before = {"locked": user.locked_at is not None, "failed_logins": user.failed_logins}
    user.locked_at = None
    user.failed_logins = 0
    uow.record(actor, "user.unlock", "user", user.id, before, {"locked": False, "failed_logins": 0})
    uow.touch(Changes.of(areas.USERS))
    return Result(_view(user), uow.changes)


def reset_password(uow: UnitOfWork, actor: Actor, username: str,
                   new_password: str) -> Result[UserView]:
    actor.require(Permission.MANAGE_USERS)
    problem = passwords.password_problem(new_password)
    if problem:
        raise ValidationError({"password": f"Password {problem}"})
    user = _get_for_update(uow, username)
    user.password_hash = passwords.hash_password(new_password)
    uow.record(actor, "user.reset_password", "user", user.id, None, {"password": "changed"})
    uow.touch(Changes.of(areas.USERS))
    return Result(_view(user), uow.changes)


def _attempt(uow: UnitOfWork, username: str, password: str, workstation: str,
             action: str) -> tuple[Actor | None, str, bool]:
    """Check a password and record the outcome: (actor or None, reason, account locked)."""
    name = username.strip().lower()
    user = uow.session.scalars(
        select(User).where(User.username == name).with_for_update()
    ).first()
    system = Actor.system("login", workstation)
    if user is None or not user.active:
        uow.record(system, f"{action}.failed", "user", name or "-", None,
                   {"reason": "unknown or inactive user"})
        return None, "Wrong user name or password.", False
    if user.locked_at is not None:
        uow.record(system, f"{action}.refused_locked", "user", user.id)
        return None, ("This account is locked after too many failed attempts. "
                      "Ask an administrator to unlock it."), True
    if not passwords.verify_password(user.password_hash, password):
        user.failed_logins += 1
        after = {"failed_logins": user.failed_logins}
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_at = uow.now()
            after["locked"] = True
        uow.record(system, f"{action}.failed", "user", user.id, None, after)
        uow.touch(Changes.of(areas.USERS))
        if user.locked_at is not None:
            return None, ("Too many failed attempts: this account is now locked. "
                          "Ask an administrator to unlock it."), True
        left = MAX_FAILED_LOGINS - user.failed_logins
        return None, (f"Wrong user name or password. {left} attempt"
                      f"{'s' if left != 1 else ''} left before the account is locked."), False
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0
    user.last_login_at = uow.now()
    actor = _actor(user, workstation)
    uow.record(actor, action, "user", user.id)
    return actor, "", False


def login(db: Database, username: str, password: str, workstation: str) -> Actor:
    """Authenticate; a failure is recorded (and committed) before it is raised."""
    with db.write() as uow:
        actor, reason, locked = _attempt(uow, username, password, workstation, "login")
    if actor is None:
        raise (AccountLocked if locked else AuthenticationFailed)(reason)
    return actor


def unlock_session(db: Database, actor: Actor, password: str) -> Actor:
    """Ask the logged-in user for their password again after the window locked."""
    with db.write() as uow:
        again, reason, locked = _attempt(uow, actor.username, password, actor.workstation,
                                         "session.unlock")
    if again is None:
        raise (AccountLocked if locked else AuthenticationFailed)(reason)
    if again.user_id != actor.user_id:
        raise ConflictError("the account changed while the window was locked")
    return again
