"""Realistic read models for the custody forms (custody record, movement slip, roll,
headcount sheet), built without a database: the forms only read these."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from depot_app.demo.photos import silhouette_jpeg
from depot_app.readmodels import (
    CashView,
    CountEntryView,
    CountLine,
    DeathView,
    DetaineeDetail,
    DocumentView,
    HeadcountView,
    MovementView,
    PropertyView,
    RollLine,
    RollView,
    StageView,
    VisitView,
)

ADMITTED = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)  # 21/11/2026 01:30 in Malaysia
LONG_NAME = "MUHAMMAD ABDUL RAHMAN BIN MOHAMED SALLEH AL-HADDAD BIN ABDULLAH"
COURT = "Mahkamah Majistret Kajang"
HOSPITAL = "Hospital Kajang"


def photo(seed: int = 5) -> bytes:
    return silhouette_jpeg(random.Random(seed), True)


def movements(count: int) -> tuple[MovementView, ...]:
    """Admission to a cell, then outings to court and hospital and back, and cell moves,
    ``count`` in all; newest first, as ``detainees.detail`` gives them."""
    cells = ["Blok A / A-01", "Blok A / A-02", "Blok B / B-07"]
    at = ADMITTED
    found = [MovementView(at, "admission", "Admitted to Blok A / A-01", "Ditahan di bawah "
                          "s.6(1)(c)", "Clerk One", id=1, from_place="",
                          to_place="Blok A / A-01")]
    cell, went_to = cells[0], COURT
    while len(found) < count:
        n = len(found) + 1
        at += dt.timedelta(hours=7, minutes=n)
        step = n % 4
        if step == 2:
            found.append(MovementView(at, "out_court", f"Out to court: {COURT}",
                                      f"Sebutan kes / Case mention\nEscort: Kpl Rosli (PDRM {n})",
                                      "Sarjan Ali", id=n, authority="Perintah pengeluaran",
                                      document_ref=f"MK-KJG-83-{n:03d}-2026",
                                      destination=COURT, from_place=cell, to_place=COURT))
            went_to = COURT
        elif step == 3:
            # A return comes from where the outing went (the read model says so).
            found.append(MovementView(at, "return", "Returned", "Returned from court",
                                      "Sarjan Ali", id=n, destination=went_to,
                                      from_place=went_to, to_place=cell))
        elif step == 0:
            new = cells[(cells.index(cell) + 1) % len(cells)]
            found.append(MovementView(at, "cell_move", f"Cell move to {new}",
                                      "Pengasingan keluarga / Family placed together",
                                      "Warden Lim", id=n, from_place=cell, to_place=new))
            cell = new
        else:
            found.append(MovementView(at, "out_hospital", f"Out to hospital: {HOSPITAL}",
                                      "Rawatan pergigian / Dental treatment", "Sarjan Ali",
                                      id=n, authority="Rujukan MO depot",
                                      document_ref=f"RJ-{n:04d}", destination=HOSPITAL,
                                      from_place=cell, to_place=HOSPITAL))
            went_to = HOSPITAL
    return tuple(reversed(found))


def custody_detail(*, movement_count: int = 6, died: bool = False, **changes) -> DetaineeDetail:
    day = dt.timedelta(days=1)
    values = dict(
        id=7, version=3, detainee_no="SMY-2026-000007", person_id=3,
        full_name="NGUYE\u0302\u0303N VĂN  AN", aliases=("AN NGUYEN",), sex="M",
        date_of_birth=dt.date(1990, 5, 17), age=36, nationality="VNM",
        nationality_name="Viet Nam", place_of_birth="Hà Nội", languages="Vietnamese",
        interpreter_needed=True, distinguishing_marks="Parut di dagu", home_address="",
        employer="", status="in_custody", citizen=False,
        arrested_at=ADMITTED - dt.timedelta(hours=3), arrest_place="Semenyih",
        arresting_agency="JIM", operation_name="Op Kutip", admitted_at=ADMITTED,
        admitted_by="Clerk One", ended_at=None, location="Blok A / A-01", block="Blok A",
        flags=("interpreter",),
        documents=(DocumentView("passport", "C1234567", "VNM", None, dt.date(2030, 1, 2),
                                True),),
        passes=(),
        stages=(StageView("s.6(1)(c)", "arrest", "RPT/SMY/1123", ADMITTED, ADMITTED + 14 * day),
                StageView("s.34", "removal_order", "PP/2026/0456", ADMITTED + 14 * day,
                          None)),
        movements=movements(movement_count), other_episodes=(), photo=photo(),
        photo_mime="image/jpeg",
        property=(
            PropertyView("Telefon bimbit Samsung", 1, "B-0412", ADMITTED, "Clerk One", None,
                         id=1),
            PropertyView("Jam tangan Casio", 1, "L-17", ADMITTED, "Clerk One",
                         ADMITTED + 2 * day, id=2, returned_by="Sarjan Ali",
                         return_note="Abang / brother TRẦN VĂN HÙNG (IC 880101-14-5555)"),
        ),
        cash=(CashView(Decimal("235.50"), ADMITTED, "RW-2026-00871", "Diterima semasa masuk",
                       "Clerk One"),
              CashView(Decimal("-20.00"), ADMITTED + day, "RB-2026-00012", "Kantin / Canteen",
                       "Warden Lim")),
        cash_balance=Decimal("215.50"),
        visits=(
            VisitView(2, 7, "family", "TRẦN THỊ MAI", "", "", "isteri / wife", "Warden Lim",
                      "", ADMITTED + 3 * day, ADMITTED + 3 * day + dt.timedelta(minutes=40),
                      "Clerk One"),
            VisitView(1, 7, "consular", "NGUYỄN THANH HẢI", "Embassy of Viet Nam",
                      "KL-VN-2026-118", "", "Sarjan Ali", "Temuduga dokumen perjalanan",
                      ADMITTED + 2 * day, ADMITTED + 2 * day + dt.timedelta(hours=1),
                      "Sarjan Ali"),
        ),
    )
    if died:
        values.update(status="deceased", ended_at=ADMITTED + 20 * day, death=DeathView(
            ADMITTED + 20 * day, "hospital", HOSPITAL, "Acute myocardial infarction",
            "Dr Siti Aminah (MMC 45123)", "BS/HKJ/2026/77", "Warden Lim",
            (("Embassy of Viet Nam", ADMITTED + 20 * day + dt.timedelta(hours=2),
              "Faks / fax KJ-12"), ("Polis DiRaja Malaysia, IPD Kajang",
                                   ADMITTED + 20 * day + dt.timedelta(hours=1),
                                   "Laporan polis / police report KJG/4471/26"))))
    values.update(changes)
    return DetaineeDetail(**values)


def roll_line(key: str, name: str, **figures) -> RollLine:
    values = dict(capacity=40, in_cell=31, out=3, out_by_reason=(CountLine("Court", 2),
                                                                  CountLine("Hospital", 1)),
                  unallocated=0, vacancies=6, over_capacity=0, overcrowded_cells=(), cells=10,
                  cells_out_of_service=1, men=30, women=0, boys=3, girls=1)
    values.update(figures)
    return RollLine(key=key, name=name, **values)


def roll_view() -> RollView:
    a = roll_line("A", "Blok A")
    b = roll_line("B", "Blok B (Wanita dan kanak-kanak / Women and children)", capacity=24,
                  in_cell=26, out=1, out_by_reason=(CountLine("Embassy", 1),), vacancies=0,
                  over_capacity=2, overcrowded_cells=("B-03",), cells_out_of_service=0,
                  men=0, women=19, boys=4, girls=4)
    reception = roll_line("", "Reception", capacity=0, in_cell=0, out=0, out_by_reason=(),
                          unallocated=5, vacancies=0, cells=0, cells_out_of_service=0, men=4,
                          women=1, boys=0, girls=0)
    total = roll_line("*", "Depot", capacity=64, in_cell=57, out=4,
                      out_by_reason=(CountLine("Court", 2), CountLine("Hospital", 1),
                                     CountLine("Embassy", 1)),
                      unallocated=5, vacancies=6, over_capacity=2, overcrowded_cells=("B-03",),
                      cells=20, cells_out_of_service=1, men=34, women=20, boys=7, girls=5)
    nationalities = (("Indonesia", 21), ("Myanmar", 14), ("Bangladesh", 9), ("Viet Nam", 7),
                     ("Nepal", 6), ("Philippines", 5), ("India", 2), ("Kenya", 1),
                     ("Türkiye", 1))
    return RollView("Depot Imigresen Semenyih", ADMITTED, (a, b, reception), total,
                    tuple(CountLine(n, c) for n, c in nationalities))


COUNT_NAMES = ("AUNG KYAW OO", "ĐỖ THỊ HỒNG NHUNG", LONG_NAME, "SITI", "MD JAHANGIR ALAM",
               "RAM BAHADUR THAPA MAGAR", "KHIN MYAT NOE THANDAR WIN HTUT AUNG MYINT",
               "JOSÉ MARÍA PEÑA")


def headcount_view(*, closed: bool, size: int = 8) -> HeadcountView:
    """A count of Blok A: on a closed count one detainee was not found (resolved) and one
    was found who was not expected; on an open one two are counted by scan so far."""
    started = ADMITTED + dt.timedelta(days=1)
    entries = []
    for i in range(size):
        cell = f"Blok A / A-{1 + i // 3:02d}"
        if closed:
            counted = None if i == 2 else started + dt.timedelta(minutes=3 + i)
            how = "" if i == 2 else ("hand" if i == 4 else "scan")
            resolution = "Di klinik depot / At the depot clinic: seen 21:40" if i == 2 else ""
        else:
            counted = started + dt.timedelta(minutes=2 + i) if i < 2 else None
            how, resolution = ("scan" if i < 2 else ""), ""
        entries.append(CountEntryView(100 + i, f"SMY-2026-{100 + i:06d}",
                                      COUNT_NAMES[i % len(COUNT_NAMES)], cell, True, counted,
                                      how, resolution))
    if closed:
        entries.append(CountEntryView(200, "SMY-2026-000200", "TRẦN QUỐC BẢO", "Blok B / B-07",
                                      False, started + dt.timedelta(minutes=9), "scan",
                                      "Dipindahkan petang ini; rekod dikemas kini / Moved this "
                                      "afternoon, record updated"))
    away = () if closed else (CountEntryView(300, "SMY-2026-000300", "WANJIRŨ NJOROGE",
                                             "Out: court", False, None, "", "",
                                             away_at_start=True, away_now=True),)
    return HeadcountView(
        id=12, version=4, block_id=1, block_name="Blok A", status="closed" if closed else "open",
        started_at=started, started_by="Warden Lim",
        closed_at=started + dt.timedelta(minutes=25) if closed else None,
        closed_by="Sarjan Ali" if closed else "", entries=tuple(entries), away=away)
