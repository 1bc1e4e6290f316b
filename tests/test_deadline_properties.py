# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""Property tests of lawful custody (hypothesis): no one is ever held past their authority
without being overdue.

The pure engine over thousands of random timelines (stages under any section, Magistrates'
orders of any period, removal orders, a court's release, journeys, the end of custody):
the standing is never missing, overdue exactly inside the spans held without authority,
and each stage's authority is what the rules say, worked out here another way.

Then on both databases: random sequences of the real services (schedule, out to court and
back, outcomes with random periods and sections, s.34/s.35, journeys, departures) with the
clock moving on: after every step the stages' written authority equals a fresh
recomputation, the deadline list has exactly one row per detention held, it agrees with
the engine now, before and ahead, and the counts agree with the list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.models import CourtProduction, Detention, DetentionStage
from depot_app import authority as a
from depot_app.authority import (
    ARREST,
    MAGISTRATE_ORDER,
    OVERDUE,
    REMOVAL_ORDER,
    Journey,
    Stage,
    Timeline,
)
from depot_app.clock import MYT, local_day_bounds
from depot_app.errors import ValidationError
from depot_app.services import departures, outings
from depot_app.services.court import authority, deadlines, productions, stages
from tests.court_fixtures import clock, held, officer  # noqa: F401 - fixtures
from tests.test_authority_engine import LAW

US = dt.timedelta(microseconds=1)
DAY = dt.timedelta(days=1)
SECTIONS = ("s.6(1)(c)", "s.15(1)(c)", "s.8(3)", "s.36", "reg. 39(b)", "s.35", "s.34")
PURE = settings(max_examples=1000, deadline=None)
# No "explain" phase: re-running a failing sequence dozens of times against a database that
# the earlier runs have filled takes minutes and adds little to the shrunk example.
# Each example adds detentions to the test's one database (the clock moves on between them).
ON_DB = settings(max_examples=40, deadline=None,
                 phases=[p for p in Phase if p is not Phase.explain],
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.data_too_large])


# -- random timelines -----------------------------------------------------------------------

# Gaps between events: whole days (14 and 30 fall on the deadlines exactly), or any
# duration to the microsecond, or none (two events at the same moment).
gaps = st.one_of(st.integers(0, 40).map(lambda n: dt.timedelta(days=n)),
                 st.integers(0, 40 * 86_400_000_000).map(lambda n: dt.timedelta(microseconds=n)))
events = st.one_of(
    st.tuples(st.just("basis"), st.sampled_from(SECTIONS)),
    st.tuples(st.just("order"), st.sampled_from(SECTIONS), st.integers(1, 60)),
    st.tuples(st.just("release")),
)
journeys = st.tuples(st.integers(-2 * 86_400, 3 * 86_400), st.integers(60, 14 * 3600))


@st.composite
def timelines(draw) -> Timeline:
    """A detention as the services record it: the first stage from the arrest; each new
    basis or order ends the stage in force when it begins; a court's release ends it with
    none after it; the end of custody closes whatever is open. Arrests 2023-2031 (two leap
    days), at any microsecond."""
    arrested = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        seconds=draw(st.integers(0, 9 * 365 * 86_400)), microseconds=draw(st.integers(0, 999_999)))
    first = draw(st.sampled_from(SECTIONS))
    found = [[first, REMOVAL_ORDER if first == "s.34" else ARREST, arrested, None, None, ""]]
    at = arrested
    for n, (gap, what) in enumerate(draw(st.lists(st.tuples(gaps, events), max_size=7))):
        at += gap
        if found[-1][3] is None:
            found[-1][3] = at  # the stage in force ends here
        if what[0] == "basis":
            found.append([what[1], REMOVAL_ORDER if what[1] == "s.34" else ARREST, at, None,
                          None, f"D/{n}"])
        elif what[0] == "order":
            found.append([what[1], MAGISTRATE_ORDER, at, None, at + DAY * what[2], f"MA-{n}"])
    citizen = draw(st.booleans())
    second = dt.timedelta(seconds=1)
    trips = tuple(Journey(arrested + s * second, arrested + (s + d) * second)
                  for s, d in draw(st.lists(journeys, max_size=4))) if citizen else ()
    ended = None
    if draw(st.booleans()):
        ended = at + draw(gaps)
        if found[-1][3] is None:
            found[-1][3] = ended
    return Timeline(arrested, citizen, tuple(Stage(*s) for s in found), trips, ended)


