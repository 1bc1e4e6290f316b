"""The establishment roll at depot scale, against raw SQL in the same run.

Uses the headcount bench's database builder (bulk SQL, not services): PERSONS person
records, one detention each, IN_CUSTODY held now in 40 blocks of 15 cells, about 2 % of
them away at court or hospital (no count history: the roll does not read it). Times
``roll.roll`` (what the roll screen, ``depot roll`` and the printed roll call) and the
dashboard, against the same two grouped queries run raw through the driver (the baseline
leaves out the arithmetic the service does in Python).

    .venv/bin/python bench/bench_roll.py                    # SQLite, 1,000,000 persons
    .venv/bin/python bench/bench_roll.py --db postgresql://postgres@127.0.0.1/bench_roll
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_headcount import BLOCKS, NOW, populate, timed  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from db.models import Person  # noqa: E402
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.clock import FixedClock  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.services import dashboard, roll  # noqa: E402

HELD_SQL = (
    "SELECT d.current_cell_id, d.away_reason, p.sex, d.is_minor, p.nationality, count(*) "
    "FROM detention d JOIN person p ON p.id = d.person_id "
    "WHERE d.status = 'in_custody' AND d.depot_id = 1 "
    "GROUP BY d.current_cell_id, d.away_reason, p.sex, d.is_minor, p.nationality")
CELLS_SQL = ("SELECT c.id, c.code, c.capacity, c.in_service, b.id, b.code, b.name FROM cell c "
             "JOIN block b ON b.id = c.block_id WHERE b.depot_id = 1")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-roll.sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--in-custody", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    db = Database(args.db, clock=FixedClock(NOW))
    db.upgrade()
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
    if have != args.persons:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons; give a fresh database")
        print(f"populating {args.persons:,} persons, {args.in_custody:,} in custody in "
              f"{BLOCKS} blocks ...")
        t = time.perf_counter()
        populate(db, args.persons, args.in_custody, history_days=0)
        print(f"  took {time.perf_counter() - t:.0f} s")
    if db.dialect == "postgresql":
        # What autovacuum does soon after a bulk load: without the visibility map the
        # roll's index-only scan still visits every row (83 ms against 50 ms measured).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE detention"))
    actor = Actor(1, "bench", "Bench Warden", frozenset({Role.WARDEN}), "bench")
    raw_conn = db.engine.raw_connection()

    def svc_roll(_i: int) -> None:
        with db.read() as uow:
            roll.roll(uow, actor)

    def svc_dashboard(_i: int) -> None:
        with db.read() as uow:
            dashboard.dashboard(uow, actor)

    def raw_roll(_i: int) -> None:
        cur = raw_conn.cursor()
        cur.execute(HELD_SQL)
        cur.fetchall()
        cur.execute(CELLS_SQL)
        cur.fetchall()
        cur.close()
        raw_conn.rollback()

    with db.read() as uow:
        view = roll.roll(uow, actor)
    print(f"\n{db.dialect}: {args.persons:,} persons, {view.total.on_roll:,} on the roll "
          f"({view.total.out:,} out) in {len(view.blocks)} blocks; median / p95 of "
          f"{args.repeat} runs, ms")
    print(f"{'case':<12} {'service':>16} {'raw SQL':>16} {'ratio':>7}")
    b_med, b_p95 = timed(raw_roll, args.repeat)
    results = {}
    for label, fn in (("roll", svc_roll), ("dashboard", svc_dashboard)):
        s_med, s_p95 = timed(fn, args.repeat)
        results[label] = s_med
        print(f"{label:<12} {s_med:7.1f} / {s_p95:6.1f} {b_med:7.1f} / {b_p95:6.1f} "
              f"{s_med / b_med:6.2f}x")
    raw_conn.close()
    ok = results["roll"] < 100
    print(f"\nroll median {results['roll']:.1f} ms: {'within' if ok else 'OVER'} the 100 ms "
          f"budget")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
