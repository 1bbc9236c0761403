"""LCMCR sampler throughput and agreement with the R reference results.

    .venv/bin/python benchmarks/mse_bench.py                 # iterations/s per dataset
    .venv/bin/python benchmarks/mse_bench.py --numpy                 # numba vs numpy
    .venv/bin/python benchmarks/mse_bench.py --reference --seeds 8

Throughput: one chain at K=10, burn-in 10,000 then 10,000 draws thinned by 10 (110,000
Gibbs iterations), after a first call that compiles the numba kernel; printed beside the R
LCMCR 0.4.14 figures in ``lcmcr_timing.csv`` (seconds per 1,000 iterations, one core).

``--numpy`` times the same sweep written in vectorised numpy against the numba kernel (the
measurement behind the numba dependency).

``--reference`` runs the R reference configuration (4 chains of 10,000 burn-in, 10,000 draws
thinned by 10) with several master seeds and prints, per dataset, the spread of our pooled
median and interval ends across seeds (the Monte Carlo error) beside R's values, plus the
dga and log-linear reference rows (deterministic).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from dadkhah.estimate import DGA, LCMCR, CaptureHistories, LogLinear
from dadkhah.estimate._lcmcr_kernel import run_chain

HERE = Path(__file__).resolve().parent
CANDIDATES = [HERE.parent / ".." / "shared" / "data" / "mse",
              HERE.parent / "tests" / "data" / "mse"]
DATA = next(p for p in CANDIDATES if (p / "kosovo.csv").exists())
DATASETS = ["kosovo", "UKdat", "UKdat_5", "Ned", "Ned_5", "Western", "Artificial_3", "HIV",
            "hare", "spina_bifida"]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="") as fh:
        return list(csv.DictReader(fh))


def throughput(datasets: list[str], repeats: int) -> None:
    timing = {r["dataset"]: r for r in _rows("lcmcr_timing.csv")}
    print(f"{'dataset':<14}{'lists':>6}{'patterns':>9}{'it/s (ours)':>14}{'it/s (R)':>11}"
          f"{'ratio':>7}")
    h0 = CaptureHistories.from_csv(DATA / "kosovo.csv")
    run_chain(np.ascontiguousarray(h0.patterns), np.ascontiguousarray(h0.counts),
              10, 0.25, 0.25, 10, 10, 1, 1, -1)  # compile (or load the cache)
    for ds in datasets:
        h = CaptureHistories.from_csv(DATA / f"{ds}.csv")
        pat, cnt = np.ascontiguousarray(h.patterns), np.ascontiguousarray(h.counts)
        best = 0.0
        for r in range(repeats):
            t = time.perf_counter()
            run_chain(pat, cnt, 10, 0.25, 0.25, 10_000, 10_000, 10, 1 + r, -1)
            best = max(best, 110_000 / (time.perf_counter() - t))
        r_its = 1000 / float(timing[ds]["s_per_1000_iter"]) if ds in timing else float("nan")
        print(f"{ds:<14}{h.n_lists:>6}{h.patterns.shape[0]:>9}{best:>14,.0f}{r_its:>11,.0f}"
              f"{best / r_its:>7.2f}")


def numpy_sweeps(h: CaptureHistories, iters: int, seed: int = 1, k_len: int = 10) -> np.ndarray:
    """The same Gibbs sweep in vectorised numpy (over patterns), to measure what numba buys."""
    rng = np.random.default_rng(seed)
    x = h.patterns.astype(float)
    c = h.counts
    n = int(c.sum())
    lam = np.tile((x * c[:, None]).sum(0)[:, None] / n, (1, k_len))
    pi = np.full(k_len, 1.0 / k_len)
    alpha, m0, out = 1.0, np.zeros(k_len), np.empty(iters)
    for it in range(iters):
        w = pi * np.exp(x @ np.log(lam) + (1 - x) @ np.log1p(-lam))
        z = rng.multinomial(c, w / w.sum(1, keepdims=True))
        m = z.sum(0) + m0
        s = x.T @ z
        lam = rng.beta(1 + s, 1 + m - s)
        tail = m[::-1].cumsum()[::-1][1:]
        v = np.minimum(rng.beta(1 + m[:-1], alpha + tail), 1 - 1e-12)
        rest = np.concatenate([[1.0], np.cumprod(1 - v)])
        pi = np.concatenate([v, [1.0]]) * rest
        w0 = pi * np.prod(1 - lam, axis=0)
        p0 = min(w0.sum(), 1 - 1e-15)
        n0 = rng.negative_binomial(n, 1 - p0)
        m0 = rng.multinomial(n0, w0 / w0.sum())
        alpha = rng.gamma(0.25 + k_len - 1, 1 / (0.25 - np.log1p(-v).sum()))
        out[it] = n + n0
    return out


def numba_vs_numpy(datasets: list[str]) -> None:
    print(f"{'dataset':<14}{'numpy it/s':>12}{'numba it/s':>12}{'speed-up':>10}")
    for ds in datasets:
        h = CaptureHistories.from_csv(DATA / f"{ds}.csv")
        t = time.perf_counter()
        numpy_sweeps(h, 3000)
        np_its = 3000 / (time.perf_counter() - t)
        pat, cnt = np.ascontiguousarray(h.patterns), np.ascontiguousarray(h.counts)
        run_chain(pat, cnt, 10, 0.25, 0.25, 10, 10, 1, 1, -1)
        t = time.perf_counter()
        run_chain(pat, cnt, 10, 0.25, 0.25, 30_000, 1, 1, 1, -1)
        nb_its = 30_000 / (time.perf_counter() - t)
        print(f"{ds:<14}{np_its:>12,.0f}{nb_its:>12,.0f}{nb_its / np_its:>10.1f}")


def reference(datasets: list[str], seeds: int) -> None:
    ref = _rows("reference_results.csv")
    print("LCMCR, R reference configuration (4 chains, burn-in 10k, 10k draws, thin 10):")
    print(f"{'dataset':<14}{'R median':>10}{'ours (mean of seeds)':>22}{'sd over seeds':>15}"
          f"{'R low':>8}{'ours':>8}{'sd':>6}{'R high':>9}{'ours':>9}{'sd':>7}{'max R-hat':>10}")
    for ds in datasets:
        row = next((r for r in ref if r["dataset"] == ds and r["method"] == "LCMCR"), None)
        if row is None:
            continue
        h = CaptureHistories.from_csv(DATA / f"{ds}.csv")
        med, low, high, rh = [], [], [], []
        for s in range(seeds):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                e = LCMCR(seed=1000 + s).fit(h)
            med.append(e.total)
            low.append(e.interval.low)
            high.append(e.interval.high)
            rh.append(e.diagnostics["rhat"])
        print(f"{ds:<14}{float(row['estimate']):>10,.0f}{statistics.mean(med):>22,.0f}"
              f"{statistics.stdev(med):>15,.0f}{float(row['lower95']):>8,.0f}"
              f"{statistics.mean(low):>8,.0f}{statistics.stdev(low):>6,.0f}"
              f"{float(row['upper95']):>9,.0f}{statistics.mean(high):>9,.0f}"
              f"{statistics.stdev(high):>7,.0f}{max(rh):>10.2f}")
        sys.stdout.flush()
    print()
    print("dga bma.cr and Rcapture closedpMS.t best-BIC (deterministic):")
    for r in ref:
        ds = r["dataset"]
        if r["method"] == "dga bma.cr":
            mult = float(r["settings"].split("Nmissing=0..")[1].split("*n")[0])
            h = CaptureHistories.from_csv(DATA / f"{ds}.csv")
            e = DGA(max_missing_multiple=mult).fit(h)
        elif r["method"] == "Rcapture closedpMS.t best-BIC" and ds != "Artificial_3":
            order = int(r["settings"].split("maxorder=")[1][0])
            h = CaptureHistories.from_csv(DATA / f"{ds}.csv")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                e = LogLinear(max_order=order).fit(h)
        else:
            continue
        print(f"  {ds:<13}{r['method']:<32} R {float(r['estimate']):>9,.1f} "
              f"({float(r['lower95']):,.1f}-{float(r['upper95']):,.1f})   ours {e.total:>9,.1f} "
              f"({e.interval.low:,.1f}-{e.interval.high:,.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="*", default=DATASETS)
    ap.add_argument("--repeats", type=int, default=3, help="timing repeats (best is kept)")
    ap.add_argument("--reference", action="store_true", help="compare with R's results")
    ap.add_argument("--seeds", type=int, default=5, help="master seeds for --reference")
    ap.add_argument("--numpy", action="store_true", help="numba kernel vs vectorised numpy")
    args = ap.parse_args()
    if args.numpy:
        numba_vs_numpy(args.datasets)
    elif args.reference:
        reference(args.datasets, args.seeds)
    else:
        throughput(args.datasets, args.repeats)


if __name__ == "__main__":
    main()
