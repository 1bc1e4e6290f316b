"""The bulk SQL under the import: values in chunks for ``IN (...)``, and many rows inserted
at once (ids taken in advance; COPY on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select

from depot_app.database import UnitOfWork

CHUNK = 900  # values in one IN (...): well inside SQLite's and psycopg's limits


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _insert_with_ids(uow: UnitOfWork, model, rows: list[dict]) -> list[int]:
    """Insert through Core (the ORM's bulk path costs ~0.1 ms a row more); the new ids in
    the order of ``rows``.

    The ids are taken first and the rows inserted with them by a plain ``executemany``:
    an ``INSERT ... RETURNING`` over many rows costs far more. SQLite cannot promise the
    order of RETURNING, so SQLAlchemy sends one statement a row (~0.1 ms each); psycopg
    parses each 1,000-row statement's 20,000 placeholders in Python (0.5 s per 1,000).

    PostgreSQL: the ids come from the table's sequence, all in one query. SQLite: a writing
    unit of work holds the database's write lock from its first statement (BEGIN
    IMMEDIATE), so the ids after the largest are ours."""
    if not rows:
        return []
    table = model.__table__
    s = uow.session
    if uow.dialect == "postgresql":
        ids = sorted(s.scalars(
            select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
            .select_from(func.generate_series(1, len(rows)))))
    else:
        start = (s.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
    _bulk_insert(uow, model, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _bulk_insert(uow: UnitOfWork, model, rows: list[dict]) -> None:
    """Many rows of one table, in this unit of work's transaction: on PostgreSQL by COPY
    (psycopg's pipelined ``executemany`` spends ~40 us a row in Python; COPY a tenth of
    that), elsewhere by ``executemany``. Column defaults and bind processing (UTC times)
    are applied as a Core INSERT would apply them."""
    if not rows:
        return
    table = model.__table__
    if uow.dialect != "postgresql":
        uow.session.execute(insert(table), rows)
        return
    dialect = uow.session.get_bind().dialect
    given = set(rows[0])
    columns, defaults, process = [], [], []
    for column in table.columns:
        default = column.default
        if column.key in given:
            columns.append(column.key)
            defaults.append(None)
        elif default is not None and default.is_scalar:
            columns.append(column.key)
            defaults.append(default.arg)
        else:
            continue  # the server's own default (a sequence) or NULL
        process.append(column.type.bind_processor(dialect))
    names = ", ".join(f'"{name}"' for name in columns)
    raw = uow.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[c] if c in given else d for c, d in zip(columns, defaults, strict=True)]
            copy.write_row([v if f is None or v is None else f(v)
                            for v, f in zip(values, process, strict=True)])
