"""Medical examinations for tests: a medical officer, and the examination a removal needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from depot_app.clock import MYT
from depot_app.services.medical import exams
from depot_app.services.medical.exams import ExamRequest, FindingsInput, OutcomeInput
from tests.test_admission import actor_for


@pytest.fixture
def medic(db, clock):
    return actor_for(db, "medical1")


def exam_request(detention_id: int, kind: str = "screening", *,
                 findings: FindingsInput | None = None, outcome: OutcomeInput | None = None,
                 **changes) -> ExamRequest:
    base = ExamRequest(detention_id, kind, "Dr. Priya a/p Ramasamy", "MMC 58213", "gmo",
                       findings or FindingsInput(), outcome or OutcomeInput())
    return replace(base, **changes)


def examine(db, actor, detention_id: int, kind: str = "screening", **changes):
    with db.write() as uow:
        return exams.record_exam(uow, actor, exam_request(detention_id, kind, **changes)).value


def certify_fit(db, actor, detention_id: int, at: dt.datetime | None = None, days: int = 7):
    """A fit-to-travel examination (now, or at ``at``) valid for ``days`` days."""
    with db.read() as uow:
        now = uow.now()
    when = at or now
    until = when.astimezone(MYT).date() + dt.timedelta(days=days)
    return examine(db, actor, detention_id, "travel", examined_at=at,
                   outcome=OutcomeInput(travel="fit", fit_to_travel_until=until))
