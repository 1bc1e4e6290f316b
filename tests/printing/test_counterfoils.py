"""s.53 counterfoils: a gap-free serial on every page, a kept copy, reprints. Both engines."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, DetaineeCard, PrintedDocument
from depot_app.actor import Actor
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import printing as counterfoils
from printing import PrintCancelled, jobs
from tests.printing.helpers import page_texts

SERIAL = re.compile(r"^SMY-DOC-\d{4}-\d{6}$")


def _print(db, actor, form, ids, **kwargs):
    with db.write() as uow:
        return jobs.print_form(uow, actor, form, ids, **kwargs)


def test_every_page_carries_the_serial_and_page_x_of_y(db, clerk, few):
    job = _print(db, clerk, "admission-record", few[:2])
    serial = job.document.serial
    assert SERIAL.match(serial) and serial.endswith("-000001")
    pages = page_texts(job.pdf)
    assert len(pages) >= 2
    for n, text in enumerate(pages, 1):
        flat = " ".join(text.split())
        assert f"No. siri / Serial: {serial}" in flat
        assert f"Muka surat {n} daripada {len(pages)} / Page {n} of {len(pages)}" in flat
        assert "REKOD KEMASUKAN TAHANAN" in flat and "Detainee admission record" in flat
    everything = " ".join(pages)
    assert "NGUYỄN VĂN AN" in everything  # the diacritics survive into the PDF text
    assert "Nama penuh / Full name" in everything
    assert "Asas undang-undang tahanan".upper() in everything


def test_the_counterfoil_keeps_the_copy_and_its_subjects(db, clerk, few):
    job = _print(db, clerk, "admission-record", few[:3])
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("admission-record", "batch", 0)
    assert d.subjects == tuple(sorted(("detention", i) for i in few[:3]))
    assert d.sha256 == hashlib.sha256(job.pdf).hexdigest() and d.size == len(job.pdf)
    with db.read() as uow:
        row = uow.session.get(PrintedDocument, d.id)
        assert row.content == job.pdf and row.printed_by_id == clerk.user_id
        assert counterfoils.content(uow, clerk, d.id) == job.pdf
        assert [x.id for x in counterfoils.documents_for(uow, clerk, "detention", few[1])] \
            == [d.id]
        audit = uow.session.scalars(select(AuditEvent.action)
                                    .where(AuditEvent.entity == "printed_document")).all()
    assert audit == ["document.print"]
    single = _print(db, clerk, "admission-record", few[:1]).document
    assert (single.subject_type, single.subject_id) == ("detention", few[0])


def test_serials_are_gap_free_and_a_cancelled_job_leaves_no_trace(db, clerk, few):
    first = _print(db, clerk, "card-sheet", few[:2]).document.serial
    calls = []

    def cancel_after_three() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(PrintCancelled):
        _print(db, clerk, "card-sheet", few, cancelled=cancel_after_three)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PrintedDocument)) == 1
        assert uow.session.scalar(select(func.count()).select_from(DetaineeCard)) == 2
    second = _print(db, clerk, "card", few[2:3]).document.serial
    seen = []
    third = _print(db, clerk, "card-sheet", few,
                   progress=lambda done, total: seen.append((done, total))).document.serial
    assert [s[-6:] for s in (first, second, third)] == ["000001", "000002", "000003"]
    assert seen == [(n, 2 * len(few)) for n in range(1, 2 * len(few) + 1)]  # read, then draw


def test_a_reprint_keeps_the_serial_and_points_at_the_first_printing(db, clerk, few):
    first = _print(db, clerk, "admission-record", few[:1]).document
    with db.write() as uow:
        again = jobs.reprint(uow, clerk, first.id)
    with db.write() as uow:
        third = jobs.reprint(uow, clerk, again.document.id)  # a reprint of the reprint
    for job in (again, third):
        assert job.document.serial == first.serial
        assert job.document.reprint_of_id == first.id and job.document.is_reprint
        flat = " ".join(" ".join(page_texts(job.pdf)).split())
        assert "CETAKAN SEMULA / REPRINT" in flat and first.serial in flat
    with db.read() as uow:
        assert [d.id for d in counterfoils.by_serial(uow, clerk, first.serial)] == \
            [third.document.id, again.document.id, first.id]
    with db.write() as uow, pytest.raises(ValidationError, match="keeps the serial"):
        counterfoils.record_printed(uow, clerk, "card", "detention", few[0], b"%PDF-1.4",
                                    serial="SMY-DOC-2026-999999", reprint_of=first.id)
    # Cards are reprinted as issued.
    job = _print(db, clerk, "card", few[:2])
    with db.write() as uow:
        cards_again = jobs.reprint(uow, clerk, job.document.id)
    assert [c.id for c in cards_again.cards] == [c.id for c in job.cards]
    assert cards_again.document.serial == job.document.serial


def test_printing_needs_permission_and_a_pdf(db, few, clerk):
    nobody = Actor(None, "guest", "Guest", frozenset(), "ws")
    with pytest.raises(PermissionDenied):
        _print(db, nobody, "admission-record", few[:1])
    with db.write() as uow, pytest.raises(ValidationError, match="not a PDF"):
        counterfoils.record_printed(uow, clerk, "card", "detention", few[0], b"hello")
    with pytest.raises(ValidationError, match="no form"):
        _print(db, clerk, "memo", few[:1])
