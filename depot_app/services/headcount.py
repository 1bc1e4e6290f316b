"""Headcounts (roll calls): a warden counts one block and accounts for every difference.

* ``start_count`` snapshots who is expected: detainees in custody in a cell of the block
  and not away. Those on the block's roll but out at court, hospital or an embassy are
  kept too, as entries neither expected nor counted, and shown in ``HeadcountView.away``
  (so a closed count still says who was away); scanned later (back from court), they
  become unexpected entries like anyone else. In the table an entry is expected, or
  unexpected and counted, or (not expected, not counted) away at the start.
  One count may be open per block; the block row is locked while that is checked.
* ``tick`` marks one detainee counted, by a scanned card (``how="scan"``) or by hand.
  Someone held in this depot but not expected here is recorded as an unexpected entry.
  Ticking one already counted changes nothing (scanners read twice) and returns the view
  as it is. Two workstations may tick the same count at once: a tick neither needs nor
  bumps the count's version (``expected_version`` is taken for symmetry with
  ``close_count``, which alone enforces it); the entry's unique key and a conditional
  UPDATE make a double tick harmless. On PostgreSQL a tick holds the count's row
  ``FOR SHARE`` and closing takes it ``FOR UPDATE``, so no tick lands on a count being
  closed; on SQLite a writing unit of work holds the database lock.
* ``close_count`` needs a resolution for every missing and every unexpected entry (all
  that lack one are named at once, nothing is written) and the version the warden saw.
* Counts are due ``settings.headcount_interval_hours`` after a block's last closed count;
  ``counts_due`` flags the overdue and the never counted.

Audit: starting and closing are audited (the close with every figure, discrepancy and
resolution); so are ticks that rest on a warden's word (by hand), unexpected entries and
unticks. A scanned tick is evidenced by its entry (time and "scan") and summed in the close
event, so a 500-detainee count does not write 500 audit events.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import Block, Cell, Detention, Headcount, HeadcountEntry, User
from depot_app import changes as areas
from depot_app.actor import Actor, Permission
from depot_app.changes import Changes, Result
from depot_app.clock import format_local
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, ValidationError, Validator
from depot_app.readmodels import HeadcountView
from depot_app.services.headcount_views import (  # noqa: F401 - the reading API, re-exported
    block_name,
    count_row,
    count_view,
    counts_due,
    discrepancy,
    in_block,
    open_count_for_block,
    recent_counts,
    view_of,
)
from depot_app.services.setup import current_depot

__all__ = ["HOW", "RESOLUTION_LEN", "close_count", "count_view", "counts_due",
           "open_count_for_block", "recent_counts", "start_count", "tick", "untick"]

HOW = ("scan", "hand")
RESOLUTION_LEN = 500
# How a detention that has ended is described: "Detainee X was released on ...".
LEFT_WORDS = {"released": "was released", "removed": "was removed", "transferred":
              "was transferred to another depot", "absconded": "absconded", "deceased": "died"}


# --- writing -------------------------------------------------------------------------

def start_count(uow: UnitOfWork, actor: Actor, block_id: int) -> Result[HeadcountView]:
    """Open a count of one block with the list of who is expected there now."""
    actor.require(Permission.MOVE)
    s = uow.session
    depot_id = current_depot(uow).id
    block = s.scalars(select(Block).where(Block.id == block_id, Block.depot_id == depot_id)
                      .with_for_update()).first()
    if block is None:
        raise ValidationError({"block_id": f"There is no block with id {block_id} in this depot"})
    running = s.execute(
        select(Headcount.started_at, User.full_name)
        .join(User, User.id == Headcount.started_by_id)
        .where(Headcount.block_id == block.id, Headcount.status == "open")).first()
    if running is not None:
        raise ValidationError({"block_id": (
            f"{block.name} already has a count open, started by {running.full_name} at "
            f"{format_local(running.started_at)}: close that count before starting another")})
    now = uow.now()
    count = Headcount(depot_id=depot_id, block_id=block.id, started_at=now,
                      started_by_id=actor.user_id, status="open")
    s.add(count)
    s.flush()
    s.execute(insert(HeadcountEntry).from_select(
        ["headcount_id", "detention_id", "expected", "away", "counted_by", "resolution",
         "cell_id"],
        select(literal(count.id), Detention.id, Detention.away_reason == "",
               Detention.away_reason != "", literal(""), literal(""), Detention.current_cell_id)
        .where(in_block(block.id), Detention.status == "in_custody",
               Detention.depot_id == depot_id)))
    view = view_of(uow, count)
    uow.record(actor, "headcount.start", "headcount", count.id, None,
               {"block_id": block.id, "block": block.name, "expected": view.expected,
                "away": [e.detainee_no for e in view.away]})
    uow.touch(Changes.of(areas.ROLL))
    return Result(view, uow.changes)


def tick(uow: UnitOfWork, actor: Actor, headcount_id: int, expected_version: int, *,
         detainee_no: str = "", detention_id: int | None = None,
         how: str = "scan") -> Result[HeadcountView]:
    """Mark one detainee counted: by ``detention_id`` when given, else by ``detainee_no``.

    ``expected_version`` is not checked: ticks from several workstations do not conflict.
    A detainee already counted gives the unchanged view and no changes."""
    actor.require(Permission.MOVE)
    s = uow.session
    count = count_row(uow, headcount_id, lock="share")
    v = Validator()
    if how not in HOW:
        v.add("how", "A tick is made by scanning a card or by hand")
    _still_open(count, uow)
    found = _held(uow, v, detainee_no, detention_id)
    v.check()
    assert found is not None
    held_id, number = found
    entry = s.execute(select(HeadcountEntry.id, HeadcountEntry.expected,
                             HeadcountEntry.counted_at)
                      .where(HeadcountEntry.headcount_id == count.id,
                             HeadcountEntry.detention_id == held_id)).first()
    now = uow.now()
    if entry is not None:
        if entry.counted_at is not None:
            return Result(view_of(uow, count), Changes())
        written = s.execute(
            update(HeadcountEntry)
            .where(HeadcountEntry.id == entry.id, HeadcountEntry.counted_at.is_(None))
            .values(counted_at=now, counted_by=how)
            .execution_options(synchronize_session=False)).rowcount
        expected = entry.expected  # False: away at the start, back and seen now
    else:
        dialect_insert = postgresql.insert if uow.dialect == "postgresql" else sqlite.insert
        written = s.execute(
            dialect_insert(HeadcountEntry.__table__)
            .values(headcount_id=count.id, detention_id=held_id, expected=False,
                    counted_at=now, counted_by=how, resolution="",
                    cell_id=select(Detention.current_cell_id)
                    .where(Detention.id == held_id).scalar_subquery())
            .on_conflict_do_nothing(index_elements=["headcount_id", "detention_id"])
            # SQLAlchemy does not keep an INSERT's rowcount on psycopg: ask for the row back.
            .returning(HeadcountEntry.__table__.c.id)).first() is not None
        expected = False
    if not written:  # another workstation ticked them a moment ago
        return Result(view_of(uow, count), Changes())
    if how == "hand" or not expected:
        uow.record(actor, "headcount.tick", "headcount", count.id, None,
                   {"detention_id": held_id, "detainee_no": number, "how": how,
                    "expected": expected})
    uow.touch(Changes.of(areas.ROLL))
    return Result(view_of(uow, count), uow.changes)


def untick(uow: UnitOfWork, actor: Actor, headcount_id: int,
           detention_id: int) -> Result[HeadcountView]:
    """Undo a tick made by mistake: an expected detainee is uncounted again, an unexpected
    entry is removed entirely (even one who was away at the start: the audit event keeps
    it). Someone not counted gives the unchanged view."""
    actor.require(Permission.MOVE)
    s = uow.session
    count = count_row(uow, headcount_id, lock="share")
    _still_open(count, uow)
    entry = s.execute(
        select(HeadcountEntry.id, HeadcountEntry.expected, HeadcountEntry.away,
               HeadcountEntry.counted_at, HeadcountEntry.counted_by, Detention.detainee_no)
        .join(Detention, Detention.id == HeadcountEntry.detention_id)
        .where(HeadcountEntry.headcount_id == count.id,
               HeadcountEntry.detention_id == detention_id)).first()
    if entry is None:
        number = s.scalar(select(Detention.detainee_no).where(Detention.id == detention_id))
        who = f"Detainee {number}" if number else f"No detainee with id {detention_id}"
        raise ValidationError({"detention_id": f"{who} is not on this count"})
    if entry.counted_at is None:
        return Result(view_of(uow, count), Changes())
    if entry.expected or entry.away:  # on the block's roll at the start: the entry stays
        s.execute(update(HeadcountEntry)
                  .where(HeadcountEntry.id == entry.id)
                  .values(counted_at=None, counted_by="")
                  .execution_options(synchronize_session=False))
    else:
        s.execute(delete(HeadcountEntry).where(HeadcountEntry.id == entry.id)
                  .execution_options(synchronize_session=False))
    uow.record(actor, "headcount.untick", "headcount", count.id,
               {"detention_id": detention_id, "detainee_no": entry.detainee_no,
                "expected": entry.expected, "counted_at": entry.counted_at,
                "how": entry.counted_by},
               {"removed": not (entry.expected or entry.away)})
    uow.touch(Changes.of(areas.ROLL))
    return Result(view_of(uow, count), uow.changes)


def close_count(uow: UnitOfWork, actor: Actor, headcount_id: int, expected_version: int,
                resolutions: dict[int, str]) -> Result[HeadcountView]:
    """Close a count. Every missing and every unexpected entry needs a resolution in
    ``resolutions`` (detention id → words); each lacking one is named under
    ``resolution:<detention_id>``. Resolutions for entries that add up are ignored."""
    actor.require(Permission.MOVE)
    s = uow.session
    count = count_row(uow, headcount_id, lock="update")
    if count.version != expected_version:
        raise ConflictError(f"The count of {block_name(uow, count)} was changed at another "
                            f"workstation (closed?): reload it and try again")
    _still_open(count, uow)
    given: dict[int, str] = {}
    for key, words in (resolutions or {}).items():
        try:
            given[int(key)] = (words or "").strip()
        except (TypeError, ValueError):
            continue
    rows = s.execute(
        select(HeadcountEntry.id, HeadcountEntry.detention_id, HeadcountEntry.expected,
               HeadcountEntry.away, HeadcountEntry.counted_at, HeadcountEntry.counted_by,
               Detention.detainee_no, Detention.status, Detention.away_reason,
               Cell.block_id.label("block_now"))
        .join(Detention, Detention.id == HeadcountEntry.detention_id)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .where(HeadcountEntry.headcount_id == count.id)
        .order_by(Detention.detainee_no)).all()
    v = Validator()
    resolved: list[tuple[int, str, str, str]] = []  # entry id, number, kind, resolution
    away: list[str] = []
    for r in rows:
        kind = discrepancy(r, count.block_id)
        if r.away and r.counted_at is None and kind == "":
            away.append(r.detainee_no)
        if kind == "":
            continue
        key = f"resolution:{r.detention_id}"
        words = given.get(r.detention_id, "")
        if not words:
            v.add(key, _unresolved(r, kind))
        elif len(words) > RESOLUTION_LEN:
            v.add(key, f"The resolution for {r.detainee_no} is longer than "
                       f"{RESOLUTION_LEN} characters")
        resolved.append((r.id, r.detainee_no, kind, words))
    v.check()

    for entry_id, _number, _kind, words in resolved:
        s.execute(update(HeadcountEntry).where(HeadcountEntry.id == entry_id)
                  .values(resolution=words).execution_options(synchronize_session=False))
    before_version = count.version
    count.status = "closed"
    count.closed_at = uow.now()
    count.closed_by_id = actor.user_id
    s.flush()
    counted = [r for r in rows if r.counted_at is not None]
    uow.record(actor, "headcount.close", "headcount", count.id,
               {"status": "open", "version": before_version},
               {"status": "closed", "block_id": count.block_id,
                "block": block_name(uow, count),
                "expected": sum(1 for r in rows if r.expected), "counted": len(counted),
                "by_scan": sum(1 for r in counted if r.counted_by == "scan"),
                "by_hand": sum(1 for r in counted if r.counted_by == "hand"),
                "missing": [{"detainee_no": n, "resolution": w}
                            for _, n, k, w in resolved if k == "missing"],
                "unexpected": [{"detainee_no": n, "resolution": w}
                               for _, n, k, w in resolved if k == "unexpected"],
                "away": away})
    uow.touch(Changes.of(areas.ROLL))
    return Result(view_of(uow, count), uow.changes)


# --- helpers -------------------------------------------------------------------------

def _unresolved(r, kind: str) -> str:
    """What a discrepancy without its resolution asks for, in a warden's words."""
    if kind == "missing" and r.away:
        return (f"{r.detainee_no} came back to the block during the count and was not "
                f"counted: say where they are")
    if kind == "missing":
        return f"{r.detainee_no} was not counted: say what became of them"
    if r.status == "in_custody" and r.away_reason:
        return (f"{r.detainee_no} is recorded as out ({r.away_reason}) but was counted here: "
                f"record their return, and say so")
    return f"{r.detainee_no} was counted but not expected in this block: say why"


