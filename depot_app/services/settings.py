"""Workplace settings kept in the database (shared by every workstation)."""

from __future__ import annotations

from db.models import Setting
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError

IDLE_LOCK_MINUTES = "idle_lock_minutes"
DEFAULTS = {IDLE_LOCK_MINUTES: "10"}


def get(uow: UnitOfWork, key: str) -> str:
    row = uow.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def idle_lock_minutes(uow: UnitOfWork) -> int:
    return int(get(uow, IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(uow: UnitOfWork, actor: Actor, minutes: int) -> Result[int]:
    actor.require(Permission.MANAGE_USERS)
    if not 1 <= minutes <= 240:
        raise ValidationError({"idle_lock_minutes": "Idle lock must be between 1 and 240 minutes"})
    row = uow.session.get(Setting, IDLE_LOCK_MINUTES)
    before = row.value if row else DEFAULTS[IDLE_LOCK_MINUTES]
    if row is None:
        uow.session.add(Setting(key=IDLE_LOCK_MINUTES, value=str(minutes)))
    else:
        row.value = str(minutes)
    uow.record(actor, "setting.change", "setting", IDLE_LOCK_MINUTES,
               {"value": before}, {"value": str(minutes)})
    uow.touch(Changes.of(areas.SETTINGS))
    return Result(minutes, uow.changes)
