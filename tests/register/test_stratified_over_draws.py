"""``stratified_over_draws``: the stratified total carries the linkage's uncertainty.

SYNTHETIC data with a known truth: two strata of 400 and 300 persons, two lists capturing
independently (0.5 and 0.4), so Chapman's estimate is valid per stratum.  "Drawn registers"
either all equal the true one (linkage certain) or each merges a different share of the
one-list persons into two-list persons (linkage uncertain, as drawn registers differ).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dadkhah.estimate import CaptureHistories, estimate_by_stratum
from dadkhah.estimate.chapman import chapman
from dadkhah.register.linkage_draws import stratified_over_draws

TRUE = {"x": 400, "y": 300}


def _register(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s, n in TRUE.items():
        a = rng.random(n) < 0.5
        b = rng.random(n) < 0.4
        seen = a | b
        rows.append(pd.DataFrame({"A": a[seen].astype(int), "B": b[seen].astype(int),
                                  "p": s}))
    return pd.concat(rows, ignore_index=True)


def _merged(f: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """``share`` of each stratum's A-only persons merged with as many B-only persons."""
    rng = np.random.default_rng(seed)
    out = []
    for _, g in f.groupby("p"):
        a_only = g.index[(g.A == 1) & (g.B == 0)].to_numpy()
        b_only = g.index[(g.A == 0) & (g.B == 1)].to_numpy()
        k = min(int(round(share * a_only.size)), b_only.size)
        ga, gb = rng.choice(a_only, k, replace=False), rng.choice(b_only, k, replace=False)
        g = g.copy()
        g.loc[ga, "B"] = 1
        out.append(g.drop(index=gb))
    return pd.concat(out, ignore_index=True)


def _one(f: pd.DataFrame):  # type: ignore[no-untyped-def]
    h = CaptureHistories.from_persons(f, lists=["A", "B"], by=["p"], synthetic=True)
    return estimate_by_stratum(h, chapman).combined


def _width(e) -> float:  # type: ignore[no-untyped-def]
    return float(e.interval.high - e.interval.low)


def test_certain_linkage_keeps_the_width_and_uncertain_linkage_widens_it() -> None:
    """Measured: widths 124 (one register) and 124 (six equal draws); six differing
    draws 332 against at most 124 for any one of them (2.7 times)."""
    f = _register(1)
    one = _one(f)
    certain = stratified_over_draws([f] * 6, ["A", "B"], ["p"], chapman,
                                    synthetic=True).combined
    assert certain is not None and one is not None
    assert abs(_width(certain) - _width(one)) < 0.02 * _width(one)
    assert certain.interval.low <= sum(TRUE.values()) <= certain.interval.high
    drawn = [_merged(f, share, seed=k) for k, share in enumerate(
        [0.0, 0.04, 0.08, 0.12, 0.16, 0.2])]
    uncertain = stratified_over_draws(drawn, ["A", "B"], ["p"], chapman,
                                      synthetic=True).combined
    assert uncertain is not None
    singles = [_one(d) for d in drawn]
    assert _width(uncertain) > 2.0 * max(_width(s) for s in singles if s is not None)