def _still_open(count: Headcount, uow: UnitOfWork) -> None:
    if count.status != "open":
        who = uow.session.scalar(select(User.full_name).where(User.id == count.closed_by_id))
        raise ValidationError({"headcount_id": (
            f"The count of {block_name(uow, count)} was closed at "
            f"{format_local(count.closed_at)}{f' by {who}' if who else ''}: start a new count")})


def _held(uow: UnitOfWork, v: Validator, detainee_no: str,
          detention_id: int | None) -> tuple[int, str] | None:
    """(detention id, number) of a detainee held in this depot, else the reason in ``v``."""
    if detention_id is not None:
        field, where = "detention_id", Detention.id == detention_id
        shown = f"with id {detention_id}"
    else:
        number = "".join((detainee_no or "").split()).upper()
        if not number:
            v.add("detainee_no", "Scan the detainee's card or type the detainee number")
            return None
        field, where, shown = "detainee_no", Detention.detainee_no == number, number
    found = uow.session.execute(
        select(Detention.id, Detention.detainee_no, Detention.status, Detention.ended_at,
               Detention.depot_id).where(where)).first()
    if found is None or found.depot_id != current_depot(uow).id:
        v.add(field, f"No detainee {shown} is held in this depot")
        return None
    if found.status != "in_custody":
        left = LEFT_WORDS.get(found.status, found.status.replace("_", " "))
        when = f" on {format_local(found.ended_at)}" if found.ended_at else ""
        v.add(field, f"Detainee {found.detainee_no} {left}{when}: not held in this depot")
        return None
    return found.id, found.detainee_no
