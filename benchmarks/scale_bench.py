"""Whole-linkage time and peak memory at scale, and which blocking rules make the pairs.

Usage: python benchmarks/scale_bench.py [--scenario large] [--persons N] [--seed 1]
                                        [--given-exponent X] [--surname-exponent Y]
                                        [--backend duckdb|spark] [--folder DIR]
                                        [--no-link] [--no-rules] [--sample 0.05]

1. Simulates the scenario (SYNTHETIC; ``--given-exponent``/``--surname-exponent`` override
   the population's name concentration, see ``PROFILE_RANGES`` in
   :mod:`dadkhah.simulate.profiles`: higher means more namesakes), writes its lists and
   imports them into a new case in ``--folder`` (kept and reused when given: the same case
   can be linked again with another backend).
2. Links the case as ``dadkhah link`` does (:func:`dadkhah.linkage.link_case`: features,
   training, prediction, clustering, writing the register) in a fresh child process, so
   that its peak memory (``ru_maxrss``: DuckDB runs in the process; Spark's JVM is counted
   as the child's children) is the linkage's alone, not the simulator's.
3. Counts the pairs each blocking rule admits on the same records: exactly, rule by rule
   (a group-by: the sum over key values of k·(k−1)/2), with the largest block; and splink's
   marginal and cumulative counts (``count_comparisons_from_blocking_rules``, estimated
   from a ``--sample`` share of records on each side, 1.0 for exact), so that a rule that
   explodes when common names are very common shows.

The load average is printed beside each time, and the CPU time beside the wall time: on a
shared machine the wall time measures the neighbours too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dadkhah.linkage.blocking import CAP, mark_dense_blocks, rule_sql


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def prepare(folder: Path, scenario: str, persons: int | None, seed: int,
            given_exponent: float | None, surname_exponent: float | None) -> Path:
    """Simulate, write and import into ``folder``/case, unless already there."""
    from dadkhah.simulate import scenario_config, simulate, write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists

    case_dir = folder / "case"
    if (folder / "done").exists():
        print(f"reusing the case in {case_dir}")
        return case_dir
    cfg = scenario_config(scenario, persons=persons)
    overrides = {k: v for k, v in (("given_exponent", given_exponent),
                                   ("surname_exponent", surname_exponent)) if v is not None}
    if overrides:
        cfg = cfg.with_(**overrides)
    t = time.perf_counter()
    sim = simulate(cfg, seed=seed, scenario=scenario)
    man = write_simulation(sim, folder / "lists")
    t_sim = time.perf_counter() - t
    case = Case.create(case_dir, by="bench")
    import_lists(case, folder / "lists", man, by="bench")
    (folder / "done").write_text(json.dumps({"scenario": scenario, "persons": cfg.persons,
                                             "seed": seed, **overrides}))
    print(f"scenario {scenario} (SYNTHETIC), {cfg.persons:,} persons, seed {seed}"
          + "".join(f", {k} {v}" for k, v in overrides.items())
          + f": simulated and written in {t_sim:.0f}s, imported in "
          f"{time.perf_counter() - t - t_sim:.0f}s ({_load()})", flush=True)
    return case_dir


def _descendants_peak_mb() -> float:
    """Summed peak resident memory (VmHWM) of this process's live descendants, e.g. Spark's
    JVM, which is still running when the linkage returns (so ``RUSAGE_CHILDREN``, which
    counts only children waited for, misses it).  Linux ``/proc`` only; 0 elsewhere."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    mine, total = {os.getpid()}, 0.0
    changed = True
    while changed:
        new = {p for p, pp in parent.items() if pp in mine and p not in mine}
        mine |= new
        changed = bool(new)
    for pid in mine - {os.getpid()}:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def link_child(case_dir: Path, backend: str) -> None:
    """Run in a child process: link the case, print one JSON line with time and memory."""
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.store import Case

    case = Case.open(case_dir)
    load0 = os.getloadavg()
    t = time.perf_counter()
    report = link_case(case, backend=backend, by="bench")
    seconds = time.perf_counter() - t
    me = resource.getrusage(resource.RUSAGE_SELF)
    self_mb = me.ru_maxrss / 1024
    child_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                   _descendants_peak_mb())
    print(json.dumps({"seconds": seconds, "cpu_seconds": me.ru_utime + me.ru_stime,
                      "peak_mb": self_mb, "children_peak_mb": child_mb,
                      "load_before": load0, "load_after": os.getloadavg(),
                      "summary": report.summary()}))


