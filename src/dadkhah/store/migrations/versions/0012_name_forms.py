"""Name forms: where each display name came from, and corrections by people (issue 15).

Adds to ``persons`` (and to the publication snapshot ``published_persons``) the origin of
each display form — ``source`` (written so by a source, with the source ids), ``machine``
(a transliteration: no source wrote that script) or ``person`` (corrected by a team
member) — and the table ``name_corrections`` (row-hash triggers installed here).

Persons linked before this revision get their origin from what their records say: a Latin
form equal to a name some record of the person wrote is ``source``, any other Latin form is
``machine`` (the cautious answer: the next ``dadkhah link`` computes the exact rule and the
source ids); a Persian form is always written by a source (nothing makes Persian by
machine).  The changed rows are sealed by the upgrade's audit entry (``mark_table``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from dadkhah.store.integrity import drop_trigger_ddl, install_triggers, mark_table

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_PERSON_COLUMNS = (
    ("name_fa_origin", sa.String(16)), ("name_latin_origin", sa.String(16)),
    ("name_fa_sources", sa.Text()), ("name_latin_sources", sa.Text()),
    ("father_fa_origin", sa.String(16)), ("father_latin_origin", sa.String(16)),
)
_PUBLISHED_COLUMNS = _PERSON_COLUMNS[:4]


def _written(table: str, links: str, key: str, column: str, cells: tuple[str, ...]) -> str:
    """SQL: does a record linked to the row write ``column`` as one of ``cells``?"""
    alts = " OR ".join(f"TRIM({c}) = {table}.{column}" for c in cells)
    return (f"EXISTS (SELECT 1 FROM {links} l JOIN source_records r ON r.id = l.record_id "
            f"WHERE l.person_id = {table}.{key} AND ({alts}))")


def _backfill(table: str, links: str, key: str, father: bool) -> None:
    name_cells = ("r.full_name", "COALESCE(r.given_names, '') || ' ' || COALESCE(r.surname, '')")
    op.execute(f"UPDATE {table} SET name_fa_origin = 'source' WHERE name_fa IS NOT NULL")
    op.execute(f"UPDATE {table} SET name_latin_origin = CASE WHEN "
               f"{_written(table, links, key, 'name_latin', name_cells)} "
               f"THEN 'source' ELSE 'machine' END WHERE name_latin IS NOT NULL")
    if father:
        op.execute(f"UPDATE {table} SET father_fa_origin = 'source' WHERE father_fa IS NOT NULL")
        op.execute(f"UPDATE {table} SET father_latin_origin = CASE WHEN "
                   f"{_written(table, links, key, 'father_latin', ('r.father_name',))} "
                   f"THEN 'source' ELSE 'machine' END WHERE father_latin IS NOT NULL")


def upgrade() -> None:
    for name, type_ in _PERSON_COLUMNS:
        op.add_column("persons", sa.Column(name, type_))
    for name, type_ in _PUBLISHED_COLUMNS:
        op.add_column("published_persons", sa.Column(name, type_))
    op.create_table(
        "name_corrections",
        sa.Column("id", Id, primary_key=True),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("record_ids", sa.Text(), nullable=False),
        sa.Column("name_fa", sa.Text(), nullable=True),
        sa.Column("name_latin", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("withdrawn_at", sa.String(40), nullable=True),
        sa.Column("withdrawn_by", sa.String(200), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_name_corrections_person_id", "name_corrections", ["person_id"])
    conn = op.get_bind()
    install_triggers(conn, [("name_corrections", ("id",))])
    _backfill("persons", "person_records", "id", father=True)
    _backfill("published_persons", "published_records", "person_id", father=False)
    mark_table(conn, "persons", ("id",))
    mark_table(conn, "published_persons", ("person_id",))


def downgrade() -> None:
    conn = op.get_bind()
    for stmt in drop_trigger_ddl(conn.dialect.name, "name_corrections"):
        conn.exec_driver_sql(stmt)
    op.drop_index("ix_name_corrections_person_id", "name_corrections")
    op.drop_table("name_corrections")
    for name, _ in reversed(_PUBLISHED_COLUMNS):
        op.drop_column("published_persons", name)
    for name, _ in reversed(_PERSON_COLUMNS):
        op.drop_column("persons", name)
