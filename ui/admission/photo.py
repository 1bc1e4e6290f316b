"""The photo step of admission: a passport-style portrait from a camera or a file.

:class:`PhotoCapture` takes a picture from a camera (Qt Multimedia, when the module loads
and a camera is attached) or from an image file, lets the clerk place a 35:45 crop on it
(:class:`~ui.admission.crop.CropView`) and gives the crop as a small JPEG:
``photo_bytes()`` (at most 413 x 531 px: 35 x 45 mm at 300 dpi; JPEG quality 85, tens of kB)
with ``mime``. A photo is optional; ``photo_bytes()`` is None without one.

Qt Multimedia is imported lazily and only here: a missing module or missing system
libraries (it needs libpulse) leave the camera button disabled with a note, never an
import error. Camera errors are shown in words. The camera stops when the widget is
hidden and is released with it.

No database here: the wizard hands the bytes to the admission service.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QImage,
    QImageReader,
    QImageWriter,
    QPainter,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.admission.crop import RATIO, CropView

log = logging.getLogger(__name__)

MIME = "image/jpeg"
MAX_OUTPUT = QSize(413, 531)      # 35 x 45 mm at 300 dpi
JPEG_QUALITY = 85
BUDGET_BYTES = 120 * 1024         # over this (sensor noise), the quality steps down
LOAD_MAX_SIDE = 2400              # bigger images are read scaled down (fast, still 5x output)
MIN_SIZE = QSize(70, 90)          # smaller than this is no usable portrait
MAX_FILE_BYTES = 60 * 1024 * 1024
CAMERA_START_MS = 15_000          # a camera not ready by then is given up
PREVIEW_SIZE = QSize(140, 180)
FILE_FILTER = "Images (*.jpg *.jpeg *.png *.bmp);;All files (*)"
NO_CAMERA = "No camera found on this workstation — choose a photo file"
HINT = ("A head-and-shoulders portrait, face in the middle of the frame. Drag the frame or "
        "its corners; or click the picture, then move the frame with the arrow keys and "
        "resize it with + and −.")

_last_dir = ""  # where the last photo file came from, for the next file dialog


class PhotoError(Exception):
    """An image that cannot be used; the message is the reason, in words."""


# -- images ------------------------------------------------------------------------------

_REASONS = {
    QImageReader.ImageReaderError.FileNotFoundError: "the file does not exist",
    QImageReader.ImageReaderError.UnsupportedFormatError:
        "it is not an image Depot can read (JPEG, PNG or BMP)",
    QImageReader.ImageReaderError.InvalidDataError:
        "the image data is damaged or incomplete",
}


def _read(reader: QImageReader) -> tuple[QImage, QSize]:
    """The image (upright, scaled down if huge) and its size in the file (upright)."""
    reader.setAutoTransform(True)  # phone photos: upright as their EXIF orientation says
    size = reader.size()  # after the EXIF rotation; invalid if the header is unreadable
    if size.isValid() and max(size.width(), size.height()) > LOAD_MAX_SIDE:
        reader.setScaledSize(size.scaled(LOAD_MAX_SIDE, LOAD_MAX_SIDE,
                                         Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        reason = _REASONS.get(reader.error())
        if reason is None:
            reason = f"it could not be read ({reader.errorString()})"
        raise PhotoError(reason)
    if image.width() < MIN_SIZE.width() or image.height() < MIN_SIZE.height():
        raise PhotoError(f"the image is only {image.width()} × {image.height()} pixels, too "
                         f"small for a photo (at least {MIN_SIZE.width()} × "
                         f"{MIN_SIZE.height()})")
    return image, (size if size.isValid() else image.size())


def read_image_file(path: str) -> tuple[QImage, QSize]:
    """The image in this file, upright, at most LOAD_MAX_SIDE px a side, and its size in
    the file; PhotoError if it cannot be used."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise PhotoError("the file does not exist") from None
    except OSError as exc:
        raise PhotoError(f"the file could not be opened ({exc.strerror or exc})") from None
    if size == 0:
        raise PhotoError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise PhotoError(f"the file is {size // (1024 * 1024)} MB, too large for a photo "
                         f"(at most {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    return _read(QImageReader(path))


def read_image_bytes(data: bytes) -> QImage:
    if not data:
        raise PhotoError("there is no image data")
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        return _read(QImageReader(buffer))[0]
    finally:
        buffer.close()


def flatten(image: QImage) -> QImage:
    """Opaque RGB32: transparency (a PNG cut-out) becomes white, not black."""
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(QColor("white"))
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        return flat
    return image.convertToFormat(QImage.Format.Format_RGB32)


def output_size(crop: QSize) -> QSize:
    """The photo's size for a crop of this size: no wider than MAX_OUTPUT, never enlarged,
    35:45 to the pixel."""
    w = min(MAX_OUTPUT.width(), crop.width())
    return QSize(w, min(MAX_OUTPUT.height(), round(w / RATIO)))


def portrait(image: QImage, crop: QRect) -> QImage:
    """The crop of ``image`` at its output size, opaque."""
    part = flatten(image.copy(crop))
    size = output_size(part.size())
    if part.size() != size:
        part = part.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
    return part


def jpeg_bytes(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setQuality(quality)
    writer.setOptimizedWrite(True)
    if not writer.write(image):
        raise PhotoError(f"the photo could not be saved as JPEG ({writer.errorString()})")
    buffer.close()
    return bytes(buffer.data().data())


def encode_photo(image: QImage) -> bytes:
    """JPEG at quality 85: a portrait is 20-60 kB. A very noisy picture (a dark room, a
    cheap sensor) is re-encoded at lower quality until it is within BUDGET_BYTES."""
    data = jpeg_bytes(image, JPEG_QUALITY)
    quality = JPEG_QUALITY
    while len(data) > BUDGET_BYTES and quality > 45:
        quality -= 10
        data = jpeg_bytes(image, quality)
    return data


# -- the camera (Qt Multimedia, optional) --------------------------------------------------

@functools.cache
def _multimedia() -> tuple[Any, Any] | None:
    """(QtMultimedia, QtMultimediaWidgets), or None if they cannot be loaded here."""
    try:
        from PySide6 import QtMultimedia, QtMultimediaWidgets
    except (ImportError, OSError) as exc:  # no module, or a system library missing
        log.info("no camera support: Qt Multimedia does not load (%s)", exc)
        return None
    return QtMultimedia, QtMultimediaWidgets


def available_cameras() -> tuple[list[Any], str]:
    """The cameras attached (QCameraDevice) and, when there are none, why (for a tooltip)."""
    modules = _multimedia()
    if modules is None:
        return [], "Qt Multimedia is not available on this workstation."
    try:
        cameras = list(modules[0].QMediaDevices.videoInputs())
    except Exception as exc:  # a backend that fails to start: no camera, not a crash
        log.warning("listing cameras failed: %s", exc)
        return [], f"The cameras could not be listed ({exc})."
    return cameras, "" if cameras else "The system reports no camera."


def camera_permission_denied() -> bool:
    """True when the operating system has refused this program the camera (macOS,
    Windows privacy settings); False where permissions do not apply."""
    try:
        from PySide6.QtCore import QCameraPermission
        app = QCoreApplication.instance()
        return (app is not None and app.checkPermission(QCameraPermission())
                == Qt.PermissionStatus.Denied)
    except Exception:  # no permission API in this build
        return False


class CameraSession(QObject):
    """One camera switched on: its viewfinder widget, a still capture, errors in words."""

    sig_ready = Signal(bool)       # whether a photo can be taken now
    sig_captured = Signal(QImage)
    sig_failed = Signal(str)

    def __init__(self, device: Any, parent: QObject | None = None):
        super().__init__(parent)
        multimedia, widgets = _multimedia()
        self.viewfinder: QWidget = widgets.QVideoWidget()
        self._camera = multimedia.QCamera(device, self)
        self._capture = multimedia.QImageCapture(self)
        self._session = multimedia.QMediaCaptureSession(self)
        self._session.setCamera(self._camera)
        self._session.setImageCapture(self._capture)
        self._session.setVideoOutput(self.viewfinder)
        self._camera.errorOccurred.connect(self._on_camera_error)
        self._capture.errorOccurred.connect(self._on_capture_error)
        self._capture.readyForCaptureChanged.connect(self.sig_ready)
        self._capture.imageCaptured.connect(self._on_captured)

    def start(self) -> None:
        """Switch the camera on; an error it already has (a camera unplugged since it was
        listed) is reported now: QCamera sets it while being built, before anyone listens."""
        if self._camera.error() != self._camera.Error.NoError:
            self._on_camera_error(None, self._camera.errorString())
            return
        self._camera.start()

    def capture(self) -> None:
        if self._capture.isReadyForCapture():
            self._capture.capture()

    def stop(self) -> None:
        """Switch the camera off and let go of the viewfinder (both are deleted later, in
        either order)."""
        self._camera.stop()
        self._session.setVideoOutput(None)

    def _on_camera_error(self, _error, text: str) -> None:
        self.sig_failed.emit(f"The camera could not be used: {text or 'it reported an error'}.")

    def _on_capture_error(self, _id: int, _error, text: str) -> None:
        self.sig_failed.emit(f"The photo could not be taken: {text or 'the camera failed'}.")

    def _on_captured(self, _id: int, image: QImage) -> None:
        self.sig_captured.emit(image)


# -- the widget ----------------------------------------------------------------------------

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
        self._session: CameraSession | None = None
        self._cameras: list[Any] = []
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(CAMERA_START_MS)
        self._start_timer.timeout.connect(self._on_camera_slow)

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
        self.camera_page = QWidget()
        camera_box = QVBoxLayout(self.camera_page)
        camera_box.setContentsMargins(0, 0, 0, 0)
        camera_box.setSpacing(6)
        self.camera_state = QLabel()
        self.camera_state.setObjectName("muted")
        camera_box.addWidget(self.camera_state)
        self._viewfinder_slot = QVBoxLayout()
        camera_box.addLayout(self._viewfinder_slot, 1)
        shoot = QHBoxLayout()
        self.camera_choice = QComboBox()
        self.camera_choice.setAccessibleName("Camera")
        self.camera_choice.activated.connect(self._on_camera_chosen)
        shoot.addWidget(self.camera_choice)
        shoot.addStretch(1)
        self.take_button = QPushButton("&Take photo")
        theme.mark_primary(self.take_button)
        self.take_button.clicked.connect(self.take_photo)
        self.cancel_camera_button = QPushButton("Cancel")
        self.cancel_camera_button.clicked.connect(self.stop_camera)
        shoot.addWidget(self.take_button)
        shoot.addWidget(self.cancel_camera_button)
        camera_box.addLayout(shoot)
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

        self.refresh_cameras()
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
        cameras, why = available_cameras()
        self._cameras = cameras
        self.camera_choice.clear()
        for camera in cameras:
            self.camera_choice.addItem(camera.description())
        self.camera_choice.setVisible(len(cameras) > 1)
        self.camera_button.setEnabled(bool(cameras))
        self.camera_button.setToolTip("" if cameras else why)
        self.camera_note.setToolTip(why)
        self.camera_note.setVisible(not cameras)

    def camera_active(self) -> bool:
        return self._session is not None

    def start_camera(self) -> None:
        if self._session is not None or not self._cameras:
            return
        if camera_permission_denied():
            self._show_error("This program may not use the camera: allow it in the system's "
                             "privacy settings, or choose a photo file.")
            return
        index = max(0, self.camera_choice.currentIndex())
        self._open_camera(self._cameras[min(index, len(self._cameras) - 1)])

    def _open_camera(self, device: Any) -> None:
        self._show_error("")
        try:
            session = CameraSession(device, self)
        except Exception as exc:  # a backend that cannot build a session
            log.warning("camera session failed: %s", exc)
            self._show_error(f"The camera could not be used: {exc}.")
            return
        self._session = session
        session.sig_ready.connect(self._on_camera_ready)
        session.sig_captured.connect(self._on_captured)
        session.sig_failed.connect(self._on_camera_failed)
        self._viewfinder_slot.addWidget(session.viewfinder)
        self.take_button.setEnabled(False)
        self.camera_state.setText("Starting the camera…")
        self.stack.setCurrentWidget(self.camera_page)
        self._show_state()
        self._start_timer.start()
        session.start()

    def take_photo(self) -> None:
        if self._session is not None:
            self.take_button.setEnabled(False)
            self.camera_state.setText("Taking the photo…")
            self._session.capture()

    def stop_camera(self) -> None:
        """Switch the camera off and go back to the photo (if any)."""
        self._start_timer.stop()
        session, self._session = self._session, None
        if session is None:
            return
        for signal in (session.sig_ready, session.sig_captured, session.sig_failed):
            signal.disconnect()
        try:
            session.stop()
        except Exception as exc:  # stopping a failed camera: nothing more to do
            log.warning("camera stop failed: %s", exc)
        self._viewfinder_slot.removeWidget(session.viewfinder)
        session.viewfinder.hide()
        session.viewfinder.deleteLater()
        session.deleteLater()
        self.stack.setCurrentWidget(self.crop_view)
        self._show_state()

    def _on_camera_chosen(self, index: int) -> None:
        if self._session is not None and 0 <= index < len(self._cameras):
            self.stop_camera()
            self._open_camera(self._cameras[index])

    def _on_camera_ready(self, ready: bool) -> None:
        if ready:
            self._start_timer.stop()
        self.take_button.setEnabled(ready)
        self.camera_state.setText("Face the camera, then “Take photo”." if ready
                                  else "Starting the camera…")

    def _on_camera_slow(self) -> None:
        if self._session is not None:
            self._on_camera_failed(f"The camera did not start within "
                                   f"{CAMERA_START_MS // 1000} seconds.")

    def _on_captured(self, image: QImage) -> None:
        self.stop_camera()
        self.load_image(image.copy(), "camera")

    def _on_camera_failed(self, message: str) -> None:
        log.warning("camera: %s", message)
        self.stop_camera()
        self._show_error(f"{message} You can choose a photo file instead.")

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
        camera_on = self._session is not None
        has = self.has_photo()
        self.camera_button.setText("Re&take" if self._source == "camera" else "Use &camera")
        self.camera_button.setEnabled(bool(self._cameras) and not camera_on)
        self.remove_button.setVisible(has)
        self.hint.setVisible(has and not camera_on)  # how to crop: with a photo to crop
        self.source_note.setVisible(has and bool(self.source_note.text()))
        if not camera_on:
            self.stack.setCurrentWidget(self.crop_view)
        self.crop_view.empty_text = ("No photo\n\nUse the camera or choose a photo file"
                                     if self._cameras else
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
        if not event.spontaneous() and self._session is None:
            self.refresh_cameras()
            self._show_state()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.stop_camera()  # another step, a closed wizard: the camera goes off
        super().hideEvent(event)
