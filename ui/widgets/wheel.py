"""The mouse wheel scrolls forms; it changes a drop-down or a spin box only once that
field has the keyboard focus (clicked or tabbed into).

Qt's default turns the value of whatever field is under the pointer: scrolling down a long
form (the examination) changed the chest X-ray result, the mental-health screen and the
fitness to travel without a click. ``WheelGuard`` is an application-wide event filter that
hands such a wheel turn to the scroll area around the field instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (event.type() != QEvent.Type.Wheel or not isinstance(obj, GUARDED)
                or obj.hasFocus()):
            return False
        area = _scroll_area_around(obj)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True  # the field's value stays as it was

    def install(self) -> None:
        QCoreApplication.instance().installEventFilter(self)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent
