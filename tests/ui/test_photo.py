"""The admission photo: a file or a camera picture, cropped 35:45 and stored as a small
JPEG the admission service accepts; bad files are named with the reason; no camera (the
offscreen test platform has none) leaves the camera button disabled with a note."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageIOHandler, QImageWriter, QPainter
from PySide6.QtWidgets import QWidget

from depot_app.services.admission_checks import MAX_PHOTO_BYTES, PHOTO_TYPES
from ui.admission import camera, photo, photo_image
from ui.admission.photo import NO_CAMERA, PhotoCapture

RED, BLUE = QColor(200, 30, 30), QColor(30, 60, 200)
ROOT = Path(__file__).resolve().parents[2]


def two_colour(width: int = 1200, height: int = 900) -> QImage:
    """Left half red, right half blue, with a light grid (some detail for the JPEG)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BLUE)
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 2, height, RED)
    painter.setPen(QColor(255, 255, 255, 60))
    for x in range(0, width, 40):
        painter.drawLine(x, 0, x, height)
    for y in range(0, height, 40):
        painter.drawLine(0, y, width, y)
    painter.end()
    return image


def save(image: QImage, path: Path, fmt: str = "PNG") -> str:
    assert image.save(str(path), fmt)
    return str(path)


def decode(data: bytes) -> QImage:
    image = QImage.fromData(data)
    assert not image.isNull()
    return image


def mean_colour(image: QImage) -> QColor:
    return image.scaled(1, 1, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation).pixelColor(0, 0)


def assert_service_accepts(data: bytes, mime: str) -> None:
    assert mime == "image/jpeg" and mime in PHOTO_TYPES
    assert data.startswith(PHOTO_TYPES[mime])
    assert len(data) <= MAX_PHOTO_BYTES


@pytest.fixture
def widget(qtbot):
    w = PhotoCapture()
    qtbot.addWidget(w)
    w.resize(760, 520)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP"])
def test_a_file_becomes_a_small_35_by_45_jpeg(widget, qtbot, tmp_path, fmt):
    path = save(two_colour(), tmp_path / f"photo.{fmt.lower()}", fmt)
    with qtbot.waitSignal(widget.sig_changed):
        assert widget.load_file(path)
    data = widget.photo_bytes()
    assert_service_accepts(data, widget.mime)
    assert len(data) < 100 * 1024
    image = decode(data)
    assert image.width() <= 413 and image.height() <= 531
    assert abs(image.height() - image.width() * 45 / 35) <= 1
    assert (image.width(), image.height()) == (413, 531)  # a 700 x 900 crop, scaled down
    assert widget.crop_view.crop_rect().size().toTuple() == (700, 900)  # centred, maximal
    assert widget.crop_view.crop_rect().x() == 250
    assert widget.error_text() == ""
    assert "photo." in widget.source_note.text() and "1200 × 900" in widget.source_note.text()
    assert widget.photo_bytes() is data  # encoded once per crop


def test_the_keyboard_moves_and_resizes_the_crop(widget, qtbot, tmp_path):
    widget.load_file(save(two_colour(), tmp_path / "halves.png"))
    view = widget.crop_view
    view.setFocus()
    start = view.crop_rect()
    for _ in range(4):  # 700 / 1.05^4 = 576 px: narrower than either half
        qtbot.keyClick(view, Qt.Key.Key_Minus)
    narrower = view.crop_rect()
    assert narrower.width() < 600 and narrower.width() < start.width()
    assert abs(narrower.height() - narrower.width() * 45 / 35) <= 1
    assert narrower.center().x() == pytest.approx(start.center().x(), abs=1)

    x = narrower.x()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.crop_rect().x() == x - 12  # 1 % of 1200 px
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.crop_rect().x() == x - 12 - 60
    for _ in range(40):
        qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.crop_rect().x() == 0  # stops at the edge
    left = mean_colour(decode(widget.photo_bytes()))
    assert left.red() > 150 and left.blue() < 110, left.name()

    for _ in range(20):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.crop_rect().right() == 1199
    right = mean_colour(decode(widget.photo_bytes()))
    assert right.blue() > 150 and right.red() < 110, right.name()

    for _ in range(30):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    biggest = view.crop_rect()
    assert (biggest.width(), biggest.height()) == (700, 900)  # never beyond the image
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.crop_rect().y() == 0


