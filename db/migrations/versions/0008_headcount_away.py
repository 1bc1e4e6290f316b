"""Who was away when a headcount started: back in the block during the count, they must be
seen or explained; an untick keeps their entry.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("headcount_entry") as batch:
        batch.add_column(sa.Column("away", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    # Counts started before this: an entry neither expected nor counted was away at the start.
    op.execute("UPDATE headcount_entry SET away = (NOT expected AND counted_at IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table("headcount_entry") as batch:
        batch.drop_column("away")
