"""What a change touched, so that open views refresh from facts rather than guesses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

DETAINEES = "detainees"
PERSONS = "persons"
USERS = "users"
LOCATIONS = "locations"
ROLL = "roll"
AUDIT = "audit"
SETTINGS = "settings"
DEADLINES = "deadlines"
DEPOT = "depot"
MEDICAL = "medical"

ALL_AREAS = frozenset({DETAINEES, PERSONS, USERS, LOCATIONS, ROLL, AUDIT, SETTINGS, DEADLINES, DEPOT,
                       MEDICAL})


@dataclass(frozen=True)
class Changes:
    areas: frozenset[str] = frozenset()
    detention_ids: frozenset[int] = frozenset()
    remote: bool = False  # True when it came from another workstation

    @staticmethod
    def of(*areas: str, detention_ids: tuple[int, ...] = ()) -> Changes:
        return Changes(frozenset(areas), frozenset(detention_ids))

    @staticmethod
    def everything(remote: bool = True) -> Changes:
        return Changes(ALL_AREAS, frozenset(), remote)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas, self.detention_ids | other.detention_ids,
                       self.remote or other.remote)

    def touches(self, *areas: str) -> bool:
        return bool(self.areas.intersection(areas))

    def __bool__(self) -> bool:
        return bool(self.areas)


T = TypeVar("T")


@dataclass(frozen=True)
class Result(Generic[T]):
    """What every mutation returns: a read model and what changed."""

    value: T
    changes: Changes = field(default_factory=Changes)
