"""Rebuild the county-seat rows of the gazetteer from OpenStreetMap county data.

Usage::

    python scripts/build_gazetteer.py [--osm PATH] [--check]

``--osm PATH``: a checkout (or a bare git mirror) of the data repository
``hosseinhabibi2004/iran-geojson`` (county boundaries of Iran exported from OpenStreetMap;
data © OpenStreetMap contributors, ODbL 1.0).  Its files
``data/counties/IR-xx/IR-xx.all.min.geojson`` are read and their names and centroids written
to ``src/dadkhah/names/data/sources/osm_counties.csv`` (the extract kept in the repository,
so the gazetteer can be rebuilt without the download).  Without ``--osm`` the kept extract is
used.

Then ``gazetteer.csv`` is rewritten: the curated rows (every row whose source is not ``OSM``
or ``GAP``:
provinces, the main cities, the prisons, written by hand with their sources) are kept as
they are, in order; the generated rows (source ``OSM``, and ``GAP`` for the counties of
``sources/counties_missing.csv`` that the OSM export lacks) are replaced by one ``city`` row
per county whose seat the curated rows do not already hold, with the extra
spellings of ``sources/place_aliases.csv`` (1988 names such as «Shahsavar» for Tonekabon,
seats named differently from their county such as Hashtpar for Talesh).

``--check``: write nothing; exit 1 if ``gazetteer.csv`` differs from what would be written
(a test runs this, so the generated rows never drift from the extract).

The seat of a county is taken to carry the county's name (``شهرستان فومن`` → «فومن»,
"Fuman County" → "Fuman"), which holds for nearly every Iranian county; the exceptions we
know are in ``place_aliases.csv``.  Counties of today are a superset of the county seats of
1988; the province a place belonged to in 1988 comes from ``province_splits.csv``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "dadkhah" / "names" / "data"
GAZETTEER = DATA / "gazetteer.csv"
EXTRACT = DATA / "sources" / "osm_counties.csv"
ALIASES = DATA / "sources" / "place_aliases.csv"
MISSING = DATA / "sources" / "counties_missing.csv"
GENERATED = ("OSM", "GAP")  # source codes of generated rows (places.GENERATED_SOURCES)

# ISO 3166-2:IR code of each province file → gazetteer province id (today's provinces).
ISO_PROVINCE = {
    "IR-00": "prov:markazi", "IR-01": "prov:gilan", "IR-02": "prov:mazandaran",
    "IR-03": "prov:east_azerbaijan", "IR-04": "prov:west_azerbaijan",
    "IR-05": "prov:kermanshah", "IR-06": "prov:khuzestan", "IR-07": "prov:fars",
    "IR-08": "prov:kerman", "IR-09": "prov:razavi_khorasan", "IR-10": "prov:isfahan",
    "IR-11": "prov:sistan_baluchestan", "IR-12": "prov:kurdistan", "IR-13": "prov:hamadan",
    "IR-14": "prov:chaharmahal", "IR-15": "prov:lorestan", "IR-16": "prov:ilam",
    "IR-17": "prov:kohgiluyeh", "IR-18": "prov:bushehr", "IR-19": "prov:zanjan",
    "IR-20": "prov:semnan", "IR-21": "prov:yazd", "IR-22": "prov:hormozgan",
    "IR-23": "prov:tehran", "IR-24": "prov:ardabil", "IR-25": "prov:qom",
    "IR-26": "prov:qazvin", "IR-27": "prov:golestan", "IR-28": "prov:north_khorasan",
    "IR-29": "prov:south_khorasan", "IR-30": "prov:alborz",
}
EXTRACT_FIELDS = ["iso", "osm_relation", "wikidata", "county_fa", "county_en", "lat", "lon"]
GAZ_FIELDS = ["id", "kind", "name_en", "name_fa", "parent", "aliases", "note", "source"]

_COUNTY_FA = re.compile(r"^\s*شهرستان\s+(?:ویژه\s+)?")
_COUNTY_EN = re.compile(r"\s+(county|city)\s*$", re.IGNORECASE)


def _read_osm_file(osm: Path, rel: str) -> str:
    if (osm / rel).exists():
        return (osm / rel).read_text(encoding="utf-8")
    # a bare git mirror (no work tree): read the newest commit's blob
    out = subprocess.run(["git", f"--git-dir={osm}", "show", f"HEAD:{rel}"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"build_gazetteer: {rel} is not in {osm} ({out.stderr.strip()}); "
                         "pass a checkout of hosseinhabibi2004/iran-geojson")
    return out.stdout


def _centroid(geometry: dict) -> tuple[float, float]:
    """Mean of the outer rings' vertices (a label point, good to a few km for a county)."""
    polys = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polys = [polys]
    pts = [pt for poly in polys for pt in poly[0]]
    lon = sum(p[0] for p in pts) / len(pts)
    lat = sum(p[1] for p in pts) / len(pts)
    return round(lat, 4), round(lon, 4)