def due_oracle(t: Timeline) -> dt.datetime:
    """The production deadline another way: the moment custody time not spent on a
    recorded journey reaches the period (journeys taken in order, overlaps once)."""
    period = LAW.production(t.citizen, t.arrested_at.astimezone(MYT).date()).length
    if not t.citizen:
        return t.arrested_at + period
    cursor, remaining = t.arrested_at, period
    for j in sorted(t.journeys, key=lambda j: j.departed_at):
        start = max(j.departed_at, cursor)
        if j.arrived_at <= start:
            continue
        if cursor + remaining <= start:
            break
        remaining -= start - cursor
        cursor = j.arrived_at
    return cursor + remaining


def horizon(t: Timeline, found) -> dt.datetime:
    """Where to stop looking: the end of custody, or three days past the last event."""
    last = max([t.arrested_at] + [s.starts_at for s in t.stages] + [v.valid_until for v in found])
    return t.ended_at or last + 3 * DAY


def moments(t: Timeline, found, spans, fractions: list[float]) -> list[dt.datetime]:
    """Every edge (each a microsecond either side too) and some moments in between."""
    end = horizon(t, found)
    edges = {t.arrested_at, end}
    edges |= {s.starts_at for s in t.stages} | {s.ends_at for s in t.stages if s.ends_at}
    edges |= {v.valid_until for v in found} | {x for span in spans for x in span}
    out = {e + d for e in edges for d in (-US, dt.timedelta(0), US)}
    out |= {t.arrested_at + (end - t.arrested_at) * f for f in fractions}
    return sorted(m for m in out if t.arrested_at - US <= m <= end + US)


fractions = st.lists(st.floats(0, 1), max_size=6)


@PURE
@given(timelines(), fractions)
def test_held_without_authority_is_exactly_overdue(t, fracs):
    found = a.validities(t, LAW)
    spans = a.unlawful_spans(t, LAW, horizon(t, found) + DAY, found)
    for m in moments(t, found, spans, fracs):
        here = a.standing(t, LAW, m, found)
        held_then = t.arrested_at <= m and (t.ended_at is None or m < t.ended_at)
        assert (here is not None) == held_then, m  # held: never without a standing
        if here is None:
            continue
        assert here.state in a.STATES and (here.bucket == "overdue") == (here.state == OVERDUE)
        if m >= here.valid_until:
            assert here.state == OVERDUE
        unlawful = any(x <= m < y for x, y in spans)
        # Overdue exactly when held without authority; ok or due soon never inside a span.
        assert (here.state == OVERDUE) == unlawful, (m, here, spans)
        if here.stage is not None:
            i = t.stages.index(here.stage)
            assert here.valid_until == found[i].valid_until
        else:
            assert here.state == OVERDUE and here.valid_until <= m


def run_start(t: Timeline, i: int) -> dt.datetime:
    while i > 0 and t.stages[i - 1].section == t.stages[i].section:
        i -= 1
    return t.stages[i].starts_at


