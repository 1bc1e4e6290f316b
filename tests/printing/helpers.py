"""Reading printed PDFs back as a person and a scanner would: poppler for pixels and text,
zxing-cpp (an independent reader) for the barcodes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zxingcpp  # test-only dependency: an independent barcode reader
from PIL import Image

# Printing tests read back what they print; without poppler they would prove nothing, so
# they fail (not skip) when it is missing.
for _tool in ("pdftoppm", "pdftotext", "pdffonts"):
    if shutil.which(_tool) is None:
        raise RuntimeError(f"{_tool} is missing: install poppler-utils to run the printing tests")


@dataclass(frozen=True)
class Decoded:
    page: int
    kind: str  # "Code128", "QRCode"
    text: str


def rasterize(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page as a grey image at ``dpi`` (pdftoppm, as a scanner would see print)."""
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        # PGM, not PNG: compressing the pages would take ten times longer than drawing them.
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(src), f"{folder}/p"],
                       check=True, capture_output=True)
        images = []
        for pgm in sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem[2:])):
            with Image.open(pgm) as im:
                im.load()
                images.append(im.copy())
        return images


def decode(pdf: bytes, dpi: int) -> list[Decoded]:
    found = []
    formats = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode)
    for page, image in enumerate(rasterize(pdf, dpi), 1):
        for r in zxingcpp.read_barcodes(image, formats=formats):
            found.append(Decoded(page, r.format.name, r.text))
    return found


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext keeps what a reader would copy out)."""
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(src), "-"],
                             check=True, capture_output=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def raw_pages(pdf: bytes) -> list[str]:
    """Each page's text in the order it is drawn, one cell after another, single-spaced
    (``pdftotext -raw``: a wrapped cell reads as one phrase, unlike the layout mode)."""
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(src), "-"],
                             check=True, capture_output=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return [" ".join(p.split()) for p in (pages[:-1] if pages and not pages[-1].strip()
                                          else pages)]


def fonts_used(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font in the PDF (pdffonts)."""
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(src)], check=True,
                             capture_output=True).stdout.decode("utf-8")
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if parts:
            rows.append((parts[0], "yes" in parts[-5:-3]))
    return rows
