"""Name-token index for search; byte-order collation for codes searched by prefix;
an index on when detentions ended (the dashboard counts today's).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_name_token",
        sa.Column("token", db.base.code_string(60), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_name_token_person_id_person")),
        sa.PrimaryKeyConstraint("token", "person_id", name=op.f("pk_person_name_token")),
    )
    op.create_index(op.f("ix_person_name_token_person_id"), "person_name_token", ["person_id"])
    op.create_index(op.f("ix_detention_ended_at"), "detention", ["ended_at"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute('ALTER TABLE detention ALTER COLUMN detainee_no TYPE VARCHAR(24) COLLATE "C"')
        op.execute('ALTER TABLE identity_document ALTER COLUMN number TYPE VARCHAR(40) COLLATE "C"')
    # Existing people: their name keys are already normalised; split them into tokens.
    token = sa.table("person_name_token", sa.column("token"), sa.column("person_id"))
    rows = bind.execute(sa.text(
        "SELECT id, name_key FROM person UNION ALL SELECT person_id, name_key FROM person_alias"))
    seen: set[tuple[str, int]] = set()
    batch = []
    for person_id, key in rows:
        for part in (key or "").split():
            if (part[:60], person_id) not in seen:
                seen.add((part[:60], person_id))
                batch.append({"token": part[:60], "person_id": person_id})
    if batch:
        op.bulk_insert(token, batch)


def downgrade() -> None:
    op.drop_index(op.f("ix_detention_ended_at"), table_name="detention")
    op.drop_index(op.f("ix_person_name_token_person_id"), table_name="person_name_token")
    op.drop_table("person_name_token")
