"""Custody records: deaths in custody with their notifications, the paper and the escort
of a movement, the cell each detainee was counted in, to whom property was returned, who was present at a visit, an index for when
each block was last counted, and an index the roll reads alone (it replaces the
status-and-depot index, its prefix).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    op.add_column("movement", _text("document_ref", 80))
    op.add_column("movement", _text("escort", 120))
    with op.batch_alter_table("headcount_entry") as batch:
        batch.add_column(sa.Column("cell_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_headcount_entry_cell_id_cell", "cell", ["cell_id"], ["id"])
    op.add_column("property_item", _text("return_note", 200))
    op.add_column("visit", _text("relation", 60))
    op.add_column("visit", _text("officer_present", 120))
    op.add_column("visit", _text("notes"))
    op.create_index("ix_headcount_block_closed", "headcount", ["block_id", "closed_at"])
    op.create_index("ix_detention_roll", "detention", ["status", "depot_id", "current_cell_id",
                                                       "away_reason", "is_minor", "person_id"])
    op.drop_index("ix_detention_status_depot", table_name="detention")
    op.create_table(
        "death_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"), nullable=False,
                  unique=True),
        sa.Column("movement_id", sa.Integer(), sa.ForeignKey("movement.id"), nullable=False),
        sa.Column("died_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("place_kind", sa.String(12), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("cause_certified", sa.Text(), nullable=False),
        sa.Column("certified_by", sa.String(200), nullable=False),
        sa.Column("post_mortem_ref", sa.String(80), nullable=False, server_default=""),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("app_user.id")),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "death_notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("death_record_id", sa.Integer(), sa.ForeignKey("death_record.id"),
                  nullable=False),
        sa.Column("notified", sa.String(200), nullable=False),
        sa.Column("notified_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("means", sa.String(120), nullable=False, server_default=""),
    )
    op.create_index("ix_death_notification_death_record_id", "death_notification",
                    ["death_record_id"])


def downgrade() -> None:
    op.drop_index("ix_death_notification_death_record_id", table_name="death_notification")
    op.drop_table("death_notification")
    op.drop_table("death_record")
    op.drop_index("ix_headcount_block_closed", table_name="headcount")
    op.create_index("ix_detention_status_depot", "detention", ["status", "depot_id"])
    op.drop_index("ix_detention_roll", table_name="detention")
    with op.batch_alter_table("visit") as batch:
        batch.drop_column("notes")
        batch.drop_column("officer_present")
        batch.drop_column("relation")
    with op.batch_alter_table("property_item") as batch:
        batch.drop_column("return_note")
    with op.batch_alter_table("headcount_entry") as batch:
        batch.drop_constraint("fk_headcount_entry_cell_id_cell", type_="foreignkey")
        batch.drop_column("cell_id")
    with op.batch_alter_table("movement") as batch:
        batch.drop_column("escort")
        batch.drop_column("document_ref")
