"""The name-token index: every normalised part of a person's names, for fast search.

Each person's tokens come from the name key of their full name and of every alias.
Services that create or rename a person call ``index_person``; bulk loaders use
``token_rows``. A query token matches every indexed token that starts with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, delete, insert, intersect, select
from sqlalchemy.orm import Session

from db.models import Person, PersonAlias, PersonNameToken
from depot_app.names import name_key

TOKEN_MAX = 60
MIN_PREFIX = 2  # a one-letter prefix would match half the register


def prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds such that ``lo <= value < hi`` exactly when value starts with prefix."""
    return prefix, prefix + "\uffff"


def tokens_of(names: Iterable[str]) -> set[str]:
    return {part[:TOKEN_MAX] for name in names for part in name_key(name).split()}


def token_rows(person_id: int, names: Iterable[str]) -> list[dict]:
    return [{"token": t, "person_id": person_id} for t in sorted(tokens_of(names))]


def index_person(session: Session, person_id: int) -> None:
    """Rebuild one person's tokens from their current names (call after any name change)."""
    session.flush()
    names = [session.scalar(select(Person.full_name).where(Person.id == person_id)) or ""]
    names += list(session.scalars(select(PersonAlias.name).where(PersonAlias.person_id == person_id)))
    session.execute(delete(PersonNameToken).where(PersonNameToken.person_id == person_id))
    rows = token_rows(person_id, names)
    if rows:
        session.execute(insert(PersonNameToken), rows)


def persons_matching(text: str) -> Select | None:
    """Ids of persons having, for every word of ``text``, a name part starting with it."""
    words = [w[:TOKEN_MAX] for w in name_key(text).split()]
    words = [w for w in words if len(w) >= MIN_PREFIX] or words[:1]
    if not words:
        return None
    selects = []
    for word in dict.fromkeys(words):
        lo, hi = prefix_range(word)
        selects.append(select(PersonNameToken.person_id)
                       .where(PersonNameToken.token >= lo, PersonNameToken.token < hi))
    return selects[0] if len(selects) == 1 else intersect(*selects)
