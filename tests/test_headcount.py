"""Headcounts: who is expected, scanning and hand ticks, unexpected and missing detainees,
closing with a resolution for every discrepancy, one open count per block, when counts
are due, and who may count."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import func, select, update

from db.models import AuditEvent, Cell, Detention, Headcount, HeadcountEntry
from depot_app import changes as areas
from depot_app.clock import FixedClock, format_local
from depot_app.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from depot_app.services import headcount, settings
from tests import factories
from tests.test_admission import actor_for

NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 11:00 in Malaysia
ADMITTED = NOW - dt.timedelta(days=20)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def clock(db):
    db.clock = FixedClock(NOW)
    return db.clock


@pytest.fixture
def warden(db, clock):
    return actor_for(db, "warden1")


@pytest.fixture
def place(db, clock):
    """Blok A: A-01 holds a1 and a2, A-02 holds a3 and one away at court. Blok B: B-01
    holds b1. One in reception with no cell, one released eleven days ago."""
    with db.write() as uow:
        ids = {code: factories.cell(uow, block_name=block, code=code)
               for block, code in (("Blok A", "A-01"), ("Blok A", "A-02"), ("Blok B", "B-01"))}
        for key, cell in (("a1", "A-01"), ("a2", "A-01"), ("a3", "A-02"), ("away", "A-02"),
                          ("b1", "B-01")):
            ids[key] = factories.detainee(uow, f"Detainee {key}", cell_id=ids[cell],
                                          admitted=ADMITTED)
        ids["reception"] = factories.detainee(uow, "In Reception", admitted=ADMITTED)
        ids["released"] = factories.detainee(uow, "Gone Home", status="released",
                                             admitted=ADMITTED)
        uow.session.execute(update(Detention).where(Detention.id == ids["away"])
                            .values(away_reason="court"))
        ids["block_a"], ids["block_b"] = (
            uow.session.scalar(select(Cell.block_id).where(Cell.id == ids[c]))
            for c in ("A-01", "B-01"))
        ids["no"] = dict(uow.session.execute(select(Detention.id, Detention.detainee_no))
                         .tuples().all())
    return ids


def start(db, actor, block_id):
    with db.write() as uow:
        return headcount.start_count(uow, actor, block_id)


def tick(db, actor, count, **kw):
    with db.write() as uow:
        return headcount.tick(uow, actor, count.id, count.version, **kw)


def untick(db, actor, count, detention_id):
    with db.write() as uow:
        return headcount.untick(uow, actor, count.id, detention_id)


def close(db, actor, count, resolutions, version=None):
    with db.write() as uow:
        return headcount.close_count(uow, actor, count.id,
                                     count.version if version is None else version, resolutions)


def view(db, actor, count_id):
    with db.read() as uow:
        return headcount.count_view(uow, actor, count_id)


def due(db, actor):
    with db.read() as uow:
        return {d.block_id: d for d in headcount.counts_due(uow, actor)}


def state(db) -> tuple:
    """Everything a refused call must leave as it was."""
    with db.read() as uow:
        s = uow.session
        return (s.execute(select(Headcount.id, Headcount.status, Headcount.version,
                                 Headcount.closed_at).order_by(Headcount.id)).all(),
                s.execute(select(HeadcountEntry.detention_id, HeadcountEntry.expected,
                                 HeadcountEntry.counted_at, HeadcountEntry.counted_by,
                                 HeadcountEntry.resolution).order_by(HeadcountEntry.id)).all(),
                s.scalar(select(func.count()).select_from(AuditEvent)))


def last_audit(db):
    """The latest audit event's action, entity id, user and before/after (as text)."""
    with db.read() as uow:
        return uow.session.execute(
            select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.username,
                   AuditEvent.before, AuditEvent.after)
            .order_by(AuditEvent.seq.desc()).limit(1)).one()


def by_id(count_view) -> dict:
    return {e.detention_id: e for e in count_view.entries}


