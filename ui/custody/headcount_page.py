"""Headcount: a warden counts one block by scanning cards (or ticking by hand) and closes
the count with a resolution for every discrepancy.

Left, the blocks: when each was last counted and when the next count is due (overdue in
red). Right, the count of the chosen block: the figures, the answer to the last scan, and
everyone expected with who is counted. While this page is on screen it takes every scan
in its window (``ui.scanner.claim_scans``): a scanned card ticks the detainee in the open
count instead of opening their record. Each tick is one operation on the database worker;
the answer comes back as a line of coloured words (never a dialog, so the next card can be
scanned at once) and the counted row flashes in its own tone (green when the count adds up,
red when it does not). A card of someone the record says is out (court, hospital) is said
plainly, with what to do; a misread card (a fast burst that is not a detainee number) is
answered too, with a beep.

Two wardens may count the same block at two workstations: the page reloads when the roll
changes elsewhere, and a close that comes too late (someone else closed it) says so and
shows the count as it now is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import Permission
from depot_app.clock import to_local
from depot_app.errors import ConflictError, DepotError, ValidationError
from depot_app.readmodels import CountDueView, CountEntryView, HeadcountView
from depot_app.services.places import away_words
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.custody import count_model as cm
from ui.custody.count_panel import ENTRIES, NOTHING, RESOLVING, CountPanel
from ui.custody.due import due_short, due_state, due_words, last_counted_words, tone_item
from ui.operations import custody as ops
from ui.operations.custody import TickOutcome
from ui.operations.errors import describe
from ui.printing.actions import can_print
from ui.printing.runner import PrintRunner
from ui.scanner import DETAINEE_NO, claim_scans, release_scans
from ui.widgets.page import page_header
from ui.widgets.record import Card

BLOCK_ROLE = Qt.ItemDataRole.UserRole
INTRO = "Scan each detainee's card to count them; tick by hand only when a card cannot be read."


def _normal(number: str) -> str:
    return "".join(number.split()).upper()


def _who(entry: CountEntryView) -> str:
    return f"{entry.detainee_no} · {entry.full_name}"


class HeadcountPage(QWidget, ChangeAware):
    sig_loaded = Signal()             # the blocks and when each is due
    sig_count_shown = Signal(object)  # the HeadcountView on show, or None
    sig_answered = Signal(str)        # a scan or tick was answered: the tone of the answer
    sig_print_finished = Signal(object)  # the PrintJob, or None (cancelled or failed)

    watched_areas = frozenset({areas.ROLL, areas.LOCATIONS, areas.SETTINGS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.can_count = ctx.can(Permission.MOVE)
        self.due: tuple[CountDueView, ...] = ()
        self.block_id: int | None = None
        self.view: HeadcountView | None = None
        self._closing = False
        self.runner: PrintRunner | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.subtitle = QLabel(INTRO)
        self.subtitle.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        layout.addWidget(page_header("Headcount", self.subtitle, self.refresh_button))

        body = QHBoxLayout()
        body.setSpacing(12)
        layout.addLayout(body, 1)
        body.addWidget(self._build_blocks())
        self.panel = panel = CountPanel(self.can_count)
        body.addWidget(panel, 1)
        panel.start_button.clicked.connect(self.start_count)
        panel.print_button.clicked.connect(self.print_sheet)
        panel.can_print = can_print(ctx)
        panel.close_button.clicked.connect(self.begin_close)
        panel.number.returnPressed.connect(self.tick_typed)
        panel.hand_button.clicked.connect(self.tick_selected)
        panel.untick_button.clicked.connect(self.untick_selected)
        panel.table.selectionModel().selectionChanged.connect(self._update_actions)
        panel.resolution.sig_back_requested.connect(self.end_close)
        panel.resolution.sig_close_requested.connect(self.close_count)

        claim_scans(self)
        self.subscribe(ctx.bus)
        self._show_count(None)
        self.refresh()

    def _build_blocks(self) -> QWidget:
        card = Card("Blocks", fill=True)
        card.setFixedWidth(370)
        self.blocks = QTableWidget(0, 3)
        self.blocks.setHorizontalHeaderLabels(["Block", "Last count", "Next count"])
        self.blocks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.blocks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.blocks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.blocks.setFrameShape(QFrame.Shape.NoFrame)
        self.blocks.setWordWrap(False)
        self.blocks.verticalHeader().hide()
        self.blocks.verticalHeader().setDefaultSectionSize(30)
        header = self.blocks.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.blocks.itemSelectionChanged.connect(self._block_selected)
        card.body.addWidget(self.blocks)
        note = QLabel("A block is due a count a set number of hours after its last count "
                      "was closed; one never counted is overdue.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        card.body.addWidget(note)
        return card

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        """The blocks and when each is due, then the count on show as it is now."""
        self._reload_due()
        if self.view is not None and self.view.status == "open":
            self._load_count(self.view.id)
        elif self.block_id is not None:
            self._load_block(self.block_id)

    def _reload_due(self) -> None:
        ops.counts_due(self.ctx).parent(self).success(self._show_due).run_in_background()

    def _show_due(self, due: tuple[CountDueView, ...]) -> None:
        self.due = due
        table = self.blocks
        table.blockSignals(True)
        table.setRowCount(len(due))
        for r, d in enumerate(due):
            name = QTableWidgetItem(d.block_name)
            name.setData(BLOCK_ROLE, d.block_id)
            table.setItem(r, 0, name)
            table.setItem(r, 1, QTableWidgetItem(last_counted_words(d, short=True)))
            table.setItem(r, 2, tone_item(QTableWidgetItem(due_short(d)), due_state(d)))
            for c in range(3):
                table.item(r, c).setToolTip(f"{d.block_name} ({d.block_code}): last counted "
                                            f"{last_counted_words(d)}. {due_words(d)}.")
        overdue = sum(1 for d in due if d.overdue)
        self.subtitle.setText(f"{INTRO} " + (f"{fmt.plural(overdue, 'block')} overdue."
                                             if overdue else "No block is overdue."))
        if self.block_id is None and due:
            first = (next((d for d in due if d.open_count_id is not None), None)
                     or next((d for d in due if d.overdue), None) or due[0])
            self.block_id = first.block_id
            self._load_block(first.block_id)
        self._select_block_row()
        table.blockSignals(False)
        if self.view is None:
            self.panel.show_count(None, self._due_line())
        if not due:
            self.panel.count_title.setText("This depot has no blocks yet")
        self.sig_loaded.emit()

    def _due_line(self) -> CountDueView | None:
        return next((d for d in self.due if d.block_id == self.block_id), None)

    def _select_block_row(self) -> None:
        for r in range(self.blocks.rowCount()):
            if self.blocks.item(r, 0).data(BLOCK_ROLE) == self.block_id:
                self.blocks.selectRow(r)
                return

    def _block_selected(self) -> None:
        rows = self.blocks.selectionModel().selectedRows()
        if rows:
            block_id = self.blocks.item(rows[0].row(), 0).data(BLOCK_ROLE)
            if block_id != self.block_id:
                self.choose_block(block_id)

    def choose_block(self, block_id: int) -> None:
        self.block_id = block_id
        self.end_close()
        self._select_block_row()
        self.panel.message.say("", "hint")
        self._show_count(None)
        self._load_block(block_id)

    def _load_block(self, block_id: int) -> None:
        def shown(view: HeadcountView | None) -> None:
            if block_id != self.block_id:
                return  # another block was chosen meanwhile
            if view is None and self.view is not None and self.view.block_id == block_id:
                if self.view.status == "open":
                    self._load_count(self.view.id)  # closed elsewhere: show how it ended
                    return
                view = self.view  # keep showing the count just closed
            self._show_count(view)
        (ops.open_count_for_block(self.ctx, block_id).parent(self).success(shown)
         .run_in_background())

    def _load_count(self, headcount_id: int, then=None) -> None:
        def shown(view: HeadcountView) -> None:
            if self.view is not None and self.view.id == view.id:
                self._show_count(view)
                if then is not None:
                    then(view)
        ops.load_count(self.ctx, headcount_id).parent(self).success(shown).run_in_background()

    def _show_count(self, view: HeadcountView | None) -> None:
        was_open = self.view is not None and self.view.status == "open"
        self.view = view
        self.panel.show_count(view, self._due_line())
        if was_open and view is not None and view.status == "closed" and not self._closing:
            self.panel.message.say(f"This count was closed at {fmt.when(view.closed_at)} by "
                                   f"{view.closed_by}.", "warn")
        self._update_actions()
        self.sig_count_shown.emit(view)

    def _update_actions(self, *_args) -> None:
        self.panel.update_actions(self.view, self.block_id is not None, self.runner is not None)

    # -- starting -------------------------------------------------------------------

    def start_count(self) -> None:
        block_id = self.block_id
        if block_id is None or not self.can_count:
            return
        self.panel.start_button.setEnabled(False)

        def started(view: HeadcountView) -> None:
            if block_id != self.block_id:
                return
            self._show_count(view)
            self.panel.message.say(f"Count of {view.block_name} started: "
                                   f"{fmt.plural(view.expected, 'detainee')} expected. Scan "
                                   "each card.", "")
            self.panel.table.setFocus()
            self._reload_due()

        def failed(exc: DepotError) -> None:
            self.panel.message.say(_words(exc), "error")
            self._update_actions()
            self.refresh()  # someone else started one: show it

        (ops.start_count(self.ctx, block_id).parent(self).finished(self._update_actions)
         .success(started).failure(failed).run_in_background())

    # -- ticking --------------------------------------------------------------------

    def take_scan(self, code: str) -> bool:
        """A scanned card (``ui.scanner``): tick it in the open count."""
        if not self.can_count:
            return False
        if self.view is None or self.view.status != "open":
            QApplication.beep()
            self.panel.message.say(f"Scanned {code}: no count is open here. Start a count "
                                   "of the block first.", "warn")
            self.sig_answered.emit("warn")
            return True
        self._tick(code, detainee_no=code, how="scan")
        return True

    def take_misread(self, code: str) -> bool:
        """A fast burst ending in Return that is not a detainee number (``ui.scanner``): a
        card misread, a digit lost. Said at once, with a beep, instead of nothing."""
        if not self.can_count:
            return False
        number = _normal(code)
        if DETAINEE_NO.match(number):  # a wedge typing in lower case: the number all the same
            return self.take_scan(number)
        QApplication.beep()
        self.panel.message.say(f"✗ Not a detainee number: {code.strip()} — scan again or "
                               "type it", "error")
        self.sig_answered.emit("error")
        return True

    def tick_typed(self) -> None:
        number = _normal(self.panel.number.text())
        if not number or self.view is None or self.view.status != "open":
            return
        self.panel.number.clear()
        self._tick(number, detainee_no=number, how="hand")

    def tick_selected(self) -> None:
        for detention_id in self.panel.selected_ids():
            row = self.panel.model.row_of(detention_id)
            if row is not None and self.panel.model.kind(row) in (cm.NOT_COUNTED, cm.AWAY):
                entry = self.panel.model.entry(row)
                self._tick(entry.detainee_no, detention_id=detention_id, how="hand")

    def _tick(self, label: str, *, detainee_no: str = "", detention_id: int | None = None,
              how: str) -> None:
        view = self.view
        assert view is not None
        (ops.tick(self.ctx, view.id, view.version, detainee_no=detainee_no,
                  detention_id=detention_id, how=how)
         .parent(self)
         .success(lambda outcome: self._ticked(outcome, label, detainee_no, detention_id,
                                               how))
         .failure(lambda exc: self._tick_failed(exc, label))
         .run_in_background())

    def _ticked(self, outcome: TickOutcome, label: str, detainee_no: str,
                detention_id: int | None, how: str) -> None:
        view = outcome.view
        if self.view is None or view.id != self.view.id:
            return
        self._show_count(view)
        number = _normal(detainee_no)
        entry = next((e for e in view.entries if e.detention_id == detention_id
                      or (number and e.detainee_no == number)), None)
        if entry is None:  # untick elsewhere between the tick and this answer
            self.sig_answered.emit("")
            return
        if not outcome.changed:
            tone = "warn"
            at = to_local(entry.counted_at).strftime("%H:%M:%S") if entry.counted_at else ""
            text = (f"{_who(entry)} was already counted at {at}"
                    f" ({cm.HOW_WORDS.get(entry.counted_by, entry.counted_by)}): "
                    "nothing changed.")
        elif entry.away_now:
            # The record says out (court, hospital): the count and the record disagree.
            tone = "warn"
            QApplication.beep()
            text = (f"⚠ {_who(entry)} is recorded as out {_away_words(entry.location)} but "
                    "was scanned here: record their return on their record (Detainees).")
        elif entry.away_at_start:
            tone = "ok"
            text = (f"✓ {_who(entry)} counted: out of the depot when the count began, back "
                    f"in {entry.location} now.")
        elif not entry.expected:
            tone = "error"
            QApplication.beep()
            text = (f"⚠ {_who(entry)}: not expected here (held in {entry.location}). "
                    "Counted as unexpected.")
        else:
            tone = "ok"
            text = f"✓ {_who(entry)} counted" + (" by hand" if how == "hand" else "") + \
                f" ({entry.location})."
            if not view.missing:
                text += " Everyone expected is counted."
        self.panel.message.say(text, tone)
        self.panel.point_at(entry.detention_id)
        self.sig_answered.emit(tone)

    def _tick_failed(self, exc: DepotError, label: str) -> None:
        QApplication.beep()
        self.panel.message.say(f"✗ {label}: {_words(exc)}", "error")
        if isinstance(exc, ValidationError) and "headcount_id" in exc.fields \
                and self.view is not None:
            self._load_count(self.view.id)  # closed elsewhere
        self.sig_answered.emit("error")

    def untick_selected(self) -> None:
        view = self.view
        if view is None or view.status != "open":
            return
        for detention_id in self.panel.selected_ids():
            row = self.panel.model.row_of(detention_id)
            if row is None or self.panel.model.kind(row) not in (cm.COUNTED, cm.UNEXPECTED):
                continue
            entry = self.panel.model.entry(row)

            def undone(new: HeadcountView, entry=entry) -> None:
                if self.view is not None and new.id == self.view.id:
                    self._show_count(new)
                    self.panel.message.say(f"Tick undone: {_who(entry)} is " + (
                        "not counted." if entry.expected else "off the count."), "warn")

            (ops.untick(self.ctx, view.id, detention_id).parent(self).success(undone)
             .failure(lambda exc: self.panel.message.say(_words(exc), "error"))
             .run_in_background())

    # -- closing --------------------------------------------------------------------

    def begin_close(self) -> None:
        view = self.view
        if view is None or view.status != "open":
            return
        self.panel.resolution.set_entries(view.missing, view.unexpected)
        self.panel.resolution.clear_errors()
        self.panel.stack.setCurrentIndex(RESOLVING)
        self.panel.resolution.focus_first_empty()
        self._update_actions()

    def end_close(self) -> None:
        if self.panel.stack.currentIndex() == RESOLVING:
            self.panel.stack.setCurrentIndex(ENTRIES if self.view is not None else NOTHING)
        self._update_actions()

    def close_count(self) -> None:
        view = self.view
        if view is None or view.status != "open" or self._closing:
            return
        self._closing = True
        self.panel.resolution.close_button.setEnabled(False)

        def finished() -> None:
            self._closing = False
            self.panel.resolution.close_button.setEnabled(True)

        def closed(new: HeadcountView) -> None:
            self.panel.stack.setCurrentIndex(ENTRIES)
            self._show_count(new)
            missing, unexpected = len(new.missing), len(new.unexpected)
            counted = sum(1 for e in new.entries if e.expected and e.counted_at is not None)
            words = [f"{counted} of {new.expected} expected counted"]
            if missing:
                words.append(f"{missing} missing")
            if unexpected:
                words.append(f"{unexpected} unexpected")
            self.panel.message.say(f"Count of {new.block_name} closed: {', '.join(words)}"
                                   + ("; each resolved." if missing or unexpected else "."),
                                   "ok")
            self._reload_due()

        def failed(exc: DepotError) -> None:
            if isinstance(exc, ValidationError) and "headcount_id" not in exc.fields:
                self.panel.resolution.show_errors(exc.fields)
                self.panel.message.say("Not closed: give a resolution for each row marked in "
                                       "red, then close the count.", "error")
                return
            words = ("Someone else changed this count at another workstation."
                     if isinstance(exc, ConflictError) else _words(exc))

            def reloaded(now: HeadcountView) -> None:
                self.panel.message.say(f"✗ Not closed: {words} Reloaded: " + (
                    f"closed {fmt.when(now.closed_at)} by {now.closed_by}."
                    if now.status == "closed" else "still open."), "error")

            self.panel.message.say(f"✗ Not closed: {words}", "error")
            self.panel.stack.setCurrentIndex(ENTRIES)
            self._load_count(view.id, then=reloaded)
            self._reload_due()

        (ops.close_count(self.ctx, view.id, view.version, self.panel.resolution.resolutions())
         .parent(self).finished(finished).success(closed).failure(failed)
         .run_in_background())

    # -- printing -------------------------------------------------------------------

    def print_sheet(self) -> PrintRunner | None:
        """The count on show: the sheet to tick by (open) or its record (closed)."""
        view = self.view
        if view is None or self.runner is not None or not can_print(self.ctx):
            return None
        runner = PrintRunner(self.ctx, self, what=f"the headcount sheet of {view.block_name}",
                             count=1, subject=f"Headcount · {view.block_name}")
        runner.sig_finished.connect(lambda job: self._print_ended(runner, job))
        self.runner = runner
        self._update_actions()
        runner.run(lambda task: ops.print_headcount(self.ctx, view.id, task))
        return runner

    def _print_ended(self, runner: PrintRunner, job) -> None:
        if self.runner is runner:
            self.runner = None
        self.sig_print_finished.emit(job)
        self._update_actions()

    # -- life cycle -----------------------------------------------------------------

    def _on_changes(self, changes) -> None:
        if self.isVisible() and not changes.remote:
            return  # made on this page: its own operation showed the result
        super()._on_changes(changes)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        release_scans(self)
        self.unsubscribe()


def _away_words(location: str) -> str:
    """"Out: hospital" as "at hospital"."""
    return away_words(location.removeprefix("Out:").strip())


def _words(exc: DepotError) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(_sentence(m) for m in exc.fields.values())
    return describe(exc)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
