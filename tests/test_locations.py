"""Locations and placement: blocks and cells added and refused, capacity changes audited,
stale edits refused, cells out of service, and every placement rule."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Cell, FamilyLink
from depot_app import audit
from depot_app import changes as areas
from depot_app.actor import Permission, Role
from depot_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from depot_app.services import locations, placement
from depot_app.services.locations import BlockInput, CellInput
from depot_app.services.placement import Place, Subject, rule_problems
from tests import factories
from tests.test_admission import actor_for


@pytest.fixture
def admin(db):
    return actor_for(db, "admin")


def _block(db, admin, code="A", name="Blok A") -> int:
    with db.write() as uow:
        return locations.add_block(uow, admin, BlockInput(code, name)).value.id


def _cell(db, admin, block_id, code="A-01", capacity=4, category="adult_male"):
    with db.write() as uow:
        return locations.add_cell(uow, admin, CellInput(block_id, code, capacity, category)).value


@dataclasses.dataclass(frozen=True)
class Event:
    action: str
    entity: str
    entity_id: str
    username: str
    before: str
    after: str


def _last_event(db) -> Event:
    with db.read() as uow:
        e = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        return Event(e.action, e.entity, e.entity_id, e.username, e.before, e.after)


def _hold(db, cell_id, n, **kw) -> list[int]:
    with db.write() as uow:
        return [factories.detainee(uow, f"Held {i}", cell_id=cell_id, **kw) for i in range(n)]


# --- blocks and cells -------------------------------------------------------------------

def test_add_block_and_cell_listed_and_audited(db, admin):
    with db.write() as uow:
        result = locations.add_block(uow, admin, BlockInput(" b ", "Blok B"))
    assert (result.value.code, result.value.name) == ("B", "Blok B")
    assert result.changes.touches(areas.LOCATIONS)
    cell = _cell(db, admin, result.value.id, code="b-02", capacity="6", category="Juvenile")
    assert (cell.code, cell.capacity, cell.category, cell.label) == ("B-02", 6, "juvenile",
                                                                    "Blok B / B-02")
    event = _last_event(db)
    assert (event.action, event.entity, event.entity_id) == ("cell.add", "cell", str(cell.id))
    assert json.loads(event.after)["capacity"] == 6
    _hold(db, cell.id, 2, minor=True)
    with db.read() as uow:
        blocks = locations.list_locations(uow, actor_for(db, "warden1"))
    [block] = [b for b in blocks if b.id == result.value.id]
    assert [(c.code, c.occupancy, c.in_service, c.category_label) for c in block.cells] == [
        ("B-02", 2, True, "Juvenile")]


def test_duplicates_refused_case_blind(db, admin):
    block_id = _block(db, admin)
    _cell(db, admin, block_id)
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.add_block(uow, admin, BlockInput("a", "blok a"))
    assert set(err.value.fields) == {"code", "name"}
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.add_cell(uow, admin, CellInput(block_id, "a-01", 4, "adult_male"))
    assert set(err.value.fields) == {"code"} and "already has a cell A-01" in str(err.value)
    other = _block(db, admin, "C", "Blok C")
    assert _cell(db, admin, other, code="A-01").code == "A-01"  # same code, another block


def test_every_bad_field_named_and_nothing_written(db, admin):
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.add_block(uow, admin, BlockInput("  ", "x" * 81))
    assert set(err.value.fields) == {"code", "name"}
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.add_cell(uow, admin, CellInput(999_999, "A 01", 501, "dormitory"))
    assert set(err.value.fields) == {"block_id", "code", "capacity", "category"}
    assert "medical isolation" in err.value.fields["category"]
    block_id = _block(db, admin)
    for bad in (-1, 2.5, True, "ten", None):
        with db.write() as uow, pytest.raises(ValidationError) as err:
            locations.add_cell(uow, admin, CellInput(block_id, "A-09", bad, "family"))
        assert set(err.value.fields) == {"capacity"}, bad
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.add_cell(uow, admin, CellInput(block_id, "A-" + "9" * 15, 0, "family"))
    assert "longer than 16" in err.value.fields["code"]
    with db.read() as uow:
        assert uow.session.scalars(select(Cell).where(Cell.block_id == block_id)).all() == []


def test_clerk_cannot_manage_locations_but_may_see_them(db, admin):
    clerk = actor_for(db, "clerk1")
    block_id = _block(db, admin)
    cell = _cell(db, admin, block_id)
    for call in (lambda uow: locations.add_block(uow, clerk, BlockInput("Z", "Blok Z")),
                 lambda uow: locations.add_cell(uow, clerk, CellInput(block_id, "A-02", 4,
                                                                      "adult_male")),
                 lambda uow: locations.change_capacity(uow, clerk, cell.id, 9, "more beds",
                                                       cell.version),
                 lambda uow: locations.set_in_service(uow, clerk, cell.id, False, "leak",
                                                      cell.version)):
        with db.write() as uow, pytest.raises(PermissionDenied):
            call(uow)
    with db.read() as uow:
        assert locations.list_locations(uow, clerk)


# --- capacity and service ---------------------------------------------------------------

def test_capacity_change_audited_with_before_and_after(db, admin):
    cell = _cell(db, admin, _block(db, admin), capacity=4)
    with db.write() as uow:
        result = locations.change_capacity(uow, admin, cell.id, 6, "Two bunks fitted",
                                           cell.version)
    assert result.value.capacity == 6 and result.value.version == cell.version + 1
    assert result.changes.touches(areas.LOCATIONS)
    event = _last_event(db)
    assert (event.action, event.entity_id, event.username) == ("cell.capacity", str(cell.id),
                                                               "admin")
    assert json.loads(event.before) == {"capacity": 4}
    assert json.loads(event.after) == {"capacity": 6, "reason": "Two bunks fitted",
                                       "occupancy": 0}
    with db.read() as uow:
        assert audit.verify(uow.session).ok


def test_capacity_change_needs_a_reason_and_a_whole_number(db, admin):
    cell = _cell(db, admin, _block(db, admin))
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.change_capacity(uow, admin, cell.id, 600, " ", cell.version)
    assert set(err.value.fields) == {"capacity", "reason"}
    with db.write() as uow, pytest.raises(NotFound):
        locations.change_capacity(uow, admin, 999_999, 5, "why", 1)


def test_stale_version_refused(db, admin):
    cell = _cell(db, admin, _block(db, admin))
    with db.write() as uow:
        locations.change_capacity(uow, admin, cell.id, 8, "Refitted", cell.version)
    with db.write() as uow, pytest.raises(ConflictError):
        locations.change_capacity(uow, admin, cell.id, 2, "Mine is older", cell.version)
    with db.write() as uow, pytest.raises(ConflictError):
        locations.set_in_service(uow, admin, cell.id, False, "Leak", cell.version)
    with db.read() as uow:
        assert uow.session.get(Cell, cell.id).capacity == 8


def test_capacity_below_occupancy_refused_naming_the_occupancy(db, admin):
    cell = _cell(db, admin, _block(db, admin), capacity=4)
    _hold(db, cell.id, 3)
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.change_capacity(uow, admin, cell.id, 2, "Smaller", cell.version)
    assert "3 detainees are held" in err.value.fields["capacity"]
    with db.write() as uow:
        assert locations.change_capacity(uow, admin, cell.id, 3, "Exactly full",
                                          cell.version).value.occupancy == 3


def test_out_of_service_needs_a_reason_and_back_in_clears_it(db, admin):
    cell = _cell(db, admin, _block(db, admin))
    with db.write() as uow, pytest.raises(ValidationError) as err:
        locations.set_in_service(uow, admin, cell.id, False, "  ", cell.version)
    assert set(err.value.fields) == {"reason"}
    with db.write() as uow:
        out = locations.set_in_service(uow, admin, cell.id, False, "Roof leaking",
                                       cell.version).value
    assert (out.in_service, out.reason) == (False, "Roof leaking")
    event = _last_event(db)
    assert event.action == "cell.out_of_service"
    assert json.loads(event.before) == {"in_service": True, "out_of_service_reason": ""}
    assert json.loads(event.after)["out_of_service_reason"] == "Roof leaking"
    with db.write() as uow:
        back = locations.set_in_service(uow, admin, cell.id, True, "", out.version).value
    assert (back.in_service, back.reason) == (True, "")
    assert _last_event(db).action == "cell.in_service"
    with db.write() as uow:  # nothing to change: nothing written
        same = locations.set_in_service(uow, admin, cell.id, True, "", back.version)
    assert not same.changes and same.value.version == back.version


# --- placement rules --------------------------------------------------------------------

def _place(category, capacity=4, occupancy=0, in_service=True, cell_id=1) -> Place:
    return Place(cell_id, "Blok A / A-01", category, capacity, occupancy, in_service, "Leak")


MAN = Subject("M", is_minor=False, has_family_link=False)
WOMAN = Subject("F", is_minor=False, has_family_link=False)
BOY = Subject("M", is_minor=True, has_family_link=False)
MOTHER = Subject("F", is_minor=False, has_family_link=True)
GIRL_WITH_FAMILY = Subject("F", is_minor=True, has_family_link=True)
SICK_MAN = Subject("M", is_minor=False, has_family_link=False, needs_isolation=True)


@pytest.mark.parametrize(("subject", "category", "words"), [
    (WOMAN, "adult_male", "this detainee is a woman"),
    (MAN, "adult_female", "this detainee is a man"),
    (Subject("X", False, False), "adult_male", "neither male nor female"),
    (BOY, "adult_male", "A minor may be placed only in a family or juvenile cell"),
    (GIRL_WITH_FAMILY, "adult_female", "A minor may be placed only"),
    (MAN, "juvenile", "this detainee is an adult"),
    (MAN, "family", "no family member held here"),
    (BOY, "family", "no family member held here"),
    (SICK_MAN, "adult_male", "requires isolation"),
    (MAN, "medical_isolation", "no medical outcome requires"),
    (MAN, "dormitory", "no known category"),
])
def test_wrong_category_refused(subject, category, words):
    problems = rule_problems(subject, _place(category))
    assert [p.code for p in problems] == ["wrong_category"]
    assert words in problems[0].words and not problems[0].overridable


@pytest.mark.parametrize(("subject", "category"), [
    (MAN, "adult_male"), (WOMAN, "adult_female"), (BOY, "juvenile"),
    (GIRL_WITH_FAMILY, "family"), (GIRL_WITH_FAMILY, "juvenile"), (MOTHER, "family"),
    (SICK_MAN, "medical_isolation"),
    (Subject("F", True, False, needs_isolation=True), "medical_isolation"),
])
def test_matching_category_accepted(subject, category):
    assert rule_problems(subject, _place(category)) == []


def test_family_kept_together():
    elsewhere = Subject("F", False, True, family_in_family_cells=(("SMY-2026-000007", 2,
                                                                   "Blok F / F-02"),))
    [problem] = rule_problems(elsewhere, _place("family", cell_id=1))
    assert "SMY-2026-000007 (Blok F / F-02)" in problem.words
    assert rule_problems(elsewhere, _place("family", cell_id=2)) == []


def test_out_of_service_and_full_named():
    problems = rule_problems(MAN, _place("adult_male", capacity=2, occupancy=2,
                                         in_service=False))
    assert [p.code for p in problems] == ["out_of_service", "full"]
    assert "out of service: Leak" in problems[0].words
    assert "full (2 held, capacity 2)" in problems[1].words
    # Already in the cell: they do not count against themselves.
    here = Subject("M", False, False, current_cell_id=1)
    assert rule_problems(here, _place("adult_male", capacity=2, occupancy=2)) == []


def test_every_category_has_words_a_warden_reads():
    from db.models.locations import CELL_CATEGORIES
    assert set(placement.CATEGORY_RULES) == set(CELL_CATEGORIES)
    assert all(r.label and r.holds for r in placement.CATEGORY_RULES.values())


# --- placement against the database -----------------------------------------------------

def test_placement_problems_from_the_records(db, admin):
    block_id = _block(db, admin)
    men = _cell(db, admin, block_id, "A-01", 4, "adult_male")
    family = _cell(db, admin, block_id, "A-02", 6, "family")
    other_family = _cell(db, admin, block_id, "A-03", 6, "family")
    with db.write() as uow:
        woman = factories.detainee(uow, "Siti", sex="F")
        mother = factories.detainee(uow, "Mother", sex="F", cell_id=family.id)
        child = factories.detainee(uow, "Child", sex="M", minor=True)
        uow.session.add(FamilyLink(detention_id=child, related_detention_id=mother,
                                   relation="parent"))
    with db.read() as uow:
        assert "a woman" in placement.placement_problems(uow, woman, men.id)[0]
        assert placement.placement_problems(uow, child, family.id) == []
        [apart] = placement.placement_problems(uow, child, other_family.id)
        assert "Keep the family together" in apart
        assert "only in a family or juvenile" in placement.placement_problems(
            uow, child, men.id)[0]
        assert placement.placement_problems(uow, woman, men.id, needs_isolation=True)
        with pytest.raises(NotFound):
            placement.placement_problems(uow, woman, 999_999)


def test_over_capacity_needs_an_officers_override(db, admin):
    cell = _cell(db, admin, _block(db, admin), capacity=2)
    _hold(db, cell.id, 2)
    with db.write() as uow:
        newcomer = factories.detainee(uow, "Newcomer")
    free = _cell(db, admin, _block(db, admin, "F", "Blok F"), "F-01", 4).id
    officer, warden = actor_for(db, "officer1"), actor_for(db, "warden1")
    assert officer.can(Permission.OVERRIDE_CAPACITY) and not warden.can(
        Permission.OVERRIDE_CAPACITY)
    with db.read() as uow:
        with pytest.raises(ValidationError) as err:
            placement.check_placement(uow, officer, newcomer, cell.id)
        assert "override" in err.value.fields["cell_id"]
        overridden = placement.check_placement(uow, officer, newcomer, cell.id,
                                               override_reason="Block B flooded tonight")
        assert len(overridden) == 1 and "full" in overridden[0]
        with pytest.raises(PermissionDenied):
            placement.check_placement(uow, warden, newcomer, cell.id,
                                      override_reason="Block B flooded tonight")
        assert placement.check_placement(uow, warden, newcomer, free) == ()


def test_override_never_allows_a_wrong_category_or_a_closed_cell(db, admin):
    block_id = _block(db, admin)
    women = _cell(db, admin, block_id, "A-01", 1, "adult_female")
    with db.write() as uow:
        locations.set_in_service(uow, admin, women.id, False, "Painting", women.version)
        man = factories.detainee(uow, "Ali", sex="M")
    _hold(db, women.id, 1, sex="F")
    officer = actor_for(db, "officer1")
    with db.read() as uow, pytest.raises(ValidationError) as err:
        placement.check_placement(uow, officer, man, women.id, override_reason="No room")
    words = err.value.fields["cell_id"]
    assert "this detainee is a man" in words and "out of service: Painting" in words
    assert "full" not in words  # overridden; what is left is what cannot be


def test_roles_unchanged_apart_from_the_new_grants():
    from depot_app.actor import ROLE_PERMISSIONS
    holders = {r for r, p in ROLE_PERMISSIONS.items() if Permission.OVERRIDE_CAPACITY in p}
    assert holders == {Role.OFFICER}
    assert {r for r, p in ROLE_PERMISSIONS.items()
            if Permission.MANAGE_LOCATIONS in p} == {Role.ADMIN}
