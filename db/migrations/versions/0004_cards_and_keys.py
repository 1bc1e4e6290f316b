"""Printing: document serials, signing keys, detainee cards, subjects of printed documents.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_sequence",
        sa.Column("depot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["depot_id"], ["depot.id"],
                                name=op.f("fk_document_sequence_depot_id_depot")),
        sa.PrimaryKeyConstraint("depot_id", "kind", "year", name=op.f("pk_document_sequence")),
    )
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("private_key_pem", sa.Text(), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_signing_key_key_id")),
    )
    op.create_table(
        "detainee_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("detention_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("issued_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("superseded_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["detention_id"], ["detention.id"],
                                name=op.f("fk_detainee_card_detention_id_detention")),
        sa.ForeignKeyConstraint(["issued_by_id"], ["app_user.id"],
                                name=op.f("fk_detainee_card_issued_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detainee_card")),
        sa.UniqueConstraint("detention_id", "serial",
                            name=op.f("uq_detainee_card_detention_id_serial")),
    )
    op.create_index(op.f("ix_detainee_card_detention_id"), "detainee_card", ["detention_id"])
    op.create_table(
        "printed_document_subject",
        sa.Column("printed_document_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["printed_document_id"], ["printed_document.id"],
            name=op.f("fk_printed_document_subject_printed_document_id_printed_document")),
        sa.PrimaryKeyConstraint("printed_document_id", "subject_type", "subject_id",
                                name=op.f("pk_printed_document_subject")),
    )
    op.create_index(op.f("ix_printed_document_subject_subject_id"), "printed_document_subject",
                    ["subject_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_printed_document_subject_subject_id"),
                  table_name="printed_document_subject")
    op.drop_table("printed_document_subject")
    op.drop_index(op.f("ix_detainee_card_detention_id"), table_name="detainee_card")
    op.drop_table("detainee_card")
    op.drop_table("signing_key")
    op.drop_table("document_sequence")
