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
    CourtProduction,
    Detention,
    DetentionOrder,
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
from depot_app import authority as law_of
from depot_app.clock import FixedClock, local_day_bounds, to_local
from depot_app.database import Database
from depot_app.demo import load_demo
from depot_app.errors import ConflictError, ValidationError
from depot_app.services import users
from depot_app.services.court import authority, deadlines
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
        s = uow.session
        court = s.execute(
            select(Detention.detainee_no, CourtProduction.court, CourtProduction.scheduled_at,
                   CourtProduction.escort, CourtProduction.status, CourtProduction.outcome,
                   CourtProduction.produced_at, CourtProduction.sanction_ref,
                   CourtProduction.case_no, DetentionOrder.order_no, DetentionOrder.section,
                   DetentionOrder.expires_at)
            .join(Detention, Detention.id == CourtProduction.detention_id)
            .outerjoin(DetentionOrder, DetentionOrder.production_id == CourtProduction.id)
            .order_by(Detention.detainee_no, CourtProduction.scheduled_at)).all()
        stages = s.execute(
            select(Detention.detainee_no, DetentionStage.section, DetentionStage.authority,
                   DetentionStage.reference, DetentionStage.starts_at, DetentionStage.ends_at,
                   DetentionStage.valid_until)
            .join(Detention, Detention.id == DetentionStage.detention_id)
            .order_by(Detention.detainee_no, DetentionStage.starts_at)).all()
    return [(*r[:-1], hashlib.sha256(r[-1]).hexdigest()) for r in rows] + documents + court \
        + stages


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
    a = load_demo(first, 80, seed=11, password=PW, now=NOW)
    b = load_demo(second, 80, seed=11, password=PW, now=NOW)
    c = load_demo(third, 80, seed=12, password=PW, now=NOW)
    assert snapshot(first) == snapshot(second)  # the court's story too
    assert snapshot(first) != snapshot(third)
    assert (a.in_custody, a.released, a.removed) == (b.in_custody, b.released, b.removed)
    assert c.seed == 12


def test_the_population_looks_like_a_depot(fresh_sqlite):
    db = fresh_sqlite()
    db.clock = FixedClock(NOW)  # the deadlines as they stand when the demo was made
    report = load_demo(db, 300, seed=5, password=PW, now=NOW)
    # About 12 s alone on the development VM (300 admissions and their court story through
    # the services); the bound leaves room for a loaded CI machine running two workers.
    assert report.seconds < 60
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
        freed_in_court = s.scalar(select(func.count()).select_from(CourtProduction)
                                  .where(CourtProduction.outcome == "released"))
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
    # Everyone who went out came back, except those still out now and those the court freed.
    assert kinds["return"] == kinds["out_court"] + kinds.get("out_hospital", 0) - away \
        - freed_in_court
    # About 9 % leave; 300 people vary (4-11 % over seeds 1-11): the bounds say "some".
    assert 0.03 <= ended / people <= 0.15
    assert kinds.get("release", 0) + kinds.get("removal", 0) + kinds.get("transfer", 0) == ended
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
    the_court_story_is_lawful(db, report)


