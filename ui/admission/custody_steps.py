"""The arrest and the section the person is held under, vulnerability and family, and the
employer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from depot_app import legal_bases
from depot_app.clock import MYT
from depot_app.services.admission import EmployerInput, FamilyInput
from depot_app.services.admission_extras import RELATIONS
from ui.admission.inputs import DateTimeField
from ui.admission.step import Step, read, wide_label
from ui.scanner import SCAN_TARGET

AGENCIES = ("Jabatan Imigresen Malaysia", "Polis Diraja Malaysia",
            "Agensi Penguatkuasaan Maritim Malaysia", "Angkatan Sukarelawan Malaysia (RELA)",
            "Agensi Kawalan dan Perlindungan Sempadan (AKPS)")


class ArrestStep(Step):
    title = "Arrest and legal basis"
    intro = ("When, where and by whom the person was arrested, and the provision they are "
             "held under. Times are Malaysian time.")
    owns = ("arrested_at", "arrest_place", "arresting_agency", "operation_name",
            "legal_basis", "legal_reference", "citizen", "admitted_at")

    def build(self) -> None:
        f = self.form
        self.arrested_at = f.add_field("arrested_at", "Arrested at", DateTimeField())
        self.arrest_place = f.add_field("arrest_place", "Place of arrest", QLineEdit())
        self.agency = f.add_field("arresting_agency", "Arresting agency", QComboBox())
        self.agency.setEditable(True)
        self.agency.addItems(AGENCIES)
        self.operation = f.add_field("operation_name", "Operation", QLineEdit())
        self.basis = f.add_field("legal_basis", "Held under", QListWidget())
        for b in legal_bases.LEGAL_BASES:
            item = QListWidgetItem(f"{b.code}  –  {b.words}")
            item.setData(Qt.ItemDataRole.UserRole, b.code)
            item.setToolTip(b.source)
            self.basis.addItem(item)
        rows = self.basis.sizeHintForRow(0) * self.basis.count() + 6
        self.basis.setFixedHeight(max(rows, 120))
        self.basis_source = wide_label("muted")
        f.form.addRow("", self.basis_source)
        self._basis_changed()
        self.basis.itemSelectionChanged.connect(self._basis_changed)
        self.reference = f.add_field("legal_reference", "Reference", QLineEdit(),
                                     "The arrest report or file number, if any")
        self.citizen = f.add_field("citizen", "", QCheckBox(
            "Malaysian citizen (the shorter deadline for production before a Magistrate "
            "applies; shown on review)"))

    def prefill(self) -> None:
        """A new admission: the arrest defaults to now; the clerk corrects it."""
        if not self.arrested_at.text():
            self.arrested_at.set_value(dt.datetime.now(MYT).replace(second=0, microsecond=0))

    def chosen_basis(self) -> QListWidgetItem | None:
        """The section explicitly chosen (focus alone puts a current row, not a choice)."""
        items = self.basis.selectedItems()
        return items[0] if items else None

    def _basis_changed(self) -> None:
        item = self.chosen_basis()
        basis = legal_bases.find(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.basis_source.setText(f"Source: {basis.source}" if basis else
                                  "Choose with the arrow keys and Space, or type the section "
                                  "(e.g. s.15)")

    def suggest_basis(self, code: str) -> None:
        """Choose ``code`` unless the clerk has already chosen a section."""
        if self.chosen_basis() is None:
            self.choose_basis(code)

    def choose_basis(self, code: str) -> None:
        for row in range(self.basis.count()):
            if self.basis.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.basis.setCurrentRow(row)

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        item = self.chosen_basis()
        return {
            "arrested_at": read(errors, "arrested_at", self.arrested_at),
            "arrest_place": self.arrest_place.text(),
            "arresting_agency": self.agency.currentText(),
            "operation_name": self.operation.text(),
            "legal_basis": item.data(Qt.ItemDataRole.UserRole) if item else "",
            "legal_reference": self.reference.text(), "citizen": self.citizen.isChecked(),
        }

    def summary(self) -> list[tuple[str, str]]:
        item = self.chosen_basis()
        return [("Arrested", f"{self.arrested_at.text()} at {self.arrest_place.text().strip()} "
                             f"by {self.agency.currentText()}"),
                ("Operation", self.operation.text().strip() or "none"),
                ("Held under", item.text() if item else ""),
                ("Citizen", "yes" if self.citizen.isChecked() else "no")]


class EntryLine(QLineEdit):
    """Enter here adds what was typed (and stays on the step); empty, Enter goes on."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        had_text = bool(self.text().strip())
        super().keyPressEvent(event)  # (Enter: returnPressed adds the line and clears it)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and had_text:
            event.accept()


