"""A passport-style crop: the image with a 35:45 frame the clerk moves and resizes.

The frame lives in image pixels and always keeps the 35:45 (width:height) shape and stays
inside the image. Mouse: drag inside the frame to move it, drag a corner to resize it
(the opposite corner stays put), click outside it to centre it there. Keyboard (the view
takes focus): the arrow keys move it (Shift: five times as far), + and - resize it about
its centre.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme

ASPECT_W, ASPECT_H = 35, 45  # a passport photo, 35 x 45 mm
RATIO = ASPECT_W / ASPECT_H  # width / height
MIN_CROP_WIDTH = 40          # image pixels (or the image's own width, if smaller)
MARGIN = 8                   # around the image inside the view
HANDLE = 7                   # half the side of a corner handle, in view pixels
GRAB = 11                    # how near a corner a press grabs it, in view pixels
STEP = 0.01                  # an arrow key moves the frame this share of the image
ZOOM = 1.05                  # + and - resize the frame by this factor

CANVAS = QColor("#2f3b48")
SHADE = QColor(0, 0, 0, 130)


def centred_crop(size: QSize) -> QRectF:
    """The largest 35:45 rectangle centred in an image of this size."""
    w, h = float(size.width()), float(size.height())
    cw = min(w, h * RATIO)
    ch = cw / RATIO
    return QRectF((w - cw) / 2, (h - ch) / 2, cw, ch)


def whole_pixels(crop: QRectF, size: QSize) -> QRect:
    """The crop in whole pixels, inside the image, height = width x 45/35 (to a pixel)."""
    if crop.isEmpty() or size.isEmpty():
        return QRect()
    w = max(1, min(round(crop.width()), size.width()))
    h = max(1, min(round(w / RATIO), size.height()))
    x = min(max(0, round(crop.x())), size.width() - w)
    y = min(max(0, round(crop.y())), size.height() - h)
    return QRect(x, y, w, h)


class CropView(QWidget):
    """Shows an image and a 35:45 crop frame on it; ``sig_crop_changed`` on every change."""

    sig_crop_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(260, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Photo crop")
        self.setToolTip("Drag the frame or a corner; arrow keys move it, + and - resize it")
        self._image = QImage()
        self._crop = QRectF()
        self._shown: QPixmap | None = None  # the image scaled for the view, cached
        self._drag: tuple | None = None
        self.empty_text = "No photo"

    # -- the model -----------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(440, 340)

    def has_image(self) -> bool:
        return not self._image.isNull()

    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage) -> None:
        """Show this image (a QImage) with the crop reset to the centred maximal frame."""
        self._image = image
        self._shown = None
        self._crop = centred_crop(image.size()) if not image.isNull() else QRectF()
        self.update()
        self.sig_crop_changed.emit()

    def clear(self) -> None:
        self.set_image(QImage())

    def crop(self) -> QRectF:
        return QRectF(self._crop)

    def crop_rect(self) -> QRect:
        """The crop in whole image pixels (empty without an image)."""
        return whole_pixels(self._crop, self._image.size())

    def set_crop(self, crop: QRectF) -> None:
        """Put the frame here: its width wins (the height follows the 35:45 shape), then it
        is made to fit the image, keeping its centre where it can."""
        if self._image.isNull():
            return
        size = self._image.size()
        biggest = min(size.width(), size.height() * RATIO)
        w = min(max(crop.width(), min(MIN_CROP_WIDTH, biggest)), biggest)
        h = w / RATIO
        centre = crop.center()
        x = min(max(0.0, centre.x() - w / 2), size.width() - w)
        y = min(max(0.0, centre.y() - h / 2), size.height() - h)
        new = QRectF(x, y, w, h)
        if new != self._crop:
            self._crop = new
            self.update()
            self.sig_crop_changed.emit()

    def reset_crop(self) -> None:
        if not self._image.isNull():
            self.set_crop(centred_crop(self._image.size()))

    def move_crop(self, dx: float, dy: float) -> None:
        self.set_crop(self._crop.translated(dx, dy))

    def resize_crop(self, factor: float) -> None:
        c = self._crop.center()
        w = self._crop.width() * factor
        h = w / RATIO
        self.set_crop(QRectF(c.x() - w / 2, c.y() - h / 2, w, h))

    # -- geometry between the view and the image ------------------------------------------

    def _target(self) -> QRectF:
        """Where the image is drawn: fitted into the view, centred."""
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        if self._image.isNull() or area.isEmpty():
            return QRectF()
        iw, ih = self._image.width(), self._image.height()
        scale = min(area.width() / iw, area.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def _scale(self) -> float:
        target = self._target()
        return target.width() / self._image.width() if not target.isEmpty() else 0.0

    def _to_view(self, r: QRectF) -> QRectF:
        t, s = self._target(), self._scale()
        return QRectF(t.x() + r.x() * s, t.y() + r.y() * s, r.width() * s, r.height() * s)

    def _to_image(self, p: QPointF) -> QPointF:
        t, s = self._target(), self._scale()
        if s <= 0:
            return QPointF()
        return QPointF((p.x() - t.x()) / s, (p.y() - t.y()) / s)

    def _corner_at(self, p: QPointF) -> tuple[int, int] | None:
        """The corner of the frame under this view point, as (sx, sy): the direction it
        points from the frame's centre; None if no corner is near."""
        frame = self._to_view(self._crop)
        for sx, sy, corner in ((-1, -1, frame.topLeft()), (1, -1, frame.topRight()),
                               (-1, 1, frame.bottomLeft()), (1, 1, frame.bottomRight())):
            if abs(p.x() - corner.x()) <= GRAB and abs(p.y() - corner.y()) <= GRAB:
                return sx, sy
        return None

    # -- painting -------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._shown = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._image.isNull():
            p.fillRect(self.rect(), QColor(theme.SURFACE))
            p.setPen(QPen(QColor(theme.LINE), 1, Qt.PenStyle.DashLine))
            p.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            p.end()
            return
        p.fillRect(self.rect(), CANVAS)
        target = self._target()
        if target.isEmpty():
            p.end()
            return
        if self._shown is None or self._shown.size() != target.size().toSize():
            self._shown = QPixmap.fromImage(self._image.scaled(
                target.size().toSize(), Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        p.drawPixmap(target.topLeft(), self._shown)
        frame = self._to_view(self._crop)
        # Shade what is cut away: one even-odd fill (bands side by side leave seams).
        shade = QPainterPath()
        shade.setFillRule(Qt.FillRule.OddEvenFill)
        shade.addRect(target)
        shade.addRect(frame)
        p.fillPath(shade, SHADE)
        # The frame, thirds lines to place the eyes, corner handles.
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(255, 255, 255, 90), 1))
        for i in (1, 2):
            y = frame.top() + frame.height() * i / 3
            p.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
            x = frame.left() + frame.width() * i / 3
            p.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()))
        p.setPen(QPen(QColor("white"), 2))
        p.drawRect(frame)
        p.setPen(QPen(QColor(theme.ACCENT), 1))
        p.setBrush(QColor("white"))
        for corner in (frame.topLeft(), frame.topRight(), frame.bottomLeft(),
                       frame.bottomRight()):
            p.drawRect(QRectF(corner.x() - HANDLE, corner.y() - HANDLE, 2 * HANDLE, 2 * HANDLE))
        if self.hasFocus():
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor("#7fb2e5"), 2))
            p.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        p.end()

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._image.isNull() or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        corner = self._corner_at(pos)
        if corner is not None:
            sx, sy = corner
            # The opposite corner stays put while this one follows the pointer.
            anchor = QPointF(self._crop.left() if sx > 0 else self._crop.right(),
                             self._crop.top() if sy > 0 else self._crop.bottom())
            self._drag = ("resize", anchor, sx, sy)
        else:
            at = self._to_image(pos)
            if not self._crop.contains(at):
                self.set_crop(self._crop.translated(at - self._crop.center()))
            self._drag = ("move", at - self._crop.topLeft())
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._image.isNull():
            return
        pos = event.position()
        if self._drag is None:
            self._hover_cursor(pos)
            return
        at = self._to_image(pos)
        if self._drag[0] == "move":
            offset = self._drag[1]
            top_left = at - offset
            self.set_crop(QRectF(top_left.x(), top_left.y(), self._crop.width(),
                                 self._crop.height()))
        else:
            _, anchor, sx, sy = self._drag
            self._resize_from(anchor, sx, sy, at)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag = None
            self._hover_cursor(event.position())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _resize_from(self, anchor: QPointF, sx: int, sy: int, at: QPointF) -> None:
        """Resize with ``anchor`` fixed and the (sx, sy) corner towards ``at``."""
        size = self._image.size()
        room_x = size.width() - anchor.x() if sx > 0 else anchor.x()
        room_y = size.height() - anchor.y() if sy > 0 else anchor.y()
        biggest = min(room_x, room_y * RATIO)
        wanted = max(sx * (at.x() - anchor.x()), sy * (at.y() - anchor.y()) * RATIO)
        w = min(max(wanted, min(MIN_CROP_WIDTH, biggest)), biggest)
        h = w / RATIO
        x = anchor.x() if sx > 0 else anchor.x() - w
        y = anchor.y() if sy > 0 else anchor.y() - h
        self.set_crop(QRectF(x, y, w, h))

    def _hover_cursor(self, pos: QPointF) -> None:
        corner = self._corner_at(pos)
        if corner is not None:
            diagonal = corner[0] == corner[1]
            self.setCursor(Qt.CursorShape.SizeFDiagCursor if diagonal
                           else Qt.CursorShape.SizeBDiagCursor)
        elif self._to_view(self._crop).contains(pos):
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    # -- keyboard -------------------------------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()  # the focus ring
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._image.isNull():
            super().keyPressEvent(event)
            return
        key = event.key()
        step = STEP * max(self._image.width(), self._image.height())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            step *= 5
        step = max(1.0, step)
        moves = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
                 Qt.Key.Key_Up: (0, -step), Qt.Key.Key_Down: (0, step)}
        if key in moves:
            self.move_crop(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.resize_crop(ZOOM)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.resize_crop(1 / ZOOM)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
