"""Reading headcounts: a count as the warden sees it (who is expected, counted, missing,
unexpected, away), the open count of a block, and when each block is next due. The rule
for what is a discrepancy lives here once (``discrepancy``, as ``CountEntryView`` reads
it), for the screen, the sheet and ``headcount.close_count``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from db.models import Block, Cell, Detention, Headcount, HeadcountEntry, Person, User
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound
from depot_app.readmodels import CountDueView, CountEntryView, HeadcountView
from depot_app.services import settings
from depot_app.services.places import cell_words, location
from depot_app.services.setup import current_depot


def count_view(uow: UnitOfWork, actor: Actor, headcount_id: int) -> HeadcountView:
    """One count with its entries, ordered by where each detainee is now, then number."""
    actor.require(Permission.VIEW_DETAINEES)
    return view_of(uow, count_row(uow, headcount_id))


def open_count_for_block(uow: UnitOfWork, actor: Actor, block_id: int) -> HeadcountView | None:
    actor.require(Permission.VIEW_DETAINEES)
    count = uow.session.scalars(
        select(Headcount).where(Headcount.depot_id == current_depot(uow).id,
                                Headcount.block_id == block_id,
                                Headcount.status == "open")).first()
    return view_of(uow, count) if count is not None else None


def counts_due(uow: UnitOfWork, actor: Actor) -> tuple[CountDueView, ...]:
    """Every block of the depot, by code: when it was last counted (closed), when the next
    count is due and whether that is past (a block never counted is overdue)."""
    actor.require(Permission.VIEW_DETAINEES)
    interval = dt.timedelta(hours=settings.headcount_interval_hours(uow))
    now = uow.now()
    # Each sub-select is a range of ix_headcount_block_closed: closed_at is set when closed.
    last_closed = (select(func.max(Headcount.closed_at))
                   .where(Headcount.block_id == Block.id).scalar_subquery())
    open_id = (select(Headcount.id)
               .where(Headcount.block_id == Block.id, Headcount.closed_at.is_(None),
                      Headcount.status == "open")
               .order_by(Headcount.id).limit(1).scalar_subquery())
    due = []
    for block_id, code, name, last, running in uow.session.execute(
            select(Block.id, Block.code, Block.name, last_closed, open_id)
            .where(Block.depot_id == current_depot(uow).id).order_by(Block.code)):
        due_at = last + interval if last is not None else None
        due.append(CountDueView(block_id=block_id, block_code=code, block_name=name,
                                last_closed_at=last, due_at=due_at,
                                overdue=due_at is None or now > due_at,
                                open_count_id=running))
    return tuple(due)


def recent_counts(uow: UnitOfWork, actor: Actor, limit: int = 20) -> tuple[HeadcountView, ...]:
    """The latest counts of this depot, newest first. For speed their ``entries`` and
    ``away`` are left empty (so ``expected``/``counted`` read 0 here): open one with
    ``count_view`` to see its entries and totals."""
    actor.require(Permission.VIEW_DETAINEES)
    starter, closer = aliased(User), aliased(User)
    found = uow.session.execute(
        select(Headcount, Block.name, starter.full_name, closer.full_name)
        .outerjoin(Block, Block.id == Headcount.block_id)
        .join(starter, starter.id == Headcount.started_by_id)
        .outerjoin(closer, closer.id == Headcount.closed_by_id)
        .where(Headcount.depot_id == current_depot(uow).id)
        .order_by(Headcount.started_at.desc(), Headcount.id.desc())
        .limit(max(int(limit), 0)))
    return tuple(_header(c, block or "", by, closed_by or "", (), ())
                 for c, block, by, closed_by in found)



# --- helpers (shared with headcount.py) ---------------------------------------------

def count_row(uow: UnitOfWork, headcount_id: int, lock: str = "") -> Headcount:
    """The count of this depot; locked ``FOR SHARE`` (ticks) or ``FOR UPDATE`` (close)."""
    stmt = select(Headcount).where(Headcount.id == headcount_id,
                                   Headcount.depot_id == current_depot(uow).id)
    if lock:
        stmt = stmt.with_for_update(read=lock == "share")
    count = uow.session.scalars(stmt).first()
    if count is None:
        raise NotFound("headcount", headcount_id)
    return count


def block_name(uow: UnitOfWork, count: Headcount) -> str:
    if count.block_id is None:
        return "the whole depot"
    return uow.session.scalar(select(Block.name).where(Block.id == count.block_id)) or ""


def _back_unseen(r, block_id: int | None) -> bool:
    """Away when the count started, back in one of the block's cells now, and not counted:
    on the block's roll and unaccounted for."""
    return (bool(r.away) and r.counted_at is None and r.status == "in_custody"
            and not r.away_reason and r.block_now is not None and r.block_now == block_id)