def extract(osm: Path) -> list[dict[str, str]]:
    """One row per county feature with a name in the OSM files (features without tags are
    the counties' label nodes, which carry no name)."""
    rows = []
    for iso in sorted(ISO_PROVINCE):
        data = json.loads(_read_osm_file(osm, f"data/counties/{iso}/{iso}.all.min.geojson"))
        for f in data["features"]:
            tags = f["properties"].get("tags")
            if not tags or not tags.get("name") or f.get("geometry") is None:
                continue
            if f["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
                continue
            lat, lon = _centroid(f["geometry"])
            en = tags.get("name:en") or ""
            if not en and (tags.get("wikipedia") or "").startswith("en:"):
                en = tags["wikipedia"][3:]
            rows.append({
                "iso": iso, "osm_relation": str(f["properties"]["id"]),
                "wikidata": tags.get("wikidata", ""), "county_fa": tags["name"],
                "county_en": en, "lat": f"{lat}", "lon": f"{lon}",
            })
    return rows


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [ln for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    return comments, list(csv.DictReader(body))


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("'", "")).strip("_")
    return s


def _fold(text: str) -> str:
    """Spelling-insensitive form used only to find a county already in the curated rows."""
    sys.path.insert(0, str(ROOT / "src"))
    from dadkhah.names.normalize import normalize_latin, normalize_persian

    return normalize_latin(normalize_persian(text)).replace("\u200c", "").replace(" ", "")


def build(extract_rows: list[dict[str, str]]) -> str:
    """The text of gazetteer.csv: curated rows kept, generated rows from *extract_rows*."""
    sys.path.insert(0, str(ROOT / "src"))
    from dadkhah.names.romanize import transliterate  # machine form, marked as such

    comments, rows = _read_csv(GAZETTEER)
    curated = [r for r in rows if r["source"].split("|")[0] not in GENERATED]
    _, alias_rows = _read_csv(ALIASES)
    extra: dict[str, dict[str, str]] = {_fold(a["county_fa"]): a for a in alias_rows}
    known: dict[str, object] = {}  # folded Persian name → id; province → folded Latin names
    for r in curated:
        if r["kind"] == "city":
            known.setdefault(_fold(r["name_fa"]), r["id"])
            latin = known.setdefault(r["parent"], set())
            for n in (r["name_en"], *r["aliases"].split("|")):
                if n.strip():
                    latin.add(_fold(n))  # type: ignore[attr-defined]
    used_ids = {r["id"] for r in curated}
    generated: list[dict[str, str]] = []
    _, missing = _read_csv(MISSING)
    gap = [{"iso": m["iso"], "osm_relation": "", "wikidata": "", "county_fa": m["county_fa"],
            "county_en": m["county_en"], "lat": "", "lon": "", "gap": m["note"]}
           for m in missing]
    for e in [*extract_rows, *gap]:
        seat_fa = _COUNTY_FA.sub("", e["county_fa"]).strip()
        seat_en = _COUNTY_EN.sub("", e["county_en"]).strip()
        al = extra.get(_fold(seat_fa), {})
        if al.get("seat_fa"):
            seat_fa = al["seat_fa"]
        if al.get("seat_en"):
            seat_en = al["seat_en"]
        if _fold(seat_fa) in known or _fold(seat_en) in known.get(ISO_PROVINCE[e["iso"]], ()):
            continue  # already a curated city (with its own spellings)
        if e.get("gap"):
            note = f"county seat missing from the OSM extract; {e['gap']}"
        else:
            note = f"county seat; OSM relation {e['osm_relation']}"
            if e["wikidata"]:
                note += f", {e['wikidata']}"
            note += f"; {e['lat']},{e['lon']}"
        if not seat_en:
            seat_en = " ".join(w.capitalize() for w in transliterate(seat_fa).split())
            note += "; English name by machine transliteration [verify]"
        aliases = [a for a in (al.get("aliases") or "").split("|") if a.strip()]
        if al.get("note"):
            note += "; " + al["note"]
        generated.append({
            "id": "city:" + _slug(seat_en), "kind": "city", "name_en": seat_en, "name_fa": seat_fa,
            "parent": ISO_PROVINCE[e["iso"]], "aliases": "|".join(aliases), "note": note,
            "source": ("GAP|PRJ" if e.get("gap") else "OSM" + ("|PRJ" if aliases else "")),
        })
    # Two seats with one romanisation (Ardakan in Fars and in Yazd): both ids name their
    # province, so an id never depends on the order of the extract.
    slugs = Counter(r["id"] for r in generated)
    for r in generated:
        if slugs[r["id"]] > 1 or r["id"] in used_ids:
            r["id"] += "_" + r["parent"].split(":")[1]
    generated.sort(key=lambda r: (r["parent"], r["id"]))
    buf = io.StringIO()
    buf.write("\n".join(comments) + "\n")
    w = csv.DictWriter(buf, fieldnames=GAZ_FIELDS, lineterminator="\n")
    w.writeheader()
    for r in curated:
        w.writerow({k: r[k] for k in GAZ_FIELDS})
    for r in generated:
        w.writerow(r)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--osm", type=Path, help="checkout or git mirror of iran-geojson")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 on a diff")
    args = ap.parse_args(argv)
    if args.osm is not None:
        rows = extract(args.osm)
        if not args.check:
            comments, _ = _read_csv(EXTRACT)
            buf = io.StringIO()
            buf.write("\n".join(comments) + "\n")
            w = csv.DictWriter(buf, fieldnames=EXTRACT_FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
            EXTRACT.write_text(buf.getvalue(), encoding="utf-8")
    else:
        _, rows = _read_csv(EXTRACT)
    text = build(rows)
    if args.check:
        same = GAZETTEER.read_text(encoding="utf-8") == text
        print("gazetteer.csv is up to date" if same else
              "gazetteer.csv differs from the extract: run scripts/build_gazetteer.py")
        return 0 if same else 1
    GAZETTEER.write_text(text, encoding="utf-8")
    n = sum(1 for ln in text.splitlines() if re.search(r",(OSM|GAP)(\|PRJ)?$", ln))
    print(f"gazetteer.csv: {len(rows)} counties in the extract, {n} rows generated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
