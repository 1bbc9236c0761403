"""Column detection on list headers it was not tuned on (issue 15, part 5).

The headers come from ``tests/ingest/header_lists.py``, a generator written independently
of the synonym table: Persian, Persian typed on an Arabic keyboard, English, French and
mixed lists, with typing variations.  Its phrases are split by a fixed hash rule into a
tuning set (the only one the detector was tuned on) and a held-out set; a second ("fresh")
and a third ("final") held-out set were written later, each after the previous measurement
and before the detector was run on it (the history is in tests/ingest/test_header_detection.py).

Prints, per split, the share of lists whose every name, date and place column is mapped to
its meaning (and no other column to a name, date or place field), the share of single
phrases read right, the share of lists with a choice flagged as unsure, and the worst misses.

    PYTHONPATH=src python benchmarks/header_detection.py [--lists 1000] [--seeds 3]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ingest.header_lists import generate_lists, phrases, score  # noqa: E402

from dadkhah.ingest import detect_mapping  # noqa: E402
from dadkhah.ingest.mapping import classify_header  # noqa: E402


def _phrase_share(split: str) -> tuple[int, int, list[str]]:
    ok, n, wrong = 0, 0, []
    for fld, ps in phrases(split).items():
        for _, p in ps:
            got = classify_header(p)[0] or ""
            n += 1
            # a bare name is read from the other columns; alone it is right for a name field
            if got == fld or (got == "bare_name" and fld in ("full_name", "given_names",
                                                             "surname")):
                ok += 1
            else:
                wrong.append(f"{p!r}: want {fld or 'nothing'}, got {got or 'nothing'}")
    return ok, n, wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lists", type=int, default=1000)
    ap.add_argument("--seeds", type=int, default=3)
    a = ap.parse_args()
    for split in ("tuning", "held_out", "fresh", "final"):
        shares, unsure, misses = [], 0, Counter()
        for seed in range(a.seeds):
            lists = generate_lists(split, a.lists, seed=seed)
            share, miss = score(lists, detect_mapping)
            shares.append(share)
            misses.update(m[1] for m in miss)
            unsure += sum(bool(detect_mapping(gl.header).unsure) for gl in lists)
        ok, n, wrong = _phrase_share(split)
        print(f"{split:9} lists fully right: " + ", ".join(f"{s:.4f}" for s in shares)
              + f" ({a.lists} lists x {a.seeds} seeds); phrases right {ok}/{n}; "
              f"lists with an unsure flag {unsure / (a.lists * a.seeds):.3f}")
        for w in wrong:
            print(f"    phrase {w}")
        for m, k in misses.most_common(10):
            print(f"    {k} x {m}")


if __name__ == "__main__":
    main()
