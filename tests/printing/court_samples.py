"""Realistic read models for the court forms (production list, detention order record,
authority history), built without a database, and a court's day set up in one (with
photos) for the print jobs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sqlalchemy import select

from db.models import Detention, Photo
from depot_app.authority import Period
from depot_app.clock import MYT
from depot_app.demo.photos import silhouette_jpeg
from depot_app.services.court.views import (
    AuthorityHistory,
    DeadlineRow,
    HistoryStage,
    JourneyView,
    OrderView,
    ProductionList,
    ProductionView,
)
from tests.court_fixtures import KAJANG, held, order, scheduled
from tests.printing.custody_samples import COUNT_NAMES, LONG_NAME, custody_detail, photo

DAY = dt.date(2026, 11, 25)  # a Wednesday
AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=MYT)
ARRESTED = dt.datetime(2026, 11, 20, 22, 30, tzinfo=MYT)  # custody_detail's arrest
ORDER_NO = "MA-KJG-83-118/2026"
MAGISTRATE = "Puan Nur Aisyah binti Omar"
BANGI = "Mahkamah Majistret Bangi"
NATIONALITIES = ("MMR", "IDN", "BGD", "VNM", "NPL", "PHL")


def production(i: int = 0, **changes) -> ProductionView:
    """The ``i``-th on the list: every third after their authority has run out, every
    other one without a photo, the third with the longest name."""
    names = (*COUNT_NAMES, LONG_NAME)
    values = dict(
        id=500 + i, version=1, detention_id=100 + i, detainee_no=f"SMY-2026-{100 + i:06d}",
        full_name=names[i % len(names)], nationality=NATIONALITIES[i % len(NATIONALITIES)],
        sex="MF"[i % 5 == 4], court=KAJANG, scheduled_at=AT + dt.timedelta(minutes=15 * i),
        escort="Insp. Rahman bin Yusof (PDRM Kajang)" if i % 4 else "Kpl Rosli",
        purpose=("first", "further", "mention")[i % 3],
        purpose_words="", status="scheduled", status_words="Scheduled",
        section=("s.6(1)(c)", "s.15(1)(c)", "s.35")[i % 3],
        valid_until=AT + dt.timedelta(days=3 + i) if i % 3 != 2 else AT - dt.timedelta(hours=7),
        late=i % 3 == 2, date_of_birth=dt.date(1985 + i % 20, 1 + i % 12, 1 + i % 28),
        location=f"Blok {'AB'[i % 2]} / {'AB'[i % 2]}-{1 + i // 4:02d}",
        photo=photo(i) if i % 2 == 0 else None, photo_mime="image/jpeg" if i % 2 == 0 else "")
    values.update(changes)
    return ProductionView(**values)


def production_list(count: int = 5, court: str = KAJANG) -> ProductionList:
    return ProductionList(court, DAY, tuple(production(i) for i in range(count)))


def order_view(**changes) -> OrderView:
    values = dict(id=41, order_no=ORDER_NO, magistrate=MAGISTRATE, section="s.35",
                  purpose="inquiries", purpose_words="making inquiries under the Act",
                  period_days=14, starts_at=AT + dt.timedelta(hours=2, minutes=10),
                  expires_at=AT + dt.timedelta(days=14, hours=2, minutes=10),
                  production_id=907, recorded_by="Officer One",
                  recorded_at=AT + dt.timedelta(hours=3))
    values.update(changes)
    return OrderView(**values)


def produced(**changes) -> ProductionView:
    """The production of ``custody_detail()`` (id 7) at which ``order_view()`` was made."""
    values = dict(id=907, detention_id=7, detainee_no="SMY-2026-000007",
                  full_name="NGUYỄN VĂN AN", nationality="VNM", sex="M", status="done",
                  status_words="Outcome recorded", outcome="detention_order",
                  outcome_words="Detention order", produced_at=AT + dt.timedelta(hours=2),
                  escort="Kpl Rosli", went_out_at=AT - dt.timedelta(hours=1),
                  came_back_at=AT + dt.timedelta(hours=6), order=order_view(),
                  outcome_note="Embassy to confirm nationality", photo=None)
    values.update(changes)
    return dataclasses.replace(production(0), **values)


def cap() -> tuple[dt.datetime, Period]:
    """s.35's thirty days, from ``order_view()``'s start (the first stage under s.35)."""
    return (order_view().starts_at + dt.timedelta(days=30),
            Period(dt.timedelta(days=30), "30 days",
                   "Immigration Act 1959/63 s.35 (not exceeding thirty days)"))


def history(*, unlawful: bool = True) -> AuthorityHistory:
    """Arrested under s.6(1)(c); the 14 days ran out before the court made an order under
    s.35 (held without authority for 21 h 30 min); a second production is scheduled."""
    due = ARRESTED + dt.timedelta(days=14)
    ordered = due + dt.timedelta(hours=21, minutes=30) if unlawful else due
    o = order_view(starts_at=ordered, expires_at=ordered + dt.timedelta(days=14))
    stages = (
        HistoryStage("s.6(1)(c)", "arrest", "Arrest", "RPT/SMY/1123", ARRESTED, ordered, due,
                     "Produce before a Magistrate", "Arrest under s.6(1)(c): s.51(5)(b), 14 "
                     "days from arrest (Immigration Act 1959/63 s.51(5)(b))"),
        HistoryStage("s.35", "magistrate_order", "Magistrate's order", ORDER_NO, ordered, None,
                     o.expires_at, "Produce for a further order, or release",
                     f"Magistrate's order {ORDER_NO} under s.51(5)(b), detention under s.35"),
    )
    first = produced(scheduled_at=due - dt.timedelta(days=1), produced_at=ordered,
                     order=o, went_out_at=ordered - dt.timedelta(hours=2),
                     came_back_at=ordered + dt.timedelta(hours=4))
    again = production(0, id=908, detention_id=7, scheduled_at=o.expires_at
                       - dt.timedelta(days=1), purpose="further", escort="Kpl Rosli")
    as_of = ordered + dt.timedelta(days=2)
    current = DeadlineRow(7, 3, "SMY-2026-000007", "NGUYỄN VĂN AN", "VNM", "Blok A / A-01",
                          "s.35", "magistrate_order", ORDER_NO, ordered, o.expires_at,
                          stages[1].needs, stages[1].rests_on, "ok", "later", KAJANG, 908,
                          again.scheduled_at)
    return AuthorityHistory(
        7, "SMY-2026-000007", "NGUYỄN VĂN AN", "VNM", False, ARRESTED, "in_custody", None,
        due, "14 days (Immigration Act 1959/63 s.51(5)(b); Federal Constitution Art. 5(4))",
        stages, ((due, ordered),) if unlawful else (), current, (again, first), (o,),
        (JourneyView(1, ARRESTED + dt.timedelta(hours=1), ARRESTED + dt.timedelta(hours=2,
                                                                                   minutes=45),
                     "Semenyih", "Depot Imigresen Semenyih"),), as_of)


def detail(**changes):
    """The detainee of ``history()`` and ``produced()`` (id 7), with a photo."""
    return custody_detail(movement_count=2, **changes)


# --- in a database ---------------------------------------------------------------------

def add_photo(db, detention_id: int, seed: int = 3) -> None:
    with db.write() as uow:
        person_id = uow.session.scalar(select(Detention.person_id)
                                       .where(Detention.id == detention_id))
        uow.session.add(Photo(person_id=person_id, taken_at=uow.now(), mime="image/jpeg",
                              data=silhouette_jpeg(random.Random(seed), True), is_current=True))


def court_day(db, officer) -> dict[str, int]:
    """At ``tests.court_fixtures.NOW`` (10/03/2026 09:00): Agus (photo) and Budi (no photo,
    arrested 20/02: held without authority since 06/03 10:00) on Kajang's list for 11/03;
    Citra at Bangi that day; Dewi at Kajang the day after; Eko produced at Kajang this
    morning and ordered detained under s.35 for 14 days."""
    tomorrow = dt.datetime(2026, 3, 11, 9, 30, tzinfo=MYT)
    ids = {"agus": held(db, "Agus Setiawan"),
           "budi": held(db, "Budi Santoso", arrested=dt.datetime(2026, 2, 20, 10, 0,
                                                                  tzinfo=MYT)),
           "citra": held(db, "Citra Dewi"), "dewi": held(db, "Dewi Lestari"),
           "eko": held(db, "Eko Prasetyo", section="s.35")}
    add_photo(db, ids["agus"])
    add_photo(db, ids["eko"], seed=4)
    lines = {"agus": scheduled(db, officer, ids["agus"], tomorrow),
             "budi": scheduled(db, officer, ids["budi"], tomorrow + dt.timedelta(minutes=30),
                               escort="Kpl Rosli"),
             "citra": scheduled(db, officer, ids["citra"], tomorrow, court=BANGI),
             "dewi": scheduled(db, officer, ids["dewi"], tomorrow + dt.timedelta(days=1)),
             "eko": scheduled(db, officer, ids["eko"],
                              dt.datetime(2026, 3, 10, 8, 30, tzinfo=MYT))}
    order(db, officer, lines["eko"], section="s.35", days=14, order_no=ORDER_NO)
    return {**ids, **{f"{k}_production": v for k, v in lines.items()}}
