"""The pure deadline engine (``depot_app.authority``) at its edges, every value worked out
by hand: exactly 14 days, a citizen's 24 hours with and without journeys, leap years and
month ends, Malaysian days against UTC storage, the s.35 cap, orders and removal orders,
a court's release and the spans held without authority. No database: fast."""

from __future__ import annotations

import datetime as dt

from depot_app import authority as a
from depot_app.authority import (
    ARREST,
    MAGISTRATE_ORDER,
    REMOVAL_ORDER,
    Journey,
    Law,
    Period,
    Stage,
    Timeline,
)
from depot_app.clock import MYT

US = dt.timedelta(microseconds=1)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

# The rules table as migration 0002 seeds it (legal_rule): the periods and their sources.
NON_CITIZEN = Period(dt.timedelta(days=14), "14 days",
                     "Immigration Act 1959/63 s.51(5)(b); Federal Constitution Art. 5(4)")
CITIZEN = Period(dt.timedelta(hours=24), "24 hours", "Immigration Act 1959/63 s.51(5)(a)")
S35 = Period(dt.timedelta(days=30), "30 days", "Immigration Act 1959/63 s.35")


def law_with(non_citizen: Period = NON_CITIZEN, *, changed_on: dt.date | None = None,
             after: Period | None = None, asked: list[dt.date] | None = None) -> Law:
    """The periods in force; from ``changed_on`` (a Malaysian day) the non-citizen period
    is ``after``; ``asked`` collects the days the production period was asked for."""

    def production(citizen: bool, on: dt.date) -> Period:
        if asked is not None:
            asked.append(on)
        if citizen:
            return CITIZEN
        return after if changed_on is not None and after is not None and on >= changed_on \
            else non_citizen

    def cap(section: str, on: dt.date) -> Period | None:
        return S35 if section == "s.35" else None

    return Law(production, cap)


LAW = law_with()


def myt(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MYT)


def timeline(arrested: dt.datetime, *stages: Stage, citizen: bool = False,
             journeys: tuple[Journey, ...] = (), ended: dt.datetime | None = None) -> Timeline:
    return Timeline(arrested, citizen, stages or (Stage("s.6(1)(c)", ARREST, arrested),),
                    journeys, ended)


def until(t: Timeline, law: Law = LAW) -> list[dt.datetime]:
    return [v.valid_until for v in a.validities(t, law)]


# -- exactly 14 days ------------------------------------------------------------------------

def test_a_non_citizen_has_exactly_fourteen_days_and_at_the_end_is_overdue():
    arrested = myt(2026, 3, 1, 10, 0)
    t = timeline(arrested)
    (v,) = a.validities(t, LAW)
    assert v.valid_until == myt(2026, 3, 15, 10, 0)
    assert v.needs == "Produce before a Magistrate"
    assert v.rests_on == ("Arrest under s.6(1)(c): s.51(5)(b), 14 days from arrest "
                          "(Immigration Act 1959/63 s.51(5)(b); Federal Constitution Art. 5(4))")
    at_end = a.standing(t, LAW, v.valid_until)
    assert (at_end.state, at_end.bucket) == ("overdue", "overdue")
    assert at_end.stage == t.stages[0] and at_end.valid_until == v.valid_until
    just_before = a.standing(t, LAW, v.valid_until - US)
    assert (just_before.state, just_before.bucket) == ("due-soon", "today")
    # "This week" is by the Malaysian day: seven days before is later, six days before is
    # this week, from its first microsecond.
    assert a.standing(t, LAW, myt(2026, 3, 8, 23, 59, 59)).bucket == "later"
    assert a.standing(t, LAW, myt(2026, 3, 8, 23, 59, 59)).state == "ok"
    assert a.standing(t, LAW, myt(2026, 3, 9, 0, 0)).bucket == "this_week"
    assert a.standing(t, LAW, myt(2026, 3, 14, 0, 0)).bucket == "tomorrow"
    # Before the arrest and after custody ends there is nothing to stand on.
    assert a.standing(t, LAW, arrested - US) is None
    ended = timeline(arrested, ended=myt(2026, 3, 5, 12, 0))
    assert a.standing(ended, LAW, myt(2026, 3, 5, 12, 0)) is None
    assert a.unlawful_spans(t, LAW, v.valid_until) == ()
    assert a.unlawful_spans(t, LAW, v.valid_until + DAY) == ((v.valid_until, v.valid_until + DAY),)


# -- a citizen's 24 hours and the journeys not counted in them ------------------------------

CITIZEN_ARREST = myt(2026, 3, 9, 20, 0)


def citizen(*journeys: tuple[dt.datetime, dt.datetime]) -> Timeline:
    return timeline(CITIZEN_ARREST, citizen=True,
                    journeys=tuple(Journey(x, y) for x, y in journeys))


