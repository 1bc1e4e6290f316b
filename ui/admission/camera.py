"""The photo step's camera: Qt Multimedia, loaded lazily, behind a small page widget.

:class:`CameraPanel` is the camera page of :class:`~ui.admission.photo.PhotoCapture`:
a state line, the viewfinder, a camera choice (when there are several) and "Take photo" /
"Cancel". Its interface is small: :meth:`CameraPanel.refresh` (look for cameras),
:meth:`~CameraPanel.start`, :meth:`~CameraPanel.take`, :meth:`~CameraPanel.stop`,
:meth:`~CameraPanel.is_active`; signals ``sig_captured`` (the picture),
``sig_failed`` (a message to show, in words) and ``sig_active_changed`` (switched on/off).

Qt Multimedia is imported lazily and only here: a missing module or missing system
libraries (it needs libpulse) mean no cameras, never an import error. A camera not
ready within CAMERA_START_MS is given up. Stopping releases the camera and its
viewfinder; the owner stops the panel when it is hidden.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import theme

log = logging.getLogger(__name__)

CAMERA_START_MS = 15_000          # a camera not ready by then is given up


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


class CameraPanel(QWidget):
    """The camera page: a viewfinder and "Take photo" while a camera is on."""

    sig_captured = Signal(QImage)       # a photo was taken (the camera is off again)
    sig_failed = Signal(str)            # why the camera cannot be used, to show
    sig_active_changed = Signal(bool)   # the camera was switched on (True) or off

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._session: CameraSession | None = None
        self._cameras: list[Any] = []
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(CAMERA_START_MS)
        self._start_timer.timeout.connect(self._on_slow)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        self.state = QLabel()
        self.state.setObjectName("muted")
        box.addWidget(self.state)
        self._viewfinder_slot = QVBoxLayout()
        box.addLayout(self._viewfinder_slot, 1)
        shoot = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.setAccessibleName("Camera")
        self.choice.activated.connect(self._on_chosen)
        shoot.addWidget(self.choice)
        shoot.addStretch(1)
        self.take_button = QPushButton("&Take photo")
        theme.mark_primary(self.take_button)
        self.take_button.clicked.connect(self.take)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.stop)
        shoot.addWidget(self.take_button)
        shoot.addWidget(self.cancel_button)
        box.addLayout(shoot)

    def refresh(self) -> str:
        """Look for cameras again; why there are none ("" when there are some)."""
        cameras, why = available_cameras()
        self._cameras = cameras
        self.choice.clear()
        for camera in cameras:
            self.choice.addItem(camera.description())
        self.choice.setVisible(len(cameras) > 1)
        return why

    def has_cameras(self) -> bool:
        return bool(self._cameras)

    def is_active(self) -> bool:
        return self._session is not None

    def start(self) -> None:
        """Switch the chosen camera on (nothing if one is on or there is none)."""
        if self._session is not None or not self._cameras:
            return
        if camera_permission_denied():
            self.sig_failed.emit("This program may not use the camera: allow it in the "
                                 "system's privacy settings, or choose a photo file.")
            return
        index = max(0, self.choice.currentIndex())
        self._open(self._cameras[min(index, len(self._cameras) - 1)])

    def _open(self, device: Any) -> None:
        try:
            session = CameraSession(device, self)
        except Exception as exc:  # a backend that cannot build a session
            log.warning("camera session failed: %s", exc)
            self.sig_failed.emit(f"The camera could not be used: {exc}.")
            return
        self._session = session
        session.sig_ready.connect(self._on_ready)
        session.sig_captured.connect(self._on_captured)
        session.sig_failed.connect(self._on_failed)
        self._viewfinder_slot.addWidget(session.viewfinder)
        self.take_button.setEnabled(False)
        self.state.setText("Starting the camera…")
        self.sig_active_changed.emit(True)
        self._start_timer.start()
        session.start()

    def take(self) -> None:
        if self._session is not None:
            self.take_button.setEnabled(False)
            self.state.setText("Taking the photo…")
            self._session.capture()

    def stop(self) -> None:
        """Switch the camera off and release it (nothing if it is off)."""
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
        self.sig_active_changed.emit(False)

    def _on_chosen(self, index: int) -> None:
        if self._session is not None and 0 <= index < len(self._cameras):
            self.stop()
            self._open(self._cameras[index])

    def _on_ready(self, ready: bool) -> None:
        if ready:
            self._start_timer.stop()
        self.take_button.setEnabled(ready)
        self.state.setText("Face the camera, then “Take photo”." if ready
                           else "Starting the camera…")

    def _on_slow(self) -> None:
        if self._session is not None:
            self._on_failed(f"The camera did not start within "
                            f"{CAMERA_START_MS // 1000} seconds.")

    def _on_captured(self, image: QImage) -> None:
        self.stop()
        self.sig_captured.emit(image.copy())

    def _on_failed(self, message: str) -> None:
        log.warning("camera: %s", message)
        self.stop()
        self.sig_failed.emit(f"{message} You can choose a photo file instead.")
