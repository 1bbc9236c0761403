"""Restricted records in the web application (issue 16): who a signed-in user reads as, and
the admin page that restricts sources, records, evidence and testimonies to users or groups.

Every team page and API route passes :func:`viewer_of` the signed-in user to the library's
readers; the library hides what that user may not see (:mod:`dadkhah.store.restrict`), and a
reader given no viewer hides every restricted object, so a new page that forgets it shows
less, never more.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dadkhah.access import Viewer
from dadkhah.errors import InvalidInput
from dadkhah.register import (
    add_to_group,
    create_group,
    groups,
    restrict,
    restrictions,
    unrestrict,
)
from dadkhah.store.tables import RESTRICTABLE_KINDS
from dadkhah.users import UserInfo
from dadkhah.web.app import audit_name, requires
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)


def viewer_of(user: UserInfo) -> Viewer:
    """The viewer a signed-in team member reads as (what is restricted to them or their
    groups, and nothing else restricted)."""
    return Viewer(user.username, user.role)


def _names(text: str) -> list[str]:
    return [x.strip() for x in text.replace("،", ",").split(",") if x.strip()]


@router.get("/restrictions")
def restrictions_page(request: Request, done: str = "",
                      user: UserInfo = requires("restrict")) -> Response:
    case = _case(request)
    return render(request, "team/restrictions.html", {
        "rows": restrictions(case), "groups": groups(case), "kinds": RESTRICTABLE_KINDS,
        "done": done})


@router.post("/restrictions")
def restrictions_add(request: Request, kind: str = Form(...), object_id: str = Form(...),
                     users: str = Form(""), groups_: str = Form("", alias="groups"),
                     reason: str = Form(""),
                     user: UserInfo = requires("restrict")) -> Response:
    case = _case(request)
    ref = object_id.strip()
    if kind == "source" and not ref.isdigit():
        oid = case.resolve_source_id(ref)
    elif ref.isdigit():
        oid = int(ref)
    else:
        raise InvalidInput(f"{ref!r} is not an id.", hint="Type the number of the object.")
    restrict(case, kind, oid, users=_names(users), groups=_names(groups_),
             reason=reason.strip() or None, by=audit_name(user), role=user.role)
    return RedirectResponse("/team/restrictions?done=restricted", status_code=303)


@router.post("/restrictions/lift")
def restrictions_lift(request: Request, kind: str = Form(...), object_id: int = Form(...),
                      user: UserInfo = requires("restrict")) -> Response:
    unrestrict(_case(request), kind, object_id, by=audit_name(user), role=user.role)
    return RedirectResponse("/team/restrictions?done=lifted", status_code=303)


@router.post("/restrictions/groups")
def restrictions_group(request: Request, name: str = Form(...), members: str = Form(""),
                       user: UserInfo = requires("restrict")) -> Response:
    case = _case(request)
    if name.strip() in {g.name for g in groups(case)}:
        add_to_group(case, name.strip(), _names(members), by=audit_name(user),
                     role=user.role)
    else:
        create_group(case, name, members=_names(members), by=audit_name(user),
                     role=user.role)
    return RedirectResponse("/team/restrictions?done=group", status_code=303)
