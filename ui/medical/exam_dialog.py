"""Recording a medical examination: quick to fill on a busy intake day.

The form starts from the service's defaults (:func:`ui.operations.medical.defaults`): the
kind the detainee is due (the admission screening until it is done), this examiner's name
and registration as last recorded, the outcome as it stands (a later examination replaces
it) and the time now. Every field may be left as it is; the cursor starts on the first one
that usually needs typing.

Keyboard: Tab follows the form top to bottom; Enter in a field moves to the next one
(it never records half a form); Ctrl+Enter or the button records; Esc cancels, asking
first when something was typed. A ``ValidationError`` puts each reason under the field
it names (``findings.pulse``, ``findings.injuries[0].body_site``, ``outcome.hospital``).

The findings are confidential to medical staff; the **Outcome** box at the end is what
every member of staff reads, so it holds decisions and instructions, never a diagnosis.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from depot_app.errors import DepotError, ValidationError
from depot_app.services.medical.exams import ExamDefaults, ExamRequest
from depot_app.services.medical.vocab import EXAM_KINDS
from ui import format as fmt
from ui import theme
from ui.context import AppContext
from ui.medical.exam_form import ExamForm
from ui.medical.form_grid import ErrorSlots
from ui.movements.common import DetaineeHeader
from ui.operations import medical as ops
from ui.operations.errors import describe
from ui.widgets.busy import BusyState
from ui.widgets.fields import NoteLabel

SCREEN_MARGIN = 40  # room left above and below the dialog on a small screen


class ExamDialog(QDialog):
    """Record one examination of one detainee. Open it with ``open()``; it loads its
    defaults (``sig_ready``), and on success closes with ``confirmation`` set."""

    sig_ready = Signal()  # the defaults are in: the form may be filled

    def __init__(self, ctx: AppContext, detention_id: int, parent: QWidget | None = None, *,
                 where: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.detention_id = detention_id
        self.where = where
        self.defaults: ExamDefaults | None = None
        self.confirmation = ""
        self.result_value: object | None = None
        self._pristine: tuple = ()
        self._asking: QMessageBox | None = None
        self.setWindowTitle("Medical examination")
        self.setMinimumWidth(900)
        self.slots = ErrorSlots(self._fit_soon)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(8)
        self.header = DetaineeHeader()  # filled once the defaults are read
        layout.addWidget(self.header)
        self.message = NoteLabel("Loading the examination form…")
        self.message.setObjectName("muted")
        layout.addWidget(self.message)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form = ExamForm(self.slots)
        self.form.sig_changed_size.connect(self._fit_soon)
        self.scroll.setWidget(self.form)
        layout.addWidget(self.scroll, 1)

        foot = QHBoxLayout()
        legend = QLabel("Enter moves to the next field · Ctrl+Enter records · Esc cancels")
        legend.setObjectName("muted")
        foot.addWidget(legend)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("Record examination", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setAutoDefault(False)
        theme.mark_primary(self.ok)
        self.cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.cancel_requested)
        foot.addWidget(buttons, 1)
        layout.addLayout(foot)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)
        self._busy = BusyState(self.ok, "Recording…", [self.form])
        # Wherever the cursor goes (Enter, a mnemonic, a reason's field), it is in view.
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._watching_focus = True
        self.form.setEnabled(False)
        self.ok.setEnabled(False)
        self._load()

    # -- building -------------------------------------------------------------------


    def done(self, result: int) -> None:
        if self._watching_focus:
            self._watching_focus = False
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        super().done(result)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and self.form.isAncestorOf(now):
            self.scroll.ensureWidgetVisible(now, 20, 30)

    # -- loading --------------------------------------------------------------------

    def _load(self) -> None:
        (ops.defaults(self.ctx, self.detention_id).parent(self)
         .success(self._apply).failure(self._not_loaded).run_in_background())

    def _not_loaded(self, exc: DepotError) -> None:
        self.show_message(describe(exc))

    def _apply(self, d: ExamDefaults) -> None:
        self.defaults = d
        self.setWindowTitle(f"Medical examination – {d.detainee_no}")
        about = [fmt.SEX.get(d.sex, d.sex)]
        if self.where:
            about.append(f"now: {self.where}")
        self.header.set_subject(d.detainee_no, d.full_name, " · ".join(about))
        self.form.apply(d)
        self.message.hide()
        self.form.setEnabled(True)
        self.ok.setEnabled(True)
        self._pristine = self.form.snapshot()
        self.form.first_to_type().setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit_soon()
        self.sig_ready.emit()

    # -- the request ----------------------------------------------------------------

    def confirmation_words(self, req: ExamRequest) -> str:
        number = self.defaults.detainee_no if self.defaults else ""
        text = f"{EXAM_KINDS[req.kind]} of {number} recorded"
        o = req.outcome
        then = [w for w, on in (("not fit for detention", not o.fit_for_detention),
                                ("isolation required", o.isolate),
                                (f"referred to {o.hospital.strip()}", o.refer_hospital))
                if on]
        return f"{text}: {', '.join(then)}." if then else f"{text}."

    # -- running --------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy.active

    def submit(self) -> None:
        if self.busy or self.defaults is None:
            return
        errors: dict[str, str] = {}
        req = self.form.request(self.detention_id, errors)
        if errors:
            self.show_errors(errors)
            return
        self.slots.clear()
        self.message.hide()
        self._busy.begin()
        words = self.confirmation_words(req)
        (ops.record_exam(self.ctx, req).parent(self).finished(self._busy.end)
         .success(lambda value: self._done(value, words))
         .failure(self._refused).run_in_background())

    def show_errors(self, errors: dict[str, str]) -> None:
        leftovers = self.slots.show(errors)
        placed = len(errors) - len(leftovers)
        text = "\n".join(leftovers) or (
            "Not recorded: " + ("one answer needs" if placed == 1 else f"{placed} answers need")
            + " correcting; each reason is in red under its field, the cursor is on the first.")
        self.show_message(text, error=True)
        # The message above the form takes room from it: bring the first bad field back
        # into view once the dialog has settled.
        QTimer.singleShot(0, self, self._show_focused)

    def _show_focused(self) -> None:
        now = QApplication.focusWidget()
        if now is not None and self.form.isAncestorOf(now):
            self.scroll.ensureWidgetVisible(now, 20, 30)

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setObjectName("formError" if error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._fit_soon()

    def error_text(self, key: str) -> str:
        """The reason shown under the field of ``key`` (for tests and the curious)."""
        return self.slots.text(key)

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.fields)
        else:  # not in custody any more, gone out, a conflict: in words, nothing lost
            self.show_message(describe(exc))

    def _done(self, value: object, words: str) -> None:
        self.result_value = value
        self.confirmation = words
        self.accept()

    # -- cancelling -----------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.defaults is not None and self.form.snapshot() != self._pristine

    def cancel_requested(self) -> None:
        """Esc or Cancel: close, asking first when something was typed."""
        if self.busy:
            return
        if not self.is_dirty():
            self.reject()
            return
        if self._asking is not None:
            return
        ask = QMessageBox(QMessageBox.Icon.Question, "Discard the examination?",
                          "What was typed in this examination is not recorded yet. "
                          "Discard it?", parent=self)
        discard = ask.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = ask.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        ask.setDefaultButton(keep)  # Esc then Enter must not throw the examination away
        ask.setEscapeButton(keep)
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        ask.finished.connect(lambda _r: self._asked(ask.clickedButton() is discard))
        self._asking = ask
        ask.open()

    def _asked(self, discard: bool) -> None:
        self._asking = None
        if discard:
            self.reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel_requested()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            else:
                self.focusNextChild()  # Enter never records half a form
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.spontaneous() and self.is_dirty() and not self.busy:
            event.ignore()  # the window's close box: ask, as Esc does
            self.cancel_requested()
            return
        super().closeEvent(event)

    # -- size -----------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fit_height()

    def _fit_soon(self) -> None:
        if self.isVisible():
            QTimer.singleShot(0, self, self.fit_height)

    def fit_height(self) -> None:
        """As tall as the form, up to the screen's height less a margin: on a small
        screen the form scrolls, the header and the buttons stay."""
        layout = self.layout()
        layout.activate()
        self.form.adjustSize()
        chrome = layout.totalSizeHint().height() - self.scroll.sizeHint().height()
        need = chrome + self.form.sizeHint().height() + 4
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            need = min(need, screen.height() - SCREEN_MARGIN)
        if need > self.height():
            self.resize(max(self.width(), self.minimumWidth()), need)
        if screen is not None and self.isVisible():
            frame = self.frameGeometry()
            if frame.bottom() > screen.bottom():
                self.move(frame.x(), max(screen.top(), screen.bottom() - frame.height()))
