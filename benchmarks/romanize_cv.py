#!/usr/bin/env python3
"""Cross-validation of the Persian → Latin romanisation on folds 1–4 (tuning folds).

Usage::

    PYTHONPATH=src python benchmarks/romanize_cv.py [--cache DIR] [--worst 30] [--kinds]

Fold 0 (the held-out split of ``transliteration_bench.py``) never enters: for each fold
f in 1–4 a model is trained on the other three of folds 1–4 (cached in ``--cache`` by a
hash of its training pairs, so decoding changes are tried without retraining), and the
words of fold f (places left out) are romanised by the whole system with a lexicon of
those three folds.  Prints exact / within one edit overall, for the words of the sources
before the Wikidata list (press style) and per fold (each fold's figures, and the worst fold
beside the mean).

``--grid 'JOINT_WEIGHT=0,0.3;LM_WEIGHT=0.2,0.4'`` tries every combination of decoding
settings (constants of :mod:`dadkhah.names.romanize_model`, or of
:mod:`dadkhah.names.lexicon`: ``GRAPHONE_ORDER``, ``LM_ORDER``, ``LM_LEXICON_WEIGHT``) on
the same cached models (a setting of the CRFs' training, ``CRF_C2``, retrains), or of
:mod:`dadkhah.names.romanize` (``COMPOUND_MIN_PART``);
``--compound on|off`` and ``--press-repeat N`` set the compound proposals and the training
weight of the press-style sources (the latter retrains).  ``--kinds`` groups the misses by
kind (:func:`miss_kind`); under "sources before wikidata-ir, or names.csv variant" a
press-style spelling the project's name dictionary lists for the word also counts
(``transliteration_bench.attested``: a lenient figure, printed apart).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from dadkhah.names import romanize as translit
from dadkhah.names.lexicon import heldout_fold, load_name_lexicon
from dadkhah.names.romanize import transliterate_word
from dadkhah.names.romanize_model import train_romanize_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from transliteration_bench import FIRST_SOURCES, attested, norm  # noqa: E402


def fold_model(pairs: list[tuple[str, str]], cache: Path) -> str:
    """Prefix of a model trained on ``pairs``, trained once and kept in ``cache``."""
    from dadkhah.names import romanize_model as rm

    key: tuple[object, ...] = (sorted(pairs), rm.TRAINING_VERSION)
    if rm.SHAPE_FEATURES or "a" in rm.CORES["ی"]:  # settings tried beside the default
        key += (rm.SHAPE_FEATURES, rm.CORES["ی"])
    if (rm.CRF_C1, rm.CRF_C2) != (0.2, 0.05):
        key += (rm.CRF_C1, rm.CRF_C2)
    h = hashlib.sha1(repr(key).encode()).hexdigest()[:12]
    prefix = cache / h
    if not Path(f"{prefix}.vowel.crfsuite").is_file():
        train_romanize_model(pairs, prefix)
    return str(prefix)


def run(cache: Path, folds: tuple[int, ...] = (1, 2, 3, 4),
        first_only: bool = False) -> list[tuple[int, str, str, str, str]]:
    """(fold, source, Persian, lexicon's Latin, romanised) for every tuning word (only
    the words of the sources before the Wikidata list with ``first_only``)."""
    from dadkhah.names import romanize_model as rm

    lex = load_name_lexicon()
    rows = []
    for fold in folds:
        train = [e for e in lex.entries if heldout_fold(e.persian) not in (0, fold)]
        path = fold_model(rm.training_pairs(train), cache)
        sub = lex.restricted([e.persian for e in train]).with_model(path)
        for e in lex.entries:
            if heldout_fold(e.persian) == fold and e.kind != "place" \
                    and (not first_only or e.source in FIRST_SOURCES):
                rows.append((fold, e.source, e.persian, e.latin,
                             transliterate_word(e.persian, sub)[0]))
    return rows


def report(rows: list[tuple[int, str, str, str, str]], label: str = "") -> None:
    from dadkhah.names.romanize_model import press_style

    def sc(rs: list[tuple[int, str, str, str, str]],
           conv: bool) -> tuple[float, float, int]:
        if conv:  # both sides in the press convention (Qasem = Ghasem, Noori = Nouri)
            d = [Levenshtein.distance(press_style(r[2], r[4]), press_style(r[2], r[3]))
                 for r in rs]
        else:
            d = [Levenshtein.distance(norm(r[4]), norm(r[3])) for r in rs]
        return sum(x == 0 for x in d) / len(d), sum(x <= 1 for x in d) / len(d), len(d)

    for conv in (False, True):
        for name, sel in (("all words", rows), ("sources before wikidata-ir",
                                                [r for r in rows if r[1] in FIRST_SOURCES])):
            ex, near, n = sc(sel, conv)
            per = [sc([r for r in sel if r[0] == f], conv) for f in sorted({r[0] for r in sel})]
            tag = " (within convention)" if conv else ""
            print(f"{label}{name + tag:48s} exact {ex:6.1%}  within one {near:6.1%}  "
                  f"({n} words)  worst fold {min(p[0] for p in per):6.1%} / "
                  f"{min(p[1] for p in per):6.1%}")
            if not conv:  # each tuning fold on its own: the spread a 180-word split shows
                folds = sorted({r[0] for r in sel})
                print(f"{label}{'  per fold ' + ', '.join(map(str, folds)):48s} exact "
                      + " ".join(f"{p[0]:6.1%}" for p in per) + "   within one "
                      + " ".join(f"{p[1]:6.1%}" for p in per) + "   ("
                      + " ".join(str(p[2]) for p in per) + " words)")
    first = [r for r in rows if r[1] in FIRST_SOURCES]
    ok = [sum(attested(r[2], r[3], r[4]) for r in first if r[0] == f)
          / max(1, sum(r[0] == f for r in first)) for f in sorted({r[0] for r in first})]
    print(f"{label}{'sources before wikidata-ir, or names.csv variant':48s} exact "
          f"{sum(attested(r[2], r[3], r[4]) for r in first) / len(first):6.1%}  "
          f"(lenient: a press-style spelling names.csv lists counts)  worst fold {min(ok):6.1%}")


def miss_kind(persian: str, truth: str, got: str) -> str:
    """What kind of miss ``got`` is for the lexicon's ``truth`` (both normalised): only
    the spelling convention (q/gh, u/ou: :func:`press_style`), the ending (-eh/-e, -y),
    a doubled letter, ei/ey/i/y, ou/u/o/ow, one short vowel, several vowels, vowels with
    y/h/w, or consonants and the rest."""
    from dadkhah.names.romanize_model import press_style

    t, g = norm(truth), norm(got)
    if press_style(persian, t) == press_style(persian, g):
        return "convention (q/gh, u/ou)"
    ops = [(t[i1:i2], g[j1:j2], i2 == len(t)) for tag, i1, i2, j1, j2 in
           difflib.SequenceMatcher(None, t, g, autojunk=False).get_opcodes() if tag != "equal"]
    changed = "".join(a + b for a, b, _ in ops)
    if all(end for *_, end in ops) and set(changed) <= set("ehay"):
        return "ending -eh/-e/-ah/-a/-y"
    if len(ops) == 1 and len(changed) == 1 and (changed * 2 in t or changed * 2 in g):
        return "doubled letter"
    if set(changed) <= set("eiy") and ("y" in changed or "ei" in t + g):
        return "ei/ey/i/y"
    if set(changed) <= set("ouw"):
        return "ou/u/o/ow"
    if set(changed) <= set("aeiou"):
        one = len(ops) == 1 and max(len(ops[0][0]), len(ops[0][1])) == 1
        return "one short vowel" if one else "several vowels"
    if set(changed) <= set("aeiouyhw"):
        return "vowels + y/h/w"
    return "consonants / other"


def kinds(rows: list[tuple[int, str, str, str, str]], examples: int = 6) -> None:
    """Misses grouped by :func:`miss_kind`, for the first sources' words and for all."""
    for name, sel in (("sources before wikidata-ir", [r for r in rows if r[1] in FIRST_SOURCES]),
                      ("all words", rows)):
        miss = [r for r in sel if norm(r[3]) != norm(r[4])]
        by: dict[str, list[str]] = {}
        for r in miss:
            by.setdefault(miss_kind(r[2], r[3], r[4]), []).append(f"{r[2]} {r[3]}→{r[4]}")
        print(f"misses by kind, {name}: {len(miss)} of {len(sel)} words")
        for k, ex in sorted(by.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(ex):5d}  {k:26s} e.g. " + "; ".join(ex[:examples]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default="/tmp/dadkhah-romanize-cv")
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--kinds", action="store_true", help="group the misses by kind")
    ap.add_argument("--dump", default="", help="write the rows to this TSV file")
    ap.add_argument("--load", default="", help="report on rows written by --dump")
    ap.add_argument("--raw", action="store_true",
                    help="train on the lexicon's spellings as written, not press style")
    ap.add_argument("--shape", action="store_true", help="train with word-shape features")
    ap.add_argument("--compound", choices=("on", "off"), default="",
                    help="read a compound with a known word at one end also as that word + "
                         "the rest (default: romanize.COMPOUND_PROPOSALS)")
    ap.add_argument("--press-repeat", type=int, default=0,
                    help="times a press-style source's name counts in training "
                         "(default: PRESS_SOURCE_REPEAT)")
    ap.add_argument("--yeh-a", action="store_true", help="ی may be read a (Mostafa)")
    ap.add_argument("--grid", default="",
                    help="decoding settings to try, each combination reported apart: "
                         "constants of romanize_model with their values, e.g. "
                         "'JOINT_WEIGHT=0.3,0.6;LM_WEIGHT=0.2,0.4'")
    ap.add_argument("--first-only", action="store_true",
                    help="romanise only the words of the sources before wikidata-ir "
                         "(8 times fewer: a quick first look at a setting)")
    ap.add_argument("--joint-order", type=int, default=0,
                    help="n-gram order of the joint-sequence model (default: its own)")
    args = ap.parse_args()
    from dadkhah.names import romanize_model as rm

    rm.SHAPE_FEATURES = args.shape
    if args.compound:
        translit.COMPOUND_PROPOSALS = args.compound == "on"
    if args.press_repeat:
        rm.PRESS_SOURCE_REPEAT = args.press_repeat
    if args.yeh_a:
        rm.CORES["ی"] = (*rm.CORES["ی"][:11], "a", "")
    if args.raw:
        from dadkhah.names import romanize_model

        romanize_model.NORMALISE_TRAINING = False
        romanize_model.TRAINING_VERSION = 1
    if args.joint_order:
        from dadkhah.names import lexicon

        lexicon.GRAPHONE_ORDER = args.joint_order
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    if args.load:
        text = Path(args.load).read_text(encoding="utf-8")
        rows = [(int(r[0]), r[1], r[2], r[3], r[4])
                for r in (ln.split("\t") for ln in text.splitlines())]
        report(rows)
    elif args.grid:
        import itertools

        axes = [(name.strip(), [float(v) for v in values.split(",")])
                for name, _, values in (a.partition("=") for a in args.grid.split(";"))]
        from dadkhah.names import lexicon

        for name, _ in axes:
            if not any(hasattr(m, name) for m in (rm, lexicon, translit)):
                ap.error(f"--grid: romanize_model, lexicon or romanize has no setting "
                         f"{name!r}")
        for combo in itertools.product(*(values for _, values in axes)):
            for (name, _), value in zip(axes, combo, strict=True):
                if not hasattr(rm, name):  # a setting of the lexicon's models or the rules
                    mod = lexicon if hasattr(lexicon, name) else translit
                    setattr(mod, name, type(getattr(mod, name))(value))
                    continue
                # an integer setting (a beam's width) stays an integer
                setattr(rm, name, int(value) if isinstance(getattr(rm, name), int) else value)
            rows = run(cache, first_only=args.first_only)
            report(rows, " ".join(f"{n}={v:g}" for (n, _), v in zip(axes, combo, strict=True))
                   + ": ")
    else:
        rows = run(cache, first_only=args.first_only)
        report(rows)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for r in rows:
                f.write("\t".join(map(str, r)) + "\n")
    if args.kinds:
        kinds(rows)
    bad = sorted((r for r in rows if r[1] in FIRST_SOURCES and norm(r[3]) != norm(r[4])),
                 key=lambda r: -Levenshtein.distance(norm(r[4]), norm(r[3])))
    for r in bad[: args.worst]:
        print("  ", r[2], r[3], r[4])
    return 0


if __name__ == "__main__":
    sys.exit(main())
