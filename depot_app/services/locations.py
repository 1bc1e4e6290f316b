"""Locations: the depot's blocks and cells, their capacity, category and service state.

Administrators manage them (``Permission.MANAGE_LOCATIONS``); every change is audited
with before and after. Edits of a cell carry the version the user saw: a cell changed
meanwhile at another workstation gives ``ConflictError``. A cell's capacity may not fall
below the number held in it now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Block, Cell, Detention
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, NotFound, ValidationError, Validator
from depot_app.readmodels import BlockView, CellView
from depot_app.services.placement import CATEGORY_RULES, category_label, occupancy
from depot_app.services.places import cell_words
from depot_app.services.setup import current_depot

__all__ = ["BlockInput", "CellInput", "MAX_CAPACITY", "add_block", "add_cell",
           "change_capacity", "list_locations", "set_in_service"]

MAX_CAPACITY = 500
CODE_LEN = 16
NAME_LEN = 80
REASON_LEN = 500
CODE = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


@dataclass(frozen=True)
class BlockInput:
    code: str
    name: str


@dataclass(frozen=True)
class CellInput:
    block_id: int
    code: str
    capacity: int
    category: str


def _code(v: Validator, value: str, label: str) -> str:
    code = v.require("code", value, max_len=CODE_LEN, label=label).upper()
    if code and len(code) <= CODE_LEN and not CODE.match(code):
        v.add("code", f"{label} may use only letters, digits, '-', '.' and '/', "
                      "starting with a letter or digit")
    return code


def _capacity(v: Validator, value: object) -> int:
    """A whole number of places, 0 to ``MAX_CAPACITY`` (digits typed as text accepted)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        v.add("capacity", "Capacity must be a whole number of places")
        return 0
    if not 0 <= value <= MAX_CAPACITY:
        v.add("capacity", f"Capacity must be between 0 and {MAX_CAPACITY} places")
    return value


def _reason(v: Validator, value: str, *, required: bool, label: str) -> str:
    if required:
        return v.require("reason", value, max_len=REASON_LEN, label=label)
    reason = (value or "").strip()
    if len(reason) > REASON_LEN:
        v.add("reason", f"{label} is longer than {REASON_LEN} characters")
    return reason


def _cell_view(cell: Cell, block_name: str, held: int) -> CellView:
    return CellView(id=cell.id, block_id=cell.block_id, code=cell.code,
                    label=cell_words(block_name, cell.code), capacity=cell.capacity,
                    category=cell.category, category_label=category_label(cell.category),
                    in_service=cell.in_service, reason=cell.out_of_service_reason,
                    occupancy=held, version=cell.version)


def _cell_state(cell: Cell) -> dict[str, object]:
    return {"code": cell.code, "capacity": cell.capacity, "category": cell.category,
            "in_service": cell.in_service, "out_of_service_reason": cell.out_of_service_reason}


def _cell_for_update(uow: UnitOfWork, cell_id: int, expected_version: int) -> tuple[Cell, str]:
    """The cell of this depot, locked until the unit of work ends; a stale version refused."""
    depot_id = current_depot(uow).id
    found = uow.session.execute(
        select(Cell, Block.name).join(Block, Block.id == Cell.block_id)
        .where(Cell.id == cell_id, Block.depot_id == depot_id)
        .with_for_update(of=Cell)).first()
    if found is None:
        raise NotFound("cell", cell_id)
    cell, block_name = found
    if cell.version != expected_version:
        raise ConflictError(f"cell {cell_words(block_name, cell.code)} was changed at another "
                            f"workstation; reload it and try again")
    return cell, block_name


def add_block(uow: UnitOfWork, actor: Actor, request: BlockInput) -> Result[BlockView]:
    actor.require(Permission.MANAGE_LOCATIONS)
    depot_id = current_depot(uow).id
    v = Validator()
    code = _code(v, request.code, "Block code")
    name = v.require("name", request.name, max_len=NAME_LEN, label="Block name")
    s = uow.session
    if "code" not in v.errors and s.scalar(select(Block.id).where(
            Block.depot_id == depot_id, func.upper(Block.code) == code)):
        v.add("code", f"This depot already has a block {code}")
    if "name" not in v.errors and s.scalar(select(Block.id).where(
            Block.depot_id == depot_id, func.lower(Block.name) == name.lower())):
        v.add("name", f"This depot already has a block named {name}")
    v.check()
    block = Block(depot_id=depot_id, code=code, name=name)
    s.add(block)
    s.flush()
    uow.record(actor, "block.add", "block", block.id, None, {"code": code, "name": name})
    uow.touch(Changes.of(areas.LOCATIONS))
    return Result(BlockView(block.id, block.code, block.name, block.version), uow.changes)


