"""Batch intake from an enforcement operation list (CSV UTF-8, with or without a BOM, or XLSX).

One row per person arrested, a header in row 1 (names forgiven case, spaces and hyphens):

    full_name, sex, date_of_birth (YYYY-MM-DD), nationality (ISO 3166-1 alpha-3 or an ICAO
    code), document_type (passport | travel_document | national_id | none), document_number,
    arrested_at (ISO 8601; local Malaysian time when it has no offset), arrest_place,
    arresting_agency, operation, legal_basis

and, optionally, ``citizen`` (yes/no, default no), ``employer_name``,
``employer_registration_no``, ``issuing_state`` (default: the nationality),
``legal_reference`` (e.g. the arrest report number) and ``mrz`` (the document's
machine-readable zone, its lines separated by line breaks, spaces or ``|``: every check
digit is checked and the zone must agree with the row). Other columns are ignored.

``preview`` reads and checks the whole file and writes nothing: every refused value named by
its column (``{row, field, reason}``, row 1 being the header), rows repeated inside the file,
and persons already on record. A row whose document number and issuing state are on record
is a new custody episode of that person; persons who only resemble a row (the same date of
birth and a close name, or the same name where a date of birth is missing) are listed for
review and the row admits a new person. Known persons whose latest episode ended in removal
are repeat entrants (s.36).

``import_arrests`` admits every valid row in the caller's one write unit of work, in bulk
(``admission.admit`` row by row costs 6-8 ms a row, a minute for 10,000; see
docs/benchmarks.md): the same rows and the same ``detention.admit`` audit event per
detainee as ``admit`` writes (tests/test_import.py compares them), plus one
``import.arrests`` event naming the file and its SHA-256. With ``strict`` nothing is
written if any row is refused. A failure or a cancel part-way rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, func, insert, select, update

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
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, DepotError, ValidationError, Validator
from depot_app.mrz import parse_mrz
from depot_app.names import name_key
from depot_app.services import name_index, numbers
from depot_app.services.admission import (
    CLOCK_SKEW,
    AdmissionRequest,
    DocumentInput,
    EmployerInput,
)
from depot_app.services.admission_checks import ADULT_AGE, Checked, age_on, check
from depot_app.services.admission_checks import _document as check_document
from depot_app.services.identity import (
    CANONICAL,
    CONNECTOR_PAIRS,
    CONNECTORS,
    IdentityQuery,
    _history,  # the episodes and latest removal of persons, as the identity check shows them
    _score,  # the identity check's own ranking, so a batch ranks as a clerk's search does
    name_parts,
    normalise_document_number,
)
from depot_app.services.name_index import TOKEN_MAX
from depot_app.services.setup import current_depot

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]

REQUIRED = ("full_name", "sex", "date_of_birth", "nationality", "document_type",
            "document_number", "arrested_at", "arrest_place", "arresting_agency", "operation",
            "legal_basis")
OPTIONAL = ("citizen", "employer_name", "employer_registration_no", "issuing_state",
            "legal_reference", "mrz")
COLUMNS = REQUIRED + OPTIONAL
TEMPLATE_HEADER = ",".join(REQUIRED + OPTIONAL[:3])
HEADER_ALIASES = {"operation_name": "operation", "name": "full_name", "dob": "date_of_birth"}
DOCUMENT_TYPES = ("passport", "travel_document", "national_id", "none")
MAX_ROWS = 100_000
MAX_CODE = 40  # longest value a code column (sex, nationality, section ...) may hold
MAX_MRZ = 120
NAME_MATCH_SCORE = 88.0  # identity score of a same-birth-date candidate worth reviewing
CHUNK = 900  # values in one IN (...): well inside SQLite's and psycopg's limits
BIRTH_CHUNK = 8000  # birth dates in one IN (...): each list is a scan of person
# A name born on the same day is ranked in full (identity._score) only when its similarity
# could reach NAME_MATCH_SCORE (0.8 x similarity + 20 for the birth date, +5 / -5 as the
# nationality agrees or not): 78 with the nationality agreeing, 91 against it, 85 unknown.
# token_set_ratio alone is screened first, at 68: of 300,000 random pairs of name-part
# lists none averaging 78 had a token_set_ratio under 70.
NAME_SCREEN = {True: 78.0, False: 91.0, None: 85.0}
SCREEN_CUTOFF = 68
XLSX_MAGIC = b"PK\x03\x04"

# What admission_checks calls a field, as the list's column.
_COLUMN_OF = {
    "operation_name": "operation", "documents[0].doc_type": "document_type",
    "documents[0].number": "document_number", "documents[0].issuing_state": "issuing_state",
    "documents[0].expires_on": "document_number", "employer.name": "employer_name",
    "employer.registration_no": "employer_registration_no", "admitted_at": "arrested_at",
    "existing_person_id": "document_number",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_YES = {"yes", "y", "true", "1", "ya"}
_NO = {"no", "n", "false", "0", "tidak", "t", ""}


class ImportCancelled(DepotError):
    def __init__(self) -> None:
        super().__init__("the import was cancelled: nothing was admitted")


# The data ------------------------------------------------------------------------------

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


# Reading the file -----------------------------------------------------------------------

def _as_source(source: ImportSource | str | os.PathLike) -> ImportSource:
    return source if isinstance(source, ImportSource) else ImportSource.from_path(source)


def _file_error(reason: str) -> ValidationError:
    return ValidationError({"file": reason})


def _column_key(header: Any) -> str:
    key = re.sub(r"[\s\-/.]+", "_", str(header or "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(key, key)


def read_rows(source: ImportSource) -> tuple[str, list[str], list[tuple[int, list[Any]]]]:
    """(format, header, [(spreadsheet row, cells)]): blank rows are left out."""
    data = source.data
    if data.startswith(XLSX_MAGIC) or source.name.lower().endswith((".xlsx", ".xlsm")):
        fmt, table = "xlsx", _xlsx_rows(data)
    elif source.name.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("old Excel files (.xls) cannot be read: save the list as .xlsx "
                          "or as CSV UTF-8")
    else:
        fmt, table = "csv", _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in table:
        if header is None:
            header = [str(c or "").strip() for c in cells]
            continue
        if any(c is not None and str(c).strip() for c in cells):
            rows.append((number, list(cells)))
            if len(rows) > MAX_ROWS:
                raise _file_error(f"the list has more than {MAX_ROWS:,} rows: split it")
    if header is None or not any(header):
        raise _file_error("the file is empty: row 1 must name the columns")
    return fmt, header, rows


def _csv_rows(data: bytes) -> Iterable[tuple[int, list[Any]]]:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(f"the file is not UTF-8 text (byte {exc.start + 1}): save it as "
                          "'CSV UTF-8' or as .xlsx") from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        # Records, not lines: a quoted cell may hold a line break, as a spreadsheet shows it.
        return [(n, cells) for n, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _file_error(f"the CSV cannot be read near line {reader.line_num}: {exc}") from exc


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list[Any]]]:
    import openpyxl  # only when a workbook comes: it takes 0.2 s to import

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _file_error(f"the file is not a readable Excel workbook (.xlsx): {exc}") from exc
    try:
        sheet = book.worksheets[0]
        # The size a workbook declares is not trusted: some programs that write .xlsx
        # declare A1 whatever they hold, and read-only mode would stop there.
        sheet.reset_dimensions()
        return [(n, list(cells)) for n, cells in
                enumerate(sheet.iter_rows(values_only=True), start=1)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _file_error(f"the workbook cannot be read: {exc}") from exc
    finally:
        book.close()


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    index: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = _column_key(name)
        if key in COLUMNS:
            if key in index:
                raise _file_error(f"the column {key} appears twice (columns {index[key] + 1} "
                                  f"and {i + 1})")
            index[key] = i
        elif name:
            ignored.append(name)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        raise _file_error(f"row 1 lacks the column{'s' if len(missing) > 1 else ''} "
                          f"{', '.join(missing)} (the list needs {', '.join(REQUIRED)}; "
                          f"{', '.join(OPTIONAL)} may be added)")
    return index, ignored


# Reading one row ------------------------------------------------------------------------

class _Bad(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):  # a spreadsheet's date cell
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    if not _DATE.match(text):
        raise _Bad(f"{text[:MAX_CODE]!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{text} is not a real date") from None


def _arrest_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = _text(value)
        if not text:
            return None
        if _DATE.match(text) or isinstance(value, dt.date):
            raise _Bad(f"give the time of the arrest as well as the day, e.g. {text}T14:30")
        if not _DATE_TIME.match(text):
            raise _Bad(f"{text[:MAX_CODE]!r} is not an ISO 8601 date and time "
                       "(e.g. 2026-03-01T14:30 or 2026-03-01T14:30+08:00)")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise _Bad(f"{text} is not a real date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=MYT)  # local Malaysian time
    return moment


def _citizen(value: Any) -> bool:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Bad(f"{text[:MAX_CODE]!r} is neither yes nor no")


class _Row(NamedTuple):
    """One row read: its values, errors, request (``checked`` only when it passed) and the
    keys it is matched by."""

    row: int
    values: dict[str, str]
    errors: dict[str, str]
    request: AdmissionRequest
    checked: Checked | None
    document: str  # normalised number ("" when none)
    issuing_state: str
    key: str  # name_key of the name
    parts: str  # the identity check's comparable parts of the name, in order


def _read_row(uow: UnitOfWork, number: int, cells: list[Any], index: dict[str, int],
              depot_id: int, now: dt.datetime) -> _Row:
    raw = {c: (cells[i] if i < len(cells) else None) for c, i in index.items()}
    values = {c: _text(v) for c, v in raw.items()}
    errors: dict[str, str] = {}

    def parsed(column: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        try:
            return parse(raw.get(column))
        except _Bad as exc:
            errors.setdefault(column, str(exc))
            return default

    for column in ("sex", "nationality", "legal_basis", "document_type", "issuing_state",
                   "citizen"):
        if len(values.get(column, "")) > MAX_CODE:
            errors[column] = f"{column} is longer than {MAX_CODE} characters"
            values[column] = values[column][:MAX_CODE] + "…"
    born = parsed("date_of_birth", _date)
    arrested_at = parsed("arrested_at", _arrest_time)
    citizen = parsed("citizen", _citizen, False)
    nationality = values["nationality"].upper()
    doc_type = re.sub(r"[\s\-]+", "_", values["document_type"].lower()) or "none"
    doc_number = values["document_number"]
    state = values.get("issuing_state", "").upper()
    mrz_text = values.get("mrz", "")
    if mrz_text:
        doc_number, state, doc_type = _check_mrz(errors, mrz_text, doc_number, state, doc_type,
                                                 born, nationality, now)
    documents: tuple[DocumentInput, ...] = ()
    if doc_type not in DOCUMENT_TYPES:
        errors.setdefault("document_type", f"{values['document_type']!r} is not a document "
                                           f"type: give {', '.join(DOCUMENT_TYPES)}")
    elif doc_type == "none":
        if doc_number:
            errors.setdefault("document_type", "a document number is given: say what "
                                               "document it is (passport, travel_document or "
                                               "national_id)")
    elif not doc_number:
        errors.setdefault("document_number", f"give the {doc_type.replace('_', ' ')} number, "
                                             "or document_type none")
    else:
        documents = (DocumentInput(number=doc_number, issuing_state=state or nationality,
                                   doc_type=doc_type),)
    employer = None
    if values.get("employer_name") or values.get("employer_registration_no"):
        employer = EmployerInput(values.get("employer_name", ""),
                                 values.get("employer_registration_no", ""))
    request = AdmissionRequest(
        full_name=values["full_name"], sex=values["sex"], date_of_birth=born,
        nationality=nationality, documents=documents, employer=employer,
        arrested_at=arrested_at, arrest_place=values["arrest_place"],
        arresting_agency=values["arresting_agency"], operation_name=values["operation"],
        legal_basis=values["legal_basis"], legal_reference=values.get("legal_reference", ""),
        citizen=bool(citizen),
    )
    # The document is checked here and its owner found in bulk (_known_persons): check()
    # would look each one up on its own (a query a row: 3 s for 10,000).
    v = Validator()
    documents = tuple(check_document(v, i, d) for i, d in enumerate(documents))
    refused: dict[str, str] = {}
    checked = None
    try:
        checked = replace(check(uow, replace(request, documents=()), depot_id, now, CLOCK_SKEW),
                          documents=documents)
    except ValidationError as exc:
        refused.update(exc.fields)
    for name, reason in [*refused.items(), *v.errors.items()]:
        column = _COLUMN_OF.get(name, name)
        if column == "issuing_state" and "issuing_state" not in index:
            column = "nationality"
        errors.setdefault(column, reason)
    document, state = (documents[0].number, documents[0].issuing_state) if documents \
        else ("", state or nationality)
    return _Row(number, values, errors, request, checked if not errors else None, document,
                state, name_key(values["full_name"]), " ".join(name_parts(values["full_name"])))


def _check_mrz(errors: dict[str, str], text: str, number: str, state: str, doc_type: str,
               born: dt.date | None, nationality: str, now: dt.datetime):
    """Check the zone's check digits, and that it agrees with the row; fill what is empty."""
    if len(text) > MAX_MRZ:
        errors["mrz"] = f"mrz is longer than {MAX_MRZ} characters"
        return number, state, doc_type
    try:
        zone = parse_mrz([line for line in re.split(r"[\s|;]+", text) if line],
                         today=now.astimezone(MYT).date())
    except ValidationError as exc:
        errors["mrz"] = "; ".join(
            f"{name.removeprefix('mrz.').removesuffix('_check').replace('_', ' ')}: {reason}"
            for name, reason in exc.fields.items())
        return number, state, doc_type
    if not number:
        number = zone.document_number
        if doc_type == "none":
            doc_type = ("passport" if zone.doc_type.startswith("P")
                        else "national_id" if zone.doc_type.startswith("I")
                        else "travel_document")
    elif normalise_document_number(number) != zone.document_number:
        errors["document_number"] = f"{number} does not match the MRZ ({zone.document_number})"
    if not state:
        state = zone.issuing_state
    if born is not None and zone.date_of_birth is not None and born != zone.date_of_birth:
        errors["date_of_birth"] = f"does not match the MRZ ({zone.date_of_birth.isoformat()})"
    if nationality and zone.nationality and nationality != zone.nationality:
        errors["nationality"] = f"does not match the MRZ ({zone.nationality})"
    return number, state, doc_type


