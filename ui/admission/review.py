"""The last step: everything gathered, on one page, and what the admission will mean
(minor or not, when the person must be produced before a Magistrate); then the result."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from depot_app.readmodels import DetaineeRow
from depot_app.services.admission import AdmissionCheck
from ui import format as fmt
from ui import theme
from ui.admission.step import Step


class ReviewStep(Step):
    title = "Review and admit"
    intro = ("Check the particulars with the person and the documents. Admit with Enter; "
             "go back to any step to correct it.")
    owns = ()

    def build(self) -> None:
        self.sheet = QLabel()
        self.sheet.setTextFormat(Qt.TextFormat.RichText)
        self.sheet.setWordWrap(True)
        self.sheet.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.sheet)

    def first_input(self) -> QWidget | None:
        return None

    def show_summary(self, groups: list[tuple[str, list[tuple[str, str]]]],
                     check: AdmissionCheck | None) -> None:
        rows = []
        if check is not None:
            due = fmt.when(check.production_due)
            rows.append(("Consequences", [
                ("Production before a Magistrate", f"<b>by {due}</b> – {escape(check.production_rule)}"),
                ("Minor", "yes" if check.is_minor else "no" if check.age_at_arrest is not None
                 else "not known"),
            ]))
        for title, lines in groups:
            rows.append((title, [(label, escape(value)) for label, value in lines]))
        html = ["<table cellspacing='0' cellpadding='3' width='100%'>"]
        for title, lines in rows:
            html.append(f"<tr><td colspan='2' style='padding-top:8px; font-weight:600; "
                        f"color:{theme.ACCENT}'>{escape(title)}</td></tr>")
            for label, value in lines:
                html.append(f"<tr><td width='30%' style='color:{theme.MUTED}'>{escape(label)}"
                            f"</td><td>{value}</td></tr>")
        html.append("</table>")
        self.sheet.setText("".join(html))


UNALLOCATED = "Reception (unallocated)"  # the location of someone in custody with no cell


def placement_words(row: DetaineeRow) -> str:
    """What happens next to someone admitted without a cell."""
    if row.status != "in_custody" or row.location != UNALLOCATED:
        return ""
    return "Held in reception: a warden places them in a cell (Detainees → Move to cell…)."


class AdmittedPanel(QWidget):
    """After the admission: the number, and what to do next (print, open, admit another)."""

    sig_print_card = Signal()
    sig_print_receipt = Signal()
    sig_print_record = Signal()
    sig_open = Signal()
    sig_again = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 24, 24, 24)
        box.setSpacing(12)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.number = QLabel()
        self.number.setStyleSheet(f"font-size: 22pt; font-weight: 600; color: {theme.ACCENT};")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setObjectName("muted")
        # No cell yet (the wizard has no cell step): say who does what next, plainly.
        self.placement = QLabel()
        self.placement.setWordWrap(True)
        self.placement.setStyleSheet(f"color: {theme.WARN_INK}; background: {theme.WARN_BG};"
                                     "border: 1px solid #ecd28b; border-radius: 4px;"
                                     "padding: 6px 10px; font-weight: 600;")
        self.placement.hide()
        for w in (self.title, self.number, self.details, self.placement):
            box.addWidget(w)
        row = QHBoxLayout()
        self.card = QPushButton("Print &card")
        theme.mark_primary(self.card)
        self.receipt = QPushButton("Print property &receipt")
        self.record = QPushButton("Print admission &form")
        self.open = QPushButton("&Open the record")
        self.again = QPushButton("Admit &another")
        for button, signal in ((self.card, self.sig_print_card),
                               (self.receipt, self.sig_print_receipt),
                               (self.record, self.sig_print_record), (self.open, self.sig_open),
                               (self.again, self.sig_again)):
            button.clicked.connect(signal)
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)

    def show_row(self, row: DetaineeRow, production_due: str) -> None:
        self.title.setText(f"Admitted: {row.full_name}")
        self.number.setText(row.detainee_no)
        words = [f"Admitted {fmt.when(row.admitted_at)} to {row.location}."]
        if production_due:
            words.append(f"Production before a Magistrate due by {production_due}.")
        if row.flags:
            words.append("Flags: " + ", ".join(row.flags) + ".")
        self.details.setText(" ".join(words))
        self.placement.setText(placement_words(row))
        self.placement.setVisible(bool(self.placement.text()))
        self.card.setFocus()
