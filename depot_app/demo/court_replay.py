"""The planned court work, replayed through the court services as the officer did it, each
step at its own moment: the unit of work's clock reads the step's time while the service
runs (what it records as done "now" is then when it was done), and is put back after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from db.models import CourtProduction, Detention
from depot_app.actor import Actor
from depot_app.clock import FixedClock
from depot_app.database import UnitOfWork
from depot_app.demo.story import Event
from depot_app.services.court import productions, stages
from depot_app.services.court.productions import (
    OrderInput,
    OutcomeRequest,
    ScheduleRequest,
    SendRequest,
)
from depot_app.services.court.stages import StageRequest

KINDS = ("court_schedule", "out_court", "court_outcome", "removal_order")


@contextmanager
def clock_at(uow: UnitOfWork, at: dt.datetime) -> Iterator[None]:
    saved = uow.clock
    uow.clock = FixedClock(at)
    try:
        yield
    finally:
        uow.clock = saved


def _pending(uow: UnitOfWork, detention_id: int) -> CourtProduction:
    return uow.session.scalars(select(CourtProduction).where(
        CourtProduction.detention_id == detention_id,
        CourtProduction.status.in_(("scheduled", "out")))
        .order_by(CourtProduction.id.desc()).limit(1)).one()


def replay(uow: UnitOfWork, actor: Actor, d: Detention, e: Event) -> None:
    """One step of court work (``e.kind`` in ``KINDS``)."""
    with clock_at(uow, e.at):
        if e.kind == "removal_order":
            stages.change_basis(uow, actor, StageRequest(d.id, d.version, "s.34", e.authority,
                                                         e.at))
            return
        h = e.hearing
        assert h is not None
        if e.kind == "court_schedule":
            productions.schedule(uow, actor, ScheduleRequest(
                d.id, d.version, h.court, h.scheduled_at, h.escort, h.purpose))
        elif e.kind == "out_court":
            p = _pending(uow, d.id)
            productions.send(uow, actor, SendRequest(p.id, p.version, d.version,
                                                     occurred_at=e.at))
        elif e.kind == "court_outcome":
            p = _pending(uow, d.id)
            order = OrderInput(h.order_no, h.magistrate, h.section, h.period_days,
                               purpose=h.order_purpose) if h.period_days else None
            productions.record_outcome(uow, actor, OutcomeRequest(
                p.id, p.version, h.outcome, produced_at=h.produced_at, order=order,
                sanction_ref=h.sanction_ref, case_no=h.case_no, charge=h.charge,
                sentence=h.sentence, prison=h.prison, note=h.note))
        else:
            raise ValueError(f"the demonstration has no court event {e.kind!r}")
