"""Each detention's medical standing now (``medical_current``): the lists read it instead
of ranking every examination (bench/bench_medical.py: the board at 20,000 held among a
million examinations went from about 3 s to the figure in docs/benchmarks.md). Filled
from the examinations already recorded. Referrals get a "reviewed" state and an index by
state, a "closed" state (custody ended after the trip), and may stand for a trip to
hospital no examination referred (no exam). Findings get the salt of their audit digest.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "medical_current",
        sa.Column("detention_id", sa.Integer(), sa.ForeignKey("detention.id"),
                  primary_key=True),
        sa.Column("exam_id", sa.Integer(), sa.ForeignKey("medical_exam.id"), nullable=False),
        sa.Column("examined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("screened_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("on_lists", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_medical_current_on_lists", "medical_current", ["on_lists"])
    op.create_index("ix_medical_referral_status", "medical_referral", ["status", "detention_id"])
    # exams.exam_defaults reads the examiner's last examination: without this it sorts
    # every examination the examiner ever recorded.
    op.create_index("ix_medical_exam_recorder_time", "medical_exam",
                    ["recorded_by_id", "recorded_at"])
    with op.batch_alter_table("medical_referral") as batch:
        batch.alter_column("exam_id", existing_type=sa.Integer(), nullable=True)
    op.add_column("medical_findings", sa.Column("salt", sa.String(32), nullable=False,
                                                server_default=""))
    op.execute(FILL_CURRENT)
    op.execute(REVIEW_RETURNED)


# The latest examination of each detention; on the lists only while held. (Also run by
# bench/bench_medical.py after it writes its examinations in bulk.)
FILL_CURRENT = """
        INSERT INTO medical_current (detention_id, exam_id, examined_at, screened_at, on_lists)
        SELECT r.detention_id, r.id, r.examined_at,
               (SELECT min(s.examined_at) FROM medical_exam s
                 WHERE s.detention_id = r.detention_id AND s.kind = 'screening'),
               (d.status = 'in_custody'
                AND (r.isolate OR r.next_due_at IS NOT NULL OR r.travel <> 'not_assessed'))
          FROM (SELECT e.*, row_number() OVER (PARTITION BY e.detention_id
                                               ORDER BY e.examined_at DESC, e.id DESC) AS rn
                  FROM medical_exam e) r
          JOIN detention d ON d.id = r.detention_id
         WHERE r.rn = 1
"""
# A return already followed by an examination has been reviewed.
REVIEW_RETURNED = """
        UPDATE medical_referral SET status = 'reviewed'
         WHERE status = 'returned' AND EXISTS (
               SELECT 1 FROM movement m, medical_exam e
                WHERE m.id = medical_referral.return_movement_id
                  AND e.detention_id = medical_referral.detention_id
                  AND e.examined_at >= m.occurred_at)
"""


def downgrade() -> None:
    op.execute("UPDATE medical_referral SET status = 'returned' WHERE status = 'reviewed'")
    op.execute("UPDATE medical_referral SET status = 'cancelled' WHERE status = 'closed'")
    op.execute("DELETE FROM medical_referral WHERE exam_id IS NULL")
    with op.batch_alter_table("medical_findings") as batch:
        batch.drop_column("salt")
    with op.batch_alter_table("medical_referral") as batch:
        batch.alter_column("exam_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_medical_exam_recorder_time", table_name="medical_exam")
    op.drop_index("ix_medical_referral_status", table_name="medical_referral")
    op.drop_index("ix_medical_current_on_lists", table_name="medical_current")
    op.drop_table("medical_current")
