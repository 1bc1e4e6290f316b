"""The shape of a prescribed form: sections of bilingual fields, a page size, a layout.

A form says *what* is printed and under which labels (Bahasa Malaysia first, then English);
``printing/`` decides how it looks. Each form has a ``context`` builder turning a read model
into the plain dict the renderer prints: every value already a string (dates as dd/mm/yyyy
in Malaysian time), a photo as bytes, a table as rows of strings.

A document context (``document_context``) wraps one or more record contexts with what the
fixed artwork needs: depot name, serial, who printed it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from depot_app.clock import format_local

FIELD_KINDS = ("text", "multiline", "name", "photo", "table", "barcode", "qr", "signature")
LAYOUTS = ("document", "card", "card_sheet")


@dataclass(frozen=True)
class PageSize:
    name: str
    width_mm: float
    height_mm: float


A4 = PageSize("A4", 210.0, 297.0)
CR80 = PageSize("CR80", 85.60, 53.98)  # ISO/IEC 7810 ID-1: the size of a bank card


@dataclass(frozen=True)
class ColumnDef:
    """One column of a table field."""

    key: str
    label_ms: str
    label_en: str
    width: float = 1.0  # relative to the other columns


@dataclass(frozen=True)
class FieldDef:
    key: str
    label_ms: str
    label_en: str
    kind: str = "text"
    span: int = 1  # grid columns the field takes (a section has ``columns`` of them)
    columns: tuple[ColumnDef, ...] = ()  # for kind "table"

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.key}: unknown kind {self.kind!r}")
        if self.kind == "table" and not self.columns:
            raise ValueError(f"table field {self.key} needs columns")

    @property
    def label(self) -> str:
        """The printed label: "Nama / Name"."""
        return bilingual(self.label_ms, self.label_en)


@dataclass(frozen=True)
class SectionDef:
    title_ms: str
    title_en: str
    fields: tuple[FieldDef, ...]
    columns: int = 2

    @property
    def title(self) -> str:
        return bilingual(self.title_ms, self.title_en)


def _no_context(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise NotImplementedError("this form has no context builder")


@dataclass(frozen=True)
class FormDef:
    code: str  # what `depot print CODE` takes, e.g. "admission-record"
    title_ms: str
    title_en: str
    sections: tuple[SectionDef, ...]
    page_size: PageSize = A4
    layout: str = "document"
    subject_type: str = "detention"  # what one record is about, for the counterfoil
    context: Callable[..., dict[str, Any]] = field(default=_no_context, compare=False)
    note_ms: str = ""  # printed under the title, e.g. the provision the form serves
    note_en: str = ""
    # Confidential (medical findings): the note is printed bold and repeated above the
    # footer of every page, so a sheet found on its own still says so.
    confidential: bool = False

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"form {self.code}: unknown layout {self.layout!r}")
        keys = [f.key for s in self.sections for f in s.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"form {self.code}: a field key is used twice")

    @property
    def title(self) -> str:
        return bilingual(self.title_ms, self.title_en)

    def fields(self) -> dict[str, FieldDef]:
        return {f.key: f for s in self.sections for f in s.fields}

    def field(self, key: str) -> FieldDef:
        return self.fields()[key]


def bilingual(ms: str, en: str) -> str:
    """Bahasa Malaysia first: "Nama / Name"; one word when both are the same."""
    if not en or ms == en:
        return ms
    if not ms:
        return en
    return f"{ms} / {en}"


def document_context(form: FormDef, records: Iterable[dict[str, Any]], *, depot_name: str,
                     serial: str, printed_at: dt.datetime, printed_by: str,
                     reprint: bool = False) -> dict[str, Any]:
    """What ``printing.render`` takes: the records and the document's fixed details."""
    records = list(records)
    if not records:
        raise ValueError("a document needs at least one record")
    return {
        "form_code": form.code,
        "depot_name": depot_name,
        "serial": serial,
        "printed_at": format_local(printed_at),
        "printed_by": printed_by,
        "reprint": reprint,
        "records": records,
    }