def measure_link(case_dir: Path, backend: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--link-child", str(case_dir), "--backend", backend]
    out = subprocess.run(cmd, check=False, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")})
    if out.returncode:
        # the child's own error (a case needing `dadkhah upgrade`, say), not only its exit code
        sys.exit(f"the link child failed (exit {out.returncode}):\n{out.stderr.strip()}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _key_text(value: object) -> str:
    parts = value if isinstance(value, tuple) else (value,)
    return " / ".join(str(p) for p in parts)[:40]


def rule_pairs(features: pd.DataFrame, key: tuple[str, ...]) -> tuple[int, int, str]:
    """Pairs a blocking rule admits alone (exact), its largest block and that block's key.

    ``a>b`` items (left's a equals right's b) count the pairs across the two columns'
    equal values, which splink keeps once per unordered pair; a ``?col`` item (one of the
    two lacks col) counts the block's pairs less those where both have col (the largest
    block is then reported as its number of such pairs)."""
    if CAP in key:  # the pairs a dense block's guard lets through: counted by DuckDB
        plain = [k for k in key if k != CAP]
        sizes = features.dropna(subset=plain).groupby(plain).size()
        con = duckdb.connect()
        con.register("f", features)
        n = con.execute(f"SELECT count(*) FROM f l JOIN f r ON {rule_sql(key)} "
                        "AND l.unique_id < r.unique_id").fetchone()
        top = _key_text(sizes.idxmax()) if len(sizes) else ""
        return int(n[0]) if n else 0, int(sizes.max()) if len(sizes) else 0, top
    unknown = [k[1:] for k in key if k.startswith("?")]
    plain = [k for k in key if ">" not in k and not k.startswith("?")]
    cross = [k.split(">") for k in key if ">" in k]
    if unknown:
        # ``?col``: at least one of the two lacks col — all pairs of the block, less those
        # where both have it
        (col,) = unknown
        grouped = features.dropna(subset=plain).groupby(plain)
        n = grouped.size()
        known = grouped[col].count()
        per = n * (n - 1) // 2 - known * (known - 1) // 2
        top = _key_text(per.idxmax()) if len(per) else ""
        return int(per.sum()), int(per.max()) if len(per) else 0, top
    if not cross:
        sizes = features.dropna(subset=plain).groupby(plain).size()
        pairs = int((sizes * (sizes - 1) // 2).sum())
        top = _key_text(sizes.idxmax()) if len(sizes) else ""
        return pairs, int(sizes.max()) if len(sizes) else 0, top
    (a, b), = cross  # the rules have one swapped pair
    left = features.dropna(subset=[*plain, a]).groupby([*plain, a]).size()
    right = features.dropna(subset=[*plain, b]).groupby([*plain, b]).size()
    right.index = right.index.set_names(left.index.names)
    both = left.to_frame("l").join(right.rename("r"), how="inner")
    # ordered (x, y) pairs; splink keeps those with the smaller id on the left: about half
    prod = both.l * both.r // 2
    top = _key_text(prod.idxmax()) if len(prod) else ""
    return int(prod.sum()), int(prod.max()) if len(prod) else 0, top


def rule_table(case_dir: Path, sample: float) -> pd.DataFrame:
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.settings import BLOCKING_KEYS, BLOCKING_RULES
    from dadkhah.register import linkage_input
    from dadkhah.store import Case

    t = time.perf_counter()
    feats = mark_dense_blocks(compute_features(linkage_input(Case.open(case_dir)).records),
                              BLOCKING_KEYS)
    n = len(feats)
    rows = []
    for key in BLOCKING_KEYS:
        pairs, block, top = rule_pairs(feats, key)
        rows.append({"rule": " & ".join(key), "pairs_alone": pairs,
                     "per_record": pairs / n, "largest_block": block, "its_key": top})
    df = pd.DataFrame(rows)
    db = DuckDBAPI()
    sdf = db.register(feats, dataset_display_name="records")
    with warnings.catch_warnings():  # "estimate based on few sampled pairs": said below
        warnings.simplefilter("ignore", UserWarning)
        recs = count_comparisons_from_blocking_rules(
            sdf, blocking_rules=list(BLOCKING_RULES), link_type="dedupe_only",
            record_sample_proportion=sample)
    df["splink_marginal"] = [int(r["marginal_comparison_count"]) for r in recs]
    df["splink_cumulative"] = [int(r["cumulative_comparison_count"]) for r in recs]
    print(f"blocking analysis of {n:,} records in {time.perf_counter() - t:.0f}s "
          f"(splink counts from a {sample:g} sample of records on each side)", flush=True)
    return df


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="large")
    ap.add_argument("--persons", type=int, help="persons simulated (default: the scenario's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--given-exponent", type=float,
                    help="name concentration of given names (profiles: 0.8–1.8)")
    ap.add_argument("--surname-exponent", type=float,
                    help="name concentration of surnames (profiles: 0.8–1.6)")
    ap.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
    ap.add_argument("--folder", type=Path, help="keep (and reuse) the case here")
    ap.add_argument("--no-link", action="store_true", help="only the blocking analysis")
    ap.add_argument("--no-rules", action="store_true", help="skip the blocking analysis")
    ap.add_argument("--sample", type=float, default=0.05,
                    help="share of records per side for splink's rule counts (1.0: exact)")
    ap.add_argument("--link-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.link_child:
        link_child(args.link_child, args.backend)
        return
    import tempfile

    tmp = None if args.folder else tempfile.TemporaryDirectory(prefix="dadkhah-scale-")
    folder = args.folder or Path(tmp.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    case_dir = prepare(folder, args.scenario, args.persons, args.seed, args.given_exponent,
                       args.surname_exponent)
    if not args.no_link:
        print(f"linking ({args.backend}) in a child process, {_load()}", flush=True)
        r = measure_link(case_dir, args.backend)
        print(r["summary"])
        truth_file = folder / "lists" / "SYNTHETIC-truth.csv"
        if truth_file.exists():
            from dadkhah.linkage import evaluate_case, read_truth
            from dadkhah.store import Case

            ev = evaluate_case(Case.open(case_dir), read_truth(truth_file))
            print("quality against the simulation's truth: " + ev.summary().replace("\n", "; "),
                  flush=True)
        print(f"whole linkage ({args.backend}): {r['seconds']:.0f}s wall, "
              f"{r['cpu_seconds']:.0f}s CPU in the Python process (with DuckDB's threads; not "
              f"Spark's JVM), peak memory "
              f"{r['peak_mb']:,.0f} MB (its children, e.g. Spark's JVM: "
              f"{r['children_peak_mb']:,.0f} MB); load average before "
              f"{r['load_before'][0]:.1f}, after {r['load_after'][0]:.1f} (2 cores)",
              flush=True)
    if not args.no_rules:
        df = rule_table(case_dir, args.sample)
        with pd.option_context("display.width", 200, "display.max_colwidth", 40):
            print(df.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
        worst = df.loc[df.pairs_alone.idxmax()]
        print(f"most pairs: {worst.rule} ({worst.pairs_alone:,} alone, "
              f"{worst.per_record:.1f} per record; largest block {worst.largest_block:,})")


if __name__ == "__main__":
    main()
