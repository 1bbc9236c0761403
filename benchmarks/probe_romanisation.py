#!/usr/bin/env python3
"""How close dadkhah's romanisation of a Persian name comes to the Latin forms lists write.

Usage::

    PYTHONPATH=src python benchmarks/probe_romanisation.py --seeds 1-5 [--persons 1500]
        [--dir /tmp/names-p2] [--misses 40] [--kinds] [--json]

A second, independent measure of the romanisation beside the lexicon's folds
(``benchmarks/romanize_cv.py``, ``benchmarks/transliteration_bench.py``): those score words
*of the lexicon*, this one scores the names *lists hold*, which the lexicon may lack.  The
names come from the second probe (``benchmarks/second_probe.py``, written without reading
dadkhah): for each seed its lists are generated once (``--generate-only``, into
``DIR-SEED/lists``, reused when present) and read back as a user's files, SYNTHETIC.  Only
the diagnosis seeds 1-5 are to be used while changing the code (session 21's rules).

The pairs: the probe's truth (``SYNTHETIC-truth.csv``) gives each row of each list its
person and that person's Persian given name and surname; the rows of the English and French
lists give the Latin forms those lists write for the same person (``Name``/``Surname``,
``Prénom``/``Nom``; a title such as Seyed written in the given name is dropped, as in the
Persian).  Each person's Persian given name and surname are romanised apart with
:func:`dadkhah.names.latin_form`, as the register romanises a list's two cells for the Latin
name it shows (the packaged lexicon and model, no case examples), and the name is counted
*close* when it is within one edit of one of the person's written Latin forms after
lower-casing and dropping spaces, hyphens and apostrophes, or when it equals one of them
after a fold, word by word with spaces then dropped, by the variant table
(:func:`dadkhah.names.canonical_latin`: Hosein → hossein, Hoseinzade → hosseinzadeh) and
by the spelling habits that vary row by row
in the lists (``_HABITS``: French dj/tch/ch, q for gh, zh for j, u/oo for ou, ee for i,
doubled letters; both sides folded).  The written forms vary row by row (Mohamad, Husain,
-ee, -zade, French ch for sh), so a person with several rows has several chances; that is
what "close to the standard romanisation" can mean when lists disagree.  Regional forms
(Fatima for «فاطمه», Jassim, Othman, Cyrus) are not folded and stay misses.

``--written`` romanises instead the Persian cells of the household list as written there
(a compound with a ZWNJ, a space or joined; Seyed before the given name), one unit per
distinct writing of a person with a Latin form (the copied and OCR'd lists' typing and
reading errors are not the romaniser's to fix and are left out).

``--variants`` also writes every distinct name cell the other ways lists write Persian
(Arabic ي/ك, ة for a final ه, a compound's ZWNJ as a space or dropped, آ as ا) and counts
the cells whose Latin form (spaces aside) changes.

Printed per seed and over all seeds: persons (whole names) close, and words (given names and
surnames apart, each against the same part of the written forms) close, with the share of
words the romaniser marks as a guess (model) and how close those are.  ``--misses N``
prints N missed names with the written forms; ``--kinds`` sorts the missed words by a rough
kind (a guess with no vowel letter between two consonants, compound, title, ZWNJ, Arabic
letter forms).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from dadkhah.names import canonical_latin, latin_form, transliterate_word
from dadkhah.names.keys import name_tokens

HERE = Path(__file__).resolve().parent
LATIN_COLUMNS = {"english": ("Name", "Surname"), "french": ("Prénom", "Nom")}


@dataclass
class Person:
    """One person of the probe: Persian given name and surname, the Latin forms lists write."""

    given_fa: str
    surname_fa: str
    latin: set[tuple[str, str]] = field(default_factory=set)
    written_fa: set[tuple[str, str]] = field(default_factory=set)


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def lists_dir(seed: int, persons: int, base: str) -> Path:
    """The probe's lists for a seed, generated once (``--generate-only``) and reused."""
    out = Path(f"{base}-{seed}")
    lists = out / "lists"
    if not (lists / "SYNTHETIC-truth.csv").exists():
        subprocess.run([sys.executable, str(HERE / "second_probe.py"), "--seed", str(seed),
                        "--persons", str(persons), "--out", str(out), "--generate-only"],
                       check=True, stdout=subprocess.DEVNULL)
    return lists


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_persons(lists: Path) -> dict[str, Person]:
    """Persons of one seed with a Latin form in the English or French list."""
    truth = _rows(lists / "SYNTHETIC-truth.csv")
    persons: dict[str, Person] = {}
    latin_rows = {kind: _rows(lists / f"SYNTHETIC-{kind}.csv") for kind in LATIN_COLUMNS}
    for t in truth:
        kind = t["list"]
        if kind not in LATIN_COLUMNS:
            continue
        row = latin_rows[kind][int(t["row_number"]) - 1]
        given_col, surname_col = LATIN_COLUMNS[kind]
        given = " ".join(name_tokens(row[given_col])[1])  # a title (Seyed) dropped
        surname = row[surname_col].strip()
        if not given or not surname or not t["given"] or not t["surname"]:
            continue
        p = persons.setdefault(t["person_id"], Person(t["given"], t["surname"]))
        p.latin.add((given, surname))
    for t, row in zip((t for t in truth if t["list"] == "household"),
                      _rows(lists / "SYNTHETIC-household.csv"), strict=True):
        if t["person_id"] in persons and row["نام"] and row["نام خانوادگی"]:
            persons[t["person_id"]].written_fa.add((row["نام"], row["نام خانوادگی"]))
    return persons


