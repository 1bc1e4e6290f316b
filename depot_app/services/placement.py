"""Placement rules: which detainee may be placed in which cell.

The categories and who each holds are one table (``CATEGORY_RULES``) in words a warden
reads; ``rule_problems`` applies it to a detainee and a cell without touching the
database. A wrong category or a cell out of service is never overridden; a full cell
takes an officer's override (``Permission.OVERRIDE_CAPACITY``) with a reason.

Whether a medical outcome requires isolation is the latest examination's word
(``medical.status.isolation_required``); tests may pass it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Block, Cell, Detention, FamilyLink, Person
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services.medical.status import isolation_required
from depot_app.services.places import cell_words
from depot_app.services.setup import current_depot


@dataclass(frozen=True)
class CategoryRule:
    label: str
    holds: str  # who the cell is for, as a warden says it
    sexes: frozenset[str] | None  # None: any
    adults: bool
    minors: bool
    family_only: bool  # only detainees with a family member held here
    isolation: bool  # only (and all) detainees a medical outcome requires to be isolated


CATEGORY_RULES: dict[str, CategoryRule] = {
    "adult_male": CategoryRule("Adult male", "men aged 18 and over",
                               frozenset({"M"}), True, False, False, False),
    "adult_female": CategoryRule("Adult female", "women aged 18 and over",
                                 frozenset({"F"}), True, False, False, False),
    "family": CategoryRule("Family", "a family held together: parents with their children",
                           None, True, True, True, False),
    "juvenile": CategoryRule("Juvenile", "children under 18 not held with their family",
                             None, False, True, False, False),
    "medical_isolation": CategoryRule("Medical isolation",
                                      "detainees a medical outcome requires to be isolated",
                                      None, True, True, False, True),
}

SEX_WORDS = {"M": "a man", "F": "a woman"}


@dataclass(frozen=True)
class Subject:
    """What the rules need to know about the detainee."""

    sex: str  # M, F, X
    is_minor: bool
    has_family_link: bool  # a family member is held here now
    needs_isolation: bool = False
    # Family members held in a family cell now: (detainee number, cell id, cell label).
    family_in_family_cells: tuple[tuple[str, int, str], ...] = ()
    current_cell_id: int | None = None


@dataclass(frozen=True)
class Place:
    id: int
    label: str
    category: str
    capacity: int
    occupancy: int
    in_service: bool
    out_of_service_reason: str = ""


@dataclass(frozen=True)
class Problem:
    code: str  # wrong_category, out_of_service, full
    words: str

    @property
    def overridable(self) -> bool:
        return self.code == "full"


def category_label(category: str) -> str:
    rule = CATEGORY_RULES.get(category)
    return rule.label if rule else category


def _labels(keep) -> str:
    return " or ".join(r.label.lower() for r in CATEGORY_RULES.values() if keep(r))


def rule_problems(subject: Subject, cell: Place) -> list[Problem]:
    """Every reason ``subject`` may not go into ``cell`` (empty: the placement is fine)."""
    rule = CATEGORY_RULES.get(cell.category)
    found: list[Problem] = []

    def wrong(words: str) -> None:
        found.append(Problem("wrong_category", words))

    if rule is None:
        wrong(f"Cell {cell.label} has no known category ({cell.category!r})")
    elif subject.needs_isolation and not rule.isolation:
        wrong(f"A medical outcome requires isolation: place the detainee in a medical "
              f"isolation cell, not the {rule.label.lower()} cell {cell.label}")
    elif rule.isolation and not subject.needs_isolation:
        wrong(f"Cell {cell.label} is for {rule.holds}; no medical outcome requires this "
              f"detainee to be isolated")
    elif not rule.isolation:
        if rule.sexes is not None and subject.sex not in rule.sexes:
            who = SEX_WORDS.get(subject.sex, "recorded as neither male nor female")
            wrong(f"Cell {cell.label} is for {rule.holds}; this detainee is {who}")
        if subject.is_minor and not rule.minors:
            wrong(f"A minor may be placed only in a {_labels(lambda r: r.minors and not r.isolation)}"
                  f" cell, not the {rule.label.lower()} cell {cell.label}")
        if not subject.is_minor and not rule.adults:
            wrong(f"Cell {cell.label} is for {rule.holds}; this detainee is an adult")
        if rule.family_only and not subject.has_family_link:
            wrong(f"Cell {cell.label} is for {rule.holds}; this detainee has no family member "
                  f"held here")
        if rule.family_only:
            apart = [f"{no} ({label})" for no, cell_id, label in subject.family_in_family_cells
                     if cell_id != cell.id]
            if apart:
                wrong(f"Keep the family together: family already placed in another family "
                      f"cell: {', '.join(apart)}")
    if not cell.in_service:
        why = f": {cell.out_of_service_reason}" if cell.out_of_service_reason else ""
        found.append(Problem("out_of_service", f"Cell {cell.label} is out of service{why}"))
    others = cell.occupancy - (1 if subject.current_cell_id == cell.id else 0)
    if others + 1 > cell.capacity:
        found.append(Problem("full", f"Cell {cell.label} is full ({others} held, capacity "
                                     f"{cell.capacity}): an officer's override with a reason "
                                     f"is needed"))
    return found


def occupancy(uow: UnitOfWork, cell_id: int) -> int:
    return uow.session.scalar(select(func.count(Detention.id)).where(
        Detention.status == "in_custody", Detention.current_cell_id == cell_id)) or 0


def place(uow: UnitOfWork, cell_id: int) -> Place:
    found = uow.session.execute(select(Cell, Block.name).join(Block, Block.id == Cell.block_id)
                                .where(Cell.id == cell_id)).first()
    if found is None:
        raise NotFound("cell", cell_id)
    cell, block_name = found
    return Place(cell.id, cell_words(block_name, cell.code), cell.category, cell.capacity,
                 occupancy(uow, cell.id), cell.in_service, cell.out_of_service_reason)


def _family_cells(uow: UnitOfWork, related_ids) -> tuple[list, tuple[tuple[str, int, str], ...]]:
    """The family members held here now, and those of them placed in a family cell."""
    family = uow.session.execute(
        select(Detention.detainee_no, Detention.current_cell_id, Cell.category, Cell.code,
               Block.name)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .outerjoin(Block, Block.id == Cell.block_id)
        .where(Detention.id.in_(related_ids), Detention.status == "in_custody")
        .order_by(Detention.detainee_no)).all()
    in_family_cells = tuple((no, cell_id, cell_words(block, code))
                            for no, cell_id, category, code, block in family
                            if category == "family")
    return family, in_family_cells


def admission_subject(uow: UnitOfWork, sex: str, is_minor: bool,
                      family_ids: tuple[int, ...]) -> Subject:
    """The subject of a detainee being admitted, linked to these detentions' family."""
    family, in_family_cells = _family_cells(uow, family_ids) if family_ids else ([], ())
    return Subject(sex, is_minor, bool(family), False, in_family_cells, None)


