"""The medical lists at depot scale, against raw SQL in the same run.

Uses the headcount bench's database builder (PERSONS person records, one detention each,
IN_CUSTODY held now in 40 blocks), then adds the medical record with bulk SQL, not
services: an admission screening for every detention, past or present (a million past
screenings), and for the held about 2 % not yet screened (half of them overdue), 3 % to be
isolated on their latest examination, 5 % with a later follow-up carrying a next
examination date, 1 % with a hospital referral pending (and those away at hospital out on
one), a few back from hospital and not yet seen again, 3 % fit to travel; findings for every
examination and a communicable-disease flag on about 2 % of them (half of those scabies).

Times what the screens call: ``status.board`` (the Medical page, ``depot medical due``),
the dashboard (which reads the board), ``status.statuses`` for a page of 50 detainees,
``outbreak.outbreak_list`` for scabies in one block and in the whole depot, the medical
record of one detainee with a few examinations and the detainee record that carries it;
each against the same queries run raw through the driver (the raw side leaves out the
Python that turns rows into views).

    .venv/bin/python bench/bench_medical.py                    # SQLite, 1,000,000 persons
    .venv/bin/python bench/bench_medical.py --db postgresql+psycopg://postgres@127.0.0.1/bench_medical
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_headcount import NOW, populate, timed  # noqa: E402
from bench_roll import CELLS_SQL, HELD_SQL  # noqa: E402
from sqlalchemy import func, insert, select, text, update  # noqa: E402

from db.models import (  # noqa: E402
    Detention,
    MedicalCondition,
    MedicalExam,
    MedicalFindings,
    MedicalInjury,
    MedicalReferral,
    Movement,
    Person,
)
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.clock import MYT, FixedClock  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.services import dashboard, detainees  # noqa: E402
from depot_app.services.medical import outbreak, status  # noqa: E402

# The migration's own SQL fills what the services keep as they record (see add_medical).
CURRENT = importlib.import_module("db.migrations.versions.0010_medical_current")

EXAMINERS = [("DR. NURUL AINI BINTI HASSAN", "MMC 51234", "gmo"),
             ("AHMAD FAIZAL BIN ROSLI", "MA 20871", "ma")]
# A flag on about 2 % of examinations; half of the flags scabies.
CONDITIONS = ["scabies"] * 10 + ["ili"] * 3 + ["tb"] * 2 + ["diarrhoea"] * 2 + \
             ["chickenpox"] * 2 + ["hepatitis"]
HOSPITALS = ["Hospital Kajang", "Hospital Serdang", "Hospital Kuala Lumpur"]
OUTBREAK_BLOCK = "B07"

HELD = "SELECT id FROM detention WHERE status = 'in_custody' AND depot_id = 1"
WHO = ("d.id, d.detainee_no, d.away_reason, p.full_name, p.sex, p.nationality, c.code, "
       "c.category, b.name")
WHERE_HELD = ("JOIN person p ON p.id = d.person_id LEFT JOIN cell c ON c.id = d.current_cell_id "
              "LEFT JOIN block b ON b.id = c.block_id")


def latest_sql(ids: str) -> str:
    """The ids of these detentions' latest examinations (kept in medical_current)."""
    return f"SELECT exam_id FROM medical_current WHERE detention_id IN ({ids})"


HELD_WHERE = "WHERE d.status = 'in_custody' AND d.depot_id = 1"
BOARD_SQL = [
    # screenings due: the held never screened
    f"SELECT {WHO}, d.admitted_at FROM detention d {WHERE_HELD} "
    f"LEFT JOIN medical_current mc ON mc.detention_id = d.id {HELD_WHERE} "
    "AND mc.screened_at IS NULL",
    # follow-ups, isolation, travel: the held whose latest examination puts them on a list
    f"SELECT {WHO}, e.examined_at, e.next_due_at, e.isolate, e.travel, "
    f"e.fit_to_travel_until, e.unfit_reason FROM detention d {WHERE_HELD} "
    "JOIN medical_current mc ON mc.detention_id = d.id "
    f"JOIN medical_exam e ON e.id = mc.exam_id {HELD_WHERE} AND mc.on_lists",
    # hospital referrals pending or out
    f"SELECT {WHO}, r.hospital, r.urgency, r.status, e.examined_at FROM detention d "
    f"{WHERE_HELD} JOIN medical_referral r ON r.detention_id = d.id "
    f"JOIN medical_exam e ON e.id = r.exam_id {HELD_WHERE} "
    "AND r.status IN ('pending', 'out')",
    # back from hospital, not examined since
    f"SELECT {WHO}, r.hospital, m.occurred_at FROM detention d {WHERE_HELD} "
    "JOIN medical_referral r ON r.detention_id = d.id "
    f"JOIN movement m ON m.id = r.return_movement_id {HELD_WHERE} AND r.status = 'returned'",
]

