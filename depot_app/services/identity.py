"""The identity check before a new person is created: is this someone already on record?

Candidates come from an exact document number, and from names: each part of the name
typed is normalised (transliteration variants such as Mohd/Muhammad folded to one form,
connectors such as bin/binti and a/l dropped) and matched with rapidfuzz against the
distinct parts in the name-token index, which tolerates a transposed or mistyped letter.
The persons holding those parts are re-ranked on their whole names and aliases (word order
and missing parts forgiven), date of birth and nationality. A person whose earlier episode
ended in removal is flagged: coming back is an offence under s.36.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import case, func, select

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
POOL = 300  # persons gathered from the token index before re-ranking
TOKEN_CUTOFF = 70  # fuzz.ratio for a name part to count as the same part
TOKENS_PER_PART = 25
NAME_FLOOR = 55  # below this a name is no match whatever else agrees
VOCABULARY_TTL = 300.0  # seconds

_VARIANTS = {
    "MUHAMMAD": ("MOHD", "MOHAMAD", "MOHAMMAD", "MOHAMMED", "MOHAMED", "MUHAMMAD", "MUHAMAD",
                 "MUHAMMED", "MUHD", "MD"),
    "ABDUL": ("ABD", "ABDUL", "ABDOUL"),
    "NUR": ("NUR", "NOOR"),
}
CANONICAL = {variant: canon for canon, variants in _VARIANTS.items() for variant in variants}
CONNECTORS = {"BIN", "BINTI", "BINTE", "BTE", "BT", "BN"}
CONNECTOR_PAIRS = {("A", "L"), ("A", "P"), ("S", "O"), ("D", "O")}  # a/l, a/p, s/o, d/o


@dataclass(frozen=True)
class IdentityQuery:
    full_name: str = ""
    date_of_birth: dt.date | None = None
    nationality: str = ""
    document_number: str = ""


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
    words = name_key(name).split()
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
    pool = set(by_document)
    if parts:
        pool |= _persons_by_name(uow, parts, query.date_of_birth)
    if not pool:
        return []
    ranked = []
    people = _load(uow, sorted(pool))
    for person_id, (person, aliases) in people.items():
        score, reasons = _score(query, parts, person, aliases, person_id in by_document)
        if score is not None:
            ranked.append((score, person_id, reasons))
    # A document number on record outranks any name, however close.
    ranked.sort(key=lambda r: (r[1] not in by_document, -r[0], r[1]))
    ranked = ranked[:LIMIT]
    ids = [person_id for _, person_id, _ in ranked]
    documents, episodes, removals = _history(uow, ids)
    return [Candidate(
        person_id=pid, full_name=people[pid][0].full_name, aliases=tuple(people[pid][1]),
        sex=people[pid][0].sex, date_of_birth=people[pid][0].date_of_birth,
        nationality=people[pid][0].nationality, documents=tuple(documents[pid]),
        episodes=tuple(episodes[pid]), previously_removed=removals.get(pid),
        score=round(score, 1), reasons=tuple(reasons),
    ) for score, pid, reasons in ranked]


@dataclass
class _Vocabulary:
    """Distinct indexed name parts by folded form (MOHD and MUHAMMAD together)."""

    parts: dict[str, list[str]]
    choices: list[str]
    max_person_id: int
    loaded_at: float

    def add(self, tokens) -> None:
        for token in tokens:
            folded = CANONICAL.get(token, token)
            same = self.parts.get(folded)
            if same is None:
                self.parts[folded] = [token]
                self.choices.append(folded)
            elif token not in same:
                same.append(token)


_VOCABULARIES: dict[str, _Vocabulary] = {}
_VOCABULARY_LOCK = threading.Lock()


def _vocabulary(uow: UnitOfWork) -> _Vocabulary:
    """The name-part vocabulary, cached per database.

    Loading it is a scan of the token index (a quarter of a second at 100,000 persons), so
    it is kept between calls: each call adds the parts of persons created since (a range
    on the person id) and the whole is reloaded every ``VOCABULARY_TTL`` seconds, which is
    how a rename or a new alias of an older person reaches fuzzy matching.
    """
    s = uow.session
    key = str(s.get_bind().url)
    newest = s.scalar(select(func.max(PersonNameToken.person_id))) or 0
    with _VOCABULARY_LOCK:
        vocab = _VOCABULARIES.get(key)
        if (vocab is None or newest < vocab.max_person_id
                or time.monotonic() - vocab.loaded_at > VOCABULARY_TTL):
            vocab = _Vocabulary({}, [], newest, time.monotonic())
            vocab.add(s.scalars(select(PersonNameToken.token).distinct()))
            _VOCABULARIES[key] = vocab
        elif newest > vocab.max_person_id:
            vocab.add(s.scalars(select(PersonNameToken.token).distinct()
                                .where(PersonNameToken.person_id > vocab.max_person_id)))
            vocab.max_person_id = newest
        return vocab


def _persons_by_name(uow: UnitOfWork, parts: list[str], born: dt.date | None) -> set[int]:
    vocab = _vocabulary(uow)
    # The parts typed always count as they are: found even before the cache has them.
    matched: set[str] = set(parts) | {v for p in parts for v in _VARIANTS.get(p, ())}
    with _VOCABULARY_LOCK:
        for part in dict.fromkeys(parts):
            if len(part) <= 2:  # too short to tolerate a typo in
                continue
            for similar, _score, _i in process.extract(part, vocab.choices, scorer=fuzz.ratio,
                                                       score_cutoff=TOKEN_CUTOFF,
                                                       limit=TOKENS_PER_PART):
                matched.update(vocab.parts[similar])
    if not matched:
        return set()
    hits = func.count().label("hits")
    stmt = (select(PersonNameToken.person_id, hits)
            .where(PersonNameToken.token.in_(sorted(matched)))
            .group_by(PersonNameToken.person_id))
    order = [hits.desc()]
    if born is not None:
        same_born = func.max(case((Person.date_of_birth == born, 1), else_=0))
        stmt = stmt.join(Person, Person.id == PersonNameToken.person_id)
        order.append(same_born.desc())
    stmt = stmt.order_by(*order, PersonNameToken.person_id).limit(POOL)
    return {row[0] for row in uow.session.execute(stmt)}


def _load(uow: UnitOfWork, ids: list[int]) -> dict[int, tuple[Person, list[str]]]:
    """The persons (at most ``POOL`` and the document matches) with their aliases."""
    s = uow.session
    out = {p.id: (p, []) for p in s.scalars(select(Person).where(Person.id.in_(ids)))}
    for pid, alias in s.execute(select(PersonAlias.person_id, PersonAlias.name)
                                .where(PersonAlias.person_id.in_(ids)).order_by(PersonAlias.id)):
        out[pid][1].append(alias)
    return out


def _score(query: IdentityQuery, parts: list[str], person: Person, aliases: list[str],
           document_match: bool) -> tuple[float | None, list[str]]:
    reasons: list[str] = []
    score = 0.0
    if document_match:
        score += 100
        reasons.append("document number matches")
    if parts:
        wanted = " ".join(parts)
        best, best_name = 0.0, person.full_name
        for name in [person.full_name, *aliases]:
            have = " ".join(name_parts(name))
            similarity = (fuzz.token_sort_ratio(wanted, have)
                          + fuzz.token_set_ratio(wanted, have)) / 2
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


def _history(uow: UnitOfWork, ids: list[int]):
    s = uow.session
    documents: dict[int, list[DocumentRef]] = defaultdict(list)
    episodes: dict[int, list[Episode]] = defaultdict(list)
    removals: dict[int, tuple[dt.date, str]] = {}
    if not ids:
        return documents, episodes, removals
    for d in s.scalars(select(IdentityDocument).where(IdentityDocument.person_id.in_(ids))
                       .order_by(IdentityDocument.id)):
        documents[d.person_id].append(DocumentRef(d.doc_type, d.number, d.issuing_state))
    removed: dict[int, Detention] = {}
    for d in s.scalars(select(Detention).where(Detention.person_id.in_(ids))
                       .order_by(Detention.admitted_at.desc(), Detention.id.desc())):
        episodes[d.person_id].append(Episode(d.id, d.detainee_no, d.admitted_at, d.status,
                                             d.ended_at))
        if d.status == "removed" and d.person_id not in removed:
            removed[d.person_id] = d  # the latest removal
    if removed:
        detention_ids = [d.id for d in removed.values()]
        cases = {c.detention_id: c for c in s.scalars(
            select(RemovalCase).where(RemovalCase.detention_id.in_(detention_ids))
            .order_by(RemovalCase.id))}
        stages: dict[int, str] = {}
        for stage in s.scalars(select(DetentionStage)
                               .where(DetentionStage.detention_id.in_(detention_ids))
                               .order_by(DetentionStage.starts_at, DetentionStage.id)):
            if stage.section.startswith("s.34") or stage.detention_id not in stages:
                stages[stage.detention_id] = stage.section
        for pid, d in removed.items():
            case_ = cases.get(d.id)
            when = (case_.removed_at if case_ and case_.removed_at else d.ended_at) \
                or d.admitted_at
            section = stages.get(d.id) or (case_.order_section if case_ else "")
            removals[pid] = (when.astimezone(MYT).date(), section)
    return documents, episodes, removals