def test_a_citizen_has_24_hours_and_one_journey_is_added_across_midnight():
    (plain,) = a.validities(citizen(), LAW)
    assert plain.valid_until == myt(2026, 3, 10, 20, 0)
    assert plain.rests_on == ("Arrest under s.6(1)(c): s.51(5)(a), 24 hours from arrest "
                              "(Immigration Act 1959/63 s.51(5)(a))")
    # 22:00 to 03:30 the next morning: 5 h 30 min, so 10/03 20:00 becomes 11/03 01:30.
    t = citizen((myt(2026, 3, 9, 22, 0), myt(2026, 3, 10, 3, 30)))
    (v,) = a.validities(t, LAW)
    assert v.valid_until == myt(2026, 3, 11, 1, 30)
    assert "s.51(5)(a), 24 hours from arrest, excluding journey time" in v.rests_on
    # The day after the arrest at 23:00 it is due "tomorrow" (the Malaysian 11 March).
    assert a.standing(t, LAW, myt(2026, 3, 10, 23, 0)).bucket == "tomorrow"
    assert a.standing(t, LAW, myt(2026, 3, 11, 1, 30)).state == "overdue"


def test_overlapping_journeys_count_once():
    # 22:00-01:00 and 00:00-03:30 overlap: together 22:00-03:30, 5 h 30 min; a third inside
    # them adds nothing; the order they were recorded in does not matter.
    t = citizen((myt(2026, 3, 10, 0, 0), myt(2026, 3, 10, 3, 30)),
                (myt(2026, 3, 9, 22, 0), myt(2026, 3, 10, 1, 0)),
                (myt(2026, 3, 9, 23, 0), myt(2026, 3, 10, 0, 30)))
    assert until(t) == [myt(2026, 3, 11, 1, 30)]
    # Two apart: 1 h and 2 h.
    t = citizen((myt(2026, 3, 9, 21, 0), myt(2026, 3, 9, 22, 0)),
                (myt(2026, 3, 10, 8, 0), myt(2026, 3, 10, 10, 0)))
    assert until(t) == [myt(2026, 3, 10, 23, 0)]


def test_a_journey_begun_after_the_time_ran_out_is_not_counted():
    due = myt(2026, 3, 10, 20, 0)
    assert until(citizen((due, due + 3 * HOUR))) == [due]  # at the deadline: too late
    assert until(citizen((due + HOUR, due + 5 * HOUR))) == [due]
    # One begun a microsecond before counts in full, past the old deadline.
    assert until(citizen((due - US, due + 3 * HOUR))) == [due + 3 * HOUR + US]
    # The first journey moves the deadline to 11/03 00:00; the second began at 22:00, after
    # the 24 hours but before the time (with the first journey) ran out: it counts too.
    t = citizen((myt(2026, 3, 9, 22, 0), myt(2026, 3, 10, 2, 0)),
                (myt(2026, 3, 10, 22, 0), myt(2026, 3, 10, 23, 0)))
    assert until(t) == [myt(2026, 3, 11, 1, 0)]


def test_journey_time_before_the_arrest_is_clipped():
    # 18:00-22:00 with the arrest at 20:00: two hours count, not four.
    assert until(citizen((myt(2026, 3, 9, 18, 0), myt(2026, 3, 9, 22, 0)))) == \
        [myt(2026, 3, 10, 22, 0)]
    # Wholly before the arrest: nothing.
    assert until(citizen((myt(2026, 3, 9, 15, 0), myt(2026, 3, 9, 17, 0)))) == \
        [myt(2026, 3, 10, 20, 0)]


def test_journeys_do_not_count_for_a_non_citizen():
    t = timeline(CITIZEN_ARREST, journeys=(Journey(myt(2026, 3, 9, 22, 0),
                                                   myt(2026, 3, 10, 3, 30)),))
    (v,) = a.validities(t, LAW)
    assert v.valid_until == CITIZEN_ARREST + 14 * DAY and "journey" not in v.rests_on


# -- the calendar: leap years, month ends, the Malaysian day --------------------------------

