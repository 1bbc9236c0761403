"""Parsed columns of source records, filled by ``dadkhah normalize`` (dadkhah.names).

Every column is derived from the record's own mapped text and can be rebuilt at any time;
the verbatim row and the mapped text are never changed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (name, type) of the parsed columns, in order; kept in step with NORMALIZED_COLUMNS in
# dadkhah/store/tables/core.py.
COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("name_fa", sa.Text()),  # normalised Persian full name (Persian-script input only)
    ("name_latin", sa.Text()),  # Latin form: transliteration or usual spelling
    ("name_key", sa.String(200)),  # cross-script key of given + surname
    ("given_key", sa.String(200)),
    ("surname_key", sa.String(200)),
    ("father_key", sa.String(200)),
    ("name_titles", sa.String(200)),  # titles/prefixes kept as attributes, space-separated
    ("sex_code", sa.String(1)),  # m | f
    ("age_min", sa.Integer()),
    ("age_max", sa.Integer()),
    ("birth_earliest", sa.String(10)),  # ISO Gregorian dates
    ("birth_latest", sa.String(10)),
    ("birth_precision", sa.String(16)),
    ("death_earliest", sa.String(10)),
    ("death_latest", sa.String(10)),
    ("death_precision", sa.String(16)),
    ("arrest_place_id", sa.String(64)),  # gazetteer ids
    ("prison_id", sa.String(64)),
    ("city_id", sa.String(64)),
    ("province_id", sa.String(64)),
    ("parse_problems", sa.Text()),  # JSON list of {field, problem}
    ("normalized_at", sa.String(40)),
]


def upgrade() -> None:
    with op.batch_alter_table("source_records") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index("ix_source_records_name_key", ["name_key"])
        batch.create_index("ix_source_records_surname_key", ["surname_key"])


def downgrade() -> None:
    with op.batch_alter_table("source_records") as batch:
        batch.drop_index("ix_source_records_surname_key")
        batch.drop_index("ix_source_records_name_key")
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
