"""Visits: consular/embassy, family, lawyer, NGO/UNHCR; who came, when, with whom present.

What each kind requires comes from ``visits.VISIT_KINDS``: an NGO or UNHCR visit needs the
reference of its approval, a consular visit names the embassy or consulate, a family
visit the relation to the detainee. A visit still going on has no end; its end is
recorded when the visitor leaves.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QButtonGroup, QComboBox, QGridLayout, QRadioButton, QWidget

from depot_app.readmodels import DetaineeDetail, VisitView
from depot_app.services.visits import VISIT_KINDS, VisitInput
from ui import format as fmt
from ui.context import AppContext
from ui.movements.common import MovementDialog, WhenField, line, required, text_box
from ui.operations import movements as ops

ORGANISATION_HINTS = {
    "consular": "e.g. Embassy of the Republic of Indonesia",
    "lawyer": "e.g. Tetuan Lee & Partners",
    "ngo": "e.g. UNHCR Malaysia; SUHAKAM; Tenaganita",
}


def kind_label(kind: str) -> str:
    spec = VISIT_KINDS.get(kind)
    return spec[0] if spec else kind


def open_visits(d: DetaineeDetail) -> list[VisitView]:
    return [v for v in d.visits if v.ended_at is None]


def visit_words(v: VisitView) -> str:
    who = f"{v.visitor} ({v.organisation})" if v.organisation else v.visitor
    return f"{kind_label(v.kind)}: {who}, since {fmt.when(v.started_at)}"


class VisitDialog(MovementDialog):
    def __init__(self, ctx: AppContext, detail: DetaineeDetail, kind: str = "family",
                 parent: QWidget | None = None):
        super().__init__(ctx, detail, "Record a visit", "Record visit", "Saving…", parent,
                         width=640)
        f = self.form
        kinds = QWidget()
        # Two by two: in one row the four labels did not fit beside the form's labels.
        grid = QGridLayout(kinds)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for n, (key, spec) in enumerate(VISIT_KINDS.items()):
            button = QRadioButton(spec[0])
            button.setMinimumWidth(button.sizeHint().width())
            self.kind_group.addButton(button)
            self.kind_buttons[key] = button
            grid.addWidget(button, n // 2, n % 2)
        grid.setColumnStretch(2, 1)
        f.add_field("kind", required("Kind of visit"), kinds)
        f.add_field("visitor", required("Visitor"), line("Name(s) of the visitor(s)", 200))
        f.add_field("relation", required("Relation"), line("To the detainee: e.g. wife; "
                                                           "brother", 60))
        f.add_field("organisation", "Organisation", line("", 200))
        f.add_field("approval_ref", "Approval ref.", line("The reference of the approval "
                                                          "for this visit", 60))
        f.add_field("officer_present", "Officer present",
                    line("The officer present during the visit", 120))
        f.add_field("started_at", required("Started"), WhenField())
        ended = WhenField()
        ended.edit.clear()
        f.add_field("ended_at", "Ended", ended, "Leave empty while the visit goes on: record "
                                                "its end when the visitor leaves.")
        f.add_field("notes", "Notes", text_box("", 2))
        self.kind_group.buttonToggled.connect(lambda *_: self._kind_changed())
        self.kind_buttons.get(kind, self.kind_buttons["family"]).setChecked(True)
        self.inputs_done()
        self.form.field("visitor").setFocus()

    def kind(self) -> str:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), "")

    def _kind_changed(self) -> None:
        _label, org, org_required, approval_required = VISIT_KINDS[self.kind()]
        family = self.kind() == "family"
        self.set_field_visible("relation", family)
        self.set_field_visible("organisation", bool(org))
        if org:
            self.set_label("organisation", required(org) if org_required else org)
            self.form.field("organisation").setPlaceholderText(
                ORGANISATION_HINTS.get(self.kind(), ""))
        self.set_label("approval_ref", required("Approval ref.") if approval_required
                       else "Approval ref.")

    def request(self, errors: dict[str, str]) -> VisitInput:
        f = self.form
        now = dt.datetime.now(dt.UTC)
        started = self.read_time(errors, "started_at")
        ended_field = f.field("ended_at")
        ended = None
        if ended_field.edit.text().strip():
            try:
                ended = ended_field.value() or now
            except ValueError as exc:
                errors["ended_at"] = str(exc)
        if ended is not None and started is None:
            started = now  # both "now": the same moment, not the service's later one
        family = self.kind() == "family"
        return VisitInput(self.detail.id, self.kind(), f.field("visitor").text(),
                          started_at=started,
                          organisation="" if family else f.field("organisation").text(),
                          approval_ref=f.field("approval_ref").text(),
                          relation=f.field("relation").text() if family else "",
                          officer_present=f.field("officer_present").text(),
                          notes=f.field("notes").toPlainText(), ended_at=ended)

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        request = self.request(errors)
        if errors:
            self.show_errors(errors)
            return
        self.run(ops.record_visit(self.ctx, request),
                 f"{kind_label(request.kind)} visit to {self.detail.detainee_no} recorded.")


class EndVisitDialog(MovementDialog):
    """The end of a visit still going on (which one, when several)."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "End of a visit", "Record end", "Saving…", parent)
        f = self.form
        self.visits = QComboBox()
        for v in open_visits(detail):
            self.visits.addItem(visit_words(v), v.id)
        f.add_field("visit_id", required("Visit"), self.visits)
        f.add_field("ended_at", required("Ended"), WhenField())
        self.inputs_done()

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        chosen = self.visits.currentData()
        self.visits.clear()
        for v in open_visits(d):
            self.visits.addItem(visit_words(v), v.id)
        if self.visits.findData(chosen) >= 0:
            self.visits.setCurrentIndex(self.visits.findData(chosen))

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        ended = self.read_time(errors, "ended_at")
        if self.visits.currentData() is None:
            errors["visit_id"] = "There is no visit going on to end"
        if errors:
            self.show_errors(errors)
            return
        self.run(ops.end_visit(self.ctx, self.visits.currentData(), ended),
                 "End of the visit recorded.")
