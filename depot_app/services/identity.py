"""The identity check before a new person is created: is this someone already on record?

Candidates come from an exact document number, and from names: each part of the name
typed is normalised (transliteration variants such as Mohd/Muhammad folded to one form,
connectors such as bin/binti and a/l dropped) and matched with rapidfuzz against the
distinct parts in the name-token index, which tolerates a transposed or mistyped letter.
The index is read for the rarest parts (a part held by a fifth of the register, such as
MUHAMMAD, is counted on the names read instead), and everyone born on the day given is
looked up by the index on the date of birth: among a million persons a common name is
held by thousands, and only the date of birth tells them apart.
The persons gathered are re-ranked on their whole names and aliases (word order and
missing parts forgiven), date of birth and nationality. A person whose earlier episode
ended in removal is flagged: coming back is an offence under s.36.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from db.models import (
    Detention,
    DetentionStage,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonNameToken,
    RemovalCase,
)
from depot_app.actor import Actor, Permission
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.names import name_key
from depot_app.services.name_index import TOKEN_MAX

LIMIT = 20
POOL = 300  # persons re-ranked in full, besides those born on the day given
CANDIDATES = 600  # persons read from the token index to choose the pool from
ROW_BUDGET = 40_000  # token-index rows read for one name, the rarest parts first
TOKEN_CUTOFF = 70  # fuzz.ratio for a name part to count as the same part
TOKENS_PER_PART = 25
NAME_FLOOR = 55  # below this a name is no match whatever else agrees
VOCABULARY_TTL = 300.0  # seconds

VARIANTS = {
    "MUHAMMAD": ("MOHD", "MOHAMAD", "MOHAMMAD", "MOHAMMED", "MOHAMED", "MUHAMMAD", "MUHAMAD",
                 "MUHAMMED", "MUHD", "MD"),
    "ABDUL": ("ABD", "ABDUL", "ABDOUL"),
    "NUR": ("NUR", "NOOR"),
}
CANONICAL = {variant: canon for canon, variants in VARIANTS.items() for variant in variants}
CONNECTORS = {"BIN", "BINTI", "BINTE", "BTE", "BT", "BN"}
CONNECTOR_PAIRS = {("A", "L"), ("A", "P"), ("S", "O"), ("D", "O")}  # a/l, a/p, s/o, d/o


@dataclass(frozen=True)
class IdentityQuery:
    full_name: str = ""
    date_of_birth: dt.date | None = None
    nationality: str = ""
    document_number: str = ""
    sex: str = ""  # M or F: persons recorded as the other sex are no candidates by name


@dataclass(frozen=True)
class DocumentRef:
    doc_type: str
    number: str
    issuing_state: str


@dataclass(frozen=True)
class Episode:
    detention_id: int
    detainee_no: str
    admitted_at: dt.datetime
    status: str
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class Candidate:
    person_id: int
    full_name: str
    aliases: tuple[str, ...]
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    documents: tuple[DocumentRef, ...]
    episodes: tuple[Episode, ...]  # newest first
    # (date, section) of the latest removal: a possible unlawful return (s.36)
    previously_removed: tuple[dt.date, str] | None
    score: float
    reasons: tuple[str, ...]


def name_parts(name: str) -> list[str]:
    """The comparable parts of a name: normalised, variants folded, connectors dropped."""
    return fold_parts(name_key(name).split())


def fold_parts(words: list[str]) -> list[str]:
    """``name_parts`` of a name already normalised (a name key) and split."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and (words[i], words[i + 1]) in CONNECTOR_PAIRS:
            i += 2
            continue
        if words[i] not in CONNECTORS:
            out.append(CANONICAL.get(words[i], words[i])[:TOKEN_MAX])
        i += 1
    return out


def normalise_document_number(number: str) -> str:
    return "".join((number or "").upper().replace("<", " ").split())


