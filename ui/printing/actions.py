"""Where printing starts: the buttons the detainee record and the detainee list carry.

Each gathers what it needs on the GUI thread (ids, the layout, a reason), then hands the
job to a :class:`~ui.printing.runner.PrintRunner`. Staff without ``Permission.PRINT`` do
not see them (every role has it today; the check stays).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from depot_app.actor import Permission
from depot_app.readmodels import DetaineeDetail
from forms.property_return import has_returns
from printing import court_jobs
from ui import format as fmt
from ui.context import AppContext
from ui.medical.record_words import certificate_exam_id
from ui.operations import printing as ops
from ui.printing.dialogs import SHEET, SINGLE, CardBatchDialog, ReissueCardDialog
from ui.printing.runner import PrintRunner

ADMISSION_RECORD = "admission-record"
PROPERTY_RECEIPT = "property-receipt"
PROPERTY_RETURN = "property-return"
CUSTODY_RECORD = "custody-record"
MOVEMENT_SLIP = "movement-slip"
FIT_TO_TRAVEL = "fit-to-travel"
AUTHORITY_HISTORY = court_jobs.AUTHORITY_HISTORY
DETENTION_ORDER = court_jobs.DETENTION_ORDER
MENU_WORDS = {SINGLE: "On a card printer (CR80)", SHEET: "On an A4 sheet, with cut marks"}
_card_layout = [SINGLE]      # the paper last chosen for one detainee's card, this session
_batch_layout = [SHEET]      # and for a batch


def can_print(ctx: AppContext) -> bool:
    return ctx.can(Permission.PRINT)


def _who(d: DetaineeDetail) -> str:
    return f"{d.detainee_no} · {d.full_name}"


def has_order(d: DetaineeDetail) -> bool:
    """Whether a Magistrate has made a detention order in this detention."""
    return any(s.authority == "magistrate_order" for s in d.stages)


class DetaineePrintBar(QWidget):
    """“Print card”, “Reissue card…” and “Print form ▾” (admission record, custody record,
    movement slip, property receipt, property return receipt, fit-to-travel certificate,
    detention-authority history, detention order record) for the record on show.

    ``record`` is the detainee record view: this bar reads its ``detention_id`` and
    ``detail`` and follows its ``sig_loaded``."""

    sig_started = Signal(object)   # the PrintRunner
    sig_finished = Signal(object)  # the PrintJob, or None

    def __init__(self, ctx: AppContext, record: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.record = record
        self.runner: PrintRunner | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 0, 0, 0)
        row.setSpacing(6)

        self.card_button = QToolButton()
        self.card_button.setStyleSheet("QToolButton { padding: 4px 26px 4px 10px; }"
                                       "QToolButton::menu-button { width: 20px; }")
        self.card_button.setText("Print &card")
        self.card_button.setToolTip("Print this detainee's card (a first card is issued if "
                                    "there is none)")
        self.card_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.card_button.clicked.connect(lambda: self.print_card(_card_layout[0]))
        menu = QMenu(self.card_button)
        self.layout_actions: dict[str, QAction] = {}
        for layout, words in MENU_WORDS.items():
            action = menu.addAction(words)
            action.triggered.connect(lambda _=False, chosen=layout: self.print_card(chosen))
            self.layout_actions[layout] = action
        self.card_button.setMenu(menu)
        self.reissue_button = QPushButton("&Reissue card…")
        self.reissue_button.setToolTip("Replace a lost or damaged card, or one with an old "
                                       "photo; the old card stops verifying")
        self.reissue_button.clicked.connect(self.reissue_card)
        # The A4 forms about this detainee, one menu: more buttons would not fit a record.
        self.forms_button = QToolButton()
        self.forms_button.setText("&Print form  ▾")  # Alt+F is the File menu
        self.forms_button.setStyleSheet("QToolButton { padding: 4px 12px; }"
                                        "QToolButton::menu-indicator { image: none; width: 0; }")
        self.forms_button.setToolTip("The A4 forms about this detainee")
        self.forms_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        forms_menu = QMenu(self.forms_button)
        self.form_actions: dict[str, QAction] = {}
        for code, words, tip, slot in (
            (ADMISSION_RECORD, "Admission record", "The particulars and photo",
             self.print_admission_record),
            (CUSTODY_RECORD, "Custody record", "Every placement, movement, visit and the "
             "property, with the officer for each entry", self.print_custody_record),
            (MOVEMENT_SLIP, "Movement slip (latest movement)", "Goes with the detainee: the "
             "movement, and signatures for the officer handing over and the escort",
             self.print_movement_slip),
            (PROPERTY_RECEIPT, "Property receipt", "The property and cash the depot holds, "
             "with the declarations to sign and a thumbprint box", self.print_property_receipt),
            (PROPERTY_RETURN, "Property return receipt", "What was given back (items and "
             "cash paid out) and what the depot still holds, for the detainee or whoever "
             "received it to sign", self.print_property_return),
            (FIT_TO_TRAVEL, "Fit-to-travel certificate", "The medical officer's certificate "
             "that holds today: it goes with the detainee on removal",
             self.print_fit_to_travel),
            (AUTHORITY_HISTORY, "Detention-authority history", "For the custody record: "
             "every stage and section of the Act since the arrest, any time held without "
             "authority, the productions and the Magistrate's orders",
             self.print_authority_history),
            (DETENTION_ORDER, "Detention order record (latest order)", "The record of the "
             "Magistrate's latest detention order (s.51(5)(b)): court, Magistrate, section, "
             "purpose, period and expiry", self.print_detention_order),
        ):
            action = forms_menu.addAction(words)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, run=slot: run())
            self.form_actions[code] = action
        forms_menu.setToolTipsVisible(True)
        self.forms_button.setMenu(forms_menu)
        for button in (self.card_button, self.reissue_button, self.forms_button):
            row.addWidget(button)
        self.card_button.setMinimumHeight(self.reissue_button.sizeHint().height())
        self.forms_button.setMinimumHeight(self.reissue_button.sizeHint().height())

        self._tips = {b: b.toolTip() for b in (self.card_button, self.reissue_button)}
        self._return_tip = self.form_actions[PROPERTY_RETURN].toolTip()
        self._travel_tip = self.form_actions[FIT_TO_TRAVEL].toolTip()
        self._order_tip = self.form_actions[DETENTION_ORDER].toolTip()
        if not can_print(ctx):
            self.hide()  # (never show(): still parentless, it would open as a window)
        self.update_state()
        if hasattr(record, "sig_loaded"):
            record.sig_loaded.connect(self.update_state)

    def detail(self) -> DetaineeDetail | None:
        d = getattr(self.record, "detail", None)
        if d is None or d.id != getattr(self.record, "detention_id", None):
            return None  # another record is loading
        return d

    def update_state(self, *_args) -> None:
        d = self.detail()
        busy = self.runner is not None
        in_custody = d is not None and d.status == "in_custody"
        self.forms_button.setEnabled(d is not None and not busy)
        self.form_actions[MOVEMENT_SLIP].setEnabled(d is not None and bool(d.movements))
        certified = d is not None and self._certificate(d) is not None
        self.form_actions[FIT_TO_TRAVEL].setEnabled(certified)
        self.form_actions[FIT_TO_TRAVEL].setToolTip(
            self._travel_tip if certified or d is None else
            "No fit-to-travel certificate holds today: medical staff certify it")
        ordered = d is not None and has_order(d)
        self.form_actions[DETENTION_ORDER].setEnabled(ordered)
        self.form_actions[DETENTION_ORDER].setToolTip(
            self._order_tip if ordered or d is None else
            "No Magistrate's detention order is recorded for this detainee")
        returned = d is not None and has_returns(d)
        self.form_actions[PROPERTY_RETURN].setEnabled(returned)
        self.form_actions[PROPERTY_RETURN].setToolTip(
            self._return_tip if returned or d is None else
            "Nothing has been given back to this detainee yet")
        for button in (self.card_button, self.reissue_button):
            button.setEnabled(in_custody and not busy)
            button.setToolTip(self._tips[button] if in_custody or d is None else
                              f"Cards are for detainees in custody; this one is "
                              f"{fmt.status(d.status).lower()}.")

    # -- the actions ----------------------------------------------------------------

    def print_card(self, layout: str = SINGLE) -> PrintRunner | None:
        d = self.detail()
        if d is None or not can_print(self.ctx):
            return None
        _card_layout[0] = layout
        return self._run(d, "the card", lambda task: ops.print_cards(
            self.ctx, [d.id], layout, task))

    def print_admission_record(self) -> PrintRunner | None:
        return self.print_document(ADMISSION_RECORD, "the admission record")

    def print_property_receipt(self) -> PrintRunner | None:
        return self.print_document(PROPERTY_RECEIPT, "the property receipt")

    def print_property_return(self) -> PrintRunner | None:
        """The receipt for what was given back; only once something has been."""
        d = self.detail()
        if d is None or not has_returns(d):
            return None
        return self.print_document(PROPERTY_RETURN, "the property return receipt")

    def print_custody_record(self) -> PrintRunner | None:
        return self.print_document(CUSTODY_RECORD, "the custody record")

    def print_movement_slip(self, movement_id: int | None = None) -> PrintRunner | None:
        """The slip of one movement (the latest when None)."""
        d = self.detail()
        if d is None or not can_print(self.ctx) or not d.movements:
            return None
        return self._run(d, "the movement slip", lambda task: ops.print_movement_slip(
            self.ctx, d.id, movement_id, task))

    @staticmethod
    def _certificate(d: DetaineeDetail) -> int | None:
        return certificate_exam_id(d.medical.status if d.medical is not None else None)

    def print_fit_to_travel(self) -> PrintRunner | None:
        """The certificate that holds today (from the medical outcome: no findings)."""
        d = self.detail()
        exam_id = self._certificate(d) if d is not None else None
        if d is None or exam_id is None or not can_print(self.ctx):
            return None
        return self._run(d, "the fit-to-travel certificate",
                         lambda task: ops.print_fit_to_travel(self.ctx, exam_id, task))

    def print_authority_history(self) -> PrintRunner | None:
        """On what authority the detainee was held from the arrest to now."""
        d = self.detail()
        if d is None or not can_print(self.ctx):
            return None
        return self._run(d, "the detention-authority history",
                         lambda task: ops.print_authority_history(self.ctx, d.id, task))

    def print_detention_order(self) -> PrintRunner | None:
        """The record of the latest Magistrate's order; only once there is one."""
        d = self.detail()
        if d is None or not has_order(d) or not can_print(self.ctx):
            return None
        return self._run(d, "the detention order record",
                         lambda task: ops.print_latest_order(self.ctx, d.id, task))

    def print_document(self, form_code: str, what: str) -> PrintRunner | None:
        """An A4 form about the record on show (any ``document`` form in the registry)."""
        d = self.detail()
        if d is None or not can_print(self.ctx):
            return None
        return self._run(d, what, lambda task: ops.print_form(self.ctx, form_code, [d.id],
                                                               task))

    def reissue_card(self) -> ReissueCardDialog | None:
        d = self.detail()
        if d is None or not can_print(self.ctx):
            return None
        dialog = ReissueCardDialog(self.ctx, d.id, _who(d), self.window(),
                                   layout=_card_layout[0])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda result: self._reissue_chosen(d, dialog, result))
        dialog.open()
        return dialog

    def _reissue_chosen(self, d: DetaineeDetail, dialog: ReissueCardDialog,
                        result: int) -> None:
        reason = dialog.reason()
        if result != QDialog.DialogCode.Accepted or reason is None:
            return
        layout = dialog.layout_choice()
        _card_layout[0] = layout
        self._run(d, "the new card", lambda task: ops.reissue_and_print_card(
            self.ctx, d.id, reason, layout, task))

    def _run(self, d: DetaineeDetail, what: str, make_op) -> PrintRunner:
        runner = PrintRunner(self.ctx, self, what=f"{what} of {d.detainee_no}", count=1,
                             subject=_who(d))
        runner.sig_finished.connect(lambda job: self._ended(runner, job))
        self.runner = runner
        self.update_state()
        runner.run(make_op)
        self.sig_started.emit(runner)
        return runner

    def _ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.update_state()
        self.sig_finished.emit(job)


