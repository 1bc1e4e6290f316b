"""The court side of a stay, planned so that custody is lawful throughout.

Every non-citizen held beyond 14 days was produced before a Magistrate within them
(s.51(5)(b)): scheduled a few days ahead, out to court with the escort in the morning,
back the same afternoon, the outcome recorded by the officer. Most get a detention order
(under the arrest section for inquiries, or under s.34 for removal once a removal order
is made), some a remand for investigation, a few are charged with the Public
Prosecutor's sanction (s.58) and remanded pending trial; one or two are convicted (then
transferred to prison) and one or two released by the court at the production. An
order is renewed by a further production before it expires while the person is held.
Today's and tomorrow's lists have people on them; one or two orders were left to expire
yesterday so that the alerts have something to show.

The periods are the law's as the rules table has it on a fresh database (14 days to
production, s.35 at most 30 days); the test recomputes each stage's authority.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from depot_app.clock import MYT
from depot_app.demo import layout
from depot_app.demo.court_steps import Step, events
from depot_app.demo.court_words import CHARGES, COURTS, PRISONS, RELEASE_NOTES, SENTENCES
from depot_app.demo.story import OFFICER, Event
from depot_app.services.court.vocab import (
    CHARGED,
    CONVICTED,
    DETENTION_ORDER,
    RELEASED,
    REMAND,
)

if TYPE_CHECKING:
    from depot_app.demo.plan import Planned

DAY, HOUR, MINUTE = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)
PRODUCE_WITHIN = 14 * DAY  # s.51(5)(b)
S35_CAP = 30 * DAY  # s.35: pending a decision whether to order removal
PERIODS = (14, 21, 28, 30, 45, 45, 60, 60, 60)  # days a Magistrate orders detention for
REMAND_DAYS, TRIAL_DAYS = (7, 14, 14), (14, 21, 28)
# Roles of orders made to expire on a given day: yesterday (left to lapse: overdue),
# today and tomorrow (produced for a further order that morning, before it expires).
OVERDUE, DUE_TODAY, DUE_TOMORROW = "overdue", "due_today", "due_tomorrow"
LANDS = {OVERDUE: -1, DUE_TODAY: 0, DUE_TOMORROW: 1}


@dataclass
class _Person:
    p: Planned
    index: int
    court: str
    ending: Event | None
    spans: list[tuple[dt.datetime, dt.datetime]]  # away at hospital (the open one to now)
    moments: list[dt.datetime]  # cell moves: not while at court
    role: str = ""
    removal_step: int | None = None  # held: a removal order before this production
    ro_at: dt.datetime | None = None
    ro_ref: str = ""
    landed: bool = False  # the order made to expire on its role's day
    steps: list[Step] = field(default_factory=list)

    @property
    def arrested(self) -> dt.datetime:
        assert self.p.request.arrested_at is not None
        return self.p.request.arrested_at

    @property
    def admitted(self) -> dt.datetime:
        assert self.p.request.admitted_at is not None
        return self.p.request.admitted_at

    @property
    def section(self) -> str:
        return self.p.request.legal_basis

    @property
    def end(self) -> dt.datetime | None:
        return self.ending.at if self.ending is not None else None


def _local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(MYT).date()


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(minutes=rng.randint(0, max(int((end - start) / MINUTE), 0)))


def _office(at: dt.datetime, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """The same moment moved into office hours (09:00-17:00) that day, if still in bounds:
    a removal order is made at the office, not at night."""
    local = at.astimezone(MYT)
    moved = local.replace(hour=9 + local.hour % 8).astimezone(dt.UTC)
    return moved if lo <= moved <= hi else at


class _Planner:
    def __init__(self, rng: random.Random, now: dt.datetime):
        self.rng = rng
        self.now = now
        self.today = _local_day(now)
        # An order made to expire today runs out an hour or more after now, by 16:00.
        local = now.astimezone(MYT)
        self.later_today = (local.hour - 9) * 60 + local.minute + 60  # minutes after 09:00
        self.op_courts: dict[str, str] = {}
        self.case_numbers: dict[str, int] = {}

    def person(self, index: int, p: Planned) -> _Person:
        op = p.request.operation_name
        if op not in self.op_courts:  # an operation's detainees go before its court
            self.op_courts[op] = self.rng.choices(list(COURTS), weights=(5, 3, 2))[0]
        ending = p.events[-1] if p.events and p.events[-1].kind in ("release", "removal") \
            else None
        spans, out = [], None
        for e in p.events:
            if e.kind.startswith("out_"):
                out = e.at
            elif e.kind == "return" and out is not None:
                spans.append((out, e.at))
                out = None
        if out is not None:
            spans.append((out, self.now))
        moments = [e.at for e in p.events if e.kind == "cell_move"]
        return _Person(p, index, self.op_courts[op], ending, spans, moments)

    def fits(self, x: _Person, step: Step) -> bool:
        start, stop = step.window()
        if start <= x.admitted + HOUR or step.produced >= step.before - 30 * MINUTE \
                or step.purpose == "first" and step.back >= step.before - HOUR:
            return False
        if x.end is not None and stop + 3 * HOUR >= x.end:
            return False
        if start >= self.now:
            return True
        stop = min(stop, self.now)
        return not any(a <= stop and start <= b for a, b in x.spans) \
            and not any(start <= m <= stop for m in x.moments)

    def new_step(self, x: _Person, purpose: str, after: dt.datetime,
                 before: dt.datetime, days: list[dt.date]) -> Step | None:
        r = self.rng
        # An order made to expire on a given day is made in the afternoon; on that day the
        # production is first on the list, and the escort waits for the afternoon's orders.
        produced = (15, 25) if x.landed else \
            (max(180, self.later_today), 420) if x.role == DUE_TODAY else \
            (180, 300) if x.role in LANDS else (15, 150)
        jitter = (r.randint(0, 20), r.randint(*produced),
                  r.randint(240, 300) if x.landed else r.randint(75, 180), r.randint(10, 45),
                  r.randint(1, 4), r.randint(0, 300))
        for day in days:
            step = Step(x.court, day, purpose, after, before, jitter)
            if self.fits(x, step):
                return step
        return None

    def chain(self, x: _Person) -> None:
        """Productions one after the other, each before the authority it renews runs out,
        up to the end of custody or the first one not yet held."""
        until = x.arrested + PRODUCE_WITHIN
        after = x.admitted
        k = 0
        while True:
            hi = _local_day(until)
            if k == 0:
                lo = _local_day(x.arrested) + 2 * DAY
                pref = _local_day(x.arrested) + self.rng.randint(4, 11) * DAY
                if hi - DAY <= self.today <= hi and self.rng.random() < 0.7:
                    pref = hi  # due today or tomorrow: on that day's list
            else:  # the day the order expires, if the court sits before it does
                lo = _local_day(after) + DAY
                pref = hi - (0 if x.landed else self.rng.choice((0, 1, 1, 2, 2, 3))) * DAY
            pref = min(max(pref, lo), hi)
            days = [pref - n * DAY for n in range((pref - lo).days + 1)] + \
                [pref + n * DAY for n in range(1, (hi - pref).days + 1)]
            purpose = "first" if k == 0 else "mention" if x.role in (CHARGED, CONVICTED) \
                else "further"
            step = self.new_step(x, purpose, after, until, days)
            if step is None:
                return
            if x.landed and step.scheduled >= self.now:  # on the list already
                step.scheduled_on = max(after, self.now - self.rng.randint(2, 9) * HOUR)
            x.steps.append(step)
            if step.record >= self.now - MINUTE:
                return  # not yet held, or under way: the court has not decided
            self.removal_order(x, k, step)
            self.decide(x, k, step)
            if step.ending is not None or x.landed and x.role == OVERDUE:
                return
            until = step.expires
            if x.end is not None and until > x.end:
                return
            after = step.record + 30 * MINUTE
            k += 1

    def removal_order(self, x: _Person, k: int, step: Step) -> None:
        """A removal order (s.34) a few days before the production that orders detention
        for removal: s.35 allows no more than 30 days pending that decision."""
        must = x.section == "s.35" and k >= 1
        if x.ending is not None and x.ending.kind == "removal":
            if not must or (x.ro_at is not None and x.ro_at < step.out - HOUR):
                return
        elif not must and k != x.removal_step or x.ro_at is not None:
            return
        lo = max(step.after + HOUR, x.admitted + DAY)
        hi = step.out - 6 * HOUR
        if lo < hi:
            x.ro_at = _office(_between(self.rng, lo, hi), lo, hi)
            x.ro_ref = x.ro_ref or f"Perintah Pengusiran SMY/{x.ro_at.year}/" \
                                   f"{self.rng.randint(1, 9999):04d}"
        elif x.removal_step == k:
            x.removal_step = k + 1

    def decide(self, x: _Person, k: int, step: Step) -> None:
        r = self.rng
        removal = x.ro_at is not None and x.ro_at < step.out - HOUR
        step.section = "s.34" if removal else x.section
        code = COURTS[step.court][0]
        if k == 0 and x.role == RELEASED:
            step.outcome, step.note = RELEASED, r.choice(RELEASE_NOTES)
            step.ending = Event(  # in court, as the Magistrate orders it
                "release", step.produced, by=OFFICER,
                destination="Released at court on the Magistrate's order",
                reason=f"Released by the Magistrate at the production: {step.note}",
                authority=f"Magistrate's order, {step.court}")
            return
        if k == 1 and x.role == CONVICTED and step.record + 2 * HOUR < self.now:
            step.outcome, step.case_no = CONVICTED, self.case_no(x, code, step)
            step.sentence = r.choice(SENTENCES)
            step.prison = PRISONS[x.p.request.sex == "F"]
            # Straight back from court and on to prison with the committal warrant.
            step.jitter = (*step.jitter[:2], 60, 5, *step.jitter[4:])
            step.ending = Event(
                "transfer", step.record + 15 * MINUTE, by=OFFICER, destination=step.prison,
                reason=f"Convicted at {step.court}: {step.sentence}",
                authority=f"Waran komital {step.case_no}")
            return
        if k == 0 and x.role in (CHARGED, CONVICTED):
            step.outcome, step.order_purpose = CHARGED, "trial"
            step.period = r.choice(TRIAL_DAYS)
            step.case_no = self.case_no(x, code, step)
            step.sanction_ref = f"PP/SGR/IMI/{step.day.year}/{r.randint(100, 2999):04d}"
            step.charge = CHARGES[x.section]
        elif x.role in (CHARGED, CONVICTED):
            step.outcome, step.order_purpose = DETENTION_ORDER, "trial"
            step.period = r.choice(TRIAL_DAYS)
        elif k == 0 and x.role == REMAND:
            step.outcome, step.order_purpose = REMAND, "investigation"
            step.period = r.choice(REMAND_DAYS)
        else:
            step.outcome = DETENTION_ORDER
            step.order_purpose = "removal" if removal else "inquiries"
            step.period = r.choice(PERIODS)
        if x.end is not None and x.end - step.produced < 59 * DAY:  # until the departure
            need = math.ceil((x.end - step.produced) / DAY) + 1
            step.period = max(step.period, min(p for p in (*PERIODS, 60) if p >= need))
        if x.role in LANDS and not x.landed:
            self.land(x, step, self.today + LANDS[x.role] * DAY)
        if step.section == "s.35":
            step.period = min(step.period, (x.arrested + S35_CAP - step.produced) // DAY)

    def land(self, x: _Person, step: Step, day: dt.date) -> None:
        """Periods that bring an order to expire on ``day``."""
        left = (day - _local_day(step.produced)).days
        if 14 <= left <= 60:
            step.period, x.landed = left, True
        elif left > 60:
            step.period = min(60, left - 16) if left <= 76 else 60

    def case_no(self, x: _Person, code: str, step: Step) -> str:
        if x.steps[0].case_no:
            return x.steps[0].case_no
        n = self.case_numbers[code] = self.case_numbers.get(code, 40) + self.rng.randint(1, 9)
        return f"MA-{code}-83-{n}/{step.day.year}"


def plan_court(rng: random.Random, now: dt.datetime, planned: list[Planned]) -> None:
    """Add each detainee's court work to ``p.events`` (before the medical plan, which keeps
    its examinations off the days at court)."""
    plan = _Planner(rng, now)
    people = [plan.person(i, p) for i, p in enumerate(planned)]
    _cast(plan, people)
    for x in people:
        if x.ending is not None and x.ending.kind == "removal":
            at = x.ending.order_at
            assert at is not None
            x.ro_at = _office(at, x.admitted + HOUR, x.ending.at - 6 * HOUR)
            x.ro_ref = x.ending.authority
        if x.end is None or x.end > x.arrested + PRODUCE_WITHIN:
            plan.chain(x)
    _late_production(plan, people)
    _fill_lists(plan, people)
    _number(plan, people)
    for x in people:
        _write(plan, x)


def _cast(plan: _Planner, people: list[_Person]) -> None:
    """Who is convicted, released by the court, left to lapse, charged, remanded, and who
    is ordered removed while held: adults on their own, never a family."""
    r, now = plan.rng, plan.now
    held = sum(1 for x in people if x.ending is None and x.arrested + PRODUCE_WITHIN < now)
    few = 2 if held >= 100 else 1 if held >= 10 else 0

    def pick(role: str, count: int, days: int, sections) -> None:
        pool = [x for x in people if not x.role and x.ending is None and not x.spans
                and x.p.category in (layout.ADULT_MALE, layout.ADULT_FEMALE)
                and x.arrested <= now - days * DAY and x.section in sections]
        for x in r.sample(pool, min(count, len(pool))):
            x.role = role

    lawful = ("s.6(1)(c)", "s.15(1)(c)", "reg. 39(b)", "s.36", "s.8(3)")  # s.35: 30 days
    pick(CONVICTED, few, 40, CHARGES)
    pick(RELEASED, few, 20, lawful)
    pick(OVERDUE, few if held >= 10 else int(held >= 5), 30, lawful)
    pick(DUE_TODAY, int(held >= 10 and plan.later_today <= 420), 30, lawful)
    pick(DUE_TOMORROW, int(held >= 10), 30, lawful)
    pick(CHARGED, max(few, round(held * 0.03)), 16, CHARGES)
    pick(REMAND, round(held * 0.08), 16, lawful + ("s.35",))
    for x in people:
        if x.ending is None and x.p.category != layout.FAMILY and x.role in ("", REMAND) \
                and r.random() < 0.3:  # remanded for investigation first
            x.removal_step = r.randint(1 if x.role else 0, 2)


def _late_production(plan: _Planner, people: list[_Person]) -> None:
    """One order left to lapse has its production put on tomorrow's list, after expiry."""
    for x in [x for x in people if x.landed and x.role == OVERDUE][1:2]:
        last = x.steps[-1]
        step = Step(x.court, plan.today + DAY, "further", last.record + 30 * MINUTE,
                     last.expires, last.jitter)
        step.scheduled_on = plan.now - plan.rng.randint(2, 6) * HOUR
        x.steps.append(step)


