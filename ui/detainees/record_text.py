"""What the record card says: a DetaineeDetail turned into facts, rows and warnings.

Kept apart from the widgets so the words can be tested without a window.
"""

from __future__ import annotations

from depot_app import legal_bases
from depot_app.countries import country_name
from depot_app.readmodels import DetaineeDetail
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


def section_words(section: str) -> str:
    basis = legal_bases.find(section)
    return basis.words if basis else ""


def stage_rows(d: DetaineeDetail) -> tuple[list[list[str]], list[str]]:
    rows, tips = [], []
    for s in d.stages:
        basis = legal_bases.find(s.section)
        rows.append([s.section, section_words(s.section),
                     fmt.AUTHORITIES.get(s.authority, s.authority.replace("_", " ").capitalize()),
                     s.reference, fmt.when(s.starts_at), fmt.when(s.ends_at) or "—"])
        tips.append(basis.source if basis else "")
    return rows, tips


def document_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[fmt.DOCUMENT_TYPES.get(x.doc_type, x.doc_type), x.number,
             country_name(x.issuing_state) or x.issuing_state, fmt.date(x.issued_on),
             fmt.date(x.expires_on), "Held by depot" if x.held_by_depot else ""]
            for x in d.documents]


def pass_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[x.pass_type, x.number, fmt.date(x.issued_on), fmt.date(x.expires_on)]
            for x in d.passes]


def movement_rows(d: DetaineeDetail) -> list[list[str]]:
    return [[fmt.when(m.occurred_at), m.description, m.reason, m.recorded_by]
            for m in d.movements]


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
