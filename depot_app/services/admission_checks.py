"""Checking an admission request: every bad field named at once, nothing written.

Field names are the request's own (``full_name``, ``arrested_at``, ``documents[0].number``),
so a form can put each message next to its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.models import DOCUMENT_TYPES, Block, Cell, Detention, Employer, Person
from depot_app import legal_bases
from depot_app.clock import MYT
from depot_app.countries import is_valid_nationality
from depot_app.database import UnitOfWork
from depot_app.errors import Validator
from depot_app.services import placement
from depot_app.services.admission_extras import CheckedExtras, check_extras
from depot_app.services.places import cell_words

if TYPE_CHECKING:
    from depot_app.services.admission import (
        AdmissionRequest,
        DocumentInput,
        EmployerInput,
        PassInput,
    )

SEXES = ("M", "F", "X")
ADULT_AGE = 18
MAX_AGE = 120
PHOTO_TYPES = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",)}
MAX_PHOTO_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    """The request's values, trimmed and normalised, once they have all passed."""

    person: Person | None  # the existing person, for a new episode
    full_name: str
    sex: str
    nationality: str
    date_of_birth: dt.date | None
    is_minor: bool
    aliases: tuple[str, ...]
    documents: tuple[DocumentInput, ...]
    passes: tuple[PassInput, ...]
    photo_mime: str
    employer: EmployerInput | None
    arrested_at: dt.datetime
    admitted_at: dt.datetime
    arrest_place: str
    arresting_agency: str
    operation_name: str
    basis: legal_bases.LegalBasis
    legal_reference: str
    note: str
    cell_label: str
    extras: CheckedExtras


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _optional(v: Validator, field: str, value: str, max_len: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > max_len:
        v.add(field, f"{label} is longer than {max_len} characters")
    return value


def _aware(v: Validator, field: str, value: dt.datetime | None, label: str,
           required: bool = True) -> dt.datetime | None:
    if value is None:
        if required:
            v.add(field, f"{label} is required")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        v.add(field, f"{label} needs a time zone")
        return None
    return value.astimezone(dt.UTC)


def check(uow: UnitOfWork, r: AdmissionRequest, depot_id: int, now: dt.datetime,
          skew: dt.timedelta) -> Checked:
    v = Validator()
    s = uow.session
    person: Person | None = None
    if r.existing_person_id is not None:
        # Locked until the admission commits: two workstations admitting the same person
        # at once queue here, and the second then sees the first one's episode.
        person = s.get(Person, r.existing_person_id, with_for_update=True)
        if person is None:
            v.add("existing_person_id", f"There is no person with id {r.existing_person_id}")
        else:
            held = s.scalar(select(Detention.detainee_no).where(
                Detention.person_id == person.id, Detention.status == "in_custody").limit(1))
            if held:
                v.add("existing_person_id", f"This person is already in custody as {held}")
    if person is not None:
        full_name, sex, nationality = person.full_name, person.sex, person.nationality
        born = person.date_of_birth
    else:
        full_name = v.require("full_name", r.full_name, max_len=200, label="Full name")
        full_name = " ".join(full_name.split())
        sex = (r.sex or "").strip().upper()
        if sex not in SEXES:
            v.add("sex", "Sex must be M, F or X")
        nationality = (r.nationality or "").strip().upper()
        if not nationality:
            v.add("nationality", "Nationality is required")
        elif not is_valid_nationality(nationality):
            v.add("nationality", f"{nationality!r} is not a known nationality code "
                                 "(ISO 3166-1 alpha-3, e.g. IDN)")
        born = r.date_of_birth
        _optional(v, "place_of_birth", r.place_of_birth, 120, "Place of birth")
        _optional(v, "languages", r.languages, 200, "Languages")
    aliases = []
    for i, alias in enumerate(r.aliases):
        alias = " ".join((alias or "").split())
        if not alias:
            v.add(f"aliases[{i}]", "An alias must not be empty")
        elif len(alias) > 200:
            v.add(f"aliases[{i}]", "An alias is longer than 200 characters")
        else:
            aliases.append(alias)

    arrested_at = _aware(v, "arrested_at", r.arrested_at, "Arrest time")
    admitted_at = _aware(v, "admitted_at", r.admitted_at, "Admission time", required=False)
    if r.admitted_at is None:
        admitted_at = now
    if arrested_at is not None and arrested_at > now + skew:
        v.add("arrested_at", "Arrest time is in the future")
    if admitted_at is not None and admitted_at > now + skew:
        v.add("admitted_at", "Admission time is in the future")
    if arrested_at is not None and admitted_at is not None and admitted_at < arrested_at \
            and arrested_at <= now + skew:  # (an arrest in the future is the error to name)
        v.add("admitted_at", "Admission cannot be before the arrest")

    is_minor = False
    if born is not None:
        today = now.astimezone(MYT).date()
        if born > today:
            v.add("date_of_birth", "Date of birth is in the future")
        elif arrested_at is not None:
            arrest_day = arrested_at.astimezone(MYT).date()
            if born > arrest_day:
                v.add("date_of_birth", "Date of birth is after the arrest")
            elif age_on(born, arrest_day) > MAX_AGE:
                v.add("date_of_birth", f"Date of birth is more than {MAX_AGE} years ago")
            else:
                is_minor = age_on(born, arrest_day) < ADULT_AGE
    if r.is_pregnant and sex == "M":
        v.add("is_pregnant", "A man cannot be recorded as pregnant")
    if r.is_unaccompanied_child and not is_minor:
        v.add("is_unaccompanied_child",
              "Only a minor (under 18 at arrest, by date of birth) can be an unaccompanied child")

    basis = legal_bases.find(r.legal_basis)
    if not (r.legal_basis or "").strip():
        v.add("legal_basis", "The section the person is held under is required")
    elif basis is None:
        v.add("legal_basis", f"{r.legal_basis.strip()!r} is not a section a detention may cite "
                             f"({', '.join(legal_bases.codes())})")
    arrest_place = _optional(v, "arrest_place", r.arrest_place, 200, "Place of arrest")
    agency = _optional(v, "arresting_agency", r.arresting_agency, 120, "Arresting agency")
    operation = _optional(v, "operation_name", r.operation_name, 120, "Operation name")
    reference = _optional(v, "legal_reference", r.legal_reference, 80, "Reference")
    note = (r.note or "").strip()

    documents = tuple(_document(v, i, d) for i, d in enumerate(r.documents))
    passes = tuple(_pass(v, i, p) for i, p in enumerate(r.passes))
    photo_mime = _photo(v, r)
    employer = _employer(v, s, r)
    cell_label = _cell(v, s, r.cell_id, depot_id)
    extras = check_extras(v, s, r, depot_id, documents)
    if r.cell_id is not None and cell_label and "cell_id" not in v.errors:
        _placement(v, uow, r.cell_id, sex, is_minor, tuple(f[1] for f in extras.family))
    v.check()
    assert arrested_at is not None and admitted_at is not None and basis is not None
    return Checked(person, full_name, sex, nationality, born, is_minor, tuple(aliases),
                   documents, passes, photo_mime, employer, arrested_at, admitted_at,
                   arrest_place, agency, operation, basis, reference, note, cell_label, extras)


def _dates(v: Validator, field: str, issued: dt.date | None, expires: dt.date | None) -> None:
    if issued is not None and expires is not None and expires < issued:
        v.add(f"{field}.expires_on", "Expiry is before the date of issue")


def _document(v: Validator, i: int, d: DocumentInput) -> DocumentInput:
    field = f"documents[{i}]"
    doc_type = (d.doc_type or "").strip().lower()
    if doc_type not in DOCUMENT_TYPES:
        v.add(f"{field}.doc_type", f"Document type must be one of {', '.join(DOCUMENT_TYPES)}")
    number = "".join((d.number or "").split()).upper()
    if not number:
        v.add(f"{field}.number", "Document number is required")
    elif len(number) > 40:
        v.add(f"{field}.number", "Document number is longer than 40 characters")
    state = (d.issuing_state or "").strip().upper()
    if not is_valid_nationality(state):
        v.add(f"{field}.issuing_state", f"{state!r} is not a known issuing state code")
    _dates(v, field, d.issued_on, d.expires_on)
    return replace(d, doc_type=doc_type, number=number, issuing_state=state)


def _pass(v: Validator, i: int, p: PassInput) -> PassInput:
    field = f"passes[{i}]"
    pass_type = v.require(f"{field}.pass_type", p.pass_type, max_len=60, label="Pass type")
    number = _optional(v, f"{field}.number", p.number, 40, "Pass number").upper()
    _dates(v, field, p.issued_on, p.expires_on)
    return replace(p, pass_type=pass_type, number=number)


def _photo(v: Validator, r: AdmissionRequest) -> str:
    if r.photo is None:
        return ""
    mime = (r.photo.mime or "").strip().lower()
    if mime not in PHOTO_TYPES:
        v.add("photo", "The photo must be a JPEG or PNG image")
    elif not r.photo.data or not r.photo.data.startswith(PHOTO_TYPES[mime]):
        v.add("photo", f"The photo data is not a {mime.split('/')[1].upper()} image")
    elif len(r.photo.data) > MAX_PHOTO_BYTES:
        v.add("photo", f"The photo is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    return mime


def _employer(v: Validator, s, r: AdmissionRequest) -> EmployerInput | None:
    if r.employer_id is not None and s.get(Employer, r.employer_id) is None:
        v.add("employer_id", f"There is no employer with id {r.employer_id}")
    if r.employer is None:
        return None
    name = v.require("employer.name", r.employer.name, max_len=200, label="Employer name")
    reg = _optional(v, "employer.registration_no", r.employer.registration_no, 40,
                    "Registration number")
    phone = _optional(v, "employer.phone", r.employer.phone, 40, "Phone")
    return replace(r.employer, name=name, registration_no=reg, phone=phone,
                   address=(r.employer.address or "").strip())


def _placement(v: Validator, uow: UnitOfWork, cell_id: int, sex: str, is_minor: bool,
               family_ids: tuple[int, ...]) -> None:
    """The placement rules a cell move obeys, for the first cell: a full cell takes an
    officer's override, which is given by moving the detainee from reception."""
    found = placement.rule_problems(placement.admission_subject(uow, sex, is_minor, family_ids),
                                    placement.place(uow, cell_id))
    words = [p.words.split(": an officer's override")[0]
             + ": leave the cell empty (reception) and ask an officer to place the detainee"
             if p.overridable else p.words for p in found]
    if words:
        v.add("cell_id", "; ".join(words))


def _cell(v: Validator, s, cell_id: int | None, depot_id: int) -> str:
    if cell_id is None:
        return ""
    # Locked until the admission commits, so that two clerks cannot both take its last place.
    found = s.execute(select(Cell, Block).join(Block, Block.id == Cell.block_id)
                      .where(Cell.id == cell_id).with_for_update(of=Cell)).first()
    if found is None or found[1].depot_id != depot_id:
        v.add("cell_id", f"There is no cell with id {cell_id} in this depot")
        return ""
    cell, block = found
    return cell_words(block.name, cell.code)
