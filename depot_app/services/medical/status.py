"""Where detainees stand medically: outcomes only, for every member of staff.

The latest examination governs every outcome (isolation, diet, fitness to travel,
follow-up); the admission screening is due within the rule's period of the admission
(``medical.screening_within``, read for the day of admission) and is overdue the moment
after. Findings are read here only for an actor holding
``Permission.READ_MEDICAL_FINDINGS``: everyone else gets ``ExamView.findings = None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from db.models import (
    Block,
    Cell,
    Detention,
    MedicalCondition,
    MedicalCurrent,
    MedicalExam,
    MedicalFindings,
    MedicalInjury,
    MedicalReferral,
    Movement,
    Person,
    User,
)
from depot_app.actor import Actor, Permission
from depot_app.clock import MYT, format_local
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound
from depot_app.services import rules
from depot_app.services.medical.views import (
    BoardRow,
    ExamOutcome,
    ExamView,
    FindingsView,
    InjuryView,
    MedicalBoard,
    MedicalRecordView,
    MedicalStatus,
    MedicalSummary,
    ReferralView,
)
from depot_app.services.medical.vocab import (
    EXAM_KINDS,
    EXAMINER_KINDS,
    REFERRAL_STATES,
    TRAVEL,
    URGENCY,
)
from depot_app.services.places import held_location
from depot_app.services.rules import Rule
from depot_app.services.setup import current_depot

__all__ = ["board", "exam_view", "fit_to_travel_problem", "isolation_required",
           "latest_exam_ids", "record_of", "status_of", "statuses", "summary"]

ISOLATION = "medical_isolation"
SCREENING_RULE = "medical.screening_within"
OPEN_REFERRAL = ("pending", "out")


def _day(value: dt.datetime) -> str:
    return value.astimezone(MYT).strftime("%d/%m/%Y")


class _Rules:
    """The screening rule for each admission day: every version read once."""

    def __init__(self, uow: UnitOfWork):
        self.found = rules.versions(uow, SCREENING_RULE)
        self.by_day: dict[dt.date, Rule] = {}

    def due(self, admitted_at: dt.datetime) -> tuple[dt.datetime, Rule]:
        day = admitted_at.astimezone(MYT).date()
        r = self.by_day.get(day)
        if r is None:
            r = rules.in_force(self.found, day)
            if r is None and self.found and day < self.found[0].effective_from:
                # Admitted before the first standing order: held to the first one rather
                # than to none (a record from before the rules must still show).
                r = self.found[0]
            if r is None:
                raise NotFound(f"legal rule in force on {day.isoformat()}:", SCREENING_RULE)
            self.by_day[day] = r
        return admitted_at + r.period(), r


def urgency_words(urgency: str) -> str:
    """In a list's note: "urgent", or that the trip had no referral."""
    return urgency or "no referral"


def _referral(ref: MedicalReferral, referred_at, out_at, back_at) -> ReferralView:
    return ReferralView(
        id=ref.id, version=ref.version, exam_id=ref.exam_id, detention_id=ref.detention_id,
        hospital=ref.hospital, urgency=ref.urgency,
        urgency_label=URGENCY.get(ref.urgency, "No referral (taken to hospital)"),
        status=ref.status,
        status_label=REFERRAL_STATES.get(ref.status, ref.status), referred_at=referred_at,
        out_at=out_at, returned_at=back_at)


def _referrals(uow: UnitOfWork, where) -> list[ReferralView]:
    """Referrals with when they were made (a trip without one: when it left), went out and
    came back."""
    out_m, back_m = aliased(Movement), aliased(Movement)
    rows = uow.session.execute(
        select(MedicalReferral, MedicalExam.examined_at, out_m.occurred_at, back_m.occurred_at)
        .outerjoin(MedicalExam, MedicalExam.id == MedicalReferral.exam_id)
        .outerjoin(out_m, out_m.id == MedicalReferral.out_movement_id)
        .outerjoin(back_m, back_m.id == MedicalReferral.return_movement_id)
        .where(where))
    return [_referral(ref, at or out_at, out_at, back_at) for ref, at, out_at, back_at in rows]


