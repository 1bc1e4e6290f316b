"""The authority to hold someone, stage by stage: a pure function of the detention's timeline.

No database and no clock here: the services load a ``Timeline`` and the periods in force
(``Law``, from the rules table) and ask what each stage's authority runs until, whether a
person was ever held without one, and where a detention stands at a moment.

The law (Immigration Act 1959/63; DESIGN.md section 4):

* s.51(5)(b): a non-citizen is produced before a Magistrate within 14 days of arrest or
  detention; s.51(5)(a): a citizen held otherwise than for an offence within 24 hours,
  *excluding the time for any necessary journey* (recorded journeys are added back).
  Until a Magistrate has made an order, every stage runs at most until that time.
* The Magistrate orders detention for a period; from the order on, the authority runs
  until the order expires (the latest order counts, whatever stage follows it: a removal
  order under s.34 is carried out under the Magistrate's order for effecting removal).
* s.51(5) proviso: the order may not go beyond the maximum the provision allows (s.35:
  30 days pending a decision whether to order removal). Such a cap runs from the start of
  the detention under that section and bounds every stage under it.
* A stage that ends without another starting (released or convicted by the court) leaves
  no authority: whoever is still held from then on is held unlawfully.

A moment at which the authority ends is already too late: at ``valid_until`` the
detention is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from depot_app.clock import MYT, format_local

ARREST = "arrest"
MAGISTRATE_ORDER = "magistrate_order"
REMOVAL_ORDER = "removal_order"
AUTHORITIES = (ARREST, MAGISTRATE_ORDER, REMOVAL_ORDER)
# What each is called on screen, in print and at the command line.
AUTHORITY_WORDS = {ARREST: "Arrest", MAGISTRATE_ORDER: "Magistrate's order",
                   REMOVAL_ORDER: "Removal order"}

OK, DUE_SOON, OVERDUE = "ok", "due-soon", "overdue"
STATES = (OK, DUE_SOON, OVERDUE)
# The dashboard's buckets, by the Malaysian calendar day the authority ends.
BUCKETS = ("overdue", "today", "tomorrow", "this_week", "later")
WEEK_DAYS = 7  # "this week": today and the six days after it


@dataclass(frozen=True)
class Period:
    length: dt.timedelta
    words: str  # "14 days"
    source: str  # the citation from the rules table


@dataclass(frozen=True)
class Law:
    """The periods in force on a given day, as the rules table gives them."""

    production: Callable[[bool, dt.date], Period]  # (citizen, arrest day)
    cap: Callable[[str, dt.date], Period | None]  # (section, day the detention under it began)


@dataclass(frozen=True)
class Stage:
    section: str
    authority: str  # arrest, magistrate_order, removal_order
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    order_expires_at: dt.datetime | None = None  # a Magistrate's order: when it expires
    reference: str = ""  # the order's number, the removal order's number


@dataclass(frozen=True)
class Journey:
    """A necessary journey (s.51(5)(a)): not counted in a citizen's 24 hours."""

    departed_at: dt.datetime
    arrived_at: dt.datetime


@dataclass(frozen=True)
class Timeline:
    arrested_at: dt.datetime
    citizen: bool
    stages: tuple[Stage, ...]  # by start; the first begins at the arrest
    journeys: tuple[Journey, ...] = ()
    ended_at: dt.datetime | None = None  # custody ended (release, transfer, removal ...)


@dataclass(frozen=True)
class Validity:
    """How long one stage's authority runs, and why."""

    valid_until: dt.datetime
    needs: str  # what must happen by then, in an officer's words
    rests_on: str  # the provision or order, with its source


@dataclass(frozen=True)
class Standing:
    """Where a detention in custody stands at a moment."""

    stage: Stage | None  # None: held with no stage in force (released by the court ...)
    valid_until: dt.datetime
    needs: str
    rests_on: str
    state: str  # ok, due-soon, overdue
    bucket: str


def production_due(t: Timeline, law: Law) -> tuple[dt.datetime, Period]:
    """When the person must be before a Magistrate: the period from the arrest, plus for a
    citizen every recorded journey that began before the time ran out."""
    period = law.production(t.citizen, t.arrested_at.astimezone(MYT).date())
    due = t.arrested_at + period.length
    if t.citizen:
        for start, end in _merged(t.journeys):
            start = max(start, t.arrested_at)
            if start >= due:
                break
            if end > start:
                due += end - start
    return due, period


def _merged(journeys: tuple[Journey, ...]) -> list[tuple[dt.datetime, dt.datetime]]:
    spans: list[list[dt.datetime]] = []
    for j in sorted(journeys, key=lambda j: j.departed_at):
        if spans and j.departed_at <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], j.arrived_at)
        else:
            spans.append([j.departed_at, j.arrived_at])
    return [(a, b) for a, b in spans]


