"""Corrections of the father's name (issue 15): ``name_corrections`` gains ``father_fa`` and
``father_latin``.

A correction may now set the person's name, the father's name, or both; a row written before
this revision holds the person's name only.  Both columns are nullable: existing rows keep
their row hashes (null columns are left out of them) and the row-hash triggers, keyed on
``id``, need no change (SQLite's ADD COLUMN keeps them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = ("father_fa", "father_latin")


def upgrade() -> None:
    for name in _COLUMNS:
        op.add_column("name_corrections", sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the two columns; refused while a correction of a father's name exists (dropping
    it would lose a person's work and change that row's hash).  Batch mode rebuilds the
    table on SQLite, which drops its triggers: they are installed again.  The other rows'
    hashes are unchanged (their father columns were null), so nothing needs sealing."""
    from dadkhah.store.integrity import install_triggers

    conn = op.get_bind()
    n = conn.execute(sa.text("SELECT COUNT(*) FROM name_corrections WHERE father_fa IS NOT "
                             "NULL OR father_latin IS NOT NULL")).scalar_one()
    if n:
        raise RuntimeError(f"Cannot downgrade below 0014: {n} name correction(s) set a "
                           "father's name, which revision 0013 cannot hold (withdrawn "
                           "corrections are kept, so they count too). Restore a backup made "
                           "before 0014 instead.")
    with op.batch_alter_table("name_corrections") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
    install_triggers(conn, [("name_corrections", ("id",))])
