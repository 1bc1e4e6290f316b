"""Declarative base and the column types every model shares.

* ``UTCDateTime``: timezone-aware datetimes, stored in UTC on both engines; a naive
  datetime is refused rather than guessed at.
* ``Money``: ringgit as ``Decimal`` with two places, stored exactly as whole sen.
* ``Versioned``: an integer version for optimistic locking on rows workstations edit.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def code_string(length: int) -> String:
    """A code compared by prefix (numbers, name tokens): byte order on PostgreSQL whatever
    the database's collation, so a btree range serves "starts with"; SQLite compares bytes."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime in, an aware UTC datetime out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} refused: times must be timezone-aware")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            # SQLite keeps text; a fixed UTC form sorts and compares correctly.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """MYR as Decimal with two places, stored exactly as an integer count of sen."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be Decimal, not {type(value).__name__}")
        quantised = value.quantize(CENT, rounding=ROUND_HALF_EVEN)
        if quantised != value:
            raise ValueError(f"{value} has more than two decimal places")
        return int(quantised * 100)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(CENT)


class Versioned:
    """Optimistic locking: a stale UPDATE raises ``StaleDataError`` instead of winning."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.__table__.c.version}