def test_start_expects_the_block_in_its_cells_and_lists_the_away(db, warden, place):
    result = start(db, warden, place["block_a"])
    count = result.value
    assert result.changes.touches(areas.ROLL)
    assert (count.status, count.block_name, count.started_at, count.started_by) == (
        "open", "Blok A", NOW, "Warden1")
    # Expected: those in Blok A's cells; not the one at court, Blok B, reception or released.
    assert {e.detention_id for e in count.entries} == {place["a1"], place["a2"], place["a3"]}
    assert all(e.expected and e.counted_at is None for e in count.entries)
    assert (count.expected, count.counted, len(count.missing), count.unexpected) == (3, 0, 3, ())
    [away] = count.away
    assert (away.detention_id, away.location, away.expected) == (place["away"], "Out: court",
                                                                 False)
    # By cell label, then detainee number.
    assert [e.location for e in count.entries] == ["Blok A / A-01"] * 2 + ["Blok A / A-02"]
    assert [e.detainee_no for e in count.entries[:2]] == sorted(
        place["no"][k] for k in (place["a1"], place["a2"]))
    event = last_audit(db)
    assert (event.action, event.entity_id, event.username) == (
        "headcount.start", str(count.id), "warden1")
    assert json.loads(event.after)["expected"] == 3
    assert view(db, warden, count.id) == count


def test_scanning_ticks_and_a_double_scan_changes_nothing(db, warden, clock, place):
    count = start(db, warden, place["block_a"]).value
    audits = state(db)[2]
    number = place["no"][place["a1"]]
    result = tick(db, warden, count, detainee_no=f"  {number.lower()}\n")  # as a wedge types
    entry = by_id(result.value)[place["a1"]]
    assert (entry.counted_at, entry.counted_by, entry.discrepancy) == (NOW, "scan", "")
    assert (result.value.counted, len(result.value.missing)) == (1, 2)
    assert result.changes.touches(areas.ROLL)
    assert state(db)[2] == audits  # a scan is evidenced by its entry, summed at close

    clock.advance(dt.timedelta(minutes=2))
    before = state(db)
    again = tick(db, warden, count, detainee_no=number)
    assert not again.changes
    assert again.value == result.value  # still counted at the first scan
    assert state(db) == before


def test_a_number_not_held_here_is_refused_in_words(db, warden, place):
    count = start(db, warden, place["block_a"]).value
    before = state(db)
    released = place["no"][place["released"]]
    ended = format_local(ADMITTED + dt.timedelta(days=9))
    cases = {
        "SMY-2026-999999": ("detainee_no", "No detainee SMY-2026-999999 is held in this depot"),
        released: ("detainee_no", f"Detainee {released} was released on {ended}: "
                                  "not held in this depot"),
        "": ("detainee_no", "Scan the detainee's card or type the detainee number"),
    }
    for number, (field, words) in cases.items():
        with pytest.raises(ValidationError) as exc:
            tick(db, warden, count, detainee_no=number)
        assert exc.value.fields == {field: words}
    with pytest.raises(ValidationError) as exc:
        tick(db, warden, count, detention_id=place["released"], how="hand")
    assert "was released on" in exc.value.fields["detention_id"]
    with pytest.raises(ValidationError) as exc:
        tick(db, warden, count, detention_id=place["a1"], how="guess")
    assert set(exc.value.fields) == {"how"}
    assert state(db) == before


def test_someone_held_elsewhere_is_counted_as_unexpected(db, warden, place):
    count = start(db, warden, place["block_a"]).value
    tick(db, warden, count, detainee_no=place["no"][place["b1"]])
    event = last_audit(db)
    result = tick(db, warden, count, detainee_no=place["no"][place["reception"]])
    unexpected = {e.detention_id: e for e in result.value.unexpected}
    assert set(unexpected) == {place["b1"], place["reception"]}
    b1 = unexpected[place["b1"]]
    assert (b1.expected, b1.counted_at, b1.counted_by, b1.location) == (
        False, NOW, "scan", "Blok B / B-01")
    assert unexpected[place["reception"]].location == "Reception (unallocated)"
    assert (result.value.expected, result.value.counted) == (3, 2)
    assert (event.action, json.loads(event.after)) == ("headcount.tick", {
        "detention_id": place["b1"], "detainee_no": place["no"][place["b1"]], "how": "scan",
        "expected": False})