@PURE
@given(timelines())
def test_each_stage_runs_until_what_the_rules_allow_and_no_longer(t):
    due = due_oracle(t)
    assert a.production_due(t, LAW)[0] == due
    if t.citizen:
        assert t.arrested_at + dt.timedelta(hours=24) <= due
    for i, (stage, v) in enumerate(zip(t.stages, a.validities(t, LAW), strict=True)):
        start = run_start(t, i)
        cap = LAW.cap(stage.section, start.astimezone(MYT).date())
        cap_end = start + cap.length if cap else None
        if cap_end is not None:
            assert v.valid_until <= cap_end
        orders = [s for s in t.stages[:i + 1] if s.authority == MAGISTRATE_ORDER]
        limit = orders[-1].order_expires_at if orders else due
        assert v.valid_until <= limit  # never beyond the latest order, or production due
        assert v.valid_until == min(limit, cap_end or limit)  # and exactly the nearer one
        if cap_end is not None and cap_end < limit:
            assert stage.section in v.needs and "at most 30 days" in v.rests_on
        elif orders:
            assert orders[-1].reference in v.rests_on
        else:
            assert ("s.51(5)(a)" if t.citizen else "s.51(5)(b)") in v.rests_on


@PURE
@given(st.integers(0, 9 * 365 * 86_400_000_000), st.integers(-3_600_000_000, 10 * 86_400_000_000))
def test_buckets_are_malaysian_days(offset, ahead):
    """The list's buckets against the day bounds the dashboard counts with."""
    now = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=offset)
    until = now + dt.timedelta(microseconds=ahead)
    today = now.astimezone(MYT).date()
    _, today_end = local_day_bounds(today)
    _, tomorrow_end = local_day_bounds(today + DAY)
    week_end, _ = local_day_bounds(today + a.WEEK_DAYS * DAY)
    expected = ("overdue" if until <= now else "today" if until < today_end
                else "tomorrow" if until < tomorrow_end else "this_week" if until < week_end
                else "later")
    assert a.bucket(until, now) == expected
    assert a.state(until, now) == ("overdue" if until <= now else "ok" if expected == "later"
                                   else "due-soon")


# -- the services on both databases ---------------------------------------------------------

MINUTES = st.integers(0, 3 * 24 * 60)
who = st.integers(0, 1)
court_step = st.tuples(
    st.just("court"), who, st.integers(-2 * 24 * 60, 6 * 24 * 60), st.booleans(),
    st.sampled_from(("detention_order", "detention_order", "remand", "charged", "released",
                     "convicted")),
    st.sampled_from(("s.6(1)(c)", "s.15(1)(c)", "s.35", "s.34")), st.integers(1, 45),
    st.integers(0, 12 * 60))
STEPS = {
    "advance": st.tuples(st.just("advance"), st.integers(1, 9 * 86_400), st.integers(0, 999_999)),
    "court": court_step,
    "back": st.tuples(st.just("back"), who),
    "basis": st.tuples(st.just("basis"), who, st.sampled_from(("s.34", "s.35")), MINUTES),
    "journey": st.tuples(st.just("journey"), who, st.integers(0, 48 * 60),
                         st.integers(1, 12 * 60)),
    "cancel": st.tuples(st.just("cancel"), who),
    "depart": st.tuples(st.just("depart"), who),
}
# Court steps most often (a production takes three: schedule, out, outcome), custody's end
# seldom (nothing happens to a detention after it).
operations = st.sampled_from(["court"] * 5 + ["advance"] * 3 + ["back", "basis", "basis",
                                                                "journey", "cancel", "depart"]) \
    .flatmap(STEPS.__getitem__)
detentions = st.lists(st.tuples(st.booleans(), st.sampled_from(SECTIONS),
                                st.integers(4 * 60, 20 * 24 * 60)), min_size=1, max_size=2)


def _pending(db, did: int) -> tuple[int, int, str] | None:
    with db.read() as uow:
        row = uow.session.execute(select(CourtProduction.id, CourtProduction.version,
                                         CourtProduction.status)
                                  .where(CourtProduction.detention_id == did,
                                         CourtProduction.status.in_(("scheduled", "out")))).first()
    return None if row is None else tuple(row)


