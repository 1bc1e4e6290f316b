"""Who is held under what authority, and until when: the deadline list, its counts for the
dashboard and the main window, and the same list as it stood at any moment.

Now (and any moment after it) the list reads the authority written on each open stage
(``authority.refresh`` keeps it): one row per detention held, never none. A detention held
with no stage in force is overdue from the moment its last stage ended. A past moment is
worked out again from the timelines by ``depot_app.authority`` (the CLI's ``--as-of``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, or_, select

from db.models import Block, Cell, CourtProduction, Detention, DetentionStage, Person
from depot_app import authority as law_of
from depot_app.actor import Actor, Permission
from depot_app.authority import OVERDUE
from depot_app.clock import format_local, local_day_bounds, to_local
from depot_app.database import UnitOfWork
from depot_app.services.court import authority
from depot_app.services.court.views import CourtLine, DeadlineRow, DeadlineSummary
from depot_app.services.places import held_location
from depot_app.services.setup import current_depot

PENDING = ("scheduled", "out")
CHUNK = 500


def _held(uow: UnitOfWork):
    depot = current_depot(uow)
    return and_(Detention.status == "in_custody", Detention.depot_id == depot.id)


def to_come(now: dt.datetime):
    """A production still to come or under way: out at court, or scheduled for today or
    later. One scheduled for an earlier day and never sent was missed: it covers nobody."""
    day_start, _ = local_day_bounds(to_local(now).date())
    return or_(CourtProduction.status == "out",
               and_(CourtProduction.status == "scheduled",
                    CourtProduction.scheduled_at >= day_start))


def _next_productions(uow: UnitOfWork, ids: list[int] | None,
                      after: dt.datetime | None = None) -> dict[int, tuple]:
    """Each detention's production still to come or under way: (court, id, when)."""
    q = select(CourtProduction.detention_id, CourtProduction.court,
               CourtProduction.scheduled_at, CourtProduction.id)
    if after is None:
        q = q.where(to_come(uow.now()))
    else:
        q = q.where(CourtProduction.scheduled_at >= after, CourtProduction.status != "cancelled")
    found: dict[int, tuple] = {}
    parts = [None] if ids is None else [ids[n:n + CHUNK] for n in range(0, len(ids), CHUNK)]
    for part in parts:
        qq = q if part is None else q.where(CourtProduction.detention_id.in_(part))
        for did, court, at, pid in uow.session.execute(qq.order_by(CourtProduction.scheduled_at)):
            found.setdefault(did, (court, pid, at))
    return found


def board(uow: UnitOfWork, actor: Actor, as_of: dt.datetime | None = None) -> \
        tuple[DeadlineRow, ...]:
    """Every detention in custody with its authority, soonest to run out first. ``as_of``
    before now: the detentions held then, as things stood then."""
    actor.require(Permission.VIEW_DETAINEES)
    now = uow.now()
    if as_of is not None and as_of < now - dt.timedelta(seconds=1):
        return _board_then(uow, as_of)
    return _board_now(uow, now if as_of is None else as_of)


def row(uow: UnitOfWork, actor: Actor, detention_id: int) -> DeadlineRow | None:
    """One detention's line of the list (None: not in custody here)."""
    actor.require(Permission.VIEW_DETAINEES)
    found = _board_now(uow, uow.now(), detention_id)
    return found[0] if found else None


def _board_now(uow: UnitOfWork, at: dt.datetime, detention_id: int | None = None) -> \
        tuple[DeadlineRow, ...]:
    now = uow.now()
    s = uow.session
    st = DetentionStage
    rows = s.execute(
        select(Detention.id, Detention.version, Detention.detainee_no, Person.full_name,
               Person.nationality, Detention.away_reason, Cell.code, Block.name, st.section,
               st.authority, st.reference, st.starts_at, st.valid_until, st.needs, st.rests_on)
        .join(Person, Person.id == Detention.person_id)
        .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .outerjoin(Block, Block.id == Cell.block_id)
        .where(_held(uow), *([Detention.id == detention_id] if detention_id else []))).all()
    lapsed = _lapsed(uow, [r[0] for r in rows if r.section is None])
    courts = _next_productions(uow, None if detention_id is None else [detention_id])
    out = []
    for r in rows:
        place = held_location(r.away_reason, r.code, r.name)
        court = courts.get(r.id, ("", None, None))
        if r.section is None:
            until, words = lapsed.get(r.id, (now, ""))
            out.append(DeadlineRow(r.id, r.version, r.detainee_no, r.full_name, r.nationality,
                                   place, "", "", "", None, until,
                                   "Release or transfer now: no authority to hold", words,
                                   OVERDUE, "overdue", *court))
            continue
        until = r.valid_until
        if until is None:  # never worked out: treated as run out rather than left off
            out.append(DeadlineRow(
                r.id, r.version, r.detainee_no, r.full_name, r.nationality, place, r.section,
                r.authority, r.reference, r.starts_at, r.starts_at,
                "Check the authority: its period was never worked out", r.rests_on, OVERDUE,
                "overdue", *court))
            continue
        out.append(DeadlineRow(
            r.id, r.version, r.detainee_no, r.full_name, r.nationality, place, r.section,
            r.authority, r.reference, r.starts_at, until, r.needs, r.rests_on,
            law_of.state(until, at), law_of.bucket(until, at), *court,
            late=court[2] is not None and court[2] >= until))
    return tuple(sorted(out, key=lambda row: (row.valid_until, row.detainee_no)))


