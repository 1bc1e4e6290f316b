"""One small function per user action, each returning a :class:`DbOp` to run in the
background (STYLE.md §3; Anki ``qt/aqt/operations/``). One module per area."""

from ui.operations.op import DbOp

__all__ = ["DbOp"]
