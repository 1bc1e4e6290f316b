"""Errors in words a clerk understands, and the one place they are shown.

Expected errors are :class:`~depot_app.errors.DepotError` subclasses; their messages are
already plain words. Anything else is a fault: it is logged with its traceback and shown
with a short message that says where the details are.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from depot_app.errors import (
    AuthenticationFailed,
    ConflictError,
    DepotError,
    NotFound,
    PermissionDenied,
    ValidationError,
)

log = logging.getLogger("depot.ui")

FIELD_ERROR_STYLE = "color: #b3261e;"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def title_for(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "Please check the form"
    if isinstance(exc, PermissionDenied):
        return "Not permitted"
    if isinstance(exc, ConflictError):
        return "Changed elsewhere"
    if isinstance(exc, NotFound):
        return "Not found"
    if isinstance(exc, AuthenticationFailed):
        return "Cannot log in"
    if isinstance(exc, DepotError):
        return "Cannot do that"
    return "Something went wrong"


# An operational error that is about the schema, not the connection (SQLite and PostgreSQL).
SCHEMA_WORDS = re.compile(r"no such (table|column)|has no column named|"
                          r"(column|relation) .* does not exist", re.IGNORECASE)


def describe(exc: BaseException) -> str:
    """One or two sentences for the user."""
    if isinstance(exc, ValidationError):
        return "\n".join(f"• {_sentence(reason)}" for reason in exc.fields.values())
    if isinstance(exc, PermissionDenied):
        return (f"Your account does not have permission to {exc.permission}. "
                "Ask an administrator if your work needs it.")
    if isinstance(exc, NotFound):
        return f"There is no {exc.what} {exc.key}."
    if isinstance(exc, DepotError):
        return _sentence(str(exc))
    kind = type(exc)
    if kind.__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")) and \
            "Operational" in kind.__name__:
        first = str(exc).splitlines()[0] if str(exc) else kind.__name__
        first = re.sub(r"^\([\w.]+\)\s*", "", first)  # SQLAlchemy's "(driver.Error) " prefix
        if SCHEMA_WORDS.search(first):  # it answered: its tables are not what Depot expects
            return ("The database's tables do not match this version of Depot. Close Depot "
                    "and start it again (it brings the database up to date), or ask the "
                    f"administrator.\n\nThe database said: {first[:200]}")
        return ("The database did not answer. Check the network or the server and try "
                f"again.\n\nThe database said: {first[:200]}")
    first = str(exc).splitlines()[0] if str(exc) else ""
    return (f"An unexpected error stopped this action: {kind.__name__}"
            f"{': ' + first[:200] if first else ''}.\nThe details are in the log.")


class ErrorPresenter(QObject):
    """Shows errors without blocking the caller (window-modal ``open()``, not ``exec()``).

    ``sig_error_shown(title, text)`` fires for each one, so tests can wait on it; set
    ``dialogs_enabled = False`` to record without showing.
    """

    sig_error_shown = Signal(str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dialogs_enabled = True
        self.last: tuple[str, str] | None = None
        self._open: set[QMessageBox] = set()

    def show(self, exc: BaseException, parent: QWidget | None = None,
             traceback_text: str = "") -> None:
        if not isinstance(exc, DepotError):
            log.error("unexpected error: %r\n%s", exc, traceback_text or "(no traceback)")
        title, text = title_for(exc), describe(exc)
        self.last = (title, text)
        self.sig_error_shown.emit(title, text)
        if not self.dialogs_enabled:
            return
        owner = parent if parent is not None and parent.isVisible() else \
            QApplication.activeWindow()
        icon = QMessageBox.Icon.Warning if isinstance(exc, DepotError) else \
            QMessageBox.Icon.Critical
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, owner)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # Without a parent the box is Python's: hold it until it is closed, or it would be
        # deleted the moment this method returns.
        self._open.add(box)
        box.finished.connect(lambda _result, b=box: self._open.discard(b))
        box.open()
