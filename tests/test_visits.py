# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""Visits: what each kind requires, times in order, only while held, and the record lists
them newest first with who recorded them."""

from __future__ import annotations

import datetime as dt

import pytest

from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import departures, detainees, visits
from depot_app.services.departures import AbscondRequest
from depot_app.services.visits import VisitInput
from tests.custody_fixtures import NOW, clock, depot, snapshot, version, warden  # noqa: F401
from tests.test_admission import actor_for


def record(db, actor, request):
    with db.write() as uow:
        return visits.record_visit(uow, actor, request).value


def test_each_kind_requires_its_particulars(db, warden, depot):
    before = snapshot(db)
    cases = (
        (VisitInput(depot["agus"], "ngo", "Aisha Rahman", organisation="UNHCR"),
         {"approval_ref"}),
        (VisitInput(depot["agus"], "consular", "Mr. Budi Hartono"), {"organisation"}),
        (VisitInput(depot["agus"], "family", "Sri Wahyuni"), {"relation"}),
        (VisitInput(depot["agus"], "party", ""), {"kind", "visitor"}),
        (VisitInput(depot["agus"], "lawyer", "Mr. Lee", started_at=NOW + dt.timedelta(hours=1)),
         {"started_at"}),
        (VisitInput(depot["agus"], "lawyer", "Mr. Lee", started_at=NOW - dt.timedelta(hours=1),
                    ended_at=NOW - dt.timedelta(hours=2)), {"ended_at"}),
        (VisitInput(depot["agus"], "lawyer", "Mr. Lee", started_at=dt.datetime(2026, 6, 15)),
         {"started_at"}),
    )
    for request, fields in cases:
        with pytest.raises(ValidationError) as exc:
            record(db, warden, request)
        assert set(exc.value.fields) == fields, request
    assert snapshot(db) == before


def test_visits_are_recorded_ended_and_listed(db, warden, depot):
    ngo = record(db, warden, VisitInput(
        depot["agus"], "ngo", "Aisha Rahman", organisation="UNHCR Malaysia",
        approval_ref="KDN/UNHCR/2026/118", officer_present="Sjn. Azman",
        started_at=NOW - dt.timedelta(hours=2)))
    assert (ngo.approval_ref, ngo.recorded_by, ngo.ended_at) == (
        "KDN/UNHCR/2026/118", "Warden1", None)
    record(db, warden, VisitInput(depot["agus"], "family", "Sri Wahyuni", relation="wife",
                                  started_at=NOW - dt.timedelta(hours=1),
                                  ended_at=NOW - dt.timedelta(minutes=30)))
    with db.write() as uow:
        ended = visits.end_visit(uow, warden, ngo.id).value
    assert ended.ended_at == NOW
    with db.write() as uow, pytest.raises(ValidationError) as exc:
        visits.end_visit(uow, warden, ngo.id)
    assert "already recorded" in exc.value.fields["ended_at"]
    with db.read() as uow:
        d = detainees.detail(uow, warden, depot["agus"])
    assert [(v.kind, v.visitor, v.relation) for v in d.visits] == [
        ("family", "Sri Wahyuni", "wife"), ("ngo", "Aisha Rahman", "")]


def test_only_wardens_record_visits_and_only_while_held(db, warden, depot):
    with pytest.raises(PermissionDenied):
        record(db, actor_for(db, "clerk1"), VisitInput(depot["agus"], "lawyer", "Mr. Lee"))
    with db.write() as uow:
        departures.abscond(uow, warden, AbscondRequest(
            depot["agus"], version(db, depot["agus"]), "Missing"))
    with pytest.raises(ValidationError) as exc:
        record(db, warden, VisitInput(depot["agus"], "lawyer", "Mr. Lee"))
    assert "not in custody" in exc.value.fields["detention_id"]
