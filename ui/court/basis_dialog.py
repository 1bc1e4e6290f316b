"""Changing a detention's legal basis outside court: a removal order under s.34, or
detention under s.35 pending a decision whether to order removal.

    BasisDialog(ctx, detention_id)

From the moment given the detainee is held under the new section; the stage in force ends
then. A Magistrate's order is not recorded here (it comes with the court's outcome). The
dialog reads the detainee's authority first (its version, the section in force); a
``ValidationError`` puts each reason under its field (``section``, ``reference``,
``starts_at``). On success ``sig_done`` carries the Result (``value``: the new stage's id).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from depot_app import legal_bases
from depot_app.authority import AUTHORITY_WORDS, OVERDUE
from depot_app.errors import DepotError
from depot_app.services.court.stages import StageRequest
from depot_app.services.court.views import DeadlineRow
from ui import format as fmt
from ui.context import AppContext
from ui.court.dialog_base import CourtDialog
from ui.movements.common import WhenField, line, required
from ui.operations import court as court_ops
from ui.operations import deadlines as ops
from ui.operations.errors import describe
from ui.widgets.fields import NoteLabel

# Offered first: the stages that follow an arrest without a court.
FIRST = ("s.34", "s.35")
REFERENCE_LEN = 80


def section_combo() -> QComboBox:
    """The sections a stage may rest on (s.34 and s.35 first), none chosen yet."""
    combo = QComboBox()
    codes = [*FIRST, *(c for c in legal_bases.codes() if c not in FIRST)]
    for n, code in enumerate(codes):
        if n == len(FIRST):
            combo.insertSeparator(combo.count())
        basis = legal_bases.find(code)
        assert basis is not None
        combo.addItem(f"{code} – {_short(basis.words)}", code)
        combo.setItemData(combo.count() - 1, f"{basis.words}\n{basis.source}",
                          Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(-1)
    combo.setPlaceholderText("Choose the section…")
    return combo


def _short(words: str) -> str:
    """"Person ordered to be removed: detention to carry out the removal" -> its second
    half, which is what the stage is for."""
    head, _, tail = words.partition(": ")
    text = tail or head
    return text[:1].upper() + text[1:]


class BasisDialog(CourtDialog):
    def __init__(self, ctx: AppContext, detention_id: int, parent: QWidget | None = None):
        super().__init__(ctx, "Change the legal basis", "Change legal basis", "Saving…",
                         parent, width=620)
        self.detention_id = detention_id
        self.row: DeadlineRow | None = None
        self.set_intro("From the time given, the detainee is held under the new section and "
                       "the stage in force ends. Each stage must cite its correct section. "
                       "A Magistrate's order is recorded with the court's outcome, not here.")
        f = self.form
        self.section = section_combo()
        f.add_field("section", required("Section"), self.section)
        self.about = NoteLabel()
        self.about.setObjectName("muted")
        f.form.addRow("", self.about)
        self.reference = line("e.g. removal order PG(I)/34/2026/118 by the Director",
                              REFERENCE_LEN)
        f.add_field("reference", required("Reference"), self.reference,
                    "The order's number and who made it, or who decided")
        self.starts_at = WhenField()
        f.add_field("starts_at", required("From"), self.starts_at)
        self.section.currentIndexChanged.connect(self._section_changed)
        self._section_changed()
        self.ok.setEnabled(False)  # until the detainee's authority is read
        self.header.set_subject("", "", "Reading the detainee's authority…")
        self.reload()
        self.section.setFocus()

    # -- what the dialog works on ---------------------------------------------------

    def reload(self) -> None:
        (court_ops.deadline_row(self.ctx, self.detention_id).parent(self)
         .success(self._row_read).failure(self._row_refused).run_in_background())

    def _row_read(self, row: DeadlineRow | None) -> None:
        if row is None:
            self.header.set_subject("", "", "")
            self.set_warning("This detainee is not in custody here: the legal basis can be "
                             "changed only while they are held.", danger=True)
            return
        self.row = row
        self.setWindowTitle(f"Change the legal basis – {row.detainee_no}")
        if row.section:
            until = ("authority ran out" if row.state == OVERDUE else "authority until")
            now = (f"Now held under {row.section} ({AUTHORITY_WORDS.get(row.authority, '')}) "
                   f"since {fmt.when(row.since)}; {until} {fmt.when(row.valid_until)}")
        else:
            now = f"Now held WITHOUT authority since {fmt.when(row.valid_until)}"
        self.header.set_subject(row.detainee_no, row.full_name, now)
        self.ok.setEnabled(True)
        self._fit_soon()

    def _row_refused(self, exc: DepotError) -> None:
        self.form.show_message(describe(exc))

    def _section_changed(self) -> None:
        basis = legal_bases.find(self.section.currentData() or "")
        if basis is None:
            text = "s.34: a removal order has been made; s.35: held pending a decision " \
                   "whether to order removal (at most 30 days)."
        else:
            text = f"{basis.words}. {basis.source}."
        self.about.setText(text)

    # -- saving ---------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy or self.row is None:
            return
        try:
            when = self.starts_at.exact()
        except ValueError as exc:
            self.show_errors({"starts_at": str(exc)})
            return
        section = self.section.currentData() or ""
        r = self.row
        self.run(ops.change_basis(self.ctx, StageRequest(
            r.detention_id, r.version, section, self.reference.text(), when)),
            f"Now held under {section} from {fmt.when(when)}.")
