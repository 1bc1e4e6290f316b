"""The Production list tab: who goes to one court on one day, by time.

Choose the court (the courts known, or type a new one) and the day (Today and Tomorrow are
one click); a line above the list names every court sitting that day with how many are
listed, each a link. A production at or after the detainee's authority runs out is flagged
AFTER EXPIRY. Officers act on the row chosen: schedule another, change, cancel, out to
court, back from court (the return movement), the outcome. Everyone may print the list.

The panel only gathers the choice and shows the answer; the page runs the loads and
opens the dialogs (``sig_*_requested``).
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import Permission
from depot_app.clock import MYT
from depot_app.services.court.views import ProductionView
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.court import words
from ui.court.schedule_dialog import court_combo, fill_courts
from ui.operations.court import CourtDay
from ui.printing.actions import can_print
from ui.widgets.tables import list_table

HEADERS = ("Time", "Detainee no.", "Name", "Nationality", "Section", "Authority until",
           "Status", "Purpose", "Escort")
TIME, NUMBER, NAME, NATIONALITY, SECTION, UNTIL, STATUS, PURPOSE, ESCORT = range(len(HEADERS))
ID_ROLE = Qt.ItemDataRole.UserRole
# The actions on a production, by what may be done at its status.
SCHEDULE, CHANGE, CANCEL, SEND, BACK, OUTCOME = (
    "schedule", "change", "cancel", "send", "back", "outcome")
ACTIONS = (
    (SCHEDULE, "&Schedule…", "Put a detainee on a court's list (type the detainee number)"),
    (CHANGE, "C&hange…", "Another court, time or escort for the production chosen"),
    (CANCEL, "Cance&l…", "Take the production chosen off the list (the reason is kept)"),
    (SEND, "Out to &court", "Record the detainee leaving for court now, with the escort"),
    (BACK, "&Back from court…", "Record the return to the depot (the detainee's cell is "
                                "kept while away)"),
    (OUTCOME, "Record &outcome…", "What the court decided: detention order, remand, "
                                  "charge, release or conviction"),
)


def allowed(p: ProductionView | None) -> set[str]:
    """The actions open on ``p`` as it stands (scheduling another is always open)."""
    if p is None:
        return {SCHEDULE}
    if p.status == "scheduled":
        return {SCHEDULE, CHANGE, CANCEL, SEND, OUTCOME}
    if p.status == "out":
        return {SCHEDULE, OUTCOME} | ({BACK} if p.came_back_at is None else set())
    return {SCHEDULE}


def day_words(day: dt.date, today: dt.date, *, start: bool = True) -> str:
    """"Tomorrow, Friday 04/12/2026" (``start``: at the start of a sentence)."""
    name = day.strftime("%A %d/%m/%Y")
    word = {0: "today", 1: "tomorrow", -1: "yesterday"}.get((day - today).days)
    if word is None:
        return name
    return f"{word.capitalize() if start else word}, {name}"


class ProductionPanel(QWidget):
    sig_reload_requested = Signal()
    sig_open_detainee = Signal(int)
    sig_action_requested = Signal(str, object)  # the action key, the ProductionView or None
    sig_print_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.current: CourtDay | None = None
        self.today = dt.datetime.now(MYT).date()  # until the database says
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        court_label = QLabel("Co&urt")
        self.court = court_combo("Choose a court, or type its name")
        self.court.setMinimumWidth(340)
        court_label.setBuddy(self.court)
        self.court.activated.connect(lambda _i: self.sig_reload_requested.emit())
        self.court.lineEdit().returnPressed.connect(self.sig_reload_requested)
        day_label = QLabel("Da&y")
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd dd/MM/yyyy")
        self.day.setMinimumWidth(150)
        day_label.setBuddy(self.day)
        self.day.dateChanged.connect(lambda _d: self.sig_reload_requested.emit())
        self.today_button = QPushButton("Today")
        self.today_button.clicked.connect(lambda: self.set_day(self.today))
        self.tomorrow_button = QPushButton("Tomorrow")
        self.tomorrow_button.clicked.connect(
            lambda: self.set_day(self.today + dt.timedelta(days=1)))
        for w in (court_label, self.court):
            bar.addWidget(w)
        bar.addSpacing(14)
        for w in (day_label, self.day, self.today_button, self.tomorrow_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.print_button = QPushButton("&Print list…")
        self.print_button.setToolTip("This court's list for the day on A4, with photos, for "
                                     "the escort and the court: preview, then print")
        theme.mark_primary(self.print_button)
        self.print_button.clicked.connect(self.sig_print_requested)
        bar.addWidget(self.print_button)
        if not can_print(ctx):
            self.print_button.hide()
        layout.addLayout(bar)

        self.sitting = QLabel()
        self.sitting.setTextFormat(Qt.TextFormat.RichText)
        self.sitting.setWordWrap(True)
        self.sitting.linkActivated.connect(self._court_link)
        layout.addWidget(self.sitting)
        self.title = QLabel("Reading the list…")
        self.title.setObjectName("sectionTitle")
        layout.addWidget(self.title)
        self.table = list_table(list(HEADERS), ESCORT, selectable=True)
        self.table.setToolTip("Double-click or Enter opens the record")
        self.table.itemActivated.connect(self._activated)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty)
        layout.addStretch(0)

        actions = QHBoxLayout()
        actions.setSpacing(6)
        self.open_button = QPushButton("Open record")
        self.open_button.clicked.connect(self._open_selected)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        self.action_buttons: dict[str, QPushButton] = {}
        if ctx.can(Permission.MANAGE_COURT):
            for key, text, tip in ACTIONS:
                button = QPushButton(text)
                button.setToolTip(tip)
                button.clicked.connect(lambda _=False, k=key: self.request(k))
                self.action_buttons[key] = button
                actions.addWidget(button)
        layout.addLayout(actions)
        self.rows: tuple[ProductionView, ...] = ()
        self.set_day(self.today, reload=False)
        self._selection_changed()

    # -- the choice -----------------------------------------------------------------

    def chosen_court(self) -> str:
        return self.court.currentText().strip()

    def chosen_day(self) -> dt.date:
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_day(self, day: dt.date, *, reload: bool = True) -> None:
        if day == self.chosen_day():
            if reload:
                self.sig_reload_requested.emit()
            return
        if not reload:
            self.day.blockSignals(True)
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.day.blockSignals(False)

    def choose(self, court: str, day: dt.date | None = None) -> None:
        """Show ``court`` on ``day`` (the day chosen when None)."""
        self.court.setEditText(court)
        if day is not None and day != self.chosen_day():
            self.set_day(day)  # reloads
        else:
            self.sig_reload_requested.emit()

    def _court_link(self, name: str) -> None:
        self.choose(html.unescape(name))

    # -- showing --------------------------------------------------------------------

    def show_day(self, found: CourtDay) -> None:
        self.current = found
        self.today = words.to_local_date(found.as_of)
        fill_courts(self.court, found.known)
        listing = found.listing
        if listing is not None and self.chosen_court() != listing.court:
            self.court.setEditText(listing.court)
        when = day_words(found.day, self.today)
        said = html.escape(day_words(found.day, self.today, start=False))
        if found.sitting:
            links = " · ".join(
                f'<a href="{html.escape(name)}">{html.escape(name)}</a> ({count})'
                for name, count in found.sitting)
            self.sitting.setText(f"Courts with a list for {said}: {links}")
        else:
            self.sitting.setText(f"No court has anyone listed for {said}.")
        self.rows = listing.rows if listing is not None else ()
        chosen = self.selected()
        self._fill_table()
        if listing is None:
            self.title.setText("Choose a court")
        else:
            self.title.setText(f"{listing.court} · {when} · "
                               f"{fmt.plural(len(self.rows), 'detainee')}")
        late = sum(1 for p in self.rows if p.late)
        if late:
            self.title.setText(self.title.text() + f" · {late} AFTER EXPIRY")
            self.title.setStyleSheet(f"color: {theme.DANGER};")
        else:
            self.title.setStyleSheet("")
        self.empty.setText("Nobody is listed for this court on this day." if listing else
                           "Choose a court above, or schedule a production.")
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self.print_button.setEnabled(bool(self.rows))
        if chosen is not None:
            self.select_production(chosen.id)
        self._selection_changed()

    def _fill_table(self) -> None:
        table = self.table
        table.setRowCount(len(self.rows))
        bold = QFont(table.font())
        bold.setBold(True)
        for r, p in enumerate(self.rows):
            texts = (words.time_only(p.scheduled_at), p.detainee_no, p.full_name,
                     words.nationality(p.nationality), p.section or "—",
                     words.authority_until(p), words.production_status(p), words.purpose(p),
                     p.escort)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, p.id)
                if c in (PURPOSE, ESCORT):
                    item.setToolTip(p.purpose_words if c == PURPOSE else text)
                table.setItem(r, c, item)
            if p.late or (p.valid_until is None and p.status in ("scheduled", "out")):
                item = table.item(r, UNTIL)
                item.setForeground(QBrush(QColor(theme.DANGER)))
                item.setBackground(QBrush(QColor(theme.DANGER_BG)))
                item.setFont(bold)
                item.setToolTip("The authority runs out before this production: bring it "
                                "forward, or the detainee is held without authority")
            status = table.item(r, STATUS)
            status.setToolTip(status.text())
            if p.status == "done":
                status.setForeground(QBrush(QColor(theme.OK_INK)))
            elif p.status == "out":
                status.setForeground(QBrush(QColor(theme.WARN_INK)))
                status.setFont(bold)
        self._size_columns()

    def _size_columns(self) -> None:
        """To their contents, the long ones capped; the status takes the rest."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if not self.rows:
            return
        self.table.resizeColumnsToContents()
        for column, most in ((NAME, 200), (STATUS, 260), (PURPOSE, 130)):
            header.resizeSection(column, min(header.sectionSize(column), most))

    # -- the row chosen -------------------------------------------------------------

    def selected(self) -> ProductionView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def select_production(self, production_id: int) -> bool:
        for r, p in enumerate(self.rows):
            if p.id == production_id:
                self.table.selectRow(r)
                return True
        return False

    def _selection_changed(self) -> None:
        p = self.selected()
        self.open_button.setEnabled(p is not None)
        open_ = allowed(p)
        for key, button in self.action_buttons.items():
            button.setEnabled(key in open_)

    def request(self, key: str) -> None:
        p = self.selected()
        if key in allowed(p):
            self.sig_action_requested.emit(key, p)

    def _activated(self, item: QTableWidgetItem) -> None:
        p = self.selected()
        if p is not None:
            self.sig_open_detainee.emit(p.detention_id)

    def _open_selected(self) -> None:
        p = self.selected()
        if p is not None:
            self.sig_open_detainee.emit(p.detention_id)
