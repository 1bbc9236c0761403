"""The public memorial's map (``/places``): the case file's burial sites and the prisons of
1988 over the offline base map of Iran, with a numbered list beside it.

Only public facts are shown: a burial site's names and city (drawn at the city's centre,
never at the coordinates the team may have recorded) and the gazetteer's prisons.  No person,
no count of persons, nothing unpublished; the map is the same server-drawn SVG as the team's
(:func:`dadkhah.web.maps.draw_map`), so the page asks nothing of any other host unless the
operator named a tile server.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dadkhah.casefile.geo import public_map_points
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.maps import draw_map
from dadkhah.web.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/places", include_in_schema=False)
def places(request: Request) -> Response:
    """Burial sites and prisons on a map, each numbered as in the list below it."""
    from dadkhah.web import i18n

    lang = getattr(request.state, "lang", "en")
    points = public_map_points(_case(request))
    return render(request, "public/places.html", {
        "map_svg": draw_map(request, points, label=i18n.translate(lang, "public.places.label")),
        "map_tiled": request.app.state.tiles is not None,
        "burials": [(i, p) for i, p in enumerate(points, 1) if p.kind == "burial"],
        "prisons": [(i, p) for i, p in enumerate(points, 1) if p.kind == "prison"]})
