"""Logins (sessions) and API tokens of users.

Session and API tokens are 256-bit random strings; the store keeps only their SHA-256, so a
copy of the database does not let anyone log in.  Sessions are not audited (they are not case
content); creating an API token is.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import ApiToken, User, WebSession, insert_row
from dadkhah.users.accounts import UserInfo, get_user, user_info

SESSION_DAYS = 14
"""A session expires this many days after login."""


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- sessions -----------------------------------------------------------------------------
def start_session(case: Case, user: UserInfo, *, second_factor: bool = False) -> str:
    """A new session for ``user``; returns the token for the cookie.  ``second_factor``:
    the login gave one (see :func:`session_user`)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with case.write() as conn:
        conn.execute(insert(WebSession).values(
            token_sha256=_sha(token), user_id=user.id, created_at=now.isoformat(),
            expires_at=(now + timedelta(days=SESSION_DAYS)).isoformat(),
            second_factor=second_factor))
        conn.execute(update(User).where(User.id == user.id).values(last_login_at=now_utc()))
        # Expired sessions are swept at login rather than by a background job.
        conn.execute(delete(WebSession).where(WebSession.expires_at < now.isoformat()))
    return token


def session_user(case: Case, token: str | None, *,
                 second_factor_roles: Collection[str] = ()) -> UserInfo | None:
    """The enabled user holding this unexpired session token, else None.  A user whose role
    is in ``second_factor_roles`` must hold a session whose login gave a second factor
    (a session from before the requirement does not count)."""
    if not token:
        return None
    with case.read() as conn:
        r = conn.execute(select(User.__table__, WebSession.second_factor)
                         .join(WebSession, WebSession.user_id == User.id)
                         .where(WebSession.token_sha256 == _sha(token),
                                WebSession.expires_at > datetime.now(UTC).isoformat(),
                                User.disabled.is_(False))).first()
    if r is None or (r.role in second_factor_roles and not r.second_factor):
        return None
    return user_info(r)


def end_session(case: Case, token: str | None) -> None:
    """Forget a session (logout); nothing happens for an unknown or empty token."""
    if token:
        with case.write() as conn:
            conn.execute(delete(WebSession).where(WebSession.token_sha256 == _sha(token)))


# -- API tokens ---------------------------------------------------------------------------
def create_api_token(case: Case, ref: int | str, name: str, *, by: str) -> str:
    """A new API token for a user; returned once, stored only as its hash."""
    user = get_user(case, ref)
    token = "dk_" + secrets.token_urlsafe(32)
    with case.write() as conn:
        tid = insert_row(conn, ApiToken,
            user_id=user.id, name=name, token_sha256=_sha(token), created_at=now_utc(),
            revoked=False)
        append(conn, by=by, action="user.token", target=f"user:{user.id}",
               details={"username": user.username, "token_id": tid, "name": name})
    return token


def token_user(case: Case, token: str | None) -> UserInfo | None:
    """The enabled user holding this unrevoked API token, else None."""
    if not token:
        return None
    with case.read() as conn:
        r = conn.execute(select(User.__table__)
                         .join(ApiToken, ApiToken.user_id == User.id)
                         .where(ApiToken.token_sha256 == _sha(token),
                                ApiToken.revoked.is_(False),
                                User.disabled.is_(False))).first()
    return user_info(r) if r else None
