"""The Medical area: the depot's medical lists, for every member of staff.

Five lists from :func:`depot_app.services.medical.status.board`: admission screenings due,
examinations due, isolation, hospital referrals and fitness to travel. They carry outcomes
only (who must be screened, moved, escorted or examined; who may travel), never a
diagnosis, so every role sees the same page; medical staff also get the outbreak list.

Each list is a tab whose label counts its rows and turns red when someone must act; a line
above the tabs says what needs doing and leads to the list. Rows that need action are
toned like the roll's overdue headcounts. Double-click or Enter opens the detainee's
record. The page reloads whenever detainees, the roll or medical records change (here or
at another workstation) and every minute while shown (a screening falls due without
anything being written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import Permission
from depot_app.clock import to_local
from depot_app.countries import country_name
from depot_app.services.medical.views import BoardRow, MedicalBoard
from ui import format as fmt
from ui import theme
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.medical.outbreak_dialog import OutbreakDialog
from ui.operations import medical as ops
from ui.widgets.page import page_header
from ui.widgets.record import Card
from ui.widgets.reloader import Reloader
from ui.widgets.tables import list_table

PERIODIC_REFRESH_MS = 60 * 1000
ID_ROLE = Qt.ItemDataRole.UserRole
DANGER, WARN = "danger", "warn"
TONE_INK = {DANGER: theme.DANGER, WARN: theme.WARN_INK}
TONE_BG = {DANGER: "#fdecea", WARN: theme.WARN_BG}
COLUMNS = ("Detainee no.", "Name", "Nationality", "Where")
WHEN, NOTE = 4, 5


@dataclass(frozen=True)
class ListSpec:
    key: str  # the MedicalBoard field
    title: str
    tab: str
    when: str  # the heading of the time column
    about: str
    flagged: str  # what a row needing action is, counted in the title: "3 overdue"
    action: tuple[str, str]  # the same in the line of things to do: "3 screenings overdue"
    tone: str
    empty: str


LISTS = (
    ListSpec("screening_due", "Admission screening due", "Screening due", "Due by",
             "Everyone held who has not had an admission screening, the most overdue first.",
             "overdue", ("screening overdue", "screenings overdue"), DANGER,
             "Everyone held has had an admission screening."),
    ListSpec("follow_ups", "Examinations due", "Examinations due", "Due",
             "Further examinations ordered by medical staff, and detainees back from "
             "hospital who must be examined on their return.",
             "overdue", ("examination overdue", "examinations overdue"), DANGER, "No examination is due."),
    ListSpec("isolation", "Isolation", "Isolation", "Ordered",
             "Detainees whose latest examination requires isolation. Those not yet in an "
             "isolation cell must be moved there by the warden.",
             "not yet in an isolation cell",
             ("detainee to move to an isolation cell", "detainees to move to an isolation cell"),
             DANGER,
             "Nobody is to be isolated."),
    ListSpec("referrals", "Hospital referrals", "Hospital referrals", "Referred",
             "Referrals awaiting escort (record the “To hospital” outing on the record) "
             "and detainees at hospital now.",
             "awaiting escort",
             ("detainee awaiting escort to hospital", "detainees awaiting escort to hospital"),
             WARN,
             "No hospital referral is open."),
    ListSpec("travel", "Fitness to travel", "Fitness to travel", "Valid until",
             "The latest word on each detainee's fitness to travel. A removal needs a "
             "certificate that runs to the day of travel.",
             "expired", ("travel certificate expired", "travel certificates expired"), WARN,
             "Nobody has been assessed for travel."),
)


def span(delta: dt.timedelta) -> str:
    """A stretch of time as a person says it: “45 min”, “3 h”, “4 days”."""
    minutes = max(int(delta.total_seconds() // 60), 1)
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def due_words(when: dt.datetime | None, now: dt.datetime) -> str:
    """“Overdue by 3 h” or “Due in 5 h”."""
    if when is None:
        return ""
    return f"Overdue by {span(now - when)}" if now > when else f"Due in {span(when - now)}"


def _unfit(row: BoardRow) -> bool:
    return row.note.startswith("Unfit")


def _travel_words(row: BoardRow, now: dt.datetime) -> str:
    if row.when is None:
        return row.note
    if _unfit(row):  # the time is the examination's
        reason = row.note.partition(":")[2].strip()
        return (f"Unfit to travel (examined {fmt.date(to_local(row.when).date())})"
                + (f": {reason}" if reason else ""))
    if row.overdue:
        return "Certificate expired: examine again before removal"
    left = (to_local(row.when).date() - to_local(now).date()).days
    return "Fit to travel " + ("(today is the last day)" if left == 0
                               else f"({fmt.plural(left, 'day')} left)")


def note_words(key: str, row: BoardRow, now: dt.datetime) -> str:
    """The note column: what is due and by how much, in words."""
    if key == "screening_due":
        return due_words(row.when, now)
    if key == "follow_ups":
        if row.note.startswith("Back from"):
            return f"{row.note} (back {span(now - row.when)} ago)" if row.when else row.note
        return due_words(row.when, now)
    if key == "isolation" and row.overdue:
        return f"{row.note}: move them"
    if key == "referrals":
        return row.note[:1].upper() + row.note[1:]
    if key == "travel":
        return _travel_words(row, now)
    return row.note


def when_words(key: str, row: BoardRow) -> str:
    if row.when is None:
        return ""
    if key == "travel":
        return "" if _unfit(row) else fmt.date(to_local(row.when).date())
    return fmt.when(row.when)


def nationality(code: str) -> str:
    return country_name(code) or code


def tone_row(table: QTableWidget, r: int, tone: str) -> None:
    """The time and the note of a row that needs action, in the tone's colour and bold."""
    for c in (WHEN, NOTE):
        item = table.item(r, c)
        item.setForeground(QBrush(QColor(TONE_INK[tone])))
        item.setBackground(QBrush(QColor(TONE_BG[tone])))
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)


