"""The detainee card (CR80, front only) and the A4 sheet of ten cards to cut out.

Both print the same card; ``card`` puts one card on each CR80 page (a card printer),
``card-sheet`` puts ten on an A4 page (2 x 5) with cut marks.
"""

from __future__ import annotations

from typing import Any

from depot_app.readmodels import DetaineeDetail
from depot_app.services.cards import CardView
from forms import vocab
from forms.base import A4, CR80, FieldDef, FormDef, SectionDef

CARD_SECTIONS = (
    SectionDef("Kad tahanan", "Detainee card", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama", "Name", "name"),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("sex", "Jantina", "Sex"),
        FieldDef("date_of_birth", "Tarikh lahir", "Date of birth"),
        FieldDef("admitted_on", "Masuk", "Admitted"),
        FieldDef("location", "Blok / Sel", "Block / Cell"),
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode"),
        FieldDef("card_serial", "No. kad", "Card no."),
        FieldDef("issued_on", "Dikeluarkan", "Issued"),
        FieldDef("qr", "Kod pengesahan", "Verification code", "qr"),
    )),
)


def context(detail: DetaineeDetail, card: CardView) -> dict[str, Any]:
    """One card's values, from the detainee's record and the card issued."""
    if card.detention_id != detail.id:
        raise ValueError(f"card {card.id} is not for detention {detail.id}")
    return {
        "detention_id": detail.id,
        "card_id": card.id,
        "detainee_no": detail.detainee_no,
        "full_name": vocab.name(detail.full_name).upper(),
        "nationality": vocab.nationality(detail.nationality, detail.nationality_name),
        "sex": vocab.SEX_SHORT.get(detail.sex, detail.sex),
        "date_of_birth": vocab.day(detail.date_of_birth),
        "admitted_on": vocab.day(detail.admitted_at),
        "location": (vocab.word(vocab.LOCATION, detail.location) if detail.location
                     else vocab.word(vocab.STATUS, detail.status)),
        "card_serial": str(card.serial),
        "issued_on": vocab.day(card.issued_on),
        "qr": card.payload,
        "photo": detail.photo,
        "photo_mime": detail.photo_mime,
    }


CARD = FormDef(
    code="card", title_ms="Kad tahanan", title_en="Detainee card", sections=CARD_SECTIONS,
    page_size=CR80, layout="card", subject_type="detainee_card", context=context,
)

CARD_SHEET = FormDef(
    code="card-sheet", title_ms="Helaian kad tahanan", title_en="Detainee card sheet",
    sections=CARD_SECTIONS, page_size=A4, layout="card_sheet", subject_type="detainee_card",
    context=context, note_ms="Potong pada tanda potong", note_en="Cut along the cut marks",
)
