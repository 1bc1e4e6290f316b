"""Print cards for 52 detainees, rasterize at 300 and 150 dpi and read every Code 128 and QR
code back with zxing-cpp: the numbers must match and every QR must verify. Both engines."""

from __future__ import annotations

import pytest

from depot_app.services import cards
from printing import jobs
from tests.printing.conftest import make_detainees
from tests.printing.helpers import decode

COUNT = 52  # six sheets, the last one part-filled


@pytest.fixture
def crowd(db):
    with db.write() as uow:
        return make_detainees(uow, COUNT)


def _print(db, actor, ids, layout):
    with db.write() as uow:
        return jobs.print_cards(uow, actor, ids, layout)


def _check(found, numbers_by_page, payloads_by_page):
    barcodes = sorted((d.page, d.text) for d in found if d.kind == "Code128")
    qrs = sorted((d.page, d.text) for d in found if d.kind == "QRCode")
    assert barcodes == sorted((p, n) for p, ns in numbers_by_page.items() for n in ns)
    assert qrs == sorted((p, q) for p, qs in payloads_by_page.items() for q in qs)


def test_every_card_decodes_on_sheets_and_single_pages(db, clerk, crowd):
    sheet = _print(db, clerk, crowd, "sheet")
    single = _print(db, clerk, crowd, "single")
    assert len(sheet.cards) == COUNT and {c.serial for c in sheet.cards} == {1}
    assert [c.id for c in single.cards] == [c.id for c in sheet.cards]  # the same cards
    by_page: dict[int, list[str]] = {}
    qr_by_page: dict[int, list[str]] = {}
    for i, card in enumerate(sheet.cards):
        by_page.setdefault(i // 10 + 1, []).append(card.detainee_no)
        qr_by_page.setdefault(i // 10 + 1, []).append(card.payload)
    for dpi in (300, 150):
        _check(decode(sheet.pdf, dpi), by_page, qr_by_page)
        _check(decode(single.pdf, dpi),
               {i: [c.detainee_no] for i, c in enumerate(single.cards, 1)},
               {i: [c.payload] for i, c in enumerate(single.cards, 1)})
    with db.read() as uow:
        statuses = {cards.verify_card(uow, c.payload)["status"] for c in single.cards}
    assert statuses == {"valid"}

    # A reissued card decodes too, and the code on the old card is superseded.
    old = single.cards[0]
    with db.write() as uow:
        cards.issue_card(uow, clerk, crowd[0], "damaged")
    read = [d.text for d in decode(_print(db, clerk, crowd[:1], "single").pdf, 150)
            if d.kind == "QRCode"]
    assert len(read) == 1 and read[0] != old.payload
    with db.read() as uow:
        now = cards.verify_card(uow, read[0])
        before = cards.verify_card(uow, old.payload)
    assert (now["status"], now["card_serial"]) == ("valid", 2)
    assert (before["status"], before["current_serial"]) == ("superseded", 2)
