"""Depots, their blocks and cells."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, Versioned

CELL_CATEGORIES = ("adult_male", "adult_female", "family", "juvenile", "medical_isolation")


class Depot(Base, Versioned):
    __tablename__ = "depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    blocks: Mapped[list[Block]] = relationship(back_populates="depot", lazy="raise")


class Block(Base, Versioned):
    __tablename__ = "block"
    __table_args__ = (UniqueConstraint("depot_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depot.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))

    depot: Mapped[Depot] = relationship(back_populates="blocks", lazy="raise")
    cells: Mapped[list[Cell]] = relationship(back_populates="block", lazy="raise")


class Cell(Base, Versioned):
    __tablename__ = "cell"
    __table_args__ = (UniqueConstraint("block_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(24))
    in_service: Mapped[bool] = mapped_column(Boolean, default=True)
    out_of_service_reason: Mapped[str] = mapped_column(Text, default="")

    block: Mapped[Block] = relationship(back_populates="cells", lazy="raise")
