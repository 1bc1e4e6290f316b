"""The Legal authority section of a detainee's record: what the detainee is held under now
and until when, every stage since the arrest with the section it rests on, any stretch held
without authority, the productions before a Magistrate and a citizen's journeys.

It shows an :class:`~depot_app.services.court.views.AuthorityHistory` read with the record
(``ui.operations.deadlines.record``). Officers (``MANAGE_COURT``) also act on a detainee in
custody: "Schedule production…", "Change legal basis…" and, for a citizen, "Record
journey…". After one the section emits ``sig_done`` with a confirmation; the record
refreshes from the change bus.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from depot_app import legal_bases
from depot_app.actor import Permission
from depot_app.authority import DUE_SOON, MAGISTRATE_ORDER, OK, OVERDUE, REMOVAL_ORDER
from depot_app.services.court.views import AuthorityHistory, DeadlineRow, ProductionView
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.court.basis_dialog import BasisDialog
from ui.court.journey_dialog import JourneyDialog
from ui.court.schedule_dialog import ScheduleDialog
from ui.widgets.record import Card, SmallTable

TONES = {
    "danger": f"color: {theme.DANGER}; background: {theme.DANGER_BG}; border: 1px solid #f3c2bd;"
              " font-weight: 600;",
    "warn": f"color: {theme.WARN_INK}; background: {theme.WARN_BG}; border: 1px solid #ecd28b;"
            " font-weight: 600;",
    "ok": f"color: {theme.OK_INK}; background: #e3f4e8; border: 1px solid #b5dcc0;",
    "": f"color: {theme.MUTED}; background: #f1f3f5; border: 1px solid {theme.LINE};",
}
STATE_TONES = {OVERDUE: "danger", DUE_SOON: "warn"}
VALID_UNTIL = 5  # the stages table's column


# -- words --------------------------------------------------------------------------------

def span(delta: dt.timedelta) -> str:
    """"3 days 4 h", "5 h 10 min", "12 min"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return fmt.plural(days, "day") + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min"


def _strip_source(text: str) -> str:
    """The text without the citation in brackets at its end: "s.51(5)(b), 14 days from
    arrest (Immigration Act 1959/63 s.51(5)(b); ...)" -> "s.51(5)(b), 14 days from arrest"."""
    if not text.endswith(")"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i].rstrip() if i > 0 and text[i - 1] == " " else text
    return text


def basis_in_brief(row: DeadlineRow) -> str:
    """What the deadline rests on, without the stage (said already) or the citation (in the
    tooltip): "s.51(5)(b), 14 days from arrest"; "" for a Magistrate's order."""
    if row.authority == MAGISTRATE_ORDER:
        return ""
    text = row.rests_on
    if text.startswith("Arrest under ") and ": " in text:
        text = text.split(": ", 1)[1]
    return _strip_source(text)


def held_words(row: DeadlineRow) -> str:
    ref = f" {row.reference}" if row.reference else ""
    if row.authority == MAGISTRATE_ORDER:
        return f"Held under {row.section} on a Magistrate's order{ref}"
    if row.authority == REMOVAL_ORDER:
        return f"Held under {row.section} on a removal order{ref}"
    return f"Held under {row.section} on arrest"


def current_words(h: AuthorityHistory) -> tuple[str, str]:
    """The authority now, in words, and its tone (danger, warn, ok; "" when not held)."""
    r = h.current
    if r is None:
        if h.status == "in_custody":
            return "Not held at this depot.", ""
        ended = f" on {fmt.when(h.ended_at)}" if h.ended_at else ""
        return f"Custody ended{ended} ({fmt.status(h.status).lower()}).", ""
    if not r.section:
        return (f"Held WITHOUT authority since {fmt.when(r.valid_until)} "
                f"({r.rests_on}): overdue by {span(h.as_of - r.valid_until)}. {r.needs}.",
                "danger")
    brief = basis_in_brief(r)
    brief = f" ({brief})" if brief else ""
    if r.state == OVERDUE:
        return (f"{held_words(r)}. {r.needs} was due by {fmt.when(r.valid_until)}{brief}: "
                f"overdue by {span(h.as_of - r.valid_until)}.", "danger")
    return (f"{held_words(r)}. {r.needs} by {fmt.when(r.valid_until)}{brief}: "
            f"{span(r.valid_until - h.as_of)} left.", STATE_TONES.get(r.state, "ok"))


