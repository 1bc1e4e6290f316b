"""Today at a glance: who is held, where, who came and went today, and whose authority
to hold runs out."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from db.models import Detention
from depot_app.actor import Actor, Permission
from depot_app.clock import local_day_bounds, to_local
from depot_app.database import UnitOfWork
from depot_app.readmodels import CountLine, DashboardView
from depot_app.services import detainees, roll
from depot_app.services.court import deadlines
from depot_app.services.medical.status import summary
from depot_app.services.setup import current_depot


def dashboard(uow: UnitOfWork, actor: Actor) -> DashboardView:
    """The roll's figures (one place for that arithmetic: ``roll.roll``), with who came and
    went today, the vulnerable held, the medical alerts and the custody deadlines."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    depot = current_depot(uow)
    now = uow.now()
    day_start, day_end = local_day_bounds(to_local(now).date())
    view = roll.roll(uow, actor)
    t = view.total
    vulnerable = s.scalar(select(func.count()).select_from(Detention).where(
        Detention.status == "in_custody", Detention.depot_id == depot.id,
        or_(Detention.is_minor, Detention.is_pregnant, Detention.is_disabled,
            Detention.is_unaccompanied_child))) or 0
    admitted_today = s.scalar(select(func.count()).select_from(Detention).where(
        Detention.admitted_at >= day_start, Detention.admitted_at < day_end)) or 0
    left_today = s.scalar(select(func.count()).select_from(Detention).where(
        Detention.ended_at >= day_start, Detention.ended_at < day_end)) or 0
    recent_ids = list(s.scalars(select(Detention.id).order_by(Detention.admitted_at.desc(),
                                                             Detention.id.desc()).limit(8)))
    medical = summary(uow, actor)
    return DashboardView(
        depot_name=depot.name, as_of=now, in_custody=t.on_roll,
        admitted_today=admitted_today, left_today=left_today, men=t.men, women=t.women,
        boys=t.boys, girls=t.girls, capacity=t.capacity,
        cells_out_of_service=t.cells_out_of_service, unallocated=t.unallocated,
        out_of_depot=t.out, by_nationality=view.by_nationality[:10],
        by_block=tuple(CountLine(b.name, b.on_roll) for b in view.blocks
                       if b.key != roll.RECEPTION and b.on_roll),
        vacancies=t.vacancies,
        recent_admissions=tuple(detainees.rows(uow, actor, recent_ids)), vulnerable=vulnerable,
        screenings_overdue=medical.screenings_overdue,
        isolation_pending=medical.isolation_pending, referrals_pending=medical.referrals_pending,
        follow_ups_overdue=medical.follow_ups_overdue,
        deadlines=deadlines.summary(uow, actor),
    )
