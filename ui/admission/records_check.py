"""The identity check, as a step: persons on record who may be this person, with their
past episodes; a previous removal is shown as a possible unlawful return (s.36). The
clerk links to one of them or confirms a new person, and the choice is audited."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem

from depot_app.services.admission import IdentityDecision
from depot_app.services.identity import Candidate
from ui import format as fmt
from ui import theme
from ui.admission.step import Step, wide_label

NEW = -1


def _episodes(c: Candidate, limit: int = 2) -> str:
    if not c.episodes:
        return "no custody on record"
    words = []
    for e in c.episodes[:limit]:
        words.append(f"{e.detainee_no} ({e.status.replace('_', ' ')}, "
                     f"{fmt.when(e.admitted_at).split()[0]})")
    more = f" and {len(c.episodes) - limit} more" if len(c.episodes) > limit else ""
    return "; ".join(words) + more


def removal_words(c: Candidate) -> str:
    if c.previously_removed is None:
        return ""
    when, section = c.previously_removed
    return (f"Removed from Malaysia on {when:%d/%m/%Y}" + (f" under {section}" if section else "")
            + ": coming back may be an offence under s.36 (unlawful return)")


class RecordsCheckStep(Step):
    title = "Records check"
    intro = ("Persons already on record who may be this person, best match first. Choose one "
             "to open a new custody episode for them, or confirm that this is a new person. "
             "Your choice is recorded.")
    owns = ("existing_person_id", "identity_decision")
    sig_previously_removed = Signal(str)  # the section of the removal, or ""

    def build(self) -> None:
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.body.insertWidget(2, self.state)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["Name", "Born", "Nationality", "Documents", "Custody before"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(220)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.form.add_field("existing_person_id", "Person", self.tree)
        self.detail = wide_label()
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.form.form.addRow("", self.detail)
        self.reason = self.form.add_field("identity_decision.reason", "Reason", QLineEdit())
        self.reason.setPlaceholderText("Why this is someone else, e.g. a different photo and "
                                       "father's name on the passport")
        self.form.form.setRowVisible(self.reason, False)
        self.tree.currentItemChanged.connect(self._chosen)
        self.candidates: list[Candidate] = []
        self.checked_for: tuple | None = None
        self.document_number = ""

    # -- filled by the wizard -------------------------------------------------------

    def checking(self) -> None:
        self.tree.clear()
        self.candidates = []
        self.detail.clear()
        self._state("Checking the records…", "muted")

    def show_candidates(self, candidates: list[Candidate], document_number: str) -> None:
        self.candidates = candidates
        self.document_number = document_number
        self.tree.clear()
        new = QTreeWidgetItem(["A new person – none of those below" if candidates
                               else "A new person", "", "", "", ""])
        new.setData(0, Qt.ItemDataRole.UserRole, NEW)
        self.tree.addTopLevelItem(new)
        danger = QBrush(QColor(theme.DANGER))
        for c in candidates:
            names = c.full_name + (f" (also {', '.join(c.aliases)})" if c.aliases else "")
            item = QTreeWidgetItem([
                names, c.date_of_birth.strftime("%d/%m/%Y") if c.date_of_birth else "",
                c.nationality, ", ".join(d.number for d in c.documents) or "none",
                _episodes(c)])
            item.setData(0, Qt.ItemDataRole.UserRole, c.person_id)
            item.setToolTip(0, "; ".join(c.reasons))
            item.setToolTip(4, _episodes(c, limit=20).replace("; ", "\n"))
            if c.previously_removed:
                for col in range(5):
                    item.setForeground(col, danger)
            self.tree.addTopLevelItem(item)
        if not candidates:
            self._state("No one on record matches this name, date of birth or document. "
                        "A new person will be created.", "ok")
        else:
            removed = sum(1 for c in candidates if c.previously_removed)
            text = (f"{len(candidates)} person{'s' if len(candidates) != 1 else ''} on record "
                    "may be this person.")
            if removed:
                text += f" {removed} of them {'was' if removed == 1 else 'were'} removed " \
                        "from Malaysia before (shown in red)."
            self._state(text, "warn" if removed else "muted")
        best = 1 if candidates and self._document_match(candidates[0]) else 0
        self.tree.setCurrentItem(self.tree.topLevelItem(best))

    def _state(self, text: str, tone: str) -> None:
        self.state.setObjectName("banner" if tone == "warn" else "muted")
        colour = {"ok": theme.OK_INK, "muted": theme.MUTED, "warn": theme.WARN_INK}[tone]
        self.state.setStyleSheet("" if tone == "warn" else f"color: {colour};")
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self.state.setText(text)

    def _document_match(self, c: Candidate) -> bool:
        number = "".join(self.document_number.upper().split())
        return bool(number) and any(d.number == number for d in c.documents)

    def chosen(self) -> Candidate | None:
        item = self.tree.currentItem()
        pid = item.data(0, Qt.ItemDataRole.UserRole) if item else NEW
        return next((c for c in self.candidates if c.person_id == pid), None)

    def _chosen(self) -> None:
        c = self.chosen()
        matched = [x for x in self.candidates if self._document_match(x)]
        against = (c is None and bool(matched)) or (c is not None and not self._document_match(c))
        self.form.form.setRowVisible(self.reason, against)
        self.reason.setPlaceholderText(
            "Why this is someone else, e.g. a different photo and father's name" if c is None
            else "Why this is the same person, e.g. confirmed by photo and fingerprints")
        if c is None:
            self.detail.setText(
                "<b>A new person</b> will be created from the particulars typed."
                + (f" <span style='color:{theme.DANGER}'>{matched[0].full_name} on record "
                   "holds this document number: give the reason below.</span>"
                   if matched else ""))
            self.sig_previously_removed.emit("")
            return
        lines = [f"<b>Link to {c.full_name}</b>: a new custody episode for the person on "
                 "record; their recorded particulars are kept.",
                 *([f"<span style='color:{theme.DANGER}'>No document of theirs matches the one "
                    "given: give the reason below.</span>"] if not self._document_match(c) else []),
                 "Why suggested: " + "; ".join(c.reasons) + "."]
        if c.previously_removed:
            lines.append(f"<span style='color:{theme.DANGER}'><b>{removal_words(c)}.</b>"
                         "</span>")
        self.detail.setText("<br>".join(lines))
        self.sig_previously_removed.emit(c.previously_removed[1] if c.previously_removed
                                         else "")

    def entered(self) -> None:
        self.tree.setFocus(Qt.FocusReason.TabFocusReason)

    def collect(self, errors: dict[str, str]) -> dict[str, Any]:
        c = self.chosen()
        decision = IdentityDecision(
            tuple((x.person_id, x.score) for x in self.candidates),
            document_match=any(self._document_match(x) for x in self.candidates),
            reason=self.reason.text() if self.form.form.isRowVisible(self.reason) else "")
        return {"existing_person_id": c.person_id if c else None, "identity_decision": decision}

    def summary(self) -> list[tuple[str, str]]:
        c = self.chosen()
        if c is None:
            shown = len(self.candidates)
            return [("Decision", "New person" + (f" (checked against {shown} possible "
                                                     "matches)" if shown else ""))]
        lines = [("Decision", f"Linked to {c.full_name}, on record")]
        if c.previously_removed:
            lines.append(("Previous removal", removal_words(c)))
        return lines
