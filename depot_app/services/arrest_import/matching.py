"""Matching the rows: rows repeated inside the file, persons on record (by document, or
by a close name born the same day) with their episodes and latest removal, and the
clerk's links of rows to persons matched by name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

from rapidfuzz import fuzz, process
from sqlalchemy import select

from db.models import IdentityDocument, Person, PersonAlias
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError
from depot_app.names import name_key
from depot_app.services.arrest_import.bulk import _chunks
from depot_app.services.arrest_import.model import Duplicate, KnownPerson
from depot_app.services.arrest_import.rows import _Row
from depot_app.services.identity import (
    IdentityQuery,
    fold_parts,
    history,  # the episodes and latest removal of persons, as the identity check shows them
    score_person,  # the identity check's own ranking, so a batch ranks as a clerk's search does
)

NAME_MATCH_SCORE = 88.0  # identity score of a same-birth-date candidate worth reviewing
BIRTH_CHUNK = 8000  # birth dates in one IN (...): each list is a scan of person
# A name born on the same day is ranked in full (identity.score_person) only when its similarity
# could reach NAME_MATCH_SCORE (0.8 x similarity + 20 for the birth date, +5 / -5 as the
# nationality agrees or not): 78 with the nationality agreeing, 91 against it, 85 unknown.
# token_set_ratio alone is screened first, at 68: of 300,000 random pairs of name-part
# lists none averaging 78 had a token_set_ratio under 70.
NAME_SCREEN = {True: 78.0, False: 91.0, None: 85.0}
SCREEN_CUTOFF = 68


class _Person(NamedTuple):
    id: int
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str


def _duplicates(rows: list[_Row]) -> list[Duplicate]:
    """Later rows with the document, or the name, birth date and nationality, of an earlier."""
    first_doc: dict[str, int] = {}
    first_person: dict[tuple, int] = {}
    out: list[Duplicate] = []
    for r in rows:
        if r.document:
            if r.document in first_doc:
                out.append(Duplicate(r.row, first_doc[r.document], "document_number",
                                     f"the same document number as row {first_doc[r.document]}"))
                continue
            first_doc[r.document] = r.row
        born = r.request.date_of_birth
        if r.parts and born is not None:
            key = (" ".join(sorted(r.parts.split())), born, r.request.nationality)
            if key in first_person:
                out.append(Duplicate(r.row, first_person[key], "full_name",
                                     f"the same person as row {first_person[key]} (name, date "
                                     "of birth and nationality)"))
                continue
            first_person[key] = r.row
    return out


def parts_of_key(key: str) -> str:
    """``identity.name_parts`` of a name already through ``name_key`` (as ``person.name_key``
    and ``person_alias.name_key`` are), joined: the same parts without folding the text
    again, three times as fast."""
    return " ".join(fold_parts(key.split()))


def _known_persons(uow: UnitOfWork, rows: list[_Row]):
    """Known persons per row, and per row either (person id, name on record) to link it to,
    or the reason its document cannot be linked.

    One pass of bulk reads: the document numbers; the persons born on the rows' birth dates
    and those whose name or alias is exactly a row's name, with their aliases. Each row's
    name is screened against the names born on its date (rapidfuzz, in C) and only those
    that pass are ranked by the identity check's own score."""
    s = uow.session
    holders: dict[str, list[tuple[int, str]]] = defaultdict(list)  # number -> (person, state)
    for chunk in _chunks(sorted({r.document for r in rows if r.document})):
        for pid, number, state in s.execute(
                select(IdentityDocument.person_id, IdentityDocument.number,
                       IdentityDocument.issuing_state)
                .where(IdentityDocument.number.in_(chunk))):
            holders[number].append((pid, state))

    people: dict[int, _Person] = {}
    aliases: dict[int, list[str]] = defaultdict(list)
    by_birth: dict[dt.date, list[int]] = defaultdict(list)
    by_key: dict[str, list[int]] = defaultdict(list)
    columns = (Person.id, Person.full_name, Person.sex, Person.date_of_birth, Person.nationality)
    # person.date_of_birth has no index: few, large IN lists keep this to a scan or two.
    births = sorted({r.request.date_of_birth for r in rows if r.request.date_of_birth})
    keys_of: dict[int, list[str]] = defaultdict(list)  # name keys: the name's, the aliases'
    for chunk in _chunks(births, BIRTH_CHUNK):
        for p in s.execute(select(*columns, Person.name_key)
                           .where(Person.date_of_birth.in_(chunk))):
            people[p.id] = _Person(*p[:5])
            by_birth[p.date_of_birth].append(p.id)
            keys_of[p.id].append(p.name_key)
        for pid, alias, key in s.execute(
                select(PersonAlias.person_id, PersonAlias.name, PersonAlias.name_key)
                .join(Person, Person.id == PersonAlias.person_id)
                .where(Person.date_of_birth.in_(chunk)).order_by(PersonAlias.id)):
            aliases[pid].append(alias)
            keys_of[pid].append(key)
    keys = sorted({r.key for r in rows if r.key})
    named: set[int] = set()
    for chunk in _chunks(keys):
        for pid, key in s.execute(select(Person.id, Person.name_key)
                                  .where(Person.name_key.in_(chunk))):
            by_key[key].append(pid)
            named.add(pid)
        for pid, key in s.execute(select(PersonAlias.person_id, PersonAlias.name_key)
                                  .where(PersonAlias.name_key.in_(chunk))):
            by_key[key].append(pid)
            named.add(pid)
    missing = sorted((named | {pid for hs in holders.values() for pid, _ in hs}) - people.keys())
    for chunk in _chunks(missing):
        for p in s.execute(select(*columns).where(Person.id.in_(chunk))):
            people[p.id] = _Person(*p)
        for pid, alias in s.execute(select(PersonAlias.person_id, PersonAlias.name)
                                    .where(PersonAlias.person_id.in_(chunk))
                                    .order_by(PersonAlias.id)):
            aliases[pid].append(alias)

    screens: dict[dt.date, tuple[list[str], list[int]]] = {}
    parts_of: dict[str, str] = {}  # names repeat: MUHAMMAD ALI is many persons

    def screen(born: dt.date) -> tuple[list[str], list[int]]:
        if born not in screens:
            texts, ids = [], []
            for pid in by_birth.get(born, ()):
                for key in keys_of[pid]:
                    if key not in parts_of:
                        parts_of[key] = parts_of_key(key)
                    texts.append(parts_of[key])
                    ids.append(pid)
            screens[born] = (texts, ids)
        return screens[born]

    found: list[tuple[_Row, _Person, str, bool, float, list[str]]] = []
    links: dict[int, tuple[int, str] | _Refusal] = {}
    for r in rows:
        held_by = holders.get(r.document, ())
        doc_ids = {pid for pid, state in held_by if state == r.issuing_state}
        other_state = {pid for pid, _ in held_by} - doc_ids
        born = r.request.date_of_birth
        # The same name counts on its own only where a date of birth is missing; born the
        # same day, it is screened below with the others born that day.
        candidates = dict.fromkeys([*sorted(doc_ids), *sorted(other_state), *(
            pid for pid in by_key.get(r.key, ())
            if born is None or people[pid].date_of_birth is None)])
        if born is not None and r.parts:
            texts, ids = screen(born)
            nationality = r.request.nationality
            for text, similarity, i in process.extract(
                    r.parts, texts, scorer=fuzz.token_set_ratio, score_cutoff=SCREEN_CUTOFF,
                    limit=None):
                pid = ids[i]
                if pid in candidates:
                    continue
                # The identity check's name similarity: this and token_sort_ratio averaged.
                other = people[pid].nationality
                needed = NAME_SCREEN[(nationality == other) if nationality and other else None]
                if (similarity + fuzz.token_sort_ratio(r.parts, text)) / 2 >= needed:
                    candidates[pid] = None
        if not candidates:
            continue
        query = IdentityQuery(r.values["full_name"], born, r.request.nationality, r.document)
        parts = r.parts.split()
        for pid in candidates:
            person = people[pid]
            score, reasons = score_person(query, parts, person, aliases[pid], pid in doc_ids)
            if pid in doc_ids:
                found.append((r, person, "document", True, score or 0.0, reasons))
            elif pid in other_state:
                found.append((r, person, "document", False, score or 0.0,
                              ["document number on record, issued by another state",
                               *reasons]))
            elif (born is not None and person.date_of_birth == born and score is not None
                  and score >= NAME_MATCH_SCORE):
                found.append((r, person, "name", False, score, reasons))
            elif (pid in by_key.get(r.key, ()) and (born is None
                                                     or person.date_of_birth is None)):
                found.append((r, person, "name", False, score or 0.0,
                              [*reasons, "the same name; no date of birth to compare"]))
        if len(doc_ids) == 1:
            pid = next(iter(doc_ids))
            links[r.row] = (pid, people[pid].full_name)
        elif len(doc_ids) > 1:
            links[r.row] = _Refusal("document_number", (
                f"this document is on record for {len(doc_ids)} persons (ids "
                f"{', '.join(map(str, sorted(doc_ids)))}): admit this person at intake "
                "after the identity check"))

    episodes: dict[int, list] = {}
    removals: dict[int, tuple[dt.date, str]] = {}
    for chunk in _chunks(sorted({person.id for _, person, *_ in found})):
        _documents, e, rm = history(uow, list(chunk))
        episodes.update(e)
        removals.update(rm)
    known: list[KnownPerson] = []
    for r, person, match, linked, score, reasons in found:
        held = next((e.detainee_no for e in episodes.get(person.id, ())
                     if e.status == "in_custody"), None)
        link = links.get(r.row)
        if linked and held and isinstance(link, tuple) and link[0] == person.id:
            links[r.row] = _Refusal("document_number",
                                    f"This person is already in custody as {held}")
        elif (match == "name" and held and link is None and _same_person(r, person)):
            # No document to go by, but the very name, birth date and nationality of
            # someone held now: a list sent twice, not a second person.
            links[r.row] = _Refusal("full_name", (
                f"{person.full_name}, born {person.date_of_birth}, {person.nationality}, is "
                f"in custody as {held}: if this is someone else, admit them at intake"))
        known.append(KnownPerson(
            row=r.row, person_id=person.id, full_name=person.full_name, sex=person.sex,
            date_of_birth=person.date_of_birth, nationality=person.nationality, match=match,
            linked=linked and isinstance(links.get(r.row), tuple), score=round(score, 1),
            reasons=tuple(reasons),
            episodes=tuple(e.detainee_no for e in episodes.get(person.id, ())),
            in_custody_as=held, previously_removed=removals.get(person.id)))
    known.sort(key=lambda k: (k.row, k.match != "document", -k.score, k.person_id))
    return known, links


