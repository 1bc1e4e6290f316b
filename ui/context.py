"""What every page and operation of one running session shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from depot_app.actor import Actor, Permission, this_workstation
from depot_app.readmodels import DepotView
from ui.changebus import ChangeBus
from ui.operations.errors import ErrorPresenter
from ui.worker import DatabaseInfo, DbWorker


@dataclass
class AppContext:
    """The worker, the change bus, the error presenter, and who is logged in where.

    ``actor`` is None until someone logs in. Nothing here is a database object: the
    database lives on the worker.
    """

    worker: DbWorker
    bus: ChangeBus
    errors: ErrorPresenter
    database: DatabaseInfo | None = None
    actor: Actor | None = None
    depot: DepotView | None = None
    workstation: str = field(default_factory=this_workstation)

    def can(self, permission: Permission) -> bool:
        return self.actor is not None and self.actor.can(permission)

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no one is logged in")
        return self.actor
