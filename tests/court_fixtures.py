"""Detentions with their first stage, for the court and deadline tests."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import Detention, DetentionStage
from depot_app.clock import MYT, FixedClock
from depot_app.services.court import authority, productions
from tests import factories
from tests.test_admission import actor_for

# Malaysian 10:00 on 1 March 2026; "now" in these tests is a fortnight later.
ARREST = dt.datetime(2026, 3, 1, 10, 0, tzinfo=MYT)
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT)
KAJANG = "Mahkamah Majistret Kajang"


@pytest.fixture
def clock(db):
    db.clock = FixedClock(NOW)
    return db.clock


@pytest.fixture
def officer(db, clock):
    return actor_for(db, "officer1")


def held(db, name: str = "Agus Setiawan", *, arrested: dt.datetime = ARREST,
         section: str = "s.6(1)(c)", citizen: bool = False, nationality: str = "IDN") -> int:
    """A detention in custody since ``arrested`` with its arrest stage, as admission writes."""
    with db.write() as uow:
        did = factories.detainee(uow, name, nationality=nationality,
                                 admitted=arrested + dt.timedelta(hours=3))
        d = uow.session.get(Detention, did)
        d.arrested_at, d.citizen = arrested, citizen
        kind = "removal_order" if section == "s.34" else "arrest"
        uow.session.add(DetentionStage(detention_id=did, section=section, authority=kind,
                                       reference="", starts_at=arrested))
        uow.session.flush()
        authority.refresh(uow.session, [did])
    return did


def version(db, detention_id: int) -> int:
    with db.read() as uow:
        return uow.session.get(Detention, detention_id).version


def scheduled(db, actor, detention_id: int, at: dt.datetime, court: str = KAJANG,
              escort: str = "Insp. Rahman") -> int:
    with db.write() as uow:
        return productions.schedule(uow, actor, productions.ScheduleRequest(
            detention_id, version(db, detention_id), court, at, escort)).value


def production_version(db, production_id: int) -> int:
    from db.models import CourtProduction
    with db.read() as uow:
        return uow.session.get(CourtProduction, production_id).version


def order(db, actor, production_id: int, *, outcome: str = "detention_order",
          section: str = "s.6(1)(c)", days: int = 14, produced: dt.datetime | None = None,
          order_no: str = "MA-KJG-123/2026", **extra):
    with db.write() as uow:
        return productions.record_outcome(uow, actor, productions.OutcomeRequest(
            production_id, production_version(db, production_id), outcome, produced,
            productions.OrderInput(order_no, "Puan Aisyah binti Omar", section, days),
            **extra))
