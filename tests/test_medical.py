# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""Medical: screening due and overdue at the boundary, examinations validated field by
field, outcomes the depot acts on (isolation placement, fitness to travel for removal,
hospital referrals carried out by the outings), and findings for medical staff only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, MedicalExam, MedicalFindings, MedicalReferral
from depot_app.actor import Role
from depot_app.clock import MYT, FixedClock
from depot_app.errors import PermissionDenied, ValidationError
from depot_app.services import dashboard, departures, detainees, movements, outings, placement
from depot_app.services.departures import DischargeRequest
from depot_app.services.medical import exams, outbreak, referrals, status
from depot_app.services.medical.exams import FindingsInput, InjuryInput, OutcomeInput
from depot_app.services.movements import MoveRequest
from depot_app.services.outings import OutRequest, ReturnRequest
from tests import factories
from tests.custody_fixtures import NOW, clock, depot, version, warden  # noqa: F401
from tests.medical_fixtures import certify_fit, exam_request, examine, medic  # noqa: F401
from tests.test_admission import actor_for

ALL_ROLES = {"admin": Role.ADMIN, "clerk1": Role.CLERK, "warden1": Role.WARDEN,
             "medical1": Role.MEDICAL, "officer1": Role.OFFICER}
SECRET = "Methadone 40 mg daily"  # a finding no one but medical staff may read


def counts(db) -> tuple[int, int, int, int]:
    with db.read() as uow:
        s = uow.session
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (MedicalExam, MedicalFindings, MedicalReferral, AuditEvent))


# -- screening due within the rule's period -----------------------------------------------

def _local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MYT)


@pytest.mark.parametrize("admitted", [
    _local(2026, 3, 10, 10, 0),   # an ordinary day
    _local(2026, 3, 10, 23, 30),  # due across midnight
    _local(2026, 1, 31, 23, 45),  # due across the month end
    _local(2026, 12, 31, 22, 0),  # due across the year end
], ids=["day", "midnight", "month-end", "year-end"])
def test_screening_is_overdue_one_minute_after_24_hours(db, admitted):
    db.clock = FixedClock(admitted)
    with db.write() as uow:
        d_id = factories.detainee(uow, "Farid Hossain", admitted=admitted)
    warden_ = actor_for(db, "warden1")

    def at(delta: dt.timedelta):
        db.clock = FixedClock(admitted + delta)
        with db.read() as uow:
            st = status.status_of(uow, warden_, d_id)
            board = status.board(uow, warden_)
            dash = dashboard.dashboard(uow, warden_)
        row = next(r for r in board.screening_due if r.detention_id == d_id)
        assert row.overdue == st.screening_overdue
        assert (d_id in [r.detention_id for r in dash.screenings_overdue]) == st.screening_overdue
        return st

    before = at(dt.timedelta(hours=23, minutes=59))
    assert before.screening_due_at == admitted + dt.timedelta(hours=24)
    assert not before.screening_overdue
    assert before.actions[0].startswith("Admission screening due by")
    after = at(dt.timedelta(hours=24, minutes=1))
    assert after.screening_overdue
    assert after.actions[0].startswith("Admission screening overdue since")


def test_a_screening_clears_the_due_list_and_is_recorded_once(db, depot, medic, warden):
    examine(db, medic, depot["agus"])
    with db.read() as uow:
        board = status.board(uow, warden)
        st = status.status_of(uow, warden, depot["agus"])
    assert depot["agus"] not in [r.detention_id for r in board.screening_due]
    assert depot["budi"] in [r.detention_id for r in board.screening_due]
    assert st.screened_at == NOW and not st.screening_overdue
    before = counts(db)
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["agus"])
    assert "already" in exc.value.fields["kind"] or "recorded on" in exc.value.fields["kind"]
    assert counts(db) == before