class BoardList(Card):
    """One medical list: a card titled with its count, what the list is, and its rows."""

    sig_open_detainee = Signal(int)

    def __init__(self, spec: ListSpec, parent: QWidget | None = None):
        super().__init__(spec.title, parent, fill=True)
        self.spec = spec
        self.rows: tuple[BoardRow, ...] = ()
        self.flagged = 0
        self.about = QLabel(spec.about)
        self.about.setObjectName("muted")
        self.about.setWordWrap(True)
        self.table = list_table([*COLUMNS, spec.when, "Note"], NOTE, selectable=True)
        self.table.setToolTip("Double-click or Enter opens the record")
        self.table.itemActivated.connect(self._activated)
        self.empty = QLabel(spec.empty)
        self.empty.setObjectName("muted")
        self.body.addWidget(self.about)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.empty)
        self.body.addStretch(0)

    def fill(self, rows: Sequence[BoardRow], now: dt.datetime) -> None:
        spec, table = self.spec, self.table
        self.rows = tuple(rows)
        self.flagged = sum(1 for r in rows if r.overdue)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            texts = (row.detainee_no, row.full_name, nationality(row.nationality),
                     row.location, when_words(spec.key, row), note_words(spec.key, row, now))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.detention_id)
                if c == NOTE:
                    item.setToolTip(text)
                table.setItem(r, c, item)
            if row.overdue:
                tone_row(table, r, spec.tone)
        table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        title = f"{spec.title} · {len(rows)}"
        if self.flagged:
            title += f" · {self.flagged} {spec.flagged}"
        self.title.setText(title)
        self.title.setStyleSheet(f"color: {TONE_INK[spec.tone]};" if self.flagged else "")

    def tab_text(self) -> str:
        return f"{self.spec.tab} ({len(self.rows)})"

    def _activated(self, item: QTableWidgetItem) -> None:
        detention_id = item.data(ID_ROLE)
        if detention_id is not None:
            self.sig_open_detainee.emit(int(detention_id))


