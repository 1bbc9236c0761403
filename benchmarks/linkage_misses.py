"""Why true pairs end up in different persons, on tuning noise profiles (SYNTHETIC).

Usage: python benchmarks/linkage_misses.py [--profiles 20] [--persons 3000]
                                           [--cache DIR] [--show 15] [--split tuning]

For each profile: simulate, import, compute features, link as ``link_features`` does;
then every true pair whose records are in different clusters is classified as

- ``not compared``: no blocking rule admits it (with the kind of name variation: see
  :func:`_name_kind`);
- ``scored low``: compared, but its match probability is below the threshold (with the
  comparison that pulled it down most);
- ``clustered apart``: scored at or above the threshold, yet the clustering left the two
  records apart.

Prints counts per class and kind, overall blocking recall, candidate pairs scored, and a
few examples of each class (the records' raw names beside their keys).  With ``--cache``
the simulated records and truth are kept, so a change to features or settings is measured
again without simulating and importing.
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd


def simulated_records(seed: int, persons: int, cache: Path | None
                      ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(linkage records, true person per record, source name per record) of the noise
    profile ``seed`` simulated with ``persons`` and imported into a throw-away case, kept in
    ``cache`` when given.  Also used by ``profile_diagnosis.py``."""
    from dadkhah.register import linkage_input, record_sources
    from dadkhah.simulate import draw_profile, simulate, write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    path = cache / f"{seed}-{persons}.records.pkl" if cache else None
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    sim = simulate(draw_profile(seed).config(persons), seed=seed, scenario=str(seed))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        man = write_simulation(sim, folder / "lists")
        case = Case.create(folder / "case", by="bench")
        import_lists(case, folder / "lists", man, by="bench")
        truth = record_truth(case, folder / "lists")
        records = linkage_input(case).records
        src = record_sources(case).set_index("id").source
    out = (records, truth, src)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(out))
    return out


def _name_kind(a: pd.Series, b: pd.Series) -> str:
    """A rough class of how two records' names differ (features of both)."""
    g = a.given_key == b.given_key and pd.notna(a.given_key)
    s = a.surname_key == b.surname_key and pd.notna(a.surname_key)
    if pd.isna(a.given_key) or pd.isna(b.given_key):
        return "given name missing" + (", surname equal" if s else "")
    if pd.isna(a.surname_key) or pd.isna(b.surname_key):
        return "surname missing" + (", given equal" if g else "")
    if g and s:
        return "both keys equal"
    if a.given_key == b.surname_key and a.surname_key == b.given_key:
        return "swapped"
    if s:
        ga, gb = str(a.given_key), str(b.given_key)
        if ga.startswith(gb) or gb.startswith(ga):
            return "surname equal, given prefix"
        if set(ga.split()) & set(gb.split()):
            return "surname equal, given shares a word"
        return "surname equal, given differs"
    if g:
        sa, sb = str(a.surname_key), str(b.surname_key)
        if sa.startswith(sb) or sb.startswith(sa):
            return "given equal, surname prefix/suffix"
        return "given equal, surname differs"
    return "both differ"


