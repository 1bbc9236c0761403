"""Gazetteer coverage and the held-out place names (benchmarks/data/gazetteer_heldout.csv).

Usage: python benchmarks/gazetteer_bench.py [-v] [--second]

Prints the number of places by kind (county seats: cities; prisons), then each held-out
value resolved on the packaged gazetteer: right (the place meant, or for a prison a prison
in the city meant), wrong (another place: the worst outcome), unresolved (with the reason),
and for values marked ``ambiguous`` whether they stayed unresolved with several candidates.
Run it with another checkout's ``src`` on PYTHONPATH to compare before and after.
``--second``: the second held-out list (``gazetteer_heldout2.csv``), written after the
enlargement and never used to edit the gazetteer.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from dadkhah.names import load_gazetteer, resolve_place
from dadkhah.names.normalize import normalize_latin

HELD_OUT = Path(__file__).parent / "data" / "gazetteer_heldout.csv"


def _fold(text: str) -> str:
    return normalize_latin(text).replace(" ", "").replace("-", "")


def main() -> None:
    verbose = "-v" in sys.argv
    g = load_gazetteer()
    kinds = Counter(p.kind for p in g.places.values())
    osm = sum(1 for p in g.places.values() if p.kind == "city" and "OSM" in p.source)
    print(f"gazetteer: {kinds['province']} provinces, {kinds['city']} cities "
          f"({osm} county seats from OSM), {kinds['prison']} prisons")
    path = HELD_OUT.with_name("gazetteer_heldout2.csv") if "--second" in sys.argv else HELD_OUT
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    tally: Counter[str] = Counter()
    for row in csv.DictReader(lines):
        m = resolve_place(row["text"])
        exp, kind = row["expected"], row["kind"]
        if kind == "ambiguous":
            ok = m.place is None and len(m.candidates) > 1
            verdict = "right" if ok else ("wrong" if m.place else "unresolved")
        elif m.place is None:
            verdict = "unresolved"
        else:
            place = m.place
            if kind == "prison":
                if place.kind != "prison":
                    verdict = "wrong"
                    tally["wrong"] += 1
                    print(f"  {verdict:10} {row['text']!r} -> {place.id} (a {place.kind})")
                    continue
                city = g.ancestor(place.id, "city")
                place = city if city is not None else place
                exp = exp.lstrip("@")
            names = {_fold(n) for n in (place.name_en, *place.aliases)}
            verdict = "right" if _fold(exp) in names else "wrong"
        tally[verdict] += 1
        if verbose or verdict != "right":
            print(f"  {verdict:10} {row['text']!r} -> {m.id or m.problem} "
                  f"(expected {row['expected'] or 'ambiguous'})")
    n = sum(tally.values())
    print(f"held-out: {n} values: {tally['right']} right, {tally['wrong']} wrong, "
          f"{tally['unresolved']} unresolved")


if __name__ == "__main__":
    main()
