"""The operation object every user action returns (Anki ``CollectionOp``/``QueryOp``).

    detainees.search(ctx, query).success(show_ids).run_in_background()

``fn(db)`` runs on the database worker. On the GUI thread afterwards:

* if it returned a :class:`~depot_app.changes.Result` (a mutation), its ``Changes`` are
  published on the app-wide :class:`~ui.changebus.ChangeBus` and the success callback gets
  ``result.value``; otherwise the success callback gets the return value as it is;
* an expected error (a :class:`~depot_app.errors.DepotError`) goes to the ``failure``
  callback if one was given, else to the error presenter;
* an unexpected error is always logged with its traceback and shown: a failure callback
  is for errors a form can explain (field errors, a wrong password), not for faults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from depot_app.changes import Result
from depot_app.database import Database
from depot_app.errors import DepotError
from ui.worker import Job

if TYPE_CHECKING:
    from ui.context import AppContext

T = TypeVar("T")


class DbOp(Generic[T]):
    def __init__(self, ctx: AppContext, fn: Callable[[Database], Any], *, label: str,
                 parent: QWidget | None = None):
        self._ctx = ctx
        self._fn = fn
        self.label = label
        self._parent = parent
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[DepotError], None] | None = None
        self._finished: Callable[[], None] | None = None

    def success(self, callback: Callable[[T], None]) -> DbOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[DepotError], None]) -> DbOp[T]:
        self._failure = callback
        return self

    def finished(self, callback: Callable[[], None]) -> DbOp[T]:
        """Called first when the work is done, either way (to end a busy state), then the
        success or failure callback."""
        self._finished = callback
        return self

    def parent(self, widget: QWidget | None) -> DbOp[T]:
        self._parent = widget
        return self

    def run_in_background(self) -> Job:
        return self._ctx.worker.submit(self._fn, on_success=self._on_success,
                                       on_failure=self._on_failure, label=self.label)

    # -- on the GUI thread ----------------------------------------------------------

    def _on_success(self, result: Any) -> None:
        if self._finished is not None:
            self._finished()
        if isinstance(result, Result):
            self._ctx.bus.publish(result.changes)
            result = result.value
        if self._success is not None:
            self._success(result)

    def _on_failure(self, exc: BaseException) -> None:
        if self._finished is not None:
            self._finished()
        if isinstance(exc, DepotError) and self._failure is not None:
            self._failure(exc)
        else:
            self._ctx.errors.show(exc, self._parent, "".join(_format(exc)))


def _format(exc: BaseException) -> list[str]:
    import traceback

    return traceback.format_exception(type(exc), exc, exc.__traceback__)
