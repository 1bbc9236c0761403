"""Users of a case: accounts, roles, passwords, logins and API tokens.

A library API over a :class:`dadkhah.store.Case`, with no HTTP in it: the web application
(:mod:`dadkhah.web`) sets cookies and reads headers, then calls these functions; the
``dadkhah user`` commands call them directly.

* accounts: :func:`add_user`, :func:`get_user`, :func:`list_users`, :func:`set_role`,
  :func:`set_password`, :func:`set_disabled`, :func:`set_language`;
* checking a password: :func:`authenticate` (argon2id, :func:`hash_password`);
* logins: :func:`start_session`, :func:`session_user`, :func:`end_session`;
* API tokens: :func:`create_api_token`, :func:`token_user`.

Roles are those of :data:`dadkhah.access.ROLES`.  Changes to users are audited with the
acting user (``by=``).
"""

from dadkhah.users.accounts import (
    LANGUAGES,
    MIN_PASSWORD,
    UserInfo,
    add_user,
    authenticate,
    get_user,
    hash_password,
    list_users,
    set_disabled,
    set_language,
    set_password,
    set_role,
)
from dadkhah.users.sessions import (
    SESSION_DAYS,
    create_api_token,
    end_session,
    session_user,
    start_session,
    token_user,
)

__all__ = [
    "LANGUAGES",
    "MIN_PASSWORD",
    "SESSION_DAYS",
    "UserInfo",
    "add_user",
    "authenticate",
    "create_api_token",
    "end_session",
    "get_user",
    "hash_password",
    "list_users",
    "session_user",
    "set_disabled",
    "set_language",
    "set_password",
    "set_role",
    "start_session",
    "token_user",
]
