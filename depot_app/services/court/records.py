"""Reading court work: one production, a court's list for a day (with photos, for the
escort and the court), the courts known, and a detention's authority history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from db.models import (
    Block,
    Cell,
    CourtProduction,
    CustodyJourney,
    Detention,
    DetentionOrder,
    DetentionStage,
    Movement,
    Person,
    Photo,
    User,
)
from depot_app import authority as law_of
from depot_app.actor import Actor, Permission
from depot_app.clock import local_day_bounds, to_local
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound
from depot_app.services.court import authority, deadlines
from depot_app.services.court.views import (
    AuthorityHistory,
    HistoryStage,
    JourneyView,
    OrderView,
    ProductionList,
    ProductionView,
)
from depot_app.services.court.vocab import ORDER_PURPOSES, OUTCOMES, PURPOSES, STATUSES
from depot_app.services.places import held_location

MISSED_WORDS = "Missed: not taken to court"


def _order_view(o: DetentionOrder, recorder: str | None = None) -> OrderView:
    return OrderView(o.id, o.order_no, o.magistrate, o.section, o.purpose,
                     ORDER_PURPOSES.get(o.purpose, o.purpose), o.period_days, o.starts_at,
                     o.expires_at, o.production_id, recorder or "", o.recorded_at,
                     o.detention_id)


def productions(uow: UnitOfWork, actor: Actor, *, ids: list[int] | None = None,
                detention_id: int | None = None, court: str | None = None,
                day: dt.date | None = None, photos: bool = False) -> tuple[ProductionView, ...]:
    """Productions by id, of one detention (newest first), or at one court on one day (by
    time, cancelled ones left out)."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    out_m, back_m = aliased(Movement), aliased(Movement)
    st = DetentionStage
    q = (select(CourtProduction, Detention, Person, out_m.occurred_at, back_m.occurred_at,
                st.section, st.valid_until, Cell.code, Block.name)
         .join(Detention, Detention.id == CourtProduction.detention_id)
         .join(Person, Person.id == Detention.person_id)
         .outerjoin(out_m, out_m.id == CourtProduction.out_movement_id)
         .outerjoin(back_m, back_m.id == CourtProduction.return_movement_id)
         .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
         .outerjoin(Cell, Cell.id == Detention.current_cell_id)
         .outerjoin(Block, Block.id == Cell.block_id))
    if ids is not None:
        q = q.where(CourtProduction.id.in_(ids)).order_by(CourtProduction.id)
    elif detention_id is not None:
        q = q.where(CourtProduction.detention_id == detention_id).order_by(
            CourtProduction.scheduled_at.desc(), CourtProduction.id.desc())
    else:
        assert court is not None and day is not None
        start, end = local_day_bounds(day)
        q = q.where(func.lower(CourtProduction.court) == court.strip().lower(),
                    CourtProduction.scheduled_at >= start,
                    CourtProduction.scheduled_at < end, CourtProduction.status != "cancelled"
                    ).order_by(CourtProduction.scheduled_at, Detention.detainee_no)
    rows = s.execute(q).all()
    orders = {o.production_id: o for o in s.scalars(select(DetentionOrder).where(
        DetentionOrder.production_id.in_([r[0].id for r in rows])))} if rows else {}
    pictures = {}
    if photos and rows:
        pictures = {pid: (data, mime) for pid, data, mime in s.execute(
            select(Photo.person_id, Photo.data, Photo.mime).where(
                Photo.person_id.in_({r[2].id for r in rows}), Photo.is_current))}
    today_start, _ = local_day_bounds(to_local(uow.now()).date())
    out = []
    for p, d, person, went, back, section, until, cell, block in rows:
        missed = p.status == "scheduled" and p.scheduled_at < today_start
        order = orders.get(p.id)
        picture = pictures.get(person.id, (None, ""))
        out.append(ProductionView(
            p.id, p.version, d.id, d.detainee_no, person.full_name, person.nationality,
            person.sex, p.court, p.scheduled_at, p.escort, p.purpose,
            PURPOSES.get(p.purpose, p.purpose), p.status,
            MISSED_WORDS if missed else STATUSES.get(p.status, p.status),
            p.produced_at, p.outcome, OUTCOMES.get(p.outcome, p.outcome), p.outcome_note,
            p.sanction_ref, p.case_no, p.charge, p.sentence, p.prison,
            _order_view(order) if order else None, went, back, section or "", until,
            late=p.status == "scheduled" and until is not None and p.scheduled_at >= until,
            date_of_birth=person.date_of_birth,
            location=held_location(d.away_reason, cell, block) if d.status == "in_custody"
            else d.status.replace("_", " "),
            detention_version=d.version, photo=picture[0], photo_mime=picture[1]))
    return tuple(out)


