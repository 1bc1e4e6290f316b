"""Finding detainees and reading their records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, case, or_, select, union
from sqlalchemy.orm import aliased

from db.models import (
    Block,
    CashEntry,
    Cell,
    DeathNotification,
    DeathRecord,
    Detention,
    DetentionStage,
    Employer,
    FamilyLink,
    IdentityDocument,
    ImmigrationPass,
    Movement,
    Person,
    PersonAlias,
    Photo,
    PropertyItem,
    User,
)
from depot_app.actor import Actor, Permission
from depot_app.clock import to_local
from depot_app.countries import country_name
from depot_app.database import UnitOfWork
from depot_app.errors import NotFound, ValidationError
from depot_app.readmodels import (
    CashView,
    DeathView,
    DetaineeDetail,
    DetaineeRow,
    DocumentView,
    EpisodeView,
    FamilyView,
    MovementView,
    PassView,
    PropertyView,
    StageView,
)
from depot_app.services.medical.status import record_of as medical_record
from depot_app.services.name_index import persons_matching, prefix_range
from depot_app.services.places import cell_words, held_location
from depot_app.services.setup import current_depot
from depot_app.services.visits import visits_of

SCOPES = ("in_custody", "all")
CENT_ZERO = Decimal("0.00")
MOVEMENT_LABELS = {
    "admission": "Admitted", "cell_move": "Cell move", "out_court": "Out to court",
    "out_hospital": "Out to hospital", "out_embassy": "Out to embassy", "return": "Returned",
    "transfer": "Transferred", "release": "Released", "removal": "Removed",
    "abscond": "Absconded", "death": "Died",
}
# A family link is stored once, from one side; read from the other side it is inverted.
INVERSE_RELATION = {"parent": "child", "child": "parent", "spouse": "spouse",
                    "sibling": "sibling"}


@dataclass(frozen=True)
class DetaineeQuery:
    text: str = ""
    scope: str = "in_custody"
    # Where, for those in custody (a line of the roll): "" anywhere; "block:A" on block A's
    # roll (in its cells, or away with a cell kept there); "reception" (no cell yet); "out"
    # (any reason) or "out:court", "out:hospital", "out:embassy".
    where: str = ""


def _where_clause(uow: UnitOfWork, where: str):
    kind, _, value = where.partition(":")
    if kind == "out":
        return Detention.away_reason == value if value else Detention.away_reason != ""
    if kind == "reception":  # on reception's roll: no cell yet (here, or away from it)
        return Detention.current_cell_id.is_(None)
    if kind == "block" and value:
        return Detention.current_cell_id.in_(
            select(Cell.id).join(Block, Block.id == Cell.block_id)
            .where(Block.code == value.upper(), Block.depot_id == current_depot(uow).id))
    raise ValidationError({"where": f"{where!r} is not a place on the roll: say block:CODE, "
                                    f"reception, out, or out:court / hospital / embassy"})


def _flags(d: Detention, p: Person) -> tuple[str, ...]:
    flags = []
    if d.is_minor:
        flags.append("minor")
    if d.is_unaccompanied_child:
        flags.append("unaccompanied child")
    if d.is_pregnant:
        flags.append("pregnant")
    if d.is_disabled:
        flags.append("disabled")
    if p.interpreter_needed:
        flags.append("interpreter")
    return tuple(flags)


def _location(d: Detention, cell: Cell | None, block: Block | None) -> str:
    if d.status != "in_custody":
        return ""
    return held_location(d.away_reason, cell.code if cell else None,
                         block.name if block else None)


def search_ids(uow: UnitOfWork, actor: Actor, query: DetaineeQuery) -> list[int]:
    """Ids of matching detentions, newest admission first.

    A query matches a detainee number that starts with it (or, all digits, ends with it),
    a document number that starts with it, or a person with, for every word typed, a name
    or alias part starting with that word. Each branch is an index range; they are unioned.
    """
    actor.require(Permission.VIEW_DETAINEES)

    def held(stmt: Select) -> Select:
        return stmt.where(Detention.status == "in_custody") if query.scope == "in_custody" \
            else stmt

    stmt: Select = held(select(Detention.id))
    text = " ".join(query.text.strip().upper().split())
    if text:
        lo, hi = prefix_range(text)
        branches = [
            select(Detention.id).where(Detention.detainee_no >= lo, Detention.detainee_no < hi),
            select(Detention.id)
            .join(IdentityDocument, IdentityDocument.person_id == Detention.person_id)
            .where(IdentityDocument.number >= lo, IdentityDocument.number < hi),
        ]
        if text.isdigit() and len(text) <= 6:
            # No index serves a suffix: scan only the held when that is the scope.
            branches.append(held(select(Detention.id)
                                 .where(Detention.detainee_no.like(f"%-{text.zfill(6)}"))))
        people = persons_matching(text)
        if people is not None:
            # The scope goes inside the name branch too: a common name matches a tenth of a
            # million people, and PostgreSQL would gather all their episodes before filtering
            # (666 ms rather than 38 ms). The prefix branches match a handful; a filter
            # there would steer SQLite off their indexes.
            branches.append(held(select(Detention.id).where(Detention.person_id.in_(people))))
        stmt = held(select(Detention.id).where(Detention.id.in_(union(*branches))))
    if query.where:
        stmt = stmt.where(Detention.status == "in_custody",
                          Detention.depot_id == current_depot(uow).id,
                          _where_clause(uow, query.where))
    stmt = stmt.order_by(Detention.admitted_at.desc(), Detention.id.desc())
    return list(uow.session.scalars(stmt))


def rows(uow: UnitOfWork, actor: Actor, ids: list[int]) -> list[DetaineeRow]:
    """The list rows for these ids, in the order given (missing ids are left out)."""
    actor.require(Permission.VIEW_DETAINEES)
    if not ids:
        return []
    stmt = (
        select(Detention, Person, Cell, Block)
        .join(Person, Person.id == Detention.person_id)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .outerjoin(Block, Block.id == Cell.block_id)
        .where(Detention.id.in_(ids))
    )
    found: dict[int, DetaineeRow] = {}
    for d, p, cell, block in uow.session.execute(stmt):
        found[d.id] = DetaineeRow(
            id=d.id, detainee_no=d.detainee_no, full_name=p.full_name, sex=p.sex,
            date_of_birth=p.date_of_birth, nationality=p.nationality,
            nationality_name=country_name(p.nationality) or p.nationality,
            location=_location(d, cell, block), status=d.status, admitted_at=d.admitted_at,
            flags=_flags(d, p),
        )
    return [found[i] for i in ids if i in found]


def id_for_number(uow: UnitOfWork, actor: Actor, detainee_no: str) -> int:
    actor.require(Permission.VIEW_DETAINEES)
    found = uow.session.scalar(
        select(Detention.id).where(Detention.detainee_no == detainee_no.strip().upper()))
    if found is None:
        raise NotFound("detainee", detainee_no.strip())
    return found


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def detail(uow: UnitOfWork, actor: Actor, detention_id: int) -> DetaineeDetail:
    actor.require(Permission.VIEW_DETAINEES)
    s = uow.session
    found = s.execute(
        select(Detention, Person, Cell, Block)
        .join(Person, Person.id == Detention.person_id)
        .outerjoin(Cell, Cell.id == Detention.current_cell_id)
        .outerjoin(Block, Block.id == Cell.block_id)
        .where(Detention.id == detention_id)
    ).first()
    if found is None:
        raise NotFound("detainee", detention_id)
    d, p, cell, block = found
    employer = s.get(Employer, p.employer_id) if p.employer_id else None
    admitted_by = s.scalar(select(User.full_name).where(User.id == d.admitted_by_id)) or ""
    photo = s.scalars(select(Photo).where(Photo.person_id == p.id, Photo.is_current)
                      .order_by(Photo.taken_at.desc()).limit(1)).first()
    recorder = aliased(User)
    returner = aliased(User)
    cell_to, block_to = aliased(Cell), aliased(Block)
    cell_from, block_from = aliased(Cell), aliased(Block)
    movements = tuple(
        MovementView(m.occurred_at, m.kind, _movement_words(m, c, b), m.reason, who or "",
                     id=m.id, authority=m.authority, document_ref=m.document_ref,
                     escort=m.escort,
                     destination=m.destination,
                     from_place=_place(m.kind, cf, bf, from_=True, destination=m.destination),
                     to_place=_place(m.kind, c, b, from_=False, destination=m.destination))
        for m, c, b, cf, bf, who in s.execute(
            select(Movement, cell_to, block_to, cell_from, block_from, recorder.full_name)
            .outerjoin(cell_to, cell_to.id == Movement.to_cell_id)
            .outerjoin(block_to, block_to.id == cell_to.block_id)
            .outerjoin(cell_from, cell_from.id == Movement.from_cell_id)
            .outerjoin(block_from, block_from.id == cell_from.block_id)
            .outerjoin(recorder, recorder.id == Movement.recorded_by_id)
            .where(Movement.detention_id == d.id)
            .order_by(Movement.occurred_at.desc(), Movement.id.desc())
        )
    )
    stages = tuple(
        StageView(st.section, st.authority, st.reference, st.starts_at, st.ends_at,
                  st.valid_until, st.needs, st.rests_on)
        for st in s.scalars(select(DetentionStage).where(DetentionStage.detention_id == d.id)
                            .order_by(DetentionStage.starts_at))
    )
    documents = tuple(
        DocumentView(doc.doc_type, doc.number, doc.issuing_state, doc.issued_on, doc.expires_on,
                     doc.held_by_depot)
        for doc in s.scalars(select(IdentityDocument).where(IdentityDocument.person_id == p.id)
                             .order_by(IdentityDocument.id))
    )
    passes = tuple(
        PassView(ps.pass_type, ps.number, ps.issued_on, ps.expires_on)
        for ps in s.scalars(select(ImmigrationPass).where(ImmigrationPass.person_id == p.id)
                            .order_by(ImmigrationPass.expires_on))
    )
    aliases = tuple(s.scalars(select(PersonAlias.name).where(PersonAlias.person_id == p.id)
                              .order_by(PersonAlias.id)))
    episodes = tuple(
        EpisodeView(o.detainee_no, o.admitted_at, o.status, o.ended_at)
        for o in s.scalars(select(Detention).where(Detention.person_id == p.id,
                                                   Detention.id != d.id)
                           .order_by(Detention.admitted_at.desc()))
    )
    belongings = tuple(
        PropertyView(i.description, i.quantity, i.bag_no, i.received_at, who or "",
                     i.returned_at, id=i.id, returned_by=back or "", return_note=i.return_note)
        for i, who, back in s.execute(
            select(PropertyItem, recorder.full_name, returner.full_name)
            .outerjoin(recorder, recorder.id == PropertyItem.received_by_id)
            .outerjoin(returner, returner.id == PropertyItem.returned_by_id)
            .where(PropertyItem.detention_id == d.id)
            .order_by(PropertyItem.received_at, PropertyItem.id)
        )
    )
    cash = tuple(
        CashView(c.amount, c.occurred_at, c.receipt_no, c.note, who or "")
        for c, who in s.execute(
            select(CashEntry, recorder.full_name)
            .outerjoin(recorder, recorder.id == CashEntry.recorded_by_id)
            .where(CashEntry.detention_id == d.id)
            .order_by(CashEntry.occurred_at, CashEntry.id)
        )
    )
    return DetaineeDetail(
        id=d.id, version=d.version, detainee_no=d.detainee_no, person_id=p.id,
        full_name=p.full_name, aliases=aliases, sex=p.sex, date_of_birth=p.date_of_birth,
        age=_age(p.date_of_birth, to_local(uow.now()).date()), nationality=p.nationality,
        nationality_name=country_name(p.nationality) or p.nationality,
        place_of_birth=p.place_of_birth, languages=p.languages,
        interpreter_needed=p.interpreter_needed, distinguishing_marks=p.distinguishing_marks,
        home_address=p.home_address,
        employer=(f"{employer.name} ({employer.registration_no})"
                  if employer and employer.registration_no else employer.name if employer else ""),
        status=d.status, citizen=d.citizen, arrested_at=d.arrested_at,
        arrest_place=d.arrest_place, arresting_agency=d.arresting_agency,
        operation_name=d.operation_name, admitted_at=d.admitted_at, admitted_by=admitted_by,
        ended_at=d.ended_at, location=_location(d, cell, block),
        block=block.name if block else "", flags=_flags(d, p), documents=documents,
        passes=passes, stages=stages, movements=movements, other_episodes=episodes,
        photo=photo.data if photo else None, photo_mime=photo.mime if photo else "",
        property=belongings, cash=cash, cash_balance=sum((c.amount for c in cash), CENT_ZERO),
        family=_family(uow, d.id), visits=visits_of(uow, d.id), death=_death(uow, d.id),
        away_reason=d.away_reason, cell_id=d.current_cell_id,
        cell_label=cell_words(block.name, cell.code) if cell is not None and block else "",
        cell_in_service=cell.in_service if cell is not None else True,
        cell_out_of_service_reason=cell.out_of_service_reason if cell is not None else "",
        medical=medical_record(uow, actor, d.id),
    )


def _place(kind: str, cell: Cell | None, block: Block | None, *, from_: bool,
           destination: str = "") -> str:
    """A movement's place in words: a cell, reception, or where the detainee went (a return
    comes from where the outing went; a death's place is in its death record)."""
    if cell is not None and block is not None:
        return cell_words(block.name, cell.code)
    if from_:
        if kind == "return":
            return destination
        return "" if kind == "admission" else "reception (unallocated)"
    if kind in ("admission", "cell_move", "return"):
        return "reception (unallocated)"
    return "" if kind == "death" else destination


