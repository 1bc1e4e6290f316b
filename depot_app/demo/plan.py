"""Who the demonstration detainees are and what happened to them, decided up front from
one random state and one fixed "now", so that a seed always gives the same depot."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from depot_app.clock import MYT
from depot_app.demo import layout
from depot_app.demo.court import plan_court
from depot_app.demo.layout import BlockSpec, CellSpec
from depot_app.demo.medical import plan_medical
from depot_app.demo.names import (
    Nationality,
    alias_for,
    family_name,
    full_name,
    passport_number,
    pick_nationality,
)
from depot_app.demo.photos import silhouette_jpeg
from depot_app.demo.story import Event, Operation, plan_events, plan_operations
from depot_app.services.admission import (
    AdmissionRequest,
    DocumentInput,
    EmployerInput,
    PassInput,
    PhotoInput,
    PropertyInput,
)

AGENCIES = ("Jabatan Imigresen Malaysia", "Polis Diraja Malaysia")
# What people carry when arrested: (item, quantity, how often).
BELONGINGS = (("Telefon bimbit (mobile phone)", 1, 0.85), ("Dompet (wallet)", 1, 0.6),
              ("Beg galas (backpack) with clothes", 1, 0.4), ("Jam tangan (watch)", 1, 0.2),
              ("Kad SIM (SIM card)", 2, 0.15))
# Fictitious employers for the demonstration.
EMPLOYERS = (
    EmployerInput("Syarikat Pembinaan Maju Jaya Sdn. Bhd.", "201501023456 (1148822-K)",
                  "Lot 12, Jalan Teknologi 3/5, 63000 Cyberjaya, Selangor", "03-8320 1234"),
    EmployerInput("Ladang Sawit Sri Banting Sdn. Bhd.", "199801004321 (461234-P)",
                  "Batu 5, Jalan Morib, 42700 Banting, Selangor", "03-3187 4455"),
    EmployerInput("Kilang Papan Semenyih Sdn. Bhd.", "200301012345 (612345-A)",
                  "Lot 88, Kawasan Perindustrian Semenyih, 43500 Semenyih, Selangor", ""),
    EmployerInput("Perkhidmatan Pembersihan Cemerlang Sdn. Bhd.", "201801009876 (1271234-W)",
                  "No. 7, Jalan SS 15/4, 47500 Subang Jaya, Selangor", "03-5633 9012"),
    EmployerInput("Restoran Selera Kampung", "JM0123456-T",
                  "No. 21, Jalan Reko, 43000 Kajang, Selangor", ""),
)
# (section, share): mostly no valid Pass and overstayers, as in the depots.
SECTIONS = (("s.6(1)(c)", 55), ("s.15(1)(c)", 35), ("reg. 39(b)", 5), ("s.35", 2),
            ("s.36", 2), ("s.8(3)", 1))


@dataclass
class Planned:
    request: AdmissionRequest
    nationality: Nationality
    category: str
    cell: CellSpec | None
    events: list[Event] = field(default_factory=list)
    mother: int | None = None  # index (in admission order) of the parent admitted with a child
    is_mother: bool = False  # a child admitted after her is linked to her


def _dob(rng: random.Random, on: dt.date, low: int, high: int) -> dt.date:
    return on - dt.timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))


def _person(rng: random.Random, nat: Nationality, sex: str, born: dt.date, op: Operation,
            arrested: dt.datetime, admitted: dt.datetime, family: str | None,
            minor: bool) -> AdmissionRequest:
    name = full_name(rng, nat, sex, family)
    arrest_day = arrested.astimezone(MYT).date()
    section = rng.choices([s for s, _ in SECTIONS], weights=[w for _, w in SECTIONS])[0]
    if minor:
        section = "s.6(1)(c)"
    documents: tuple[DocumentInput, ...] = ()
    if rng.random() < 0.70:
        years = 10 if rng.random() < 0.3 else 5
        issued = arrest_day - dt.timedelta(days=rng.randint(60, 365 * years + 200))
        expires = issued.replace(year=issued.year + years) if not (
            issued.month == 2 and issued.day == 29) else issued + dt.timedelta(days=365 * years)
        documents = (DocumentInput(passport_number(rng, nat), nat.code, "passport", issued,
                                   expires, held_by_depot=rng.random() < 0.8),)
    passes: tuple[PassInput, ...] = ()
    employer = None
    if section in ("s.15(1)(c)", "reg. 39(b)") and not minor:
        work = section == "reg. 39(b)" or rng.random() < 0.7
        if section == "reg. 39(b)":
            expires = arrest_day + dt.timedelta(days=rng.randint(20, 300))
        else:
            expires = arrest_day - dt.timedelta(days=rng.randint(3, 420 if work else 200))
        if work:
            number = f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPQR')}{rng.randrange(10**7):07d}"
            passes = (PassInput("Pas Lawatan Kerja Sementara (PLKS)", number,
                                expires - dt.timedelta(days=365), expires),)
            if rng.random() < 0.6:
                employer = rng.choice(EMPLOYERS)
        else:
            passes = (PassInput("Pas Lawatan Sosial", "", expires - dt.timedelta(days=30),
                                expires),)
    aliases = (alias_for(rng, nat, sex, name),) if rng.random() < 0.06 else ()
    items = tuple(PropertyInput(what, n) for what, n, chance in BELONGINGS
                  if rng.random() < chance)
    cash = Decimal(rng.randrange(0, 60000)).scaleb(-2) if rng.random() < 0.7 else None
    return AdmissionRequest(
        full_name=name, sex=sex, date_of_birth=born,
        date_of_birth_estimated=not documents and rng.random() < 0.7,
        nationality=nat.code, aliases=aliases, place_of_birth=rng.choice(nat.places),
        languages=nat.languages, interpreter_needed=rng.random() < nat.interpreter,
        documents=documents, passes=passes,
        photo=PhotoInput(silhouette_jpeg(rng, long_hair=sex == "F")), employer=employer,
        arrested_at=arrested, arrest_place=op.place, arresting_agency=op.agency,
        operation_name=op.name, legal_basis=section,
        legal_reference=f"{op.reference}/{rng.randint(1, 999):03d}",
        admitted_at=admitted, property=items,
        property_bag_no=f"B-{rng.randrange(10000):04d}" if items else "",
        cash_amount=cash or None,
    )


def composition(count: int) -> tuple[int, int, int, int]:
    """(mothers with a child, unaccompanied minors, other women, men): about 4 % minors,
    half of them with their mother, and about 8 % women."""
    minors = round(count * 0.04)
    families = min(minors // 2, count // 2)
    alone_minors = min(minors - families, count - 2 * families)
    women = min(max(round(count * 0.08) - families, 0), count - 2 * families - alone_minors)
    return families, alone_minors, women, count - 2 * families - alone_minors - women


def expected_by_category(count: int) -> dict[str, int]:
    families, alone_minors, women, men = composition(count)
    return {layout.ADULT_MALE: men, layout.ADULT_FEMALE: women, layout.FAMILY: 2 * families,
            layout.JUVENILE: alone_minors, layout.MEDICAL: round(count * 0.02)}


def plan_people(rng: random.Random, now: dt.datetime, count: int,
                blocks: list[BlockSpec]) -> list[Planned]:
    """``count`` detainees, in admission order, each with a cell and their later story."""
    families, alone_minors, women, men = composition(count)
    ops = plan_operations(rng, now, count)
    weights = [op.size for op in ops]
    groups: list[tuple[str, Operation]] = (
        [("family", o) for o in rng.choices(ops, weights=weights, k=families)]
        + [("minor", o) for o in rng.choices(ops, weights=weights, k=alone_minors)]
        + [("woman", o) for o in rng.choices(ops, weights=weights, k=women)]
        + [("man", o) for o in rng.choices(ops, weights=weights, k=men)]
    )
    staged: list[tuple[dt.datetime, int, Planned]] = []
    for n, (kind, op) in enumerate(groups):
        arrested = op.starts_at + dt.timedelta(minutes=rng.randint(0, 180))
        admitted = arrested + dt.timedelta(minutes=rng.randint(180, 720))
        day = arrested.astimezone(MYT).date()
        nat = pick_nationality(rng)
        if kind == "family":
            mother = _person(rng, nat, "F", _dob(rng, day, 22, 40), op, arrested, admitted,
                             None, False)
            child_sex = rng.choice("MF")
            child = _person(rng, nat, child_sex, _dob(rng, day, 3, 13), op, arrested,
                            admitted + dt.timedelta(minutes=2),
                            family_name(mother.full_name, nat), True)
            staged.append((admitted, 2 * n, Planned(mother, nat, layout.FAMILY, None)))
            staged.append((child.admitted_at, 2 * n + 1, Planned(child, nat, layout.FAMILY,
                                                                   None, mother=2 * n)))
            continue
        if kind == "minor":
            request = _person(rng, nat, "M", _dob(rng, day, 15, 17), op, arrested, admitted,
                              None, True)
            request = _flag(request, is_unaccompanied_child=True)
            staged.append((admitted, 2 * n, Planned(request, nat, layout.JUVENILE, None)))
            continue
        sex = "F" if kind == "woman" else "M"
        request = _person(rng, nat, sex, _dob(rng, day, 19, 48), op, arrested, admitted, None,
                          False)
        if sex == "F" and rng.random() < 0.1:
            request = _flag(request, is_pregnant=True)
        if rng.random() < 0.01:
            request = _flag(request, is_disabled=True)
        category = layout.ADULT_FEMALE if sex == "F" else layout.ADULT_MALE
        staged.append((admitted, 2 * n, Planned(request, nat, category, None)))
    staged.sort(key=lambda item: (item[0], item[1]))
    order = {key: i for i, (_, key, _) in enumerate(staged)}
    planned = [p for _, _, p in staged]
    for p in planned:
        if p.mother is not None:
            p.mother = order[p.mother]
            planned[p.mother].is_mother = True
            p.cell = _with_mother(planned[p.mother].cell)
        else:
            p.cell = layout.place(rng, blocks, p.category)
    for p in planned:
        p.events = plan_events(rng, now, p, blocks)
    medical_rng = random.Random(rng.random())  # the rest of the plan draws as it did
    plan_court(random.Random(rng.random()), now, planned)
    for p in planned:
        p.events = plan_medical(medical_rng, now, p)
    return planned


def _with_mother(cell: layout.CellSpec | None) -> layout.CellSpec | None:
    """A child shares the mother's family cell (reception with her when there is no room)."""
    if cell is None or cell.free <= 0:
        return None
    cell.occupants += 1
    return cell


def _flag(request: AdmissionRequest, **flags: bool) -> AdmissionRequest:
    return replace(request, **flags)
