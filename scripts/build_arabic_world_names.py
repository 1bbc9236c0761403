#!/usr/bin/env python3
"""Build ``src/dadkhah/names/data/arabic_world_names.txt``: name words written in Arabic
script with the Latin spellings Wikidata gives people of other countries (Afghanistan,
Pakistan, the Arab Mashriq and Gulf …), for the romanisation model's short vowels
(:func:`dadkhah.names.romanize_model.arabic_world_readings`).

Usage::

    PYTHONPATH=src python scripts/build_arabic_world_names.py [SOURCES]

Input (kept outside the repository, in ``../shared/name-sources/`` beside the worktrees,
or ``$DADKHAH_NAME_SOURCES``): the wheel of PyPI arabic-name-romanizer 0.2.0
(``pip download --no-deps arabic-name-romanizer==0.2.0``; MIT, © 2026 UNICEF and the
arabic-name-romanizer contributors), read as an archive: its name index
``resources/names.sqlite3``, table ``units``, rows of source ``wikidata`` (Wikidata
labels, CC0 1.0).  Nothing of the package is imported or run; the ONNX models and the
DziriNames rows (another source) are not read.

Kept: rows of every country but Iran (``IR``: those rows are the lexicon's source
``wikidata-ir``, whose held-out words must stay unseen) and the Maghreb (``DZ``, ``MA``,
``TN``, ``LY``, ``MR``: French orthography writes an unstressed vowel e and a short u ou,
Abdellah, Soumaya, where Persian and English-style spellings do not); Latin spellings of
one word of ASCII letters (hyphens and apostrophes dropped), with how many people carry
them, summed over countries.  No entry of the name lexicon is read.  Deterministic;
rerun to rebuild.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_name_lexicon import (  # noqa: E402
    _default_sources,
    name_index_rows,
    write_spelling_counts,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dadkhah" / "names" / "data" / "arabic_world_names.txt"
# Iran: the lexicon's own source; the Maghreb: French orthography (see the docstring).
LEFT_OUT = ("IR", "DZ", "MA", "TN", "LY", "MR")

HEADER = """\
# dadkhah: name words in Arabic script with the Latin spellings Wikidata gives people of
# countries other than Iran and the Maghreb, and how many people carry each (summed over
# countries).  Read by dadkhah.names.romanize_model.arabic_world_readings for the short
# vowels Persian script does not write (Muslim -> Moslem, Erfan, Somayeh).
#
# Built by scripts/build_arabic_world_names.py; do not edit by hand.
# Source: the name index (resources/names.sqlite3, table units, source wikidata) of PyPI
#   arabic-name-romanizer 0.2.0 (github.com/unicef/arabic_name_romanizer; MIT licence,
#   (c) 2026 UNICEF and the arabic-name-romanizer contributors); the data are Wikidata
#   labels, CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/).
# Left out: countries IR (the lexicon's source wikidata-ir), DZ MA TN LY MR (French
#   orthography).
# Columns (tab-separated): arabic_key, latin, count
"""


def rows(sources: Path) -> list[tuple[str, str, int]]:
    """(Arabic key, Latin spelling, people) from the wheel in ``sources``."""
    got = name_index_rows(
        sources, "SELECT arabic_key, latin, country, count FROM units WHERE source = 'wikidata' "
                 "ORDER BY arabic_key, latin, country")
    if got is None:
        sys.exit(f"no arabic_name_romanizer wheel in {sources}")
    total: dict[tuple[str, str], int] = defaultdict(int)
    for key, latin, country, count in got:
        if country in LEFT_OUT or not re.fullmatch(r"[A-Za-z'\-]+", latin):
            continue
        total[(key, latin.replace("-", "").replace("'", ""))] += int(count)
    return sorted((k, la, n) for (k, la), n in total.items())


def main() -> int:
    sources = Path(sys.argv[1]) if len(sys.argv) > 1 else _default_sources()
    print(write_spelling_counts(OUT, HEADER, rows(sources)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
