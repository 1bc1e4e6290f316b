"""A death in custody: the death record (time, place, the cause as certified, who certified
it, the post-mortem reference) and the notifications made; later, a notification made
after the record, and the post-mortem reference when it arrives."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from depot_app.clock import MYT
from depot_app.readmodels import DetaineeDetail
from depot_app.services.custody_common import REF_LEN
from depot_app.services.departures import DeathRequest, NotificationInput
from ui.admission.inputs import DateTimeField
from ui.context import AppContext
from ui.movements.common import MovementDialog, WhenField, line, required, text_box
from ui.movements.outing import last_outing
from ui.operations import movements as ops

_NOTIFICATION = re.compile(r"^notifications\[(\d+)\]")
SUGGESTED = ("Police", "Embassy or consulate", "Next of kin")


def _now_minute() -> dt.datetime:
    return dt.datetime.now(MYT).replace(second=0, microsecond=0)


class NotificationRow(QWidget):
    """One notification on one line: whom, when (Malaysian time), how."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.notified = QLineEdit()
        self.notified.setPlaceholderText("e.g. Police, IPD Kajang")
        self.notified.setMaxLength(200)
        self.at = DateTimeField()
        self.at.setMaximumWidth(140)
        self.at.set_value(_now_minute())
        self.at.setToolTip("When they were notified, in Malaysian time")
        self._default = self.at.text()
        self.means = QLineEdit()
        self.means.setPlaceholderText("e.g. telephone")
        self.means.setMaxLength(120)
        for widget, stretch in ((self.notified, 3), (self.at, 0), (self.means, 2)):
            row.addWidget(widget, stretch)
        self.setFocusProxy(self.notified)

    @property
    def empty(self) -> bool:
        return not self.notified.text().strip() and not self.means.text().strip()

    def notification(self, now: dt.datetime) -> NotificationInput:
        """``ValueError`` naming the reason when the time cannot be read."""
        at = now if self.at.text().strip() == self._default else self.at.value()
        if at is None:
            raise ValueError("Give the time they were notified (DD/MM/YYYY HH:MM)")
        return NotificationInput(self.notified.text(), at, self.means.text())


