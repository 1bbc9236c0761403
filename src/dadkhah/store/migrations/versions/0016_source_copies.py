"""Sources that copy other sources, and scored pairs kept below the review band (issue 19).

``source_copies`` says that one source copies another, wholly or in part (a list compiled
from an earlier one): capture–recapture counts such a list together with the list it copies
(``dadkhah estimate`` merges them), since copying is a dependence between lists no estimator
here models.  It is under row-hash triggers (:mod:`dadkhah.store.integrity`): removing a copy
relation by editing the database would change every estimate and shows in ``dadkhah audit
verify``.

``link_pairs.review`` marks the scored pairs the review queue offers (true: in the review
band or on a cluster boundary); a linkage run also stores the pairs scored below the band,
down to the model's floor, with ``review`` false, for the linkage draws of the estimates
(``dadkhah.register.linkage_draws``).  ``link_pairs`` is left out of the row hashes (rebuilt by
every run), and rows stored before this revision were all offered for review (default true).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from dadkhah.store.integrity import drop_trigger_ddl, install_triggers

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (("source_copies", ("source_id", "copied_id")),)


def upgrade() -> None:
    op.create_table(
        "source_copies",
        sa.Column("source_id", Id, sa.ForeignKey("sources.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("copied_id", Id, sa.ForeignKey("sources.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("extent", sa.String(8), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.CheckConstraint("source_id <> copied_id", name="ck_source_copies_self"),
        sa.CheckConstraint("extent IN ('whole', 'part')", name="ck_source_copies_extent"),
    )
    install_triggers(op.get_bind(), TABLES)
    op.add_column("link_pairs", sa.Column("review", sa.Boolean(), nullable=False,
                                          server_default=sa.true()))


def downgrade() -> None:
    """Refused while a source is recorded as copying another: revision 0015 cannot hold it,
    and estimates would silently count the copied lists apart again.  Pairs stored below the
    review band are dropped (the next ``dadkhah link`` stores them again)."""
    bind = op.get_bind()
    n = bind.execute(sa.text("SELECT COUNT(*) FROM source_copies")).scalar_one()
    if n:
        raise RuntimeError(f"Cannot downgrade below 0016: {n} source(s) are recorded as "
                           "copying another, which revision 0015 cannot hold. Remove them "
                           "first (dadkhah source edit SOURCE --no-copies) or restore a backup.")
    bind.execute(sa.text("DELETE FROM link_pairs WHERE NOT review"))
    with op.batch_alter_table("link_pairs") as batch:
        batch.drop_column("review")
    for table, _keys in reversed(TABLES):
        for stmt in drop_trigger_ddl(bind.dialect.name, table):
            bind.exec_driver_sql(stmt)
    op.drop_table("source_copies")
