"""Reading the file: CSV (UTF-8, with or without a BOM; comma, semicolon or tab) or XLSX
into spreadsheet rows, the header into the list's columns, and the cells into text,
dates, times of arrest and yes/no."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from depot_app.clock import MYT
from depot_app.errors import ValidationError
from depot_app.services.arrest_import.model import ImportSource

REQUIRED = ("full_name", "sex", "date_of_birth", "nationality", "document_type",
            "document_number", "arrested_at", "arrest_place", "arresting_agency", "operation",
            "legal_basis")
OPTIONAL = ("citizen", "employer_name", "employer_registration_no", "issuing_state",
            "legal_reference", "mrz")
COLUMNS = REQUIRED + OPTIONAL
TEMPLATE_HEADER = ",".join(REQUIRED + OPTIONAL[:3])
HEADER_ALIASES = {"operation_name": "operation", "name": "full_name", "dob": "date_of_birth"}
MAX_ROWS = 100_000
MAX_CODE = 40  # longest value a code column (sex, nationality, section ...) may hold
XLSX_MAGIC = b"PK\x03\x04"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_YES = {"yes", "y", "true", "1", "ya"}
_NO = {"no", "n", "false", "0", "tidak", "t", ""}


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


# Reading the cells ----------------------------------------------------------------------

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
