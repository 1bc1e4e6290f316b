"""A busy state for a dialog while its operation runs on the worker."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QWidget


class BusyState:
    """Disables the inputs, relabels the button, shows the busy cursor; ``end()`` undoes it."""

    def __init__(self, button: QPushButton, busy_text: str, inputs: Iterable[QWidget] = ()):
        self._button = button
        self._idle_text = button.text()
        self._busy_text = busy_text
        self._inputs = list(inputs)
        self.active = False

    def begin(self) -> None:
        if self.active:
            return
        self.active = True
        self._button.setText(self._busy_text)
        self._button.setEnabled(False)
        for widget in self._inputs:
            widget.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def end(self) -> None:
        if not self.active:
            return
        self.active = False
        self._button.setText(self._idle_text)
        self._button.setEnabled(True)
        for widget in self._inputs:
            widget.setEnabled(True)
        QGuiApplication.restoreOverrideCursor()
