"""Legal periods and amounts, read from the rules table (each with its source)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import LegalRule
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, Validator

PERIOD_UNITS = {"hours": "hours", "days": "days"}
PERIOD_MAX = {"hours": 24 * 366, "days": 3660}  # beyond these a period is a typing mistake


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    value: str
    unit: str
    source: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def period(self) -> dt.timedelta:
        if self.unit not in PERIOD_UNITS:
            raise ValueError(f"rule {self.code} is in {self.unit}, not a period")
        return dt.timedelta(**{PERIOD_UNITS[self.unit]: int(self.value)})

    def amount(self) -> Decimal:
        return Decimal(self.value)

    def words(self) -> str:
        return f"{self.value} {self.unit}"


def rule(uow: UnitOfWork, code: str, on: dt.date) -> Rule:
    """The rule in force on ``on``; ``NotFound`` when the table has none."""
    found = uow.session.scalars(
        select(LegalRule).where(LegalRule.code == code, LegalRule.effective_from <= on,
                                or_(LegalRule.effective_to.is_(None), LegalRule.effective_to >= on))
        .order_by(LegalRule.effective_from.desc()).limit(1)).first()
    if found is None:
        raise NotFound("legal rule in force on " + on.isoformat() + ":", code)
    return _view(found)


def versions(uow: UnitOfWork, code: str) -> list[Rule]:
    """Every value the rule has had, the earliest first (for reading many days at once)."""
    return versions_in(uow.session, code)


def versions_in(session: Session, code: str) -> list[Rule]:
    """``versions`` for a bare session (a migration filling a derived column)."""
    t = LegalRule.__table__
    rows = session.execute(select(t.c.code, t.c.description, t.c.value, t.c.unit, t.c.source,
                                  t.c.effective_from, t.c.effective_to)
                           .where(t.c.code == code).order_by(t.c.effective_from))
    return [Rule(*row) for row in rows]


def in_force(found: list[Rule], on: dt.date) -> Rule | None:
    """Of ``versions``, the one in force on ``on`` (None: none was)."""
    for r in reversed(found):
        if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to):
            return r
    return None


def _view(found: LegalRule) -> Rule:
    return Rule(found.code, found.description, found.value, found.unit, found.source,
                found.effective_from, found.effective_to)


def rules_in_force(uow: UnitOfWork, on: dt.date) -> list[Rule]:
    """Every rule in force on ``on``, by code."""
    codes = uow.session.scalars(select(LegalRule.code).distinct().order_by(LegalRule.code))
    out = []
    for code in list(codes):
        try:
            out.append(rule(uow, code, on))
        except NotFound:
            continue
    return out


def _valid_value(v: Validator, unit: str, value: str) -> str:
    text = (value or "").strip()
    if unit in PERIOD_UNITS:
        if not re.fullmatch(r"[0-9]{1,5}", text) or not 1 <= int(text) <= PERIOD_MAX[unit]:
            v.add("value", f"Value must be a whole number of {unit} from 1 to "
                           f"{PERIOD_MAX[unit]}")
            return text
        return str(int(text))
    try:
        number = Decimal(text)
    except InvalidOperation:
        v.add("value", f"Value must be a number ({unit})")
        return text
    if not number.is_finite() or number < 0 or (unit == "percent" and number > 100):
        v.add("value", "Value must be from 0 to 100" if unit == "percent"
              else f"Value must be a number ({unit}), not negative")
    elif unit == "MYR":
        if number != number.quantize(Decimal("0.01")):
            v.add("value", "Value in ringgit has at most two decimal places (sen)")
        return f"{number:.2f}"
    return text


def amend_rule(uow: UnitOfWork, actor: Actor, code: str, value: str,
               effective_from: dt.date, source: str) -> Result[Rule]:
    """A new value for a rule from a date, with its source: the rule in force until then
    ends the day before, so every past deadline keeps the period it was set under."""
    actor.require(Permission.MANAGE_RULES)
    s = uow.session
    current = s.scalars(select(LegalRule).where(LegalRule.code == code.strip())
                        .order_by(LegalRule.effective_from.desc()).limit(1)).first()
    if current is None:
        raise NotFound("legal rule", code)
    v = Validator()
    text = _valid_value(v, current.unit, value)
    why = v.require("source", source, max_len=200, label="Source (the provision or order)")
    tomorrow = uow.now().astimezone(MYT).date() + dt.timedelta(days=1)
    if effective_from < tomorrow:
        v.add("effective_from", f"Effective from must be {tomorrow:%d/%m/%Y} or later: a new "
                                f"value does not change deadlines already running")
    elif effective_from <= current.effective_from:
        v.add("effective_from", f"Effective from must be after "
                                f"{current.effective_from:%d/%m/%Y}, when the value in force "
                                f"took effect")
    v.check()
    before = {"value": current.value, "source": current.source,
              "effective_from": current.effective_from, "effective_to": current.effective_to}
    current.effective_to = effective_from - dt.timedelta(days=1)
    added = LegalRule(code=current.code, description=current.description, value=text,
                      unit=current.unit, source=why, effective_from=effective_from)
    s.add(added)
    s.flush()
    uow.record(actor, "rule.amend", "legal_rule", added.id, before,
               {"code": current.code, "value": text, "unit": current.unit, "source": why,
                "effective_from": effective_from})
    uow.touch(Changes.of(areas.SETTINGS, areas.MEDICAL, areas.DEADLINES))
    return Result(_view(added), uow.changes)


def production_due(uow: UnitOfWork, arrested_at: dt.datetime,
                   citizen: bool) -> tuple[dt.datetime, Rule]:
    """When the person must be produced before a Magistrate, and the rule that says so."""
    code = "production.citizen" if citizen else "production.non_citizen"
    r = rule(uow, code, arrested_at.astimezone(MYT).date())
    return arrested_at + r.period(), r
