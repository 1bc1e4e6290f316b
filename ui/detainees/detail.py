"""The detainee record card (read-only for now): photo top-left, name and number large,
then particulars, arrest, legal basis, documents, passes, movements and other episodes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.errors import DepotError
from depot_app.readmodels import DetaineeDetail
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.detainees import record_text as words
from ui.operations import detainees as ops
from ui.printing.actions import DetaineePrintBar
from ui.widgets.record import Card, FactGrid, SmallTable
from ui.widgets.text import leave_room_for_marks

PHOTO_SIZE = (150, 190)


def _chip(text: str, tone: str = "") -> QLabel:
    chip = QLabel(text)
    chip.setObjectName("chip")
    if tone:
        chip.setProperty("tone", tone)
    return chip


class PhotoFrame(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(*PHOTO_SIZE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #e9edf1; border: 1px solid #c9d1da; color: #7a8794;")
        self.show_photo(None)

    def show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.setPixmap(pixmap.scaled(self.width() - 2, self.height() - 2,
                                         Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        else:
            self.setPixmap(QPixmap())
            self.setText("No photo\non record")


class DetaineeRecordView(QWidget, ChangeAware):
    sig_back_requested = Signal()
    sig_loaded = Signal(int)  # detention id, once its record is on screen

    watched_areas = frozenset({areas.DETAINEES, areas.PERSONS, areas.LOCATIONS, areas.ROLL})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detention_id: int | None = None
        self.detail: DetaineeDetail | None = None
        self._generation = 0

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Back to the list")
        self.back_button.setToolTip("Back to the detainee list (Esc)")
        self.back_button.clicked.connect(self.sig_back_requested)
        top.addWidget(self.back_button)
        top.addStretch(1)
        self.state = QLabel()
        self.state.setObjectName("muted")
        top.addWidget(self.state)
        self.print_bar = DetaineePrintBar(ctx, self)  # Print card, Reissue, Admission record
        top.addWidget(self.print_bar)
        outer.addLayout(top)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.content = content
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 6, 8)
        body.setSpacing(10)
        body.addWidget(self._build_header())
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        body.addWidget(self.banner)
        body.addLayout(self._build_sections())
        body.addStretch(1)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        content.hide()
        self.subscribe(ctx.bus)

    # -- layout ---------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        card = QFrame()
        card.setObjectName("card")
        row = QHBoxLayout(card)
        row.setContentsMargins(14, 14, 14, 14)
        row.setSpacing(18)
        self.photo = PhotoFrame()
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        ident = QVBoxLayout()
        ident.setSpacing(6)
        self.number = QLabel()
        self.number.setStyleSheet("font-size: 15pt; font-weight: 600; color: #1f5f99;"
                                  "letter-spacing: 1px;")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.name.setWordWrap(True)
        leave_room_for_marks(self.name)  # NGUYỄN, not NGUYÊN (so: not selectable)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 11pt;")
        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        self.custody = QLabel()
        self.custody.setObjectName("muted")
        for widget in (self.number, self.name, self.summary):
            ident.addWidget(widget)
        ident.addLayout(self.chips)
        ident.addWidget(self.custody)
        ident.addStretch(1)
        row.addLayout(ident, 1)
        return card

    def _build_sections(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        particulars = Card("Particulars")
        self.particulars = FactGrid()
        particulars.body.addWidget(self.particulars)
        arrest = Card("Arrest and admission")
        self.arrest = FactGrid()
        arrest.body.addWidget(self.arrest)
        grid.addWidget(particulars, 0, 0)
        grid.addWidget(arrest, 0, 1)

        self.stages = SmallTable(["Section", "Grounds", "Authority", "Reference", "From",
                                  "Until"], "No legal basis recorded.", stretch_column=1)
        self.documents = SmallTable(["Type", "Number", "Issued by", "Issued", "Expires", ""],
                                    "No identity documents recorded.")
        self.passes = SmallTable(["Pass or permit", "Number", "Issued", "Expires"],
                                 "No passes or permits recorded.")
        self.episodes = SmallTable(["Detainee no.", "Admitted", "Outcome", "Ended"],
                                   "No other custody episodes.")
        self.movements = SmallTable(["When", "Movement", "Reason", "Recorded by"],
                                    "No movements recorded.", stretch_column=2)
        placed = ((self.stages, "Legal basis", 1, 0, 1, 2),
                  (self.documents, "Identity documents", 2, 0, 1, 1),
                  (self.passes, "Passes and permits", 2, 1, 1, 1),
                  (self.movements, "Movements", 3, 0, 1, 2),
                  (self.episodes, "Other custody episodes", 4, 0, 1, 2))
        for table, title, r, c, rs, cs in placed:
            card = Card(title)
            table.add_to(card.body)
            grid.addWidget(card, r, c, rs, cs)
        return grid

    # -- loading --------------------------------------------------------------------

    def show_detention(self, detention_id: int) -> None:
        if detention_id != self.detention_id:
            self.content.hide()
            self.state.setText("Loading the record…")
        self.detention_id = detention_id
        self._load()

    def _load(self) -> None:
        if self.detention_id is None:
            return
        self._generation += 1
        generation = self._generation
        (ops.detail(self.ctx, self.detention_id).parent(self)
         .success(lambda d: self._show(generation, d))
         .failure(lambda exc: self._failed(generation, exc))
         .run_in_background())

    def _failed(self, generation: int, exc: DepotError) -> None:
        if generation == self._generation:
            self.content.hide()
            self.state.setText(str(exc))

    def _show(self, generation: int, d: DetaineeDetail) -> None:
        if generation != self._generation:
            return
        self.detail = d
        self.photo.show_photo(d.photo)
        self.number.setText(d.detainee_no)
        self.name.setText(d.full_name)
        self.summary.setText(words.summary_line(d))
        self._set_chips(d)
        self.custody.setText(words.custody_line(d))
        warning = words.history_warning(d)
        self.banner.setText(warning)
        self.banner.setVisible(bool(warning))
        self.particulars.set_facts(words.particulars(d))
        self.arrest.set_facts(words.arrest(d))
        self.stages.set_rows(*words.stage_rows(d))
        self.documents.set_rows(words.document_rows(d))
        self.passes.set_rows(words.pass_rows(d))
        self.movements.set_rows(words.movement_rows(d))
        self.episodes.set_rows(words.episode_rows(d))
        self.state.setText(f"As of {fmt.when(dt.datetime.now(dt.UTC))}")
        self.content.show()
        self.sig_loaded.emit(d.id)

    def _set_chips(self, d: DetaineeDetail) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.chips.addWidget(_chip(fmt.status(d.status),
                                   "" if d.status == "in_custody" else "grey"))
        if d.location:
            self.chips.addWidget(_chip(d.location))
        for flag in words.flag_words(d):
            self.chips.addWidget(_chip(flag, "warn"))
        self.chips.addStretch(1)

    # -- refreshing -----------------------------------------------------------------

    def _on_changes(self, changes) -> None:
        if changes.detention_ids and self.detention_id not in changes.detention_ids \
                and not changes.touches(areas.PERSONS, areas.LOCATIONS):
            return
        super()._on_changes(changes)

    def refresh(self) -> None:
        self._load()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.unsubscribe()