def test_the_screening_period_is_the_rule_in_force_on_the_admission_day(db, depot, warden):
    """A new period takes effect from its date; admissions before it keep the old one."""
    from db.models import LegalRule
    with db.write() as uow:
        old = uow.session.scalars(select(LegalRule).where(
            LegalRule.code == "medical.screening_within")).one()
        old.effective_to = dt.date(2026, 6, 13)
        uow.session.add(LegalRule(code=old.code, description=old.description, value="12",
                                  unit="hours", source="Standing order 4/2026",
                                  effective_from=dt.date(2026, 6, 14)))
        new_id = factories.detainee(uow, "Hasan Ali", admitted=NOW - dt.timedelta(hours=13))
    with db.read() as uow:
        got = status.statuses(uow, warden, [depot["agus"], new_id])
    assert got[depot["agus"]].screening_rule.startswith("24 hours")
    assert got[new_id].screening_rule == "12 hours: Standing order 4/2026"
    assert got[new_id].screening_overdue


# -- recording: every bad field named, nothing half-written --------------------------------

def test_bad_findings_and_outcome_are_named_and_nothing_is_written(db, depot, medic):
    before = counts(db)
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["citra"], examiner_reg_no=" ", findings=FindingsInput(
            pulse="abc", temperature_c="52", bp_systolic="120",
            injuries=(InjuryInput("", "Bruise 3 cm", True),), communicable=("plague",),
            pregnancy_weeks="12", mental_health="at_risk"),
            outcome=OutcomeInput(isolate=True, travel="fit", refer_hospital=True))
    f = exc.value.fields
    assert f["examiner_reg_no"] == "Examiner's registration no. is required"
    assert f["findings.pulse"] == "Pulse (per minute) must be a number"
    assert f["findings.temperature_c"] == "Temperature (°C) must be between 30 and 45"
    assert "both figures" in f["findings.bp_systolic"]
    assert f["findings.injuries[0].body_site"] == "Injury 1: where on the body is required"
    assert f["findings.injuries[0].explanation"] == "Injury 1: the detainee's account is required"
    assert "plague" in f["findings.communicable"]
    assert "only for a pregnancy" in f["findings.pregnancy_weeks"]
    assert "Mental health note" in f["findings.mental_health_note"]
    assert "isolation is required and a hospital referral is made" in f["outcome.travel"]
    assert f["outcome.fit_to_travel_until"] == "Fit to travel until: the date is required"
    assert f["outcome.hospital"] == "Hospital referred to is required"
    assert counts(db) == before


def test_pregnancy_is_refused_for_a_man_and_travel_runs_at_most_the_rule(db, depot, medic):
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["agus"], findings=FindingsInput(pregnancy="pregnant"),
                outcome=OutcomeInput(travel="fit",
                                     fit_to_travel_until=dt.date(2026, 6, 30)))
    assert "recorded as male" in exc.value.fields["findings.pregnancy"]
    assert "at most 14 days" in exc.value.fields["outcome.fit_to_travel_until"]


def test_not_examined_while_away_or_after_custody_ends(db, depot, medic, warden):
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["agus"], "court", "Mahkamah Kajang",
                                               "Production", version(db, depot["agus"])))
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["agus"])
    assert "out of the depot" in exc.value.fields["detention_id"]


def test_only_medical_staff_record_examinations(db, depot, clock):
    for username in ("admin", "clerk1", "warden1", "officer1"):
        with pytest.raises(PermissionDenied):
            examine(db, actor_for(db, username), depot["agus"])


# -- confidentiality ----------------------------------------------------------------------

@pytest.mark.parametrize("username", sorted(ALL_ROLES))
def test_findings_are_for_medical_staff_only(db, depot, medic, username):
    examine(db, medic, depot["agus"], findings=FindingsInput(
        medication=SECRET, communicable=("tb",),
        injuries=(InjuryInput("Left forearm", "Bruise 4 cm", False),)),
        outcome=OutcomeInput(isolate=True, special_diet="Soft diet"))
    actor = actor_for(db, username)
    with db.read() as uow:
        record = status.record_of(uow, actor, depot["agus"])
        detail = detainees.detail(uow, actor, depot["agus"])
    medical = ALL_ROLES[username] == Role.MEDICAL
    exam = record.exams[0]
    assert record.can_read_findings is medical
    # Every role sees the outcome and what to do about it ...
    assert exam.outcome.isolate and exam.outcome.special_diet == "Soft diet"
    assert "Isolation required: not yet in an isolation cell" in record.status.actions
    # ... and only medical staff the findings, wherever the record is read from.
    for seen in (exam, detail.medical.exams[0]):
        if medical:
            assert seen.findings.medication == SECRET
            assert seen.findings.communicable == ("tb",)
        else:
            assert seen.findings is None
    if not medical:
        assert SECRET not in repr(detail) and "Bruise" not in repr(detail)
        with pytest.raises(PermissionDenied):
            with db.read() as uow:
                outbreak.outbreak_list(uow, actor, "tb")


