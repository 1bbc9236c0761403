"""Records read from a document get an indexed mark: ``source_records.machine_reading``.

The documents' verification queue and counts (``dadkhah.documents.reading_counts``,
``unverified_records``, ``reading_states``) found their records with ``raw LIKE
'{%"file_sha256"%'``, a scan of every record's raw row.  They now read the indexed column,
true for a machine reading of a document and NULL for a row of a list file; the importer
sets it for new records, and this revision fills it for existing ones by the same test as
``dadkhah.documents.provenance`` (a JSON object holding ``reading`` and ``file_sha256``),
written out here so that the migration stays as it is when that function changes.

Row hashes: list rows keep theirs (a NULL column is left out of the hash).  The UPDATE of
the document rows fires the row-hash triggers of ``source_records`` (SQLite's ADD COLUMN
keeps them), so the upgrade's audit entry seals their new hashes; no ``mark_table`` over the
whole table is needed.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import op

from dadkhah.store.audit import append

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_LIKE = '{%"file_sha256"%'
_BATCH = 10_000


def _is_reading(raw: str) -> bool:
    """The test of ``dadkhah.documents.provenance`` (revision 0017)."""
    if not raw.startswith("{") or '"reading"' not in raw or '"file_sha256"' not in raw:
        return False
    try:
        obj = json.loads(raw)
    except ValueError:
        return False
    return isinstance(obj, dict) and "reading" in obj and "file_sha256" in obj


def upgrade() -> None:
    op.add_column("source_records", sa.Column("machine_reading", sa.Boolean(), nullable=True))
    op.create_index("ix_source_records_machine_reading", "source_records", ["machine_reading"])
    conn = op.get_bind()
    ids = [int(r.id) for r in conn.execute(
        sa.text("SELECT id, raw FROM source_records WHERE raw LIKE :p"), {"p": _LIKE})
        if _is_reading(r.raw)]
    mark = sa.text("UPDATE source_records SET machine_reading = :t WHERE id = :id")
    for i in range(0, len(ids), _BATCH):
        conn.execute(mark, [{"t": True, "id": rid} for rid in ids[i:i + _BATCH]])


def downgrade() -> None:
    """Drop the column (it is derived from ``raw``: nothing is lost).  The marked rows are
    set to NULL first and sealed by an audit entry (``downgrade``): NULL is left out of a
    row's hash, so the entry holds the hashes revision 0016 computes, and ``dadkhah audit
    verify`` still passes on the downgraded case."""
    conn = op.get_bind()
    n = conn.execute(sa.text("UPDATE source_records SET machine_reading = NULL "
                             "WHERE machine_reading IS NOT NULL")).rowcount
    if n:
        append(conn, by="dadkhah (migration 0017)", action="downgrade", target="case",
               details={"from": "0017", "to": "0016", "records_unmarked": n})
    op.drop_index("ix_source_records_machine_reading", "source_records")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not batch mode: rebuilding source_records
    # would drop the table that person_records and others refer to (foreign keys are on),
    # and the row-hash triggers stay in place
    conn.exec_driver_sql("ALTER TABLE source_records DROP COLUMN machine_reading")