def court_words(h: AuthorityHistory) -> tuple[str, str]:
    """The production to come (and whether it is too late), and its tone."""
    r = h.current
    if r is None:
        return "", ""
    if r.production_at is None:
        return "No production scheduled.", "" if r.state == OK else "warn"
    text = f"Production: {r.court}, {fmt.when(r.production_at)}"
    if r.late:
        return f"{text}: AFTER the authority runs out ({fmt.when(r.valid_until)}).", "danger"
    return f"{text}.", ""


def stage_rows(h: AuthorityHistory) -> tuple[list[list[str]], list[str]]:
    rows, tips = [], []
    for s in h.stages:
        basis = legal_bases.find(s.section)
        lapsed = s.ends_at is None and s.valid_until is not None and s.valid_until <= h.as_of
        rows.append([s.section, s.authority_words, s.reference or "—", fmt.when(s.starts_at),
                     fmt.when(s.ends_at) or ("still held: authority ran out" if lapsed
                                             else "in force"),
                     fmt.when(s.valid_until) or "—", s.rests_on])
        tips.append(f"{basis.words} ({basis.source})" if basis else "")
    return rows, tips


def stage_ran_past(h: AuthorityHistory) -> list[bool]:
    """For each stage: whether it ran past its authority (held on after ``valid_until``)."""
    out = []
    for s in h.stages:
        end = s.ends_at or (h.ended_at if h.status != "in_custody" else h.as_of)
        out.append(s.valid_until is not None and end is not None and end > s.valid_until)
    return out


def unlawful_words(h: AuthorityHistory) -> list[str]:
    lines = []
    held_now = h.current is not None and h.current.state == OVERDUE  # the last runs on
    for n, (start, end) in enumerate(h.unlawful):
        ongoing = held_now and n == len(h.unlawful) - 1
        till = "now" if ongoing else fmt.when(end)
        lines.append(f"Held without authority from {fmt.when(start)} to {till} "
                     f"({span(end - start)}).")
    return lines


def production_status(p: ProductionView) -> str:
    if p.status == "done":
        return p.outcome_words or p.status_words
    text = p.status_words
    return f"{text}: after the authority runs out" if p.late and p.status == "scheduled" \
        else text


def production_rows(h: AuthorityHistory) -> list[list[str]]:
    return [[fmt.when(p.scheduled_at), p.court, p.purpose_words, production_status(p),
             p.order.order_no if p.order else "", fmt.when(p.order.expires_at) if p.order
             else ""] for p in h.productions]


def journey_rows(h: AuthorityHistory) -> list[list[str]]:
    return [[fmt.when(j.departed_at), fmt.when(j.arrived_at), j.from_place, j.to_place,
             span(j.arrived_at - j.departed_at)] for j in h.journeys]


def _style(label: QLabel, tone: str) -> None:
    label.setProperty("tone", tone)
    label.setStyleSheet(f"QLabel {{ {TONES.get(tone, TONES[''])} border-radius: 4px;"
                        " padding: 4px 9px; }")