def _choose(rows_by: dict[int, _Row], known: list[KnownPerson],
            links: dict[int, tuple[int, str] | _Refusal],
            chosen: Mapping[int, int]) -> list[KnownPerson]:
    """The clerk's links: each to a person the row matched by name, held by no one else's
    document on the row and not in custody."""
    if not chosen:
        return known
    by_row: dict[int, dict[int, KnownPerson]] = defaultdict(dict)
    for k in known:
        by_row[k.row].setdefault(k.person_id, k)
    linked: set[tuple[int, int]] = set()
    for row, person_id in chosen.items():
        r = rows_by.get(row)
        if r is None:
            raise ValidationError({"links": f"there is no row {row} in the list"})
        k = by_row[row].get(person_id)
        existing = links.get(row)
        if k is None or k.match != "name":
            r.errors.setdefault("full_name", f"person {person_id} is not one this row matches "
                                             "by name: it cannot be linked to it")
        elif k.in_custody_as:
            r.errors.setdefault("full_name", f"{k.full_name} is in custody as {k.in_custody_as}")
        elif isinstance(existing, tuple) or (isinstance(existing, _Refusal)
                                             and existing.field == "document_number"):
            r.errors.setdefault("document_number", "this row's document is on record: it "
                                                   "goes with its holder, not by choice")
        else:
            links[row] = (person_id, k.full_name)
            linked.add((row, person_id))
    return [replace(k, linked=True) if (k.row, k.person_id) in linked else k for k in known]


@dataclass(frozen=True)
class _Refusal:
    field: str
    reason: str


def _same_person(r: _Row, person: _Person) -> bool:
    return (r.request.date_of_birth is not None
            and person.date_of_birth == r.request.date_of_birth
            and person.nationality == r.request.nationality
            and sorted(parts_of_key(name_key(person.full_name)).split())
            == sorted(r.parts.split()))
