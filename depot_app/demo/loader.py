"""Fill an empty database with a plausible depot: blocks and cells, one user per role and
detainees admitted through the real admission service (numbered and audited as at intake).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from db.models import Block, Depot, Detention, PropertyItem, User
from depot_app import passwords
from depot_app.actor import Actor, Permission, Role, this_workstation
from depot_app.database import Database, UnitOfWork
from depot_app.demo import court_replay
from depot_app.demo.layout import BlockSpec, plan_layout
from depot_app.demo.medical import ENDINGS, EXAMINER, travel_until
from depot_app.demo.names import STAFF
from depot_app.demo.plan import Planned, expected_by_category, plan_people
from depot_app.demo.story import WARDEN, Event
from depot_app.errors import ConflictError, ValidationError
from depot_app.services import (
    admission,
    departures,
    locations,
    movements,
    outings,
    setup,
    users,
)
from depot_app.services.admission import FamilyInput
from depot_app.services.departures import DischargeRequest
from depot_app.services.medical import exams
from depot_app.services.medical.exams import ExamRequest, FindingsInput, OutcomeInput
from depot_app.services.movements import MoveRequest
from depot_app.services.outings import OutRequest, ReturnRequest
from depot_app.services.property import PropertyReturn

DEPOT = ("SMY", "Depot Imigresen Semenyih", "Selangor",
         "Depot Imigresen Semenyih, Jalan Sungai Tekali, 43500 Semenyih, Selangor")
BATCH = 100
MAX_DETAINEES = 100_000


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    roles: tuple[str, ...]
    password: str


@dataclass(frozen=True)
class DemoReport:
    seed: int
    depot_code: str
    depot_name: str
    users: tuple[DemoUser, ...]
    detainees: int
    in_custody: int
    released: int
    removed: int
    blocks: int
    cells: int
    capacity: int
    first_no: str | None
    last_no: str | None
    as_of: dt.datetime
    seconds: float
    transferred: int = 0  # to prison on conviction


def load_demo(db: Database, detainees: int, seed: int | None = None,
              password: str | None = None, *, now: dt.datetime | None = None,
              batch: int = BATCH, progress: Callable[[int, int], None] | None = None,
              workstation: str | None = None, admin: Actor | None = None) -> DemoReport:
    """Load the demonstration depot into an empty database, or into one that has just been
    through first-run set-up (a depot and its administrator, no blocks and no detainees yet):
    then ``admin`` is the logged-in administrator, and the depot's own code and name are kept.

    ``seed`` None picks one (the report gives it back); the same seed and ``now`` give the
    same depot. ``password`` is every new user's password; None gives each a random one.
    ``progress(done, total)`` is called after each batch of admissions.
    """
    started = time.perf_counter()
    problems = {}
    if not 0 <= detainees <= MAX_DETAINEES:
        problems["detainees"] = f"The number of detainees must be 0 to {MAX_DETAINEES}"
    if password is not None and (problem := passwords.password_problem(password)):
        problems["password"] = f"Password {problem}"
    if problems:
        raise ValidationError(problems)
    with db.read() as uow:
        depot = uow.session.scalar(select(Depot.code).limit(1))
        has_users = uow.session.scalar(select(func.count()).select_from(User))
        has_blocks = uow.session.scalar(select(func.count()).select_from(Block))
        has_detentions = uow.session.scalar(select(func.count()).select_from(Detention))
    fresh = depot is None and not has_users
    if not fresh:
        if has_blocks or has_detentions or depot is None:
            raise ConflictError(
                f"this database already holds {'detainees' if has_detentions else 'cells'} "
                f"{f'for depot {depot}' if depot else ''}; demonstration data goes only into an "
                "empty database or one just set up")
        if admin is None:
            raise ConflictError("this database is set up: log in as its administrator to load "
                                "demonstration data into it")
        admin.require(Permission.LOAD_DEMO)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    now = (now or db.clock.now()).astimezone(dt.UTC)
    rng = random.Random(seed)
    blocks = plan_layout(rng, expected_by_category(detainees))
    planned = plan_people(rng, now, detainees, blocks)
    station = workstation or this_workstation()
    staff = tuple(DemoUser(u, n, r, password or secrets.token_urlsafe(9)) for u, n, r in STAFF)

    with db.write() as uow:
        if fresh:
            actors = _create_depot(uow, staff[0], station)
        else:
            assert admin is not None
            existing = set(uow.session.scalars(select(User.username)))
            staff = tuple(u for u in staff[1:] if u.username not in existing)
            actors = {"admin": admin}
        cell_ids = _lay_out(uow, actors["admin"], blocks)
        actors.update(_add_staff(uow, actors["admin"], staff if not fresh else staff[1:],
                                 station))
        actors.update(_existing_actors(uow, station, actors))
        depot_code, depot_name = uow.session.execute(
            select(Depot.code, Depot.name).order_by(Depot.id).limit(1)).one()
    ids: list[int] = []
    numbers: list[str] = []
    for start in range(0, len(planned), batch):
        with db.write() as uow:
            for p in planned[start:start + batch]:
                row = _admit(uow, actors, p, planned, ids, numbers, cell_ids)
                ids.append(row.id)
                numbers.append(row.detainee_no)
        if progress is not None:
            progress(len(ids), len(planned))
    for start in range(0, len(planned), batch):
        with db.write() as uow:
            for i in range(start, min(start + batch, len(planned))):
                _story(uow, actors, ids[i], planned[i], cell_ids)

    ended = [p.events[-1].kind for p in planned if p.events and p.events[-1].kind in ENDINGS]
    capacity = sum(c.capacity for b in blocks for c in b.cells if c.in_service)
    return DemoReport(
        seed=seed, depot_code=depot_code, depot_name=depot_name, users=staff,
        detainees=len(planned), in_custody=len(planned) - len(ended),
        released=ended.count("release"), removed=ended.count("removal"),
        transferred=ended.count("transfer"), blocks=len(blocks),
        cells=sum(len(b.cells) for b in blocks), capacity=capacity,
        first_no=min(numbers) if numbers else None, last_no=max(numbers) if numbers else None,
        as_of=now, seconds=time.perf_counter() - started,
    )


def _create_depot(uow: UnitOfWork, admin: DemoUser, station: str) -> dict[str, Actor]:
    code, name, state, address = DEPOT
    setup.first_run(uow, setup.FirstRunRequest(code, name, state, admin.username,
                                               admin.full_name, admin.password, admin.password),
                    workstation=station)
    s = uow.session
    admin_user = s.scalars(select(User).where(User.username == admin.username)).one()
    actor = Actor(admin_user.id, admin.username, admin.full_name, frozenset({Role.ADMIN}),
                  station)
    depot = s.scalars(select(Depot).where(Depot.code == code)).one()
    depot.address = address
    uow.record(actor, "depot.update", "depot", depot.id, {"address": ""}, {"address": address})
    return {"admin": actor}


def _lay_out(uow: UnitOfWork, admin: Actor, blocks: list[BlockSpec]) -> dict[tuple[str, str], int]:
    """Blocks and cells through the locations service, as an administrator sets them up."""
    cell_ids: dict[tuple[str, str], int] = {}
    for spec in blocks:
        block = locations.add_block(uow, admin, locations.BlockInput(spec.code, spec.name)).value
        for c in spec.cells:
            cell = locations.add_cell(uow, admin, locations.CellInput(
                block.id, c.key[1], c.capacity, c.category)).value
            if not c.in_service:
                locations.set_in_service(uow, admin, cell.id, False, c.reason, cell.version)
            cell_ids[c.key] = cell.id
    return cell_ids


def _add_staff(uow: UnitOfWork, admin: Actor, staff: tuple[DemoUser, ...],
               station: str) -> dict[str, Actor]:
    actors = {}
    for member in staff:
        roles = tuple(Role(r) for r in member.roles)
        view = users.add_user(uow, admin, users.NewUser(
            member.username, member.full_name, roles, member.password)).value
        actors[member.username] = Actor(view.id, view.username, view.full_name,
                                        frozenset(roles), station)
    return actors


def _existing_actors(uow: UnitOfWork, station: str,
                     known: dict[str, Actor]) -> dict[str, Actor]:
    """Demo staff who already had accounts act under those accounts."""
    out = {}
    for username, _name, _roles in STAFF:
        if username in known:
            continue
        user = uow.session.scalars(select(User).where(User.username == username)).first()
        if user is not None:
            out[username] = Actor(user.id, user.username, user.full_name,
                                  frozenset(Role(r.role) for r in user.roles), station)
    return out


def _story(uow: UnitOfWork, actors: dict[str, Actor], detention_id: int, p: Planned,
           cell_ids: dict[tuple[str, str], int]) -> None:
    """Write what happened to one detainee after admission, movement by movement."""
    if not p.events:
        return
    s = uow.session
    d = s.get(Detention, detention_id)
    assert d is not None
    for e in p.events:
        _move(uow, actors[e.by], d, e, cell_ids)


def _move(uow: UnitOfWork, actor: Actor, d: Detention, e: Event,
          cell_ids: dict[tuple[str, str], int]) -> None:
    """One event, through the service a warden or officer would use."""
    if e.kind == "cell_move":
        assert e.to_cell is not None
        movements.move_to_cell(uow, actor, MoveRequest(
            d.id, cell_ids[e.to_cell.key], e.reason, d.version, occurred_at=e.at))
    elif e.kind == "exam":
        _exam(uow, actor, d, e)
    elif e.kind in court_replay.KINDS:
        court_replay.replay(uow, actor, d, e)
    elif e.kind.startswith("out_"):
        outings.go_out(uow, actor, OutRequest(d.id, e.kind.removeprefix("out_"), e.destination,
                                              e.reason, d.version, occurred_at=e.at))
    elif e.kind == "return":
        outings.come_back(uow, actor, ReturnRequest(d.id, d.version, note=e.reason,
                                                    occurred_at=e.at))
    elif e.kind in ENDINGS:
        departures.discharge(uow, actor, DischargeRequest(
            d.id, e.kind, e.authority, e.reason, d.version, document_ref=e.authority,
            destination=e.destination, occurred_at=e.at,
            property=PropertyReturn(item_ids=_held_items(uow, d.id))))
    else:
        raise ValueError(f"the demonstration has no event {e.kind!r}")


def _exam(uow: UnitOfWork, actor: Actor, d: Detention, e: Event) -> None:
    """An examination as the medical officer records it."""
    name, reg_no, kind = EXAMINER
    findings = FindingsInput(
        temperature_c="38.2" if e.condition else "36.8", pulse="84", bp_systolic="124",
        bp_diastolic="78", weight_kg="58.5", communicable=(e.condition,) if e.condition else (),
        tb_symptoms=("cough", "night_sweats") if e.condition == "tb" else (),
        chest_xray="pending" if e.condition == "tb" else "not_taken",
        notes="Rash on both hands and wrists" if e.condition == "scabies" else "")
    if e.exam == "referral":
        outcome = OutcomeInput(isolate=e.isolate, refer_hospital=True, hospital=e.destination,
                               urgency=e.urgency, instructions="Escort with the referral letter")
    elif e.exam == "travel":
        outcome = OutcomeInput(travel="fit", fit_to_travel_until=travel_until(e.at))
    else:
        review = e.at + dt.timedelta(days=7)
        outcome = OutcomeInput(
            # A review a week on; the older ones were held long ago (not left overdue).
            isolate=e.isolate,
            next_due_at=review if e.isolate and review > uow.now() - dt.timedelta(days=2)
            else None,
            instructions="Separate towels and bedding" if e.isolate else "")
    exams.record_exam(uow, actor, ExamRequest(
        d.id, "request" if e.exam == "referral" else e.exam, name, reg_no, kind,
        findings, outcome, examined_at=e.at))


def _held_items(uow: UnitOfWork, detention_id: int) -> tuple[int, ...]:
    return tuple(uow.session.scalars(select(PropertyItem.id).where(
        PropertyItem.detention_id == detention_id, PropertyItem.returned_at.is_(None))))


def _admit(uow: UnitOfWork, actors: dict[str, Actor], p: Planned, planned: list[Planned],
           ids: list[int], numbers: list[str], cell_ids: dict[tuple[str, str], int]):
    """Admit one as a clerk would. A family cell takes only someone with family held here:
    the mother waits at reception until her child is admitted (linked to her), and a warden
    then places her with the child."""
    cell_id = cell_ids[p.cell.key] if p.cell is not None else None
    if p.is_mother:
        cell_id = None
    request = replace(p.request, cell_id=cell_id)
    if p.mother is not None:
        request = replace(request, family=(FamilyInput("parent", numbers[p.mother]),))
    row = admission.admit(uow, actors["clerk1"], request).value
    mother = planned[p.mother] if p.mother is not None else None
    if mother is not None and mother.cell is not None:
        movements.move_to_cell(uow, actors[WARDEN], MoveRequest(
            ids[p.mother], cell_ids[mother.cell.key], "Placed with her child",
            _version(uow, ids[p.mother]), occurred_at=p.request.admitted_at))
    return row


def _version(uow: UnitOfWork, detention_id: int) -> int:
    return uow.session.get(Detention, detention_id).version
