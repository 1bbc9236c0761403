"""Is a candidate blocking rule worth its pairs?  Quality with and without it on profiles.

Usage: python benchmarks/blocking_rule_bench.py --profiles 6-10 [--split tuning]
                                                [--persons 3000] [--variants base,lq,skel]
       python benchmarks/blocking_rule_bench.py --features F.parquet --variants base,lq,skel

For each SYNTHETIC noise profile (tuning profiles: tune on these only) the records are
simulated, imported and their features computed once; then, for each variant (the
current :data:`~dadkhah.linkage.settings.BLOCKING_KEYS` plus the variant's extra rules):
blocking recall of true pairs, candidate pairs (distinct, as linkage makes them), and the
link (``link_features``, no decisions): pairwise P/R/F1, persons vs truly named, clusters
mixing siblings.  Then per variant the mean and the worst profile.

With ``--features``: a stored features table (e.g. a scale case's), no truth: the pairs
each extra rule admits alone and those no other rule admits (its marginal pairs), and the
CPU seconds its joins take.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from dadkhah.linkage import settings
from dadkhah.linkage.blocking import (
    CAP,
    mark_dense_blocks,
    pairs_sql,
    rule_sql,
)

EXTRA: dict[str, list[tuple[str, ...]]] = {
    "base": [],
    "lq": [("given_lq", "surname_lq", "region_id")],
    "skel": [("given_skel", "region_id", "birth_lo", CAP)],
}
EXTRA["lqcap"] = [(*EXTRA["lq"][0], CAP)]  # the same on lists of a few thousand records
EXTRA["both"] = EXTRA["lq"] + EXTRA["skel"]
BASE = list(settings.BLOCKING_KEYS)


def use(variant: str) -> list[tuple[str, ...]]:
    """Set the module's rules (in place: defaults elsewhere hold the same lists)."""
    keys = [k for k in BASE if k not in EXTRA[variant]] + EXTRA[variant]
    settings.BLOCKING_KEYS[:] = keys
    settings.BLOCKING_RULES[:] = [rule_sql(k) for k in keys]
    return keys


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def candidate_pairs(features: pd.DataFrame, keys: list[tuple[str, ...]]) -> int:
    f = mark_dense_blocks(features, keys)
    con = duckdb.connect()
    con.register("records", f)
    ((n,),) = con.execute(f"SELECT count(*) FROM ({pairs_sql(keys, 'records')})").fetchall()
    return int(n)


