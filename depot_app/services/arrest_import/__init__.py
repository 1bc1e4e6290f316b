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

The package, by step:

- ``model``: the public data (the source, the preview and its parts, the outcome);
- ``reading``: the file to rows: CSV or XLSX, the header to columns, the cells parsed;
- ``rows``: one row checked into an ``AdmissionRequest``;
- ``matching``: rows repeated in the file, persons on record, the clerk's links;
- ``prepare``: ``preview``, reading, checking and matching the whole list;
- ``writing``: ``import_arrests``, the bulk admission writes and the audit;
- ``bulk``: chunked reads and bulk inserts (Core, or COPY on PostgreSQL).
"""

from __future__ import annotations

from depot_app.services.arrest_import.matching import parts_of_key
from depot_app.services.arrest_import.model import (
    Cancelled,
    Duplicate,
    ImportCancelled,
    ImportOutcome,
    ImportPreview,
    ImportSource,
    KnownPerson,
    PreviewRow,
    Progress,
    RepeatEntrant,
    RowError,
)
from depot_app.services.arrest_import.prepare import preview
from depot_app.services.arrest_import.reading import (
    COLUMNS,
    OPTIONAL,
    REQUIRED,
    TEMPLATE_HEADER,
    read_rows,
)
from depot_app.services.arrest_import.writing import import_arrests

__all__ = ["COLUMNS", "Cancelled", "Duplicate", "ImportCancelled", "ImportOutcome",
           "ImportPreview", "ImportSource", "KnownPerson", "OPTIONAL", "PreviewRow",
           "Progress", "REQUIRED", "RepeatEntrant", "RowError", "TEMPLATE_HEADER",
           "import_arrests", "parts_of_key", "preview", "read_rows"]
