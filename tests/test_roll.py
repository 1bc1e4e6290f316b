# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""The establishment roll: its arithmetic per block and for the depot, kept consistent
through every kind of movement; a movement out never increases occupancy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from db.models import Cell
from depot_app.cli.main import main
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.readmodels import RollView
from depot_app.services import (
    dashboard,
    departures,
    detainees,
    locations,
    movements,
    outings,
    roll,
)
from depot_app.services.departures import AbscondRequest, DeathRequest, DischargeRequest
from depot_app.services.detainees import DetaineeQuery
from depot_app.services.movements import MoveRequest
from depot_app.services.outings import OutRequest, ReturnRequest
from tests import factories
from tests.custody_fixtures import NOW, clock, depot, version, warden  # noqa: F401
from tests.medical_fixtures import certify_fit
from tests.test_admission import actor_for


def the_roll(db, actor) -> RollView:
    with db.read() as uow:
        return roll.roll(uow, actor)


def line(view: RollView, key: str):
    return next(b for b in view.blocks if b.key == key)


def consistent(view: RollView, held: int) -> None:
    """The figures add up: blocks to the total, parts to the whole, people to the roll."""
    t = view.total
    assert t.on_roll == held
    for name in ("capacity", "in_cell", "out", "unallocated", "vacancies", "over_capacity",
                 "held_out_of_service", "cells", "cells_out_of_service", "men", "women", "boys",
                 "girls"):
        assert getattr(t, name) == sum(getattr(b, name) for b in view.blocks), name
    for b in (*view.blocks, t):
        assert b.men + b.women + b.boys + b.girls == b.on_roll
        assert b.out == sum(c.count for c in b.out_by_reason)
    assert sum(c.count for c in view.by_nationality) == held


def occupancy(view: RollView, key: str) -> int:
    """Places taken in a block: capacity less vacancies, plus any over capacity and any
    held in cells out of service."""
    b = line(view, key)
    return b.capacity - b.vacancies + b.over_capacity + b.held_out_of_service


def test_roll_per_block_and_total(db, warden, depot):
    view = the_roll(db, warden)
    assert [b.key for b in view.blocks] == ["A", "W", ""]  # reception last
    a, w, reception = view.blocks
    assert (a.capacity, a.in_cell, a.out, a.unallocated, a.vacancies, a.men) == (5, 2, 0, 0, 3, 2)
    assert (w.capacity, w.in_cell, w.women, w.girls, w.vacancies) == (8, 2, 1, 1, 6)
    assert (reception.name, reception.unallocated, reception.capacity) == (
        "Reception (unallocated)", 1, 0)
    assert [(c.label, c.count) for c in view.by_nationality] == [
        ("Indonesia", 2), ("Myanmar", 2), ("Bangladesh", 1)]
    consistent(view, 5)


def test_every_kind_of_movement_keeps_the_roll_consistent(db, warden, depot):
    """Walk detainees through every movement; after each, the roll adds up, and nothing
    leaving a cell raises its block's occupancy."""
    officer = actor_for(db, "officer1")
    held = 5

    def step(action, *, block=None, leaves=False):
        nonlocal held
        before = the_roll(db, warden)
        with db.write() as uow:
            action(uow)
        after = the_roll(db, warden)
        if leaves:
            held -= 1
        consistent(after, held)
        if block is not None:
            assert occupancy(after, block) <= occupancy(before, block)
        return before, after

    # Eko from reception to A-02.
    _, after = step(lambda uow: movements.move_to_cell(uow, warden, MoveRequest(
        depot["eko"], depot["A-02"], "Allocated", version(db, depot["eko"]))))
    assert (line(after, "A").in_cell, after.blocks[-1].key) == (3, "W")  # reception gone

    # Agus out to court: still on the roll, out, his place kept.
    before, after = step(lambda uow: outings.go_out(uow, warden, OutRequest(
        depot["agus"], "court", "Mahkamah Majistret Kajang", "Production",
        version(db, depot["agus"]))), block="A")
    a = line(after, "A")
    assert (a.in_cell, a.out, [(c.label, c.count) for c in a.out_by_reason]) == (
        2, 1, [("Court", 1)])
    assert a.vacancies == line(before, "A").vacancies  # his place is not given away

    # Back from court.
    _, after = step(lambda uow: outings.come_back(uow, warden, ReturnRequest(
        depot["agus"], version(db, depot["agus"]))))
    assert (line(after, "A").in_cell, line(after, "A").out) == (3, 0)

    # Budi to hospital, then dies there.
    step(lambda uow: outings.go_out(uow, warden, OutRequest(
        depot["budi"], "hospital", "Hospital Kajang", "Chest pain",
        version(db, depot["budi"]))), block="A")
    _, after = step(lambda uow: departures.record_death(uow, warden, DeathRequest(
        depot["budi"], version(db, depot["budi"]), NOW,
        "hospital", "Myocardial infarction", "Dr. Lim, Hospital Kajang")),
        block="A", leaves=True)
    assert line(after, "A").out == 0

    # Citra absconds; Dewi is released; Agus transferred; Eko removed.
    step(lambda uow: departures.abscond(uow, warden, AbscondRequest(
        depot["citra"], version(db, depot["citra"]), "Missing at the 06:00 count")),
        block="W", leaves=True)
    step(lambda uow: departures.discharge(uow, officer, DischargeRequest(
        depot["dewi"], "release", "Director of Immigration", "Released to UNHCR",
        version(db, depot["dewi"]))), block="W", leaves=True)
    step(lambda uow: departures.discharge(uow, warden, DischargeRequest(
        depot["agus"], "transfer", "Director, Depot Semenyih", "Transfer",
        version(db, depot["agus"]), document_ref="TD/2026/0042",
        destination="Depot Imigresen Bukit Jalil")), block="A", leaves=True)
    certify_fit(db, actor_for(db, "medical1"), depot["eko"])
    _, after = step(lambda uow: departures.discharge(uow, warden, DischargeRequest(
        depot["eko"], "removal", "Removal order", "Removal by air",
        version(db, depot["eko"]), document_ref="RO/2026/7",
        destination="Dhaka, flight BG 87")), block="A", leaves=True)
    assert after.total.on_roll == 0
    assert after.total.vacancies == after.total.capacity == 13


