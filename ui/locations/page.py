"""Locations (administrators): the depot's blocks and their cells, what each cell is for,
how many it holds and holds now, and whether it is in service (and if not, why).

Everyone may look; only an administrator (``Permission.MANAGE_LOCATIONS``) sees the
actions. The page reloads when locations or the roll change, here or at another
workstation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from depot_app import changes as areas
from depot_app.actor import Permission
from depot_app.readmodels import BlockView, CellView
from ui import format as fmt
from ui.changebus import ChangeAware
from ui.context import AppContext
from ui.locations.detail import LocationDetail
from ui.locations.dialogs import (
    AddBlockDialog,
    AddCellDialog,
    CellEditDialog,
    ChangeCapacityDialog,
    LocationDialog,
    ServiceDialog,
)
from ui.locations.tree import Key, LocationsTree
from ui.operations import locations as ops
from ui.widgets.page import page_header
from ui.widgets.reloader import Reloader


class LocationsPage(QWidget, ChangeAware):
    sig_status_message = Signal(str)
    sig_loaded = Signal()

    watched_areas = frozenset({areas.LOCATIONS, areas.ROLL, areas.SETTINGS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.blocks: list[BlockView] = []
        self.can_manage = ctx.can(Permission.MANAGE_LOCATIONS)
        self._select_next: Key | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        layout.addWidget(page_header("Locations", self.count_label))

        bar = QHBoxLayout()
        self.add_block_button = QPushButton("Add block…")
        self.add_cell_button = QPushButton("Add cell…")
        self.capacity_button = QPushButton("Change capacity…")
        self.out_button = QPushButton("Take out of service…")
        self.return_button = QPushButton("Return to service…")
        self.action_buttons = (self.add_block_button, self.add_cell_button,
                               self.capacity_button, self.out_button, self.return_button)
        for button in self.action_buttons:
            bar.addWidget(button)
            button.setVisible(self.can_manage)
        self.view_only = QLabel("View only: an administrator adds blocks and cells and "
                                "changes their capacity or service.")
        self.view_only.setObjectName("muted")
        self.view_only.setVisible(not self.can_manage)
        bar.addWidget(self.view_only)
        bar.addStretch(1)
        # How often each block is due a headcount: part of running the cells.
        self.interval_hours: int | None = None
        self.interval_label = QLabel()
        self.interval_label.setObjectName("muted")
        self.interval_button = QPushButton("Change…")
        self.interval_button.setToolTip("How many hours after a block's last count the next "
                                        "is due (an overdue count is flagged on the roll)")
        self.interval_button.setVisible(self.can_manage)
        self.interval_button.clicked.connect(self.change_interval)
        bar.addWidget(self.interval_label)
        bar.addWidget(self.interval_button)
        layout.addLayout(bar)

        body = QHBoxLayout()
        body.setSpacing(10)
        self.tree = LocationsTree()
        body.addWidget(self.tree, 1)
        self.detail = LocationDetail()
        self.detail.setFixedWidth(320)
        body.addWidget(self.detail)
        layout.addLayout(body, 1)

        self.add_block_button.clicked.connect(self.add_block)
        self.add_cell_button.clicked.connect(self.add_cell)
        self.capacity_button.clicked.connect(self.change_capacity)
        self.out_button.clicked.connect(self.take_out_of_service)
        self.return_button.clicked.connect(self.return_to_service)
        self.tree.sig_selection_changed.connect(self._selection_changed)
        self.tree.activated.connect(self._activated)
        self._selection_changed()
        self.reloader = Reloader(self, lambda: ops.list_locations(self.ctx), self._show)
        self.subscribe(ctx.bus)
        self.refresh()

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self.reloader.refresh()
        ops.headcount_interval(self.ctx).parent(self).success(self._show_interval) \
            .run_in_background()

    def _show_interval(self, hours: int) -> None:
        self.interval_hours = hours
        self.interval_label.setText(f"Headcounts due every {fmt.plural(hours, 'hour')}")

    def _show(self, blocks: tuple[BlockView, ...]) -> None:
        keep = self._select_next or self.selected_key()
        self._select_next = None
        self.blocks = list(blocks)
        self.tree.fill(blocks, keep)
        self._count(blocks)
        self.sig_loaded.emit()

    def _count(self, blocks: tuple[BlockView, ...]) -> None:
        cells = [c for b in blocks for c in b.cells]
        places = sum(c.capacity for c in cells if c.in_service)
        held = sum(c.occupancy for c in cells)
        out = sum(1 for c in cells if not c.in_service)
        parts = [fmt.plural(len(blocks), "block"), fmt.plural(len(cells), "cell"),
                 f"{fmt.count(places)} places in service", f"{fmt.count(held)} held"]
        if out:
            parts.append(fmt.plural(out, "cell out of service", "cells out of service"))
        self.count_label.setText(" · ".join(parts))

    # -- selection ------------------------------------------------------------------

    def selected_key(self) -> Key | None:
        return self.tree.selected_key()

    def selected_cell(self) -> CellView | None:
        key = self.selected_key()
        if key is None or key[0] != "cell":
            return None
        return next((c for b in self.blocks for c in b.cells if c.id == key[1]), None)

    def selected_block(self) -> BlockView | None:
        """The selected block, or the block of the selected cell."""
        key = self.selected_key()
        if key is None:
            return None
        if key[0] == "block":
            return next((b for b in self.blocks if b.id == key[1]), None)
        return next((b for b in self.blocks if any(c.id == key[1] for c in b.cells)), None)

    def select(self, kind: str, ident: int) -> bool:
        return self.tree.select(kind, ident)

    def _selection_changed(self) -> None:
        cell = self.selected_cell()
        block = self.selected_block()
        self.add_cell_button.setEnabled(bool(self.blocks))
        self.capacity_button.setEnabled(cell is not None)
        self.out_button.setEnabled(cell is not None and cell.in_service)
        self.return_button.setEnabled(cell is not None and not cell.in_service)
        if cell is not None:
            self.detail.show_cell(cell, block)
        elif block is not None:
            self.detail.show_block(block)
        else:
            self.detail.show_nothing(bool(self.blocks), self.can_manage)

    def _activated(self, index: QModelIndex) -> None:
        key = self.tree.key_of(index)
        if key and key[0] == "cell" and self.can_manage:
            self.change_capacity()

    # -- actions --------------------------------------------------------------------

    def _open(self, dialog: LocationDialog, said: Callable[[Any], str]) -> LocationDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._accepted(dialog, said))
        if isinstance(dialog, CellEditDialog):
            dialog.sig_stale.connect(self.refresh)
        dialog.open()
        return dialog

    def _accepted(self, dialog: LocationDialog, said: Callable[[Any], str]) -> None:
        view = dialog.result_view
        if view is None:
            return
        kind = "block" if isinstance(view, BlockView) else "cell"
        if not self.select(kind, view.id):
            # Not listed yet: the change bus reloads the page; select it then.
            self._select_next = (kind, view.id)
        self.sig_status_message.emit(said(view))

    def add_block(self) -> LocationDialog:
        return self._open(AddBlockDialog(self.ctx, self),
                          lambda b: f"Added block {b.name} ({b.code}). Now add its cells.")

    def add_cell(self) -> LocationDialog:
        block = self.selected_block()
        return self._open(AddCellDialog(self.ctx, self.blocks, block.id if block else None,
                                        self),
                          lambda c: f"Added cell {c.label} ({c.category_label}, "
                                    f"{fmt.plural(c.capacity, 'place')}).")

    def change_capacity(self) -> LocationDialog | None:
        cell = self.selected_cell()
        if cell is None:
            return None
        return self._open(ChangeCapacityDialog(self.ctx, cell, self),
                          lambda c: f"Cell {c.label} now holds "
                                    f"{fmt.plural(c.capacity, 'place')}.")

    def take_out_of_service(self) -> LocationDialog | None:
        cell = self.selected_cell()
        if cell is None:
            return None
        return self._open(ServiceDialog(self.ctx, cell, False, self),
                          lambda c: f"Cell {c.label} is out of service.")

    def return_to_service(self) -> LocationDialog | None:
        cell = self.selected_cell()
        if cell is None:
            return None
        return self._open(ServiceDialog(self.ctx, cell, True, self),
                          lambda c: f"Cell {c.label} is back in service.")

    def change_interval(self) -> None:
        hours, ok = QInputDialog.getInt(
            self, "Headcount interval", "A block is due a count this many hours after its "
            "last count was closed:", self.interval_hours or 8, 1, 24)
        if not ok or hours == self.interval_hours:
            return
        (ops.set_headcount_interval(self.ctx, hours).parent(self)
         .success(lambda h: (self._show_interval(h), self.sig_status_message.emit(
             f"Headcounts are now due every {fmt.plural(h, 'hour')}.")))
         .run_in_background())

    # -- page life ------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_if_stale()

    def close_page(self) -> None:
        self.unsubscribe()
