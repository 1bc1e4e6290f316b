"""Count tiles: a big number, what it counts, and an optional note under it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

# Tones that colour the number only when there is something to look at (not zero).
ALERT_TONES = ("warn", "danger")


class Tile(QFrame):
    def __init__(self, label: str, tone: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tile")
        self.setMinimumWidth(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        self.value = QLabel("–")
        self.value.setObjectName("tileValue")
        self._tone = tone
        self.label = QLabel(label)
        self.label.setObjectName("tileLabel")
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setStyleSheet("font-size: 8.5pt;")
        self.note.setWordWrap(True)  # a narrow tile wraps its note rather than widening
        layout.addWidget(self.value)
        layout.addWidget(self.label)
        layout.addWidget(self.note)

    @property
    def tone(self) -> str:
        """The tone the number is shown in now ("" when plain)."""
        return self.value.property("tone") or ""

    def set(self, value: int, note: str = "") -> None:
        self.value.setText(f"{value:,}")
        tone = self._tone if (self._tone not in ALERT_TONES or value) else ""
        if self.value.property("tone") != tone:
            self.value.setProperty("tone", tone)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setToolTip(f"{self.label.text()}: {value:,}" + (f" — {note}" if note else ""))
