"""Case-file pages of the team workspace: actors with their roles and the allegations
against them, events with the figures sources give, evidence with its hashes and chain of
custody, burial sites and prisons on a map, events on a timeline, and the list of testimonies
(pseudonyms only) for roles that may read protected material.  Everything shown is
attributed to its sources, as :mod:`dadkhah.casefile` keeps it; editors change it through
the forms of :mod:`dadkhah.web.casefile_edit` (included here).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dadkhah import casefile as cf
from dadkhah.users import UserInfo
from dadkhah.web.app import case_for as _case
from dadkhah.web.app import require_user, requires
from dadkhah.web.casefile_edit import router as edit_router
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.restricted import viewer_of
from dadkhah.web.templating import render
from dadkhah.web.timeline import timeline

router = APIRouter(prefix="/team/casefile", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)


def map_context(request: Request, points: list[cf.MapPoint],
                highlight: str | None = None) -> dict[str, Any]:
    """What ``team/casefile/_map.html`` needs: the drawn SVG and its numbered legend."""
    from dadkhah.web import i18n
    from dadkhah.web.maps import draw_map

    lang = getattr(request.state, "lang", "en")
    return {"map_svg": draw_map(request, points, highlight=highlight,
                                label=i18n.translate(lang, "cfmap.label")),
            "map_points": points, "map_tiled": request.app.state.tiles is not None}


@router.get("/")
def overview(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    from dadkhah.access import allowed

    return render(request, "team/casefile/overview.html", {
        "actors": cf.list_actors(case, viewer=viewer_of(user)),
        "events": cf.list_events(case, viewer=viewer_of(user)),
        "allegations": cf.list_allegations(case, viewer=viewer_of(user)),
        "evidence": cf.list_evidence(case, viewer=viewer_of(user)),
        "burial_sites": cf.list_burial_sites(case, viewer=viewer_of(user)),
        "can_testimonies": allowed(user.role, "protected.read"),
        **map_context(request, cf.map_points(case))})


@router.get("/map")
def map_page(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    """Burial sites and prisons on the offline base map, with a numbered legend."""
    case = _case(request)
    return render(request, "team/casefile/map.html", {
        "burial_sites": cf.list_burial_sites(case, viewer=viewer_of(user)),
        **map_context(request, cf.map_points(case))})


@router.get("/timeline")
def timeline_page(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    """The case file's events in date order, grouped by year, each date at its precision."""
    lang = getattr(request.state, "lang", "en")
    return render(request, "team/casefile/timeline.html",
                  {"years": timeline(cf.list_events(_case(request),
                                                     viewer=viewer_of(user)), lang)})


@router.get("/burial/{ref}")
def burial_page(request: Request, ref: str, user: UserInfo = Depends(require_user)
                ) -> Response:
    """One burial site: names, description, sources, events, and where it is on the map."""
    case = _case(request)
    site = cf.get_burial_site(case, int(ref) if ref.isdigit() else ref,
                              viewer=viewer_of(user))
    point = cf.burial_point(site)
    events = [e for e in cf.list_events(case, viewer=viewer_of(user))
              if e.burial_site == site.slug]
    from dadkhah.casefile.geo import provinces_of_point

    today, in_1988 = provinces_of_point(point) if point else (None, None)
    return render(request, "team/casefile/burial.html", {
        "site": site, "point": point, "events": events, "province": today,
        "province_1988": in_1988,
        **map_context(request, [point] if point else [], highlight=point.key if point else None)})


@router.get("/actors/{ref}")
def actor_page(request: Request, ref: str, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    a = cf.get_actor(case, int(ref) if ref.isdigit() else ref, viewer=viewer_of(user))
    return render(request, "team/casefile/actor.html", {
        "a": a, "allegations": cf.list_allegations(case, accused=a.slug,
                                                   viewer=viewer_of(user))})


@router.get("/events/{ref}")
def event_page(request: Request, ref: str, user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    e = cf.get_event(case, int(ref) if ref.isdigit() else ref, viewer=viewer_of(user))
    return render(request, "team/casefile/event.html", {
        "e": e, "allegations": cf.list_allegations(case, event=e.slug,
                                                   viewer=viewer_of(user))})


@router.get("/evidence/{evidence_id}")
def evidence_page(request: Request, evidence_id: int,
                  user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    return render(request, "team/casefile/evidence.html", {
        "ev": cf.get_evidence(case, evidence_id, viewer=viewer_of(user)),
        "custody": cf.custody_history(case, evidence_id)})


@router.get("/testimonies")
def testimonies(request: Request, user: UserInfo = requires("protected.read")) -> Response:
    return render(request, "team/casefile/testimonies.html",
                  {"testimonies": cf.list_testimonies(_case(request),
                                                      viewer=viewer_of(user))})


# The editing forms (editors and admins) are served by this router, as routes of its own
# (route_table and the CSRF tests walk them like the others).
router.routes.extend(edit_router.routes)
