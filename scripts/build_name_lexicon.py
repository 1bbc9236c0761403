#!/usr/bin/env python3
"""Rebuild ``src/dadkhah/names/data/name_lexicon.csv`` from openly licensed name data.

Usage::

    PYTHONPATH=src python scripts/build_name_lexicon.py [--sources DIR]

``DIR`` (default ``../shared/name-sources`` beside the worktree, else
``$DADKHAH_NAME_SOURCES``) holds the wheels of these PyPI packages, fetched with
``pip download --no-deps -d DIR <package>``:

===========================  =======  ==========================================================
package                      licence  what is taken
===========================  =======  ==========================================================
persian-names 1.5.1          MIT      Latin given names (``male_en.txt``, ``female_en.txt``) and
                                      Persian given names (``male_fa.txt``, ``female_fa.txt``)
name-variants 0.1.3          MIT      Persian name → romanisations (``persian_names.py``, the
                                      dict literal read with :func:`ast.literal_eval`)
finglish 1.5.1               MIT      Latin → Persian word pairs (``f2p-dict.txt``), names only
persian-gender-detection     MIT      19,881 Persian given names (``iranianNamesDataset.csv``)
1.4.0
farsi-faker 1.9.0            MIT      Persian given names and surnames (``seed_names.py``, tuples
                                      read with :func:`ast.literal_eval`; the pickle is not read)
arabic-name-romanizer 0.2.0  MIT      the name index ``resources/names.sqlite3`` (data from
                                      Wikidata, CC0): its Iranian rows (``units``, country IR),
                                      Persian name word → Latin spellings written for people of
                                      Iranian citizenship, with counts (:func:`wikidata_ir_pairs`)
===========================  =======  ==========================================================

Only data files are read, straight out of the wheel archives: nothing from a package is
imported or executed.  Lists that give Persian names without romanisation and lists that
give romanisations without Persian are paired through the project's own name keys
(:func:`dadkhah.names.name_key`, which maps both scripts to one consonant skeleton): a Latin
name becomes the romanisation of a Persian name when exactly one Persian name of the
lists has the same key (or, failing that, exactly one of the curated ``persian-names``
lists).  A pair from a list that gives both scripts is kept only when its key agrees too,
which drops the few wrong pairs such lists have (``name-variants`` gives «کیانوش» as
"parvaneh").  The project's own ``names.csv`` comes first and keeps its preferred spellings.

Lists that give both scripts can also be dropped into ``DIR`` as ``<name>.pairs.csv``
(see :func:`read_pair_file`: ``# source:``, ``# licence:`` and ``# url:`` comment lines,
then the columns ``persian,latin[,kind]``); they are read after ``names.csv`` and before
the packages above, and each kept pair must pass the same key check.  A file without a
licence line stops the build: data with no licence is not used.

The output is deterministic (sorted), so a rebuild with the same wheels gives the same file.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import os
import sqlite3
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from dadkhah.names import name_key, normalize_persian
from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.normalize import ZWNJ
from dadkhah.names.rules import read_data_csv

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dadkhah" / "names" / "data" / "name_lexicon.csv"

HEADER = """\
# dadkhah name lexicon: Persian-script names with their usual (press/passport) romanisation.
#
# Built by scripts/build_name_lexicon.py from openly licensed name data; do not edit by hand
# (add names to names.csv instead, which this file repeats and which wins).
# Columns: persian, latin, kind, source
#   persian  normalised Persian spelling (ZWNJ inside compounds)
#   latin    the romanisation shown (press/passport style: Mohammad, Hossein, Rezaei)
#   kind     given | surname | name (either) | place (a city or region: surnames are made
#            of them, Tehrani, Shirazi)
#   source   where the pair comes from:
#     dadkhah              this project's names.csv
#     name-variants        PyPI name-variants 0.1.3, MIT licence, (c) 2026 Security Ronin Ltd
#     finglish             PyPI finglish 1.5.1 (github.com/elektito/finglish), MIT licence
#     gazetteer            this project's gazetteer.csv (cities and provinces)
#     persian-names        PyPI persian-names 1.5.1 (github.com/armanyazdi/persian-names),
#                          MIT licence, (c) 2022 Arman Yazdi: its Latin given names, paired
#                          with a Persian spelling through the name keys (see the script),
#                          and its region names (region_en.txt / region_fa.txt), paired so
#     wikidata-ir          Wikidata (CC0) labels of people of Iranian citizenship, one name
#                          word in both scripts, as indexed by PyPI arabic-name-romanizer
#                          0.2.0 (github.com/unicef/arabic_name_romanizer, MIT licence,
#                          (c) 2026 UNICEF and the arabic-name-romanizer contributors):
#                          the spelling written most often, when its consonants agree;
#                          read last, so it never respells an entry of the sources above
#   The Persian spellings that Latin names were paired with come from persian-names,
#   persian-gender-detection 1.4.0 (MIT) and farsi-faker 1.9.0 (MIT, (c) 2025 Ali Sadeghi
#   Aghili).
"""


def _default_sources() -> Path:
    env = os.environ.get("DADKHAH_NAME_SOURCES")
    if env:
        return Path(env)
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (base / "name-sources").is_dir():
            return base / "name-sources"
    return ROOT.parent / "shared" / "name-sources"


def _wheel(sources: Path, prefix: str) -> zipfile.ZipFile | None:
    found = sorted(sources.glob(f"{prefix}-*.whl"))
    return zipfile.ZipFile(found[-1]) if found else None


def _read(z: zipfile.ZipFile, suffix: str) -> str:
    name = next(n for n in z.namelist() if n.endswith(suffix))
    return z.read(name).decode("utf-8-sig")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _fa(text: str) -> str:
    return normalize_persian(text).replace(" ", ZWNJ)


def _literal(source: str, name: str) -> object:
    """The value of the top-level assignment ``name = <literal>`` in Python source, read
    with :func:`ast.literal_eval` (the module is never run)."""
    tree = ast.parse(source)
    for node in tree.body:
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id == name and value is not None:
            return ast.literal_eval(value)
    raise KeyError(name)


def _cap(latin: str) -> str:
    latin = latin.strip()
    return latin[:1].upper() + latin[1:].lower()


class SourceError(ValueError):
    """A source file that cannot be used (no licence line, bad header)."""


def read_pair_file(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The metadata and (Persian, Latin, kind) rows of a ``<name>.pairs.csv`` file.

    The file starts with comment lines ``# source: <short name>``, ``# licence: <licence>``
    and ``# url: <where it came from, with the commit>``, then a CSV header with the
    columns ``persian`` and ``latin`` (and optionally ``kind``: given, surname or name).
    Raises :class:`SourceError` when the licence line is missing or the header lacks a
    column, naming the file and what to add.
    """
    meta: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    body = []
    for ln in lines:
        if ln.startswith("#"):
            key, _, value = ln[1:].partition(":")
            if value.strip():
                meta[key.strip().lower()] = value.strip()
        elif ln.strip():
            body.append(ln)
    if not meta.get("licence"):
        raise SourceError(f"{path}: no '# licence: ...' line; name data is used only under "
                          "a stated open licence (add the line, or remove the file)")
    meta.setdefault("source", path.name.removesuffix(".pairs.csv"))
    reader = csv.DictReader(body)
    if not reader.fieldnames or not {"persian", "latin"} <= set(reader.fieldnames):
        raise SourceError(f"{path}: the header must have the columns persian,latin[,kind], "
                          f"not {reader.fieldnames}")
    rows = [(r["persian"].strip(), r["latin"].strip(), (r.get("kind") or "name").strip())
            for r in reader if r.get("persian") and r.get("latin")]
    return meta, rows


