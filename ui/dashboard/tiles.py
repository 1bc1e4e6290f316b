"""Count tiles: a big number, what it counts, and an optional note under it. A tile may
lead somewhere (``set_clickable``): a click emits ``sig_clicked``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

# Tones that colour the number only when there is something to look at (not zero).
ALERT_TONES = ("warn", "danger")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Tile(QFrame):
    sig_clicked = Signal()

    def __init__(self, label: str, tone: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.clickable = False
        self._where = ""
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

    def set_clickable(self, where: str) -> None:
        """A click opens ``where`` (said in the tooltip)."""
        self.clickable = bool(where)
        self._where = where
        self.setCursor(Qt.CursorShape.PointingHandCursor if where else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if self.clickable and event.button() == Qt.MouseButton.LeftButton \
                and self.rect().contains(event.position().toPoint()):
            self.sig_clicked.emit()

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
        tip = f"{self.label.text()}: {value:,}" + (f" — {note}" if note else "")
        if self.clickable:
            tip += f"\nClick to open {self._where}."
        self.setToolTip(tip)


class CourtsTile(QFrame):
    """Productions scheduled this week, per court: today, tomorrow, later this week. The
    first ``most`` courts by name; a line says how many more there are."""

    HEADERS = ("Today", "Tomorrow", "Later")

    def __init__(self, title: str, most: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tile")
        self.most = most
        self.lines: list[tuple[str, int, int, int]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(0)
        self.grid.setColumnStretch(0, 1)
        self.title = QLabel(title)  # the heading of the courts' column
        self.title.setObjectName("sectionTitle")
        self.title.setToolTip(f"{title}, per court: today, tomorrow and later this week")
        # The court names give way (they have tooltips): the tiles beside keep their width.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.grid.addWidget(self.title, 0, 0)
        self._heads = []
        for c, text in enumerate(self.HEADERS, start=1):
            head = QLabel(text)
            head.setObjectName("muted")
            head.setAlignment(RIGHT | Qt.AlignmentFlag.AlignBottom)
            self.grid.addWidget(head, 0, c)
            self._heads.append(head)
        layout.addLayout(self.grid)
        self.more = QLabel()
        self.more.setObjectName("muted")
        self.more.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.more)
        layout.addStretch(1)

    def set_lines(self, lines: list[tuple[str, int, int, int]], none_text: str) -> None:
        self.lines = list(lines)
        for item in [self.grid.itemAt(i) for i in range(self.grid.count())]:
            widget = item.widget()
            if widget is not None and widget is not self.title and widget not in self._heads:
                self.grid.removeWidget(widget)
                widget.deleteLater()
        shown = self.lines[:self.most]
        for head in self._heads:
            head.setVisible(bool(shown))
        for r, (court, *counts) in enumerate(shown, start=1):
            name = QLabel(court)
            name.setToolTip(court)
            name.setMinimumWidth(60)
            name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.grid.addWidget(name, r, 0)
            for c, n in enumerate(counts, start=1):
                value = QLabel(f"{n:,}" if n else "–")
                value.setAlignment(RIGHT)
                if n and c == 1:
                    value.setStyleSheet("font-weight: 600;")
                self.grid.addWidget(value, r, c)
        rest = len(self.lines) - len(shown)
        if not self.lines:
            self.more.setText(none_text)
        elif rest:
            self.more.setText(f"and {rest} more {'court' if rest == 1 else 'courts'}: "
                              "see the Court area")
        else:
            self.more.setText("")
        self.more.setVisible(bool(self.more.text()))
