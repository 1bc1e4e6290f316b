"""Every form the depot prints, by code. Later forms add themselves to ``_FORMS``."""

from __future__ import annotations

from forms import (
    admission_record,
    authority_history,
    card,
    custody_record,
    detention_order,
    fit_to_travel,
    headcount_sheet,
    medical_exam,
    movement_slip,
    outbreak_list,
    production_list,
    property_receipt,
    property_return,
    roll_sheet,
)
from forms.base import FormDef

_FORMS: dict[str, FormDef] = {
    f.code: f for f in (card.CARD, card.CARD_SHEET, admission_record.FORM,
                        property_receipt.FORM, property_return.FORM,
                        custody_record.FORM, movement_slip.FORM,
                        roll_sheet.FORM, headcount_sheet.FORM, medical_exam.FORM,
                        fit_to_travel.FORM, outbreak_list.FORM, production_list.FORM,
                        detention_order.FORM, authority_history.FORM)
}


def get(code: str) -> FormDef:
    """The form with this code; ``KeyError`` naming the known codes when there is none."""
    try:
        return _FORMS[code.strip().lower()]
    except KeyError:
        raise KeyError(f"no form {code!r}; known forms: {', '.join(sorted(_FORMS))}") from None


def all_forms() -> list[FormDef]:
    return sorted(_FORMS.values(), key=lambda f: f.code)


def codes() -> list[str]:
    return sorted(_FORMS)
