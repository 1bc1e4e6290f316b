# ruff: noqa: F811 - the fixtures imported from tests.custody_fixtures are parameters
"""The receipt for property and cash returned (``property-return``): what was given back,
item by item and payment by payment, what the depot still holds (or that it holds
nothing), and the declarations; printed with its serial and counterfoil after a release
that returned part of the property, on both engines and from the command line. And the
"paid out" line of the admission receipt's totals."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import AuditEvent, CashEntry, DetentionStage, PrintedDocument, PropertyItem
from depot_app.cli import main, print_cmds
from depot_app.errors import ValidationError
from depot_app.readmodels import CashView, PropertyView
from depot_app.services import departures, detainees, property
from depot_app.services import printing as counterfoils
from depot_app.services.departures import DischargeRequest
from depot_app.services.property import PropertyReturn
from forms import property_receipt, property_return, registry
from forms.base import document_context
from printing import jobs, render
from tests.conftest import PASSWORD
from tests.custody_fixtures import NOW, clock, depot, version, warden  # noqa: F401
from tests.printing.custody_samples import ADMITTED, custody_detail
from tests.printing.helpers import decode, page_texts, raw_pages

BROTHER = "Abang / brother TRẦN VĂN HÙNG (IC 880101-14-5555)"


def _flat(pdf: bytes) -> str:
    """The text of every page in the order it is drawn, a wrapped cell as one phrase."""
    return " ".join(raw_pages(pdf))


def _every_key_given(form, ctx: dict) -> None:
    every_key = {f.key for s in form.sections for f in s.fields}
    assert every_key <= set(ctx), every_key - set(ctx)


# --- the context, from read models ----------------------------------------------------

def test_the_return_lists_what_went_back_what_was_paid_out_and_what_is_still_held():
    """The sample: a phone still held, a watch returned to his brother, RM 235.50 received
    and RM 20.00 paid out at the canteen, RM 215.50 held."""
    d = custody_detail()
    assert property_return.has_returns(d)
    ctx = property_return.context(d)
    _every_key_given(property_return.FORM, ctx)
    assert ctx["detainee_no"] == "SMY-2026-000007" and ctx["full_name"] == "NGUYỄN VĂN AN"
    [watch] = ctx["items_returned"]  # one item: no total line
    assert watch == {"no": "1", "description": "Jam tangan Casio", "quantity": "1",
                     "bag_no": "L-17", "returned_at": "23/11/2026\n01:30",
                     "returned_by": "Sarjan Ali", "returned_to": "Seperti di atas / As above"}
    assert ctx["returned_to"] == BROTHER  # named once, in the particulars
    [canteen] = ctx["cash_paid_out"]
    assert (canteen["amount"], canteen["receipt_no"], canteen["recorded_by"]) == (
        "20.00", "RB-2026-00012", "Warden Lim")  # paid out: printed as a positive amount
    assert ctx["cash_paid_total"] == "RM 20.00"
    # Still held: the phone and the balance.
    assert ctx["held_summary"] == "1 barang dan RM 215.50 / 1 item and RM 215.50"
    assert ctx["holds_items"] is True and ctx["cash_balance"] == "RM 215.50"
    assert [i["description"] for i in ctx["items_held"]] == ["Telefon bimbit Samsung"]
    # Someone other than the detainee received the watch: the name is written by hand.
    assert ctx["receiver_signature"] == ""
    assert ctx["officer_signature"] == ""  # two officers (Sarjan Ali, Warden Lim)
    assert registry.get("property-return") is property_return.FORM
    assert property_return.FORM.subject_type == "detention"


def test_everything_returned_to_the_detainee_says_nothing_is_held():
    returned = ADMITTED + dt.timedelta(days=5)
    d = custody_detail(
        property=tuple(PropertyView(what, n, "B-0412", ADMITTED, "Clerk One", returned,
                                    id=i, returned_by="Sarjan Ali")
                       for i, (what, n) in enumerate((("Telefon", 1), ("Kunci", 3)), 1)),
        cash=(CashView(Decimal("50.00"), ADMITTED, "R1", "Diterima", "Clerk One"),
              CashView(Decimal("-50.00"), returned, "R2", "Dikembalikan / Returned",
                       "Sarjan Ali")),
        cash_balance=Decimal("0.00"))
    ctx = property_return.context(d)
    assert ctx["held_summary"] == ("Tiada apa-apa lagi disimpan oleh depot / "
                                   "Nothing is held by the depot")
    assert ctx["holds_items"] is False and ctx["items_held"] == []
    assert ctx["returned_to"] == "Tahanan sendiri / The detainee in person"
    assert ctx["receiver_signature"] == "NGUYỄN VĂN AN"  # he received it himself
    assert ctx["officer_signature"] == "Sarjan Ali"
    *items, total = ctx["items_returned"]
    assert [i["quantity"] for i in items] == ["1", "3"]
    assert total["_emphasis"] and total["quantity"] == "4" and "Total" in total["description"]
    text = _flat(_render(ctx))
    assert "Nothing is held by the depot" in text
    assert "Barang yang masih disimpan" not in text  # no empty table of items held


def test_cash_returned_to_an_escort_names_the_escort():
    paid = CashView(Decimal("-30.00"), NOW, "R9", "Dikembalikan / Returned (Pengiring "
                    "Depot Bukit Jalil)", "Sarjan Ali")
    ctx = property_return.context(custody_detail(property=(), cash=(paid,),
                                                 cash_balance=Decimal("0.00")))
    assert ctx["returned_to"] == "Pengiring Depot Bukit Jalil"
    assert ctx["receiver_signature"] == ""


def test_nothing_returned_is_refused():
    d = custody_detail(property=(custody_detail().property[0],),
                       cash=(custody_detail().cash[0],), cash_balance=Decimal("235.50"))
    assert not property_return.has_returns(d)
    with pytest.raises(ValidationError, match="Nothing has been returned to SMY-2026-000007"):
        property_return.context(d)


def _render(record: dict) -> bytes:
    form = property_return.FORM
    return render(form, document_context(form, [record], depot_name="Depot Imigresen "
                                         "Semenyih", serial="SMY-DOC-2026-000042",
                                         printed_at=NOW, printed_by="Warden Lim"),
                  invariant=True)


# --- printed after a release that returned part of the property (both engines) --------

@pytest.fixture
def released(db, depot, warden):
    """Agus held a phone, a wallet and keys and RM 150.00; released with the phone and the
    wallet and RM 100.00 given back: the keys and RM 50.00 are still held."""
    with db.write() as uow:
        s = uow.session
        s.add(DetentionStage(detention_id=depot["agus"], section="s.6(1)(c)",
                             authority="arrest", starts_at=NOW - dt.timedelta(days=2)))
        ids = []
        for what, n in (("Telefon bimbit Samsung", 1), ("Dompet hitam", 1), ("Kunci", 3)):
            item = PropertyItem(detention_id=depot["agus"], description=what, quantity=n,
                                bag_no="B-0412", received_at=NOW - dt.timedelta(days=2))
            s.add(item)
            s.flush()
            ids.append(item.id)
        s.add(CashEntry(detention_id=depot["agus"], amount=Decimal("150.00"),
                        occurred_at=NOW - dt.timedelta(days=2), receipt_no="RW-0001",
                        note="Diterima semasa kemasukan"))
    with db.write() as uow:
        departures.discharge(uow, warden, DischargeRequest(
            depot["agus"], "release", "Director of Immigration", "Special pass granted",
            version(db, depot["agus"]), document_ref="JIM/REL/88",
            property=PropertyReturn(item_ids=tuple(ids[:2]), cash_amount="100.00",
                                    receipt_no="RB-0077")))
    with db.read() as uow:
        number = detainees.detail(uow, warden, depot["agus"]).detainee_no
    return {"id": depot["agus"], "number": number, "items": ids}


def test_the_return_receipt_prints_with_its_counterfoil(db, warden, released):
    with db.write() as uow:
        job = jobs.print_form(uow, warden, "property-return", [released["id"]])
    d = job.document
    assert (d.form_code, d.subject_type, d.subject_id) == ("property-return", "detention",
                                                           released["id"])
    assert d.subjects == (("detention", released["id"]),)
    assert d.serial.endswith("-000001") and d.sha256 == hashlib.sha256(job.pdf).hexdigest()
    pages = page_texts(job.pdf)
    assert len(pages) == 1  # two items back, one payment, one item held: one sheet
    text = _flat(job.pdf)
    for words in ("RESIT PEMULANGAN HARTA DAN WANG", "Receipt for property and cash returned",
                  f"No. siri / Serial: {d.serial}", "Muka surat 1 daripada 1 / Page 1 of 1",
                  "Agus Setiawan", "Returned at",
                  "Telefon bimbit Samsung", "Dompet hitam", "Jumlah / Total 2",
                  "RB-0077", "100.00", "Tahanan sendiri / The detainee in person",
                  "MASIH DISIMPAN OLEH DEPOT / Still held by the depot",
                  "1 barang dan RM 50.00 / 1 item and RM 50.00", "Kunci",
                  "I (the detainee, or the person named above as receiving them) have "
                  "received back the property and cash listed above as returned.",
                  "I have returned the property and cash above", "Cap ibu jari kanan",
                  "Right thumbprint", "Nama / Name: Agus Setiawan", "Nama / Name: Warden1"):
        assert words in text, words
    # The returned items are above the held one, the held one is under "still held".
    assert text.index("Dompet hitam") < text.index("MASIH DISIMPAN") < text.index("Kunci")
    assert [x.text for x in decode(job.pdf, 150) if x.kind == "Code128"] == [
        released["number"]]
    assert [x.text for x in decode(job.pdf, 300) if x.kind == "Code128"] == [
        released["number"]]
    with db.read() as uow:  # the counterfoil: among the detainee's documents, bytes kept
        assert [x.id for x in counterfoils.documents_for(uow, warden, "detention",
                                                          released["id"])] == [d.id]
        assert counterfoils.content(uow, warden, d.id) == job.pdf
        assert uow.session.scalars(select(AuditEvent.action)
                                   .where(AuditEvent.entity == "printed_document")).all() \
            == ["document.print"]
    with db.write() as uow:  # a reprint keeps the serial
        again = jobs.reprint(uow, warden, d.id)
    assert again.document.serial == d.serial and again.document.reprint_of_id == d.id
    assert "CETAKAN SEMULA / REPRINT" in _flat(again.pdf)


def test_a_later_return_adds_to_the_receipt_and_then_nothing_is_held(db, warden, released):
    with db.write() as uow:
        property.return_property(uow, warden, released["id"], PropertyReturn(
            item_ids=(released["items"][2],), cash_amount="50.00",
            note="Collected by his brother Bambang", receipt_no="RB-0078"))
    with db.write() as uow:
        job = jobs.print_form(uow, warden, "property-return", [released["id"]])
    text = _flat(job.pdf)
    for words in ("Kunci", "Collected by his brother Bambang", "RB-0077", "RB-0078",
                  "150.00", "Nothing is held by the depot", "RM 0.00"):
        assert words in text, words
    assert "Nama / Name: Agus Setiawan" not in text  # the brother signs: written by hand


def test_nothing_returned_is_refused_and_no_serial_is_used(db, warden, depot, released):
    with db.write() as uow, pytest.raises(ValidationError, match="Nothing has been returned"):
        jobs.print_form(uow, warden, "property-return", [depot["budi"]])
    with db.write() as uow:
        job = jobs.print_form(uow, warden, "property-return", [released["id"]])
    assert job.document.serial.endswith("-000001")
    with db.read() as uow:
        assert uow.session.scalars(select(PrintedDocument.form_code)).all() == [
            "property-return"]


def test_print_the_return_receipt_from_the_command_line(db, warden, depot, released,
                                                        monkeypatch, capsys, tmp_path):
    if print_cmds not in main.MODULES:
        monkeypatch.setattr(main, "MODULES", (*main.MODULES, print_cmds))
    monkeypatch.setenv("DEPOT_USER", "warden1")
    monkeypatch.setenv("DEPOT_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    out = tmp_path / "return.pdf"
    code = main.main(["--db", db.url, "print", "property-return", "--detainee",
                      released["number"], "-o", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert re.search(r"Printed property-return SMY-DOC-\d{4}-000001 \(1 record\)", printed.out)
    assert [x.text for x in decode(out.read_bytes(), 150)] == [released["number"]]
    with db.read() as uow:
        budi = detainees.detail(uow, warden, depot["budi"]).detainee_no
    code = main.main(["--db", db.url, "print", "property-return", "--detainee", budi, "-o",
                      str(tmp_path / "none.pdf")])
    assert code != 0 and "Nothing has been returned" in capsys.readouterr().err
    assert not (tmp_path / "none.pdf").exists()


# --- the admission receipt's totals ----------------------------------------------------

def test_the_admission_receipt_totals_show_the_cash_paid_out():
    ctx = property_receipt.context(custody_detail())
    assert (ctx["cash_received"], ctx["cash_paid"], ctx["cash_balance"]) == (
        "RM 235.50", "RM 20.00", "RM 215.50")
    assert "cash_paid" in {f.key for s in property_receipt.FORM.sections for f in s.fields}
