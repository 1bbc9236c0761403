#!/usr/bin/env python3
"""Build ``src/dadkhah/names/data/persian_given_names.txt``: Persian given names with the
Latin spellings of the PNGT-26K list, for the romanisation model's short vowels
(:func:`dadkhah.names.romanize_model.persian_list_readings`).

Usage::

    PYTHONPATH=src python scripts/build_persian_given_names.py [CSV]

Input (kept outside the repository, in ``../shared/name-sources/`` beside the worktrees,
or ``$DADKHAH_NAME_SOURCES``, or the path given): ``persian-gender-by-name.csv`` of
PNGT-26K (Bijary, Ebadpour, Tajbakhsh 2025, arXiv:2509.11136), Apache License 2.0
(``licenses/PNGT-26K-Apache-2.0.txt``), from https://github.com/farbodbj/persian-gender-by-name
commit 6b2c8f60acf7c3bac0753e9834bcf6d00be3c4b2 (the same files as
https://huggingface.co/datasets/farbodbij/persian-gender-by-name); SHA-256 of the CSV
c60a7a746d8cbcc5048742d19ed7afdc99d00fac9dedf4d011d92589f75c2c28.  Columns
``name,gender,english_name``; a general list of given names (no person).

Kept: rows whose Persian is one word and whose Latin is one word of ASCII letters
(apostrophes and hyphens dropped, lower case); per (Persian word, Latin spelling) the
number of rows that give it (a name listed for both sexes counts twice).  The Persian is
normalised as the model reads it (:func:`dadkhah.names.normalize_persian`, ZWNJ
dropped).  No entry of the name lexicon is read.  Deterministic; rerun to rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_name_lexicon import _default_sources, write_spelling_counts  # noqa: E402

from dadkhah.names import normalize_persian  # noqa: E402
from dadkhah.names.normalize import ZWNJ  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dadkhah" / "names" / "data" / "persian_given_names.txt"
CSV_NAME = "persian-gender-by-name.csv"
SHA256 = "c60a7a746d8cbcc5048742d19ed7afdc99d00fac9dedf4d011d92589f75c2c28"

HEADER = """\
# dadkhah: Persian given names with the Latin spellings of the PNGT-26K list, and how many
# of its rows give each.  Read by dadkhah.names.romanize_model.persian_list_readings for
# the short vowels Persian script does not write (Neda, Hoda, Elmira).
#
# Built by scripts/build_persian_given_names.py; do not edit by hand.
# Source: persian-gender-by-name.csv of PNGT-26K (F. Bijary, M. Ebadpour, A. Tajbakhsh,
#   arXiv:2509.11136), github.com/farbodbj/persian-gender-by-name commit 6b2c8f6
#   (= huggingface.co/datasets/farbodbij/persian-gender-by-name), Apache License 2.0
#   (names/data/licenses/PNGT-26K-Apache-2.0.txt).  Changed: one-word rows only, Latin
#   lower-cased with apostrophes and hyphens dropped, rows counted per spelling.
# Columns (tab-separated): persian, latin, rows
"""


def rows(path: Path, sha256: str | None = SHA256) -> list[tuple[str, str, int]]:
    """(Persian word, Latin spelling, rows giving it) from the PNGT-26K CSV at ``path``;
    stops when the file's SHA-256 is not ``sha256`` (None: any file, for tests)."""
    data = path.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        sys.exit(f"{path}: not the PNGT-26K CSV of commit 6b2c8f6 (SHA-256 differs); "
                 "fetch that commit or update SHA256 and the README after checking it")
    count: Counter[tuple[str, str]] = Counter()
    reader = csv.DictReader(data.decode("utf-8").splitlines())
    for row in reader:
        fa = normalize_persian(row["name"].strip()).replace(ZWNJ, "")
        latin = row["english_name"].strip().lower().replace("'", "").replace("-", "")
        if " " in fa or not fa or not re.fullmatch(r"[a-z]+", latin):
            continue
        count[(fa, latin)] += 1
    return sorted((fa, la, n) for (fa, la), n in count.items())


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else _default_sources() / CSV_NAME
    if not path.is_file():
        sys.exit(f"no {CSV_NAME} at {path}: pass its path, or put it in "
                 f"{_default_sources()}")
    print(write_spelling_counts(OUT, HEADER, rows(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
