"""A whole print job in ONE write unit of work: read the records, issue any first cards,
take the document serial, render with that serial on every page, keep the counterfoil.

If anything fails or the user cancels, the unit of work rolls back: no serial is used up,
no card is issued, nothing is recorded. The CLI and the window both call these.

Note: the unit of work (and so, on SQLite, the database write lock) is held while the PDF
is rendered; a 1,000-card batch holds it for a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import Detention, PrintedDocument, PrintedDocumentSubject
from depot_app.actor import Actor, Permission
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.services import cards, detainees
from depot_app.services import printing as counterfoils
from depot_app.services.cards import CardView
from depot_app.services.printing import PrintedDocumentView
from depot_app.services.setup import current_depot
from forms import registry
from forms.base import FormDef, document_context
from printing.cards import Cancelled, PrintCancelled, Progress
from printing.render import render

CARD_LAYOUTS = {"sheet": "card-sheet", "single": "card"}
# Forms printed for chosen detainees; the others print through printing.custody_jobs.
DETAINEE_SUBJECTS = ("detention", "detainee_card")


@dataclass(frozen=True)
class PrintJob:
    pdf: bytes
    document: PrintedDocumentView
    cards: tuple[CardView, ...] = ()


def form_for(code: str) -> FormDef:
    try:
        return registry.get(code)
    except KeyError as exc:
        raise ValidationError({"form": str(exc.args[0])}) from None


def in_custody_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Everyone in custody, in detainee-number order (the order a sheet is cut and handed)."""
    actor.require(Permission.VIEW_DETAINEES)
    return list(uow.session.scalars(select(Detention.id).where(Detention.status == "in_custody")
                                    .order_by(Detention.detainee_no)))


def ids_for_numbers(uow: UnitOfWork, actor: Actor, numbers: Sequence[str]) -> list[int]:
    return [detainees.id_for_number(uow, actor, n) for n in numbers]


