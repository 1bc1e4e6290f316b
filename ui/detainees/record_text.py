"""What the record card says: a DetaineeDetail turned into facts, rows and warnings.

Kept apart from the widgets so the words can be tested without a window.
"""

from __future__ import annotations

from depot_app.clock import to_local
from depot_app.countries import country_name
from depot_app.readmodels import DetaineeDetail
from depot_app.services.places import away_words
from ui import format as fmt


def summary_line(d: DetaineeDetail) -> str:
    age = f"{d.age} years" if d.age is not None else "age unknown"
    born = f" (born {fmt.date(d.date_of_birth)})" if d.date_of_birth else ""
    return f"{fmt.SEX.get(d.sex, d.sex)} · {age}{born} · {d.nationality_name}"


def custody_line(d: DetaineeDetail) -> str:
    text = f"Admitted {fmt.when(d.admitted_at)}"
    if d.admitted_by:
        text += f" by {d.admitted_by}"
    if d.ended_at:
        text += f" · {fmt.status(d.status)} {fmt.when(d.ended_at)}"
    return text


DEPARTED = {"release": "Released", "transfer": "Transferred", "removal": "Removed"}
DOCUMENT_WORDS = {"release": "release order", "transfer": "transfer document",
                  "removal": "removal order"}


def departure_line(d: DetaineeDetail) -> str:
    """After a release, transfer or removal: where the detainee went, on what document and
    with whom (the last departure movement), so the record answers "where are they now"."""
    if d.status == "in_custody":
        return ""
    last = next((m for m in d.movements if m.kind in DEPARTED), None)
    if last is None:
        return ""
    where = last.destination or last.to_place
    text = DEPARTED[last.kind]  # when: on the line above
    if where:
        text += f" to {where}"
    if last.document_ref:
        text += f" · {DOCUMENT_WORDS[last.kind]} {last.document_ref}"
    if last.escort:
        text += f" · escort {last.escort}"
    return text


def cell_out_of_service(d: DetaineeDetail, cell: str, in_service: bool,
                        reason: str = "") -> str:
    """A warning while the detainee's cell (``cell``, its label) is out of service: they
    have to be moved (or, away now, they come back to reception)."""
    if in_service or d.status != "in_custody" or d.cell_id is None:
        return ""
    why = f" ({reason})" if reason else ""
    if d.away_reason:
        return (f"Cell {cell} is out of service{why}: on their return they go to reception, "
                "to be placed in a cell.")
    return f"Cell {cell} is out of service{why}: move them to another cell (Move to cell…)."


def particulars(d: DetaineeDetail) -> list[tuple[str, str]]:
    languages = d.languages
    if d.interpreter_needed:
        languages = f"{languages} — interpreter needed" if languages else "Interpreter needed"
    born = fmt.date(d.date_of_birth)
    if born and d.age is not None:
        born = f"{born} (age {d.age})"
    return [
        ("Full name", d.full_name),
        ("Also known as", "; ".join(d.aliases)),
        ("Sex", fmt.SEX.get(d.sex, d.sex)),
        ("Date of birth", born or "Unknown"),
        ("Nationality", f"{d.nationality_name} ({d.nationality})"),
        ("Place of birth", d.place_of_birth),
        ("Languages", languages),
        ("Distinguishing marks", d.distinguishing_marks),
        ("Home address", d.home_address),
        ("Employer", d.employer),
    ]


def arrest(d: DetaineeDetail) -> list[tuple[str, str]]:
    return [
        ("Arrested", fmt.when(d.arrested_at)),
        ("Place", d.arrest_place),
        ("Agency", d.arresting_agency),
        ("Operation", d.operation_name),
        ("Citizenship", "Citizen of Malaysia" if d.citizen else "Non-citizen"),
        ("Admitted", fmt.when(d.admitted_at)),
        ("Admitted by", d.admitted_by),
    ]


def document_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[fmt.DOCUMENT_TYPES.get(x.doc_type, x.doc_type), x.number,
             country_name(x.issuing_state) or x.issuing_state, fmt.date(x.issued_on),
             fmt.date(x.expires_on), "Held by depot" if x.held_by_depot else ""]
            for x in d.documents]


def pass_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[x.pass_type, x.number, fmt.date(x.issued_on), fmt.date(x.expires_on)]
            for x in d.passes]


def _one_line(text: str) -> str:
    return " · ".join(part.strip() for part in text.splitlines() if part.strip())


def movement_rows(d: DetaineeDetail) -> list[list[str]]:
    """When, what, from → to, why, on what authority (and document), who recorded it."""
    rows = []
    for m in d.movements:
        places = " → ".join((m.from_place, m.to_place)) if m.from_place and m.to_place \
            else m.from_place or (f"→ {m.to_place}" if m.to_place else "")
        authority = " · ".join(x for x in (m.authority, m.document_ref and
                                           f"ref. {m.document_ref}") if x)
        rows.append([fmt.when(m.occurred_at), MOVEMENT_KINDS.get(m.kind, m.description),
                     places, _one_line(m.reason), authority, m.recorded_by])
    return rows


