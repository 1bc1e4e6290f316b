"""Frozen read models: what leaves the service layer instead of ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from depot_app.actor import Role

if TYPE_CHECKING:
    from depot_app.services.court.views import DeadlineSummary
    from depot_app.services.medical.views import BoardRow, MedicalRecordView


@dataclass(frozen=True)
class DepotView:
    id: int
    code: str
    name: str
    state: str
    address: str


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    full_name: str
    roles: tuple[Role, ...]
    active: bool
    locked: bool
    failed_logins: int
    last_login_at: dt.datetime | None


@dataclass(frozen=True)
class DetaineeRow:
    id: int
    detainee_no: str
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    nationality_name: str
    location: str
    status: str
    admitted_at: dt.datetime
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentView:
    doc_type: str
    number: str
    issuing_state: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    held_by_depot: bool


@dataclass(frozen=True)
class PassView:
    pass_type: str
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None


@dataclass(frozen=True)
class MovementView:
    occurred_at: dt.datetime
    kind: str
    description: str
    reason: str
    recorded_by: str
    id: int = 0
    authority: str = ""
    document_ref: str = ""
    destination: str = ""
    from_place: str = ""  # "Blok A / A-01", "reception (unallocated)", or ""
    to_place: str = ""
    escort: str = ""


@dataclass(frozen=True)
class StageView:
    section: str
    authority: str
    reference: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    valid_until: dt.datetime | None = None  # when this stage's authority runs out
    needs: str = ""  # what must happen by then
    rests_on: str = ""  # the provision or order, with its source


@dataclass(frozen=True)
class EpisodeView:
    detainee_no: str
    admitted_at: dt.datetime
    status: str
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class PropertyView:
    """One item of the detainee's property held by the depot (``returned_at`` once given
    back)."""

    description: str
    quantity: int
    bag_no: str
    received_at: dt.datetime
    received_by: str
    returned_at: dt.datetime | None
    id: int = 0
    returned_by: str = ""
    return_note: str = ""


@dataclass(frozen=True)
class CashView:
    """One entry of the detainee's cash: positive received, negative paid out (MYR)."""

    amount: Decimal
    occurred_at: dt.datetime
    receipt_no: str
    note: str
    recorded_by: str


@dataclass(frozen=True)
class FamilyView:
    """A family member's detention: ``relation`` is what they are to this detainee
    (``parent``: the detainee ``detainee_no`` is this detainee's parent)."""

    relation: str
    detention_id: int
    detainee_no: str
    full_name: str


@dataclass(frozen=True)
class DetaineeDetail:
    id: int
    version: int
    detainee_no: str
    person_id: int
    full_name: str
    aliases: tuple[str, ...]
    sex: str
    date_of_birth: dt.date | None
    age: int | None
    nationality: str
    nationality_name: str
    place_of_birth: str
    languages: str
    interpreter_needed: bool
    distinguishing_marks: str
    home_address: str
    employer: str
    status: str
    citizen: bool
    arrested_at: dt.datetime
    arrest_place: str
    arresting_agency: str
    operation_name: str
    admitted_at: dt.datetime
    admitted_by: str
    ended_at: dt.datetime | None
    location: str
    block: str
    flags: tuple[str, ...]
    documents: tuple[DocumentView, ...]
    passes: tuple[PassView, ...]
    stages: tuple[StageView, ...]
    movements: tuple[MovementView, ...]
    other_episodes: tuple[EpisodeView, ...]
    photo: bytes | None = field(default=None, repr=False)
    photo_mime: str = ""
    property: tuple[PropertyView, ...] = ()  # in the order received
    cash: tuple[CashView, ...] = ()  # in the order of the entries
    cash_balance: Decimal = Decimal("0.00")  # the sum of ``cash``: what the depot holds
    family: tuple[FamilyView, ...] = ()  # links made from either side
    visits: tuple[VisitView, ...] = ()  # most recent first
    death: DeathView | None = None
    away_reason: str = ""  # court, hospital, embassy while out of the depot
    cell_id: int | None = None
    cell_label: str = ""  # the cell held in, or kept while away: "Blok A / A-01"
    cell_in_service: bool = True  # False: the cell was taken out of service (move them)
    cell_out_of_service_reason: str = ""
    # Outcomes for everyone; each examination's findings only for medical staff.
    medical: MedicalRecordView | None = None


@dataclass(frozen=True)
class CountLine:
    label: str
    count: int


@dataclass(frozen=True)
class DashboardView:
    depot_name: str
    as_of: dt.datetime
    in_custody: int
    admitted_today: int
    left_today: int
    men: int
    women: int
    boys: int
    girls: int
    capacity: int
    cells_out_of_service: int
    unallocated: int
    out_of_depot: int
    by_nationality: tuple[CountLine, ...]
    by_block: tuple[CountLine, ...]
    recent_admissions: tuple[DetaineeRow, ...]
    vulnerable: int
    vacancies: int = 0  # the roll's: free places in cells in service (kept places are not)
    # Medical outcomes (never findings): admission screenings past due, those required to
    # be isolated who are not yet in an isolation cell, hospital referrals awaiting escort
    # and examinations past their due time.
    screenings_overdue: tuple[BoardRow, ...] = ()
    isolation_pending: int = 0
    referrals_pending: int = 0
    follow_ups_overdue: int = 0
    # The custody deadlines (overdue, due today, tomorrow, this week; productions per
    # court this week), as the main window's badge counts them.
    deadlines: DeadlineSummary | None = None


