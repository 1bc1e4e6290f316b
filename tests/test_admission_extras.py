"""What intake records besides the person: property and cash, family links, and the clerk's
answer to the identity check — written with the admission or not at all."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, CashEntry, FamilyLink, PropertyItem
from depot_app.errors import ValidationError
from depot_app.services.admission import FamilyInput, IdentityDecision, PropertyInput
from tests.test_admission import (
    actor_for,
    admit,
    clock,  # noqa: F401  (fixture)
    request,
)


@pytest.fixture
def clerk(db, clock):  # noqa: F811
    return actor_for(db, "clerk1")


def last_event(db) -> dict:
    with db.read() as uow:
        event = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        return json.loads(event.after)


def extra_counts(db) -> tuple[int, int, int]:
    with db.read() as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(m))
                     for m in (PropertyItem, CashEntry, FamilyLink))


def test_property_and_cash_are_kept_with_the_admission(db, clerk):
    row = admit(db, clerk, request(
        property=(PropertyInput("Telefon bimbit Samsung"), PropertyInput(" Beg  galas ", 2)),
        property_bag_no="B-0412", cash_amount=Decimal("235.50"), cash_note="")).value
    with db.read() as uow:
        items = uow.session.scalars(select(PropertyItem).where(
            PropertyItem.detention_id == row.id).order_by(PropertyItem.id)).all()
        cash = uow.session.scalars(select(CashEntry).where(CashEntry.detention_id == row.id)).one()
        assert [(i.description, i.quantity, i.bag_no) for i in items] == [
            ("Telefon bimbit Samsung", 1, "B-0412"), ("Beg galas", 2, "B-0412")]
        assert all(i.received_at == row.admitted_at and i.returned_at is None for i in items)
        assert cash.amount == Decimal("235.50") and cash.occurred_at == row.admitted_at
    after = last_event(db)
    assert after["cash"] == "235.50" and after["property_bag_no"] == "B-0412"
    assert [p["description"] for p in after["property"]] == ["Telefon bimbit Samsung", "Beg galas"]


def test_no_cash_writes_no_cash_entry_but_zero_is_recorded(db, clerk):
    admit(db, clerk, request())
    assert extra_counts(db) == (0, 0, 0)
    admit(db, clerk, request(full_name="Budi", cash_amount=Decimal("0")))
    assert extra_counts(db) == (0, 1, 0)


BAD = [
    ({"cash_amount": Decimal("-1")}, "cash_amount", "negative"),
    ({"cash_amount": Decimal("1.005")}, "cash_amount", "two decimal places"),
    ({"cash_amount": "12,50"}, "cash_amount", "not an amount"),
    ({"cash_amount": Decimal("NaN")}, "cash_amount", "amount of money"),
    ({"cash_amount": Decimal("1000000.01")}, "cash_amount", "supervisor"),
    ({"property": (PropertyInput("  "),), "property_bag_no": "B1"},
     "property[0].description", "required"),
    ({"property": (PropertyInput("Jam", 0),), "property_bag_no": "B1"},
     "property[0].quantity", "1 to 999"),
    ({"property": (PropertyInput("Jam"),)}, "property_bag_no", "bag or locker"),
    ({"property": (PropertyInput("x" * 201),), "property_bag_no": "B1"},
     "property[0].description", "longer than 200"),
    ({"family": (FamilyInput("cousin", "SMY-2026-000001"),)}, "family[0].relation", "one of"),
    ({"family": (FamilyInput("parent", "SMY-2026-999999"),)}, "family[0].detainee_no",
     "no detainee"),
    ({"family": (FamilyInput("parent", ""),)}, "family[0].detainee_no", "detainee number"),
    ({"identity_decision": IdentityDecision(((7, 130.0),), document_match=True)},
     "identity_decision.reason", "holds this document number"),
]


def test_bad_belongings_and_links_are_named_and_nothing_is_written(db, clerk, subtests):
    for changes, field, words in BAD:
        with subtests.test(field=field, words=words):
            with pytest.raises(ValidationError) as caught:
                admit(db, clerk, request(**changes))
            assert words in caught.value.fields.get(field, ""), caught.value.fields
    assert extra_counts(db) == (0, 0, 0)


def test_family_link_to_a_detainee_held_here(db, clerk):
    mother = admit(db, clerk, request(full_name="Siti Aminah", sex="F")).value
    child = admit(db, clerk, request(
        full_name="Nur Aisyah", sex="F", date_of_birth=mother.date_of_birth.replace(year=2019),
        is_unaccompanied_child=False,
        family=(FamilyInput("Parent", mother.detainee_no.lower()),))).value
    with db.read() as uow:
        link = uow.session.scalars(select(FamilyLink)).one()
        assert (link.detention_id, link.related_detention_id, link.relation) == (
            child.id, mother.id, "parent")
    assert last_event(db)["family"] == [{"relation": "parent",
                                         "detainee_no": mother.detainee_no}]
    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(full_name="Anak", family=(
            FamilyInput("sibling", child.detainee_no), FamilyInput("sibling", child.detainee_no))))
    assert "linked twice" in caught.value.fields["family[1].detainee_no"]


def test_identity_decision_is_audited(db, clerk):
    first = admit(db, clerk, request(identity_decision=IdentityDecision())).value
    assert last_event(db)["identity_check"] == {
        "decision": "new person", "linked_person_id": None, "candidates_shown": [],
        "document_match": False, "reason": ""}
    with db.read() as uow:
        from db.models import Detention
        person_id = uow.session.get(Detention, first.id).person_id
    admit(db, clerk, request(full_name="Other", identity_decision=IdentityDecision(
        ((person_id, 131.0),), document_match=True, reason="Different father's name, photo "
                                                         "does not match")))
    decision = last_event(db)["identity_check"]
    assert decision["decision"] == "new person" and decision["document_match"] is True
    assert decision["candidates_shown"] == [{"person_id": person_id, "score": 131.0}]
    assert decision["reason"].startswith("Different father")


def test_validate_writes_nothing_and_gives_the_production_deadline(db, clerk):
    import datetime as dt

    from depot_app.services import admission
    from tests.test_admission import ARREST, counts

    before = counts(db)
    with db.read() as uow:
        foreign = admission.validate(uow, clerk, request())
        citizen = admission.validate(uow, clerk, request(citizen=True))
        with pytest.raises(ValidationError) as caught:
            admission.validate(uow, clerk, request(legal_basis="s.99"))
    assert "legal_basis" in caught.value.fields
    assert foreign.production_due == ARREST + dt.timedelta(days=14)
    assert "s.51(5)(b)" in foreign.production_rule and foreign.production_rule.startswith("14 days")
    assert citizen.production_due == ARREST + dt.timedelta(hours=24)
    assert "s.51(5)(a)" in citizen.production_rule
    assert foreign.legal_basis.startswith("s.6(1)(c): Entering Malaysia")
    assert (foreign.is_minor, foreign.age_at_arrest) == (False, 36)
    assert counts(db) == before


def test_one_document_one_person(db, clerk):
    """A passport on record is never added to another person, and a clerk who goes against
    the documents must say why."""
    from sqlalchemy import select as select_

    from db.models import Detention
    from depot_app.services.admission import DocumentInput
    from tests import factories

    held = admit(db, clerk, request(full_name="Rahman Mia", documents=(
        DocumentInput("BN0742115", "BGD"),))).value
    with db.write() as uow:
        other_id = factories.detainee(uow, "Jahangir Rahman", nationality="BGD",
                                      status="released", number="SMY-2025-000077")
        other_person = uow.session.get(Detention, other_id).person_id
    with db.read() as uow:
        holder = uow.session.scalar(select_(Detention.person_id).where(Detention.id == held.id))
    assert holder != other_person
    bad = [
        # Linking Jahangir while carrying Rahman's passport: refused outright.
        ({"existing_person_id": other_person, "documents": (DocumentInput("BN0742115", "BGD"),)},
         "documents[0].number", "on record for another person (Rahman Mia)"),
        # A new person with a passport on record: the reason is required whatever the UI said.
        ({"full_name": "Rahman Mia", "documents": (DocumentInput("BN0742115", "BGD"),),
          "identity_decision": IdentityDecision()}, "identity_decision.reason",
         "holds this document number"),
        # Linking by name alone (no document of theirs matches): the reason is required.
        ({"existing_person_id": other_person, "identity_decision": IdentityDecision(
            ((other_person, 70.0),))}, "identity_decision.reason", "same person"),
    ]
    for changes, field, words in bad:
        with pytest.raises(ValidationError) as caught:
            admit(db, clerk, request(**changes))
        assert words in caught.value.fields.get(field, ""), caught.value.fields
    linked = admit(db, clerk, request(existing_person_id=other_person, identity_decision=(
        IdentityDecision(((other_person, 70.0),), reason="Photo and fingerprints match")))).value
    assert linked.full_name == "Jahangir Rahman"


def test_an_arrest_in_the_future_is_the_one_error_named(db, clerk):
    import datetime as dt

    from tests.test_admission import NOW

    with pytest.raises(ValidationError) as caught:
        admit(db, clerk, request(arrested_at=NOW + dt.timedelta(hours=2)))
    assert set(caught.value.fields) == {"arrested_at"}
