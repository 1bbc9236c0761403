"""The simulator is what it claims: with independent, homogeneous lists the Chapman estimate
is (nearly) unbiased over repeated seeds; with the default lists it is not."""

from __future__ import annotations

import numpy as np

from dadkhah.estimate import chapman
from dadkhah.simulate import scenario_config, simulate


def _chapman_totals(name: str, persons: int, seeds: range, lists=None) -> np.ndarray:
    cfg = scenario_config(name, persons=persons)
    return np.array([chapman(simulate(cfg, seed=s, render=False).capture_histories(),
                             lists=lists).total for s in seeds])


def test_chapman_is_unbiased_on_independent_homogeneous_lists() -> None:
    n = 3000
    est = _chapman_totals("independent", n, range(1000, 1150))
    se = est.std(ddof=1) / np.sqrt(est.size)
    # Chapman's bias at these sizes (m ≈ 225) is far below one standard error of the mean
    assert abs(est.mean() - n) < 3.5 * se, (est.mean(), se)
    assert abs(est.mean() - n) / n < 0.02
    # and the spread is what the sampling variance says it should be (not degenerate)
    assert 0.02 * n < est.std(ddof=1) < 0.1 * n


def test_heterogeneous_dependent_lists_bias_chapman_downwards() -> None:
    n = 3000
    est = _chapman_totals("small", n, range(20), lists=["families", "ngo_a"])
    se = est.std(ddof=1) / np.sqrt(est.size)
    assert est.mean() < 0.93 * n and est.mean() + 4 * se < n
    # copying makes the NGO pair worse still
    copied = _chapman_totals("small", n, range(20), lists=["ngo_a", "ngo_b"])
    assert copied.mean() < est.mean()
