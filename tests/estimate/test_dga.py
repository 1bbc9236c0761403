from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import gammaln

from dadkhah.errors import EstimationError, EstimationWarning
from dadkhah.estimate import DGA, CaptureHistories, decomposable_graphs
from tests.estimate.conftest import load


def test_graph_counts() -> None:
    # dga ships 8, 61 and 822 graphs for 3, 4 and 5 lists
    assert [len(decomposable_graphs(p)) for p in (3, 4, 5)] == [8, 61, 822]


def test_four_cycle_is_not_decomposable() -> None:
    cliques = {g[0] for g in decomposable_graphs(4)}
    assert ((0, 1), (0, 3), (1, 2), (2, 3)) not in cliques


def _independence_log_post(table: np.ndarray, p: int, delta: float, m: np.ndarray) -> np.ndarray:
    # independence graph by hand: product of p one-list Dirichlet-multinomial marginals
    n = table.sum()
    full = table.reshape((2,) * p)
    a = delta * 2**p
    lw = gammaln(n + m + 1) - gammaln(m + 1) - gammaln(table[1:] + 1).sum() - np.log(n + m)
    for j in range(p):
        other = tuple(k for k in range(p) if k != j)
        marg = full.sum(axis=other)
        al = delta * 2 ** (p - 1)
        lw = lw + gammaln(marg[0] + m + al) + gammaln(marg[1] + al) - 2 * gammaln(al)
        lw = lw + gammaln(a) - gammaln(n + m + a)
    return lw


def test_single_graph_matches_hand_computation() -> None:
    h = load("spina_bifida")
    m = np.arange(0, 3000, dtype=float)
    lw = _independence_log_post(h.full_table().astype(float), 3, 1 / 8, m)
    post = np.exp(lw - lw.max())
    post /= post.sum()
    exact_median = h.observed + m[np.searchsorted(np.cumsum(post), 0.5, side="right")]
    from dadkhah.estimate import dga as dga_module

    only_indep = tuple(g for g in decomposable_graphs(3) if all(len(c) == 1 for c in g[0]))
    orig = dga_module.decomposable_graphs
    dga_module.decomposable_graphs = lambda p: only_indep  # type: ignore[assignment]
    try:
        e = DGA(max_missing=2999).fit(h)
    finally:
        dga_module.decomposable_graphs = orig
    assert e.total == exact_median


def test_averaging_result_and_draws() -> None:
    e = DGA(max_missing_multiple=5, seed=3).fit(load("spina_bifida"))
    assert e.method == "dga"
    assert e.draws is not None and e.draws.size == 20_000
    assert abs(np.median(e.draws) - e.total) <= 2
    again = DGA(max_missing_multiple=5, seed=3).fit(load("spina_bifida"))
    assert np.array_equal(e.draws, again.draws)
    assert 0 < e.diagnostics["top_model_probability"] <= 1


def test_truncation_is_warned() -> None:
    with pytest.warns(EstimationWarning, match="truncation"):
        DGA(max_missing_multiple=0.5).fit(load("kosovo"))


@pytest.mark.parametrize("lists", [2, 6])
def test_list_count_limits(lists: int) -> None:
    pats = [p for p in itertools.product([0, 1], repeat=lists) if any(p)]
    h = CaptureHistories.from_arrays([f"L{i}" for i in range(lists)], pats, [3] * len(pats))
    with pytest.raises(EstimationError, match="3 to 5 lists"):
        DGA().fit(h)