def the_court_story_is_lawful(db: Database, report) -> None:
    """Held beyond 14 days means produced within them; orders are renewed; a few are due
    today and tomorrow, on those days' lists; one to three left to lapse show as overdue;
    and what each stage says of its authority is what the engine works out."""
    officer = users.login(db, "officer1", PW, "test-ws")
    day = to_local(NOW).date()
    with db.read() as uow:
        s = uow.session
        rows = deadlines.board(uow, officer)
        held = set(s.scalars(select(Detention.id).where(Detention.status == "in_custody")))
        law = authority.load_law(s)
        loaded = authority.load(s, s.scalars(select(Detention.id)))
        stored = {r.id: (r.valid_until, r.needs, r.rests_on)
                  for r in s.scalars(select(DetentionStage))}
        productions = s.execute(select(*CourtProduction.__table__.c)).all()
        orders = s.execute(select(*DetentionOrder.__table__.c)).all()
        transferred = s.scalar(select(func.count()).select_from(Detention)
                               .where(Detention.status == "transferred"))
    assert {r.detention_id for r in rows} == held and len(rows) == len(held) == \
        report.in_custody  # one row for each held, none for anyone else
    overdue = {r.detention_id for r in rows if r.state == law_of.OVERDUE}
    assert 0 < len(overdue) <= 3  # orders that ran out yesterday, not renewed
    assert {to_local(r.valid_until).date() for r in rows if r.detention_id in overdue} == {
        day - dt.timedelta(days=1)}
    buckets = {b: sum(1 for r in rows if r.bucket == b) for b in law_of.BUCKETS}
    assert buckets["today"] and buckets["tomorrow"] and buckets["this_week"]
    # Each row names the production still to come, when there is one.
    pending = {p.detention_id: (p.court, p.id, p.scheduled_at) for p in productions
               if p.status in ("scheduled", "out")}
    assert {r.detention_id: (r.court, r.production_id, r.production_at) for r in rows
            if r.production_id is not None} == pending

    # Produced within 14 days of arrest by whoever was held beyond them, ended or not.
    first = {}
    for p in productions:
        if p.produced_at is not None:
            first[p.detention_id] = min(first.get(p.detention_id, p.produced_at), p.produced_at)
    for did, one in loaded.items():
        t = one.timeline
        if (t.ended_at or NOW) - t.arrested_at > dt.timedelta(days=14):
            assert first.get(did, NOW) <= t.arrested_at + dt.timedelta(days=14), did
        removal = [st.starts_at for st in t.stages if st.authority == law_of.REMOVAL_ORDER]
        for st in t.stages:  # a Magistrate's order for removal follows a removal order
            if st.authority == law_of.MAGISTRATE_ORDER and st.section == "s.34":
                assert removal and removal[0] < st.starts_at, did
    # Every stage's written authority is the engine's answer, and no one was held without
    # one: bar those left to lapse and the short return from court before prison.
    for did, one in loaded.items():
        found = law_of.validities(one.timeline, law)
        assert [stored[sid] for sid in one.stage_ids] == [
            (v.valid_until, v.needs[:120], v.rests_on[:300]) for v in found], did
        spans = law_of.unlawful_spans(one.timeline, law, NOW, found)
        if did in overdue:
            assert spans[-1][1] == NOW and NOW - spans[-1][0] < dt.timedelta(days=2)
        elif one.status == "transferred":
            assert sum((b - a for a, b in spans), dt.timedelta()) < dt.timedelta(hours=2)
        else:
            assert spans == (), did

    # The court's work: lists for today and tomorrow at more than one court, with escorts;
    # each outcome; orders renewed.
    today, _ = local_day_bounds(day)
    _, after_tomorrow = local_day_bounds(day + dt.timedelta(days=1))
    coming = [p for p in productions if today <= p.scheduled_at < after_tomorrow]
    assert {to_local(p.scheduled_at).date() for p in coming} == {day, day + dt.timedelta(1)}
    assert len({p.court for p in coming}) >= 2 and all(p.escort for p in coming)
    assert {p.court for p in productions} <= {"Mahkamah Majistret Kajang",
                                              "Mahkamah Majistret Bangi",
                                              "Mahkamah Majistret Putrajaya"}
    outcomes = {p.outcome for p in productions if p.status == "done"}
    assert outcomes == {"detention_order", "remand", "charged", "released", "convicted"}
    assert all(p.sanction_ref for p in productions if p.outcome == "charged")
    assert report.transferred == transferred > 0
    assert all(p.status == "scheduled" for p in productions if p.scheduled_at > NOW)
    per_detention = {}
    for o in orders:
        per_detention.setdefault(o.detention_id, []).append(o)
        assert 1 <= o.period_days <= 60 and o.order_no.startswith("MA-")
        assert o.expires_at == o.starts_at + dt.timedelta(days=o.period_days)
    assert any(len(found) >= 2 for found in per_detention.values())  # renewed
    assert {(o.section, o.purpose) for o in orders} >= {
        ("s.6(1)(c)", "inquiries"), ("s.15(1)(c)", "inquiries"), ("s.34", "removal")}
    assert len({o.order_no for o in orders}) == len(orders)


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
