"""The case file on a map: burial sites and prisons drawn over an offline base map of Iran.

The base map is two packaged GeoJSON files (``casefile/data/basemap-iran.json``: Natural
Earth 1:50m country outlines, public domain; ``casefile/data/provinces-iran.json``: today's 31
provinces from OpenStreetMap, ODbL 1.0, with the borders drawn after 1988 marked; see
``casefile/data/README.md``), drawn on the server as SVG: no tile server, no script,
nothing fetched from elsewhere, so the same drawing serves the web workspace (whose
Content-Security-Policy allows only the site itself), reports and dossiers.  A burial
site is drawn at its own GeoJSON geometry when it has one; otherwise, like every prison, at
the centre of its city (``casefile/data/city-points.csv``) and marked *approximate*.

A server operator who has a tile server may name it (:class:`TileServer`, ``dadkhah serve
--tile-url``): the same drawing is then made in Web Mercator over that server's tiles (SVG
``<image>`` elements, still no script), with the tiles' attribution written on it.  Reports
and dossiers always use the offline base map: they are read away from any server.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from dadkhah.errors import ConfigError
from dadkhah.store import Case

# The drawn window (degrees) and its projection: equirectangular, longitudes shrunk by the
# cosine of the middle latitude so that Iran keeps its shape.
WEST, EAST, SOUTH, NORTH = 43.6, 63.6, 24.6, 40.0
_KX = math.cos(math.radians((SOUTH + NORTH) / 2))
WIDTH = 600.0
_SCALE = WIDTH / ((EAST - WEST) * _KX)
HEIGHT = round((NORTH - SOUTH) * _SCALE, 1)
_CLUSTER_PX = 16.0  # points closer than this share one marker (its label lists them all)


_TILE_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-:[]")


@dataclass(frozen=True)
class TileServer:
    """A tile server a server operator points the maps to (``{z}/{x}/{y}`` web-map tiles,
    256 px, Web Mercator).  Build it with :meth:`parse`, which checks the address."""

    url: str  # e.g. "https://tiles.example.org/{z}/{x}/{y}.png"
    attribution: str = ""  # the tiles' credit, written on every map drawn over them

    @classmethod
    def parse(cls, url: str, attribution: str | None = None) -> TileServer:
        """Check a tile URL template: http(s), a plain host name, and ``{z}``, ``{x}`` and
        ``{y}`` in it.  Raises :class:`~dadkhah.errors.ConfigError` saying what is wrong."""
        url = url.strip()
        parts = urlsplit(url)
        hint = "Give a template such as https://tiles.example.org/{z}/{x}/{y}.png"
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ConfigError(f"The tile URL {url!r} is not an http(s) address.", hint=hint)
        if parts.username or parts.password or not set(parts.netloc.lower()) <= \
                _TILE_HOST_CHARS:
            # The host goes into the Content-Security-Policy: nothing but a host name there.
            raise ConfigError(f"The tile URL {url!r} has an unusual host part "
                              f"{parts.netloc!r}.", hint=hint)
        missing = [k for k in ("{z}", "{x}", "{y}") if k not in url]
        if missing:
            raise ConfigError(f"The tile URL {url!r} lacks {', '.join(missing)}.", hint=hint)
        return cls(url=url, attribution=(attribution or "").strip())

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``: what the Content-Security-Policy must allow images from."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc.lower()}"

    def tile(self, z: int, x: int, y: int) -> str:
        """The address of one tile."""
        return self.url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))

    def credit(self) -> str:
        """The attribution, or the tile host's name when none was given."""
        return self.attribution or urlsplit(self.url).netloc

    def summary(self) -> str:
        return f"tiles {self.url}" + (f" ({self.attribution})" if self.attribution else "")


