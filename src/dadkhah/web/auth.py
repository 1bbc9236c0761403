"""Users of the web application, their passwords, sessions and API tokens.

A library API over a :class:`dadkhah.store.Case` (the ``dadkhah user`` commands call it too).
Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).
Session and API tokens are 256-bit random strings; the store keeps only their SHA-256, so a
copy of the database does not let anyone log in.  Changes to users go into the audit log with
the acting user; sessions do not (they are not case content).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from dadkhah.access import ROLES
from dadkhah.errors import AccessDenied, ConfigError, NotFound
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import ApiToken, User, WebSession

LANGUAGES = ("en", "fa")
"""Interface languages."""

SESSION_DAYS = 14
"""A session expires this many days after login."""

MIN_PASSWORD = 10
"""Shortest password accepted (characters)."""

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and does not reveal which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class UserInfo:
    """A user as the application sees it (never the password hash)."""

    id: int
    username: str
    display_name: str | None
    role: str
    language: str
    disabled: bool
    created_at: str
    created_by: str
    last_login_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        state = " (disabled)" if self.disabled else ""
        return f"{self.username}: {self.role}, interface {self.language}{state}"


def _info(r: Any) -> UserInfo:
    return UserInfo(id=r.id, username=r.username, display_name=r.display_name, role=r.role,
                    language=r.language, disabled=bool(r.disabled), created_at=r.created_at,
                    created_by=r.created_by, last_login_at=r.last_login_at)


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"Unknown role {role!r}.", hint="Roles: " + ", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"The password has {len(password)} characters; at least "
                          f"{MIN_PASSWORD} are needed.",
                          hint="Choose a longer password, e.g. four random words.")


def hash_password(password: str) -> str:
    """argon2id hash of ``password`` (PHC string with its own salt and parameters)."""
    return _hasher.hash(password)


def add_user(case: Any, username: str, password: str, *, role: str, actor: str,
             display_name: str | None = None, language: str = "en") -> UserInfo:
    """Create a user.  ``role`` is one of :data:`dadkhah.access.ROLES`."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ConfigError(f"User name {username!r} is not usable.",
                          hint="Use 2-64 lower-case letters, digits, '.', '-' or '_'.")
    _check_role(role)
    _check_password(password)
    if language not in LANGUAGES:
        raise ConfigError(f"Unknown language {language!r}.", hint="Use en or fa.")
    with case.write() as conn:
        if conn.execute(select(User.id).where(User.username == username)).first():
            raise ConfigError(f"User {username!r} already exists.",
                              hint="Choose another name, or change this user's role.")
        uid = conn.execute(User.__table__.insert().values(
            username=username, display_name=display_name, password_hash=hash_password(password),
            role=role, language=language, disabled=False, created_at=now_utc(),
            created_by=actor)).inserted_primary_key[0]
        append(conn, actor=actor, action="user.add", target=f"user:{uid}",
               details={"username": username, "role": role})
    return get_user(case, username)


def get_user(case: Any, ref: int | str) -> UserInfo:
    """A user by id or user name."""
    col = User.id if isinstance(ref, int) else User.username
    with case.read() as conn:
        r = conn.execute(select(User.__table__).where(col == ref)).first()
    if r is None:
        raise NotFound(f"No user {ref!r} in this case.", hint="List users with: dadkhah user list")
    return _info(r)


def list_users(case: Any) -> list[UserInfo]:
    with case.read() as conn:
        return [_info(r) for r in conn.execute(select(User.__table__).order_by(User.username))]


def _change(case: Any, ref: int | str, values: dict[str, Any], *, actor: str, action: str,
            details: dict[str, Any], end_sessions: bool = False) -> UserInfo:
    user = get_user(case, ref)
    with case.write() as conn:
        conn.execute(update(User).where(User.id == user.id).values(**values))
        if end_sessions:
            conn.execute(delete(WebSession).where(WebSession.user_id == user.id))
            conn.execute(update(ApiToken).where(ApiToken.user_id == user.id)
                         .values(revoked=True))
        append(conn, actor=actor, action=action, target=f"user:{user.id}",
               details={"username": user.username, **details})
    return get_user(case, user.id)


def set_role(case: Any, ref: int | str, role: str, *, actor: str) -> UserInfo:
    _check_role(role)
    return _change(case, ref, {"role": role}, actor=actor, action="user.role",
                   details={"role": role})


