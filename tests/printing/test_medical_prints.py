"""The medical forms: the examination record (confidential), the fit-to-travel certificate
(outcome only) and the outbreak list (confidential). The forms from hand-built read models
(no database), read back as a reader and a scanner would; the print jobs, their
counterfoils, refusals and reprints on both engines; the commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from db.models import DocumentSequence, PrintedDocument
from depot_app.clock import FixedClock
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import printing as counterfoils
from depot_app.services.medical import vocab as medical_vocab
from depot_app.services.medical.exams import (
    ExamRequest,
    FindingsInput,
    InjuryInput,
    OutcomeInput,
    record_exam,
)
from forms import fit_to_travel, medical_exam, outbreak_list, registry
from forms.base import document_context
from printing import custody_jobs, jobs, medical_jobs, render
from tests import factories
from tests.conftest import PASSWORD, _fresh
from tests.printing import medical_samples as sample
from tests.printing.helpers import decode, raw_pages
from tests.test_admission import actor_for

PRINTED = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)
SERIAL = "SMY-DOC-2026-000042"


def _pdf(code: str, record: dict, *, reprint: bool = False) -> bytes:
    form = registry.get(code)
    context = document_context(form, [record], depot_name="Depot Imigresen Semenyih",
                               serial=SERIAL, printed_at=PRINTED, printed_by="Medical One",
                               reprint=reprint)
    return render(form, context, invariant=True)


def _every_page_is_marked(pages: list[str], serial: str = SERIAL) -> None:
    for n, text in enumerate(pages, 1):
        assert f"No. siri / Serial: {serial}" in text, n
        assert f"Muka surat {n} daripada {len(pages)} / Page {n} of {len(pages)}" in text, n


# --- the forms (no database) ----------------------------------------------------------

def test_the_three_forms_are_registered_and_every_medical_word_is_bilingual():
    forms = {code: registry.get(code) for code in medical_jobs.CODES}
    assert [f.subject_type for f in forms.values()] == ["medical_exam", "medical_exam",
                                                        "outbreak"]
    assert forms["medical-exam"] is medical_exam.FORM
    assert outbreak_list.FORM.page_size.width_mm > outbreak_list.FORM.page_size.height_mm
    for table, words in medical_exam.MS.items():
        assert set(words) == set(getattr(medical_vocab, table)), table
    assert medical_exam.word("COMMUNICABLE", "scabies") == "Kudis buta / Scabies"
    # The confidential forms are the ones the counterfoil service guards.
    assert counterfoils.CONFIDENTIAL_FORMS == {"medical-exam", "outbreak-list"}
    for code, record in (("medical-exam", medical_exam.context(sample.detail(), sample.exam())),
                         ("fit-to-travel", fit_to_travel.context(sample.detail(),
                                                                 sample.outcome())),
                         ("outbreak-list", outbreak_list.context(sample.outbreak()))):
        every_key = {f.key for s in forms[code].sections for f in s.fields}
        assert every_key <= set(record), (code, every_key - set(record))
        assert _pdf(code, record) == _pdf(code, record), code  # byte-stable


def test_the_examination_record_prints_findings_and_outcome_marked_confidential():
    record = medical_exam.context(sample.detail(), sample.exam())
    pdf = _pdf("medical-exam", record)
    pages = raw_pages(pdf)
    _every_page_is_marked(pages)
    for text in pages:  # every page says what it is, in the header
        assert "SULIT — untuk kakitangan perubatan sahaja / CONFIDENTIAL — medical staff " \
               "only" in text
    text = " ".join(pages)
    for words in (
            "REKOD PEMERIKSAAN PERUBATAN", "NGUYỄN VĂN AN", "Lelaki / Male",
            "17/05/1990 (36)", "Viet Nam (VNM)", "Saringan kemasukan / Admission screening",
            "21/11/2026 21:30", "Dr Siti Aminah binti Abdullah", "MMC 45123",
            "Pegawai Perubatan Kerajaan / Government Medical Officer (GMO)",
            "37.9 °C", "96 /min", "128/84 mmHg", "96 %", "58.5 kg", "164 cm", "21.8 kg/m²",
            "3 (1 tidak dijelaskan / not explained)", "Left forearm",
            "Back, below the right shoulder blade", "Tiada keterangan diberi / No account given",
            "Fell during the arrest", "Batuk dua minggu atau lebih / Cough for two weeks or more",
            "Tidak normal / Abnormal", sample.SECRET_NOTE, "Kudis buta / Scabies",
            "Tuberkulosis (disyaki atau disahkan)", "Tidak berkenaan / Not applicable",
            "Asthma since childhood", sample.SECRET_DRUG, "Penicillin (rash)",
            "Low mood, sleeping poorly", "Sputum sent for AFB",
            "Layak untuk ditahan / Fit for detention Ya / Yes", "Tidak perlu / Not required",
            "Layak untuk perjalanan / Fit to travel, sehingga / until 03/12/2026",
            "Soft diet; no nuts", "28/11/2026 21:30", "Cop rasmi Official stamp",
            "Nama / Name: Dr Siti Aminah binti Abdullah (GMO)"):
        assert words in text, words
    # A loose later page still says what it is and whose.
    assert "SULIT / CONFIDENTIAL · Pemeriksaan / Examination 31 · SMY-2026-000007" in pages[-1]
    assert [(d.kind, d.text) for d in decode(pdf, 150)] == [("Code128", "SMY-2026-000007")]

    referred = medical_exam.context(sample.detail(), dataclasses.replace(
        sample.exam(), outcome=sample.referred()))
    assert referred["referral"] == ("Hospital Kajang\nSegera (hari ini) / Urgent (today) · "
                                    "menunggu pengiring ke hospital / awaiting escort to "
                                    "hospital")
    assert referred["travel"] == ("Tidak layak untuk perjalanan / Unfit to travel: Awaiting "
                                  "hospital review")
    with pytest.raises(ValueError, match="findings were not read"):
        medical_exam.context(sample.detail(), dataclasses.replace(sample.exam(), findings=None))


def test_many_injuries_run_on_over_pages_with_their_headings():
    record = medical_exam.context(sample.detail(), sample.with_injuries(14))
    pages = raw_pages(_pdf("medical-exam", record))
    assert len(pages) == 3
    _every_page_is_marked(pages)
    text = " ".join(pages)
    for n in range(1, 15):
        assert f"({n})" in text, n
    assert "Bahagian badan Body site" in pages[0] and "Bahagian badan Body site" in pages[1]
    assert "KEPUTUSAN / Outcome" in pages[-1] and "Official stamp" in pages[-1]
    none = medical_exam.context(sample.detail(), dataclasses.replace(
        sample.exam(), findings=sample.findings(injuries=())))
    assert (none["injury_count"], none["has_injuries"]) == ("Tiada dilihat / None seen", False)
    assert "Bahagian badan Body site" not in " ".join(raw_pages(_pdf("medical-exam", none)))


def test_the_certificate_carries_the_outcome_and_never_a_finding():
    detail = sample.detail(full_name=sample.LONG_NAME)
    pdf = _pdf("fit-to-travel", fit_to_travel.context(detail, sample.outcome()))
    pages = raw_pages(pdf)
    assert len(pages) == 1
    _every_page_is_marked(pages)
    text = pages[0]
    for words in ("PERAKUAN LAYAK UNTUK PERJALANAN", "Fit-to-travel certificate",
                  sample.LONG_NAME.split()[0], "LAYAK UNTUK PERJALANAN / FIT TO TRAVEL",
                  "Sah sehingga (termasuk) / Valid until (inclusive) 03/12/2026",
                  "21/11/2026 21:30", "found them fit to travel until 03/12/2026",
                  "Dr Siti Aminah binti Abdullah", "MMC 45123",
                  "Government Medical Officer (GMO)", "Pasport / Passport C1234567 (VNM)",
                  "Soft diet; no nuts", "Give the inhaler when asked", "Cop rasmi"):
        assert words in text, words
    # Outcome words only: nothing of the findings reaches the certificate.
    for secret in (sample.SECRET_DRUG, sample.SECRET_NOTE, "Scabies", "Kudis", "Penicillin",
                   "Asthma", "Bruise", "Low mood", "AFB", "128/84", "37.9", "CONFIDENTIAL"):
        assert secret not in text, secret
    assert [d.text for d in decode(pdf, 150)] == ["SMY-2026-000007"]
    with pytest.raises(ValueError, match="did not certify fitness to travel"):
        fit_to_travel.context(detail, sample.referred())


def test_when_a_certificate_may_not_be_printed():
    fit = sample.outcome()  # fit until 03/12/2026
    assert fit_to_travel.problem(fit, fit.id, dt.date(2026, 12, 3)) == ""
    assert "has expired" in fit_to_travel.problem(fit, fit.id, dt.date(2026, 12, 4))
    assert "03/12/2026" in fit_to_travel.problem(fit, fit.id, dt.date(2026, 12, 4))
    assert "no longer the latest" in fit_to_travel.problem(fit, 99, dt.date(2026, 12, 1))
    assert "unfit to travel" in fit_to_travel.problem(sample.referred(), 32,
                                                      dt.date(2026, 12, 1))
    unassessed = sample.outcome(travel="not_assessed", fit_to_travel_until=None)
    assert "not assessed" in fit_to_travel.problem(unassessed, 31, dt.date(2026, 12, 1))


def test_an_outbreak_list_of_forty_runs_over_pages_and_ends_with_the_signatures():
    view = sample.outbreak(40, block="")
    record = outbreak_list.context(view, "Medical One")
    assert record["count"] == "40 (7 diasingkan / isolated)"
    assert [r["isolated"] for r in record["rows"][:4]] == [
        "Ya / Yes", "Tidak / No", "Tidak / No", "Belum / Not yet"]
    assert record["block"] == "Semua blok / All blocks"
    pages = raw_pages(_pdf("outbreak-list", record))
    assert len(pages) == 3
    _every_page_is_marked(pages)
    text = " ".join(pages)
    for row in view.rows:
        assert row.detainee_no in text, row.detainee_no
    for page in pages:
        assert "SULIT" in page and "Tempat ditahan Where held" in page  # headings repeated
    assert "Notified to (district health office)" in pages[0]
    assert "Kudis buta / Scabies" in pages[0] and "22/11/2026 21:30" in pages[0]
    assert "Medical officer in charge" in pages[-1] and "Nama / Name: Medical One" in pages[-1]
    assert "SULIT / CONFIDENTIAL · Kudis buta / Scabies · Semua blok / All blocks" in pages[1]
    one_block = outbreak_list.context(sample.outbreak(8, block="A"))
    assert one_block["rows"][0]["location"] == "A-01"  # the header names the block
    assert one_block["rows"][8 - 1]["location"] == "A-02"
    assert len(raw_pages(_pdf("outbreak-list", one_block))) == 1


# --- the print jobs (both engines) ----------------------------------------------------

NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 15/06/2026 11:00 in Malaysia
UNTIL = dt.date(2026, 6, 22)


def _exam(db, medical, detention_id: int, *, communicable=(), travel="not_assessed",
          isolate=False, kind="screening", medication="", injuries=()) -> int:
    with db.write() as uow:
        return record_exam(uow, medical, ExamRequest(
            detention_id, kind, "Dr Siti Aminah", "MMC 45123", "gmo",
            findings=FindingsInput(pulse="72", communicable=communicable,
                                   medication=medication, injuries=injuries),
            outcome=OutcomeInput(isolate=isolate, travel=travel,
                                 fit_to_travel_until=UNTIL if travel == "fit" else None,
                                 special_diet="Soft diet"))).value.outcome.id


@pytest.fixture
def clinic(db):
    """Agus (fit to travel, scabies) and Budi (scabies, isolated) in Blok A, Citra
    (scabies) in Blok W, each screened by medical1."""
    db.clock = FixedClock(NOW)
    medical = actor_for(db, "medical1")
    with db.write() as uow:
        a01 = factories.cell(uow, "Blok A", "A-01")
        w01 = factories.cell(uow, "Blok W", "W-01", "adult_female")
        admitted = NOW - dt.timedelta(days=2)
        ids = {"agus": factories.detainee(uow, "Agus Setiawan", cell_id=a01, admitted=admitted),
               "budi": factories.detainee(uow, "Budi Santoso", cell_id=a01, admitted=admitted),
               "citra": factories.detainee(uow, "Citra Dewi", sex="F", cell_id=w01,
                                           admitted=admitted)}
    exams = {
        "agus": _exam(db, medical, ids["agus"], communicable=("scabies",), travel="fit",
                      medication=sample.SECRET_DRUG, injuries=(InjuryInput(
                          "Left forearm", "Bruise 4 cm", True, "Fell during the arrest"),)),
        "budi": _exam(db, medical, ids["budi"], communicable=("scabies",), isolate=True),
        "citra": _exam(db, medical, ids["citra"], communicable=("scabies",)),
    }
    return {"ids": ids, "exams": exams, "medical": medical,
            "warden": actor_for(db, "warden1"), "officer": actor_for(db, "officer1"),
            "admin": actor_for(db, "admin")}


def _documents(db) -> tuple[int, int]:
    """(counterfoils kept, serials taken): what a refused job must not touch."""
    with db.read() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(PrintedDocument)),
                s.scalar(select(func.coalesce(func.sum(DocumentSequence.last_value), 0))))


def test_only_medical_staff_print_read_or_reprint_an_examination_record(db, clinic):
    exam_id, agus = clinic["exams"]["agus"], clinic["ids"]["agus"]
    for who in ("warden", "officer", "admin"):
        with pytest.raises(PermissionDenied), db.write() as uow:
            medical_jobs.print_exam_record(uow, clinic[who], exam_id)
    assert _documents(db) == (0, 0)  # no serial taken, no counterfoil

    with db.write() as uow:
        job = medical_jobs.print_exam_record(uow, clinic["medical"], exam_id, invariant=True)
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("medical-exam", "medical_exam",
                                                           exam_id)
    assert set(d.subjects) == {("medical_exam", exam_id), ("detention", agus)}
    assert d.serial.endswith("-000001")
    text = " ".join(raw_pages(job.pdf))
    for words in ("AGUS SETIAWAN".title(), "CONFIDENTIAL — medical staff only",
                  sample.SECRET_DRUG, "Left forearm", "Kudis buta / Scabies", "72 /min",
                  "MMC 45123", "until 22/06/2026"):
        assert words in text, words

    before = _documents(db)
    with db.read() as uow:  # the kept copy: medical staff only
        assert counterfoils.content(uow, clinic["medical"], d.id) == job.pdf
        for who in ("warden", "officer", "admin"):
            with pytest.raises(PermissionDenied):
                counterfoils.content(uow, clinic[who], d.id)
        # Anyone who prints sees that it was printed, not what it says.
        listed = counterfoils.documents_for(uow, clinic["warden"], "detention", agus)
        assert [x.serial for x in listed] == [d.serial]
    for reprint in (custody_jobs.reprint, medical_jobs.reprint):
        with pytest.raises(PermissionDenied), db.write() as uow:
            reprint(uow, clinic["warden"], d.id)
    with pytest.raises(ValidationError), db.write() as uow:  # not through the detainee jobs
        jobs.reprint(uow, clinic["warden"], d.id)
    with pytest.raises(PermissionDenied), db.write() as uow:
        counterfoils.record_printed(uow, clinic["warden"], "medical-exam", "medical_exam",
                                    exam_id, job.pdf)
    with pytest.raises(ValidationError, match="print it from its own page"), \
            db.write() as uow:
        jobs.print_form(uow, clinic["medical"], "medical-exam", [agus])
    assert _documents(db) == before

    with db.write() as uow:  # medical staff reprint it under the same serial
        again = custody_jobs.reprint(uow, clinic["medical"], d.id)
    assert (again.document.serial, again.document.reprint_of_id) == (d.serial, d.id)
    assert set(again.document.subjects) == set(d.subjects)
    assert "CETAKAN SEMULA / REPRINT" in raw_pages(again.pdf)[0]


def test_the_certificate_is_for_anyone_who_prints_while_it_holds(db, clinic):
    officer = clinic["officer"]
    with db.write() as uow:
        job = medical_jobs.print_fit_to_travel(uow, officer, clinic["exams"]["agus"])
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("fit-to-travel", "medical_exam",
                                                           clinic["exams"]["agus"])
    assert ("detention", clinic["ids"]["agus"]) in d.subjects
    text = " ".join(raw_pages(job.pdf))
    for words in ("LAYAK UNTUK PERJALANAN / FIT TO TRAVEL", "22/06/2026",
                  "15/06/2026 11:00", "Dr Siti Aminah", "MMC 45123", "Soft diet"):
        assert words in text, words
    for secret in (sample.SECRET_DRUG, "Rifampicin", "Bruise", "Scabies", "72 /min"):
        assert secret not in text, secret
    with db.read() as uow:  # its kept copy is no secret
        assert counterfoils.content(uow, clinic["warden"], d.id) == job.pdf

    before = _documents(db)
    for name in ("budi", "citra"):  # not assessed for travel: no certificate
        with pytest.raises(ValidationError) as refused, db.write() as uow:
            medical_jobs.print_fit_to_travel(uow, officer, clinic["exams"][name])
        assert "did not certify fitness to travel" in refused.value.fields["exam_id"]
    assert _documents(db) == before

    with db.write() as uow:  # reprinted under its serial while it holds
        again = custody_jobs.reprint(uow, clinic["warden"], d.id)
    assert again.document.serial == d.serial and again.document.is_reprint

    db.clock.advance(dt.timedelta(days=8))  # past 22/06/2026
    before = _documents(db)
    with pytest.raises(ValidationError, match="has expired") as refused, db.write() as uow:
        medical_jobs.print_fit_to_travel(uow, officer, clinic["exams"]["agus"])
    assert "22/06/2026" in refused.value.fields["exam_id"]
    with pytest.raises(ValidationError, match="has expired"), db.write() as uow:
        custody_jobs.reprint(uow, officer, d.id)
    assert _documents(db) == before


def test_a_later_examination_ends_the_certificate(db, clinic):
    _exam(db, clinic["medical"], clinic["ids"]["agus"], kind="follow_up")
    with pytest.raises(ValidationError, match="no longer the latest"), db.write() as uow:
        medical_jobs.print_fit_to_travel(uow, clinic["officer"], clinic["exams"]["agus"])


def test_the_outbreak_list_names_only_the_block_asked_for(db, clinic):
    medical = clinic["medical"]
    for who in ("warden", "officer", "admin"):
        with pytest.raises(PermissionDenied), db.write() as uow:
            medical_jobs.print_outbreak_list(uow, clinic[who], "scabies", "A")
    assert _documents(db) == (0, 0)
    with db.write() as uow:
        job = medical_jobs.print_outbreak_list(uow, medical, "scabies", "A")
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id, d.subjects) == (
        "outbreak-list", "outbreak", 0, (("outbreak", 0),))
    text = " ".join(raw_pages(job.pdf))
    assert "Agus Setiawan" in text and "Budi Santoso" in text and "Citra Dewi" not in text
    assert "Blok / Block Blok A" in text and "2 (0 diasingkan / isolated)" in text
    assert "Kudis buta / Scabies" in text and "15/06/2026 11:00" in text
    with db.write() as uow:
        everyone = medical_jobs.print_outbreak_list(uow, medical, "scabies")
    text = " ".join(raw_pages(everyone.pdf))
    assert "Citra Dewi" in text and "Semua blok / All blocks" in text
    assert "Blok W / W-01" in text  # every block: the cell with its block
    with db.write() as uow:
        none = medical_jobs.print_outbreak_list(uow, medical, "measles", "A")
    assert "Bilangan tahanan / Number of detainees 0" in " ".join(raw_pages(none.pdf))

    before = _documents(db)
    with db.read() as uow, pytest.raises(PermissionDenied):
        counterfoils.content(uow, clinic["warden"], d.id)
    with pytest.raises(PermissionDenied), db.write() as uow:
        custody_jobs.reprint(uow, clinic["warden"], d.id)
    with pytest.raises(ValidationError, match="print a new list"), db.write() as uow:
        custody_jobs.reprint(uow, medical, d.id)
    with pytest.raises(ValidationError, match="block"), db.write() as uow:
        medical_jobs.print_outbreak_list(uow, medical, "scabies", "Z")
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
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)

    def run(user: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("DEPOT_USER", user)
        code = main.main(["--db", cli_db.url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_print_the_medical_forms_from_the_command_line(depot, cli_db, tmp_path):
    db = cli_db  # the system clock: the command line runs on it too
    medical = actor_for(db, "medical1")
    with db.write() as uow:
        a01 = factories.cell(uow, "Blok A", "A-01")
        agus = factories.detainee(uow, "Agus Setiawan", cell_id=a01,
                                  admitted=uow.now() - dt.timedelta(hours=5))
    today = db.clock.now()
    with db.write() as uow:
        exam_id = record_exam(uow, medical, ExamRequest(
            agus, "screening", "Dr Siti Aminah", "MMC 45123", "gmo",
            findings=FindingsInput(communicable=("scabies",), medication=sample.SECRET_DRUG),
            outcome=OutcomeInput(travel="fit", fit_to_travel_until=(
                today + dt.timedelta(days=3)).date()))).value.outcome.id

    code, out, err = depot("warden1", "print", "medical-exam", str(exam_id), "-o",
                           str(tmp_path / "no.pdf"))
    assert code == 3 and "read medical findings" in err and not (tmp_path / "no.pdf").exists()
    code, out, err = depot("medical1", "print", "medical-exam", str(exam_id), "-o",
                           str(tmp_path / "exam.pdf"))
    assert code == 0, err
    assert re.search(rf"Printed medical-exam SMY-DOC-\d{{4}}-000001 \(medical_exam {exam_id}\)",
                     out)
    assert sample.SECRET_DRUG in " ".join(raw_pages((tmp_path / "exam.pdf").read_bytes()))
    serial = re.search(r"SMY-DOC-\d{4}-\d{6}", out).group(0)
    code, out, err = depot("warden1", "print", "reprint", serial, "-o",
                           str(tmp_path / "again.pdf"))
    assert code == 3 and not (tmp_path / "again.pdf").exists()
    code, out, err = depot("medical1", "print", "reprint", serial, "-o",
                           str(tmp_path / "again.pdf"))
    assert code == 0 and "a reprint of " + serial in out, err

    code, out, err = depot("officer1", "print", "fit-to-travel", str(exam_id), "-o",
                           str(tmp_path / "fit.pdf"))
    assert code == 0, err
    text = " ".join(raw_pages((tmp_path / "fit.pdf").read_bytes()))
    assert "FIT TO TRAVEL" in text and sample.SECRET_DRUG not in text

    code, out, err = depot("medical1", "print", "outbreak", "scabies", "--block", "A", "-o",
                           str(tmp_path / "list.pdf"))
    assert code == 0 and "(outbreak)" in out, err
    assert "Agus Setiawan" in " ".join(raw_pages((tmp_path / "list.pdf").read_bytes()))
    code, out, err = depot("medical1", "print", "outbreak", "plague", "-o", "x.pdf")
    assert code == 2  # not a condition the depot reports
    code, out, err = depot("medical1", "print", "fit-to-travel", "999999", "-o",
                           str(tmp_path / "x.pdf"))
    assert code == 4 and not (tmp_path / "x.pdf").exists()
    code, out, err = depot("medical1", "print", "medical-exam", "--detainee", "X", "-o", "x.pdf")
    assert code == 2  # an examination is asked for by its number
