"""Detainee search and the dashboard at depot scale, against raw SQL in the same run.

Builds (once, then reuses) a database with PERSONS person records, one detention each,
IN_CUSTODY of them held now, one passport for two in three. Then times the services the
detainee list and dashboard call, and the same queries as raw SQL through the driver.

    .venv/bin/python bench/bench_search.py                      # SQLite, 1,000,000 persons
    .venv/bin/python bench/bench_search.py --db postgresql://postgres@127.0.0.1/bench
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

from sqlalchemy import func, insert, select, text  # noqa: E402

from db.models import (  # noqa: E402
    Block,
    Cell,
    Depot,
    Detention,
    IdentityDocument,
    Person,
    PersonNameToken,
    User,
)
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.names import name_key  # noqa: E402
from depot_app.services import dashboard, detainees  # noqa: E402
from depot_app.services.name_index import token_rows  # noqa: E402

GIVEN = ["MUHAMMAD", "SITI", "NUR", "ABDUL", "RAHMAN", "AUNG", "THANDAR", "NGUYEN", "TRAN",
         "JOSE", "MARIA", "RAJ", "KUMAR", "BISHNU", "SOK", "SOMCHAI", "ALI", "FATIMA", "HASAN",
         "KYAW", "MIN", "VAN", "THI", "ANH", "RAM", "SITA", "IMRAN", "AHMED", "DEWI", "AGUS"]
FAMILY = ["RAHMAN", "HOSSAIN", "ISLAM", "SANTOS", "REYES", "NGUYEN", "TRAN", "LE", "PHAM",
          "SHARMA", "THAPA", "GURUNG", "KHAN", "HUSSAIN", "CHAN", "SOK", "SAETANG", "WIJAYA",
          "SETIAWAN", "KUSUMA", "OO", "HTUN", "WIN", "SINGH", "DAS", "ROY", "BEGUM", "AKTER"]
NATS = ["IDN", "BGD", "MMR", "PHL", "IND", "NPL", "PAK", "VNM", "KHM", "THA"]


def populate(db: Database, persons: int, in_custody: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with db.engine.begin() as conn:
        depot_id = conn.execute(insert(Depot).returning(Depot.id), [{
            "code": "SMY", "name": "Depot Imigresen Semenyih", "state": "Selangor",
            "address": "", "created_at": now, "version": 1}]).scalar_one()
        cells = []
        for b in range(40):
            block_id = conn.execute(insert(Block).returning(Block.id), [{
                "depot_id": depot_id, "code": f"B{b:02d}", "name": f"Blok {b:02d}",
                "version": 1}]).scalar_one()
            rows = [{"block_id": block_id, "code": f"{b:02d}-{c:02d}", "capacity": 40,
                     "category": "adult_male", "in_service": True, "out_of_service_reason": "",
                     "version": 1} for c in range(15)]
            cells += list(conn.execute(insert(Cell).returning(Cell.id), rows).scalars())
        conn.execute(insert(User), [{"username": "bench", "full_name": "Bench", "version": 1,
                                     "password_hash": "-", "active": True, "failed_logins": 0,
                                     "created_at": now}])
    batch = 20_000
    for start in range(0, persons, batch):
        people, dets, docs, tokens = [], [], [], []
        for i in range(start, min(start + batch, persons)):
            name = f"{rnd.choice(GIVEN)} {rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
            people.append({"id": i + 1, "full_name": name, "name_key": name_key(name),
                           "sex": "M", "nationality": rnd.choice(NATS), "created_at": now,
                           "date_of_birth": dt.date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
                           "version": 1})
            tokens += token_rows(i + 1, [name])
            held = i >= persons - in_custody
            admitted = now - dt.timedelta(days=rnd.randint(0, 3650 if not held else 60))
            dets.append({"id": i + 1, "detainee_no": f"SMY-{admitted.year}-{i + 1:06d}X",
                         "person_id": i + 1, "depot_id": depot_id, "arrested_at": admitted,
                         "admitted_at": admitted, "status": "in_custody" if held else "removed",
                         "ended_at": None if held else admitted + dt.timedelta(days=20),
                         "current_cell_id": rnd.choice(cells) if held else None,
                         "version": 1})
            if i % 3:
                docs.append({"person_id": i + 1, "doc_type": "passport",
                             "number": f"P{rnd.randint(0, 99_999_999):08d}",
                             "issuing_state": people[-1]["nationality"], "version": 1})
        with db.engine.begin() as conn:
            conn.execute(insert(Person), people)
            conn.execute(insert(Detention), dets)
            conn.execute(insert(IdentityDocument), docs)
            conn.execute(insert(PersonNameToken), tokens)
        print(f"  populated {min(start + batch, persons):,}", end="\r", flush=True)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print()


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-search.sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--in-custody", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    db = Database(args.db)
    db.upgrade()
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
    if have != args.persons:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons; give a fresh database")
        print(f"populating {args.persons:,} persons, {args.in_custody:,} in custody ...")
        t = time.perf_counter()
        populate(db, args.persons, args.in_custody)
        print(f"  took {time.perf_counter() - t:.0f} s")
    actor = Actor(1, "bench", "Bench", frozenset({Role.CLERK}), "bench")
    with db.read() as uow:
        sample = uow.session.execute(
            select(Person.name_key, Detention.detainee_no, IdentityDocument.number)
            .join(Detention, Detention.person_id == Person.id)
            .join(IdentityDocument, IdentityDocument.person_id == Person.id)
            .where(Detention.status == "in_custody").limit(1)).one()
    name_tokens, number, doc = sample
    family = name_tokens.split()[-1]

    def svc(query):
        def run():
            with db.read() as uow:
                ids = detainees.search_ids(uow, actor, query)
                detainees.rows(uow, actor, ids[:200])
        return run

    raw_conn = db.engine.raw_connection()

    def raw(sql, params):
        def run():
            cur = raw_conn.cursor()
            cur.execute(sql, params)
            ids = [r[0] for r in cur.fetchall()]
            if ids:
                marks = ",".join(["?" if db.dialect == "sqlite" else "%s"] * len(ids[:200]))
                cur.execute(
                    "SELECT d.id, d.detainee_no, p.full_name, c.code, b.name FROM detention d "
                    "JOIN person p ON p.id = d.person_id LEFT JOIN cell c ON c.id = "
                    "d.current_cell_id LEFT JOIN block b ON b.id = c.block_id "
                    f"WHERE d.id IN ({marks})", ids[:200])
                cur.fetchall()
            cur.close()
        return run

    ph = "?" if db.dialect == "sqlite" else "%s"
    held_name_sql = ("SELECT d.id FROM detention d WHERE d.status = 'in_custody' AND "
                     "d.person_id IN (SELECT person_id FROM person_name_token "
                     f"WHERE token >= {ph} AND token < {ph}) "
                     "ORDER BY d.admitted_at DESC, d.id DESC")
    all_name_sql = held_name_sql.replace("d.status = 'in_custody' AND ", "")
    number_sql = (f"SELECT d.id FROM detention d WHERE d.detainee_no >= {ph} AND "
                  f"d.detainee_no < {ph} ORDER BY d.admitted_at DESC")
    doc_sql = ("SELECT d.id FROM detention d JOIN identity_document i ON i.person_id = "
               f"d.person_id WHERE i.number = {ph}")
    cases = [
        ("name, in custody", svc(detainees.DetaineeQuery(family, "in_custody")),
         raw(held_name_sql, (family, family + "\uffff"))),
        ("name, all records", svc(detainees.DetaineeQuery(family, "all")),
         raw(all_name_sql, (family, family + "\uffff"))),
        ("detainee number", svc(detainees.DetaineeQuery(number, "all")),
         raw(number_sql, (number, number + "\uffff"))),
        ("document number", svc(detainees.DetaineeQuery(doc, "all")), raw(doc_sql, (doc,))),
    ]
    print(f"\n{db.dialect}: {args.persons:,} persons, {args.in_custody:,} in custody; "
          f"median / p95 of {args.repeat} runs, ms")
    print(f"{'case':<20} {'service':>16} {'raw SQL':>16} {'ratio':>7}")
    for label, service, baseline in cases:
        s_med, s_p95 = timed(service, args.repeat)
        b_med, b_p95 = timed(baseline, args.repeat)
        print(f"{label:<20} {s_med:7.1f} / {s_p95:6.1f} {b_med:7.1f} / {b_p95:6.1f} "
              f"{s_med / b_med:6.2f}x")

    def dash():
        with db.read() as uow:
            dashboard.dashboard(uow, actor)
    d_med, d_p95 = timed(dash, max(args.repeat // 4, 3))
    print(f"{'dashboard':<20} {d_med:7.1f} / {d_p95:6.1f}")
    raw_conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
