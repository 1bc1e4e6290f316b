"""First run: the depot and its first administrator, on an empty database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import Depot, User
from depot_app import changes as areas
from depot_app.actor import Actor, Role
from depot_app.changes import Changes, Result
from depot_app.database import UnitOfWork
from depot_app.errors import ConflictError, NotInitialised, Validator
from depot_app.readmodels import DepotView
from depot_app.services.users import NewUser, check_new_user, create_user

DEPOT_CODE = re.compile(r"^[A-Z]{2,6}$")


@dataclass(frozen=True)
class FirstRunRequest:
    depot_code: str
    depot_name: str
    depot_state: str
    admin_username: str
    admin_full_name: str
    admin_password: str
    admin_password_again: str


def is_initialised(uow: UnitOfWork) -> bool:
    has_depot = uow.session.scalar(select(func.count()).select_from(Depot)) > 0
    has_user = uow.session.scalar(select(func.count()).select_from(User)) > 0
    return has_depot and has_user


def current_depot(uow: UnitOfWork) -> DepotView:
    depot = uow.session.scalars(select(Depot).order_by(Depot.id).limit(1)).first()
    if depot is None:
        raise NotInitialised("no depot has been set up in this database yet")
    return DepotView(depot.id, depot.code, depot.name, depot.state, depot.address)


def first_run(uow: UnitOfWork, request: FirstRunRequest,
              workstation: str | None = None) -> Result[DepotView]:
    """Create the depot and the first administrator; refused once a depot exists."""
    if is_initialised(uow):
        raise ConflictError("this database is already set up; log in instead")
    v = Validator()
    code = v.require("depot_code", request.depot_code.upper(), max_len=6, label="Depot code")
    if code and not DEPOT_CODE.match(code):
        v.add("depot_code", "Depot code must be 2 to 6 letters, e.g. SMY")
    name = v.require("depot_name", request.depot_name, max_len=120, label="Depot name")
    state = request.depot_state.strip()
    if len(state) > 60:
        v.add("depot_state", "State is longer than 60 characters")
    admin = NewUser(request.admin_username, request.admin_full_name, (Role.ADMIN,),
                    request.admin_password)
    check_new_user(v, admin, field_prefix="admin_")
    if request.admin_password != request.admin_password_again:
        v.add("admin_password_again", "The two passwords differ")
    v.check()

    actor = Actor.system("first-run", workstation)
    depot = Depot(code=code, name=name, state=state, address="", created_at=uow.now())
    uow.session.add(depot)
    uow.session.flush()
    uow.record(actor, "depot.create", "depot", depot.id, None,
               {"code": code, "name": name, "state": state})
    create_user(uow, actor, admin, field_prefix="admin_")
    uow.touch(Changes.of(areas.DEPOT, areas.USERS))
    return Result(DepotView(depot.id, depot.code, depot.name, depot.state, depot.address),
                  uow.changes)


