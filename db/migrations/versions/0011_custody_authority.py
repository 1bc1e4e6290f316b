"""Lawful custody: each stage's authority written down (until when, what must happen by
then, and why), Magistrates' orders linked to the stage they start, necessary journeys
(s.51(5)(a)), and court productions with their state and outcome. Stages already
recorded are given their authority after the upgrade by the code that keeps it from then
on (``Database.upgrade``): a migration does not import the services.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("detention_stage") as batch:
        batch.add_column(sa.Column("valid_until", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(_text("needs", 120))
        batch.add_column(_text("rests_on", 300))
        batch.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_detention_stage_order_id_detention_order"),
                                 "detention_order", ["order_id"], ["id"])
    # The deadline lists read the open stage of each detention held.
    op.create_index("ix_detention_stage_open", "detention_stage",
                    ["ends_at", "detention_id", "valid_until"])
    with op.batch_alter_table("court_production") as batch:
        batch.add_column(sa.Column("purpose", sa.String(16), nullable=False,
                                   server_default="first"))
        batch.add_column(sa.Column("status", sa.String(12), nullable=False,
                                   server_default="scheduled"))
        batch.add_column(_text("case_no", 60))
        batch.add_column(_text("charge"))
        batch.add_column(_text("sentence", 200))
        batch.add_column(_text("prison", 200))
        for name in ("out_movement_id", "return_movement_id"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f(f"fk_court_production_{name}_movement"), "movement",
                                     [name], ["id"])
        for name in ("scheduled_by_id", "outcome_by_id"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f(f"fk_court_production_{name}_app_user"), "app_user",
                                     [name], ["id"])
    op.create_index("ix_court_production_list", "court_production",
                    ["status", "scheduled_at", "court"])
    with op.batch_alter_table("detention_order") as batch:
        batch.add_column(_text("purpose", 16))
        batch.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_detention_order_recorded_by_id_app_user"), "app_user",
                                 ["recorded_by_id"], ["id"])
        batch.add_column(sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "custody_journey",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"), nullable=False),
        sa.Column("departed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("arrived_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("from_place", sa.String(200), nullable=False),
        sa.Column("to_place", sa.String(200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_custody_journey_detention_id", "custody_journey", ["detention_id"])


def downgrade() -> None:
    op.drop_index("ix_custody_journey_detention_id", table_name="custody_journey")
    op.drop_table("custody_journey")
    with op.batch_alter_table("detention_order") as batch:
        batch.drop_constraint(op.f("fk_detention_order_recorded_by_id_app_user"),
                              type_="foreignkey")
        for name in ("recorded_at", "recorded_by_id", "purpose"):
            batch.drop_column(name)
    op.drop_index("ix_court_production_list", table_name="court_production")
    with op.batch_alter_table("court_production") as batch:
        for name, referred in (("scheduled_by_id", "app_user"), ("outcome_by_id", "app_user"),
                               ("out_movement_id", "movement"),
                               ("return_movement_id", "movement")):
            batch.drop_constraint(op.f(f"fk_court_production_{name}_{referred}"),
                                  type_="foreignkey")
            batch.drop_column(name)
        for name in ("prison", "sentence", "charge", "case_no", "status", "purpose"):
            batch.drop_column(name)
    op.drop_index("ix_detention_stage_open", table_name="detention_stage")
    with op.batch_alter_table("detention_stage") as batch:
        batch.drop_constraint(op.f("fk_detention_stage_order_id_detention_order"),
                              type_="foreignkey")
        for name in ("order_id", "rests_on", "needs", "valid_until"):
            batch.drop_column(name)
