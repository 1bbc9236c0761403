"""The public portal: submissions and their moderation, articles, publication marks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "portal_submissions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("person_id", Id),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=False),
        sa.Column("decided_at", sa.String(40)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("reason", sa.Text()),
        sa.Column("record_id", Id, sa.ForeignKey("source_records.id")),
    )
    op.create_index("ix_portal_submissions_status", "portal_submissions", ["status"])
    op.create_table(
        "portal_submission_contacts",
        sa.Column("submission_id", Id, sa.ForeignKey("portal_submissions.id"),
                  primary_key=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("scheme", sa.String(32), nullable=False),
    )
    op.create_table(
        "published_persons",
        sa.Column("person_id", Id, primary_key=True, autoincrement=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "portal_articles",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("summary", sa.Text()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("portal_articles")
    op.drop_table("published_persons")
    op.drop_table("portal_submission_contacts")
    op.drop_index("ix_portal_submissions_status", table_name="portal_submissions")
    op.drop_table("portal_submissions")
