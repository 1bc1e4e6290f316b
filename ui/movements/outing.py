"""Out to court, hospital or an embassy, and back.

A detainee away stays on the roll as "out" and keeps their cell; the return brings them
back to it (or to reception when it was taken out of service meanwhile).
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from depot_app.readmodels import DetaineeDetail, MovementView
from depot_app.services.custody_common import REASON_LEN
from depot_app.services.medical.views import ReferralView
from depot_app.services.outings import OUT_REASONS, OutRequest, ReturnRequest
from ui import format as fmt
from ui.context import AppContext
from ui.movements.common import MovementDialog, WhenField, line, required
from ui.operations import movements as ops

# Away reason -> (destination label, its placeholder, reason placeholder).
OUT_WORDS = {
    "court": ("Court", "e.g. Mahkamah Majistret Kajang",
              "e.g. production before a Magistrate under s.51(5)(b)"),
    "hospital": ("Hospital", "e.g. Hospital Kajang", "e.g. referred by the depot clinic"),
    "embassy": ("Embassy or consulate", "e.g. Embassy of Myanmar, Kuala Lumpur",
                "e.g. interview for an emergency travel document"),
}
OUT_BUTTONS = {"court": "Court", "hospital": "Hospital", "embassy": "Embassy or consulate"}


def pending_referral(d: DetaineeDetail) -> ReferralView | None:
    """The hospital referral medical staff made that is waiting for an escort."""
    referral = d.medical.status.referral if d.medical is not None else None
    return referral if referral is not None and referral.status == "pending" else None


def last_outing(d: DetaineeDetail) -> MovementView | None:
    """The movement that took the detainee out, while they are away."""
    if not d.away_reason:
        return None
    return next((m for m in d.movements if m.kind == f"out_{d.away_reason}"), None)


class OutingDialog(MovementDialog):
    """Record a detainee leaving for court, hospital or an embassy."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, to: str = "court",
                 parent: QWidget | None = None):
        super().__init__(ctx, detail, "Out of the depot", "Record going out", "Saving…",
                         parent)
        kept = f" and keeps their cell ({detail.location})" if detail.cell_id else ""
        intro = (f"The detainee stays on the roll as “out”{kept} until the return is "
                 "recorded.")
        self.referral = pending_referral(detail)
        if self.referral is not None:
            r = self.referral
            intro += (f"\nGoing to hospital carries out the medical referral of "
                      f"{fmt.when(r.referred_at)} to {r.hospital} ({r.urgency}).")
        self.set_intro(intro)
        f = self.form
        kinds = QWidget()
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.to_group = QButtonGroup(self)
        self.to_buttons: dict[str, QRadioButton] = {}
        for key in OUT_REASONS:
            button = QRadioButton(OUT_BUTTONS.get(key, key))
            self.to_group.addButton(button)
            self.to_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        f.add_field("to", required("Going to"), kinds)
        f.add_field("destination", required("Court"), line("", 200))
        f.add_field("reason", required("Reason"), line("", REASON_LEN))
        f.add_field("authority", "Authority", line("e.g. production order; clinic referral",
                                                   120))
        f.add_field("document_ref", "Document no.", line("e.g. the order or referral number",
                                                         80))
        f.add_field("escort", "Escort", line("The officer or agency taking the detainee",
                                             120))
        f.add_field("occurred_at", required("Time of leaving"), WhenField())
        self.to_group.buttonToggled.connect(lambda *_: self._kind_changed())
        self.to_buttons.get(to, self.to_buttons["court"]).setChecked(True)
        self.inputs_done()

    def to(self) -> str:
        return next((k for k, b in self.to_buttons.items() if b.isChecked()), "")

    def _kind_changed(self) -> None:
        label, where, why = OUT_WORDS.get(self.to(), ("Destination", "", ""))
        self.set_label("destination", required(label))
        self.form.field("destination").setPlaceholderText(where)
        self.form.field("reason").setPlaceholderText(why)
        r = self.referral
        if r is not None and self.to() == "hospital":
            # What medical staff decided, filled in; the warden adds the escort and time.
            for name, text in (("destination", r.hospital),
                               ("reason", f"Medical referral ({r.urgency})"),
                               ("authority", "Referral by the depot medical officer")):
                if not self.form.field(name).text().strip():
                    self.form.field(name).setText(text)

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        when = self.read_time(errors, "occurred_at")
        if errors:
            self.show_errors(errors)
            return
        f = self.form
        request = OutRequest(self.detail.id, self.to(), f.field("destination").text(),
                             f.field("reason").text(), self.detail.version,
                             escort=f.field("escort").text(),
                             authority=f.field("authority").text(),
                             document_ref=f.field("document_ref").text(), occurred_at=when)
        where = OUT_BUTTONS.get(request.to, request.to).lower()
        self.run(ops.go_out(self.ctx, request),
                 f"{self.detail.detainee_no} is out ({where}); still on the roll.")


class ReturnDialog(MovementDialog):
    """Record the return from court, hospital or an embassy to the cell kept."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Return to the depot", "Record return", "Saving…",
                         parent)
        self.show_outing(detail)
        f = self.form
        f.add_field("note", "Note", line("e.g. remanded for 14 days; discharged from the ward",
                                         REASON_LEN),
                    "Optional: what happened while out")
        f.add_field("occurred_at", required("Time of return"), WhenField())
        self.inputs_done()

    def show_outing(self, d: DetaineeDetail) -> None:
        out = last_outing(d)
        if out is None:
            self.set_intro("")
            return
        text = f"Left {fmt.when(out.occurred_at)}"
        if out.destination:
            text += f" for {out.destination}"
        kept = out.from_place or "reception"
        self.set_intro(f"{text}. Back to {kept} (kept for the detainee while away).")

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        self.show_outing(d)

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        when = self.read_time(errors, "occurred_at")
        if errors:
            self.show_errors(errors)
            return
        request = ReturnRequest(self.detail.id, self.detail.version,
                                note=self.form.field("note").text(), occurred_at=when)
        self.run(ops.come_back(self.ctx, request),
                 f"{self.detail.detainee_no} is back in the depot.")
