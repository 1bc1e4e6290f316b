"""The questions asked before a print job: whose cards and on what paper; why a card is
reissued. Both dialogs only gather a choice; the job itself is the caller's."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from depot_app.services.cards import REASON_LABELS, CardView
from printing.cards import PER_SHEET
from ui import format as fmt
from ui.context import AppContext
from ui.operations import printing as ops
from ui.theme import mark_primary

SHEET, SINGLE = "sheet", "single"
LAYOUT_WORDS = {
    SHEET: "A4 sheets: ten cards a sheet, with cut marks",
    SINGLE: "Single cards (CR80), one a page, for a card printer",
}
REASON_WORDS = {"lost": "Lost", "damaged": "Damaged", "photo_change": "New photo"}


@dataclass(frozen=True)
class CardBatch:
    everyone: bool   # everyone in custody, else the selected detainees
    layout: str      # SHEET or SINGLE


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _layout_choice(owner: QWidget, box: QVBoxLayout, chosen: str) -> QButtonGroup:
    group = QButtonGroup(owner)
    for layout, words in LAYOUT_WORDS.items():
        button = QRadioButton(words)
        button.setProperty("layout", layout)
        button.setChecked(layout == chosen)
        group.addButton(button)
        box.addWidget(button)
    return group


def _chosen_layout(group: QButtonGroup) -> str:
    checked = group.checkedButton()
    return checked.property("layout") if checked is not None else SHEET


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    mark_primary(ok)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    dialog.ok_button = ok
    return buttons


class CardBatchDialog(QDialog):
    """Cards for the selected detainees or for everyone in custody, on sheets or singly."""

    def __init__(self, ctx: AppContext, selected: int, parent: QWidget | None = None, *,
                 layout: str = SHEET):
        super().__init__(parent)
        self.setWindowTitle("Print detainee cards")
        self.setMinimumWidth(460)
        self.selected = selected
        self.in_custody: int | None = None
        box = QVBoxLayout(self)
        box.setSpacing(8)
        box.addWidget(_heading("Whose cards"))
        self.who = QButtonGroup(self)
        self.selected_button = QRadioButton(
            "The selected detainee" if selected == 1
            else f"The {fmt.count(selected)} selected detainees" if selected
            else "The selected detainees (none selected in the list)")
        self.selected_button.setEnabled(selected > 0)
        self.everyone_button = QRadioButton("Everyone in custody (counting…)")
        for button in (self.selected_button, self.everyone_button):
            self.who.addButton(button)
            box.addWidget(button)
        (self.selected_button if selected else self.everyone_button).setChecked(True)
        box.addSpacing(6)
        box.addWidget(_heading("Paper"))
        self.layouts = _layout_choice(self, box, layout)
        box.addSpacing(6)
        self.summary = _note("")
        box.addWidget(self.summary)
        box.addWidget(_note("Anyone without a card is issued one. The document gets a serial "
                            "and its copy is kept (s.53). You see a preview before anything "
                            "goes to a printer."))
        box.addSpacing(4)
        box.addWidget(_buttons(self, "Prepare cards"))
        self.who.buttonToggled.connect(self._update)
        self.layouts.buttonToggled.connect(self._update)
        self._update()
        (ops.in_custody_count(ctx).parent(self).success(self._counted).run_in_background())

    def _counted(self, n: int) -> None:
        self.in_custody = n
        self.everyone_button.setText(f"Everyone in custody ({fmt.count(n)})")
        self._update()
        self.adjustSize()

    def choice(self) -> CardBatch:
        return CardBatch(self.everyone_button.isChecked(), _chosen_layout(self.layouts))

    def cards(self) -> int | None:
        return self.in_custody if self.everyone_button.isChecked() else self.selected

    def _update(self, *_args) -> None:
        n = self.cards()
        if n is None:
            self.summary.setText("")
        elif _chosen_layout(self.layouts) == SHEET:
            sheets = -(-n // PER_SHEET)
            self.summary.setText(f"{fmt.plural(n, 'card')} on {fmt.plural(sheets, 'A4 sheet')}.")
        else:
            self.summary.setText(f"{fmt.plural(n, 'card')}, one a page.")
        self.ok_button.setEnabled(bool(n))


class ReissueCardDialog(QDialog):
    """Why the card is replaced (lost, damaged, new photo) and the paper for the new one.
    The replacement is issued and printed in one job: the old card stops verifying."""

    def __init__(self, ctx: AppContext, detention_id: int, who: str,
                 parent: QWidget | None = None, *, layout: str = SINGLE):
        super().__init__(parent)
        self.setWindowTitle("Reissue detainee card")
        self.setMinimumWidth(520)
        self.current: CardView | None = None
        box = QVBoxLayout(self)
        box.setSpacing(8)
        title = QLabel(who)
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        title.setMinimumHeight(title.fontMetrics().height() + 8)  # room for stacked accents
        title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        box.addWidget(title)
        self.card_line = _note("Looking up the current card…")
        box.addWidget(self.card_line)
        box.addSpacing(4)
        box.addWidget(_heading("Why is it replaced?"))
        self.reasons = QButtonGroup(self)
        for reason in ops.REISSUE_REASONS:
            button = QRadioButton(REASON_WORDS[reason])
            button.setProperty("reason", reason)
            self.reasons.addButton(button)
            box.addWidget(button)
        box.addSpacing(6)
        box.addWidget(_heading("Paper"))
        self.layouts = _layout_choice(self, box, layout)
        box.addSpacing(6)
        self.warning = QLabel()
        self.warning.setObjectName("banner")
        self.warning.setWordWrap(True)
        self.warning.hide()
        box.addWidget(self.warning)
        box.addWidget(_buttons(self, "Reissue and print"))
        self.ok_button.setEnabled(False)
        self.reasons.buttonToggled.connect(self._update)
        (ops.current_card(ctx, detention_id).parent(self).success(self._card)
         .run_in_background())

    def _card(self, card: CardView | None) -> None:
        self.current = card
        if card is None:
            self.card_line.setText("No card has been issued yet: “Print card” issues the "
                                   "first one.")
            for button in self.reasons.buttons():
                button.setEnabled(False)
        else:
            self.card_line.setText(
                f"Current card: No. {card.serial}, issued {fmt.when(card.issued_at)}"
                f"{' by ' + card.issued_by if card.issued_by else ''} "
                f"({REASON_LABELS.get(card.reason, card.reason)}).")
        self._update()
        self.adjustSize()  # the answer may take more lines than the question did

    def reason(self) -> str | None:
        checked = self.reasons.checkedButton()
        return checked.property("reason") if checked is not None else None

    def layout_choice(self) -> str:
        return _chosen_layout(self.layouts)

    def _update(self, *_args) -> None:
        card = self.current
        if card is not None:
            self.warning.setText(f"Card No. {card.serial} will no longer verify as current. "
                                 f"The new card, No. {card.serial + 1}, is printed at once.")
            self.warning.show()
        self.ok_button.setEnabled(card is not None and self.reason() is not None)
