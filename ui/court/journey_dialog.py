"""Recording a citizen's necessary journey in custody (s.51(5)(a)): from where to where,
when it left and when it arrived.

    JourneyDialog(ctx, detention_id)

A citizen held otherwise than for an offence is produced before a Magistrate within 24
hours, not counting the time of any necessary journey: recording one moves the production
deadline later by its length. Journey time counts only for a citizen (the service refuses
it for anyone else). Field errors go under ``from_place``, ``to_place``, ``departed_at``
and ``arrived_at``; on success ``sig_done`` carries the Result (``value``: the journey's id).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from depot_app.errors import DepotError
from depot_app.services.court.stages import JourneyRequest
from depot_app.services.court.views import DeadlineRow
from ui import format as fmt
from ui.admission.inputs import DateTimeField
from ui.context import AppContext
from ui.court.dialog_base import CourtDialog
from ui.movements.common import WhenField, line, required
from ui.operations import court as court_ops
from ui.operations import deadlines as ops
from ui.operations.errors import describe

PLACE_LEN = 200
INTRO = ("A citizen is produced before a Magistrate within 24 hours of arrest, not counting "
         "the time of any necessary journey (s.51(5)(a)). A journey recorded here is not "
         "counted in the 24 hours: the time to produce moves later by its length.")


class TimeField(QWidget):
    """A date and time typed as DD/MM/YYYY HH:MM, in Malaysian time, empty at first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.edit = DateTimeField()
        self.edit.setMaximumWidth(175)
        row.addWidget(self.edit)
        zone = QLabel("Malaysian time")
        zone.setObjectName("muted")
        row.addWidget(zone)
        row.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> dt.datetime | None:
        return self.edit.value()


class JourneyDialog(CourtDialog):
    def __init__(self, ctx: AppContext, detention_id: int, parent: QWidget | None = None):
        super().__init__(ctx, "Record a journey", "Record journey", "Saving…", parent,
                         width=600)
        self.detention_id = detention_id
        self.row: DeadlineRow | None = None
        self.set_intro(INTRO)
        f = self.form
        self.from_place = line("e.g. Balai Polis Sepang", PLACE_LEN)
        f.add_field("from_place", required("From (place)"), self.from_place)
        self.to_place = line("e.g. Depot Imigresen Semenyih", PLACE_LEN)
        f.add_field("to_place", required("To (place)"), self.to_place)
        self.departed_at = TimeField()
        f.add_field("departed_at", required("Departed"), self.departed_at)
        self.arrived_at = WhenField()
        f.add_field("arrived_at", required("Arrived"), self.arrived_at)
        self.ok.setEnabled(False)  # until the detainee's authority is read
        self.header.set_subject("", "", "Reading the detainee's authority…")
        self.reload()
        self.from_place.setFocus()

    def reload(self) -> None:
        (court_ops.deadline_row(self.ctx, self.detention_id).parent(self)
         .success(self._row_read).failure(self._row_refused).run_in_background())

    def _row_read(self, row: DeadlineRow | None) -> None:
        if row is None:
            self.header.set_subject("", "", "")
            self.set_warning("This detainee is not in custody here.", danger=True)
            return
        self.row = row
        self.setWindowTitle(f"Record a journey – {row.detainee_no}")
        until = (f"{row.needs} by {fmt.when(row.valid_until)}" if row.section
                 else f"Held WITHOUT authority since {fmt.when(row.valid_until)}")
        self.header.set_subject(row.detainee_no, row.full_name, f"Now: {until}")
        self.ok.setEnabled(True)
        self._fit_soon()

    def _row_refused(self, exc: DepotError) -> None:
        self.form.show_message(describe(exc))

    def submit(self) -> None:
        if self.busy or self.row is None:
            return
        errors: dict[str, str] = {}
        departed = arrived = None
        try:
            departed = self.departed_at.value()
        except ValueError as exc:
            errors["departed_at"] = str(exc)
        try:
            arrived = self.arrived_at.exact()
        except ValueError as exc:
            errors["arrived_at"] = str(exc)
        if errors:
            self.show_errors(errors)
            return
        r = self.row
        self.run(ops.record_journey(self.ctx, JourneyRequest(
            r.detention_id, r.version, departed, arrived, self.from_place.text(),
            self.to_place.text())),
            f"{r.detainee_no}: journey recorded; not counted in the 24 hours.")
