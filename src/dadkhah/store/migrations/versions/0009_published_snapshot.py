"""Publication snapshots: a published person's public fields and records as they were when
published, so that a relink cannot put another source's title or spelling on the memorial
(security review W35).

Marks made before this migration take their snapshot from the register as it is now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_COLUMNS = (
    ("name_fa", sa.Text()), ("name_latin", sa.Text()), ("birth_year_lo", sa.Integer()),
    ("birth_year_hi", sa.Integer()), ("death_earliest", sa.String(10)),
    ("death_latest", sa.String(10)), ("prison_id", sa.String(64)), ("city_id", sa.String(64)),
    ("sources", sa.Text()),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("published_persons", sa.Column(name, type_))
    op.create_table(
        "published_records",
        sa.Column("person_id", Id, sa.ForeignKey("published_persons.person_id"),
                  primary_key=True),
        sa.Column("record_id", Id, sa.ForeignKey("source_records.id"), primary_key=True),
    )
    sets = ", ".join(f"{n} = (SELECT p.{n} FROM persons p WHERE p.id = published_persons.person_id)"
                     for n, _ in _COLUMNS)
    op.execute(f"UPDATE published_persons SET {sets}")
    op.execute("INSERT INTO published_records (person_id, record_id) "
               "SELECT pr.person_id, pr.record_id FROM person_records pr "
               "JOIN published_persons pp ON pp.person_id = pr.person_id")


def downgrade() -> None:
    op.drop_table("published_records")
    for name, _ in reversed(_COLUMNS):
        op.drop_column("published_persons", name)
