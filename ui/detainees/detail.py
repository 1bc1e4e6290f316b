"""The detainee record card: photo top-left, name and number large, then (after a death)
the death record, particulars, arrest, legal authority (what the detainee is held under,
until when, every stage, productions; officers act on it there), medical (outcomes for all; findings for
medical staff), documents, passes, movements, visits, property and cash, and other
episodes.

Under the top bar, the movement actions the user may take for the detainee as they are
now (:class:`~ui.movements.actions.MovementBar`); after one, a short confirmation shows
and the record refreshes from the change bus. A record opens at its top (a scanned card:
the photo and the name first). Near the name, where a detainee who left went; under it,
warnings (previous removal, out of the depot, property still held, a cell out of service).
A right-click or double-click on a movement prints that movement's slip."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import Permission
from depot_app.errors import DepotError
from depot_app.readmodels import DetaineeDetail
from depot_app.services.court.views import AuthorityHistory
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.detainees import record_text as words
from ui.detainees.authority_section import AuthoritySection
from ui.medical.record_section import MedicalSection
from ui.medical.record_words import header_flags as medical_flags
from ui.movements.actions import MovementBar
from ui.operations import deadlines as record_ops
from ui.printing.actions import DetaineePrintBar, can_print
from ui.widgets.record import Card, FactGrid, Notice, SmallTable
from ui.widgets.text import leave_room_for_marks

PHOTO_SIZE = (150, 190)
NOTICE_SECONDS = 12


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
    sig_cell_checked = Signal(bool)  # whether the cell is out of service (a warning shown)

    watched_areas = frozenset({areas.DETAINEES, areas.PERSONS, areas.LOCATIONS, areas.ROLL,
                               areas.MEDICAL, areas.DEADLINES})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detention_id: int | None = None
        self.detail: DetaineeDetail | None = None
        self.movement_ids: list[int] = []  # of the movements table's rows, in order
        self._generation = 0
        self._to_top = False

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
        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.movement_bar = MovementBar(ctx, self)
        self.movement_bar.sig_done.connect(self.confirm)
        self.movement_bar.sig_stale.connect(self.refresh)
        actions.addWidget(self.movement_bar, 1)
        self.notice = Notice()
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet("QLabel#notice { color: #1e6b3a; background: #e3f4e8;"
                                  "border: 1px solid #b5dcc0; border-radius: 4px;"
                                  "padding: 3px 10px; font-weight: 600; }")
        self.notice.hide()
        actions.addWidget(self.notice, 0, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(actions)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.scroll = scroll = QScrollArea()
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
        self.away_banner = QLabel()
        self.away_banner.setObjectName("banner")
        self.away_banner.setWordWrap(True)
        self.away_banner.hide()
        body.addWidget(self.away_banner)
        self.held_banner = QLabel()
        self.held_banner.setObjectName("banner")
        self.held_banner.setWordWrap(True)
        self.held_banner.hide()
        body.addWidget(self.held_banner)
        self.cell_banner = QLabel()  # the cell is out of service: move them
        self.cell_banner.setObjectName("banner")
        self.cell_banner.setWordWrap(True)
        self.cell_banner.hide()
        body.addWidget(self.cell_banner)
        body.addWidget(self._build_death())
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
        self.custody.setWordWrap(True)
        self.departure = QLabel()  # where a transferred, removed or released detainee went
        self.departure.setWordWrap(True)
        self.departure.setStyleSheet("font-weight: 600;")
        self.departure.hide()
        for widget in (self.number, self.name, self.summary):
            ident.addWidget(widget)
        ident.addLayout(self.chips)
        ident.addWidget(self.custody)
        ident.addWidget(self.departure)
        ident.addStretch(1)
        row.addLayout(ident, 1)
        return card

    def _build_sections(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        # Medical staff open a record to examine: their section comes first, where the
        # others read the particulars (an empty grid row takes no room).
        first = 1 if self.ctx.can(Permission.RECORD_MEDICAL) else 0

        particulars = Card("Particulars")
        self.particulars = FactGrid()
        particulars.body.addWidget(self.particulars)
        arrest = Card("Arrest and admission")
        self.arrest = FactGrid()
        arrest.body.addWidget(self.arrest)
        grid.addWidget(particulars, first, 0)
        grid.addWidget(arrest, first, 1)

        self.documents = SmallTable(["Type", "Number", "Issued by", "Issued", "Expires", ""],
                                    "No identity documents recorded.")
        self.passes = SmallTable(["Pass or permit", "Number", "Issued", "Expires"],
                                 "No passes or permits recorded.")
        self.episodes = SmallTable(["Detainee no.", "Admitted", "Outcome", "Ended"],
                                   "No other custody episodes.")
        # The long texts wrap in their share of the width: never a horizontal scroll bar.
        self.movements = SmallTable(["When", "Movement", "From → to", "Reason",
                                     "Authority", "Recorded by"],
                                    "No movements recorded.", stretch_column=3,
                                    wrap={2: 3, 3: 4, 4: 3, 5: 2})
        self.movements.setToolTip("Right-click or double-click a movement to print its slip")
        self.movements.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.movements.customContextMenuRequested.connect(self._movement_menu_requested)
        self.movements.cellDoubleClicked.connect(lambda row, _col: self.print_slip_of_row(row))
        self.visits = SmallTable(["When", "Kind", "Visitor", "From / relation", "Approval ref.",
                                  "Officer present", "Recorded by"],
                                 "No visits recorded.", stretch_column=3,
                                 wrap={2: 3, 3: 3, 4: 2, 5: 2, 6: 2})
        placed = ((self.documents, "Identity documents", 3, 0, 1, 1),
                  (self.passes, "Passes and permits", 3, 1, 1, 1),
                  (self.movements, "Movements", 4, 0, 1, 2),
                  (self.visits, "Visits", 5, 0, 1, 2),
                  (self.episodes, "Other custody episodes", 7, 0, 1, 2))
        for table, title, r, c, rs, cs in placed:
            card = Card(title)
            table.add_to(card.body)
            grid.addWidget(card, r + first, c, rs, cs)
        grid.addWidget(self._build_property(), 6 + first, 0, 1, 2)
        self.authority = AuthoritySection(self.ctx)
        self.authority.sig_done.connect(self.confirm)
        grid.addWidget(self.authority, 1 + first, 0, 1, 2)
        self.medical = MedicalSection(self.ctx)
        self.medical.sig_done.connect(self.confirm)
        self.medical.sig_stale.connect(self.refresh)
        grid.addWidget(self.medical, 0 if first else 2, 0, 1, 2)
        return grid

    def _build_property(self) -> QWidget:
        card = Card("Property and cash")
        self.property_summary = QLabel()
        card.body.addWidget(self.property_summary)
        self.property = SmallTable(["Item", "Qty", "Bag", "Received", "Held or returned"],
                                   "No property recorded.", stretch_column=4,
                                   wrap={0: 2, 3: 2, 4: 3})
        self.property.add_to(card.body)
        self.cash = SmallTable(["When", "Cash", "Amount", "Receipt", "Note", "Recorded by"],
                               "No cash recorded.", stretch_column=4, wrap={4: 3, 5: 2})
        self.cash.add_to(card.body)
        return card

    def _build_death(self) -> QWidget:
        self.death_card = Card("Death in custody")
        self.death = FactGrid()
        self.death_card.body.addWidget(self.death)
        notified = QLabel("Notifications made")
        notified.setObjectName("muted")
        self.death_card.body.addWidget(notified)
        self.notifications = SmallTable(["Notified", "When", "How"],
                                        "No notifications recorded yet.", stretch_column=2,
                                        wrap={0: 2, 2: 2})
        self.notifications.add_to(self.death_card.body)
        self.death_card.hide()
        return self.death_card

    # -- loading --------------------------------------------------------------------

    def show_detention(self, detention_id: int) -> None:
        """Open a record (from the list, or a scanned card): at its top, the photo and
        the name first, wherever the last record was left."""
        self._to_top = True
        self.scroll.verticalScrollBar().setValue(0)
        if detention_id != self.detention_id:
            self.content.hide()
            self.movement_bar.show_for(None)  # no actions on the record going away
            self.notice.hide()
            self.state.setText("Loading the record…")
        self.detention_id = detention_id
        self._load()

    def _load(self) -> None:
        if self.detention_id is None:
            return
        self._generation += 1
        generation = self._generation
        (record_ops.record(self.ctx, self.detention_id).parent(self)
         .success(lambda found: self._show(generation, *found))
         .failure(lambda exc: self._failed(generation, exc))
         .run_in_background())

    def _failed(self, generation: int, exc: DepotError) -> None:
        if generation == self._generation:
            self.content.hide()
            self.movement_bar.show_for(None)
            self.state.setText(str(exc))

    def _show(self, generation: int, d: DetaineeDetail,
              history: AuthorityHistory | None = None) -> None:
        if generation != self._generation:
            return
        self.detail = d
        self.photo.show_photo(d.photo)
        self.number.setText(d.detainee_no)
        self.name.setText(d.full_name)
        self.summary.setText(words.summary_line(d))
        self._set_chips(d)
        self.custody.setText(words.custody_line(d))
        went = words.departure_line(d)
        self.departure.setText(went)
        self.departure.setVisible(bool(went))
        warning = words.history_warning(d)
        self.banner.setText(warning)
        self.banner.setVisible(bool(warning))
        self.particulars.set_facts(words.particulars(d))
        self.arrest.set_facts(words.arrest(d))
        self.authority.show_history(history)
        self.documents.set_rows(words.document_rows(d))
        self.passes.set_rows(words.pass_rows(d))
        self.movements.set_rows(words.movement_rows(d))
        self.movement_ids = [m.id for m in d.movements]
        self.visits.set_rows(words.visit_rows(d))
        self.property_summary.setText(words.property_summary(d))
        self.property.set_rows(words.property_rows(d))
        self.cash.set_rows(words.cash_rows(d))
        self.cash.empty.hide()  # the summary says the balance
        self.episodes.set_rows(words.episode_rows(d))
        self.death_card.setVisible(d.death is not None)
        self.death.set_facts(words.death_facts(d))
        self.notifications.set_rows(words.notification_rows(d))
        self.medical.show_for(d)
        for banner, text in ((self.away_banner, words.away_line(d)),
                             (self.held_banner, words.still_held_warning(d))):
            banner.setText(text)
            banner.setVisible(bool(text))
        self._check_cell(generation, d)
        self.movement_bar.show_for(d)
        self.state.setText(f"As of {fmt.when(dt.datetime.now(dt.UTC))}")
        self.content.show()
        if self._to_top:
            self._to_top = False
            bar = self.scroll.verticalScrollBar()
            bar.setValue(0)
            QTimer.singleShot(0, bar, lambda: bar.setValue(0))  # again, once laid out
        self.sig_loaded.emit(d.id)

    def _check_cell(self, generation: int, d: DetaineeDetail) -> None:
        """Warn when the detainee's cell is out of service: they have to be moved."""
        text = words.cell_out_of_service(d, d.cell_label, d.cell_in_service,
                                         d.cell_out_of_service_reason)
        self.cell_banner.setText(text)
        self.cell_banner.setVisible(bool(text))
        self.sig_cell_checked.emit(bool(text))

    # -- the movements: a slip for any of them --------------------------------------

    def movement_menu(self, row: int) -> QMenu | None:
        """The menu of a movement's row (right-click): print its slip."""
        if not 0 <= row < len(self.movement_ids) or not can_print(self.ctx):
            return None
        menu = QMenu(self.movements)
        action = menu.addAction("Print movement slip")
        action.setEnabled(self.print_bar.runner is None)
        action.triggered.connect(lambda _=False, r=row: self.print_slip_of_row(r))
        return menu

    def _movement_menu_requested(self, at: QPoint) -> None:
        row = self.movements.rowAt(at.y())
        if row >= 0:
            self.movements.selectRow(row)
        menu = self.movement_menu(row)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            menu.popup(self.movements.viewport().mapToGlobal(at))

    def print_slip_of_row(self, row: int):
        """Print the slip of the movement on ``row`` of the table (the PrintRunner, or
        None when nothing is printed)."""
        if not 0 <= row < len(self.movement_ids) or not can_print(self.ctx) \
                or self.print_bar.runner is not None:
            return None
        return self.print_bar.print_movement_slip(self.movement_ids[row])

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
        for flag, tone in medical_flags(d.medical.status) if d.medical is not None else ():
            self.chips.addWidget(_chip(flag, tone))
        self.chips.addStretch(1)

    def confirm(self, text: str) -> None:
        """A short confirmation after an action; the record refreshes from the bus."""
        if not text:
            return
        self.notice.setText(f"✓ {text}")
        self.notice.show()
        self._notice_timer.start(NOTICE_SECONDS * 1000)
        window = self.window()
        bar = window.statusBar() if hasattr(window, "statusBar") else None
        if bar is not None and hasattr(bar, "say"):
            bar.say(text)

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