def find_candidates(uow: UnitOfWork, actor: Actor, query: IdentityQuery) -> list[Candidate]:
    """Persons on record who may be the one described, best first (at most 20)."""
    if not (actor.can(Permission.ADMIT) or actor.can(Permission.VIEW_DETAINEES)):
        raise PermissionDenied(actor.username, Permission.VIEW_DETAINEES.value)
    parts = name_parts(query.full_name)
    number = normalise_document_number(query.document_number)
    if not parts and not number:
        raise ValidationError({"full_name": "give a name or a document number to search for"})
    s = uow.session
    by_document: set[int] = set()
    if number:
        by_document = set(s.scalars(select(IdentityDocument.person_id)
                                    .where(IdentityDocument.number == number)))
    people: dict[int, _Person] = {}
    if parts:
        people = _persons_by_name(uow, parts, query.date_of_birth)
    missing = sorted(by_document - people.keys())
    if missing:
        people.update((p.id, p) for p in _persons(uow, Person.id.in_(missing)))
    if not people:
        return []
    aliases = _aliases(uow, sorted(people))
    ranked = []
    sex = (query.sex or "").strip().upper()
    for person_id, person in people.items():
        if sex in ("M", "F") and person.sex in ("M", "F") and person.sex != sex \
                and person_id not in by_document:
            continue  # not a namesake of the other sex (only a document says otherwise)
        names = [(person.full_name, person.name_key),
                 *((name, key) for name, key in aliases[person_id])]
        score, reasons = _ranked(query, parts, person, names, person_id in by_document)
        if score is not None:
            ranked.append((score, person_id, reasons))
    # A document number on record outranks any name, however close.
    ranked.sort(key=lambda r: (r[1] not in by_document, -r[0], r[1]))
    ranked = ranked[:LIMIT]
    ids = [person_id for _, person_id, _ in ranked]
    documents, episodes, removals = history(uow, ids)
    return [Candidate(
        person_id=pid, full_name=people[pid].full_name,
        aliases=tuple(name for name, _key in aliases[pid]),
        sex=people[pid].sex, date_of_birth=people[pid].date_of_birth,
        nationality=people[pid].nationality, documents=tuple(documents[pid]),
        episodes=tuple(episodes[pid]), previously_removed=removals.get(pid),
        score=round(score, 1), reasons=tuple(reasons),
    ) for score, pid, reasons in ranked]


class _Person(NamedTuple):
    id: int
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    name_key: str


_PERSON_COLUMNS = (Person.id, Person.full_name, Person.sex, Person.date_of_birth,
                   Person.nationality, Person.name_key)


def _persons(uow: UnitOfWork, where) -> list[_Person]:
    return [_Person(*row) for row in uow.session.execute(select(*_PERSON_COLUMNS).where(where))]


