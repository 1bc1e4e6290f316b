"""The medical side of a detainee's stay: admission screening within the day (the latest
admissions still waiting, a few of them overdue), isolation on the medical officer's word before the
move to the medical ward, a referral before each hospital trip, and a fit-to-travel
examination before every removal (removal needs one)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from depot_app.clock import MYT
from depot_app.demo import layout
from depot_app.demo.story import Event

if TYPE_CHECKING:
    from depot_app.demo.plan import Planned

MEDIC = "medical1"
EXAMINER = ("Dr. Priya a/p Ramasamy", "MMC 58213", "gmo")
CONTAGIOUS = ("scabies", "scabies", "tb", "chickenpox")
ENDINGS = ("removal", "release", "transfer")


def _away_spans(events: list[Event], now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    spans, out = [], None
    for e in events:
        if e.kind.startswith("out_"):
            out = e.at
        elif e.kind == "return" and out is not None:
            spans.append((out, e.at))
            out = None
    if out is not None:
        spans.append((out, now))
    return spans


def plan_medical(rng: random.Random, now: dt.datetime, p: Planned) -> list[Event]:
    """The examinations of one detainee, merged into ``p.events`` in time order."""
    admitted = p.request.admitted_at
    assert admitted is not None
    events = p.events
    ending = events[-1] if events and events[-1].kind in ENDINGS else None
    end = ending.at if ending else now - dt.timedelta(minutes=30)
    spans = _away_spans(events, now)

    def fits(at: dt.datetime) -> bool:
        return admitted < at < end and not any(a <= at <= b for a, b in spans)

    exams: list[Event] = []
    move = next((e for e in events if e.kind == "cell_move" and e.to_cell is not None
                 and e.to_cell.category == layout.MEDICAL), None)
    screen_at = admitted + dt.timedelta(minutes=rng.randint(45, 20 * 60))
    if move is not None and move.at - dt.timedelta(minutes=30) < screen_at:
        screen_at = max(admitted + dt.timedelta(minutes=5), move.at - dt.timedelta(minutes=30))
    # The latest admissions wait for the clinic; some of yesterday's are overdue.
    missed = move is None and now - admitted < dt.timedelta(days=4) and rng.random() < 0.3
    isolated = False
    if not missed and fits(screen_at):
        isolated = move is not None and screen_at < move.at
        exams.append(Event("exam", screen_at, exam="screening", isolate=isolated,
                           condition=rng.choice(CONTAGIOUS) if isolated else "", by=MEDIC))
    if move is not None and not isolated:
        at = move.at - dt.timedelta(minutes=30)
        if fits(at) and (not exams or at > exams[-1].at):
            isolated = True
            exams.append(Event("exam", at, exam="request", isolate=True,
                               condition=rng.choice(CONTAGIOUS), by=MEDIC))
    first = exams[0].at if exams else None
    for n, e in enumerate(events):
        if e.kind != "out_hospital":
            continue
        at = e.at - dt.timedelta(minutes=rng.randint(40, 150))
        if fits(at) and first is not None and at > max(x.at for x in exams):
            exams.append(Event("exam", at, exam="referral", isolate=isolated,
                               destination=e.destination, by=MEDIC,
                               urgency="emergency" if "emergency" in e.reason else "urgent"))
            back = next((b for b in events[n + 1:] if b.kind == "return"), None)
            seen = back.at + dt.timedelta(minutes=rng.randint(60, 180)) if back else None
            # Examined on the return, except the last day's (still on the list).
            if seen is not None and seen < now - dt.timedelta(days=1) and fits(seen):
                exams.append(Event("exam", seen, exam="follow_up", isolate=isolated, by=MEDIC))
    if ending is not None and ending.kind == "removal" and first is not None:
        before = [x.at for x in events[:-1]] + [x.at for x in exams]
        at = max(ending.at - dt.timedelta(hours=6), max(before) + dt.timedelta(minutes=10))
        if at < ending.at:
            exams.append(Event("exam", at, exam="travel", by=MEDIC))
    elif (ending is None and first is not None and now - admitted > dt.timedelta(days=10)
          and rng.random() < 0.05):
        at = now - dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        if fits(at) and at > max(x.at for x in exams):
            exams.append(Event("exam", at, exam="travel", by=MEDIC))
    return sorted(events + exams, key=lambda x: (x.at, x.kind != "exam"))


def travel_until(at: dt.datetime) -> dt.date:
    return at.astimezone(MYT).date() + dt.timedelta(days=7)
