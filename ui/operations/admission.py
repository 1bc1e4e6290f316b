"""Admitting a detainee: checking a step, the identity check, and the admission itself."""

from __future__ import annotations

from depot_app.readmodels import DetaineeRow
from depot_app.services import admission, identity
from depot_app.services.admission import AdmissionCheck, AdmissionRequest
from depot_app.services.identity import Candidate, IdentityQuery
from ui.context import AppContext
from ui.operations.op import DbOp


def validate(ctx: AppContext, request: AdmissionRequest) -> DbOp[AdmissionCheck]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(admission.validate, actor, request),
                label="check admission")


def find_candidates(ctx: AppContext, query: IdentityQuery) -> DbOp[list[Candidate]]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(identity.find_candidates, actor, query),
                label="identity check")


def admit(ctx: AppContext, request: AdmissionRequest) -> DbOp[DetaineeRow]:
    actor = ctx.require_actor()
    return DbOp(ctx, lambda db: db.call(admission.admit, actor, request, write=True),
                label="admit detainee")
