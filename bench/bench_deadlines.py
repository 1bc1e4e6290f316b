"""The deadline list at depot scale, against raw SQL in the same run.

Uses the headcount bench's database builder (PERSONS person records, one detention each,
IN_CUSTODY held now in 40 blocks), then gives every detention its legal stages with bulk
SQL, each stage's authority worked out by ``depot_app.authority`` as ``authority.refresh``
writes it:

* the past (980,000 at the default): half held on the arrest until removed; half produced
  on day 10 with a Magistrate's order (its production and order rows) and removed under
  s.34 from day 15;
* the held (no citizens: none is arrested within the day): those arrested in the last 12
  days (and 2 % of the others, not produced in time) on the arrest; the rest produced
  3-13 days after the arrest with a Magistrate's order (under the arrest's section; for
  1 in 11 under s.35, kept within its 30 days and followed by a further order under s.34
  once removal is decided), a third of those since under a removal order (s.34), 3 % of
  the orders run out unrenewed, 1 % released by the court and still held; a production
  scheduled for about half of those due within the week.

Times ``deadlines.board`` (the court page, the dashboard tile, ``depot deadlines``),
``deadlines.summary`` (the count in the main window), ``deadlines.row`` (a detainee's
record) and the list as it stood a day ago (``--as-of``, recomputed from the timelines),
each against the same rows read raw through the driver; and, for information, a full
recomputation of the held (``authority.refresh``) with nothing to change and with every
stage to rewrite.

    .venv/bin/python bench/bench_deadlines.py                    # SQLite, 1,000,000 persons
    .venv/bin/python bench/bench_deadlines.py \
        --db postgresql+psycopg://postgres@127.0.0.1/bench_deadlines
    .venv/bin/python bench/bench_deadlines.py --profile         # where the board's time goes

``deadlines.due`` gives every held detention's bucket in the list's order, worked out by
the database: the deadlines of the 20,000 held, the figure the budget of 100 ms is for
(with ``summary``, their counts). The "proposed" cases time changes docs/benchmarks.md
proposes for the full rows, written out here and not used by the app: ``proposed_board``
(the same rows, read faster; the run checks that they are the service's rows).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import sys
import time
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_headcount import NOW, populate, timed  # noqa: E402
from sqlalchemy import and_, func, insert, select, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from db.models import (  # noqa: E402
    Block,
    Cell,
    CourtProduction,
    Detention,
    DetentionOrder,
    DetentionStage,
    Person,
)
from depot_app import authority as engine  # noqa: E402
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.authority import (  # noqa: E402
    ARREST,
    MAGISTRATE_ORDER,
    REMOVAL_ORDER,
    Stage,
    Timeline,
)
from depot_app.clock import FixedClock, local_day_bounds, to_local  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.services.court import authority, deadlines  # noqa: E402
from depot_app.services.court.views import DeadlineRow  # noqa: E402
from depot_app.services.places import held_location  # noqa: E402
from depot_app.services.setup import current_depot  # noqa: E402

DAY = dt.timedelta(days=1)
SECTIONS = ["s.6(1)(c)"] * 6 + ["s.15(1)(c)"] * 3 + ["reg. 39(b)"]
COURTS = ["Mahkamah Majistret Kajang", "Mahkamah Majistret Sepang",
          "Mahkamah Majistret Bangi", "Mahkamah Majistret Putrajaya"]

HELD = "d.status = 'in_custody' AND d.depot_id = 1"
BOARD_SQL = (
    "SELECT d.id, d.version, d.detainee_no, p.full_name, p.nationality, d.away_reason, c.code, "
    "b.name, s.section, s.authority, s.reference, s.starts_at, s.valid_until, s.needs, "
    "s.rests_on FROM detention d JOIN person p ON p.id = d.person_id "
    "LEFT JOIN detention_stage s ON s.detention_id = d.id AND s.ends_at IS NULL "
    "LEFT JOIN cell c ON c.id = d.current_cell_id LEFT JOIN block b ON b.id = c.block_id "
    f"WHERE {HELD}")
NARROW_SQL = ("SELECT d.id, s.valid_until FROM detention d LEFT JOIN detention_stage s "
              f"ON s.detention_id = d.id AND s.ends_at IS NULL WHERE {HELD}")
PENDING_SQL = ("SELECT detention_id, court, scheduled_at, id FROM court_production "
               "WHERE status IN ('scheduled', 'out') ORDER BY scheduled_at")


def summary_sql(ph: str) -> str:
    """The summary's one count query (five bounds: now, today's end, tomorrow's end, the
    week's end; now twice)."""
    lapsed = f"(s.id IS NULL OR s.valid_until <= {ph})"
    pending = ("EXISTS (SELECT 1 FROM court_production cp WHERE cp.detention_id = d.id "
               "AND cp.status IN ('scheduled', 'out'))")
    return (
        "SELECT count(*), "
        f"sum(CASE WHEN {lapsed} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN s.valid_until > {ph} AND s.valid_until < {ph} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN s.valid_until >= {ph} AND s.valid_until < {ph} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN s.valid_until >= {ph} AND s.valid_until < {ph} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN ({lapsed} OR s.valid_until < {ph}) AND NOT {pending} THEN 1 ELSE 0 END) "
        "FROM detention d LEFT JOIN detention_stage s ON s.detention_id = d.id "
        f"AND s.ends_at IS NULL WHERE {HELD}")


