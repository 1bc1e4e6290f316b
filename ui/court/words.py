"""Court work in the words the screens use: the authority a detainee is held under, how
long until it runs out, and a production's state."""

from __future__ import annotations

import datetime as dt

from depot_app.authority import AUTHORITY_WORDS, DUE_SOON, OVERDUE
from depot_app.clock import to_local
from depot_app.countries import country_name
from depot_app.services.court.views import DeadlineRow, ProductionView
from ui import format as fmt

BUCKETS = {
    "overdue": "Overdue",
    "today": "Today",
    "tomorrow": "Tomorrow",
    "this_week": "This week",
    "later": "Later",
}


def nationality(code: str) -> str:
    return country_name(code) or code


def span(delta: dt.timedelta) -> str:
    """A stretch of time as a person says it: "45 min", "3 h", "4 days"."""
    minutes = max(int(delta.total_seconds() // 60), 1)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return fmt.plural(hours // 24, "day")


def authority(row: DeadlineRow) -> str:
    """"Arrest", "Magistrate's order no. MA-KJG-1/2026", "Removal order", or "None" (the
    arrest's and the removal order's references are in the tooltip)."""
    if not row.section:
        return "None"
    words = AUTHORITY_WORDS.get(row.authority, row.authority.replace("_", " ").capitalize())
    if row.authority == "magistrate_order" and row.reference:
        return f"{words} no. {row.reference}"
    return words


def state(row: DeadlineRow, now: dt.datetime) -> str:
    """"OVERDUE by 3 days", "Due in 5 h", "OK"."""
    if row.state == OVERDUE:
        return f"OVERDUE by {span(now - row.valid_until)}" if now > row.valid_until \
            else "OVERDUE"
    if row.state == DUE_SOON:
        return f"Due in {span(row.valid_until - now)}"
    return "OK"


def to_local_date(value: dt.datetime) -> dt.date:
    return to_local(value).date()


def time_only(value: dt.datetime | None) -> str:
    return fmt.when(value)[-5:] if value else ""


def short_when(value: dt.datetime | None, today: dt.date) -> str:
    """"today 09:00", "tomorrow 09:00", "Fri 13/03 09:00" (Malaysian time)."""
    if value is None:
        return ""
    local = to_local(value)
    days = (local.date() - today).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if local.year == today.year:
        return local.strftime("%a %d/%m %H:%M")
    return local.strftime("%d/%m/%Y %H:%M")


def flag_late(row: DeadlineRow) -> bool:
    """The production is after the authority runs out, and bringing it forward would still
    help (for someone already overdue, any production is late: the state says so)."""
    return row.late and row.bucket != "overdue"


def next_production(row: DeadlineRow, today: dt.date) -> str:
    """"AFTER EXPIRY · tomorrow 09:00 · Mahkamah Majistret Kajang": the time first, so a
    narrow column cuts the court's name, not when."""
    if row.production_at is None:
        return ""
    text = f"{short_when(row.production_at, today)} · {row.court}"
    return f"AFTER EXPIRY · {text}" if flag_late(row) else text


PURPOSE_SHORT = {"first": "First production", "further": "Further order",
                 "mention": "Mention / trial"}


def purpose(p: ProductionView) -> str:
    return PURPOSE_SHORT.get(p.purpose, p.purpose_words)


def production_status(p: ProductionView) -> str:
    """What has happened to a production, in one line."""
    if p.status == "done":
        text = p.outcome_words or "Outcome recorded"
        if p.order is not None:
            text += f": {p.order.order_no} until {fmt.when(p.order.expires_at)}"
        elif p.outcome == "convicted" and p.prison:
            text += f": {p.sentence}, {p.prison}"
        return text
    if p.status == "out":
        if p.came_back_at is not None:
            return f"Back {time_only(p.came_back_at)}: outcome to record"
        return f"At court (left {time_only(p.went_out_at)})" if p.went_out_at else "At court"
    if p.status == "cancelled":
        return f"Cancelled: {p.outcome_note}" if p.outcome_note else "Cancelled"
    return p.status_words


def authority_until(p: ProductionView) -> str:
    if p.valid_until is None:
        return "No authority in force" if p.status in ("scheduled", "out") else ""
    text = fmt.when(p.valid_until)
    return f"{text} · AFTER EXPIRY" if p.late else text
