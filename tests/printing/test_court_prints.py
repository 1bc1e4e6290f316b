# ruff: noqa: F811 - the fixtures imported from tests.court_fixtures are parameters
"""The court forms: the production list (photos and barcodes), the record of a
Magistrate's detention order and the detention-authority history. The forms from
hand-built read models (no database), read back as a reader and a scanner would; the print
jobs with their serials, counterfoils, refusals and reprints on both engines; the
commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from db.models import DocumentSequence, PrintedDocument
from depot_app.actor import Actor, Role
from depot_app.clock import MYT
from depot_app.errors import NotFound, ValidationError
from depot_app.services import detainees
from depot_app.services import printing as counterfoils
from depot_app.services.court import records
from depot_app.services.court import vocab as court_vocab
from forms import authority_history, detention_order, production_list, registry
from forms.base import document_context
from printing import court_jobs, custody_jobs, jobs
from printing.render import render
from tests.conftest import PASSWORD, _fresh
from tests.court_fixtures import KAJANG, clock, held, officer, order, scheduled  # noqa: F401
from tests.printing import court_samples as sample
from tests.printing.helpers import decode, raw_pages
from tests.test_admission import actor_for

PRINTED = dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.UTC)
SERIAL = "SMY-DOC-2026-000042"
TOMORROW = dt.date(2026, 3, 11)  # the court_day's list (NOW is 10/03/2026 09:00)


def _pdf(code: str, record: dict, *, reprint: bool = False) -> bytes:
    form = registry.get(code)
    context = document_context(form, [record], depot_name="Depot Imigresen Semenyih",
                               serial=SERIAL, printed_at=PRINTED, printed_by="Officer One",
                               reprint=reprint)
    return render(form, context, invariant=True)


def _every_page_is_marked(pages: list[str], serial: str = SERIAL) -> None:
    for n, text in enumerate(pages, 1):
        assert f"No. siri / Serial: {serial}" in text, n
        assert f"Muka surat {n} daripada {len(pages)} / Page {n} of {len(pages)}" in text, n


def _documents(db) -> tuple[int, int]:
    """(counterfoils kept, serials taken): what a refused job must not touch."""
    with db.read() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(PrintedDocument)),
                s.scalar(select(func.coalesce(func.sum(DocumentSequence.last_value), 0))))


# --- the forms (no database) ----------------------------------------------------------

def test_the_three_forms_are_registered_bilingual_and_byte_stable():
    forms = {code: registry.get(code) for code in court_jobs.CODES}
    assert [f.subject_type for f in forms.values()] == ["production_list", "detention_order",
                                                        "authority_history"]
    for table, words in detention_order.MS.items():  # every court code has its Malay
        assert set(words) == set(getattr(court_vocab, table)), table
    assert detention_order.word("OUTCOMES", "remand") == ("Reman untuk siasatan / Remand for "
                                                          "investigation")
    for code, record in (
            ("production-list", production_list.context(sample.production_list(3))),
            ("detention-order", detention_order.context(sample.detail(), sample.order_view(),
                                                        sample.produced(), sample.cap())),
            ("authority-history", authority_history.context(sample.detail(),
                                                            sample.history()))):
        every_key = {f.key for s in forms[code].sections for f in s.fields}
        assert every_key <= set(record), (code, every_key - set(record))
        assert _pdf(code, record) == _pdf(code, record), code  # byte-stable
    # The detainee forms' job refuses them (before reading anything): they have their own.
    officer = Actor(5, "officer1", "Officer One", frozenset({Role.OFFICER}), "test-ws")
    for code in court_jobs.CODES:
        with pytest.raises(ValidationError, match="print it from its own page"):
            jobs.print_form(None, officer, code, [1])


def test_a_long_production_list_runs_over_pages_with_photos_and_barcodes_that_scan():
    view = sample.production_list(14)
    record = production_list.context(view)
    assert record["count"] == "14 (4 selepas tamat kuasa / after expiry)"
    assert record["day"] == "Rabu / Wednesday 25/11/2026"
    assert record["rows"][2]["particulars"] == "BGD · L / M · 03/03/1987 (39)"
    pdf = _pdf("production-list", record)
    pages = raw_pages(pdf)
    assert len(pages) == 3
    _every_page_is_marked(pages)
    for page in pages:  # the headings on every page, and a loose page says what it is
        assert "Dikemukakan Produced" in page
    for page in pages[1:]:
        assert (f"Senarai pengeluaran / Production list · {sample.KAJANG} · Rabu / Wednesday "
                f"25/11/2026") in page
    text = " ".join(pages)
    assert "Mahkamah Majistret Kajang" in text and "Insp. Rahman bin Yusof" in text
    assert sample.LONG_NAME in text  # whole, not cut off
    assert text.count("SELEPAS TAMAT KUASA / AFTER EXPIRY") == 4  # each late line flagged
    assert text.count("Tiada foto No photo") == 7  # a box where there is no photo
    assert "09:00 Pengeluaran pertama (s.51(5)) / First production (s.51(5))" in text
    # The signatures end the list, with its last line: never alone on a page.
    assert "SMY-2026-000113" in pages[-1] and "Pegawai pengiring" in pages[-1]
    numbers = sorted(p.detainee_no for p in view.rows)
    for dpi in (300, 150):
        found = decode(pdf, dpi)
        assert sorted(d.text for d in found) == numbers, dpi
        assert {d.kind for d in found} == {"Code128"}


def test_the_order_record_prints_the_order_in_malaysian_time_and_the_cap():
    record = detention_order.context(sample.detail(), sample.order_view(), sample.produced(),
                                     sample.cap(), "Officer One")
    pdf = _pdf("detention-order", record)
    pages = raw_pages(pdf)
    assert len(pages) == 1
    _every_page_is_marked(pages)
    text = pages[0]
    for words in ("REKOD PERINTAH TAHANAN MAJISTRET", "NGUYỄN VĂN AN", sample.ORDER_NO,
                  "Mahkamah Majistret Kajang", sample.MAGISTRATE,
                  "Perintah tahanan / Detention order",
                  "s.35 — Person liable to removal: detention pending a decision",
                  "s.51(5)(b): untuk membuat siasatan di bawah Akta / for making inquiries "
                  "under the Act", "14 hari / 14 days",
                  "Dari (waktu Malaysia) / From (Malaysian time) 25/11/2026 11:10",
                  "09/12/2026 11:10",  # 14 days on, in Malaysian time
                  "Paling lama / At most 30 days di bawah / under s.35: sehingga / until "
                  "25/12/2026 11:10", "Embassy to confirm nationality", "Officer One"):
        assert words in text, words
    assert [d.text for d in decode(pdf, 150)] == ["SMY-2026-000007"]
    no_cap = detention_order.context(sample.detail(), sample.order_view(section="s.6(1)(c)"),
                                     None, None)
    assert no_cap["cap"].startswith("Peruntukan ini tidak menetapkan had")
    assert no_cap["court"] == "" and not no_cap["has_charge"]
    charged = detention_order.context(sample.detail(), sample.order_view(), sample.produced(
        outcome="charged", sanction_ref="PP/SEL/2026/77", charge="s.6(1)(c)"), None)
    assert "Izin Pendakwa Raya (s.58)" in " ".join(raw_pages(_pdf("detention-order", charged)))
    with pytest.raises(ValueError, match="not one of detainee"):
        detention_order.context(sample.detail(), sample.order_view(),
                                sample.produced(detention_id=8), None)


def test_the_history_makes_a_stretch_without_authority_unmistakable():
    record = authority_history.context(sample.detail(), sample.history(), "Officer One")
    held_without = [r for r in record["stages"] if r.get("_alert")]
    assert [r["no"] for r in held_without] == ["2"]  # in its place between the stages
    pages = raw_pages(_pdf("authority-history", record))
    _every_page_is_marked(pages)
    text = " ".join(pages)
    for words in ("DITAHAN TANPA KUASA / HELD WITHOUT AUTHORITY",
                  "Dari / From 04/12/2026 22:30 hingga / to 05/12/2026 20:00: 21 jam 30 minit "
                  "/ 21 h 30 min",
                  "To be produced by 04/12/2026 22:30",
                  "05/12/2026 20:00 — LEWAT / LATE 21 jam 30 minit / 21 h 30 min",
                  "Tangkapan / Arrest RPT/SMY/1123",
                  "Perintah Majistret / Magistrate's order MA-KJG-83-118/2026",
                  "Sah / Valid", "19/12/2026 20:00",
                  "Kemukakan untuk perintah lanjut, atau bebaskan / Produce for a further order",
                  "Dijadualkan / Scheduled", "Keluar / Out 05/12/2026 18:00",
                  "1 jam 45 minit / 1 h 45 min", "Puan Nur Aisyah binti Omar"):
        assert words in text, words
    assert "Sejarah kuasa tahanan / Detention-authority history · SMY-2026-000007" in pages[-1]
    assert "Pegawai yang mengesahkan" in pages[-1]

    lawful = authority_history.context(sample.detail(), sample.history(unlawful=False))
    assert lawful["unlawful_summary"] == "Tiada / None" and not lawful["has_unlawful"]
    text = " ".join(raw_pages(_pdf("authority-history", lawful)))
    assert "HELD WITHOUT AUTHORITY" not in text and "LATE" not in text
    ongoing = dataclasses.replace(sample.history(), unlawful=(
        (sample.history().as_of - dt.timedelta(hours=5), sample.history().as_of),))
    assert authority_history.unlawful_lines(ongoing).endswith(
        "5 jam / 5 h — MASIH BERTERUSAN / STILL CONTINUING")


# --- the print jobs (both engines) -----------------------------------------------------

@pytest.fixture
def day(db, clock, officer):
    return sample.court_day(db, officer)


def _number(db, officer, detention_id: int) -> str:
    with db.read() as uow:
        return detainees.detail(uow, officer, detention_id).detainee_no


def test_the_production_list_prints_that_court_and_that_day_only(db, officer, day):
    with db.write() as uow:
        job = court_jobs.print_production_list(uow, officer, KAJANG, TOMORROW,
                                               invariant=True)
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("production-list",
                                                           "production_list", 0)
    assert d.serial.endswith("-000001")
    assert set(d.subjects) >= {("court_production", day["agus_production"]),
                               ("court_production", day["budi_production"]),
                               ("detention", day["agus"]), ("detention", day["budi"])}
    assert ("detention", day["citra"]) not in d.subjects
    text = " ".join(raw_pages(job.pdf))
    assert "Agus Setiawan" in text and "Budi Santoso" in text
    for elsewhere in ("Citra Dewi", "Dewi Lestari", "Eko Prasetyo"):  # Bangi, 12/03, today
        assert elsewhere not in text, elsewhere
    assert "Rabu / Wednesday 11/03/2026" in text and "2 (1 selepas tamat kuasa" in text
    assert text.count("SELEPAS TAMAT KUASA / AFTER EXPIRY") == 1  # Budi's ran out 06/03
    assert text.count("Tiada foto No photo") == 1  # Agus has a photo, Budi none
    assert [x.text for x in decode(job.pdf, 300)] == [_number(db, officer, day["agus"]),
                                                      _number(db, officer, day["budi"])]
    with db.read() as uow:  # among each detainee's documents
        listed = counterfoils.documents_for(uow, officer, "detention", day["budi"])
        assert [x.serial for x in listed] == [d.serial]
        assert counterfoils.content(uow, officer, d.id) == job.pdf

    with db.write() as uow:  # the court as typed in another case
        again = court_jobs.print_production_list(uow, officer, f" {KAJANG.upper()} ",
                                                 TOMORROW)
    assert "Agus Setiawan" in " ".join(raw_pages(again.pdf))

    before = _documents(db)
    for court, on, words in ((KAJANG, dt.date(2026, 3, 13), "no production is scheduled"),
                             ("Mahkamah Majistret Klang", TOMORROW, sample.BANGI)):
        with pytest.raises(ValidationError) as refused, db.write() as uow:
            court_jobs.print_production_list(uow, officer, court, on)
        message = refused.value.fields["court"]
        assert court in message and f"{on:%d/%m/%Y}" in message and words in message
    with pytest.raises(ValidationError, match="print a new list"), db.write() as uow:
        custody_jobs.reprint(uow, officer, d.id)
    assert _documents(db) == before  # no serial taken, nothing kept


def test_the_order_record_prints_and_reprints_under_its_serial(db, officer, day):
    with db.read() as uow:
        order_id = records.latest_order_id(uow, officer, day["eko"])
        assert records.latest_order_id(uow, officer, day["agus"]) is None
    with db.write() as uow:
        job = court_jobs.print_detention_order(uow, officer, order_id)
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("detention-order",
                                                           "detention_order", order_id)
    assert set(d.subjects) == {("detention_order", order_id), ("detention", day["eko"])}
    text = " ".join(raw_pages(job.pdf))
    for words in ("Eko Prasetyo", sample.ORDER_NO, "Puan Aisyah binti Omar", KAJANG,
                  "14 hari / 14 days", "10/03/2026 08:30", "24/03/2026 08:30",
                  "s.51(5)(b): untuk membuat siasatan",
                  # s.35 allows 30 days from the arrest under it (01/03 10:00).
                  "At most 30 days di bawah / under s.35: sehingga / until 31/03/2026 10:00"):
        assert words in text, words
    assert [x.text for x in decode(job.pdf, 150)] == [_number(db, officer, day["eko"])]

    with db.write() as uow:
        again = custody_jobs.reprint(uow, officer, d.id)
    assert (again.document.serial, again.document.reprint_of_id) == (d.serial, d.id)
    assert "CETAKAN SEMULA / REPRINT" in raw_pages(again.pdf)[0]

    before = _documents(db)
    with pytest.raises(ValidationError, match="No Magistrate's detention order") as refused, \
            db.write() as uow:
        court_jobs.print_latest_order(uow, officer, day["agus"])
    assert _number(db, officer, day["agus"]) in refused.value.fields["order"]
    with pytest.raises(NotFound), db.write() as uow:
        court_jobs.print_detention_order(uow, officer, 999999)
    assert _documents(db) == before


def test_the_authority_history_shows_the_time_held_without_authority(db, officer, day):
    with db.write() as uow:
        job = court_jobs.print_authority_history(uow, officer, day["budi"])
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("authority-history",
                                                           "authority_history", day["budi"])
    assert ("detention", day["budi"]) in d.subjects
    text = " ".join(raw_pages(job.pdf))
    # Arrested 20/02 10:00: fourteen days ran out on 06/03 10:00, and he is still held.
    for words in ("DITAHAN TANPA KUASA / HELD WITHOUT AUTHORITY",
                  "Dari / From 06/03/2026 10:00 hingga / to 10/03/2026 09:00: 3 hari 23 jam "
                  "/ 3 days 23 h — MASIH BERTERUSAN / STILL CONTINUING",
                  "LEWAT: TIADA KUASA LAGI / OVERDUE: NO AUTHORITY LEFT",
                  "Belum / Not yet — TEMPOH TELAH TAMAT / THE TIME HAS RUN OUT",
                  "11/03/2026 10:00 Mahkamah Majistret Kajang", "Kpl Rosli"):
        assert words in text, words
    with db.write() as uow:
        lawful = court_jobs.print_authority_history(uow, officer, day["eko"])
    text = " ".join(raw_pages(lawful.pdf))
    assert "Held without authority Tiada / None" in text and "MASIH" not in text
    assert sample.ORDER_NO in text and "Perintah tahanan / Detention order" in text

    before = _documents(db)
    with pytest.raises(ValidationError, match="print a new one"), db.write() as uow:
        custody_jobs.reprint(uow, officer, d.id)
    assert _documents(db) == before


# --- the command line (SQLite: the jobs run on both engines above) --------------------

@pytest.fixture(params=["sqlite"])
def cli_db(request, templates, pg_factory, tmp_path):
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


@pytest.fixture
def depot(cli_db, monkeypatch, capsys):
    from depot_app.cli import main, print_cmds
    if print_cmds not in main.MODULES:
        monkeypatch.setattr(main, "MODULES", (*main.MODULES, print_cmds))
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEPOT_USER", "officer1")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main.main(["--db", cli_db.url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_print_the_court_forms_from_the_command_line(depot, cli_db, tmp_path):
    db = cli_db  # the system clock: the command line runs on it too
    officer = actor_for(db, "officer1")
    now = db.clock.now().astimezone(MYT)
    agus = held(db, "Agus Setiawan", arrested=now - dt.timedelta(days=2))
    eko = held(db, "Eko Prasetyo", arrested=now - dt.timedelta(days=2))
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=9, minute=30, second=0,
                                                    microsecond=0)
    scheduled(db, officer, agus, tomorrow)
    order(db, officer, scheduled(db, officer, eko, now - dt.timedelta(hours=1)),
          order_no=sample.ORDER_NO)
    agus_no, eko_no = (_number(db, officer, i) for i in (agus, eko))

    out_file = tmp_path / "list.pdf"
    code, out, err = depot("print", "production-list", "--court", KAJANG, "--date",
                           f"{tomorrow:%Y-%m-%d}", "--out", str(out_file))
    assert code == 0, err
    assert re.search(r"Printed production-list SMY-DOC-\d{4}-000001 \(production_list\)", out)
    assert [x.text for x in decode(out_file.read_bytes(), 150)] == [agus_no]
    code, out, err = depot("print", "production-list", "--court", KAJANG, "--date",
                           f"{tomorrow + dt.timedelta(days=1):%Y-%m-%d}", "-o",
                           str(tmp_path / "none.pdf"))
    assert code != 0 and "Nobody is listed" in err and not (tmp_path / "none.pdf").exists()
    code, out, err = depot("print", "production-list", "--court", KAJANG, "--date",
                           "11/03/2026", "-o", "x.pdf")
    assert code == 2 and "YYYY-MM-DD" in err

    code, out, err = depot("print", "detention-order", "--detainee", eko_no, "-o",
                           str(tmp_path / "order.pdf"))
    assert code == 0, err
    order_id = int(re.search(r"\(detention_order (\d+)\)", out).group(1))
    assert sample.ORDER_NO in " ".join(raw_pages((tmp_path / "order.pdf").read_bytes()))
    code, out, err = depot("print", "detention-order", str(order_id), "-o",
                           str(tmp_path / "again.pdf"))
    assert code == 0 and f"(detention_order {order_id})" in out, err
    code, out, err = depot("print", "detention-order", "--detainee", agus_no, "-o",
                           str(tmp_path / "no.pdf"))
    assert code != 0 and "No Magistrate's detention order" in err
    code, out, err = depot("print", "detention-order", "-o", "x.pdf")
    assert code == 2  # the order, or the detainee whose latest order it is

    code, out, err = depot("print", "authority-history", agus_no, "-o",
                           str(tmp_path / "history.pdf"))
    assert code == 0 and f"(authority_history {agus})" in out, err
    text = " ".join(raw_pages((tmp_path / "history.pdf").read_bytes()))
    assert "SEJARAH KUASA TAHANAN" in text and KAJANG in text
    code, out, err = depot("print", "authority-history", "SMY-1999-999999", "-o",
                           str(tmp_path / "x.pdf"))
    assert code == 4 and not (tmp_path / "x.pdf").exists()
