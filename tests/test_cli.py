"""The ``depot`` command, run in-process: every command, its JSON, its exit codes."""

from __future__ import annotations

import json
import sqlite3
import sys
import types

import pytest

from depot_app.cli import common
from depot_app.cli.main import main
from depot_app.database import Database
from depot_app.demo import load_demo
from tests.conftest import PASSWORD
from tests.dbutil import SqliteFactory
from tests.test_demo import PW, cheap_argon2

ENV = ("DEPOT_USER", "DEPOT_PASSWORD", "DEPOT_NEW_PASSWORD", "DEPOT_DATABASE_URL")


class Cli:
    def __init__(self, monkeypatch, capsys, url: str):
        self.monkeypatch, self.capsys, self.url = monkeypatch, capsys, url
        for name in ENV:
            monkeypatch.delenv(name, raising=False)
        # Never the user's own database, even for a command run without --db.
        monkeypatch.setenv("DEPOT_DATABASE_URL", url)

    def as_user(self, username: str | None, password: str | None = PW) -> Cli:
        for name, value in (("DEPOT_USER", username), ("DEPOT_PASSWORD", password)):
            if value is None:
                self.monkeypatch.delenv(name, raising=False)
            else:
                self.monkeypatch.setenv(name, value)
        return self

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str):
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def fresh_url(templates, tmp_path, monkeypatch):
    cheap_argon2(monkeypatch)
    _, paths = templates["sqlite"]
    (tmp_path / "fresh").mkdir()
    factory = SqliteFactory(tmp_path / "fresh")  # apart from the db fixtures' files

    def make(detainees: int | None = None) -> str:
        _, url = factory.create(template=paths[0])
        if detainees is not None:
            db = Database(url)
            load_demo(db, detainees, seed=5, password=PW)
            db.dispose()
        return url
    return make


@pytest.fixture
def demo(fresh_url, monkeypatch, capsys):
    """A demonstration depot with 30 detainees, users' password PW."""
    return Cli(monkeypatch, capsys, fresh_url(30))


@pytest.fixture
def empty(fresh_url, monkeypatch, capsys):
    return Cli(monkeypatch, capsys, fresh_url())


def test_no_command_opens_the_window_on_the_resolved_database(monkeypatch, capsys):
    opened = []
    fake = types.ModuleType("ui.app")
    fake.run_gui = lambda url: opened.append(url) or 0
    monkeypatch.setitem(sys.modules, "ui.app", fake)
    monkeypatch.setenv("DEPOT_DATABASE_URL", "sqlite:////tmp/from-env.sqlite")
    assert main([]) == 0
    assert main(["--db", "postgresql://depot@server/depot"]) == 0
    assert opened == ["sqlite:////tmp/from-env.sqlite", "postgresql://depot@server/depot"]
    monkeypatch.setitem(sys.modules, "ui.app", None)  # no GUI in this installation
    assert main([]) == 1
    assert "error: the window is not available" in capsys.readouterr().err


def test_usage_errors_exit_2(empty):
    for args in (["bogus"], ["users"], ["detainees", "show"], ["demo", "--detainees", "-1"],
                 ["users", "add", "x", "--name", "X", "--role", "king"]):
        code, _, err = empty(*args)
        assert code == 2, (args, err)
    code, out, _ = empty("--help")
    assert code == 0 and "detainees" in out and "demo" in out


def test_db_upgrade_reports_the_revision(tmp_path, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'new.sqlite'}")
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "upgraded from revision none to" in out
    result = cli.json("db", "upgrade")
    assert result["up_to_date"] and result["revision"] == result["head"] == result["from_revision"]
    assert cli("db", "upgrade")[1].endswith("(head)\n")


def test_bad_url_is_a_usage_error(monkeypatch, capsys):
    code = main(["--db", "mysql://nobody@nowhere/x", "users", "list"])
    assert code == 2 and "cannot use the database URL" in capsys.readouterr().err


