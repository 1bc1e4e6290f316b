"""Recording that a detainee has absconded: off the roll, property kept."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from depot_app.readmodels import DetaineeDetail
from depot_app.services.custody_common import REF_LEN
from depot_app.services.departures import AbscondRequest
from ui.context import AppContext
from ui.movements.common import MovementDialog, WhenField, line, required, text_box
from ui.operations import movements as ops


class AbscondDialog(MovementDialog):
    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Record an abscondment", "Record abscondment",
                         "Saving…", parent)
        away = " while out of the depot" if detail.away_reason else ""
        self.set_intro(f"The detainee leaves the roll as absconded{away}. Property and cash "
                       "stay held.")
        f = self.form
        circumstances = text_box("e.g. found missing at the 06:00 count; window bars cut")
        f.add_field("circumstances", required("How it was discovered"), circumstances)
        f.add_field("last_seen", "Last seen", line("Where and when, in words", 200))
        f.add_field("police_report", "Police report no.", line("e.g. KAJANG/012345/26",
                                                               REF_LEN))
        f.add_field("occurred_at", required("Time discovered"), WhenField())
        self.inputs_done()

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        when = self.read_time(errors, "occurred_at")
        if errors:
            self.show_errors(errors)
            return
        f = self.form
        request = AbscondRequest(self.detail.id, self.detail.version,
                                 f.field("circumstances").toPlainText(),
                                 last_seen=f.field("last_seen").text(),
                                 police_report=f.field("police_report").text(),
                                 occurred_at=when)
        self.run(ops.abscond(self.ctx, request),
                 f"{self.detail.detainee_no} recorded as absconded.")
