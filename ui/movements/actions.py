"""The record's movement actions: only those the user may take (``Permission.MOVE``) and
only those that make sense for the detainee as they are now.

``available(detail, can_move)`` decides (tested without a window); :class:`MovementBar`
shows the buttons and menus and opens the dialogs. Each dialog closes with a short
confirmation (``sig_done``) or asks the record to reload after a conflict (``sig_stale``);
the record itself refreshes from the change bus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QSizePolicy, QToolButton, QWidget

from depot_app.actor import Permission
from depot_app.readmodels import DetaineeDetail
from depot_app.services.departures import DISCHARGES
from ui.context import AppContext
from ui.movements.abscond import AbscondDialog
from ui.movements.cell_move import CellMoveDialog
from ui.movements.common import MovementDialog
from ui.movements.death import DeathDialog, DeathNotificationDialog, PostMortemDialog
from ui.movements.departure import DepartureDialog
from ui.movements.outing import OutingDialog, ReturnDialog
from ui.movements.property_return import ReturnPropertyDialog, holds_anything
from ui.movements.visit import EndVisitDialog, VisitDialog, open_visits

Factory = Callable[[AppContext, DetaineeDetail, QWidget], MovementDialog]

# key -> (words in the bar or its menu, the dialog)
ACTIONS: dict[str, tuple[str, Factory]] = {
    "move": ("&Move to cell…", CellMoveDialog),
    "out_court": ("To court…", lambda c, d, p: OutingDialog(c, d, "court", p)),
    "out_hospital": ("To hospital…", lambda c, d, p: OutingDialog(c, d, "hospital", p)),
    "out_embassy": ("To an embassy or consulate…",
                    lambda c, d, p: OutingDialog(c, d, "embassy", p)),
    "return": ("Record re&turn…", ReturnDialog),
    "visit": ("Record &visit…", VisitDialog),
    "end_visit": ("&End visit…", EndVisitDialog),
    "property": ("Return propert&y…", ReturnPropertyDialog),
    "release": ("Release…", lambda c, d, p: DepartureDialog(c, d, "release", p)),
    "transfer": ("Transfer to another depot…",
                 lambda c, d, p: DepartureDialog(c, d, "transfer", p)),
    "removal": ("Removal…", lambda c, d, p: DepartureDialog(c, d, "removal", p)),
    "abscond": ("Absconded…", AbscondDialog),
    "death": ("Death in custody…", DeathDialog),
    "death_notification": ("Add death &notification…", DeathNotificationDialog),
    "post_mortem": ("P&ost-mortem reference…", PostMortemDialog),
}
OUT_MENU = ("out_court", "out_hospital", "out_embassy")
DEPARTURE_MENU = ("release", "transfer", "removal", "abscond", "death")
BUTTONS = ("move", "return", "visit", "end_visit", "property", "death_notification",
           "post_mortem")


def available(d: DetaineeDetail | None, can_move: bool) -> list[str]:
    """The actions for this detainee now, in the order the bar shows them."""
    if d is None or not can_move:
        return []
    keys: list[str] = []
    held = d.status == "in_custody"
    away = held and bool(d.away_reason)
    if held and not away:
        keys += ["move", *OUT_MENU]
    if away:
        keys.append("return")
    if held and not away:  # a visit is to the depot: not while at court or hospital
        keys.append("visit")
    if open_visits(d):  # even after a departure: a visit left open can still be ended
        keys.append("end_visit")
    if holds_anything(d):
        keys.append("property")
    if held:
        # A Magistrate may order release at court; transfer and removal start from here
        # (the service's DISCHARGES says which departures may be made while away, from where).
        keys += [k for k in DEPARTURE_MENU
                 if not away or k not in DISCHARGES or d.away_reason in DISCHARGES[k].may_be_away]
    if d.death is not None:
        keys += ["death_notification", "post_mortem"]
    return keys


class MovementBar(QWidget):
    """The buttons and menus for ``available`` actions of the record on show."""

    sig_done = Signal(str)  # a confirmation to show
    sig_stale = Signal()  # a dialog met a record changed elsewhere

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: DetaineeDetail | None = None
        self.dialog: MovementDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        self.actions_: dict[str, QAction] = {}
        self.out_button = self._menu_button("&Out of the depot", OUT_MENU,
                                            "Court, hospital or an embassy: still on the roll")
        self.departure_button = self._menu_button("&Leaves custody", DEPARTURE_MENU,
                                                  "Release, transfer, removal, abscondment "
                                                  "or death")
        for key in BUTTONS:
            button = QPushButton(ACTIONS[key][0])
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, k=key: self.open_dialog(k))
            self.buttons[key] = button
        order = (self.buttons["move"], self.out_button, self.buttons["return"],
                 self.buttons["visit"], self.buttons["end_visit"], self.buttons["property"],
                 self.departure_button, self.buttons["death_notification"],
                 self.buttons["post_mortem"])
        for widget in order:
            row.addWidget(widget)
        row.addStretch(1)
        # The buttons keep their words: a confirmation beside the bar wraps instead.
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.show_for(None)

    def _menu_button(self, text: str, keys: tuple[str, ...], tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(f"{text}  ▾")
        button.setToolTip(tip)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setStyleSheet("QToolButton { padding: 4px 12px; }"
                             "QToolButton::menu-indicator { image: none; width: 0; }")
        menu = QMenu(button)
        for key in keys:
            action = menu.addAction(ACTIONS[key][0])
            action.triggered.connect(lambda _=False, k=key: self.open_dialog(k))
            self.actions_[key] = action
        button.setMenu(menu)
        return button

    def show_for(self, d: DetaineeDetail | None) -> list[str]:
        """Show what may be done to ``d`` now; the keys shown."""
        self.detail = d
        keys = available(d, self.ctx.can(Permission.MOVE))
        for key, button in self.buttons.items():
            button.setVisible(key in keys)
        for key, action in self.actions_.items():
            action.setVisible(key in keys)
        self.out_button.setVisible(any(k in keys for k in OUT_MENU))
        self.departure_button.setVisible(any(k in keys for k in DEPARTURE_MENU))
        self.setVisible(bool(keys))
        return keys

    def open_dialog(self, key: str) -> MovementDialog | None:
        d = self.detail
        if d is None or key not in available(d, self.ctx.can(Permission.MOVE)):
            return None
        dialog = ACTIONS[key][1](self.ctx, d, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.sig_done.emit(dialog.confirmation))
        dialog.sig_stale.connect(self.sig_stale)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: MovementDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