def test_init_then_users_add_list_and_audit_on_each_engine(empty_db, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, empty_db.url)
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    code, out, err = cli("init", "--depot-code", "smy", "--depot-name", "Depot Imigresen Semenyih",
                         "--state", "Selangor", "--admin", "admin", "--admin-name", "Aminah Yusof")
    assert code == 0, err
    assert "Depot SMY (Depot Imigresen Semenyih) is set up; the administrator is admin." in out
    code, _, err = cli("init", "--depot-code", "KLA", "--depot-name", "x", "--admin", "a",
                       "--admin-name", "A")
    assert code == 1 and "already set up" in err

    cli.as_user("admin", PASSWORD)
    monkeypatch.setenv("DEPOT_NEW_PASSWORD", "another pass 2")
    added = cli.json("users", "add", "siti", "--name", "Siti Aminah", "--role", "clerk",
                     "--role", "warden")
    assert added["username"] == "siti" and added["roles"] == ["clerk", "warden"]
    listed = cli.json("users", "list")
    assert [u["username"] for u in listed] == ["admin", "siti"]
    assert listed[0]["last_login_at"].endswith("+00:00")
    assert listed[0]["last_login_at_local"].endswith("+08:00")
    code, out, _ = cli("audit", "verify")
    assert code == 0 and out.startswith("audit chain intact: ")


def test_init_refuses_missing_values_without_a_terminal(empty, monkeypatch):
    monkeypatch.setenv("DEPOT_PASSWORD", PW)
    code, _, err = empty("init", "--depot-code", "SMY")
    assert code == 2 and "--depot-name" in err and "--admin-name" in err


def test_init_asks_at_a_terminal(empty, monkeypatch):
    answers = iter(["SMY", "Depot Imigresen Semenyih", "Selangor", "admin", "Aminah Yusof"])
    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt: PW)
    code, out, err = empty("init")
    assert code == 0, err
    assert "the administrator is admin" in out


def test_validation_errors_name_each_field(empty, monkeypatch):
    monkeypatch.setenv("DEPOT_PASSWORD", "short")
    code, out, err = empty("init", "--depot-code", "S1", "--depot-name", "Depot",
                           "--admin", "admin", "--admin-name", "A")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("error: ")
    assert "  depot_code: Depot code must be 2 to 6 letters, e.g. SMY" in lines
    assert "Traceback" not in err
    code, _, err = empty("init", "--depot-code", "SMY", "--depot-name", "Depot",
                         "--admin", "admin", "--admin-name", "A")
    assert code == 1
    assert "  admin_password: Password must be at least 8 characters" in err.splitlines()


def test_users_add_list_unlock(demo, monkeypatch):
    demo.as_user("admin")
    monkeypatch.setenv("DEPOT_NEW_PASSWORD", "a new password")
    code, out, _ = demo("users", "add", "clerk2", "--name", "Siti Nurhaliza", "--role", "clerk")
    assert code == 0 and out.startswith("Added clerk2 (Siti Nurhaliza); roles: clerk; active")
    code, _, err = demo("users", "add", "Bad Name", "--name", "X", "--role", "clerk")
    assert code == 1 and "  username: User name must start with a letter" in err

    with sqlite3.connect(demo.url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE app_user SET locked_at = '2026-01-01 00:00:00', failed_logins = 5 "
                     "WHERE username = 'warden1'")
    code, out, _ = demo("users", "list")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split() == ["USER", "NAME", "ROLES", "STATE", "FAILED", "LAST", "LOGIN"]
    assert set(rule) <= {"-", " "}
    warden = next(r for r in rows if r.startswith("warden1"))
    assert "locked" in warden and "Muhammad Faizal bin Hassan" in warden
    code, out, _ = demo("users", "unlock", "warden1")
    assert code == 0 and "Unlocked warden1" in out and out.rstrip().endswith("active")
    assert demo.as_user("warden1")("detainees", "list")[0] == 0
    assert demo.as_user("admin")("users", "unlock", "nobody")[0] == 4


def test_login_failures(demo, monkeypatch):
    code, _, err = demo.as_user(None, None)("detainees", "list")
    assert code == 2 and "DEPOT_USER" in err
    code, _, err = demo.as_user("clerk1", "wrong password")("detainees", "list")
    assert code == 3 and "Wrong user name or password" in err
    code, _, err = demo.as_user("clerk1")("users", "list")
    assert code == 3 and "does not have permission to manage users" in err
    code, _, err = demo.as_user("clerk1")("audit", "verify")
    assert code == 3 and "view the audit trail" in err


def test_commands_on_an_empty_database_say_to_set_it_up(empty):
    code, _, err = empty.as_user("clerk1")("detainees", "list")
    assert code == 1 and "depot init" in err