def add_cell(uow: UnitOfWork, actor: Actor, request: CellInput) -> Result[CellView]:
    actor.require(Permission.MANAGE_LOCATIONS)
    depot_id = current_depot(uow).id
    s = uow.session
    v = Validator()
    block = s.scalar(select(Block).where(Block.id == request.block_id,
                                         Block.depot_id == depot_id))
    if block is None:
        v.add("block_id", f"There is no block with id {request.block_id} in this depot")
    code = _code(v, request.code, "Cell code")
    capacity = _capacity(v, request.capacity)
    category = (request.category or "").strip().lower()
    if category not in CATEGORY_RULES:
        v.add("category", f"{request.category!r} is not a cell category ("
                          + ", ".join(r.label.lower() for r in CATEGORY_RULES.values()) + ")")
    if block is not None and "code" not in v.errors and s.scalar(select(Cell.id).where(
            Cell.block_id == block.id, func.upper(Cell.code) == code)):
        v.add("code", f"Block {block.name} already has a cell {code}")
    v.check()
    assert block is not None
    cell = Cell(block_id=block.id, code=code, capacity=capacity, category=category,
                in_service=True, out_of_service_reason="")
    s.add(cell)
    s.flush()
    uow.record(actor, "cell.add", "cell", cell.id, None,
               {"block": block.code, **_cell_state(cell)})
    uow.touch(Changes.of(areas.LOCATIONS))
    return Result(_cell_view(cell, block.name, 0), uow.changes)


def change_capacity(uow: UnitOfWork, actor: Actor, cell_id: int, capacity: int, reason: str,
                    expected_version: int) -> Result[CellView]:
    """Set a cell's capacity; refused below the number held there now."""
    actor.require(Permission.MANAGE_LOCATIONS)
    v = Validator()
    new = _capacity(v, capacity)
    why = _reason(v, reason, required=True, label="Reason for the change")
    v.check()
    cell, block_name = _cell_for_update(uow, cell_id, expected_version)
    held = occupancy(uow, cell.id)
    if new < held:
        raise ValidationError({"capacity": (
            f"{held} detainee{'s are' if held != 1 else ' is'} held in cell {block_name} / "
            f"{cell.code} now: its capacity cannot be less than {held} until "
            f"{'they are' if held != 1 else 'the detainee is'} moved")})
    if new == cell.capacity:
        return Result(_cell_view(cell, block_name, held), Changes())
    before = {"capacity": cell.capacity}
    cell.capacity = new
    uow.session.flush()
    uow.record(actor, "cell.capacity", "cell", cell.id, before,
               {"capacity": new, "reason": why, "occupancy": held})
    uow.touch(Changes.of(areas.LOCATIONS))
    return Result(_cell_view(cell, block_name, held), uow.changes)


def set_in_service(uow: UnitOfWork, actor: Actor, cell_id: int, in_service: bool, reason: str,
                   expected_version: int) -> Result[CellView]:
    """Take a cell out of service (a reason is required) or return it to service.

    Taking an occupied cell out of service is allowed (a flood does not wait); nobody
    more can be placed there, and ``occupancy`` shows who still has to be moved."""
    actor.require(Permission.MANAGE_LOCATIONS)
    v = Validator()
    why = _reason(v, reason, required=not in_service,
                  label="Reason for taking the cell out of service")
    v.check()
    cell, block_name = _cell_for_update(uow, cell_id, expected_version)
    held = occupancy(uow, cell.id)
    new_reason = "" if in_service else why
    if cell.in_service == in_service and cell.out_of_service_reason == new_reason:
        return Result(_cell_view(cell, block_name, held), Changes())
    before = {"in_service": cell.in_service, "out_of_service_reason": cell.out_of_service_reason}
    cell.in_service = in_service
    cell.out_of_service_reason = new_reason
    uow.session.flush()
    after: dict[str, object] = {"in_service": in_service, "out_of_service_reason": new_reason,
                                "occupancy": held}
    if in_service and why:
        after["reason"] = why
    uow.record(actor, "cell.in_service" if in_service else "cell.out_of_service", "cell",
               cell.id, before, after)
    uow.touch(Changes.of(areas.LOCATIONS))
    return Result(_cell_view(cell, block_name, held), uow.changes)


def list_locations(uow: UnitOfWork, actor: Actor) -> tuple[BlockView, ...]:
    """Every block of the depot with its cells and how many are held in each."""
    actor.require(Permission.VIEW_DETAINEES)
    depot_id = current_depot(uow).id
    s = uow.session
    held = dict(s.execute(
        select(Detention.current_cell_id, func.count(Detention.id))
        .where(Detention.status == "in_custody", Detention.current_cell_id.is_not(None))
        .group_by(Detention.current_cell_id)).tuples().all())
    blocks = s.scalars(select(Block).where(Block.depot_id == depot_id)
                       .order_by(Block.code)).all()
    cells: dict[int, list[CellView]] = {b.id: [] for b in blocks}
    names = {b.id: b.name for b in blocks}
    for cell in s.scalars(select(Cell).where(Cell.block_id.in_(names)).order_by(Cell.code)):
        cells[cell.block_id].append(_cell_view(cell, names[cell.block_id], held.get(cell.id, 0)))
    return tuple(BlockView(b.id, b.code, b.name, b.version, tuple(cells[b.id])) for b in blocks)
