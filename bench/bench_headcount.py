"""Headcounts at depot scale, against raw SQL in the same run.

Builds (once, then reuses) a database with PERSONS person records, one detention each,
IN_CUSTODY of them held now in 40 blocks of 15 cells (500 a block, about 2 % of them away
at court or hospital), and HISTORY_DAYS of closed counts, every 8 hours for every block,
each with the block's entries. All of it is bulk SQL, not services. Then times the
services the headcount screen calls, and the same work as raw SQL through the driver:

* ``count_view``: an open count of a 500-detainee block, half of it ticked;
* ``start_count``: snapshot a block (its writes, audit and commit included);
* ``tick``: one scan, with the view it returns (the write and commit included);
* ``counts_due``: when each of the 40 blocks is next due.

    .venv/bin/python bench/bench_headcount.py                    # SQLite
    .venv/bin/python bench/bench_headcount.py --db postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, literal, select, text, update  # noqa: E402

from db.models import (  # noqa: E402
    Block,
    Cell,
    Depot,
    Detention,
    Headcount,
    HeadcountEntry,
    Person,
    User,
)
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.clock import FixedClock  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.services import headcount  # noqa: E402

BLOCKS = 40
CELLS = 15
NOW = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
NAMES = ["AUNG KYAW OO", "SITI NURHALIZA", "NGUYEN VAN AN", "JOSE SANTOS", "RAJ KUMAR",
         "BISHNU THAPA", "SOK CHAN", "AGUS SETIAWAN", "IMRAN KHAN", "FATIMA BEGUM"]


def populate(db: Database, persons: int, in_custody: int, history_days: int,
             seed: int = 1) -> None:
    rnd = random.Random(seed)
    with db.engine.begin() as conn:
        depot_id = conn.execute(insert(Depot).returning(Depot.id), [{
            "code": "SMY", "name": "Depot Imigresen Semenyih", "state": "Selangor",
            "address": "", "created_at": NOW, "version": 1}]).scalar_one()
        cells: list[list[int]] = []
        for b in range(BLOCKS):
            block_id = conn.execute(insert(Block).returning(Block.id), [{
                "depot_id": depot_id, "code": f"B{b:02d}", "name": f"Blok {b:02d}",
                "version": 1}]).scalar_one()
            rows = [{"block_id": block_id, "code": f"{b:02d}-{c:02d}", "capacity": 40,
                     "category": "adult_male", "in_service": True, "out_of_service_reason": "",
                     "version": 1} for c in range(CELLS)]
            cells.append(list(conn.execute(insert(Cell).returning(Cell.id), rows).scalars()))
        conn.execute(insert(User), [{"username": "bench", "full_name": "Bench Warden",
                                     "version": 1, "password_hash": "-", "active": True,
                                     "failed_logins": 0, "created_at": NOW}])
    batch = 20_000
    for start in range(0, persons, batch):
        people, dets = [], []
        for i in range(start, min(start + batch, persons)):
            name = rnd.choice(NAMES)
            people.append({"id": i + 1, "full_name": name, "name_key": name, "sex": "M",
                           "nationality": "MMR", "created_at": NOW, "version": 1})
            held = i >= persons - in_custody
            admitted = NOW - dt.timedelta(days=rnd.randint(1, 60 if held else 3650))
            away = rnd.choice(("court", "hospital")) if held and rnd.random() < 0.02 else ""
            dets.append({"id": i + 1, "detainee_no": f"SMY-{admitted.year}-{i + 1:07d}",
                         "person_id": i + 1, "depot_id": depot_id, "arrested_at": admitted,
                         "admitted_at": admitted, "status": "in_custody" if held else "removed",
                         "ended_at": None if held else admitted + dt.timedelta(days=20),
                         "current_cell_id": rnd.choice(cells[i % BLOCKS]) if held else None,
                         "away_reason": away, "version": 1})
        with db.engine.begin() as conn:
            conn.execute(insert(Person), people)
            conn.execute(insert(Detention), dets)
        print(f"  populated {min(start + batch, persons):,} persons", end="\r", flush=True)
    print()
    counts = []
    for day in range(history_days):
        for shift in range(3):
            started = NOW - dt.timedelta(days=history_days - day, hours=-8 * shift)
            counts += [{"depot_id": depot_id, "block_id": b + 1, "started_at": started,
                        "started_by_id": 1, "closed_at": started + dt.timedelta(minutes=40),
                        "closed_by_id": 1, "status": "closed", "version": 2}
                       for b in range(BLOCKS)]
    with db.engine.begin() as conn:
        if counts:
            conn.execute(insert(Headcount), counts)
        block_ids = list(conn.execute(select(Block.id).order_by(Block.id)).scalars())
        for n, block_id in enumerate(block_ids):
            conn.execute(insert(HeadcountEntry).from_select(
                ["headcount_id", "detention_id", "expected", "counted_at", "counted_by",
                 "resolution"],
                select(Headcount.id, Detention.id, Detention.away_reason == "",
                       Headcount.closed_at, literal("scan"), literal(""))
                .select_from(Headcount)
                .join(Cell, Cell.block_id == Headcount.block_id)
                .join(Detention, Detention.current_cell_id == Cell.id)
                .where(Headcount.block_id == block_id, Detention.status == "in_custody")))
            print(f"  history: block {n + 1} of {len(block_ids)}", end="\r", flush=True)
    print()
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(fn, repeat: int, after=None) -> tuple[float, float]:
    samples = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
        if after is not None:
            after(i)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-headcount.sqlite")
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--in-custody", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    db = Database(args.db, clock=FixedClock(NOW))
    db.upgrade()
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
    if have != args.persons:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons; give a fresh database")
        print(f"populating {args.persons:,} persons, {args.in_custody:,} in custody in "
              f"{BLOCKS} blocks, {args.history_days} days of counts ...")
        t = time.perf_counter()
        populate(db, args.persons, args.in_custody, args.history_days)
        print(f"  took {time.perf_counter() - t:.0f} s")
    with db.engine.begin() as conn:  # counts left open by an earlier run
        conn.execute(update(Headcount).where(Headcount.status == "open")
                     .values(status="closed", closed_at=NOW, closed_by_id=1))
        entries = conn.scalar(select(func.count()).select_from(HeadcountEntry))
    actor = Actor(1, "bench", "Bench Warden", frozenset({Role.WARDEN}), "bench")
    blocks = list(range(1, BLOCKS + 1))
    sqlite = db.dialect == "sqlite"
    ph = "?" if sqlite else "%s"

    def stamp(value: dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    raw_conn = db.engine.raw_connection()

    def raw_begin(cur) -> None:
        if sqlite:  # the engine leaves pysqlite in autocommit: open the transaction ourselves
            cur.execute("BEGIN IMMEDIATE")

    def raw_commit(cur) -> None:
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw_conn.commit()

    entries_sql = (
        "SELECT e.detention_id, d.detainee_no, p.full_name, d.status, d.away_reason, c.code, "
        "b.name, e.expected, e.counted_at, e.counted_by, e.resolution FROM headcount_entry e "
        "JOIN detention d ON d.id = e.detention_id JOIN person p ON p.id = d.person_id "
        "LEFT JOIN cell c ON c.id = d.current_cell_id LEFT JOIN block b ON b.id = c.block_id "
        f"WHERE e.headcount_id = {ph}")

    def raw_view(cur, count_id: int) -> None:
        cur.execute(entries_sql, (count_id,))
        cur.fetchall()

    # count_view: an open count of block 1 with half its detainees scanned.
    with db.write() as uow:
        opened = headcount.start_count(uow, actor, blocks[0]).value
    with db.engine.begin() as conn:
        half = [e.detention_id for e in opened.entries[::2]]
        conn.execute(update(HeadcountEntry)
                     .where(HeadcountEntry.headcount_id == opened.id,
                            HeadcountEntry.detention_id.in_(half))
                     .values(counted_at=NOW, counted_by="scan"))

    def svc_view(_i: int) -> None:
        with db.read() as uow:
            headcount.count_view(uow, actor, opened.id)

    def raw_view_case(_i: int) -> None:
        cur = raw_conn.cursor()
        raw_view(cur, opened.id)
        cur.close()
        raw_conn.rollback()

    # tick: scan the uncounted of block 1, one a run.
    to_scan = [e.detainee_no for e in opened.entries[1::2]]
    raw_scan = [e.detention_id for e in opened.entries[1::2]][len(to_scan) // 2:]

    def svc_tick(i: int) -> None:
        with db.write() as uow:
            headcount.tick(uow, actor, opened.id, opened.version, detainee_no=to_scan[i])

    def raw_tick(i: int) -> None:
        cur = raw_conn.cursor()
        raw_begin(cur)
        cur.execute("UPDATE headcount_entry SET counted_at = " + ph + ", counted_by = 'scan' "
                    f"WHERE headcount_id = {ph} AND detention_id = {ph} AND counted_at IS NULL",
                    (stamp(NOW), opened.id, raw_scan[i]))
        raw_view(cur, opened.id)
        raw_commit(cur)
        cur.close()

    # start_count on blocks 2.., each closed again (untimed) so the next run may start.
    started: list[int] = []

    def svc_start(i: int) -> None:
        with db.write() as uow:
            started.append(headcount.start_count(uow, actor, blocks[1 + i % 39]).value.id)

    def close_started(_i: int) -> None:
        with db.engine.begin() as conn:
            conn.execute(update(Headcount).where(Headcount.id == started[-1])
                         .values(status="closed", closed_at=NOW, closed_by_id=1))

    def raw_start(i: int) -> None:
        block_id = blocks[1 + i % 39]
        cur = raw_conn.cursor()
        raw_begin(cur)
        cur.execute("INSERT INTO headcount (depot_id, block_id, started_at, started_by_id, "
                    f"closed_at, closed_by_id, status, version) VALUES (1, {ph}, {ph}, 1, {ph}, "
                    "1, 'closed', 1) RETURNING id", (block_id, stamp(NOW), stamp(NOW)))
        count_id = cur.fetchone()[0]
        cur.execute("INSERT INTO headcount_entry (headcount_id, detention_id, expected, "
                    f"counted_by, resolution) SELECT {ph}, d.id, d.away_reason = '', "
                    "'', '' FROM detention d WHERE d.current_cell_id IN (SELECT id FROM "
                    f"cell WHERE block_id = {ph}) AND d.status = 'in_custody' "
                    "AND d.depot_id = 1", (count_id, block_id))
        raw_view(cur, count_id)
        raw_commit(cur)
        cur.close()

    def svc_due(_i: int) -> None:
        with db.read() as uow:
            headcount.counts_due(uow, actor)

    due_sql = ("SELECT b.id, b.code, b.name, (SELECT max(h.closed_at) FROM headcount h WHERE "
               "h.block_id = b.id), (SELECT h.id FROM headcount h WHERE h.block_id = b.id AND "
               "h.closed_at IS NULL AND h.status = 'open' LIMIT 1) FROM block b "
               "WHERE b.depot_id = 1 ORDER BY b.code")

    def raw_due(_i: int) -> None:
        cur = raw_conn.cursor()
        cur.execute(due_sql)
        cur.fetchall()
        cur.close()
        raw_conn.rollback()

    repeat = min(args.repeat, len(raw_scan))
    cases = [
        ("count_view (500)", (svc_view, None), (raw_view_case, None)),
        ("tick (scan)", (svc_tick, None), (raw_tick, None)),
        ("start_count (500)", (svc_start, close_started), (raw_start, None)),
        ("counts_due (40)", (svc_due, None), (raw_due, None)),
    ]
    print(f"\n{db.dialect}: {args.persons:,} persons, {args.in_custody:,} in custody in "
          f"{BLOCKS} blocks, {entries:,} count entries; median / p95 of {repeat} runs, ms")
    print(f"{'case':<20} {'service':>16} {'raw SQL':>16} {'ratio':>7}")
    view_median = 0.0
    for label, (service, after), (baseline, _) in cases:
        s_med, s_p95 = timed(service, repeat, after)
        b_med, b_p95 = timed(baseline, repeat)
        if label.startswith("count_view"):
            view_median = s_med
        print(f"{label:<20} {s_med:7.1f} / {s_p95:6.1f} {b_med:7.1f} / {b_p95:6.1f} "
              f"{s_med / b_med:6.2f}x")
    raw_conn.close()
    verdict = "within" if view_median < 100 else "OVER"
    print(f"\ncount_view median {view_median:.1f} ms: {verdict} the 100 ms budget")
    return 0 if view_median < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