def _subtitle(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label


# -- the section ----------------------------------------------------------------------------

class AuthoritySection(Card):
    sig_done = Signal(str)  # a confirmation to show on the record

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Legal authority", parent)
        self.ctx = ctx
        self.history: AuthorityHistory | None = None
        self.dialog: QWidget | None = None

        outer = self.layout()
        outer.removeWidget(self.title)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.title)
        head.addStretch(1)
        self.schedule_button = QPushButton("Sc&hedule production…")
        self.schedule_button.setToolTip("Put the detainee on a court's production list")
        self.schedule_button.clicked.connect(self.open_schedule)
        self.basis_button = QPushButton("Change legal &basis…")
        self.basis_button.setToolTip("A removal order (s.34) or detention pending a removal "
                                     "decision (s.35), from a given time")
        self.basis_button.clicked.connect(self.open_basis)
        self.journey_button = QPushButton("Record &journey…")
        self.journey_button.setToolTip("A citizen's necessary journey: not counted in the "
                                       "24 hours (s.51(5)(a))")
        self.journey_button.clicked.connect(self.open_journey)
        for button in (self.journey_button, self.basis_button, self.schedule_button):
            button.setAutoDefault(False)
            head.addWidget(button)
        outer.insertLayout(0, head)

        self.current = QLabel()
        self.current.setWordWrap(True)
        self.court = QLabel()
        self.court.setWordWrap(True)
        self.body.addWidget(self.current)
        self.unlawful_box = QVBoxLayout()  # each stretch held without authority
        self.unlawful_box.setSpacing(4)
        self.body.addLayout(self.unlawful_box)
        self.body.addWidget(self.court)
        self.rule = QLabel()
        self.rule.setObjectName("muted")
        self.rule.setWordWrap(True)
        self.body.addWidget(self.rule)

        self.body.addWidget(_subtitle("Stages"))
        self.stages = SmallTable(["Section", "Authority", "Reference", "From", "To",
                                  "Valid until", "Rests on"], "No stage recorded.",
                                 stretch_column=6, wrap={2: 2, 6: 5})
        self.stages.add_to(self.body)
        self.productions_title = _subtitle("Productions before a Magistrate")
        self.body.addWidget(self.productions_title)
        self.productions = SmallTable(["At court", "Court", "Purpose", "Status or outcome",
                                       "Order no.", "Order expires"],
                                      "None scheduled yet.", stretch_column=1,
                                      wrap={1: 3, 2: 2, 3: 3})
        self.productions.add_to(self.body)
        self.journeys_title = _subtitle("Journeys (not counted in the 24 hours, s.51(5)(a))")
        self.body.addWidget(self.journeys_title)
        self.journeys = SmallTable(["Departed", "Arrived", "From", "To", "Not counted"],
                                   "No journeys recorded.", wrap={2: 1, 3: 1})
        self.journeys.add_to(self.body)

    # -- showing --------------------------------------------------------------------

    def show_history(self, h: AuthorityHistory | None) -> None:
        self.history = h
        self.setVisible(h is not None)
        if h is None:
            return
        text, tone = current_words(h)
        self.current.setText(text)
        _style(self.current, tone)
        if h.current is not None and h.current.rests_on:
            self.current.setToolTip(f"Rests on: {h.current.rests_on}")
        else:
            self.current.setToolTip("")
        court, court_tone = court_words(h)
        self.court.setText(court)
        self.court.setVisible(bool(court))
        self.court.setStyleSheet(f"color: {theme.DANGER}; font-weight: 600;" if court_tone ==
                                 "danger" else f"color: {theme.WARN_INK};" if court_tone ==
                                 "warn" else "")
        self._show_unlawful(h)
        self.rule.setText(f"Arrested {fmt.when(h.arrested_at)}: to be produced before a "
                          f"Magistrate by {fmt.when(h.production_due)}, "
                          f"{h.production_rule}.")
        rows, tips = stage_rows(h)
        self.stages.set_rows(rows, tips)
        for r, past in enumerate(stage_ran_past(h)):
            if past:
                self.stages.item(r, VALID_UNTIL).setForeground(QBrush(QColor(theme.DANGER)))
        self.productions.set_rows(production_rows(h))
        journeys = bool(h.journeys) or h.citizen
        self.journeys_title.setVisible(journeys)
        self.journeys.set_rows(journey_rows(h))
        if not journeys:
            self.journeys.hide()
            self.journeys.empty.hide()
        self._show_buttons(h)

    def _show_unlawful(self, h: AuthorityHistory) -> None:
        while self.unlawful_box.count():
            gone = self.unlawful_box.takeAt(0).widget()
            if gone is not None:
                gone.setParent(None)
                gone.deleteLater()
        for line in unlawful_words(h):
            label = QLabel(line)
            label.setWordWrap(True)
            label.setObjectName("unlawfulSpan")
            _style(label, "danger")
            self.unlawful_box.addWidget(label)

    def unlawful_lines(self) -> list[str]:
        return [self.unlawful_box.itemAt(i).widget().text()
                for i in range(self.unlawful_box.count())]

    def _show_buttons(self, h: AuthorityHistory) -> None:
        officer = self.ctx.can(Permission.MANAGE_COURT) and h.status == "in_custody" \
            and h.current is not None
        self.schedule_button.setVisible(officer)
        self.basis_button.setVisible(officer)
        self.journey_button.setVisible(officer and h.citizen)

    # -- actions --------------------------------------------------------------------

    def _may_act(self) -> bool:
        h = self.history
        return (h is not None and self.dialog is None and self.ctx.can(Permission.MANAGE_COURT)
                and h.status == "in_custody")

    def _opened(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.sig_done.emit(dialog.confirmation))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def open_schedule(self):
        if not self._may_act():
            return None
        dialog = ScheduleDialog(self.ctx, self.history.detention_id, self.window())
        self._opened(dialog)
        return dialog

    def open_basis(self):
        if not self._may_act():
            return None
        dialog = BasisDialog(self.ctx, self.history.detention_id, self.window())
        self._opened(dialog)
        return dialog

    def open_journey(self):
        if not self._may_act() or not self.history.citizen:
            return None
        dialog = JourneyDialog(self.ctx, self.history.detention_id, self.window())
        self._opened(dialog)
        return dialog
