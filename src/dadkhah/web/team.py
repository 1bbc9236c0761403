"""The team's workspace: server-rendered pages under ``/team`` (login required).

Every route here depends on a logged-in user (:func:`~dadkhah.web.app.require_user` or
:func:`~dadkhah.web.app.requires`) except the login form itself, and every unsafe method on
:func:`~dadkhah.web.csrf.csrf_protect` (router-wide).  Writes go through the library
functions, which write the audit log with ``web:<username>`` as the actor.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from dadkhah.errors import AccessDenied
from dadkhah.store._schema import Decision, LinkPair, Person
from dadkhah.web import auth
from dadkhah.web.app import SESSION_COOKIE, _safe_next, actor, require_user, requires, set_cookie
from dadkhah.web.auth import UserInfo
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.estimates import compute_estimates, latest_estimates, latest_run_id
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)

PUBLIC_TEAM_PATHS = frozenset({"/team/login"})
"""Team paths an anonymous visitor may open (the security tests enumerate all others)."""


def _case(request: Request) -> Any:
    return request.app.state.case


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- login -------------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, next: str = "/team/") -> Response:
    return render(request, "team/login.html", {"next": _safe_next(next, "/team/")})


@router.post("/login")
def login(request: Request, username: str = Form(...), password: str = Form(...),
          next: str = Form("/team/")) -> Response:
    case = _case(request)
    try:
        user = auth.authenticate(case, username, password)
    except AccessDenied:
        return render(request, "team/login.html", {"next": _safe_next(next, "/team/"),
                                                   "failed": True}, status_code=401)
    token = auth.start_session(case, user)
    response = redirect(_safe_next(next, "/team/"))
    set_cookie(request, response, SESSION_COOKIE, token, max_age=auth.SESSION_DAYS * 86400)
    return response


@router.post("/logout")
def logout(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    auth.end_session(_case(request), request.cookies.get(SESSION_COOKIE))
    response = redirect("/team/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- dashboard ---------------------------------------------------------------------------
def dashboard_figures(case: Any) -> dict[str, Any]:
    """Sources, counts and the review backlog shown on the dashboard."""
    with case.engine.connect() as conn:
        persons = conn.execute(select(func.count()).select_from(Person)
                               .where(Person.status == "active")).scalar() or 0
        run = latest_run_id(conn)
        decided = {(a, b) for a, b in conn.execute(
            select(Decision.record_l, Decision.record_r)
            .where(Decision.superseded_by.is_(None)))}
        pairs = conn.execute(select(LinkPair.record_l, LinkPair.record_r)
                             .where(LinkPair.run_id == run)).all() if run else []
    backlog = sum(1 for a, b in pairs if (min(a, b), max(a, b)) not in decided)
    return {"sources": case.sources(), "records": case.count_records(), "persons": persons,
            "run_id": run, "backlog": backlog, "pairs": len(pairs),
            "estimates": latest_estimates(case)}


@router.get("/")
def dashboard(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    return render(request, "team/dashboard.html", dashboard_figures(_case(request)))


@router.post("/estimates")
def refresh_estimates(request: Request, user: UserInfo = requires("write")) -> Response:
    compute_estimates(_case(request), actor=actor(user))
    return redirect("/team/")