def print_form(uow: UnitOfWork, actor: Actor, form_code: str, detention_ids: Sequence[int], *,
               invariant: bool = False, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> PrintJob:
    """Print ``form_code`` for these detentions as one document with one serial.

    Card forms issue a first card to anyone who has none and print everyone's current card.
    ``progress(done, total)`` counts reading the records and then drawing them."""
    actor.require(Permission.PRINT)
    form = form_for(form_code)
    if form.subject_type not in DETAINEE_SUBJECTS:
        raise ValidationError({"form": f"The {form.title_en.lower()} is not printed for chosen "
                                       f"detainees: print it from its own page"})
    ids = list(dict.fromkeys(detention_ids))
    if not ids:
        raise ValidationError({"detainees": "choose at least one detainee to print"})
    records, issued = _records(uow, actor, form, ids, None, _phase(progress, 0, len(ids)),
                               cancelled)
    return _finish(uow, actor, form, ids, records, issued, None, invariant,
                   _phase(progress, len(ids), len(ids)), cancelled)


def print_cards(uow: UnitOfWork, actor: Actor, detention_ids: Sequence[int],
                layout: str = "sheet", **kwargs: Any) -> PrintJob:
    if layout not in CARD_LAYOUTS:
        raise ValidationError({"layout": "layout must be sheet or single"})
    return print_form(uow, actor, CARD_LAYOUTS[layout], detention_ids, **kwargs)


def reprint(uow: UnitOfWork, actor: Actor, document_id: int, *,
            invariant: bool = False) -> PrintJob:
    """Print a document again under its serial, marked as a reprint (cards as issued)."""
    actor.require(Permission.PRINT)
    original = uow.session.get(PrintedDocument, document_id)
    if original is None:
        raise NotFound("printed document", document_id)
    form = form_for(original.form_code)
    if form.subject_type not in DETAINEE_SUBJECTS:
        raise ValidationError({"document_id": "This document is reprinted through "
                                              "printing.custody_jobs.reprint"})
    subjects = list(uow.session.scalars(
        select(PrintedDocumentSubject)
        .where(PrintedDocumentSubject.printed_document_id == original.id)))
    wanted = [s.subject_id for s in subjects if s.subject_type == form.subject_type]
    if form.subject_type == "detainee_card":
        card_rows = _cards_by_id(uow, actor, wanted)
        ids = [c.detention_id for c in card_rows]
    else:
        card_rows, ids = [], wanted
    records, _ = _records(uow, actor, form, ids, card_rows or None, None, None)
    return _finish(uow, actor, form, ids, records, card_rows, original, invariant, None, None)


def _phase(progress: Progress | None, offset: int, count: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, _total: progress(offset + done, 2 * count)


def _records(uow, actor, form: FormDef, ids: list[int], given_cards: list[CardView] | None,
             progress: Progress | None, cancelled: Cancelled | None):
    records: list[dict[str, Any]] = []
    issued: list[CardView] = []
    for n, detention_id in enumerate(ids, 1):
        detail = detainees.detail(uow, actor, detention_id)
        if form.subject_type == "detainee_card":
            card = (given_cards[n - 1] if given_cards is not None
                    else cards.current_or_first(uow, actor, detention_id))
            issued.append(card)
            records.append(form.context(detail, card))
        else:
            records.append(form.context(detail))
        if progress is not None:
            progress(n, len(ids))
        if cancelled is not None and cancelled():
            raise PrintCancelled()
    return records, issued


def _cards_by_id(uow, actor, card_ids: list[int]) -> list[CardView]:
    found = []
    for card_id in card_ids:
        card = cards.card_by_id(uow, actor, card_id)
        if not card.current:
            raise ValidationError({"card": f"card {card.serial} of {card.detainee_no} has "
                                           "been replaced; print the current card"})
        found.append(card)
    return found


def _finish(uow, actor, form: FormDef, ids: list[int], records, card_rows,
            original: PrintedDocument | None, invariant: bool, progress, cancelled) -> PrintJob:
    depot = current_depot(uow)
    serial = original.serial if original else counterfoils.allocate_serial(uow, actor)
    context = document_context(form, records, depot_name=depot.name, serial=serial,
                               printed_at=uow.now(), printed_by=actor.full_name,
                               reprint=original is not None)
    pdf = render(form, context, invariant=invariant, progress=progress, cancelled=cancelled)
    if form.subject_type == "detainee_card":
        subjects = [("detainee_card", c.id) for c in card_rows]
    else:
        subjects = [("detention", i) for i in ids]
    main = subjects[0] if len(subjects) == 1 else ("batch", 0)
    view = counterfoils.record_printed(uow, actor, form.code, main[0], main[1], pdf,
                                       serial=serial,
                                       reprint_of=original.id if original else None,
                                       subjects=subjects)
    return PrintJob(pdf, view, tuple(card_rows))


def finish_one(uow: UnitOfWork, actor: Actor, form: FormDef, record: dict[str, Any],
            main: tuple[str, int], also: list[tuple[str, int]],
            original: PrintedDocument | None, invariant: bool) -> PrintJob:
    """One document whose subject is not simply a detention (a movement, a count, an
    examination): its serial (the original's on a reprint), rendered with it on every
    page, and its counterfoil under ``main`` and the ``also`` subjects (s.53)."""
    serial = original.serial if original else counterfoils.allocate_serial(uow, actor)
    context = document_context(form, [record], depot_name=current_depot(uow).name,
                               serial=serial, printed_at=uow.now(),
                               printed_by=actor.full_name, reprint=original is not None)
    pdf = render(form, context, invariant=invariant)
    view = counterfoils.record_printed(uow, actor, form.code, main[0], main[1], pdf,
                                       serial=serial,
                                       reprint_of=original.id if original else None,
                                       subjects=also)
    return PrintJob(pdf, view)
