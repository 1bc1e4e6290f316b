"""Audit rows refuse UPDATE/DELETE on PostgreSQL; seed the legal rules with their sources.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

# (code, description, value, unit, source, effective_from)
RULES = [
    ("production.non_citizen", "Non-citizen arrested or detained: produce before a Magistrate within",
     "14", "days", "Immigration Act 1959/63 s.51(5)(b); Federal Constitution Art. 5(4)", "1963-01-01"),
    ("production.citizen", "Citizen arrested or detained otherwise than for an offence: produce before a Magistrate within (excluding necessary journey time)",
     "24", "hours", "Immigration Act 1959/63 s.51(5)(a)", "1963-01-01"),
    ("detention.pending_removal_decision", "Arrest of a person liable to removal: detention pending a decision whether to order removal, at most",
     "30", "days", "Immigration Act 1959/63 s.35", "1963-01-01"),
    ("compound.max_fraction", "Compound at most this share of the maximum fine for the offence",
     "30", "percent", "Immigration Act 1959/63 s.54; Immigration (Compounding of Offences) Regulations", "1963-01-01"),
    ("medical.screening_within", "Admission medical screening due within",
     "24", "hours", "Depot standing orders on admission screening (duty of care)", "2024-01-01"),
    ("memo.depart_within", "Check Out Memo: depart Malaysia within",
     "14", "days", "Programme Rekalibrasi Migran (PRM) 2024 terms", "2024-03-01"),
    ("compound.s6_1_c", "Compound under the programme for s.6(1)(c)",
     "500.00", "MYR", "PRM 2024 terms: s.6(1)(c) Immigration Act 1959/63", "2024-03-01"),
    ("compound.s15_1_c", "Compound under the programme for s.15(1)(c)",
     "500.00", "MYR", "PRM 2024 terms: s.15(1)(c) Immigration Act 1959/63", "2024-03-01"),
    ("compound.reg_39_b", "Compound under the programme for reg. 39(b)",
     "300.00", "MYR", "PRM 2024 terms: Immigration Regulations 1963 reg. 39(b)", "2024-03-01"),
    ("compound.overstay_per_day", "Overstay compound per day for 1 to 30 days (capped at RM900)",
     "30.00", "MYR", "PRM 2024 terms: overstay", "2024-03-01"),
    ("compound.overstay_31_60", "Overstay compound for 31 to 60 days",
     "1000.00", "MYR", "PRM 2024 terms: overstay", "2024-03-01"),
    ("compound.overstay_61_90", "Overstay compound for 61 to 90 days",
     "2000.00", "MYR", "PRM 2024 terms: overstay", "2024-03-01"),
]


def upgrade() -> None:
    bind = op.get_bind()
    op.bulk_insert(
        sa.table("audit_head", sa.column("id", sa.Integer), sa.column("last_seq", sa.Integer),
                 sa.column("last_hash", sa.String)),
        [{"id": 1, "last_seq": 0, "last_hash": GENESIS}],
    )
    rule = sa.table(
        "legal_rule", sa.column("code", sa.String), sa.column("description", sa.Text),
        sa.column("value", sa.String), sa.column("unit", sa.String), sa.column("source", sa.String),
        sa.column("effective_from", sa.Date),
    )
    op.bulk_insert(rule, [
        {"code": c, "description": d, "value": v, "unit": u, "source": s,
         "effective_from": dt.date.fromisoformat(f)}
        for c, d, v, u, s, f in RULES
    ])
    if bind.dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_event_no_update_delete
            BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
        """)
        op.execute("""
            CREATE TRIGGER audit_event_no_truncate
            BEFORE TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        """)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_update_delete ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    op.execute("DELETE FROM legal_rule")
    op.execute("DELETE FROM audit_head")
