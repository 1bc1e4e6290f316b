"""The medical examination form and the Medical section of the record: defaults that save
typing, a screening recorded from the keyboard, reasons under the fields they concern,
and findings that only medical staff ever see."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QTableWidget
from sqlalchemy import func, select

from db.models import MedicalExam
from depot_app.services.medical import exams
from depot_app.services.medical.exams import (
    ExamRequest,
    FindingsInput,
    InjuryInput,
    OutcomeInput,
)
from tests import factories
from tests.conftest import _fresh
from tests.test_admission import actor_for

from .test_movement_dialogs import login, record


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, templates, pg_factory, tmp_path):
    """Both engines here (the other widget tests run on SQLite only): the examination is
    one unit of work that locks the detention and writes five tables."""
    yield from _fresh(request, templates, pg_factory, True, tmp_path)


@pytest.fixture(autouse=True)
def _close_dialogs(qapp):
    yield
    for widget in qapp.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


@pytest.fixture
def agus(db):
    """Agus Setiawan, admitted an hour ago into Blok A / A-01, not yet screened."""
    admitted = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with db.write() as uow:
        cell = factories.cell(uow, "Blok A", "A-01", "adult_male", 8)
        return factories.detainee(uow, "Agus Setiawan", cell_id=cell, admitted=admitted)


def exam_count(db) -> int:
    with db.read() as uow:
        return uow.session.scalar(select(func.count(MedicalExam.id)))


def press(qtbot, key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key)


def type_and_enter(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)
    press(qtbot, Qt.Key.Key_Return)


def texts(widget) -> str:
    """Every text the widget tree shows: labels, line edits, table cells."""
    out = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QLineEdit)]
    for table in widget.findChildren(QTableWidget):
        out += [table.item(r, c).text() for r in range(table.rowCount())
                for c in range(table.columnCount()) if table.item(r, c) is not None]
    return "\n".join(out)


def test_a_screening_is_recorded_from_the_keyboard(qtbot, ctx, db, agus):
    view = record(qtbot, login(ctx, db, "medical1"), agus)
    section = view.medical
    assert section.record_button.isVisible()
    assert "Admission screening due by" in texts(section)
    dialog = section.open_exam()
    with qtbot.waitSignal(dialog.sig_ready, timeout=5000):
        pass
    # Defaults: a screening (not yet screened), this user's name, now; the cursor waits in
    # the first field that needs typing; no pregnancy question for a man.
    assert dialog.form.kind.currentData() == "screening"
    assert dialog.form.examiner_name.text() == "Medical1"
    assert dialog.form.examiner_reg_no.text() == ""
    assert QApplication.focusWidget() is dialog.form.examiner_reg_no
    assert dialog.form.when.is_now
    assert not dialog.form.pregnancy.isEnabled()
    assert dialog.form.fit_for_detention.isChecked() and not dialog.form.isolate.isChecked()

    type_and_enter(qtbot, "MMC 51234")
    press(qtbot, Qt.Key.Key_Return)  # past "GMO": Enter moves on, it never records
    assert QApplication.focusWidget() is dialog.form.vitals.edits["temperature_c"]
    for value in ("37,2", "88", "18", "97", "128", "84", "61.5", "165"):
        type_and_enter(qtbot, value)
    assert QApplication.focusWidget() is dialog.form.injuries.add_button
    assert exam_count(db) == 0 and dialog.isVisible()
    press(qtbot, Qt.Key.Key_Return)  # adds a row, the cursor in it
    assert len(dialog.form.injuries.rows) == 1
    row = dialog.form.injuries.rows[0]
    assert QApplication.focusWidget() is row.site
    qtbot.keyClicks(row.site, "left forearm")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(row.description, "bruise 4 cm")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)
    assert row.explained.isChecked()
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(row.account, "fell from scaffolding at work")
    press(qtbot, Qt.Key.Key_Return)  # on to "Add injury", the row left as it is
    assert len(dialog.form.injuries.rows) == 1
    assert QApplication.focusWidget() is dialog.form.injuries.add_button
    dialog.form.isolate.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.form.isolate.isChecked()

    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        dialog.ok.click()
    assert section.dialog is None
    assert "Admission screening of" in view.notice.text()
    assert "isolation required" in view.notice.text()
    lines = [section.status_box.itemAt(i).widget() for i in range(section.status_box.count())]
    shown = {w.text(): w.property("tone") for w in lines}
    assert shown["Isolation required: not yet in an isolation cell"] == "danger"
    assert section.exams.rowCount() == 1
    assert section.exams.item(0, 1).text() == "Admission screening"
    assert section.exams.item(0, 2).text() == "Medical1 (GMO, reg. MMC 51234)"
    assert section.exams.item(0, 3).text() == "Fit for detention; isolate"
    # Medical staff read the findings of the examination selected (the latest).
    assert section.findings.isVisible() and not section.confidential.isVisible()
    assert section.findings.value("Vital signs") == (
        "Temperature 37.2 °C · pulse 88/min · resp. rate 18/min · BP 128/84 mmHg · "
        "SpO₂ 97% · weight 61.5 kg · height 165 cm")
    assert [section.injuries.item(0, c).text() for c in range(4)] == [
        "left forearm", "bruise 4 cm", "Explained", "fell from scaffolding at work"]
    chips = [view.chips.itemAt(i).widget() for i in range(view.chips.count())]
    assert "Isolate" in [c.text() for c in chips if c is not None]  # beside the name

    # The next examination starts from this one: periodic, the examiner as typed, the
    # isolation carried forward; a second screening cannot be chosen.
    again = section.open_exam()
    with qtbot.waitSignal(again.sig_ready, timeout=5000):
        pass
    assert again.form.kind.currentData() == "periodic"
    screening = again.form.kind.model().item(again.form.kind.findData("screening"))
    assert not screening.isEnabled()
    assert (again.form.examiner_name.text(), again.form.examiner_reg_no.text()) == ("Medical1",
                                                                        "MMC 51234")
    assert again.form.isolate.isChecked()
    assert QApplication.focusWidget() is again.form.vitals.edits["temperature_c"]
    again.reject()


def test_bad_entries_are_shown_under_their_fields_and_nothing_is_written(qtbot, ctx, db,
                                                                         agus):
    view = record(qtbot, login(ctx, db, "medical1"), agus)
    dialog = view.medical.open_exam()
    with qtbot.waitSignal(dialog.sig_ready, timeout=5000):
        pass
    qtbot.keyClicks(dialog.form.examiner_reg_no, "MMC 51234")
    qtbot.keyClicks(dialog.form.vitals.edits["pulse"], "abc")
    dialog.form.injuries.add_button.click()
    row = dialog.form.injuries.rows[0]
    qtbot.keyClicks(row.site, "back")
    qtbot.keyClicks(row.description, "healing laceration")
    row.explained.click()
    dialog.form.refer.click()  # the hospital's name is then required
    assert dialog.form.referral.isVisibleTo(dialog)
    assert QApplication.focusWidget() is dialog.form.hospital  # typed next

    qtbot.keyClick(dialog.form.hospital, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter records
    qtbot.waitUntil(lambda: bool(dialog.error_text("findings.pulse")), timeout=5000)
    assert dialog.error_text("findings.pulse") == "Pulse (per minute) must be a number"
    assert dialog.error_text("findings.injuries[0].explanation") == (
        "Injury 1: the detainee's account is required")
    assert dialog.error_text("outcome.hospital") == "Hospital referred to is required"
    assert dialog.error_text("findings.weight_kg") == ""  # the row below: no reason
    assert dialog.isVisible() and not dialog.busy
    assert exam_count(db) == 0
    assert QApplication.focusWidget() is dialog.form.vitals.edits["pulse"]
    # Changing a field takes its reason away; the others stay until they are put right.
    qtbot.keyClicks(dialog.form.vitals.edits["pulse"], "x")
    assert dialog.error_text("findings.pulse") == ""
    assert dialog.error_text("outcome.hospital") != ""

    # Esc with something typed asks first; "Discard" closes, and nothing is written.
    qtbot.keyClick(dialog.form.vitals.edits["pulse"], Qt.Key.Key_Escape)
    ask = dialog._asking
    assert ask is not None and dialog.isVisible()
    discard = next(b for b in ask.buttons() if b.text() == "Discard")
    discard.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert view.medical.dialog is None and exam_count(db) == 0


def record_exam_as_medical(db, detention_id: int) -> None:
    medical = actor_for(db, "medical1")
    with db.write() as uow:
        exams.record_exam(uow, medical, ExamRequest(
            detention_id, "screening", "Dr Farah Lim", "MMC 40211", "gmo",
            findings=FindingsInput(
                pulse="92", injuries=(InjuryInput("left forearm", "bruise 4 cm", False),),
                allergies="Penicillin rash", chronic_conditions="Type 2 diabetes",
                notes="Scabies lesions on both hands", communicable=("scabies",)),
            outcome=OutcomeInput(isolate=True, special_diet="diabetic diet",
                                 instructions="Check blood sugar before meals")))


SECRETS = ("Penicillin rash", "Type 2 diabetes", "Scabies lesions", "left forearm",
           "92/min", "Scabies")


@pytest.mark.parametrize("who", ["warden1", "medical1"])
def test_only_medical_staff_read_the_findings(qtbot, ctx, db, agus, who):
    record_exam_as_medical(db, agus)
    view = record(qtbot, login(ctx, db, who), agus)
    section = view.medical
    assert section.isVisible()
    shown = texts(view)
    # Everyone reads the outcome and what to do.
    assert "Isolation required: not yet in an isolation cell" in shown
    assert "Special diet: diabetic diet" in shown
    assert "Fit for detention; isolate; diet: diabetic diet; instructions: Check blood " \
           "sugar before meals" in shown
    assert "Dr Farah Lim (GMO, reg. MMC 40211)" in shown
    if who == "warden1":
        assert not section.record_button.isVisible()
        assert not section.print_exam_button.isVisible()
        assert section.open_exam() is None
        assert section.confidential.isVisible()
        assert "Findings are confidential to medical staff." in shown
        assert not section.findings_title.isVisible()
        for secret in SECRETS:
            assert secret not in shown
    else:
        assert section.record_button.isVisible()
        assert not section.confidential.isVisible()
        for secret in SECRETS:
            assert secret in shown
        assert section.print_exam_button.isVisible()
        with qtbot.waitSignal(section.sig_print_finished, timeout=30_000) as finished:
            assert section.print_exam() is not None
        assert finished.args[0].document.form_code == "medical-exam"


def test_the_certificate_is_printed_by_anyone_the_record_by_medical_staff(qtbot, ctx, db,
                                                                          agus):
    medical = actor_for(db, "medical1")
    until = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)
    with db.write() as uow:
        exams.record_exam(uow, medical, ExamRequest(
            agus, "screening", "Dr Farah Lim", "MMC 40211", "gmo",
            outcome=OutcomeInput(travel="fit", fit_to_travel_until=until)))
    view = record(qtbot, login(ctx, db, "officer1"), agus)
    section = view.medical
    assert not section.print_exam_button.isVisible()  # the record names findings
    assert section.print_travel_button.isVisible()
    with qtbot.waitSignal(section.sig_print_finished, timeout=30_000) as finished:
        assert section.print_fit_to_travel() is not None
        assert not section.print_travel_button.isEnabled()  # one print at a time
    job = finished.args[0]
    assert job is not None and job.document.form_code == "fit-to-travel"
    assert section.print_travel_button.isEnabled() and section.runner is None
    # Where an officer looks for paper: the record's Print form menu has it too.
    bar = view.print_bar
    assert bar.form_actions["fit-to-travel"].isEnabled()
    with qtbot.waitSignal(bar.sig_finished, timeout=30_000) as finished:
        bar.form_actions["fit-to-travel"].trigger()
    assert finished.args[0].document.form_code == "fit-to-travel"


def test_the_print_menu_offers_no_certificate_when_none_holds(qtbot, ctx, db, agus):
    view = record(qtbot, login(ctx, db, "officer1"), agus)
    action = view.print_bar.form_actions["fit-to-travel"]
    assert not action.isEnabled() and "No fit-to-travel certificate holds" in action.toolTip()
    assert view.print_bar.print_fit_to_travel() is None


def test_a_removal_says_first_whether_the_detainee_may_travel(qtbot, ctx, db, agus):
    view = record(qtbot, login(ctx, db, "officer1"), agus)
    dialog = view.movement_bar.open_dialog("removal")
    travel = dialog.form.field("travel_status")
    assert travel.text() == ("Not certified fit to travel: not examined yet. Medical staff "
                             "must certify fitness before the removal.")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.field("authority"),
                    timeout=2000)  # the line to read is not in the way of typing
    for name, text in (("authority", "Removal order under s.32"), ("document_ref", "RO-1"),
                       ("destination", "Jakarta, flight MH711"), ("reason", "Removal")):
        qtbot.keyClicks(dialog.form.field(name), text)
    dialog.submit()  # refused by the service: said once, as the dialog's message
    qtbot.waitUntil(lambda: dialog.form.message.isVisible(), timeout=5000)
    assert dialog.form.message.text().startswith("Detainee ")
    assert "has not been examined" in dialog.form.message.text()
    assert "marked in red" not in dialog.form.message.text()
    assert dialog.form.error_text("travel_status") == ""
    assert view.detail.status == "in_custody"
    dialog.reject()

    record_exam_as_medical(db, agus)  # isolation: not certified fit
    medical = actor_for(db, "medical1")
    with db.write() as uow:
        exams.record_exam(uow, medical, ExamRequest(
            agus, "travel", "Dr Farah Lim", "MMC 40211", "gmo", outcome=OutcomeInput(
                travel="fit", fit_to_travel_until=dt.date.today() + dt.timedelta(days=5))))
    view.refresh()
    qtbot.waitUntil(lambda: len(view.detail.medical.exams) == 2, timeout=5000)
    dialog = view.movement_bar.open_dialog("removal")
    assert dialog.form.field("travel_status").text().startswith("Fit to travel until ")


def test_medical_staff_cancel_a_referral_with_a_reason(qtbot, ctx, db, agus):
    medical = actor_for(db, "medical1")
    with db.write() as uow:
        exams.record_exam(uow, medical, ExamRequest(
            agus, "screening", "Dr Farah Lim", "MMC 40211", "gmo", outcome=OutcomeInput(
                refer_hospital=True, hospital="Hospital Kajang", urgency="urgent")))
    view = record(qtbot, login(ctx, db, "medical1"), agus)
    section = view.medical
    assert "Referred to Hospital Kajang" in texts(section)
    assert section.cancel_button.isVisible()
    dialog = section.open_cancel_referral()
    dialog.submit()  # no reason: said under the field
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("reason")), timeout=5000)
    qtbot.keyClicks(dialog.form.field("reason"), "Treated at the depot clinic")
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        dialog.submit()
    assert "Referral to Hospital Kajang cancelled." in view.notice.text()
    assert "Referred to Hospital Kajang" not in texts(section)
    assert not section.cancel_button.isVisible()
