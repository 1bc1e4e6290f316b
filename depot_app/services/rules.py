"""Legal periods and amounts, read from the rules table (each with its source)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select

from db.models import LegalRule
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound

PERIOD_UNITS = {"hours": "hours", "days": "days"}


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    value: str
    unit: str
    source: str

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
    return Rule(found.code, found.description, found.value, found.unit, found.source)


def production_due(uow: UnitOfWork, arrested_at: dt.datetime,
                   citizen: bool) -> tuple[dt.datetime, Rule]:
    """When the person must be produced before a Magistrate, and the rule that says so."""
    code = "production.citizen" if citizen else "production.non_citizen"
    r = rule(uow, code, arrested_at.astimezone(MYT).date())
    return arrested_at + r.period(), r
