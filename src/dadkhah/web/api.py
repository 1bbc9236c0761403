"""The JSON API under ``/api`` (OpenAPI schema at ``/api/openapi.json``).

Authentication: the session cookie of a logged-in browser (writes then need the
``X-CSRF-Token`` header) or ``Authorization: Bearer <token>`` (``dadkhah user token``).
Errors are ``{"ok": false, "error": …, "hint": …, "status": …}`` with that HTTP status.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from dadkhah.web.app import require_user
from dadkhah.web.auth import UserInfo
from dadkhah.web.csrf import csrf_protect

router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)], tags=["api"])


class ErrorOut(BaseModel):
    ok: bool = False
    error: str
    hint: str | None = None
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404)
}


class MeOut(BaseModel):
    username: str
    display_name: str | None
    role: str
    language: str


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(request: Request, user: UserInfo = Depends(require_user)) -> MeOut:
    """The user the request is authenticated as."""
    return MeOut(username=user.username, display_name=user.display_name, role=user.role,
                 language=user.language)