def _folded(fa: str) -> str:
    """A Persian spelling with the letters the Wikidata index folds folded the same way
    (آ أ إ → ا, ئ → ی, ؤ → و, ء dropped, no ZWNJ), to find a word already present."""
    return fa.replace(ZWNJ, "").translate(_FOLD)


_FOLD = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ئ": "ی", "ؤ": "و", "ء": None})


def name_index_rows(sources: Path, query: str) -> list[tuple] | None:
    """The rows ``query`` selects from the Wikidata name index of the arabic-name-romanizer
    wheel in ``sources`` (``resources/names.sqlite3``), or None when the wheel is absent."""
    z = _wheel(sources, "arabic_name_romanizer")
    if z is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "names.sqlite3"
        db.write_bytes(z.read(next(n for n in z.namelist()
                                   if n.endswith("resources/names.sqlite3"))))
        con = sqlite3.connect(db)
        try:
            return con.execute(query).fetchall()
        finally:
            con.close()


def write_spelling_counts(out: Path, header: str, rows: list[tuple[str, str, int]]) -> str:
    """Write a spelling list as ``dadkhah.names.romanize_model`` reads it (``header``, then
    one tab-separated word, Latin spelling, count per line); returns what was written, said
    in one line."""
    out.write_text(header + "".join(f"{w}\t{la}\t{n}\n" for w, la, n in rows),
                   encoding="utf-8")
    return f"{len(rows)} spellings of {len({w for w, _, _ in rows})} words -> {out}"


