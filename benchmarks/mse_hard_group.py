"""Can any estimator here see the simulator's hard-to-document group?  (SYNTHETIC, tuning only)

    PYTHONPATH=src .venv/bin/python benchmarks/mse_hard_group.py --persons 300 --replicates 20
    PYTHONPATH=src .venv/bin/python benchmarks/mse_hard_group.py --persons 1500 --replicates 10

On the simulator's TRUE capture histories (no linkage) of the tuning profiles 1-20 (replicate
``r`` simulates profile ``r % 20`` with seed ``r + 1``; lists copying another counted with their
source, as the simulator's configuration says), prints per replicate how visible the hard group
is (persons, seen, seen on two lists or more, its share of the unseen) and the estimate of
several settings, then the coverage of each: LCMCR as the coverage benchmark runs it (K 10,
Gamma(0.25, 0.25) on the concentration, burn-in 2,000, 1,000 draws x 2 chains), K 20 with a
prior favouring more classes (Gamma(2, 0.5) and Gamma(10, 1)), chains five times as long, the
log-linear models averaged by AIC, and LCMCR per region (Evin and Gohardasht, the memoir's
coverage, against the rest; the region is a recorded field), summed.

The hard group (``SimulationConfig.hard_share`` 0.4; each list names it at a third to a tenth of
its rate for the others: families 0.25 against 0.55, ngo_a 0.15 / 0.45, ngo_b 0.05 / 0.15,
memoir 0.20 / 0.30 in Evin and Gohardasht only, press 0.02 / 0.20; every rate times the
profile's ``capture_scale`` 0.6-1.3) is nearly invisible in the lists.

Measured 2026-12-06 (session 10), tuning profiles only:

    --persons 300 --replicates 20
    hard group 34-47% of persons; 24-65% of it seen (mean 48%), 26% on two lists or more;
    it is 56-86% of the unseen (mean 70%); the easy group is 84% seen; 30% of all unseen
    covered of 20: LCMCR 9, K 20 Gamma(2, 0.5) 10, K 20 Gamma(10, 1) 9, long chains 7,
    log-linear AIC-averaged 13; per region (LCMCR) 5, (K 20 Gamma(2, 0.5)) 7
    mean total 261 (LCMCR), 264 (K 20), 270 (log-linear averaged) for 300 true

    --persons 1500 --replicates 10
    covered of 10: LCMCR 2, K 20 Gamma(2, 0.5) 5, K 20 Gamma(10, 1) 5, long chains 3,
    log-linear AIC-averaged 5; per region 0 every way
    mean total 1,340 (LCMCR), 1,351 (K 20), 1,381 (log-linear averaged) for 1,500 true

The shortfall is a bias, not noise: the totals fall 11-13% short at 300 and at 1,500 persons
alike, so coverage drops as the lists grow.  No setting moves the centre by more than 1-3%;
priors favouring more classes and model averaging only widen the interval.  Within each
latent group the lists are independent here, so a two-class model is identifiable in
principle, but with the hard group's rates this low its size is not identified in practice
by five lists of a few hundred names (one in four of its seen members is on two lists): the
data fit a small hard group as well as a large one.  So the default estimator is not changed;
the coverage benchmark reports the scenarios where MSE on the true histories is valid
(``mse_linkage_coverage.py --ablate hard``) apart from this one, a stated limit.
"""

from __future__ import annotations

import argparse
import warnings
from collections import defaultdict

import numpy as np
import pandas as pd

QUICK = {"burnin": 2000, "samples": 1000, "thin": 5, "chains": 2}
SETTINGS: dict[str, dict[str, float]] = {
    "LCMCR": dict(QUICK),
    "K 20 Gamma(2, 0.5)": {**QUICK, "K": 20, "a_alpha": 2.0, "b_alpha": 0.5},
    "K 20 Gamma(10, 1)": {**QUICK, "K": 20, "a_alpha": 10.0, "b_alpha": 1.0},
    "long chains": {"burnin": 10000, "samples": 2000, "thin": 10, "chains": 2},
}
BY_REGION = ("LCMCR", "K 20 Gamma(2, 0.5)")


