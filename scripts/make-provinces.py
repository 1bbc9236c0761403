"""Make src/dadkhah/casefile/data/provinces-iran.json: Iran's 31 provinces as small GeoJSON.

Input: a GeoJSON FeatureCollection of Iran's provinces from OpenStreetMap (the administrative
boundaries ``admin_level=4`` with ``ISO3166-2=IR-*``; (c) OpenStreetMap contributors, ODbL 1.0),
each feature with ``name:fa`` and ``name:en`` properties — the extract used is
``data/provinces/provinces.min.geojson`` of the repository hosseinhabibi2004/iran-geojson
(commit 890ff6c, October 2025), an Overpass export of those relations.

What it does (needs shapely >= 2.1 at build time only; the application reads the result
with the standard library):

- matches each feature to its province in the gazetteer (``names/data/gazetteer.csv``) by its
  Persian name, so the file carries the gazetteer's ids and both names;
- simplifies the provinces together as a coverage (``shapely.coverage_simplify``), so that
  neighbouring provinces keep one shared border, with no gaps or overlaps, and drops islands
  smaller than a few pixels of the drawn map;
- rounds coordinates to 0.01 degree (about 1 km);
- adds, for each province, a label point inside it (``polylabel``);
- adds the borders drawn after 1988 (``names/data/province_splits.csv``): the lines between a
  province and the one it was split from (or between two provinces split from the same one),
  so that a map can mark which of today's borders did not exist in 1988.

Usage: python scripts/make-provinces.py provinces.min.geojson provinces-iran.json
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import linemerge, polylabel

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "src" / "dadkhah" / "names" / "data"
TOLERANCE = 0.03  # degrees: about 1 px of the 600 px wide map
MIN_AREA = 0.004  # square degrees: islands smaller than this are dropped


def _norm(text: str) -> str:
    return text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ").strip()


def gazetteer_provinces() -> dict[str, tuple[str, str, str]]:
    """Persian name -> (id, English name, Persian name) of the gazetteer's provinces."""
    lines = [ln for ln in (NAMES / "gazetteer.csv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    out = {}
    for row in csv.DictReader(lines):
        if row["kind"] == "province":
            out[_norm(row["name_fa"])] = (row["id"], row["name_en"], row["name_fa"])
    return out


def splits() -> dict[str, tuple[str, int]]:
    """Province id -> (the province it was part of, the year it was made)."""
    lines = [ln for ln in (NAMES / "province_splits.csv").read_text(encoding="utf-8")
             .splitlines() if not ln.startswith("#")]
    return {r["province"]: (r["from"], int(r["year"])) for r in csv.DictReader(lines)}


def _round(geom: Any) -> Any:
    return shapely.set_precision(geom, 0.01)


def main(src: str, dst: str) -> None:
    data = json.loads(Path(src).read_text(encoding="utf-8"))
    gaz = gazetteer_provinces()
    ids, geoms = [], []
    for f in data["features"]:
        name_fa = _norm(f["properties"]["name:fa"])
        if name_fa not in gaz:
            raise SystemExit(f"{name_fa!r} is not a province of the gazetteer")
        ids.append(gaz[name_fa])
        geoms.append(shapely.make_valid(shape(f["geometry"])))
    if len({i[0] for i in ids}) != len(ids):
        raise SystemExit("two features map to the same province")
    simple = shapely.coverage_simplify(geoms, TOLERANCE)
    features: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}
    for (pid, name_en, name_fa), geom in zip(ids, simple, strict=True):
        parts = [p for p in getattr(geom, "geoms", [geom])
                 if isinstance(p, Polygon) and p.area >= MIN_AREA]
        g = _round(MultiPolygon(parts))
        kept[pid] = g
        main_part = max(parts, key=lambda p: p.area)
        at = polylabel(main_part, tolerance=0.01)
        features.append({"type": "Feature",
                         "properties": {"id": pid, "name_en": name_en, "name_fa": name_fa,
                                        "label": [round(at.x, 2), round(at.y, 2)]},
                         "geometry": mapping(g)})
    # Borders that did not exist in 1988: between a newer province and the one it came from,
    # and between provinces split from the same one (Razavi, North and South Khorasan).
    parent = {p: f for p, (f, year) in splits().items() if year > 1988}
    lines = []
    names = sorted(kept)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pa, pb = parent.get(a, a), parent.get(b, b)
            if pa != pb:
                continue
            inter = kept[a].boundary.intersection(kept[b].boundary)
            segs = [g for g in getattr(inter, "geoms", [inter])
                    if g.geom_type in ("LineString", "MultiLineString") and not g.is_empty]
            if not segs or sum(g.length for g in segs) < 0.05:
                continue
            shared = linemerge(segs)
            year = max(y for p, (_f, y) in splits().items() if p in (a, b))
            lines.append({"type": "Feature",
                          "properties": {"between": [a, b], "since": year},
                          "geometry": mapping(_round(shared))})
    out = {"type": "FeatureCollection",
           "note": "Provinces of Iran today (31), simplified; (c) OpenStreetMap contributors, "
                   "ODbL 1.0. See README.md beside this file.",
           "features": features, "borders_after_1988": lines}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    Path(dst).write_text(text + "\n", encoding="utf-8")
    print(f"{len(features)} provinces, {len(lines)} borders after 1988, {len(text)} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:3])
