# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""Outings and departures: court, hospital and embassy and back; release with property
returned; transfer and removal with their papers; abscondment; death with its record.
Each refusal names its field and writes nothing; two workstations recording a departure of
the same detainee get a conflict, not two departures."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import (
    AuditEvent,
    CashEntry,
    Cell,
    Detention,
    DetentionStage,
    Movement,
    PropertyItem,
)
from depot_app.errors import ConflictError, PermissionDenied, ValidationError
from depot_app.services import departures, detainees, outings, property
from depot_app.services.departures import (
    AbscondRequest,
    DeathRequest,
    DischargeRequest,
    NotificationInput,
)
from depot_app.services.outings import OutRequest, ReturnRequest
from depot_app.services.property import PropertyReturn
from tests.custody_fixtures import NOW, clock, depot, snapshot, version, warden  # noqa: F401
from tests.test_admission import actor_for


def run(db, fn, *args):
    with db.write() as uow:
        return fn(uow, *args)


def detail(db, actor, detention_id):
    with db.read() as uow:
        return detainees.detail(uow, actor, detention_id)


@pytest.fixture
def belongings(db, depot):
    """Agus holds a phone and a wallet and RM 150.00 with the depot."""
    with db.write() as uow:
        items = []
        for what in ("Phone, Samsung", "Wallet"):
            item = PropertyItem(detention_id=depot["agus"], description=what, quantity=1,
                                bag_no="B-0412", received_at=NOW - dt.timedelta(days=2))
            uow.session.add(item)
            uow.session.flush()
            items.append(item.id)
        uow.session.add(CashEntry(detention_id=depot["agus"], amount=Decimal("150.00"),
                                  occurred_at=NOW - dt.timedelta(days=2), note="Received"))
    return items


def test_out_to_court_and_back_keeps_the_cell(db, warden, depot):
    row = run(db, outings.go_out, warden, OutRequest(
        depot["agus"], "court", "Mahkamah Majistret Kajang", "Production under s.51(5)(b)",
        version(db, depot["agus"]), escort="Insp. Rahman", document_ref="PO/123")).value
    assert row.location == "Out: court"
    with db.read() as uow:
        d = uow.session.get(Detention, depot["agus"])
        assert (d.away_reason, d.current_cell_id, d.status) == ("court", depot["A-01"],
                                                                 "in_custody")
    with pytest.raises(ValidationError) as exc:  # already out
        run(db, outings.go_out, warden, OutRequest(
            depot["agus"], "hospital", "Hospital Kajang", "Fever", version(db, depot["agus"])))
    assert "away (at court)" in exc.value.fields["detention_id"]
    run(db, outings.come_back, warden, ReturnRequest(depot["agus"], version(db, depot["agus"])))
    d = detail(db, warden, depot["agus"])
    assert (d.away_reason, d.cell_id) == ("", depot["A-01"])
    back, out = d.movements[0], d.movements[1]
    assert (out.kind, out.destination, out.document_ref, out.from_place) == (
        "out_court", "Mahkamah Majistret Kajang", "PO/123", "Blok A / A-01")
    assert (out.escort, out.reason) == ("Insp. Rahman", "Production under s.51(5)(b)")
    assert out.recorded_by == "Warden1"
    assert (back.from_place, back.destination) == ("Mahkamah Majistret Kajang",) * 2
    assert (back.kind, back.to_place, back.reason) == ("return", "Blok A / A-01",
                                                        "Returned from court")


def test_outing_refusals_name_the_field(db, warden, depot, subtests):
    before = snapshot(db)
    cases = {
        "to": dict(to="market"),
        "destination": dict(destination=" "),
        "reason": dict(reason=""),
        "occurred_at": dict(occurred_at=NOW + dt.timedelta(hours=1)),
    }
    for name, change in cases.items():
        base = dict(detention_id=depot["agus"], to="court", destination="Mahkamah Kajang",
                    reason="Production", expected_version=version(db, depot["agus"]))
        with subtests.test(name), pytest.raises(ValidationError) as exc:
            run(db, outings.go_out, warden, OutRequest(**{**base, **change}))
        assert name in exc.value.fields
    with pytest.raises(ValidationError) as exc:  # not away
        run(db, outings.come_back, warden, ReturnRequest(depot["agus"],
                                                         version(db, depot["agus"])))
    assert "not away" in exc.value.fields["detention_id"]
    with pytest.raises(PermissionDenied):
        run(db, outings.go_out, actor_for(db, "clerk1"), OutRequest(
            depot["agus"], "court", "Mahkamah Kajang", "Production", version(db, depot["agus"])))
    assert snapshot(db) == before


