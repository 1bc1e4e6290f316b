"""Counterfoils (s.53): a serial and a kept copy of every document the depot prints.

Counterfoils of documents issued are prima facie evidence of what they record, so every
printed document gets a serial (``SMY-DOC-2026-000001``: gap-free per depot and year) and a
``printed_document`` row holding who printed it, when, the SHA-256 and the PDF bytes.

The serial is printed on every page, so a print job runs in ONE write unit of work:
``allocate_serial`` first, render with that serial, then ``record_printed``. A failed or
cancelled render rolls the serial back with everything else, leaving no gap. A reprint keeps
the original's serial and points ``reprint_of`` at the first printing.

The serial is taken like a detainee number (see ``numbers.py``): ``INSERT ... ON CONFLICT DO
NOTHING`` then ``UPDATE ... RETURNING`` on the ``document_sequence`` row, whose row lock
makes a second workstation wait until the first commits or rolls back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import DocumentSequence, PrintedDocument, PrintedDocumentSubject, User
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes
from depot_app.clock import MYT
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services.setup import current_depot

_SEQ = DocumentSequence.__table__
DOCUMENT_KIND = "DOC"
DIGITS = 6
# Forms whose kept copy names clinical findings (the examination record; the outbreak list
# names a diagnosis against each person). Their bytes are read, and they are printed or
# reprinted, only by an actor who may read medical findings; anyone who may print sees
# that they were printed (serial, form, who, when), never what they say.
CONFIDENTIAL_FORMS = frozenset({"medical-exam", "outbreak-list"})


@dataclass(frozen=True)
class PrintedDocumentView:
    id: int
    serial: str
    form_code: str
    subject_type: str
    subject_id: int
    printed_at: dt.datetime
    printed_by: str
    reprint_of_id: int | None
    sha256: str
    size: int
    subjects: tuple[tuple[str, int], ...] = ()

    @property
    def is_reprint(self) -> bool:
        return self.reprint_of_id is not None


def require_readable(actor: Actor, form_code: str) -> None:
    """``PermissionDenied`` unless ``actor`` may see a document of this form: printing
    needs ``PRINT``; a confidential form also needs ``READ_MEDICAL_FINDINGS``."""
    actor.require(Permission.PRINT)
    if form_code in CONFIDENTIAL_FORMS:
        actor.require(Permission.READ_MEDICAL_FINDINGS)


def format_serial(depot_code: str, kind: str, year: int, value: int) -> str:
    return f"{depot_code.upper()}-{kind}-{year}-{value:0{DIGITS}d}"


def allocate_serial(uow: UnitOfWork, actor: Actor, kind: str = DOCUMENT_KIND) -> str:
    """Take the next document serial for this depot and year (Malaysian time), inside the
    caller's write unit of work: it commits or rolls back with the document."""
    actor.require(Permission.PRINT)
    depot = current_depot(uow)
    year = uow.now().astimezone(MYT).year
    dialect = postgresql if uow.dialect == "postgresql" else sqlite
    s = uow.session
    s.execute(dialect.insert(_SEQ).values(depot_id=depot.id, kind=kind, year=year, last_value=0)
              .on_conflict_do_nothing(index_elements=[_SEQ.c.depot_id, _SEQ.c.kind,
                                                      _SEQ.c.year]))
    value = s.execute(
        update(_SEQ)
        .where(_SEQ.c.depot_id == depot.id, _SEQ.c.kind == kind, _SEQ.c.year == year)
        .values(last_value=_SEQ.c.last_value + 1)
        .returning(_SEQ.c.last_value)
    ).scalar_one()
    return format_serial(depot.code, kind, year, value)


