"""The photo step of admission: a passport-style portrait from a camera or a file.

:class:`PhotoCapture` takes a picture from a camera (:class:`~ui.admission.camera.CameraPanel`:
Qt Multimedia, when the module loads and a camera is attached) or from an image file, lets
the clerk place a 35:45 crop on it (:class:`~ui.admission.crop.CropView`) and gives the
crop as a small JPEG (:mod:`ui.admission.photo_image`): ``photo_bytes()`` (at most
413 x 531 px: 35 x 45 mm at 300 dpi; JPEG quality 85, tens of kB) with ``mime``. A photo
is optional; ``photo_bytes()`` is None without one.

Qt Multimedia is never imported at import time: without it the camera button is disabled
with a note. Camera errors are shown in words. The camera stops when the widget is hidden
and is released with it.

No database here: the wizard hands the bytes to the admission service.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.admission.camera import CameraPanel
from ui.admission.crop import RATIO, CropView
from ui.admission.photo_image import (
    LOAD_MAX_SIDE,
    MAX_OUTPUT,
    MIME,
    PhotoError,
    encode_photo,
    flatten,
    output_size,
    portrait,
    read_image_bytes,
    read_image_file,
)

PREVIEW_SIZE = QSize(140, 180)
FILE_FILTER = "Images (*.jpg *.jpeg *.png *.bmp);;All files (*)"
NO_CAMERA = "No camera found on this workstation — choose a photo file"
HINT = ("A head-and-shoulders portrait, face in the middle of the frame. Drag the frame or "
        "its corners; or click the picture, then move the frame with the arrow keys and "
        "resize it with + and −.")

_last_dir = ""  # where the last photo file came from, for the next file dialog


class PhotoCapture(QWidget):
    """Take or choose a photo and crop it; ``photo_bytes()`` is the JPEG (or None)."""

    sig_changed = Signal()  # a photo was taken, chosen, re-cropped or removed
    mime = MIME

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._source = ""            # "camera", "file" or "record"
        self._kept: bytes | None = None  # set_photo's bytes, returned while uncropped
        self._cache: tuple[tuple, bytes] | None = None
        self._preview_source = QImage()  # the image, small, for the result preview

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        self.hint = QLabel(HINT)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)

        row = QHBoxLayout()
        row.setSpacing(14)
        self.stack = QStackedWidget()
        self.crop_view = CropView()
        self.crop_view.sig_crop_changed.connect(self._on_crop_changed)
        self.stack.addWidget(self.crop_view)
        self.camera_page = CameraPanel()
        self.camera_page.sig_active_changed.connect(self._on_camera_switched)
        self.camera_page.sig_captured.connect(self._on_captured)
        self.camera_page.sig_failed.connect(self._show_error)
        self.stack.addWidget(self.camera_page)
        row.addWidget(self.stack, 1)

        side = QVBoxLayout()
        side.setSpacing(4)
        result_title = QLabel("Result")
        result_title.setObjectName("sectionTitle")
        side.addWidget(result_title)
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW_SIZE + QSize(2, 2))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The record card's photo frame (ui/detainees/detail.py).
        self.preview.setStyleSheet("background: #e9edf1; border: 1px solid #c9d1da; "
                                   "color: #7a8794;")
        side.addWidget(self.preview)
        self.result_note = QLabel()
        self.result_note.setObjectName("muted")
        self.result_note.setWordWrap(True)
        self.result_note.setFixedWidth(PREVIEW_SIZE.width() + 2)
        side.addWidget(self.result_note)
        side.addStretch(1)
        row.addLayout(side)
        outer.addLayout(row, 1)

        self.source_note = QLabel()
        self.source_note.setObjectName("muted")
        self.source_note.setWordWrap(True)
        outer.addWidget(self.source_note)

        buttons = QHBoxLayout()
        self.camera_button = QPushButton("Use &camera")
        self.camera_button.clicked.connect(self.start_camera)
        self.file_button = QPushButton("Choose &file…")
        self.file_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton("&Remove photo")
        self.remove_button.clicked.connect(self.clear)
        for button in (self.camera_button, self.file_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)

        self.camera_note = QLabel(NO_CAMERA)
        self.camera_note.setObjectName("muted")
        self.camera_note.setWordWrap(True)
        outer.addWidget(self.camera_note)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)

        # Cameras are looked for when the widget is first shown, not here: a window that
        # never opens the photo step never starts Qt Multimedia's backend.
        self.camera_button.setEnabled(False)
        self.camera_note.hide()
        self._show_state()

    # -- the public API -------------------------------------------------------------------

    def has_photo(self) -> bool:
        return self.crop_view.has_image()

    def photo_bytes(self) -> bytes | None:
        """The cropped photo as JPEG (``mime``), at most 413 x 531 px; None without one."""
        if not self.has_photo():
            return None
        image = self.crop_view.image()
        crop = self.crop_view.crop_rect()
        if self._kept is not None and crop == image.rect():
            return self._kept
        key = (image.cacheKey(), crop.x(), crop.y(), crop.width(), crop.height())
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, encode_photo(portrait(image, crop)))
        return self._cache[1]

    def set_photo(self, data: bytes | None) -> bool:
        """Show a photo already on record (JPEG or PNG bytes); None clears. It is returned
        unchanged by ``photo_bytes()`` while its crop is left alone and it is a JPEG of at
        most the output size; otherwise it is cropped and re-encoded like any other."""
        self.stop_camera()
        if not data:
            self.clear()
            return True
        try:
            image = read_image_bytes(data)
        except PhotoError as exc:
            self._set_image(QImage(), "")
            self._show_error(f"The photo on record could not be shown: {exc}.")
            return False
        fits = (image.width() <= MAX_OUTPUT.width() and image.height() <= MAX_OUTPUT.height()
                and abs(image.height() - image.width() / RATIO) <= 1)
        self._set_image(image, "record", kept=data if fits and data[:3] == b"\xff\xd8\xff"
                        else None)
        return True

    def load_file(self, path: str) -> bool:
        """Use the image in this file (what "Choose file…" does); a file that cannot be used
        leaves the photo as it was and says why."""
        global _last_dir
        name = os.path.basename(path) or path
        try:
            image, size = read_image_file(path)
        except PhotoError as exc:
            self._show_error(f"“{name}” cannot be used: {exc}.")
            self.error.setToolTip(path)
            return False
        _last_dir = os.path.dirname(os.path.abspath(path))
        self._set_image(image, "file", note=f"From the file “{name}” "
                        f"({size.width()} × {size.height()} px).")
        return True

    def load_image(self, image: QImage, source: str = "camera") -> bool:
        """Use this picture (a camera's capture)."""
        if image.isNull():
            self._show_error("The camera gave no picture. Try again, or choose a photo file.")
            return False
        note = f"From the camera ({image.width()} × {image.height()} px)." \
            if source == "camera" else ""
        if max(image.width(), image.height()) > LOAD_MAX_SIDE:  # a 4K camera: as files
            image = image.scaled(LOAD_MAX_SIDE, LOAD_MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self._set_image(image, source, note=note)
        return True

    def clear(self) -> None:
        """No photo."""
        self.stop_camera()
        self._set_image(QImage(), "")

    def choose_file(self) -> None:
        self.stop_camera()
        path, _ = QFileDialog.getOpenFileName(self, "Choose a photo", _last_dir, FILE_FILTER)
        if path:
            self.load_file(path)

    # -- the camera -----------------------------------------------------------------------

    def refresh_cameras(self) -> None:
        """Look for cameras again (at start and each time the widget is shown)."""
        why = self.camera_page.refresh()
        found = self.camera_page.has_cameras()
        self.camera_button.setEnabled(found)
        self.camera_button.setToolTip("" if found else why)
        self.camera_note.setToolTip(why)
        self.camera_note.setVisible(not found)

    def camera_active(self) -> bool:
        return self.camera_page.is_active()

    def start_camera(self) -> None:
        self.camera_page.start()

    def take_photo(self) -> None:
        self.camera_page.take()

    def stop_camera(self) -> None:
        """Switch the camera off and go back to the photo (if any)."""
        self.camera_page.stop()

    def _on_camera_switched(self, on: bool) -> None:
        if on:
            self._show_error("")
            self.stack.setCurrentWidget(self.camera_page)
        self._show_state()  # off: back to the photo

    def _on_captured(self, image: QImage) -> None:
        self.load_image(image, "camera")

    # -- state ----------------------------------------------------------------------------

    def _set_image(self, image: QImage, source: str, note: str = "",
                   kept: bytes | None = None) -> None:
        self._source = source if not image.isNull() else ""
        self._kept = kept
        self._cache = None
        self._preview_source = (image.scaled(800, 800, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
                                if max(image.width(), image.height()) > 800 else image)
        if not note and source == "record":
            note = "The photo on record."
        self.source_note.setText(note)
        self._show_error("")
        self.crop_view.set_image(image)  # emits sig_crop_changed: preview and sig_changed
        self._show_state()

    def _on_crop_changed(self) -> None:
        self._update_preview()
        self.sig_changed.emit()

    def _update_preview(self) -> None:
        if not self.has_photo():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No photo")
            self.result_note.setText("Optional: the record says “No photo” without one.")
            return
        image = self.crop_view.image()
        crop = self.crop_view.crop_rect()
        small = self._preview_source
        factor = small.width() / image.width()
        part = QRect(round(crop.x() * factor), round(crop.y() * factor),
                     max(1, round(crop.width() * factor)), max(1, round(crop.height() * factor)))
        shown = flatten(small.copy(part)).scaled(PREVIEW_SIZE,
                                                 Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(QPixmap.fromImage(shown))
        size = output_size(crop.size())
        self.result_note.setText(f"{size.width()} × {size.height()} px")

    def _show_state(self) -> None:
        camera_on = self.camera_page.is_active()
        has = self.has_photo()
        self.camera_button.setText("Re&take" if self._source == "camera" else "Use &camera")
        self.camera_button.setEnabled(self.camera_page.has_cameras() and not camera_on)
        self.remove_button.setVisible(has)
        self.hint.setVisible(has and not camera_on)  # how to crop: with a photo to crop
        self.source_note.setVisible(has and bool(self.source_note.text()))
        if not camera_on:
            self.stack.setCurrentWidget(self.crop_view)
        self.crop_view.empty_text = ("No photo\n\nUse the camera or choose a photo file"
                                     if self.camera_page.has_cameras() else
                                     "No photo\n\nChoose a photo file (JPEG, PNG or BMP)")
        self.crop_view.update()
        self._update_preview()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setToolTip("")
        self.error.setVisible(bool(text))

    def error_text(self) -> str:
        """The message on show ("" if none): why a file or the camera could not be used."""
        return self.error.text() if not self.error.isHidden() else ""

    # -- life cycle -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not event.spontaneous() and not self.camera_page.is_active():
            self.refresh_cameras()
            self._show_state()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.stop_camera()  # another step, a closed wizard: the camera goes off
        super().hideEvent(event)
