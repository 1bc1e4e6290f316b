"""Demonstration data: an empty database becomes a plausible depot, the same for a seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from argon2 import PasswordHasher
from PIL import Image
from sqlalchemy import func, select

from db.models import (
    Block,
    Cell,
    Detention,
    DetentionStage,
    FamilyLink,
    IdentityDocument,
    ImmigrationPass,
    Movement,
    Person,
    Photo,
    User,
)
from depot_app import audit, passwords
from depot_app.database import Database
from depot_app.demo import load_demo
from depot_app.errors import ConflictError, ValidationError
from depot_app.services import users
from tests.conftest import PASSWORD
from tests.dbutil import SqliteFactory

NOW = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)
PW = "demo-pass-1"


def cheap_argon2(monkeypatch) -> None:
    """Each demo load hashes five passwords; a low-cost argon2 profile keeps tests quick.
    Verifying reads the parameters from the stored hash, so logins still check for real."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch):
    cheap_argon2(monkeypatch)


def _count(uow, model) -> int:
    return uow.session.scalar(select(func.count()).select_from(model))


def snapshot(db: Database) -> list[tuple]:
    """What a user would see of every detainee, photo included."""
    with db.read() as uow:
        rows = uow.session.execute(
            select(Detention.detainee_no, Person.full_name, Person.nationality, Person.sex,
                   Person.date_of_birth, Detention.status, Detention.current_cell_id,
                   Detention.arrested_at, Photo.data)
            .join(Person, Person.id == Detention.person_id)
            .join(Photo, Photo.person_id == Person.id)
            .order_by(Detention.detainee_no)).all()
        documents = uow.session.execute(select(IdentityDocument.person_id,
                                               IdentityDocument.number)
                                        .order_by(IdentityDocument.id)).all()
    return [(*r[:-1], hashlib.sha256(r[-1]).hexdigest()) for r in rows] + documents


@pytest.fixture
def fresh_sqlite(templates, tmp_path):
    """Empty migrated SQLite databases, as many as a test asks for."""
    _, paths = templates["sqlite"]
    (tmp_path / "fresh").mkdir()
    factory = SqliteFactory(tmp_path / "fresh")  # apart from the db fixtures' files
    made = []

    def make() -> Database:
        _, url = factory.create(template=paths[0])
        made.append(Database(url))
        return made[-1]

    yield make
    for db in made:
        db.dispose()


def test_small_demo_on_each_engine(empty_db, fresh_sqlite):
    report = load_demo(empty_db, 12, seed=3, password=PW, now=NOW)
    reference = fresh_sqlite()
    load_demo(reference, 12, seed=3, password=PW, now=NOW)
    assert snapshot(empty_db) == snapshot(reference)  # the same depot on either engine
    assert (report.seed, report.detainees, report.depot_code) == (3, 12, "SMY")
    assert (report.first_no, report.last_no) == ("SMY-2026-000001", "SMY-2026-000012")
    assert [u.username for u in report.users] == ["admin", "clerk1", "warden1", "medical1",
                                                  "officer1"]
    assert {u.password for u in report.users} == {PW}
    assert report.capacity > 12 * 1.5
    users.login(empty_db, "clerk1", PW, "test-ws")  # the printed password works
    with empty_db.read() as uow:
        assert _count(uow, Detention) == 12
        assert _count(uow, Person) == _count(uow, Photo) == 12
        check = audit.verify(uow.session)
        admits = uow.session.scalar(select(func.count()).select_from(Detention)
                                    .where(Detention.admitted_by_id.is_not(None)))
    assert check.ok, check.reason
    assert admits == 12
    with pytest.raises(ConflictError, match="empty database"):
        load_demo(empty_db, 1, seed=3, password=PW, now=NOW)


def test_same_seed_same_depot_and_another_seed_another(fresh_sqlite):
    first, second, third = fresh_sqlite(), fresh_sqlite(), fresh_sqlite()
    a = load_demo(first, 150, seed=11, password=PW, now=NOW)
    b = load_demo(second, 150, seed=11, password=PW, now=NOW)
    c = load_demo(third, 150, seed=12, password=PW, now=NOW)
    assert snapshot(first) == snapshot(second)
    assert snapshot(first) != snapshot(third)
    assert (a.in_custody, a.released, a.removed) == (b.in_custody, b.released, b.removed)
    assert c.seed == 12


