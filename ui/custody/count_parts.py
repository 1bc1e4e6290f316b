"""Small parts of the headcount screen: the big figures and the line that answers a scan."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui import theme

TONES = {
    "": (theme.INK, theme.SURFACE, theme.LINE),
    "ok": (theme.OK_INK, "#e3f4e8", "#a9d8b6"),
    "warn": (theme.WARN_INK, theme.WARN_BG, "#ecd28b"),
    "error": (theme.DANGER, "#fdecea", "#f3c2bd"),
    "hint": (theme.MUTED, theme.SURFACE, theme.LINE),
}


class Figure(QFrame):
    """A big number with what it counts under it; coloured when it needs attention."""

    def __init__(self, label: str, attention: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figure")
        self.attention = attention  # the tone when the value is not 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(0)
        self.value = QLabel("–")
        self.label = QLabel(label)
        self.note = QLabel()
        self.note.setStyleSheet(f"color: {theme.MUTED}; font-size: 8.5pt;")
        self.note.hide()
        layout.addWidget(self.value)
        layout.addWidget(self.label)
        layout.addWidget(self.note)
        self.setMinimumWidth(120)
        self._paint("")

    def set(self, value: int | None, note: str = "", tone: str | None = None) -> None:
        self.value.setText("–" if value is None else f"{value:,}")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._paint(tone if tone is not None else (self.attention if value else ""))

    def _paint(self, tone: str) -> None:
        ink, background, line = TONES[tone]
        self.setStyleSheet(
            f"QFrame#figure {{ background: {background}; border: 1px solid {line}; "
            f"border-radius: 6px; }}")
        self.value.setStyleSheet(f"font-size: {theme.BASE_POINT_SIZE + 16}pt; "
                                 f"font-weight: 600; color: {ink};")
        self.label.setStyleSheet(f"color: {ink if tone else theme.MUTED}; font-weight: 600;")


class ScanMessage(QLabel):
    """What the last scan or tick did, in words and colour; never a dialog, so the next
    card can be scanned at once."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setFixedHeight(54)  # two lines: the layout does not jump from scan to scan
        self.tone = ""
        self.say("", "")

    def say(self, text: str, tone: str = "") -> None:
        self.tone = tone
        ink, background, line = TONES[tone]
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ color: {ink}; background: {background}; border: 1px solid {line}; "
            f"border-radius: 4px; padding: 4px 10px; font-size: {theme.BASE_POINT_SIZE + 1}pt;"
            f" {'font-weight: 600;' if tone in ('ok', 'error') else ''} }}")
