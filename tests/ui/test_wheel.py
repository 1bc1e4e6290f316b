"""The mouse wheel over a form scrolls it; it does not change the answer under the
pointer unless that field has the focus."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ui.widgets.wheel import WheelGuard


def _wheel(widget: QWidget) -> None:
    at = QPointF(widget.rect().center())
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_past_an_unfocused_drop_down_and_turns_a_focused_one(qtbot):
    guard = WheelGuard()
    guard.install()
    try:
        form = QWidget()
        column = QVBoxLayout(form)
        other = QLineEdit()
        combo = QComboBox()
        combo.addItems(["Not taken", "Taken, result pending", "Normal", "Abnormal"])
        column.addWidget(other)
        column.addWidget(combo)
        for _ in range(40):
            column.addWidget(QLineEdit())
        area = QScrollArea()
        area.setWidget(form)
        area.resize(300, 200)
        qtbot.addWidget(area)
        area.show()
        qtbot.waitExposed(area)
        other.setFocus()
        before = area.verticalScrollBar().value()
        _wheel(combo)
        assert combo.currentIndex() == 0  # the answer stays
        assert area.verticalScrollBar().value() > before  # the form scrolled instead
        combo.setFocus()
        qtbot.waitUntil(combo.hasFocus)
        _wheel(combo)
        assert combo.currentIndex() == 1  # chosen on purpose: the wheel turns it
    finally:
        QApplication.instance().removeEventFilter(guard)
