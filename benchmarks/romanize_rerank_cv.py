#!/usr/bin/env python3
"""Learn the weights of the romanisation model's candidate score on folds 1–4.

Usage::

    PYTHONPATH=src python benchmarks/romanize_rerank_cv.py [--cache DIR] [--l2 0.1]

For each tuning fold f in 1–4 the model trained on the other three of folds 1–4 (the
cache of ``romanize_cv.py``) lists the candidate spellings of every word of fold f that
no look-up or affix rule knows (:meth:`RomanizeModel.candidates`, features
:data:`~dadkhah.names.romanize_model.FEATURES`).  A conditional logit (softmax over a
word's candidates, L2-penalised) is fitted to pick the lexicon's spelling; it is scored
by leave-one-fold-out over the four folds (fit on three folds' words, test on the
fourth's), beside the hand-set score, and finally fitted on all four folds: those weights
are printed for ``RERANK_WEIGHTS``.  Fold 0 never enters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from dadkhah.names import romanize as tr
from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import heldout_fold, load_name_lexicon

sys.path.insert(0, str(Path(__file__).resolve().parent))
from romanize_cv import fold_model  # noqa: E402
from transliteration_bench import norm  # noqa: E402

Word = tuple[int, str, str, list[str], np.ndarray]  # fold, Persian, gold, candidates, X


def collect(cache: Path) -> list[Word]:
    lex = load_name_lexicon()
    out: list[Word] = []
    for fold in (1, 2, 3, 4):
        train = [e for e in lex.entries if heldout_fold(e.persian) not in (0, fold)]
        path = fold_model(rm.training_pairs(train), cache)
        sub = lex.restricted([e.persian for e in train]).with_model(path)
        model = rm.load_romanize_model(path)
        assert model is not None
        voc, lm = sub.latin_vocabulary(), sub.latin_lm()
        for e in lex.entries:
            if heldout_fold(e.persian) != fold or e.kind == "place":
                continue
            word = e.persian.replace("\u200c", "")
            if tr._known(word, sub) is not None:
                continue
            cands = model.candidates(word, voc, lm, sub.graphone_lm())
            names = sorted(cands)
            out.append((fold, e.persian, norm(e.latin), names,
                        np.array([cands[c] for c in names], dtype=float)))
    return out


def fit(words: list[Word], l2: float) -> np.ndarray:
    data = [(X, names.index(gold)) for _, _, gold, names, X in words if gold in names]
    dim = data[0][0].shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        val, grad = l2 * w @ w, 2 * l2 * w
        for X, y in data:
            s = X @ w
            lse = logsumexp(s)
            p = np.exp(s - lse)
            val += lse - s[y]
            grad += X.T @ p - X[y]
        return val / len(data), grad / len(data)

    w0 = np.zeros(dim)
    w0[0], w0[1] = 1.0, 0.2
    res = minimize(loss, w0, jac=True, method="L-BFGS-B")
    return np.asarray(res.x)


def accuracy(words: list[Word], w: np.ndarray) -> tuple[float, float]:
    from rapidfuzz.distance import Levenshtein

    ex = near = 0
    for _, _, gold, names, X in words:
        s = X @ w
        best = max(range(len(names)), key=lambda i: (s[i], names[i]))
        d = Levenshtein.distance(names[best], gold)
        ex += d == 0
        near += d <= 1
    return ex / len(words), near / len(words)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default="/tmp/dadkhah-romanize-cv")
    ap.add_argument("--l2", type=float, nargs="+", default=[0.0, 0.01, 0.1])
    ap.add_argument("--raw", action="store_true",
                    help="train on the lexicon's spellings as written, not press style")
    args = ap.parse_args()
    if args.raw:
        from dadkhah.names import romanize_model

        romanize_model.NORMALISE_TRAINING = False
        romanize_model.TRAINING_VERSION = 1
    words = collect(Path(args.cache))
    oracle = sum(g in n for _, _, g, n, _ in words) / len(words)
    print(f"{len(words)} tuning words read by the model; the lexicon's spelling is a "
          f"candidate for {oracle:.1%}")
    # one weight per feature of rm.FEATURES (the joint model's last)
    hand = np.array([1.0, rm.LM_WEIGHT, rm.VOCABULARY_BONUS, rm.FREQUENCY_BONUS, 0, 0, 0,
                     rm.JOINT_WEIGHT])
    print(f"  hand-set score          exact / within one edit "
          f"{accuracy(words, hand)[0]:6.1%} / {accuracy(words, hand)[1]:6.1%}")
    for l2 in args.l2:
        per = []
        for f in (1, 2, 3, 4):
            w = fit([x for x in words if x[0] != f], l2)
            per.append(accuracy([x for x in words if x[0] == f], w))
        n = [sum(x[0] == f for x in words) for f in (1, 2, 3, 4)]
        ex = sum(p[0] * k for p, k in zip(per, n, strict=True)) / sum(n)
        near = sum(p[1] * k for p, k in zip(per, n, strict=True)) / sum(n)
        print(f"  learned, L2 {l2:<6g}      exact / within one edit {ex:6.1%} / {near:6.1%}"
              f"   worst fold {min(p[0] for p in per):6.1%}")
        w = fit(words, l2)
        print("     weights on folds 1-4:", tuple(round(float(x), 3) for x in w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