# The preview ----------------------------------------------------------------------------

class _Plan(NamedTuple):
    """How a valid row is admitted."""

    row: _Row
    person_id: int | None  # the person on record it becomes an episode of
    candidates: tuple[tuple[int, float], ...]  # every known person shown, for the audit
    chosen: bool = False  # linked by the clerk to a person matched by name


class _Person(NamedTuple):
    id: int
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    nationality: str


def preview(uow: UnitOfWork, actor: Actor, source: ImportSource | str | os.PathLike, *,
            links: Mapping[int, int] | None = None, progress: Progress | None = None,
            cancelled: Cancelled | None = None) -> ImportPreview:
    """Read and check the list; nothing is written. Raises ``ValidationError`` (field
    ``file``) when the file itself cannot be used.

    ``links`` (row -> person id) are the clerk's answers to name matches: that row becomes
    a new episode of that person (one of the row's ``known`` persons, matched by name),
    with the row's name kept as an alias and its document added."""
    return _prepare(uow, actor, _as_source(source), _Steps(progress, cancelled, False),
                    links or {})[0]


class _Steps:
    """Progress in rows: checking each row, then matching (a tenth as much), then, for an
    import, writing (as much as checking)."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, writes: bool):
        self.progress, self.cancelled, self.writes = progress, cancelled, writes
        self.rows = 0

    @property
    def matched(self) -> int:
        return self.rows + max(self.rows // 10, 1)

    @property
    def total(self) -> int:
        return self.matched + (self.rows if self.writes else 0)

    def tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()

    def writing(self, fraction: float) -> None:
        self.tick(self.matched + int(self.rows * fraction))


def _prepare(uow: UnitOfWork, actor: Actor, source: ImportSource, steps: _Steps,
             chosen: Mapping[int, int]) -> tuple[ImportPreview, list[_Plan]]:
    actor.require(Permission.ADMIT)
    fmt, header, table = read_rows(source)
    index, ignored = _columns(header)
    depot = current_depot(uow)
    now = uow.now()
    total = steps.rows = len(table)
    rows: list[_Row] = []
    for n, (number, cells) in enumerate(table, start=1):
        rows.append(_read_row(uow, number, cells, index, depot.id, now))
        if n % 100 == 0 or n == total:
            steps.tick(n)

    duplicates = _duplicates(rows)
    rows_by = {r.row: r for r in rows}
    duplicate_of = {d.row: d.duplicate_of for d in duplicates}
    for d in duplicates:
        rows_by[d.row].errors.setdefault(d.field, d.reason)
    known, links = _known_persons(uow, rows)
    known = _choose(rows_by, known, links, chosen)
    first_link: dict[int, int] = {}
    for r in rows:
        link = links.get(r.row)
        if isinstance(link, _Refusal):  # a person on record whom this row cannot become
            r.errors.setdefault(link.field, link.reason)
        elif link is not None and r.row not in duplicate_of:
            # Two documents of one person on record (a passport and an identity card).
            if link[0] in first_link:
                d = Duplicate(r.row, first_link[link[0]], "document_number",
                              f"the same person on record as row {first_link[link[0]]} "
                              f"({link[1]})")
                duplicates.append(d)
                duplicate_of[r.row] = d.duplicate_of
                r.errors.setdefault(d.field, d.reason)
            else:
                first_link[link[0]] = r.row
    steps.tick(steps.matched)

    known_by_row: dict[int, list[KnownPerson]] = defaultdict(list)
    for k in known:
        known_by_row[k.row].append(k)
    preview_rows: list[PreviewRow] = []
    plans: list[_Plan] = []
    for r in rows:
        errors = tuple(RowError(r.row, f, reason) for f, reason in
                       sorted(r.errors.items(), key=lambda e: _column_order(e[0])))
        link = links.get(r.row)
        person_id = link[0] if isinstance(link, tuple) else None
        preview_rows.append(PreviewRow(r.row, r.values, errors, duplicate_of.get(r.row),
                                       tuple(known_by_row[r.row]),
                                       person_id, None if errors else r.request))
        if not errors:
            assert r.checked is not None
            plans.append(_Plan(r, person_id,
                               tuple((k.person_id, k.score) for k in known_by_row[r.row]),
                               r.row in chosen))
    repeat = tuple(RepeatEntrant(k.row, k.person_id, k.full_name, k.previously_removed[0],
                                 k.previously_removed[1], k.match,
                                 rows_by[k.row].request.legal_basis)
                   for k in known if k.previously_removed is not None)
    result = ImportPreview(
        file_name=source.name, sha256=source.sha256, format=fmt,
        columns=tuple(c for c in COLUMNS if c in index), ignored_columns=tuple(ignored),
        rows=tuple(preview_rows),
        rejected=tuple(e for r in preview_rows for e in r.errors),
        duplicates=tuple(sorted(duplicates, key=lambda d: d.row)),
        known_persons=tuple(known), repeat_entrants=repeat)
    return result, plans


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


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


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def parts_of_key(key: str) -> str:
    """``identity.name_parts`` of a name already through ``name_key`` (as ``person.name_key``
    and ``person_alias.name_key`` are), joined: the same parts without folding the text
    again, three times as fast. tests/test_import.py keeps the two in step."""
    words = key.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and (words[i], words[i + 1]) in CONNECTOR_PAIRS:
            i += 2
            continue
        if words[i] not in CONNECTORS:
            out.append(CANONICAL.get(words[i], words[i])[:TOKEN_MAX])
        i += 1
    return " ".join(out)


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
            score, reasons = _score(query, parts, person, aliases[pid], pid in doc_ids)
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
        _documents, e, rm = _history(uow, list(chunk))
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


# The import ------------------------------------------------------------------------------

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
    _bulk_insert(uow, DetentionStage, [{
        "detention_id": did, "section": p.row.checked.basis.code,
        "authority": p.row.checked.basis.authority, "reference": p.row.checked.legal_reference,
        "starts_at": p.row.checked.arrested_at, "ends_at": None, "recorded_by_id": actor.user_id,
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


def _insert_with_ids(uow: UnitOfWork, model, rows: list[dict]) -> list[int]:
    """Insert through Core (the ORM's bulk path costs ~0.1 ms a row more); the new ids in
    the order of ``rows``.

    The ids are taken first and the rows inserted with them by a plain ``executemany``:
    an ``INSERT ... RETURNING`` over many rows costs far more. SQLite cannot promise the
    order of RETURNING, so SQLAlchemy sends one statement a row (~0.1 ms each); psycopg
    parses each 1,000-row statement's 20,000 placeholders in Python (0.5 s per 1,000).

    PostgreSQL: the ids come from the table's sequence, all in one query. SQLite: a writing
    unit of work holds the database's write lock from its first statement (BEGIN
    IMMEDIATE), so the ids after the largest are ours."""
    if not rows:
        return []
    table = model.__table__
    s = uow.session
    if uow.dialect == "postgresql":
        ids = sorted(s.scalars(
            select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
            .select_from(func.generate_series(1, len(rows)))))
    else:
        start = (s.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
    _bulk_insert(uow, model, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _bulk_insert(uow: UnitOfWork, model, rows: list[dict]) -> None:
    """Many rows of one table, in this unit of work's transaction: on PostgreSQL by COPY
    (psycopg's pipelined ``executemany`` spends ~40 us a row in Python; COPY a tenth of
    that), elsewhere by ``executemany``. Column defaults and bind processing (UTC times)
    are applied as a Core INSERT would apply them."""
    if not rows:
        return
    table = model.__table__
    if uow.dialect != "postgresql":
        uow.session.execute(insert(table), rows)
        return
    dialect = uow.session.get_bind().dialect
    given = set(rows[0])
    columns, defaults, process = [], [], []
    for column in table.columns:
        default = column.default
        if column.key in given:
            columns.append(column.key)
            defaults.append(None)
        elif default is not None and default.is_scalar:
            columns.append(column.key)
            defaults.append(default.arg)
        else:
            continue  # the server's own default (a sequence) or NULL
        process.append(column.type.bind_processor(dialect))
    names = ", ".join(f'"{name}"' for name in columns)
    raw = uow.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[c] if c in given else d for c, d in zip(columns, defaults, strict=True)]
            copy.write_row([v if f is None or v is None else f(v)
                            for v, f in zip(values, process, strict=True)])


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


__all__ = ["COLUMNS", "Duplicate", "ImportCancelled", "ImportOutcome", "ImportPreview",
           "ImportSource", "KnownPerson", "OPTIONAL", "PreviewRow", "REQUIRED",
           "RepeatEntrant", "RowError", "TEMPLATE_HEADER", "import_arrests", "preview",
           "read_rows"]
