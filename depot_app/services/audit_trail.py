"""Reading the audit trail: verifying the chain (administrators)."""

from __future__ import annotations

from depot_app import audit
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork


def verify_chain(uow: UnitOfWork, actor: Actor) -> audit.VerifyReport:
    actor.require(Permission.VIEW_AUDIT)
    return audit.verify(uow.session)