DASHBOARD_SQL = [
    HELD_SQL, CELLS_SQL,
    "SELECT count(*) FROM detention WHERE status = 'in_custody' AND depot_id = 1 AND "
    "(is_minor OR is_pregnant OR is_disabled OR is_unaccompanied_child)",
    "SELECT id FROM detention ORDER BY admitted_at DESC, id DESC LIMIT 8",
] + BOARD_SQL


def statuses_sql(ids: str) -> list[str]:
    return [
        "SELECT d.id, d.admitted_at, d.status, c.category FROM detention d "
        f"LEFT JOIN cell c ON c.id = d.current_cell_id WHERE d.id IN ({ids})",
        f"SELECT detention_id, screened_at FROM medical_current WHERE detention_id IN ({ids})",
        f"SELECT * FROM medical_exam WHERE id IN ({latest_sql(ids)})",
        "SELECT r.*, e.examined_at, mo.occurred_at, mb.occurred_at FROM medical_referral r "
        "JOIN medical_exam e ON e.id = r.exam_id "
        "LEFT JOIN movement mo ON mo.id = r.out_movement_id "
        "LEFT JOIN movement mb ON mb.id = r.return_movement_id "
        f"WHERE r.detention_id IN ({ids}) AND r.status IN ('pending', 'out')",
        "SELECT * FROM legal_rule WHERE code = 'medical.screening_within'",
    ]


def outbreak_sql(block: str) -> str:
    where = f" AND c.block_id = (SELECT id FROM block WHERE code = '{block}')" if block else ""
    return (f"SELECT {WHO}, p.date_of_birth, e.examined_at, e.examiner_name, e.isolate "
            f"FROM medical_exam e JOIN medical_condition mc ON mc.exam_id = e.id "
            f"AND mc.code = 'scabies' JOIN detention d ON d.id = e.detention_id "
            f"{WHERE_HELD} WHERE e.id IN ({latest_sql(HELD)}){where}")


def record_sql(detention_id: int) -> list[str]:
    exams = f"SELECT id FROM medical_exam WHERE detention_id = {detention_id}"
    return statuses_sql(str(detention_id)) + [
        "SELECT e.*, u.full_name FROM medical_exam e LEFT JOIN app_user u ON "
        f"u.id = e.recorded_by_id WHERE e.detention_id = {detention_id} "
        "ORDER BY e.examined_at DESC, e.id DESC",
        "SELECT r.*, e.examined_at, mo.occurred_at, mb.occurred_at FROM medical_referral r "
        "JOIN medical_exam e ON e.id = r.exam_id "
        "LEFT JOIN movement mo ON mo.id = r.out_movement_id "
        f"LEFT JOIN movement mb ON mb.id = r.return_movement_id WHERE r.exam_id IN ({exams})",
        f"SELECT * FROM medical_injury WHERE exam_id IN ({exams}) ORDER BY id",
        f"SELECT exam_id, code FROM medical_condition WHERE exam_id IN ({exams})",
        f"SELECT * FROM medical_findings WHERE exam_id IN ({exams})",
    ]


# -- building the medical record ------------------------------------------------------------