def test_fourteen_days_across_29_february_and_month_ends():
    cases = [
        (myt(2028, 2, 20, 23, 30), myt(2028, 3, 5, 23, 30)),  # leap year: not 6 March
        (myt(2027, 2, 20, 23, 30), myt(2027, 3, 6, 23, 30)),  # the year after: 6 March
        (myt(2028, 2, 29, 10, 0), myt(2028, 3, 14, 10, 0)),  # arrested on 29 February
        (myt(2026, 1, 31, 10, 0), myt(2026, 2, 14, 10, 0)),  # from a month's last day
        (myt(2026, 12, 31, 23, 59), myt(2027, 1, 14, 23, 59)),  # across the year
        (myt(2026, 4, 30, 0, 0), myt(2026, 5, 14, 0, 0)),
    ]
    for arrested, due in cases:
        assert until(timeline(arrested)) == [due], arrested
    # A citizen's 24 hours from 28 February: 29 February in a leap year, 1 March otherwise.
    assert until(timeline(myt(2028, 2, 28, 12, 0), citizen=True)) == [myt(2028, 2, 29, 12, 0)]
    assert until(timeline(myt(2027, 2, 28, 12, 0), citizen=True)) == [myt(2027, 3, 1, 12, 0)]
    # s.35's 30 days from 15 February: 16 March in a leap year, 17 March otherwise.
    for year, day in ((2028, 16), (2027, 17)):
        start = myt(year, 2, 15, 9, 0)
        t = timeline(start, Stage("s.35", MAGISTRATE_ORDER, start,
                                  order_expires_at=start + 60 * DAY, reference="MA-1"))
        assert until(t) == [myt(year, 3, day, 9, 0)]


def test_a_deadline_is_bucketed_by_the_malaysian_day_not_the_utc_day():
    # 16/03 00:30 in Malaysia is 15/03 16:30 UTC: stored on the UTC 15th, due on the 16th.
    due = myt(2026, 3, 16, 0, 30)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 15, 16, 30, tzinfo=dt.UTC)
    morning = myt(2026, 3, 15, 8, 30)  # 00:30 UTC on the 15th: the same UTC day
    assert (a.bucket(due, morning), a.state(due, morning)) == ("tomorrow", "due-soon")
    assert a.bucket(due, myt(2026, 3, 16, 0, 10)) == "today"  # 16:10 UTC on the 15th
    assert a.bucket(due, myt(2026, 3, 15, 23, 59, 59)) == "tomorrow"
    # The other way: 15/03 23:00 MYT is 15:00 UTC on the 15th; seen at 07:00 MYT on the
    # 15th (23:00 UTC on the 14th) it is due today, though the UTC days differ.
    late = myt(2026, 3, 15, 23, 0)
    assert a.bucket(late, myt(2026, 3, 15, 7, 0)) == "today"
    # Through a timeline: arrested 02/03 00:30 MYT (01/03 16:30 UTC).
    t = timeline(myt(2026, 3, 2, 0, 30))
    assert until(t) == [due]
    assert a.standing(t, LAW, morning).bucket == "tomorrow"


def test_the_period_in_force_is_that_of_the_malaysian_day_of_the_arrest():
    # A rule changed from 2 March 2026 (ten days instead of fourteen): an arrest at 00:30
    # on 2 March in Malaysia (16:30 UTC on 1 March) is under the new rule.
    asked: list[dt.date] = []
    law = law_with(changed_on=dt.date(2026, 3, 2),
                   after=Period(dt.timedelta(days=10), "10 days", "amended"), asked=asked)
    arrested = myt(2026, 3, 2, 0, 30)
    (v,) = a.validities(timeline(arrested), law)
    assert v.valid_until == arrested + 10 * DAY and "10 days from arrest (amended)" in v.rests_on
    assert asked == [dt.date(2026, 3, 2)]
    (v,) = a.validities(timeline(arrested - HOUR), law)  # 23:30 on 1 March
    assert v.valid_until == arrested - HOUR + 14 * DAY


# -- the s.35 cap ---------------------------------------------------------------------------

D0 = myt(2026, 3, 1, 10, 0)


def day(n: float) -> dt.datetime:
    return D0 + dt.timedelta(days=n)


def test_s35_caps_a_magistrates_order_at_thirty_days_from_the_start_under_it():
    # Held under s.35 from the arrest: the 14 days come first.
    assert until(timeline(D0, Stage("s.35", ARREST, D0))) == [day(14)]
    # An order under s.35 made on day 10 for 25 days would run to day 35: s.35 stops it at
    # day 30, counted from the arrest (the same section throughout).
    t = timeline(D0, Stage("s.35", ARREST, D0, day(10)),
                 Stage("s.35", MAGISTRATE_ORDER, day(10), order_expires_at=day(35),
                       reference="MA-KJG-1/2026"))
    first, second = a.validities(t, LAW)
    assert first.valid_until == day(14)
    assert second.valid_until == day(30)
    assert second.needs == "Decide on removal: s.35 allows at most 30 days"
    assert second.rests_on == "s.35, at most 30 days (Immigration Act 1959/63 s.35)"
    # Within the cap the order's expiry stands, and so do its words.
    t = timeline(D0, Stage("s.35", ARREST, D0, day(10)),
                 Stage("s.35", MAGISTRATE_ORDER, day(10), order_expires_at=day(24),
                       reference="MA-KJG-1/2026"))
    second = a.validities(t, LAW)[1]
    assert second.valid_until == day(24)
    assert second.needs == "Produce for a further order, or release"
    assert second.rests_on == ("Magistrate's order MA-KJG-1/2026 under s.51(5)(b), detention "
                               "under s.35")
    # Under another section until day 10, then s.35 by the Magistrate's order for 40 days:
    # the 30 days run from day 10.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)),
                 Stage("s.35", MAGISTRATE_ORDER, day(10), order_expires_at=day(50)))
    assert until(t) == [day(14), day(40)]
    # Any other section has no cap of its own: the order's 40 days stand.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(10), order_expires_at=day(50)))
    assert until(t) == [day(14), day(50)]


