"""Keeping ``MedicalCurrent``: each detention's latest examination, first screening and
whether it is on a medical list while held. Called in the unit of work that writes the
examination or ends the custody, under the detention's lock, so it never disagrees with
the examinations."""

from __future__ import annotations

from sqlalchemy import select, update

from db.models import MedicalCurrent, MedicalExam, MedicalReferral, Movement
from depot_app.database import UnitOfWork

__all__ = ["lists_it", "note_exam", "off_lists"]


def lists_it(exam: MedicalExam) -> bool:
    """Whether this examination, as the latest, puts a held detainee on a medical list."""
    return bool(exam.isolate or exam.next_due_at is not None
                or exam.travel != "not_assessed")


def note_exam(uow: UnitOfWork, exam: MedicalExam, held: bool = True) -> None:
    """An examination was recorded: it becomes the current one unless a later one is
    already on record (an examination recorded after the fact); a screening sets when the
    detention was first screened. Returns from hospital it follows are reviewed."""
    s = uow.session
    current = s.get(MedicalCurrent, exam.detention_id)
    if current is None:
        s.add(MedicalCurrent(detention_id=exam.detention_id, exam_id=exam.id,
                             examined_at=exam.examined_at,
                             screened_at=exam.examined_at if exam.kind == "screening" else None,
                             on_lists=held and lists_it(exam)))
    else:
        if (exam.examined_at, exam.id) > (current.examined_at, current.exam_id):
            current.exam_id = exam.id
            current.examined_at = exam.examined_at
            current.on_lists = held and lists_it(exam)
        if exam.kind == "screening" and (current.screened_at is None
                                         or exam.examined_at < current.screened_at):
            current.screened_at = exam.examined_at
    back_before = select(Movement.id).where(Movement.id == MedicalReferral.return_movement_id,
                                            Movement.occurred_at <= exam.examined_at).exists()
    s.execute(update(MedicalReferral)
              .where(MedicalReferral.detention_id == exam.detention_id,
                     MedicalReferral.status == "returned", back_before)
              .values(status="reviewed", version=MedicalReferral.version + 1)
              .execution_options(synchronize_session=False))


def off_lists(uow: UnitOfWork, detention_id: int) -> None:
    """Custody ended: the detention leaves the medical lists (its record stays)."""
    current = uow.session.get(MedicalCurrent, detention_id)
    if current is not None:
        current.on_lists = False
