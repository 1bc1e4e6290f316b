"""Detainees to print: some with photos, long names and names with diacritics."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from db.models import Detention, Photo
from depot_app.demo.photos import silhouette_jpeg
from tests import factories

NAMES = (
    "NGUYỄN VĂN AN", "ĐỖ THỊ HỒNG NHUNG", "MUHAMMAD ABDUL RAHMAN BIN MOHAMED SALLEH AL-HADDAD",
    "AUNG KYAW OO", "SITI", "TRẦN QUỐC BẢO", "MD JAHANGIR ALAM", "ÇAĞLAR ŞENGÜL",
    "KHIN MYAT NOE THANDAR WIN HTUT AUNG MYINT", "JOSÉ MARÍA PEÑA", "RAM BAHADUR THAPA MAGAR",
    "WANJIRŨ NJOROGE",
)
NATIONALITIES = ("VNM", "VNM", "MYS", "MMR", "IDN", "VNM", "BGD", "TUR", "MMR", "PHL", "NPL",
                 "KEN")


def make_detainees(uow, count: int, *, photos_every: int = 2, seed: int = 53) -> list[int]:
    """``count`` detainees in custody in two cells; every ``photos_every``-th has a photo."""
    rng = random.Random(seed)
    cells = [factories.cell(uow, "Blok A", "A-01"), factories.cell(uow, "Blok B", "B-07")]
    ids = []
    for i in range(count):
        did = factories.detainee(uow, NAMES[i % len(NAMES)],
                                 nationality=NATIONALITIES[i % len(NATIONALITIES)],
                                 sex="MF"[i % 2], cell_id=cells[i % 2], passport=f"P{i:07d}")
        if i % photos_every == 0:
            person_id = uow.session.scalar(select(Detention.person_id).where(Detention.id == did))
            uow.session.add(Photo(person_id=person_id, taken_at=uow.now(), mime="image/jpeg",
                                  data=silhouette_jpeg(rng, i % 4 == 0), is_current=True))
        ids.append(did)
    uow.session.flush()
    return ids


@pytest.fixture
def clerk(login):
    return login("clerk1")


@pytest.fixture
def few(db):
    """Six detainees: the first with a photo and a Vietnamese name."""
    with db.write() as uow:
        return make_detainees(uow, 6)