def replicate(r: int, persons: int) -> tuple[str, dict[str, tuple[float, float, float]], int]:
    """One tuning replicate: the visibility line, each setting's (total, low, high), N."""
    from mse_linkage_coverage import _copy_groups

    from dadkhah.estimate import LCMCR, CaptureHistories, LogLinear, estimate_by_stratum
    from dadkhah.simulate import profiles, simulate

    prof = profiles(20, "tuning")[r % 20]
    cfg = prof.config(persons)
    sim = simulate(cfg, seed=r + 1, scenario=f"profile-{prof.seed}", render=False)
    pop, t = sim.population, sim.population.tables
    lists = list(sim.list_ids)
    on = np.asarray(sim.captures.on, dtype=int)
    hard = np.asarray(pop.group) == 1
    seen = on.any(axis=1)
    evin_goh = np.isin(pop.prison, [t.prison_ids.index(p) for p in
                                    ("prison:evin", "prison:gohardasht") if p in t.prison_ids])
    frame = pd.DataFrame(on, columns=lists)
    frame["region"] = np.where(evin_goh, "evin_gohardasht", "rest")
    frame = frame[seen]
    groups = {k: [x for x in v if x in lists] for k, v in _copy_groups(cfg).items()}
    groups = {k: v for k, v in groups.items() if len(v) > 1}
    h = CaptureHistories.from_persons(frame.drop(columns="region"), lists=lists, synthetic=True)
    hs = CaptureHistories.from_persons(frame, lists=lists, by=["region"], synthetic=True)
    if groups:
        h, hs = h.merge_lists(groups), hs.merge_lists(groups)
    unseen = int((~seen).sum())
    line = (f"rep {r} profile {prof.seed}: N {sim.true_total}, seen {int(seen.sum())}; hard "
            f"{int(hard.sum())}, seen {int((hard & seen).sum())} (on 2+ lists "
            f"{int((on[hard].sum(axis=1) >= 2).sum())}), {int((hard & ~seen).sum())} of the "
            f"{unseen} unseen")
    out: dict[str, tuple[float, float, float]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, s in SETTINGS.items():
            e = LCMCR(seed=r + 1, min_ess=50, **s).fit(h)  # type: ignore[arg-type]
            out[name] = (e.total, e.interval.low, e.interval.high)
            if name in BY_REGION:
                c = estimate_by_stratum(hs, LCMCR(seed=r + 1, min_ess=50, **s).fit,  # type: ignore[arg-type]
                                        seed=r).combined
                if c is not None:
                    out[f"{name}, per region"] = (c.total, c.interval.low, c.interval.high)
        try:
            e = LogLinear(criterion="aic", average=True).fit(h)
            out["log-linear AIC-averaged"] = (e.total, e.interval.low, e.interval.high)
        except Exception:  # noqa: BLE001 - a benchmark reports and goes on
            pass
    return line, out, sim.true_total


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--persons", type=int, default=300)
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--start", type=int, default=0)
    args = ap.parse_args()
    print(f"SYNTHETIC data, tuning profiles, true capture histories, {args.persons} persons")
    hits: dict[str, list[bool]] = defaultdict(list)
    totals: dict[str, list[float]] = defaultdict(list)
    for r in range(args.start, args.start + args.replicates):
        line, out, n = replicate(r, args.persons)
        print(line, flush=True)
        for name, (est, lo, hi) in out.items():
            hits[name].append(lo <= n <= hi)
            totals[name].append(est / n)
            print(f"    {name:<32} {est:8,.0f} [{lo:,.0f}, {hi:,.0f}]"
                  + ("" if lo <= n <= hi else " MISS"), flush=True)
    print("\nsetting                          covered   mean total / N")
    for name, h in hits.items():
        print(f"{name:<32} {sum(h):3d} of {len(h):<3d} {np.mean(totals[name]):8.3f}")


if __name__ == "__main__":
    main()