class MedicalPage(QWidget, ChangeAware):
    sig_open_detainee = Signal(int)
    sig_loaded = Signal()

    watched_areas = frozenset({areas.DETAINEES, areas.MEDICAL, areas.ROLL, areas.LOCATIONS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.board: MedicalBoard | None = None
        self.outbreak_dialog: OutbreakDialog | None = None
        self._chose_tab = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.subtitle = QLabel(ctx.depot.name if ctx.depot else "")
        self.subtitle.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("The lists also refresh by themselves whenever an "
                                       "examination or a movement is recorded")
        self.refresh_button.clicked.connect(self.refresh)
        actions: list[QWidget] = []
        self.outbreak_button: QPushButton | None = None
        if ctx.can(Permission.READ_MEDICAL_FINDINGS):
            self.outbreak_button = QPushButton("Outbreak list…")
            self.outbreak_button.setToolTip("Everyone held with a communicable disease flag, "
                                            "by block, to notify and print (medical staff "
                                            "only)")
            self.outbreak_button.clicked.connect(self.open_outbreak)
            actions.append(self.outbreak_button)
        layout.addWidget(page_header("Medical", self.subtitle, *actions, self.refresh_button))

        self.todo = QLabel()
        self.todo.setObjectName("banner")
        self.todo.setWordWrap(True)
        self.todo.setTextFormat(Qt.TextFormat.RichText)
        self.todo.linkActivated.connect(self.show_list)
        self.todo.hide()
        layout.addWidget(self.todo)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.lists: dict[str, BoardList] = {}
        for spec in LISTS:
            card = BoardList(spec)
            card.sig_open_detainee.connect(self.sig_open_detainee)
            self.lists[spec.key] = card
            self.tabs.addTab(card, spec.tab)
        layout.addWidget(self.tabs, 1)

        self.reloader = Reloader(self, lambda: ops.board(self.ctx), self._show,
                                 period_ms=PERIODIC_REFRESH_MS, button=self.refresh_button)
        self.subscribe(ctx.bus)
        # Read on first show, not at login: every role has this area, few open it first.
        self._stale = True

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self.reloader.refresh()

    def _show(self, board: MedicalBoard) -> None:
        self.board = board
        depot = self.ctx.depot.name if self.ctx.depot else ""
        self.subtitle.setText(f"{depot} · as of {fmt.when(board.as_of)} (Malaysian time) · "
                              "outcomes only: findings stay with medical staff")
        bar = self.tabs.tabBar()
        for i, spec in enumerate(LISTS):
            card = self.lists[spec.key]
            card.fill(getattr(board, spec.key), board.as_of)
            self.tabs.setTabText(i, card.tab_text())
            bar.setTabTextColor(i, QColor(TONE_INK[spec.tone] if card.flagged else theme.INK))
        self._show_todo()
        if not self._chose_tab:  # the first time: the first list where someone must act
            self._chose_tab = True
            first = next((i for i, s in enumerate(LISTS) if self.lists[s.key].flagged), 0)
            self.tabs.setCurrentIndex(first)
        self.sig_loaded.emit()

    def _show_todo(self) -> None:
        links = [f'<a href="{s.key}">{fmt.plural(self.lists[s.key].flagged, *s.action)}</a>'
                 for s in LISTS if self.lists[s.key].flagged]
        self.todo.setText("⚠ To do: " + " · ".join(links) if links else "")
        self.todo.setVisible(bool(links))

    def show_list(self, key: str) -> None:
        card = self.lists.get(key)
        if card is not None:
            self.tabs.setCurrentWidget(card)
            card.table.setFocus()

    # -- the outbreak list ----------------------------------------------------------

    def open_outbreak(self) -> OutbreakDialog | None:
        """The outbreak list (medical staff only), kept for the session so that its choice
        of condition and block stays."""
        if not self.ctx.can(Permission.READ_MEDICAL_FINDINGS):
            return None
        if self.outbreak_dialog is None:
            self.outbreak_dialog = OutbreakDialog(self.ctx, self)
        else:
            self.outbreak_dialog.reload()
        self.outbreak_dialog.open()
        self.outbreak_dialog.raise_()
        return self.outbreak_dialog

    # -- life cycle -----------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.reloader.stop()
        self.unsubscribe()
        if self.outbreak_dialog is not None:
            self.outbreak_dialog.close_dialog()