def courts_sql(ph: str) -> str:
    return ("SELECT court, scheduled_at FROM court_production WHERE status IN ('scheduled', "
            f"'out') AND scheduled_at >= {ph} AND scheduled_at < {ph}")


# -- building the stages --------------------------------------------------------------------

class Builder:
    """Stages, orders and productions with ids given here, each stage's authority from the
    engine (what ``authority.refresh`` would write)."""

    def __init__(self, rnd: random.Random, law: engine.Law):
        self.rnd, self.law = rnd, law
        self.stage_id = self.order_id = self.production_id = 0
        self.stages: list[dict] = []
        self.orders: list[dict] = []
        self.productions: list[dict] = []

    def production(self, did: int, at: dt.datetime, status: str, purpose: str = "first",
                   outcome: str = "") -> int:
        self.production_id += 1
        self.productions.append({
            "id": self.production_id, "detention_id": did, "court": self.rnd.choice(COURTS),
            "scheduled_at": at, "escort": "Insp. Rahman", "produced_at": at if outcome else None,
            "outcome": outcome, "outcome_note": "", "sanction_ref": "", "purpose": purpose,
            "status": status, "case_no": "", "charge": "", "sentence": "", "prison": "",
            "out_movement_id": None, "return_movement_id": None, "scheduled_by_id": 1,
            "outcome_by_id": 1 if outcome else None, "version": 1})
        return self.production_id

    def order(self, did: int, section: str, at: dt.datetime, days: int) -> tuple[int, str]:
        self.order_id += 1
        number = f"MA-{self.order_id:07d}/2026"
        pid = self.production(did, at, "done", outcome="detention_order")
        self.orders.append({
            "id": self.order_id, "detention_id": did, "production_id": pid,
            "order_no": number, "magistrate": "Puan Aisyah binti Omar", "section": section,
            "period_days": days, "starts_at": at, "expires_at": at + days * DAY,
            "purpose": "inquiries", "recorded_by_id": 1, "recorded_at": at})
        return self.order_id, number

    def timeline(self, did: int, arrested: dt.datetime, citizen: bool,
                 stages: list[tuple]) -> None:
        """``stages``: (section, authority, starts, ends, order_id, order_expires, ref)."""
        t = Timeline(arrested, citizen, tuple(Stage(s, a, b, e, x, r)
                                              for s, a, b, e, _, x, r in stages))
        for (section, kind, starts, ends, order_id, _, ref), v in \
                zip(stages, engine.validities(t, self.law), strict=True):
            self.stage_id += 1
            self.stages.append({
                "id": self.stage_id, "detention_id": did, "section": section,
                "authority": kind, "reference": ref, "starts_at": starts, "ends_at": ends,
                "recorded_by_id": 1, "valid_until": v.valid_until, "needs": v.needs[:120],
                "rests_on": v.rests_on[:300], "order_id": order_id})

    def past(self, did: int, arrested: dt.datetime, ended: dt.datetime) -> None:
        section = self.rnd.choice(SECTIONS)
        if self.rnd.random() < 0.5:
            self.timeline(did, arrested, False, [(section, ARREST, arrested, ended, None, None,
                                                  "")])
            return
        produced = arrested + 10 * DAY
        oid, number = self.order(did, section, produced, 14)
        self.timeline(did, arrested, False, [
            (section, ARREST, arrested, produced, None, None, ""),
            (section, MAGISTRATE_ORDER, produced, produced + 5 * DAY, oid, produced + 14 * DAY,
             number),
            ("s.34", REMOVAL_ORDER, produced + 5 * DAY, ended, None, None, "PR/34/2026")])

    def held(self, did: int, arrested: dt.datetime) -> None:
        rnd = self.rnd
        age = NOW - arrested
        section = "s.35" if rnd.random() < 1 / 11 else rnd.choice(SECTIONS)
        if age <= 12 * DAY or rnd.random() < 0.02:
            self.timeline(did, arrested, False, [(section, ARREST, arrested, None, None, None,
                                                    "")])
            due = arrested + 14 * DAY
            if NOW < due < NOW + 7 * DAY and rnd.random() < 0.5:
                self.production(did, min(due - dt.timedelta(hours=2),
                                         NOW + rnd.uniform(0.1, 6) * DAY), "scheduled")
            return
        produced = arrested + rnd.uniform(3, 13) * DAY
        if rnd.random() < 0.01:  # released by the court, the release not yet recorded
            self.production(did, produced, "done", outcome="released")
            self.timeline(did, arrested, False, [(section, ARREST, arrested, produced, None,
                                                  None, "")])
            return
        days = (NOW - produced).days + (rnd.randint(-6, 0) if rnd.random() < 0.03
                                        else rnd.randint(1, 21))
        if section == "s.35":
            # The decision to remove comes within the 30 days: the order under s.35 runs to
            # it (never past the cap), then a further order for the removal under s.34.
            decided = arrested + rnd.uniform(20, 29) * DAY
            if decided < NOW and produced < decided:
                oid, number = self.order(did, section, produced, (decided - produced).days + 1)
                days = max(days, 1) - (decided - produced).days
                oid2, number2 = self.order(did, "s.34", decided, max(days, 1))
                self.timeline(did, arrested, False, [
                    (section, ARREST, arrested, produced, None, None, ""),
                    (section, MAGISTRATE_ORDER, produced, decided, oid,
                     produced + ((decided - produced).days + 1) * DAY, number),
                    ("s.34", MAGISTRATE_ORDER, decided, None, oid2,
                     decided + max(days, 1) * DAY, number2)])
                return
            days = min(days, (arrested + 30 * DAY - produced).days)
        days = max(days, 1)
        oid, number = self.order(did, section, produced, days)
        stages = [(section, ARREST, arrested, produced, None, None, ""),
                  (section, MAGISTRATE_ORDER, produced, None, oid, produced + days * DAY,
                   number)]
        if rnd.random() < 1 / 3:
            removal = produced + (NOW - produced) * rnd.uniform(0.2, 0.9)
            stages[-1] = stages[-1][:3] + (removal,) + stages[-1][4:]
            stages.append(("s.34", REMOVAL_ORDER, removal, None, None, None, "PR/34/2026"))
        self.timeline(did, arrested, False, stages)
        expires = produced + days * DAY
        if NOW < expires < NOW + 7 * DAY and rnd.random() < 0.5:
            self.production(did, min(expires - dt.timedelta(hours=2),
                                     NOW + rnd.uniform(0.1, 6) * DAY), "scheduled", "further")

    def flush(self, conn) -> None:
        for model, rows in ((CourtProduction, self.productions), (DetentionOrder, self.orders),
                            (DetentionStage, self.stages)):
            if rows:
                conn.execute(insert(model), rows)
            rows.clear()


