"""Who is acting, from which workstation, and what each role may do."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import StrEnum

from depot_app.errors import PermissionDenied


class Role(StrEnum):
    CLERK = "clerk"
    WARDEN = "warden"
    MEDICAL = "medical"
    OFFICER = "officer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.CLERK: "Clerk",
    Role.WARDEN: "Warden",
    Role.MEDICAL: "Medical staff",
    Role.OFFICER: "Officer",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    VIEW_DETAINEES = "view detainees"
    ADMIT = "admit detainees"
    MOVE = "record movements"
    READ_MEDICAL_FINDINGS = "read medical findings"
    RECORD_MEDICAL = "record medical examinations"
    MANAGE_COURT = "manage court productions"
    MANAGE_REMOVAL = "manage removal and costs"
    ISSUE_MEMOS = "issue check-out memos"
    MANAGE_USERS = "manage users"
    MANAGE_LOCATIONS = "manage blocks and cells"
    MANAGE_RULES = "amend legal periods and amounts"
    OVERRIDE_CAPACITY = "place a detainee in a full cell"
    VIEW_AUDIT = "view the audit trail"
    PRINT = "print documents"
    LOAD_DEMO = "load demonstration data"


_ALL_STAFF = {Permission.VIEW_DETAINEES, Permission.PRINT}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_ALL_STAFF | {Permission.ADMIT}),
    Role.WARDEN: frozenset(_ALL_STAFF | {Permission.MOVE}),
    Role.MEDICAL: frozenset(_ALL_STAFF | {Permission.READ_MEDICAL_FINDINGS,
                                          Permission.RECORD_MEDICAL}),
    Role.OFFICER: frozenset(_ALL_STAFF | {Permission.MOVE, Permission.MANAGE_COURT,
                                          Permission.MANAGE_REMOVAL, Permission.ISSUE_MEMOS,
                                          Permission.OVERRIDE_CAPACITY}),
    # Administrators run the system; they do not read medical findings.
    Role.ADMIN: frozenset(_ALL_STAFF | {Permission.MANAGE_USERS, Permission.MANAGE_LOCATIONS,
                                        Permission.VIEW_AUDIT, Permission.LOAD_DEMO,
                                        Permission.MANAGE_RULES}),
}


def this_workstation() -> str:
    return socket.gethostname() or "unknown"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    full_name: str
    roles: frozenset[Role]
    workstation: str

    @property
    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(self.username, permission.value)

    @staticmethod
    def system(purpose: str, workstation: str | None = None) -> Actor:
        """The actor for work no user has logged in to do yet (first-run set-up, login)."""
        return Actor(None, f"system:{purpose}", "System", frozenset(),
                     workstation or this_workstation())
