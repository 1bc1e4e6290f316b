"""Admitting a detainee: what is written, what is refused (every field named, nothing
written), who may do it, and a person's second custody episode."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from sqlalchemy import func, select, text

from db.models import (
    AuditEvent,
    Cell,
    Detention,
    DetentionStage,
    IdentityDocument,
    Movement,
    Person,
    PersonAlias,
    PersonNameToken,
    Photo,
    User,
)
from depot_app import audit, legal_bases
from depot_app import changes as areas
from depot_app.actor import Actor, Role
from depot_app.clock import FixedClock
from depot_app.demo.photos import silhouette_jpeg
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import admission, detainees
from depot_app.services.admission import (
    AdmissionRequest,
    DocumentInput,
    EmployerInput,
    PassInput,
    PhotoInput,
)
from tests import factories

NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 11:00 in Malaysia
ARREST = NOW - dt.timedelta(hours=6)


def actor_for(db, username: str, workstation: str = "test-ws") -> Actor:
    """The user's actor without a login (argon2 is slow; logins have their own tests)."""
    with db.read() as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        return Actor(user.id, user.username, user.full_name,
                     frozenset(Role(r.role) for r in user.roles), workstation)


def request(**changes) -> AdmissionRequest:
    base = AdmissionRequest(full_name="Agus Setiawan", sex="M", date_of_birth=dt.date(1990, 5, 17),
                            nationality="IDN", arrested_at=ARREST, legal_basis="s.6(1)(c)",
                            arrest_place="Pasar Borong Selayang", operation_name="Op Kutip 1/2026",
                            arresting_agency="Jabatan Imigresen Malaysia")
    return dataclasses.replace(base, **changes)


def admit(db, actor, req):
    with db.write() as uow:
        return admission.admit(uow, actor, req)


def counts(db) -> dict[str, int]:
    with db.read() as uow:
        return {m.__name__: uow.session.scalar(select(func.count()).select_from(m))
                for m in (Person, Detention, DetentionStage, Movement, IdentityDocument, Photo,
                          PersonAlias, PersonNameToken, AuditEvent)}


def verify(db) -> audit.VerifyReport:
    with db.read() as uow:
        return audit.verify(uow.session)


@pytest.fixture
def clock(db):
    db.clock = FixedClock(NOW)
    return db.clock


@pytest.fixture
def clerk(db, clock):
    return actor_for(db, "clerk1")


def test_admission_writes_the_person_episode_stage_and_movement(db, clerk):
    with db.write() as uow:
        cell_id = factories.cell(uow, "Blok A", "A-01")
    photo = silhouette_jpeg(random.Random(1))
    result = admit(db, clerk, request(
        full_name="  Nguyễn  Văn An ", nationality="vnm", sex="m", aliases=("NGUYEN AN",),
        documents=(DocumentInput("c 123 4567", "VNM", issued_on=dt.date(2020, 1, 2),
                                 expires_on=dt.date(2030, 1, 2), held_by_depot=True),),
        passes=(PassInput("Pas Lawatan Kerja Sementara", "ab123", dt.date(2024, 1, 1),
                          dt.date(2025, 1, 1)),),
        photo=PhotoInput(photo), employer=EmployerInput("Maju Jaya Sdn. Bhd.", "201501023456"),
        legal_basis="S.15(1)(C)", legal_reference="JIM/SGR/1", cell_id=cell_id))
    row = result.value
    assert row.detainee_no == "SMY-2026-000001"
    assert (row.full_name, row.sex, row.nationality, row.status) == (
        "Nguyễn Văn An", "M", "VNM", "in_custody")
    assert row.location == "Blok A / A-01" and row.admitted_at == NOW
    assert result.changes.touches(areas.DETAINEES, areas.PERSONS, areas.ROLL, areas.DEADLINES)
    assert areas.LOCATIONS in result.changes.areas
    assert result.changes.detention_ids == {row.id}

    with db.read() as uow:
        d = detainees.detail(uow, clerk, row.id)
        found = detainees.search_ids(uow, clerk, detainees.DetaineeQuery("nguyen an"))
        by_alias = detainees.search_ids(uow, clerk, detainees.DetaineeQuery("NGUYEN AN"))
        by_passport = detainees.search_ids(uow, clerk, detainees.DetaineeQuery("C1234"))
        event = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        action, entity_id, after, username = (event.action, event.entity_id, event.after,
                                              event.username)
    assert found == by_alias == by_passport == [row.id]
    assert d.aliases == ("NGUYEN AN",)
    assert [(x.doc_type, x.number, x.issuing_state, x.held_by_depot) for x in d.documents] == [
        ("passport", "C1234567", "VNM", True)]
    assert [(p.pass_type, p.number) for p in d.passes] == [("Pas Lawatan Kerja Sementara", "AB123")]
    assert d.photo == photo and d.photo_mime == "image/jpeg"
    assert d.employer == "Maju Jaya Sdn. Bhd. (201501023456)"
    assert d.admitted_by == "Clerk1" and d.arrested_at == ARREST
    assert (d.arrest_place, d.operation_name) == ("Pasar Borong Selayang", "Op Kutip 1/2026")
    assert [(s.section, s.authority, s.reference, s.starts_at) for s in d.stages] == [
        ("s.15(1)(c)", "arrest", "JIM/SGR/1", ARREST)]
    assert [(m.kind, m.description) for m in d.movements] == [
        ("admission", "Admitted to Blok A / A-01")]
    assert action == "detention.admit" and entity_id == str(row.id)
    assert '"SMY-2026-000001"' in after and username == "clerk1"
    assert verify(db).ok


