"""A person, one human across every custody episode, with documents, passes and photos."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, Versioned, code_string

DOCUMENT_TYPES = ("passport", "travel_document", "national_id", "emergency_travel_document")



class Employer(Base, Versioned):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    registration_no: Mapped[str] = mapped_column(String(40), default="", index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class Person(Base, Versioned):
    __tablename__ = "person"
    # The identity check asks "who was born on this day?" to tell namesakes apart.
    __table_args__ = (Index("ix_person_date_of_birth", "date_of_birth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Upper-case, accents folded, single spaces: what name search compares against.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    sex: Mapped[str] = mapped_column(String(1))  # M, F, X
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    date_of_birth_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    nationality: Mapped[str] = mapped_column(String(3), index=True)  # ISO 3166-1 alpha-3 / ICAO
    place_of_birth: Mapped[str] = mapped_column(String(120), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    distinguishing_marks: Mapped[str] = mapped_column(Text, default="")
    home_address: Mapped[str] = mapped_column(Text, default="")
    work_address: Mapped[str] = mapped_column(Text, default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    aliases: Mapped[list[PersonAlias]] = relationship(lazy="raise", cascade="all")
    documents: Mapped[list[IdentityDocument]] = relationship(lazy="raise", cascade="all")
    passes: Mapped[list[ImmigrationPass]] = relationship(lazy="raise", cascade="all")


class PersonAlias(Base):
    __tablename__ = "person_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)


class IdentityDocument(Base, Versioned):
    __tablename__ = "identity_document"
    __table_args__ = (Index("ix_identity_document_number", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(code_string(40))
    issuing_state: Mapped[str] = mapped_column(String(3))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    held_by_depot: Mapped[bool] = mapped_column(Boolean, default=False)


class ImmigrationPass(Base, Versioned):
    """A pass or permit the person held; an overstay is counted from the last expiry."""

    __tablename__ = "immigration_pass"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    pass_type: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class PersonNameToken(Base):
    """One normalised part of a person's name or alias: the index behind name search."""

    __tablename__ = "person_name_token"

    token: Mapped[str] = mapped_column(code_string(60), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True,
                                           index=True)


class Photo(Base):
    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    mime: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
