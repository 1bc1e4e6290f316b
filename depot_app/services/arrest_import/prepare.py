"""``preview``: the whole list read, checked and matched, nothing written; and the plan of
how each valid row is admitted, which ``import_arrests`` writes."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.services.arrest_import.matching import (
    _choose,
    _duplicates,
    _known_persons,
    _Refusal,
)
from depot_app.services.arrest_import.model import (
    Cancelled,
    Duplicate,
    ImportCancelled,
    ImportPreview,
    ImportSource,
    KnownPerson,
    PreviewRow,
    Progress,
    RepeatEntrant,
    RowError,
)
from depot_app.services.arrest_import.reading import COLUMNS, _as_source, _columns, read_rows
from depot_app.services.arrest_import.rows import _read_row, _Row
from depot_app.services.setup import current_depot


class _Plan(NamedTuple):
    """How a valid row is admitted."""

    row: _Row
    person_id: int | None  # the person on record it becomes an episode of
    candidates: tuple[tuple[int, float], ...]  # every known person shown, for the audit
    chosen: bool = False  # linked by the clerk to a person matched by name


def preview(uow: UnitOfWork, actor: Actor, source: ImportSource | str | os.PathLike, *,
            links: Mapping[int, int] | None = None, progress: Progress | None = None,
            cancelled: Cancelled | None = None) -> ImportPreview:
    """Read and check the list; nothing is written. Raises ``ValidationError`` (field
    ``file``) when the file itself cannot be used.

    ``links`` (row -> person id) are the clerk's answers to name matches: that row becomes
    a new episode of that person (one of the row's ``known`` persons, matched by name),
    with the row's name kept as an alias and its document added."""
    return _prepare(uow, actor, _as_source(source), _Steps(progress, cancelled, False),
                    links or {})[0]


class _Steps:
    """Progress in rows: checking each row, then matching (a tenth as much), then, for an
    import, writing (as much as checking)."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, writes: bool):
        self.progress, self.cancelled, self.writes = progress, cancelled, writes
        self.rows = 0

    @property
    def matched(self) -> int:
        return self.rows + max(self.rows // 10, 1)

    @property
    def total(self) -> int:
        return self.matched + (self.rows if self.writes else 0)

    def tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()

    def writing(self, fraction: float) -> None:
        self.tick(self.matched + int(self.rows * fraction))


def _prepare(uow: UnitOfWork, actor: Actor, source: ImportSource, steps: _Steps,
             chosen: Mapping[int, int]) -> tuple[ImportPreview, list[_Plan]]:
    actor.require(Permission.ADMIT)
    fmt, header, table = read_rows(source)
    index, ignored = _columns(header)
    depot = current_depot(uow)
    now = uow.now()
    total = steps.rows = len(table)
    rows: list[_Row] = []
    for n, (number, cells) in enumerate(table, start=1):
        rows.append(_read_row(uow, number, cells, index, depot.id, now))
        if n % 100 == 0 or n == total:
            steps.tick(n)

    duplicates = _duplicates(rows)
    rows_by = {r.row: r for r in rows}
    duplicate_of = {d.row: d.duplicate_of for d in duplicates}
    for d in duplicates:
        rows_by[d.row].errors.setdefault(d.field, d.reason)
    known, links = _known_persons(uow, rows)
    known = _choose(rows_by, known, links, chosen)
    first_link: dict[int, int] = {}
    for r in rows:
        link = links.get(r.row)
        if isinstance(link, _Refusal):  # a person on record whom this row cannot become
            r.errors.setdefault(link.field, link.reason)
        elif link is not None and r.row not in duplicate_of:
            # Two documents of one person on record (a passport and an identity card).
            if link[0] in first_link:
                d = Duplicate(r.row, first_link[link[0]], "document_number",
                              f"the same person on record as row {first_link[link[0]]} "
                              f"({link[1]})")
                duplicates.append(d)
                duplicate_of[r.row] = d.duplicate_of
                r.errors.setdefault(d.field, d.reason)
            else:
                first_link[link[0]] = r.row
    steps.tick(steps.matched)

    known_by_row: dict[int, list[KnownPerson]] = defaultdict(list)
    for k in known:
        known_by_row[k.row].append(k)
    preview_rows: list[PreviewRow] = []
    plans: list[_Plan] = []
    for r in rows:
        errors = tuple(RowError(r.row, f, reason) for f, reason in
                       sorted(r.errors.items(), key=lambda e: _column_order(e[0])))
        link = links.get(r.row)
        person_id = link[0] if isinstance(link, tuple) else None
        preview_rows.append(PreviewRow(r.row, r.values, errors, duplicate_of.get(r.row),
                                       tuple(known_by_row[r.row]),
                                       person_id, None if errors else r.request))
        if not errors:
            assert r.checked is not None
            plans.append(_Plan(r, person_id,
                               tuple((k.person_id, k.score) for k in known_by_row[r.row]),
                               r.row in chosen))
    repeat = tuple(RepeatEntrant(k.row, k.person_id, k.full_name, k.previously_removed[0],
                                 k.previously_removed[1], k.match,
                                 rows_by[k.row].request.legal_basis)
                   for k in known if k.previously_removed is not None)
    result = ImportPreview(
        file_name=source.name, sha256=source.sha256, format=fmt,
        columns=tuple(c for c in COLUMNS if c in index), ignored_columns=tuple(ignored),
        rows=tuple(preview_rows),
        rejected=tuple(e for r in preview_rows for e in r.errors),
        duplicates=tuple(sorted(duplicates, key=lambda d: d.row)),
        known_persons=tuple(known), repeat_entrants=repeat)
    return result, plans


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)
