"""The admission wizard: identity → document → records check → arrest and legal basis →
vulnerability and family → employer → property and cash → photo → review and admit.

Keyboard first: Enter goes on (a complete MRZ scan too), Alt+B goes back, the outline on
the left shows where one is. Each Next checks the request so far with the service (on the
worker) and keeps the errors of the steps already seen, so a bad field is named on its
own step; the admission itself is one unit of work.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from depot_app.errors import DepotError, ValidationError
from depot_app.readmodels import DetaineeRow
from depot_app.services.admission import AdmissionCheck, AdmissionRequest
from depot_app.services.identity import IdentityQuery
from ui import format as fmt
from ui import theme
from ui.admission.belongings_steps import PhotoStep, PropertyStep
from ui.admission.custody_steps import ArrestStep, EmployerStep, VulnerabilityStep
from ui.admission.import_dialog import ImportDialog
from ui.admission.person_steps import DocumentStep, IdentityStep
from ui.admission.records_check import RecordsCheckStep
from ui.admission.review import AdmittedPanel, ReviewStep
from ui.admission.step import Step, field_head
from ui.context import AppContext
from ui.operations import admission as ops
from ui.operations import printing as print_ops
from ui.printing.dialogs import SHEET, SINGLE
from ui.printing.runner import PrintRunner

PROPERTY_RECEIPT = "property-receipt"
ADMISSION_RECORD = "admission-record"


class AdmissionWizard(QWidget):
    sig_open_detainee = Signal(int)
    sig_admitted = Signal(object)  # DetaineeRow

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.check: AdmissionCheck | None = None
        self.admitted: DetaineeRow | None = None
        self.runner: PrintRunner | None = None

        self.outline = QListWidget()
        self.outline.setObjectName("stepOutline")
        self.outline.setFixedWidth(210)
        self.outline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.outline.itemClicked.connect(lambda item: self.go_to(self.outline.row(item)))
        self.stack = QStackedWidget()
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        theme.mark_primary(self.next_button)
        self.restart_button = QPushButton("Start &over")
        self.import_button = QPushButton("&Import a list…")
        self.import_button.setToolTip("Admit everyone on an enforcement operation's arrest "
                                      "list (CSV or XLSX) at once")
        self.import_button.clicked.connect(self.open_import)
        self.import_dialog: ImportDialog | None = None
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.restart_button.clicked.connect(self.confirm_restart)
        for button in (self.back_button, self.restart_button, self.import_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        bar = QHBoxLayout()
        bar.setContentsMargins(24, 8, 24, 14)
        bar.addWidget(self.restart_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.back_button)
        bar.addWidget(self.next_button)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.stack, 1)
        right.addLayout(bar)
        self.wizard = QWidget()
        row = QHBoxLayout(self.wizard)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.outline)
        row.addLayout(right, 1)

        self.done = AdmittedPanel()
        self.done.sig_print_card.connect(self.print_card)
        self.done.sig_print_receipt.connect(lambda: self.print_form(PROPERTY_RECEIPT,
                                                                    "the property receipt"))
        self.done.sig_print_record.connect(lambda: self.print_form(ADMISSION_RECORD,
                                                                   "the admission form"))
        self.done.sig_open.connect(lambda: self.admitted and self.sig_open_detainee.emit(
            self.admitted.id))
        self.done.sig_again.connect(self.restart)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.wizard)
        self.pages.addWidget(self.done)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        back = QShortcut(QKeySequence("Alt+Left"), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back)
        self.steps: list[Step] = []
        self._build_steps()

    # -- the steps ------------------------------------------------------------------

    def _build_steps(self) -> None:
        for step in self.steps:
            self.stack.removeWidget(step)
            step.deleteLater()
        self.identity = IdentityStep()
        self.document = DocumentStep()
        self.records = RecordsCheckStep()
        self.arrest = ArrestStep()
        self.vulnerability = VulnerabilityStep()
        self.employer = EmployerStep()
        self.property = PropertyStep()
        self.photo = PhotoStep()
        self.review = ReviewStep()
        self.steps = [self.identity, self.document, self.records, self.arrest,
                      self.vulnerability, self.employer, self.property, self.photo, self.review]
        self.outline.clear()
        for n, step in enumerate(self.steps, start=1):
            self.outline.addItem(f"{n}. {step.title}")
            self.stack.addWidget(step)
        self.identity.sig_mrz_read.connect(self.document.take_mrz)
        self.identity.sig_advance.connect(self.next)
        self.records.sig_previously_removed.connect(
            lambda section: section and self.arrest.suggest_basis("s.36"))
        self.arrest.prefill()
        self.index = 0
        self.reached = 0
        self.check = None
        self._show(0)

    def step_of(self, field: str) -> int:
        """The step that shows this request field (the review step for any other)."""
        for i, step in enumerate(self.steps):
            if step.shows(field) or field in step.form.field_names():
                return i
        return len(self.steps) - 1

    def request(self, errors: dict[str, str]) -> AdmissionRequest:
        values: dict = {}
        for step in self.steps:
            values.update(step.collect(errors))
        return AdmissionRequest(**values)

    # -- moving ---------------------------------------------------------------------

    def _show(self, index: int) -> None:
        self.index = index
        self.reached = max(self.reached, index)
        step = self.steps[index]
        if step is self.vulnerability:
            self.vulnerability.set_sex(self.identity.sex.currentData() or "")
            if self.check is not None:
                self.vulnerability.set_minor(self.check.age_at_arrest, self.check.is_minor)
        if step is self.review:
            self.review.show_summary([(s.title, s.summary()) for s in self.steps[:-1]],
                                     self.check)
        self.stack.setCurrentWidget(step)
        for row in range(self.outline.count()):
            item = self.outline.item(row)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          if row <= self.reached else Qt.ItemFlag.NoItemFlags)
        self.outline.setCurrentRow(index)
        self.back_button.setEnabled(index > 0)
        self.next_button.setText("&Admit" if step is self.review else "&Next")
        self.status.setText(f"Step {index + 1} of {len(self.steps)}")
        step.entered()

    def go_to(self, index: int) -> None:
        if not self.busy and 0 <= index <= self.reached:
            self._show(index)

    def back(self) -> None:
        if not self.busy and self.index > 0 and self.pages.currentWidget() is self.wizard:
            self._show(self.index - 1)

    def next(self) -> None:
        if self.busy or self.pages.currentWidget() is not self.wizard:
            return
        step = self.steps[self.index]
        if step is self.review:
            self.admit()
            return
        unread: dict[str, str] = {}
        request = self.request(unread)
        self._busy(True, "Checking…")
        # The service checks what could be read; what could not is named with it, so all
        # the step's errors come at once.
        (ops.validate(self.ctx, request).parent(self)
         .finished(lambda: self._busy(False))
         .success(lambda check: self._checked(check, request, unread))
         .failure(lambda exc: self._refused(exc, unread=unread, request=request))
         .run_in_background())

    def _checked(self, check: AdmissionCheck | None, request: AdmissionRequest,
                 unread: dict[str, str]) -> None:
        mine = {f: r for f, r in unread.items() if self.step_of(f) <= self.index}
        if mine:
            self.show_errors(mine)
            return
        self._clear_errors()
        if check is not None:
            self.check = check
        if self.steps[self.index] is self.document:
            self._identity_check(request)
        else:
            self._show(self.index + 1)

    def _refused(self, exc: DepotError, *, admitting: bool = False,
                 unread: dict[str, str] | None = None,
                 request: AdmissionRequest | None = None) -> None:
        if not isinstance(exc, ValidationError):
            self.steps[self.index].form.show_message(str(exc))
            return
        errors = {**exc.fields, **(unread or {})}
        seen = {f: r for f, r in errors.items() if admitting or self.step_of(f) <= self.index}
        if seen:
            self.show_errors(seen)
        elif not admitting and request is not None:
            self._checked(None, request, {})  # what is wrong belongs to steps still to come

    def show_errors(self, errors: dict[str, str]) -> None:
        by_step: dict[int, dict[str, str]] = {}
        for field, reason in errors.items():
            by_step.setdefault(self.step_of(field), {})[field] = reason
        first = min(by_step)
        self._show(first)
        self._clear_errors()
        for i, step in enumerate(self.steps):
            if i in by_step:
                step.form.show_errors(self._placed(step, by_step[i]))
        for i in by_step:
            item = self.outline.item(i)
            item.setForeground(Qt.GlobalColor.red)
        self.status.setText(f"Please correct {fmt.plural(len(errors), 'field')} "
                            f"({', '.join(self.steps[i].title for i in sorted(by_step))}).")

    @staticmethod
    def _placed(step: Step, errors: dict[str, str]) -> dict[str, str]:
        """``family[1].detainee_no`` goes under the ``family`` field when the step has no
        field of its own for it (the reason says which line)."""
        names = set(step.form.field_names())
        out: dict[str, str] = {}
        for field, reason in errors.items():
            head = field_head(field)
            if field not in names and head in names:
                line = re.search(r"\[(\d+)\]", field)
                prefix = f"Line {int(line.group(1)) + 1}: " if line else ""
                out[head] = (out[head] + "\n" if head in out else "") + prefix + reason
            else:
                out[field] = reason
        return out

    def _clear_errors(self) -> None:
        for row, step in enumerate(self.steps):
            step.form.clear_errors()
            self.outline.item(row).setData(Qt.ItemDataRole.ForegroundRole, None)

    def _identity_check(self, request: AdmissionRequest) -> None:
        number = request.documents[0].number if request.documents else ""
        query = IdentityQuery(request.full_name, request.date_of_birth, request.nationality,
                              number, request.sex)
        if query == self.records.checked_for and self.records.candidates is not None:
            self._show(self.index + 1)
            return
        self.records.checking()
        self._busy(True, "Checking the records…")

        def found(candidates) -> None:
            self.records.checked_for = query
            self.records.show_candidates(candidates, number)
            self._show(self.index + 1)

        (ops.find_candidates(self.ctx, query).parent(self)
         .finished(lambda: self._busy(False)).success(found).failure(self._refused)
         .run_in_background())

    def _busy(self, busy: bool, words: str = "") -> None:
        self.busy = busy
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy and self.index > 0)
        if busy:
            self.status.setText(words)
        else:
            self.status.setText(f"Step {self.index + 1} of {len(self.steps)}")

    # -- admitting ------------------------------------------------------------------

    def admit(self) -> None:
        errors: dict[str, str] = {}
        request = self.request(errors)
        if errors:
            self.show_errors(errors)
            return
        self._busy(True, "Admitting…")
        (ops.admit(self.ctx, request).parent(self)
         .finished(lambda: self._busy(False)).success(self._admitted)
         .failure(lambda exc: self._refused(exc, admitting=True)).run_in_background())

    def _admitted(self, row: DetaineeRow) -> None:
        self.admitted = row
        due = fmt.when(self.check.production_due) if self.check else ""
        self.done.show_row(row, due)
        has_property = bool(self.property.table.items({})) or bool(
            self.property.cash.text().strip())
        self.done.receipt.setVisible(has_property)
        self.pages.setCurrentWidget(self.done)
        self.done.card.setFocus()
        self.sig_admitted.emit(row)

    def confirm_restart(self) -> None:
        """Start over, after asking when something has been entered."""
        if self.pages.currentWidget() is self.wizard and self._entered_anything():
            answer = QMessageBox.question(
                self, "Start over", "Clear everything entered for this admission and start "
                "again?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.restart()

    def _entered_anything(self) -> bool:
        i = self.identity
        return self.reached > 0 or any(w.text().strip() for w in (
            i.full_name, i.date_of_birth, i.aliases)) or bool(i.mrz.toPlainText().strip())

    def restart(self) -> None:
        if self.busy:
            return
        self.admitted = None
        self._build_steps()
        self.pages.setCurrentWidget(self.wizard)
        self.steps[0].entered()

    # -- printing after the admission ----------------------------------------------

    def print_card(self) -> PrintRunner | None:
        row = self.admitted
        if row is None or self.runner is not None:
            return None
        return self._print(f"the card of {row.detainee_no}",
                           lambda task: print_ops.print_cards(self.ctx, [row.id], SINGLE, task))

    def print_form(self, code: str, what: str) -> PrintRunner | None:
        row = self.admitted
        if row is None or self.runner is not None:
            return None
        return self._print(f"{what} of {row.detainee_no}",
                           lambda task: print_ops.print_form(self.ctx, code, [row.id], task))

    def print_batch(self, ids: tuple[int, ...], list_name: str) -> PrintRunner | None:
        """The cards of everyone a list import admitted, on A4 sheets, in one job."""
        if not ids or self.runner is not None:
            return None
        what = fmt.plural(len(ids), "card")
        return self._print(what, lambda task: print_ops.print_cards(self.ctx, list(ids), SHEET,
                                                                    task),
                           subject=f"{what} for {list_name}", count=len(ids))

    def _print(self, what: str, make_op, *, subject: str = "", count: int = 1) -> PrintRunner:
        row = self.admitted
        if not subject and row is not None:
            subject = f"{row.detainee_no} · {row.full_name}"
        runner = PrintRunner(self.ctx, self, what=what, count=count, subject=subject)
        runner.sig_finished.connect(lambda _job: setattr(self, "runner", None))
        self.runner = runner
        runner.run(make_op)
        return runner

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.ctx, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _r: setattr(self, "import_dialog", None))
        dialog.sig_print_cards.connect(self.print_batch)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    # -- keys -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and self.isAncestorOf(focused):
                focused.animateClick()  # Enter on a button presses that button
                return
            if self.pages.currentWidget() is self.wizard:
                self.next()
                return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.activate()

    def activate(self) -> None:
        if self.pages.currentWidget() is self.wizard:
            self.steps[self.index].entered()