def _outcome(exam: MedicalExam, recorded_by: str, referral: ReferralView | None) -> ExamOutcome:
    return ExamOutcome(
        id=exam.id, detention_id=exam.detention_id, kind=exam.kind,
        kind_label=EXAM_KINDS.get(exam.kind, exam.kind), examined_at=exam.examined_at,
        examiner_name=exam.examiner_name, examiner_reg_no=exam.examiner_reg_no,
        examiner_kind=exam.examiner_kind,
        examiner_kind_label=EXAMINER_KINDS.get(exam.examiner_kind, exam.examiner_kind),
        fit_for_detention=exam.fit_for_detention, isolate=exam.isolate,
        refer_hospital=exam.refer_hospital, special_diet=exam.special_diet, travel=exam.travel,
        travel_label=TRAVEL.get(exam.travel, exam.travel),
        fit_to_travel_until=exam.fit_to_travel_until, unfit_reason=exam.unfit_reason,
        instructions=exam.instructions, next_due_at=exam.next_due_at, recorded_by=recorded_by,
        recorded_at=exam.recorded_at, referral=referral)


def _findings(uow: UnitOfWork, exam_ids: list[int]) -> dict[int, FindingsView]:
    s = uow.session
    if not exam_ids:
        return {}
    injuries: dict[int, list[InjuryView]] = {}
    for inj in s.scalars(select(MedicalInjury).where(MedicalInjury.exam_id.in_(exam_ids))
                         .order_by(MedicalInjury.id)):
        injuries.setdefault(inj.exam_id, []).append(
            InjuryView(inj.body_site, inj.description, inj.explained, inj.explanation))
    conditions: dict[int, list[str]] = {}
    for exam_id, code in s.execute(select(MedicalCondition.exam_id, MedicalCondition.code)
                                   .where(MedicalCondition.exam_id.in_(exam_ids))):
        conditions.setdefault(exam_id, []).append(code)
    out = {}
    for f in s.scalars(select(MedicalFindings).where(MedicalFindings.exam_id.in_(exam_ids))):
        out[f.exam_id] = FindingsView(
            temperature_c=f.temperature_c, pulse=f.pulse, resp_rate=f.resp_rate,
            bp_systolic=f.bp_systolic, bp_diastolic=f.bp_diastolic, spo2=f.spo2,
            weight_kg=f.weight_kg, height_cm=f.height_cm,
            tb_symptoms=tuple(c for c in f.tb_symptoms.split(",") if c),
            chest_xray=f.chest_xray, chest_xray_note=f.chest_xray_note,
            communicable=tuple(sorted(conditions.get(f.exam_id, ()))), pregnancy=f.pregnancy,
            pregnancy_weeks=f.pregnancy_weeks, chronic_conditions=f.chronic_conditions,
            medication=f.medication, allergies=f.allergies, mental_health=f.mental_health,
            mental_health_note=f.mental_health_note, notes=f.notes,
            injuries=tuple(injuries.get(f.exam_id, ())))
    return out


def _exams(uow: UnitOfWork, actor: Actor, where) -> list[ExamView]:
    recorder = aliased(User)
    rows = uow.session.execute(
        select(MedicalExam, recorder.full_name)
        .outerjoin(recorder, recorder.id == MedicalExam.recorded_by_id).where(where)
        .order_by(MedicalExam.examined_at.desc(), MedicalExam.id.desc())).all()
    ids = [exam.id for exam, _ in rows]
    referrals = {r.exam_id: r for r in _referrals(uow, MedicalReferral.exam_id.in_(ids))} \
        if ids else {}
    # Confidentiality is decided here, once: findings are read only for medical staff.
    findings = _findings(uow, ids) if actor.can(Permission.READ_MEDICAL_FINDINGS) else {}
    return [ExamView(_outcome(exam, who or "", referrals.get(exam.id)), findings.get(exam.id))
            for exam, who in rows]


def exam_view(uow: UnitOfWork, actor: Actor, exam_id: int) -> ExamView:
    actor.require(Permission.VIEW_DETAINEES)
    found = _exams(uow, actor, MedicalExam.id == exam_id)
    if not found:
        raise NotFound("medical examination", exam_id)
    return found[0]


def latest_exam_ids(detention_ids):
    """A subquery of the ids of these detentions' latest examinations (by time examined,
    then as recorded; kept in ``MedicalCurrent``): the one every outcome is read from.
    ``detention_ids`` is a list or a select of ids."""
    return select(MedicalCurrent.exam_id).where(MedicalCurrent.detention_id.in_(detention_ids))


def _latest_exams(uow: UnitOfWork, detention_ids) -> dict[int, MedicalExam]:
    return {e.detention_id: e for e in uow.session.scalars(
        select(MedicalExam).join(MedicalCurrent, MedicalCurrent.exam_id == MedicalExam.id)
        .where(MedicalCurrent.detention_id.in_(detention_ids)))}


