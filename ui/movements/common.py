"""What every movement dialog shares: the detainee at the top, a form whose fields carry
the request's names, a time that defaults to now, and one way to handle the answer.

``DetaineeDialog`` is that frame, which the court dialogs (``ui.court.dialog_base``) share
too. A dialog sends one request through ``ui/operations/``. A ``ValidationError`` puts
each reason under the field it names and nothing closes; a ``ConflictError`` (the record
changed at another workstation) says so and calls ``reload()``: a movement dialog reads
the record again (keeping what was typed) and emits ``sig_stale`` so the record on screen
reloads too. On success the dialog closes with ``confirmation`` set: a short sentence for
the record to show.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from depot_app.clock import MYT
from depot_app.errors import ConflictError, DepotError, ValidationError
from depot_app.readmodels import DetaineeDetail
from ui import format as fmt
from ui import theme
from ui.admission.inputs import DateTimeField
from ui.context import AppContext
from ui.operations import detainees as detainee_ops
from ui.operations.errors import describe
from ui.operations.op import DbOp
from ui.widgets.busy import BusyState
from ui.widgets.fields import FieldForm, NoteLabel
from ui.widgets.text import leave_room_for_marks

REQUIRED_MARK = f' <span style="color:{theme.DANGER}">*</span>'
CONFLICT_WORDS = ("Someone else changed this detainee's record at another workstation while "
                  "this window was open. The record has been read again: check it as it is "
                  "now, then try again if this is still right.")


def required(label: str) -> str:
    """A form label marked as one that must be filled in."""
    return f"{html.escape(label)}{REQUIRED_MARK}"


def where_now(d: DetaineeDetail) -> str:
    """Where the detainee is now, in words: a cell, reception, out (and why), or gone."""
    if d.status == "in_custody":
        return d.location or "Reception (unallocated)"
    text = fmt.status(d.status)
    return f"{text} {fmt.when(d.ended_at)}" if d.ended_at else text


def line(placeholder: str = "", max_len: int = 0) -> QLineEdit:
    edit = QLineEdit()
    if placeholder:
        edit.setPlaceholderText(placeholder)
    if max_len:
        edit.setMaxLength(max_len)
    return edit


def text_box(placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class WhenField(QWidget):
    """A date and time in Malaysian time that starts at now and may be set earlier.

    ``value()`` is None while it still shows the time it was opened with (the service then
    records the moment it is saved), otherwise the time typed; ``ValueError`` naming the
    reason when it cannot be read."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.edit = DateTimeField()
        self.edit.setMaximumWidth(175)  # the whole of DD/MM/YYYY HH:MM when empty
        row.addWidget(self.edit)
        self.now_button = QPushButton("Now")
        self.now_button.setToolTip("Set to the present time")
        self.now_button.setAutoDefault(False)
        self.now_button.clicked.connect(self.reset)
        row.addWidget(self.now_button)
        zone = QLabel("Malaysian time")
        zone.setObjectName("muted")
        row.addWidget(zone)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self._default = ""
        self.reset()

    def reset(self) -> None:
        now = dt.datetime.now(MYT).replace(second=0, microsecond=0)
        self.edit.set_value(now)
        self._default = self.edit.text()

    @property
    def is_now(self) -> bool:
        return self.edit.text().strip() == self._default

    def value(self) -> dt.datetime | None:
        if self.is_now:
            return None
        if not self.edit.text().strip():
            raise ValueError("Give the date and time (DD/MM/YYYY HH:MM), or press Now")
        return self.edit.value()

    def exact(self) -> dt.datetime:
        """The time as a value the service needs: now (to the second) when untouched."""
        return self.value() or dt.datetime.now(dt.UTC)

    def set_value(self, value: dt.datetime) -> None:
        self.edit.set_value(value)


