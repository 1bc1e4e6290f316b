"""Keyboard-first inputs for intake: dates typed as the clerk reads them, a nationality
chosen by code or name, a date and time in Malaysian time."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from depot_app.clock import MYT
from depot_app.countries import ICAO_SPECIAL, country_name

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


def parse_date(text: str) -> dt.date:
    """``2026-11-23``, ``23/11/2026``, ``23.11.2026`` or ``23112026``; ``ValueError`` with
    the reason otherwise."""
    text = text.strip()
    try:
        if m := _DMY.match(text) or _COMPACT.match(text):
            day, month, year = (int(x) for x in m.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        if "day is out of range" in str(exc) or "month must be" in str(exc):
            raise ValueError(f"{text!r} is not a date in the calendar") from None
        raise ValueError(f"{text!r} is not a date: type it as DD/MM/YYYY") from None


class DateField(QLineEdit):
    """A date typed as DD/MM/YYYY (or ISO); empty is None."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")
        self.setMaximumWidth(160)

    def value(self) -> dt.date | None:
        """The date, None when empty; ``ValueError`` naming the reason when unreadable."""
        return parse_date(self.text()) if self.text().strip() else None

    def set_value(self, value: dt.date | None) -> None:
        self.setText(value.strftime("%d/%m/%Y") if value else "")


class DateTimeField(QLineEdit):
    """A date and time in Malaysian time, typed as DD/MM/YYYY HH:MM."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY HH:MM")
        self.setMaximumWidth(200)

    def value(self) -> dt.datetime | None:
        text = self.text().strip()
        if not text:
            return None
        date_part, _, time_part = text.replace("T", " ").partition(" ")
        day = parse_date(date_part)
        try:
            hour, minute = (int(x) for x in time_part.strip().split(":")[:2])
            clock = dt.time(hour, minute)
        except ValueError:
            raise ValueError(f"{text!r} needs a time: type it as DD/MM/YYYY HH:MM") from None
        return dt.datetime.combine(day, clock, tzinfo=MYT).astimezone(dt.UTC)

    def set_value(self, value: dt.datetime | None) -> None:
        self.setText(value.astimezone(MYT).strftime("%d/%m/%Y %H:%M") if value else "")


@lru_cache(maxsize=1)
def _nationalities() -> list[tuple[str, str]]:
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries} | set(ICAO_SPECIAL) - {"D"}
    return sorted(((code, country_name(code) or code) for code in codes), key=lambda x: x[1])


class NationalityField(QComboBox):
    """Type a code (IDN) or a name (Indon…) and pick; ``code()`` is the ISO alpha-3."""

    # Nationalities most held in Malaysian depots come first.
    COMMON = ("IDN", "BGD", "MMR", "PHL", "NPL", "IND", "VNM", "PAK", "KHM", "THA", "LKA",
              "CHN", "XXA")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", "")
        names = dict(_nationalities())
        for code in self.COMMON:
            self.addItem(f"{code} – {names.get(code, code)}", code)
        self.insertSeparator(self.count())
        for code, name in _nationalities():
            if code not in self.COMMON:
                self.addItem(f"{code} – {name}", code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("Code or country, e.g. IDN or Indonesia")

    def code(self) -> str:
        """The chosen code, or what was typed (upper-cased) for the service to judge."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            return self.itemData(index) or ""
        head = text.split("–")[0].strip().upper()
        return head

    def set_code(self, code: str) -> None:
        code = (code or "").strip().upper()
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(code)