def add_stages(db: Database, persons: int, seed: int = 3) -> int:
    """Every detention's stages, orders and productions, in batches."""
    with db.read() as uow:
        law = authority.load_law(uow.session)
    b = Builder(random.Random(seed), law)
    batch = 20_000
    for start in range(1, persons + 1, batch):
        with db.engine.begin() as conn:
            for did, arrested, state, ended in conn.execute(
                    select(Detention.id, Detention.arrested_at, Detention.status,
                           Detention.ended_at)
                    .where(Detention.id >= start, Detention.id < start + batch)):
                if state == "in_custody":
                    b.held(did, arrested)
                else:
                    b.past(did, arrested, ended)
            b.flush(conn)
        print(f"  stages for {min(start + batch - 1, persons):,} detentions", end="\r",
              flush=True)
    print()
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            for table in ("detention_stage", "detention_order", "court_production"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    return b.stage_id


# -- the board as it could be read ---------------------------------------------------------

NO_AUTHORITY = "Release or transfer now: no authority to hold"


def proposed_board(uow, at: dt.datetime) -> list[tuple]:
    """What ``deadlines._board_now`` would do with the changes docs/benchmarks.md proposes,
    to measure them (not used by the app): the rows through Core (``session.connection()``,
    no ORM row processing), the cells and blocks read once rather than joined to every row,
    the buckets by comparing with the day's bounds in UTC (no time zone conversion per
    row), and the sort on a tuple key. Returns what each ``DeadlineRow`` would hold, as
    tuples, so that the cost of building 20,000 frozen dataclasses (measured apart) is not
    counted twice."""
    conn = uow.session.connection()
    st = DetentionStage
    depot = current_depot(uow).id
    places = {cid: (code, block) for cid, code, block in conn.execute(
        select(Cell.id, Cell.code, Block.name).join(Block, Block.id == Cell.block_id)
        .where(Block.depot_id == depot))}
    rows = conn.execute(
        select(Detention.id, Detention.version, Detention.detainee_no, Person.full_name,
               Person.nationality, Detention.away_reason, Detention.current_cell_id,
               st.section, st.authority, st.reference, st.starts_at, st.valid_until, st.needs,
               st.rests_on)
        .join(Person, Person.id == Detention.person_id)
        .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
        .where(Detention.status == "in_custody", Detention.depot_id == depot)).all()
    today = to_local(at).date()
    _, today_end = local_day_bounds(today)
    _, tomorrow_end = local_day_bounds(today + DAY)
    week_end, _ = local_day_bounds(today + engine.WEEK_DAYS * DAY)
    courts: dict[int, tuple] = {}
    for did, court, when, pid in conn.execute(
            select(CourtProduction.detention_id, CourtProduction.court,
                   CourtProduction.scheduled_at, CourtProduction.id)
            .where(CourtProduction.status.in_(deadlines.PENDING))
            .order_by(CourtProduction.scheduled_at)):
        courts.setdefault(did, (court, when, pid))
    lapsed = deadlines._lapsed(uow, [r[0] for r in rows if r[7] is None])
    none = ("", None, None)
    out = []
    for (did, version, number, name, nationality, away, cell, section, kind, reference,
         since, until, needs, rests) in rows:
        code, block = places.get(cell, (None, None))
        place = held_location(away, code, block)
        court, court_at, production = courts.get(did, none)
        plain = section is not None and until is not None
        if section is None:
            until, rests = lapsed.get(did, (at, ""))
            needs, section, kind, reference = NO_AUTHORITY, "", "", ""
        elif until is None:
            until, needs = since, "Check the authority: its period was never worked out"
        if at >= until:
            state, bucket = engine.OVERDUE, "overdue"
        elif until < today_end:
            state, bucket = engine.DUE_SOON, "today"
        elif until < tomorrow_end:
            state, bucket = engine.DUE_SOON, "tomorrow"
        elif until < week_end:
            state, bucket = engine.DUE_SOON, "this_week"
        else:
            state, bucket = engine.OK, "later"
        out.append((until, number, did, version, name, nationality, place, section, kind,
                    reference, since, needs, rests, state, bucket, court, production, court_at,
                    plain and court_at is not None and court_at >= until))
    out.sort(key=itemgetter(0, 1))
    return out


def as_rows(proposed) -> list[DeadlineRow]:
    """The proposed tuples as the service's frozen dataclasses (to time that part)."""
    return [DeadlineRow(p[2], p[3], p[1], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[0],
                        p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18])
            for p in proposed]


