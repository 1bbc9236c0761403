"""The team's tables (migrations 0005, 0013): users, their sessions and API tokens, their
second factors (TOTP secrets, recovery codes, security keys).

Declared on the same :class:`dadkhah.store.tables.core.Base` so that one metadata holds the
whole store.  Sessions and API tokens are kept as the SHA-256 of the random value the
client holds, passwords and recovery codes as argon2id hashes.  The one secret the server
must read back, a TOTP secret, is encrypted with the case's key when the server has one.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType


class User(Base):
    """A member of the case team (roles: :data:`dadkhah.access.ROLES`)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8), default="en")
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
    last_login_at: Mapped[str | None] = mapped_column(String(40))


class WebSession(Base):
    """A logged-in browser session; the cookie holds a random token, the table its hash."""

    __tablename__ = "web_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    # True when the login gave a second factor (migration 0013); NULL for older sessions.
    second_factor: Mapped[bool | None] = mapped_column()


class ApiToken(Base):
    """A token for the JSON API (``Authorization: Bearer …``), held by one user."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(40))
    revoked: Mapped[bool] = mapped_column(default=False)


# -- two-factor login (migration 0013) -------------------------------------------------------
class UserTotp(Base):
    """A user's TOTP (authenticator app) secret.  ``secret`` is the base32 secret encrypted
    with the case's key (AES-GCM, ``key_fingerprint`` names the key) when the server has one,
    else the secret itself (``key_fingerprint`` NULL).  ``confirmed_at`` is NULL while the
    user has not yet typed a first code; ``last_step`` is the newest 30-second step a code
    was accepted for, so a code cannot be used twice."""

    __tablename__ = "user_totp"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True,
                                         autoincrement=False)
    secret: Mapped[str] = mapped_column(Text)
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    confirmed_at: Mapped[str | None] = mapped_column(String(40))
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """A single-use recovery code: its first characters in clear (``hint``, to find the row)
    and the whole code as an argon2id hash, like a password."""

    __tablename__ = "user_recovery_codes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    hint: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[str | None] = mapped_column(String(40))


class WebAuthnCredential(Base):
    """A security key (WebAuthn credential) registered by a user: its id and public key
    (base64url), the signature counter it last reported and when it was last used."""

    __tablename__ = "webauthn_credentials"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    credential_id: Mapped[str] = mapped_column(Text, unique=True)
    public_key: Mapped[str] = mapped_column(Text)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    last_used_at: Mapped[str | None] = mapped_column(String(40))
