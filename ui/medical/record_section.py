"""The Medical section of a detainee's record, for every role.

Everyone reads what staff must do (isolation, hospital, diet, fitness to travel, the
screening due) and each examination's outcome. Medical staff also read the findings of
the examination selected in the list; for everyone else the service never sends them
(``ExamView.findings`` is None), and the section says they are confidential instead of
showing an empty block.

The actions act on the detainee as they are now: "Record examination…" (medical staff,
in custody, in the depot), "Cancel referral…" (a referral still awaiting escort), and
prints: the selected examination's record (medical staff) and the fit-to-travel
certificate that holds today (anyone who may print). After an action the
section emits ``sig_done`` with a confirmation; the record refreshes from the change bus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from depot_app.actor import Permission
from depot_app.readmodels import DetaineeDetail
from depot_app.services.custody_common import REASON_LEN
from depot_app.services.medical.views import ExamView, MedicalRecordView, ReferralView
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.medical import record_words as words
from ui.medical.exam_dialog import ExamDialog
from ui.movements.common import MovementDialog, line, required, where_now
from ui.operations import medical as ops
from ui.operations import printing as print_ops
from ui.printing.actions import can_print
from ui.printing.runner import PrintRunner
from ui.widgets.record import Card, FactGrid, SmallTable

TONES = {
    "danger": f"color: {theme.DANGER}; background: {theme.DANGER_BG}; border: 1px solid #f3c2bd;",
    "warn": f"color: {theme.WARN_INK}; background: {theme.WARN_BG}; border: 1px solid #ecd28b;",
    "": f"color: {theme.ACCENT}; background: {theme.ACCENT_SOFT}; border: 1px solid #c3d7ec;",
}


def status_label(text: str, tone: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("tone", tone)
    label.setStyleSheet(f"QLabel {{ {TONES[tone]} border-radius: 4px; padding: 3px 9px;"
                        f"{' font-weight: 600;' if tone else ''} }}")
    return label


def may_examine(ctx: AppContext, d: DetaineeDetail | None) -> bool:
    """Whether this user may record an examination of ``d`` now."""
    return (d is not None and d.medical is not None and d.medical.can_record
            and ctx.can(Permission.RECORD_MEDICAL) and d.status == "in_custody"
            and not d.away_reason)


class CancelReferralDialog(MovementDialog):
    """Withdraw a hospital referral the detainee has not yet been taken out on."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, referral: ReferralView,
                 parent: QWidget | None = None):
        super().__init__(ctx, detail, "Cancel hospital referral", "Cancel referral",
                         "Cancelling…", parent, width=560)
        self.referral = referral
        self.set_intro(f"Referred to {referral.hospital} ({referral.urgency}) on "
                       f"{fmt.when(referral.referred_at)}, {referral.status_label}. Cancel it "
                       f"only when the detainee no longer needs to go.")
        box = self.findChild(QDialogButtonBox)
        keep = box.button(QDialogButtonBox.StandardButton.Cancel) if box else None
        if keep is not None:
            keep.setText("Keep the referral")  # not a second "Cancel" beside the action
        self.form.add_field("reason", required("Reason"),
                            line("e.g. treated at the depot clinic", REASON_LEN))
        self.inputs_done()

    def submit(self) -> None:
        if self.busy:
            return
        r = self.referral
        self.run(ops.cancel_referral(self.ctx, r.id, r.version,
                                     self.form.field("reason").text()),
                 f"Referral to {r.hospital} cancelled.")


