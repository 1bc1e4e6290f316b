"""The first steps: who the person is (typed, or read from the passport's MRZ) and the
documents they carry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
)

from depot_app import mrz
from depot_app.countries import country_name
from depot_app.errors import ValidationError
from depot_app.services.admission import DocumentInput, PassInput
from depot_app.services.admission_checks import DOCUMENT_TYPES
from ui.admission.inputs import DateField, NationalityField
from ui.admission.step import Step, read

SEXES = (("", ""), ("M – male", "M"), ("F – female", "F"), ("X – unspecified", "X"))
DOCUMENT_WORDS = {"passport": "Passport", "travel_document": "Travel document",
                  "national_id": "National identity card",
                  "emergency_travel_document": "Emergency travel document"}
NO_DOCUMENT = "none"


class MrzEdit(QPlainTextEdit):
    """The machine-readable lines, typed or sent by a keyboard-wedge scanner (each line
    ends with Enter). Enter on a complete zone does not add a line: it accepts."""

    sig_accept = Signal()

    def __init__(self):
        super().__init__()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.setPlaceholderText("P<IDNSETIAWAN<<AGUS<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
                                "C1234567<8IDN9005175M3001020<<<<<<<<<<<<<<06")
        self.complete = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                self.complete or not self.toPlainText().strip()):
            self.sig_accept.emit()
            return
        super().keyPressEvent(event)


class IdentityStep(Step):
    title = "Identity"
    intro = ("Scan the passport's machine-readable lines (or type them): the fields below "
             "fill in and every check digit is verified. Without a document, type the "
             "particulars as the person gives them.")
    owns = ("mrz", "full_name", "sex", "date_of_birth", "date_of_birth_estimated",
            "nationality", "aliases", "place_of_birth", "languages", "interpreter_needed")
    sig_mrz_read = Signal(object)  # mrz.MrzResult

    def build(self) -> None:
        f = self.form
        self.mrz = f.add_field("mrz", "Passport MRZ", MrzEdit(),
                               "Two lines of 44 (passport), two of 36 or three of 30 (ID card).")
        self.mrz_status = QLabel()
        self.mrz_status.setWordWrap(True)
        self.mrz_status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        f.form.addRow("", self.mrz_status)
        self.mrz_status.hide()
        self.mrz.textChanged.connect(self._mrz_changed)
        self.mrz.sig_accept.connect(self.sig_advance)
        self.full_name = f.add_field("full_name", "Full name", QLineEdit())
        self.sex = f.add_field("sex", "Sex", QComboBox())
        for label, code in SEXES:
            self.sex.addItem(label, code)
        self.date_of_birth = f.add_field("date_of_birth", "Date of birth", DateField())
        self.estimated = f.add_field("date_of_birth_estimated", "",
                                     QCheckBox("Date of birth is an estimate"))
        self.nationality = f.add_field("nationality", "Nationality", NationalityField())
        self.aliases = f.add_field("aliases", "Other names", QLineEdit(),
                                   "Names also used, separated by ';'")
        self.place_of_birth = f.add_field("place_of_birth", "Place of birth", QLineEdit())
        self.languages = f.add_field("languages", "Languages", QLineEdit())
        self.interpreter = f.add_field("interpreter_needed", "",
                                       QCheckBox("Needs an interpreter"))
        self.mrz_result: mrz.MrzResult | None = None

    def _mrz_changed(self) -> None:
        text = self.mrz.toPlainText()
        self.mrz.complete = False
        self.mrz_result = None
        if not text.strip():
            self.mrz_status.hide()
            return
        rows = mrz.normalise(text)
        need = mrz.LAYOUTS.get(len(rows[0]) if rows else 0)
        if need is None or len(rows) < need[1] or any(len(r) < len(rows[0]) for r in rows):
            self._status(f"Reading… {sum(len(r) for r in rows)} characters", tone="muted")
            return
        try:
            result = mrz.parse_mrz(text, strict=False)
        except ValidationError as exc:
            self._status("; ".join(exc.fields.values()), tone="error")
            return
        self.mrz_result = result
        self.mrz.complete = True
        self._fill(result)
        failed = [c for c in result.checks if not c.ok]
        if failed:
            self._status("Check digit failed – " + "; ".join(
                f"{c.name.replace('_', ' ')}: {c.expected} expected, {c.found} found"
                for c in failed) + ". Compare the zone with the passport and correct it.",
                tone="error")
        else:
            nat = result.nationality_name or result.nationality
            self._status(f"{result.format} read: all check digits valid · {result.full_name} · "
                         f"{nat} · document {result.document_number}", tone="ok")
        self.sig_mrz_read.emit(result)

    def _status(self, text: str, tone: str) -> None:
        colours = {"ok": "#1e6b3a", "error": "#b3261e", "muted": "#5f6b7a"}
        self.mrz_status.setStyleSheet(f"color: {colours[tone]};")
        self.mrz_status.setText(text)
        self.mrz_status.show()

    def _fill(self, r: mrz.MrzResult) -> None:
        self.full_name.setText(r.full_name)  # as printed in the passport
        self.sex.setCurrentIndex(max(0, self.sex.findData(r.sex)))
        self.date_of_birth.set_value(r.date_of_birth)
        self.nationality.set_code(r.nationality)

    def mrz_problem(self) -> str:
        """Why the zone typed cannot be used, or ''."""
        if not self.mrz.toPlainText().strip():
            return ""
        if self.mrz_result is None:
            return "The machine-readable zone is incomplete or unreadable; correct or clear it"
        if not self.mrz_result.valid:
            return "A check digit of the machine-readable zone failed; correct or clear it"
        return ""

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        if problem := self.mrz_problem():
            errors["mrz"] = problem
        aliases = tuple(a.strip() for a in self.aliases.text().split(";") if a.strip())
        return {
            "full_name": self.full_name.text(), "sex": self.sex.currentData() or "",
            "date_of_birth": read(errors, "date_of_birth", self.date_of_birth),
            "date_of_birth_estimated": self.estimated.isChecked(),
            "nationality": self.nationality.code(), "aliases": aliases,
            "place_of_birth": self.place_of_birth.text(), "languages": self.languages.text(),
            "interpreter_needed": self.interpreter.isChecked(),
        }

    def summary(self) -> list[tuple[str, str]]:
        born = self.date_of_birth.text().strip() or "not known"
        if self.estimated.isChecked():
            born += " (estimated)"
        return [("Name", self.full_name.text().strip()), ("Sex", self.sex.currentText()),
                ("Date of birth", born), ("Nationality", _nationality_words(
                    self.nationality.code())),
                ("Other names", self.aliases.text().strip() or "none")]


class DocumentStep(Step):
    title = "Document"
    intro = ("The identity document the person carries, and any immigration pass. Choose "
             "'No document' when there is none.")
    owns = ("documents", "passes")

    def build(self) -> None:
        f = self.form
        self.doc_type = f.add_field("documents[0].doc_type", "Document", QComboBox())
        for code in DOCUMENT_TYPES:
            self.doc_type.addItem(DOCUMENT_WORDS.get(code, code), code)
        # Second, so that typing N from "Passport" finds it first.
        self.doc_type.insertItem(1, "No document", NO_DOCUMENT)
        self.doc_type.currentIndexChanged.connect(self._type_changed)
        self.number = f.add_field("documents[0].number", "Number", QLineEdit())
        self.issuing_state = f.add_field("documents[0].issuing_state", "Issued by",
                                         NationalityField())
        self.expires_on = f.add_field("documents[0].expires_on", "Expires", DateField())
        self.held = f.add_field("documents[0].held_by_depot", "",
                                QCheckBox("Document kept by the depot"))
        f.add_section("Immigration pass (if any)")
        self.pass_type = f.add_field("passes[0].pass_type", "Pass type", QLineEdit(),
                                     "e.g. Pas Lawatan Kerja Sementara; leave empty if none")
        self.pass_number = f.add_field("passes[0].number", "Pass number", QLineEdit())
        self.pass_expires = f.add_field("passes[0].expires_on", "Pass expired on", DateField())

    def _type_changed(self) -> None:
        has = self.doc_type.currentData() != NO_DOCUMENT
        for widget in (self.number, self.issuing_state, self.expires_on, self.held):
            widget.setEnabled(has)

    def take_mrz(self, r: mrz.MrzResult) -> None:
        code = ("passport" if r.doc_type.startswith("P")
                else "national_id" if r.format == "TD1" and r.doc_type.startswith("I")
                else "travel_document")
        self.doc_type.setCurrentIndex(self.doc_type.findData(code))
        self.number.setText(r.document_number)
        self.issuing_state.set_code(r.issuing_state)
        self.expires_on.set_value(r.expiry)
        self.held.setChecked(True)

    def document_number(self) -> str:
        return self.number.text().strip() if self.doc_type.currentData() != NO_DOCUMENT else ""

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": (), "passes": ()}
        if self.doc_type.currentData() != NO_DOCUMENT:
            expires = read(errors, "documents[0].expires_on", self.expires_on)
            out["documents"] = (DocumentInput(
                self.number.text(), self.issuing_state.code(), self.doc_type.currentData(),
                expires_on=expires, held_by_depot=self.held.isChecked()),)
        if self.pass_type.text().strip() or self.pass_number.text().strip():
            expires = read(errors, "passes[0].expires_on", self.pass_expires)
            out["passes"] = (PassInput(self.pass_type.text(), self.pass_number.text(),
                                       expires_on=expires),)
        return out

    def summary(self) -> list[tuple[str, str]]:
        if self.doc_type.currentData() == NO_DOCUMENT:
            doc = "No document"
        else:
            doc = (f"{self.doc_type.currentText()} {self.number.text().strip()} "
                   f"({self.issuing_state.code()})")
            if self.expires_on.text().strip():
                doc += f", expires {self.expires_on.text().strip()}"
        lines = [("Carries", doc)]
        if self.pass_type.text().strip():
            lines.append(("Pass", f"{self.pass_type.text().strip()} "
                                  f"{self.pass_number.text().strip()}".strip()))
        return lines


def _nationality_words(code: str) -> str:
    name = country_name(code)
    return f"{code} – {name}" if name else code
