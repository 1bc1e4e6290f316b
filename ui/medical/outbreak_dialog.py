"""The outbreak list: everyone held whose latest examination carries one communicable
disease flag, in one block or the whole depot, to notify the health office and to print.

It names a diagnosis, so only medical staff open it (the service refuses anyone else).
The list is read again whenever the condition or the block changes, and when the dialog is
opened again; printing reads it once more in the print job, so the paper carries the list
of its own moment and serial.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app.countries import country_name
from depot_app.readmodels import BlockView
from depot_app.services.medical.views import OutbreakList
from depot_app.services.medical.vocab import COMMUNICABLE
from ui import format as fmt
from ui.context import AppContext
from ui.operations import locations as location_ops
from ui.operations import medical as ops
from ui.operations import printing as print_ops
from ui.printing.actions import can_print
from ui.printing.runner import PrintRunner
from ui.widgets.reloader import Reloader
from ui.widgets.tables import list_table

HEADERS = ("Detainee no.", "Name", "Sex", "Date of birth", "Nationality", "Where",
           "Examined", "Examiner", "Isolation")
ALL_BLOCKS = ""


def _nationality(code: str) -> str:
    return country_name(code) or code


class OutbreakDialog(QDialog):
    sig_loaded = Signal()
    sig_print_finished = Signal(object)  # the PrintJob, or None (cancelled or failed)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.current: OutbreakList | None = None
        self.runner: PrintRunner | None = None
        self.setWindowTitle("Outbreak list")
        self.resize(1160, 600)
        self._wanted_block = ALL_BLOCKS  # chosen before the blocks were read

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = QLabel("Everyone held whose latest examination carries the condition, for "
                       "notification to the district health office. Confidential: it names "
                       "a diagnosis.")
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.condition = QComboBox()
        for code, label in COMMUNICABLE.items():
            self.condition.addItem(label, code)
        self.block = QComboBox()
        self.block.addItem("All blocks", ALL_BLOCKS)
        choices = QHBoxLayout()
        for words, combo in (("&Condition", self.condition), ("&Block", self.block)):
            label = QLabel(words)
            label.setBuddy(combo)
            combo.setMinimumWidth(260)
            choices.addWidget(label)
            choices.addWidget(combo)
            choices.addSpacing(16)
        choices.addStretch(1)
        layout.addLayout(choices)

        self.count = QLabel()
        self.count.setObjectName("sectionTitle")
        layout.addWidget(self.count)
        self.table = list_table(list(HEADERS), 1)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.hide()
        layout.addWidget(self.empty)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("This list on A4, with a document serial, to preview "
                                     "and print")
        self.print_button.clicked.connect(self.print_list)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not can_print(ctx):
            self.print_button.hide()

        self.reloader = Reloader(self, lambda: ops.outbreak_list(
            self.ctx, self.chosen_condition(), self.chosen_block()), self._show)
        self.condition.currentIndexChanged.connect(self.reload)
        self.block.currentIndexChanged.connect(self.reload)
        location_ops.list_locations(ctx).parent(self).success(self._blocks).run_in_background()
        self.reload()

    # -- choosing -------------------------------------------------------------------

    def chosen_condition(self) -> str:
        return self.condition.currentData() or next(iter(COMMUNICABLE))

    def chosen_block(self) -> str:
        return self.block.currentData() or ALL_BLOCKS

    def choose(self, condition: str, block_code: str = ALL_BLOCKS) -> None:
        """Set both choices (the list reloads)."""
        self._wanted_block = block_code
        self.condition.setCurrentIndex(max(self.condition.findData(condition), 0))
        self.block.setCurrentIndex(max(self.block.findData(block_code), 0))

    def _blocks(self, blocks: tuple[BlockView, ...]) -> None:
        chosen = self.chosen_block() or self._wanted_block
        self._wanted_block = ALL_BLOCKS
        self.block.blockSignals(True)
        while self.block.count() > 1:
            self.block.removeItem(1)
        for b in blocks:
            self.block.addItem(b.name, b.code)
        self.block.setCurrentIndex(max(self.block.findData(chosen), 0))
        self.block.blockSignals(False)
        if self.chosen_block() != ALL_BLOCKS:
            self.reload()

    # -- loading --------------------------------------------------------------------

    def reload(self) -> None:
        self.reloader.refresh()

    def _show(self, found: OutbreakList) -> None:
        self.current = found
        where = "the whole depot" if not found.block_code else found.block_name
        self.count.setText(f"{found.condition_label} · {where} · "
                           f"{fmt.plural(len(found.rows), 'detainee')} · as of "
                           f"{fmt.when(found.as_of)}")
        table = self.table
        table.setRowCount(len(found.rows))
        for r, row in enumerate(found.rows):
            texts = (row.detainee_no, row.full_name, fmt.SEX_SHORT.get(row.sex, row.sex),
                     fmt.date(row.date_of_birth), _nationality(row.nationality),
                     row.location, fmt.when(row.examined_at), row.examiner_name,
                     "In isolation" if row.in_isolation_cell
                     else "Ordered, not yet isolated" if row.isolate else "No")
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.detention_id)
                table.setItem(r, c, item)
        self.empty.setText(f"Nobody held in {where} has {found.condition_label.lower()} "
                           "flagged on their latest examination.")
        table.setVisible(bool(found.rows))
        self.empty.setVisible(not found.rows)
        self.sig_loaded.emit()

    # -- printing -------------------------------------------------------------------

    def print_list(self) -> PrintRunner | None:
        if self.runner is not None or not can_print(self.ctx):
            return None
        condition, block = self.chosen_condition(), self.chosen_block()
        label = COMMUNICABLE[condition]
        where = self.block.currentText() if block else "all blocks"
        runner = PrintRunner(self.ctx, self, what=f"the outbreak list ({label}, {where})",
                             count=len(self.current.rows) if self.current else 0,
                             subject=f"Outbreak list · {label} · {where}")
        runner.sig_finished.connect(lambda job: self._print_ended(runner, job))
        self.runner = runner
        self.print_button.setEnabled(False)
        runner.run(lambda task: print_ops.print_outbreak(self.ctx, condition, block, task))
        return runner

    def _print_ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.print_button.setEnabled(True)
        self.sig_print_finished.emit(job)

    def close_dialog(self) -> None:
        self.reloader.stop()
        self.reject()
