"""Form definitions, the registry and context builders: plain data, no ReportLab."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from depot_app.readmodels import DetaineeDetail, DocumentView, StageView
from depot_app.services.cards import CardView
from forms import admission_record, card, registry
from forms.base import CR80, FieldDef, FormDef, SectionDef, bilingual, document_context

ROOT = Path(__file__).resolve().parents[2]
ADMITTED = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)  # 21/11/2026 01:30 in Malaysia


def detail(**changes) -> DetaineeDetail:
    values = dict(
        id=7, version=1, detainee_no="SMY-2026-000007", person_id=3,
        full_name="NGUYE\u0302\u0303N VĂN  AN", aliases=("AN NGUYEN",), sex="M",
        date_of_birth=dt.date(1990, 5, 17), age=36, nationality="VNM",
        nationality_name="Viet Nam", place_of_birth="Hà Nội", languages="Vietnamese",
        interpreter_needed=True, distinguishing_marks="", home_address="", employer="",
        status="in_custody", citizen=False, arrested_at=ADMITTED - dt.timedelta(hours=3),
        arrest_place="Semenyih", arresting_agency="JIM", operation_name="Op Kutip",
        admitted_at=ADMITTED, admitted_by="Clerk One", ended_at=None,
        location="Blok A / A-01", block="Blok A", flags=("interpreter",),
        documents=(DocumentView("passport", "C1234567", "VNM", None, dt.date(2030, 1, 2),
                                True),),
        passes=(), stages=(StageView("s.6(1)(c)", "arrest", "RPT/1", ADMITTED, None),),
        movements=(), other_episodes=(), photo=None, photo_mime="")
    values.update(changes)
    return DetaineeDetail(**values)


def test_the_registry_knows_the_first_forms():
    assert registry.codes() == ["admission-record", "authority-history", "card", "card-sheet",
                                "custody-record", "detention-order", "fit-to-travel",
                                "headcount-sheet", "medical-exam", "movement-slip",
                                "outbreak-list", "production-list", "property-receipt",
                                "property-return", "roll"]
    assert registry.get("Card-Sheet") is card.CARD_SHEET
    assert [f.code for f in registry.all_forms()] == registry.codes()
    with pytest.raises(KeyError, match="known forms: admission-record, authority-history, "
                                       "card, card-sheet, custody-record, detention-order, "
                                       "fit-to-travel, headcount-sheet, medical-exam, "
                                       "movement-slip, outbreak-list, production-list, "
                                       "property-receipt, property-return, roll"):
        registry.get("memo")


def test_labels_are_bilingual_malay_first():
    for form in registry.all_forms():
        assert " / " in form.title
        for section in form.sections:
            assert section.title_ms and section.title_en
            for field in section.fields:
                assert field.label == bilingual(field.label_ms, field.label_en)
                assert field.label.startswith(field.label_ms)
    assert card.CARD.page_size == CR80
    assert bilingual("Status", "Status") == "Status"


def test_definitions_refuse_mistakes():
    with pytest.raises(ValueError, match="unknown kind"):
        FieldDef("x", "X", "X", kind="sparkly")
    with pytest.raises(ValueError, match="needs columns"):
        FieldDef("t", "T", "T", kind="table")
    with pytest.raises(ValueError, match="used twice"):
        FormDef("f", "F", "F", (SectionDef("S", "S", (FieldDef("a", "A", "A"),
                                                     FieldDef("a", "B", "B"))),))


def test_admission_record_context_formats_for_print():
    ctx = admission_record.context(detail())
    assert ctx["full_name"] == "NGUYỄN VĂN AN"  # composed and single-spaced
    assert ctx["admitted_at"] == "21/11/2026 01:30"  # Malaysian time
    assert ctx["date_of_birth"] == "17/05/1990 (36)"
    assert ctx["sex"] == "Lelaki / Male"
    assert ctx["interpreter"] == "Ya / Yes"
    assert ctx["is_minor"] == "Tidak / No"  # the interpreter is in the particulars
    assert ctx["documents"] == [{"doc_type": "Pasport / Passport", "number": "C1234567",
                                 "issuing_state": "VNM", "issued_on": "",
                                 "expires_on": "02/01/2030", "held": "Ya / Yes"}]
    stage = ctx["stages"][0]
    assert stage["authority"] == "Tangkapan / Arrest"
    assert stage["words"].startswith("Entering Malaysia without a valid Pass")
    every_key = {f.key for s in admission_record.FORM.sections for f in s.fields}
    assert every_key <= set(ctx)


def test_card_context_needs_the_card_of_that_detention():
    issued = CardView(4, 7, "SMY-2026-000007", 2, ADMITTED, "Clerk One", "lost", "DPT1.X", None)
    ctx = card.context(detail(), issued)
    assert ctx["card_serial"] == "2" and ctx["qr"] == "DPT1.X"
    assert ctx["issued_on"] == "21/11/2026"  # the Malaysian day, as signed
    assert ctx["sex"] == "L / M"
    other = CardView(5, 8, "SMY-2026-000008", 1, ADMITTED, "", "first", "DPT1.Y", None)
    with pytest.raises(ValueError):
        card.context(detail(), other)


def test_document_context_wraps_the_records():
    ctx = document_context(card.CARD, [{"a": 1}], depot_name="Depot", serial="SMY-DOC-2026-1",
                           printed_at=ADMITTED, printed_by="Clerk")
    assert ctx["printed_at"] == "21/11/2026 01:30" and ctx["records"] == [{"a": 1}]
    with pytest.raises(ValueError):
        document_context(card.CARD, [], depot_name="D", serial="S", printed_at=ADMITTED,
                         printed_by="C")


def test_forms_do_not_load_reportlab_or_qt():
    code = ("import sys, forms.registry\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'PySide6')]\n"
            "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
