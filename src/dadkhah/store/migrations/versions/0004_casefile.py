"""The case file: actors, roles, events, allegations, figures, burial sites, citations,
evidence, testimonies; citation columns on sources.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SOURCE_COLUMNS = [
    ("accessed_at", sa.String(40)),
    ("archive_url", sa.Text()),
    ("archive_sha256", sa.String(64)),
]


def _stamp() -> list[sa.Column[str]]:
    return [sa.Column("created_at", sa.String(40), nullable=False),
            sa.Column("created_by", sa.String(200), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        for name, type_ in SOURCE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))

    op.create_table(
        "actors",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name_en", sa.Text()),
        sa.Column("name_fa", sa.Text()),
        sa.Column("name_key", sa.String(200)),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text()),
        *_stamp(),
    )
    op.create_index("ix_actors_name_key", "actors", ["name_key"])
    op.create_table(
        "roles",
        sa.Column("id", Id, primary_key=True),
        sa.Column("actor_id", Id, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("position_fa", sa.Text()),
        sa.Column("institution_id", Id, sa.ForeignKey("actors.id")),
        sa.Column("start_text", sa.String(64)),
        sa.Column("start_earliest", sa.String(10)),
        sa.Column("start_latest", sa.String(10)),
        sa.Column("end_text", sa.String(64)),
        sa.Column("end_earliest", sa.String(10)),
        sa.Column("end_latest", sa.String(10)),
        sa.Column("notes", sa.Text()),
        *_stamp(),
    )
    op.create_index("ix_roles_actor_id", "roles", ["actor_id"])
    op.create_table(
        "burial_sites",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name_en", sa.Text()),
        sa.Column("name_fa", sa.Text()),
        sa.Column("place_id", sa.String(64)),
        sa.Column("geometry", sa.Text()),
        sa.Column("description", sa.Text()),
        *_stamp(),
    )
    op.create_table(
        "events",
        sa.Column("id", Id, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_fa", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("date_text", sa.String(64)),
        sa.Column("date_earliest", sa.String(10)),
        sa.Column("date_latest", sa.String(10)),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("place_id", sa.String(64)),
        sa.Column("place_text", sa.Text()),
        sa.Column("burial_site_id", Id, sa.ForeignKey("burial_sites.id")),
        sa.Column("part_of_id", Id, sa.ForeignKey("events.id")),
        *_stamp(),
    )
    op.create_table(
        "event_victims",
        sa.Column("id", Id, primary_key=True),
        sa.Column("event_id", Id, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("person_id", Id),
        sa.Column("record_id", Id, sa.ForeignKey("source_records.id")),
        sa.Column("notes", sa.Text()),
        *_stamp(),
    )
    op.create_index("ix_event_victims_event_id", "event_victims", ["event_id"])
    op.create_table(
        "allegations",
        sa.Column("id", Id, primary_key=True),
        sa.Column("actor_id", Id, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("event_id", Id, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("mode", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_fa", sa.Text()),
        *_stamp(),
    )
    op.create_index("ix_allegations_actor_id", "allegations", ["actor_id"])
    op.create_index("ix_allegations_event_id", "allegations", ["event_id"])
    op.create_table(
        "figures",
        sa.Column("id", Id, primary_key=True),
        sa.Column("event_id", Id, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("quantity", sa.String(32), nullable=False),
        sa.Column("figure_type", sa.String(32), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("low", sa.BigInteger()),
        sa.Column("high", sa.BigInteger()),
        sa.Column("notes", sa.Text()),
        *_stamp(),
    )
    op.create_index("ix_figures_event_id", "figures", ["event_id"])
    op.create_table(
        "citations",
        sa.Column("id", Id, primary_key=True),
        sa.Column("claim_kind", sa.String(16), nullable=False),
        sa.Column("claim_id", Id, nullable=False),
        sa.Column("source_id", Id, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("credibility", sa.String(1), nullable=False),
        sa.Column("locator", sa.Text()),
        sa.Column("quote", sa.Text()),
    )
    op.create_index("ix_citations_claim", "citations", ["claim_kind", "claim_id"])
    op.create_index("ix_citations_source_id", "citations", ["source_id"])
    op.create_table(
        "evidence",
        sa.Column("id", Id, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(127), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("acquired_by", sa.Text()),
        sa.Column("acquired_at", sa.String(64)),
        sa.Column("acquired_from", sa.Text()),
        sa.Column("acquisition_method", sa.Text()),
        sa.Column("source_id", Id, sa.ForeignKey("sources.id")),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "evidence_links",
        sa.Column("id", Id, primary_key=True),
        sa.Column("claim_kind", sa.String(16), nullable=False),
        sa.Column("claim_id", Id, nullable=False),
        sa.Column("evidence_id", Id, sa.ForeignKey("evidence.id"), nullable=False),
        sa.Column("locator", sa.Text()),
    )
    op.create_index("ix_evidence_links_claim", "evidence_links", ["claim_kind", "claim_id"])
    op.create_index("ix_evidence_links_evidence_id", "evidence_links", ["evidence_id"])
    op.create_table(
        "testimonies",
        sa.Column("id", Id, primary_key=True),
        sa.Column("pseudonym", sa.String(64), nullable=False, unique=True),
        sa.Column("event_id", Id, sa.ForeignKey("events.id")),
        sa.Column("taken_at", sa.String(64)),
        sa.Column("taken_place", sa.Text()),
        sa.Column("language", sa.String(32)),
        sa.Column("consent", sa.Text()),
        sa.Column("summary", sa.Text()),
        sa.Column("protected", sa.Text(), nullable=False),
        sa.Column("key_fingerprint", sa.String(64), nullable=False),
        *_stamp(),
    )


def downgrade() -> None:
    for table in ("testimonies", "evidence_links", "evidence", "citations", "figures",
                  "allegations", "event_victims", "events", "burial_sites", "roles", "actors"):
        op.drop_table(table)
    with op.batch_alter_table("sources") as batch:
        for name, _ in reversed(SOURCE_COLUMNS):
            batch.drop_column(name)
