"""Invariants that hold for any table: checked on random ones (hypothesis)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dadkhah.errors import EstimationError
from dadkhah.estimate import (
    CaptureHistories,
    LogLinear,
    chapman,
    estimate_by_stratum,
    synthetic_histories,
)

PATTERNS3 = [p for p in itertools.product([0, 1], repeat=3) if any(p)]


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_chapman_interval_brackets_estimate_and_exceeds_observed(a: int, b: int, m: int) -> None:
    h = CaptureHistories.from_arrays(["A", "B"], [[1, 0], [0, 1], [1, 1]], [a, b, m])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            e = chapman(h)
        except EstimationError:
            assert m == 0 or a + b + m == 0 or (a + m == 0) or (b + m == 0)
            return
    assert e.observed <= e.interval.low <= e.total <= e.interval.high


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=7, max_size=7))
def test_loglinear_refuses_or_returns_a_sane_estimate(counts: list[int]) -> None:
    h = CaptureHistories.from_arrays(["A", "B", "C"], PATTERNS3, counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            e = LogLinear().fit(h)
        except EstimationError:
            return
    assert np.isfinite(e.total)
    assert e.observed <= e.interval.low <= e.total <= e.interval.high
    assert e.observed == sum(counts)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_strata_sum_to_the_combined_observed(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frames = []
    for s in ("x", "y", "z"):
        df = synthetic_histories(int(rng.integers(0, 300)), n_lists=2, seed=rng).to_frame()
        df["s"] = s
        frames.append(df)
    import pandas as pd

    h = CaptureHistories.from_frame(pd.concat(frames), by=["s"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = estimate_by_stratum(h, chapman)
    total_obs = sum(e.observed for e in res.strata) + sum(s.observed for s in res.sparse)
    assert total_obs == h.observed
    if res.combined is not None:
        assert res.combined.total >= res.combined.observed


def test_synthetic_generator_is_labelled_and_reproducible() -> None:
    for scenario in ("independent", "heterogeneous", "hard_to_reach", "dependent"):
        a = synthetic_histories(500, scenario=scenario, seed=3)
        b = synthetic_histories(500, scenario=scenario, seed=3)
        assert a.synthetic
        assert np.array_equal(a.counts, b.counts) and np.array_equal(a.patterns, b.patterns)
        assert 0 < a.observed < 500
