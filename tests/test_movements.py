# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""Cell moves: written with their movement and audit, refused by the placement rules with
nothing written, full cells only on an officer's override, stale and concurrent moves
refused, and the last place in a cell taken by one workstation only."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, Detention, Movement
from depot_app import changes as areas
from depot_app.errors import ConflictError, PermissionDenied, ValidationError
from depot_app.services import movements, placement
from depot_app.services.movements import MoveRequest
from tests import factories
from tests.custody_fixtures import ADMITTED, NOW, clock, warden  # noqa: F401
from tests.test_admission import actor_for


@pytest.fixture
def place(db, clock):
    """Cells A-01 (where the detainee is), A-02 (room), A-03 (full, 1 place), J-01 (juvenile)
    and one adult male detainee in A-01."""
    with db.write() as uow:
        ids = {code: factories.cell(uow, code=code, capacity=cap, category=cat)
               for code, cap, cat in (("A-01", 4, "adult_male"), ("A-02", 4, "adult_male"),
                                      ("A-03", 1, "adult_male"), ("J-01", 4, "juvenile"))}
        factories.detainee(uow, "Already Here", cell_id=ids["A-03"], admitted=ADMITTED)
        ids["detention"] = factories.detainee(uow, "Agus Setiawan", cell_id=ids["A-01"],
                                              admitted=ADMITTED)
    return ids


def version(db, detention_id) -> int:
    with db.read() as uow:
        return uow.session.get(Detention, detention_id).version


def req(place, db, to="A-02", **kw) -> MoveRequest:
    base = dict(detention_id=place["detention"], cell_id=place[to], reason="Cell repainting",
                expected_version=version(db, place["detention"]))
    return MoveRequest(**{**base, **kw})


def move(db, actor, request):
    with db.write() as uow:
        return movements.move_to_cell(uow, actor, request)


def state(db, detention_id) -> tuple[int | None, int, int, int]:
    """(current cell, version, movements, audit events): what a refused move must not touch."""
    with db.read() as uow:
        s = uow.session
        d = s.get(Detention, detention_id)
        return (d.current_cell_id, d.version,
                s.scalar(select(func.count()).select_from(Movement)),
                s.scalar(select(func.count()).select_from(AuditEvent)))


def test_move_writes_movement_and_audit_and_updates_the_cell(db, warden, place):
    at = NOW - dt.timedelta(hours=1)
    before = version(db, place["detention"])
    result = move(db, warden, req(place, db, occurred_at=at))
    assert result.value.location.endswith("A-02")
    for area in (areas.DETAINEES, areas.ROLL, areas.LOCATIONS):
        assert result.changes.touches(area)
    with db.read() as uow:
        s = uow.session
        d = s.get(Detention, place["detention"])
        assert (d.current_cell_id, d.version) == (place["A-02"], before + 1)
        m = s.scalars(select(Movement).where(Movement.kind == "cell_move")).one()
        assert (m.detention_id, m.from_cell_id, m.to_cell_id, m.reason, m.occurred_at,
                m.recorded_by_id, m.recorded_at) == (
            d.id, place["A-01"], place["A-02"], "Cell repainting", at, warden.user_id, NOW)
        e = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert (e.action, e.entity, e.entity_id, e.username) == (
            "detention.move", "detention", str(d.id), "warden1")
        assert json.loads(e.before)["cell"] == "Blok A / A-01"
        after = json.loads(e.after)
        assert (after["cell_id"], after["cell"], after["override"]) == (
            place["A-02"], "Blok A / A-02", None)


def test_refusals_are_named_and_write_nothing(db, warden, place, subtests):
    cases = {
        "cell_id": req(place, db, to="J-01"),  # an adult in a juvenile cell
        "reason": req(place, db, reason="  "),
        "occurred_at": req(place, db, occurred_at=NOW + dt.timedelta(minutes=6)),
    }
    cases["same cell"] = req(place, db, to="A-01")
    before = state(db, place["detention"])
    for name, request in cases.items():
        with subtests.test(name), pytest.raises(ValidationError) as exc:
            move(db, warden, request)
        field = "cell_id" if name == "same cell" else name
        assert field in exc.value.fields
        if name == "same cell":
            assert "already in Blok A / A-01" in exc.value.fields["cell_id"]
        if name == "cell_id":
            assert "this detainee is an adult" in exc.value.fields["cell_id"]
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db, occurred_at=ADMITTED - dt.timedelta(minutes=1)))
    assert "before the admission" in exc.value.fields["occurred_at"]
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db, occurred_at=dt.datetime(2026, 6, 15, 1, 0)))
    assert "time zone" in exc.value.fields["occurred_at"]
    assert state(db, place["detention"]) == before
    # A little clock skew is tolerated.
    move(db, warden, req(place, db, occurred_at=NOW + dt.timedelta(minutes=4)))


def test_only_those_held_here_and_present_may_be_moved(db, warden, place):
    with db.write() as uow:
        uow.session.execute(update(Detention).where(Detention.id == place["detention"])
                            .values(away_reason="court"))
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db))
    assert "away (at court)" in exc.value.fields["detention_id"]
    with db.write() as uow:
        uow.session.execute(update(Detention).where(Detention.id == place["detention"])
                            .values(away_reason="", status="released"))
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db))
    assert "not in custody (released)" in exc.value.fields["detention_id"]