class CardPrintButton(QPushButton):
    """“Print cards…” on the detainee list: the selected rows or everyone in custody.

    ``page`` is the list page: the ids come from its ``table`` selection and ``model``
    when the button is pressed."""

    sig_started = Signal(object)   # the PrintRunner
    sig_finished = Signal(object)  # the PrintJob, or None

    def __init__(self, ctx: AppContext, page: QWidget, parent: QWidget | None = None):
        super().__init__("&Print cards…", parent)
        self.ctx = ctx
        self.page = page
        self.runner: PrintRunner | None = None
        self.dialog: CardBatchDialog | None = None
        self.setToolTip("Detainee cards for the selected rows (Ctrl+click, Shift+click) or "
                        "for everyone in custody")
        self.clicked.connect(self.choose)
        if not can_print(ctx):
            self.hide()

    def selected_ids(self) -> list[int]:
        table = getattr(self.page, "table", None)
        model = getattr(self.page, "model", None)
        if table is None or model is None or table.selectionModel() is None:
            return []
        rows = sorted(index.row() for index in table.selectionModel().selectedRows())
        return [model.id_at(row) for row in rows]

    def choose(self) -> CardBatchDialog | None:
        if not can_print(self.ctx) or self.runner is not None:
            return None
        ids = self.selected_ids()  # gathered now: the selection may change meanwhile
        dialog = CardBatchDialog(self.ctx, len(ids), self.window(), layout=_batch_layout[0])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda result: self._chosen(dialog, ids, result))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, dialog: CardBatchDialog, ids: list[int], result: int) -> None:
        self.dialog = None
        if result != QDialog.DialogCode.Accepted:
            return
        batch, n = dialog.choice(), dialog.cards()
        _batch_layout[0] = batch.layout
        self.start(ids, everyone=batch.everyone, layout=batch.layout, count=n)

    def start(self, ids: list[int], *, everyone: bool, layout: str,
              count: int | None = None) -> PrintRunner:
        if everyone:
            what = fmt.plural(count, "card") if count else "the cards"
            subject = "everyone in custody" + (f" ({what})" if count else "")

            def make_op(task):
                return ops.print_cards_in_custody(self.ctx, layout, task)
        else:
            count = len(ids)
            what = fmt.plural(count, "card")
            subject = what

            def make_op(task):
                return ops.print_cards(self.ctx, ids, layout, task)
        runner = PrintRunner(self.ctx, self, what=what, count=count or 0, subject=subject)
        runner.sig_finished.connect(lambda job: self._ended(runner, job))
        self.runner = runner
        self.setEnabled(False)
        runner.run(make_op)
        self.sig_started.emit(runner)
        return runner

    def _ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.setEnabled(True)
        self.sig_finished.emit(job)