def test_return_to_a_cell_taken_out_of_service_is_to_reception(db, warden, depot):
    run(db, outings.go_out, warden, OutRequest(
        depot["agus"], "hospital", "Hospital Kajang", "Fever", version(db, depot["agus"])))
    with db.write() as uow:
        uow.session.get(Cell, depot["A-01"]).in_service = False
    away = detail(db, warden, depot["agus"])
    assert (away.cell_label, away.cell_in_service) == ("Blok A / A-01", False)
    run(db, outings.come_back, warden, ReturnRequest(depot["agus"], version(db, depot["agus"])))
    d = detail(db, warden, depot["agus"])
    assert d.cell_id is None and d.location.lower().startswith("reception")
    assert "out of service: held in reception" in d.movements[0].reason


def test_release_returns_property_and_cash_with_the_departure(db, warden, depot, belongings):
    phone, wallet = belongings
    with db.write() as uow:  # held under s.6(1)(c) since the arrest
        uow.session.add(DetentionStage(detention_id=depot["agus"], section="s.6(1)(c)",
                                       authority="arrest", starts_at=NOW - dt.timedelta(days=2)))
    row = run(db, departures.discharge, warden, DischargeRequest(
        depot["agus"], "release", "Director of Immigration", "Special pass granted",
        version(db, depot["agus"]), document_ref="JIM/REL/88",
        property=PropertyReturn(item_ids=(phone,), cash_amount="100.00",
                                receipt_no="R-0001"))).value
    assert row.status == "released"
    d = detail(db, warden, depot["agus"])
    assert (d.status, d.ended_at, d.cell_id) == ("released", NOW, None)
    assert [(st.section, st.ends_at) for st in d.stages] == [("s.6(1)(c)", NOW)]
    assert (d.movements[0].kind, d.movements[0].authority, d.movements[0].document_ref,
            d.movements[0].from_place) == ("release", "Director of Immigration", "JIM/REL/88",
                                           "Blok A / A-01")
    held = {p.description: p for p in d.property}
    assert held["Phone, Samsung"].returned_at == NOW
    assert held["Phone, Samsung"].returned_by == "Warden1"
    assert held["Wallet"].returned_at is None  # not returned: still shown as held
    assert d.cash_balance == Decimal("50.00")
    assert d.cash[-1].amount == Decimal("-100.00") and d.cash[-1].receipt_no == "R-0001"
    with db.read() as uow:
        [left] = property.outstanding(uow, warden)
    assert (left.detainee.id, left.items_held, left.cash_held) == (
        depot["agus"], 1, Decimal("50.00"))
    # The rest is returned later, after the release.
    run(db, property.return_property, warden, depot["agus"], PropertyReturn(
        item_ids=(wallet,), cash_amount=Decimal("50.00"), note="Collected by his brother"))
    with db.read() as uow:
        assert property.outstanding(uow, warden) == ()
    d = detail(db, warden, depot["agus"])
    assert d.cash_balance == 0
    assert {p.return_note for p in d.property} == {"", "Collected by his brother"}


def test_property_refusals_write_nothing(db, warden, depot, belongings):
    phone, _ = belongings
    with db.write() as uow:
        other = PropertyItem(detention_id=depot["budi"], description="Budi's bag", quantity=1,
                             received_at=NOW)
        uow.session.add(other)
        uow.session.flush()
        other_id = other.id
    before = snapshot(db)
    for change, field, words in (
        (dict(cash_amount="200.00"), "property.cash_amount", "more than the depot holds"),
        (dict(cash_amount="-5"), "property.cash_amount", "more than RM 0.00"),
        (dict(cash_amount="1.005"), "property.cash_amount", "fractions of a sen"),
        (dict(cash_amount="ten"), "property.cash_amount", "amount in ringgit"),
        (dict(item_ids=(other_id,)), "property.item_ids", "not property of detainee"),
    ):
        with pytest.raises(ValidationError) as exc:
            run(db, departures.discharge, warden, DischargeRequest(
                depot["agus"], "release", "Director", "Pass granted",
                version(db, depot["agus"]), property=PropertyReturn(**change)))
        assert words in exc.value.fields[field]
    assert snapshot(db) == before
    run(db, property.return_property, warden, depot["agus"], PropertyReturn(item_ids=(phone,)))
    with pytest.raises(ValidationError) as exc:
        run(db, property.return_property, warden, depot["agus"],
            PropertyReturn(item_ids=(phone,)))
    assert "already returned" in exc.value.fields["item_ids"]
    with pytest.raises(ValidationError) as exc:
        run(db, property.return_property, warden, depot["agus"], PropertyReturn())
    assert "item_ids" in exc.value.fields


