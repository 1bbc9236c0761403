#!/usr/bin/env python3
"""Train the romanisation model (``src/dadkhah/names/data/romanize_model.crfsuite``).

Usage::

    PYTHONPATH=src python scripts/build_romanize_model.py

The model (:mod:`dadkhah.names.romanize_model`, a character CRF) is trained on the words
of the packaged name lexicon (:func:`dadkhah.names.load_name_lexicon`) outside the
held-out fold (:func:`dadkhah.names.lexicon.heldout_fold` ≠ 0), so that
``benchmarks/transliteration_bench.py`` measures it on names it never saw.  Training is
deterministic (CRFsuite's L-BFGS) and takes seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dadkhah.names.lexicon import heldout_fold, load_name_lexicon
from dadkhah.names.romanize_model import train_romanize_model, training_pairs

OUT = Path(__file__).resolve().parents[1] / "src" / "dadkhah" / "names" / "data" / \
    "romanize_model"


def main() -> int:
    lex = load_name_lexicon()
    # the Latin in the press convention (romanize_model.press_style: Qasem → Ghasem)
    pairs = training_pairs(e for e in lex.entries if heldout_fold(e.persian) != 0)
    t = time.perf_counter()
    used, skipped = train_romanize_model(pairs, OUT)
    size = sum(p.stat().st_size for p in OUT.parent.glob(OUT.name + ".*.crfsuite"))
    print(f"trained on {used} words ({skipped} not aligned) in "
          f"{time.perf_counter() - t:.1f} s -> {OUT}.{{core,vowel}}.crfsuite "
          f"({size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
