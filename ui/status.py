"""The status bar: who is logged in, which depot, which database, which workstation, and
the custody deadlines badge.

The badge counts the detentions held past their authority (overdue) and those whose
authority ends today. It is a permanent widget: no message covers it, it has no close
button, and while anything is overdue it cannot be hidden. It reads the counts on the
database worker when it starts, whenever a change touches the deadlines (here or at
another workstation) and every minute (time alone makes a detention overdue). A click asks
the main window for the Court area's deadlines (``sig_open_requested`` with the bucket).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStatusBar, QWidget

from depot_app import changes as areas
from depot_app.actor import ROLE_LABELS, Permission
from depot_app.changes import Changes
from depot_app.errors import DepotError
from depot_app.services.court.views import DeadlineSummary
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.operations import deadlines as ops

BUSY_AFTER_MS = 400
DEADLINES_EVERY_MS = 60 * 1000

BADGE_STYLE = f"""
QPushButton#deadlineBadge {{
    border: 1px solid transparent; border-radius: 3px; padding: 1px 10px;
    color: {theme.MUTED}; background: transparent;
}}
QPushButton#deadlineBadge[tone="danger"] {{
    color: white; background: {theme.DANGER}; border-color: #8c1d17; font-weight: 700;
}}
QPushButton#deadlineBadge[tone="warn"] {{
    color: {theme.WARN_INK}; background: {theme.WARN_BG}; border-color: #ecd28b;
    font-weight: 600;
}}
QPushButton#deadlineBadge:hover {{ text-decoration: underline; }}
"""


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setStyleSheet("color: #c9d1da;")
    return line


def badge_words(s: DeadlineSummary) -> tuple[str, str, str]:
    """The badge's text, its tone (danger, warn or quiet "") and the bucket a click opens."""
    if s.overdue:
        text = f"⚠ Deadlines: {s.overdue:,} overdue"
        if s.today:
            text += f" · {s.today:,} due today"
        return text, "danger", "overdue"
    if s.today:
        text = f"Deadlines: {s.today:,} due today"
        if s.tomorrow:
            text += f" · {s.tomorrow:,} tomorrow"
        return text, "warn", "today"
    if s.tomorrow:
        return f"Deadlines: {s.tomorrow:,} due tomorrow", "", "tomorrow"
    return "Deadlines: none due today", "", "this_week" if s.this_week else ""


def badge_tip(s: DeadlineSummary) -> str:
    lines = [f"Custody authority as of {fmt.when(s.as_of)} (Malaysian time), "
             f"{fmt.plural(s.held, 'detainee')} in custody:",
             f"• {s.overdue:,} overdue: held past their authority",
             f"• {s.today:,} ending today, {s.tomorrow:,} tomorrow, "
             f"{s.this_week:,} later this week"]
    if s.unscheduled:
        lines.append(f"• {s.unscheduled:,} of them with no production scheduled")
    lines.append("Click to open the deadlines.")
    return "\n".join(lines)


class DeadlineBadge(QPushButton):
    sig_open_requested = Signal(str)  # the bucket: overdue, today, tomorrow, this_week, ""
    sig_updated = Signal(object)  # the DeadlineSummary shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary: DeadlineSummary | None = None
        self.bucket = ""
        self.active = False
        self.loading = False
        self._again = False
        self.setObjectName("deadlineBadge")
        self.setStyleSheet(BADGE_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click; never takes a form's focus
        self.setAutoDefault(False)
        self._set("Deadlines: …", "", "Reading the custody deadlines…")
        self._timer = QTimer(self)
        self._timer.setInterval(DEADLINES_EVERY_MS)
        self._timer.timeout.connect(self.refresh)
        self.clicked.connect(lambda: self.sig_open_requested.emit(self.bucket))

    @property
    def tone(self) -> str:
        return self.property("tone") or ""

    @property
    def must_show(self) -> bool:
        """While anything is overdue the badge stays on screen."""
        return bool(getattr(self, "active", False) and self.summary is not None
                    and self.summary.overdue)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt API
        if not visible and self.must_show:
            return  # not while a detention is held past its authority
        super().setVisible(visible)

    # -- running --------------------------------------------------------------------

    def start(self) -> None:
        """Read the counts now, then on every change to the deadlines and every minute."""
        if self.active:
            return
        self.active = True
        self.ctx.bus.changed.connect(self._on_changes)
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        """No more reading (locked, logged out, closing)."""
        if not self.active:
            return
        self.active = False
        self._again = False
        self._timer.stop()
        try:
            self.ctx.bus.changed.disconnect(self._on_changes)
        except (RuntimeError, TypeError):
            pass  # the bus went first

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(areas.DEADLINES):
            self.refresh()

    def refresh(self) -> None:
        if not self.active or self.ctx.actor is None:
            return
        if self.loading:
            self._again = True
            return
        self.loading = True
        (ops.summary(self.ctx).parent(self.window()).finished(self._finished)
         .success(self.show_summary).failure(self._failed).run_in_background())

    def _finished(self) -> None:
        self.loading = False
        if self._again and self.active:
            self._again = False
            self.refresh()

    def _failed(self, exc: DepotError) -> None:
        why = f"The custody deadlines could not be read again: {exc}"
        if self.summary is not None and self.summary.overdue:  # keep the alarm up
            text, tone, _ = badge_words(self.summary)
            self._set(f"{text} (not re-read)", tone, why)
            return
        self._set("Deadlines: not read", "", why)

    # -- showing --------------------------------------------------------------------

    def show_summary(self, s: DeadlineSummary) -> None:
        self.summary = s
        text, tone, self.bucket = badge_words(s)
        self._set(text, tone, badge_tip(s))
        self.sig_updated.emit(s)

    def _set(self, text: str, tone: str, tip: str) -> None:
        self.setText(text)
        self.setToolTip(tip)
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            self.style().unpolish(self)
            self.style().polish(self)


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
        self.deadlines = DeadlineBadge(ctx)
        self.addPermanentWidget(self.deadlines)
        self.deadlines.setVisible(ctx.can(Permission.VIEW_DETAINEES))
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
        self.start_deadlines()

    def start_deadlines(self) -> None:
        """The badge runs for everyone who may see the detainees (after login, unlock)."""
        if self.ctx.can(Permission.VIEW_DETAINEES):
            self.deadlines.start()

    def stop_deadlines(self) -> None:
        self.deadlines.stop()

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
