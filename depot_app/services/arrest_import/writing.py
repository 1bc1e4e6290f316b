"""``import_arrests``: what ``admission.admit`` writes for each valid row, in a handful of
bulk statements (persons, name tokens, aliases, documents, employers, detainee numbers,
detentions, stages, movements), the ``detention.admit`` audit event per detainee and one
``import.arrests`` event for the file."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update

from db.models import (
    DetaineeNumberSequence,
    Detention,
    DetentionStage,
    Employer,
    IdentityDocument,
    Movement,
    Person,
    PersonAlias,
    PersonNameToken,
)
from depot_app import changes as areas
from depot_app.actor import Actor
from depot_app.changes import Changes, Result
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError
from depot_app.names import name_key
from depot_app.services import name_index, numbers
from depot_app.services.admission import EmployerInput
from depot_app.services.admission_checks import ADULT_AGE, Checked, age_on
from depot_app.services.arrest_import.bulk import _bulk_insert, _chunks, _insert_with_ids
from depot_app.services.arrest_import.model import (
    Cancelled,
    ImportOutcome,
    ImportSource,
    Progress,
)
from depot_app.services.arrest_import.prepare import _Plan, _prepare, _Steps
from depot_app.services.arrest_import.reading import _as_source
from depot_app.services.court import authority
from depot_app.services.setup import current_depot


def import_arrests(uow: UnitOfWork, actor: Actor, source: ImportSource | str | os.PathLike,
                   strict: bool = False, *, links: Mapping[int, int] | None = None,
                   progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> Result[ImportOutcome]:
    """Admit every valid row of the list in this (write) unit of work.

    With ``strict``, any refused row means nothing is written (``imported`` False).
    ``links`` are the clerk's answers to name matches, as for ``preview``.
    ``progress(done, total)`` counts checking the rows, matching them, then writing them;
    ``cancelled()`` is asked as often, and a cancel raises ``ImportCancelled`` (the caller's
    unit of work then rolls back: nothing is admitted)."""
    source = _as_source(source)
    steps = _Steps(progress, cancelled, True)
    result, plans = _prepare(uow, actor, source, steps, links or {})
    if (strict and result.rejected) or not plans:
        return Result(ImportOutcome(result, imported=False), uow.changes)
    total = len(result.rows)
    detention_ids, numbers_given = _admit_all(uow, actor, source, plans, steps)
    uow.record(actor, "import.arrests", "import", source.sha256[:16], None, {
        "file": source.name, "sha256": source.sha256, "format": result.format,
        "strict": strict, "rows": total, "accepted": len(plans),
        "rejected_rows": list(result.rejected_rows),
        "first_detainee_no": numbers_given[0], "last_detainee_no": numbers_given[-1],
        "known_persons": len(result.known_persons),
        "repeat_entrants": [{"row": e.row, "person_id": e.person_id}
                            for e in result.repeat_entrants],
    })
    uow.touch(Changes.of(areas.DETAINEES, areas.PERSONS, areas.ROLL, areas.DEADLINES,
                         detention_ids=tuple(detention_ids)))
    if steps.progress is not None:
        steps.progress(steps.total, steps.total)
    return Result(ImportOutcome(result, True, tuple(p.row.row for p in plans),
                                tuple(detention_ids), tuple(numbers_given)), uow.changes)


def _admit_all(uow: UnitOfWork, actor: Actor, source: ImportSource, plans: list[_Plan],
               steps: _Steps) -> tuple[list[int], list[str]]:
    """What ``admission.admit`` writes for each row, in a handful of bulk statements."""
    depot = current_depot(uow)
    now = uow.now()
    existing = _lock_known(uow, [p.person_id for p in plans if p.person_id is not None])
    employer_ids = _employers(uow, [p.row.checked.employer for p in plans])
    steps.writing(0.2)

    new = [p for p in plans if p.person_id is None]
    person_rows = [{
        "full_name": p.row.checked.full_name, "name_key": p.row.key,
        "sex": p.row.checked.sex, "date_of_birth": p.row.checked.date_of_birth,
        "date_of_birth_estimated": False, "nationality": p.row.checked.nationality,
        "place_of_birth": "", "languages": "", "interpreter_needed": False,
        "distinguishing_marks": "", "home_address": "", "work_address": "",
        "employer_id": employer_ids[_employer_key(p.row.checked.employer)],
        "created_at": now, "version": 1,
    } for p in new]
    new_ids = _insert_with_ids(uow, Person, person_rows)
    person_of: dict[int, int] = {p.row.row: pid for p, pid in zip(new, new_ids, strict=True)}
    tokens = [t for p, pid in zip(new, new_ids, strict=True)
              for t in name_index.token_rows(pid, [p.row.checked.full_name])]
    if tokens:
        _bulk_insert(uow, PersonNameToken, tokens)
    person_of.update({p.row.row: p.person_id for p in plans if p.person_id is not None})
    aliases_added = _link_all(uow, plans, existing, employer_ids)
    documents = [{"person_id": person_of[p.row.row], "doc_type": d.doc_type,
                  "number": d.number, "issuing_state": d.issuing_state, "issued_on": None,
                  "expires_on": None, "held_by_depot": False, "version": 1}
                 for p in plans if p.person_id is None or p.chosen
                 for d in p.row.checked.documents]
    if documents:
        _bulk_insert(uow, IdentityDocument, documents)
    steps.writing(0.5)

    given = _take_numbers(uow, depot.id, depot.code, numbers.year_of(now), len(plans))
    minors = {p.row.row: (p.row.checked.is_minor if p.person_id is None
                          else _is_minor(existing[p.person_id], p.row.checked))
              for p in plans}
    detention_ids = _insert_with_ids(uow, Detention, [{
        "detainee_no": no, "person_id": person_of[p.row.row], "depot_id": depot.id,
        "arrested_at": c.arrested_at, "arrest_place": c.arrest_place,
        "arresting_agency": c.arresting_agency, "operation_name": c.operation_name,
        "citizen": p.row.request.citizen, "admitted_at": c.admitted_at, "status": "in_custody",
        "ended_at": None, "current_cell_id": None, "away_reason": "",
        "is_minor": minors[p.row.row], "is_pregnant": False, "is_disabled": False,
        "is_unaccompanied_child": False, "admitted_by_id": actor.user_id, "version": 1,
    } for p, no in zip(plans, given, strict=True) for c in (p.row.checked,)])
    law = authority.load_law(uow.session)
    _bulk_insert(uow, DetentionStage, [{
        "detention_id": did, "section": p.row.checked.basis.code,
        "authority": p.row.checked.basis.authority, "reference": p.row.checked.legal_reference,
        "starts_at": p.row.checked.arrested_at, "ends_at": None, "recorded_by_id": actor.user_id,
        "order_id": None, **authority.first_stage(
            law, p.row.checked.arrested_at, p.row.request.citizen, p.row.checked.basis.code,
            p.row.checked.basis.authority),
    } for p, did in zip(plans, detention_ids, strict=True)])
    _bulk_insert(uow, Movement, [{
        "detention_id": did, "kind": "admission", "occurred_at": p.row.checked.admitted_at,
        "from_cell_id": None, "to_cell_id": None, "destination": "",
        "reason": f"Admitted under {p.row.checked.basis.code}: {p.row.checked.basis.words}",
        "authority": p.row.checked.basis.code, "recorded_by_id": actor.user_id,
        "recorded_at": now,
    } for p, did in zip(plans, detention_ids, strict=True)])
    steps.writing(0.8)

    for p, did, no in zip(plans, detention_ids, given, strict=True):
        c = p.row.checked
        linked = p.person_id is not None
        person = existing[p.person_id] if linked else None
        uow.record(actor, "detention.admit", "detention", did, None, {
            "detainee_no": no, "person_id": person_of[p.row.row], "new_person": not linked,
            "full_name": person.full_name if person else c.full_name,
            "sex": person.sex if person else c.sex,
            "date_of_birth": person.date_of_birth if person else c.date_of_birth,
            "nationality": person.nationality if person else c.nationality,
            "citizen": p.row.request.citizen, "arrested_at": c.arrested_at,
            "arrest_place": c.arrest_place, "arresting_agency": c.arresting_agency,
            "operation_name": c.operation_name, "legal_basis": c.basis.code,
            "legal_reference": c.legal_reference, "admitted_at": c.admitted_at,
            "cell_id": None, "cell": "", "is_minor": minors[p.row.row], "is_pregnant": False,
            "is_disabled": False, "is_unaccompanied_child": False,
            "aliases": aliases_added.get(p.row.row, []),
            "employer_id": (employer_ids[_employer_key(c.employer)]
                            or (person.employer_id if person else None)),
            "documents": [] if linked and not p.chosen else [
                {"doc_type": d.doc_type, "number": d.number, "issuing_state": d.issuing_state}
                for d in c.documents],
            "passes": [], "photo": False, "property": [], "property_bag_no": "", "cash": None,
            "cash_note": "", "family": [],
            "identity_check": _identity_audit(p),
            "import": {"file": source.name, "sha256": source.sha256, "row": p.row.row},
        })
    return detention_ids, given


def _identity_audit(p: _Plan) -> dict | None:
    if p.person_id is None and not p.candidates:
        return None
    return {
        "decision": "linked" if p.person_id is not None else "new person",
        "linked_person_id": p.person_id,
        "candidates_shown": [{"person_id": pid, "score": score} for pid, score in p.candidates],
        "document_match": p.person_id is not None and not p.chosen,
        "reason": ("batch import: linked by the clerk after reviewing the name match"
                   if p.chosen else
                   "batch import: the document number and issuing state are on record"
                   if p.person_id is not None else
                   "batch import: persons of a similar name listed for review"),
    }


def _is_minor(person: _Held, c: Checked) -> bool:
    """As ``check`` decides it for a person on record: by the recorded date of birth."""
    if person.date_of_birth is None:
        return False
    return age_on(person.date_of_birth, c.arrested_at.astimezone(MYT).date()) < ADULT_AGE


class _Held(NamedTuple):
    """A person on record whom a row becomes an episode of, as locked."""

    id: int
    full_name: str
    name_key: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    employer_id: int | None


def _lock_known(uow: UnitOfWork, person_ids: list[int]) -> dict[int, _Held]:
    """The persons rows become episodes of, locked until commit (as ``admit`` locks one),
    and checked again now that no other workstation can admit them meanwhile."""
    ids = sorted(set(person_ids))
    s = uow.session
    found: dict[int, _Held] = {}
    for chunk in _chunks(ids):
        for row in s.execute(select(Person.id, Person.full_name, Person.name_key, Person.sex,
                                    Person.date_of_birth, Person.nationality,
                                    Person.employer_id)
                             .where(Person.id.in_(chunk)).order_by(Person.id)
                             .with_for_update()):
            found[row.id] = _Held(*row)
        for pid, no in s.execute(select(Detention.person_id, Detention.detainee_no).where(
                Detention.person_id.in_(chunk), Detention.status == "in_custody")):
            raise ConflictError(f"{found[pid].full_name} was admitted as {no} at another "
                                "workstation during the import; check the list again")
    if len(found) != len(ids):
        raise ConflictError("a person on the list was removed from the register during the "
                            "import; check the list again")
    return found


def _link_all(uow: UnitOfWork, plans: list[_Plan], held: dict[int, _Held],
              employer_ids: dict[Any, int | None]) -> dict[int, list[str]]:
    """New episodes of persons on record: a row's name that differs from the names on
    record is kept as an alias (and indexed for search), the employer the row names is
    recorded. Returns the aliases added, by row."""
    s = uow.session
    linked = [p for p in plans if p.person_id is not None]
    ids = sorted({p.person_id for p in linked})
    known_keys: dict[int, set[str]] = defaultdict(set)
    tokens: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        for pid, key in s.execute(select(PersonAlias.person_id, PersonAlias.name_key)
                                  .where(PersonAlias.person_id.in_(chunk))):
            known_keys[pid].add(key)
        for pid, token in s.execute(select(PersonNameToken.person_id, PersonNameToken.token)
                                    .where(PersonNameToken.person_id.in_(chunk))):
            tokens[pid].add(token)
    added: dict[int, list[str]] = {}
    alias_rows: list[dict] = []
    token_rows: list[dict] = []
    employer_rows: list[dict] = []
    for p in linked:
        person = held[p.person_id]
        employer_id = employer_ids[_employer_key(p.row.checked.employer)]
        if employer_id is not None and employer_id != person.employer_id:
            employer_rows.append({"pid": person.id, "eid": employer_id})
        name, key = p.row.checked.full_name, p.row.key
        if key == person.name_key or key in known_keys[person.id]:
            added[p.row.row] = []
            continue
        known_keys[person.id].add(key)
        alias_rows.append({"person_id": person.id, "name": name, "name_key": key})
        for token in sorted(name_index.tokens_of([name]) - tokens[person.id]):
            tokens[person.id].add(token)
            token_rows.append({"token": token, "person_id": person.id})
        added[p.row.row] = [name]
    if alias_rows:
        _bulk_insert(uow, PersonAlias, alias_rows)
    if token_rows:
        _bulk_insert(uow, PersonNameToken, token_rows)
    if employer_rows:
        table = Person.__table__
        s.execute(update(table).where(table.c.id == bindparam("pid"))
                  .values(employer_id=bindparam("eid"), version=table.c.version + 1),
                  employer_rows)
    return added


def _employer_key(e: EmployerInput | None) -> tuple[str, str] | None:
    if e is None:
        return None
    return (e.registration_no.upper(), "" if e.registration_no else name_key(e.name))


def _employers(uow: UnitOfWork, given: list[EmployerInput | None]) -> dict[Any, int | None]:
    """Employer ids by key: one with the registration number on record is reused; the others
    are created once each (rows naming one without a number share it)."""
    s = uow.session
    out: dict[Any, int | None] = {None: None}
    first: dict[tuple[str, str], EmployerInput] = {}
    for e in given:
        key = _employer_key(e)
        if key is not None and key not in first:
            first[key] = e
    registered = sorted({e.registration_no for e in first.values() if e.registration_no})
    on_record: dict[str, int] = {}
    for chunk in _chunks(registered):
        for eid, reg in s.execute(select(Employer.id, Employer.registration_no)
                                  .where(Employer.registration_no.in_(chunk))
                                  .order_by(Employer.id)):
            on_record.setdefault(reg, eid)
    for key, e in first.items():
        if e.registration_no in on_record:
            out[key] = on_record[e.registration_no]
    fresh = [(key, e) for key, e in first.items() if key not in out]
    ids = _insert_with_ids(uow, Employer, [
        {"name": e.name, "registration_no": e.registration_no, "address": e.address,
         "phone": e.phone, "version": 1} for _, e in fresh])
    out.update({key: eid for (key, _), eid in zip(fresh, ids, strict=True)})
    return out


def _take_numbers(uow: UnitOfWork, depot_id: int, depot_code: str, year: int,
                  count: int) -> list[str]:
    """``count`` consecutive detainee numbers: the first taken as ``admit`` takes one (which
    locks the sequence row until commit), the rest by moving the sequence on in one step."""
    first = numbers.next_detainee_no(uow, depot_id, depot_code, year)
    if count == 1:
        return [first]
    seq = DetaineeNumberSequence
    last = uow.session.execute(
        update(seq).where(seq.depot_id == depot_id, seq.year == year)
        .values(last_value=seq.last_value + (count - 1)).returning(seq.last_value)
    ).scalar_one()
    start = last - count + 1
    given = [numbers.format_number(depot_code, year, v) for v in range(start, last + 1)]
    assert given[0] == first, (given[0], first)
    return given
