"""The property and cash receipt, and what the detainee record now reads for it and for the
admission record: property, cash, family links (from either side) and vulnerability flags.
Both engines; the rows are written straight through the ORM."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import AuditEvent, CashEntry, Detention, FamilyLink, PropertyItem
from depot_app.readmodels import CashView, FamilyView, PropertyView
from depot_app.services import detainees
from depot_app.services import printing as counterfoils
from forms import admission_record, property_receipt, registry
from forms.admission_record import ringgit
from printing import jobs
from tests import factories
from tests.printing.helpers import decode, page_texts
from tests.printing.test_forms import ADMITTED, detail

ITEMS = (("Telefon bimbit Samsung", 1, "B-0412"), ("Beg galas hitam", 1, "B-0412"),
         ("Kad ATM Maybank", 2, "B-0412"), ("Jam tangan Casio", 1, "L-17"))
# Exact in Decimal; in binary floating point 0.10 + 0.20 is not 0.30.
CASH = (("235.50", "RW-2026-00871", "Received on admission"), ("0.10", "", "Syiling"),
        ("0.20", "", "Syiling"), ("-20.00", "RB-2026-00012", "Kantin / Canteen"))


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


@pytest.fixture
def held(db, clerk):
    """A father with property, cash and a family: his son (linked from the father's side),
    his wife (linked from hers) and his brother (linked from both sides, as the demo does)."""
    with db.write() as uow:
        s = uow.session
        father = factories.detainee(uow, "NGUYỄN VĂN AN", nationality="VNM")
        son = factories.detainee(uow, "NGUYỄN VĂN BÌNH", nationality="VNM", minor=True,
                                 born=dt.date(2014, 3, 2))
        wife = factories.detainee(uow, "TRẦN THỊ MAI", nationality="VNM", sex="F")
        brother = factories.detainee(uow, "NGUYỄN VĂN CƯỜNG", nationality="VNM")
        s.add_all([
            FamilyLink(detention_id=father, related_detention_id=son, relation="child"),
            FamilyLink(detention_id=wife, related_detention_id=father, relation="spouse"),
            FamilyLink(detention_id=father, related_detention_id=brother, relation="sibling"),
            FamilyLink(detention_id=brother, related_detention_id=father, relation="sibling"),
        ])
        now = uow.now()
        for n, (what, quantity, bag) in enumerate(ITEMS):
            s.add(PropertyItem(detention_id=father, description=what, quantity=quantity,
                               bag_no=bag, received_at=now + dt.timedelta(minutes=n),
                               received_by_id=clerk.user_id,
                               returned_at=now + dt.timedelta(days=2) if n == 3 else None))
        for n, (amount, receipt, note) in enumerate(CASH):
            s.add(CashEntry(detention_id=father, amount=Decimal(amount), receipt_no=receipt,
                            note=note, occurred_at=now + dt.timedelta(minutes=n),
                            recorded_by_id=clerk.user_id))
        s.get(Detention, wife).is_pregnant = True
        s.flush()
        return {"father": father, "son": son, "wife": wife, "brother": brother}


def _detail(db, actor, detention_id):
    with db.read() as uow:
        return detainees.detail(uow, actor, detention_id)


def test_detail_reads_property_cash_and_family_from_both_sides(db, clerk, held):
    d = _detail(db, clerk, held["father"])
    assert [(p.description, p.quantity, p.bag_no) for p in d.property] == list(ITEMS)
    assert all(isinstance(p, PropertyView) and p.received_by == "Clerk1" for p in d.property)
    assert [p.returned_at is not None for p in d.property] == [False, False, False, True]
    assert [c.amount for c in d.cash] == [Decimal(a) for a, _, _ in CASH]
    assert all(isinstance(c, CashView) and c.recorded_by == "Clerk1" for c in d.cash)
    assert d.cash[0].receipt_no == "RW-2026-00871"
    assert d.cash_balance == Decimal("215.80") and isinstance(d.cash_balance, Decimal)
    numbers = {k: _detail(db, clerk, v).detainee_no for k, v in held.items()}
    assert {(f.relation, f.detention_id, f.detainee_no, f.full_name) for f in d.family} == {
        ("child", held["son"], numbers["son"], "NGUYỄN VĂN BÌNH"),
        ("spouse", held["wife"], numbers["wife"], "TRẦN THỊ MAI"),
        ("sibling", held["brother"], numbers["brother"], "NGUYỄN VĂN CƯỜNG"),
    }
    assert len(d.family) == 3  # the brother is linked both ways but listed once
    # From the other side the relation is inverted.
    son = _detail(db, clerk, held["son"])
    assert son.family == (FamilyView("parent", held["father"], numbers["father"],
                                     "NGUYỄN VĂN AN"),)
    assert [f.relation for f in _detail(db, clerk, held["wife"]).family] == ["spouse"]
    assert [f.relation for f in _detail(db, clerk, held["brother"]).family] == ["sibling"]
    assert son.property == () and son.cash == () and son.cash_balance == Decimal("0.00")


def test_the_receipt_prints_the_items_and_the_exact_cash(db, clerk, held):
    with db.write() as uow:
        job = jobs.print_form(uow, clerk, "property-receipt", [held["father"]])
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("property-receipt", "detention",
                                                           held["father"])
    assert d.serial.endswith("-000001") and d.sha256 == hashlib.sha256(job.pdf).hexdigest()
    pages = page_texts(job.pdf)
    assert len(pages) == 1  # four items and four cash entries fit on one sheet
    text = _flat(job.pdf)
    for words in ("RESIT HARTA DAN WANG", "Receipt for property and cash",
                  f"No. siri / Serial: {d.serial}", "Muka surat 1 daripada 1 / Page 1 of 1",
                  "NGUYỄN VĂN AN", "Telefon bimbit Samsung", "Beg galas hitam",
                  "Kad ATM Maybank", "B-0412", "Disimpan / Held", "Dipulangkan / Returned",
                  "RW-2026-00871", "235.50", "-20.00",
                  "Cap ibu jari kanan", "Right thumbprint", "Saya mengaku bahawa",
                  "I certify that I have received", "Nama / Name: NGUYỄN VĂN AN",
                  "Nama / Name: Clerk1"):
        assert words in text, words
    # Totals: four items, five pieces, two bags; RM 235.80 received, RM 20.00 paid out,
    # RM 215.80 held.
    totals = text[text.index("JUMLAH"):]
    assert "4 5 B-0412, L-17 RM 235.80 RM 20.00 RM 215.80" in totals
    assert "dibayar" in totals and "paid out" in totals  # the label, wrapped
    number = _detail(db, clerk, held["father"]).detainee_no
    assert [x.text for x in decode(job.pdf, 150) if x.kind == "Code128"] == [number]
    with db.read() as uow:
        assert [x.id for x in counterfoils.documents_for(uow, clerk, "detention",
                                                          held["father"])] == [d.id]
        assert counterfoils.content(uow, clerk, d.id) == job.pdf
        assert uow.session.scalars(select(AuditEvent.action)
                                   .where(AuditEvent.entity == "printed_document")).all() \
            == ["document.print"]
    with db.write() as uow:  # a reprint keeps the serial
        again = jobs.reprint(uow, clerk, d.id)
    assert again.document.serial == d.serial and "CETAKAN SEMULA / REPRINT" in _flat(again.pdf)


def test_the_receipt_serials_follow_the_other_forms(db, clerk, held):
    with db.write() as uow:
        first = jobs.print_form(uow, clerk, "admission-record", [held["father"]]).document
    with db.write() as uow:
        both = jobs.print_form(uow, clerk, "property-receipt", [held["father"], held["son"]])
    assert [s[-6:] for s in (first.serial, both.document.serial)] == ["000001", "000002"]
    assert both.document.subject_type == "batch"
    assert both.document.subjects == tuple(sorted((("detention", held["father"]),
                                                   ("detention", held["son"]))))
    son_page = page_texts(both.pdf)[-1]
    assert "NGUYỄN VĂN BÌNH" in son_page and "Tiada / None" in son_page
    assert "RM 0.00" in son_page


def test_the_admission_record_shows_vulnerability_family_and_property(db, clerk, held):
    with db.write() as uow:
        pdf = jobs.print_form(uow, clerk, "admission-record",
                              [held["son"], held["wife"], held["father"]]).pdf
    pages = [" ".join(p.split()) for p in page_texts(pdf)]
    son, wife = pages[0], pages[2]  # each record is two pages; the flags are on the first
    assert "NGUYỄN VĂN BÌNH" in son and "TRẦN THỊ MAI" in wife
    assert "KERENTANAN DAN KELUARGA / Vulnerability and family" in son
    assert "Kanak-kanak / Minor Kanak-kanak tanpa pengiring" in son
    flags = son[son.index("KERENTANAN"):son.index("Ahli keluarga")]
    assert flags.count("Ya / Yes") == 1 and flags.count("Tidak / No") == 3  # a minor
    flags = wife[wife.index("KERENTANAN"):wife.index("Ahli keluarga")]
    assert flags.count("Ya / Yes") == 1 and "Hamil / Pregnant" in flags  # pregnant
    assert "Ibu atau bapa / Parent" in son and "Pasangan / Spouse" in wife
    father = " ".join(pages[4:])
    for words in ("Anak / Child", "Pasangan / Spouse", "Adik-beradik / Sibling",
                  "HARTA DAN WANG TUNAI / Property and cash", "RM 215.80", "B-0412"):
        assert words in father, words
    assert "L-17" not in father  # that bag's only item was returned


def test_vulnerability_words_in_the_context():
    ctx = admission_record.context(detail(flags=("minor", "pregnant", "interpreter")))
    assert (ctx["is_minor"], ctx["is_pregnant"]) == ("Ya / Yes", "Ya / Yes")
    assert (ctx["is_disabled"], ctx["is_unaccompanied_child"]) == ("Tidak / No", "Tidak / No")
    assert ctx["family"] == [] and ctx["property_count"] == "0"
    assert ctx["cash_balance"] == "RM 0.00"


def test_receipt_context_formats_money_and_times():
    items = (PropertyView("Telefon bimbit Samsung", 1, "B-0412", ADMITTED, "Clerk One", None),
             PropertyView("Kunci", 3, "", ADMITTED, "Sarjan Ali", ADMITTED + dt.timedelta(1)))
    cash = (CashView(Decimal("1234.50"), ADMITTED, "R1", "", "Clerk One"),
            CashView(Decimal("-34.50"), ADMITTED + dt.timedelta(1), "R2", "", "Clerk One"))
    ctx = property_receipt.context(detail(property=items, cash=cash,
                                          cash_balance=Decimal("1200.00")))
    assert ctx["received_at"] == "21/11/2026 01:30"  # Malaysian time
    assert ctx["items"][1] == {"no": "2", "description": "Kunci", "quantity": "3",
                               "bag_no": "", "state": "Dipulangkan / Returned 22/11/2026"}
    assert [e["amount"] for e in ctx["cash_entries"]] == ["1,234.50", "-34.50"]
    assert (ctx["cash_received"], ctx["cash_balance"]) == ("RM 1,234.50", "RM 1,200.00")
    assert (ctx["item_count"], ctx["quantity_total"], ctx["bag_nos"]) == ("2", "4", "B-0412")
    assert ctx["received_by"] == "Clerk One; Sarjan Ali"
    assert ctx["officer_signature"] == ""  # two officers: the name is written by hand
    every_key = {f.key for s in property_receipt.FORM.sections for f in s.fields}
    assert every_key <= set(ctx)
    assert registry.get("property-receipt") is property_receipt.FORM


@pytest.mark.parametrize("amount, printed", [
    ("0", "RM 0.00"), ("235.5", "RM 235.50"), ("1234.50", "RM 1,234.50"),
    ("-20", "-RM 20.00"), ("1000000.01", "RM 1,000,000.01"),
])
def test_ringgit(amount, printed):
    assert ringgit(Decimal(amount)) == printed
