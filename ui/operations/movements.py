"""Recording movements, departures, visits and property returns from a detainee's record.

One function per user action; each returns a :class:`~ui.operations.op.DbOp` that runs the
service in one unit of work on the database worker. The services check the permission,
validate (``ValidationError`` naming the request's fields) and refuse a stale version
(``ConflictError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from depot_app.database import Database
from depot_app.readmodels import DetaineeRow, VisitView
from depot_app.services import departures, movements, outings, placement, property, visits
from depot_app.services.departures import (
    AbscondRequest,
    DeathRequest,
    DischargeRequest,
    NotificationInput,
)
from depot_app.services.movements import MoveRequest
from depot_app.services.outings import OutRequest, ReturnRequest
from depot_app.services.placement import CellChoice
from depot_app.services.property import PropertyReturn
from depot_app.services.visits import VisitInput
from ui.context import AppContext
from ui.operations.op import DbOp


def _write(ctx: AppContext, label: str, service: Callable[..., Any], *args: Any) -> DbOp:
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.write() as uow:
            return service(uow, actor, *args)
    return DbOp(ctx, fn, label=label)


def cell_choices(ctx: AppContext, detention_id: int) -> DbOp[tuple[CellChoice, ...]]:
    """Every cell of the depot for this detainee, suitable ones first, each with what
    stands against it."""
    actor = ctx.require_actor()

    def fn(db: Database):
        with db.read() as uow:
            return placement.choices_for(uow, actor, detention_id)
    return DbOp(ctx, fn, label="list cells for a move")


def move_to_cell(ctx: AppContext, request: MoveRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, "move to a cell", movements.move_to_cell, request)


def go_out(ctx: AppContext, request: OutRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, f"record going out to {request.to}", outings.go_out, request)


def come_back(ctx: AppContext, request: ReturnRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, "record a return", outings.come_back, request)


def discharge(ctx: AppContext, request: DischargeRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, f"record a {request.kind}", departures.discharge, request)


def abscond(ctx: AppContext, request: AbscondRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, "record an abscondment", departures.abscond, request)


def record_death(ctx: AppContext, request: DeathRequest) -> DbOp[DetaineeRow]:
    return _write(ctx, "record a death", departures.record_death, request)


def add_death_notification(ctx: AppContext, detention_id: int,
                           notification: NotificationInput) -> DbOp[DetaineeRow]:
    return _write(ctx, "add a death notification", departures.add_death_notification,
                  detention_id, notification)


def set_post_mortem(ctx: AppContext, detention_id: int, reference: str) -> DbOp[DetaineeRow]:
    return _write(ctx, "record the post-mortem reference", departures.set_post_mortem,
                  detention_id, reference)


def return_property(ctx: AppContext, detention_id: int,
                    request: PropertyReturn) -> DbOp[DetaineeRow]:
    return _write(ctx, "return property", property.return_property, detention_id, request)


def record_visit(ctx: AppContext, request: VisitInput) -> DbOp[VisitView]:
    return _write(ctx, "record a visit", visits.record_visit, request)


def end_visit(ctx: AppContext, visit_id: int, ended_at=None) -> DbOp[VisitView]:
    return _write(ctx, "record the end of a visit", visits.end_visit, visit_id, ended_at)
