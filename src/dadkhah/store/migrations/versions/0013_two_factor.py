"""Two-factor login: TOTP secrets, recovery codes and WebAuthn security keys (issue 16).

Three tables, each under row-hash triggers (:mod:`dadkhah.store.integrity`): who has which
second factor is a security claim, so a direct edit of the database (adding a key for
someone, reviving a used recovery code) shows in ``dadkhah audit verify``.  The columns
written at every login (``last_step``, ``sign_count``, ``last_used_at``) are left out of the
row hashes (``integrity.EXCLUDED_COLUMNS``).  ``web_sessions`` gains ``second_factor``
(sessions are not row-hashed).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from dadkhah.store.integrity import drop_trigger_ddl, install_triggers

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("user_totp", ("user_id",)), ("user_recovery_codes", ("id",)),
    ("webauthn_credentials", ("id",)),
)


def upgrade() -> None:
    op.create_table(
        "user_totp",
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("key_fingerprint", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("confirmed_at", sa.String(40), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
    )
    op.create_table(
        "user_recovery_codes",
        sa.Column("id", Id, primary_key=True),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("hint", sa.String(8), nullable=False),
        sa.Column("code_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("used_at", sa.String(40), nullable=True),
    )
    op.create_index("ix_user_recovery_codes_user_id", "user_recovery_codes", ["user_id"])
    op.create_table(
        "webauthn_credentials",
        sa.Column("id", Id, primary_key=True),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("credential_id", sa.Text(), nullable=False, unique=True),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("last_used_at", sa.String(40), nullable=True),
    )
    op.create_index("ix_webauthn_credentials_user_id", "webauthn_credentials", ["user_id"])
    install_triggers(op.get_bind(), TABLES)
    # Whether a login gave a second factor: a role that requires one is not let in on a
    # session without it (one made before the requirement, or before this revision).
    op.add_column("web_sessions", sa.Column("second_factor", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:  # web_sessions has no triggers
        batch.drop_column("second_factor")
    bind = op.get_bind()
    for table, _keys in TABLES:
        for stmt in drop_trigger_ddl(bind.dialect.name, table):
            bind.exec_driver_sql(stmt)
    op.drop_index("ix_webauthn_credentials_user_id", "webauthn_credentials")
    op.drop_table("webauthn_credentials")
    op.drop_index("ix_user_recovery_codes_user_id", "user_recovery_codes")
    op.drop_table("user_recovery_codes")
    op.drop_table("user_totp")
