#!/usr/bin/env python3
"""Choose the vocabulary bonus of the romanisation model by cross-validation on folds 1–4.

Usage::

    PYTHONPATH=src python benchmarks/romanize_vocabulary_cv.py [--bonus 0 1 2 3]

Fold 0 (the held-out split of ``transliteration_bench.py``) never enters: for each fold
f in 1–4 a model is trained on the other three of folds 1–4, the vocabulary is the
packaged Latin name list plus the Latin spellings of those three folds, and the words of
fold f (places left out) are romanised by the whole system (look-up of the three folds,
affix rules, model) with each bonus.  Prints exact / within one edit per bonus.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from dadkhah.names import romanize as tr
from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import heldout_fold, load_name_lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from transliteration_bench import norm  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bonus", type=float, nargs="+",
                    default=[-99.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ap.add_argument("--frequency-bonus", type=float, nargs="+", default=[0.0, 1.0, 2.0, 4.0])
    args = ap.parse_args()
    lex = load_name_lexicon()
    grid = [(b, f) for b in args.bonus for f in args.frequency_bonus
            if b > -50 or f == args.frequency_bonus[0]]
    results: dict[tuple[float, float], list[tuple[bool, bool]]] = {g: [] for g in grid}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in (1, 2, 3, 4):
            path = str(Path(tmp) / f"fold{fold}")
            train = [e for e in lex.entries if heldout_fold(e.persian) not in (0, fold)]
            rm.train_romanize_model([(e.persian, e.latin) for e in train], path)
            sub = lex.restricted([e.persian for e in train]).with_model(path)
            test = [e for e in lex.entries
                    if heldout_fold(e.persian) == fold and e.kind != "place"]
            for b, f in grid:
                rm.VOCABULARY_BONUS, rm.FREQUENCY_BONUS = b, f
                for e in test:
                    got = tr.transliterate_word(e.persian, sub)[0]
                    d = Levenshtein.distance(norm(got), norm(e.latin))
                    results[b, f].append((d == 0, d <= 1))
    n = len(results[grid[0]])
    print(f"folds 1-4, each held out once ({n} words), whole system:")
    for (b, f), r in results.items():
        label = "no vocabulary" if b <= -50 else f"bonus {b:g} + {f:g} x weight"
        print(f"  {label:24s} exact {sum(x for x, _ in r) / n:6.1%}   "
              f"within one edit {sum(y for _, y in r) / n:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