def _fill_lists(plan: _Planner, people: list[_Person]) -> None:
    """Today's lists (while no one has left for court yet) and tomorrow's are made up by
    now: a handful at two courts or more. Those not yet on a list whose authority runs out
    soonest are put on them, those of a court with no one on that day's list first."""
    held = sum(1 for x in people if x.ending is None)
    for day in (plan.today, plan.today + DAY):
        listed = [x.steps[-1] for x in people if x.steps and x.steps[-1].day == day
                  and x.steps[-1].scheduled < plan.now]
        need = min(6, max(2, held // 40)) - len(listed)
        courts = {s.court for s in listed}
        waiting = sorted((x for x in people if x.ending is None and x.role not in LANDS
                          and x.p.category != layout.FAMILY and x.steps
                          and x.steps[-1].day > day and x.steps[-1].after < plan.now - HOUR),
                         key=lambda x: (x.court in courts, x.steps[-1].before, x.index))
        for x in waiting:
            if need <= 0 and len(courts) >= 2:
                break
            step = x.steps[-1]
            moved = Step(step.court, day, step.purpose, step.after, step.before, step.jitter)
            if moved.out > plan.now and plan.fits(x, moved):
                moved.scheduled_on = max(step.after + HOUR // 2,
                                         plan.now - plan.rng.randint(1, 8) * HOUR)
                x.steps[-1] = moved
                courts.add(moved.court)
                need -= 1


def _number(plan: _Planner, people: list[_Person]) -> None:
    """Each court numbers its orders in the order it makes them, year by year."""
    orders = sorted(((s.produced, x.index, s) for x in people for s in x.steps if s.period),
                    key=lambda o: (o[0], o[1]))
    counters: dict[tuple[str, int], int] = {}
    for produced, _, s in orders:
        key = (COURTS[s.court][0], _local_day(produced).year)
        if key not in counters:
            counters[key] = plan.rng.randint(80, 240)
        counters[key] += 1
        s.order_no = f"MA-{key[0]}-45-{counters[key]}/{key[1]}"


def _write(plan: _Planner, x: _Person) -> None:
    added: list[Event] = []
    cut = None
    for s in x.steps:
        added += events(plan.now, s)
        if s.ending is not None:
            cut = s.out  # custody ended at court: nothing planned after it happens
    if x.ro_at is not None:
        at = x.ro_at
        for s in x.steps:  # not while the detainee is at court
            if s.out - HOUR <= at <= s.record + HOUR:
                at = s.record + HOUR
        added.append(Event("removal_order", at, authority=x.ro_ref, by=OFFICER))
    kept = [e for e in x.p.events if cut is None or e.at < cut]
    x.p.events = sorted(kept + added, key=lambda e: e.at)
