"""User accounts: creating and changing them, passwords, and checking a password.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).
Changes to users go into the audit log with the acting user.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import asdict, dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from dadkhah.access import ROLES
from dadkhah.errors import AccessDenied, ConfigError, NotFound
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import ApiToken, User, WebSession, insert_row

LANGUAGES = ("en", "fa")
"""Interface languages."""

MIN_PASSWORD = 10
"""Shortest password accepted (characters)."""

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and does not reveal which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
# At most this many password checks (argon2id, 64 MiB each) run at once in a process; more
# wait their turn, so a burst of logins with any user names cannot take the server's memory.
_VERIFY_SLOTS = 2
_verify_slots = threading.BoundedSemaphore(_VERIFY_SLOTS)


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
        """The fields as a JSON-ready dict."""
        return asdict(self)

    def summary(self) -> str:
        """One line for people: name, role, interface language, and whether disabled."""
        state = " (disabled)" if self.disabled else ""
        return f"{self.username}: {self.role}, interface {self.language}{state}"


def user_info(r: Any) -> UserInfo:
    """A :class:`UserInfo` from a row of the users table (used by :mod:`.sessions`)."""
    return UserInfo(id=r.id, username=r.username, display_name=r.display_name, role=r.role,
                    language=r.language, disabled=bool(r.disabled), created_at=r.created_at,
                    created_by=r.created_by, last_login_at=r.last_login_at)


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


def add_user(case: Case, username: str, password: str, *, role: str, by: str,
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
        uid = insert_row(conn, User,
            username=username, display_name=display_name, password_hash=hash_password(password),
            role=role, language=language, disabled=False, created_at=now_utc(),
            created_by=by)
        append(conn, by=by, action="user.add", target=f"user:{uid}",
               details={"username": username, "role": role})
    return get_user(case, username)


def get_user(case: Case, ref: int | str) -> UserInfo:
    """A user by id or user name."""
    col = User.id if isinstance(ref, int) else User.username
    with case.read() as conn:
        r = conn.execute(select(User.__table__).where(col == ref)).first()
    if r is None:
        raise NotFound(f"No user {ref!r} in this case.", hint="List users with: dadkhah user list")
    return user_info(r)


def list_users(case: Case) -> list[UserInfo]:
    """All users, by user name."""
    with case.read() as conn:
        return [user_info(r) for r in conn.execute(select(User.__table__).order_by(User.username))]


def _change(case: Case, ref: int | str, values: dict[str, Any], *, by: str, action: str,
            details: dict[str, Any], end_sessions: bool = False) -> UserInfo:
    user = get_user(case, ref)
    with case.write() as conn:
        conn.execute(update(User).where(User.id == user.id).values(**values))
        if end_sessions:
            conn.execute(delete(WebSession).where(WebSession.user_id == user.id))
            conn.execute(update(ApiToken).where(ApiToken.user_id == user.id)
                         .values(revoked=True))
        append(conn, by=by, action=action, target=f"user:{user.id}",
               details={"username": user.username, **details})
    return get_user(case, user.id)


def set_role(case: Case, ref: int | str, role: str, *, by: str) -> UserInfo:
    """Give a user another role (one of :data:`dadkhah.access.ROLES`)."""
    _check_role(role)
    return _change(case, ref, {"role": role}, by=by, action="user.role",
                   details={"role": role})


def set_password(case: Case, ref: int | str, password: str, *, by: str) -> UserInfo:
    """Set a new password; the user's sessions and API tokens end."""
    _check_password(password)
    return _change(case, ref, {"password_hash": hash_password(password)}, by=by,
                   action="user.passwd", details={}, end_sessions=True)


def set_disabled(case: Case, ref: int | str, disabled: bool, *, by: str) -> UserInfo:
    """Disable (or enable again) a user; disabling ends their sessions and API tokens."""
    return _change(case, ref, {"disabled": disabled}, by=by,
                   action="user.disable" if disabled else "user.enable",
                   details={"disabled": disabled}, end_sessions=disabled)


def set_language(case: Case, user_id: int, language: str) -> None:
    """The user's interface language (a preference, not audited)."""
    if language not in LANGUAGES:
        raise ConfigError(f"Unknown language {language!r}.", hint="Use en or fa.")
    with case.write() as conn:
        conn.execute(update(User).where(User.id == user_id).values(language=language))


def authenticate(case: Case, username: str, password: str) -> UserInfo:
    """The user with this name and password, or :class:`AccessDenied` (same message for a
    wrong name, a wrong password and a disabled user)."""
    with case.read() as conn:
        r = conn.execute(select(User.__table__)
                         .where(User.username == username.strip().lower())).first()
    try:
        with _verify_slots:
            _hasher.verify(r.password_hash if r else _DUMMY_HASH, password)
        ok = r is not None and not r.disabled
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or r is None:
        raise AccessDenied("Wrong user name or password.",
                           hint="Check both; an admin can reset a password with "
                                "dadkhah user passwd.")
    if _hasher.check_needs_rehash(r.password_hash):
        with case.write() as conn:
            conn.execute(update(User).where(User.id == r.id)
                         .values(password_hash=hash_password(password)))
    return user_info(r)
