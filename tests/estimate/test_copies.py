"""A list copied from another, counted together with it (SYNTHETIC data, known truth)."""

from __future__ import annotations

import numpy as np

from dadkhah.estimate import CaptureHistories, copy_groups, estimate_total


def test_copy_groups_join_chains_and_keep_the_histories_order() -> None:
    # without the histories' lists: in the order first named, the copied list first
    assert copy_groups([("c", "b"), ("b", "a")]) == {"b+c+a": ["b", "c", "a"]}
    assert copy_groups([("c", "b"), ("b", "a")], lists=["a", "b", "c"]) == {
        "a+b+c": ["a", "b", "c"]}
    # a copy of a list the histories lack merges nothing
    assert copy_groups([("b", "x")], lists=["a", "b"]) == {}
    assert copy_groups([]) == {}


def _lists(seed: int, n: int = 3000) -> tuple[CaptureHistories, int]:
    """Two independent lists A and B (p = 0.3) and C, which copies 70% of A's names: the
    SYNTHETIC truth is ``n``."""
    rng = np.random.default_rng(seed)
    a = rng.random(n) < 0.3
    b = rng.random(n) < 0.3
    c = a & (rng.random(n) < 0.7)
    on = np.stack([a, b, c], axis=1).astype(int)
    named = on.any(axis=1)
    pats, counts = np.unique(on[named], axis=0, return_counts=True)
    return CaptureHistories.from_arrays(["A", "B", "C"], pats.tolist(), counts.tolist(),
                                        synthetic=True), n


def test_counting_the_copy_with_its_source_recovers_the_truth() -> None:
    covered_apart = covered_merged = 0
    for seed in range(10):
        h, n = _lists(seed)
        groups = copy_groups([("C", "A")], lists=h.lists)
        apart = estimate_total(h, method="loglinear", max_order=1)
        merged = estimate_total(h.merge_lists(groups), method="loglinear", max_order=1)
        covered_apart += apart.interval.low <= n <= apart.interval.high
        covered_merged += merged.interval.low <= n <= merged.interval.high
        # the copy looks like overlap between independent lists: far too few unnamed
        assert apart.total < 0.8 * n
    assert covered_apart == 0
    assert covered_merged >= 8