def _apply(db, actor, op, ids: list[int]) -> str:
    """One service call as an officer would make it: what was done, or "skipped" when the
    detention is not in a state for it. A refusal (ValidationError) is fine: the invariants
    must hold whether it went through or not."""
    kind, now = op[0], db.clock.now()
    if kind == "advance":
        db.clock.advance(dt.timedelta(seconds=op[1], microseconds=op[2]))
        return kind
    did = ids[op[1] % len(ids)]
    with db.read() as uow:
        d = uow.session.get(Detention, did)
        if d.status != "in_custody":
            return "skipped"
        v, arrested = d.version, d.arrested_at
    p = _pending(db, did)
    with db.write() as uow:
        if kind == "court" and p is None:
            kind = "schedule"
            productions.schedule(uow, actor, productions.ScheduleRequest(
                did, v, "Mahkamah Majistret Kajang" if op[2] % 2 else "Mahkamah Majistret Sepang",
                now + dt.timedelta(minutes=op[2]), "Insp. Rahman"))
        elif kind == "court" and p[2] == "scheduled" and op[3]:
            kind = "send"
            productions.send(uow, actor, productions.SendRequest(p[0], p[1], v))
        elif kind == "court":
            outcome, section, days, back = op[4:]
            kind = outcome
            order = productions.OrderInput("MA-KJG-1/2026", "Puan Aisyah", section, days) \
                if outcome in ("detention_order", "remand", "charged") else None
            productions.record_outcome(uow, actor, productions.OutcomeRequest(
                p[0], p[1], outcome, now - dt.timedelta(minutes=back), order,
                sanction_ref="PP/IMG/1", charge="s.6(1)(c)", sentence="6 months",
                prison="Penjara Kajang"))
        elif kind == "back":
            outings.come_back(uow, actor, outings.ReturnRequest(did, v))
        elif kind == "basis":
            stages.change_basis(uow, actor, stages.StageRequest(
                did, v, op[2], "PR/34/1" if op[2] == "s.34" else "KP decision",
                now - dt.timedelta(minutes=op[3])))
        elif kind == "journey":
            departed = max(arrested, now - dt.timedelta(minutes=op[2]))
            stages.record_journey(uow, actor, stages.JourneyRequest(
                did, v, departed, min(now, departed + dt.timedelta(minutes=op[3])), "A", "B"))
        elif kind == "cancel" and p and p[2] == "scheduled":
            productions.cancel(uow, actor, productions.CancelRequest(p[0], p[1], "Court closed"))
        elif kind == "depart":
            departures.discharge(uow, actor, departures.DischargeRequest(
                did, "release", "Director of Immigration", "Compound paid", v))
        else:
            return "skipped"
    return kind


def _key(section, authority_, reference, until, needs, rests, state, bucket):
    return (section, authority_, reference, until, needs[:120], rests[:300], state, bucket)


def _engine_at(timelines_: dict, law, at: dt.datetime) -> dict[int, tuple]:
    out = {}
    for did, one in timelines_.items():
        here = a.standing(one.timeline, law, at)
        if here is not None:
            s = here.stage
            out[did] = _key(s.section if s else "", s.authority if s else "",
                            s.reference if s else "", here.valid_until, here.needs,
                            here.rests_on, here.state, here.bucket)
    return out


def _rows(board) -> dict[int, tuple]:
    return {r.detention_id: _key(r.section, r.authority, r.reference, r.valid_until, r.needs,
                                 r.rests_on, r.state, r.bucket) for r in board}