def test_minor_is_judged_by_age_on_the_day_of_arrest_in_malaysia(db, clerk):
    # The arrest is at 03:00 MYT on 15 June 2026 even though it is still 14 June in UTC.
    arrest = dt.datetime(2026, 6, 14, 19, 0, tzinfo=dt.UTC)
    eighteen_today = admit(db, clerk, request(date_of_birth=dt.date(2008, 6, 15),
                                              arrested_at=arrest)).value
    eighteen_tomorrow = admit(db, clerk, request(full_name="Budi", arrested_at=arrest,
                                                 date_of_birth=dt.date(2008, 6, 16))).value
    assert "minor" not in eighteen_today.flags
    assert "minor" in eighteen_tomorrow.flags


def test_flags_citizen_and_unallocated(db, clerk):
    row = admit(db, clerk, request(sex="F", is_pregnant=True, is_disabled=True,
                                   interpreter_needed=True, citizen=True)).value
    assert row.flags == ("pregnant", "disabled", "interpreter")
    assert row.location == "Reception (unallocated)"
    with db.read() as uow:
        assert uow.session.get(Detention, row.id).citizen is True


BAD = [
    ({"full_name": "   "}, "full_name", "required"),
    ({"full_name": "X" * 201}, "full_name", "longer than 200"),
    ({"sex": "Q"}, "sex", "M, F or X"),
    ({"nationality": "ZZZ"}, "nationality", "not a known nationality"),
    ({"nationality": ""}, "nationality", "required"),
    ({"date_of_birth": dt.date(2026, 7, 1)}, "date_of_birth", "in the future"),
    ({"date_of_birth": (ARREST + dt.timedelta(days=1)).date(),
      "arrested_at": ARREST - dt.timedelta(days=3)}, "date_of_birth", "after the arrest"),
    ({"date_of_birth": dt.date(1890, 1, 1)}, "date_of_birth", "120 years"),
    ({"arrested_at": None}, "arrested_at", "required"),
    ({"arrested_at": NOW + dt.timedelta(minutes=6)}, "arrested_at", "in the future"),
    ({"arrested_at": dt.datetime(2026, 6, 15, 1, 0)}, "arrested_at", "time zone"),
    ({"admitted_at": ARREST - dt.timedelta(minutes=1)}, "admitted_at", "before the arrest"),
    ({"admitted_at": NOW + dt.timedelta(hours=1)}, "admitted_at", "in the future"),
    ({"legal_basis": "s.99"}, "legal_basis", "not a section"),
    ({"legal_basis": ""}, "legal_basis", "required"),
    ({"aliases": ("",)}, "aliases[0]", "empty"),
    ({"arrest_place": "x" * 201}, "arrest_place", "longer than 200"),
    ({"documents": (DocumentInput("", "IDN"),)}, "documents[0].number", "required"),
    ({"documents": (DocumentInput("A1", "IDN", doc_type="library card"),)},
     "documents[0].doc_type", "one of"),
    ({"documents": (DocumentInput("A1", "QQQ"),)}, "documents[0].issuing_state", "issuing state"),
    ({"documents": (DocumentInput("A1", "IDN", issued_on=dt.date(2024, 1, 1),
                                  expires_on=dt.date(2023, 1, 1)),)},
     "documents[0].expires_on", "before the date of issue"),
    ({"passes": (PassInput(""),)}, "passes[0].pass_type", "required"),
    ({"photo": PhotoInput(b"GIF89a...", "image/gif")}, "photo", "JPEG or PNG"),
    ({"photo": PhotoInput(b"not a jpeg", "image/jpeg")}, "photo", "not a JPEG"),
    ({"employer_id": 999999}, "employer_id", "no employer"),
    ({"employer": EmployerInput("")}, "employer.name", "required"),
    ({"cell_id": 999999}, "cell_id", "no cell"),
    ({"existing_person_id": 999999}, "existing_person_id", "no person"),
    ({"is_pregnant": True}, "is_pregnant", "man"),
    ({"is_unaccompanied_child": True}, "is_unaccompanied_child", "minor"),
]


def test_each_bad_field_is_named_and_nothing_is_written(db, clerk, subtests):
    before = counts(db)
    for changes, field, words in BAD:
        with subtests.test(field=field, words=words):
            with pytest.raises(ValidationError) as caught:
                admit(db, clerk, request(**changes))
            assert field in caught.value.fields, caught.value.fields
            assert words in caught.value.fields[field]
    assert counts(db) == before
    report = verify(db)
    assert report.ok and report.events == before["AuditEvent"]
    # The refused admissions took no number: the next one is the first.
    assert admit(db, clerk, request()).value.detainee_no == "SMY-2026-000001"