def test_hand_tick_and_untick(db, warden, place):
    count = start(db, warden, place["block_a"]).value
    result = tick(db, warden, count, detention_id=place["a2"], how="hand")
    assert by_id(result.value)[place["a2"]].counted_by == "hand"
    assert json.loads(last_audit(db).after)["how"] == "hand"
    tick(db, warden, count, detainee_no=place["no"][place["b1"]])

    result = untick(db, warden, count, place["a2"])
    a2 = by_id(result.value)[place["a2"]]
    assert (a2.counted_at, a2.counted_by, a2.discrepancy) == (None, "", "missing")
    assert last_audit(db).action == "headcount.untick"
    result = untick(db, warden, count, place["b1"])  # an unexpected entry goes entirely
    assert place["b1"] not in by_id(result.value) and result.value.unexpected == ()
    before = state(db)
    assert not untick(db, warden, count, place["a3"]).changes  # not counted: nothing to undo
    with pytest.raises(ValidationError) as exc:
        untick(db, warden, count, place["b1"])
    assert exc.value.fields == {"detention_id": f"Detainee {place['no'][place['b1']]} is not "
                                                "on this count"}
    assert state(db) == before


def test_one_back_from_court_during_the_count_must_be_seen_or_explained(db, warden, place):
    """Away at the start is kept with the count. Back in the block during it, they are on
    its roll again: missing until scanned (a resolution needed to close without them);
    scanned, they add up. An untick puts them back as they were, the entry kept."""
    count = start(db, warden, place["block_a"]).value
    still_away = view(db, warden, count.id)
    assert [e.detention_id for e in still_away.away] == [place["away"]]
    assert all(e.discrepancy == "" for e in still_away.away)
    with db.write() as uow:
        uow.session.execute(update(Detention).where(Detention.id == place["away"])
                            .values(away_reason=""))
    back_view = view(db, warden, count.id)
    assert back_view.away == ()
    [back] = [e for e in back_view.missing if e.detention_id == place["away"]]
    assert (back.location, back.away_at_start, back.back_unseen) == (
        "Blok A / A-02", True, True)
    resolved = {place[k]: "Not seen" for k in ("a1", "a2", "a3")}
    with pytest.raises(ValidationError) as exc:
        close(db, warden, count, resolved)
    assert set(exc.value.fields) == {f"resolution:{place['away']}"}
    assert "came back to the block during the count" in \
        exc.value.fields[f"resolution:{place['away']}"]

    result = tick(db, warden, count, detainee_no=place["no"][place["away"]])
    [seen] = [e for e in result.value.entries if e.detention_id == place["away"]]
    assert (seen.counted_at, seen.expected, seen.discrepancy) == (NOW, False, "")
    assert result.value.unexpected == ()
    untick_view = untick(db, warden, count, place["away"]).value
    [again] = [e for e in untick_view.missing if e.detention_id == place["away"]]
    assert again.away_at_start and again.counted_at is None  # the entry is kept
    tick(db, warden, count, detainee_no=place["no"][place["away"]])
    closed = close(db, warden, count, resolved).value
    assert closed.status == "closed"


def test_a_tick_does_not_need_the_latest_version(db, warden, place):
    """Two wardens scan the same block: neither's tick makes the other's view stale."""
    count = start(db, warden, place["block_a"]).value
    tick(db, warden, count, detainee_no=place["no"][place["a1"]])
    other = actor_for(db, "officer1", "ws-2")
    result = tick(db, other, count, detainee_no=place["no"][place["a2"]])  # old version
    assert result.value.version == count.version and result.value.counted == 2


