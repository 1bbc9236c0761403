"""Make src/dadkhah/casefile/data/basemap-iran.json: Iran and its neighbours as GeoJSON.

Input: ``countries-50m.json`` of the npm package ``world-atlas`` 2.0.2 (TopoJSON of Natural
Earth 1:50m Admin 0 countries, version 4.1.0; the data are public domain).  The TopoJSON arcs
are decoded (delta-encoded, quantized), each ring is thinned to points at least 0.02 degree
apart and rounded to 0.01 degree: enough for a page-sized map, about 90 kB.

Usage: python scripts/make-basemap.py countries-50m.json basemap-iran.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

# ISO 3166 numeric codes: Iran and the countries a map of Iran shows around it.
WANT = {"364": "Iran", "368": "Iraq", "792": "Turkey", "004": "Afghanistan",
        "586": "Pakistan", "795": "Turkmenistan", "031": "Azerbaijan", "051": "Armenia",
        "760": "Syria", "682": "Saudi Arabia", "414": "Kuwait", "634": "Qatar",
        "784": "United Arab Emirates", "512": "Oman", "048": "Bahrain", "268": "Georgia",
        "398": "Kazakhstan", "860": "Uzbekistan", "400": "Jordan"}


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], ids: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in ids:  # a negative index is the arc ~i walked backwards
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points if not out else points[1:])
    return out


def thin(points: list[tuple[float, float]], step: float = 0.02) -> list[list[float]]:
    kept = [points[0]]
    for p in points[1:-1]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= step:
            kept.append(p)
    kept.append(points[-1])
    return [[round(x, 2), round(y, 2)] for x, y in kept]


def main(src: str, dest: str) -> None:
    with open(src, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") not in WANT:
            continue
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        coords = [rings for rings in ([thin(ring(arcs, r)) for r in poly
                                       if len(ring(arcs, r)) >= 4] for poly in polygons)
                  if rings]
        features.append({"type": "Feature",
                         "properties": {"iso_n3": g["id"], "name": WANT[g["id"]]},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    with open(dest, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f,
                  separators=(",", ":"))
    print(f"{dest}: {len(features)} countries")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