def _actions(st: MedicalStatus) -> tuple[str, ...]:
    """What staff must do about this detainee, in words fit for every role."""
    words: list[str] = []
    if st.held and st.screened_at is None:
        words.append(f"Admission screening overdue since {format_local(st.screening_due_at)}"
                     if st.screening_overdue
                     else f"Admission screening due by {format_local(st.screening_due_at)}")
    if st.fit_for_detention is False:
        words.append("Not fit for detention")
    if st.isolate:
        words.append("Isolation required" + ("" if st.in_isolation_cell or not st.held
                                             else ": not yet in an isolation cell"))
    if st.referral is not None:
        words.append(f"Referred to {st.referral.hospital} "
                     f"({urgency_words(st.referral.urgency)})"
                     f": {st.referral.status_label}")
    if st.special_diet:
        words.append(f"Special diet: {st.special_diet}")
    today = st.as_of.astimezone(MYT).date()
    if st.travel == "fit" and st.fit_to_travel_until is not None:
        words.append(f"Fit to travel until {st.fit_to_travel_until:%d/%m/%Y}"
                     if st.fit_to_travel_until >= today else
                     f"Fit-to-travel certificate expired on {st.fit_to_travel_until:%d/%m/%Y}")
    elif st.travel == "unfit":
        words.append(f"Unfit to travel: {st.unfit_reason}")
    if st.held and st.next_due_at is not None:
        words.append(f"Next examination overdue since {format_local(st.next_due_at)}"
                     if st.follow_up_overdue
                     else f"Next examination due {format_local(st.next_due_at)}")
    if st.instructions:
        words.append(f"Instructions: {st.instructions}")
    return tuple(words)


def statuses(uow: UnitOfWork, actor: Actor, detention_ids: Iterable[int]) -> dict[int, MedicalStatus]:
    """The medical status of each of these detentions (outcomes only)."""
    actor.require(Permission.VIEW_DETAINEES)
    ids = list(dict.fromkeys(detention_ids))
    if not ids:
        return {}
    s = uow.session
    now = uow.now()
    screening = _Rules(uow)
    held = {d_id: (admitted, status, category) for d_id, admitted, status, category in s.execute(
        select(Detention.id, Detention.admitted_at, Detention.status, Cell.category)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id).where(Detention.id.in_(ids)))}
    screened = dict(s.execute(
        select(MedicalCurrent.detention_id, MedicalCurrent.screened_at)
        .where(MedicalCurrent.detention_id.in_(ids))).all())
    latest = _latest_exams(uow, ids)
    open_refs = {r.detention_id: r for r in _referrals(
        uow, (MedicalReferral.detention_id.in_(ids))
        & MedicalReferral.status.in_(OPEN_REFERRAL))}
    out: dict[int, MedicalStatus] = {}
    for d_id in ids:
        if d_id not in held:
            continue
        admitted, status, category = held[d_id]
        due, r = screening.due(admitted)
        e = latest.get(d_id)
        st = MedicalStatus(
            detention_id=d_id, held=status == "in_custody", admitted_at=admitted,
            screening_due_at=due, screening_rule=f"{r.words()}: {r.source}",
            screened_at=screened.get(d_id), last_exam_id=e.id if e else None,
            last_exam_at=e.examined_at if e else None,
            fit_for_detention=e.fit_for_detention if e else None,
            isolate=bool(e and e.isolate), special_diet=e.special_diet if e else "",
            travel=e.travel if e else "not_assessed",
            fit_to_travel_until=e.fit_to_travel_until if e else None,
            unfit_reason=e.unfit_reason if e else "", instructions=e.instructions if e else "",
            next_due_at=e.next_due_at if e else None, referral=open_refs.get(d_id),
            in_isolation_cell=category == ISOLATION, as_of=now, actions=())
        out[d_id] = _with_actions(st)
    return out


def _with_actions(st: MedicalStatus) -> MedicalStatus:
    return replace(st, actions=_actions(st))


def status_of(uow: UnitOfWork, actor: Actor, detention_id: int) -> MedicalStatus:
    found = statuses(uow, actor, [detention_id])
    if detention_id not in found:
        raise NotFound("detention", detention_id)
    return found[detention_id]


