"""Rows for read-side tests, written straight through the ORM (admission has its own tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from db.models import (
    Block,
    Cell,
    Depot,
    Detention,
    IdentityDocument,
    Movement,
    Person,
    PersonAlias,
)
from depot_app.names import name_key
from depot_app.services.name_index import index_person

_numbers = itertools.count(1)


def cell(uow, block_name: str = "Blok A", code: str = "A-01", category: str = "adult_male",
         capacity: int = 20) -> int:
    depot_id = uow.session.scalars(select(Depot.id)).first()
    block = uow.session.scalars(select(Block).where(Block.name == block_name)).first()
    if block is None:
        block = Block(depot_id=depot_id, code=block_name.split()[-1], name=block_name)
        uow.session.add(block)
        uow.session.flush()
    c = Cell(block_id=block.id, code=code, capacity=capacity, category=category)
    uow.session.add(c)
    uow.session.flush()
    return c.id


def detainee(uow, name: str, *, nationality: str = "IDN", sex: str = "M",
             born: dt.date | None = dt.date(1990, 5, 17), passport: str | None = None,
             aliases: tuple[str, ...] = (), status: str = "in_custody",
             admitted: dt.datetime | None = None, cell_id: int | None = None,
             number: str | None = None, person_id: int | None = None, minor: bool = False) -> int:
    s = uow.session
    now = uow.now()
    admitted = admitted or now
    if person_id is None:
        person = Person(full_name=name, name_key=name_key(name), sex=sex, date_of_birth=born,
                        nationality=nationality, created_at=now)
        s.add(person)
        s.flush()
        for alias in aliases:
            s.add(PersonAlias(person_id=person.id, name=alias, name_key=name_key(alias)))
        if passport:
            s.add(IdentityDocument(person_id=person.id, doc_type="passport", number=passport,
                                   issuing_state=nationality))
        index_person(s, person.id)
        person_id = person.id
    depot_id = s.scalars(select(Depot.id)).first()
    d = Detention(detainee_no=number or f"SMY-{admitted.year}-{next(_numbers):06d}",
                  person_id=person_id, depot_id=depot_id,
                  arrested_at=admitted - dt.timedelta(hours=3), admitted_at=admitted,
                  status=status, current_cell_id=cell_id if status == "in_custody" else None,
                  ended_at=None if status == "in_custody" else admitted + dt.timedelta(days=9),
                  is_minor=minor)
    s.add(d)
    s.flush()
    s.add(Movement(detention_id=d.id, kind="admission", occurred_at=admitted, to_cell_id=cell_id,
                   recorded_at=admitted))
    s.flush()
    return d.id