def test_transfer_and_removal_need_their_papers(db, warden, depot):
    before = snapshot(db)
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["agus"], "transfer", "", "", version(db, depot["agus"])))
    assert set(exc.value.fields) == {"authority", "reason", "document_ref", "destination"}
    assert exc.value.fields["document_ref"] == "Transfer document no. is required"
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["agus"], "transfer", "Director", "Overcrowding", version(db, depot["agus"]),
            document_ref="TD/1", destination="depot imigresen semenyih"))
    assert "cannot be this depot" in exc.value.fields["destination"]
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["agus"], "removal", "Removal order", "Removal", version(db, depot["agus"])))
    assert set(exc.value.fields) == {"document_ref", "destination", "fit_to_travel"}
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["agus"], "parole", "x", "y", version(db, depot["agus"])))
    assert "kind" in exc.value.fields
    # Transfer and removal leave from the depot: not while out at court.
    run(db, outings.go_out, warden, OutRequest(
        depot["budi"], "court", "Mahkamah Kajang", "Production", version(db, depot["budi"])))
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["budi"], "transfer", "Director", "Overcrowding", version(db, depot["budi"]),
            document_ref="TD/1", destination="Depot Bukit Jalil"))
    assert "record the return before recording the transfer" in exc.value.fields["detention_id"]
    # ...but a Magistrate may order release at court.
    run(db, departures.discharge, warden, DischargeRequest(
        depot["budi"], "release", "Magistrate's order", "Discharged by the court",
        version(db, depot["budi"])))
    assert detail(db, warden, depot["budi"]).status == "released"
    assert snapshot(db)[0] == before[0] + 2  # the outing and the release only
    run(db, departures.discharge, warden, DischargeRequest(
        depot["agus"], "transfer", "Director", "Overcrowding", version(db, depot["agus"]),
        document_ref="TD/1", destination="Depot Bukit Jalil", escort="Insp. Rahman, UPK"))
    moved = detail(db, warden, depot["agus"]).movements[0]
    assert (moved.kind, moved.escort, moved.destination) == (
        "transfer", "Insp. Rahman, UPK", "Depot Bukit Jalil")


def test_abscond_while_at_hospital(db, warden, depot):
    run(db, outings.go_out, warden, OutRequest(
        depot["citra"], "hospital", "Hospital Kajang", "Fever", version(db, depot["citra"])))
    with pytest.raises(ValidationError) as exc:
        run(db, departures.abscond, warden, AbscondRequest(
            depot["citra"], version(db, depot["citra"]), " "))
    assert "circumstances" in exc.value.fields
    run(db, departures.abscond, warden, AbscondRequest(
        depot["citra"], version(db, depot["citra"]), "Escaped from ward 5 while escort was away",
        last_seen="Ward 5, Hospital Kajang, 02:30", police_report="KAJANG/RPT/4411"))
    d = detail(db, warden, depot["citra"])
    assert (d.status, d.ended_at, d.away_reason, d.cell_id) == ("absconded", NOW, "", None)
    m = d.movements[0]
    assert (m.kind, m.destination, m.document_ref) == (
        "abscond", "Ward 5, Hospital Kajang, 02:30", "KAJANG/RPT/4411")
    with db.read() as uow:
        e = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert e.action == "detention.abscond"
        assert json.loads(e.after)["while_away"] == "hospital"
    with pytest.raises(ValidationError):  # no second departure
        run(db, departures.abscond, warden, AbscondRequest(
            depot["citra"], version(db, depot["citra"]), "Again"))


