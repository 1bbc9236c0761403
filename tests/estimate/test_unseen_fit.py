"""The unseen-link rule's spread for a NEW register is measured out of sample: the tuning
script's :func:`fit_unseen` (``benchmarks/linkage_draws_tuning.py``) gives, beside the
in-sample coefficient of variation, the one of each register predicted by the rule fitted
without it, which the tuned default's ``unseen_cv`` is (session 14; SYNTHETIC counts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dadkhah.estimate import TUNED_PAIR_CALIBRATION
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[2]


def _tuning():  # type: ignore[no-untyped-def]
    return load_script(ROOT / "benchmarks" / "linkage_draws_tuning.py")


def test_left_out_spread_exceeds_the_fitted_one_and_finds_the_true_spread() -> None:
    # 60 registers whose unseen links are gamma-Poisson about 0.8 x persons x seen/person
    # with a true coefficient of variation 0.5
    rng = np.random.default_rng(14)
    persons = rng.integers(200, 320, 60).astype(float)
    seen = rng.uniform(2.0, 9.0, 60)
    mean = 0.8 * seen
    unseen = rng.poisson(rng.gamma(1 / 0.5**2, mean * 0.5**2)).astype(float)
    fit = _tuning().fit_unseen(unseen, persons, seen)
    assert fit["cv_loo"] > fit["cv"]
    assert 0.3 < fit["cv_loo"] < 0.7
    assert fit["dispersion_loo"] > fit["dispersion"]


def test_tuned_default_carries_the_left_out_spread() -> None:
    # session 17's tuning registers (17 profiles, 4 small, re-linked on the linkage of
    # session 17's independent probe): 0.752 in sample, 0.833 left out (session 16's linkage:
    # 0.706, 0.781; session 15: 0.60, 0.675; session 14: 0.81, 0.90): the default carries the
    # left-out one, the larger
    assert TUNED_PAIR_CALIBRATION.unseen_cv == 0.833
