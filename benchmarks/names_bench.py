"""Throughput of normalise + cross-script key on 1M synthetic names.

Run:  .venv/bin/python benchmarks/names_bench.py [N]

Names are synthetic: given name + surname drawn from the packaged name dictionary (weighted
towards the frequent ones), written in Persian script or in one of the listed
romanisations, with random spacing/ZWNJ/case noise. Three measurements are printed:

* ``column``: dadkhah.names.name_keys over the whole column from cold caches (the way
  normalize and linkage key a source's names: repeated strings are keyed once);
* ``unique``: every string made unique (a numbered suffix word), so each one is
  normalised and split afresh; word keys are still cached;
* ``normalise``: normalize_name alone on the unique strings.
"""

from __future__ import annotations

import random
import sys
import time

from dadkhah.names import load_name_dictionary, name_keys, normalize_name
from dadkhah.names import keys as _keys
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    names = synthetic_names(n)
    print(f"{n:,} synthetic names, {len(set(names)):,} distinct strings")

    _cold()
    t = time.perf_counter()
    keys = name_keys(names)
    dt = time.perf_counter() - t
    print(f"column    : {n / dt:>12,.0f} names/s  ({dt:.2f} s, cold caches)")
    assert all(keys)

    unique = [f"{x} {i}" for i, x in enumerate(names)]  # digits do not change the key
    _cold()
    t = time.perf_counter()
    name_keys(unique)
    dt = time.perf_counter() - t
    print(f"unique    : {n / dt:>12,.0f} names/s  ({dt:.2f} s, every string new)")

    _cold()
    t = time.perf_counter()
    for x in unique:
        normalize_name(x)
    dt = time.perf_counter() - t
    print(f"normalise : {n / dt:>12,.0f} names/s  ({dt:.2f} s, every string new)")


if __name__ == "__main__":
    main()
