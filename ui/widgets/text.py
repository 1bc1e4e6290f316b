"""Labels that show every accent of a name.

Stacked marks on capitals (Vietnamese Ễ, Ấ, Ộ) rise above the font's ascent. QLabel paints
plain text clipped to its contents rectangle, which is exactly one line high, so the upper
mark vanishes and NGUYỄN reads NGUYÊN. Contents margins do not help (they shrink that
rectangle); a taller rectangle with the text at its bottom does. A label made selectable
(``setTextInteractionFlags``) draws through a text document and clips again: keep such
labels plain.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

ROOM = 0.3  # of the line height: enough for two stacked marks


def leave_room_for_marks(label: QLabel) -> QLabel:
    label.ensurePolished()  # a style sheet may set the font size
    line = label.fontMetrics().height()
    label.setMinimumHeight(line + round(line * ROOM))
    horizontal = label.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
    label.setAlignment(horizontal | Qt.AlignmentFlag.AlignBottom)
    return label
