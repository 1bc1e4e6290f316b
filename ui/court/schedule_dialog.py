"""Scheduling a production before a Magistrate: court, date and time, escort, purpose.

    ScheduleDialog(ctx, detention_id)                 # this detainee
    ScheduleDialog(ctx)                               # the officer types a detainee number
    ScheduleDialog(ctx, production=view)              # change (reschedule) that production

The dialog reads the detainee's authority first and says until when it holds: a time at
court after that is flagged at once (the detainee would be held without authority before
being produced). A detainee who already has a production to come gets that one to change,
not a second. On success ``sig_done`` carries the :class:`~depot_app.changes.Result`
(``value``: the production's id) and the dialog closes with ``confirmation`` set.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from depot_app.clock import MYT
from depot_app.errors import DepotError, NotFound
from depot_app.services.court.productions import COURT_LEN, ESCORT_LEN
from depot_app.services.court.views import DeadlineRow, ProductionView
from depot_app.services.court.vocab import PURPOSES
from ui import format as fmt
from ui.admission.inputs import DateTimeField
from ui.context import AppContext
from ui.court import words
from ui.court.dialog_base import CourtDialog
from ui.movements.common import line, required
from ui.operations import court as ops
from ui.operations.errors import describe

DEFAULT_HOUR = 9  # courts sit in the morning: the time a new production starts at


def court_combo(placeholder: str = "e.g. Mahkamah Majistret Kajang") -> QComboBox:
    """An editable list of the courts known; a new name may be typed."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(placeholder)
    combo.lineEdit().setMaxLength(COURT_LEN)
    combo.setMinimumWidth(320)
    return combo


def fill_courts(combo: QComboBox, names: tuple[str, ...] | list[str]) -> None:
    """The names in the list, keeping what is typed."""
    text = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(list(names))
    combo.setEditText(text)
    combo.blockSignals(False)


def authority_line(row: DeadlineRow, now: dt.datetime | None = None) -> str:
    """"Held under s.6(1)(c) (Arrest) until 15/03/2026 10:00: produce before a Magistrate"."""
    if not row.section:
        return f"Held WITHOUT authority since {fmt.when(row.valid_until)}: {row.needs.lower()}"
    text = (f"Held under {row.section} ({words.authority(row)}) until "
            f"{fmt.when(row.valid_until)}")
    if now is not None:
        text += f" ({words.state(row, now)})"
    return f"{text}: {row.needs[:1].lower()}{row.needs[1:]}" if row.needs else text