def validities(t: Timeline, law: Law) -> tuple[Validity, ...]:
    """Each stage's authority: until the production deadline or the latest Magistrate's
    order, and never beyond the cap of the section the stage rests on."""
    out: list[Validity] = []
    due: tuple[dt.datetime, Period] | None = None
    order: Stage | None = None
    run_start: dt.datetime | None = None
    for i, stage in enumerate(t.stages):
        if stage.authority == MAGISTRATE_ORDER and stage.order_expires_at is not None:
            order = stage
        if i == 0 or t.stages[i - 1].section != stage.section:
            run_start = stage.starts_at
        if order is not None:
            until = order.order_expires_at
            assert until is not None
            needs = "Produce for a further order, or release"
            rests = (f"Magistrate's order {order.reference or ''} under s.51(5)(b), detention "
                     f"under {order.section}").replace("  ", " ")
        else:
            if due is None:
                due = production_due(t, law)
            until, period = due
            needs = "Produce before a Magistrate"
            para = "s.51(5)(a)" if t.citizen else "s.51(5)(b)"
            extra = ", excluding journey time" if t.citizen and t.journeys else ""
            held = "Removal order" if stage.authority == REMOVAL_ORDER else "Arrest"
            rests = f"{held} under {stage.section}: {para}, {period.words} from arrest{extra} " \
                    f"({period.source})"
        assert run_start is not None
        cap = law.cap(stage.section, run_start.astimezone(MYT).date())
        if cap is not None and run_start + cap.length < until:
            until = run_start + cap.length
            needs = f"Decide on removal: {stage.section} allows at most {cap.words}"
            rests = f"{stage.section}, at most {cap.words} ({cap.source})"
        out.append(Validity(until, needs, rests))
    return tuple(out)


def cap_until(t: Timeline, law: Law, section: str, starts_at: dt.datetime) -> \
        tuple[dt.datetime, Period] | None:
    """The latest a new stage under ``section`` starting at ``starts_at`` may run to: the
    cap counts from the start of the detention under that section, which continues when
    the stage in force at ``starts_at`` is under the same section."""
    run_start = starts_at
    for stage in reversed([s for s in t.stages if s.starts_at <= starts_at]):
        if stage.section != section:
            break
        run_start = stage.starts_at
    cap = law.cap(section, run_start.astimezone(MYT).date())
    return None if cap is None else (run_start + cap.length, cap)


def in_custody(t: Timeline, at: dt.datetime) -> bool:
    return bool(t.stages) and t.arrested_at <= at and (t.ended_at is None or at < t.ended_at)


def standing(t: Timeline, law: Law, as_of: dt.datetime,
             found: tuple[Validity, ...] | None = None) -> Standing | None:
    """Where the detention stands at ``as_of``: None when not in custody then."""
    if not in_custody(t, as_of):
        return None
    found = validities(t, law) if found is None else found
    current = None
    for stage, validity in zip(t.stages, found, strict=True):
        if stage.starts_at <= as_of and (stage.ends_at is None or as_of < stage.ends_at):
            current = (stage, validity)
    if current is not None:
        stage, v = current
        return Standing(stage, v.valid_until, v.needs, v.rests_on,
                        state(v.valid_until, as_of), bucket(v.valid_until, as_of))
    # Held, but no stage is in force: the authority ended with the last stage.
    ended = [(s, v) for s, v in zip(t.stages, found, strict=True)
             if s.ends_at is not None and s.ends_at <= as_of]
    last, v = ended[-1] if ended else (t.stages[0], found[0])
    until = min(v.valid_until, last.ends_at or v.valid_until)
    return Standing(None, until, "Release or transfer now: no authority to hold",
                    f"Stage under {last.section} ended {format_local(last.ends_at or until)}",
                    OVERDUE, "overdue")


def unlawful_spans(t: Timeline, law: Law, until: dt.datetime,
                   found: tuple[Validity, ...] | None = None) -> \
        tuple[tuple[dt.datetime, dt.datetime], ...]:
    """Every stretch of custody (up to ``until`` or the end of custody) with no authority."""
    found = validities(t, law) if found is None else found
    stop = min(until, t.ended_at) if t.ended_at is not None else until
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for i, (stage, v) in enumerate(zip(t.stages, found, strict=True)):
        nxt = t.stages[i + 1].starts_at if i + 1 < len(t.stages) else stop
        end = min(stage.ends_at or stop, stop)
        if v.valid_until < end:
            spans.append((max(v.valid_until, stage.starts_at), end))
        if end < min(nxt, stop):  # held between this stage's end and the next one's start
            spans.append((end, min(nxt, stop)))
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return tuple(merged)


def state(valid_until: dt.datetime, as_of: dt.datetime) -> str:
    if as_of >= valid_until:
        return OVERDUE
    return DUE_SOON if bucket(valid_until, as_of) != "later" else OK


def bucket(valid_until: dt.datetime, as_of: dt.datetime) -> str:
    """Overdue, or the Malaysian day the authority ends: today, tomorrow, this week, later."""
    if as_of >= valid_until:
        return "overdue"
    days = (valid_until.astimezone(MYT).date() - as_of.astimezone(MYT).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return "this_week" if days < WEEK_DAYS else "later"

