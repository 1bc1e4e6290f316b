"""The detention-authority history, for the custody record: on what authority a person
was held at every moment from the arrest to now (DESIGN.md section 4).

Who (particulars, photo, the detainee number as Code 128); the arrest, when they had to be
before a Magistrate and by which rule (s.51(5)(a) or (b)), when they first were; where the
authority stands now (the section, until when, ok / due soon / overdue, what must happen
and what it rests on); any stretch HELD WITHOUT AUTHORITY, from when to when and for how
long, in its own section printed so that it cannot be missed (and again in its place
among the stages); every stage (section, authority, reference, from, to, valid until,
rests on); every production with its outcome (order, remand, charge with the Public
Prosecutor's sanction s.58, release, conviction); every Magistrate's order; the journeys
(s.51(5)(a): not counted in a citizen's 24 hours); then the certification.

``AlertSection`` (an ``OptionalSection`` that ``printing.render`` prints white
on black in a heavy frame) lives here until ``printing/document.py`` takes it; the
ordinary renderer prints it as any optional section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from depot_app.readmodels import DetaineeDetail
from depot_app.services.court.views import (
    AuthorityHistory,
    HistoryStage,
    JourneyView,
    OrderView,
    ProductionView,
)
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import KeptSection, LongTable, OptionalSection, when
from forms.detention_order import order_purpose, particulars, period, section_words, word
from forms.production_list import ListSection
from forms.property_receipt import Column, Signature

HELD_WITHOUT = ("DITAHAN TANPA KUASA", "HELD WITHOUT AUTHORITY")
STILL = ("MASIH BERTERUSAN", "STILL CONTINUING")
STATE = {"ok": ("Sah", "Valid"), "due-soon": ("Hampir tamat", "Due soon"),
         "overdue": ("LEWAT: TIADA KUASA LAGI", "OVERDUE: NO AUTHORITY LEFT")}
NEEDS = {
    "Produce before a Magistrate": "Kemukakan di hadapan Majistret",
    "Produce for a further order, or release": "Kemukakan untuk perintah lanjut, atau "
                                               "bebaskan",
    "Release or transfer now: no authority to hold": "Bebaskan atau pindahkan sekarang: "
                                                     "tiada kuasa untuk menahan",
}
NOT_YET = ("Belum", "Not yet")
OPEN_END = "…"


@dataclass(frozen=True)
class AlertSection(OptionalSection):
    """A section that must not be overlooked: printed white on black, in a heavy frame."""

    alert: bool = True


PARTICULARS = SectionDef("Butiran tahanan", "Detainee particulars", (
    FieldDef("photo", "Foto", "Photo", "photo"),
    FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
    FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
    FieldDef("nationality", "Warganegara", "Nationality"),
    FieldDef("sex", "Jantina", "Sex"),
    FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
    FieldDef("status", "Status", "Status"),
    FieldDef("location", "Blok / Sel", "Block / Cell"),
    FieldDef("citizen", "Warganegara Malaysia", "Malaysian citizen"),
), columns=3)

SECTIONS = (
    PARTICULARS,
    SectionDef("Tangkapan dan pengeluaran", "Arrest and production", (
        FieldDef("arrested_at", "Ditangkap pada", "Arrested at"),
        FieldDef("production_due", "Mesti dikemukakan sebelum", "To be produced by", "name"),
        FieldDef("first_produced", "Dikemukakan kali pertama", "First produced"),
        FieldDef("production_rule", "Peraturan", "Rule", span=3),
    ), columns=3),
    SectionDef("Kedudukan sekarang", "Where it stands now", (
        FieldDef("as_of", "Pada", "As at"),
        FieldDef("state", "Keadaan", "State", "name"),
        FieldDef("valid_until", "Kuasa sehingga", "Authority until", "name"),
        FieldDef("current_section", "Ditahan di bawah", "Held under", span=3),
        FieldDef("needs", "Tindakan diperlukan", "What must happen", span=3),
        FieldDef("rests_on", "Berasaskan", "Rests on", span=3),
        FieldDef("unlawful_summary", "Ditahan tanpa kuasa", "Held without authority", span=3),
    ), columns=3),
    AlertSection(*HELD_WITHOUT, (
        FieldDef("unlawful_text", "Tempoh tanpa kuasa yang sah untuk menahan",
                 "Times with no valid authority to hold", "multiline"),
    ), columns=1, when="has_unlawful"),
    ListSection("Peringkat tahanan", "Stages of detention", (
        LongTable("stages", "Setiap peringkat, dengan seksyen dan kuasanya, mengikut masa",
                  "Every stage, with its section and authority, in time order", columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("section", "Seksyen", "Section", 0.85),
                      Column("authority", "Kuasa dan rujukan", "Authority and reference", 1.6),
                      Column("starts_at", "Dari", "From", 0.95),
                      Column("ends_at", "Hingga", "To", 0.95),
                      Column("valid_until", "Sah sehingga", "Valid until", 0.95),
                      Column("rests_on", "Berasaskan", "Rests on", 2.35),
                  )),
    ), columns=1),
    ListSection("Pengeluaran di hadapan Majistret", "Productions before a Magistrate", (
        LongTable("productions", "Setiap pengeluaran dan keputusannya",
                  "Every production and its outcome", columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("scheduled_at", "Tarikh dan masa", "Date and time", 0.95),
                      Column("court", "Mahkamah", "Court", 1.2),
                      Column("purpose", "Tujuan", "Purpose", 1.1),
                      Column("outcome", "Keputusan", "Outcome", 2.3),
                      Column("escort", "Pengiring", "Escort", 1.0),
                      Column("out_back", "Keluar dan kembali", "Out and back", 1.3),
                  )),
    ), columns=1),
    ListSection("Perintah Majistret", "Magistrate's orders", (
        LongTable("orders", "Setiap perintah tahanan", "Every detention order", columns=(
            Column("no", "Bil.", "No.", 0.42, align="right"),
            Column("order_no", "No. perintah dan Majistret", "Order no. and Magistrate", 1.6),
            Column("section", "Seksyen", "Section", 0.8),
            Column("purpose", "Tujuan", "Purpose", 1.7),
            Column("period", "Tempoh", "Period", 0.75),
            Column("starts_at", "Dari", "From", 0.95),
            Column("expires_at", "Tamat", "Expires", 0.95),
            Column("recorded", "Direkod", "Recorded", 1.1),
        )),
    ), columns=1),
    ListSection("Perjalanan", "Journeys", (
        LongTable("journeys", "Perjalanan yang perlu (tidak dikira, s.51(5)(a))",
                  "Necessary journeys (not counted, s.51(5)(a))", columns=(
                      Column("no", "Bil.", "No.", 0.42, align="right"),
                      Column("departed_at", "Bertolak", "Departed", 1.0),
                      Column("arrived_at", "Tiba", "Arrived", 1.0),
                      Column("from_place", "Dari", "From", 1.6),
                      Column("to_place", "Ke", "To", 1.6),
                      Column("length", "Tempoh", "Length", 1.2),
                  )),
    ), columns=1, when="has_journeys"),
    KeptSection("Pengesahan", "Certification", (
        Signature("prepared_by", "Disediakan oleh", "Prepared by"),
        Signature("certifying_officer", "Pegawai yang mengesahkan", "Certifying officer",
                  declaration_ms="Saya mengesahkan bahawa ini adalah sejarah kuasa tahanan "
                                 "seperti yang direkodkan oleh depot pada masa ia dicetak.",
                  declaration_en="I certify that this is the history of the authority to "
                                 "detain as recorded by the depot at the time it was printed."),
    )),
)


def duration(start: dt.datetime, end: dt.datetime) -> str:
    """"1 hari 23 jam / 1 day 23 h" (minutes when there are any)."""
    minutes = max(int((end - start).total_seconds() // 60), 0)
    d, rest = divmod(minutes, 24 * 60)
    h, m = divmod(rest, 60)
    ms = [f"{d} hari"] if d else []
    en = [f"{d} day{'s' if d != 1 else ''}"] if d else []
    if h:
        ms.append(f"{h} jam")
        en.append(f"{h} h")
    if m or not (d or h):
        ms.append(f"{m} minit")
        en.append(f"{m} min")
    return f"{' '.join(ms)} / {' '.join(en)}"


def _continuing(h: AuthorityHistory, end: dt.datetime) -> bool:
    return h.status == "in_custody" and end >= h.as_of


def unlawful_lines(h: AuthorityHistory) -> str:
    """"Dari / From 04/12/2026 14:30 hingga / to 05/12/2026 12:00: 21 jam 30 minit / 21 h
    30 min", a line each."""
    lines = []
    for start, end in h.unlawful:
        line = (f"Dari / From {vocab.moment(start)} hingga / to {vocab.moment(end)}: "
                f"{duration(start, end)}")
        if _continuing(h, end):
            line += f" — {bilingual(*STILL)}"
        lines.append(line)
    return "\n".join(lines)