@dataclass(frozen=True)
class CellView:
    """One cell: ``occupancy`` counts detentions in custody whose current cell it is
    (including any away at court or hospital: their place is kept); ``reason`` is why the
    cell is out of service. Give ``version`` back with an edit."""

    id: int
    block_id: int
    code: str
    label: str  # "Blok A / A-01", as wardens say it
    capacity: int
    category: str
    category_label: str
    in_service: bool
    reason: str
    occupancy: int
    version: int


@dataclass(frozen=True)
class BlockView:
    id: int
    code: str
    name: str
    version: int
    cells: tuple[CellView, ...] = ()


@dataclass(frozen=True)
class VisitView:
    """One visit to a detainee: who came (and for whom they came), when, under which
    approval, and the officer present."""

    id: int
    detention_id: int
    kind: str  # consular, family, lawyer, ngo
    visitor: str
    organisation: str
    approval_ref: str
    relation: str
    officer_present: str
    notes: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    recorded_by: str


@dataclass(frozen=True)
class DeathView:
    died_at: dt.datetime
    place_kind: str  # depot, hospital
    place: str
    cause_certified: str
    certified_by: str
    post_mortem_ref: str
    recorded_by: str
    notifications: tuple[tuple[str, dt.datetime, str], ...]  # (whom, when, means)


@dataclass(frozen=True)
class RollLine:
    """One line of the establishment roll: a block, reception, or the whole depot.

    ``in_cell`` are in this block's cells now; ``out`` are away (court, hospital, embassy)
    with their place kept here, broken down in ``out_by_reason``; ``unallocated`` are in
    reception with no cell yet. ``on_roll = in_cell + out + unallocated``. Capacity counts
    in-service cells only; ``vacancies`` are free places in them (a place kept for someone
    away is not free); ``over_capacity`` are detainees beyond capacity in overcrowded
    in-service cells (held there on an officer's override); ``held_out_of_service`` are on
    the roll of cells taken out of service (they have to be moved). So the places taken,
    ``capacity - vacancies + over_capacity + held_out_of_service``, are ``in_cell`` plus
    those away from a cell."""

    key: str  # block code, "" for reception, "*" for the whole depot
    name: str
    capacity: int
    in_cell: int
    out: int
    out_by_reason: tuple[CountLine, ...]
    unallocated: int
    vacancies: int
    over_capacity: int
    overcrowded_cells: tuple[str, ...]  # in-service cells holding more than their places
    cells: int
    cells_out_of_service: int
    men: int
    women: int
    boys: int
    girls: int

    held_out_of_service: int = 0  # on the roll of cells taken out of service (to be moved)
    closed_cells: tuple[str, ...] = ()  # those cells

    @property
    def on_roll(self) -> int:
        return self.in_cell + self.out + self.unallocated


@dataclass(frozen=True)
class RollView:
    depot_name: str
    as_of: dt.datetime
    blocks: tuple[RollLine, ...]  # by block code; reception last when anyone is there
    total: RollLine
    by_nationality: tuple[CountLine, ...]  # every nationality held, most first


@dataclass(frozen=True)
class CountEntryView:
    detention_id: int
    detainee_no: str
    full_name: str
    location: str  # where the detainee is now
    expected: bool
    counted_at: dt.datetime | None
    counted_by: str  # scan, hand, ""
    resolution: str
    cell: str = ""  # the cell held in when the count started (an unexpected one: when seen)
    away_at_start: bool = False  # on the block's roll but out of the depot at the start
    back_unseen: bool = False  # away at the start, back in the block now, not counted
    away_now: bool = False  # recorded as out of the depot now (court, hospital, embassy)

    @property
    def discrepancy(self) -> str:
        """"missing" (expected, or back in the block since, and not counted),
        "unexpected" (counted here but not on the block's roll at the start, or recorded as
        out of the depot: the record and the count disagree), or "" for an entry that adds
        up or someone still away."""
        if self.counted_at is None and (self.expected or self.back_unseen):
            return "missing"
        if self.counted_at is not None and (self.away_now or not (self.expected
                                                                   or self.away_at_start)):
            return "unexpected"
        return ""


@dataclass(frozen=True)
class HeadcountView:
    id: int
    version: int
    block_id: int | None
    block_name: str
    status: str  # open, closed
    started_at: dt.datetime
    started_by: str
    closed_at: dt.datetime | None
    closed_by: str
    entries: tuple[CountEntryView, ...]
    away: tuple[CountEntryView, ...] = ()  # on the block's roll but out now: not expected

    @property
    def expected(self) -> int:
        return sum(1 for e in self.entries if e.expected)

    @property
    def counted(self) -> int:
        return sum(1 for e in self.entries if e.counted_at is not None)

    @property
    def missing(self) -> tuple[CountEntryView, ...]:
        return tuple(e for e in self.entries if e.discrepancy == "missing")

    @property
    def unexpected(self) -> tuple[CountEntryView, ...]:
        return tuple(e for e in self.entries if e.discrepancy == "unexpected")


@dataclass(frozen=True)
class CountDueView:
    """When a block was last counted and when the next count is due."""

    block_id: int
    block_code: str
    block_name: str
    last_closed_at: dt.datetime | None
    due_at: dt.datetime | None  # None: never counted, due now
    overdue: bool
    open_count_id: int | None


@dataclass(frozen=True)
class PropertyOutstandingRow:
    """A detainee who has left while the depot still holds their property or cash."""

    detainee: DetaineeRow
    items_held: int
    cash_held: Decimal
    left_at: dt.datetime | None = None
