"""The record's Print form menu prints the court forms: the detention-authority history
always, the detention order record once a Magistrate has made an order (greyed, with the
reason, before that)."""

from __future__ import annotations

import datetime as dt

from depot_app.clock import MYT
from tests.court_fixtures import order, scheduled
from tests.test_admission import actor_for
from ui.detainees.detail import DetaineeRecordView
from ui.printing.actions import AUTHORITY_HISTORY, DETENTION_ORDER

from . import helpers


def test_the_record_prints_the_court_forms(qtbot, clerk_ctx, db):
    detention_id, _number = helpers.admit_one(db, "Agus Setiawan")
    view = DetaineeRecordView(clerk_ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(detention_id)
    bar = view.print_bar
    action = bar.form_actions[DETENTION_ORDER]
    assert not action.isEnabled() and "No Magistrate's detention order" in action.toolTip()
    assert bar.print_detention_order() is None
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        bar.form_actions[AUTHORITY_HISTORY].trigger()
    assert finished.args[0].document.form_code == "authority-history"

    officer = actor_for(db, "officer1")
    now = db.clock.now().astimezone(MYT)
    order(db, officer, scheduled(db, officer, detention_id, now - dt.timedelta(minutes=5)))
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show_detention(detention_id)
    assert action.isEnabled()
    with qtbot.waitSignal(bar.sig_finished, timeout=20000) as finished:
        action.trigger()
    job = finished.args[0]
    assert job.document.form_code == "detention-order"
    assert ("detention", detention_id) in job.document.subjects
