"""The Court area: deadlines no one can miss, and the production lists.

Two tabs. **Deadlines**: every detention in custody from
:func:`depot_app.services.court.deadlines.board`, what authority holds it and until when,
what must happen, and the next production (see :mod:`ui.court.deadlines_panel`).
**Production list**: who goes to one court on one day, with the officer's actions and the
printed list (see :mod:`ui.court.production_panel`). A line above the tabs says what needs
doing (held past their authority, running out today, tomorrow) and leads to the list.

Every member of staff sees the page; officers (``Permission.MANAGE_COURT``) also schedule,
change, cancel, send to court and record outcomes. The page reloads whenever deadlines or
detainees change (here or at another workstation) and every minute while shown: time alone
makes a detention overdue. All reading and writing runs on the database worker.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import SIGNAL, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import Permission
from depot_app.clock import MYT
from depot_app.readmodels import DetaineeDetail
from depot_app.services.court.views import DeadlineRow, ProductionView
from ui import format as fmt
from ui import theme
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.court import words
from ui.court.cancel_dialog import CancelDialog
from ui.court.deadline_model import ALL, ALL_COURTS, NO_COURT
from ui.court.deadlines_panel import DeadlinesPanel
from ui.court.outcome_dialog import OutcomeDialog, ends_authority_words
from ui.court.production_panel import (
    BACK,
    CANCEL,
    CHANGE,
    OUTCOME,
    SCHEDULE,
    SEND,
    ProductionPanel,
)
from ui.court.schedule_dialog import DEFAULT_HOUR, ScheduleDialog
from ui.movements.outing import ReturnDialog
from ui.operations import court as ops
from ui.operations import detainees as detainee_ops
from ui.operations import printing as print_ops
from ui.printing.actions import can_print
from ui.printing.runner import PrintRunner, tell
from ui.widgets.page import page_header
from ui.widgets.reloader import Reloader

PERIODIC_REFRESH_MS = 60 * 1000
DEADLINES_TAB, PRODUCTIONS_TAB = 0, 1


class CourtPage(QWidget, ChangeAware):
    sig_open_detainee = Signal(int)
    sig_loaded = Signal()          # the deadlines are shown
    sig_list_loaded = Signal()     # the production list is shown
    sig_print_finished = Signal(object)  # the PrintJob, or None

    watched_areas = frozenset({areas.DEADLINES, areas.DETAINEES})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.board: ops.DeadlineBoard | None = None
        self.dialog: QWidget | None = None
        self.runner: PrintRunner | None = None
        self._first_list = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.subtitle = QLabel(ctx.depot.name if ctx.depot else "")
        self.subtitle.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("The lists also refresh by themselves when anything "
                                       "is recorded, and every minute")
        self.refresh_button.clicked.connect(self.refresh)
        layout.addWidget(page_header("Court", self.subtitle, self.refresh_button))

        self.todo = QLabel()
        self.todo.setObjectName("banner")
        self.todo.setWordWrap(True)
        self.todo.setTextFormat(Qt.TextFormat.RichText)
        self.todo.linkActivated.connect(self._todo_link)
        self.todo.hide()
        layout.addWidget(self.todo)
        self.at_court = QLabel()
        self.at_court.setTextFormat(Qt.TextFormat.RichText)
        self.at_court.setWordWrap(True)
        self.at_court.setToolTip("Productions still to go, per court: opens that court's list")
        self.at_court.linkActivated.connect(self._court_link)
        layout.addWidget(self.at_court)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.deadlines = DeadlinesPanel(ctx)
        self.deadlines.sig_open_detainee.connect(self.open_detainee)
        self.deadlines.sig_schedule_requested.connect(self._schedule_row)
        self.productions = ProductionPanel(ctx)
        self.productions.sig_open_detainee.connect(self.open_detainee)
        self.productions.sig_reload_requested.connect(self.reload_list)
        self.productions.sig_action_requested.connect(self.act)
        self.productions.sig_print_requested.connect(self.print_list)
        self.tabs.addTab(self.deadlines, "&Deadlines")
        self.tabs.addTab(self.productions, "Production l&ist")
        layout.addWidget(self.tabs, 1)

        self.reloader = Reloader(self, lambda: ops.deadline_board(self.ctx), self._show,
                                 period_ms=PERIODIC_REFRESH_MS, button=self.refresh_button)
        self.list_reloader = Reloader(
            self, lambda: ops.court_day(self.ctx, self.productions.chosen_court(),
                                        self.productions.chosen_day()),
            self._show_list, period_ms=PERIODIC_REFRESH_MS)
        self.subscribe(ctx.bus)
        self._stale = True  # read on first show, not at login

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self.reloader.refresh()
        self.list_reloader.refresh()

    def reload_list(self) -> None:
        self.list_reloader.refresh()

    def _show(self, board: ops.DeadlineBoard) -> None:
        self.board = board
        depot = self.ctx.depot.name if self.ctx.depot else ""
        self.subtitle.setText(" · ".join(x for x in (
            depot, f"as of {fmt.when(board.as_of)} (Malaysian time)",
            fmt.plural(len(board.rows), "detainee") + " in custody") if x))
        self.deadlines.fill(board.rows, board.as_of)
        counts = _bucket_counts(board.rows)
        bar = self.tabs.tabBar()
        overdue = counts["overdue"]
        self.tabs.setTabText(DEADLINES_TAB, f"&Deadlines ({overdue:,} overdue)" if overdue
                             else "&Deadlines")
        bar.setTabTextColor(DEADLINES_TAB, QColor(theme.DANGER if overdue else theme.INK))
        self._show_todo(board.rows)
        self._show_at_court(board)
        self.sig_loaded.emit()

    def _show_todo(self, rows: tuple[DeadlineRow, ...]) -> None:
        counts = _bucket_counts(rows)
        unscheduled = {b: sum(1 for r in rows if r.bucket == b and r.production_id is None)
                       for b in ("overdue", "today", "tomorrow")}
        # A production for someone already overdue is late by definition: counted there.
        late = sum(1 for r in rows if r.late and r.bucket != "overdue")
        links = []
        for bucket, one, many in (
                ("overdue", "held past their authority", "held past their authority"),
                ("today", "runs out today", "run out today"),
                ("tomorrow", "runs out tomorrow", "run out tomorrow")):
            n = counts[bucket]
            if n:
                text = f"{n:,} {one if n == 1 else many}"
                if unscheduled[bucket]:
                    text += f" ({unscheduled[bucket]:,} with no production)"
                links.append(f'<a href="{bucket}">{text}</a>')
        if late:
            links.append(f'<a href="late">{fmt.plural(late, "production")} after the '
                         f'authority runs out</a>')
        self.todo.setText("⚠ To do: " + " · ".join(links) if links else "")
        self.todo.setVisible(bool(links))

    def _show_at_court(self, board: ops.DeadlineBoard) -> None:
        """"At court today: Kajang (4) · tomorrow: Kajang (6), Shah Alam (3)", each a link
        to that court's list."""
        parts = []
        for offset, word in ((0, "today"), (1, "tomorrow")):
            links = [f'<a href="{offset}|{html.escape(c.court)}">{html.escape(c.court)}</a> '
                     f'({c.today if offset == 0 else c.tomorrow})'
                     for c in board.courts if (c.today if offset == 0 else c.tomorrow)]
            parts.append(f"<b>{word}</b>: " + (", ".join(links) if links else "nobody"))
        self.at_court.setText("At court " + " · ".join(parts))

    def _court_link(self, key: str) -> None:
        offset, _, court = key.partition("|")
        today = words.to_local_date(self.board.as_of) if self.board else None
        day = today + dt.timedelta(days=int(offset)) if today else None
        self.show_production_list(html.unescape(court), day)

    def _todo_link(self, key: str) -> None:
        if key == "late":
            self.show_deadlines("all")
            row = next((r for r in self.board.rows if r.late and r.bucket != "overdue"),
                       None) if self.board else None
            if row is not None:
                self.deadlines.select_detention(row.detention_id)
            return
        self.show_deadlines(key)

    def _show_list(self, found: ops.CourtDay) -> None:
        if self._first_list and not found.sitting:
            # Nobody at court on the day first shown: tomorrow's list, if there is one.
            self._first_list = False
            tomorrow = words.to_local_date(found.as_of) + dt.timedelta(days=1)
            if found.day != tomorrow:
                self.productions.today = words.to_local_date(found.as_of)
                self.productions.set_day(tomorrow)
                return
        self._first_list = False
        self.productions.show_day(found)
        self.sig_list_loaded.emit()

    # -- showing a list -------------------------------------------------------------

    def show_deadlines(self, bucket: str) -> None:
        """The Deadlines tab, narrowed to ``bucket`` (overdue, today, tomorrow, this_week,
        all; anything else shows all), every court; "unscheduled": those with no production
        scheduled."""
        self.tabs.setCurrentIndex(DEADLINES_TAB)
        if bucket == "unscheduled":  # the dashboard's "Not scheduled": every bucket
            self.deadlines.set_court(NO_COURT)
            self.deadlines.set_bucket(ALL)
        else:
            self.deadlines.set_court(ALL_COURTS)
            self.deadlines.set_bucket(bucket)
        self.deadlines.table.setFocus()

    def show_production_list(self, court: str = "", day: dt.date | None = None) -> None:
        self._first_list = False
        self.tabs.setCurrentIndex(PRODUCTIONS_TAB)
        self.productions.choose(court, day)

    def open_detainee(self, detention_id: int) -> None:
        if self.receivers(SIGNAL("sig_open_detainee(int)")) > 0:
            self.sig_open_detainee.emit(detention_id)
            return
        window = self.window()  # not wired to the window's signal: ask it directly
        if hasattr(window, "open_detainee"):
            window.open_detainee(detention_id)

    # -- the officer's actions ------------------------------------------------------

    def _keep(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: tell(self, dialog.confirmation))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _schedule_row(self, row: DeadlineRow) -> ScheduleDialog | None:
        if not self.ctx.can(Permission.MANAGE_COURT):
            return None
        dialog = ScheduleDialog(self.ctx, row.detention_id, self.window())
        self._keep(dialog)
        return dialog

    def act(self, key: str, production: ProductionView | None) -> QWidget | None:
        """Run an action of the production list on ``production``."""
        if not self.ctx.can(Permission.MANAGE_COURT):
            return None
        parent = self.window()
        if key == SCHEDULE:
            dialog = ScheduleDialog(self.ctx, None, parent)
            if self.productions.chosen_court():  # the list on show: its court and day
                dialog.court.setEditText(self.productions.chosen_court())
            day = self.productions.chosen_day()
            if day > self.productions.today:
                dialog.when.set_value(dt.datetime.combine(day, dt.time(DEFAULT_HOUR),
                                                          tzinfo=MYT))
            self._keep(dialog)
            return dialog
        if production is None:
            return None
        if key == CHANGE:
            dialog = ScheduleDialog(self.ctx, parent=parent, production=production)
        elif key == CANCEL:
            dialog = CancelDialog(self.ctx, production, parent)
        elif key == OUTCOME:
            dialog = OutcomeDialog(self.ctx, production, parent)
            dialog.sig_done.connect(lambda _r, d=dialog: self._outcome_recorded(d))
        elif key == SEND:
            return self._confirm_send(production)
        elif key == BACK:
            (detainee_ops.detail(self.ctx, production.detention_id).parent(self)
             .success(self._open_return).run_in_background())
            return None
        else:
            return None
        self._keep(dialog)
        return dialog

    def _confirm_send(self, p: ProductionView) -> QMessageBox:
        escort = f" with {p.escort}" if p.escort else " (no escort recorded)"
        box = QMessageBox(QMessageBox.Icon.Question, "Out to court",
                          f"Record that {p.detainee_no} {p.full_name} leaves the depot now for "
                          f"{p.court}{escort}?\n\nThe detainee stays on the roll as “out” "
                          f"and keeps their cell until the return is recorded.",
                          parent=self.window())
        go = box.addButton("Record going out", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.finished.connect(lambda _r: self.send(p) if box.clickedButton() is go else None)
        self.dialog = box
        box.open()
        return box

    def send(self, p: ProductionView) -> None:
        (ops.send(self.ctx, ops.SendRequest(p.id, p.version, p.detention_version))
         .parent(self).success(lambda _r: tell(self, f"{p.detainee_no} out to {p.court}."))
         .run_in_background())

    def _open_return(self, detail: DetaineeDetail) -> None:
        if not detail.away_reason:
            tell(self, f"{detail.detainee_no} is not recorded as out of the depot.",
                 error=True)
            return
        dialog = ReturnDialog(self.ctx, detail, self.window())
        self._keep(dialog)

    def _outcome_recorded(self, dialog: OutcomeDialog) -> None:
        if not dialog.ended_authority:
            return
        p = dialog.production
        box = QMessageBox(QMessageBox.Icon.Warning, "Held without authority",
                          ends_authority_words(p, dialog.outcome_key()), parent=self.window())
        open_record = box.addButton("Open the record", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_record)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.finished.connect(lambda _r: self.open_detainee(p.detention_id)
                             if box.clickedButton() is open_record else None)
        self.ended_box = box
        box.open()

    # -- printing -------------------------------------------------------------------

    def print_list(self) -> PrintRunner | None:
        court, day = self.productions.chosen_court(), self.productions.chosen_day()
        if self.runner is not None or not can_print(self.ctx) or not court:
            return None
        count = len(self.productions.rows)
        runner = PrintRunner(self.ctx, self, what=f"the production list ({court}, "
                                                  f"{fmt.date(day)})",
                             count=count, subject=f"Production list · {court} · "
                                                  f"{fmt.date(day)}")
        runner.sig_finished.connect(lambda job: self._print_ended(runner, job))
        self.runner = runner
        self.productions.print_button.setEnabled(False)
        runner.run(lambda task: print_ops.print_production_list(self.ctx, court, day, task))
        return runner

    def _print_ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.productions.print_button.setEnabled(bool(self.productions.rows))
        self.sig_print_finished.emit(job)

    # -- life cycle -----------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.reloader.stop()
        self.list_reloader.stop()
        self.unsubscribe()


def _bucket_counts(rows: tuple[DeadlineRow, ...]) -> dict[str, int]:
    counts = dict.fromkeys(("overdue", "today", "tomorrow", "this_week", "later"), 0)
    for r in rows:
        counts[r.bucket] = counts.get(r.bucket, 0) + 1
    return counts