def same_rows(board, proposed) -> bool:
    """The proposed reading gives the service's rows (production time and id compared by
    value, whichever field the service put them in)."""
    def key(r):
        return (r.valid_until, r.detainee_no, r.detention_id, r.version, r.full_name,
                r.nationality, r.location, r.section, r.authority, r.reference, r.since,
                r.needs, r.rests_on, r.state, r.bucket, r.court,
                {r.production_id, r.production_at} - {None}, r.late)
    return [key(r) for r in board] == [p[:16] + ({p[16], p[17]} - {None}, p[18])
                                       for p in proposed]


def breakdown(db: Database, repeat: int) -> None:
    """Where the board's time goes, part by part, on the same 20,000 rows."""
    st = DetentionStage
    q = (select(Detention.id, Detention.version, Detention.detainee_no, Person.full_name,
                Person.nationality, Detention.away_reason, Cell.code, Block.name, st.section,
                st.authority, st.reference, st.starts_at, st.valid_until, st.needs,
                st.rests_on)
         .join(Person, Person.id == Detention.person_id)
         .outerjoin(st, and_(st.detention_id == Detention.id, st.ends_at.is_(None)))
         .outerjoin(Cell, Cell.id == Detention.current_cell_id)
         .outerjoin(Block, Block.id == Cell.block_id)
         .where(Detention.status == "in_custody", Detention.depot_id == 1))
    today = to_local(NOW).date()
    _, today_end = local_day_bounds(today)
    with db.read() as uow:
        s = uow.session
        driver = s.connection().connection.driver_connection
        rows = s.execute(q).all()
        found = [r for r in rows if r.valid_until is not None]
        made = [(r.id, r.version, r.detainee_no, r.full_name, r.nationality, "",
                 r.section or "", r.authority or "", r.reference or "", r.starts_at,
                 r.valid_until or NOW, r.needs or "", r.rests_on or "", "ok", "later")
                for r in rows]
        built = [DeadlineRow(*m) for m in made]

        def fetch(_i: int) -> None:
            cur = driver.cursor()
            cur.execute(BOARD_SQL)
            cur.fetchall()
            cur.close()

        parts = [
            ("the select, raw (driver)", fetch),
            ("the select, ORM session", lambda _i: s.execute(q).all()),
            ("the select, Core", lambda _i: s.connection().execute(q).all()),
            ("state() + bucket() a row", lambda _i: [(engine.state(r.valid_until, NOW),
                                                      engine.bucket(r.valid_until, NOW))
                                                     for r in found]),
            ("buckets by day bounds", lambda _i: [
                "overdue" if NOW >= r.valid_until else "today" if r.valid_until < today_end
                else "later" for r in found]),
            ("held_location a row", lambda _i: [held_location(r.away_reason, r.code, r.name)
                                               for r in rows]),
            ("DeadlineRow x 20,000", lambda _i: [DeadlineRow(*m) for m in made]),
            ("sort, lambda key", lambda _i: sorted(
                built, key=lambda row: (row.valid_until, row.detainee_no))),
            ("pending productions", lambda _i: deadlines._next_productions(uow, None)),
        ]
        print("\nwhere the board's time goes (median / min of the runs, ms)")
        for label, fn in parts:
            samples = []
            for i in range(repeat):
                t = time.perf_counter()
                fn(i)
                samples.append((time.perf_counter() - t) * 1000)
            samples.sort()
            print(f"  {label:<28} {samples[len(samples) // 2]:7.1f} / {samples[0]:6.1f}")


