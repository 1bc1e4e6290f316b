"""What the court services hand out: frozen views, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrderView:
    id: int
    order_no: str
    magistrate: str
    section: str  # the provision the person is detained under
    purpose: str  # court.vocab.ORDER_PURPOSES key
    purpose_words: str
    period_days: int
    starts_at: dt.datetime
    expires_at: dt.datetime
    production_id: int | None
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None
    detention_id: int = 0


@dataclass(frozen=True)
class ProductionView:
    id: int
    version: int
    detention_id: int
    detainee_no: str
    full_name: str
    nationality: str
    sex: str
    court: str
    scheduled_at: dt.datetime
    escort: str
    purpose: str
    purpose_words: str
    status: str
    status_words: str
    produced_at: dt.datetime | None = None
    outcome: str = ""
    outcome_words: str = ""
    outcome_note: str = ""
    sanction_ref: str = ""
    case_no: str = ""
    charge: str = ""
    sentence: str = ""
    prison: str = ""
    order: OrderView | None = None
    went_out_at: dt.datetime | None = None
    came_back_at: dt.datetime | None = None
    # The detention's authority as it stands: production after it has run out is too late.
    section: str = ""
    valid_until: dt.datetime | None = None
    late: bool = False
    date_of_birth: dt.date | None = None
    location: str = ""
    detention_version: int = 0
    photo: bytes | None = field(default=None, repr=False)
    photo_mime: str = ""


@dataclass(frozen=True)
class ProductionList:
    """Everyone to be produced at one court on one Malaysian day, by time."""

    court: str
    day: dt.date
    rows: tuple[ProductionView, ...]


@dataclass(frozen=True)
class DeadlineRow:
    """One detention in custody: the authority it is held under and until when."""

    detention_id: int
    version: int
    detainee_no: str
    full_name: str
    nationality: str
    location: str
    section: str  # empty: no stage in force
    authority: str
    reference: str
    since: dt.datetime | None
    valid_until: dt.datetime
    needs: str
    rests_on: str
    state: str  # ok, due-soon, overdue
    bucket: str  # overdue, today, tomorrow, this_week, later
    court: str = ""  # of the next production scheduled
    production_id: int | None = None
    production_at: dt.datetime | None = None
    late: bool = False  # that production is after the authority runs out


@dataclass(frozen=True)
class CourtLine:
    court: str
    today: int
    tomorrow: int
    this_week: int


@dataclass(frozen=True)
class DeadlineSummary:
    as_of: dt.datetime
    overdue: int
    today: int
    tomorrow: int
    this_week: int
    held: int
    unscheduled: int  # due this week (or overdue) with no production scheduled
    courts: tuple[CourtLine, ...]  # productions scheduled, per court, this week

    @property
    def due_soon(self) -> int:
        return self.today + self.tomorrow + self.this_week


@dataclass(frozen=True)
class JourneyView:
    id: int
    departed_at: dt.datetime
    arrived_at: dt.datetime
    from_place: str
    to_place: str


@dataclass(frozen=True)
class HistoryStage:
    section: str
    authority: str
    authority_words: str
    reference: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    valid_until: dt.datetime | None
    needs: str
    rests_on: str


@dataclass(frozen=True)
class AuthorityHistory:
    """A detention's authority from arrest to now: every stage with its section and how
    long it ran, any stretch held without authority, and the court's part in it."""

    detention_id: int
    detainee_no: str
    full_name: str
    nationality: str
    citizen: bool
    arrested_at: dt.datetime
    status: str
    ended_at: dt.datetime | None
    production_due: dt.datetime
    production_rule: str  # "14 days (Immigration Act 1959/63 s.51(5)(b) ...)"
    stages: tuple[HistoryStage, ...]
    unlawful: tuple[tuple[dt.datetime, dt.datetime], ...]
    current: DeadlineRow | None
    productions: tuple[ProductionView, ...]
    orders: tuple[OrderView, ...]
    journeys: tuple[JourneyView, ...]
    as_of: dt.datetime
    version: int = 0
