"""The MRZ parser on the ICAO 9303 specimens, corrupted check digits and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from depot_app.cli.main import main
from depot_app.errors import ValidationError
from depot_app.mrz import check_digit, parse_mrz

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<",
       "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
       "D231458907UTO7408122F1204159<<<<<<<6"]


def _with(line: str, pos: int, ch: str) -> str:
    return line[:pos] + ch + line[pos + 1:]


def _refused(lines) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_mrz(lines)
    return err.value.fields


def test_check_digit_weights_and_values():
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("<<<") == "0"


def test_td3_specimen():
    r = parse_mrz(TD3)
    assert (r.format, r.doc_type, r.issuing_state, r.nationality) == ("TD3", "P", "UTO", "UTO")
    assert (r.surname, r.given_names, r.full_name) == ("ERIKSSON", "ANNA MARIA",
                                                       "ANNA MARIA ERIKSSON")
    assert r.document_number == "L898902C3"
    assert r.date_of_birth == dt.date(1974, 8, 12)
    assert r.expiry == dt.date(2012, 4, 15)
    assert r.sex == "F"
    assert r.optional_data == "ZE184226B"
    assert r.valid and {c.name for c in r.checks} == {
        "document_number", "date_of_birth", "expiry", "personal_number", "composite"}
    assert r.nationality_known is False  # Utopia is ICAO's specimen state, no country


@pytest.mark.parametrize("lines", [TD1, TD2], ids=["TD1", "TD2"])
def test_td1_and_td2_specimens(lines):
    r = parse_mrz(lines)
    assert r.format == {30: "TD1", 36: "TD2"}[len(lines[0])]
    assert (r.doc_type, r.document_number, r.surname, r.given_names) == (
        "I", "D23145890", "ERIKSSON", "ANNA MARIA")
    assert (r.date_of_birth, r.expiry, r.sex) == (dt.date(1974, 8, 12), dt.date(2012, 4, 15),
                                                  "F")
    assert r.valid


def test_keyboard_wedge_input_is_normalised():
    typed = [TD3[0].lower() + "   ", "  " + TD3[1] + " \r"]
    assert parse_mrz(typed) == parse_mrz(TD3)
    assert parse_mrz("\n".join(TD2) + "\n") == parse_mrz(TD2)


@pytest.mark.parametrize(("line", "pos", "field"), [
    (1, 9, "mrz.document_number_check"),
    (1, 19, "mrz.date_of_birth_check"),
    (1, 27, "mrz.expiry_check"),
    (1, 42, "mrz.personal_number_check"),
    (1, 43, "mrz.composite_check"),
])
def test_td3_each_corrupted_check_digit_is_named(line, pos, field):
    lines = list(TD3)
    found = str((int(lines[line][pos]) + 1) % 10)
    lines[line] = _with(lines[line], pos, found)
    fields = _refused(lines)
    assert field in fields
    assert fields[field].endswith(f"expected, {found} found")
    assert fields[field] == f"check digit {TD3[line][pos]} expected, {found} found"


@pytest.mark.parametrize(("line", "pos", "field"), [
    (0, 14, "mrz.document_number_check"),
    (1, 6, "mrz.date_of_birth_check"),
    (1, 14, "mrz.expiry_check"),
    (1, 29, "mrz.composite_check"),
])
def test_td1_each_corrupted_check_digit_is_named(line, pos, field):
    lines = list(TD1)
    lines[line] = _with(lines[line], pos, str((int(lines[line][pos]) + 5) % 10))
    assert field in _refused(lines)


def test_corrupted_data_fails_its_check_and_the_composite():
    lines = [TD2[0], _with(TD2[1], 3, "2")]  # D231458907 -> D232458907
    fields = _refused(lines)
    assert set(fields) == {"mrz.document_number_check", "mrz.composite_check"}


def test_not_strict_reports_failed_checks():
    r = parse_mrz([TD3[0], _with(TD3[1], 27, "0")], strict=False)
    assert not r.valid
    assert [c.name for c in r.checks if not c.ok] == ["expiry", "composite"]


def test_wrong_lengths_counts_and_characters():
    assert "mrz.line1" in _refused(["P<UTO", TD3[1]])
    assert "mrz.line2" in _refused([TD3[0], TD3[1][:-1]])
    assert "mrz.line_count" in _refused(TD3[:1])
    assert "mrz.line_count" in _refused(TD1[:2])
    assert "mrz.line2" in _refused([TD3[0], _with(TD3[1], 30, "$")])
    assert "mrz" in _refused([])


def test_impossible_dates_sex_and_states():
    # 741312: no 13th month; the check digit made right so only the date is refused
    line = TD2[1][:13] + "741312" + check_digit("741312") + TD2[1][20:]
    body = line[0:10] + line[13:20] + line[21:35]
    line = line[:35] + check_digit(body)
    assert _refused([TD2[0], line]) == {"mrz.date_of_birth": "741312 is not a possible date "
                                                             "(YYMMDD)"}
    assert "mrz.sex" in _refused([TD3[0], _with(TD3[1], 20, "Q")])
    assert "mrz.nationality" in _refused([TD3[0], TD3[1][:10] + "QQQ" + TD3[1][13:]])
    assert "mrz.issuing_state" in _refused([TD3[0][:2] + "ZZZ" + TD3[0][5:], TD3[1]])
    assert "mrz.doc_type" in _refused(["V" + TD3[0][1:], TD3[1]])


def test_birth_century_and_german_code():
    today = dt.date(2026, 11, 23)
    line1 = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<"
    body = "C01X00T47" + check_digit("C01X00T47") + "D<<" + "640812" + check_digit("640812") \
        + "F" + "310801" + check_digit("310801") + "<" * 14 + "<"
    comp = body[0:10] + body[13:20] + body[21:43]
    r = parse_mrz([line1, body + check_digit(comp)], today=today)
    assert (r.issuing_state, r.nationality, r.nationality_known) == ("D", "D", True)
    assert r.date_of_birth == dt.date(1964, 8, 12) and r.expiry == dt.date(2031, 8, 1)
    young = body[:13] + "100101" + check_digit("100101") + body[20:]
    comp = young[0:10] + young[13:20] + young[21:43]
    assert parse_mrz([line1, young + check_digit(comp)], today=today).date_of_birth \
        == dt.date(2010, 1, 1)


def test_cli_parse_json_and_refusal(capsys):
    assert main(["mrz", "parse", *TD3, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["document_number"] == "L898902C3" and out["date_of_birth"] == "1974-08-12"
    assert main(["mrz", "parse", *TD1]) == 0
    assert "ANNA MARIA ERIKSSON" in capsys.readouterr().out
    assert main(["mrz", "parse", TD3[0], _with(TD3[1], 9, "7")]) == 1
    err = capsys.readouterr().err
    assert "mrz.document_number_check: check digit 6 expected, 7 found" in err


def test_td1_long_document_number_continues_in_optional_data():
    number = "D23145890123"
    line1 = ("I<UTO" + number[:9] + "<" + number[9:] + check_digit(number)).ljust(30, "<")
    line2 = TD1[1][:29]
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    r = parse_mrz([line1, line2, TD1[2]])
    assert r.document_number == number
    wrong = line1[:17] + "0" + line1[18:]  # the number's own check digit, moved into the data
    assert "mrz.document_number_check" in _refused([wrong, line2, TD1[2]])
