"""Recording movements from the record: the actions a user sees, each dialog sending its
request, field errors beside their fields, and the record showing the outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, update

from db.models import CashEntry, Detention, PropertyItem
from depot_app.actor import Permission
from depot_app.clock import MYT
from depot_app.services import roll, setup
from tests import factories
from ui.detainees.detail import DetaineeRecordView
from ui.movements.actions import available
from ui.movements.cell_move import CHOICE_ROLE

from . import helpers


def login(ctx, db, username: str):
    ctx.actor = helpers.actor(db, username)
    with db.read() as uow:
        ctx.depot = setup.current_depot(uow)
    return ctx


@pytest.fixture
def place(db):
    """Blok A: A-01 (men, 4: Agus), A-02 (men, 4), A-03 (men, 1, full); Blok W: W-01
    (women). Agus holds a phone and a wallet (bag B-0412) and RM 150.00 with the depot."""
    admitted = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with db.write() as uow:
        ids = {code: factories.cell(uow, block, code, category, capacity)
               for block, code, category, capacity in (
                   ("Blok A", "A-01", "adult_male", 4), ("Blok A", "A-02", "adult_male", 4),
                   ("Blok A", "A-03", "adult_male", 1), ("Blok W", "W-01", "adult_female", 4))}
        factories.detainee(uow, "Already Here", cell_id=ids["A-03"], admitted=admitted)
        agus = factories.detainee(uow, "Agus Setiawan", cell_id=ids["A-01"], admitted=admitted)
        ids["agus"] = agus
        for what in ("Phone, Samsung", "Wallet"):
            item = PropertyItem(detention_id=agus, description=what, quantity=1,
                                bag_no="B-0412", received_at=admitted)
            uow.session.add(item)
            uow.session.flush()
            ids[what] = item.id
        uow.session.add(CashEntry(detention_id=agus, amount=Decimal("150.00"),
                                  occurred_at=admitted, note="Received"))
    return ids


def record(qtbot, ctx, detention_id) -> DetaineeRecordView:
    view = DetaineeRecordView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(detention_id)
    return view


def submit_and_reload(qtbot, view, dialog) -> None:
    """Submit; the dialog closes and the record reloads from the change bus."""
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        dialog.submit()
    assert view.movement_bar.dialog is None  # closed (and deleted)


def refused(qtbot, dialog, field: str) -> str:
    """Submit and wait for the reason under ``field``; the dialog stays open."""
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.form.error_text(field)), timeout=5000)
    assert dialog.isVisible()
    return dialog.form.error_text(field)


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_a_clerk_sees_no_movement_actions(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "clerk1"), place["agus"])
    assert not view.movement_bar.isVisible()
    assert not ctx.can(Permission.MOVE)
    assert available(view.detail, ctx.can(Permission.MOVE)) == []
    assert view.movement_bar.open_dialog("move") is None
    # What the depot holds is on the record for everyone.
    assert view.property_summary.text() == "2 items of 2 held; cash held RM 150.00."


def test_a_warden_moves_a_detainee_to_a_suitable_cell(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    assert view.movement_bar.isVisible()
    assert view.movement_bar.buttons["move"].isVisible()
    assert not view.movement_bar.buttons["return"].isVisible()
    dialog = view.movement_bar.open_dialog("move")
    assert dialog.header.number.text() == view.detail.detainee_no
    assert dialog.header.where.text() == "Now: Blok A / A-01"
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)

    cells = dialog.cells
    listed = [cells.item(r) for r in range(cells.count())]
    headings = [i.text() for i in listed if i.data(CHOICE_ROLE) is None]
    assert headings == ["Here now", "Suitable cells", "Full: an officer may override",
                        "Not suitable for this detainee"]
    choices = [i.data(CHOICE_ROLE) for i in listed
               if i.data(CHOICE_ROLE) is not None and i.flags() & Qt.ItemFlag.ItemIsSelectable]
    assert [c.label for c in choices] == ["Blok A / A-02"]  # the one suitable cell
    by_label = {i.data(CHOICE_ROLE).label: i for i in listed if i.data(CHOICE_ROLE)}
    selectable = Qt.ItemFlag.ItemIsSelectable
    assert by_label["Blok A / A-02"].flags() & selectable
    assert not by_label["Blok A / A-01"].flags() & selectable  # here now
    assert listed[1] is by_label["Blok A / A-01"]  # under "Here now", greyed
    full = by_label["Blok A / A-03"]  # a warden may not override capacity
    assert not full.flags() & selectable
    assert "only an officer" in full.text()
    women = by_label["Blok W / W-01"]
    assert not women.flags() & selectable
    assert "this detainee is a man" in women.text() and "this detainee is a man" in \
        women.toolTip()
    assert not cells.choose(place["A-03"])

    # Both missing: both said at once, before anything is sent.
    assert refused(qtbot, dialog, "cell_id") == "Choose the cell to move the detainee to"
    assert dialog.form.error_text("reason") == "Reason for the move is required"
    assert not dialog.busy
    # A cell chosen: its reason goes at once, the other stays until the reason is typed.
    assert cells.choose(place["A-02"])
    assert dialog.form.error_text("cell_id") == ""
    assert dialog.form.error_text("reason") == "Reason for the move is required"
    qtbot.keyClicks(dialog.form.field("reason"), "Separated after a quarrel")
    assert dialog.form.error_text("reason") == ""
    assert dialog.form.message.isHidden()
    submit_and_reload(qtbot, view, dialog)

    assert view.detail.location == "Blok A / A-02"
    assert view.movements.item(0, 1).text() == "Cell move"
    assert view.movements.item(0, 2).text() == "Blok A / A-01 → Blok A / A-02"
    assert view.movements.item(0, 3).text() == "Separated after a quarrel"
    assert view.notice.isVisible() and "moved to Blok A / A-02" in view.notice.text()


def test_an_officer_places_in_a_full_cell_only_with_a_reason(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "officer1"), place["agus"])
    dialog = view.movement_bar.open_dialog("move")
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)
    override = dialog.form.field("override_reason")
    assert override.isHidden()
    assert dialog.cells.choose(place["A-03"])
    assert not override.isHidden()
    dialog.form.field("reason").setText("Kept apart from a witness")
    assert "full cell" in refused(qtbot, dialog, "override_reason")
    override.setText("Every other cell of the block is full tonight")
    submit_and_reload(qtbot, view, dialog)
    assert view.detail.location == "Blok A / A-03"
    assert "Over capacity: Every other cell" in view.movements.item(0, 3).text()


def test_out_to_court_and_back(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("out_court")
    assert dialog.to() == "court"
    assert dialog.form.field("occurred_at").is_now
    f = dialog.form
    assert "Court" in f.form.labelForField(f.field("destination")).text()
    f.field("destination").setText("Mahkamah Majistret Kajang")
    f.field("reason").setText("Production under s.51(5)(b)")
    f.field("escort").setText("Insp. Rahman")
    submit_and_reload(qtbot, view, dialog)

    assert view.detail.away_reason == "court"
    assert view.detail.location == "Out: court"
    assert view.away_banner.isVisible()
    assert "Mahkamah Majistret Kajang" in view.away_banner.text()
    assert "Still on the roll; Blok A / A-01 is kept" in view.away_banner.text()
    assert view.movements.item(0, 1).text() == "Out to court"
    shown = available(view.detail, True)
    assert "return" in shown and "release" in shown
    assert "move" not in shown and "transfer" not in shown and "removal" not in shown
    assert "visit" not in shown  # a visit is to the depot: not while at court
    assert not view.movement_bar.buttons["visit"].isVisible()
    assert view.movement_bar.open_dialog("visit") is None
    assert view.movement_bar.buttons["return"].isVisible()
    assert not view.movement_bar.buttons["move"].isVisible()
    with db.read() as uow:  # still counted on the roll, as out
        assert roll.roll(uow, ctx.actor).total.out == 1

    back = view.movement_bar.open_dialog("return")
    assert "Back to Blok A / A-01" in back.intro.text()
    back.form.field("note").setText("Remanded for 14 days")
    submit_and_reload(qtbot, view, back)
    assert view.detail.away_reason == ""
    assert view.detail.location == "Blok A / A-01"
    assert not view.away_banner.isVisible()
    assert view.movement_bar.buttons["visit"].isVisible()  # back: visits again
    assert view.movements.item(0, 1).text() == "Returned"
    assert view.movements.item(0, 3).text() == "Remanded for 14 days"


def test_release_with_an_item_left_unticked_leaves_it_held_on_the_record(qtbot, ctx, db,
                                                                        place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("release")
    part = dialog.property
    assert part.items.count() == 2
    assert sorted(part.ticked()) == sorted([place["Phone, Samsung"], place["Wallet"]])
    assert part.cash.text() == "150.00"
    assert part.warning.isHidden()

    wallet = next(part.items.item(r) for r in range(part.items.count())
                  if part.items.item(r).text().startswith("Wallet"))
    wallet.setCheckState(Qt.CheckState.Unchecked)
    part.cash.setText("100.00")
    assert not part.warning.isHidden()
    assert "Wallet (bag B-0412)" in part.warning.text()
    assert "RM 50.00 in cash" in part.warning.text()

    f = dialog.form
    f.field("reason").setText("Magistrate declined to order detention")
    assert "Authority for the release is required" in refused(qtbot, dialog, "authority")
    f.field("authority").setText("Magistrate's order")
    f.field("destination").setText("The detainee")
    f.field("property.receipt_no").setText("R-2231")
    submit_and_reload(qtbot, view, dialog)

    d = view.detail
    assert d.status == "released"
    assert [p.description for p in d.property if p.returned_at is None] == ["Wallet"]
    assert d.cash_balance == Decimal("50.00")
    states = dict(zip(column(view.property, 0), column(view.property, 4), strict=True))
    assert states["Wallet"] == "Held by the depot"
    assert states["Phone, Samsung"].startswith("Returned ")
    assert "by Warden1 to the detainee" in states["Phone, Samsung"]
    assert view.held_banner.isVisible()
    assert "Wallet" in view.held_banner.text() and "RM 50.00" in view.held_banner.text()
    assert view.property_summary.text() == "1 item of 2 held; cash held RM 50.00."
    assert column(view.cash, 1) == ["Received", "Paid out"]
    assert view.cash.item(1, 2).text() == "RM 100.00" and view.cash.item(1, 3).text() == \
        "R-2231"
    assert view.movements.item(0, 1).text() == "Released"
    assert view.movements.item(0, 4).text() == "Magistrate's order"
    # Gone: only the property still held can be dealt with.
    assert available(d, True) == ["property"]
    assert view.movement_bar.buttons["property"].isVisible()
    assert not view.movement_bar.departure_button.isVisible()

    later = view.movement_bar.open_dialog("property")
    assert later.part.ticked() == [place["Wallet"]] and later.part.cash.text() == "50.00"
    later.form.field("note").setText("His brother, with an authority letter")
    submit_and_reload(qtbot, view, later)
    assert not view.held_banner.isVisible()
    assert "to His brother" in column(view.property, 4)[1]
    assert available(view.detail, True) == []


def test_an_ngo_visit_needs_its_approval_reference(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("visit")
    dialog.kind_buttons["ngo"].setChecked(True)
    f = dialog.form
    assert not f.field("organisation").isHidden() and f.field("relation").isHidden()
    assert "*" in f.form.labelForField(f.field("approval_ref")).text()
    f.field("visitor").setText("Ms. Lim Mei Ling")
    f.field("organisation").setText("UNHCR Malaysia")
    f.field("officer_present").setText("Sjn. Azman")
    assert "Approval reference is required" in refused(qtbot, dialog, "approval_ref")
    f.field("approval_ref").setText("JIM/SMY/NGO/2026/041")
    submit_and_reload(qtbot, view, dialog)

    row = [view.visits.item(0, c).text() for c in range(view.visits.columnCount())]
    assert row[1:6] == ["NGO / UNHCR", "Ms. Lim Mei Ling", "UNHCR Malaysia",
                        "JIM/SMY/NGO/2026/041", "Sjn. Azman"]
    assert row[0].endswith("– going on")
    assert view.movement_bar.buttons["end_visit"].isVisible()

    end = view.movement_bar.open_dialog("end_visit")
    assert end.visits.count() == 1
    submit_and_reload(qtbot, view, end)
    assert not view.visits.item(0, 0).text().endswith("going on")
    assert not view.movement_bar.buttons["end_visit"].isVisible()


def test_a_death_in_custody_with_its_notifications(qtbot, ctx, db, place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    assert not view.death_card.isVisible()
    dialog = view.movement_bar.open_dialog("death")
    assert dialog.in_depot.isChecked()
    f = dialog.form
    died = (dt.datetime.now(MYT) - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    f.field("died_at").set_value(died)
    f.field("cause_certified").setPlainText("Acute myocardial infarction")
    f.field("certified_by").setText("Dr. Hafiz, Hospital Kajang")
    first = dialog.rows[0]
    first.notified.setText("Police (IPD Kajang)")
    first.means.setText("telephone")
    second = dialog.add_row()
    second.notified.setText("Embassy of Indonesia")
    second.at.set_value(died - dt.timedelta(hours=1))
    assert "cannot be before the death" in refused(qtbot, dialog, "notification-1")
    second.at.set_value(died + dt.timedelta(minutes=40))
    submit_and_reload(qtbot, view, dialog)

    d = view.detail
    assert d.status == "deceased"
    assert view.death_card.isVisible()
    assert view.death.value("Place") == "In the depot: Blok A / A-01"
    assert view.death.value("Cause as certified") == "Acute myocardial infarction"
    assert view.death.value("Post-mortem ref.") == "Not yet recorded"
    # In the order made: the embassy (typed 40 minutes after the death), then the police
    # (now: the time the row started with).
    assert column(view.notifications, 0) == ["Embassy of Indonesia", "Police (IPD Kajang)"]
    assert view.notifications.item(1, 2).text() == "telephone"
    assert view.movements.item(0, 1).text() == "Died"
    assert {"death_notification", "post_mortem"} <= set(available(d, True))
    assert "visit" not in available(d, True) and "move" not in available(d, True)

    later = view.movement_bar.open_dialog("post_mortem")
    later.form.field("post_mortem_ref").setText("HKJ/PM/2026/118")
    submit_and_reload(qtbot, view, later)
    assert view.death.value("Post-mortem ref.") == "HKJ/PM/2026/118"

    more = view.movement_bar.open_dialog("death_notification")
    more.form.field("notifications.notified").setText("Next of kin (wife), via the embassy")
    submit_and_reload(qtbot, view, more)
    assert view.notifications.rowCount() == 3


def test_a_record_changed_elsewhere_is_reloaded_and_the_move_can_be_retried(qtbot, ctx, db,
                                                                           place):
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("move")
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)
    seen = view.detail.version
    with db.write() as uow:  # another workstation changed the detention meanwhile
        uow.session.execute(update(Detention).where(Detention.id == place["agus"])
                            .values(version=Detention.version + 1))
    dialog.cells.choose(place["A-02"])
    dialog.form.field("reason").setText("Cell repainting")
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):  # the record reloads
        dialog.submit()
    qtbot.waitUntil(lambda: dialog.detail.version == seen + 1, timeout=5000)
    assert "Someone else changed" in dialog.form.message.text()
    assert dialog.isVisible() and dialog.form.field("reason").text() == "Cell repainting"
    submit_and_reload(qtbot, view, dialog)
    with db.read() as uow:
        cell = uow.session.scalar(select(Detention.current_cell_id)
                                  .where(Detention.id == place["agus"]))
    assert cell == place["A-02"]


def test_to_hospital_carries_out_the_pending_referral(qtbot, ctx, db, place):
    """Medical staff referred Agus; the warden's outing starts from what they decided and
    takes the referral out with it."""
    from depot_app.services.medical import exams
    from depot_app.services.medical.exams import ExamRequest, OutcomeInput
    with db.write() as uow:
        exams.record_exam(uow, helpers.actor(db, "medical1"), ExamRequest(
            place["agus"], "screening", "Dr. Priya a/p Ramasamy", "MMC 58213", "gmo",
            outcome=OutcomeInput(refer_hospital=True, hospital="Hospital Serdang",
                                 urgency="urgent")))
    view = record(qtbot, login(ctx, db, "warden1"), place["agus"])
    dialog = view.movement_bar.open_dialog("out_hospital")
    f = dialog.form
    assert "carries out the medical referral" in dialog.intro.text()
    assert f.field("destination").text() == "Hospital Serdang"
    assert f.field("reason").text() == "Medical referral (urgent)"
    f.field("escort").setText("Kpl. Azman")
    submit_and_reload(qtbot, view, dialog)
    status = view.detail.medical.status
    assert view.detail.away_reason == "hospital"
    assert status.referral.status == "out" and status.referral.hospital == "Hospital Serdang"
