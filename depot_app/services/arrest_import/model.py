"""What an arrest-list import reads and answers: the source file, the preview (refused
values, rows repeated in the file, persons on record, repeat entrants), the outcome, and
the progress and cancel callbacks."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from depot_app.errors import DepotError, ValidationError
from depot_app.services.admission import AdmissionRequest

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class ImportCancelled(DepotError):
    def __init__(self) -> None:
        super().__init__("the import was cancelled: nothing was admitted")


@dataclass(frozen=True)
class ImportSource:
    """The list as read: its file name (for the audit trail) and its bytes."""

    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @staticmethod
    def from_path(path: str | os.PathLike) -> ImportSource:
        p = Path(path).expanduser()
        try:
            return ImportSource(p.name, p.read_bytes())
        except OSError as exc:
            raise ValidationError({"file": f"cannot read {p}: {exc.strerror or exc}"}) from exc


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row: the header is row 1
    field: str  # the column
    reason: str


@dataclass(frozen=True)
class Duplicate:
    row: int
    duplicate_of: int  # the first row with the same document or the same person
    field: str  # document_number, or full_name for the same name, birth date and nationality
    reason: str


@dataclass(frozen=True)
class KnownPerson:
    """A person on record whom a row matches (``document``) or resembles (``name``)."""

    row: int
    person_id: int
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str
    match: str  # "document": the row becomes an episode of this person; "name": for review
    linked: bool
    score: float
    reasons: tuple[str, ...]
    episodes: tuple[str, ...]  # detainee numbers, newest first
    in_custody_as: str | None
    previously_removed: tuple[dt.date, str] | None  # (date, section) of the latest removal


@dataclass(frozen=True)
class RepeatEntrant:
    """A known person whose latest episode ended in removal: coming back is an offence (s.36)."""

    row: int
    person_id: int
    full_name: str
    removed_on: dt.date
    section: str
    match: str  # document or name
    legal_basis: str  # the section the row cites


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: dict[str, str]  # the cells as read, by column
    errors: tuple[RowError, ...]
    duplicate_of: int | None
    known: tuple[KnownPerson, ...]
    linked_person_id: int | None  # the person this row's admission becomes an episode of
    request: AdmissionRequest | None  # what would be admitted (None when refused)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    sha256: str
    format: str  # csv or xlsx
    columns: tuple[str, ...]  # the columns found, as understood
    ignored_columns: tuple[str, ...]  # headers that are no column of the list
    rows: tuple[PreviewRow, ...]
    rejected: tuple[RowError, ...]
    duplicates: tuple[Duplicate, ...]
    known_persons: tuple[KnownPerson, ...]
    repeat_entrants: tuple[RepeatEntrant, ...]

    @property
    def accepted(self) -> int:
        """How many rows would be admitted."""
        return sum(1 for r in self.rows if r.valid)

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        return tuple(r.row for r in self.rows if not r.valid)


@dataclass(frozen=True)
class ImportOutcome:
    preview: ImportPreview
    imported: bool  # False: nothing written (strict and a row refused, or no valid row)
    rows: tuple[int, ...] = ()  # the file rows admitted, in order
    detention_ids: tuple[int, ...] = ()
    detainee_numbers: tuple[str, ...] = ()

    @property
    def accepted(self) -> int:
        return len(self.detention_ids)
