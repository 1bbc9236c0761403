"""Bias and 95%-interval coverage of each estimator on SYNTHETIC capture histories.

    .venv/bin/python benchmarks/mse_coverage.py --replicates 200
    .venv/bin/python benchmarks/mse_coverage.py --replicates 20 --methods loglinear lcmcr

Capture histories come from ``dadkhah.estimate.synthetic_histories`` (a small test-data
generator, not the project's simulator) with a known total N under four scenarios:
independent lists, heterogeneous capture (two groups covered by different lists), a
hard-to-reach group listed rarely by every list (which no method can recover), and dependent
lists (list B copies list A).  Chapman uses lists A and B only.  For every method it prints
the mean relative bias of the point
estimate, the coverage of the 95% interval, the median interval width relative to N, and how
often the method refused or warned.

Measured 2026-11-27 with ``--replicates 200`` (N = 2000, 5 lists), 95% coverage:

    scenario        chapman  loglinear  closed  stepwise  lcmcr  dga
    independent       93.0     92.5      90.0     85.5    94.0   94.5
    heterogeneous      0.0     83.0      82.0     62.5    98.5   71.5
    hard_to_reach      2.5      0.0      36.5      0.0    17.5    0.0
    dependent          0.0     92.5      74.5     85.0    97.5   94.0

No method recovers people whom every list rarely names (hard_to_reach: bias -8% to -20%).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import defaultdict

import numpy as np

from dadkhah.errors import EstimationError
from dadkhah.estimate import (
    DGA,
    LCMCR,
    ClosedPopulation,
    LogLinear,
    Stepwise,
    chapman,
    synthetic_histories,
)
from dadkhah.estimate.synthetic import SCENARIOS

METHODS = ("chapman", "loglinear", "closed", "stepwise", "lcmcr", "dga")


def fit(method: str, h, seed: int):  # type: ignore[no-untyped-def]
    if method == "chapman":
        return chapman(h, lists=["A", "B"])
    if method == "loglinear":
        return LogLinear(criterion="bic").fit(h)
    if method == "closed":
        return ClosedPopulation(criterion="aic").fit(h)
    if method == "stepwise":
        return Stepwise().fit(h)
    if method == "lcmcr":
        return LCMCR(burnin=3000, samples=1000, thin=5, chains=2, seed=seed).fit(h)
    if method == "dga":
        return DGA(max_missing_multiple=5, n_draws=0).fit(h)
    raise ValueError(method)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--n-total", type=int, default=2000)
    ap.add_argument("--lists", type=int, default=5)
    ap.add_argument("--methods", nargs="*", default=list(METHODS))
    ap.add_argument("--scenarios", nargs="*", default=list(SCENARIOS))
    ap.add_argument("--seed", type=int, default=1988)
    args = ap.parse_args()
    print(f"SYNTHETIC data: N = {args.n_total}, {args.lists} lists, "
          f"{args.replicates} replicates per scenario")
    print(f"{'scenario':<14}{'method':<11}{'bias %':>8}{'coverage':>10}{'width/N':>9}"
          f"{'refused':>9}{'warned':>8}{'s/fit':>7}")
    for scenario in args.scenarios:
        stats: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        rng = np.random.default_rng([args.seed, SCENARIOS.index(scenario)])
        for r in range(args.replicates):
            h = synthetic_histories(args.n_total, scenario=scenario, n_lists=args.lists, seed=rng)
            for m in args.methods:
                s = stats[m]
                t = time.perf_counter()
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        e = fit(m, h, seed=r)
                    except EstimationError:
                        s["refused"].append(1)
                        continue
                s["time"].append(time.perf_counter() - t)
                s["refused"].append(0)
                s["warned"].append(1.0 if caught else 0.0)
                s["bias"].append((e.total - args.n_total) / args.n_total)
                s["cover"].append(float(e.interval.low <= args.n_total <= e.interval.high))
                s["width"].append((e.interval.high - e.interval.low) / args.n_total)
        for m in args.methods:
            s = stats[m]
            if not s["bias"]:
                print(f"{scenario:<14}{m:<11}{'(all refused)':>30}")
                continue
            print(f"{scenario:<14}{m:<11}{100 * np.mean(s['bias']):>8.1f}"
                  f"{100 * np.mean(s['cover']):>9.1f}%{np.median(s['width']):>9.2f}"
                  f"{int(sum(s['refused'])):>9}{int(sum(s['warned'])):>8}"
                  f"{np.mean(s['time']):>7.2f}", flush=True)


if __name__ == "__main__":
    main()