class Builder:
    """Rows for the medical tables, with ids given here (so findings, flags and referrals
    can name their examination without reading it back)."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self.exam_id = self.referral_id = self.movement_id = 0
        self.exams: list[dict] = []
        self.findings: list[dict] = []
        self.conditions: list[dict] = []
        self.injuries: list[dict] = []
        self.referrals: list[dict] = []
        self.movements: list[dict] = []

    def exam(self, detention_id: int, kind: str, at: dt.datetime, **outcome) -> int:
        rnd = self.rnd
        self.exam_id += 1
        name, reg_no, examiner = rnd.choice(EXAMINERS)
        row = {"id": self.exam_id, "detention_id": detention_id, "kind": kind,
               "examined_at": at, "examiner_name": name, "examiner_reg_no": reg_no,
               "examiner_kind": examiner, "fit_for_detention": True, "isolate": False,
               "refer_hospital": False, "special_diet": "", "travel": "not_assessed",
               "fit_to_travel_until": None, "unfit_reason": "", "instructions": "",
               "next_due_at": None, "recorded_by_id": 1, "recorded_at": at}
        row.update(outcome)
        self.exams.append(row)
        self.findings.append({
            "exam_id": self.exam_id, "temperature_c": Decimal(rnd.choice(("36.6", "36.9",
                                                                           "37.2", "38.1"))),
            "pulse": rnd.randint(60, 100), "resp_rate": rnd.randint(12, 20),
            "bp_systolic": rnd.randint(105, 145), "bp_diastolic": rnd.randint(65, 95),
            "spo2": rnd.randint(95, 100), "weight_kg": Decimal(rnd.randint(450, 800)) / 10,
            "height_cm": rnd.randint(150, 180), "tb_symptoms": "", "chest_xray": "not_taken",
            "chest_xray_note": "", "pregnancy": "not_asked", "pregnancy_weeks": None,
            "chronic_conditions": "", "medication": "", "allergies": "",
            "mental_health": "no_concerns", "mental_health_note": "", "notes": ""})
        if rnd.random() < 0.02:
            self.conditions.append({"exam_id": self.exam_id, "code": rnd.choice(CONDITIONS)})
        return self.exam_id

    def movement(self, detention_id: int, kind: str, at: dt.datetime) -> int:
        self.movement_id += 1
        self.movements.append({"id": self.movement_id, "detention_id": detention_id,
                               "kind": kind, "occurred_at": at, "from_cell_id": None,
                               "to_cell_id": None, "destination": "", "reason": "",
                               "authority": "", "escort": "", "document_ref": "",
                               "recorded_by_id": 1, "recorded_at": at})
        return self.movement_id

    def referral(self, exam_id: int, detention_id: int, state: str, out_at=None,
                 back_at=None) -> None:
        self.referral_id += 1
        self.referrals.append({
            "id": self.referral_id, "exam_id": exam_id, "detention_id": detention_id,
            "hospital": self.rnd.choice(HOSPITALS),
            "urgency": self.rnd.choice(("routine", "routine", "urgent")), "status": state,
            "out_movement_id": self.movement(detention_id, "out_hospital", out_at)
            if out_at else None,
            "return_movement_id": self.movement(detention_id, "return", back_at)
            if back_at else None,
            "version": 1})

    def flush(self, conn) -> None:
        for model, rows in ((MedicalExam, self.exams), (MedicalFindings, self.findings),
                            (MedicalCondition, self.conditions),
                            (MedicalInjury, self.injuries), (Movement, self.movements),
                            (MedicalReferral, self.referrals)):
            if rows:
                conn.execute(insert(model), rows)
            rows.clear()


def between(rnd: random.Random, start: dt.datetime, end: dt.datetime, lo: float,
            hi: float) -> dt.datetime:
    return start + (end - start) * rnd.uniform(lo, hi)


def add_held(b: Builder, d_id: int, admitted: dt.datetime, away: str,
             detailed: bool) -> bool:
    """One held detainee's examinations; False when left unscreened."""
    rnd = b.rnd
    if not detailed and rnd.random() < 0.02:
        return False
    screened = min(admitted + dt.timedelta(hours=rnd.uniform(1, 20)),
                   NOW - dt.timedelta(minutes=30))
    follow = detailed or rnd.random() < 0.05
    travel = detailed or rnd.random() < 0.03
    isolate = rnd.random() < 0.03
    pending = rnd.random() < 0.01
    returned = detailed or rnd.random() < 0.002
    visits = [("screening", screened)]
    if detailed:
        visits.append(("periodic", between(rnd, screened, NOW, 0.1, 0.2)))
    if follow:
        visits.append(("follow_up", between(rnd, screened, NOW, 0.3, 0.6)))
    if travel:
        visits.append(("travel", between(rnd, screened, NOW, 0.7, 0.9)))
    last = {"isolate": isolate, "refer_hospital": pending or returned or away == "hospital"}
    if follow:
        last["next_due_at"] = NOW + dt.timedelta(days=rnd.uniform(-5, 14))
    if travel:
        last["travel"] = "fit"
        last["fit_to_travel_until"] = NOW.astimezone(MYT).date() + dt.timedelta(
            days=rnd.randint(-3, 13))
    for n, (kind, at) in enumerate(visits):
        exam_id = b.exam(d_id, kind, at, **(last if n == len(visits) - 1 else {}))
    at = visits[-1][1]
    if detailed:
        b.injuries.append({"exam_id": exam_id, "body_site": "Left forearm",
                           "description": "Healing abrasion, 3 cm", "explained": True,
                           "explanation": "Fell at the worksite before arrest"})
        if {"exam_id": exam_id - 1, "code": "scabies"} not in b.conditions:
            b.conditions.append({"exam_id": exam_id - 1, "code": "scabies"})
    if away == "hospital":
        b.referral(exam_id, d_id, "out", out_at=between(rnd, at, NOW, 0.2, 0.8))
    elif returned:
        b.referral(exam_id, d_id, "returned", out_at=between(rnd, at, NOW, 0.2, 0.4),
                   back_at=between(rnd, at, NOW, 0.5, 0.9))
    elif pending:
        b.referral(exam_id, d_id, "pending")
    return True