def test_death_record_with_notifications(db, warden, depot):
    died = NOW - dt.timedelta(hours=1)
    before = snapshot(db)
    with pytest.raises(ValidationError) as exc:
        run(db, departures.record_death, warden, DeathRequest(
            depot["agus"], version(db, depot["agus"]), died, "street", "", "",
            notifications=(NotificationInput("Police", died - dt.timedelta(hours=1)),)))
    assert set(exc.value.fields) == {"place_kind", "cause_certified", "certified_by",
                                     "notifications[0].notified_at"}
    assert snapshot(db) == before
    run(db, departures.record_death, warden, DeathRequest(
        depot["agus"], version(db, depot["agus"]), died, "depot",
        "Acute myocardial infarction", "Dr. Siti Aminah, Hospital Kajang",
        notifications=(NotificationInput("Police (IPD Kajang)", NOW, "telephone"),)))
    d = detail(db, warden, depot["agus"])
    assert (d.status, d.ended_at) == ("deceased", died)
    assert d.death.place == "Blok A / A-01"  # the cell, when not named
    assert (d.death.cause_certified, d.death.certified_by, d.death.recorded_by) == (
        "Acute myocardial infarction", "Dr. Siti Aminah, Hospital Kajang", "Warden1")
    # Later: the embassy is told and the post-mortem report arrives.
    run(db, departures.add_death_notification, warden, depot["agus"],
        NotificationInput("Embassy of Indonesia", NOW, "letter JIM/SMY/77"))
    run(db, departures.set_post_mortem, warden, depot["agus"], "PM/HKJ/2026/31")
    d = detail(db, warden, depot["agus"])
    assert [n[0] for n in d.death.notifications] == ["Police (IPD Kajang)",
                                                     "Embassy of Indonesia"]
    assert d.death.post_mortem_ref == "PM/HKJ/2026/31"
    with pytest.raises(ValidationError) as exc:
        run(db, departures.add_death_notification, warden, depot["agus"],
            NotificationInput("", NOW))
    assert "notifications.notified" in exc.value.fields


def test_death_at_hospital_names_the_hospital(db, warden, depot):
    run(db, outings.go_out, warden, OutRequest(
        depot["budi"], "hospital", "Hospital Serdang", "Collapsed", version(db, depot["budi"])))
    run(db, departures.record_death, warden, DeathRequest(
        depot["budi"], version(db, depot["budi"]), NOW, "hospital", "Sepsis", "Dr. Wong"))
    assert detail(db, warden, depot["budi"]).death.place == "Hospital Serdang"


def test_stale_departure_is_a_conflict(db, warden, depot):
    seen = version(db, depot["agus"])
    run(db, departures.abscond, warden, AbscondRequest(depot["agus"], seen, "Missing"))
    before = snapshot(db)
    with pytest.raises(ConflictError):
        run(db, departures.discharge, actor_for(db, "officer1"), DischargeRequest(
            depot["agus"], "release", "Director", "Pass granted", seen))
    assert snapshot(db) == before


def test_two_workstations_release_the_same_detainee_at_once(db, warden, depot):
    """The first holds the detention's row until it commits; the second, waiting, then
    finds it changed: exactly one departure is written."""
    seen = version(db, depot["agus"])
    outcome: list[object] = []

    def second():
        try:
            run(db, departures.discharge, actor_for(db, "officer1"), DischargeRequest(
                depot["agus"], "transfer", "Director", "Overcrowding", seen,
                document_ref="TD/9", destination="Depot Bukit Jalil"))
            outcome.append("done")
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second)
    with db.write() as first:
        departures.discharge(first, warden, DischargeRequest(
            depot["agus"], "release", "Director", "Pass granted", seen))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()
    worker.join(10)
    [result] = outcome
    assert isinstance(result, ConflictError)
    with db.read() as uow:
        kinds = list(uow.session.scalars(select(Movement.kind).where(
            Movement.detention_id == depot["agus"], Movement.kind != "admission")))
    assert kinds == ["release"]


def test_release_while_away_only_from_court(db, warden, depot):
    for who, to, place in (("agus", "hospital", "Hospital Kajang"),
                           ("budi", "embassy", "Embassy of Indonesia")):
        run(db, outings.go_out, warden, OutRequest(depot[who], to, place, "Reason",
                                                   version(db, depot[who])))
        with pytest.raises(ValidationError) as exc:
            run(db, departures.discharge, warden, DischargeRequest(
                depot[who], "release", "Director", "Pass granted", version(db, depot[who])))
        assert "record the return before recording the release" in \
            exc.value.fields["detention_id"]


