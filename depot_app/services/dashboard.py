"""Today at a glance: who is held, where, and who came and went today."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select

from db.models import Block, Cell, Detention, Person
from depot_app.actor import Actor, Permission
from depot_app.clock import local_day_bounds, to_local
from depot_app.countries import country_name
from depot_app.database import UnitOfWork
from depot_app.readmodels import CountLine, DashboardView
from depot_app.services import detainees
from depot_app.services.setup import current_depot


def dashboard(uow: UnitOfWork, actor: Actor) -> DashboardView:
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    depot = current_depot(uow)
    now = uow.now()
    day_start, day_end = local_day_bounds(to_local(now).date())
    held = Detention.status == "in_custody"
    minor = Detention.is_minor

    totals = s.execute(
        select(
            func.count(),
            func.sum(case((Person.sex != "F", case((minor, 0), else_=1)), else_=0)),
            func.sum(case((Person.sex == "F", case((minor, 0), else_=1)), else_=0)),
            func.sum(case((Person.sex != "F", case((minor, 1), else_=0)), else_=0)),
            func.sum(case((Person.sex == "F", case((minor, 1), else_=0)), else_=0)),
            func.sum(case((Detention.away_reason != "", 1), else_=0)),
            func.sum(case(((Detention.away_reason == "") & Detention.current_cell_id.is_(None),
                           1), else_=0)),
            func.sum(case((or_(Detention.is_minor, Detention.is_pregnant, Detention.is_disabled,
                               Detention.is_unaccompanied_child), 1), else_=0)),
        ).select_from(Detention).join(Person, Person.id == Detention.person_id).where(held)
    ).one()
    in_custody, men, women, boys, girls, out, unallocated, vulnerable = (
        int(x or 0) for x in totals)

    admitted_today = s.scalar(select(func.count()).select_from(Detention).where(
        Detention.admitted_at >= day_start, Detention.admitted_at < day_end)) or 0
    left_today = s.scalar(select(func.count()).select_from(Detention).where(
        Detention.ended_at >= day_start, Detention.ended_at < day_end)) or 0
    capacity, out_of_service = s.execute(
        select(func.sum(case((Cell.in_service, Cell.capacity), else_=0)),
               func.sum(case((Cell.in_service, 0), else_=1)))
        .join(Block, Block.id == Cell.block_id).where(Block.depot_id == depot.id)
    ).one()

    by_nat = tuple(
        CountLine(country_name(code) or code, n)
        for code, n in s.execute(
            select(Person.nationality, func.count()).join(Detention, Detention.person_id == Person.id)
            .where(held).group_by(Person.nationality).order_by(func.count().desc()).limit(10))
    )
    by_block = tuple(
        CountLine(name, n)
        for name, n in s.execute(
            select(Block.name, func.count()).join(Cell, Cell.block_id == Block.id)
            .join(Detention, Detention.current_cell_id == Cell.id)
            .where(held, Detention.away_reason == "").group_by(Block.name).order_by(Block.name))
    )
    recent_ids = list(s.scalars(select(Detention.id).order_by(Detention.admitted_at.desc(),
                                                             Detention.id.desc()).limit(8)))
    return DashboardView(
        depot_name=depot.name, as_of=now, in_custody=in_custody,
        admitted_today=admitted_today, left_today=left_today, men=men, women=women, boys=boys,
        girls=girls, capacity=int(capacity or 0), cells_out_of_service=int(out_of_service or 0),
        unallocated=unallocated, out_of_depot=out, by_nationality=by_nat, by_block=by_block,
        recent_admissions=tuple(detainees.rows(uow, actor, recent_ids)), vulnerable=vulnerable,
    )
