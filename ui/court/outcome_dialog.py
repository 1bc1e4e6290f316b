"""Recording what the court decided at a production.

The outcome chooses the fields: a detention order, a remand and a charge carry the
Magistrate's order (number, Magistrate, the section the detainee is held under, the period
and when it runs from, with the expiry worked out as it is typed); a charge also needs the
Public Prosecutor's sanction (s.58), the charge and the case number; a conviction the
sentence and the prison. A release or a conviction ends the authority to hold the detainee:
the dialog says so before it is recorded, and the page says it again after.

The service checks the period against what the cited section allows (s.51(5) proviso) and
puts the reason under the period; nothing is written until every field is right.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from depot_app import legal_bases
from depot_app.services.court.productions import MAX_ORDER_DAYS
from depot_app.services.court.views import ProductionView
from depot_app.services.court.vocab import (
    CHARGED,
    CONVICTED,
    ENDS_AUTHORITY,
    ORDER_PURPOSES,
    OUTCOMES,
    RELEASED,
    WITH_ORDER,
)
from ui import format as fmt
from ui.admission.inputs import DateTimeField
from ui.context import AppContext
from ui.court import words
from ui.court.dialog_base import CourtDialog
from ui.movements.common import line, required, text_box
from ui.operations import court as ops

DEFAULT_DAYS = 14
ORDER, CHARGE, CONVICTION, CASE = "order", "charge", "conviction", "case"
GROUPS = {  # outcome -> the groups of fields it shows
    "detention_order": {ORDER},
    "remand": {ORDER},
    CHARGED: {ORDER, CHARGE, CASE},
    RELEASED: set(),
    CONVICTED: {CONVICTION, CASE},
}


def ends_authority_words(p: ProductionView, outcome: str) -> str:
    """What a release or a conviction leaves the officer to do, plainly."""
    then = "the release" if outcome == RELEASED else "the transfer to prison"
    return (f"{p.detainee_no} {p.full_name} is now held WITHOUT authority: the court "
            f"{'released' if outcome == RELEASED else 'convicted'} them, so nothing allows "
            f"the depot to keep them. They show as overdue until {then} is recorded on "
            f"their record (Depart). Record it now.")


def about(p: ProductionView) -> str:
    """The production, and the authority the detainee is held under now."""
    text = f"{p.court}, {fmt.when(p.scheduled_at)} · {p.purpose_words} · " \
           f"{words.production_status(p)}"
    if p.valid_until is None:
        return f"{text}\nHeld without authority now"
    return f"{text}\nHeld under {p.section} until {fmt.when(p.valid_until)}"


class OutcomeDialog(CourtDialog):
    def __init__(self, ctx: AppContext, production: ProductionView, parent=None):
        super().__init__(ctx, f"Court outcome – {production.detainee_no}", "Record outcome",
                         "Recording…", parent, width=640)
        self.production = production
        self.header.set_subject(production.detainee_no, production.full_name,
                                about(production))
        self._rows: dict[str, list[int]] = {}
        self._groups: dict[str, list[str]] = {}
        self._starts_follow = True

        self.outcome = QComboBox()
        for key, text in OUTCOMES.items():
            self.outcome.addItem(text, key)
        self._add("outcome", required("Outcome"), self.outcome)
        self.produced_at = DateTimeField()
        self.produced_at.setMaximumWidth(175)
        self._add("produced_at", required("Produced at"), self.produced_at,
                  "Malaysian time: when the detainee was before the Magistrate")

        self._section_title(ORDER, "Magistrate's order")
        self.order_no = line("e.g. MA-KJG-123/2026", 60)
        self._add("order_no", required("Order no."), self.order_no, group=ORDER)
        self.magistrate = line("e.g. Puan Aisyah binti Omar", 120)
        self._add("magistrate", required("Magistrate"), self.magistrate, group=ORDER)
        self.section = QComboBox()
        for basis in legal_bases.LEGAL_BASES:
            self.section.addItem(f"{basis.code} – {basis.words}", basis.code)
        self._add("section", required("Detained under"), self.section, group=ORDER)
        self.purpose = QComboBox()
        self.purpose.addItem("As the outcome and the section imply", "")
        for key, text in ORDER_PURPOSES.items():
            self.purpose.addItem(text[:1].upper() + text[1:], key)
        self._add("purpose", "Purpose (s.51(5)(b))", self.purpose, group=ORDER)
        self.period = QSpinBox()
        self.period.setRange(1, MAX_ORDER_DAYS)
        self.period.setValue(DEFAULT_DAYS)
        self.period.setSuffix(" days")
        self.period.setMaximumWidth(120)
        self._add("period_days", required("Period"), self.period, group=ORDER)
        self.starts = DateTimeField()
        self.starts.setMaximumWidth(175)
        self._add("order_starts_at", required("Runs from"), self.starts,
                  "The time it was made, unless the order says otherwise", group=ORDER)
        self.expires = QLabel()
        self.expires.setStyleSheet("font-weight: 600;")
        self._add("expires", "Expires", self.expires, group=ORDER)

        self._section_title(CHARGE, "Charge")
        self.sanction_ref = line("The Public Prosecutor's written consent", 60)
        self._add("sanction_ref", required("PP's sanction ref. (s.58)"), self.sanction_ref,
                  group=CHARGE)
        self.charge = text_box("e.g. s.6(1)(c) Immigration Act 1959/63", 2)
        self._add("charge", required("Charge"), self.charge, group=CHARGE)
        self._section_title(CONVICTION, "Conviction")
        self.sentence = line("e.g. 6 months' imprisonment and 3 strokes", 200)
        self._add("sentence", required("Sentence"), self.sentence, group=CONVICTION)
        self.prison = line("e.g. Penjara Kajang", 200)
        self._add("prison", required("Transferred to prison"), self.prison, group=CONVICTION)
        self.case_no = line("e.g. MA-83-123-03/2026", 60)
        self._add("case_no", "Case no.", self.case_no, group=CASE)
        self.note = text_box("Optional: what the court said", 2)
        self._add("note", "Note", self.note)

        # The time at court as scheduled; if that is still to come, now (an outcome is
        # recorded once the court has decided).
        now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        produced = min(production.scheduled_at, now)
        self.produced_at.set_value(produced)
        self.starts.set_value(produced)
        current = legal_bases.find(production.section)
        if current is not None:
            self.section.setCurrentIndex(max(self.section.findData(current.code), 0))
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.produced_at.textChanged.connect(self._produced_changed)
        self.starts.textEdited.connect(self._starts_edited)
        self.starts.textChanged.connect(self._preview)
        self.period.valueChanged.connect(self._preview)
        self.section.currentIndexChanged.connect(self._section_changed)
        self._outcome_changed()
        self._section_changed()
        self.outcome.setFocus()

    # -- building -------------------------------------------------------------------

    def _add(self, name: str, label: str, widget: QWidget, hint: str = "", *,
             group: str = "") -> None:
        before = self.form.form.rowCount()
        self.form.add_field(name, label, widget, hint)
        # The field's row and its hint's (the last row is the error's: the form keeps it).
        self._rows[name] = list(range(before, self.form.form.rowCount() - 1))
        if group:
            self._groups.setdefault(group, []).append(name)

    def _section_title(self, group: str, title: str) -> None:
        before = self.form.form.rowCount()
        self.form.add_section(title)
        self._rows[f"#{group}"] = [before]

    def outcome_key(self) -> str:
        return self.outcome.currentData() or ""

    def _outcome_changed(self) -> None:
        shown = GROUPS.get(self.outcome_key(), set())
        form = self.form.form
        for group, names in self._groups.items():
            visible = group in shown
            for row in self._rows.get(f"#{group}", []):
                form.setRowVisible(row, visible)
            for name in names:
                for row in self._rows[name]:
                    form.setRowVisible(row, visible)
                if not visible:
                    self.form.clear_error(name)
        outcome = self.outcome_key()
        if outcome in ENDS_AUTHORITY:
            self.set_warning(
                f"Recording this ends the authority to hold {self.production.detainee_no}. "
                f"Until {'the release' if outcome == RELEASED else 'the transfer to prison'} "
                f"is recorded on the record, they show as held without authority (overdue).")
        else:
            self.set_warning("")
        self._preview()
        self._fit_soon()

    def _section_changed(self) -> None:
        basis = legal_bases.find(self.section.currentData() or "")
        self.section.setToolTip(basis.source if basis else "")
        self._preview()

    def _produced_changed(self) -> None:
        if self._starts_follow:
            self.starts.setText(self.produced_at.text())
        self._preview()

    def _starts_edited(self) -> None:
        self._starts_follow = False

    def _preview(self) -> None:
        try:
            starts = self.starts.value() or self.produced_at.value()
        except ValueError:
            starts = None
        if starts is None:
            self.expires.setText("—  (type when it runs from)")
            return
        expires = starts + dt.timedelta(days=self.period.value())
        self.expires.setText(fmt.when(expires))
        until = self.production.valid_until
        if until is not None and self.outcome_key() in WITH_ORDER:
            self.expires.setToolTip(f"The authority in force now runs until {fmt.when(until)}")

    # -- saving ---------------------------------------------------------------------

    def _time(self, field: DateTimeField, name: str, label: str,
              errors: dict[str, str]) -> dt.datetime | None:
        try:
            value = field.value()
        except ValueError as exc:
            errors[name] = str(exc)
            return None
        if value is None:
            errors[name] = f"{label} is required"
        return value

    def build_request(self, errors: dict[str, str]) -> ops.OutcomeRequest | None:
        p = self.production
        outcome = self.outcome_key()
        produced = self._time(self.produced_at, "produced_at", "Produced at", errors)
        groups = GROUPS.get(outcome, set())
        order = None
        if ORDER in groups:
            starts = self._time(self.starts, "order_starts_at", "Runs from", errors)
            if produced is not None and starts == produced:
                starts = None  # the service's default: from the production
            order = ops.OrderInput(self.order_no.text(), self.magistrate.text(),
                                   self.section.currentData() or "", self.period.value(),
                                   starts, self.purpose.currentData() or "")
        if errors:
            return None

        def text(widget, group: str) -> str:
            if group not in groups:
                return ""
            return widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()
        return ops.OutcomeRequest(
            p.id, p.version, outcome, produced, order,
            sanction_ref=text(self.sanction_ref, CHARGE), case_no=text(self.case_no, CASE),
            charge=text(self.charge, CHARGE), sentence=text(self.sentence, CONVICTION),
            prison=text(self.prison, CONVICTION), note=self.note.toPlainText())

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        request = self.build_request(errors)
        if request is None:
            self.show_errors(errors)
            return
        p = self.production
        said = OUTCOMES.get(request.outcome, request.outcome)
        if request.order is not None:
            starts = request.order.starts_at or request.produced_at
            assert starts is not None
            said += (f": order {request.order.order_no.strip()} until "
                     f"{fmt.when(starts + dt.timedelta(days=request.order.period_days))}")
        self.run(ops.record_outcome(self.ctx, request), f"{p.detainee_no}: {said}.")

    @property
    def ended_authority(self) -> bool:
        return self.outcome_key() in ENDS_AUTHORITY

    def reload(self) -> None:
        (ops.production(self.ctx, self.production.id).parent(self)
         .success(self._reread).run_in_background())

    def _reread(self, p: ProductionView) -> None:
        self.production = p  # its version; what was typed stays
        self.header.set_subject(p.detainee_no, p.full_name, about(p))
