"""Frozen read models: what leaves the service layer instead of ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from depot_app.actor import Role


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


@dataclass(frozen=True)
class StageView:
    section: str
    authority: str
    reference: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None


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

    @property
    def vacancies(self) -> int:
        return max(self.capacity - (self.in_custody - self.out_of_depot - self.unallocated), 0)


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