def test_the_audit_trail_keeps_a_digest_of_the_findings_not_the_findings(db, depot, medic):
    examine(db, medic, depot["agus"], findings=FindingsInput(medication=SECRET))
    with db.read() as uow:
        text = uow.session.scalar(select(AuditEvent.after).where(
            AuditEvent.action == "medical.exam"))
    assert SECRET not in text and "Methadone" not in text
    assert len(json.loads(text)["findings_sha256"]) == 64


# -- outcomes the depot acts on ------------------------------------------------------------

def test_an_isolate_outcome_drives_placement_into_medical_isolation(db, depot, medic, warden):
    with db.write() as uow:
        iso = factories.cell(uow, "Wad Perubatan", "WP-01", "medical_isolation", 2)
    # Before the outcome, the isolation cell is refused: no medical outcome requires it.
    with pytest.raises(ValidationError) as exc:
        with db.write() as uow:
            movements.move_to_cell(uow, warden, MoveRequest(
                depot["agus"], iso, "Isolation", version(db, depot["agus"])))
    assert "no medical outcome requires" in exc.value.fields["cell_id"]
    examine(db, medic, depot["agus"], findings=FindingsInput(communicable=("chickenpox",)),
            outcome=OutcomeInput(isolate=True))
    with db.read() as uow:
        choices = placement.choices_for(uow, warden, depot["agus"])
        board = status.board(uow, warden)
    assert choices[0].cell_id == iso and not choices[0].problems
    assert all(c.problems for c in choices if c.cell_id != iso)
    assert [r.note for r in board.isolation] == ["Not yet in an isolation cell"]
    # Another ordinary cell is now refused; the isolation cell is taken.
    with pytest.raises(ValidationError) as exc:
        with db.write() as uow:
            movements.move_to_cell(uow, warden, MoveRequest(
                depot["agus"], depot["A-02"], "Balance", version(db, depot["agus"])))
    assert "requires isolation" in exc.value.fields["cell_id"]
    with db.write() as uow:
        movements.move_to_cell(uow, warden, MoveRequest(
            depot["agus"], iso, "Isolation on the medical officer's word",
            version(db, depot["agus"])))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["agus"])
        board = status.board(uow, warden)
        dash = dashboard.dashboard(uow, warden)
    assert st.in_isolation_cell and "Isolation required" in st.actions
    assert [r.note for r in board.isolation] == ["In isolation"]
    assert dash.isolation_pending == 0
    # A later examination lifting isolation lets the warden move them back.
    examine(db, medic, depot["agus"], "follow_up", outcome=OutcomeInput(isolate=False))
    with db.write() as uow:
        movements.move_to_cell(uow, warden, MoveRequest(
            depot["agus"], depot["A-02"], "Cleared", version(db, depot["agus"])))


def _removal(db, actor, detention_id, when=None):
    with db.write() as uow:
        return departures.discharge(uow, actor, DischargeRequest(
            detention_id, "removal", "Removal order", "Removal by air",
            version(db, detention_id), document_ref="RO/2026/9",
            destination="Dhaka, flight BG 87", occurred_at=when))


