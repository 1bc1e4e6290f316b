"""Enforcement operations and what happens to a detainee after admission: cell moves,
trips to hospital and back, release and removal (the court's part is ``court``)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from depot_app.clock import MYT
from depot_app.demo import layout
from depot_app.demo.layout import BlockSpec, CellSpec

if TYPE_CHECKING:
    from depot_app.demo.plan import Planned

DAYS_BACK = 60
OPERATION_NAMES = ("Op Kutip", "Op Mahir", "Op Sapu", "Op Bersepadu", "Op Gegar", "Op Selera",
                   "Op Pintu", "Op Tegas")
PLACES = (
    "Pasar Borong Selayang, Selangor", "Tapak binaan, Cyberjaya, Selangor",
    "Kawasan perindustrian, Klang, Selangor", "Jalan Silang, Kuala Lumpur",
    "Ladang sawit, Banting, Selangor", "Pangsapuri kos rendah, Kajang, Selangor",
    "Kedai makan, Bandar Baru Bangi, Selangor", "Kilang papan, Semenyih, Selangor",
    "Pasar malam, Seri Kembangan, Selangor", "Rumah kongsi pekerja, Puchong, Selangor",
    "Taman perindustrian, Rawang, Selangor", "Medan Selera, Petaling Jaya, Selangor",
)
HOSPITALS = ("Hospital Kajang", "Hospital Serdang")
WARDEN, OFFICER = "warden1", "officer1"


@dataclass(frozen=True)
class Operation:
    name: str
    starts_at: dt.datetime
    place: str
    agency: str
    reference: str
    size: int  # how many it tends to bring in, relative to the others


@dataclass(frozen=True)
class Hearing:
    """One production before a Magistrate, as the officer schedules it and records what
    the court decided (``outcome`` empty: not yet decided)."""

    court: str
    scheduled_at: dt.datetime
    escort: str
    purpose: str  # court.vocab.PURPOSES
    outcome: str = ""  # court.vocab.OUTCOMES
    produced_at: dt.datetime | None = None
    order_no: str = ""
    magistrate: str = ""
    section: str = ""  # the order's provision
    period_days: int = 0
    order_purpose: str = ""  # court.vocab.ORDER_PURPOSES
    sanction_ref: str = ""
    case_no: str = ""
    charge: str = ""
    sentence: str = ""
    prison: str = ""
    note: str = ""


@dataclass(frozen=True)
class Event:
    kind: str  # a Movement kind, or court_schedule, court_outcome, removal_order, exam
    at: dt.datetime
    to_cell: CellSpec | None = None
    destination: str = ""
    reason: str = ""
    authority: str = ""
    by: str = WARDEN
    order_at: dt.datetime | None = None  # removal: when the removal order (s.34 stage) began
    # Medical examinations (kind "exam"): which, and what they found.
    exam: str = ""  # screening, request, referral, travel
    isolate: bool = False
    condition: str = ""  # a communicable-disease flag
    urgency: str = ""  # referral: urgent, emergency
    # Court work (kinds court_schedule, out_court, court_outcome): the production.
    hearing: Hearing | None = None


def plan_operations(rng: random.Random, now: dt.datetime, count: int) -> list[Operation]:
    """Night operations spread over the last 60 days, the latest at least 18 hours ago."""
    today = now.astimezone(MYT).date()
    latest = now - dt.timedelta(hours=18)
    ops = []
    for i in range(max(2, min(60, count // 15 + 2))):
        day = today - dt.timedelta(days=rng.randint(1, DAYS_BACK))
        start = dt.datetime.combine(day, dt.time(20, 0), MYT) + dt.timedelta(
            minutes=rng.randint(0, 240))
        while start > latest:
            start -= dt.timedelta(days=1)
        start = start.astimezone(dt.UTC)
        name = f"{rng.choice(OPERATION_NAMES)} {i + 1}/{day.year}"
        agency = "Jabatan Imigresen Malaysia" if rng.random() < 0.75 else "Polis Diraja Malaysia"
        unit = "JIM/SGR/OPS" if agency.startswith("Jabatan") else "PDRM/IPD KAJANG"
        ops.append(Operation(name, start, rng.choice(PLACES), agency,
                             f"{unit}/{rng.randint(100, 9999):04d}/{day.year}",
                             rng.choice((1, 2, 3, 5, 8))))
    return ops


def _at_local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), MYT).astimezone(dt.UTC)


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    seconds = max(int((end - start).total_seconds()), 0)
    return start + dt.timedelta(seconds=rng.randint(0, seconds))


def _trip(rng: random.Random, start: dt.datetime, end: dt.datetime, days: int,
          out_kind: str, place: str, why: str) -> list[Event]:
    """Out in the morning, back in the afternoon ``days`` later; nothing if it does not fit."""
    day = _between(rng, start + dt.timedelta(days=1), end).astimezone(MYT).date()
    out = _at_local(day, 8, rng.randint(15, 59))
    back = _at_local(day + dt.timedelta(days=days), 15, rng.randint(0, 59))
    if out <= start or back >= end:
        return []
    return [Event(out_kind, out, destination=place, reason=why),
            Event("return", back, destination=place, reason=f"Returned from {place}")]


def plan_events(rng: random.Random, now: dt.datetime, p: Planned,
                blocks: list[BlockSpec]) -> list[Event]:
    admitted = p.request.admitted_at
    assert admitted is not None
    horizon = now - dt.timedelta(hours=1)
    events: list[Event] = []
    ending: Event | None = None
    # Families stay together: a mother and child are not released or removed apart.
    if (horizon - admitted > dt.timedelta(days=6) and rng.random() < 0.10
            and p.category != layout.FAMILY):
        at = _between(rng, admitted + dt.timedelta(days=3), horizon)
        if rng.random() < 0.7:
            order_at = _between(rng, admitted + dt.timedelta(days=1), at - dt.timedelta(hours=6))
            ending = Event("removal", at, destination=p.nationality.removal_to,
                           reason="Removal order carried out; escorted to the point of departure",
                           authority=f"Perintah Pengusiran SMY/{order_at.year}/"
                                     f"{rng.randint(1, 9999):04d}",
                           by=OFFICER, order_at=order_at)
        else:
            ending = Event("release", at, destination="Released to the care of the employer"
                           if p.request.employer else "Left on a Check Out Memo",
                           reason=rng.choice(("Compound paid; Check Out Memo issued",
                                              "Released on a Special Pass pending documents")),
                           authority=f"CO/SMY/{at.year}/{rng.randint(1, 9999):04d}", by=OFFICER)
    end = ending.at if ending else horizon
    if rng.random() < 0.03:
        events += _trip(rng, admitted, end, rng.randint(1, 3), "out_hospital",
                        rng.choice(HOSPITALS), "Referred by the depot medical officer")
    current = p.cell  # the admission cell stays in the plan; moves are events
    # A family is not split by a move: its members share a family cell throughout.
    if (current is not None and p.category != layout.FAMILY and rng.random() < 0.12
            and end - admitted > dt.timedelta(hours=3)):
        at = _between(rng, admitted + dt.timedelta(hours=1), end - dt.timedelta(hours=1))
        during_trip = any(a.at <= at <= b.at for a, b in zip(events[::2], events[1::2],
                                                             strict=True))
        medical = rng.random() < 0.15
        target = layout.MEDICAL if medical else p.category
        new = None if during_trip else layout.place(rng, blocks, target, avoid=current)
        if new is not None:
            current.occupants -= 1
            events.append(Event("cell_move", at, to_cell=new,
                                reason="Medical isolation on the medical officer's advice"
                                if medical else "Moved to balance cell numbers"))
            current = new
    events.sort(key=lambda e: e.at)
    if ending is None and rng.random() < 0.01:
        # Still out at the hospital now: on the roll, away from the depot.
        at = now - dt.timedelta(hours=rng.randint(2, 12))
        if at > (events[-1].at if events else admitted):
            events.append(Event("out_hospital", at, destination=rng.choice(HOSPITALS),
                                reason="Taken to the emergency department"))
    if ending is not None:
        events.append(ending)
        if current is not None:
            current.occupants -= 1
    return events
