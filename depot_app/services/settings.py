"""Workplace settings kept in the database (shared by every workstation)."""

from __future__ import annotations

from db.models import Setting
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError

IDLE_LOCK_MINUTES = "idle_lock_minutes"
HEADCOUNT_INTERVAL_HOURS = "headcount_interval_hours"
HEADCOUNT_INTERVAL_RANGE = (1, 24)
DEFAULTS = {IDLE_LOCK_MINUTES: "10", HEADCOUNT_INTERVAL_HOURS: "8"}


def get(uow: UnitOfWork, key: str) -> str:
    row = uow.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def _put(uow: UnitOfWork, actor: Actor, key: str, value: str) -> str:
    """Store ``value`` under ``key`` and audit it; returns the value it replaced."""
    row = uow.session.get(Setting, key)
    before = row.value if row else DEFAULTS[key]
    if row is None:
        uow.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    uow.record(actor, "setting.change", "setting", key, {"value": before}, {"value": value})
    return before


def idle_lock_minutes(uow: UnitOfWork) -> int:
    return int(get(uow, IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(uow: UnitOfWork, actor: Actor, minutes: int) -> Result[int]:
    actor.require(Permission.MANAGE_USERS)
    if not 1 <= minutes <= 240:
        raise ValidationError({"idle_lock_minutes": "Idle lock must be between 1 and 240 minutes"})
    _put(uow, actor, IDLE_LOCK_MINUTES, str(minutes))
    uow.touch(Changes.of(areas.SETTINGS))
    return Result(minutes, uow.changes)


def headcount_interval_hours(uow: UnitOfWork) -> int:
    """How often each block must be counted: a count is due this many hours after the
    block's last closed count."""
    return int(get(uow, HEADCOUNT_INTERVAL_HOURS))


def set_headcount_interval_hours(uow: UnitOfWork, actor: Actor, hours: int) -> Result[int]:
    """Set the interval between headcounts (administrators; 1 to 24 hours, whole hours)."""
    actor.require(Permission.MANAGE_LOCATIONS)
    low, high = HEADCOUNT_INTERVAL_RANGE
    if isinstance(hours, str) and hours.strip().isdigit():
        hours = int(hours.strip())
    if isinstance(hours, bool) or not isinstance(hours, int) or not low <= hours <= high:
        raise ValidationError({HEADCOUNT_INTERVAL_HOURS: (
            f"Headcount interval must be a whole number of hours from {low} to {high}")})
    if hours == headcount_interval_hours(uow):
        return Result(hours, Changes())
    _put(uow, actor, HEADCOUNT_INTERVAL_HOURS, str(hours))
    # The headcount screens listen on the roll: when each block is due has moved.
    uow.touch(Changes.of(areas.SETTINGS, areas.ROLL))
    return Result(hours, uow.changes)