def needs(text: str) -> str:
    return bilingual(NEEDS[text], text) if text in NEEDS else text


def _stage(s: HistoryStage) -> dict[str, Any]:
    authority = vocab.word(vocab.AUTHORITY, s.authority)
    if s.reference:
        authority += f"\n{s.reference}"
    return {"section": s.section, "authority": authority, "starts_at": when(s.starts_at),
            "ends_at": when(s.ends_at) or OPEN_END, "valid_until": when(s.valid_until),
            "rests_on": s.rests_on, "_at": s.starts_at}


def _span(h: AuthorityHistory, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    ongoing = _continuing(h, end)
    return {"section": "-", "authority": bilingual(*HELD_WITHOUT),
            "starts_at": when(start), "ends_at": OPEN_END if ongoing else when(end),
            "valid_until": "-",
            "rests_on": f"Tiada kuasa / No authority: {duration(start, end)}"
                        + (f" ({bilingual(*STILL).lower()})" if ongoing else ""),
            "_emphasis": True, "_alert": True, "_at": start}


def stage_rows(h: AuthorityHistory) -> list[dict[str, Any]]:
    """The stages and the stretches without authority, in time order (a stretch after the
    stage it follows), numbered."""
    rows = [_stage(s) for s in h.stages] + [_span(h, a, b) for a, b in h.unlawful]
    rows.sort(key=lambda r: (r["_at"], bool(r.get("_emphasis"))))
    for n, r in enumerate(rows, 1):
        r["no"] = str(n)
        del r["_at"]
    return rows


def _outcome(p: ProductionView) -> str:
    if p.status != "done":
        return word("STATUSES", p.status)
    lines = [word("OUTCOMES", p.outcome)]
    if p.produced_at is not None:
        lines[0] += f", {vocab.moment(p.produced_at)}"
    o = p.order
    if o is not None:
        lines.append(f"Perintah / Order {o.order_no}: {period(o.period_days)}, "
                     f"sehingga / until {vocab.moment(o.expires_at)}")
    for label, value in (("Izin Pendakwa Raya / PP sanction (s.58)", p.sanction_ref),
                         ("No. kes / Case no.", p.case_no), ("Pertuduhan / Charge", p.charge),
                         ("Hukuman / Sentence", p.sentence), ("Penjara / Prison", p.prison),
                         ("Catatan / Note", p.outcome_note)):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _out_back(p: ProductionView) -> str:
    lines = []
    if p.went_out_at is not None:
        lines.append(f"Keluar / Out {vocab.moment(p.went_out_at)}")
    if p.came_back_at is not None:
        lines.append(f"Kembali / Back {vocab.moment(p.came_back_at)}")
    return "\n".join(lines)


def production_rows(h: AuthorityHistory) -> list[dict[str, str]]:
    found = sorted(h.productions, key=lambda p: (p.scheduled_at, p.id))
    return [{"no": str(n), "scheduled_at": when(p.scheduled_at), "court": p.court,
             "purpose": word("PURPOSES", p.purpose), "outcome": _outcome(p),
             "escort": p.escort, "out_back": _out_back(p)} for n, p in enumerate(found, 1)]


def order_rows(orders: tuple[OrderView, ...]) -> list[dict[str, str]]:
    return [{"no": str(n), "order_no": f"{o.order_no}\n{vocab.name(o.magistrate)}",
             "section": o.section, "purpose": order_purpose(o.purpose),
             "period": period(o.period_days), "starts_at": when(o.starts_at),
             "expires_at": when(o.expires_at),
             "recorded": "\n".join(x for x in (o.recorded_by, vocab.moment(o.recorded_at)) if x)}
            for n, o in enumerate(orders, 1)]


def journey_rows(journeys: tuple[JourneyView, ...]) -> list[dict[str, str]]:
    return [{"no": str(n), "departed_at": when(j.departed_at), "arrived_at": when(j.arrived_at),
             "from_place": j.from_place, "to_place": j.to_place,
             "length": duration(j.departed_at, j.arrived_at)}
            for n, j in enumerate(journeys, 1)]


def first_produced(h: AuthorityHistory, at: dt.datetime | None) -> str:
    """When first before a Magistrate, and by how much too late if it was."""
    if at is None:
        text = bilingual(*NOT_YET)
        if min(h.ended_at or h.as_of, h.as_of) > h.production_due:
            text += f" — {bilingual('TEMPOH TELAH TAMAT', 'THE TIME HAS RUN OUT')}"
        return text
    text = vocab.moment(at)
    if at > h.production_due:
        text += f" — {bilingual('LEWAT', 'LATE')} {duration(h.production_due, at)}"
    return text


def _now(h: AuthorityHistory) -> dict[str, str]:
    c = h.current
    if c is None:  # custody has ended
        ended = vocab.word(vocab.STATUS, h.status)
        if h.ended_at is not None:
            ended += f" {vocab.moment(h.ended_at)}"
        return {"state": ended, "valid_until": "-", "current_section": "-",
                "needs": bilingual("Tiada: tahanan telah tamat", "None: custody has ended"),
                "rests_on": "-"}
    return {"state": vocab.word(STATE, c.state), "valid_until": vocab.moment(c.valid_until),
            "current_section": section_words(c.section) if c.section
            else bilingual("Tiada peringkat berkuat kuasa", "No stage in force"),
            "needs": needs(c.needs), "rests_on": c.rests_on}


def context(detail: DetaineeDetail, history: AuthorityHistory,
            printed_by: str = "") -> dict[str, Any]:
    """The history of ``detail``'s detention as ``history`` gives it."""
    h = history
    if h.detention_id != detail.id:
        raise ValueError(f"the history of detention {h.detention_id} is not that of "
                         f"detainee {detail.detainee_no}")
    done = sorted(p.produced_at for p in h.productions if p.produced_at is not None)
    spans = len(h.unlawful)
    summary = bilingual("Tiada", "None") if not spans else (
        f"{spans} tempoh / {'span' if spans == 1 else 'spans'}: "
        f"{bilingual('lihat di bawah', 'see below')}")
    return {
        **particulars(detail),
        "running_head": (f"Sejarah kuasa tahanan / Detention-authority history · "
                         f"{detail.detainee_no} · {vocab.name(detail.full_name)}"),
        "citizen": vocab.yes_no(h.citizen),
        "arrested_at": vocab.moment(h.arrested_at),
        "production_due": vocab.moment(h.production_due),
        "production_rule": h.production_rule,
        "first_produced": first_produced(h, done[0] if done else None),
        "as_of": vocab.moment(h.as_of),
        **_now(h),
        "unlawful_summary": summary,
        "has_unlawful": bool(spans),
        "unlawful_text": unlawful_lines(h),
        "stages": stage_rows(h),
        "productions": production_rows(h),
        "orders": order_rows(h.orders),
        "has_journeys": bool(h.journeys) or h.citizen,
        "journeys": journey_rows(h.journeys),
        "prepared_by": printed_by,
        "certifying_officer": "",
    }


FORM = FormDef(
    code="authority-history", title_ms="Sejarah kuasa tahanan",
    title_en="Detention-authority history", sections=SECTIONS, page_size=A4,
    layout="document", subject_type="authority_history", context=context,
    note_ms="Akta Imigresen 1959/63 (Akta 155) s.34, s.35, s.51(5)",
    note_en="Immigration Act 1959/63 (Act 155) s.34, s.35, s.51(5)",
)
