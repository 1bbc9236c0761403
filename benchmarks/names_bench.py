"""Throughput of normalise + cross-script key on 1M synthetic names.

Run:  .venv/bin/python benchmarks/names_bench.py [N]
      .venv/bin/python benchmarks/names_bench.py --corpus   (key agreement on the labelled pairs)

Names are synthetic: given name + surname drawn from the packaged name dictionary (weighted
towards the frequent ones), written in Persian script or in one of the listed
romanisations, with random spacing/ZWNJ/case noise. Three measurements are printed:

* ``column``: dadkhah.names.name_keys over the whole column from cold caches (the way
  normalize and linkage key a source's names: repeated strings are keyed once);
* ``unique``: three-word names (a second given name added), nearly all distinct, so each
  one is normalised and split afresh; word keys are still cached;
* ``normalise``: normalize_name (the display normalisation) alone on those strings.

Rates are names per second of this process's CPU time (wall time is printed too: on a
shared machine it is the noisier figure).
"""

from __future__ import annotations

import random
import sys
import time

from dadkhah.names import keys as _keys
from dadkhah.names import load_name_dictionary, name_keys, normalize_name
from dadkhah.names import normalize as _normalize


def synthetic_names(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    d = load_name_dictionary()
    given = [e for e in d.entries if e.kind == "given"]
    surnames = [e for e in d.entries if e.kind == "surname"]
    gw = [1.0 / (i + 1) ** 0.5 for i in range(len(given))]
    sw = [1.0 / (i + 1) ** 0.5 for i in range(len(surnames))]
    out = []
    for g, s in zip(rng.choices(given, gw, k=n), rng.choices(surnames, sw, k=n), strict=True):
        if rng.random() < 0.4:
            sep = rng.choice([" ", "  ", " \u200c"])
            out.append(g.persian + sep + s.persian)
        else:
            name = rng.choice(g.latin) + " " + rng.choice(s.latin)
            r = rng.random()
            out.append(name.upper() if r < 0.1 else name.replace(" ", "-") if r < 0.2 else name)
    return out


def _cold() -> None:
    for f in (
        _keys.name_key, _keys.word_key, _keys.persian_skeleton, _keys.latin_skeleton,
        _keys.canonical_latin, _keys._latin_to_persian, _normalize.normalize_persian,
        _normalize.normalize_latin,
    ):
        f.cache_clear()


def corpus_rates() -> None:
    """Key agreement on tests/data/names/name_pairs.csv, by kind, as the tests measure it."""
    import csv
    from pathlib import Path

    from dadkhah.names import loose_key, parse_name

    path = Path(__file__).resolve().parent.parent / "tests" / "data" / "names" / "name_pairs.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(ln for ln in f if not ln.startswith("#")))

    def rate(sel, key) -> str:  # type: ignore[no-untyped-def]
        agree = sum(key(r["a"]) == key(r["b"]) for r in sel)
        return f"{agree}/{len(sel)} = {agree / len(sel):.1%}"

    def exact(x: str) -> str:
        return parse_name(x).key

    def loose(x: str) -> str:
        return loose_key(parse_name(x).key)

    same = [r for r in rows if r["same"] == "1"]
    diff = [r for r in rows if r["same"] == "0"]
    hard = [r for r in diff if not r["note"].startswith("ordinary")]
    print(f"{len(rows)} labelled pairs: {len(same)} same name, {len(diff)} different "
          f"({len(hard)} hand-written hard negatives)")
    print(f"same name, key equal      : {rate(same, exact)}")
    for kind in ("fa-fa", "lat-lat", "cross"):
        print(f"  {kind:<8}                : {rate([r for r in same if r['kind'] == kind], exact)}")
    nd = [r for r in same if r["note"] == "not in dictionary"]
    print(f"  not in the dictionary   : {rate(nd, exact)}")
    print(f"different names, key equal: {rate(diff, exact)}")
    print(f"  hard negatives only     : {rate(hard, exact)}")
    print(f"loose key: same {rate(same, loose)}, different {rate(diff, loose)}")


def main() -> None:
    if sys.argv[1:] == ["--corpus"]:
        corpus_rates()
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    names = synthetic_names(n)
    print(f"{n:,} synthetic names, {len(set(names)):,} distinct strings")

    def timed(label: str, fn, note: str) -> None:  # type: ignore[no-untyped-def]
        _cold()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{label:<10}: {n / cpu:>10,.0f} names/s of CPU time "
            f"({cpu:.2f} s CPU, {wall:.2f} s wall; {note})"
        )

    timed("column", lambda: name_keys(names), "normalise + key, cold caches")
    assert all(name_keys(names))
    # three-word names: each string new, words still repeat (as in real lists)
    rng = random.Random(2)
    by_script: dict[bool, list[str]] = {True: [], False: []}
    for x in names:
        by_script[x.isascii()].append(x)
    unique = []
    for x in names:
        pool = by_script[x.isascii()]
        unique.append(f"{x} {rng.choice(pool).split()[0]}")
    print(f"{len(set(unique)):,} distinct three-word strings")
    timed("unique", lambda: name_keys(unique), "normalise + key, mostly new strings")
    timed("normalise", lambda: [normalize_name(x) for x in unique], "display normalisation only")


if __name__ == "__main__":
    main()