class DetaineeHeader(QFrame):
    """Whom the dialog is about: number, name and where they are now."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.number = QLabel()
        self.number.setStyleSheet(f"font-weight: 600; color: {theme.ACCENT};")
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 12pt; font-weight: 600;")
        leave_room_for_marks(self.name)
        top.addWidget(self.number, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.name, 1)
        column.addLayout(top)
        self.where = NoteLabel()
        self.where.setObjectName("muted")
        column.addWidget(self.where)

    def show_detail(self, d: DetaineeDetail) -> None:
        self.set_subject(d.detainee_no, d.full_name, f"Now: {where_now(d)}")

    def set_subject(self, number: str, name: str, about: str) -> None:
        self.number.setText(number)
        self.name.setText(name)
        self.where.setText(about)


class DetaineeDialog(QDialog):
    """The frame of a dialog that changes one detainee's record: the detainee at the top,
    a note, a form whose fields carry the request's names, the legend, one main button
    (busy while the work runs), and one way to handle the answer. Subclasses add fields to
    ``self.form`` and implement ``submit()`` with ``self.run(op, confirmation)``;
    ``conflict_words`` are said, and ``reload()`` called, when the record changed
    elsewhere."""

    conflict_words = CONFLICT_WORDS

    def __init__(self, ctx: AppContext, title: str, action: str, busy_text: str,
                 parent: QWidget | None = None, *, width: int):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.confirmation = ""
        self.result_value: object | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)
        self.header = DetaineeHeader()
        layout.addWidget(self.header)
        self.intro = NoteLabel()
        self.intro.hide()
        layout.addWidget(self.intro)
        self.form = FieldForm()
        self.form.sig_changed_size.connect(self._fit_soon)
        layout.addWidget(self.form)
        foot = QHBoxLayout()
        self.legend = QLabel(f"Fields marked{REQUIRED_MARK} must be filled in.")
        self.legend.setObjectName("muted")
        foot.addWidget(self.legend)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        theme.mark_primary(self.ok)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        foot.addWidget(buttons, 1)
        layout.addLayout(foot)
        # The whole form: rows added later (another notification) are covered too.
        self._busy = BusyState(self.ok, busy_text, [self.form])

    # -- building -------------------------------------------------------------------

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))
        self._fit_soon()

    # -- size -----------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.fit_height()
        QTimer.singleShot(0, self.fit_height)  # again, once the layout has settled

    def fit_height(self) -> None:
        """The height the content needs at this width: a wrapped label's size hint is
        measured narrower, which left gaps between the rows."""
        layout = self.layout()
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        need = max(need, layout.totalMinimumSize().height())
        if need != self.height():
            self.resize(self.width(), need)
        screen = self.screen().availableGeometry() if self.screen() else None
        frame = self.frameGeometry()
        if screen is not None and self.isVisible() and frame.bottom() > screen.bottom():
            self.move(frame.x(), max(screen.top(), screen.bottom() - frame.height()))

    def _fit_soon(self) -> None:
        """Something came or went (a message under a field, a note): fit the height once
        the layout has settled."""
        if self.isVisible():
            QTimer.singleShot(0, self, self.fit_height)

    # -- running --------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy.active

    def submit(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def run(self, op: DbOp, confirmation: str) -> None:
        self.form.clear_errors()
        self._busy.begin()
        (op.parent(self).finished(self._busy.end)
         .success(lambda value: self._done(value, confirmation))
         .failure(self._refused).run_in_background())

    def field_for(self, key: str) -> str:
        """The form field that shows a service error named ``key`` (subclasses map nested
        names such as ``notifications[0].notified_at``)."""
        return key

    def show_errors(self, errors: dict[str, str]) -> None:
        shown: dict[str, str] = {}
        for key, reason in errors.items():
            name = self.field_for(key)
            shown[name] = f"{shown[name]}; {reason}" if name in shown else reason
        self.form.show_errors(shown)  # the form asks for the height to be fitted again

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.fields)
        elif isinstance(exc, ConflictError):
            self.form.show_message(self.conflict_words)
            self.reload()
        else:
            self.form.show_message(describe(exc))

    def reload(self) -> None:
        """Read what the dialog works on again (after a conflict)."""

    def saved(self, value: object) -> None:
        """The change is saved and the dialog about to close (subclasses tell others)."""

    def _done(self, value: object, confirmation: str) -> None:
        self.result_value = value
        self.confirmation = confirmation
        self.saved(value)
        self.accept()


class MovementDialog(DetaineeDialog):
    """The frame of every movement dialog. Subclasses add fields to ``self.form`` (named
    as the request's attributes), call ``inputs_done()``, and implement ``submit()``
    with ``self.run(op, confirmation)``."""

    sig_stale = Signal()  # the record changed elsewhere: the record on screen reloads

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, title: str, action: str,
                 busy_text: str, parent: QWidget | None = None, *, width: int = 560):
        super().__init__(ctx, f"{title} – {detail.detainee_no}", action, busy_text, parent,
                         width=width)
        self.detail = detail
        self.header.show_detail(detail)

    # -- building -------------------------------------------------------------------

    def inputs_done(self) -> None:
        """Call once the fields are added: the first one takes the focus."""
        names = self.form.field_names()
        if names:
            self.form.field(names[0]).setFocus()

    def set_label(self, name: str, text: str) -> None:
        label = self.form.form.labelForField(self.form.field(name))
        if isinstance(label, QLabel):
            label.setText(text)

    def set_field_visible(self, name: str, visible: bool) -> None:
        self.form.form.setRowVisible(self.form.field(name), visible)
        self._fit_soon()

    # -- running --------------------------------------------------------------------

    def read_time(self, errors: dict[str, str], name: str) -> dt.datetime | None:
        """The time in field ``name`` (None: now), or the reason in ``errors``."""
        try:
            return self.form.field(name).value()
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    def reload(self) -> None:
        """The record changed elsewhere: the record on screen and this dialog read it
        again (keeping what was typed)."""
        self.ok.setEnabled(False)
        self.sig_stale.emit()
        (detainee_ops.detail(self.ctx, self.detail.id).parent(self)
         .success(self._reloaded).run_in_background())

    def _reloaded(self, d: DetaineeDetail) -> None:
        self.detail = d
        self.header.show_detail(d)
        self.detail_reloaded(d)
        self.ok.setEnabled(True)

    def detail_reloaded(self, d: DetaineeDetail) -> None:
        """The record as it is now, after a conflict (subclasses refresh what they show)."""
