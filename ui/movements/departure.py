"""Release, transfer to another depot, and removal: the detainee leaves custody and the
roll, on an authority, and takes back what the depot held for them.

What each kind requires comes from ``departures.DISCHARGES`` (a transfer and a removal
need their document and destination; a release may be recorded while the detainee is at
court, where a Magistrate ordered it). A removal also needs a valid fit-to-travel outcome:
the dialog says at its top whether the detainee has one (a line, not a field: the
service's refusal, ``fit_to_travel``, is nothing to correct and shows as the form's
message).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QWidget

from depot_app.clock import MYT
from depot_app.readmodels import DetaineeDetail
from depot_app.services.custody_common import REASON_LEN, REF_LEN
from depot_app.services.departures import DISCHARGES, DischargeRequest
from ui import theme
from ui.context import AppContext
from ui.medical.record_words import travel_words
from ui.movements.common import MovementDialog, WhenField, line, required
from ui.movements.property_return import PropertyReturnPart
from ui.operations import movements as ops
from ui.widgets.fields import NoteLabel

# kind -> (title, button, document label, authority placeholder, reason placeholder,
#          destination placeholder)
DEPARTURE_WORDS = {
    "release": ("Release", "Record release", "Release order no.",
                "e.g. Magistrate's order; Director of Immigration",
                "e.g. Magistrate declined to order detention",
                "e.g. the detainee; the employer, Syarikat ABC Sdn Bhd"),
    "transfer": ("Transfer to another depot", "Record transfer", "Transfer document no.",
                 "e.g. Director of Immigration, Selangor",
                 "e.g. family held at the receiving depot",
                 "e.g. Depot Imigresen Bukit Jalil"),
    "removal": ("Removal from Malaysia", "Record removal", "Removal order no.",
                "e.g. removal order under s.32",
                "e.g. removed at Government cost under s.46",
                "e.g. Dhaka, flight MH196 from KLIA"),
}

# The detainee is handed to someone who takes them away: who it was goes on the record.
ESCORTED = ("transfer", "removal")
ESCORT_LEN = 120
ESCORT_HINT = "The officer or agency taking the detainee"


class DepartureDialog(MovementDialog):
    """Record a release, transfer or removal, with the property returned."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, kind: str,
                 parent: QWidget | None = None):
        words = DEPARTURE_WORDS[kind]
        super().__init__(ctx, detail, words[0], words[1], "Saving…", parent, width=700)
        self.kind = kind
        spec = DISCHARGES[kind]
        self.set_intro(f"The detainee leaves custody and the roll ({spec.status}).")
        f = self.form
        mark = required if spec.destination_required else str
        if kind == "removal":  # refused without a fit-to-travel outcome: said first
            self.travel = f.add_field("travel_status", "Fitness to travel", NoteLabel())
            self.show_travel(detail)
        f.add_field("authority", required("Authority"), line(words[3], 120))
        doc = required(words[2]) if spec.document_required else words[2]
        f.add_field("document_ref", doc, line("", REF_LEN))
        f.add_field("destination", mark(spec.destination_label), line(words[5], 200))
        if kind in ESCORTED:
            f.add_field("escort", "Escort", line(ESCORT_HINT, ESCORT_LEN))
        f.add_field("reason", required("Reason"), line(words[4], REASON_LEN))
        f.add_field("occurred_at", required(f"Time of {spec.label.lower()}"), WhenField())
        f.add_section("Property and cash handed back")
        self.property = PropertyReturnPart(f, detail, "property.")
        self.inputs_done()
        f.field("authority").setFocus()  # the first field to type in

    def show_travel(self, d: DetaineeDetail) -> None:
        """Whether the detainee is certified fit to travel today (removal only)."""
        if d.medical is None:
            self.travel.setText("Unknown: the medical record could not be read.")
            return
        text, fit = travel_words(d.medical.status, dt.datetime.now(MYT).date())
        self.travel.setText(text)
        self.travel.setStyleSheet(f"color: {theme.OK_INK};" if fit else
                                  f"color: {theme.DANGER}; font-weight: 600;")

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        if self.kind == "removal":
            self.show_travel(d)
        held = {p.id for p in d.property if p.returned_at is None}
        if held != {p.id for p in self.property.detail.property if p.returned_at is None} \
                or d.cash_balance != self.property.balance:
            self.property.fill(d)

    def request(self, errors: dict[str, str]) -> DischargeRequest:
        f = self.form
        when = self.read_time(errors, "occurred_at")
        return DischargeRequest(self.detail.id, self.kind, f.field("authority").text(),
                                f.field("reason").text(), self.detail.version,
                                document_ref=f.field("document_ref").text(),
                                destination=f.field("destination").text(),
                                escort=(f.field("escort").text() if self.kind in ESCORTED
                                        else ""),
                                property=self.property.request(), occurred_at=when)

    def confirmation_words(self) -> str:
        done = {"release": "released", "transfer": "transferred", "removal": "removed"}
        text = f"{self.detail.detainee_no} {done[self.kind]}."
        items, cash = self.property.left_held()
        if items or cash > 0:
            text += " Some property is still held: see the record."
        return text

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        request = self.request(errors)
        if errors:
            self.show_errors(errors)
            return
        self.run(ops.discharge(self.ctx, request), self.confirmation_words())