def test_full_cell_needs_an_officers_override(db, warden, place):
    before = state(db, place["detention"])
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db, to="A-03"))
    assert "full" in exc.value.fields["cell_id"]
    with pytest.raises(PermissionDenied):  # a warden may move, not override capacity
        move(db, warden, req(place, db, to="A-03", override_reason="Block B flooded"))
    with pytest.raises(ValidationError) as exc:  # the override does not excuse the reason
        move(db, actor_for(db, "officer1"), req(place, db, to="A-03", reason="",
                                                override_reason="Block B flooded"))
    assert set(exc.value.fields) == {"reason"}
    assert state(db, place["detention"]) == before

    officer = actor_for(db, "officer1")
    move(db, officer, req(place, db, to="A-03", override_reason="Block B flooded"))
    with db.read() as uow:
        s = uow.session
        m = s.scalars(select(Movement).where(Movement.kind == "cell_move")).one()
        assert m.reason == ("Cell repainting\nOver capacity: Block B flooded "
                            "(override by Officer1)")
        after = json.loads(s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()))
                           .first().after)
        assert after["override"]["reason"] == "Block B flooded"
        assert "full" in after["override"]["overridden"][0]


def test_a_wrong_category_is_never_overridden(db, place):
    before = state(db, place["detention"])
    with pytest.raises(ValidationError):
        move(db, actor_for(db, "officer1"), req(place, db, to="J-01", override_reason="Urgent"))
    assert state(db, place["detention"]) == before


def test_a_clerk_cannot_move(db, clock, place):
    before = state(db, place["detention"])
    with pytest.raises(PermissionDenied):
        move(db, actor_for(db, "clerk1"), req(place, db))
    assert state(db, place["detention"]) == before


def test_stale_version_is_a_conflict_and_writes_nothing(db, warden, place):
    stale = req(place, db)
    with db.write() as uow:  # someone else changes the detention meanwhile
        uow.session.get(Detention, place["detention"]).is_disabled = True
    before = state(db, place["detention"])
    with pytest.raises(ConflictError, match="changed by someone else since you opened it"):
        move(db, warden, stale)
    assert state(db, place["detention"]) == before


def test_a_concurrent_change_in_another_unit_of_work_is_a_conflict(db, warden, place):
    """The version column catches a change committed after this unit of work read the
    detention. On PostgreSQL two units of work are open at once: the first commits, the
    second, holding the old version, fails. SQLite lets one writer in at a time, so there
    the other writer's change is made inside the transaction behind the ORM's back."""
    request = req(place, db)
    before = state(db, place["detention"])
    # The locking read sees the other change ("since you opened it"); were it missed, the
    # version column would still refuse the UPDATE ("at another workstation").
    with pytest.raises(ConflictError, match="changed (by someone else|at another workstation)"), \
            db.write() as second:
        seen = second.session.get(Detention, place["detention"])  # held: the session
        assert seen.version == request.expected_version  # keeps it while referenced
        if db.dialect == "postgresql":
            move(db, actor_for(db, "officer1"), req(place, db, to="A-02"))
        else:
            second.session.execute(update(Detention).where(Detention.id == place["detention"])
                                   .values(version=Detention.version + 1)
                                   .execution_options(synchronize_session=False))
        movements.move_to_cell(second, warden, request)
    after = state(db, place["detention"])
    if db.dialect == "postgresql":  # exactly one move: the first
        assert after[0] == place["A-02"] and after[2] == before[2] + 1
    else:
        assert after == before


def test_only_one_workstation_takes_the_last_place(db, warden, place):
    """The first move holds the cell until it commits; the second, waiting meanwhile, then
    counts the cell full."""
    with db.write() as uow:
        other = factories.detainee(uow, "Budi Santoso", cell_id=place["A-01"],
                                   admitted=ADMITTED)
        uow.session.execute(update(Detention).where(Detention.current_cell_id == place["A-03"])
                            .values(current_cell_id=place["A-02"]))  # one place free in A-03
    outcome: list[object] = []

    def second_workstation():
        try:
            move(db, actor_for(db, "warden1"), MoveRequest(
                other, place["A-03"], "Also wanted A-03", version(db, other)))
            outcome.append("moved")
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second_workstation)
    with db.write() as first:
        movements.move_to_cell(first, warden, req(place, db, to="A-03"))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting for the first to commit
    worker.join(10)
    [result] = outcome
    assert isinstance(result, ValidationError) and "full" in result.fields["cell_id"]
    with db.read() as uow:
        held = uow.session.scalar(select(func.count()).select_from(Detention)
                                  .where(Detention.current_cell_id == place["A-03"]))
    assert held == 1


def test_cell_choices_put_suitable_cells_first_with_the_reasons_against_the_rest(db, warden,
                                                                                 place):
    with db.read() as uow:
        choices = placement.choices_for(uow, warden, place["detention"])
    by_label = {c.label: c for c in choices}
    assert [c.label for c in choices[:2]] == ["Blok A / A-01", "Blok A / A-02"]
    assert by_label["Blok A / A-01"].current and not by_label["Blok A / A-01"].problems
    full = by_label["Blok A / A-03"]
    assert full.needs_override and "full" in full.problems[0]
    juvenile = by_label["Blok A / J-01"]
    assert not juvenile.needs_override and "this detainee is an adult" in juvenile.problems[0]
    assert choices[-1].label == "Blok A / J-01"  # refused outright: last
    # What the list says against a cell is what a move there refuses with.
    with pytest.raises(ValidationError) as exc:
        move(db, warden, req(place, db, to="J-01"))
    assert juvenile.problems[0] in exc.value.fields["cell_id"]