def test_out_of_service_and_overcrowding_are_shown(db, warden, depot):
    admin = actor_for(db, "admin")
    with db.read() as uow:
        a02 = uow.session.get(Cell, depot["A-02"])
        a02_version = a02.version
    with db.write() as uow:
        locations.set_in_service(uow, admin, depot["A-02"], False, "Flooded", a02_version)
    view = the_roll(db, warden)
    a = line(view, "A")
    assert (a.capacity, a.cells, a.cells_out_of_service, a.vacancies) == (3, 2, 1, 1)
    # An officer overrides capacity: A-01 holds 4 for 3 places.
    officer = actor_for(db, "officer1")
    with db.write() as uow:
        movements.move_to_cell(uow, officer, MoveRequest(
            depot["eko"], depot["A-01"], "Allocated", version(db, depot["eko"])))
    with db.write() as uow:
        extra = factories.detainee(uow, "Fajar Nugroho", admitted=NOW - dt.timedelta(days=1))
    with db.write() as uow:
        movements.move_to_cell(uow, officer, MoveRequest(
            extra, depot["A-01"], "Allocated", version(db, extra),
            override_reason="Block B flooded"))
    view = the_roll(db, warden)
    a = line(view, "A")
    assert (a.in_cell, a.vacancies, a.over_capacity, a.overcrowded_cells) == (
        4, 0, 1, ("Blok A / A-01",))
    consistent(view, 6)
    # A-01 floods too, with its four still inside: they are to be moved, not "over capacity".
    with db.read() as uow:
        a01_version = uow.session.get(Cell, depot["A-01"]).version
    with db.write() as uow:
        locations.set_in_service(uow, admin, depot["A-01"], False, "Flooded", a01_version)
    view = the_roll(db, warden)
    a = line(view, "A")
    assert (a.capacity, a.in_cell, a.over_capacity, a.overcrowded_cells) == (0, 4, 0, ())
    assert (a.held_out_of_service, a.closed_cells) == (4, ("Blok A / A-01",))
    consistent(view, 6)


def test_roll_needs_permission_to_view(db, depot):
    nobody = dataclasses.replace(actor_for(db, "clerk1"), roles=frozenset())
    with pytest.raises(PermissionDenied):
        the_roll(db, nobody)


def test_roll_json_on_the_command_line(db, depot, monkeypatch, capsys):
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", "correct horse 1")
    assert main(["--db", db.url, "roll", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["on_roll"] == 5
    assert [b["key"] for b in data["blocks"]] == ["A", "W", ""]
    assert data["blocks"][0]["in_cell"] == 2
    assert data["by_nationality"] == {"Bangladesh": 1, "Indonesia": 2, "Myanmar": 2}


def test_headcount_due_and_interval_on_the_command_line(db, depot, monkeypatch, capsys):
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", "correct horse 1")
    assert main(["--db", db.url, "headcount", "due", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [(d["block_name"], d["overdue"]) for d in due] == [("Blok A", True), ("Blok W", True)]
    assert main(["--db", db.url, "headcount", "interval", "6"]) == 3  # wardens may not
    capsys.readouterr()
    monkeypatch.setenv("DEPOT_USER", "admin")
    assert main(["--db", db.url, "headcount", "interval", "6"]) == 0
    assert "every 6 hours" in capsys.readouterr().out
    assert main(["--db", db.url, "headcount", "interval", "30"]) == 1
    assert "whole number of hours from 1 to 24" in capsys.readouterr().err


def test_the_dashboard_gives_the_roll_s_figures(db, warden, depot):
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["agus"], "court", "Mahkamah Kajang",
                                               "Production", version(db, depot["agus"])))
    view = the_roll(db, warden)
    with db.read() as uow:
        board = dashboard.dashboard(uow, warden)
    t = view.total
    assert (board.in_custody, board.vacancies, board.capacity, board.out_of_depot,
            board.unallocated) == (t.on_roll, t.vacancies, t.capacity, t.out, t.unallocated)
    assert [(c.label, c.count) for c in board.by_block] == [
        (b.name, b.on_roll) for b in view.blocks if b.key != roll.RECEPTION]


def test_who_is_where_on_the_roll(db, warden, depot):
    """Each line of the roll can be listed by name: a block's roll, reception, those out."""
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["agus"], "court", "Mahkamah Kajang",
                                               "Production", version(db, depot["agus"])))

    def where(place: str) -> set[int]:
        with db.read() as uow:
            return set(detainees.search_ids(uow, warden, DetaineeQuery(where=place)))

    assert where("block:A") == {depot["agus"], depot["budi"]}  # Agus's place is kept
    assert where("block:w") == {depot["citra"], depot["dewi"]}
    assert where("reception") == {depot["eko"]}
    assert where("out") == where("out:court") == {depot["agus"]}
    assert where("out:hospital") == set()
    view = the_roll(db, warden)
    for b in view.blocks:  # every line of the roll lists as many as it counts
        place = f"block:{b.key}" if b.key else "reception"
        assert len(where(place)) == b.on_roll
    with pytest.raises(ValidationError) as exc:
        where("yard")
    assert "is not a place on the roll" in exc.value.fields["where"]