def test_removal_needs_a_valid_fit_to_travel_outcome(db, depot, medic, clock):
    officer = actor_for(db, "officer1")
    with pytest.raises(ValidationError) as exc:
        _removal(db, officer, depot["eko"])
    assert "has not been examined" in exc.value.fields["fit_to_travel"]
    examine(db, medic, depot["eko"])  # a screening says nothing of travel
    with pytest.raises(ValidationError) as exc:
        _removal(db, officer, depot["eko"])
    assert "did not certify them fit to travel" in exc.value.fields["fit_to_travel"]
    examine(db, medic, depot["eko"], "travel",
            outcome=OutcomeInput(travel="unfit", unfit_reason="Under treatment until 20/06"))
    with pytest.raises(ValidationError) as exc:
        _removal(db, officer, depot["eko"])
    assert "unfit to travel" in exc.value.fields["fit_to_travel"]
    clock.advance(dt.timedelta(minutes=10))
    certify_fit(db, medic, depot["eko"], days=3)
    # Expired: the certificate ran until the 18th (local); removal on the 19th is refused.
    clock.advance(dt.timedelta(days=4))
    with pytest.raises(ValidationError) as exc:
        _removal(db, officer, depot["eko"])
    assert "ran until 18/06/2026" in exc.value.fields["fit_to_travel"]
    # Recorded after the fact, on a day the certificate ran: accepted.
    row = _removal(db, officer, depot["eko"], when=NOW + dt.timedelta(days=2)).value
    assert row.status == "removed"


def test_a_later_examination_replaces_a_fit_to_travel_outcome(db, depot, medic, clock):
    certify_fit(db, medic, depot["eko"])
    clock.advance(dt.timedelta(hours=2))
    examine(db, medic, depot["eko"], "request", outcome=OutcomeInput(isolate=True))
    with pytest.raises(ValidationError) as exc:
        _removal(db, actor_for(db, "officer1"), depot["eko"])
    assert "did not certify" in exc.value.fields["fit_to_travel"]


def test_a_referral_is_carried_out_by_the_outing_and_ends_with_the_return(
        db, depot, medic, warden, clock):
    examine(db, medic, depot["citra"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Kajang", urgency="urgent"))
    with db.read() as uow:
        board = status.board(uow, warden)
        dash = dashboard.dashboard(uow, warden)
    assert [r.note for r in board.referrals] == ["Hospital Kajang (urgent): awaiting "
                                                 "escort to hospital"]
    assert dash.referrals_pending == 1
    # A second referral while one is open is refused.
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["citra"], "request", outcome=OutcomeInput(
            refer_hospital=True, hospital="Hospital Serdang"))
    assert "still open" in exc.value.fields["outcome.refer_hospital"]
    clock.advance(dt.timedelta(hours=1))
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["citra"], "hospital", "Hospital Kajang",
                                               "Referred by the medical officer",
                                               version(db, depot["citra"])))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["citra"])
    assert st.referral.status == "out" and st.referral.out_at == NOW + dt.timedelta(hours=1)
    clock.advance(dt.timedelta(hours=5))
    with db.write() as uow:
        outings.come_back(uow, warden, ReturnRequest(depot["citra"],
                                                     version(db, depot["citra"])))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["citra"])
        ref = status.record_of(uow, warden, depot["citra"]).exams[0].outcome.referral
        board = status.board(uow, warden)
    assert st.referral is None and ref.status == "returned"
    assert ref.returned_at == NOW + dt.timedelta(hours=6)
    assert [r.note for r in board.follow_ups] == ["Back from Hospital Kajang: examine"]
    clock.advance(dt.timedelta(minutes=30))
    examine(db, medic, depot["citra"], "follow_up")
    with db.read() as uow:
        assert status.board(uow, warden).follow_ups == ()


