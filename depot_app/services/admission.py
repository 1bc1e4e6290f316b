"""Admitting a detainee: the person, the custody episode, its first legal stage and the
admission movement, numbered and audited in one unit of work.

This is the core the intake wizard (and the demo loader) builds on: a request holds what
the clerk gathered, ``admit`` checks all of it at once (every bad field named) and writes
nothing unless everything is right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select

from db.models import (
    CashEntry,
    Detention,
    DetentionStage,
    Employer,
    FamilyLink,
    IdentityDocument,
    ImmigrationPass,
    Movement,
    Person,
    PersonAlias,
    PersonNameToken,
    Photo,
    PropertyItem,
)
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.names import name_key
from depot_app.readmodels import DetaineeRow
from depot_app.services import detainees, name_index, numbers, rules
from depot_app.services.admission_checks import ADULT_AGE, Checked, age_on, check
from depot_app.services.court import authority
from depot_app.services.setup import current_depot

__all__ = ["ADULT_AGE", "AdmissionCheck", "AdmissionRequest", "DocumentInput", "EmployerInput",
           "FamilyInput", "IdentityDecision", "PassInput", "PhotoInput", "PropertyInput", "admit",
           "age_on", "validate"]

CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class DocumentInput:
    number: str
    issuing_state: str
    doc_type: str = "passport"
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    held_by_depot: bool = False


@dataclass(frozen=True)
class PassInput:
    pass_type: str
    number: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class PhotoInput:
    data: bytes
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class EmployerInput:
    """A new employer; an existing one with the same registration number is reused."""

    name: str
    registration_no: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PropertyInput:
    """One item taken into safe keeping (all of an admission's items share one bag)."""

    description: str
    quantity: int = 1


@dataclass(frozen=True)
class FamilyInput:
    """A family member already held here: ``relation`` is what they are to this person
    (``parent`` means the detainee numbered ``detainee_no`` is this person's parent)."""

    relation: str
    detainee_no: str


@dataclass(frozen=True)
class IdentityDecision:
    """What the identity check showed the clerk before the admission, for the audit trail.

    ``candidates`` are the (person id, score) pairs shown; ``document_match`` is true when
    one of them holds the document number given. Creating a new person despite such a
    match needs a ``reason``."""

    candidates: tuple[tuple[int, float], ...] = ()
    document_match: bool = False
    reason: str = ""


@dataclass(frozen=True)
class AdmissionRequest:
    """What intake gathers. For a person already on record (a new custody episode) give
    ``existing_person_id``: the identity fields are then taken from the record, and any
    aliases, documents, passes or photo given are added to it."""

    # Who
    full_name: str = ""
    sex: str = ""  # M, F, X
    date_of_birth: dt.date | None = None
    date_of_birth_estimated: bool = False
    nationality: str = ""  # ISO 3166-1 alpha-3 or an ICAO code for the stateless
    aliases: tuple[str, ...] = ()
    place_of_birth: str = ""
    languages: str = ""
    interpreter_needed: bool = False
    distinguishing_marks: str = ""
    home_address: str = ""
    work_address: str = ""
    existing_person_id: int | None = None
    documents: tuple[DocumentInput, ...] = ()
    passes: tuple[PassInput, ...] = ()
    photo: PhotoInput | None = None
    employer_id: int | None = None
    employer: EmployerInput | None = None
    # The arrest and the provision the person is held under
    arrested_at: dt.datetime | None = None
    arrest_place: str = ""
    arresting_agency: str = ""
    operation_name: str = ""
    legal_basis: str = ""  # a section from depot_app.legal_bases, e.g. "s.6(1)(c)"
    legal_reference: str = ""  # e.g. the arrest report number
    citizen: bool = False
    # The admission
    admitted_at: dt.datetime | None = None  # None: now
    cell_id: int | None = None  # None: held at reception, unallocated
    is_pregnant: bool = False
    is_disabled: bool = False
    is_unaccompanied_child: bool = False
    family: tuple[FamilyInput, ...] = ()
    # Property and cash taken into safe keeping, for the receipt the detainee signs
    property: tuple[PropertyInput, ...] = ()
    property_bag_no: str = ""
    cash_amount: Decimal | None = None  # MYR
    cash_note: str = ""  # e.g. foreign notes counted separately
    identity_decision: IdentityDecision | None = None
    note: str = ""


@dataclass(frozen=True)
class AdmissionCheck:
    """What a request that passes would give: for the wizard to show before admitting."""

    is_minor: bool
    age_at_arrest: int | None
    legal_basis: str
    cell: str
    production_due: dt.datetime  # before a Magistrate, by the rule for a citizen or not
    production_rule: str  # e.g. "14 days (Immigration Act 1959/63 s.51(5)(b); ...)"


def validate(uow: UnitOfWork, actor: Actor, request: AdmissionRequest) -> AdmissionCheck:
    """Check a request as ``admit`` would, writing nothing. ``ValidationError`` names every
    bad field; a form checking one step at a time keeps the errors of that step's fields."""
    actor.require(Permission.ADMIT)
    depot = current_depot(uow)
    ok = check(uow, request, depot.id, uow.now(), CLOCK_SKEW)
    age = None
    if ok.date_of_birth is not None:
        age = age_on(ok.date_of_birth, ok.arrested_at.astimezone(MYT).date())
    due, rule = rules.production_due(uow, ok.arrested_at, request.citizen)
    return AdmissionCheck(ok.is_minor, age, f"{ok.basis.code}: {ok.basis.words}", ok.cell_label,
                          due, f"{rule.words()} ({rule.source})")


def admit(uow: UnitOfWork, actor: Actor, request: AdmissionRequest) -> Result[DetaineeRow]:
    """Admit one detainee. Raises ``ValidationError`` naming every bad field."""
    actor.require(Permission.ADMIT)
    depot = current_depot(uow)
    now = uow.now()
    ok = check(uow, request, depot.id, now, CLOCK_SKEW)
    s = uow.session

    employer_id = _employer_id(uow, request, ok)
    person = ok.person or _new_person(uow, request, ok, employer_id)
    if ok.person is not None and employer_id is not None:
        person.employer_id = employer_id  # where the person now says they work
    person_id = person.id
    known = {name_key(person.full_name)}
    if ok.person is not None:
        known |= set(s.scalars(select(PersonAlias.name_key)
                               .where(PersonAlias.person_id == person_id)))
    for alias in ok.aliases:
        key = name_key(alias)
        if key not in known:
            known.add(key)
            s.add(PersonAlias(person_id=person_id, name=alias, name_key=key))
    _index_names(uow, person, ok)
    for doc in ok.documents:
        s.add(IdentityDocument(person_id=person_id, doc_type=doc.doc_type, number=doc.number,
                               issuing_state=doc.issuing_state, issued_on=doc.issued_on,
                               expires_on=doc.expires_on, held_by_depot=doc.held_by_depot))
    for p in ok.passes:
        s.add(ImmigrationPass(person_id=person_id, pass_type=p.pass_type, number=p.number,
                              issued_on=p.issued_on, expires_on=p.expires_on))
    if request.photo is not None:
        if ok.person is not None:
            for earlier in s.scalars(select(Photo).where(Photo.person_id == person_id,
                                                         Photo.is_current)):
                earlier.is_current = False
        s.add(Photo(person_id=person_id, taken_at=ok.admitted_at, mime=ok.photo_mime,
                    data=request.photo.data, is_current=True))

    born, is_minor = ok.date_of_birth, ok.is_minor
    detainee_no = numbers.next_detainee_no(uow, depot.id, depot.code,
                                           numbers.year_of(ok.admitted_at))
    detention = Detention(
        detainee_no=detainee_no, person_id=person_id, depot_id=depot.id,
        arrested_at=ok.arrested_at, arrest_place=ok.arrest_place,
        arresting_agency=ok.arresting_agency, operation_name=ok.operation_name,
        citizen=request.citizen, admitted_at=ok.admitted_at, status="in_custody",
        current_cell_id=request.cell_id, away_reason="", is_minor=is_minor,
        is_pregnant=request.is_pregnant, is_disabled=request.is_disabled,
        is_unaccompanied_child=request.is_unaccompanied_child, admitted_by_id=actor.user_id,
    )
    s.add(detention)
    s.flush()
    s.add(DetentionStage(
        detention_id=detention.id, section=ok.basis.code, authority=ok.basis.authority,
        reference=ok.legal_reference, starts_at=ok.arrested_at, ends_at=None,
        recorded_by_id=actor.user_id, **authority.first_stage(
            authority.load_law(s), ok.arrested_at, request.citizen, ok.basis.code,
            ok.basis.authority),
    ))
    s.add(Movement(
        detention_id=detention.id, kind="admission", occurred_at=ok.admitted_at,
        from_cell_id=None, to_cell_id=request.cell_id, destination="",
        reason=ok.note or f"Admitted under {ok.basis.code}: {ok.basis.words}",
        authority=ok.basis.code, recorded_by_id=actor.user_id, recorded_at=now,
    ))
    extras = _keep_belongings_and_family(uow, actor, detention.id, ok)
    s.flush()

    uow.record(actor, "detention.admit", "detention", detention.id, None, {
        "detainee_no": detainee_no, "person_id": person_id, "new_person": ok.person is None,
        "full_name": person.full_name, "sex": person.sex, "date_of_birth": born,
        "nationality": person.nationality, "citizen": request.citizen,
        "arrested_at": ok.arrested_at, "arrest_place": ok.arrest_place,
        "arresting_agency": ok.arresting_agency, "operation_name": ok.operation_name,
        "legal_basis": ok.basis.code, "legal_reference": ok.legal_reference,
        "admitted_at": ok.admitted_at, "cell_id": request.cell_id, "cell": ok.cell_label,
        "is_minor": is_minor, "is_pregnant": request.is_pregnant,
        "is_disabled": request.is_disabled,
        "is_unaccompanied_child": request.is_unaccompanied_child,
        "aliases": list(ok.aliases), "employer_id": person.employer_id,
        "documents": [{"doc_type": d.doc_type, "number": d.number,
                       "issuing_state": d.issuing_state} for d in ok.documents],
        "passes": [{"pass_type": p.pass_type, "number": p.number, "expires_on": p.expires_on}
                   for p in ok.passes],
        "photo": request.photo is not None,
        **extras, "identity_check": _identity_audit(request),
    })
    touched = [areas.DETAINEES, areas.PERSONS, areas.ROLL, areas.DEADLINES]
    if request.cell_id is not None:
        touched.append(areas.LOCATIONS)
    uow.touch(Changes.of(*touched, detention_ids=(detention.id,)))
    return Result(detainees.rows(uow, actor, [detention.id])[0], uow.changes)


def _keep_belongings_and_family(uow: UnitOfWork, actor: Actor, detention_id: int,
                                ok: Checked) -> dict:
    """Property, cash and family links: written with the admission, listed in its audit."""
    s = uow.session
    x = ok.extras
    for item in x.property:
        s.add(PropertyItem(detention_id=detention_id, description=item.description,
                           quantity=item.quantity, bag_no=x.bag_no, received_at=ok.admitted_at,
                           received_by_id=actor.user_id))
    if x.cash is not None:
        s.add(CashEntry(detention_id=detention_id, amount=x.cash, occurred_at=ok.admitted_at,
                        note=x.cash_note or "Diterima semasa kemasukan / Received on admission",
                        recorded_by_id=actor.user_id))
    for relation, related_id, _number in x.family:
        s.add(FamilyLink(detention_id=detention_id, related_detention_id=related_id,
                         relation=relation))
    return {
        "property": [{"description": i.description, "quantity": i.quantity}
                     for i in x.property],
        "property_bag_no": x.bag_no, "cash": x.cash, "cash_note": x.cash_note,
        "family": [{"relation": rel, "detainee_no": no} for rel, _id, no in x.family],
    }


def _identity_audit(request: AdmissionRequest) -> dict | None:
    """The clerk's answer to the identity check: linked to whom, or new despite whom."""
    d = request.identity_decision
    if d is None:
        return None
    return {
        "decision": ("linked" if request.existing_person_id is not None else "new person"),
        "linked_person_id": request.existing_person_id,
        "candidates_shown": [{"person_id": pid, "score": score} for pid, score in d.candidates],
        "document_match": d.document_match, "reason": d.reason.strip(),
    }


def _index_names(uow: UnitOfWork, person: Person, ok: Checked) -> None:
    """Keep the name-token index (what search uses) in step with the names just written."""
    if ok.person is None:
        rows = name_index.token_rows(person.id, [person.full_name, *ok.aliases])
        if rows:
            uow.session.execute(insert(PersonNameToken), rows)
    elif ok.aliases:
        name_index.index_person(uow.session, person.id)


def _new_person(uow: UnitOfWork, request: AdmissionRequest, ok: Checked,
                employer_id: int | None) -> Person:
    s = uow.session
    person = Person(
        full_name=ok.full_name, name_key=name_key(ok.full_name), sex=ok.sex,
        date_of_birth=request.date_of_birth,
        date_of_birth_estimated=request.date_of_birth_estimated,
        nationality=ok.nationality, place_of_birth=request.place_of_birth.strip(),
        languages=request.languages.strip(), interpreter_needed=request.interpreter_needed,
        distinguishing_marks=request.distinguishing_marks.strip(),
        home_address=request.home_address.strip(), work_address=request.work_address.strip(),
        employer_id=employer_id, created_at=uow.now(),
    )
    s.add(person)
    s.flush()
    return person


def _employer_id(uow: UnitOfWork, request: AdmissionRequest, ok: Checked) -> int | None:
    """The employer to link: an existing one by id, or the new one (reused by registration)."""
    e = ok.employer
    if e is None:
        return request.employer_id
    s = uow.session
    if e.registration_no:
        found = s.scalar(select(Employer.id).where(Employer.registration_no == e.registration_no)
                         .order_by(Employer.id).limit(1))
        if found is not None:
            return found
    employer = Employer(name=e.name, registration_no=e.registration_no, address=e.address,
                        phone=e.phone)
    s.add(employer)
    s.flush()
    return employer.id
