"""Importing an enforcement operation's arrest list (CSV or XLSX): choose the file, see
what will happen to every row (refused with the field and reason, duplicates in the file,
persons on record, repeat entrants), import the valid rows in one transaction, then print
all their cards in one batch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depot_app.errors import DepotError, ValidationError
from depot_app.services.arrest_import import ImportOutcome, ImportPreview, ImportSource
from ui import format as fmt
from ui import theme
from ui.admission.import_model import FILTERS, PreviewModel, outcome, why
from ui.context import AppContext
from ui.operations import imports as ops
from ui.operations.task import TaskState

FILE_TYPES = "Arrest lists (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)"


class ImportDialog(QDialog):
    sig_print_cards = Signal(object, str)  # detention ids, the list's file name

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import an arrest list")
        self.resize(1100, 640)
        self.source: ImportSource | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportOutcome | None = None
        self.task: TaskState | None = None  # the last job's (kept: its signals may be queued)
        self.running = False

        box = QVBoxLayout(self)
        top = QHBoxLayout()
        self.file_label = QLabel("Choose the operation's list: CSV (UTF-8) or XLSX, one row "
                                 "per person, the columns in the first row.")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        box.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.summary)
        filters = QHBoxLayout()
        self.filter = QComboBox()
        self.filter.addItems(FILTERS)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.filter)
        filters.addStretch(1)
        box.addLayout(filters)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col in range(6):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        self.row_detail = QLabel()
        self.row_detail.setWordWrap(True)
        self.row_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.row_detail)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.progress = QProgressBar()
        self.progress.hide()
        box.addWidget(self.progress)
        bottom = QHBoxLayout()
        self.strict = QCheckBox("Strict: import nothing if any row is refused")
        self.strict.toggled.connect(self._update_buttons)
        self.import_button = QPushButton("&Import")
        theme.mark_primary(self.import_button)
        self.import_button.clicked.connect(self.start_import)
        self.cards_button = QPushButton("Print their &cards")
        self.cards_button.clicked.connect(self.print_cards)
        self.cards_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.hide()
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.strict)
        bottom.addStretch(1)
        for b in (self.cancel_button, self.cards_button, self.import_button, self.close_button):
            bottom.addWidget(b)
        box.addLayout(bottom)
        self._update_buttons()

    # -- reading --------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Arrest list", str(Path.home()), FILE_TYPES)
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        try:
            self.source = ImportSource.from_path(path)
        except ValidationError as exc:
            self._say(exc.fields.get("file", str(exc)), error=True)
            return
        self.outcome = None
        self.file_label.setText(f"<b>{self.source.name}</b> ({len(self.source.data) // 1024 + 1}"
                                " kB)")
        self._run(ops.preview(self.ctx, self.source, self._new_task()), "Checking every row…",
                  self._previewed)

    def _previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.model.set_preview(preview, self.filter.currentIndex())
        self.row_detail.clear()
        p = preview
        removed = len(p.repeat_entrants)
        linked = sum(1 for r in p.rows if r.valid and r.linked_person_id is not None)
        parts = [f"<b>{fmt.plural(len(p.rows), 'row')}</b>: "
                 f"<b>{p.accepted}</b> to admit ({linked} of them known persons, a new episode "
                 "each)",
                 f"<span style='color:{theme.DANGER}'><b>{len(p.rejected_rows)}</b> refused"
                 "</span>" if p.rejected_rows else "none refused",
                 f"{len(p.duplicates)} repeated in the file",
                 f"{len(p.known_persons)} matches to persons on record"]
        if removed:
            parts.append(f"<span style='color:#9a5b00'><b>{removed}</b> previously removed "
                         "(possible unlawful return, s.36)</span>")
        text = "; ".join(parts) + "."
        if p.ignored_columns:
            text += f"<br>Columns not used: {', '.join(p.ignored_columns)}."
        self.summary.setText(text)
        self._update_buttons()

    def _filter_changed(self, kind: int) -> None:
        self.model.set_preview(self.preview, kind)
        self.row_detail.clear()

    def _row_chosen(self, current, _previous=None) -> None:
        """The whole of what the Why column cuts short, for the row chosen."""
        if not current.isValid():
            self.row_detail.clear()
            return
        r = self.model.rows[current.row()]
        self.row_detail.setText(f"Row {r.row}: {outcome(r)}. {why(r)}".strip())

    # -- importing ------------------------------------------------------------------

    def start_import(self) -> None:
        if self.source is None or self.preview is None or not self.preview.accepted:
            return
        self._run(ops.import_arrests(self.ctx, self.source, self.strict.isChecked(),
                                     self._new_task()),
                  "Admitting…", self._imported)

    def _imported(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        if not outcome.imported:
            self._say(f"Nothing was imported: {fmt.plural(len(outcome.preview.rejected_rows), 'row')}"
                      " refused and strict mode is on. Correct the list and choose it again.",
                      error=True)
        else:
            numbers = outcome.detainee_numbers
            self._say(f"Admitted {fmt.plural(outcome.accepted, 'detainee')}: {numbers[0]} to "
                      f"{numbers[-1]}. Print their cards now.")
            self.cards_button.show()
            self.cards_button.setFocus()
        self._update_buttons()

    def print_cards(self) -> None:
        """Close and have the admissions area print the cards (the preview outlives this
        dialog)."""
        if self.outcome is None or not self.outcome.detention_ids:
            return
        self.sig_print_cards.emit(tuple(self.outcome.detention_ids), self.source.name)
        self.accept()

    # -- running a long job ---------------------------------------------------------

    def _new_task(self) -> TaskState:
        self.task = TaskState(self)
        self.task.sig_progress.connect(self._progress)
        return self.task

    def _run(self, op, words: str, done) -> None:
        self.running = True
        self._say(words)
        self.progress.setRange(0, 1)  # (no busy animation: real counts follow at once)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        for w in (self.choose_button, self.import_button, self.strict, self.close_button):
            w.setEnabled(False)
        op.parent(self).finished(self._ended).success(done).failure(self._failed) \
            .run_in_background()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _ended(self) -> None:
        self.running = False
        self.progress.hide()
        self.cancel_button.hide()
        for w in (self.choose_button, self.strict, self.close_button):
            w.setEnabled(True)
        self._update_buttons()

    def _failed(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self._say("; ".join(f"{k}: {v}" if k != "file" else v
                                for k, v in exc.fields.items()), error=True)
        else:
            self._say(str(exc), error=True)

    def _cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()

    def _say(self, text: str, error: bool = False) -> None:
        colour = theme.DANGER if error else theme.INK
        self.summary.setText(f"<span style='color:{colour}'>{text}</span>")

    def _update_buttons(self) -> None:
        p = self.preview
        ready = p is not None and p.accepted > 0 and self.outcome is None and not self.running
        if ready and self.strict.isChecked() and p.rejected_rows:
            ready = False
        self.import_button.setEnabled(ready)
        self.import_button.setText(f"&Import {fmt.plural(p.accepted, 'row')}" if p and
                                   p.accepted else "&Import")

    def reject(self) -> None:
        if self.running:  # a job is running: cancel it first
            self._cancel()
            return
        super().reject()