def record_of(uow: UnitOfWork, actor: Actor, detention_id: int) -> MedicalRecordView:
    """A detainee's medical record: findings only for medical staff."""
    status = status_of(uow, actor, detention_id)
    return MedicalRecordView(
        status=status, exams=tuple(_exams(uow, actor, MedicalExam.detention_id == detention_id)),
        can_read_findings=actor.can(Permission.READ_MEDICAL_FINDINGS),
        can_record=actor.can(Permission.RECORD_MEDICAL))


def isolation_required(uow: UnitOfWork, detention_id: int) -> bool:
    """Whether the latest examination requires this detainee to be isolated (placement)."""
    latest = _latest_exams(uow, [detention_id]).get(detention_id)
    return bool(latest and latest.isolate)


def fit_to_travel_problem(uow: UnitOfWork, detention: Detention, when: dt.datetime) -> str:
    """Why the detainee may not travel at ``when`` (empty: a valid fit-to-travel outcome,
    the latest examination before then, runs to that day)."""
    latest = uow.session.scalars(
        select(MedicalExam).where(MedicalExam.detention_id == detention.id,
                                  MedicalExam.examined_at <= when)
        .order_by(MedicalExam.examined_at.desc(), MedicalExam.id.desc()).limit(1)).first()
    number = detention.detainee_no
    day = when.astimezone(MYT).date()
    if latest is None:
        return (f"Detainee {number} has not been examined: removal needs a fit-to-travel "
                f"outcome from medical staff")
    if latest.travel == "fit" and latest.fit_to_travel_until is not None:
        if latest.fit_to_travel_until >= day:
            return ""
        return (f"Detainee {number}'s fit-to-travel certificate ran until "
                f"{latest.fit_to_travel_until:%d/%m/%Y}: ask medical staff to examine them again")
    if latest.travel == "unfit":
        return (f"Detainee {number} was found unfit to travel on {_day(latest.examined_at)} "
                f"({latest.unfit_reason})")
    return (f"Detainee {number}'s latest examination ({_day(latest.examined_at)}) did not "
            f"certify them fit to travel: removal needs a fit-to-travel outcome")


# -- the board ----------------------------------------------------------------------------

def _held(uow: UnitOfWork, *extra, via=None):
    """Who is held here, as the columns a list row needs (no ORM objects: the lists can
    hold thousands). ``via`` adds the joins that narrow the held to a list's few; they
    come before the person and cell joins, so SQLite narrows first and reads a person
    only for a row on the list (bench/bench_medical.py)."""
    stmt = select(Detention.id, Detention.detainee_no, Detention.away_reason, Person.full_name, Person.sex, Person.nationality,
                  Cell.code, Cell.category, Block.name, *extra).select_from(Detention)
    if via is not None:
        stmt = via(stmt)
    return (stmt.join(Person, Person.id == Detention.person_id)
            .outerjoin(Cell, Cell.id == Detention.current_cell_id)
            .outerjoin(Block, Block.id == Cell.block_id)
            .where(Detention.status == "in_custody",
                   Detention.depot_id == current_depot(uow).id))


def _row(h, when, note: str, overdue: bool) -> BoardRow:
    return BoardRow(h.id, h.detainee_no, h.full_name, h.sex, h.nationality,
                    held_location(h.away_reason, h.code, h.name), when, note, overdue)


def _unscreened(uow: UnitOfWork, now: dt.datetime) -> list[BoardRow]:
    """The held not yet screened, each with the due time of the rule for their admission
    day."""
    screening_rule = _Rules(uow)
    rows = []
    for h in uow.session.execute(_held(uow, Detention.admitted_at, via=lambda q: q.outerjoin(
            MedicalCurrent, MedicalCurrent.detention_id == Detention.id))
            .where(MedicalCurrent.screened_at.is_(None))):
        due, _ = screening_rule.due(h.admitted_at)
        rows.append(_row(h, due, "Overdue" if now > due else "Due", now > due))
    return rows