def _flat(text: str) -> str:
    return re.sub(r"[\s\-'’ʼ`]", "", text.lower())


# Spelling habits that vary row by row in the lists and carry no reading of the name (both
# sides are folded, so a romanisation gains nothing it did not write): French dj/tch/ch,
# q for gh, zh for j, u/oo for ou, ee for i, -ie for -ei, doubled letters.
_HABITS = (("dj", "j"), ("tch", "C"), ("ch", "sh"), ("C", "ch"), ("gh", "q"), ("q", "gh"),
           ("zh", "j"), ("ou", "u"), ("oo", "u"), ("u", "ou"), ("ee", "i"))


def _habit_fold(word: str) -> str:
    for src, dst in _HABITS:
        word = word.replace(src, dst)
    word = re.sub(r"ie$", "ei", word)
    return re.sub(r"(.)\1", r"\1", word)


def _fold(text: str) -> str:
    # word by word, then joined: «Mohamad Reza» and «Mohammadreza» are one spelling apart
    return "".join(_habit_fold(canonical_latin(w)) for w in re.split(r"[\s\-]+", text) if w)


def close(got: str, written: list[str]) -> bool:
    """Within one edit of a written form (case, spaces, hyphens, apostrophes dropped), or
    equal to one after the variant table's fold."""
    g, gf = _flat(got), _fold(got)
    return any(Levenshtein.distance(g, _flat(w)) <= 1 or gf == _fold(w) for w in written)


_CONSONANTS = set("bcdfghjklmnpqrstvwxz")


def vowelless(latin: str) -> bool:
    """A Latin word with three consonant letters in a row at its start or a run of four
    (Hbshti, Shrabi's «hr» aside): a letter-by-letter reading, not a name."""
    w = _flat(latin)
    digraph = re.sub(r"(kh|sh|ch|zh|gh)", "K", w)
    runs = re.findall(r"[bcdfghjklmnpqrstvwxzK]+", digraph)
    return bool(re.match(r"[bcdfghjklmnpqrstvwxzK]{2}", digraph)) or any(len(r) >= 3 for r in runs)


def kind_of(word_fa: str, got: str, known: bool) -> str:
    """A rough kind for a missed word (for reading the misses, not a figure)."""
    if any(c in word_fa for c in "يكةۀأإؤء"):
        return "arabic-letters"
    if "\u200c" in word_fa or " " in word_fa:
        return "compound-zwnj"
    if not known and vowelless(got):
        return "guess-no-vowel"
    return "guess" if not known else "known"


def score_seed(lists: Path, written: bool = False) -> dict[str, object]:
    persons = read_persons(lists)
    if written:  # the household list's cells as written, one unit per distinct writing
        persons = {f"{pid}:{g}:{s}": Person(g, s, p.latin) for pid, p in persons.items()
                   for g, s in p.written_fa}
    names_close = 0
    words = Counter()
    misses: list[tuple[str, str, list[str]]] = []
    word_misses: list[tuple[str, str, bool, list[str]]] = []
    for p in persons.values():
        # as the register shows a list's name: the given-name and surname cells romanised
        # apart (dadkhah.register.normalize), a title dropped as in the written forms
        shown = " ".join(latin_form(c) for c in (p.given_fa, p.surname_fa))
        got = " ".join(name_tokens(shown)[1])
        written = sorted(f"{g} {s}" for g, s in p.latin)
        if close(got, written):
            names_close += 1
        else:
            misses.append((f"{p.given_fa} {p.surname_fa}", got, written))
        for i, fa in enumerate((p.given_fa, p.surname_fa)):
            forms = sorted({pair[i] for pair in p.latin})
            read = [transliterate_word(w) for w in name_tokens(fa)[1]]
            lat, known = " ".join(r[0] for r in read), all(r[1] for r in read)
            ok = close(lat, forms)
            words["all"] += 1
            words["close"] += ok
            if not known:
                words["guess"] += 1
                words["guess_close"] += ok
            if not ok:
                word_misses.append((fa, lat, known, forms))
    return {"persons": len(persons), "close": names_close, "words": dict(words),
            "misses": misses, "word_misses": word_misses}


