"""Load detentions' timelines and keep each stage's authority written down.

``depot_app.authority`` decides; this module reads what it needs from the database and
writes its answer onto the stages (``valid_until``, ``needs``, ``rests_on``). Every service
that changes a timeline (admission, a Magistrate's order, a removal order, a journey, a
court's release, a departure) calls ``refresh`` in the same transaction, so the stored
answer is never older than the facts; the deadline lists read it without recomputing.

It works on a bare ``Session`` with table columns (not mapped objects) so that a migration
can fill the columns for detentions recorded before them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from db.models import CustodyJourney, Detention, DetentionOrder, DetentionStage
from depot_app import authority as law_of
from depot_app import legal_bases
from depot_app.authority import Journey, Law, Period, Stage, Timeline
from depot_app.services import rules

CHUNK = 500
CITIZEN_RULE, NON_CITIZEN_RULE = "production.citizen", "production.non_citizen"


def load_law(session: Session) -> Law:
    """The production periods and the sections' caps, every version, read once."""
    found = {code: rules.versions_in(session, code)
             for code in {CITIZEN_RULE, NON_CITIZEN_RULE}
             | {b.max_rule for b in legal_bases.LEGAL_BASES if b.max_rule}}
    caps = {b.code: b.max_rule for b in legal_bases.LEGAL_BASES if b.max_rule}

    def period(code: str, on: dt.date) -> Period:
        r = rules.in_force(found.get(code, []), on)
        if r is None:
            raise LookupError(f"No legal rule {code} in force on {on:%d/%m/%Y}: add it "
                              f"(depot rules) before recording custody on that day")
        return Period(r.period(), r.words(), r.source)

    def production(citizen: bool, on: dt.date) -> Period:
        return period(CITIZEN_RULE if citizen else NON_CITIZEN_RULE, on)

    def cap(section: str, on: dt.date) -> Period | None:
        code = caps.get(section)
        return None if code is None else period(code, on)

    return Law(production, cap)


@dataclass(frozen=True)
class Loaded:
    detention_id: int
    timeline: Timeline
    stage_ids: tuple[int, ...]
    status: str


def load(session: Session, detention_ids: Iterable[int]) -> dict[int, Loaded]:
    """Each detention's timeline: its stages in order with their orders' expiry, its
    journeys and the end of custody."""
    ids = list(dict.fromkeys(detention_ids))
    d, st, o, j = (Detention.__table__, DetentionStage.__table__, DetentionOrder.__table__,
                   CustodyJourney.__table__)
    out: dict[int, Loaded] = {}
    for n in range(0, len(ids), CHUNK):
        part = ids[n:n + CHUNK]
        heads = session.execute(select(d.c.id, d.c.arrested_at, d.c.citizen, d.c.ended_at,
                                       d.c.status).where(d.c.id.in_(part))).all()
        stages: dict[int, list] = {}
        for row in session.execute(
                select(st.c.detention_id, st.c.id, st.c.section, st.c.authority, st.c.starts_at,
                       st.c.ends_at, o.c.expires_at, st.c.reference)
                .outerjoin(o, o.c.id == st.c.order_id).where(st.c.detention_id.in_(part))
                .order_by(st.c.detention_id, st.c.starts_at, st.c.id)):
            stages.setdefault(row[0], []).append(row)
        journeys: dict[int, list[Journey]] = {}
        for did, a, b in session.execute(select(j.c.detention_id, j.c.departed_at,
                                                j.c.arrived_at).where(j.c.detention_id.in_(part))):
            journeys.setdefault(did, []).append(Journey(a, b))
        for did, arrested_at, citizen, ended_at, status in heads:
            rows = stages.get(did, [])
            timeline = Timeline(
                arrested_at, bool(citizen),
                tuple(Stage(r.section, r.authority, r.starts_at, r.ends_at, r.expires_at,
                            r.reference) for r in rows),
                tuple(journeys.get(did, ())), ended_at)
            out[did] = Loaded(did, timeline, tuple(r.id for r in rows), status)
    return out


def refresh(session: Session, detention_ids: Iterable[int], law: Law | None = None) -> None:
    """Write each stage's authority as ``depot_app.authority`` computes it now."""
    session.flush()  # a Core select does not flush the unit of work's pending rows
    law = law or load_law(session)
    st = DetentionStage.__table__
    current = {}
    loaded = load(session, detention_ids)
    wanted = [sid for one in loaded.values() for sid in one.stage_ids]
    for n in range(0, len(wanted), CHUNK):
        for sid, until, needs, rests in session.execute(
                select(st.c.id, st.c.valid_until, st.c.needs, st.c.rests_on)
                .where(st.c.id.in_(wanted[n:n + CHUNK]))):
            current[sid] = (until, needs, rests)
    changed: dict[int, tuple] = {}
    for one in loaded.values():
        for sid, v in zip(one.stage_ids, law_of.validities(one.timeline, law), strict=True):
            new = (v.valid_until, v.needs[:120], v.rests_on[:300])
            if current.get(sid) != new:
                changed[sid] = new
    if changed:  # one statement, many rows: an upgrade rewrites millions
        session.execute(
            update(st).where(st.c.id == bindparam("b_id")).values(
                valid_until=bindparam("b_until", type_=st.c.valid_until.type), needs=bindparam("b_needs"),
                rests_on=bindparam("b_rests")),
            [{"b_id": sid, "b_until": u, "b_needs": n, "b_rests": r}
             for sid, (u, n, r) in changed.items()])
    for obj in list(session.identity_map.values()):  # mapped stages read the new values
        if isinstance(obj, DetentionStage) and obj.id in changed:
            session.expire(obj, ["valid_until", "needs", "rests_on"])


def first_stage(law: Law, arrested_at: dt.datetime, citizen: bool, section: str,
                kind: str) -> dict:
    """The authority columns of the stage an admission starts (for writing many at once)."""
    v = law_of.validities(Timeline(arrested_at, citizen, (Stage(section, kind, arrested_at),)),
                          law)[0]
    return {"valid_until": v.valid_until, "needs": v.needs[:120], "rests_on": v.rests_on[:300]}


def refresh_unwritten(session: Session) -> int:
    """Give every stage without a written authority one (stages recorded before 0011)."""
    ids = list(session.scalars(select(DetentionStage.detention_id).distinct()
                               .where(DetentionStage.valid_until.is_(None))))
    law = load_law(session)
    for n in range(0, len(ids), 5000):
        refresh(session, ids[n:n + 5000], law)
    return len(ids)
