"""Maps on the web's pages: the case file's SVG drawing (:func:`dadkhah.casefile.render_map_svg`)
over the offline base map, or over the operator's tile server when ``dadkhah serve
--tile-url`` named one (``request.app.state.tiles``; the Content-Security-Policy then allows
images from that host, see :func:`dadkhah.web.app.content_security_policy`)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from markupsafe import Markup

from dadkhah.casefile.geo import MapPoint, render_map_svg


def draw_map(request: Request, points: Sequence[MapPoint], *, label: str,
             highlight: str | None = None) -> Markup:
    """The map of ``points`` for this page, in the page's language, ready to embed."""
    svg = render_map_svg(points, lang=getattr(request.state, "lang", "en"), label=label,
                         highlight=highlight, tiles=getattr(request.app.state, "tiles", None))
    # render_map_svg escapes every name and address it writes.
    return Markup(svg)  # noqa: S704


__all__ = ["draw_map"]