MOVEMENT_KINDS = {
    "admission": "Admitted", "cell_move": "Cell move", "out_court": "Out to court",
    "out_hospital": "Out to hospital", "out_embassy": "Out to embassy", "return": "Returned",
    "transfer": "Transferred", "release": "Released", "removal": "Removed",
    "abscond": "Absconded", "death": "Died",
}
VISIT_KINDS = {"consular": "Consular / embassy", "family": "Family", "lawyer": "Lawyer",
               "ngo": "NGO / UNHCR"}


def visit_rows(d: DetaineeDetail) -> list[list[str]]:
    """When, kind, who (and from where, or their relation), approval, officer, recorder."""
    rows = []
    for v in d.visits:
        same_day = v.ended_at is not None and \
            to_local(v.ended_at).date() == to_local(v.started_at).date()
        until = fmt.when(v.ended_at)[-5:] if same_day else fmt.when(v.ended_at)
        when = f"{fmt.when(v.started_at)} – {until or 'going on'}"
        whose = v.organisation or (f"{v.relation}" if v.relation else "")
        rows.append([when, VISIT_KINDS.get(v.kind, v.kind), v.visitor, whose, v.approval_ref,
                     v.officer_present, v.recorded_by])
    return rows


def property_rows(d: DetaineeDetail) -> list[list[str]]:
    """Each item: what, how many, bag, received (when, by whom), and held or returned
    (when, by whom, to whom)."""
    rows = []
    for p in d.property:
        received = f"{fmt.when(p.received_at)}{' by ' + p.received_by if p.received_by else ''}"
        if p.returned_at is None:
            state = "Held by the depot"
        else:
            state = f"Returned {fmt.when(p.returned_at)}"
            if p.returned_by:
                state += f" by {p.returned_by}"
            state += f" to {p.return_note}" if p.return_note else " to the detainee"
        rows.append([p.description, str(p.quantity), p.bag_no, received, state])
    return rows


def money(amount) -> str:
    return f"RM {amount:,.2f}"


def cash_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[fmt.when(c.occurred_at), "Received" if c.amount > 0 else "Paid out",
             money(abs(c.amount)), c.receipt_no, c.note, c.recorded_by] for c in d.cash]


def property_summary(d: DetaineeDetail) -> str:
    held = [p for p in d.property if p.returned_at is None]
    parts = []
    if d.property:
        parts.append(f"{fmt.plural(len(held), 'item')} of {len(d.property)} held")
    parts.append(f"cash held {money(d.cash_balance)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def still_held_warning(d: DetaineeDetail) -> str:
    """After a departure, anything the depot still holds for the detainee, in words."""
    if d.status == "in_custody":
        return ""
    held = [p.description for p in d.property if p.returned_at is None]
    parts = [", ".join(held)] if held else []
    if d.cash_balance > 0:
        parts.append(f"{money(d.cash_balance)} in cash")
    if not parts:
        return ""
    return (f"The depot still holds for this detainee, who has left custody: "
            f"{'; '.join(parts)}. Use Return property when it is handed over.")




def away_line(d: DetaineeDetail) -> str:
    """While out: where, since when, and that the detainee is still on the roll."""
    if d.status != "in_custody" or not d.away_reason:
        return ""
    out = next((m for m in d.movements if m.kind == f"out_{d.away_reason}"), None)
    text = f"Out {away_words(d.away_reason)}"
    if out is not None:
        if out.destination:
            text += f" ({out.destination})"
        text += f" since {fmt.when(out.occurred_at)}"
        if out.from_place:
            text += f". Still on the roll; {out.from_place} is kept for the return"
    return text + "."


def death_facts(d: DetaineeDetail) -> list[tuple[str, str]]:
    x = d.death
    if x is None:
        return []
    place = f"{'In the depot' if x.place_kind == 'depot' else 'At hospital'}" + \
        (f": {x.place}" if x.place else "")
    return [("Died", fmt.when(x.died_at)), ("Place", place),
            ("Cause as certified", x.cause_certified), ("Certified by", x.certified_by),
            ("Post-mortem ref.", x.post_mortem_ref or "Not yet recorded"),
            ("Recorded by", x.recorded_by)]


def notification_rows(d: DetaineeDetail) -> list[list[str]]:
    if d.death is None:
        return []
    return [[whom, fmt.when(at), means] for whom, at, means in d.death.notifications]


def episode_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[e.detainee_no, fmt.when(e.admitted_at), fmt.status(e.status),
             fmt.when(e.ended_at) or "—"] for e in d.other_episodes]


def history_warning(d: DetaineeDetail) -> str:
    """A previous removal matters at once: returning after removal is an offence (s.36)."""
    removed = [e for e in d.other_episodes if e.status == "removed"]
    if removed:
        listed = ", ".join(f"{e.detainee_no} (removed {fmt.date(e.ended_at.date()) if e.ended_at else 'date not recorded'})"
                           for e in removed)
        return (f"Previously removed from Malaysia: {listed}. Returning after removal is an "
                "offence under s.36 of the Immigration Act.")
    if d.other_episodes:
        n = len(d.other_episodes)
        return (f"This person has {fmt.plural(n, 'other custody episode')} on record; "
                "see Other episodes below.")
    return ""


def flag_words(d: DetaineeDetail) -> list[str]:
    return [f.capitalize() for f in d.flags]