class DetaineeNumber(QWidget):
    """A detainee number and a Find button (Enter finds too)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. SMY-2026-000123 (or scan the card)")
        self.edit.setMaxLength(40)
        self.find = QPushButton("Find")
        self.find.setAutoDefault(False)
        row.addWidget(self.edit, 1)
        row.addWidget(self.find)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text().strip().upper()


class ScheduleDialog(CourtDialog):
    """Schedule a production, or change one (``production``)."""

    def __init__(self, ctx: AppContext, detention_id: int | None = None, parent=None, *,
                 production: ProductionView | None = None):
        editing = production is not None
        super().__init__(ctx, "Change a production" if editing else "Schedule a production",
                         "Save changes" if editing else "Schedule production",
                         "Saving…", parent)
        self.detention_id = production.detention_id if production else detention_id
        self.production = production
        self.row: DeadlineRow | None = None
        self._submit_when_found = False
        f = self.form
        self.number: DetaineeNumber | None = None
        if self.detention_id is None:
            self.number = DetaineeNumber()
            self.number.find.clicked.connect(self.find_detainee)
            self.number.edit.textEdited.connect(self._number_edited)
            f.add_field("detention_id", required("Detainee no."), self.number)
            self.header.hide()
        self.court = court_combo()
        f.add_field("court", required("Court"), self.court)
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.when = DateTimeField()
        self.when.setMaximumWidth(175)
        self.tomorrow_button = QPushButton(f"Tomorrow {DEFAULT_HOUR:02d}:00")
        self.tomorrow_button.setAutoDefault(False)
        self.tomorrow_button.clicked.connect(self.set_tomorrow)
        zone = QLabel("Malaysian time")
        zone.setObjectName("muted")
        row.addWidget(self.when)
        row.addWidget(self.tomorrow_button)
        row.addWidget(zone)
        row.addStretch(1)
        when.setFocusProxy(self.when)
        f.add_field("scheduled_at", required("Date and time at court"), when)
        self.escort = line("The officer or agency taking the detainee", ESCORT_LEN)
        f.add_field("escort", "Escort", self.escort)
        self.purpose = QComboBox()
        for key, text in PURPOSES.items():
            self.purpose.addItem(text, key)
        f.add_field("purpose", "Purpose", self.purpose)
        self.when.textChanged.connect(self._check_time)

        if production is not None:
            self._edit(production)
        else:
            self.set_tomorrow()
        if self.detention_id is not None and production is None:
            self._load_row(self.detention_id)
        elif production is not None:
            self._load_row(production.detention_id)
        ops.courts(ctx).parent(self).success(self._courts).run_in_background()
        (self.number or self.court).setFocus()

    # -- what the dialog works on ---------------------------------------------------

    def _edit(self, p: ProductionView) -> None:
        """Change ``p``: its values in the fields; the purpose is as scheduled."""
        self.production = p
        self.setWindowTitle(f"Change a production – {p.detainee_no}")
        self.ok.setText("Save changes")
        self._busy._idle_text = "Save changes"
        self.header.set_subject(p.detainee_no, p.full_name,
                                f"On the list for {p.court}, {fmt.when(p.scheduled_at)}")
        self.header.show()
        self.court.setEditText(p.court)
        self.when.set_value(p.scheduled_at)
        self.escort.setText(p.escort)
        self.purpose.setCurrentIndex(max(self.purpose.findData(p.purpose), 0))
        self.form.form.setRowVisible(self.purpose, False)
        if self.number is not None:
            self.form.form.setRowVisible(self.number, False)

    def set_tomorrow(self) -> None:
        day = dt.datetime.now(MYT).date() + dt.timedelta(days=1)
        self.when.set_value(dt.datetime.combine(day, dt.time(DEFAULT_HOUR), tzinfo=MYT))

    def _courts(self, names: tuple[str, ...]) -> None:
        fill_courts(self.court, names)

    def _load_row(self, detention_id: int | None = None, number: str = "") -> None:
        (ops.deadline_row(self.ctx, detention_id, number).parent(self)
         .success(self._row_read).failure(self._row_refused).run_in_background())

    def find_detainee(self) -> None:
        if self.number is None or self.busy:
            return
        number = self.number.text()
        if not number:
            self.form.show_errors({"detention_id": "Type the detainee number, then Find"})
            return
        self.number.find.setEnabled(False)
        self._load_row(None, number)

    def _number_edited(self) -> None:
        if self.row is not None and self.production is None:
            self.row = None
            self.detention_id = None
            self.header.hide()
            self.set_warning("")

    def _row_refused(self, exc: DepotError) -> None:
        self._submit_when_found = False
        if self.number is not None:
            self.number.find.setEnabled(True)
        if isinstance(exc, NotFound) and self.number is not None:
            self.form.show_errors({"detention_id": f"There is no detainee "
                                                   f"{self.number.text()} in the records"})
        else:
            self.form.show_message(describe(exc))

    def _row_read(self, row: DeadlineRow | None) -> None:
        if self.number is not None:
            self.number.find.setEnabled(True)
        if row is None:
            self._submit_when_found = False
            what = self.number.text() if self.number is not None else "This detainee"
            self.form.show_errors({"detention_id": f"{what} is not in custody here: only a "
                                                   f"detainee held can be produced"})
            return
        self.row = row
        self.detention_id = row.detention_id
        self.form.clear_error("detention_id")
        about = authority_line(row)
        if self.production is not None:
            about = f"{about}\nOn the list for {self.production.court}, " \
                    f"{fmt.when(self.production.scheduled_at)}"
        self.header.set_subject(row.detainee_no, row.full_name, about)
        self.header.show()
        if self.production is None and row.authority == "magistrate_order":
            # Produced before: held on an order, so this one is for a further order.
            self.purpose.setCurrentIndex(max(self.purpose.findData("further"), 0))
        if self.production is None and row.production_id is not None:
            # Already on a list: that production is the one to change, not a second one.
            (ops.production(self.ctx, row.production_id).parent(self)
             .success(self._already_listed).run_in_background())
            self._submit_when_found = False
            return
        self._check_time()
        self._fit_soon()
        if self._submit_when_found:
            self._submit_when_found = False
            self.submit()
        else:
            self.court.setFocus()

    def _already_listed(self, p: ProductionView) -> None:
        if p.status != "scheduled":
            self.set_warning(f"{p.detainee_no} is at court now ({p.court}): record the "
                             f"outcome of that production before scheduling another.",
                             danger=True)
            self.ok.setEnabled(False)
            return
        self._edit(p)
        if self.row is not None:
            self.header.set_subject(p.detainee_no, p.full_name,
                                    f"{authority_line(self.row)}\nAlready on the list for "
                                    f"{p.court}, {fmt.when(p.scheduled_at)}: change it here")
        self._check_time()

    def reload(self) -> None:
        if self.production is not None:
            (ops.production(self.ctx, self.production.id).parent(self)
             .success(self._production_reread).run_in_background())
        if self.detention_id is not None:
            self._load_row(self.detention_id)

    def _production_reread(self, p: ProductionView) -> None:
        self.production = p  # its version; what was typed stays

    # -- the time against the authority ----------------------------------------------

    def _check_time(self) -> None:
        until = self.row.valid_until if self.row is not None else (
            self.production.valid_until if self.production is not None else None)
        try:
            at = self.when.value()
        except ValueError:
            at = None
        if until is None or at is None:
            self.set_warning("")
        elif at >= until:
            self.set_warning(f"This is after the authority runs out ({fmt.when(until)}): "
                             "the detainee would be held without authority before being "
                             "produced. Choose an earlier time, or record the authority that "
                             "follows first.", danger=True)
        else:
            self.set_warning("")

    # -- saving ---------------------------------------------------------------------

    def field_for(self, key: str) -> str:
        if key == "detention_id" and self.number is None:
            return "production_id"  # no such field: the form's message
        return key

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        try:
            at = self.when.value()
            if at is None:
                errors["scheduled_at"] = "Date and time at court is required"
        except ValueError as exc:
            at = None
            errors["scheduled_at"] = str(exc)
        if self.row is None and self.production is None:
            if self.number is not None and self.number.text() and not errors:
                self._submit_when_found = True  # typed, not yet found: find, then save
                self.find_detainee()
                return
            errors.setdefault("detention_id", "Type the detainee number, then Find")
        if errors:
            self.show_errors(errors)
            return
        assert at is not None
        court, escort = self.court.currentText().strip(), self.escort.text().strip()
        local = fmt.when(at)
        if self.production is not None:
            p = self.production
            self.run(ops.reschedule(self.ctx, ops.RescheduleRequest(
                p.id, p.version, court, at, escort)),
                f"{p.detainee_no}: production moved to {court or 'the court'}, {local}.")
            return
        assert self.row is not None
        r = self.row
        self.run(ops.schedule(self.ctx, ops.ScheduleRequest(
            r.detention_id, r.version, court, at, escort,
            self.purpose.currentData() or "first")),
            f"{r.detainee_no} on the list for {court or 'the court'}, {local}.")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Enter in the number field finds the detainee; it never saves half a form.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.number is not None \
                and self.number.edit.hasFocus():
            self.find_detainee()
            return
        super().keyPressEvent(event)