def _subject(uow: UnitOfWork, detention_id: int, needs_isolation: bool | None) -> Subject:
    """What the rules need of this detainee; isolation from the medical outcome unless
    given."""
    s = uow.session
    if needs_isolation is None:
        needs_isolation = isolation_required(uow, detention_id)
    found = s.execute(select(Detention, Person.sex).join(Person, Person.id == Detention.person_id)
                      .where(Detention.id == detention_id)).first()
    if found is None:
        raise NotFound("detention", detention_id)
    detention, sex = found
    linked = select(FamilyLink.related_detention_id).where(
        FamilyLink.detention_id == detention_id).union(
        select(FamilyLink.detention_id).where(FamilyLink.related_detention_id == detention_id))
    related = [i for i in s.scalars(linked) if i != detention_id]
    family, in_family_cells = _family_cells(uow, related) if related else ([], ())
    return Subject(sex, detention.is_minor, bool(family), needs_isolation, in_family_cells,
                   detention.current_cell_id)


def problems(uow: UnitOfWork, detention_id: int, cell_id: int, *,
             needs_isolation: bool | None = None) -> list[Problem]:
    return rule_problems(_subject(uow, detention_id, needs_isolation), place(uow, cell_id))


def placement_problems(uow: UnitOfWork, detention_id: int, cell_id: int, *,
                       needs_isolation: bool | None = None) -> list[str]:
    """In words, every reason the detainee may not be placed in the cell (empty: fine)."""
    return [p.words for p in problems(uow, detention_id, cell_id,
                                      needs_isolation=needs_isolation)]