def profiles_run(seeds: list[int], split: str, persons: int, variants: list[str]) -> None:
    from dadkhah.linkage.evaluate import blocking_recall, clustering_failures, evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.run import link_features
    from dadkhah.register import linkage_input
    from dadkhah.simulate import draw_profile, profiles, simulate, write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    if split == "tuning":
        chosen = [p for p in profiles(max(seeds), "tuning") if p.seed in seeds]
    else:
        chosen = [draw_profile(s) for s in seeds]
    rows = []
    for p in chosen:
        print(p.summary(), flush=True)
        sim = simulate(p.config(persons), seed=p.seed, scenario=str(p.seed))
        with tempfile.TemporaryDirectory() as tmp:
            lists = Path(tmp) / "lists"
            man = write_simulation(sim, lists)
            case = Case.create(Path(tmp) / "case", by="bench")
            import_lists(case, lists, man, by="bench")
            truth = record_truth(case, lists)
            feats = compute_features(linkage_input(case).records)
        for v in variants:
            keys = use(v)
            br = blocking_recall(feats, truth, keys)["all rules"]
            n_pairs = candidate_pairs(feats, keys)
            c0, t0 = cpu(), time.perf_counter()
            res = link_features(feats)
            c1, t1 = cpu(), time.perf_counter()
            ev = evaluate_clusters(res.clusters.assignment, truth)
            fails = clustering_failures(feats, res.clusters.assignment, truth, res.pairs,
                                        threshold=res.threshold)
            row = {"profile": p.seed, "variant": v, "records": ev.records,
                   "block_recall": br, "pairs": n_pairs, "P": ev.pairwise_precision,
                   "R": ev.pairwise_recall, "F1": ev.pairwise_f1,
                   "persons_%": 100 * (ev.clusters - ev.true_persons) / ev.true_persons,
                   "mixed": fails.clusters_mixed, "siblings": fails.mixed_siblings,
                   "split": fails.persons_split, "cpu_s": c1 - c0, "wall_s": t1 - t0}
            rows.append(row)
            print("  " + "  ".join(f"{k} {x:.4f}" if isinstance(x, float) else f"{k} {x}"
                                   for k, x in row.items()), flush=True)
    df = pd.DataFrame(rows)
    print(f"\n{split} profiles {seeds}, {persons:,} persons each (SYNTHETIC):")
    print(df.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    out = []
    for v, g in df.groupby("variant", sort=False):
        w = g.loc[g.F1.idxmin()]
        out.append({"variant": v, "block_recall": g.block_recall.mean(),
                    "min_block_recall": g.block_recall.min(), "pairs": g.pairs.sum(),
                    "P": g.P.mean(), "R": g.R.mean(), "F1": g.F1.mean(),
                    "worst_F1": w.F1, "worst": w.profile,
                    "persons_%": g["persons_%"].mean(), "mixed": g.mixed.sum(),
                    "siblings": g.siblings.sum(), "split": g.split.sum(),
                    "cpu_s": g.cpu_s.sum()})
    print(pd.DataFrame(out).to_string(index=False, float_format=lambda x: f"{x:.4f}"))


def case_features(case_dir: Path, cache: Path) -> pd.DataFrame:
    """The linkage features of a case (read only), kept in ``cache``."""
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_input
    from dadkhah.store import Case

    if not cache.exists():
        c0 = cpu()
        compute_features(linkage_input(Case.open(case_dir)).records).to_parquet(cache)
        print(f"features in {cpu() - c0:.0f}s CPU", flush=True)
    return pd.read_parquet(cache)


def link_case_run(case_dir: Path, variant: str) -> None:
    """Link a case (a copy: it is written) as ``dadkhah link`` does, with ``variant``."""
    import os

    from dadkhah.linkage.pipeline import link_case
    from dadkhah.store import Case

    use(variant)
    load0 = os.getloadavg()
    c0, t0 = cpu(), time.perf_counter()
    report = link_case(Case.open(case_dir), by="bench")
    print(report.summary())
    print(f"variant {variant}: whole linkage {time.perf_counter() - t0:.0f}s wall, "
          f"{cpu() - c0:.0f}s CPU; load before {load0[0]:.1f}, after "
          f"{os.getloadavg()[0]:.1f}", flush=True)


def features_run(path: Path, variants: list[str], case_dir: Path | None = None) -> None:
    """Pairs and join time of each extra rule on a stored features table (no truth)."""
    feats = case_features(case_dir, path) if case_dir else pd.read_parquet(path)
    keys = BASE + [k for v in variants for k in EXTRA.get(v, [])]
    f = mark_dense_blocks(feats, keys)
    print(f"{len(f):,} records from {path}", flush=True)
    con = duckdb.connect()
    con.register("records", f)
    none_before = " AND ".join(f"NOT coalesce(({rule_sql(k)}), false)" for k in BASE)
    for v in variants:
        for key in EXTRA.get(v, []):
            c0, t0 = cpu(), time.perf_counter()
            alone = sum(con.execute(
                f"SELECT count(*) FROM records l JOIN records r ON {c} "
                f"AND l.unique_id < r.unique_id").fetchall()[0][0]
                for c in [rule_sql(key)])
            c1, t1 = cpu(), time.perf_counter()
            new = sum(con.execute(
                f"SELECT count(*) FROM records l JOIN records r ON {c} "
                f"AND l.unique_id < r.unique_id WHERE {none_before}").fetchall()[0][0]
                for c in [rule_sql(key)])
            print(f"{' & '.join(key)}: {alone:,} pairs alone, {new:,} admitted by no other "
                  f"rule; its joins {c1 - c0:.1f}s CPU ({t1 - t0:.1f}s wall)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profiles", help="profile seeds, e.g. 6-10 or 6,10,14")
    ap.add_argument("--split", choices=("tuning", "seeds"), default="tuning")
    ap.add_argument("--persons", type=int, default=3000)
    ap.add_argument("--variants", default="base,lq,skel")
    ap.add_argument("--features", type=Path, help="features table (made from --case)")
    ap.add_argument("--case", type=Path, help="with --features: compute them from this case")
    ap.add_argument("--link-case", type=Path, help="link this case (a copy) with --variants")
    args = ap.parse_args()
    variants = args.variants.split(",")
    if args.link_case:
        link_case_run(args.link_case, variants[0])
        return
    if args.features:
        features_run(args.features, variants, args.case)
        return
    seeds: list[int] = []
    for part in args.profiles.split(","):
        a, _, b = part.partition("-")
        seeds.extend(range(int(a), int(b or a) + 1))
    profiles_run(seeds, args.split, args.persons, variants)


if __name__ == "__main__":
    main()
