"""Reading and writing the admission photo's images (no widgets here).

Reading: an image file or bytes, upright as its EXIF orientation says (phone photos),
read scaled down when huge (at most LOAD_MAX_SIDE px a side), refused with the reason
in words (:class:`PhotoError`) when it is missing, empty, too large, damaged or too small.

Writing: :func:`portrait` cuts the 35:45 crop at its output size (at most 413 x 531 px:
35 x 45 mm at 300 dpi, never enlarged, transparency on white) and :func:`encode_photo`
makes it a JPEG within BUDGET_BYTES.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter, QPainter

from ui.admission.crop import RATIO

MIME = "image/jpeg"
MAX_OUTPUT = QSize(413, 531)      # 35 x 45 mm at 300 dpi
JPEG_QUALITY = 85
BUDGET_BYTES = 120 * 1024         # over this (sensor noise), the quality steps down
LOAD_MAX_SIDE = 2400              # bigger images are read scaled down (fast, still 5x output)
MIN_SIZE = QSize(70, 90)          # smaller than this is no usable portrait
MAX_FILE_BYTES = 60 * 1024 * 1024


class PhotoError(Exception):
    """An image that cannot be used; the message is the reason, in words."""


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