def record_printed(uow: UnitOfWork, actor: Actor, form_code: str, subject_type: str,
                   subject_id: int, pdf_bytes: bytes, serial: str | None = None,
                   reprint_of: int | None = None,
                   subjects: Iterable[tuple[str, int]] = ()) -> PrintedDocumentView:
    """Keep the counterfoil of a printed document, audited, in the caller's unit of work.

    ``serial`` is the one allocated (and printed) for this document; None takes a new one
    (for a document that does not show its serial). A reprint (``reprint_of`` = the id of
    any earlier printing) keeps the first printing's serial. ``subjects`` lists everything
    a batch document carried (a sheet of cards); the main subject is always listed.
    """
    require_readable(actor, form_code)
    if actor.user_id is None:
        raise ValidationError({"actor": "documents are printed by a logged-in user"})
    if not pdf_bytes.startswith(b"%PDF"):
        raise ValidationError({"pdf_bytes": "not a PDF document"})
    s = uow.session
    original: PrintedDocument | None = None
    if reprint_of is not None:
        original = s.get(PrintedDocument, reprint_of)
        if original is None:
            raise NotFound("printed document", reprint_of)
        while original.reprint_of_id is not None:  # always point at the first printing
            original = s.get(PrintedDocument, original.reprint_of_id)
        if serial is not None and serial != original.serial:
            raise ValidationError({"serial": f"a reprint keeps the serial {original.serial}"})
        serial = original.serial
    serial = serial or allocate_serial(uow, actor)
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    doc = PrintedDocument(serial=serial, form_code=form_code, subject_type=subject_type,
                          subject_id=subject_id, printed_at=uow.now(),
                          printed_by_id=actor.user_id,
                          reprint_of_id=original.id if original else None,
                          sha256=digest, content=pdf_bytes)
    s.add(doc)
    s.flush()
    listed = list(dict.fromkeys([(subject_type, subject_id), *subjects]))
    if subject_type == "batch":
        listed = [pair for pair in listed if pair[0] != "batch"]
    s.add_all(PrintedDocumentSubject(printed_document_id=doc.id, subject_type=t, subject_id=i)
              for t, i in listed)
    uow.record(actor, "document.reprint" if original else "document.print", "printed_document",
               doc.id, None, {"serial": serial, "form": form_code, "subject_type": subject_type,
                              "subject_id": subject_id, "sha256": digest,
                              "reprint_of": original.id if original else None,
                              "subjects": len(listed)})
    uow.touch(Changes.of(areas.AUDIT))
    return PrintedDocumentView(doc.id, serial, form_code, subject_type, subject_id,
                               doc.printed_at, actor.full_name, doc.reprint_of_id, digest,
                               len(pdf_bytes), tuple(listed))


def documents_for(uow: UnitOfWork, actor: Actor, subject_type: str,
                  subject_id: int) -> list[PrintedDocumentView]:
    """Every document printed about this subject (alone or in a batch), newest first."""
    actor.require(Permission.PRINT)
    ids = select(PrintedDocumentSubject.printed_document_id).where(
        PrintedDocumentSubject.subject_type == subject_type,
        PrintedDocumentSubject.subject_id == subject_id)
    return _views(uow, PrintedDocument.id.in_(ids))


def by_serial(uow: UnitOfWork, actor: Actor, serial: str) -> list[PrintedDocumentView]:
    """The first printing of this serial and its reprints, newest first."""
    actor.require(Permission.PRINT)
    found = _views(uow, PrintedDocument.serial == serial.strip().upper())
    if not found:
        raise NotFound("printed document", serial)
    return found


def content(uow: UnitOfWork, actor: Actor, document_id: int) -> bytes:
    """The kept copy of a printed document (a confidential form's only for medical
    staff)."""
    actor.require(Permission.PRINT)
    doc = uow.session.get(PrintedDocument, document_id)
    if doc is None:
        raise NotFound("printed document", document_id)
    require_readable(actor, doc.form_code)
    return doc.content


def _views(uow: UnitOfWork, where) -> list[PrintedDocumentView]:
    s = uow.session
    d = PrintedDocument
    rows = s.execute(
        select(d.id, d.serial, d.form_code, d.subject_type, d.subject_id, d.printed_at,
               User.full_name, d.reprint_of_id, d.sha256, func.length(d.content))
        .outerjoin(User, User.id == d.printed_by_id)
        .where(where)
        .order_by(d.printed_at.desc(), d.id.desc())
    ).all()
    if not rows:
        return []
    subjects: dict[int, list[tuple[str, int]]] = {}
    for row in s.scalars(select(PrintedDocumentSubject)
                         .where(PrintedDocumentSubject.printed_document_id
                                .in_([r[0] for r in rows]))):
        subjects.setdefault(row.printed_document_id, []).append((row.subject_type,
                                                                 row.subject_id))
    return [PrintedDocumentView(*r[:6], r[6] or "", *r[7:9], int(r[9] or 0),
                                tuple(sorted(subjects.get(r[0], []))))
            for r in rows]
