"""Where one noise profile's pairwise F1 is lost: precision or recall, which records, which rule
(SYNTHETIC).

Usage: python benchmarks/profile_diagnosis.py SEED [SEED ...] [--persons 3000]
                                              [--cache DIR] [--show 10]

For each profile seed (tuning 1-20, held-out 1001-1020 or an already-seen fresh seed: the
script looks at the truth, so never a seed kept for final figures): simulate, import and link
as ``benchmarks/linkage_bench.py`` does (``link_features``, no decisions), then

- false pairs (two records of different persons in one register person), by how the two
  records are named (full name, given name only, surname only) and whether their name keys
  are equal (namesakes), their surnames and fathers equal (siblings), ...;
- missed pairs (two records of one person in different register persons), by record kinds
  and by why (not blocked, below the floor, below the threshold with the comparison that
  pulled it down most, names not linkable, refused by a clustering rule);
- recall by pair of lists.

``--cache DIR`` keeps each profile's records, truth and scored pairs, so that a clustering
change is measured again without simulating, importing or scoring.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

KEPT_BACK = range(3252, 10**6)


def _kind(f: pd.DataFrame, i: int) -> str:
    g, s = pd.notna(f.given_key[i]), pd.notna(f.surname_key[i])
    return "full" if g and s else "given-only" if g else "surname-only" if s else "no name"


def _false_kind(f: pd.DataFrame, a: int, b: int) -> str:
    ka, kb = _kind(f, a), _kind(f, b)
    kinds = "+".join(sorted((ka, kb)))
    if ka == kb == "full":
        same_s = f.surname_key[a] == f.surname_key[b]
        same_g = f.given_key[a] == f.given_key[b]
        fa, fb = f.father_key[a], f.father_key[b]
        if same_s and same_g:
            tag = "namesakes (keys equal)"
        elif same_s and pd.notna(fa) and fa == fb:
            tag = "siblings (surname+father)"
        elif same_s:
            tag = "surname equal, given differs"
        elif same_g:
            tag = "given equal, surname differs"
        else:
            tag = "both differ"
        return f"{kinds}: {tag}"
    return kinds


def analyse(seed: int, persons: int, cache: Path | None, show: int) -> dict:
    from linkage_misses import simulated_records
    from probe_misses import why_apart  # the same classification as the second probe's

    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.run import link_features
    from dadkhah.simulate import draw_profile

    if seed in KEPT_BACK:
        raise SystemExit(f"seed {seed} is kept for final figures: not looked at")
    records, truth, src = simulated_records(seed, persons, cache)
    feats = compute_features(records)
    res = link_features(feats)
    asg = res.clusters.assignment
    ev = evaluate_clusters(asg, truth)
    f = feats.set_index("unique_id")
    t = truth.reindex(asg.index)
    print(draw_profile(seed).summary())
    print(f"  {len(f):,} records; P {ev.pairwise_precision:.4f} R {ev.pairwise_recall:.4f} "
          f"F1 {ev.pairwise_f1:.4f}; persons {ev.clusters} vs {ev.true_persons} "
          f"({100 * (ev.clusters - ev.true_persons) / ev.true_persons:+.1f}%); prior "
          f"{res.prior:.3g}; true pairs {ev.true_pairs:,}, predicted {ev.predicted_pairs:,}")
    kinds = pd.Series([_kind(f, i) for i in f.index], index=f.index)
    print("  records by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.value_counts().items()))
    print("  records by list: " + ", ".join(f"{k} {v}" for k, v in src.reindex(f.index)
                                            .value_counts().items()))
    for n in res.notes:
        print(f"  note: {n}")
    # false pairs
    df = pd.DataFrame({"id": asg.index, "c": asg.to_numpy(), "p": t.to_numpy()})
    pr = df.merge(df, on="c")
    pr = pr[(pr.id_x < pr.id_y) & (pr.p_x != pr.p_y)]
    false_kinds = Counter(_false_kind(f, a, b) for a, b in zip(pr.id_x, pr.id_y, strict=True))
    print(f"  false pairs {len(pr):,} in {pr.c.nunique()} clusters:")
    for k, n in false_kinds.most_common():
        print(f"    {k:55} {n}")
    # missed pairs
    tp = df.merge(df, on="p")
    tp = tp[(tp.id_x < tp.id_y) & (tp.c_x != tp.c_y)]
    pairs = pd.DataFrame({"id_l": tp.id_x.to_numpy(), "id_r": tp.id_y.to_numpy()})
    rows = []
    for lo, hi, cls, _blk, p, worst, _weight in why_apart(res, feats, pairs):
        rows.append({"id_l": lo, "id_r": hi, "class": cls, "p": p, "worst": worst,
                     "kinds": "+".join(sorted((kinds[lo], kinds[hi]))),
                     "lists": "+".join(sorted((src[lo], src[hi])))})
    miss = pd.DataFrame(rows)
    print(f"  missed pairs {len(miss):,} ({tp.p.nunique()} persons split):")
    if len(miss):
        for (k, c), n in miss.groupby(["kinds", "class"]).size().sort_values(
                ascending=False).items():
            if n >= 5:
                print(f"    {k:28} {c:32} {n}")
        low = miss[miss["class"] == "below threshold"]
        print("  below threshold, most negative comparison: " + ", ".join(
            f"{k} {v}" for k, v in Counter(low.worst).most_common(8)))
        print("  missed by lists: " + ", ".join(
            f"{k} {v}" for k, v in miss.lists.value_counts().head(10).items()))
    print("  refusals (all scored edges): " + ", ".join(
        f"{k} {v}" for k, v in res.clusters.refusal_counts().items()))
    if show:
        cols = ("full_name", "given_names", "surname", "father_name", "birth_date", "age",
                "death_date", "prison", "city")
        raw = records.set_index("unique_id")

        def desc(i: int) -> str:
            r, k = raw.loc[i], f.loc[i]
            text = "; ".join(f"{c}={r[c]}" for c in cols
                             if c in r and isinstance(r[c], str) and r[c].strip())
            return (f"{src[i]}: {text}  [{k.given_key}/{k.surname_key}/{k.father_key} "
                    f"b{k.birth_lo}-{k.birth_hi} d{k.death_lo}-{k.death_hi} {k.prison_id} "
                    f"{k.city_id}] person {truth[i]} cluster {asg[i]}")
        for cls, g in miss.groupby("class"):
            print(f"\n== missed: {cls} ({len(g)})")
            for r in g.head(show).itertuples():
                extra = f" p={r.p:.3f} worst {r.worst}" if r.p == r.p else ""
                print(f"  [{r.kinds}]{extra}\n    {desc(r.id_l)}\n    {desc(r.id_r)}")
        print(f"\n== false pairs ({len(pr)})")
        scored = res.pairs.set_index(["unique_id_l", "unique_id_r"])
        for r in pr.head(show).itertuples():
            p = scored.match_probability.get((r.id_x, r.id_y), np.nan)
            print(f"  p={p:.3f}\n    {desc(r.id_x)}\n    {desc(r.id_y)}")
    return {"seed": seed, "F1": ev.pairwise_f1, "P": ev.pairwise_precision,
            "R": ev.pairwise_recall, "false": len(pr), "missed": len(miss),
            "diff": (ev.clusters - ev.true_persons) / ev.true_persons}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seeds", nargs="+", type=int)
    ap.add_argument("--persons", type=int, default=3000)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    rows = [analyse(s, args.persons, args.cache, args.show) for s in args.seeds]
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.4f}"))


if __name__ == "__main__":
    main()