class MedicalSection(Card):
    sig_done = Signal(str)  # a confirmation to show on the record
    sig_stale = Signal()  # a dialog met a record changed elsewhere
    sig_print_finished = Signal(object)  # the PrintJob, or None (cancelled or failed)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Medical", parent)
        self.ctx = ctx
        self.detail: DetaineeDetail | None = None
        self.record: MedicalRecordView | None = None
        self.dialog: QWidget | None = None
        self.runner: PrintRunner | None = None
        self._selected_id: int | None = None

        # The heading shares its line with the actions on the detainee.
        outer = self.layout()
        outer.removeWidget(self.title)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.title)
        head.addStretch(1)
        self.record_button = QPushButton("Record e&xamination…")
        self.record_button.setAutoDefault(False)
        self.record_button.clicked.connect(self.open_exam)
        self.cancel_button = QPushButton("Cancel referral…")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.open_cancel_referral)
        head.addWidget(self.cancel_button)
        head.addWidget(self.record_button)
        outer.insertLayout(0, head)

        self.status_box = QVBoxLayout()
        self.status_box.setSpacing(4)
        self.body.addLayout(self.status_box)
        self.screening = QLabel()
        self.screening.setObjectName("muted")
        self.body.addWidget(self.screening)
        self.exams = SmallTable(["Examined", "Kind", "Examiner", "Outcome",
                                 "Next examination"], "No examinations recorded.",
                                stretch_column=3, wrap={2: 2, 3: 5})
        self.exams.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exams.setStyleSheet(f"QTableWidget {{ selection-background-color: "
                                 f"{theme.ACCENT_SOFT}; selection-color: {theme.INK}; }}")
        self.exams.setToolTip("Select an examination to read its findings or print it")
        self.exams.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.exams.itemSelectionChanged.connect(self._selection_changed)
        self.exams.add_to(self.body)

        self.findings_title = QLabel()
        self.findings_title.setObjectName("sectionTitle")
        self.body.addWidget(self.findings_title)
        self.findings = FactGrid()
        self.body.addWidget(self.findings)
        self.injuries_title = QLabel("Injuries")
        self.injuries_title.setObjectName("muted")
        self.body.addWidget(self.injuries_title)
        self.injuries = SmallTable(["Where on the body", "Description", "Explained",
                                    "The detainee's account"], "No injuries seen.",
                                   stretch_column=3, wrap={0: 2, 1: 3, 3: 4})
        self.injuries.add_to(self.body)
        self.confidential = QLabel(words.CONFIDENTIAL)
        self.confidential.setObjectName("muted")
        self.body.addWidget(self.confidential)

        prints = QHBoxLayout()
        prints.setSpacing(6)
        self.print_exam_button = QPushButton("Print examination record")
        self.print_exam_button.setToolTip("The selected examination with its findings "
                                          "(medical staff only)")
        self.print_exam_button.clicked.connect(self.print_exam)
        self.print_travel_button = QPushButton("Print fit-to-travel certificate")
        self.print_travel_button.setToolTip("The certificate of the latest examination, "
                                            "while it holds")
        self.print_travel_button.clicked.connect(self.print_fit_to_travel)
        for button in (self.print_exam_button, self.print_travel_button):
            button.setAutoDefault(False)
            prints.addWidget(button)
        prints.addStretch(1)
        self.body.addLayout(prints)

    # -- showing --------------------------------------------------------------------

    def show_for(self, d: DetaineeDetail | None) -> None:
        self.detail = d
        self.record = rec = d.medical if d is not None else None
        self.setVisible(rec is not None)
        if rec is None:
            return
        while self.status_box.count():
            gone = self.status_box.takeAt(0).widget()
            if gone is not None:
                gone.setParent(None)  # out of the section now, deleted later
                gone.deleteLater()
        lines = words.status_lines(rec.status)
        for text, tone in lines:
            self.status_box.addWidget(status_label(text, tone))
        screened = words.screening_line(rec.status)
        if not lines and not screened:
            screened = "Nothing outstanding."
        self.screening.setText(screened)
        self.screening.setVisible(bool(screened))
        keep = self._selected_id  # the same examination stays selected on a refresh
        self.exams.set_rows(words.exam_rows(rec))
        ids = [e.outcome.id for e in rec.exams]
        row = ids.index(keep) if keep in ids else 0
        if ids:
            self.exams.selectRow(row)
        self._selection_changed()
        self.record_button.setVisible(may_examine(self.ctx, d))
        referral = rec.status.referral
        self.cancel_button.setVisible(self.ctx.can(Permission.RECORD_MEDICAL)
                                      and referral is not None and referral.status == "pending")
        self.confidential.setVisible(bool(rec.exams) and not rec.can_read_findings)
        self.print_exam_button.setVisible(bool(rec.exams) and rec.can_read_findings
                                          and can_print(self.ctx))
        self.print_travel_button.setVisible(can_print(self.ctx) and self.certificate_exam_id()
                                            is not None)

    def selected_exam(self) -> ExamView | None:
        if self.record is None:
            return None
        rows = self.exams.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.record.exams[row] if 0 <= row < len(self.record.exams) else None

    def _selection_changed(self) -> None:
        exam = self.selected_exam()
        self._selected_id = exam.outcome.id if exam is not None else None
        findings = exam.findings if exam is not None else None
        shown = findings is not None and self.record is not None \
            and self.record.can_read_findings
        for widget in (self.findings_title, self.findings, self.injuries_title):
            widget.setVisible(shown)
        if shown:
            self.findings_title.setText(words.findings_title(exam))
            self.findings.set_facts(words.findings_facts(findings))
            self.injuries.set_rows(words.injury_rows(findings))
        else:
            self.findings.set_facts([])
            self.injuries.set_rows([])
            self.injuries.empty.hide()
        idle = self.runner is None
        self.print_exam_button.setEnabled(exam is not None and idle)
        self.print_travel_button.setEnabled(idle)

    def certificate_exam_id(self) -> int | None:
        """The examination whose fit-to-travel certificate holds today (the latest one,
        when it found the detainee fit and its date has not passed)."""
        return words.certificate_exam_id(self.record.status if self.record is not None
                                         else None)

    # -- actions --------------------------------------------------------------------

    def _opened(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.sig_done.emit(dialog.confirmation))
        if hasattr(dialog, "sig_stale"):
            dialog.sig_stale.connect(self.sig_stale)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def open_exam(self) -> ExamDialog | None:
        d = self.detail
        if not may_examine(self.ctx, d) or self.dialog is not None:
            return None
        dialog = ExamDialog(self.ctx, d.id, self.window(), where=where_now(d))
        self._opened(dialog)
        return dialog

    def open_cancel_referral(self) -> CancelReferralDialog | None:
        d = self.detail
        referral = d.medical.status.referral if d is not None and d.medical else None
        if referral is None or referral.status != "pending" or self.dialog is not None \
                or not self.ctx.can(Permission.RECORD_MEDICAL):
            return None
        dialog = CancelReferralDialog(self.ctx, d, referral, self.window())
        self._opened(dialog)
        return dialog

    def print_exam(self) -> PrintRunner | None:
        """The selected examination's record, findings and all (medical staff)."""
        exam = self.selected_exam()
        if exam is None or self.record is None or not self.record.can_read_findings:
            return None
        return self._print(exam, "the examination record",
                           lambda task: print_ops.print_medical_exam(self.ctx, exam.outcome.id,
                                                                     task))

    def print_fit_to_travel(self) -> PrintRunner | None:
        """The certificate that holds today (an officer takes it on the removal)."""
        exam_id = self.certificate_exam_id()
        exam = next((e for e in self.record.exams if e.outcome.id == exam_id), None) \
            if self.record is not None else None
        if exam is None:
            return None
        return self._print(exam, "the fit-to-travel certificate",
                           lambda task: print_ops.print_fit_to_travel(self.ctx, exam_id, task))

    def _print(self, exam: ExamView, what: str, make_op) -> PrintRunner | None:
        if self.runner is not None or not can_print(self.ctx) or self.detail is None:
            return None
        d = self.detail
        runner = PrintRunner(self.ctx, self, what=what, count=1,
                             subject=f"{d.detainee_no} · {d.full_name} · "
                                     f"{exam.outcome.kind_label}, "
                                     f"{fmt.when(exam.outcome.examined_at)}")
        runner.sig_finished.connect(lambda job: self._print_ended(runner, job))
        self.runner = runner
        self._selection_changed()  # the print buttons wait
        runner.run(make_op)
        return runner

    def _print_ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self._selection_changed()
        self.sig_print_finished.emit(job)
