# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""Lawful custody: deadlines computed by hand at the edges, productions and outcomes, and
the list that never leaves a detention out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, DetentionStage
from depot_app.clock import MYT
from depot_app.errors import ValidationError
from depot_app.services import departures, outings
from depot_app.services.court import deadlines, productions, records, stages
from tests import factories
from tests.court_fixtures import (  # noqa: F401 - fixtures
    ARREST,
    KAJANG,
    NOW,
    clock,
    held,
    officer,
    order,
    production_version,
    scheduled,
    version,
)
from tests.test_admission import actor_for

pytestmark = pytest.mark.usefixtures("clock")


def _row(db, actor, did):
    with db.read() as uow:
        return deadlines.row(uow, actor, did)


def test_a_non_citizen_is_produced_within_exactly_fourteen_days(db, officer):
    did = held(db)
    row = _row(db, officer, did)
    assert row.valid_until == dt.datetime(2026, 3, 15, 10, 0, tzinfo=MYT)
    assert row.needs == "Produce before a Magistrate"
    assert "s.51(5)(b)" in row.rests_on and "14 days" in row.rests_on
    assert row.state == "due-soon" and row.bucket == "this_week"


def test_fourteen_days_across_29_february(db, officer):
    did = held(db, arrested=dt.datetime(2028, 2, 20, 23, 30, tzinfo=MYT))
    db.clock.advance(dt.timedelta(days=700))
    with db.read() as uow:
        until = uow.session.scalars(select(DetentionStage.valid_until).where(
            DetentionStage.detention_id == did)).one()
    # 20 Feb + 14 days in a leap year is 5 March, not 6 March.
    assert until == dt.datetime(2028, 3, 5, 23, 30, tzinfo=MYT)


def test_a_citizen_has_24_hours_not_counting_the_journey(db, officer):
    arrested = dt.datetime(2026, 3, 9, 20, 0, tzinfo=MYT)
    did = held(db, "Ahmad bin Ali", arrested=arrested, citizen=True, nationality="MYS")
    assert _row(db, officer, did).valid_until == arrested + dt.timedelta(hours=24)
    with db.write() as uow:
        stages.record_journey(uow, officer, stages.JourneyRequest(
            did, version(db, did), dt.datetime(2026, 3, 9, 22, 0, tzinfo=MYT),
            dt.datetime(2026, 3, 10, 3, 30, tzinfo=MYT), "Kota Kinabalu", "Semenyih"))
    # 24 h + 5 h 30 min of journey: 10/03 20:00 becomes 11/03 01:30, across midnight.
    row = _row(db, officer, did)
    assert row.valid_until == dt.datetime(2026, 3, 11, 1, 30, tzinfo=MYT)
    assert "journey" in row.rests_on and "s.51(5)(a)" in row.rests_on


def test_journey_time_is_refused_for_a_non_citizen(db, officer):
    did = held(db)
    with pytest.raises(ValidationError) as err, db.write() as uow:
        stages.record_journey(uow, officer, stages.JourneyRequest(
            did, version(db, did), ARREST, ARREST + dt.timedelta(hours=2), "A", "B"))
    assert "not a citizen" in err.value.fields["detention_id"]


