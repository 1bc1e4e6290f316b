"""Checking one row: its cells (and MRZ, when given) into the ``AdmissionRequest`` it
would admit, with every refused value named by its column, and the keys the row is
matched by."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError, Validator
from depot_app.mrz import parse_mrz
from depot_app.names import name_key
from depot_app.services.admission import (
    CLOCK_SKEW,
    AdmissionRequest,
    DocumentInput,
    EmployerInput,
)
from depot_app.services.admission_checks import Checked, check
from depot_app.services.admission_checks import _document as check_document
from depot_app.services.arrest_import.reading import (
    MAX_CODE,
    _arrest_time,
    _Bad,
    _citizen,
    _date,
    _text,
)
from depot_app.services.identity import name_parts, normalise_document_number

DOCUMENT_TYPES = ("passport", "travel_document", "national_id", "none")
MAX_MRZ = 120

# What admission_checks calls a field, as the list's column.
_COLUMN_OF = {
    "operation_name": "operation", "documents[0].doc_type": "document_type",
    "documents[0].number": "document_number", "documents[0].issuing_state": "issuing_state",
    "documents[0].expires_on": "document_number", "employer.name": "employer_name",
    "employer.registration_no": "employer_registration_no", "admitted_at": "arrested_at",
    "existing_person_id": "document_number",
}


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