def test_cap_until_continues_the_run_under_the_same_section():
    t = timeline(D0, Stage("s.35", ARREST, D0))
    end, period = a.cap_until(t, LAW, "s.35", day(10))
    assert (end, period) == (day(30), S35)
    assert a.cap_until(t, LAW, "s.35", D0) == (day(30), S35)
    assert a.cap_until(t, LAW, "s.6(1)(c)", day(10)) is None
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0))
    assert a.cap_until(t, LAW, "s.35", day(10)) == (day(40), S35)


# -- orders, removal orders and a court's release -------------------------------------------

def test_a_removal_order_after_a_magistrates_order_keeps_the_orders_expiry():
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(10), day(15), day(38), "MA-1"),
                 Stage("s.34", REMOVAL_ORDER, day(15), reference="PR/34/1"))
    arrest, order, removal = a.validities(t, LAW)
    assert arrest.valid_until == day(14)
    assert order.valid_until == removal.valid_until == day(38)
    assert removal.rests_on == "Magistrate's order MA-1 under s.51(5)(b), detention under " \
                               "s.6(1)(c)"
    here = a.standing(t, LAW, day(20))
    assert here.stage.section == "s.34" and here.valid_until == day(38) and here.state == "ok"
    # Without a Magistrate's order a removal order does not extend the time to produce.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(5)),
                 Stage("s.34", REMOVAL_ORDER, day(5), reference="PR/34/2"))
    assert until(t) == [day(14), day(14)]
    assert a.standing(t, LAW, day(14)).state == "overdue"


def test_a_court_release_with_custody_continuing_is_overdue_with_no_stage():
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)))
    here = a.standing(t, LAW, day(10))
    assert here.stage is None
    assert (here.state, here.bucket) == ("overdue", "overdue")
    assert here.valid_until == day(10)  # not the 14 days: the authority ended with the stage
    assert here.needs == "Release or transfer now: no authority to hold"
    assert here.rests_on == "Stage under s.6(1)(c) ended 11/03/2026 10:00"
    assert a.standing(t, LAW, day(10) - US).stage == t.stages[0]
    assert a.unlawful_spans(t, LAW, day(12)) == ((day(10), day(12)),)
    # Released once the release is recorded at day 11: unlawful for one day, then not held.
    ended = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)), ended=day(11))
    assert a.standing(ended, LAW, day(11)) is None
    assert a.unlawful_spans(ended, LAW, day(30)) == ((day(10), day(11)),)
    # Released by the court after an order: overdue from the release, not the expiry.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(10), day(20), day(38), "MA-1"))
    here = a.standing(t, LAW, day(25))
    assert here.stage is None and here.valid_until == day(20) and here.state == "overdue"


def test_unlawful_spans_between_an_orders_expiry_and_the_next_order():
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(10)),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(10), day(27), day(24), "MA-1"),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(27), None, day(41), "MA-2"))
    assert until(t) == [day(14), day(24), day(41)]
    assert a.unlawful_spans(t, LAW, day(50)) == ((day(24), day(27)), (day(41), day(50)))
    assert a.standing(t, LAW, day(24) - US).state == "due-soon"
    assert a.standing(t, LAW, day(25)).state == "overdue"
    assert a.standing(t, LAW, day(27)).state == "ok"
    # A gap with no stage at all: released by the court on day 5, held under s.34 from day 7.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(5)),
                 Stage("s.34", REMOVAL_ORDER, day(7), reference="PR/34/3"))
    assert a.unlawful_spans(t, LAW, day(10)) == ((day(5), day(7)),)
    assert a.unlawful_spans(t, LAW, day(20)) == ((day(5), day(7)), (day(14), day(20)))
    # Produced late: the arrest ran out on day 14, the order came on day 16.
    t = timeline(D0, Stage("s.6(1)(c)", ARREST, D0, day(16)),
                 Stage("s.6(1)(c)", MAGISTRATE_ORDER, day(16), None, day(30), "MA-3"))
    assert a.unlawful_spans(t, LAW, day(20)) == ((day(14), day(16)),)