@pytest.mark.parametrize("who", ["a1", "b1"])
def test_the_same_card_scanned_at_two_workstations_at_once_counts_once(db, warden, place, who):
    """The second scan waits for the first to commit, then finds it counted: no error,
    no second entry."""
    count = start(db, warden, place["block_a"]).value
    number = place["no"][place[who]]
    outcome: list[object] = []

    def second_workstation():
        try:
            outcome.append(tick(db, actor_for(db, "officer1", "ws-2"), count,
                                detainee_no=number))
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second_workstation)
    with db.write() as first:
        headcount.tick(first, warden, count.id, count.version, detainee_no=number)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # waiting on the first
    worker.join(10)
    [second] = outcome
    assert not isinstance(second, Exception), second
    assert not second.changes
    with db.read() as uow:
        rows = uow.session.execute(select(HeadcountEntry.counted_at).where(
            HeadcountEntry.detention_id == place[who])).all()
    assert rows == [(NOW,)]


def test_a_close_waits_for_a_tick_in_flight(db, warden, place):
    """A tick holds the count until it commits; a close meanwhile waits, then sees the
    detainee counted (without the wait it would find them missing and refuse)."""
    count = start(db, warden, place["block_b"]).value
    outcome: list[object] = []

    def second_workstation():
        try:
            outcome.append(close(db, actor_for(db, "officer1", "ws-2"), count, {}))
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second_workstation)
    with db.write() as first:
        headcount.tick(first, warden, count.id, count.version,
                       detainee_no=place["no"][place["b1"]])
        worker.start()
        worker.join(0.5)
        assert worker.is_alive()  # the close waits for the tick
    worker.join(10)
    [closed] = outcome
    assert not isinstance(closed, Exception), closed
    assert (closed.value.status, closed.value.counted, closed.value.missing) == ("closed", 1, ())


def test_close_is_refused_naming_every_unresolved_discrepancy(db, warden, place):
    count = start(db, warden, place["block_a"]).value
    tick(db, warden, count, detainee_no=place["no"][place["a1"]])
    tick(db, warden, count, detainee_no=place["no"][place["b1"]])
    before = state(db)
    with pytest.raises(ValidationError) as exc:
        close(db, warden, count, {place["a2"]: "At the clinic", place["a3"]: "   "})
    fields = exc.value.fields
    assert set(fields) == {f"resolution:{place['a3']}", f"resolution:{place['b1']}"}
    assert place["no"][place["a3"]] in fields[f"resolution:{place['a3']}"]
    assert "not counted" in fields[f"resolution:{place['a3']}"]
    assert place["no"][place["b1"]] in fields[f"resolution:{place['b1']}"]
    assert "not expected" in fields[f"resolution:{place['b1']}"]
    with pytest.raises(ValidationError) as exc:
        close(db, warden, count, {place["a2"]: "x", place["a3"]: "y", place["b1"]: "z" * 501})
    assert set(exc.value.fields) == {f"resolution:{place['b1']}"}
    assert state(db) == before