class DeathDialog(MovementDialog):
    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Record a death in custody", "Record death", "Saving…",
                         parent, width=700)
        self.set_intro("The detainee leaves the roll as deceased. Notifications made later, "
                       "and the post-mortem reference, can be added to the record afterwards.")
        f = self.form
        f.add_field("died_at", required("Time of death"), WhenField())
        places = QWidget()
        row = QHBoxLayout(places)
        row.setContentsMargins(0, 0, 0, 0)
        self.place_group = QButtonGroup(self)
        self.in_depot = QRadioButton("In the depot")
        self.in_hospital = QRadioButton("At hospital")
        for button in (self.in_depot, self.in_hospital):
            self.place_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        f.add_field("place_kind", required("Place of death"), places)
        f.add_field("place", "Where exactly", line("", 200))
        f.add_field("cause_certified", required("Cause as certified"),
                    text_box("As written on the certificate", 2))
        f.add_field("certified_by", required("Certified by"),
                    line("The medical officer who certified the death", 200))
        f.add_field("post_mortem_ref", "Post-mortem ref.", line("If known now", REF_LEN))
        f.add_section("Notifications made")
        columns = QLabel("Who was notified  ·  when (Malaysian time)  ·  how")
        columns.setObjectName("muted")
        f.form.addRow("", columns)
        self.rows: list[NotificationRow] = []
        self._sent: list[str] = []  # the field of each notification sent, in order
        self.add_row_button = QPushButton("Add another notification")
        self.add_row_button.setAutoDefault(False)
        self.add_row_button.clicked.connect(self.add_row)
        self.add_row()
        self.place_group.buttonToggled.connect(lambda *_: self._place_changed())
        (self.in_hospital if detail.away_reason == "hospital" else self.in_depot).setChecked(True)
        self.inputs_done()

    def add_row(self) -> NotificationRow:
        layout = self.form.form
        if self.rows:
            layout.takeRow(self.add_row_button)
        row = NotificationRow()
        n = len(self.rows)
        self.form.add_field(f"notification-{n}", f"Notified ({n + 1})", row)
        self.rows.append(row)
        layout.addRow("", self.add_row_button)
        if n:
            row.setFocus()
        return row

    def _place_changed(self) -> None:
        if self.in_hospital.isChecked():
            out = last_outing(self.detail) if self.detail.away_reason == "hospital" else None
            hint = f"Empty: {out.destination}" if out and out.destination else \
                "The hospital's name"
        else:
            hint = f"Empty: {self.detail.location or 'the depot'}"
        self.form.field("place").setPlaceholderText(hint)

    def field_for(self, key: str) -> str:
        m = _NOTIFICATION.match(key)
        if m and int(m[1]) < len(self._sent):
            return self._sent[int(m[1])]
        return key

    def request(self, errors: dict[str, str]) -> DeathRequest:
        f = self.form
        now = dt.datetime.now(dt.UTC)
        died_at = now
        try:
            died_at = f.field("died_at").value() or now
        except ValueError as exc:
            errors["died_at"] = str(exc)
        notifications = []
        self._sent = []
        for i, row in enumerate(self.rows):
            if row.empty:
                continue
            try:
                notifications.append(row.notification(now))
                self._sent.append(f"notification-{i}")
            except ValueError as exc:
                errors[f"notification-{i}"] = str(exc)
        return DeathRequest(self.detail.id, self.detail.version, died_at,
                            "hospital" if self.in_hospital.isChecked() else "depot",
                            f.field("cause_certified").toPlainText(),
                            f.field("certified_by").text(), place=f.field("place").text(),
                            post_mortem_ref=f.field("post_mortem_ref").text(),
                            notifications=tuple(notifications))

    def submit(self) -> None:
        if self.busy:
            return
        errors: dict[str, str] = {}
        request = self.request(errors)
        if errors:
            self.show_errors(errors)
            return
        self.run(ops.record_death(self.ctx, request),
                 f"Death of {self.detail.detainee_no} recorded.")


class DeathNotificationDialog(MovementDialog):
    """A notification made after the death was recorded."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Add a death notification", "Add notification",
                         "Saving…", parent)
        f = self.form
        f.add_field("notifications.notified", required("Who was notified"),
                    line("e.g. " + " / ".join(SUGGESTED), 200))
        f.add_field("notifications.notified_at", required("When"), WhenField())
        f.add_field("notifications.means", "How", line("e.g. telephone; letter ref. "
                                                       "JIM/SMY/123", 120))
        self.inputs_done()

    def submit(self) -> None:
        if self.busy:
            return
        f = self.form
        try:
            at = f.field("notifications.notified_at").exact()
        except ValueError as exc:
            self.show_errors({"notifications.notified_at": str(exc)})
            return
        notification = NotificationInput(f.field("notifications.notified").text(), at,
                                         f.field("notifications.means").text())
        self.run(ops.add_death_notification(self.ctx, self.detail.id, notification),
                 f"Notification of {notification.notified.strip()} recorded.")


class PostMortemDialog(MovementDialog):
    """The post-mortem reference, when it arrives after the death was recorded."""

    def __init__(self, ctx: AppContext, detail: DetaineeDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, "Post-mortem reference", "Save", "Saving…", parent)
        edit = line("e.g. the hospital's post-mortem report number", REF_LEN)
        if detail.death is not None:
            edit.setText(detail.death.post_mortem_ref)
        self.form.add_field("post_mortem_ref", required("Post-mortem ref."), edit)
        self.inputs_done()

    def submit(self) -> None:
        if not self.busy:
            self.run(ops.set_post_mortem(self.ctx, self.detail.id,
                                         self.form.field("post_mortem_ref").text()),
                     "Post-mortem reference recorded.")