# -- timing ---------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-deadlines.sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--in-custody", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true",
                        help="profile deadlines.board (cProfile) and time its parts")
    args = parser.parse_args()

    db = Database(args.db, clock=FixedClock(NOW))
    db.upgrade()
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
        staged = uow.session.scalar(select(func.count()).select_from(DetentionStage))
    if have != args.persons or not staged:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons and {staged:,} stages; give a "
                             f"fresh database")
        print(f"populating {args.persons:,} persons, {args.in_custody:,} in custody ...")
        t = time.perf_counter()
        populate(db, args.persons, args.in_custody, history_days=0)
        print(f"  took {time.perf_counter() - t:.0f} s\nadding the stages ...")
        t = time.perf_counter()
        add_stages(db, args.persons)
        print(f"  took {time.perf_counter() - t:.0f} s")
    if db.dialect == "postgresql":
        # What autovacuum does soon after a bulk load (statistics and the visibility map).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("detention", "person", "detention_stage", "detention_order",
                          "court_production"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
    officer = Actor(1, "bench", "Bench Officer", frozenset({Role.OFFICER}), "bench")
    with db.read() as uow:
        s = uow.session
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                  for m in (Detention, DetentionStage, DetentionOrder, CourtProduction)}
        held_ids = list(s.scalars(select(Detention.id).where(Detention.status == "in_custody")))
        board = deadlines.board(uow, officer)
        summary = deadlines.summary(uow, officer)
        proposed = proposed_board(uow, NOW)
    one = board[len(board) // 2].detention_id
    assert same_rows(board, proposed), "the proposed reading differs from deadlines.board"
    yesterday = NOW - DAY

    sqlite = db.dialect == "sqlite"
    ph = "?" if sqlite else "%s"

    def stamp(value: dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    today = to_local(NOW).date()
    _, today_end = local_day_bounds(today)
    _, tomorrow_end = local_day_bounds(today + DAY)
    week_end, _ = local_day_bounds(today + 7 * DAY)
    day_start, _ = local_day_bounds(today)
    summary_params = tuple(map(stamp, (NOW, NOW, today_end, today_end, tomorrow_end,
                                       tomorrow_end, week_end, NOW, week_end)))
    raw_conn = db.engine.raw_connection()

    def raw(statements):
        def run(_i: int) -> None:
            cur = raw_conn.cursor()
            for sql, params in statements:
                cur.execute(sql, params)
                cur.fetchall()
            cur.close()
            raw_conn.rollback()
        return run

    def service(fn):
        def run(_i: int) -> None:
            with db.read() as uow:
                fn(uow)
        return run

    def refresh(clear: bool):
        def run(_i: int) -> float:
            with db.engine.connect() as conn, Session(conn) as session:
                if clear:
                    for n in range(0, len(held_ids), 500):
                        session.execute(update(DetentionStage)
                                        .where(DetentionStage.detention_id.in_(
                                            held_ids[n:n + 500]))
                                        .values(valid_until=None))
                t = time.perf_counter()
                authority.refresh(session, held_ids)
                took = time.perf_counter() - t
                session.rollback()
            return took
        return run

    board_raw = raw([(BOARD_SQL, ()), (PENDING_SQL, ())])
    cases = [
        ("board (20k rows)", service(lambda u: deadlines.board(u, officer)), board_raw,
         args.repeat),
        ("summary", service(lambda u: deadlines.summary(u, officer)),
         raw([(summary_sql(ph), summary_params),
              (courts_sql(ph), (stamp(day_start), stamp(week_end)))]), args.repeat),
        ("row (one detainee)", service(lambda u: deadlines.row(u, officer, one)),
         raw([(BOARD_SQL + f" AND d.id = {one}", ()),
              (PENDING_SQL.replace("WHERE", f"WHERE detention_id = {one} AND"), ())]),
         args.repeat),
        ("board as of yesterday", service(lambda u: deadlines.board(u, officer, yesterday)),
         board_raw, max(3, args.repeat // 6)),
        ("proposed board, tuples", service(lambda u: proposed_board(u, NOW)), board_raw,
         args.repeat),
        ("  + DeadlineRow each", service(lambda u: as_rows(proposed_board(u, NOW))), board_raw,
         args.repeat),
        ("due: states of all held", service(lambda u: deadlines.due(u, officer)),
         raw([(NARROW_SQL, ())]), args.repeat),
    ]
    buckets: dict[str, int] = {}
    for r in board:
        buckets[r.bucket] = buckets.get(r.bucket, 0) + 1
    print(f"\n{db.dialect}: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"board: {len(board):,} rows: " + ", ".join(f"{n:,} {b}" for b, n in buckets.items())
          + f"; {sum(1 for r in board if r.section == ''):,} with no stage in force, "
          f"{sum(1 for r in board if r.authority == 'magistrate_order'):,} on an order, "
          f"{sum(1 for r in board if r.section == 's.34'):,} under s.34; summary: held "
          f"{summary.held:,}, overdue {summary.overdue}, unscheduled {summary.unscheduled}, "
          f"{len(summary.courts)} courts")
    print("median / p95 of the runs, ms")
    print(f"{'case':<24} {'service':>16} {'raw SQL':>16} {'ratio':>7}")
    results = {}
    for label, svc, baseline, repeat in cases:
        s_med, s_p95 = timed(svc, repeat)
        b_med, b_p95 = timed(baseline, repeat)
        results[label] = s_med
        print(f"{label:<24} {s_med:7.1f} / {s_p95:6.1f} {b_med:7.1f} / {b_p95:6.1f} "
              f"{s_med / b_med:6.2f}x")
    for label, clear in (("refresh 20k (unchanged)", False), ("refresh 20k (rewrite)", True)):
        took = sorted(refresh(clear)(i) * 1000 for i in range(3))
        print(f"{label:<24} {took[1]:7.1f} (median of 3)")
    with db.read() as uow:
        t = time.perf_counter()
        loaded = authority.load(uow.session, held_ids)
        law = authority.load_law(uow.session)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        for one_ in loaded.values():
            engine.validities(one_.timeline, law)
        t_engine = time.perf_counter() - t
    print(f"{'  of which load':<24} {t_load * 1000:7.1f}\n{'  of which validities':<24} "
          f"{t_engine * 1000:7.1f}")
    raw_conn.close()
    if args.profile:
        breakdown(db, args.repeat)
        profiler = cProfile.Profile()
        with db.read() as uow:
            profiler.enable()
            for _ in range(5):
                deadlines.board(uow, officer)
            profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    ok = results["due: states of all held"] < 100 and results["summary"] < 100
    print(f"\nthe states of all {len(board):,} held (deadlines.due) in "
          f"{results['due: states of all held']:.1f} ms and their counts (summary) in "
          f"{results['summary']:.1f} ms: {'within' if ok else 'OVER'} the 100 ms budget; "
          f"the full rows with names and places (board) {results['board (20k rows)']:.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