@dataclass(frozen=True)
class MapPoint:
    """One place drawn on the map: a burial site, a prison or a city, in WGS 84 degrees."""

    key: str  # "burial:<slug>" or a gazetteer id such as "prison:evin"
    kind: str  # "burial" | "prison" | "city" (a person's city, on a memorial entry)
    lon: float
    lat: float
    name_en: str
    name_fa: str
    approximate: bool  # drawn at its city's centre, not at its own coordinates
    place_id: str | None = None  # the gazetteer's place (a prison, or a burial site's city)

    def city(self, lang: str = "en") -> str:
        """The name of the gazetteer city this point is in ("" when it has no place)."""
        if not self.place_id:
            return ""
        from dadkhah.names.places import load_gazetteer

        c = load_gazetteer().ancestor(self.place_id, "city")
        if c is None:
            return ""
        return (c.name_fa or c.name_en) if lang == "fa" else (c.name_en or c.name_fa)

    def name(self, lang: str = "en") -> str:
        """Its name in ``lang`` (the other script when that one is missing)."""
        return (self.name_fa or self.name_en) if lang == "fa" else (self.name_en or
                                                                    self.name_fa)

    def summary(self) -> str:
        where = "about " if self.approximate else ""
        return f"{self.kind} {self.key}: {self.name_en} ({where}{self.lat:.2f}N {self.lon:.2f}E)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def _basemap() -> dict[str, Any]:
    text = resources.files("dadkhah.casefile").joinpath("data", "basemap-iran.json") \
        .read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Province:
    """One of Iran's provinces of today as drawn on the map (WGS 84 degrees)."""

    id: str  # the gazetteer's id, e.g. "prov:tehran"
    name_en: str
    name_fa: str
    label: tuple[float, float]  # a point inside it where its name is written
    polygons: tuple[Any, ...] = field(repr=False)  # GeoJSON MultiPolygon coordinates

    def name(self, lang: str = "en") -> str:
        """Its name in ``lang``."""
        return self.name_fa if lang == "fa" else self.name_en

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside the (simplified) province: even-odd rule over
        every ring, so holes count as outside."""
        inside = False
        for poly in self.polygons:
            for ring in poly:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                    if (y1 > lat) != (y2 > lat) and \
                            lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
        return inside

    def summary(self) -> str:
        return f"{self.id}: {self.name_en} / {self.name_fa}"


@cache
def _province_data() -> dict[str, Any]:
    text = resources.files("dadkhah.casefile").joinpath("data", "provinces-iran.json") \
        .read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def provinces() -> tuple[Province, ...]:
    """Today's 31 provinces of Iran, simplified for a page-sized map, with the gazetteer's ids
    (``casefile/data/provinces-iran.json``; OpenStreetMap, ODbL 1.0)."""
    return tuple(
        Province(id=f["properties"]["id"], name_en=f["properties"]["name_en"],
                 name_fa=f["properties"]["name_fa"],
                 label=(float(f["properties"]["label"][0]), float(f["properties"]["label"][1])),
                 polygons=tuple(f["geometry"]["coordinates"]))
        for f in _province_data()["features"])


def province_at(lon: float, lat: float) -> Province | None:
    """The province of today that holds a point, or None (outside Iran, or in the sea near
    a simplified coast)."""
    return next((p for p in provinces() if p.contains(lon, lat)), None)


def provinces_of_point(point: MapPoint) -> tuple[Any, Any]:
    """(today's province, the province of 1988) of a drawn point, as gazetteer places (or
    None): from its place in the gazetteer when it has one, else from where it lies on the
    map.  In 1988 Iran had 24 provinces; those made since are folded back into the one they
    came from (``names/data/province_splits.csv``)."""
    from dadkhah.names.places import load_gazetteer

    gaz = load_gazetteer()
    today = gaz.ancestor(point.place_id, "province") if point.place_id else None
    if today is None:
        found = province_at(point.lon, point.lat)
        today = gaz.places.get(found.id) if found else None
    if today is None:
        return None, None
    then = gaz.province_in(today.id, 1988)
    return today, gaz.places.get(then) if then else None


def borders_after_1988() -> list[dict[str, Any]]:
    """Today's province borders that did not exist in 1988 (GeoJSON features with
    ``between``: the two provinces' ids, and ``since``: the year the newer one was made),
    from the gazetteer's split records."""
    return list(_province_data()["borders_after_1988"])


@cache
def city_points() -> dict[str, tuple[float, float]]:
    """Gazetteer city id → (longitude, latitude) of its approximate centre."""
    text = resources.files("dadkhah.casefile").joinpath("data", "city-points.csv") \
        .read_text(encoding="utf-8")
    out: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("id,"):
            continue
        place, lon, lat = line.split(",")
        out[place.strip()] = (float(lon), float(lat))
    return out


def _city_of(place_id: str | None) -> tuple[float, float] | None:
    if not place_id:
        return None
    from dadkhah.names.places import load_gazetteer

    city = load_gazetteer().ancestor(place_id, "city")
    return city_points().get(city.id) if city else None