def test_a_detention_order_carries_the_authority_to_its_expiry(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    order(db, officer, pid, days=14, produced=dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    row = _row(db, officer, did)
    assert row.authority == "magistrate_order" and row.reference == "MA-KJG-123/2026"
    assert row.valid_until == dt.datetime(2026, 3, 24, 9, 0, tzinfo=MYT)
    assert row.state == "ok"
    with db.read() as uow:
        h = records.history(uow, officer, did)
        p = records.production(uow, officer, pid)
    assert [s.authority for s in h.stages] == ["arrest", "magistrate_order"]
    assert h.stages[0].ends_at == dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT)
    assert h.unlawful == ()
    assert p.status == "done" and p.order.expires_at == row.valid_until


def test_an_order_under_s35_may_not_go_beyond_thirty_days(db, officer):
    did = held(db, section="s.35")
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    before = _count(db)
    with pytest.raises(ValidationError) as err:
        order(db, officer, pid, section="s.35", days=30)
    message = err.value.fields["period_days"]
    assert "s.35" in message and "21 days" in message and "31/03/2026 10:00" in message
    assert _count(db) == before  # nothing half-written
    order(db, officer, pid, section="s.35", days=21)
    assert _row(db, officer, did).valid_until == dt.datetime(2026, 3, 31, 9, 0, tzinfo=MYT)


def test_held_past_the_authority_is_overdue_and_counted(db, officer):
    did = held(db)
    other = held(db, "Budi Santoso", arrested=NOW - dt.timedelta(hours=2))
    db.clock.advance(dt.timedelta(days=5, hours=1))  # past 15/03 10:00
    row = _row(db, officer, did)
    assert row.state == "overdue" and row.bucket == "overdue"
    with db.read() as uow:
        s = deadlines.summary(uow, officer)
    assert (s.held, s.overdue) == (2, 1)
    assert s.unscheduled == 1  # only the overdue one is due within the week
    assert _row(db, officer, other).bucket == "later"


def test_a_court_release_leaves_no_authority_until_the_release_is_recorded(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    with db.write() as uow:
        productions.record_outcome(uow, officer, productions.OutcomeRequest(
            pid, production_version(db, pid), "released", note="No case to answer"))
    row = _row(db, officer, did)
    assert row.section == "" and row.state == "overdue"
    assert row.needs.startswith("Release or transfer now")


def test_a_charge_needs_the_public_prosecutors_sanction(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    with pytest.raises(ValidationError) as err:
        order(db, officer, pid, outcome="charged", charge="s.6(1)(c)")
    assert "s.58" in err.value.fields["sanction_ref"]
    order(db, officer, pid, outcome="charged", charge="Entering without a pass, s.6(1)(c)",
          sanction_ref="PP/IMG/2026/0441", days=7)
    with db.read() as uow:
        p = records.production(uow, officer, pid)
    assert p.order.purpose == "trial" and p.sanction_ref == "PP/IMG/2026/0441"


def test_to_court_and_back_links_the_movements(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 10, 9, 0, tzinfo=MYT))
    with db.write() as uow:
        productions.send(uow, officer, productions.SendRequest(
            pid, production_version(db, pid), version(db, did)))
    with db.read() as uow:
        listed = records.production_list(uow, officer, KAJANG, dt.date(2026, 3, 10))
    assert [p.id for p in listed.rows] == [pid] and listed.rows[0].status == "out"
    assert listed.rows[0].location == "Out: court"
    with db.write() as uow:
        outings.come_back(uow, officer, outings.ReturnRequest(did, version(db, did)))
    with db.read() as uow:
        p = records.production(uow, officer, pid)
    assert p.went_out_at is not None and p.came_back_at is not None


def test_the_list_as_it_stood_matches_the_list_now(db, officer):
    first = held(db)
    held(db, "Budi Santoso", arrested=ARREST + dt.timedelta(days=3))
    pid = scheduled(db, officer, first, NOW - dt.timedelta(hours=1))
    order(db, officer, pid, days=14)
    with db.read() as uow:
        now = deadlines.board(uow, officer)
        then = deadlines.board(uow, officer, NOW - dt.timedelta(seconds=2))
        before = deadlines.board(uow, officer, dt.datetime(2026, 3, 5, 0, 0, tzinfo=MYT))
    key = [(r.detainee_no, r.section, r.valid_until) for r in now]
    assert key == [(r.detainee_no, r.section, r.valid_until) for r in then]
    # On 5 March the first was still held on arrest, until 15 March 10:00.
    assert [(r.authority, r.valid_until) for r in before if r.detention_id == first] == \
        [("arrest", dt.datetime(2026, 3, 15, 10, 0, tzinfo=MYT))]


def test_scheduling_twice_is_refused(db, officer):
    did = held(db)
    at = dt.datetime(2026, 3, 12, 9, 0, tzinfo=MYT)
    pid = scheduled(db, officer, did, at)
    row = _row(db, officer, did)
    assert (row.court, row.production_id, row.production_at, row.late) == (KAJANG, pid, at, False)
    with pytest.raises(ValidationError) as err:
        scheduled(db, officer, did, dt.datetime(2026, 3, 13, 9, 0, tzinfo=MYT))
    assert "already has a production" in err.value.fields["detention_id"]


def test_a_departure_cancels_the_production_still_to_come(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, dt.datetime(2026, 3, 12, 9, 0, tzinfo=MYT))
    with db.write() as uow:
        departures.discharge(uow, officer, departures.DischargeRequest(
            did, "transfer", "Director of Immigration", "Moved to Lenggeng",
            version(db, did), document_ref="T/12", destination="Depot Imigresen Lenggeng"))
    with db.read() as uow:
        p = records.production(uow, officer, pid)
        assert deadlines.row(uow, officer, did) is None
        s = deadlines.summary(uow, officer)
    assert p.status == "cancelled" and "transferred" in p.outcome_note
    assert (s.held, s.overdue, s.courts) == (0, 0, ())


def _count(db) -> tuple[int, int]:
    with db.read() as uow:
        return (uow.session.scalar(select(func.count()).select_from(DetentionStage)),
                uow.session.scalar(select(func.count()).select_from(AuditEvent)))


def test_held_with_no_authority_written_is_overdue_not_left_off(db, officer):
    """A detention whose stage was never given its period (or that has no stage at all) is
    on the overdue list: never on neither list."""
    did = held(db)
    with db.write() as uow:
        uow.session.execute(update(DetentionStage).where(DetentionStage.detention_id == did)
                            .values(valid_until=None))
        bare = factories.detainee(uow, "Tanpa Peringkat")
    with db.read() as uow:
        rows = {r.detention_id: r for r in deadlines.board(uow, officer)}
        s = deadlines.summary(uow, officer)
    assert rows[did].state == rows[bare].state == "overdue"
    assert (s.held, s.overdue) == (2, 2)


def test_the_states_of_all_held_come_in_the_lists_order(db, officer):
    """``due`` (ids and buckets, worked out in SQL) agrees with the full list."""
    first = held(db)
    held(db, "Budi Santoso", arrested=NOW - dt.timedelta(hours=2))
    lapsed = held(db, "Citra Dewi", arrested=ARREST - dt.timedelta(days=20))
    pid = scheduled(db, officer, first, NOW - dt.timedelta(hours=1))
    order(db, officer, pid, days=3)
    with db.read() as uow:
        rows = deadlines.board(uow, officer)
        found = deadlines.due(uow, officer)
    assert found == tuple((r.detention_id, r.bucket) for r in rows)
    assert found[0] == (lapsed, "overdue")
    assert [deadlines.BUCKET_STATES[b] for _, b in found] == [r.state for r in rows]


def test_a_missed_production_covers_nobody(db, officer):
    """Listed for a day that passed without going to court: the detainee is back among
    those with no production, and putting them on a new list closes the missed one."""
    did = held(db)
    missed = scheduled(db, officer, did, dt.datetime(2026, 3, 11, 9, 0, tzinfo=MYT))
    db.clock.advance(dt.timedelta(days=3))  # 13/03 09:00, due 15/03 10:00
    with db.read() as uow:
        s = deadlines.summary(uow, officer)
        row = deadlines.row(uow, officer, did)
        p = records.production(uow, officer, missed)
    assert s.unscheduled == 1 and (row.court, row.production_id) == ("", None)
    assert p.status_words.startswith("Missed")
    again = scheduled(db, officer, did, dt.datetime(2026, 3, 14, 9, 0, tzinfo=MYT))
    with db.read() as uow:
        assert deadlines.row(uow, officer, did).production_id == again
        p = records.production(uow, officer, missed)
    assert p.status == "cancelled" and p.outcome_note.startswith("Missed")


def test_after_the_court_releases_no_stage_may_begin_or_reach_back(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, NOW - dt.timedelta(hours=2))
    order(db, officer, pid, days=7)
    released = NOW - dt.timedelta(hours=1)
    with db.write() as uow:
        pid = productions.schedule(uow, officer, productions.ScheduleRequest(
            did, version(db, did), KAJANG, released, purpose="further")).value
    with db.write() as uow:
        productions.record_outcome(uow, officer, productions.OutcomeRequest(
            pid, production_version(db, pid), "released", released))
    for starts in (released - dt.timedelta(minutes=30), released + dt.timedelta(minutes=30)):
        with pytest.raises(ValidationError) as err, db.write() as uow:
            stages.change_basis(uow, officer, stages.StageRequest(
                did, version(db, did), "s.34", "JIM/PP/1", starts))
        assert "no authority in force" in err.value.fields.get("section", "") or \
            "cannot be before" in err.value.fields.get("starts_at", "")
    assert _row(db, officer, did).state == "overdue"


def test_an_order_under_s35_after_its_thirty_days_names_the_section(db, officer):
    did = held(db, section="s.35", arrested=ARREST - dt.timedelta(days=35))
    pid = scheduled(db, officer, did, NOW - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as err:
        order(db, officer, pid, section="s.35", days=7)
    assert "ran out on" in err.value.fields["section"] and "period_days" not in err.value.fields


def test_out_to_court_from_the_record_takes_the_production_along(db, officer):
    """A warden's "To court" from the record and the officer's "Out to court" are the same
    outing: either links the production listed for the detainee."""
    did = held(db)
    pid = scheduled(db, officer, did, NOW + dt.timedelta(hours=1))
    warden = actor_for(db, "warden1")
    with db.write() as uow:
        outings.go_out(uow, warden, outings.OutRequest(
            did, "court", KAJANG, "Production", version(db, did)))
    with db.read() as uow:
        p = records.production(uow, officer, pid)
    assert p.status == "out" and p.went_out_at is not None
    with db.write() as uow:
        outings.come_back(uow, warden, outings.ReturnRequest(did, version(db, did)))
    # Produced before the detainee left is refused; after, it is recorded.
    with pytest.raises(ValidationError) as err:
        order(db, officer, pid, produced=NOW - dt.timedelta(hours=1))
    assert "before the detainee left for court" in err.value.fields["produced_at"]
    order(db, officer, pid, produced=NOW)
    # A first production has now taken place: the next is for a further order.
    with pytest.raises(ValidationError) as err, db.write() as uow:
        productions.schedule(uow, officer, productions.ScheduleRequest(
            did, version(db, did), KAJANG, NOW + dt.timedelta(days=5), purpose="first"))
    assert "first production was on" in err.value.fields["purpose"]


def test_an_outcome_is_not_recorded_before_the_court_sits(db, officer):
    did = held(db)
    pid = scheduled(db, officer, did, NOW - dt.timedelta(minutes=30))
    with pytest.raises(ValidationError) as err:
        order(db, officer, pid, produced=NOW - dt.timedelta(hours=2))
    assert "before the time the production was listed for" in err.value.fields["produced_at"]
