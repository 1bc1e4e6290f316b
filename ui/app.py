"""Start the window: ``run_gui(database_url)`` (what ``depot`` with no command calls) and
``main()`` (the URL from ``DEPOT_DATABASE_URL`` or the user's data folder)."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from depot_app.database import APP_NAME, default_database_url
from ui import theme
from ui.startup import SessionFlow

log = logging.getLogger("depot.ui")


def log_file() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "depot-ui.log"


def _configure_logging() -> None:
    root = logging.getLogger()
    if any(getattr(h, "_depot", False) for h in root.handlers):
        return
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._depot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setOrganizationName(APP_NAME)
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setQuitOnLastWindowClosed(False)  # the session flow decides when Depot ends
    theme.apply(app)
    return app  # type: ignore[return-value]


def run_gui(database_url: str, *, idle_timeout_ms: int | None = None) -> int:
    """Open the window on this database and run until the user quits; the exit code."""
    _configure_logging()
    app = _application()
    flow = SessionFlow(database_url, idle_timeout_ms=idle_timeout_ms)
    flow.sig_finished.connect(app.exit)

    def excepthook(kind, value, tb):
        # An exception in a Qt virtual method or slot: log it and say so, never vanish.
        text = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception:\n%s", text)
        if isinstance(value, Exception):
            flow.ctx.errors.show(value, None, text)

    previous = sys.excepthook
    sys.excepthook = excepthook
    try:
        flow.start()
        code = app.exec()
    finally:
        sys.excepthook = previous
        flow.finish(0)
    return int(code)


def main() -> int:
    return run_gui(default_database_url())


if __name__ == "__main__":
    raise SystemExit(main())
