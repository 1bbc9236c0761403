"""The register: persons, their records, linkage runs, review pairs, decisions, id history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "link_runs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("backend", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("model", sa.Text()),
        sa.Column("report", sa.Text()),
    )
    op.create_table(
        "persons",
        sa.Column("id", Id, primary_key=True, autoincrement=False),
        sa.Column("status", sa.String(16), nullable=False),  # active | merged | split
        sa.Column("name_fa", sa.Text()),
        sa.Column("name_latin", sa.Text()),
        sa.Column("father_fa", sa.Text()),
        sa.Column("father_latin", sa.Text()),
        sa.Column("sex", sa.String(1)),
        sa.Column("birth_year_lo", sa.Integer()),
        sa.Column("birth_year_hi", sa.Integer()),
        sa.Column("death_earliest", sa.String(10)),
        sa.Column("death_latest", sa.String(10)),
        sa.Column("prison_id", sa.String(64)),
        sa.Column("city_id", sa.String(64)),
        sa.Column("n_records", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),  # JSON list of source ids
        sa.Column("support", sa.Text(), nullable=False),  # JSON: field -> record ids
        sa.Column("first_run_id", Id, sa.ForeignKey("link_runs.id")),
        sa.Column("last_run_id", Id, sa.ForeignKey("link_runs.id")),
    )
    op.create_table(
        "person_records",
        sa.Column("record_id", Id, sa.ForeignKey("source_records.id"), primary_key=True),
        sa.Column("person_id", Id, sa.ForeignKey("persons.id"), nullable=False, index=True),
    )
    op.create_table(
        "person_id_changes",
        sa.Column("id", Id, primary_key=True),
        sa.Column("run_id", Id, sa.ForeignKey("link_runs.id"), nullable=False),
        sa.Column("old_person_id", Id, nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),  # merged | split
        sa.Column("into", sa.Text(), nullable=False),  # JSON list of person ids
    )
    op.create_table(
        "link_pairs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("run_id", Id, sa.ForeignKey("link_runs.id"), nullable=False, index=True),
        sa.Column("record_l", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("record_r", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("gamma", sa.Text()),  # JSON comparison levels, for the review screen
    )
    op.create_table(
        "decisions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("record_l", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("record_r", Id, sa.ForeignKey("source_records.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),  # match | no_match | unsure
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),  # review | merge | split
        sa.Column("superseded_by", Id),
    )
    op.create_index("ix_decisions_pair", "decisions", ["record_l", "record_r"])


def downgrade() -> None:
    for name in ("decisions", "link_pairs", "person_id_changes", "person_records", "persons",
                 "link_runs"):
        op.drop_table(name)