def test_audit_verify_and_tampering(demo):
    demo.as_user("admin")
    code, out, _ = demo("audit", "verify")
    assert code == 0 and out.startswith("audit chain intact: ")
    events = int(out.split(": ")[1].split()[0])
    assert events > 30  # set-up, 30 admissions, movements, this login
    report = demo.json("audit", "verify")
    assert report["ok"] is True and report["broken_seq"] is None

    with sqlite3.connect(demo.url.removeprefix("sqlite:///")) as conn:
        conn.execute("""UPDATE audit_event SET after = '{"username":"mallory"}' WHERE seq = 3""")
    code, out, err = demo("audit", "verify")
    assert code == 1
    assert out.startswith("audit chain BROKEN at event 3: event 3 was altered")
    code, out, _ = demo("audit", "verify", "--json")
    assert code == 1 and json.loads(out)["broken_seq"] == 3


def test_demo_command(fresh_url, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, fresh_url())
    code, out, err = cli("demo", "--detainees", "4", "--seed", "9", "--password", PW)
    assert code == 0, err
    assert "Demonstration depot SMY (Depot Imigresen Semenyih)" in out and "(seed 9)" in out
    for username in ("admin", "clerk1", "warden1", "medical1", "officer1"):
        assert any(line.startswith(username) and line.endswith(PW) for line in out.splitlines())
    # Now set up: only its administrator may load more, and not over existing detainees.
    code, _, err = cli("demo", "--detainees", "4")
    assert code == 2 and "DEPOT_USER" in err
    code, _, err = cli.as_user("admin", PW)("demo", "--detainees", "4")
    assert code == 1 and "already holds detainees" in err

    other = Cli(monkeypatch, capsys, fresh_url())
    report = other.json("demo", "--detainees", "0")
    assert report["detainees"] == 0 and isinstance(report["seed"], int)
    passwords = {u["username"]: u["password"] for u in report["users"]}
    assert len(set(passwords.values())) == 5
    assert other.as_user("officer1", passwords["officer1"])("detainees", "list")[0] == 0
    code, _, err = Cli(monkeypatch, capsys, fresh_url())("demo", "--password", "short")
    assert code == 1 and "  password: Password must be at least 8 characters" in err


def test_detainees_list_search_show(demo):
    demo.as_user("clerk1")
    everyone = demo.json("detainees", "list", "--all")
    held = demo.json("detainees", "list")
    assert len(everyone) == 30 and 0 < len(held) <= 30
    assert all(r["status"] == "in_custody" for r in held)
    first = everyone[-1]
    assert first["detainee_no"].endswith("-000001")
    assert first["admitted_at"].endswith("+00:00") and first["admitted_at_local"].endswith("+08:00")

    code, out, _ = demo("detainees", "list", "--all")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NO", "NAME", "SEX"] and lines[-1] == "30 detainees"
    surname = first["full_name"].split()[-1]
    found = demo.json("detainees", "list", "--all", "--search", surname.lower())
    assert first["detainee_no"] in [r["detainee_no"] for r in found]
    assert demo("detainees", "list", "--search", "ZZZZQQQ")[1].endswith("0 detainees\n")

    code, out, _ = demo("detainees", "show", first["detainee_no"])
    assert code == 0 and out.startswith(f"{first['detainee_no']}  {first['full_name']}")
    for words in ("Nationality:", "Arrested:", "Legal basis:", "Movements:", "Admitted to",
                  "Medical examinations:", "Admission screening"):  # the exam no. to print
        assert words in out
    record = demo.json("detainees", "show", first["detainee_no"].lower())
    assert record["detainee_no"] == first["detainee_no"]
    assert record["photo_size"] > 0 and "photo" not in record
    assert record["stages"][0]["section"] in ("s.6(1)(c)", "s.15(1)(c)", "reg. 39(b)", "s.35",
                                              "s.36", "s.8(3)")
    assert record["arrested_at_local"].endswith("+08:00")
    code, _, err = demo("detainees", "show", "SMY-1999-000001")
    assert code == 4 and err == "error: no detainee SMY-1999-000001\n"


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
def test_postgres_cli_reads_what_the_services_wrote(db, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, db.url).as_user("admin", PASSWORD)
    assert [u["username"] for u in cli.json("users", "list")] == [
        "admin", "clerk1", "medical1", "officer1", "warden1"]
    assert cli.json("audit", "verify")["ok"] is True
