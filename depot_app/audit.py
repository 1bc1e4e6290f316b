"""The audit trail: every change, chained with SHA-256 so that any edit, deletion or
insertion out of order is detectable.

``hash(n) = sha256(hash(n-1) || canonical(event n))``. Appending locks the single
``audit_head`` row, so two workstations writing at once queue rather than fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEvent, AuditHead
from depot_app.actor import Actor

GENESIS = "0" * 64


def _default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(value)  # type: ignore[return-value]
    raise TypeError(f"cannot put {type(value).__name__} in an audit event")


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_default)


@dataclass(frozen=True)
class PendingEvent:
    actor: Actor
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def event_hash(prev_hash: str, seq: int, occurred_at: dt.datetime, user_id: int | None,
               username: str, workstation: str, action: str, entity: str, entity_id: str,
               before: str, after: str) -> str:
    body = canonical({
        "seq": seq, "at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user_id": user_id, "username": username, "workstation": workstation,
        "action": action, "entity": entity, "entity_id": entity_id,
        "before": before, "after": after,
    })
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(session: Session, events: list[PendingEvent], at: dt.datetime) -> None:
    """Write the events at the end of the chain, in this transaction."""
    if not events:
        return
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    seq, prev = head.last_seq, head.last_hash
    at = at.astimezone(dt.UTC)
    for ev in events:
        seq += 1
        before = canonical(ev.before) if ev.before is not None else "null"
        after = canonical(ev.after) if ev.after is not None else "null"
        digest = event_hash(prev, seq, at, ev.actor.user_id, ev.actor.username,
                            ev.actor.workstation, ev.action, ev.entity, ev.entity_id,
                            before, after)
        session.add(AuditEvent(
            seq=seq, occurred_at=at, user_id=ev.actor.user_id, username=ev.actor.username,
            workstation=ev.actor.workstation, action=ev.action, entity=ev.entity,
            entity_id=ev.entity_id, before=before, after=after, prev_hash=prev, hash=digest,
        ))
        prev = digest
    head.last_seq, head.last_hash = seq, prev


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events: int
    broken_seq: int | None = None
    reason: str = ""


def verify(session: Session, batch: int = 5000) -> VerifyReport:
    """Walk the whole chain; name the first event that does not fit."""
    expected_seq, prev = 1, GENESIS
    count = 0
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    ).scalars()
    for ev in rows:
        if ev.seq != expected_seq:
            return VerifyReport(False, count, expected_seq,
                                f"event {expected_seq} is missing (next found is {ev.seq})")
        if ev.prev_hash != prev:
            return VerifyReport(False, count, ev.seq,
                                f"event {ev.seq} does not follow event {ev.seq - 1}")
        digest = event_hash(ev.prev_hash, ev.seq, ev.occurred_at, ev.user_id, ev.username,
                            ev.workstation, ev.action, ev.entity, ev.entity_id, ev.before,
                            ev.after)
        if digest != ev.hash:
            return VerifyReport(False, count, ev.seq, f"event {ev.seq} was altered")
        prev = ev.hash
        expected_seq += 1
        count += 1
    head = session.get(AuditHead, 1)
    if head is None:
        return VerifyReport(False, count, None, "the chain head is missing")
    if head.last_seq != count or head.last_hash != prev:
        return VerifyReport(False, count, count + 1,
                            f"events after {count} were removed (the head records {head.last_seq})")
    return VerifyReport(True, count)
