"""Words and numbers as the screens show them (Malaysian time, dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt

from depot_app.clock import format_local

SEX = {"M": "Male", "F": "Female", "X": "Other / unknown"}
SEX_SHORT = {"M": "M", "F": "F", "X": "X"}
STATUS = {
    "in_custody": "In custody", "released": "Released", "removed": "Removed",
    "transferred": "Transferred", "absconded": "Absconded", "deceased": "Deceased",
}
DOCUMENT_TYPES = {
    "passport": "Passport", "travel_document": "Travel document",
    "national_id": "National ID", "emergency_travel_document": "Emergency travel document",
}
def date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def when(value: dt.datetime | None) -> str:
    """A stored UTC time as Malaysian local time."""
    return format_local(value)


def age_on(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_and_dob(born: dt.date | None, today: dt.date | None = None) -> str:
    if born is None:
        return "DOB unknown"
    age = age_on(born, today or dt.date.today())
    return f"{age} ({date(born)})"


def status(value: str) -> str:
    return STATUS.get(value, value.replace("_", " ").capitalize())


def count(n: int) -> str:
    return f"{n:,}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
