"""The admission wizard, driven from the keyboard as a clerk would: an MRZ scanned, Enter
through the steps, errors named on the step that owns the field, the admission made."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import AuditEvent, CashEntry, Detention, Person, PropertyItem
from depot_app.mrz import check_digit
from depot_app.readmodels import DetaineeRow
from ui.admission.wizard import AdmissionWizard

from . import helpers


def td3(surname: str, given: str, number: str, nat: str, born: str, sex: str,
        expiry: str) -> tuple[str, str]:
    line1 = f"P<{nat}{surname}<<{given.replace(' ', '<')}".ljust(44, "<")
    num = number.ljust(9, "<")
    personal = "<" * 14
    body = (num + check_digit(num) + nat + born + check_digit(born) + sex + expiry
            + check_digit(expiry) + personal + check_digit(personal))
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


LINES = td3("SETIAWAN", "AGUS BUDI", "C1234567", "IDN", "900517", "M", "300102")


def make(qtbot, ctx) -> AdmissionWizard:
    wizard = AdmissionWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def enter(qtbot, wizard, widget=None) -> None:
    before = wizard.index
    qtbot.keyClick(widget or wizard.focusWidget() or wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    return before


def scan_mrz(qtbot, wizard) -> None:
    box = wizard.identity.mrz
    assert wizard.focusWidget() is box
    qtbot.keyClicks(box, LINES[0])
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClicks(box, LINES[1])


def to_records_check(qtbot, ctx) -> AdmissionWizard:
    """A wizard at the records check, after the MRZ scan and Enter twice."""
    wizard = make(qtbot, ctx)
    scan_mrz(qtbot, wizard)
    enter(qtbot, wizard, wizard.identity.mrz)
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=5000)
    enter(qtbot, wizard, wizard.document.number)
    qtbot.waitUntil(lambda: wizard.index == 2, timeout=5000)
    return wizard


def test_a_clerk_admits_from_an_mrz_with_the_keyboard(qtbot, clerk_ctx, db):
    wizard = make(qtbot, clerk_ctx)
    scan_mrz(qtbot, wizard)
    assert "all check digits valid" in wizard.identity.mrz_status.text()
    assert wizard.identity.full_name.text() == "AGUS BUDI SETIAWAN"  # as in the passport
    assert wizard.identity.nationality.code() == "IDN"
    enter(qtbot, wizard, wizard.identity.mrz)            # the scan's own Enter goes on
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=5000)
    assert wizard.document.number.text() == "C1234567"
    enter(qtbot, wizard, wizard.document.number)         # -> records check
    qtbot.waitUntil(lambda: wizard.index == 2, timeout=5000)
    assert wizard.records.chosen() is None               # nobody on record: a new person
    enter(qtbot, wizard, wizard.records.tree)
    qtbot.waitUntil(lambda: wizard.index == 3, timeout=5000)
    wizard.arrest.arrest_place.setFocus()
    qtbot.keyClicks(wizard.arrest.arrest_place, "Pasar Borong Selayang")
    enter(qtbot, wizard, wizard.arrest.arrest_place)     # no section chosen: refused here
    assert wizard.index == 3
    assert "required" in wizard.arrest.form.error_text("legal_basis")
    wizard.arrest.basis.setFocus()
    assert wizard.arrest.chosen_basis() is None   # focus alone chooses nothing
    qtbot.keyClick(wizard.arrest.basis, Qt.Key.Key_Space)
    assert wizard.arrest.chosen_basis().data(Qt.ItemDataRole.UserRole) == "s.6(1)(c)"
    assert "s.6(1)(c)" in wizard.arrest.basis_source.text()
    enter(qtbot, wizard, wizard.arrest.basis)
    qtbot.waitUntil(lambda: wizard.index == 4, timeout=5000)
    assert wizard.vulnerability.minor.text().startswith("No – 3")
    assert not wizard.vulnerability.pregnant.isEnabled()   # a man
    for expected in (5, 6):
        enter(qtbot, wizard, wizard.steps[wizard.index].first_input())
        qtbot.waitUntil(lambda e=expected: wizard.index == e, timeout=5000)
    wizard.property.table.set_row(0, "Telefon bimbit Samsung")
    wizard.property.table.set_row(1, "Beg galas hitam", 1)
    wizard.property.bag_no.setText("B-0412")
    wizard.property.cash.setText("RM 1,235.50")
    enter(qtbot, wizard, wizard.property.cash)
    qtbot.waitUntil(lambda: wizard.index == 7, timeout=5000)
    enter(qtbot, wizard, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.index == 8, timeout=5000)
    sheet = wizard.review.sheet.text()
    assert "AGUS BUDI SETIAWAN" in sheet and "s.6(1)(c)" in sheet and "RM 1,235.50" in sheet
    assert "Production before a Magistrate" in sheet and "s.51(5)(b)" in sheet
    with qtbot.waitSignal(wizard.sig_admitted, timeout=5000) as admitted:
        enter(qtbot, wizard, wizard.next_button)
    row = admitted.args[0]
    assert wizard.pages.currentWidget() is wizard.done
    assert wizard.done.number.text() == row.detainee_no
    # No cell step: held in reception until a warden places them, and the page says so.
    assert row.location == "Reception (unallocated)"
    assert wizard.done.placement.isVisible()
    assert wizard.done.placement.text() == ("Held in reception: a warden places them in a "
                                            "cell (Detainees → Move to cell…).")
    with db.read() as uow:
        d = uow.session.get(Detention, row.id)
        person = uow.session.get(Person, d.person_id)
        assert (person.full_name, person.nationality, person.date_of_birth) == (
            "AGUS BUDI SETIAWAN", "IDN", dt.date(1990, 5, 17))
        assert d.arrest_place == "Pasar Borong Selayang"
        items = uow.session.scalars(select(PropertyItem.description)
                                    .where(PropertyItem.detention_id == row.id)).all()
        cash = uow.session.scalars(select(CashEntry.amount)
                                   .where(CashEntry.detention_id == row.id)).one()
        after = uow.session.scalars(select(AuditEvent.after).where(
            AuditEvent.action == "detention.admit")).one()
    assert sorted(items) == ["Beg galas hitam", "Telefon bimbit Samsung"]
    assert str(cash) == "1235.50"
    assert json.loads(after)["identity_check"]["decision"] == "new person"
    # Straight from the result: the receipt for the detainee's signature, and the card.
    assert wizard.done.receipt.isVisible()
    for button, code in ((wizard.done.receipt, "property-receipt"), (wizard.done.card, "card")):
        button.click()
        with qtbot.waitSignal(wizard.runner.sig_finished, timeout=20000) as printed:
            pass
        assert printed.args[0].document.form_code == code
    assert printed.args[0].cards[0].detention_id == row.id


def test_a_corrupted_check_digit_is_named_and_stops_the_wizard(qtbot, clerk_ctx):
    wizard = make(qtbot, clerk_ctx)
    line2 = LINES[1][:9] + str((int(LINES[1][9]) + 1) % 10) + LINES[1][10:]
    qtbot.keyClicks(wizard.identity.mrz, LINES[0])
    qtbot.keyClick(wizard.identity.mrz, Qt.Key.Key_Return)
    qtbot.keyClicks(wizard.identity.mrz, line2)
    assert "document number" in wizard.identity.mrz_status.text()
    assert "expected" in wizard.identity.mrz_status.text()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert wizard.index == 0
    assert "check digit" in wizard.identity.form.error_text("mrz")


def test_bad_fields_are_named_on_their_own_step(qtbot, clerk_ctx):
    wizard = make(qtbot, clerk_ctx)
    wizard.identity.full_name.setText("Budi")
    wizard.identity.date_of_birth.setText("31/02/1990")
    wizard.identity.full_name.setText("X" * 250)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert wizard.index == 0
    # What the form cannot read and what the service refuses are named together.
    assert "not a date in the calendar" in wizard.identity.form.error_text("date_of_birth")
    assert "longer than 200" in wizard.identity.form.error_text("full_name")
    wizard.identity.full_name.setText("Budi")
    wizard.identity.date_of_birth.setText("01/02/2090")
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert wizard.index == 0
    assert "future" in wizard.identity.form.error_text("date_of_birth")
    assert "M, F or X" in wizard.identity.form.error_text("sex")
    assert "required" in wizard.identity.form.error_text("nationality")


def test_a_known_person_is_offered_and_a_previous_removal_flagged(qtbot, clerk_ctx, db):
    first, _ = helpers.admit_one(db, "Agus Budi Setiawan", document="C1234567")
    helpers.end_episode(db, first, "removed")
    wizard = to_records_check(qtbot, clerk_ctx)
    chosen = wizard.records.chosen()             # the document matches: offered first
    assert chosen is not None and chosen.previously_removed is not None
    assert "s.36" in wizard.records.detail.text()
    enter(qtbot, wizard, wizard.records.tree)
    qtbot.waitUntil(lambda: wizard.index == 3, timeout=5000)
    assert wizard.arrest.chosen_basis().data(Qt.ItemDataRole.UserRole) == "s.36"
    # Choosing "a new person" despite the document match needs a reason.
    wizard.go_to(2)
    wizard.records.tree.setCurrentItem(wizard.records.tree.topLevelItem(0))
    for _ in range(6):
        wizard.next()
        qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert wizard.index == 2
    assert "holds this document number" in wizard.records.form.error_text(
        "identity_decision.reason")


def test_linking_a_person_already_in_custody_is_refused_on_the_records_step(qtbot, clerk_ctx,
                                                                           db):
    _id, number = helpers.admit_one(db, "Agus Budi Setiawan", document="C1234567")
    wizard = to_records_check(qtbot, clerk_ctx)
    assert wizard.records.chosen() is not None           # the passport holder, offered first
    enter(qtbot, wizard, wizard.records.tree)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=5000)
    assert wizard.index == 2
    assert number in wizard.records.form.error_text("existing_person_id")


def test_enter_presses_the_focused_button_and_adds_a_family_link_without_leaving(qtbot,
                                                                                clerk_ctx, db):
    wizard = make(qtbot, clerk_ctx)
    scan_mrz(qtbot, wizard)
    enter(qtbot, wizard, wizard.identity.mrz)
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=5000)
    wizard.back_button.setFocus()
    qtbot.keyClick(wizard.back_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.index == 0, timeout=2000)   # Back, not Next
    wizard.go_to(1)
    step = wizard.vulnerability
    wizard.reached = 4
    wizard.go_to(4)
    step.relation_no.setFocus()
    qtbot.keyClicks(step.relation_no, "SMY-2026-000123")
    qtbot.keyClick(step.relation_no, Qt.Key.Key_Return)
    assert wizard.index == 4 and step.links.count() == 1       # added, still on the step
    assert step.links.item(0).text() == "Parent: SMY-2026-000123"


def test_money_is_ringgit_and_sen_with_a_point():
    import pytest

    from ui.admission.belongings_steps import parse_money

    assert str(parse_money("RM 1,235.50")) == "1235.50"
    assert str(parse_money("235")) == "235"
    assert parse_money("  ") is None
    for bad in ("12,50", "12,5", "1,23.00", "12.5x", "two"):
        with pytest.raises(ValueError):
            parse_money(bad)


def test_the_admitted_page_says_nothing_of_a_cell_when_one_was_given(qtbot):
    import dataclasses

    from ui.admission.review import AdmittedPanel, placement_words

    row = DetaineeRow(id=1, detainee_no="SMY-2026-000001", full_name="AGUS", sex="M",
                      date_of_birth=None, nationality="IDN", nationality_name="Indonesia",
                      location="Blok A / A-01", status="in_custody",
                      admitted_at=dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC))
    panel = AdmittedPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_row(row, "")
    assert panel.placement.isHidden() and placement_words(row) == ""
    panel.show_row(dataclasses.replace(row, location="Reception (unallocated)"), "")
    assert panel.placement.isVisible()
