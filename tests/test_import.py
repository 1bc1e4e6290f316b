"""Batch intake from an operation list: every refused value named by row and column, rows
repeated in the file, persons on record and repeat entrants, all-or-nothing writes, the
``depot import arrests`` command; on both engines."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from db.models import (
    AuditEvent,
    DetaineeNumberSequence,
    Detention,
    DetentionStage,
    Employer,
    IdentityDocument,
    Movement,
    Person,
    PersonAlias,
    PersonNameToken,
    User,
)
from depot_app import audit
from depot_app.actor import Actor, Role
from depot_app.cli.main import main
from depot_app.clock import MYT, FixedClock
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.mrz import check_digit
from depot_app.names import name_key
from depot_app.services import admission, arrest_import
from depot_app.services.admission import AdmissionRequest, DocumentInput, EmployerInput
from depot_app.services.arrest_import import ImportCancelled, ImportSource
from depot_app.services.identity import name_parts
from tests import factories
from tests.conftest import PASSWORD

NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 11:00 in Malaysia
HEADER = ["full_name", "sex", "date_of_birth", "nationality", "document_type",
          "document_number", "arrested_at", "arrest_place", "arresting_agency", "operation",
          "legal_basis", "citizen", "employer_name", "employer_registration_no"]
WHEN = "2026-06-14T22:00"  # Malaysian time: 14:00 UTC, the night before NOW


def row(name="Agus Setiawan", sex="M", born="1990-05-17", nat="IDN", doc_type="passport",
        number="B1234567", when=WHEN, place="Pasar Borong Selayang", agency="JIM",
        operation="Op Kutip 7/2026", basis="s.6(1)(c)", citizen="no",
        employer="Kilang Maju Sdn Bhd", reg="201501023456") -> list[str]:
    return [name, sex, born, nat, doc_type, number, when, place, agency, operation, basis,
            citizen, employer, reg]


def csv_bytes(rows: list[list[str]], header=HEADER, bom: bool = True, sep: str = ",") -> bytes:
    import csv

    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=sep).writerows([header, *rows])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def source(rows, name="op-kutip.csv", **kwargs) -> ImportSource:
    return ImportSource(name, csv_bytes(rows, **kwargs))


def td3(surname: str, given: str, number: str, nat: str, born: str, sex: str = "M",
        expiry: str = "310101") -> str:
    """A passport MRZ with correct check digits (born and expiry as YYMMDD)."""
    line1 = f"P<{nat}{surname}<<{given.replace(' ', '<')}".ljust(44, "<")
    num = number.ljust(9, "<")
    body = (f"{num}{check_digit(num)}{nat}{born}{check_digit(born)}{sex}"
            f"{expiry}{check_digit(expiry)}{'<' * 14}<")
    line2 = body + check_digit(body[0:10] + body[13:20] + body[21:43])
    return f"{line1}\n{line2}"


def actor_for(db, username: str) -> Actor:
    with db.read() as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        return Actor(user.id, user.username, user.full_name,
                     frozenset(Role(r.role) for r in user.roles), "test-ws")


def counts(db) -> dict[str, int]:
    """Rows of everything an import writes; audit events other than logins."""
    with db.read() as uow:
        out = {m.__name__: uow.session.scalar(select(func.count()).select_from(m))
               for m in (Person, Detention, DetentionStage, Movement, IdentityDocument,
                         PersonAlias, PersonNameToken, Employer)}
        out["AuditEvent"] = uow.session.scalar(select(func.count()).select_from(AuditEvent)
                                               .where(AuditEvent.action.not_like("%login%")))
        out["numbers"] = uow.session.scalar(
            select(func.coalesce(func.sum(DetaineeNumberSequence.last_value), 0)))
        return out


@pytest.fixture
def clerk(db):
    db.clock = FixedClock(NOW)
    return actor_for(db, "clerk1")


def preview(db, actor, src, **kwargs):
    with db.read() as uow:
        return arrest_import.preview(uow, actor, src, **kwargs)


def run(db, actor, src, strict=False, **kwargs):
    with db.write() as uow:
        return arrest_import.import_arrests(uow, actor, src, strict, **kwargs).value


LONG = "x" * 201
MIXED = [
    row(),                                                           # 2 good
    row(name="Siti Aminah", sex="F", born="1995-02-30", number="C1"),  # 3 impossible date
    row(name="Rahim Uddin", born="2026-06-15", number="C2"),         # 4 born after arrest
    row(name="Joko Susanto", number="C3", when="2026-06-16T09:00"),  # 5 arrest in the future
    row(name="Aung Kyaw", nat="XYZ", number="C4"),                   # 6 unknown nationality
    row(name="Tran Thi Mai", number="C5", basis="s.99"),             # 7 no such section
    row(name="", number="C6"),                                       # 8 empty name
    row(name="Kumar Raj", number="C7", place=LONG),                  # 9 over-long
    row(name="Nguyen Van Anh", nat="VNM", doc_type="none", number=""),  # 10 good, no document
    row(name="Maria Santos", nat="PHL", number="C9", citizen="maybe"),   # 11 not yes/no
    row(name="Ram Thapa", nat="NPL", number="C10", when="2026-06-14"),   # 12 no time of day
    row(name="Ali Khan", nat="PAK", doc_type="visa", number="C11"),      # 13 bad document type
    row(name="Min Htet", nat="MMR", doc_type="passport", number=""),     # 14 number missing
    row(name="Sok Chan", nat="KHM", number="C13", born="17/05/1990"),    # 15 not YYYY-MM-DD
    row(name="Hasan Ali", nat="BGD", number="C14", sex="Q"),             # 16 bad sex
]
EXPECTED = {
    (3, "date_of_birth"): "not a real date",
    (4, "date_of_birth"): "after the arrest",
    (5, "arrested_at"): "in the future",
    (6, "nationality"): "not a known nationality",
    (7, "legal_basis"): "not a section",
    (8, "full_name"): "required",
    (9, "arrest_place"): "longer than 200",
    (11, "citizen"): "neither yes nor no",
    (12, "arrested_at"): "time of the arrest",
    (13, "document_type"): "not a document type",
    (14, "document_number"): "give the passport number",
    (15, "date_of_birth"): "YYYY-MM-DD",
    (16, "sex"): "M, F or X",
}


def assert_refused(found, expected=EXPECTED):
    got = {(e.row, e.field): e.reason for e in found}
    assert set(got) == set(expected), got
    for key, words in expected.items():
        assert words in got[key], (key, got[key])


def test_mixed_list_refuses_each_bad_row_by_row_and_column_and_admits_the_rest(db, clerk):
    before = counts(db)
    seen = preview(db, clerk, source(MIXED))
    assert_refused(seen.rejected)
    assert seen.accepted == 2 and [r.row for r in seen.rows if r.valid] == [2, 10]
    assert counts(db) == before  # the preview writes nothing

    out = run(db, clerk, source(MIXED))
    assert out.imported and out.rows == (2, 10) and out.accepted == 2
    assert out.detainee_numbers == ("SMY-2026-000001", "SMY-2026-000002")
    after = counts(db)
    assert after["Person"] - before["Person"] == 2
    assert after["Detention"] - before["Detention"] == 2
    assert after["IdentityDocument"] - before["IdentityDocument"] == 1
    assert after["Employer"] - before["Employer"] == 1  # one employer, shared
    assert after["AuditEvent"] - before["AuditEvent"] == 3  # two admissions + the import
    assert after["numbers"] - before["numbers"] == 2  # no gap for the refused rows
    with db.read() as uow:
        d = uow.session.scalars(select(Detention).order_by(Detention.id.desc())).first()
        assert d.detainee_no == "SMY-2026-000002" and d.status == "in_custody"
        assert d.arrested_at == dt.datetime(2026, 6, 14, 14, tzinfo=dt.UTC)
        assert d.operation_name == "Op Kutip 7/2026" and d.admitted_at == NOW
        event = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event.action == "import.arrests"
        summary = json.loads(event.after)
        assert summary["file"] == "op-kutip.csv" and summary["accepted"] == 2
        assert summary["sha256"] == source(MIXED).sha256 and summary["rows"] == 15
        assert summary["rejected_rows"] == [3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16]
        assert audit.verify(uow.session).ok


def test_strict_writes_nothing_when_a_row_is_refused(db, clerk):
    before = counts(db)
    out = run(db, clerk, source(MIXED), strict=True)
    assert not out.imported and out.accepted == 0 and out.detainee_numbers == ()
    assert_refused(out.preview.rejected)
    assert counts(db) == before
    good = run(db, clerk, source([MIXED[0], MIXED[8]]), strict=True)
    assert good.imported and good.accepted == 2


def test_bom_header_spelling_and_separator_do_not_matter(db, clerk):
    plain = preview(db, clerk, source(MIXED, bom=False))
    header = [h.replace("_", " ").title() for h in HEADER]
    spelled = preview(db, clerk, source(MIXED, header=header, sep=";"))
    bom = preview(db, clerk, source(MIXED))
    for p in (plain, spelled):
        assert p.rejected == bom.rejected and p.accepted == bom.accepted
        assert [r.request for r in p.rows] == [r.request for r in bom.rows]


def test_xlsx_with_date_cells_and_numbers(db, clerk):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER, "Remarks"])
    sheet.append(["Agus Setiawan", "M", dt.datetime(1990, 5, 17), "IDN", "national_id",
                  3175091705900001, dt.datetime(2026, 6, 14, 22, 0), "Selayang", "JIM",
                  "Op Kutip", "s.6(1)(c)", False, None, None, "ok"])
    sheet.append([None] * 5)  # a blank row is skipped
    sheet.append(["Siti Aminah", "F", "1995-02-30", "IDN", "passport", "C7654321", WHEN,
                  "Selayang", "JIM", "Op Kutip", "s.6(1)(c)", "yes", None, None, None])
    data = io.BytesIO()
    book.save(data)
    p = preview(db, clerk, ImportSource("op.xlsx", data.getvalue()))
    assert p.format == "xlsx" and p.ignored_columns == ("Remarks",)
    assert [(e.row, e.field) for e in p.rejected] == [(4, "date_of_birth")]
    request = p.rows[0].request
    assert request.date_of_birth == dt.date(1990, 5, 17)
    assert request.arrested_at == dt.datetime(2026, 6, 14, 22, tzinfo=MYT)
    assert request.documents == (DocumentInput("3175091705900001", "IDN", "national_id"),)
    assert request.citizen is False and p.rows[1].values["citizen"] == "yes"


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (csv_bytes([row()], header=HEADER[:5]), "lacks the columns document_number, arrested_at"),
    (csv_bytes([row()], header=[*HEADER[:-1], "full name"]), "full_name appears twice"),
    ("full_name\nJosé".encode("latin-1"), "not UTF-8"),
    (b"\xd0\xcf\x11\xe0rest of an old workbook", "old Excel"),
    (b"PK\x03\x04 not really a workbook", "not a readable Excel workbook"),
])
def test_a_file_that_cannot_be_used_is_refused_as_a_whole(db, clerk, data, words):
    before = counts(db)
    with pytest.raises(ValidationError) as caught:
        run(db, clerk, ImportSource("list.csv", data))
    assert list(caught.value.fields) == ["file"] and words in caught.value.fields["file"]
    assert counts(db) == before


def test_rows_repeated_in_the_file(db, clerk):
    rows = [
        row(),                                                          # 2
        row(name="Mohd Ali bin Abu", number="D1", nat="MYS"),           # 3
        row(name="Someone Else", number="b 123 4567"),                  # 4 document of 2
        row(name="Abu Muhammad Ali", number="D2", nat="MYS"),           # 5 person of 3
        row(name="Mohd Ali bin Abu", number="D3", nat="MYS", born="1991-05-17"),  # 6 other
    ]
    p = preview(db, clerk, source(rows))
    assert [(d.row, d.duplicate_of, d.field) for d in p.duplicates] == [
        (4, 2, "document_number"), (5, 3, "full_name")]
    assert [(e.row, e.field) for e in p.rejected] == [(4, "document_number"), (5, "full_name")]
    assert p.accepted == 3 and p.rows[2].duplicate_of == 2


@pytest.fixture
def on_record(db, clerk):
    """Persons on record: released (passport), removed under s.34, in custody, and one
    known only by name and date of birth."""
    ids = {}
    with db.write() as uow:
        for label, (name, nat, born, passport, status) in {
            "released": ("Agus Setiawan", "IDN", dt.date(1990, 5, 17), "B1234567", "released"),
            "removed": ("Htet Aung Lin", "MMR", dt.date(1994, 10, 5), "MC112233", "removed"),
            "held": ("Tran Thi Mai", "VNM", dt.date(1991, 2, 3), "N9988776", "in_custody"),
            "named": ("Mohammad Karim Uddin Hossain", "BGD", dt.date(1988, 3, 14), None,
                      "released"),
        }.items():
            detention_id = factories.detainee(uow, name, nationality=nat, born=born,
                                              passport=passport, status=status,
                                              admitted=dt.datetime(2025, 3, 1, 2, tzinfo=dt.UTC))
            d = uow.session.get(Detention, detention_id)
            ids[label] = d.person_id
            if status == "removed":
                uow.session.add(DetentionStage(
                    detention_id=d.id, section="s.34", authority="removal_order",
                    starts_at=dt.datetime(2025, 3, 5, tzinfo=dt.UTC)))
    return ids


def test_known_persons_and_repeat_entrants(db, clerk, on_record):
    rows = [
        row(name="Agus Setiawan Putra", employer="Ladang Sawit Jaya", reg="ABC-1"),  # 2
        row(name="Htet Aung Lin", nat="MMR", born="1994-10-05", number="MC112233",
            basis="s.36"),                                                       # 3
        row(name="Tran Thi Mai", nat="VNM", born="1991-02-03", number="N9988776"),  # 4
        row(name="Muhammad Karim Hossain", nat="BGD", born="1988-03-14",
            number="EB0000001"),                                                 # 5
        row(name="Joko Susanto", nat="MYS", number="K5550001"),                 # 6 other state
    ]
    with db.write() as uow:
        uow.session.add(IdentityDocument(person_id=on_record["named"], doc_type="passport",
                                         number="K5550001", issuing_state="BGD"))
    before = counts(db)
    p = preview(db, clerk, source(rows))
    known = {(k.row, k.person_id): k for k in p.known_persons}
    agus = known[(2, on_record["released"])]
    assert agus.match == "document" and agus.linked and p.rows[0].linked_person_id == agus.person_id
    assert "document number matches" in agus.reasons and agus.previously_removed is None
    htet = known[(3, on_record["removed"])]
    assert htet.linked and htet.previously_removed == (dt.date(2025, 3, 10), "s.34")
    assert [(e.row, e.person_id, e.removed_on, e.section, e.match, e.legal_basis)
            for e in p.repeat_entrants] == [
        (3, on_record["removed"], dt.date(2025, 3, 10), "s.34", "document", "s.36")]
    held = known[(4, on_record["held"])]
    assert held.in_custody_as and not held.linked
    assert [(e.row, e.field) for e in p.rejected] == [(4, "document_number")]
    assert "already in custody" in p.rejected[0].reason
    karim = known[(5, on_record["named"])]
    assert karim.match == "name" and not karim.linked and karim.score >= 88
    other = known[(6, on_record["named"])]
    assert other.match == "document" and not other.linked
    assert "issued by another state" in other.reasons[0]

    out = run(db, clerk, source(rows))
    assert out.rows == (2, 3, 5, 6)
    after = counts(db)
    assert after["Person"] - before["Person"] == 2  # Karim and Joko are new persons
    assert after["Detention"] - before["Detention"] == 4
    assert after["IdentityDocument"] - before["IdentityDocument"] == 2
    with db.read() as uow:
        s = uow.session
        owners = dict(s.execute(select(Detention.detainee_no, Detention.person_id)
                                .where(Detention.id.in_(out.detention_ids))).all())
        assert owners[out.detainee_numbers[0]] == on_record["released"]
        assert owners[out.detainee_numbers[1]] == on_record["removed"]
        # The name on the list is kept as an alias, and found by search.
        assert s.scalars(select(PersonAlias.name).where(
            PersonAlias.person_id == on_record["released"])).all() == ["Agus Setiawan Putra"]
        assert "PUTRA" in s.scalars(select(PersonNameToken.token).where(
            PersonNameToken.person_id == on_record["released"])).all()
        agus_now = s.get(Person, on_record["released"])
        assert agus_now.version == 2 and agus_now.employer_id is not None
        events = {e.entity_id: json.loads(e.after) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "detention.admit"))}
        first = events[str(out.detention_ids[0])]
        assert first["new_person"] is False and first["aliases"] == ["Agus Setiawan Putra"]
        assert first["identity_check"]["decision"] == "linked"
        assert first["import"] == {"file": "op-kutip.csv", "sha256": source(rows).sha256,
                                   "row": 2}
        third = events[str(out.detention_ids[2])]
        assert third["identity_check"]["decision"] == "new person"
        assert [c["person_id"] for c in third["identity_check"]["candidates_shown"]] == [
            on_record["named"]]
        assert audit.verify(s).ok
    # Now in custody: listing them again refuses them.
    again = preview(db, clerk, source(rows[:2]))
    assert [e.field for e in again.rejected] == ["document_number"] * 2


def test_the_clerk_links_a_name_match_after_review(db, clerk, on_record):
    rows = [
        row(name="Muhammad Karim Hossain", nat="BGD", born="1988-03-14", number="EB0000001"),
        row(name="Tran Thi Mai", nat="VNM", born="1991-02-03", doc_type="none", number=""),
        row(name="Rina Wulandari", number="C0000003"),
    ]
    named, held = on_record["named"], on_record["held"]
    p = preview(db, clerk, source(rows))
    # The same name, birth date and nationality as someone held now: refused outright.
    assert [(e.row, e.field) for e in p.rejected] == [(3, "full_name")]
    assert "in custody as" in p.rejected[0].reason

    links = {2: named, 3: held, 4: on_record["released"]}
    p = preview(db, clerk, source(rows), links=links)
    assert p.rows[0].linked_person_id == named and p.rows[0].valid
    assert [k.linked for k in p.rows[0].known] == [True]
    got = {(e.row, e.field): e.reason for e in p.rejected}
    assert "in custody" in got[(3, "full_name")]
    assert "not one this row matches" in got[(4, "full_name")]
    with pytest.raises(ValidationError):
        preview(db, clerk, source(rows), links={9: named})

    before = counts(db)
    out = run(db, clerk, source(rows), links={2: named})
    assert out.rows == (2, 4)
    after = counts(db)
    assert after["Person"] - before["Person"] == 1  # only Rina is new
    assert after["IdentityDocument"] - before["IdentityDocument"] == 2  # Karim's passport too
    with db.read() as uow:
        s = uow.session
        assert s.scalar(select(Detention.person_id)
                        .where(Detention.id == out.detention_ids[0])) == named
        assert s.scalars(select(IdentityDocument.number)
                         .where(IdentityDocument.person_id == named)).all() == ["EB0000001"]
        event = json.loads(s.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == str(out.detention_ids[0]),
            AuditEvent.action == "detention.admit")).one().after)
        assert event["identity_check"]["decision"] == "linked"
        assert "linked by the clerk" in event["identity_check"]["reason"]
        assert event["documents"] == [{"doc_type": "passport", "number": "EB0000001",
                                       "issuing_state": "BGD"}]


def test_two_documents_of_one_person_on_record_in_one_list(db, clerk, on_record):
    with db.write() as uow:
        uow.session.add(IdentityDocument(person_id=on_record["released"],
                                         doc_type="national_id", number="3175091705900001",
                                         issuing_state="IDN"))
    p = preview(db, clerk, source([row(), row(doc_type="national_id",
                                              number="3175091705900001")]))
    assert [(d.row, d.duplicate_of) for d in p.duplicates] == [(3, 2)]
    assert p.accepted == 1


def test_mrz_check_digits_and_agreement(db, clerk):
    good = td3("SETIAWAN", "AGUS", "B1234567", "IDN", "900517")
    lines = good.split("\n")
    wrong = lines[0] + "\n" + lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]
    header = [*HEADER, "mrz"]
    rows = [
        [*row(), good],                                         # 2 agrees
        [*row(name="Dewi Lestari", number="B7654321"), wrong],  # 3 check digit
        [*row(name="Budi", number="B7777777", born="1990-05-18"), good.replace("\n", " ")],
        [*row(name="Rina", number="", doc_type="none"),
         td3("WULANDARI", "RINA", "X9876543", "IDN", "900517")],  # 5 number from the MRZ
    ]
    p = preview(db, clerk, source(rows, header=header))
    got = {(e.row, e.field): e.reason for e in p.rejected}
    assert set(got) == {(3, "mrz"), (4, "document_number"), (4, "date_of_birth")}, got
    assert "document number: check digit" in got[(3, "mrz")]
    assert "does not match the MRZ (B1234567)" in got[(4, "document_number")]
    assert p.rows[3].request.documents == (DocumentInput("X9876543", "IDN", "passport"),)


def test_dry_run_and_progress_and_cancel_write_nothing(db, clerk):
    rows = [row(name=f"Orang Ke {i}", number=f"P{i:07d}") for i in range(250)]
    before = counts(db)
    ticks: list[tuple[int, int]] = []
    p = arrest_import.preview  # the preview is the dry run
    with db.read() as uow:
        seen = p(uow, clerk, source(rows), progress=lambda d, t: ticks.append((d, t)))
    assert seen.accepted == 250 and counts(db) == before
    assert ticks[-1] == (275, 275) and [d for d, _ in ticks] == sorted(d for d, _ in ticks)

    ticks.clear()
    out = run(db, clerk, source(rows), progress=lambda d, t: ticks.append((d, t)))
    assert out.accepted == 250 and ticks[-1] == (525, 525)
    assert [d for d, _ in ticks] == sorted(d for d, _ in ticks)

    before = counts(db)
    asked = []

    def cancel_while_writing() -> bool:
        asked.append(1)
        return len(asked) > 5  # after the checks, during the writes

    more = [row(name=f"Orang Lain {i}", number=f"Q{i:07d}") for i in range(250)]
    with pytest.raises(ImportCancelled):
        run(db, clerk, source(more), cancelled=cancel_while_writing)
    assert counts(db) == before


def test_a_failure_part_way_leaves_nothing(db, clerk, monkeypatch):
    before = counts(db)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # Persons, tokens and documents are written by then; the numbers fail.
    monkeypatch.setattr(arrest_import.writing, "_take_numbers", broken)
    with pytest.raises(RuntimeError):
        run(db, clerk, source([row(), row(name="Dewi", number="B2")]))
    assert counts(db) == before


def test_only_those_who_admit_may_import(db, clerk):
    warden = actor_for(db, "warden1")
    with pytest.raises(PermissionDenied):
        preview(db, warden, source([row()]))


def test_an_imported_row_is_written_as_admit_writes_it(db, clerk):
    """The bulk path must keep up with ``admission.admit``: same columns, same audit keys."""
    request = AdmissionRequest(
        full_name="Agus Setiawan", sex="M", date_of_birth=dt.date(1990, 5, 17),
        nationality="IDN", documents=(DocumentInput("B1234567", "IDN", "passport"),),
        employer=EmployerInput("Kilang Maju Sdn Bhd", "201501023456"),
        arrested_at=dt.datetime(2026, 6, 14, 22, tzinfo=MYT), arrest_place="Pasar Borong Selayang",
        arresting_agency="JIM", operation_name="Op Kutip 7/2026", legal_basis="s.6(1)(c)")
    with db.write() as uow:
        by_hand = admission.admit(uow, clerk, request).value.id
    # Another person (the same one would be refused: in custody now), otherwise the same.
    out = run(db, clerk, source([row(name="Budi Setiawan", number="B7654321")]))
    skip = {"id", "person_id", "detention_id", "detainee_no", "employer_id", "number",
            "full_name", "name_key"}

    def columns(obj):
        return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}

    with db.read() as uow:
        s = uow.session
        pair = [s.get(Detention, i) for i in (by_hand, out.detention_ids[0])]
        assert columns(pair[0]) == columns(pair[1])
        persons = [s.get(Person, d.person_id) for d in pair]
        assert columns(persons[0]) == columns(persons[1])
        for model in (DetentionStage, Movement):
            rows = [s.scalars(select(model).where(model.detention_id == d.id)).one()
                    for d in pair]
            assert columns(rows[0]) == columns(rows[1])
        tokens = [sorted(s.scalars(select(PersonNameToken.token)
                                   .where(PersonNameToken.person_id == p.id))) for p in persons]
        assert tokens[0] == ["AGUS", "SETIAWAN"] and tokens[1] == ["BUDI", "SETIAWAN"]
        events = [json.loads(s.scalars(select(AuditEvent).where(
            AuditEvent.action == "detention.admit", AuditEvent.entity_id == str(d.id))).one()
            .after) for d in pair]
        assert set(events[1]) - set(events[0]) == {"import"}
        assert set(events[0]) == set(events[1]) - {"import"}
        same = {k for k in events[0] if k not in ("detainee_no", "person_id", "documents",
                                                  "employer_id", "full_name")}
        assert {k: events[0][k] for k in same} == {k: events[1][k] for k in same}


@pytest.mark.parametrize("name", ["Mohd. Ali bin Abu", "Kumar A/L Subramaniam",
                                  "Nguyễn Văn  An", "MD Noor binti Abd Rahman", "Ó'Brien-Smith"])
def test_parts_of_key_is_name_parts(name):
    assert arrest_import.parts_of_key(name_key(name)) == " ".join(name_parts(name))


# The command ------------------------------------------------------------------------------

@pytest.fixture
def cli(db, monkeypatch, capsys):
    monkeypatch.setenv("DEPOT_USER", "clerk1")
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)

    def run_cli(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", db.url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run_cli


def live_rows() -> list[list[str]]:
    """MIXED, with arrests relative to the real clock (the command's)."""
    yesterday = (dt.datetime.now(MYT) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ahead = (dt.datetime.now(MYT) + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    today = dt.datetime.now(MYT).date().isoformat()
    out = []
    for r in MIXED:
        r = list(r)
        if r[6] == WHEN:
            r[6] = yesterday
        elif r[6].startswith("2026-06-16"):
            r[6] = ahead
        if r[2] == "2026-06-15":
            r[2] = today
        out.append(r)
    return out


def test_cli_json_strict_dry_run_and_cards(cli, db, tmp_path):
    listing = tmp_path / "op kutip.csv"
    listing.write_bytes(csv_bytes(live_rows()))
    before = counts(db)

    code, out, err = cli("import", "arrests", str(listing), "--strict", "--json")
    assert code == 1, err
    report = json.loads(out)
    assert set(report) == {"accepted", "rejected", "duplicates", "known_persons",
                           "repeat_entrants", "detainee_numbers"}
    assert report["accepted"] == 0 and report["detainee_numbers"] == []
    assert {(e["row"], e["field"]) for e in report["rejected"]} == set(EXPECTED)
    assert all(set(e) == {"row", "field", "reason"} for e in report["rejected"])
    assert counts(db) == before

    code, out, err = cli("import", "arrests", str(listing), "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out)["accepted"] == 2 and counts(db) == before

    cards = tmp_path / "cards.pdf"
    code, out, err = cli("import", "arrests", str(listing), "--json", "--cards", str(cards))
    assert code == 0, err
    report = json.loads(out)
    assert report["accepted"] == 2 and len(report["detainee_numbers"]) == 2
    assert report["cards"]["count"] == 2 and report["cards"]["serial"].startswith("SMY-DOC-")
    from tests.printing.helpers import page_texts

    text = " ".join(page_texts(cards.read_bytes()))
    assert all(no in text for no in report["detainee_numbers"])
    assert "AGUS SETIAWAN" in text.upper() and "NGUYEN VAN ANH" in text.upper()

    # Again: the same people are in custody now, so every row is refused (text output).
    code, out, err = cli("import", "arrests", str(listing))
    assert code == 0, err
    assert out.startswith("Admitted 0 of 15 rows") and "already in custody" in out


def test_cli_usage_and_file_errors(cli, tmp_path):
    code, _, err = cli("import", "arrests", str(tmp_path / "missing.csv"))
    assert code == 1 and "file: cannot read" in err
    code, _, err = cli("import", "arrests", "x.csv", "--dry-run", "--cards", "c.pdf")
    assert code == 2 and "not with --dry-run" in err
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row()], header=HEADER[:3]))
    code, _, err = cli("import", "arrests", str(bad), "--json")
    assert code == 1 and "lacks the columns" in err