def _centre(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """A drawing point for a GeoJSON geometry: the point itself, else the mean of the
    vertices of its (first) outer ring or line."""
    coords: Any = geometry.get("coordinates")
    kind = geometry.get("type")
    if kind == "Point":
        return float(coords[0]), float(coords[1])
    if kind == "MultiPolygon":
        coords = coords[0][0]
    elif kind == "Polygon":
        coords = coords[0]
    if not coords:
        return None
    return (sum(float(c[0]) for c in coords) / len(coords),
            sum(float(c[1]) for c in coords) / len(coords))


def burial_point(site: Any) -> MapPoint | None:
    """Where a :class:`~dadkhah.casefile.BurialSiteInfo` is drawn (None: place unknown)."""
    at = _centre(site.geometry) if site.geometry else None
    approximate = at is None
    if at is None:
        at = _city_of(site.place_id)
    if at is None:
        return None
    return MapPoint(key=f"burial:{site.slug}", kind="burial", lon=at[0], lat=at[1],
                    name_en=site.name_en or site.slug, name_fa=site.name_fa or "",
                    approximate=approximate, place_id=site.place_id)


def prison_points() -> list[MapPoint]:
    """Every prison of the gazetteer, at its city's centre."""
    from dadkhah.names.places import load_gazetteer

    out = []
    for p in load_gazetteer().places.values():
        if p.kind != "prison":
            continue
        at = _city_of(p.id)
        if at is not None:
            out.append(MapPoint(key=p.id, kind="prison", lon=at[0], lat=at[1],
                                name_en=p.name_en, name_fa=p.name_fa, approximate=True,
                               place_id=p.id))
    return out


def map_points(case: Case, *, prisons: bool = True) -> list[MapPoint]:
    """The case file's burial sites (those with a place) and, with ``prisons``, the
    gazetteer's prisons: what the case file's map shows, burial sites first."""
    from dadkhah.casefile.burial import list_burial_sites

    points = [p for s in list_burial_sites(case) if (p := burial_point(s)) is not None]
    return points + (prison_points() if prisons else [])


def public_map_points(case: Case) -> list[MapPoint]:
    """What the public memorial's map shows: the case file's burial sites, each at the centre
    of its city only (exact coordinates recorded for a grave stay with the team: a precise
    location can put a site or its visitors at risk), then the gazetteer's prisons.  Sites
    with no city are left out."""
    from dadkhah.casefile.burial import list_burial_sites

    out = []
    for s in list_burial_sites(case):
        at = _city_of(s.place_id)
        if at is not None:
            out.append(MapPoint(key=f"burial:{s.slug}", kind="burial", lon=at[0], lat=at[1],
                                name_en=s.name_en or s.slug, name_fa=s.name_fa or "",
                                approximate=True, place_id=s.place_id))
    return out + prison_points()


def place_point(place_id: str, kind: str = "city") -> MapPoint | None:
    """A gazetteer place (a prison, a city, a district…) drawn at the centre of its city,
    marked approximate; None when the place has no city on the map."""
    from dadkhah.names.places import load_gazetteer

    place = load_gazetteer().places.get(place_id)
    at = _city_of(place_id)
    if place is None or at is None:
        return None
    return MapPoint(key=place.id, kind=kind, lon=at[0], lat=at[1], name_en=place.name_en,
                    name_fa=place.name_fa, approximate=True, place_id=place.id)


def project(lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates (x right, y down) of a longitude and latitude on this map."""
    return (round((lon - WEST) * _KX * _SCALE, 1), round((NORTH - lat) * _SCALE, 1))


_TILE = 256  # px of one web-map tile


def _mercator(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """World pixel coordinates of a point on the web map at ``zoom`` (Web Mercator)."""
    n = _TILE * 2 ** zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return (lon + 180) / 360 * n, y


# The tiled view: the smallest zoom at which the window is at least half the drawing's width
# (tiles drawn at most twice their size), so a page asks for few tiles.
_ZOOM = next(z for z in range(2, 12) if
             _mercator(EAST, 0, z)[0] - _mercator(WEST, 0, z)[0] >= WIDTH / 2)
_M_LEFT, _M_TOP = _mercator(WEST, NORTH, _ZOOM)
_M_SCALE = WIDTH / (_mercator(EAST, 0, _ZOOM)[0] - _M_LEFT)
TILED_HEIGHT = round((_mercator(WEST, SOUTH, _ZOOM)[1] - _M_TOP) * _M_SCALE, 1)


def project_tiled(lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates of a longitude and latitude on the map drawn over tiles."""
    x, y = _mercator(lon, lat, _ZOOM)
    return round((x - _M_LEFT) * _M_SCALE, 1), round((y - _M_TOP) * _M_SCALE, 1)


def _tile_layer(tiles: TileServer) -> str:
    """The tiles covering the window, each an SVG ``<image>`` at its place."""
    x0, y0 = (int(v // _TILE) for v in _mercator(WEST, NORTH, _ZOOM))
    x1, y1 = (int(v // _TILE) for v in _mercator(EAST, SOUTH, _ZOOM))
    size = _TILE * _M_SCALE
    out = ['<g class="map-tiles">']
    for ty in range(y0, y1 + 1):
        for tx in range(x0, x1 + 1):
            out.append(f'<image href="{escape(tiles.tile(_ZOOM, tx, ty))}" '
                       f'x="{(tx * _TILE - _M_LEFT) * _M_SCALE:.1f}" '
                       f'y="{(ty * _TILE - _M_TOP) * _M_SCALE:.1f}" width="{size:.1f}" '
                       f'height="{size:.1f}" preserveAspectRatio="none"/>')
    out.append("</g>")
    return "".join(out)


def _points(coords: Sequence[Any], whole: bool) -> list[str]:
    """Projected points as SVG text, consecutive repeats dropped; ``whole`` rounds to whole
    pixels (province borders: a page-sized map needs no more, and the page is lighter)."""
    out: list[str] = []
    for x, y in coords:
        px, py = project(float(x), float(y))
        text = f"{round(px)},{round(py)}" if whole else f"{px:g},{py:g}"
        if not out or out[-1] != text:
            out.append(text)
    return out


def _path(polygons: Sequence[Any], whole: bool = False) -> str:
    parts = []
    for poly in polygons:
        for ring in poly:
            pts = _points(ring, whole)
            if len(pts) > 2:
                parts.append("M" + "L".join(pts) + "Z")
    return "".join(parts)


def _line_path(geometry: dict[str, Any]) -> str:
    lines = ([geometry["coordinates"]] if geometry["type"] == "LineString"
             else geometry["coordinates"])
    return "".join("M" + "L".join(_points(line, True)) for line in lines)


def _province_layer(lang: str) -> str:
    """Today's provinces (thin borders, each with its names as a tooltip), the borders drawn
    after 1988 dashed, and the provinces' names in ``lang``."""
    out = ['<g class="map-provinces">']
    for p in provinces():
        out.append(f'<path class="map-province" data-province="{escape(p.id)}" fill="none" '
                   f'stroke="#a8957c" stroke-width="0.6" d="{_path(p.polygons, whole=True)}">'
                   f'<title>{escape(p.name_en)} / {escape(p.name_fa)}</title></path>')
    for b in borders_after_1988():
        # Drawn over the solid border in the land colour first, so the dashes read as gaps.
        d = _line_path(b["geometry"])
        since = int(b["properties"]["since"])
        out.append(f'<path class="map-border-after-1988" data-since="{since}" '
                   f'fill="none" stroke="#f6f1e4" stroke-width="1.4" d="{d}"/>'
                   f'<path fill="none" stroke="#a8957c" stroke-width="0.8" '
                   f'stroke-dasharray="3 2" d="{d}"/>')
    family = "Vazirmatn, Tahoma, sans-serif" if lang == "fa" else "sans-serif"
    for p in provinces():
        x, y = project(*p.label)
        out.append(f'<text class="map-province-name" x="{x:g}" y="{y:g}" font-size="8" '
                   f'font-family="{family}" text-anchor="middle" fill="#8a7760">'
                   f'{escape(p.name(lang))}</text>')
    out.append("</g>")
    return "".join(out)


def _digits(text: str, lang: str) -> str:
    if lang != "fa":
        return text
    from dadkhah.names import persian_digits

    return persian_digits(text)


def clusters(points: Iterable[MapPoint], *, tiled: bool = False
             ) -> list[tuple[float, float, list[int]]]:
    """Markers to draw: (x, y, 1-based numbers of the points it stands for), points closer
    than a few pixels sharing one marker (``tiled``: on the map drawn over tiles)."""
    out: list[tuple[float, float, list[int]]] = []
    proj = project_tiled if tiled else project
    for i, p in enumerate(points, 1):
        x, y = proj(p.lon, p.lat)
        for cx, cy, nums in out:
            if abs(cx - x) < _CLUSTER_PX and abs(cy - y) < _CLUSTER_PX:
                nums.append(i)
                break
        else:
            out.append((x, y, [i]))
    return out


_KIND_COLOUR = {"burial": "#8b1a1a", "prison": "#1f3b73", "city": "#2e6b3a"}


def render_map_svg(points: Sequence[MapPoint], *, lang: str = "en",
                   highlight: str | None = None, label: str = "Map",
                   show_provinces: bool = True, tiles: TileServer | None = None) -> str:
    """An SVG drawing (a string, ready to embed in HTML) of the base map and ``points``,
    numbered 1, 2, … in order (in Persian digits for ``lang="fa"``): a page lists the same
    numbers beside the names.  ``highlight`` is the key of a point drawn larger.  With
    ``show_provinces`` today's provinces are drawn with their names in ``lang`` (the borders
    made after 1988 dashed).  Nothing in it is fetched from elsewhere; names are escaped.

    With ``tiles`` the drawing is made over that tile server's tiles instead (Web Mercator,
    no province layer: the tiles carry their own), its attribution written in a corner and
    its URL template in the ``data-tiles`` attribute; only those tiles are fetched."""
    land = []
    for f in ([] if tiles else _basemap()["features"]):
        iran = f["properties"].get("iso_n3") == "364"
        # Presentation attributes, not CSS: the drawing looks the same inside a report or a
        # dossier with no stylesheet, and a strict CSP allows them.
        paint = ('fill="#f6f1e4" stroke="#5a4a3a" stroke-width="1"' if iran else
                 'fill="#e6e6e6" stroke="#b0b0b0" stroke-width="0.6"')
        land.append(f'<path class="map-{"iran" if iran else "neighbour"}" {paint} '
                    f'd="{_path(f["geometry"]["coordinates"], whole=True)}"/>')
    marks = []
    for x, y, nums in clusters(points, tiled=tiles is not None):
        group = [points[n - 1] for n in nums]
        kinds = {p.kind for p in group}
        kind = next(k for k in ("burial", "city", "prison") if k in kinds)
        big = highlight is not None and any(p.key == highlight for p in group)
        title = escape("; ".join(f"{n}. {p.name(lang)}" for n, p in zip(nums, group,
                                                                       strict=True)))
        text = _digits(("،" if lang == "fa" else ",").join(str(n) for n in nums), lang)
        r = 8.0 if big else 5.0
        paint = 'stroke="#ffffff" stroke-width="1.2" fill="' + _KIND_COLOUR[kind] + '"'
        shape = (f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" {paint}/>' if kind != "prison"
                 else f'<rect x="{x - r:g}" y="{y - r:g}" width="{2 * r:g}" '
                      f'height="{2 * r:g}" {paint}/>')
        marks.append(
            f'<g class="map-point map-{kind}{" map-highlight" if big else ""}" '
            f'data-key="{escape(group[0].key)}"><title>{title}</title>{shape}'
            f'<text x="{x + r + 2:g}" y="{y + 4:g}" font-size="12" font-family="sans-serif" '
            f'fill="#222222" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f'{escape(text)}</text></g>')
    if tiles is not None:
        credit = (f'<text class="map-attribution" x="{WIDTH - 4:g}" y="{TILED_HEIGHT - 4:g}" '
                  f'font-size="9" font-family="sans-serif" text-anchor="end" fill="#222222" '
                  f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                  f'{escape(tiles.credit())}</text>')
        return (f'<svg class="casefile-map map-tiled" xmlns="http://www.w3.org/2000/svg" '
                f'viewBox="0 0 {WIDTH:g} {TILED_HEIGHT:g}" role="img" '
                f'aria-label="{escape(label)}" direction="ltr" '
                f'data-tiles="{escape(tiles.url)}" data-zoom="{_ZOOM}">'
                f'<rect class="map-sea" width="{WIDTH:g}" height="{TILED_HEIGHT:g}" '
                f'fill="#dce8f2"/>' + _tile_layer(tiles) + "".join(marks) + credit + "</svg>")
    return (f'<svg class="casefile-map" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" aria-label="{escape(label)}" '
            f'direction="ltr">'
            f'<rect class="map-sea" width="{WIDTH:g}" height="{HEIGHT:g}" fill="#dce8f2"/>'
            + "".join(land) + (_province_layer(lang) if show_provinces else "")
            + "".join(marks) + "</svg>")


__all__ = ["MapPoint", "Province", "TileServer", "borders_after_1988", "burial_point",
           "city_points", "clusters", "map_points", "place_point", "prison_points", "project",
           "project_tiled", "province_at", "provinces", "provinces_of_point",
           "public_map_points", "render_map_svg"]