def set_password(case: Any, ref: int | str, password: str, *, actor: str) -> UserInfo:
    """Set a new password; the user's sessions and API tokens end."""
    _check_password(password)
    return _change(case, ref, {"password_hash": hash_password(password)}, actor=actor,
                   action="user.passwd", details={}, end_sessions=True)


def set_disabled(case: Any, ref: int | str, disabled: bool, *, actor: str) -> UserInfo:
    """Disable (or enable again) a user; disabling ends their sessions and API tokens."""
    return _change(case, ref, {"disabled": disabled}, actor=actor,
                   action="user.disable" if disabled else "user.enable",
                   details={"disabled": disabled}, end_sessions=disabled)


def set_language(case: Any, user_id: int, language: str) -> None:
    """The user's interface language (a preference, not audited)."""
    if language not in LANGUAGES:
        raise ConfigError(f"Unknown language {language!r}.", hint="Use en or fa.")
    with case.write() as conn:
        conn.execute(update(User).where(User.id == user_id).values(language=language))


def authenticate(case: Any, username: str, password: str) -> UserInfo:
    """The user with this name and password, or :class:`AccessDenied` (same message for a
    wrong name, a wrong password and a disabled user)."""
    with case.read() as conn:
        r = conn.execute(select(User.__table__)
                         .where(User.username == username.strip().lower())).first()
    try:
        _hasher.verify(r.password_hash if r else _DUMMY_HASH, password)
        ok = r is not None and not r.disabled
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise AccessDenied("Wrong user name or password.",
                           hint="Check both; an admin can reset a password with "
                                "dadkhah user passwd.")
    if _hasher.check_needs_rehash(r.password_hash):
        with case.write() as conn:
            conn.execute(update(User).where(User.id == r.id)
                         .values(password_hash=hash_password(password)))
    return _info(r)


# -- sessions -----------------------------------------------------------------------------
def start_session(case: Any, user: UserInfo) -> str:
    """A new session for ``user``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with case.write() as conn:
        conn.execute(WebSession.__table__.insert().values(
            token_sha256=_sha(token), user_id=user.id, created_at=now.isoformat(),
            expires_at=(now + timedelta(days=SESSION_DAYS)).isoformat()))
        conn.execute(update(User).where(User.id == user.id).values(last_login_at=now_utc()))
        # Expired sessions are swept at login rather than by a background job.
        conn.execute(delete(WebSession).where(WebSession.expires_at < now.isoformat()))
    return token


def session_user(case: Any, token: str | None) -> UserInfo | None:
    """The enabled user holding this unexpired session token, else None."""
    if not token:
        return None
    with case.read() as conn:
        r = conn.execute(select(User.__table__)
                         .join(WebSession, WebSession.user_id == User.id)
                         .where(WebSession.token_sha256 == _sha(token),
                                WebSession.expires_at > datetime.now(UTC).isoformat(),
                                User.disabled.is_(False))).first()
    return _info(r) if r else None


def end_session(case: Any, token: str | None) -> None:
    if token:
        with case.write() as conn:
            conn.execute(delete(WebSession).where(WebSession.token_sha256 == _sha(token)))


# -- API tokens ---------------------------------------------------------------------------
def create_api_token(case: Any, ref: int | str, name: str, *, actor: str) -> str:
    """A new API token for a user; returned once, stored only as its hash."""
    user = get_user(case, ref)
    token = "dk_" + secrets.token_urlsafe(32)
    with case.write() as conn:
        tid = conn.execute(ApiToken.__table__.insert().values(
            user_id=user.id, name=name, token_sha256=_sha(token), created_at=now_utc(),
            revoked=False)).inserted_primary_key[0]
        append(conn, actor=actor, action="user.token", target=f"user:{user.id}",
               details={"username": user.username, "token_id": tid, "name": name})
    return token


def token_user(case: Any, token: str | None) -> UserInfo | None:
    """The enabled user holding this unrevoked API token, else None."""
    if not token:
        return None
    with case.read() as conn:
        r = conn.execute(select(User.__table__)
                         .join(ApiToken, ApiToken.user_id == User.id)
                         .where(ApiToken.token_sha256 == _sha(token),
                                ApiToken.revoked.is_(False),
                                User.disabled.is_(False))).first()
    return _info(r) if r else None
