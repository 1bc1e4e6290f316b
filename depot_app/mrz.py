"""Machine-readable zones (ICAO 9303): TD3 passports (2x44), TD2 (2x36) and TD1 cards (3x30).

``parse_mrz`` takes the lines as typed or sent by a keyboard-wedge scanner (case, spaces
and line breaks are forgiven), checks every check digit (weights 7-3-1, ``<`` = 0,
A-Z = 10..35, modulo 10) and raises ``ValidationError`` naming each field that failed,
e.g. ``{"mrz.document_number_check": "check digit 7 expected, 3 found"}``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from depot_app.countries import country_name
from depot_app.errors import ValidationError, Validator

FILLER = "<"
_ALLOWED = re.compile(r"^[A-Z0-9<]*$")
_WEIGHTS = (7, 3, 1)
LAYOUTS = {44: ("TD3", 2), 36: ("TD2", 2), 30: ("TD1", 3)}

# Codes ICAO 9303 part 3 issues that are no ISO 3166 country: accepted, but not "known".
ICAO_OTHER = {
    "UTO": "Utopia (ICAO specimen)",
    "GBD": "British Overseas Territories citizen", "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen", "GBP": "British protected person",
    "GBS": "British subject", "RKS": "Kosovo", "EUE": "European Union",
    "XOM": "Sovereign Military Order of Malta", "XPO": "Interpol", "XCC": "Caribbean Community",
    "XES": "Organisation of Eastern Caribbean States", "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank", "UNA": "United Nations specialized agency",
    "UNK": "Resident of Kosovo (UNMIK)",
}


@dataclass(frozen=True)
class CheckResult:
    name: str  # document_number, date_of_birth, expiry, personal_number, composite
    expected: str
    found: str

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass(frozen=True)
class MrzResult:
    format: str  # TD1, TD2, TD3
    doc_type: str  # e.g. "P", "PM", "I", "ID", "AC"
    issuing_state: str
    surname: str
    given_names: str
    full_name: str  # given names then surname
    document_number: str
    nationality: str
    date_of_birth: dt.date | None  # None when the zone leaves it (partly) unknown
    sex: str  # M, F, X
    expiry: dt.date | None
    optional_data: str
    optional_data_2: str = ""  # TD1 line 2
    nationality_known: bool = True
    nationality_name: str = ""
    checks: tuple[CheckResult, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return all(c.ok for c in self.checks)


def char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == FILLER:
        return 0
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise ValueError(f"{ch!r} is not an MRZ character")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of ``data``, as a character."""
    return str(sum(char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10)


def normalise(lines: list[str] | str) -> list[str]:
    """Upper case, no spaces; one string holding line breaks is split into its lines."""
    if isinstance(lines, str):
        lines = [lines]
    out: list[str] = []
    for chunk in lines:
        for line in (chunk or "").replace("\r", "\n").split("\n"):
            cleaned = "".join(line.split()).upper().replace("«", FILLER)
            if cleaned:
                out.append(cleaned)
    return out


def parse_mrz(lines: list[str] | str, *, strict: bool = True,
              today: dt.date | None = None) -> MrzResult:
    """Parse and check a machine-readable zone.

    With ``strict`` (the default) a failed check digit raises ``ValidationError``; without,
    the result carries the failed ``checks`` (``valid`` is False) for a form to show.
    Wrong line counts or lengths, bad characters and impossible dates always raise.
    """
    today = today or dt.date.today()
    rows = normalise(lines)
    _check_shape(rows)
    fmt = LAYOUTS[len(rows[0])][0]
    v = Validator()
    if fmt == "TD1":
        l1, l2, l3 = rows
        doc_code, state, name_field = l1[0:2], l1[2:5], l3
        number_field, number_check, opt1 = l1[5:14], l1[14], l1[15:30]
        number, number_data, number_check = _td1_number(number_field, number_check, opt1)
        dob, dob_check, sex, exp, exp_check = l2[0:6], l2[6], l2[7], l2[8:14], l2[14]
        nat, opt2 = l2[15:18], l2[18:29]
        composite = (l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
        optional, personal = opt1, None
    else:
        l1, l2 = rows
        doc_code, state, name_field = l1[0:2], l1[2:5], l1[5:]
        number = number_data = l2[0:9]
        number_check = l2[9]
        nat, dob, dob_check, sex = l2[10:13], l2[13:19], l2[19], l2[20]
        exp, exp_check = l2[21:27], l2[27]
        end = len(l2) - 1
        if fmt == "TD3":
            optional, opt2 = l2[28:42], ""
            personal = (optional, l2[42])
            composite = (l2[0:10] + l2[13:20] + l2[21:43], l2[43])
        else:
            optional, opt2, personal = l2[28:end], "", None
            composite = (l2[0:10] + l2[13:20] + l2[21:end], l2[end])

    checks = [CheckResult("document_number", check_digit(number_data), number_check),
              CheckResult("date_of_birth", check_digit(dob), dob_check),
              CheckResult("expiry", check_digit(exp), exp_check)]
    if personal is not None:
        data, found = personal
        # An empty personal number may carry "<" rather than 0 as its check digit.
        expected = FILLER if found == FILLER and set(data) <= {FILLER} else check_digit(data)
        checks.append(CheckResult("personal_number", expected, found))
    checks.append(CheckResult("composite", check_digit(composite[0]), composite[1]))
    if strict:
        for c in checks:
            if not c.ok:
                v.add(f"mrz.{c.name}_check", f"check digit {c.expected} expected, {c.found} found")

    doc_type = doc_code.rstrip(FILLER)
    if fmt == "TD3" and not doc_type.startswith("P"):
        v.add("mrz.doc_type", f"a 44-character zone is a passport (P), not {doc_type or '<'}")
    elif fmt != "TD3" and doc_type[:1] not in ("I", "A", "C"):
        v.add("mrz.doc_type", f"a {fmt} zone is an identity document (I, A or C), "
                              f"not {doc_type or '<'}" + (" (visas are not read)"
                                                          if doc_type.startswith("V") else ""))
    issuing_state = _state(v, "mrz.issuing_state", state)
    nationality = _state(v, "mrz.nationality", nat)
    surname, given = _names(v, name_field)
    born = _date(v, "mrz.date_of_birth", dob, lambda yy: 1900 if yy > today.year % 100 else 2000)
    if born is not None and born > today:
        v.add("mrz.date_of_birth", f"date of birth {born.isoformat()} is in the future")
    expiry = _date(v, "mrz.expiry", exp, lambda _yy: 2000)
    if sex not in ("M", "F", "X", FILLER):
        v.add("mrz.sex", f"sex must be M, F or < (unspecified), not {sex}")
    if not number.strip(FILLER):
        v.add("mrz.document_number", "the document number is empty")
    v.check()
    known = country_name(nationality)
    return MrzResult(
        format=fmt, doc_type=doc_type, issuing_state=issuing_state, surname=surname,
        given_names=given, full_name=" ".join(p for p in (given, surname) if p),
        document_number=number.replace(FILLER, ""), nationality=nationality,
        date_of_birth=born, sex="X" if sex == FILLER else sex, expiry=expiry,
        optional_data=optional.rstrip(FILLER), optional_data_2=opt2.rstrip(FILLER),
        nationality_known=known is not None,
        nationality_name=known or ICAO_OTHER.get(nationality, ""), checks=tuple(checks))


def _check_shape(rows: list[str]) -> None:
    v = Validator()
    if not rows:
        raise ValidationError({"mrz": "no machine-readable zone was given"})
    layout = LAYOUTS.get(len(rows[0]))
    if layout is None:
        raise ValidationError({"mrz.line1": f"line 1 has {len(rows[0])} characters; a zone has "
                                            "lines of 44 (passport), 36 (TD2) or 30 (TD1)"})
    fmt, count = layout
    if len(rows) != count:
        v.add("mrz.line_count", f"a {fmt} zone has {count} lines, {len(rows)} given")
    for i, row in enumerate(rows[:count], start=1):
        if len(row) != len(rows[0]):
            v.add(f"mrz.line{i}", f"line {i} has {len(row)} characters, {len(rows[0])} expected")
        bad = sorted({ch for ch in row if not _ALLOWED.match(ch)})
        if bad:
            v.add(f"mrz.line{i}", f"line {i} has characters an MRZ cannot hold: {''.join(bad)}")
    v.check()


def _td1_number(field9: str, check: str, optional: str) -> tuple[str, str, str]:
    """A TD1 document number longer than 9: "<" as its check, the rest in the optional data,
    the last character before the first filler being the check digit."""
    if check != FILLER:
        return field9, field9, check
    extra = optional.split(FILLER, 1)[0]
    if len(extra) < 2:
        return field9, field9, check
    whole = field9 + extra[:-1]
    return whole, whole, extra[-1]


def _state(v: Validator, name: str, code: str) -> str:
    code = code.rstrip(FILLER)  # "D<<" is Germany
    if not code:
        v.add(name, "the code is empty")
    elif FILLER in code:
        v.add(name, f"{code} is not a state code")
    elif country_name(code) is None and code not in ICAO_OTHER:
        v.add(name, f"{code} is not an ICAO 9303 or ISO 3166 state code")
    return code


def _names(v: Validator, field_: str) -> tuple[str, str]:
    surname, _, given = field_.partition(FILLER * 2)
    surname = " ".join(surname.replace(FILLER, " ").split())
    given = " ".join(given.replace(FILLER, " ").split())
    if any(ch.isdigit() for ch in surname + given):
        v.add("mrz.name", "the name has digits in it")
    if not surname and not given:
        v.add("mrz.name", "the name is empty")
    return surname, given


def _date(v: Validator, name: str, yymmdd: str, century) -> dt.date | None:
    if FILLER in yymmdd:
        if yymmdd.strip(FILLER) and not yymmdd.replace(FILLER, "0").isdigit():
            v.add(name, f"{yymmdd} is not a date (YYMMDD)")
        return None  # unknown, or only the year known
    if not yymmdd.isdigit():
        v.add(name, f"{yymmdd} is not a date (YYMMDD)")
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    try:
        return dt.date(century(yy) + yy, mm, dd)
    except ValueError:
        v.add(name, f"{yymmdd} is not a possible date (YYMMDD)")
        return None
