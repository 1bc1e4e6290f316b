"""Medical examinations: the outcome every role sees apart from the findings only medical
staff read (with injuries and communicable-disease flags), hospital referrals, and the
rule on how long a fit-to-travel certificate may run.

The placeholder ``medical_exam`` table of 0001 was never written by any release; it is
replaced. Should a database hold rows in it, the upgrade stops rather than lose them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RULE = ("medical.fit_to_travel_max", "A fit-to-travel certificate is valid for at most",
        "14", "days",
        "Depot standing orders on removal: fitness to travel assessed within the fortnight "
        "before travel", "2024-01-01")


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    held = op.get_bind().scalar(sa.text("SELECT count(*) FROM medical_exam"))
    if held:
        raise RuntimeError(f"medical_exam holds {held} rows written outside Depot: export "
                           f"them before upgrading (they would not fit the new table)")
    op.drop_index("ix_medical_exam_detention_id", table_name="medical_exam")
    op.drop_table("medical_exam")
    op.create_table(
        "medical_exam",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("examined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("examiner_name", sa.String(120), nullable=False),
        sa.Column("examiner_reg_no", sa.String(40), nullable=False),
        sa.Column("examiner_kind", sa.String(8), nullable=False),
        sa.Column("fit_for_detention", sa.Boolean(), nullable=False),
        sa.Column("isolate", sa.Boolean(), nullable=False),
        sa.Column("refer_hospital", sa.Boolean(), nullable=False),
        _text("special_diet", 200),
        sa.Column("travel", sa.String(12), nullable=False),
        sa.Column("fit_to_travel_until", sa.Date(), nullable=True),
        _text("unfit_reason", 300),
        _text("instructions"),
        sa.Column("next_due_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_medical_exam_detention_time", "medical_exam",
                    ["detention_id", "examined_at"])
    op.create_index("ix_medical_exam_detention_kind", "medical_exam", ["detention_id", "kind"])
    op.create_table(
        "medical_findings",
        sa.Column("exam_id", sa.Integer(), sa.ForeignKey("medical_exam.id"), primary_key=True),
        sa.Column("temperature_c", sa.Numeric(4, 1), nullable=True),
        sa.Column("pulse", sa.Integer(), nullable=True),
        sa.Column("resp_rate", sa.Integer(), nullable=True),
        sa.Column("bp_systolic", sa.Integer(), nullable=True),
        sa.Column("bp_diastolic", sa.Integer(), nullable=True),
        sa.Column("spo2", sa.Integer(), nullable=True),
        sa.Column("weight_kg", sa.Numeric(5, 1), nullable=True),
        sa.Column("height_cm", sa.Integer(), nullable=True),
        _text("tb_symptoms", 200),
        sa.Column("chest_xray", sa.String(12), nullable=False),
        _text("chest_xray_note", 300),
        sa.Column("pregnancy", sa.String(12), nullable=False),
        sa.Column("pregnancy_weeks", sa.Integer(), nullable=True),
        _text("chronic_conditions"),
        _text("medication"),
        _text("allergies"),
        sa.Column("mental_health", sa.String(12), nullable=False),
        _text("mental_health_note"),
        _text("notes"),
    )
    op.create_table(
        "medical_injury",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("exam_id", sa.Integer(), sa.ForeignKey("medical_findings.exam_id"),
                  nullable=False),
        sa.Column("body_site", sa.String(80), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("explained", sa.Boolean(), nullable=False),
        _text("explanation", 300),
    )
    op.create_index("ix_medical_injury_exam_id", "medical_injury", ["exam_id"])
    op.create_table(
        "medical_condition",
        sa.Column("exam_id", sa.Integer(), sa.ForeignKey("medical_findings.exam_id"),
                  primary_key=True),
        sa.Column("code", sa.String(24), primary_key=True),
    )
    op.create_index("ix_medical_condition_code", "medical_condition", ["code"])
    op.create_table(
        "medical_referral",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("exam_id", sa.Integer(), sa.ForeignKey("medical_exam.id"), nullable=False,
                  unique=True),
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"), nullable=False),
        sa.Column("hospital", sa.String(200), nullable=False),
        sa.Column("urgency", sa.String(12), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("out_movement_id", sa.Integer(), sa.ForeignKey("movement.id"), nullable=True),
        sa.Column("return_movement_id", sa.Integer(), sa.ForeignKey("movement.id"),
                  nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_medical_referral_detention_id", "medical_referral", ["detention_id"])
    code, description, value, unit, source, effective = RULE
    op.bulk_insert(
        sa.table("legal_rule", sa.column("code", sa.String), sa.column("description", sa.Text),
                 sa.column("value", sa.String), sa.column("unit", sa.String),
                 sa.column("source", sa.String), sa.column("effective_from", sa.Date)),
        [{"code": code, "description": description, "value": value, "unit": unit,
          "source": source, "effective_from": dt.date.fromisoformat(effective)}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM legal_rule WHERE code = :code").bindparams(code=RULE[0]))
    for table in ("medical_referral", "medical_condition", "medical_injury",
                  "medical_findings", "medical_exam"):
        op.drop_table(table)
    op.create_table(
        "medical_exam",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("examined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("examiner_name", sa.String(120), nullable=False),
        sa.Column("examiner_reg_no", sa.String(40), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("fit_to_travel_until", sa.Date(), nullable=True),
        sa.Column("next_due_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_medical_exam_detention_id", "medical_exam", ["detention_id"])
