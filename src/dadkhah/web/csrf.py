"""Protection against cross-site request forgery.

Every state-changing request (POST, PUT, PATCH, DELETE) must carry the token of the visitor's
session, as the form field ``csrf_token`` or the ``X-CSRF-Token`` header (HTMX sends the
header on every request from ``<body hx-headers>``).  The token is an HMAC of the session
token (or, for an anonymous visitor, of the random ``dadkhah_visitor`` cookie) under the
application's secret key, so it needs no storage and differs per session.  Requests
authenticated with an API token (``Authorization: Bearer``) carry no cookies and need none.

Routers attach :func:`csrf_protect` as a router-wide dependency; ``tests/web`` enumerates the
application's routes and checks that every unsafe one refuses a request without the token.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from dadkhah.errors import AccessDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CsrfRejected(AccessDenied):
    """A state-changing request without the session's CSRF token."""


def token_for(secret_key: str, session_id: str) -> str:
    """The CSRF token of one session (or anonymous visitor id)."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_id.encode(),
                    hashlib.sha256).hexdigest()


async def csrf_protect(request: Request) -> None:
    """FastAPI dependency: refuse an unsafe request whose CSRF token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    if getattr(request.state, "api_token", False):
        return
    expected = getattr(request.state, "csrf_token", None)
    sent = request.headers.get(HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfRejected(
            "This form was refused: its security token is missing or out of date.",
            hint="Reload the page and send the form again (tokens change when you log in "
                 "or out).")
