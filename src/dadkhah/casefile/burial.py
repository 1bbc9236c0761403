"""Burial sites: where victims were buried, often in unmarked mass graves (GeoJSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from dadkhah.access import Viewer
from dadkhah.casefile._common import (
    CitationInfo,
    Cite,
    add_citations,
    check_slug,
    citations_of,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile._unseen import unseen
from dadkhah.errors import InvalidInput, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.tables import BurialSite, Event, insert_row

BURIAL_HINT = "List burial sites with: dadkhah burial list; add one with: dadkhah burial add"
_GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "Polygon", "MultiPolygon")


@dataclass(frozen=True)
class BurialSiteInfo:
    """A burial site with its geometry (GeoJSON, WGS 84 longitude/latitude) and sources."""

    id: int
    slug: str
    name_en: str | None
    name_fa: str | None
    place_id: str | None
    geometry: dict[str, Any] | None
    description: str | None
    sources: tuple[CitationInfo, ...] = ()
    events: tuple[str, ...] = ()
    created_at: str = ""
    created_by: str = ""

    def summary(self) -> str:
        names = " / ".join(n for n in (self.name_en, self.name_fa) if n)
        geo = self.geometry["type"] if self.geometry else "no geometry"
        return f"{self.slug}: {names} ({self.place_id or 'place ?'}, {geo}); " \
               f"{len(self.sources)} source(s), events: {', '.join(self.events) or 'none'}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_geometry(geometry: dict[str, Any] | str | None) -> str | None:
    """Canonical JSON of a GeoJSON geometry, after checking its type and coordinates."""
    if geometry is None:
        return None
    try:
        geo = json.loads(geometry) if isinstance(geometry, str) else dict(geometry)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"The burial-site geometry is not JSON: {exc}.",
                           hint='Give GeoJSON, e.g. {"type": "Point", "coordinates": '
                                '[51.58, 35.63]} (longitude first).') from None
    if geo.get("type") not in _GEOMETRY_TYPES or "coordinates" not in geo:
        raise InvalidInput(f"The burial-site geometry has type {geo.get('type')!r}.",
                           hint="Use a GeoJSON geometry: " + ", ".join(_GEOMETRY_TYPES) +
                                ", with 'coordinates' (longitude, latitude).")
    if geo["type"] == "Point":
        lon, lat = geo["coordinates"][:2]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput(f"Point ({lon}, {lat}) is off the globe.",
                               hint="GeoJSON puts longitude first: [51.58, 35.63] for Tehran.")
    return audit.canonical_json(geo)


def add_burial_site(case: Case, *, slug: str, name_en: str | None = None,
                    name_fa: str | None = None, place: str | None = None,
                    geometry: dict[str, Any] | str | None = None,
                    description: str | None = None, sources: Iterable[Cite | str] = (),
                    by: str, role: str | None = None,
                    viewer: Viewer | None = None) -> BurialSiteInfo:
    """Add a burial site; ``place`` is a gazetteer id or a place name (resolved); only
    sources ``viewer`` (who writes; None: nobody in particular) may see can be cited."""
    require_write(role, f"burial site {slug}")
    check_slug(slug, "Burial site")
    if not (name_en or name_fa):
        raise InvalidInput(f"Burial site {slug!r} needs a name.", hint="Pass --name-en/--name-fa.")
    from dadkhah.casefile.events import resolve_place

    place_id, _ = resolve_place(place)
    geo = check_geometry(geometry)
    with write(case) as conn:
        if conn.execute(select(BurialSite.id).where(BurialSite.slug == slug)).first():
            raise StoreError(f"A burial site with id {slug!r} already exists.",
                             hint="Choose another id.")
        bid = insert_row(conn, BurialSite,
            slug=slug, name_en=name_en, name_fa=name_fa, place_id=place_id, geometry=geo,
            description=description, created_at=audit.now_utc(),
            created_by=by)
        cites = add_citations(conn, "burial", bid, sources, viewer)
        audit.append(conn, by=by, action="burial.add", target=f"burial:{bid}",
                      details={"slug": slug, "name_en": name_en, "place_id": place_id,
                               "sources": cites})
    return get_burial_site(case, bid, viewer=viewer)


def _infos(conn: Connection, rows: Sequence[Row[Any]],
           viewer: Viewer | None = None) -> list[BurialSiteInfo]:
    ids = [r.id for r in rows]
    cites = citations_of(conn, "burial", ids, viewer)
    events: dict[int, list[str]] = {i: [] for i in ids}
    gone = unseen(conn, viewer).events
    for e in conn.execute(select(Event.id, Event.slug, Event.burial_site_id)
                          .where(Event.burial_site_id.in_(ids)).order_by(Event.id)):
        if e.id not in gone:
            events[e.burial_site_id].append(e.slug)
    return [BurialSiteInfo(id=r.id, slug=r.slug, name_en=r.name_en, name_fa=r.name_fa,
                           place_id=r.place_id,
                           geometry=json.loads(r.geometry) if r.geometry else None,
                           description=r.description, sources=tuple(cites[r.id]),
                           events=tuple(events[r.id]), created_at=r.created_at,
                           created_by=r.created_by) for r in rows]


def get_burial_site(case: Case, ref: int | str, *, viewer: Viewer | None = None) -> BurialSiteInfo:
    """A burial site by slug or id, with its sources (as ``viewer``, None: nobody in
    particular, may see them) and events."""
    with case.read() as conn:
        return _infos(conn, [resolve(conn, BurialSite.__table__, ref, "burial site",
                                     BURIAL_HINT)], viewer)[0]


def list_burial_sites(case: Case, *, viewer: Viewer | None = None) -> list[BurialSiteInfo]:
    """Every burial site, in the order added (citations as ``viewer`` may see them)."""
    with case.read() as conn:
        return _infos(conn, conn.execute(select(BurialSite.__table__)
                                         .order_by(BurialSite.id)).all(), viewer)
