"""Today at a glance."""

from __future__ import annotations

from depot_app.readmodels import DashboardView
from depot_app.services import dashboard
from ui.context import AppContext
from ui.operations.op import DbOp


def load(ctx: AppContext) -> DbOp[DashboardView]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(dashboard.dashboard, actor), label="load dashboard")
