"""Case-file pages of the team workspace (read-only): actors with their roles and the
allegations against them, events with the figures sources give, evidence with its hashes and
chain of custody, and the list of testimonies (pseudonyms only) for roles that may read
protected material.  Everything shown is attributed to its sources, as
:mod:`dadkhah.casefile` keeps it; changes are made with ``dadkhah casefile`` commands.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dadkhah import casefile as cf
from dadkhah.users import UserInfo
from dadkhah.web.app import case_for as _case
from dadkhah.web.app import require_user, requires
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.templating import render

router = APIRouter(prefix="/team/casefile", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)




@router.get("/")
def overview(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    from dadkhah.access import allowed

    return render(request, "team/casefile/overview.html", {
        "actors": cf.list_actors(case), "events": cf.list_events(case),
        "allegations": cf.list_allegations(case), "evidence": cf.list_evidence(case),
        "can_testimonies": allowed(user.role, "protected.read")})


@router.get("/actors/{ref}")
def actor_page(request: Request, ref: str, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    a = cf.get_actor(case, int(ref) if ref.isdigit() else ref)
    return render(request, "team/casefile/actor.html", {
        "a": a, "allegations": cf.list_allegations(case, accused=a.slug)})


@router.get("/events/{ref}")
def event_page(request: Request, ref: str, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    e = cf.get_event(case, int(ref) if ref.isdigit() else ref)
    return render(request, "team/casefile/event.html", {
        "e": e, "allegations": cf.list_allegations(case, event=e.slug)})


@router.get("/evidence/{evidence_id}")
def evidence_page(request: Request, evidence_id: int,
                  user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    return render(request, "team/casefile/evidence.html", {
        "ev": cf.get_evidence(case, evidence_id),
        "custody": cf.custody_history(case, evidence_id)})


@router.get("/testimonies")
def testimonies(request: Request, user: UserInfo = requires("protected.read")) -> Response:
    return render(request, "team/casefile/testimonies.html",
                  {"testimonies": cf.list_testimonies(_case(request))})