def _check(db, actor, since: dt.datetime, fraction: float) -> None:
    now = db.clock.now()
    with db.read() as uow:
        s = uow.session
        law = authority.load_law(s)
        everyone = list(s.scalars(select(Detention.id)))
        loaded = authority.load(s, everyone)
        written = {sid: (until, needs, rests) for sid, until, needs, rests in s.execute(
            select(DetentionStage.id, DetentionStage.valid_until, DetentionStage.needs,
                   DetentionStage.rests_on))}
        held_ids = set(s.scalars(select(Detention.id).where(Detention.status == "in_custody")))
        board = deadlines.board(uow, actor)
        past = now - (now - since) * fraction - 2 * dt.timedelta(seconds=1)
        then = deadlines.board(uow, actor, as_of=past)
        ahead = deadlines.board(uow, actor, as_of=now + (now - since) * fraction)
        summary = deadlines.summary(uow, actor)
        one = next(iter(held_ids), None)
        single = deadlines.row(uow, actor, one) if one else None
    # Every stage's written authority is what the engine makes of the timeline now.
    for did, one_ in loaded.items():
        assert one_.stage_ids, did  # never a detention without a stage
        for sid, v in zip(one_.stage_ids, a.validities(one_.timeline, law), strict=True):
            assert written[sid] == (v.valid_until, v.needs[:120], v.rests_on[:300]), (did, sid)
        assert len([s for s in one_.timeline.stages if s.ends_at is None]) <= 1, did
    # Exactly one row per detention held, never none; overdue from the authority's end.
    ids = [r.detention_id for r in board]
    assert sorted(ids) == sorted(held_ids) and len(set(ids)) == len(ids)
    for r in board:
        assert r.valid_until is not None
        assert r.state == a.state(r.valid_until, now) and r.bucket == a.bucket(r.valid_until, now)
        if r.valid_until <= now:
            assert r.state == OVERDUE
    assert [r.valid_until for r in board] == sorted(r.valid_until for r in board)
    # What is written agrees with the engine now, as it stood before, and ahead.
    assert _rows(board) == _engine_at(loaded, law, now)
    if past > since:
        assert _rows(then) == _engine_at(loaded, law, past)
    assert _rows(ahead) == _engine_at(loaded, law, now + (now - since) * fraction)
    if single is not None:
        assert single == next(r for r in board if r.detention_id == one)
    # The counts are the list's.
    buckets = Counter(r.bucket for r in board)
    assert (summary.held, summary.overdue, summary.today, summary.tomorrow,
            summary.this_week) == (len(board), buckets["overdue"], buckets["today"],
                                  buckets["tomorrow"], buckets["this_week"])
    assert summary.unscheduled == sum(1 for r in board
                                      if r.bucket != "later" and r.production_at is None)
    today = now.astimezone(MYT).date()
    start, _ = local_day_bounds(today)
    week_end, _ = local_day_bounds(today + a.WEEK_DAYS * DAY)
    lines: dict[str, list[int]] = {}
    for r in board:
        if r.production_at is not None and start <= r.production_at < week_end:
            n = (r.production_at.astimezone(MYT).date() - today).days
            lines.setdefault(r.court, [0, 0, 0])[min(n, 2)] += 1
    assert {c.court: [c.today, c.tomorrow, c.this_week] for c in summary.courts} == lines


# A court step for the first detention: scheduled an hour ahead, then out to court.
TO_COURT = ("court", 0, 60, True, "detention_order", "s.6(1)(c)", 14, 0)
steps = st.lists(st.tuples(operations, st.floats(0, 1)), min_size=3, max_size=14)


@pytest.mark.usefixtures("clock")
@ON_DB
# Released while at court: the production that took them there must not stay on a list.
@example(people=[(False, "s.6(1)(c)", 600)],
         ops=[(TO_COURT, 0.5), (TO_COURT, 0.5), (("depart", 0), 0.5)])
@given(people=detentions, ops=steps)
def test_the_services_keep_every_detention_on_the_list_with_its_authority(db, officer,
                                                                          people, ops):
    db.clock.advance(dt.timedelta(days=3, seconds=7))  # each example after the last one
    since = db.clock.now()
    ids = [held(db, f"Orang {n}", arrested=since - dt.timedelta(minutes=back),
                section=section, citizen=citizen, nationality="MYS" if citizen else "IDN")
           for n, (citizen, section, back) in enumerate(people)]
    first = min(since - dt.timedelta(minutes=back) for _, _, back in people)
    _check(db, officer, first, 0.5)
    for op, fraction in ops:
        try:
            event(_apply(db, officer, op, ids))
        except ValidationError as exc:
            event(f"{op[0]}: refused ({', '.join(sorted(exc.fields))})")
        _check(db, officer, first, fraction)
    for did in ids:  # custody ends for all of them: the list empties of them
        _apply(db, officer, ("depart", 0), [did])
    _check(db, officer, first, 0.25)