def _aliases(uow: UnitOfWork, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(name, name key) of each person's aliases."""
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, alias, key in uow.session.execute(
            select(PersonAlias.person_id, PersonAlias.name, PersonAlias.name_key)
            .where(PersonAlias.person_id.in_(ids)).order_by(PersonAlias.id)):
        out[pid].append((alias, key))
    return out


@dataclass
class _Vocabulary:
    """The distinct indexed name parts with how many persons hold each (exact when loaded,
    then counting additions only), and the spellings of each folded form (MD, MOHD and
    MUHAMMAD together)."""

    counts: dict[str, int]
    choices: list[str]
    spellings: dict[str, list[str]]
    max_person_id: int
    loaded_at: float

    def add(self, rows) -> None:
        for token, persons in rows:
            if token not in self.counts:
                self.counts[token] = 0
                self.choices.append(token)
                self.spellings.setdefault(CANONICAL.get(token, token), []).append(token)
            self.counts[token] += persons


_VOCABULARIES: dict[str, _Vocabulary] = {}
_VOCABULARY_LOCK = threading.Lock()


def _vocabulary(uow: UnitOfWork) -> _Vocabulary:
    """The name-part vocabulary, cached per database.

    Loading it is a scan of the token index (0.4 s at a million persons), so it is kept
    between calls: each call adds the parts of persons created since (a range on the
    person id) and the whole is reloaded every ``VOCABULARY_TTL`` seconds, which is how a
    rename or a new alias of an older person reaches fuzzy matching.
    """
    s = uow.session
    key = str(s.get_bind().url)
    newest = s.scalar(select(func.max(PersonNameToken.person_id))) or 0
    per_token = (select(PersonNameToken.token, func.count())
                 .group_by(PersonNameToken.token))
    with _VOCABULARY_LOCK:
        vocab = _VOCABULARIES.get(key)
        if (vocab is None or newest < vocab.max_person_id
                or time.monotonic() - vocab.loaded_at > VOCABULARY_TTL):
            vocab = _Vocabulary({}, [], {}, newest, time.monotonic())
            vocab.add(s.execute(per_token))
            _VOCABULARIES[key] = vocab
        elif newest > vocab.max_person_id:
            vocab.add(s.execute(per_token.where(
                PersonNameToken.person_id > vocab.max_person_id)))
            vocab.max_person_id = newest
        return vocab


@dataclass(frozen=True)
class _Group:
    """One part of the name typed: the indexed spellings taken as it, and their persons."""

    part: str
    tokens: frozenset[str]
    postings: int  # rows of the token index holding one of them


def _groups(vocab: _Vocabulary, parts: list[str]) -> list[_Group]:
    """The parts typed with their spellings on record, the rarest first.

    A part takes the ``TOKENS_PER_PART`` indexed spellings closest to it (the commoner
    first among equally close: a typo typed is more likely a common name mistyped than a
    rare one), each with every spelling of its folded form, so that MOAHMMED finds
    MOHAMMED and with it MD and MUHAMMAD.
    """
    out = []
    with _VOCABULARY_LOCK:
        for part in dict.fromkeys(parts):
            # The part as typed always counts: found even before the cache has it.
            tokens = {part, *VARIANTS.get(part, ()), *vocab.spellings.get(part, ())}
            if len(part) > 2:  # two letters are too short to tolerate a typo in
                close = process.extract(part, vocab.choices, scorer=fuzz.ratio,
                                        score_cutoff=TOKEN_CUTOFF, limit=None)
                close.sort(key=lambda m: (-m[1], -vocab.counts[m[0]], m[0]))
                for similar, _score, _i in close[:TOKENS_PER_PART]:
                    tokens.update(vocab.spellings[CANONICAL.get(similar, similar)])
            out.append(_Group(part, frozenset(tokens),
                              sum(vocab.counts.get(t, 0) for t in tokens)))
    return sorted(out, key=lambda g: (g.postings, g.part))


def _persons_by_name(uow: UnitOfWork, parts: list[str],
                     born: dt.date | None) -> dict[int, _Person]:
    """The persons to rank in full: the ``POOL`` whose names share the most parts with
    the one typed and, given a date of birth, those born on the day (or with day and
    month swapped) whose names are alike.

    The token index is read for the rarest parts only, up to ``ROW_BUDGET`` rows: a part
    held by a fifth of the register (MUHAMMAD) would add a fifth of the index to read and
    tells little. The ``CANDIDATES`` persons holding most of those are read whole, the
    common parts are counted on their names, and among equals those born on the day go
    first. Namesakes beyond the pool are found by the index on the date of birth: about
    65 persons are born on any one day among a million.
    """
    vocab = _vocabulary(uow)
    groups = _groups(vocab, parts)
    days = set()
    if born is not None:
        days.add(born)
        if born.day <= 12:
            days.add(born.replace(month=born.day, day=born.month))
    read, postings = [], 0
    for g in groups:  # the rarest first; parts on no record cost nothing and find nothing
        if postings and postings + g.postings > ROW_BUDGET:
            break
        read.append(g)
        postings += g.postings
    rest = groups[len(read):]
    hits = func.count().label("hits")
    best = (select(PersonNameToken.person_id, hits)
            .where(PersonNameToken.token.in_(sorted(set().union(*(g.tokens for g in read)))))
            .group_by(PersonNameToken.person_id)
            .order_by(hits.desc(), PersonNameToken.person_id).limit(CANDIDATES).subquery())
    found = [(_Person(*row[:-1]), row[-1]) for row in uow.session.execute(
        select(*_PERSON_COLUMNS, best.c.hits).join(best, best.c.person_id == Person.id))]

    def rank(candidate: tuple[_Person, int]):
        p, held = candidate
        words = p.name_key.split()
        more = sum(1 for g in rest if not g.tokens.isdisjoint(words))
        return -(held + more), p.date_of_birth not in days, p.id

    people = [p for p, _ in sorted(found, key=rank)[:POOL]]
    if days:
        wanted = " ".join(parts)
        people += [p for p in _persons(uow, Person.date_of_birth.in_(sorted(days)))
                   if _similarity(wanted, p.name_key) >= NAME_FLOOR]
    return {p.id: p for p in people}


class _Described(Protocol):
    full_name: str
    date_of_birth: dt.date | None
    nationality: str


def score_person(query: IdentityQuery, parts: list[str], person: _Described,
                 aliases: list[str], document_match: bool) -> tuple[float | None, list[str]]:
    """How well a person on record fits the query (None: not at all), with the reasons."""
    names = [(name, name_key(name)) for name in (person.full_name, *aliases)]
    return _ranked(query, parts, person, names, document_match)


def _ranked(query: IdentityQuery, parts: list[str], person: _Described,
            names: list[tuple[str, str]], document_match: bool) -> tuple[float | None, list[str]]:
    """``score_person`` with the person's names given as (name, name key), the first their own."""
    reasons: list[str] = []
    score = 0.0
    if document_match:
        score += 100
        reasons.append("document number matches")
    if parts:
        wanted = " ".join(parts)
        best, best_name = 0.0, person.full_name
        for name, key in names:
            similarity = _similarity(wanted, key)
            if similarity > best:
                best, best_name = similarity, name
        if best < NAME_FLOOR and not document_match:
            return None, reasons
        score += best * 0.8
        label = "name" if best_name == person.full_name else f"alias {best_name!r}"
        reasons.append(f"{label} {best:.0f}% similar")
    score += _dob_points(query.date_of_birth, person.date_of_birth, reasons)
    wanted_nat = (query.nationality or "").strip().upper().rstrip("<")
    if wanted_nat and person.nationality:
        if wanted_nat == person.nationality:
            score += 5
            reasons.append("nationality matches")
        else:
            score -= 5
            reasons.append(f"nationality differs ({person.nationality})")
    return score, reasons


def _similarity(wanted: str, key: str) -> float:
    """How alike two names are, 0 to 100, word order and missing parts forgiven: the
    parts wanted (joined by spaces) against a name key."""
    have = " ".join(fold_parts(key.split()))
    return (fuzz.token_sort_ratio(wanted, have) + fuzz.token_set_ratio(wanted, have)) / 2


def _dob_points(wanted: dt.date | None, have: dt.date | None, reasons: list[str]) -> float:
    if wanted is None or have is None:
        return 0
    if wanted == have:
        reasons.append("date of birth matches")
        return 20
    if (wanted.year, wanted.month, wanted.day) == (have.year, have.day, have.month):
        reasons.append("date of birth matches with day and month swapped")
        return 12
    if wanted.year == have.year:
        reasons.append("same year of birth")
        return 5
    reasons.append(f"date of birth differs ({have.isoformat()})")
    return -10


def history(uow: UnitOfWork, ids: list[int]):
    """Documents, custody episodes (newest first) and the latest removal of each person."""
    s = uow.session
    documents: dict[int, list[DocumentRef]] = defaultdict(list)
    episodes: dict[int, list[Episode]] = defaultdict(list)
    removals: dict[int, tuple[dt.date, str]] = {}
    if not ids:
        return documents, episodes, removals
    for pid, doc_type, number, state in s.execute(
            select(IdentityDocument.person_id, IdentityDocument.doc_type,
                   IdentityDocument.number, IdentityDocument.issuing_state)
            .where(IdentityDocument.person_id.in_(ids)).order_by(IdentityDocument.id)):
        documents[pid].append(DocumentRef(doc_type, number, state))
    removed: dict[int, Episode] = {}
    for pid, *row in s.execute(
            select(Detention.person_id, Detention.id, Detention.detainee_no,
                   Detention.admitted_at, Detention.status, Detention.ended_at)
            .where(Detention.person_id.in_(ids))
            .order_by(Detention.admitted_at.desc(), Detention.id.desc())):
        episode = Episode(*row)
        episodes[pid].append(episode)
        if episode.status == "removed" and pid not in removed:
            removed[pid] = episode  # the latest removal
    if removed:
        detention_ids = [e.detention_id for e in removed.values()]
        cases = {detention_id: (removed_at, section) for detention_id, removed_at, section
                 in s.execute(select(RemovalCase.detention_id, RemovalCase.removed_at,
                                     RemovalCase.order_section)
                              .where(RemovalCase.detention_id.in_(detention_ids))
                              .order_by(RemovalCase.id))}
        stages: dict[int, str] = {}
        for detention_id, section in s.execute(
                select(DetentionStage.detention_id, DetentionStage.section)
                .where(DetentionStage.detention_id.in_(detention_ids))
                .order_by(DetentionStage.starts_at, DetentionStage.id)):
            if section.startswith("s.34") or detention_id not in stages:
                stages[detention_id] = section
        for pid, e in removed.items():
            removed_at, order_section = cases.get(e.detention_id, (None, ""))
            when = removed_at or e.ended_at or e.admitted_at
            removals[pid] = (when.astimezone(MYT).date(),
                             stages.get(e.detention_id) or order_section)
    return documents, episodes, removals