class VulnerabilityStep(Step):
    title = "Vulnerability and family"
    intro = ("Whether the person is a minor follows from the date of birth. Link family "
             "members already held here so that they can be kept together.")
    owns = ("is_pregnant", "is_disabled", "is_unaccompanied_child", "family")

    def build(self) -> None:
        f = self.form
        self.minor = QLabel()
        f.form.addRow("Minor", self.minor)
        self.pregnant = f.add_field("is_pregnant", "", QCheckBox("Pregnant"))
        self.disabled = f.add_field("is_disabled", "", QCheckBox("Has a disability"))
        self.unaccompanied = f.add_field("is_unaccompanied_child", "",
                                         QCheckBox("Unaccompanied child"))
        f.add_section("Family members held here")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.relation = QComboBox()
        for rel in RELATIONS:
            self.relation.addItem(rel.title(), rel)
        self.relation_no = EntryLine()
        self.relation_no.setPlaceholderText("Detainee no., e.g. SMY-2026-000123")
        self.relation_no.setProperty(SCAN_TARGET, True)
        self.add_link = QPushButton("&Add")
        line.addWidget(self.relation)
        line.addWidget(self.relation_no, 1)
        line.addWidget(self.add_link)
        f.add_field("family_entry", "Is the", row,
                    "Relation is what the other detainee is to this person; a scanned card "
                    "fills the number.")
        self.links = f.add_field("family", "Linked", QListWidget())
        self.links.setFixedHeight(80)
        remove = QPushButton("Remove selected link")
        f.form.addRow("", remove)
        self.add_link.clicked.connect(self._add)
        self.relation_no.returnPressed.connect(self._add_on_enter)
        remove.clicked.connect(lambda: self.links.takeItem(self.links.currentRow()))
        self.set_minor(None)

    def set_minor(self, age: int | None, is_minor: bool = False) -> None:
        self.is_minor = is_minor
        if age is None:
            self.minor.setText("Not known (no date of birth)")
        else:
            self.minor.setText(f"{'Yes' if is_minor else 'No'} – {age} years old at arrest")
        self.unaccompanied.setEnabled(is_minor)
        if not is_minor:
            self.unaccompanied.setChecked(False)

    def set_sex(self, sex: str) -> None:
        self.pregnant.setEnabled(sex != "M")
        if sex == "M":
            self.pregnant.setChecked(False)

    def _add_on_enter(self) -> None:
        if self.relation_no.text().strip():
            self._add()

    def _add(self) -> None:
        number = self.relation_no.text().strip().upper()
        if not number:
            self.relation_no.setFocus()
            return
        rel = self.relation.currentData()
        item = QListWidgetItem(f"{rel.title()}: {number}")
        item.setData(Qt.ItemDataRole.UserRole, (rel, number))
        self.links.addItem(item)
        self.relation_no.clear()

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        family = tuple(FamilyInput(*self.links.item(i).data(Qt.ItemDataRole.UserRole))
                       for i in range(self.links.count()))
        return {"is_pregnant": self.pregnant.isChecked(), "is_disabled": self.disabled.isChecked(),
                "is_unaccompanied_child": self.unaccompanied.isChecked(), "family": family}

    def summary(self) -> list[tuple[str, str]]:
        flags = [w for w, box in (("minor", None), ("pregnant", self.pregnant),
                                  ("disabled", self.disabled),
                                  ("unaccompanied child", self.unaccompanied))
                 if (box.isChecked() if box else self.is_minor)]
        links = [self.links.item(i).text() for i in range(self.links.count())]
        return [("Vulnerability", ", ".join(flags) or "none recorded"),
                ("Family held here", "; ".join(links) or "none")]


class EmployerStep(Step):
    title = "Employer"
    intro = ("Where the person says they work. An employer already on record with the same "
             "registration number is reused. Leave empty when there is none.")
    owns = ("employer", "employer_id")

    def build(self) -> None:
        f = self.form
        self.name = f.add_field("employer.name", "Employer", QLineEdit())
        self.registration = f.add_field("employer.registration_no", "Registration no.",
                                        QLineEdit(), "SSM number, e.g. 201501023456")
        self.address = f.add_field("employer.address", "Address", QLineEdit())
        self.phone = f.add_field("employer.phone", "Phone", QLineEdit())

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        texts = [w.text().strip() for w in (self.name, self.registration, self.address,
                                             self.phone)]
        if not any(texts):
            return {"employer": None}
        return {"employer": EmployerInput(*texts)}

    def summary(self) -> list[tuple[str, str]]:
        name = self.name.text().strip()
        reg = self.registration.text().strip()
        return [("Works for", f"{name} ({reg})" if reg else name or "none")]