def test_close_with_every_discrepancy_resolved(db, warden, clock, place):
    count = start(db, warden, place["block_a"]).value
    tick(db, warden, count, detainee_no=place["no"][place["a1"]])
    tick(db, warden, count, detention_id=place["a3"], how="hand")
    tick(db, warden, count, detainee_no=place["no"][place["b1"]])
    clock.advance(HOUR)
    result = close(db, warden, count, {
        place["a2"]: "Taken to the clinic at 10:40", place["b1"]: "Visiting A-01 on an errand",
        place["a1"]: "ignored: counted"})
    closed = result.value
    assert result.changes.touches(areas.ROLL)
    assert (closed.status, closed.closed_at, closed.closed_by, closed.version) == (
        "closed", NOW + HOUR, "Warden1", count.version + 1)
    entries = by_id(closed)
    assert entries[place["a2"]].resolution == "Taken to the clinic at 10:40"
    assert entries[place["b1"]].resolution == "Visiting A-01 on an errand"
    assert entries[place["a1"]].resolution == ""
    assert [e.detention_id for e in closed.away] == [place["away"]]  # kept on the record
    event = last_audit(db)
    assert (event.action, event.entity_id) == ("headcount.close", str(count.id))
    after = json.loads(event.after)
    assert {k: after[k] for k in ("expected", "counted", "by_scan", "by_hand")} == {
        "expected": 3, "counted": 3, "by_scan": 2, "by_hand": 1}
    assert after["missing"] == [{"detainee_no": place["no"][place["a2"]],
                                 "resolution": "Taken to the clinic at 10:40"}]
    assert after["unexpected"] == [{"detainee_no": place["no"][place["b1"]],
                                    "resolution": "Visiting A-01 on an errand"}]
    assert after["away"] == [place["no"][place["away"]]]

    before = state(db)
    with pytest.raises(ValidationError) as exc:
        tick(db, warden, closed, detainee_no=place["no"][place["a2"]])
    assert "closed" in exc.value.fields["headcount_id"]
    with pytest.raises(ValidationError):
        untick(db, warden, closed, place["a1"])
    assert state(db) == before


def test_a_stale_close_conflicts(db, warden, place):
    count = start(db, warden, place["block_b"]).value
    tick(db, warden, count, detainee_no=place["no"][place["b1"]])
    before = state(db)
    with pytest.raises(ConflictError):
        close(db, warden, count, {}, version=count.version - 1)
    assert state(db) == before
    close(db, warden, count, {})
    closed = state(db)
    with pytest.raises(ConflictError):  # a second workstation closing what it saw open
        close(db, actor_for(db, "officer1", "ws-2"), count, {})
    assert state(db) == closed


def test_one_open_count_per_block(db, warden, place):
    first = start(db, warden, place["block_a"]).value
    with db.read() as uow:
        assert headcount.open_count_for_block(uow, warden, place["block_a"]).id == first.id
        assert headcount.open_count_for_block(uow, warden, place["block_b"]) is None
    before = state(db)
    with pytest.raises(ValidationError) as exc:
        start(db, actor_for(db, "officer1"), place["block_a"])
    assert exc.value.fields == {"block_id": (
        "Blok A already has a count open, started by Warden1 at 15/06/2026 11:00: close that "
        "count before starting another")}
    with pytest.raises(ValidationError) as exc:
        start(db, warden, 9999)
    assert set(exc.value.fields) == {"block_id"}
    assert state(db) == before
    start(db, warden, place["block_b"])  # another block may be counted at the same time
    close(db, warden, first, {place[k]: "Not seen" for k in ("a1", "a2", "a3")})
    again = start(db, warden, place["block_a"]).value
    assert again.id != first.id and again.expected == 3
    with db.read() as uow:
        listed = headcount.recent_counts(uow, warden)
    assert [c.id for c in listed] == sorted((c.id for c in listed), reverse=True)
    assert [c.status for c in listed] == ["open", "open", "closed"]
    assert all(c.entries == () for c in listed)


def test_the_location_is_where_the_detainee_is_now_and_the_cell_where_counted(db, warden, place):
    count = start(db, warden, place["block_a"]).value
    with db.write() as uow:
        uow.session.execute(update(Detention).where(Detention.id == place["a1"])
                            .values(current_cell_id=place["B-01"]))
        uow.session.execute(update(Detention).where(Detention.id == place["a3"])
                            .values(away_reason="hospital"))
    entries = by_id(view(db, warden, count.id))
    assert entries[place["a1"]].location == "Blok B / B-01"
    assert entries[place["a1"]].expected  # still expected on this count
    assert entries[place["a3"]].location == "Out: hospital"
    # ...while the count keeps the cell each was counted in, for the sheet printed later.
    assert entries[place["a1"]].cell == "Blok A / A-01"
    assert entries[place["a3"]].cell.startswith("Blok A / ")


