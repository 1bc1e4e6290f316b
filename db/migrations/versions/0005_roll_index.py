"""Index who is held in which cell: the roll and dashboard read the held few of a million.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_detention_status_cell", "detention", ["status", "current_cell_id"])


def downgrade() -> None:
    op.drop_index("ix_detention_status_cell", table_name="detention")
