"""Row hashes: every table a claim rests on is bound into the audit chain (issue 16,
security review T2, T9, T10, T13-T19).

Creates ``row_dirty``, ``row_hashes`` and ``row_hash_log`` and the triggers that note each
changed row of a protected table (:mod:`dadkhah.store.integrity`).  The rows a case already
holds are noted here, and :meth:`dadkhah.store.Case.upgrade` seals their hashes into the
``upgrade`` audit entry in the same transaction: from then on, ``dadkhah audit verify``
compares every such row with the hash the chain committed to.

The table list is fixed here as it stood at this revision; a later migration that adds a
protected table installs its triggers itself (CONTRIBUTING.md).

A downgrade drops the row hashes; the audit entries keep their ``rows_sealed`` details, which
an older dadkhah ignores.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

from dadkhah.store.integrity import drop_trigger_ddl, install_triggers, mark_all

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("actors", ("id",)), ("allegations", ("id",)), ("api_tokens", ("id",)),
    ("audit_pairs", ("id",)), ("audit_samples", ("id",)), ("burial_sites", ("id",)),
    ("citations", ("id",)), ("decisions", ("id",)), ("event_victims", ("id",)),
    ("events", ("id",)), ("evidence", ("id",)), ("evidence_links", ("id",)),
    ("figures", ("id",)), ("imports", ("id",)), ("link_runs", ("id",)),
    ("person_id_changes", ("id",)), ("person_records", ("record_id",)), ("persons", ("id",)),
    ("portal_articles", ("id",)), ("portal_submission_contacts", ("submission_id",)),
    ("portal_submissions", ("id",)), ("published_persons", ("person_id",)),
    ("published_records", ("person_id", "record_id")), ("rejected_rows", ("id",)),
    ("roles", ("id",)), ("source_records", ("id",)), ("sources", ("id",)),
    ("testimonies", ("id",)), ("users", ("id",)), ("web_estimates", ("id",)),
)
"""Protected tables at revision 0010 and their key columns."""


def upgrade() -> None:
    op.create_table(
        "row_dirty",
        sa.Column("tok", sa.String(40), primary_key=True),
        sa.Column("tbl", sa.String(64), primary_key=True),
        sa.Column("k1", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("k2", sa.BigInteger(), primary_key=True, autoincrement=False),
    )
    op.create_table(
        "row_hashes",
        sa.Column("tbl", sa.String(64), primary_key=True),
        sa.Column("k1", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("k2", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "row_hash_log",
        sa.Column("id", Id, primary_key=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("k1", sa.BigInteger(), nullable=False),
        sa.Column("k2", sa.BigInteger(), nullable=False),
        sa.Column("row_hash", sa.String(64)),
    )
    op.create_index("ix_row_hash_log_entry", "row_hash_log", ["entry_id"])
    conn = op.get_bind()
    install_triggers(conn, TABLES)
    mark_all(conn, TABLES)


def downgrade() -> None:
    conn = op.get_bind()
    for table, _ in TABLES:
        for stmt in drop_trigger_ddl(conn.dialect.name, table):
            conn.exec_driver_sql(stmt)
    op.drop_table("row_hash_log")
    op.drop_table("row_hashes")
    op.drop_table("row_dirty")
