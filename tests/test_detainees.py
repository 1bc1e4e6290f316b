"""Finding detainees by name, alias, detainee number or document, and reading the record."""

from __future__ import annotations

import datetime as dt

import pytest

from depot_app.actor import Actor
from depot_app.errors import NotFound, PermissionDenied
from depot_app.services import dashboard, detainees
from depot_app.services.detainees import DetaineeQuery
from tests import factories

BASE = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(db):
    with db.write() as uow:
        a1 = factories.cell(uow)
        ids = {
            "nguyen": factories.detainee(uow, "NGUYỄN VĂN AN", nationality="VNM", passport="C1234567",
                                         admitted=BASE, cell_id=a1, number="SMY-2026-000101"),
            "rahman": factories.detainee(uow, "MD ABDUR RAHMAN", nationality="BGD",
                                         aliases=("ABDUL RAHMAN",), admitted=BASE + dt.timedelta(hours=1),
                                         number="SMY-2026-000102"),
            "aung": factories.detainee(uow, "AUNG KYAW OO", nationality="MMR", admitted=BASE - dt.timedelta(days=1),
                                       cell_id=a1, number="SMY-2026-000103", passport="MA998877"),
            "released": factories.detainee(uow, "NGUYEN THI HOA", nationality="VNM", sex="F",
                                           status="released", admitted=BASE - dt.timedelta(days=30),
                                           number="SMY-2026-000050"),
        }
    return ids


def _search(db, actor, text, scope="in_custody"):
    with db.read() as uow:
        return detainees.search_ids(uow, actor, DetaineeQuery(text, scope))


@pytest.mark.parametrize("text, expect", [
    ("", ["rahman", "nguyen", "aung"]),
    ("nguyen", ["nguyen"]),                     # accents folded
    ("Nguyễn Văn", ["nguyen"]),
    ("van ngu", ["nguyen"]),                    # word order and prefixes
    ("abdul", ["rahman"]),                      # an alias
    ("RAHMAN MD", ["rahman"]),
    ("SMY-2026-0001", ["rahman", "nguyen", "aung"]),
    ("smy-2026-000103", ["aung"]),
    ("103", ["aung"]),                          # the tail of a number
    ("MA99", ["aung"]),                         # a document number
    ("c1234567", ["nguyen"]),
    ("zzz", []),
])
def test_search_in_custody(db, login, people, text, expect):
    clerk = login("clerk1")
    assert _search(db, clerk, text) == [people[k] for k in expect]


def test_search_all_records_includes_past_episodes(db, login, people):
    clerk = login("clerk1")
    assert _search(db, clerk, "nguyen", "all") == [people["nguyen"], people["released"]]
    assert _search(db, clerk, "000050", "all") == [people["released"]]


def test_rows_keep_the_order_asked_for(db, login, people):
    clerk = login("clerk1")
    order = [people["aung"], people["released"], people["nguyen"]]
    with db.read() as uow:
        rows = detainees.rows(uow, clerk, order)
    assert [r.id for r in rows] == order
    assert rows[0].location == "Blok A / A-01"
    assert rows[1].location == "" and rows[1].status == "released"
    assert rows[2].full_name == "NGUYỄN VĂN AN" and rows[2].nationality_name == "Vietnam"


def test_detail_and_lookup_by_number(db, login, people):
    clerk = login("clerk1")
    with db.read() as uow:
        did = detainees.id_for_number(uow, clerk, " smy-2026-000101 ")
        view = detainees.detail(uow, clerk, did)
    assert did == people["nguyen"]
    assert view.detainee_no == "SMY-2026-000101"
    assert view.documents[0].number == "C1234567"
    assert view.location == "Blok A / A-01"
    assert [m.kind for m in view.movements] == ["admission"]
    with db.read() as uow, pytest.raises(NotFound):
        detainees.id_for_number(uow, clerk, "SMY-2026-999999")


def test_detail_shows_other_episodes_of_the_same_person(db, login):
    clerk = login("clerk1")
    with db.write() as uow:
        first = factories.detainee(uow, "SOK DARA", nationality="KHM", status="removed",
                                   admitted=BASE - dt.timedelta(days=400))
        from db.models import Detention
        person_id = uow.session.get(Detention, first).person_id
        again = factories.detainee(uow, "SOK DARA", person_id=person_id, admitted=BASE)
    with db.read() as uow:
        view = detainees.detail(uow, clerk, again)
    assert [(e.status, e.detainee_no) for e in view.other_episodes] == [
        ("removed", view.other_episodes[0].detainee_no)]


def test_dashboard_counts(db, login, people):
    clerk = login("clerk1")
    db.clock = type("C", (), {"now": staticmethod(lambda: BASE + dt.timedelta(hours=2))})()
    with db.write() as uow:
        factories.detainee(uow, "SITI AMINAH", sex="F", admitted=BASE, minor=True)
    with db.read() as uow:
        view = dashboard.dashboard(uow, clerk)
    assert view.in_custody == 4
    assert (view.men, view.women, view.boys, view.girls) == (3, 0, 0, 1)
    assert view.unallocated == 2           # rahman and siti have no cell
    assert view.admitted_today == 3        # BASE, BASE+1h, and siti (Malaysian day 20/11)
    assert view.capacity == 20 and view.vulnerable == 1
    assert view.by_block[0].label == "Blok A" and view.by_block[0].count == 2


def test_no_role_no_access(db, people):
    nobody = Actor(999, "nobody", "Nobody", frozenset(), "ws")
    with db.read() as uow, pytest.raises(PermissionDenied):
        detainees.search_ids(uow, nobody, DetaineeQuery(""))
    with db.read() as uow, pytest.raises(PermissionDenied):
        detainees.detail(uow, nobody, people["nguyen"])
