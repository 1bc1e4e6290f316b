"""Name keys for search: upper case, accents folded, punctuation to spaces, single spaces."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("Đ", "D").replace("đ", "d").replace("Ø", "O").replace("ø", "o")
    return _NON_ALNUM.sub(" ", ascii_only.upper()).strip()
