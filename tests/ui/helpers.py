"""Detainees for UI tests: admitted through ``admission.admit`` (the real service), with a
block of cells inserted through the ORM (there is no locations service yet) and a few
episodes closed through the ORM (no release/removal service yet)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sqlalchemy import select

from db.models import Block, Cell, Depot, Detention
from depot_app.actor import Actor
from depot_app.database import Database
from depot_app.services import admission, users
from depot_app.services.name_index import index_person
from tests.conftest import PASSWORD

GIVEN = ("Ahmad", "Siti", "Nguyen", "Tran", "Maung", "Aung", "Rahim", "Kumar", "Dewi", "Budi",
         "Joseph", "Maria", "Hasan", "Nur", "Phan", "Thi")
FAMILY = ("Rahman", "Van An", "Hoang", "Kyaw", "Win", "Hossain", "Santoso", "Reyes", "Ali",
          "Perera", "Islam", "Lestari", "Thapa", "Gurung", "Bahadur", "Cruz")
NATIONS = ("IDN", "VNM", "MMR", "BGD", "NPL", "PHL", "IND", "PAK", "LKA", "KHM")


def actor(db: Database, username: str = "clerk1") -> Actor:
    return users.login(db, username, PASSWORD, "test-ws")


def add_cells(db: Database, cells: int = 4, capacity: int = 30) -> list[int]:
    with db.write() as uow:
        depot_id = uow.session.scalar(select(Depot.id).limit(1))
        block = Block(depot_id=depot_id, code="A", name="Blok A")
        uow.session.add(block)
        uow.session.flush()
        made = []
        for i in range(cells):
            # The last cell is for women: placement rules keep men and women apart.
            cell = Cell(block_id=block.id, code=f"A-{i + 1:02d}", capacity=capacity,
                        category="adult_female" if i == cells - 1 else "adult_male",
                        in_service=True)
            uow.session.add(cell)
            uow.session.flush()
            made.append(cell.id)
    return made


def request(i: int, rng: random.Random, *, now: dt.datetime,
            cell_id: int | None = None, name: str | None = None,
            document: str | None = None) -> admission.AdmissionRequest:
    sex = "F" if i % 4 == 3 else "M"
    born = dt.date(1970 + rng.randint(0, 35), rng.randint(1, 12), rng.randint(1, 28))
    arrested = now - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 20))
    return admission.AdmissionRequest(
        full_name=name or f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i:04d}",
        sex=sex, date_of_birth=born, nationality=rng.choice(NATIONS),
        arrested_at=arrested, admitted_at=arrested + dt.timedelta(hours=3),
        arrest_place="Pasar Borong Selayang", arresting_agency="Jabatan Imigresen Malaysia",
        operation_name="Ops Kutip", legal_basis="s.6(1)(c)", cell_id=cell_id,
        documents=(admission.DocumentInput(document or f"P{1000000 + i}", "IDN"),),
        languages="Bahasa Indonesia", interpreter_needed=(i % 7 == 0),
    )


def admit_many(db: Database, count: int, *, seed: int = 1, with_cells: bool = True,
               clerk: Actor | None = None) -> list[int]:
    """Admit ``count`` detainees; returns their detention ids, oldest first."""
    clerk = clerk or actor(db)
    rng = random.Random(seed)
    cells = add_cells(db) if with_cells else []
    now = db.clock.now()
    ids = []
    with db.write() as uow:
        for i in range(count):
            req = request(i, rng, now=now)
            if cells and i % 5:
                req = dataclasses.replace(req, cell_id=cells[-1] if req.sex == "F"
                                          else cells[i % (len(cells) - 1)])
            result = admission.admit(uow, clerk, req)
            ids.append(result.value.id)
        _index_names(uow, ids)
    return ids


def _index_names(uow, detention_ids: list[int]) -> None:
    """Make sure the name-token index covers these people (idempotent: a rebuild)."""
    person_ids = uow.session.scalars(select(Detention.person_id)
                                     .where(Detention.id.in_(detention_ids)))
    for person_id in set(person_ids):
        index_person(uow.session, person_id)


def admit_one(db: Database, name: str, *, document: str = "A1234567",
              clerk: Actor | None = None) -> tuple[int, str]:
    clerk = clerk or actor(db)
    with db.write() as uow:
        row = admission.admit(uow, clerk, request(9999, random.Random(9), now=db.clock.now(),
                                                  name=name, document=document)).value
        _index_names(uow, [row.id])
    return row.id, row.detainee_no


def end_episode(db: Database, detention_id: int, status: str = "removed") -> None:
    """Close an episode (no release/removal service yet)."""
    with db.write() as uow:
        d = uow.session.get(Detention, detention_id)
        d.status = status
        d.ended_at = db.clock.now()
        d.current_cell_id = None