def test_a_pending_referral_may_be_cancelled_and_a_departure_cancels_it(db, depot, medic,
                                                                          warden):
    examine(db, medic, depot["agus"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Serdang"))
    examine(db, medic, depot["budi"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Serdang"))
    with db.read() as uow:
        ref = status.status_of(uow, warden, depot["agus"]).referral
    with pytest.raises(PermissionDenied):
        with db.write() as uow:
            referrals.cancel_referral(uow, warden, ref.id, ref.version, "No longer needed")
    with pytest.raises(ValidationError) as exc:
        with db.write() as uow:
            referrals.cancel_referral(uow, medic, ref.id, ref.version, " ")
    assert exc.value.fields == {"reason": "Reason for cancelling is required"}
    with db.write() as uow:
        referrals.cancel_referral(uow, medic, ref.id, ref.version, "Treated in the depot")
    with db.write() as uow:
        departures.discharge(uow, warden, DischargeRequest(
            depot["budi"], "release", "Director", "Released", version(db, depot["budi"])))
    with db.read() as uow:
        got = dict(uow.session.execute(select(MedicalReferral.detention_id,
                                              MedicalReferral.status)).all())
    assert got == {depot["agus"]: "cancelled", depot["budi"]: "cancelled"}


def test_follow_ups_fall_due_at_their_time(db, depot, medic, warden, clock):
    examine(db, medic, depot["agus"], outcome=OutcomeInput(
        next_due_at=NOW + dt.timedelta(days=2), instructions="Dressing changed daily"))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["agus"])
    assert not st.follow_up_overdue and "Instructions: Dressing changed daily" in st.actions
    clock.advance(dt.timedelta(days=2, minutes=1))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["agus"])
        board = status.board(uow, warden)
    assert st.follow_up_overdue
    assert [(r.detention_id, r.overdue) for r in board.follow_ups] == [(depot["agus"], True)]


def test_the_outbreak_list_names_the_flagged_in_one_block(db, depot, medic):
    examine(db, medic, depot["agus"], findings=FindingsInput(communicable=("scabies",)))
    examine(db, medic, depot["citra"], findings=FindingsInput(communicable=("scabies", "tb")))
    examine(db, medic, depot["budi"], findings=FindingsInput(communicable=("tb",)))
    with db.read() as uow:
        block_a = outbreak.outbreak_list(uow, medic, "scabies", "A")
        everywhere = outbreak.outbreak_list(uow, medic, "scabies")
    assert [r.detention_id for r in block_a.rows] == [depot["agus"]]
    assert block_a.block_name == "Blok A" and block_a.condition_label == "Scabies"
    assert {r.detention_id for r in everywhere.rows} == {depot["agus"], depot["citra"]}
    # The latest examination governs: cleared, Agus leaves the list.
    examine(db, medic, depot["agus"], "follow_up")
    with db.read() as uow:
        assert outbreak.outbreak_list(uow, medic, "scabies", "A").rows == ()
        with pytest.raises(ValidationError) as exc:
            outbreak.outbreak_list(uow, medic, "scabies", "Z")
    assert exc.value.fields == {"block": "There is no block Z here"}


def test_examination_defaults_carry_the_examiner_and_the_outcome_forward(db, depot, medic):
    with db.read() as uow:
        first = exams.exam_defaults(uow, medic, depot["agus"])
    assert first.kind == "screening" and first.examiner_reg_no == ""
    assert first.fit_to_travel_max_days == 14
    examine(db, medic, depot["agus"], outcome=OutcomeInput(isolate=True,
                                                          special_diet="Soft diet"))
    with db.read() as uow:
        then = exams.exam_defaults(uow, medic, depot["agus"])
    assert then.kind == "periodic" and then.examiner_reg_no == "MMC 58213"
    assert then.outcome.isolate and then.outcome.special_diet == "Soft diet"


# -- the command line, and amending the rule ----------------------------------------------

def test_medical_lists_and_rules_on_the_command_line(db, depot, medic, monkeypatch, capsys):
    from depot_app.cli.main import main
    examine(db, medic, depot["agus"], outcome=OutcomeInput(isolate=True))
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", "correct horse 1")
    assert main(["--db", db.url, "medical", "due", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["screening_due"]) == 4 and all(r["overdue"] for r in data["screening_due"])
    assert [r["detainee_no"] for r in data["isolation"]] != []
    assert main(["--db", db.url, "rules", "set", "medical.screening_within", "12",
                 "--from", "2031-07-01", "--source", "Standing order 4/2031"]) == 3
    capsys.readouterr()
    monkeypatch.setenv("DEPOT_USER", "admin")
    for value, words in (("half a day", "whole number of hours from 1 to 8784"),
                         ("500000000", "whole number of hours from 1 to 8784"),
                         ("²", "whole number of hours")):
        assert main(["--db", db.url, "rules", "set", "medical.screening_within", value,
                     "--from", "2031-07-01", "--source", "Standing order 4/2031"]) == 1
        assert words in capsys.readouterr().err
    # A new value never reaches back: not from today, nor from a day gone.
    today = dt.datetime.now(MYT).date()
    assert main(["--db", db.url, "rules", "set", "medical.screening_within", "12",
                 "--from", today.isoformat(), "--source", "Standing order 4/2031"]) == 1
    assert "or later: a new value does not change deadlines" in capsys.readouterr().err
    assert main(["--db", db.url, "rules", "set", "medical.screening_within", "12",
                 "--from", "2031-07-01", "--source", "Standing order 4/2031"]) == 0
    capsys.readouterr()
    assert main(["--db", db.url, "rules", "list", "--on", "2031-07-01", "--json"]) == 0
    in_force = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert in_force["medical.screening_within"]["value"] == "12"
    assert in_force["medical.screening_within"]["source"] == "Standing order 4/2031"
    with db.read() as uow:  # admissions before the change keep the 24 hours
        st = status.status_of(uow, medic, depot["budi"])
    assert st.screening_due_at == st.admitted_at + dt.timedelta(hours=24)


def test_a_detention_from_before_the_first_rule_is_held_to_the_first_rule(db, warden):
    admitted = dt.datetime(2019, 4, 2, 8, 0, tzinfo=dt.UTC)
    db.clock = FixedClock(admitted + dt.timedelta(hours=30))
    with db.write() as uow:
        d_id = factories.detainee(uow, "Karim Uddin", admitted=admitted)
    with db.read() as uow:
        st = status.status_of(uow, warden, d_id)
    assert st.screening_due_at == admitted + dt.timedelta(hours=24) and st.screening_overdue


def test_an_examination_dated_before_the_latest_is_refused_not_silently_ignored(
        db, depot, medic, warden, clock):
    """The latest examination governs: one typed in late from paper, dated before it,
    would change nothing (an isolation that never takes effect). It is refused."""
    examine(db, medic, depot["agus"], examined_at=NOW - dt.timedelta(hours=1))
    before = counts(db)
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["agus"], "request", examined_at=NOW - dt.timedelta(hours=2),
                outcome=OutcomeInput(isolate=True))
    assert "before the latest one on record" in exc.value.fields["examined_at"]
    assert counts(db) == before
    examine(db, medic, depot["agus"], "request", outcome=OutcomeInput(isolate=True))
    with db.read() as uow:
        st = status.status_of(uow, warden, depot["agus"])
    assert st.isolate and st.screened_at == NOW - dt.timedelta(hours=1)


def test_a_detainee_who_leaves_custody_leaves_the_medical_lists(db, depot, medic, warden):
    examine(db, medic, depot["budi"], outcome=OutcomeInput(
        isolate=True, next_due_at=NOW + dt.timedelta(days=1)))
    with db.write() as uow:
        departures.discharge(uow, warden, DischargeRequest(
            depot["budi"], "release", "Director", "Released", version(db, depot["budi"])))
    with db.read() as uow:
        board = status.board(uow, warden)
        st = status.status_of(uow, warden, depot["budi"])
    listed = [r.detention_id for key in ("screening_due", "follow_ups", "isolation",
                                         "referrals", "travel") for r in getattr(board, key)]
    assert depot["budi"] not in listed
    assert st.isolate and not st.held and not st.follow_up_overdue  # the record stays


def test_typed_control_characters_and_odd_digits_are_field_errors(db, depot, medic):
    before = counts(db)
    with pytest.raises(ValidationError) as exc:
        examine(db, medic, depot["citra"], findings=FindingsInput(
            medication="Methadone\x00 40 mg", pregnancy="pregnant", pregnancy_weeks="²"))
    assert "control character" in exc.value.fields["findings.medication"]
    assert "whole number from 1 to 45" in exc.value.fields["findings.pregnancy_weeks"]
    assert counts(db) == before


def test_the_audit_digest_is_salted(db, depot, medic):
    """The same coded answers for two detainees give two digests: trying every combination
    does not recover the findings from the audit trail."""
    same = FindingsInput(tb_symptoms=("cough", "fever"), communicable=("tb",))
    examine(db, medic, depot["agus"], findings=same)
    examine(db, medic, depot["budi"], findings=same)
    with db.read() as uow:
        digests = [json.loads(a)["findings_sha256"] for a in uow.session.scalars(
            select(AuditEvent.after).where(AuditEvent.action == "medical.exam"))]
    assert len(set(digests)) == 2


def test_no_fit_to_travel_while_a_referral_is_open(db, depot, medic):
    examine(db, medic, depot["eko"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Kajang", urgency="urgent"))
    with pytest.raises(ValidationError) as exc:
        certify_fit(db, medic, depot["eko"])
    assert "while the referral to Hospital Kajang is open" in exc.value.fields["outcome.travel"]


def test_a_trip_to_hospital_without_a_referral_is_examined_on_return(
        db, depot, medic, warden, clock):
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["budi"], "hospital", "Hospital Serdang",
                                               "Collapsed in the cell: emergency",
                                               version(db, depot["budi"])))
    with db.read() as uow:
        board = status.board(uow, warden)
    assert [r.note for r in board.referrals] == ["Hospital Serdang (no referral): at hospital"]
    clock.advance(dt.timedelta(hours=8))
    with db.write() as uow:
        outings.come_back(uow, warden, ReturnRequest(depot["budi"], version(db, depot["budi"])))
    with db.read() as uow:
        board = status.board(uow, warden)
    assert [r.note for r in board.follow_ups] == ["Back from Hospital Serdang: examine"]
    clock.advance(dt.timedelta(minutes=20))
    examine(db, medic, depot["budi"])
    with db.read() as uow:
        assert status.board(uow, warden).follow_ups == ()


def test_a_departure_closes_a_referral_carried_out(db, depot, medic, warden, clock):
    examine(db, medic, depot["agus"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Kajang", urgency="emergency"))
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["agus"], "hospital", "Hospital Kajang",
                                               "Referral", version(db, depot["agus"])))
    with db.write() as uow:  # absconded from the ward
        departures.abscond(uow, warden, departures.AbscondRequest(
            depot["agus"], version(db, depot["agus"]), "Missing from the ward at 02:00"))
    with db.read() as uow:
        assert uow.session.scalar(select(MedicalReferral.status)) == "closed"


def test_the_dashboard_summary_counts_what_the_lists_flag(db, depot, medic, warden, clock):
    """The dashboard counts in the database what the Medical page's lists flag one by one:
    the two must agree."""
    examine(db, medic, depot["agus"], outcome=OutcomeInput(isolate=True))
    examine(db, medic, depot["budi"], outcome=OutcomeInput(
        refer_hospital=True, hospital="Hospital Kajang", urgency="urgent"))
    examine(db, medic, depot["citra"], outcome=OutcomeInput(
        next_due_at=NOW + dt.timedelta(hours=1)))
    with db.write() as uow:
        outings.go_out(uow, warden, OutRequest(depot["dewi"], "hospital", "Hospital Serdang",
                                               "Fainted", version(db, depot["dewi"])))
    clock.advance(dt.timedelta(hours=2))
    with db.write() as uow:
        outings.come_back(uow, warden, ReturnRequest(depot["dewi"], version(db, depot["dewi"])))
    with db.read() as uow:
        board = status.board(uow, warden)
        got = status.summary(uow, warden)
    assert [r.detention_id for r in got.screenings_overdue] == \
        [r.detention_id for r in board.screening_due if r.overdue] == [depot["dewi"], depot["eko"]]
    assert got.isolation_pending == sum(r.overdue for r in board.isolation) == 1
    assert got.referrals_pending == sum(r.overdue for r in board.referrals) == 1
    assert got.follow_ups_overdue == sum(r.overdue for r in board.follow_ups) == 2
