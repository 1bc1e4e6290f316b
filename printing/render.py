"""``render(form, context) -> PDF bytes``: the one entry point for every form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.base import FormDef
from printing import lists
from printing.cards import Cancelled, Progress, render_cards
from printing.document import render_document


def render(form: FormDef, context: Mapping[str, Any], *, invariant: bool = False,
           progress: Progress | None = None, cancelled: Cancelled | None = None) -> bytes:
    """The PDF of ``context`` (a ``forms.base.document_context``) printed on ``form``.

    ``invariant=True`` gives the same bytes for the same input (fixed creation date and
    document id), for tests and for reproducing a counterfoil copy.
    """
    if form.layout == "card":
        return render_cards(context, "single", progress=progress, cancelled=cancelled,
                            invariant=invariant)
    if form.layout == "card_sheet":
        return render_cards(context, "sheet", progress=progress, cancelled=cancelled,
                            invariant=invariant)
    if form.code in lists.FORMS:  # the court forms: photos and barcodes in their lists
        return render_document(form, context, invariant=invariant, draw=lists.draw_section,
                               marks=False)
    return render_document(form, context, invariant=invariant)