def check_placement(uow: UnitOfWork, actor: Actor, detention_id: int, cell_id: int, *,
                    needs_isolation: bool | None = None, override_reason: str = "") -> tuple[str, ...]:
    """Refuse a placement with ``ValidationError`` on ``cell_id`` naming every problem.

    An ``override_reason`` from an actor holding ``OVERRIDE_CAPACITY`` lets a full cell
    through (never a wrong category or a cell out of service); anyone else gets
    ``PermissionDenied``. What was overridden is returned, for the caller to record with
    the movement and its audit event."""
    found = problems(uow, detention_id, cell_id, needs_isolation=needs_isolation)
    reason = (override_reason or "").strip()
    errors: dict[str, str] = {}
    blocking = [p for p in found if not (p.overridable and reason)]
    if blocking:
        errors["cell_id"] = "; ".join(p.words for p in blocking)
    overridden = tuple(p.words for p in found if p.overridable and reason)
    if reason and len(reason) > 500:
        errors["override_reason"] = "Override reason is longer than 500 characters"
    if errors:
        raise ValidationError(errors)
    if overridden:
        actor.require(Permission.OVERRIDE_CAPACITY)
    return overridden


@dataclass(frozen=True)
class CellChoice:
    """A cell offered for a detainee: fine when ``problems`` is empty; ``needs_override``
    when the only problem is that it is full (an officer may place with a reason)."""

    cell_id: int
    label: str
    category: str
    category_label: str
    capacity: int
    occupancy: int
    in_service: bool
    problems: tuple[str, ...]
    needs_override: bool
    current: bool  # where the detainee is now


def choices_for(uow: UnitOfWork, actor: Actor, detention_id: int, *,
                needs_isolation: bool | None = None) -> tuple[CellChoice, ...]:
    """Every cell of the depot for this detainee, suitable ones first, each with what
    stands against it, in the words the move would refuse with."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    subject = _subject(uow, detention_id, needs_isolation)
    held = dict(s.execute(select(Detention.current_cell_id, func.count(Detention.id))
                          .where(Detention.status == "in_custody",
                                 Detention.current_cell_id.is_not(None))
                          .group_by(Detention.current_cell_id)).all())
    out = []
    for cell, block_name in s.execute(
            select(Cell, Block.name).join(Block, Block.id == Cell.block_id)
            .where(Block.depot_id == current_depot(uow).id).order_by(Block.code, Cell.code)):
        place = Place(cell.id, cell_words(block_name, cell.code), cell.category, cell.capacity,
                      held.get(cell.id, 0), cell.in_service, cell.out_of_service_reason)
        found = rule_problems(subject, place)
        out.append(CellChoice(cell.id, place.label, cell.category, category_label(cell.category),
                              cell.capacity, place.occupancy, cell.in_service,
                              tuple(p.words for p in found),
                              bool(found) and all(p.overridable for p in found),
                              cell.id == subject.current_cell_id))
    return tuple(sorted(out, key=lambda c: (bool(c.problems) and not c.needs_override,
                                            bool(c.problems))))
