"""``depot print ...`` and ``depot card verify``, through the real argument parser.

The lead wires ``print_cmds`` into ``depot_app.cli.main``; until then the tests add it.
SQLite only: every service and print job under these commands runs on both engines in the
other printing tests; here each command also logs in (argon2) and checks migrations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.models import PrintedDocument
from depot_app.cli import main, print_cmds
from tests.conftest import PASSWORD, _fresh
from tests.printing.helpers import decode, page_texts


@pytest.fixture(params=["sqlite"])
def db(request, templates, pg_factory, tmp_path):
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


@pytest.fixture
def depot(db, monkeypatch, capsys):
    if print_cmds not in main.MODULES:
        monkeypatch.setattr(main, "MODULES", (*main.MODULES, print_cmds))
    monkeypatch.setenv("DEPOT_USER", "clerk1")
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main.main(["--db", db.url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def _number(db, detention_id):
    from depot_app.services import detainees
    with db.read() as uow:
        return detainees.detail(uow, _clerk(db), detention_id).detainee_no


def _clerk(db):
    from depot_app.services import users
    return users.login(db, "clerk1", PASSWORD, "test")


def test_print_every_form_cards_and_verify(depot, db, few, tmp_path):
    numbers = [_number(db, i) for i in few]
    record = tmp_path / "record.pdf"
    code, out, err = depot("print", "admission-record", "--detainee", numbers[0], numbers[1],
                           "-o", str(record))
    assert code == 0, err
    assert "admission-record SMY-DOC-" in out and "2 records" in out
    assert "NGUYỄN VĂN AN" in " ".join(page_texts(record.read_bytes()))

    sheet = tmp_path / "sheet.pdf"
    code, out, err = depot("print", "cards", "--all-in-custody", "-o", str(sheet), "--json")
    assert code == 0, err
    job = json.loads(out)
    assert len(job["cards"]) == len(few) and job["document"]["form_code"] == "card-sheet"
    read = decode(sheet.read_bytes(), 150)
    assert sorted(d.text for d in read if d.kind == "Code128") == sorted(numbers)

    for form in ("card", "card-sheet"):
        code, _, err = depot("print", form, "--detainee", numbers[2], "-o",
                             str(tmp_path / f"{form}.pdf"))
        assert code == 0, err
    code, _, err = depot("print", "cards", "--detainee", numbers[3], "--layout", "single",
                         "-o", str(tmp_path / "one.pdf"))
    assert code == 0, err

    payload = job["cards"][0]["payload"]
    code, out, _ = depot("card", "verify", payload)
    assert (code, json.loads(out)["status"]) == (0, "valid")
    code, out, _ = depot("card", "verify", payload.replace(".1.", ".5.", 1))
    assert (code, json.loads(out)["status"]) == (1, "forged")
    code, out, err = depot("card", "issue", numbers[0], "--reason", "lost")
    assert code == 0, err
    code, out, _ = depot("card", "verify", payload)
    assert (code, json.loads(out)["status"]) == (1, "superseded")

    code, out, err = depot("print", "reprint", job["document"]["serial"], "-o",
                           str(tmp_path / "again.pdf"))
    assert code == 1 and "replaced" in err  # a sheet with a replaced card is not reprinted
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PrintedDocument)) == 5


def test_usage_errors_and_the_log(depot, db, few, tmp_path):
    number = _number(db, few[0])
    code, _, err = depot("print", "admission-record", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "--detainee" in err
    code, _, err = depot("print", "admission-record", "--all-in-custody", "-o", "x.pdf")
    assert code == 2
    code, _, err = depot("print", "card", "--detainee", "SMY-1999-000001", "-o",
                         str(tmp_path / "x.pdf"))
    assert code == 4 and not (tmp_path / "x.pdf").exists()
    code, out, err = depot("print", "admission-record", "--detainee", number, "-o",
                           str(tmp_path / "a.pdf"))
    serial = out.split()[2]
    code, out, err = depot("print", "reprint", serial, "-o", str(tmp_path / "b.pdf"))
    assert code == 0 and "a reprint of" in out
    code, out, err = depot("print", "log", "--detainee", number, "--json")
    assert code == 0, err
    assert [d["serial"] for d in json.loads(out)] == [serial, serial]
    code, out, _ = depot("card", "public-key")
    assert code == 1  # no card issued yet, so no key


def test_print_the_property_receipt(depot, db, few, tmp_path):
    number = _number(db, few[0])
    receipt = tmp_path / "receipt.pdf"
    code, out, err = depot("print", "property-receipt", "--detainee", number, "-o",
                           str(receipt))
    assert code == 0, err
    assert out.startswith("Printed property-receipt SMY-DOC-") and "1 record" in out
    text = " ".join(" ".join(page_texts(receipt.read_bytes())).split())
    assert "RESIT HARTA DAN WANG" in text and "Cap ibu jari kanan" in text
    code, _, err = depot("print", "property-receipt", "--all-in-custody", "-o", "x.pdf")
    assert code == 2  # a receipt is for the detainees named
    code, out, _ = depot("print", "--help")
    assert "property-receipt" in out