def wikidata_ir_pairs(sources: Path) -> list[tuple[str, str, str, int]]:
    """(Persian word, Latin, kind, count) from the Wikidata name index of PyPI
    arabic-name-romanizer 0.2.0 (``resources/names.sqlite3``, table ``units``): the rows
    of people of Iranian citizenship (country ``IR``), each a Persian name word and a
    Latin spelling written for it in Wikidata, with how many people carry it.

    Per Persian word the Latin spelling written most often wins (ties: alphabetical),
    among spellings of one word of ASCII letters (hyphens and apostrophes dropped:
    "Mohammad-Reza" → Mohammadreza) whose consonant key agrees with the Persian (drops
    the index's misalignments, «محمدرضا» / "Mohammad").  Kind: the role the index gives
    most often for the word (given / surname), else ``name``.  The index folds آ into ا
    and drops ZWNJ; where the spelling with آ is a name of the Persian lists read here,
    it is restored.  Returns [] when the wheel is absent.
    """
    rows = name_index_rows(sources, "SELECT arabic_key, latin, role, count FROM units "
                           "WHERE country = 'IR' ORDER BY arabic_key, latin, role")
    if rows is None:
        return []
    spell: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    roles: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for arabic, latin, role, count in rows:
        fa = _fa(arabic)
        la = latin.replace("-", "").replace("'", "").replace("’", "")
        if not fa or ZWNJ in fa or not (la.isascii() and la.isalpha()):
            continue
        k = name_key(fa)
        if not k or name_key(la) != k:
            continue
        spell[fa][_cap(la)] += int(count)
        roles[fa][role] += int(count)
    out = []
    for fa, counts in sorted(spell.items()):
        latin, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        role = sorted(roles[fa].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out.append((fa, latin, role if role in ("given", "surname") else "name", n))
    return out


def build(sources: Path) -> list[tuple[str, str, str, str]]:
    rows: dict[str, tuple[str, str, str, str]] = {}

    def add(fa: str, latin: str, kind: str, source: str) -> None:
        fa = _fa(fa)
        key = fa.replace(ZWNJ, "")
        if fa and latin and key not in rows:
            rows[key] = (fa, _cap(latin) if source != "dadkhah" else latin, kind, source)

    for e in load_name_dictionary().entries:
        if e.preferred_latin:
            add(e.persian, e.preferred_latin, e.kind, "dadkhah")

    def same_key(fa: str, latin: str) -> bool:
        k = name_key(fa)
        return bool(k) and k == name_key(latin)

    # lists that give both scripts, dropped in as <name>.pairs.csv: one Latin word per
    # Persian word, and the consonant keys must agree (drops misaligned rows)
    for path in sorted(sources.glob("*.pairs.csv")):
        meta, pairs = read_pair_file(path)
        for fa, latin, kind in pairs:
            if " " not in fa.strip() and latin.replace("-", "").isalpha() \
                    and same_key(fa, latin):
                add(fa, latin.replace("-", ""), kind if kind in ("given", "surname") else "name",
                    meta["source"])

    # Persian-only lists: spellings that Latin names are paired with
    persian_given: set[str] = set()
    persian_surname: set[str] = set()
    curated: set[str] = set()
    latin_given: list[str] = []
    if z := _wheel(sources, "persian_names"):
        for f in ("male_fa.txt", "female_fa.txt"):
            curated.update(_fa(x) for x in _lines(_read(z, f"data/{f}")))
        for f in ("male_en.txt", "female_en.txt"):
            latin_given += _lines(_read(z, f"data/{f}"))
    persian_given |= curated
    if z := _wheel(sources, "persian_gender_detection"):
        reader = csv.DictReader(io.StringIO(_read(z, "iranianNamesDataset.csv")))
        persian_given.update(_fa(r["Names"]) for r in reader if r.get("Names"))
    if z := _wheel(sources, "farsi_faker"):
        src = _read(z, "data/seed_names.py")
        for var in ("MALE_NAMES", "FEMALE_NAMES"):
            persian_given.update(_fa(x) for x in _literal(src, var))  # type: ignore[union-attr]
        persian_surname.update(_fa(x) for x in _literal(src, "LAST_NAMES"))  # type: ignore[union-attr]
    known_fa = persian_given | persian_surname

    if z := _wheel(sources, "name_variants"):
        table = _literal(_read(z, "name_variants/persian_names.py"), "PERSIAN_NAME_VARIANTS")
        for fa, info in sorted(table.items()):  # type: ignore[union-attr]
            for form in info.get("forms", []):
                if same_key(fa, form):
                    add(fa, form, "surname" if fa.endswith("ی") and fa[:-1] in table
                        else "name", "name-variants")
                    break
    if z := _wheel(sources, "finglish"):
        for ln in _lines(_read(z, "f2p-dict.txt")):
            latin, _, fa = ln.partition(" ")
            fa = _fa(fa)
            # the dictionary is of words in general (Allah, Doctor, Bob): only its
            # surnames are taken
            if latin.isalpha() and fa in persian_surname and same_key(fa, latin):
                add(fa, latin, "surname", "finglish")

    by_key: dict[str, set[str]] = defaultdict(set)
    for fa in sorted(known_fa):
        if k := name_key(fa):
            by_key[k].add(fa)
    for latin in sorted(set(latin_given)):
        if not latin.isalpha():
            continue
        cands = by_key.get(name_key(latin), set())
        if len(cands) > 1:
            cands = cands & curated
        if len(cands) == 1:
            add(next(iter(cands)), latin, "given", "persian-names")
    # places: surnames are made of them (Tehrani, Shirazi) and they teach the model the
    # same sounds; kind "place", left out of the held-out figures
    for r in read_data_csv("gazetteer.csv"):
        if r["kind"] in ("province", "city") and r["name_fa"] and r["name_en"].isalpha() \
                and same_key(r["name_fa"], r["name_en"]):
            add(r["name_fa"], r["name_en"], "place", "gazetteer")
    if z := _wheel(sources, "persian_names"):
        region_fa = [_fa(x) for x in _lines(_read(z, "data/region_fa.txt"))]
        region_key: dict[str, list[str]] = defaultdict(list)
        for fa in region_fa:
            region_key[name_key(fa)].append(fa)
        for latin in _lines(_read(z, "data/region_en.txt")):
            cands = region_key.get(name_key(latin), [])
            if latin.isalpha() and len(cands) == 1:
                add(cands[0], latin, "place", "persian-names")
    # Wikidata spellings of Iranian people's names: last, so every entry above keeps its
    # spelling; a word already present up to the letters the index folds (آ/ا, ئ/ی) is
    # the same word and is skipped, so no word enters twice (once in each of two folds of
    # the held-out split)
    present = {_folded(fa) for fa, *_ in rows.values()}
    known_madda = {w for w in known_fa | curated if w.startswith("آ")}
    for fa, latin, kind, _ in wikidata_ir_pairs(sources):
        if fa.startswith("ا") and "آ" + fa[1:] in known_madda:
            fa = "آ" + fa[1:]
        if _folded(fa) in present:
            continue
        present.add(_folded(fa))
        add(fa, latin, kind, "wikidata-ir")
    return sorted(rows.values(), key=lambda r: (r[3] != "dadkhah", r[0]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=Path, default=_default_sources())
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.sources.is_dir():
        print(f"no source directory {args.sources}: fetch the wheels listed in this script's "
              "docstring with pip download --no-deps -d DIR <package>", file=sys.stderr)
        return 2
    try:
        rows = build(args.sources)
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 2
    buf = io.StringIO()
    buf.write(HEADER)
    pair_files = sorted(args.sources.glob("*.pairs.csv"))
    if pair_files:
        buf.write("#   Lists given in both scripts (source: file, licence, where from):\n")
    for path in pair_files:
        meta, _ = read_pair_file(path)
        buf.write(f"#   {meta['source']}: {path.name}, licence {meta['licence']}"
                  f"{', ' + meta['url'] if meta.get('url') else ''}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["persian", "latin", "kind", "source"])
    w.writerows(rows)
    args.out.write_text(buf.getvalue(), encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r[3]] += 1
    print(f"{len(rows)} entries -> {args.out}: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
