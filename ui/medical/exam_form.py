"""The fields of a medical examination, top to bottom: the examination, vital signs,
injuries, TB screen, communicable disease signs, other findings, and the outcome.

Everything above the **Outcome** box is a finding, confidential to medical staff. The
outcome is what every member of staff reads, so it holds decisions and instructions,
never a diagnosis. Each field is registered in :class:`ErrorSlots` under the service's
error key, so a ``ValidationError`` shows beside the field it names.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from depot_app.clock import MYT
from depot_app.services.medical.exams import (
    ExamDefaults,
    ExamRequest,
    FindingsInput,
    OutcomeInput,
)
from depot_app.services.medical.vocab import (
    CHEST_XRAY,
    COMMUNICABLE,
    EXAM_KINDS,
    EXAMINER_KINDS,
    MENTAL_HEALTH,
    PREGNANCY,
    TB_SYMPTOMS,
    TRAVEL,
    URGENCY,
)
from ui import theme
from ui.admission.inputs import DateField, DateTimeField
from ui.medical.exam_parts import CheckGrid, InjuryRows, VitalsGrid, unit_field
from ui.medical.form_grid import (
    ErrorSlots,
    FormGrid,
    choose,
    combo,
    error_line,
    section_title,
)
from ui.movements.common import WhenField, line, text_box
from ui.widgets.fields import NoteLabel

OUTCOME_STYLE = ("QFrame#outcome { background: #f2f7fc; border: 1px solid #b9cde3;"
                 f" border-left: 4px solid {theme.ACCENT}; border-radius: 4px; }}")


class ExamForm(QWidget):
    sig_changed_size = Signal()  # a part appeared or went: the window may fit its height

    def __init__(self, slots: ErrorSlots, parent: QWidget | None = None):
        super().__init__(parent)
        self.slots = slots
        self.max_days: int | None = None  # of a fit-to-travel certificate, once known
        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 8, 4)
        body.setSpacing(4)
        self._build_examination(body)
        self._build_findings(body)
        body.addWidget(self._build_outcome())
        body.addStretch(1)

    def _build_examination(self, body: QVBoxLayout) -> None:
        body.addWidget(section_title("Examination"))
        grid = FormGrid(self.slots, columns=3)
        self.kind = grid.add("kind", "&Kind", combo(EXAM_KINDS))
        self.when = grid.add("examined_at", "&Time", WhenField(), span=2)
        self.examiner_name = grid.add("examiner_name", "E&xaminer", line("Full name", 120))
        self.examiner_reg_no = grid.add("examiner_reg_no", "&Reg. no.",
                                        line("MMC / MAB no.", 40))
        self.examiner_kind = grid.add("examiner_kind", "As", combo(EXAMINER_KINDS))
        self.kind.activated.connect(self._kind_chosen)
        body.addWidget(grid)

    def _build_findings(self, body: QVBoxLayout) -> None:
        body.addWidget(section_title("Vital signs", "leave blank what was not taken"))
        self.vitals = VitalsGrid(self.slots)
        body.addWidget(self.vitals)

        body.addWidget(section_title("Injuries"))
        self.injuries = InjuryRows(self.slots)
        self.injuries.sig_changed_size.connect(self.sig_changed_size)
        body.addWidget(self.injuries)

        body.addWidget(section_title("TB screen", "symptoms seen or reported"))
        self.tb = CheckGrid(TB_SYMPTOMS, columns=3)
        body.addWidget(self._with_line("findings.tb_symptoms", self.tb))
        xray = FormGrid(self.slots, columns=2)
        self.chest_xray = xray.add("findings.chest_xray", "Chest X-ray", combo(CHEST_XRAY))
        self.chest_xray_note = xray.add("findings.chest_xray_note", "Result",
                                        line("What the film shows", 300))
        body.addWidget(xray)

        body.addWidget(section_title("Communicable disease signs",
                                     "each one puts the detainee on the outbreak list"))
        self.communicable = CheckGrid(COMMUNICABLE, columns=3)
        body.addWidget(self._with_line("findings.communicable", self.communicable))

        body.addWidget(section_title("Other findings"))
        other = FormGrid(self.slots, columns=2)
        self.pregnancy = other.add("findings.pregnancy", "Pregnancy", combo(PREGNANCY))
        self.pregnancy_weeks = QLineEdit()
        self.pregnancy_weeks.setMaxLength(2)
        other.add("findings.pregnancy_weeks", "Weeks",
                  unit_field(self.pregnancy_weeks, "weeks", 2))
        self.pregnancy.currentIndexChanged.connect(self._pregnancy_changed)
        self.chronic = other.add("findings.chronic_conditions", "Chronic conditions",
                                 line("e.g. diabetes, hypertension", 2000), span=2)
        self.medication = other.add("findings.medication", "Medication",
                                    line("Taken now, with the dose", 2000), span=2)
        self.allergies = other.add("findings.allergies", "Allergies",
                                   line("e.g. penicillin; none known", 2000), span=2)
        self.mental_health = other.add("findings.mental_health", "Mental health",
                                       combo(MENTAL_HEALTH))
        self.mental_health_note = other.add("findings.mental_health_note", "Note",
                                            line("What was seen or said", 2000))
        self.notes = other.add("findings.notes", "Clinical notes",
                               text_box("Anything else for medical staff", 3), span=2)
        body.addWidget(other)

    def _build_outcome(self) -> QWidget:
        box = QFrame()
        box.setObjectName("outcome")
        box.setStyleSheet(OUTCOME_STYLE)
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 4, 12, 10)
        column.setSpacing(4)
        column.addWidget(section_title("Outcome",
                                       "seen by all staff — no diagnosis here"))
        decisions = QWidget()
        row = QHBoxLayout(decisions)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(22)
        self.fit_for_detention = QCheckBox("&Fit for detention")
        self.fit_for_detention.setChecked(True)
        self.isolate = QCheckBox("&Isolate")
        self.refer = QCheckBox("Refer to &hospital")
        for box_ in (self.fit_for_detention, self.isolate, self.refer):
            row.addWidget(box_)
        row.addStretch(1)
        decisions.setFocusProxy(self.fit_for_detention)
        column.addWidget(decisions)
        decided = error_line()
        column.addWidget(decided)
        for key, widget in (("outcome.fit_for_detention", self.fit_for_detention),
                            ("outcome.isolate", self.isolate),
                            ("outcome.refer_hospital", self.refer)):
            self.slots.add(key, widget, decided)

        self.referral = FormGrid(self.slots, columns=2)
        self.hospital = self.referral.add("outcome.hospital", "Hospital",
                                          line("e.g. Hospital Kajang", 200))
        self.urgency = self.referral.add("outcome.urgency", "Urgency", combo(URGENCY))
        self.referral.hide()
        self.refer.toggled.connect(self._refer_toggled)
        column.addWidget(self.referral)

        grid = FormGrid(self.slots, columns=1)
        self.special_diet = grid.add("outcome.special_diet", "Special diet",
                                     line("For the kitchen: e.g. soft diet; no nuts", 200))
        self.travel_hint = NoteLabel()
        self.travel_hint.setObjectName("muted")
        grid.add(("outcome.travel", "outcome.fit_to_travel_until", "outcome.unfit_reason"),
                 "Fitness to travel", self._build_travel(), hint=self.travel_hint)
        self.instructions = grid.add("outcome.instructions", "Instructions",
                                     text_box("For the wardens: e.g. observe every 30 "
                                              "minutes; no work duties", 2))
        self.next_due = DateTimeField()
        self.next_due.setMinimumWidth(self.next_due.fontMetrics().horizontalAdvance(
            "DD/MM/YYYY HH:MM") + 24)
        nxt = QWidget()
        nrow = QHBoxLayout(nxt)
        nrow.setContentsMargins(0, 0, 0, 0)
        nrow.addWidget(self.next_due)
        optional = QLabel("optional: when a follow-up is due (Malaysian time)")
        optional.setObjectName("muted")
        nrow.addWidget(optional)
        nrow.addStretch(1)
        nxt.setFocusProxy(self.next_due)
        grid.add("outcome.next_due_at", "Next examination", nxt)
        column.addWidget(grid)
        return box

    def _build_travel(self) -> QWidget:
        """Not assessed; fit until a date (the hint says how long it may run); unfit, and
        why."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.travel = combo(TRAVEL)
        row.addWidget(self.travel)
        self.until_label = QLabel("until")
        self.until = DateField()
        self.until.setMaximumWidth(120)
        self.unfit_reason = line("Reason, in words fit for officers to read", 300)
        row.addWidget(self.until_label)
        row.addWidget(self.until)
        row.addWidget(self.unfit_reason, 1)
        row.addStretch(0)
        box.setFocusProxy(self.travel)
        self.travel.currentIndexChanged.connect(self._travel_changed)
        self._travel_changed()
        return box

    def _with_line(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        shown = error_line()
        column.addWidget(shown)
        self.slots.add(key, widget, shown)
        return box

    # -- what depends on what -----------------------------------------------------------

    def _refer_toggled(self, on: bool) -> None:
        self.referral.setVisible(on)
        if on and self.isVisible():
            self.hospital.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_changed_size.emit()

    def _travel_changed(self, *_args) -> None:
        code = self.travel.currentData()
        fit = code == "fit"
        for w in (self.until_label, self.until):
            w.setVisible(fit)
        self.unfit_reason.setVisible(code == "unfit")
        if fit and not self.until.text().strip() and self.max_days is not None:
            today = dt.datetime.now(MYT).date()
            self.until.set_value(today + dt.timedelta(days=self.max_days))
        self.travel_hint.setVisible(fit and bool(self.travel_hint.text()))
        self.sig_changed_size.emit()

    def _kind_chosen(self, *_args) -> None:
        """A fitness-to-travel examination is usually to certify it: start from "fit"."""
        if self.kind.currentData() == "travel" and self.travel.currentData() == "not_assessed":
            choose(self.travel, "fit")

    def _pregnancy_changed(self, *_args) -> None:
        self.pregnancy_weeks.setEnabled(self.pregnancy.currentData() == "pregnant")

    # -- defaults and the request -----------------------------------------------

    def apply(self, d: ExamDefaults) -> None:
        """Start from the service's defaults."""
        self.max_days = d.fit_to_travel_max_days
        item = self.kind.model().item(self.kind.findData("screening"))
        if d.screened and item is not None:
            item.setEnabled(False)
            item.setToolTip("The admission screening is recorded")
        choose(self.kind, d.kind)
        self.examiner_name.setText(d.examiner_name)
        self.examiner_reg_no.setText(d.examiner_reg_no)
        choose(self.examiner_kind, d.examiner_kind)
        if d.sex != "M":
            self.pregnancy.setItemText(self.pregnancy.findData("not_asked"), "Not asked")
        else:
            choose(self.pregnancy, "not_asked")
            self.pregnancy.setEnabled(False)
            self.pregnancy.setToolTip("Not applicable: the detainee is recorded as male")
        self._pregnancy_changed()
        o = d.outcome
        self.fit_for_detention.setChecked(o.fit_for_detention)
        self.isolate.setChecked(o.isolate)
        self.special_diet.setText(o.special_diet)
        self.instructions.setPlainText(o.instructions)
        self.travel_hint.setText(f"A certificate runs at most {d.fit_to_travel_max_days} days "
                                 f"after the examination ({d.fit_to_travel_rule.split(': ', 1)[-1]})")
        self.until.set_value(o.fit_to_travel_until)
        self.unfit_reason.setText(o.unfit_reason)
        choose(self.travel, o.travel)
        self._travel_changed()

    def first_to_type(self) -> QWidget:
        """The first field that usually needs typing: the examiner's name and number the
        first time, the temperature once they are known."""
        return next((w for w in (self.examiner_name, self.examiner_reg_no)
                     if not w.text().strip()), self.vitals.edits["temperature_c"])

    def request(self, detention_id: int, errors: dict[str, str]) -> ExamRequest:
        """The request as the form stands; reasons for what cannot be read go in
        ``errors`` under the service's keys."""
        examined = until = next_due = None
        try:
            examined = self.when.value()
        except ValueError as exc:
            errors["examined_at"] = str(exc)
        travel = self.travel.currentData()
        if travel == "fit":
            try:
                until = self.until.value()
            except ValueError as exc:
                errors["outcome.fit_to_travel_until"] = str(exc)
        try:
            next_due = self.next_due.value()
        except ValueError as exc:
            errors["outcome.next_due_at"] = str(exc)
        pregnancy = self.pregnancy.currentData()
        findings = FindingsInput(
            **self.vitals.values(), injuries=self.injuries.values(),
            tb_symptoms=self.tb.checked(), chest_xray=self.chest_xray.currentData(),
            chest_xray_note=self.chest_xray_note.text(),
            communicable=self.communicable.checked(), pregnancy=pregnancy,
            pregnancy_weeks=self.pregnancy_weeks.text() if pregnancy == "pregnant" else None,
            chronic_conditions=self.chronic.text(), medication=self.medication.text(),
            allergies=self.allergies.text(), mental_health=self.mental_health.currentData(),
            mental_health_note=self.mental_health_note.text(),
            notes=self.notes.toPlainText())
        refer = self.refer.isChecked()
        outcome = OutcomeInput(
            fit_for_detention=self.fit_for_detention.isChecked(),
            isolate=self.isolate.isChecked(), refer_hospital=refer,
            hospital=self.hospital.text() if refer else "",
            urgency=self.urgency.currentData() if refer else "routine",
            special_diet=self.special_diet.text(), travel=travel, fit_to_travel_until=until,
            unfit_reason=self.unfit_reason.text() if travel == "unfit" else "",
            instructions=self.instructions.toPlainText(), next_due_at=next_due)
        return ExamRequest(detention_id, self.kind.currentData(),
                           self.examiner_name.text(), self.examiner_reg_no.text(),
                           self.examiner_kind.currentData(), findings=findings,
                           outcome=outcome, examined_at=examined)

    def snapshot(self) -> tuple:
        """What the user can change, to tell whether anything was typed."""
        values: list[object] = [len(self.injuries.rows)]
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit):
                values.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                values.append(w.toPlainText())
            elif isinstance(w, QComboBox):
                values.append(w.currentIndex())
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                values.append(w.isChecked())
        return tuple(values)