def test_all_bad_fields_are_reported_at_once(db, clerk):
    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(full_name="", sex="", nationality="XYZ", legal_basis="s.1"))
    assert set(caught.value.fields) == {"full_name", "sex", "nationality", "legal_basis"}


def test_clock_skew_of_a_few_minutes_is_tolerated(db, clerk):
    row = admit(db, clerk, request(arrested_at=NOW + dt.timedelta(minutes=4),
                                   admitted_at=NOW + dt.timedelta(minutes=4))).value
    assert row.admitted_at == NOW + dt.timedelta(minutes=4)


def test_cell_out_of_service_is_refused(db, clerk):
    with db.write() as uow:
        cell_id = factories.cell(uow)
        cell = uow.session.get(Cell, cell_id)
        cell.in_service, cell.out_of_service_reason = False, "flooded"
    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(cell_id=cell_id))
    assert caught.value.fields["cell_id"] == "Cell Blok A / A-01 is out of service: flooded"


def test_admission_obeys_the_placement_rules(db, clerk):
    """The first cell is checked as a cell move is: category, minority and capacity (a full
    cell is left to an officer, who may override it from reception)."""
    with db.write() as uow:
        men = factories.cell(uow, code="A-01", capacity=1)
        women = factories.cell(uow, code="W-01", category="adult_female")
    before = counts(db)
    for change, words in (
        (dict(sex="F"), "Cell Blok A / A-01 is for men aged 18 and over; this detainee is a woman"),
        (dict(date_of_birth=dt.date(2012, 1, 1)), "A minor may be placed only in a"),
    ):
        with pytest.raises(ValidationError) as caught:
            admit(db, clerk, request(cell_id=men, **change))
        assert words in caught.value.fields["cell_id"]
    assert counts(db) == before
    admit(db, clerk, request(cell_id=men))
    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(full_name="Budi Santoso", cell_id=men))
    assert caught.value.fields["cell_id"] == (
        "Cell Blok A / A-01 is full (1 held, capacity 1): leave the cell empty (reception) and "
        "ask an officer to place the detainee")
    admit(db, clerk, request(full_name="Citra Dewi", sex="F", cell_id=women))


@pytest.mark.parametrize("username", ["warden1", "admin", "medical1"])
def test_only_those_who_admit_may_admit(db, clock, username):
    before = counts(db)
    with pytest.raises(PermissionDenied):
        admit(db, actor_for(db, username), request())
    assert counts(db) == before


def test_existing_person_gets_a_new_episode(db, clerk):
    first = admit(db, clerk, request(aliases=("AGUS",))).value
    with db.read() as uow:
        person_id = uow.session.get(Detention, first.id).person_id
    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(existing_person_id=person_id))
    assert "already in custody as SMY-2026-000001" in caught.value.fields["existing_person_id"]

    with db.write() as uow:  # released (the movement service is not written yet)
        uow.session.execute(text("UPDATE detention SET status = 'released' WHERE id = :i"),
                            {"i": first.id})
    second = admit(db, clerk, request(
        existing_person_id=person_id, full_name="ignored", nationality="", sex="",
        aliases=("AGUS", "AGUS S"), legal_basis="s.36",
        photo=PhotoInput(silhouette_jpeg(random.Random(2))))).value
    assert second.detainee_no == "SMY-2026-000002"
    assert second.full_name == "Agus Setiawan"
    with db.read() as uow:
        d = detainees.detail(uow, clerk, second.id)
        assert uow.session.scalar(select(func.count()).select_from(Person)) == 1
        by_new_alias = detainees.search_ids(uow, clerk, detainees.DetaineeQuery("AGUS S", "all"))
    assert d.aliases == ("AGUS", "AGUS S")
    assert [e.detainee_no for e in d.other_episodes] == ["SMY-2026-000001"]
    assert d.stages[0].section == "s.36"
    assert set(by_new_alias) == {first.id, second.id}


def test_legal_bases_are_data_with_their_words():
    assert legal_bases.codes() == ("s.6(1)(c)", "s.15(1)(c)", "s.8(3)", "s.36", "s.35",
                                   "s.34", "reg. 39(b)")
    for spelling in ("s.6(1)(c)", "S. 6(1)(C)", "6(1)(c)", "section 6(1)(c)"):
        assert legal_bases.find(spelling).code == "s.6(1)(c)"
    assert legal_bases.find("Reg 39(b)").code == "reg. 39(b)"
    assert legal_bases.find("s.35").max_rule == "detention.pending_removal_decision"
    assert legal_bases.find("s.34").authority == "removal_order"
    assert legal_bases.find("s.6") is None and legal_bases.find("") is None
    assert all(len(b.code) <= 24 and b.words and b.source for b in legal_bases.LEGAL_BASES)
