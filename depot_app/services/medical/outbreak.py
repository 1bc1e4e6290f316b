"""The outbreak list: everyone held in a block (or the whole depot) whose latest
examination carries a communicable-disease flag, for public-health notification. It names
a diagnosis: medical staff only."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Block, Cell, Detention, MedicalCondition, MedicalExam, Person
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import ValidationError
from depot_app.services.medical.status import latest_exam_ids
from depot_app.services.medical.views import OutbreakList, OutbreakRow
from depot_app.services.medical.vocab import COMMUNICABLE
from depot_app.services.places import held_location
from depot_app.services.setup import current_depot

__all__ = ["outbreak_list"]


def outbreak_list(uow: UnitOfWork, actor: Actor, condition: str,
                  block_code: str = "") -> OutbreakList:
    actor.require(Permission.READ_MEDICAL_FINDINGS)
    if condition not in COMMUNICABLE:
        raise ValidationError({"condition": f"Condition must be one of: "
                                            f"{', '.join(COMMUNICABLE)}"})
    s = uow.session
    depot = current_depot(uow)
    block = None
    if block_code.strip():
        block = s.scalar(select(Block).where(Block.depot_id == depot.id,
                                             Block.code == block_code.strip().upper()))
        if block is None:
            raise ValidationError({"block": f"There is no block {block_code.strip()} here"})
    held = select(Detention.id).where(Detention.status == "in_custody",
                                      Detention.depot_id == depot.id)
    stmt = (select(Detention, Person, Cell, Block, MedicalExam)
            .join(Person, Person.id == Detention.person_id)
            .join(MedicalExam, MedicalExam.detention_id == Detention.id)
            .join(MedicalCondition, (MedicalCondition.exam_id == MedicalExam.id)
                  & (MedicalCondition.code == condition))
            .outerjoin(Cell, Cell.id == Detention.current_cell_id)
            .outerjoin(Block, Block.id == Cell.block_id)
            .where(MedicalExam.id.in_(latest_exam_ids(held))))
    if block is not None:
        stmt = stmt.where(Cell.block_id == block.id)
    rows = [OutbreakRow(d.id, d.detainee_no, p.full_name, p.sex, p.date_of_birth,
                        p.nationality,
                        held_location(d.away_reason, c.code if c else None,
                                      b.name if b else None),
                        e.examined_at, e.examiner_name, e.isolate,
                        c is not None and c.category == "medical_isolation")
            for d, p, c, b, e in s.execute(stmt)]
    rows.sort(key=lambda r: (r.location, r.detainee_no))
    return OutbreakList(uow.now(), depot.name, block.code if block else "",
                        block.name if block else "All blocks", condition,
                        COMMUNICABLE[condition], tuple(rows))