def analyse(seed: int, persons: int, cache: Path | None, show: int) -> dict:
    from dadkhah.linkage.evaluate import blocking_recall, evaluate_clusters, true_pairs
    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.run import link_features
    from dadkhah.linkage.settings import BLOCKING_KEYS

    records, truth, _ = simulated_records(seed, persons, cache)
    t = time.perf_counter()
    feats = compute_features(records)
    res = link_features(feats)
    secs = time.perf_counter() - t
    ev = evaluate_clusters(res.clusters.assignment, truth)
    br = blocking_recall(feats, truth, BLOCKING_KEYS)
    tp = true_pairs(truth)
    asg = res.clusters.assignment
    apart = tp[asg.reindex(tp.id_l).to_numpy() != asg.reindex(tp.id_r).to_numpy()]
    pairs = res.pairs.set_index(["unique_id_l", "unique_id_r"])
    f = feats.set_index("unique_id")
    raw = records.set_index("unique_id")
    mw = [c for c in res.pairs.columns if c.startswith("mw_")]
    classes: Counter = Counter()
    kinds: Counter = Counter()
    low_by: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for a, b in zip(apart.id_l, apart.id_r, strict=True):
        lo, hi = min(a, b), max(a, b)
        kind = _name_kind(f.loc[lo], f.loc[hi])
        if (lo, hi) not in pairs.index:
            cls = "not compared"
        else:
            row = pairs.loc[(lo, hi)]
            if row.match_probability < res.threshold:
                cls = "scored low"
                worst = min(mw, key=lambda c: row[c])
                low_by[f"{worst} ({row[worst]:+.0f})"] += 1
            else:
                cls = "clustered apart"
        classes[cls] += 1
        kinds[(cls, kind)] += 1
        ex = examples.setdefault(cls, [])
        if len(ex) < show:
            def desc(i: int) -> str:
                r, k = raw.loc[i], f.loc[i]
                name = " | ".join(str(r.get(c)) for c in ("full_name", "given_names",
                                                           "surname", "father_name")
                                  if isinstance(r.get(c), str) and r.get(c).strip())
                return (f"{name} [{k.given_key}/{k.surname_key}/{k.father_key} b{k.birth_lo}-"
                        f"{k.birth_hi} d{k.death_lo} {k.prison_id} {k.city_id} "
                        f"{k.source_id}]")
            extra = ""
            if cls != "not compared":
                row = pairs.loc[(lo, hi)]
                extra = (f" p={row.match_probability:.2f} " +
                         " ".join(f"{c[3:]}{row[c]:+.1f}" for c in mw if abs(row[c]) > 0.05))
            ex.append(f"  [{kind}]{extra}\n    {desc(lo)}\n    {desc(hi)}")
    print(f"profile {seed}: {len(feats):,} records, {len(res.pairs):,} scored pairs "
          f"(p>=0.01), F1 {ev.pairwise_f1:.4f} (P {ev.pairwise_precision:.4f} R "
          f"{ev.pairwise_recall:.4f}), persons {ev.clusters} vs {ev.true_persons} "
          f"({100 * (ev.clusters - ev.true_persons) / ev.true_persons:+.1f}%), blocking "
          f"recall {br['all rules']:.4f}; true pairs apart {len(apart):,} of {len(tp):,}: "
          + ", ".join(f"{k} {v}" for k, v in classes.items()) + f" ({secs:.0f}s)",
          flush=True)
    return {"seed": seed, "F1": ev.pairwise_f1, "P": ev.pairwise_precision,
            "R": ev.pairwise_recall, "diff": (ev.clusters - ev.true_persons) / ev.true_persons,
            "recall": br["all rules"], "scored": len(res.pairs), "true_pairs": len(tp),
            "classes": classes, "kinds": kinds, "low_by": low_by, "examples": examples}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--persons", type=int, default=3000)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    if args.first >= 1001:
        raise SystemExit("this script looks inside the pairs: run it on tuning seeds only")
    rows = [analyse(s, args.persons, args.cache, args.show)
            for s in range(args.first, args.first + args.profiles)]
    classes: Counter = Counter()
    kinds: Counter = Counter()
    low: Counter = Counter()
    for r in rows:
        classes += r["classes"]
        kinds += r["kinds"]
        low += r["low_by"]
    df = pd.DataFrame([{k: r[k] for k in ("seed", "F1", "P", "R", "diff", "recall",
                                          "scored", "true_pairs")} for r in rows])
    print(df.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    print(f"mean F1 {df.F1.mean():.4f} (P {df.P.mean():.4f} R {df.R.mean():.4f}), worst "
          f"{df.F1.min():.4f} (profile {int(df.loc[df.F1.idxmin(), 'seed'])}); persons "
          f"{100 * df['diff'].mean():+.1f}% (worst {100 * df['diff'].abs().max():.1f}%); "
          f"blocking recall mean {df.recall.mean():.4f} (worst {df.recall.min():.4f}); "
          f"scored pairs {int(df.scored.sum()):,}")
    print("true pairs apart:", dict(classes))
    for (cls, kind), n in sorted(kinds.items(), key=lambda x: -x[1]):
        print(f"  {cls:16} {kind:40} {n}")
    print("scored low, most negative comparison:")
    for k, n in low.most_common(15):
        print(f"  {k:40} {n}")
    if args.show:
        for r in rows:
            for cls, ex in r["examples"].items():
                print(f"\n== profile {r['seed']}: {cls}")
                print("\n".join(ex))
    _ = np


if __name__ == "__main__":
    main()
