"""Stored estimates kept whole: the estimate as fitted, as JSON (``Estimate.to_dict``).

Rows stored before this revision have no ``estimate``; they still read (their figures and
notes are in the other columns).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_estimates") as batch:
        batch.add_column(sa.Column("estimate", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_estimates") as batch:
        batch.drop_column("estimate")
