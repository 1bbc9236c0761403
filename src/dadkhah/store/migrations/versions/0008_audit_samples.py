"""Audit samples: stratified random samples of pairs drawn from a linkage run for review, and
the precision and recall estimated from the answers (issue 14, part 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_samples",
        sa.Column("id", Id, primary_key=True),
        sa.Column("run_id", Id, sa.ForeignKey("link_runs.id"), nullable=False, index=True),
        sa.Column("drawn_at", sa.String(40), nullable=False),
        sa.Column("drawn_by", sa.String(200), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("strata", sa.Text(), nullable=False),
        sa.Column("estimate", sa.Text()),
        sa.Column("estimated_at", sa.String(40)),
    )
    op.create_table(
        "audit_pairs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("sample_id", Id, sa.ForeignKey("audit_samples.id"), nullable=False,
                  index=True),
        sa.Column("record_l", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("record_r", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("stratum", sa.String(64), nullable=False),
        sa.Column("match_probability", sa.Float()),
    )


def downgrade() -> None:
    op.drop_table("audit_pairs")
    op.drop_table("audit_samples")
