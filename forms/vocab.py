"""The words forms print for stored codes, in Bahasa Malaysia and English, and the
formats of dates and names."""

from __future__ import annotations

import datetime as dt
import unicodedata

from depot_app.clock import to_local
from forms.base import bilingual

SEX = {"M": ("Lelaki", "Male"), "F": ("Perempuan", "Female"), "X": ("Tidak dinyatakan",
                                                                  "Unspecified")}
SEX_SHORT = {"M": "L / M", "F": "P / F", "X": "X"}
STATUS = {
    "in_custody": ("Dalam tahanan", "In custody"), "released": ("Dibebaskan", "Released"),
    "removed": ("Dihantar pulang", "Removed"), "transferred": ("Dipindahkan", "Transferred"),
    "absconded": ("Melarikan diri", "Absconded"), "deceased": ("Meninggal dunia", "Deceased"),
}
AUTHORITY = {
    "arrest": ("Tangkapan", "Arrest"), "magistrate_order": ("Perintah Majistret",
                                                            "Magistrate's order"),
    "removal_order": ("Perintah pengusiran", "Removal order"),
}
DOCUMENT_TYPE = {
    "passport": ("Pasport", "Passport"), "travel_document": ("Dokumen perjalanan",
                                                             "Travel document"),
    "national_id": ("Kad pengenalan", "National ID"),
    "emergency_travel_document": ("Dokumen perjalanan kecemasan",
                                  "Emergency travel document"),
}
FLAG = {
    "minor": ("Kanak-kanak", "Minor"), "unaccompanied child": ("Kanak-kanak tanpa pengiring",
                                                               "Unaccompanied child"),
    "pregnant": ("Hamil", "Pregnant"), "disabled": ("OKU", "Disabled"),
    "interpreter": ("Perlu jurubahasa", "Interpreter needed"),
}
LOCATION = {
    "Reception (unallocated)": ("Penerimaan", "Reception"),
    "Out: court": ("Keluar: mahkamah", "Out: court"),
    "Out: hospital": ("Keluar: hospital", "Out: hospital"),
    "Out: embassy": ("Keluar: kedutaan", "Out: embassy"),
}
YES, NO, NONE = ("Ya", "Yes"), ("Tidak", "No"), ("Tiada", "None")


def word(table: dict[str, tuple[str, str]], code: str) -> str:
    """The bilingual word for a code, or the code itself when it has none."""
    pair = table.get(code)
    return bilingual(*pair) if pair else code


def yes_no(value: bool) -> str:
    return bilingual(*(YES if value else NO))


def name(text: str) -> str:
    """Names as printed: composed (NFC) so "Ễ" is one glyph, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def moment(value: dt.datetime | None) -> str:
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def nationality(code: str, country: str) -> str:
    return f"{country} ({code})" if country and country != code else code
