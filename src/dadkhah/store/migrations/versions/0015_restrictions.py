"""Restricted records (issue 16): groups of users and restrictions.

``user_groups`` and ``user_group_members`` hold named groups of team members;
``restrictions`` names, for a restricted object (a source, a source record, an evidence
file or a testimony), each user or group allowed to see it.  All three are under row-hash
triggers (:mod:`dadkhah.store.integrity`): lifting a restriction or joining a group by
editing the database shows in ``dadkhah audit verify``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from dadkhah.store.integrity import drop_trigger_ddl, install_triggers

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("user_groups", ("id",)), ("user_group_members", ("group_id", "user_id")),
    ("restrictions", ("id",)),
)


def upgrade() -> None:
    op.create_table(
        "user_groups",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "user_group_members",
        sa.Column("group_id", Id, sa.ForeignKey("user_groups.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), primary_key=True,
                  autoincrement=False),
    )
    op.create_table(
        "restrictions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("object_id", Id, nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("group_id", Id, sa.ForeignKey("user_groups.id"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_restrictions_object", "restrictions", ["kind", "object_id"])
    install_triggers(op.get_bind(), TABLES)


def downgrade() -> None:
    """Refused while any restriction exists: dropping it would publish restricted data to
    every user."""
    bind = op.get_bind()
    n = bind.execute(sa.text("SELECT COUNT(*) FROM restrictions")).scalar_one()
    if n:
        raise RuntimeError(f"Cannot downgrade below 0015: {n} restriction(s) exist, and "
                           "revision 0014 would show restricted data to every user. Lift "
                           "them first (dadkhah restrict remove) or restore a backup.")
    for table, _keys in reversed(TABLES):
        for stmt in drop_trigger_ddl(bind.dialect.name, table):
            bind.exec_driver_sql(stmt)
    op.drop_index("ix_restrictions_object", "restrictions")
    op.drop_table("restrictions")
    op.drop_table("user_group_members")
    op.drop_table("user_groups")