def summary(uow: UnitOfWork, actor: Actor) -> MedicalSummary:
    """What the dashboard shows of the lists: the overdue screenings by name and the
    other lists' calls to act as counts (counted in the database: the dashboard refreshes
    on every change)."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    now = uow.now()
    overdue = sorted((r for r in _unscreened(uow, now) if r.overdue),
                     key=lambda r: (r.when, r.detainee_no))
    held = (Detention.status == "in_custody", Detention.depot_id == current_depot(uow).id)
    listed = (select(func.count()).select_from(MedicalCurrent)
              .join(Detention, Detention.id == MedicalCurrent.detention_id)
              .join(MedicalExam, MedicalExam.id == MedicalCurrent.exam_id)
              .where(*held, MedicalCurrent.on_lists))
    not_isolated = s.scalar(listed.outerjoin(Cell, Cell.id == Detention.current_cell_id)
                            .where(MedicalExam.isolate,
                                   or_(Cell.category.is_(None), Cell.category != ISOLATION)))
    late = s.scalar(listed.where(MedicalExam.next_due_at < now))
    referrals = dict(s.execute(
        select(MedicalReferral.status, func.count()).join(
            Detention, Detention.id == MedicalReferral.detention_id)
        .where(*held, MedicalReferral.status.in_(("pending", "returned")))
        .group_by(MedicalReferral.status)).all())
    return MedicalSummary(now, tuple(overdue), not_isolated or 0,
                          referrals.get("pending", 0),
                          (late or 0) + referrals.get("returned", 0))


def board(uow: UnitOfWork, actor: Actor) -> MedicalBoard:
    """The depot's medical lists: screenings due, follow-ups, isolation, referrals and
    fitness to travel (outcomes only: every role may read them). Read from
    ``MedicalCurrent``: the held not yet screened, and those whose latest examination puts
    them on a list."""
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    now = uow.now()
    today = now.astimezone(MYT).date()
    screening = _unscreened(uow, now)
    listed = _held(uow, MedicalExam.examined_at, MedicalExam.next_due_at, MedicalExam.isolate,
                   MedicalExam.travel, MedicalExam.fit_to_travel_until, MedicalExam.unfit_reason,
                   via=lambda q: q.join(MedicalCurrent,
                                        MedicalCurrent.detention_id == Detention.id)
                   .join(MedicalExam, MedicalExam.id == MedicalCurrent.exam_id)) \
        .where(MedicalCurrent.on_lists)
    follow, isolation, travel = [], [], []
    for h in s.execute(listed):
        if h.next_due_at is not None:
            late = now > h.next_due_at
            follow.append(_row(h, h.next_due_at, "Overdue" if late else "Due", late))
        if h.isolate:
            isolated = h.category == ISOLATION
            isolation.append(_row(h, h.examined_at, "In isolation" if isolated
                                  else "Not yet in an isolation cell", not isolated))
        if h.travel == "fit" and h.fit_to_travel_until is not None:
            ran_out = h.fit_to_travel_until < today
            until = dt.datetime.combine(h.fit_to_travel_until, dt.time(), MYT)
            travel.append(_row(h, until, "Certificate expired" if ran_out
                               else "Fit to travel until", ran_out))
        elif h.travel == "unfit":
            travel.append(_row(h, h.examined_at, f"Unfit to travel: {h.unfit_reason}", False))
    referrals = []
    for h in s.execute(_held(uow, MedicalReferral.hospital, MedicalReferral.urgency,
                             MedicalReferral.status,
                             func.coalesce(MedicalExam.examined_at, Movement.occurred_at)
                             .label("referred_at"),
                             via=lambda q: q.join(MedicalReferral,
                                                  MedicalReferral.detention_id == Detention.id)
                             .outerjoin(MedicalExam, MedicalExam.id == MedicalReferral.exam_id)
                             .outerjoin(Movement,
                                        Movement.id == MedicalReferral.out_movement_id))
                       .where(MedicalReferral.status.in_(OPEN_REFERRAL))):
        referrals.append(_row(h, h.referred_at, f"{h.hospital} ({urgency_words(h.urgency)}): "
                                                f"{REFERRAL_STATES.get(h.status, h.status)}",
                              h.status == "pending"))  # waiting: someone must act
    for h in s.execute(_held(uow, MedicalReferral.hospital, Movement.occurred_at,
                             via=lambda q: q.join(MedicalReferral,
                                                  MedicalReferral.detention_id == Detention.id)
                             .join(Movement, Movement.id == MedicalReferral.return_movement_id))
                       .where(MedicalReferral.status == "returned")):
        follow.append(_row(h, h.occurred_at, f"Back from {h.hospital}: examine", True))
    screening.sort(key=lambda r: (r.when, r.detainee_no))
    follow.sort(key=lambda r: (r.when, r.detainee_no))
    isolation.sort(key=lambda r: (not r.overdue, r.when, r.detainee_no))
    referrals.sort(key=lambda r: (not r.overdue, r.when, r.detainee_no))
    travel.sort(key=lambda r: (r.when, r.detainee_no))
    return MedicalBoard(now, tuple(screening), tuple(follow), tuple(isolation),
                        tuple(referrals), tuple(travel))
