"""One production before a Magistrate as the demonstration plans it: its day, the moments
of that day (out with the escort, before the Magistrate, back, the outcome recorded), what
the court decided, and the events of it that have happened by a given moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from depot_app.clock import MYT
from depot_app.demo.court_words import COURTS, ESCORTS
from depot_app.demo.story import OFFICER, Event, Hearing
from depot_app.services.court.vocab import RELEASED

MINUTE = dt.timedelta(minutes=1)


@dataclass
class Step:
    """One production: its day and the minutes that place its moments in the day."""

    court: str
    day: dt.date
    purpose: str
    after: dt.datetime  # not scheduled before this (the last outcome was recorded)
    before: dt.datetime  # back from court before this (the authority it renews ends)
    jitter: tuple[int, int, int, int, int, int]
    scheduled_on: dt.datetime | None = None
    outcome: str = ""
    section: str = ""
    period: int = 0
    order_purpose: str = ""
    order_no: str = ""
    sanction_ref: str = ""
    case_no: str = ""
    charge: str = ""
    sentence: str = ""
    prison: str = ""
    note: str = ""
    ending: Event | None = None

    @property
    def sits(self) -> dt.datetime:
        return dt.datetime.combine(self.day, COURTS[self.court][2], MYT).astimezone(dt.UTC)

    @property
    def out(self) -> dt.datetime:
        return self.sits - dt.timedelta(minutes=80 - self.jitter[0])

    @property
    def produced(self) -> dt.datetime:
        return self.sits + dt.timedelta(minutes=self.jitter[1])

    @property
    def back(self) -> dt.datetime:
        return self.produced + dt.timedelta(minutes=self.jitter[2])

    @property
    def record(self) -> dt.datetime:
        return self.back + dt.timedelta(minutes=self.jitter[3])

    @property
    def scheduled(self) -> dt.datetime:
        if self.scheduled_on is not None:
            return self.scheduled_on
        ahead = dt.datetime.combine(self.day - dt.timedelta(days=self.jitter[4]),
                                    dt.time(9, 30), MYT).astimezone(dt.UTC)
        return max(self.after, ahead + dt.timedelta(minutes=self.jitter[5]))

    @property
    def expires(self) -> dt.datetime:
        return self.produced + dt.timedelta(days=self.period)

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.out - 30 * MINUTE, self.record + 60 * MINUTE



def escort(s: Step) -> str:
    return ESCORTS[(s.day.toordinal() + list(COURTS).index(s.court)) % len(ESCORTS)]


def events(now: dt.datetime, s: Step) -> list[Event]:
    """What has happened of one production by ``now``, in the order it happened."""
    order = bool(s.period)
    h = Hearing(s.court, s.sits, escort(s), s.purpose, s.outcome,
                s.produced if s.outcome else None, s.order_no,
                COURTS[s.court][1] if order else "", s.section if order else "", s.period,
                s.order_purpose, s.sanction_ref, s.case_no, s.charge, s.sentence, s.prison,
                s.note)
    if s.scheduled >= now:
        return []
    out = [Event("court_schedule", s.scheduled, hearing=h, by=OFFICER)]
    if s.out >= now:
        return out
    out.append(Event("out_court", s.out, destination=s.court, hearing=h, by=OFFICER,
                     reason="Production before a Magistrate"))
    if s.outcome == RELEASED:  # released in court: recorded there, then the release
        assert s.ending is not None
        return [*out, Event("court_outcome", s.produced, hearing=h, by=OFFICER), s.ending]
    if s.back < now:
        out.append(Event("return", s.back, destination=s.court,
                         reason=f"Returned from {s.court}"))
    if s.outcome:
        out.append(Event("court_outcome", s.record, hearing=h, by=OFFICER))
    if s.ending is not None:
        out.append(s.ending)
    return out
