#!/usr/bin/env python3
"""Build ``src/dadkhah/names/data/latin_names.txt``: Latin spellings of names that may
spell a Persian name, for the romanisation model's vocabulary-constrained choice
(:meth:`dadkhah.names.romanize_model.RomanizeModel.romanize`).

Usage::

    PYTHONPATH=src python scripts/build_latin_names.py [SOURCES]

Input (kept outside the repository, in ``../shared/name-sources/`` beside the worktrees,
or ``$DADKHAH_NAME_SOURCES``):

* ``wikidata-names-b5a40a0/{male,female,unisex,family}.json`` — the data files of
  https://github.com/commenthol/wikidata-names at commit b5a40a0 (CC0 / public domain,
  Wikidata given-name and family-name labels of all languages); only the JSON data is read;
* the Persian-only name lists the lexicon build reads (wheels of persian-gender-detection,
  farsi-faker and persian-names, see ``scripts/build_name_lexicon.py``), for their
  Persian spellings only.

A Latin name is kept when it is one word of ASCII letters and its consonant key
(:func:`dadkhah.names.name_key`) equals the key of some Persian name of those lists: the
few thousand Latin names that could spell an Iranian name, out of ~220,000.  No entry of
the name lexicon is read, so the held-out folds of ``benchmarks/transliteration_bench.py``
stay unseen (the lexicon's own Latin spellings are added at run time, from the lexicon in
use).  Deterministic; rerun to rebuild.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_name_lexicon import _default_sources, _fa, _lines, _literal, _read, _wheel  # noqa: E402

from dadkhah.names.keys import name_key  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "dadkhah" / "names" / "data"
OUT = DATA / "latin_names.txt"
OUT_PERSIA = DATA / "latin_names_persia.txt"
WIKIDATA = "wikidata-names-b5a40a0"
HEADER = """\
# Latin spellings of names whose consonant key matches a Persian name (one a line,
# lower case). Built by scripts/build_latin_names.py from the data of
# https://github.com/commenthol/wikidata-names (commit b5a40a0, CC0-1.0 / public domain,
# labels from Wikidata), filtered by the keys of Persian-only name lists (see README.md).
"""


def persian_keys(sources: Path) -> set[str]:
    """Consonant keys of the Persian spellings of the Persian-only name lists."""
    fa: set[str] = set()
    if z := _wheel(sources, "persian_names"):
        for f in ("male_fa.txt", "female_fa.txt"):
            fa.update(_fa(x) for x in _lines(_read(z, f"data/{f}")))
    if z := _wheel(sources, "persian_gender_detection"):
        reader = csv.DictReader(io.StringIO(_read(z, "iranianNamesDataset.csv")))
        fa.update(_fa(r["Names"]) for r in reader if r.get("Names"))
    if z := _wheel(sources, "farsi_faker"):
        src = _read(z, "data/seed_names.py")
        for var in ("MALE_NAMES", "FEMALE_NAMES", "LAST_NAMES"):
            fa.update(_fa(x) for x in _literal(src, var))  # type: ignore[union-attr]
    return {k for w in fa if (k := name_key(w))}


HEADER_PERSIA = """\
# Latin given names marked as used in "Arabia/Persia" in nam_dict.txt, with that
# column's frequency (1 = rare ... 13 = very common), tab-separated, lower case.
# Built by scripts/build_latin_names.py from nam_dict.txt of the PyPI package
# gender-guesser 0.4.0 (https://pypi.org/project/gender-guesser/).
# nam_dict.txt: Copyright (c) 2007-2008 Joerg MICHAEL, Adalbert-Stifter-Str. 11,
# 30655 Hannover, Germany. This file is subject to the GNU Free Documentation License,
# Version 1.2 or any later version published by the Free Software Foundation; with no
# Invariant Sections, no Front-Cover Texts and no Back-Cover Texts; the licence text is
# licenses/GFDL-1.2.txt beside this file (see README.md).
"""


def persia_names(sources: Path) -> dict[str, int]:
    """Latin names of the "Arabia/Persia" column of gender-guesser's ``nam_dict.txt``,
    with the column's frequency (a hexadecimal digit, 1-D)."""
    z = _wheel(sources, "gender_guesser")
    if z is None:
        raise SystemExit(f"gender_guesser-0.4.0 wheel missing in {sources}: "
                         "pip download --no-deps -d DIR gender-guesser==0.4.0")
    lines = z.read("gender_guesser/data/nam_dict.txt").decode("iso-8859-1").splitlines()
    at = lines.index(next(ln for ln in lines if "Arabia/Persia" in ln))
    col = lines[at + 1].index("|")  # the marker line under the country's name
    out: dict[str, int] = {}
    for ln in lines:
        if ln.startswith("#") or len(ln) <= col or not ln[col].strip():
            continue
        # "Abdol+Reza" is a two-word form; only one-word ASCII names are kept
        name = ln[3:29].strip().lower()
        if name.isascii() and name.isalpha():
            out[name] = max(out.get(name, 0), int(ln[col], 16))
    return dict(sorted(out.items()))


def build(sources: Path) -> list[str]:
    keys = persian_keys(sources)
    if not keys:
        raise SystemExit(f"no Persian name list found in {sources}")
    names: set[str] = set()
    for part in ("male", "female", "unisex", "family"):
        path = sources / WIKIDATA / f"{part}.json"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: copy data/{part}.json of "
                             "github.com/commenthol/wikidata-names (commit b5a40a0) there")
        for name in json.loads(path.read_text(encoding="utf-8")):
            name = name.strip()
            if name.isascii() and name.isalpha() and len(name) >= 2 \
                    and name_key(name) in keys:
                names.add(name.lower())
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sources = Path(args[0]) if args else _default_sources()
    names = build(sources)
    OUT.write_text(HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} Latin names -> {OUT} ({OUT.stat().st_size // 1024} KiB)")
    persia = persia_names(sources)
    OUT_PERSIA.write_text(HEADER_PERSIA + "".join(f"{n}\t{f}\n" for n, f in persia.items()),
                          encoding="utf-8")
    print(f"{len(persia)} Latin names -> {OUT_PERSIA} "
          f"({OUT_PERSIA.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
