"""The status bar: who is logged in, which depot, which database, which workstation."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar, QWidget

from depot_app.actor import ROLE_LABELS
from ui.context import AppContext

BUSY_AFTER_MS = 400


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setStyleSheet("color: #c9d1da;")
    return line


class SessionStatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setSizeGripEnabled(False)
        self.message = QLabel()
        self.addWidget(self.message, 1)
        self.busy = QLabel("Working…")
        self.busy.hide()
        self.addPermanentWidget(self.busy)
        self.user = QLabel()
        self.depot = QLabel()
        self.database = QLabel()
        self.workstation = QLabel()
        for label in (self.user, self.depot, self.database, self.workstation):
            self.addPermanentWidget(_separator())
            self.addPermanentWidget(label)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.timeout.connect(lambda: self.say(""))
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        ctx.worker.sig_busy_changed.connect(self._busy_changed)
        self.update_session()

    def update_session(self) -> None:
        actor = self.ctx.actor
        if actor is not None:
            roles = ", ".join(ROLE_LABELS[r] for r in sorted(actor.roles))
            self.user.setText(f"{actor.full_name} ({roles})")
            self.user.setToolTip(f"Logged in as {actor.username}")
        self.depot.setText(self.ctx.depot.name if self.ctx.depot else "")
        if self.ctx.database is not None:
            self.database.setText(self.ctx.database.display)
            self.database.setToolTip(self.ctx.database.url)
        self.workstation.setText(f"Workstation {self.ctx.workstation}")

    def say(self, text: str, *, error: bool = False, seconds: int = 8) -> None:
        self.message.setObjectName("statusError" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        if text:
            self._clear.start(seconds * 1000)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()