def _lapsed(uow: UnitOfWork, ids: list[int]) -> dict[int, tuple[dt.datetime, str]]:
    """Held with no stage in force: since when, and the stage that ended."""
    out: dict[int, tuple[dt.datetime, str]] = {}
    for n in range(0, len(ids), CHUNK):
        for did, section, ends_at, until in uow.session.execute(
                select(DetentionStage.detention_id, DetentionStage.section,
                       DetentionStage.ends_at, DetentionStage.valid_until)
                .where(DetentionStage.detention_id.in_(ids[n:n + CHUNK]))
                .order_by(DetentionStage.starts_at, DetentionStage.id)):
            stop = min(ends_at, until) if until is not None else ends_at
            out[did] = (stop, f"Stage under {section} ended {format_local(ends_at)}")
    return out


def _board_then(uow: UnitOfWork, as_of: dt.datetime) -> tuple[DeadlineRow, ...]:
    s = uow.session
    ids = list(s.scalars(select(Detention.id).where(
        Detention.depot_id == current_depot(uow).id, Detention.arrested_at <= as_of,
        or_(Detention.ended_at.is_(None), Detention.ended_at > as_of))))
    loaded = authority.load(s, ids)
    law = authority.load_law(s)
    heads = {}
    for n in range(0, len(ids), CHUNK):
        for row in s.execute(select(Detention.id, Detention.version, Detention.detainee_no,
                                    Person.full_name, Person.nationality)
                             .join(Person, Person.id == Detention.person_id)
                             .where(Detention.id.in_(ids[n:n + CHUNK]))):
            heads[row[0]] = row
    courts = _next_productions(uow, ids, after=as_of)
    out = []
    for did in ids:
        one = loaded[did]
        here = law_of.standing(one.timeline, law, as_of)
        if here is None:
            continue
        h = heads[did]
        stage = here.stage
        court = courts.get(did, ("", None, None))
        out.append(DeadlineRow(
            did, h.version, h.detainee_no, h.full_name, h.nationality, "",
            stage.section if stage else "", stage.authority if stage else "",
            stage.reference if stage else "", stage.starts_at if stage else None,
            here.valid_until, here.needs, here.rests_on, here.state, here.bucket, *court,
            late=court[2] is not None and court[2] >= here.valid_until))
    return tuple(sorted(out, key=lambda row: (row.valid_until, row.detainee_no)))


BUCKET_STATES = {"overdue": OVERDUE, "today": law_of.DUE_SOON, "tomorrow": law_of.DUE_SOON,
                 "this_week": law_of.DUE_SOON, "later": law_of.OK}


def due(uow: UnitOfWork, actor: Actor) -> tuple[tuple[int, str], ...]:
    """Every detention in custody with its bucket (``BUCKET_STATES`` gives the state), the
    soonest to run out first and those with no authority in force before all: worked out
    by the database from its two indexes, for a list that holds ids and reads the rows it
    shows (bench/bench_deadlines.py: the 20,000 held in tens of milliseconds, where the
    full rows take hundreds)."""
    actor.require(Permission.VIEW_DETAINEES)
    st = DetentionStage
    now = uow.now()
    today_end, tomorrow_end, week_end = _bounds(now)
    until = st.valid_until
    which = case((until.is_(None) | (until <= now), 0), (until < today_end, 1),
                 (until < tomorrow_end, 2), (until < week_end, 3), else_=4)
    rows = uow.session.connection().execute(
        select(Detention.id, which)
        .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
        .where(_held(uow)).order_by(until.is_not(None), until, Detention.id)).all()
    return tuple((did, law_of.BUCKETS[n]) for did, n in rows)


def _bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """When today, tomorrow and this week (Malaysian days) end, in UTC."""
    today = to_local(now).date()
    _, today_end = local_day_bounds(today)
    _, tomorrow_end = local_day_bounds(today + dt.timedelta(days=1))
    week_end, _ = local_day_bounds(today + dt.timedelta(days=law_of.WEEK_DAYS))
    return today_end, tomorrow_end, week_end


def summary(uow: UnitOfWork, actor: Actor) -> DeadlineSummary:
    """The counts the main window and the dashboard show: counted in the database."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    now = uow.now()
    today = to_local(now).date()
    today_end, tomorrow_end, week_end = _bounds(now)
    st = DetentionStage
    until = st.valid_until
    pending = select(CourtProduction.id).where(CourtProduction.detention_id == Detention.id,
                                               to_come(now)).exists()
    lapsed = st.id.is_(None) | until.is_(None) | (until <= now)
    held, overdue, due_today, due_tomorrow, due_week, unscheduled = s.execute(
        select(func.count(),
               func.count().filter(lapsed),
               func.count().filter(until > now, until < today_end),
               func.count().filter(until >= today_end, until < tomorrow_end),
               func.count().filter(until >= tomorrow_end, until < week_end),
               func.count().filter(lapsed | (until < week_end), ~pending))
        .select_from(Detention)
        .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
        .where(_held(uow))).one()
    day_start, _ = local_day_bounds(today)
    counts: dict[str, list[int]] = {}
    for court, at in s.execute(
            select(CourtProduction.court, CourtProduction.scheduled_at)
            .where(CourtProduction.status.in_(PENDING), CourtProduction.scheduled_at >= day_start,
                   CourtProduction.scheduled_at < week_end)):
        days = (to_local(at).date() - today).days
        line = counts.setdefault(court, [0, 0, 0])
        line[0 if days <= 0 else 1 if days == 1 else 2] += 1
    courts = tuple(CourtLine(c, *n) for c, n in sorted(counts.items()))
    return DeadlineSummary(now, overdue, due_today, due_tomorrow, due_week, held, unscheduled,
                           courts)

