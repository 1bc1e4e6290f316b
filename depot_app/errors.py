"""Typed errors that services raise and every front end shows in plain words."""

from __future__ import annotations


class DepotError(Exception):
    """Base of every error a user may see."""


class ValidationError(DepotError):
    """Input refused; ``fields`` maps each field name to the reason."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.fields.items()))


class PermissionDenied(DepotError):
    def __init__(self, username: str, permission: str):
        self.username = username
        self.permission = permission
        super().__init__(f"{username} does not have permission to {permission.replace('_', ' ')}")


class NotFound(DepotError):
    def __init__(self, what: str, key: object):
        self.what = what
        self.key = key
        super().__init__(f"no {what} {key}")


class ConflictError(DepotError):
    """A stale edit or a clash with another workstation: reload and try again."""


class AuthenticationFailed(DepotError):
    """Wrong user name or password, or an account that may not log in."""


class AccountLocked(AuthenticationFailed):
    pass


class NotInitialised(DepotError):
    """The database has no depot yet: first-run set-up is needed."""


class Validator:
    """Collects field errors so that one message names every bad field at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, reason: str) -> None:
        self.errors.setdefault(field, reason)

    def require(self, field: str, value: str, *, max_len: int, label: str | None = None) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, f"{label or field} is required")
        elif len(value) > max_len:
            self.add(field, f"{label or field} is longer than {max_len} characters")
        else:
            self.printable(field, value, label)
        return value

    def printable(self, field: str, value: str, label: str | None = None) -> None:
        """Text the databases can store as typed: no control characters but line breaks
        and tabs (PostgreSQL refuses NUL outright)."""
        if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
            self.add(field, f"{label or field} contains a control character: retype it")

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