def add_medical(db: Database, persons: int, detailed: int,
                seed: int = 2) -> list[int]:
    """The medical record of every detention, in batches; the ids left unscreened."""
    rnd = random.Random(seed)
    b = Builder(rnd)
    unscreened: list[int] = []
    batch = 20_000
    for start in range(1, persons + 1, batch):
        with db.engine.begin() as conn:
            for d_id, admitted, state, away in conn.execute(
                    select(Detention.id, Detention.admitted_at, Detention.status,
                           Detention.away_reason)
                    .where(Detention.id >= start, Detention.id < start + batch)):
                if state == "in_custody":
                    if not add_held(b, d_id, admitted, away, d_id == detailed):
                        unscreened.append(d_id)
                    continue
                at = admitted + dt.timedelta(hours=rnd.uniform(1, 20))
                exam_id = b.exam(d_id, "screening", at,
                                 refer_hospital=rnd.random() < 0.01)
                if b.exams[-1]["refer_hospital"]:
                    b.referral(exam_id, d_id, "returned",
                               out_at=at + dt.timedelta(days=2),
                               back_at=at + dt.timedelta(days=3))
            b.flush(conn)
        print(f"  examined {min(start + batch - 1, persons):,} detentions", end="\r",
              flush=True)
    print()
    # Half the unscreened came in today: screening due, not yet overdue.
    recent = unscreened[::2]
    with db.engine.begin() as conn:
        for d_id in recent:
            conn.execute(update(Detention).where(Detention.id == d_id).values(
                admitted_at=NOW - dt.timedelta(hours=rnd.uniform(1, 20))))
        # What record_exam keeps as it goes, filled as the migration fills it.
        conn.execute(text("DELETE FROM medical_current"))
        conn.execute(text(CURRENT.FILL_CURRENT))
        conn.execute(text(CURRENT.REVIEW_RETURNED))
        if db.dialect == "postgresql":
            for table in ("medical_exam", "medical_referral", "movement"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    return unscreened


# -- timing ---------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-medical.sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--in-custody", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    db = Database(args.db, clock=FixedClock(NOW))
    db.upgrade()
    detailed = args.persons  # the last held detainee: four examinations, a referral
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
        exams = uow.session.scalar(select(func.count()).select_from(MedicalExam))
    if have != args.persons or not exams:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons and {exams:,} examinations; "
                             f"give a fresh database")
        print(f"populating {args.persons:,} persons, {args.in_custody:,} in custody ...")
        t = time.perf_counter()
        populate(db, args.persons, args.in_custody, history_days=0)
        print(f"  took {time.perf_counter() - t:.0f} s\nadding the medical record ...")
        t = time.perf_counter()
        add_medical(db, args.persons, detailed)
        print(f"  took {time.perf_counter() - t:.0f} s")
    if db.dialect == "postgresql":
        # What autovacuum does soon after a bulk load (statistics and the visibility map).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("detention", "person", "medical_exam", "medical_findings",
                          "medical_condition", "medical_referral", "medical_current",
                          "movement"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
    with db.read() as uow:
        counts = {m.__tablename__: uow.session.scalar(select(func.count()).select_from(m))
                  for m in (MedicalExam, MedicalFindings, MedicalCondition, MedicalReferral)}
    medic = Actor(1, "bench", "Bench Medic", frozenset({Role.MEDICAL}), "bench")
    page = random.Random(3).sample(range(args.persons - args.in_custody + 1,
                                         args.persons + 1), 50)
    page_ids = ", ".join(map(str, page))
    raw_conn = db.engine.raw_connection()

    def raw(statements):
        def run(_i: int) -> None:
            cur = raw_conn.cursor()
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()
            cur.close()
            raw_conn.rollback()
        return run

    def service(fn):
        def run(_i: int) -> None:
            with db.read() as uow:
                fn(uow)
        return run

    real_record = detainees.medical_record

    def detail_alone(_i: int) -> None:
        detainees.medical_record = lambda *_a, **_k: None
        try:
            with db.read() as uow:
                detainees.detail(uow, medic, detailed)
        finally:
            detainees.medical_record = real_record

    cases = [
        ("board", service(lambda u: status.board(u, medic)), raw(BOARD_SQL)),
        ("dashboard", service(lambda u: dashboard.dashboard(u, medic)), raw(DASHBOARD_SQL)),
        ("statuses (50)", service(lambda u: status.statuses(u, medic, page)),
         raw(statuses_sql(page_ids))),
        (f"outbreak {OUTBREAK_BLOCK}",
         service(lambda u: outbreak.outbreak_list(u, medic, "scabies", OUTBREAK_BLOCK)),
         raw([outbreak_sql(OUTBREAK_BLOCK)])),
        ("outbreak (all)", service(lambda u: outbreak.outbreak_list(u, medic, "scabies")),
         raw([outbreak_sql("")])),
        ("record_of (4 exams)", service(lambda u: status.record_of(u, medic, detailed)),
         raw(record_sql(detailed))),
        ("detail (4 exams)", service(lambda u: detainees.detail(u, medic, detailed)),
         raw(record_sql(detailed))),
        ("detail, no medical", detail_alone, None),
    ]
    with db.read() as uow:
        board = status.board(uow, medic)
        sick = outbreak.outbreak_list(uow, medic, "scabies")
        record = status.record_of(uow, medic, detailed)
    print(f"\n{db.dialect}: {args.persons:,} persons, {args.in_custody:,} in custody; "
          + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"board: {len(board.screening_due)} screenings due "
          f"({board.screenings_overdue} overdue), {len(board.follow_ups)} follow-ups, "
          f"{len(board.isolation)} isolation, {len(board.referrals)} referrals, "
          f"{len(board.travel)} travel; scabies {len(sick.rows)} held; record "
          f"{len(record.exams)} exams")
    print(f"median / p95 of {args.repeat} runs, ms")
    print(f"{'case':<22} {'service':>16} {'raw SQL':>16} {'ratio':>7}")
    results = {}
    for label, svc, baseline in cases:
        if svc is None:
            b_med, b_p95 = timed(baseline, args.repeat)
            print(f"{label:<22} {'':>16} {b_med:7.1f} / {b_p95:6.1f}")
            continue
        s_med, s_p95 = timed(svc, args.repeat)
        results[label] = s_med
        if baseline is None:
            print(f"{label:<22} {s_med:7.1f} / {s_p95:6.1f}")
            continue
        b_med, b_p95 = timed(baseline, args.repeat)
        print(f"{label:<22} {s_med:7.1f} / {s_p95:6.1f} {b_med:7.1f} / {b_p95:6.1f} "
              f"{s_med / b_med:6.2f}x")
    raw_conn.close()
    ok = results["board"] < 100
    print(f"\nboard median {results['board']:.1f} ms: {'within' if ok else 'OVER'} the 100 ms "
          f"budget")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