def test_the_population_looks_like_a_depot(fresh_sqlite):
    db = fresh_sqlite()
    report = load_demo(db, 300, seed=5, password=PW, now=NOW)
    assert report.seconds < 30
    with db.read() as uow:
        s = uow.session
        people = _count(uow, Person)
        women = s.scalar(select(func.count()).select_from(Person).where(Person.sex == "F"))
        minors = s.scalar(select(func.count()).select_from(Detention).where(Detention.is_minor))
        passports = s.scalar(select(func.count(func.distinct(IdentityDocument.person_id))))
        sections = dict(s.execute(select(DetentionStage.section, func.count())
                                  .where(DetentionStage.authority == "arrest")
                                  .group_by(DetentionStage.section)).all())
        nationalities = set(s.scalars(select(Person.nationality)))
        kinds = dict(s.execute(select(Movement.kind, func.count()).group_by(Movement.kind)).all())
        away = s.scalar(select(func.count()).select_from(Detention)
                        .where(Detention.away_reason != ""))
        ended = s.scalar(select(func.count()).select_from(Detention)
                         .where(Detention.ended_at.is_not(None)))
        expired_passes = s.scalar(select(func.count()).select_from(ImmigrationPass)
                                  .where(ImmigrationPass.expires_on < NOW.date()))
        misplaced = s.execute(
            select(Detention.detainee_no, Person.sex, Detention.is_minor, Cell.category)
            .join(Person, Person.id == Detention.person_id)
            .join(Cell, Cell.id == Detention.current_cell_id)).all()
        capacity = s.scalar(select(func.sum(Cell.capacity)).where(Cell.in_service))
        blocks = list(s.scalars(select(Block.name).order_by(Block.code)))
        links = _count(uow, FamilyLink)
        first_arrest, last_admission = s.execute(
            select(func.min(Detention.arrested_at), func.max(Detention.admitted_at))).one()
        vietnamese = list(s.scalars(select(Person.full_name).where(Person.nationality == "VNM")))
        photo = s.scalars(select(Photo.data).limit(1)).first()
    assert people == 300
    assert 0.05 <= women / people <= 0.12
    assert 0.02 <= minors / people <= 0.06
    assert 0.6 <= passports / people <= 0.8
    assert sections["s.6(1)(c)"] + sections["s.15(1)(c)"] >= 0.8 * people
    assert nationalities >= {"IDN", "BGD", "MMR"} and nationalities <= {
        "IDN", "BGD", "MMR", "PHL", "IND", "NPL", "PAK", "VNM", "KHM", "THA"}
    assert kinds["admission"] == 300 and kinds.get("cell_move") and kinds.get("out_court")
    # Everyone who went out came back, except those still at the hospital now.
    assert kinds["return"] == kinds["out_court"] + kinds.get("out_hospital", 0) - away
    # About 9 % leave; 300 people vary (4-11 % over seeds 1-11): the bounds say "some".
    assert 0.03 <= ended / people <= 0.15
    assert kinds.get("release", 0) + kinds.get("removal", 0) == ended
    assert expired_passes > 0
    for number, sex, minor, category in misplaced:
        allowed = {"medical_isolation"} | (
            {"family", "juvenile"} if minor else
            {"adult_female", "family"} if sex == "F" else {"adult_male"})
        assert category in allowed, (number, sex, minor, category)
    assert capacity > 1.5 * people
    assert blocks[:3] == ["Blok A (Lelaki)", "Blok B (Lelaki)", "Blok C (Wanita)"]
    assert links > 0 and links % 2 == 0
    assert NOW - dt.timedelta(days=62) < first_arrest and last_admission < NOW
    assert any(ch in "".join(vietnamese) for ch in "ỄĂƯĐ")
    image = Image.open(io.BytesIO(photo))
    assert (image.format, image.size) == ("JPEG", (160, 200)) and len(photo) < 10_000


def test_without_a_seed_one_is_chosen_and_reported(fresh_sqlite):
    db = fresh_sqlite()
    report = load_demo(db, 0)
    assert isinstance(report.seed, int)
    assert report.detainees == 0 and report.first_no is None
    passwords = [u.password for u in report.users]
    assert len(set(passwords)) == 5 and all(len(p) >= 12 for p in passwords)
    with db.read() as uow:
        assert _count(uow, User) == 5 and _count(uow, Cell) == report.cells
        assert _count(uow, Detention) == 0
    users.login(db, "officer1", passwords[-1], "test-ws")
    again = fresh_sqlite()
    assert load_demo(again, 5, seed=report.seed, password=PW).last_no.endswith("-000005")


def test_bad_arguments_are_refused_before_anything_is_written(fresh_sqlite):
    db = fresh_sqlite()
    with pytest.raises(ValidationError) as caught:
        load_demo(db, -1, seed=1, password="short")
    assert set(caught.value.fields) == {"detainees", "password"}
    with db.read() as uow:
        assert _count(uow, User) == 0


def test_demo_fills_a_database_just_set_up_by_its_administrator(db, login):
    """First-run set-up, then `depot demo`: the depot and its administrator are kept."""
    from depot_app.errors import PermissionDenied
    from depot_app.services import setup

    with pytest.raises(ConflictError, match="log in"):
        load_demo(db, 5, seed=4, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        load_demo(db, 5, seed=4, password=PASSWORD, admin=login("clerk1"))
    report = load_demo(db, 12, seed=4, password=PASSWORD, admin=login("admin"))
    # conftest's seed already made admin, clerk1, warden1, medical1 and officer1
    assert report.users == ()
    assert report.detainees == 12 and report.depot_code == "SMY"
    with db.read() as uow:
        assert _count(uow, Detention) == 12
        assert setup.current_depot(uow).name == "Depot Imigresen Semenyih"
        assert audit.verify(uow.session).ok
    with pytest.raises(ConflictError, match="already holds detainees"):
        load_demo(db, 5, seed=5, password=PASSWORD, admin=login("admin"))