def discrepancy(r, block_id: int | None) -> str:
    """The same rule as ``CountEntryView.discrepancy``, on a row of the database."""
    if r.counted_at is None and (r.expected or _back_unseen(r, block_id)):
        return "missing"
    away_now = r.status == "in_custody" and bool(r.away_reason)
    if r.counted_at is not None and (away_now or not (r.expected or r.away)):
        return "unexpected"
    return ""


def _entries(rows, block_id: int | None) -> tuple[tuple[CountEntryView, ...],
                                                  tuple[CountEntryView, ...]]:
    """(entries, away), each sorted by the cell counted in, then number. Someone away at the
    start who is back in the block is among the entries (counted, or missing)."""
    entries, away = [], []
    for r in rows:
        back_unseen = _back_unseen(r, block_id)
        view = CountEntryView(detention_id=r.detention_id, detainee_no=r.detainee_no,
                              full_name=r.full_name,
                              location=location(r.status, r.away_reason, r.cell_code,
                                              r.block_name),
                              expected=r.expected, counted_at=r.counted_at,
                              counted_by=r.counted_by, resolution=r.resolution,
                              cell=(cell_words(r.counted_block, r.counted_cell)
                                    if r.counted_cell else ""),
                              away_at_start=bool(r.away), back_unseen=back_unseen,
                              away_now=r.status == "in_custody" and bool(r.away_reason))
        (entries if r.expected or r.counted_at is not None or back_unseen
         else away).append(view)

    def order(e: CountEntryView) -> tuple[str, str]:
        return e.cell or e.location, e.detainee_no
    return tuple(sorted(entries, key=order)), tuple(sorted(away, key=order))


def in_block(block_id: int):
    """Held in one of the block's cells. Said as ``IN (cells)``, not a join on the cell's
    block: SQLite then ranges (status, current_cell_id) per cell rather than reading all
    20,000 held (22 ms against 0.2 ms in bench/bench_headcount.py)."""
    return Detention.current_cell_id.in_(select(Cell.id).where(Cell.block_id == block_id))


def view_of(uow: UnitOfWork, count: Headcount) -> HeadcountView:
    s = uow.session
    names = dict(s.execute(select(User.id, User.full_name).where(
        User.id.in_([i for i in (count.started_by_id, count.closed_by_id) if i is not None]))
    ).tuples().all())
    counted_cell, counted_block = aliased(Cell), aliased(Block)
    rows = s.execute(
        select(HeadcountEntry.detention_id, Detention.detainee_no, Person.full_name,
               Detention.status, Detention.away_reason, Cell.code.label("cell_code"),
               Block.name.label("block_name"), HeadcountEntry.expected,
               HeadcountEntry.counted_at, HeadcountEntry.counted_by, HeadcountEntry.resolution,
               HeadcountEntry.away, Cell.block_id.label("block_now"),
               counted_cell.code.label("counted_cell"),
               counted_block.name.label("counted_block"))
        .join(Detention, Detention.id == HeadcountEntry.detention_id)
        .join(Person, Person.id == Detention.person_id)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .outerjoin(Block, Block.id == Cell.block_id)
        .outerjoin(counted_cell, counted_cell.id == HeadcountEntry.cell_id)
        .outerjoin(counted_block, counted_block.id == counted_cell.block_id)
        .where(HeadcountEntry.headcount_id == count.id))
    entries, away = _entries(rows, count.block_id)
    return _header(count, block_name(uow, count) if count.block_id else "",
                   names.get(count.started_by_id, ""), names.get(count.closed_by_id, ""),
                   entries, away)


def _header(count: Headcount, block_name: str, started_by: str, closed_by: str,
            entries: tuple[CountEntryView, ...],
            away: tuple[CountEntryView, ...]) -> HeadcountView:
    return HeadcountView(id=count.id, version=count.version, block_id=count.block_id,
                         block_name=block_name, status=count.status,
                         started_at=count.started_at, started_by=started_by,
                         closed_at=count.closed_at, closed_by=closed_by, entries=entries,
                         away=away)