def test_the_record_reads_in_order(db, warden, depot, clock):
    """A movement may be recorded after the fact, but not before the last one recorded; a
    workstation whose clock is behind records "now" as the last movement's time."""
    run(db, outings.go_out, warden, OutRequest(
        depot["agus"], "court", "Mahkamah Kajang", "Production", version(db, depot["agus"])))
    with pytest.raises(ValidationError) as exc:
        run(db, outings.come_back, warden, ReturnRequest(
            depot["agus"], version(db, depot["agus"]),
            occurred_at=NOW - dt.timedelta(minutes=1)))
    assert "cannot be before the last movement recorded" in exc.value.fields["occurred_at"]
    clock.advance(-dt.timedelta(minutes=3))  # this workstation's clock is behind
    run(db, outings.come_back, warden, ReturnRequest(depot["agus"],
                                                     version(db, depot["agus"])))
    times = [m.occurred_at for m in reversed(detail(db, warden, depot["agus"]).movements)]
    assert times == sorted(times) and times[-1] == NOW


def test_custody_cannot_end_before_its_legal_stage_began(db, warden, depot):
    with db.write() as uow:
        uow.session.add(DetentionStage(detention_id=depot["agus"], section="s.35",
                                       authority="magistrate_order",
                                       starts_at=NOW - dt.timedelta(hours=2)))
    with pytest.raises(ValidationError) as exc:
        run(db, departures.discharge, warden, DischargeRequest(
            depot["agus"], "release", "Director", "Pass granted", version(db, depot["agus"]),
            occurred_at=NOW - dt.timedelta(hours=3)))
    assert "cannot be before the detention under s.35 began" in \
        exc.value.fields["occurred_at"]


def test_a_death_while_away_is_not_recorded_in_the_depot(db, warden, depot):
    run(db, outings.go_out, warden, OutRequest(
        depot["agus"], "court", "Mahkamah Kajang", "Production", version(db, depot["agus"])))
    before = snapshot(db)
    with pytest.raises(ValidationError) as exc:
        run(db, departures.record_death, warden, DeathRequest(
            depot["agus"], version(db, depot["agus"]), NOW, "depot", "Cardiac arrest",
            "Dr. Lim"))
    assert "is out of the depot (at court)" in exc.value.fields["place_kind"]
    assert snapshot(db) == before


def test_an_absurd_cash_amount_is_refused_in_words(db, warden, depot, belongings):
    with pytest.raises(ValidationError) as exc:
        run(db, property.return_property, warden, depot["agus"],
            PropertyReturn(cash_amount="1e30"))
    assert "cannot be more than RM 1,000,000.00" in exc.value.fields["cash_amount"]


def test_two_workstations_paying_out_the_same_cash_pay_it_once(db, warden, depot, belongings):
    """A release paying out the balance holds the detention until it commits; a cash return
    at another workstation, waiting meanwhile, then finds nothing left to pay."""
    outcome: list[object] = []

    def second():
        try:
            run(db, property.return_property, actor_for(db, "officer1"), depot["agus"],
                PropertyReturn(cash_amount="150.00"))
            outcome.append("paid")
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second)
    with db.write() as first:
        departures.discharge(first, warden, DischargeRequest(
            depot["agus"], "release", "Director", "Pass granted", version(db, depot["agus"]),
            property=PropertyReturn(cash_amount="150.00")))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()
    worker.join(10)
    [result] = outcome
    assert isinstance(result, ValidationError)
    assert "more than the depot holds" in result.fields["cash_amount"]
    assert detail(db, warden, depot["agus"]).cash_balance == 0


def test_outstanding_property_on_the_command_line(db, warden, depot, belongings, monkeypatch,
                                                   capsys):
    from depot_app.cli.main import main

    run(db, departures.discharge, warden, DischargeRequest(
        depot["agus"], "release", "Director", "Pass granted", version(db, depot["agus"]),
        property=PropertyReturn(item_ids=(belongings[0],))))
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", "correct horse 1")
    assert main(["--db", db.url, "property", "outstanding"]) == 0
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if "AGUS" in x.upper()]
    assert line.split()[-2:] == ["1", "150.00"]  # the wallet, and all the cash
    assert "1 detainee with property or cash still held" in out