def _death(uow: UnitOfWork, detention_id: int) -> DeathView | None:
    found = uow.session.execute(
        select(DeathRecord, User.full_name).outerjoin(User, User.id == DeathRecord.recorded_by_id)
        .where(DeathRecord.detention_id == detention_id)).first()
    if found is None:
        return None
    record, who = found
    notes = tuple((n.notified, n.notified_at, n.means) for n in uow.session.scalars(
        select(DeathNotification).where(DeathNotification.death_record_id == record.id)
        .order_by(DeathNotification.notified_at, DeathNotification.id)))
    return DeathView(record.died_at, record.place_kind, record.place, record.cause_certified,
                     record.certified_by, record.post_mortem_ref, who or "", notes)


def _family(uow: UnitOfWork, detention_id: int) -> tuple[FamilyView, ...]:
    """The links made from this detention and those made to it (relation inverted), one
    per relative: where both sides were linked, the link made from this side counts."""
    link = FamilyLink
    other = aliased(Detention)
    other_person = aliased(Person)
    forward = link.detention_id == detention_id
    found: dict[int, FamilyView] = {}
    for is_forward, relation, other_id, number, name in uow.session.execute(
        select(forward, link.relation, other.id, other.detainee_no, other_person.full_name)
        .join(other, other.id == case((forward, link.related_detention_id),
                                      else_=link.detention_id))
        .join(other_person, other_person.id == other.person_id)
        .where(or_(forward, link.related_detention_id == detention_id))
        .order_by(link.id)
    ):
        if not is_forward:
            relation = INVERSE_RELATION.get(relation, relation)
        if is_forward or other_id not in found:
            found[other_id] = FamilyView(relation, other_id, number, name)
    return tuple(sorted(found.values(), key=lambda f: (f.detainee_no, f.detention_id)))


def _movement_words(m: Movement, cell: Cell | None, block: Block | None) -> str:
    label = MOVEMENT_LABELS.get(m.kind, m.kind)
    if cell is not None and block is not None:
        return f"{label} to {cell_words(block.name, cell.code)}"
    if m.destination:
        return f"{label}: {m.destination}"
    return label
