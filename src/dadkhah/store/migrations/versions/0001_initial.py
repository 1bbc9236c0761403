"""Initial case store: sources, imports, source records, rejected rows, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text()),
        sa.Column("author", sa.Text()),
        sa.Column("date", sa.String(64)),
        sa.Column("citation", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("language", sa.String(32)),
        sa.Column("script", sa.String(32)),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", Id, primary_key=True),
        sa.Column("source_id", Id, sa.ForeignKey("sources.id"), nullable=False, index=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(16), nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("mapping_origin", sa.String(16), nullable=False),
        sa.Column("strict", sa.Boolean(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("records_digest", sa.String(64)),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )
    text_fields = (
        "external_id", "full_name", "given_names", "surname", "father_name", "sex", "age",
        "birth_date", "death_date", "place_of_arrest", "prison", "city", "province",
        "affiliation", "notes",
    )
    op.create_table(
        "source_records",
        sa.Column("id", Id, primary_key=True),
        sa.Column("source_id", Id, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("import_id", Id, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        *[sa.Column(name, sa.Text()) for name in text_fields],
        sa.UniqueConstraint("import_id", "row_number", name="uq_source_records_import_row"),
    )
    op.create_index("ix_source_records_source", "source_records", ["source_id"])
    op.create_table(
        "rejected_rows",
        sa.Column("id", Id, primary_key=True),
        sa.Column("import_id", Id, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.UniqueConstraint("import_id", "row_number", name="uq_rejected_rows_import_row"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", Id, primary_key=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False, unique=True),
    )


def downgrade() -> None:
    for name in ("audit_log", "rejected_rows", "source_records", "imports", "sources"):
        op.drop_table(name)