def test_the_mouse_moves_the_crop_and_resizes_it_by_a_corner(widget, qtbot, tmp_path):
    widget.load_file(save(two_colour(), tmp_path / "halves.png"))
    view = widget.crop_view
    start = view.crop_rect()
    frame = view._to_view(view.crop())
    scale = view._scale()
    centre = frame.center().toPoint()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(view, centre - QPoint(60, 0))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=centre - QPoint(60, 0))
    moved = view.crop_rect()
    assert moved.size() == start.size()
    assert moved.x() == pytest.approx(start.x() - 60 / scale, abs=2)

    frame = view._to_view(view.crop())
    corner = frame.bottomRight().toPoint()
    target = corner - QPoint(80, 10)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(view, target)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=target)
    smaller = view.crop_rect()
    assert smaller.topLeft() == moved.topLeft()  # the opposite corner stays put
    assert smaller.width() < moved.width()
    assert abs(smaller.height() - smaller.width() * 45 / 35) <= 1
    image = decode(widget.photo_bytes())
    assert abs(image.height() - image.width() * 45 / 35) <= 1


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 40, "damaged"),
    ("notes.png", b"These are notes, not a picture.\n" * 10, "not an image"),
    ("empty.jpg", b"", "empty"),
])
def test_a_bad_file_is_named_with_the_reason(widget, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    assert not widget.load_file(str(path))
    assert name in widget.error_text() and reason in widget.error_text()
    assert widget.error.isVisible()
    assert widget.photo_bytes() is None
    assert not widget.has_photo()


def test_a_missing_or_tiny_file_is_refused(widget, tmp_path):
    assert not widget.load_file(str(tmp_path / "gone.jpg"))
    assert "gone.jpg" in widget.error_text() and "does not exist" in widget.error_text()
    tiny = save(two_colour(40, 50), tmp_path / "tiny.png")
    assert not widget.load_file(tiny)
    assert "tiny.png" in widget.error_text() and "too small" in widget.error_text()
    assert widget.photo_bytes() is None


def test_a_bad_file_keeps_the_photo_already_chosen(widget, tmp_path):
    widget.load_file(save(two_colour(), tmp_path / "good.png"))
    before = widget.photo_bytes()
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff garbage")
    assert not widget.load_file(str(tmp_path / "bad.jpg"))
    assert "bad.jpg" in widget.error_text()
    assert widget.photo_bytes() == before
    widget.load_file(save(two_colour(), tmp_path / "good2.png"))
    assert widget.error_text() == ""


def test_a_huge_image_is_read_scaled_down(widget, tmp_path):
    path = save(two_colour(5200, 3900), tmp_path / "huge.jpg", "JPEG")
    assert widget.load_file(path)
    shown = widget.crop_view.image()
    assert max(shown.width(), shown.height()) == photo.LOAD_MAX_SIDE
    assert (shown.width(), shown.height()) == (2400, 1800)
    image = decode(widget.photo_bytes())
    assert (image.width(), image.height()) == (413, 531)
    assert "5200 × 3900" in widget.source_note.text()  # the file's own size


def test_a_phone_photo_is_turned_upright(widget, tmp_path):
    """A JPEG stored sideways with an EXIF orientation (as phones do) is shown upright."""
    path = tmp_path / "phone.jpg"
    writer = QImageWriter(str(path), b"jpeg")
    writer.setTransformation(QImageIOHandler.Transformation.TransformationRotate90)
    assert writer.write(two_colour())
    assert widget.load_file(str(path))
    shown = widget.crop_view.image()
    assert (shown.width(), shown.height()) == (900, 1200)
    assert shown.pixelColor(450, 20).red() > 150  # the left (red) half is now on top
    assert "900 × 1200" in widget.source_note.text()


def test_a_small_crop_is_not_enlarged(widget, tmp_path):
    widget.load_file(save(two_colour(300, 240), tmp_path / "small.png"))
    image = decode(widget.photo_bytes())
    assert (image.width(), image.height()) == (187, 240)
    assert widget.result_note.text() == "187 × 240 px"


def test_transparency_becomes_white_not_black(widget, tmp_path):
    cut_out = QImage(350, 450, QImage.Format.Format_ARGB32)
    cut_out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(cut_out)
    painter.fillRect(125, 125, 100, 200, RED)
    painter.end()
    widget.load_file(save(cut_out, tmp_path / "cutout.png"))
    image = decode(widget.photo_bytes())
    assert image.pixelColor(3, 3).lightness() > 240


def test_noise_stays_within_the_budget(widget):
    noise = QImage(os.urandom(900 * 1200 * 4), 900, 1200, QImage.Format.Format_RGB32).copy()
    assert widget.load_image(noise)
    data = widget.photo_bytes()
    assert len(data) <= photo_image.BUDGET_BYTES
    assert_service_accepts(data, widget.mime)


def test_clear_and_remove(widget, qtbot, tmp_path):
    widget.load_file(save(two_colour(), tmp_path / "a.png"))
    assert widget.remove_button.isVisible()
    with qtbot.waitSignal(widget.sig_changed):
        widget.clear()
    assert widget.photo_bytes() is None and not widget.has_photo()
    assert not widget.remove_button.isVisible()
    assert widget.preview.text() == "No photo"
    widget.load_file(save(two_colour(), tmp_path / "b.png"))
    qtbot.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
    assert widget.photo_bytes() is None


def test_set_photo_keeps_a_stored_jpeg_until_it_is_recropped(widget, qtbot, tmp_path):
    widget.load_file(save(two_colour(), tmp_path / "a.png"))
    stored = widget.photo_bytes()
    widget.clear()
    assert widget.set_photo(stored)
    assert widget.photo_bytes() == stored  # byte for byte: no second JPEG generation
    assert widget.source_note.text() == "The photo on record."
    widget.crop_view.setFocus()
    qtbot.keyClick(widget.crop_view, Qt.Key.Key_Minus)
    recropped = widget.photo_bytes()
    assert recropped != stored
    assert_service_accepts(recropped, widget.mime)

    png = tmp_path / "stored.png"
    save(decode(stored), png)
    assert widget.set_photo(png.read_bytes())
    assert_service_accepts(widget.photo_bytes(), widget.mime)  # a PNG comes back as JPEG

    assert not widget.set_photo(b"\xff\xd8\xff broken")
    assert "could not be shown" in widget.error_text()
    assert widget.photo_bytes() is None
    assert widget.set_photo(None) and widget.photo_bytes() is None


def test_the_file_dialog_loads_the_file_it_returns(widget, monkeypatch, tmp_path):
    path = save(two_colour(), tmp_path / "chosen.png")
    seen = {}

    def fake_dialog(parent, caption, folder, filters):
        seen["filters"] = filters
        return path, filters.split(";;")[0]

    monkeypatch.setattr(photo.QFileDialog, "getOpenFileName", fake_dialog)
    widget.file_button.click()
    assert widget.has_photo()
    assert "*.jpg" in seen["filters"] and "*.png" in seen["filters"]
    monkeypatch.setattr(photo.QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    widget.file_button.click()  # cancelled: the photo stays
    assert widget.has_photo()


# -- the camera -----------------------------------------------------------------------------

def test_no_camera_here_disables_the_camera_button_with_a_note(widget):
    # The offscreen platform has no camera (and Qt Multimedia may not even load).
    assert not widget.camera_button.isEnabled()
    assert widget.camera_note.isVisible()
    assert widget.camera_note.text() == NO_CAMERA
    assert widget.camera_button.toolTip()  # why, in a tooltip
    widget.start_camera()  # a stray call does nothing
    assert not widget.camera_active()


def test_without_qt_multimedia_the_camera_is_off(qtbot, monkeypatch):
    monkeypatch.setattr(camera, "_multimedia", lambda: None)
    w = PhotoCapture()
    qtbot.addWidget(w)
    w.show()
    assert not w.camera_button.isEnabled()
    assert w.camera_note.isVisible() and w.camera_note.text() == NO_CAMERA
    assert "Qt Multimedia" in w.camera_note.toolTip()


def test_the_module_imports_without_qt_multimedia():
    """Qt Multimedia is only imported when the widget looks for cameras; a broken one
    (missing libpulse, no module) costs the camera, not the import."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import ui.admission.photo as photo\n"
        "assert 'PySide6.QtMultimedia' not in sys.modules\n"
        "sys.modules['PySide6.QtMultimedia'] = None\n"  # import now raises ImportError
        "app = QApplication([])\n"
        "w = photo.PhotoCapture()\n"
        "print(w.camera_button.isEnabled(), w.camera_note.text())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"False {NO_CAMERA}"


class FakeDevice:
    def description(self) -> str:
        return "Test camera"


class FakeSession(QObject):
    """Stands in for CameraSession: the test plays the camera's part."""

    sig_ready = Signal(bool)
    sig_captured = Signal(QImage)
    sig_failed = Signal(str)
    made: list[FakeSession] = []

    def __init__(self, device, parent=None):
        super().__init__(parent)
        self.viewfinder = QWidget()
        self.started = self.stopped = False
        self.captures = 0
        FakeSession.made.append(self)

    def start(self):
        self.started = True

    def capture(self):
        self.captures += 1

    def stop(self):
        self.stopped = True


@pytest.fixture
def camera_widget(qtbot, monkeypatch):
    FakeSession.made = []
    monkeypatch.setattr(camera, "available_cameras", lambda: ([FakeDevice()], ""))
    monkeypatch.setattr(camera, "CameraSession", FakeSession)
    monkeypatch.setattr(camera, "camera_permission_denied", lambda: False)
    w = PhotoCapture()
    qtbot.addWidget(w)
    w.resize(760, 520)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_camera_photo_is_taken_cropped_and_retaken(camera_widget, qtbot):
    w = camera_widget
    assert w.camera_button.isEnabled() and not w.camera_note.isVisible()
    qtbot.mouseClick(w.camera_button, Qt.MouseButton.LeftButton)
    session = FakeSession.made[-1]
    assert session.started and w.camera_active()
    assert w.stack.currentWidget() is w.camera_page
    assert not w.camera_page.take_button.isEnabled()  # until the camera is ready
    session.sig_ready.emit(True)
    assert w.camera_page.take_button.isEnabled()
    w.camera_page.take_button.click()
    assert session.captures == 1
    with qtbot.waitSignal(w.sig_changed):
        session.sig_captured.emit(two_colour(1280, 720))
    assert session.stopped and not w.camera_active()
    assert w.stack.currentWidget() is w.crop_view
    assert w.crop_view.crop_rect().size().toTuple() == (560, 720)
    image = decode(w.photo_bytes())
    assert (image.width(), image.height()) == (413, 531)
    assert w.source_note.text() == "From the camera (1280 × 720 px)."
    assert w.camera_button.text().replace("&", "") == "Retake"

    w.camera_button.click()  # retake, then change one's mind: the first photo stays
    assert w.camera_active()
    w.camera_page.cancel_button.click()
    assert FakeSession.made[-1].stopped and not w.camera_active()
    assert w.has_photo()


def test_a_4k_camera_picture_is_scaled_like_a_file(camera_widget):
    assert camera_widget.load_image(two_colour(3840, 2160))
    assert camera_widget.crop_view.image().size().toTuple() == (2400, 1350)
    assert "3840 × 2160" in camera_widget.source_note.text()
    image = decode(camera_widget.photo_bytes())
    assert (image.width(), image.height()) == (413, 531)


def test_a_camera_error_is_shown_in_words(camera_widget, qtbot):
    w = camera_widget
    w.start_camera()
    session = FakeSession.made[-1]
    session.sig_failed.emit("The camera could not be used: Device or resource busy.")
    assert session.stopped and not w.camera_active()
    assert "Device or resource busy" in w.error_text()
    assert "choose a photo file" in w.error_text()
    assert w.camera_button.isEnabled()  # try again later
    w.load_image(QImage())  # a capture that gave nothing
    assert "no picture" in w.error_text() and not w.has_photo()


def test_the_camera_stops_when_the_widget_is_hidden(camera_widget):
    w = camera_widget
    w.start_camera()
    session = FakeSession.made[-1]
    w.hide()
    assert session.stopped and not w.camera_active()


def test_a_refused_camera_permission_is_explained(camera_widget, monkeypatch):
    monkeypatch.setattr(camera, "camera_permission_denied", lambda: True)
    camera_widget.start_camera()
    assert not camera_widget.camera_active()
    assert "privacy settings" in camera_widget.error_text()


def test_a_camera_that_never_gets_ready_is_given_up(camera_widget, qtbot):
    w = camera_widget
    w.camera_page._start_timer.setInterval(50)
    w.start_camera()
    session = FakeSession.made[-1]
    qtbot.waitUntil(lambda: not w.camera_active(), timeout=2000)
    assert session.stopped
    assert "did not start" in w.error_text()


def test_the_real_camera_session_reports_a_missing_camera_in_words(qtbot, monkeypatch):
    """Qt Multimedia's own QCamera on a camera that is not there (one unplugged since the
    list was made): an error in words, the camera off, no crash."""
    modules = camera._multimedia()
    # dev.sh installs what Qt Multimedia needs (libpulse0 and the FFmpeg plugin's
    # libraries): if it does not load, the set-up is broken, which is a failure.
    assert modules is not None, "Qt Multimedia does not load (see DEB_PACKAGES in dev.sh)"
    monkeypatch.setattr(camera, "available_cameras",
                        lambda: ([modules[0].QCameraDevice()], ""))
    w = PhotoCapture()
    qtbot.addWidget(w)
    w.show()
    assert w.camera_button.isEnabled()
    w.start_camera()
    qtbot.waitUntil(lambda: not w.camera_active(), timeout=5000)
    assert "could not be used" in w.error_text()
    assert w.stack.currentWidget() is w.crop_view
    w.start_camera()
    w.hide()
    assert not w.camera_active()
