"""Batch intake of an enforcement operation list, against a raw Core bulk insert, same run.

Builds (once per engine) a register of --register persons (default 100,000), one detention
each: most released, one in twenty removed (with its s.34 stage), a passport for two in
three. Then writes a --rows list (default 10,000) as CSV UTF-8 with a BOM:

* 8 % persons on record, by passport (a new episode each), 1 % of them removed before
  (repeat entrants, s.36);
* 2 % a new passport but the name of a person on record with one letter changed and the
  same date of birth (listed for review);
* 2 % bad rows (impossible dates, unknown nationality, a section no detention may cite,
  arrest in the future, empty name), 1 % repeated rows;
* the rest new persons, with 200 employers by registration number.

Each timed run starts from a fresh copy of the register (SQLite: a file copy; PostgreSQL:
CREATE DATABASE ... TEMPLATE). Median of --repeat runs, interleaved:

* raw baseline: ``csv.reader``, then one Core ``executemany`` per table (person with
  RETURNING, name tokens, documents, detention with RETURNING, stage, movement) in one
  transaction, for the rows the service admits: no checks, no matching, no audit trail;
* ``preview`` (a read unit of work: reads, checks and matches, writes nothing);
* ``import_arrests`` and the commit (one write unit of work);
* ``preview`` of the same list saved as XLSX;
* and once, ``admission.admit`` called row by row for --loop new persons in one unit of
  work: what the import would cost without its bulk path.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--register 100000] [--repeat 3]
    .venv/bin/python bench/bench_import.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

With --db the URL is a server connection: the bench creates its own databases there and
drops them at the end.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from db.models import (  # noqa: E402
    Depot,
    Detention,
    DetentionStage,
    IdentityDocument,
    Movement,
    Person,
    PersonNameToken,
    User,
)
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.clock import MYT  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.names import name_key  # noqa: E402
from depot_app.services import admission, arrest_import, setup  # noqa: E402
from depot_app.services.name_index import token_rows  # noqa: E402

GIVEN = ["MUHAMMAD", "SITI", "NUR", "ABDUL", "RAHMAN", "AUNG", "THANDAR", "NGUYEN", "TRAN",
         "JOSE", "MARIA", "RAJ", "KUMAR", "BISHNU", "SOK", "SOMCHAI", "ALI", "FATIMA", "HASAN",
         "KYAW", "MIN", "VAN", "THI", "ANH", "RAM", "SITA", "IMRAN", "AHMED", "DEWI", "AGUS",
         "RINA", "BUDI", "JOKO", "HTET", "ZAW", "MOE", "ARJUN", "PRIYA", "OMAR", "YUSUF"]
FAMILY = ["RAHMAN", "HOSSAIN", "ISLAM", "SANTOS", "REYES", "NGUYEN", "TRAN", "LE", "PHAM",
          "SHARMA", "THAPA", "GURUNG", "KHAN", "HUSSAIN", "CHAN", "SOK", "SAETANG", "WIJAYA",
          "SETIAWAN", "KUSUMA", "OO", "HTUN", "WIN", "SINGH", "DAS", "ROY", "BEGUM", "AKTER",
          "PUTRA", "SARI", "LIN", "MAUNG", "BAHADUR", "RAI", "TAMANG", "UDDIN"]
NATS = ["IDN", "BGD", "MMR", "PHL", "IND", "NPL", "PAK", "VNM", "KHM", "THA"]
HEADER = ["full_name", "sex", "date_of_birth", "nationality", "document_type",
          "document_number", "arrested_at", "arrest_place", "arresting_agency", "operation",
          "legal_basis", "citizen", "employer_name", "employer_registration_no"]
PASSWORD = "bench password 1"


def name(rnd: random.Random) -> str:
    return f"{rnd.choice(GIVEN)} {rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"


def birth(rnd: random.Random) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=rnd.randrange(35 * 365))


def populate(db: Database, persons: int, seed: int = 1) -> None:
    """The depot and its administrator (first-run set-up), then the register in bulk."""
    with db.write() as uow:
        setup.first_run(uow, setup.FirstRunRequest(
            "SMY", "Depot Imigresen Semenyih", "Selangor", "admin", "Bench Admin", PASSWORD,
            PASSWORD))
    rnd = random.Random(seed)
    now = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    with db.engine.begin() as conn:
        depot_id = conn.execute(select(Depot.id)).scalar_one()
    batch = 20_000
    for start in range(0, persons, batch):
        people, dets, docs, tokens, stages = [], [], [], [], []
        for i in range(start, min(start + batch, persons)):
            full = name(rnd)
            nat = rnd.choice(NATS)
            people.append({"id": i + 1, "full_name": full, "name_key": name_key(full),
                           "sex": rnd.choice("MF"), "nationality": nat, "created_at": now,
                           "date_of_birth": birth(rnd), "version": 1})
            tokens += token_rows(i + 1, [full])
            admitted = now - dt.timedelta(days=rnd.randint(30, 3650))
            removed = i % 20 == 0
            dets.append({"id": i + 1, "detainee_no": f"SMY-{admitted.year}-R{i + 1:06d}",
                         "person_id": i + 1, "depot_id": depot_id, "arrested_at": admitted,
                         "admitted_at": admitted, "status": "removed" if removed else "released",
                         "ended_at": admitted + dt.timedelta(days=20), "version": 1})
            if removed:
                stages.append({"detention_id": i + 1, "section": "s.34",
                               "authority": "removal_order",
                               "starts_at": admitted + dt.timedelta(days=10)})
            if i % 3:
                docs.append({"person_id": i + 1, "doc_type": "passport",
                             "number": f"R{i + 1:08d}", "issuing_state": nat, "version": 1})
        with db.engine.begin() as conn:
            conn.execute(insert(Person), people)
            conn.execute(insert(Detention), dets)
            conn.execute(insert(IdentityDocument), docs)
            conn.execute(insert(PersonNameToken), tokens)
            if stages:
                conn.execute(insert(DetentionStage), stages)
        print(f"  register: {min(start + batch, persons):,} persons", end="\r", flush=True)
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            for table in ("person", "detention", "identity_document", "detention_stage"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
            conn.execute(text("ANALYZE"))
    print()


def operation_list(db: Database, rows: int, seed: int = 2) -> tuple[list[list[str]], int]:
    """The list's rows (header first) and how many of them are good."""
    rnd = random.Random(seed)
    with db.read() as uow:
        s = uow.session
        on_record = s.execute(
            select(Person.full_name, Person.sex, Person.date_of_birth, Person.nationality,
                   IdentityDocument.number, Detention.status)
            .join(IdentityDocument, IdentityDocument.person_id == Person.id)
            .join(Detention, Detention.person_id == Person.id)
            .order_by(Person.id).limit(rows * 3)).all()
    released = [p for p in on_record if p.status == "released"]
    removed = [p for p in on_record if p.status == "removed"]
    arrested = (dt.datetime.now(MYT) - dt.timedelta(days=1)).replace(microsecond=0)
    when = arrested.replace(tzinfo=None).isoformat()
    out = [HEADER]
    fresh: list[list[str]] = []
    picks = {"known": iter(released), "removed": iter(removed), "typo": iter(reversed(released))}
    good = 0
    for i in range(rows):
        employer = rnd.randrange(200)
        common = [when, "Pasar Borong Selayang", "Jabatan Imigresen Malaysia",
                  "Op Kutip 7/2026", rnd.choice(["s.6(1)(c)", "s.15(1)(c)"]), "no",
                  f"Syarikat Contoh {employer} Sdn Bhd", f"{100000 + employer}-K"]
        kind = i % 100
        if kind < 8:  # a person on record, by passport
            p = next(picks["known"])
            row = [p.full_name, p.sex, p.date_of_birth.isoformat(), p.nationality, "passport",
                   p.number, *common]
        elif kind == 8:  # removed before: a repeat entrant
            p = next(picks["removed"])
            row = [p.full_name, p.sex, p.date_of_birth.isoformat(), p.nationality, "passport",
                   p.number, *common]
            row[10] = "s.36"
        elif kind < 11:  # a name on record, one letter changed, same birth date
            p = next(picks["typo"])
            typo = p.full_name[:-2] + p.full_name[-1] + p.full_name[-2]
            row = [typo, p.sex, p.date_of_birth.isoformat(), p.nationality, "passport",
                   f"N{i:08d}", *common]
        elif kind < 13:  # bad
            row = [name(rnd), "M", birth(rnd).isoformat(), rnd.choice(NATS), "passport",
                   f"N{i:08d}", *common]
            bad = (i // 100) % 5
            if bad == 0:
                row[2] = "1990-02-30"
            elif bad == 1:
                row[3] = "XYZ"
            elif bad == 2:
                row[10] = "s.99"
            elif bad == 3:
                row[6] = (arrested + dt.timedelta(days=3)).replace(tzinfo=None).isoformat()
            else:
                row[0] = ""
        elif kind == 13 and fresh:  # a row repeated
            row = list(fresh[-1])
        else:
            row = [name(rnd), rnd.choice("MF"), birth(rnd).isoformat(), rnd.choice(NATS),
                   "passport", f"N{i:08d}", *common]
            fresh.append(row)
        if kind not in (11, 12) and not (kind == 13 and row is not fresh[-1]):
            good += 1
        out.append(row)
    return out, good


def to_csv(table: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(table)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(table: list[list[str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Operation")
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_ids(conn, table: str, count: int) -> list[int]:
    """Ids for rows about to be inserted (as the service takes them: an INSERT ...
    RETURNING over many rows is slow on both drivers)."""
    if conn.dialect.name == "postgresql":
        return sorted(conn.execute(text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
            "FROM generate_series(1, :n)"), {"n": count}).scalars())
    start = (conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1
    return list(range(start, start + count))


def raw_import(db: Database, data: bytes, accepted_rows: set[int]) -> int:
    """The baseline: the accepted rows, parsed and bulk-inserted through Core, no checks."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    col = {h: i for i, h in enumerate(header)}
    now = dt.datetime.now(dt.UTC)
    rows = [r for n, r in enumerate(reader, start=2) if n in accepted_rows]
    with db.engine.begin() as conn:
        depot_id = conn.execute(select(Depot.id)).scalar_one()
        user_id = conn.execute(select(User.id)).scalars().first()
        ids = new_ids(conn, "person", len(rows))
        conn.execute(insert(Person), [{
            "id": pid, "full_name": r[col["full_name"]],
            "name_key": name_key(r[col["full_name"]]), "sex": r[col["sex"]],
            "date_of_birth": dt.date.fromisoformat(r[col["date_of_birth"]]),
            "nationality": r[col["nationality"]], "created_at": now, "version": 1,
        } for pid, r in zip(ids, rows, strict=True)])
        conn.execute(insert(PersonNameToken),
                     [t for pid, r in zip(ids, rows, strict=True)
                      for t in token_rows(pid, [r[col["full_name"]]])])
        conn.execute(insert(IdentityDocument), [{
            "person_id": pid, "doc_type": r[col["document_type"]],
            "number": r[col["document_number"]], "issuing_state": r[col["nationality"]],
            "version": 1} for pid, r in zip(ids, rows, strict=True)])
        arrests = [dt.datetime.fromisoformat(r[col["arrested_at"]]).replace(tzinfo=MYT)
                   for r in rows]
        dids = new_ids(conn, "detention", len(rows))
        conn.execute(insert(Detention), [{
            "id": did, "detainee_no": f"RAW-{uuid.uuid4().hex[:12]}", "person_id": pid,
            "depot_id": depot_id, "arrested_at": at, "admitted_at": now,
            "arrest_place": r[col["arrest_place"]],
            "arresting_agency": r[col["arresting_agency"]],
            "operation_name": r[col["operation"]], "status": "in_custody",
            "admitted_by_id": user_id, "version": 1,
        } for did, pid, r, at in zip(dids, ids, rows, arrests, strict=True)])
        conn.execute(insert(DetentionStage), [{
            "detention_id": did, "section": r[col["legal_basis"]], "authority": "arrest",
            "starts_at": at, "recorded_by_id": user_id}
            for did, r, at in zip(dids, rows, arrests, strict=True)])
        conn.execute(insert(Movement), [{
            "detention_id": did, "kind": "admission", "occurred_at": now,
            "reason": "admitted", "recorded_by_id": user_id, "recorded_at": now}
            for did in dids])
    return len(dids)


class Copies:
    """Fresh copies of the populated register, per engine."""

    def __init__(self, url: str | None, register: int, folder: Path):
        self.folder = folder
        self.register = register
        self.admin = None
        self.created: list[str] = []
        if url is None:
            self.template = Path(tempfile.gettempdir()) / f"depot-bench-import-{register}.sqlite"
            if not self.template.exists():
                self._build(f"sqlite:///{self.template}")
        else:
            self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
            self.base = url
            self.template = f"depot_bench_import_{uuid.uuid4().hex[:6]}"
            self._create(self.template)
            self._build(self._url(self.template))

    def _url(self, database: str) -> str:
        return make_url(self.base).set(database=database).render_as_string(hide_password=False)

    def _create(self, database: str, template: str | None = None) -> None:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{database}"{clause}'))
        self.created.append(database)

    def _build(self, url: str) -> None:
        print(f"building a register of {self.register:,} persons ...")
        t = time.perf_counter()
        db = Database(url)
        db.upgrade()
        populate(db, self.register)
        db.dispose()
        print(f"  took {time.perf_counter() - t:.0f} s")

    def fresh(self) -> Database:
        if self.admin is None:
            path = self.folder / f"run-{uuid.uuid4().hex[:8]}.sqlite"
            shutil.copyfile(self.template, path)
            return Database(f"sqlite:///{path}")
        name = f"{self.template}_{len(self.created)}"
        self._create(name, self.template)
        return Database(self._url(name))

    def close(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as conn:
                for database in reversed(self.created):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            self.admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--register", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop", type=int, default=1000,
                        help="also time admission.admit row by row over this many rows")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        copies = Copies(args.db, args.register, Path(folder))
        try:
            return run(copies, args)
        finally:
            copies.close()


def run(copies: Copies, args) -> int:
    db = copies.fresh()
    with db.read() as uow:
        admin_id = uow.session.scalar(select(User.id).where(User.username == "admin"))
    actor = Actor(admin_id, "admin", "Bench Admin", frozenset({Role.CLERK}), "bench")
    table, good = operation_list(db, args.rows)
    db.dispose()
    data = to_csv(table)
    source = arrest_import.ImportSource("op-kutip-7.csv", data)
    xlsx = arrest_import.ImportSource("op-kutip-7.xlsx", to_xlsx(table))
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in ("raw", "preview", "import",
                                                                   "xlsx")}
    outcome = None

    def timed(key: str, fn, *fn_args):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn(*fn_args)
        times[key].append((time.perf_counter() - wall, time.process_time() - cpu))
        return value

    def read(db: Database, src: arrest_import.ImportSource):
        with db.read() as uow:
            return arrest_import.preview(uow, actor, src)

    def write(db: Database):
        with db.write() as uow:
            return arrest_import.import_arrests(uow, actor, source).value

    for _ in range(args.repeat):
        db = copies.fresh()
        timed("preview", read, db, source)
        outcome = timed("import", write, db)
        timed("xlsx", read, db, xlsx)
        db.dispose()
        db = copies.fresh()
        raw_count = timed("raw", raw_import, db, data, set(outcome.rows))
        db.dispose()
    assert outcome is not None and outcome.accepted == good == raw_count, \
        (outcome.accepted, good, raw_count)
    loop = None
    if args.loop:
        db = copies.fresh()
        with db.read() as uow:
            requests = [r.request for r in arrest_import.preview(uow, actor, source).rows
                        if r.valid and r.linked_person_id is None][:args.loop]
        t = time.perf_counter()
        with db.write() as uow:
            for request in requests:
                admission.admit(uow, actor, request)
        loop = (time.perf_counter() - t) / len(requests)
        db.dispose()
    med = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    p = outcome.preview
    print(f"\n{'sqlite' if copies.admin is None else 'postgresql'}: {args.rows:,} rows "
          f"({p.accepted:,} admitted, {len(p.rejected_rows):,} refused, "
          f"{len(p.duplicates):,} repeated, {sum(k.linked for k in p.known_persons):,} "
          f"episodes of known persons, {sum(k.match == 'name' for k in p.known_persons):,} "
          f"name matches, {len(p.repeat_entrants):,} repeat entrants) against a register of "
          f"{args.register:,}; median of {args.repeat}, seconds (wall, and this process's "
          "CPU)")
    print(f"{'':<40} {'wall':>7} {'ratio':>7} {'CPU':>7} {'ratio':>7}")
    for key, label in (("raw", "raw Core bulk insert (baseline)"),
                       ("preview", "preview (read, check, match)"),
                       ("import", "import_arrests + commit"),
                       ("xlsx", "preview of the same list as XLSX")):
        print(f"{label:<40} {med[key]:7.2f} {med[key] / med['raw']:6.2f}x "
              f"{cpu[key]:7.2f} {cpu[key] / cpu['raw']:6.2f}x")
    print(f"{'rows admitted a second (wall)':<40} {p.accepted / med['import']:7.0f}")
    if loop is not None:
        print(f"{'admission.admit row by row, ms a row':<40} {loop * 1000:7.2f}   "
              f"(x {p.accepted:,} = {loop * p.accepted:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
