"""Recognise a keyboard-wedge barcode scanner among ordinary typing.

A scanner "types" its code very fast (a few ms between keys) and ends with Return. The
:class:`ScanDetector` is an application-wide event filter. It watches key presses bound for
widgets of one window and, when a burst of at least ``min_length`` printable keys with
gaps under ``max_gap_ms`` ends in Return and the burst matches the detainee number
pattern, it swallows that Return and emits ``sig_scanned(code)``. The Return may come a
little later than the characters (``max_enter_gap_ms``): some wedges send the suffix as a
separate report, and the burst of fast keys has already shown that no person is typing
(nobody types six keys under 50 ms apart).

Approach: **let keys through, clean up afterwards.** Every key reaches its widget as
usual, so human typing is never delayed, re-ordered or lost, and a fast burst that turns
out not to be a scan (no Return, wrong shape, a pause) needs no replay. When a scan is
recognised, the characters the burst typed into a text field (``QLineEdit``, an editable
``QComboBox``, ``QPlainTextEdit``/``QTextEdit``) are removed again, so the field is left as it
was. (Buffer-and-replay was rejected: it delays every key by the gap threshold and
re-posting synthetic key events is fragile across focus changes and input methods.)
A text that a selection was replaced by the burst is not restored.

A page that claims scans (:func:`claim_scans`, the headcount) is also offered a fast burst
ending in Return that does *not* match the pattern (``take_misread``): a card misread, a
digit lost. There it is answered ("not a detainee number") instead of being silently typed
into the page; everywhere else such a burst stays ordinary typing.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from shiboken6 import Shiboken

DETAINEE_NO = re.compile(r"^[A-Z]{2,6}-\d{4}-\d{6}$")
# A field with this property set to True takes a scanned card as typed input (e.g. the
# number of a family member) instead of the scan opening that detainee's record.
SCAN_TARGET = "acceptsDetaineeScan"
# Widgets that take every scan in their window while they are on screen (a headcount ticks
# the scanned card instead of opening the record): see :func:`claim_scans`.
_claimants: weakref.WeakSet[QWidget] = weakref.WeakSet()


def claim_scans(widget: QWidget) -> None:
    """While ``widget`` is visible, a scan in its window is offered to
    ``widget.take_scan(code) -> bool`` first; when that returns True the scan is taken
    (the Return is swallowed, the burst erased) and ``sig_scanned`` is not emitted.

    A claimant may also have ``take_misread(code) -> bool``: a fast burst ending in Return
    that does not match the number pattern (a misread card, a digit lost) is offered to it,
    and taken the same way when it returns True."""
    _claimants.add(widget)


def release_scans(widget: QWidget) -> None:
    _claimants.discard(widget)


_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                            Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock})
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


class ScanDetector(QObject):
    sig_scanned = Signal(str)

    def __init__(self, window: QWidget, *, max_gap_ms: float = 50.0,
                 max_enter_gap_ms: float = 300.0, min_length: int = 6,
                 pattern: re.Pattern[str] = DETAINEE_NO,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(window)
        self._window = window
        self.max_gap_ms = max_gap_ms
        self.max_enter_gap_ms = max_enter_gap_ms
        self.min_length = min_length
        self.pattern = pattern
        self._clock = clock
        self.enabled = True
        self._installed = False
        self._reset()
        self._last_at = -1e9
        self._last_event: tuple[int, QWidget | None] = (0, None)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def _reset(self) -> None:
        self._buffer = ""
        self._target: QWidget | None = None

    # -- the filter -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if not self._first_delivery(watched, event):
            return False  # the same key travelling up to a parent widget
        if not self.enabled or watched.window() is not self._window:
            self._reset()
            return False
        return self._on_key(watched, event)  # type: ignore[arg-type]

    def _first_delivery(self, watched: QWidget, event: QEvent) -> bool:
        pointer = Shiboken.getCppPointer(event)[0]
        previous_pointer, previous_widget = self._last_event
        self._last_event = (pointer, watched)
        # Propagation hands the same event to a strict ancestor. (A new event may reuse
        # the address, and ``isAncestorOf`` counts a widget as its own ancestor.)
        if pointer == previous_pointer and previous_widget is not None \
                and Shiboken.isValid(previous_widget) and watched is not previous_widget \
                and watched.isAncestorOf(previous_widget):
            self._last_event = (pointer, previous_widget)
            return False
        return True

    def _on_key(self, watched: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        now = self._clock()
        gap_ms = (now - self._last_at) * 1000.0
        self._last_at = now
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code = self._buffer
            target = self._target
            self._reset()
            if len(code) < self.min_length or gap_ms > self.max_enter_gap_ms:
                return False
            live = target is not None and Shiboken.isValid(target)
            if live and target.property(SCAN_TARGET):
                return False  # a field that asks for a detainee number keeps the scan
            if self.pattern.match(code):
                if live:
                    _erase_typed(target, code)
                if not self._claimed(code):
                    self.sig_scanned.emit(code)
                return True  # swallow the Return: it must not press a default button
            if self._misread(code):  # a burst of the wrong shape, where scans are claimed
                if live:
                    _erase_typed(target, code)
                return True
            return False
        text = event.text()
        if text and text.isprintable() and not (event.modifiers() & _COMMAND_MODIFIERS):
            if gap_ms > self.max_gap_ms or watched is not self._target:
                self._buffer = ""
                self._target = watched
            self._buffer += text
        else:
            self._reset()
        return False

    def _claimed(self, code: str) -> bool:
        return any(widget.take_scan(code) for widget in self._claimants())

    def _misread(self, code: str) -> bool:
        """A fast burst ending in Return that is not a detainee number: offered to a
        claimant's ``take_misread(code) -> bool`` (a misread card should be answered, not
        silently typed into the page). Elsewhere it stays ordinary typing."""
        return any(widget.take_misread(code) for widget in self._claimants()
                   if hasattr(widget, "take_misread"))

    def _claimants(self) -> list[QWidget]:
        return [widget for widget in list(_claimants)
                if Shiboken.isValid(widget) and widget.isVisible()
                and widget.window() is self._window]


def _erase_typed(widget: QWidget, typed: str) -> None:
    """Remove ``typed`` from just before the cursor, if that is where the burst went."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit):
        cursor = widget.cursorPosition()
        text = widget.text()
        if text[:cursor].endswith(typed):
            widget.setSelection(cursor - len(typed), len(typed))
            widget.del_()
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        cursor = widget.textCursor()
        position = cursor.position()
        cursor.setPosition(position - len(typed))
        cursor.setPosition(position, cursor.MoveMode.KeepAnchor)
        if cursor.selectedText() == typed:
            cursor.removeSelectedText()
