"""Nationality codes: ISO 3166-1 alpha-3 (pycountry) and the ICAO 9303 codes for the stateless."""

from __future__ import annotations

from functools import lru_cache

import pycountry

ICAO_SPECIAL = {
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Unspecified nationality",
    "UNO": "United Nations official",
    "D": "Germany",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str | None:
    code = (code or "").strip().upper()
    if code in ICAO_SPECIAL:
        return ICAO_SPECIAL[code]
    if len(code) != 3:
        return None
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def is_valid_nationality(code: str) -> bool:
    return country_name(code) is not None