def production(uow: UnitOfWork, actor: Actor, production_id: int) -> ProductionView:
    found = productions(uow, actor, ids=[production_id])
    if not found:
        raise NotFound("court production", production_id)
    return found[0]


def production_list(uow: UnitOfWork, actor: Actor, court: str, day: dt.date,
                    photos: bool = False) -> ProductionList:
    return ProductionList(court, day, productions(uow, actor, court=court, day=day,
                                                  photos=photos))


def courts(uow: UnitOfWork, actor: Actor, day: dt.date | None = None) -> tuple[str, ...]:
    """The courts productions were scheduled at (on ``day``, when given), by name."""
    actor.require(Permission.VIEW_DETAINEES)
    q = select(CourtProduction.court).distinct().where(CourtProduction.status != "cancelled")
    if day is not None:
        start, end = local_day_bounds(day)
        q = q.where(CourtProduction.scheduled_at >= start, CourtProduction.scheduled_at < end)
    return tuple(sorted(uow.session.scalars(q)))


def order(uow: UnitOfWork, actor: Actor, order_id: int) -> OrderView:
    actor.require(Permission.VIEW_DETAINEES)
    found = uow.session.execute(select(DetentionOrder, User.full_name)
                                .outerjoin(User, User.id == DetentionOrder.recorded_by_id)
                                .where(DetentionOrder.id == order_id)).first()
    if found is None:
        raise NotFound("detention order", order_id)
    return _order_view(*found)


def latest_order_id(uow: UnitOfWork, actor: Actor, detention_id: int) -> int | None:
    """The detention's latest Magistrate's order (the one the authority rests on), if any."""
    actor.require(Permission.VIEW_DETAINEES)
    return uow.session.scalar(
        select(DetentionOrder.id).where(DetentionOrder.detention_id == detention_id)
        .order_by(DetentionOrder.starts_at.desc(), DetentionOrder.id.desc()).limit(1))


def order_cap(uow: UnitOfWork, actor: Actor, order: OrderView) -> \
        tuple[dt.datetime, law_of.Period] | None:
    """The latest the order's provision allows detention under it to run (s.51(5) proviso),
    and the rule; None when the provision sets no limit."""
    actor.require(Permission.VIEW_DETAINEES)
    loaded = authority.load(uow.session, [order.detention_id])[order.detention_id]
    return law_of.cap_until(loaded.timeline, authority.load_law(uow.session), order.section,
                            order.starts_at)


def history(uow: UnitOfWork, actor: Actor, detention_id: int) -> AuthorityHistory:
    """Every stage from the arrest on, with how long its authority ran, any stretch held
    without one, the productions, orders and journeys."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    head = s.execute(select(Detention, Person).join(Person, Person.id == Detention.person_id)
                     .where(Detention.id == detention_id)).first()
    if head is None:
        raise NotFound("detention", detention_id)
    d, person = head
    now = uow.now()
    law = authority.load_law(s)
    timeline = authority.load(s, [d.id])[d.id].timeline
    due, period = law_of.production_due(timeline, law)
    stages = tuple(
        HistoryStage(st.section, st.authority, law_of.AUTHORITY_WORDS.get(st.authority, st.authority),
                     st.reference, st.starts_at, st.ends_at, st.valid_until, st.needs,
                     st.rests_on)
        for st in s.scalars(select(DetentionStage).where(DetentionStage.detention_id == d.id)
                            .order_by(DetentionStage.starts_at, DetentionStage.id)))
    orders = tuple(_order_view(o, who) for o, who in s.execute(
        select(DetentionOrder, User.full_name)
        .outerjoin(User, User.id == DetentionOrder.recorded_by_id)
        .where(DetentionOrder.detention_id == d.id).order_by(DetentionOrder.starts_at)))
    journeys = tuple(JourneyView(j.id, j.departed_at, j.arrived_at, j.from_place, j.to_place)
                     for j in s.scalars(select(CustodyJourney)
                                        .where(CustodyJourney.detention_id == d.id)
                                        .order_by(CustodyJourney.departed_at)))
    current = deadlines.row(uow, actor, d.id) if d.status == "in_custody" else None
    return AuthorityHistory(
        d.id, d.detainee_no, person.full_name, person.nationality, d.citizen, d.arrested_at,
        d.status, d.ended_at, due, f"{period.words} ({period.source})", stages,
        law_of.unlawful_spans(timeline, law, now), current,
        productions(uow, actor, detention_id=d.id), orders, journeys, now, d.version)

