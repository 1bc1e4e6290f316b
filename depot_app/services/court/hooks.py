"""What other services tell the court records (kept apart so that they need not import
the court services, which use theirs)."""

from __future__ import annotations

from sqlalchemy import select

from db.models import CourtProduction, Detention, Movement


def on_out(session, detention: Detention, movement: Movement, day_start,
           production_id: int | None = None) -> int | None:
    """The detainee leaves for court: the production named (the Court page's "Out to
    court"), or else the one scheduled for them today or later (the record's "To court"),
    goes with them."""
    q = select(CourtProduction).where(CourtProduction.detention_id == detention.id,
                                      CourtProduction.status == "scheduled")
    q = q.where(CourtProduction.id == production_id) if production_id is not None \
        else q.where(CourtProduction.scheduled_at >= day_start)
    p = session.scalars(q.order_by(CourtProduction.scheduled_at).limit(1)).first()
    if p is None:
        return None
    p.out_movement_id, p.status = movement.id, "out"
    return p.id


def on_return(session, detention: Detention, movement: Movement) -> int | None:
    """The detainee is back from court: the production they went out for notes the return."""
    p = session.scalars(select(CourtProduction).where(
        CourtProduction.detention_id == detention.id, CourtProduction.out_movement_id.is_not(None),
        CourtProduction.return_movement_id.is_(None))
        .order_by(CourtProduction.id.desc()).limit(1)).first()
    if p is None:
        return None
    p.return_movement_id = movement.id
    return p.id


def on_departure(session, detention: Detention, words: str) -> list[int]:
    """Custody ended: a production still to come will not happen (cancelled), and one under
    way without an outcome ends with the custody (closed: released from court, say)."""
    ended = []
    for p in session.scalars(select(CourtProduction).where(
            CourtProduction.detention_id == detention.id,
            CourtProduction.status.in_(("scheduled", "out")))):
        p.status = "cancelled" if p.status == "scheduled" else "closed"
        p.outcome_note = f"Custody ended: {words}"
        ended.append(p.id)
    return ended
