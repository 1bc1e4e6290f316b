"""The movement slip: one movement of one detainee, to go with them. Who (particulars,
photo, the detainee number as Code 128, anything the escort must know), the movement
(what, when, from where to where, why, on whose authority, under which document), then the
officer handing over and the escort or receiving officer sign. A detainee going out to
court, hospital or an embassy comes back on the same slip: it has room for the return.
A return's own slip has the escort hand the detainee back and the depot receive them; an
abscondment or a death hands nobody over: the slip is a record of the movement, signed by
the officer who recorded it.

``context(detail, movement_id)`` prints that movement; without an id, the latest.
"""

from __future__ import annotations

from typing import Any

from depot_app.readmodels import DetaineeDetail, MovementView
from forms import vocab
from forms.base import A4, FieldDef, FormDef, SectionDef, bilingual
from forms.custody_record import (
    LEAVING_KINDS,
    MOVEMENT,
    OUT_KINDS,
    RECORD_ONLY,
    OptionalSection,
    common_particulars,
    in_time_order,
    movement_reason,
    movement_to,
    place,
)
from forms.property_receipt import Signature

BLANK = "\u00a0\n\u00a0"  # room to write by hand, above the field's line

SECTIONS = (
    SectionDef("Butiran tahanan", "Detainee particulars", (
        FieldDef("photo", "Foto", "Photo", "photo"),
        FieldDef("full_name", "Nama penuh", "Full name", "name", span=3),
        FieldDef("detainee_no", "No. tahanan", "Detainee no.", "barcode", span=2),
        FieldDef("nationality", "Warganegara", "Nationality"),
        FieldDef("sex", "Jantina", "Sex"),
        FieldDef("date_of_birth", "Tarikh lahir (umur)", "Date of birth (age)"),
        FieldDef("attention", "Perhatian khusus", "Special attention"),
    ), columns=3),
    SectionDef("Pergerakan", "Movement", (
        FieldDef("kind", "Pergerakan", "Movement", "name", span=2),
        FieldDef("movement_no", "No. pergerakan", "Movement no."),
        FieldDef("occurred_at", "Tarikh dan masa", "Date and time"),
        FieldDef("from_place", "Dari", "From"),
        FieldDef("to_place", "Ke", "To"),
        FieldDef("reason", "Sebab", "Reason", "multiline", span=3),
        FieldDef("authority", "Kuasa", "Authority"),
        FieldDef("document_ref", "Rujukan dokumen", "Document ref."),
        FieldDef("recorded_by", "Direkod oleh", "Recorded by"),
    ), columns=3),
    OptionalSection("Pengiring", "Escort", (
        FieldDef("escort", "Pengiring", "Escort"),
        FieldDef("escort_agency", "Agensi / pasukan", "Agency / unit"),
        FieldDef("escort_id", "No. kad kuasa / badan", "Authority card / badge no."),
        FieldDef("vehicle_no", "No. kenderaan", "Vehicle no."),
    ), columns=4, when="leaves_depot"),
    OptionalSection("Penyerahan", "Handing over", (
        Signature("handing_officer", "Pegawai yang menyerahkan", "Officer handing over",
                  declaration_ms="Saya menyerahkan tahanan yang dinamakan di atas untuk "
                                 "pergerakan ini.",
                  declaration_en="I hand over the detainee named above for this movement."),
        Signature("receiving_officer", "Pengiring / pegawai yang menerima",
                  "Escort / receiving officer",
                  declaration_ms="Saya menerima tahanan yang dinamakan di atas ke dalam "
                                 "jagaan saya.",
                  declaration_en="I have received the detainee named above into my custody."),
    ), when="is_handover"),
    # A return: the escort hands the detainee back and the depot receives them.
    OptionalSection("Penyerahan semula ke depot", "Handing back to the depot", (
        Signature("handing_back", "Pengiring yang menyerahkan semula", "Escort handing back",
                  declaration_ms="Saya menyerahkan semula tahanan yang dinamakan di atas "
                                 "kepada depot.",
                  declaration_en="I hand the detainee named above back to the depot."),
        Signature("receiving_back", "Pegawai yang menerima semula", "Officer receiving back",
                  declaration_ms="Saya telah menerima semula tahanan yang dinamakan di atas "
                                 "ke dalam jagaan depot.",
                  declaration_en="I have received the detainee named above back into the "
                                 "depot's custody."),
    ), when="is_return"),
    # An abscondment or a death is no hand-over: the officer who recorded it signs for it.
    OptionalSection("Rekod pergerakan", "Record of the movement", (
        Signature("recording_officer", "Pegawai yang merekod", "Recording officer",
                  declaration_ms="Saya mengesahkan bahawa pergerakan ini telah direkodkan "
                                 "seperti di atas.",
                  declaration_en="I certify that this movement is recorded as above."),
        Signature("checking_officer", "Disemak oleh", "Checked by"),
    ), when="is_record"),
    OptionalSection("Kembali ke depot", "Return to the depot", (
        Signature("returning_escort", "Pengiring yang menyerahkan semula",
                  "Escort handing back"),
        Signature("received_back_by", "Pegawai yang menerima semula", "Officer receiving back"),
    ), when="is_out"),
)


def movement(detail: DetaineeDetail, movement_id: int | None = None) -> MovementView:
    """The movement ``movement_id`` of this detention; the latest when None."""
    if not detail.movements:
        raise ValueError(f"detainee {detail.detainee_no} has no movement recorded")
    if movement_id is None:
        return in_time_order(detail.movements)[-1]
    for m in detail.movements:
        if m.id == movement_id:
            return m
    raise ValueError(f"movement {movement_id} is not one of detainee {detail.detainee_no}")


def _attention(d: DetaineeDetail) -> str:
    flags = [vocab.word(vocab.FLAG, f) for f in d.flags]
    return "; ".join(flags) if flags else bilingual(*vocab.NONE)


def context(detail: DetaineeDetail, movement_id: int | None = None) -> dict[str, Any]:
    d = detail
    m = movement(d, movement_id)
    return {
        **common_particulars(d),
        "movement_id": m.id,
        "attention": _attention(d),
        "kind": vocab.word(MOVEMENT, m.kind),
        "movement_no": str(m.id) if m.id else "",
        "occurred_at": vocab.moment(m.occurred_at),
        "from_place": place(m.from_place),
        "to_place": movement_to(m),
        "reason": movement_reason(m),
        "authority": m.authority,
        "document_ref": m.document_ref,
        "recorded_by": m.recorded_by,
        "leaves_depot": m.kind in LEAVING_KINDS,
        "is_out": m.kind in OUT_KINDS,
        "is_return": m.kind == "return",
        "is_record": m.kind in RECORD_ONLY,
        "is_handover": m.kind not in (*RECORD_ONLY, "return"),
        "escort": m.escort or BLANK,
        "escort_agency": BLANK, "escort_id": BLANK, "vehicle_no": BLANK,
        "handing_officer": "", "receiving_officer": "",
        "returning_escort": "", "received_back_by": "",
        "handing_back": "", "receiving_back": "",
        "recording_officer": m.recorded_by, "checking_officer": "",
    }


FORM = FormDef(
    code="movement-slip", title_ms="Slip pergerakan tahanan", title_en="Detainee movement slip",
    sections=SECTIONS, page_size=A4, layout="document", subject_type="movement",
    context=context, note_ms="Mengiringi tahanan", note_en="Goes with the detainee",
)