def test_counts_due_and_overdue(db, warden, clock, place):
    first = due(db, warden)
    assert set(first) == {place["block_a"], place["block_b"]}
    assert all(d.overdue and d.due_at is None and d.last_closed_at is None
               for d in first.values())  # never counted: due now
    count = start(db, warden, place["block_a"]).value
    assert due(db, warden)[place["block_a"]].open_count_id == count.id
    clock.advance(HOUR)
    close(db, warden, count, {place[k]: "Not seen" for k in ("a1", "a2", "a3")})
    a = due(db, warden)[place["block_a"]]
    assert (a.last_closed_at, a.due_at, a.overdue, a.open_count_id) == (
        NOW + HOUR, NOW + 9 * HOUR, False, None)
    assert due(db, warden)[place["block_b"]].overdue

    clock.advance(8 * HOUR)  # exactly at the due time: not yet overdue
    assert not due(db, warden)[place["block_a"]].overdue
    clock.advance(dt.timedelta(minutes=1))
    assert due(db, warden)[place["block_a"]].overdue

    admin = actor_for(db, "admin")
    with db.write() as uow:
        result = settings.set_headcount_interval_hours(uow, admin, 12)
    assert result.changes.touches(areas.SETTINGS) and result.changes.touches(areas.ROLL)
    a = due(db, warden)[place["block_a"]]
    assert (a.due_at, a.overdue) == (NOW + 13 * HOUR, False)
    event = last_audit(db)
    assert (event.action, event.entity_id, json.loads(event.before), json.loads(event.after)) \
        == ("setting.change", "headcount_interval_hours", {"value": "8"}, {"value": "12"})


def test_the_interval_setting_is_validated_and_for_administrators(db, warden, place):
    admin = actor_for(db, "admin")
    before = state(db)
    for bad in (0, 25, -3, True, "eight", 7.5):
        with pytest.raises(ValidationError) as exc, db.write() as uow:
            settings.set_headcount_interval_hours(uow, admin, bad)
        assert set(exc.value.fields) == {"headcount_interval_hours"}
    with pytest.raises(PermissionDenied), db.write() as uow:
        settings.set_headcount_interval_hours(uow, warden, 6)
    assert state(db) == before
    with db.write() as uow:
        settings.set_headcount_interval_hours(uow, admin, "24")
    with db.read() as uow:
        assert settings.headcount_interval_hours(uow) == 24


def test_who_may_count(db, warden, place):
    clerk = actor_for(db, "clerk1")
    with pytest.raises(PermissionDenied):
        start(db, clerk, place["block_a"])
    count = start(db, actor_for(db, "officer1"), place["block_a"]).value
    before = state(db)
    with pytest.raises(PermissionDenied):
        tick(db, clerk, count, detainee_no=place["no"][place["a1"]])
    with pytest.raises(PermissionDenied):
        untick(db, clerk, count, place["a1"])
    with pytest.raises(PermissionDenied):
        close(db, clerk, count, {})
    assert state(db) == before
    assert view(db, clerk, count.id).expected == 3  # everyone on the staff may look
    with pytest.raises(NotFound):
        view(db, clerk, count.id + 100)


def test_one_recorded_out_but_scanned_here_is_a_discrepancy(db, warden, place):
    """The record says court; the card is in the block: the count and the record disagree,
    and the count closes only once someone says what was done about it."""
    count = start(db, warden, place["block_a"]).value
    result = tick(db, warden, count, detainee_no=place["no"][place["away"]]).value
    [seen] = [e for e in result.entries if e.detention_id == place["away"]]
    assert (seen.away_at_start, seen.away_now, seen.discrepancy) == (True, True, "unexpected")
    with pytest.raises(ValidationError) as exc:
        close(db, warden, count, {place[k]: "Not seen" for k in ("a1", "a2", "a3")})
    assert "is recorded as out (court) but was counted here" in \
        exc.value.fields[f"resolution:{place['away']}"]
