"""Make casefile/data/basemap-iran.json: Iran and neighbours from world-atlas countries-50m
(Natural Earth 4.1.0, public domain).  Usage: make-basemap.py countries-50m.json out.json"""
import json, sys
topo = json.load(open(sys.argv[1]))
sx, sy = topo["transform"]["scale"]; tx, ty = topo["transform"]["translate"]
arcs = []
for arc in topo["arcs"]:
    x = y = 0; pts = []
    for dx, dy in arc:
        x += dx; y += dy
        pts.append((round(x * sx + tx, 3), round(y * sy + ty, 3)))
    arcs.append(pts)
def ring(ids):
    out = []
    for i in ids:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out
WANT = {"364": "Iran", "368": "Iraq", "792": "Turkey", "004": "Afghanistan", "586": "Pakistan",
        "795": "Turkmenistan", "031": "Azerbaijan", "051": "Armenia", "760": "Syria",
        "682": "Saudi Arabia", "414": "Kuwait", "634": "Qatar", "784": "United Arab Emirates",
        "512": "Oman", "048": "Bahrain", "268": "Georgia", "398": "Kazakhstan", "860": "Uzbekistan", "400": "Jordan"}
feats = []
for g in topo["objects"]["countries"]["geometries"]:
    if g.get("id") not in WANT: continue
    polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
    coords = []
    for poly in polys:
        rings = []
        for r in poly:
            pts = ring(r)
            # thin: keep points at least 0.02 degrees apart (about 2 km): a page-size map
            thin = [pts[0]]
            for p in pts[1:-1]:
                if abs(p[0]-thin[-1][0]) + abs(p[1]-thin[-1][1]) >= 0.02: thin.append(p)
            thin.append(pts[-1])
            if len(thin) >= 4: rings.append([[round(a, 2), round(b, 2)] for a, b in thin])
        if rings: coords.append(rings)
    feats.append({"type": "Feature", "properties": {"iso_n3": g["id"], "name": WANT[g["id"]]},
                  "geometry": {"type": "MultiPolygon", "coordinates": coords}})
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[2], "w"), separators=(",", ":"))
print(len(feats), sum(len(r) for f in feats for p in f["geometry"]["coordinates"] for r in p))