_ZWNJ = "\u200c"
# Ways lists write the same Persian name: Arabic ي/ك, ة for a final ه, a compound's ZWNJ as
# a space or dropped, آ as ا.  Each should read as the name does.
VARIANTS = {
    "Arabic ي ك": lambda s: s.replace("ی", "ي").replace("ک", "ك"),
    "ة for final ه": lambda s: re.sub(r"ه\b", "ة", s),
    "ZWNJ as a space": lambda s: s.replace(_ZWNJ, " "),
    "ZWNJ dropped": lambda s: s.replace(_ZWNJ, ""),
    "آ as ا": lambda s: s.replace("آ", "ا"),
}


def variant_changes(seeds: list[int], persons: int, base: str,
                    show: int = 0) -> dict[str, tuple[int, int]]:
    """Per way of writing: (distinct name cells written so whose Latin form changes, cells)."""
    out: dict[str, tuple[int, int]] = {}
    cells = sorted({c for seed in seeds
                    for p in read_persons(lists_dir(seed, persons, base)).values()
                    for c in (p.given_fa, p.surname_fa)})
    for label, write in VARIANTS.items():
        changed = n = 0
        for cell in cells:
            other = write(cell)
            if other == cell:
                continue
            n += 1
            a, b = (_flat(latin_form(x)) for x in (cell, other))
            if a != b:
                changed += 1
                if changed <= show:
                    print(f"  {label}: {cell} → {latin_form(cell)}, {other} → {latin_form(other)}")
        out[label] = (changed, n)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1-5", help="second-probe seeds (diagnosis: 1-5)")
    ap.add_argument("--persons", type=int, default=1500)
    ap.add_argument("--dir", default="/tmp/names-p2", help="lists go to DIR-SEED/lists")
    ap.add_argument("--misses", type=int, default=0)
    ap.add_argument("--kinds", action="store_true")
    ap.add_argument("--written", action="store_true",
                    help="romanise the household list's Persian cells as written (ZWNJ, "
                         "space or joined; a title kept) instead of the truth's spelling")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--variants", action="store_true",
                    help="also: name cells whose Latin form changes when written another way")
    args = ap.parse_args(argv)
    total = Counter()
    all_word_misses: list[tuple[str, str, bool, list[str]]] = []
    report = {}
    rates = []
    for seed in _seeds(args.seeds):
        res = score_seed(lists_dir(seed, args.persons, args.dir), args.written)
        w = res["words"]
        assert isinstance(w, dict)
        rate = res["close"] / max(1, res["persons"])  # type: ignore[operator]
        rates.append(rate)
        report[seed] = {"persons": res["persons"], "close": res["close"], "rate": rate,
                        "words": w}
        total.update({"persons": res["persons"], "names_close": res["close"]})  # type: ignore[arg-type]
        total.update(w)
        all_word_misses.extend(res["word_misses"])  # type: ignore[arg-type]
        if not args.json:
            print(f"seed {seed}: names close {res['close']}/{res['persons']} = {rate:.1%}; "
                  f"words {w['close']}/{w['all']} = {w['close'] / w['all']:.1%}; guessed "
                  f"{w.get('guess', 0)}, close {w.get('guess_close', 0)}")
        for fa, got, written in res["misses"][: args.misses]:  # type: ignore[index]
            print(f"  {fa}  →  {got}   written: {' | '.join(written)}")
    mean = sum(rates) / len(rates)
    if args.json:
        print(json.dumps({"seeds": report, "mean": mean, "worst": min(rates)}, ensure_ascii=False))
        return 0
    print(f"all: names close {total['names_close']}/{total['persons']} = "
          f"{total['names_close'] / total['persons']:.1%} (per seed mean {mean:.1%}, worst "
          f"{min(rates):.1%}); words "
          f"{total['all'] - len(all_word_misses)}/{total['all']} = "
          f"{1 - len(all_word_misses) / total['all']:.1%}; guessed words {total['guess']}, "
          f"close {total['guess_close']}")
    if args.variants:
        for label, (changed, n) in variant_changes(_seeds(args.seeds), args.persons, args.dir,
                                                   args.misses).items():
            print(f"written with {label}: Latin form changed for {changed} of {n} name cells")
    if args.kinds:
        by_kind: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
        for fa, got, known, forms in all_word_misses:
            by_kind[kind_of(fa, got, known)][(fa, got, " | ".join(forms))] += 1
        for kind, c in sorted(by_kind.items(), key=lambda kv: -sum(kv[1].values())):
            print(f"\n{kind}: {sum(c.values())} missed words ({len(c)} distinct)")
            for (fa, got, forms), n in c.most_common(25):
                print(f"  {n:3d}  {fa}  →  {got}   written: {forms}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
