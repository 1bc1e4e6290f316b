"""Time: stored in UTC, shown in Malaysian time (Asia/Kuala_Lumpur, UTC+8, no DST)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

MYT = ZoneInfo("Asia/Kuala_Lumpur")


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock for tests and replays; ``advance`` moves it on."""

    def __init__(self, at: dt.datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._at

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta


def to_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(MYT)


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which a Malaysian calendar day starts and ends."""
    start = dt.datetime.combine(day, dt.time(), MYT)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def format_local(value: dt.datetime | None, with_seconds: bool = False) -> str:
    if value is None:
        return ""
    fmt = "%d/%m/%Y %H:%M:%S" if with_seconds else "%d/%m/%Y %H:%M"
    return to_local(value).strftime(fmt)


def parse_local(text: str) -> dt.datetime:
    """ISO 8601; a time without an offset is Malaysian local time."""
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=MYT)
    return value.astimezone(dt.UTC)
