from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import betaln, gammaln

from dadkhah.errors import ConvergenceWarning, EstimationWarning, InsufficientOverlap
from dadkhah.estimate import LCMCR, CaptureHistories
from dadkhah.estimate._mcmc import ess, rhat
from tests.estimate.conftest import load

SHORT = {"burnin": 2000, "samples": 1000, "thin": 10, "min_ess": 100}


def test_one_class_matches_the_exact_posterior() -> None:
    # With K=1 the model is independent lists with Beta(1,1) capture probabilities and the
    # prior 1/N; its posterior of N is a one-dimensional sum we can compute exactly.
    h = load("HIV")
    n = h.observed
    nj = np.array(list(h.list_totals().values()))
    grid = np.arange(n, 40 * n)
    lp = (-np.log(grid) + gammaln(grid + 1) - gammaln(grid - n + 1)
          + sum(betaln(1 + x, 1 + grid - x) for x in nj))
    p = np.exp(lp - lp.max())
    cdf = np.cumsum(p / p.sum())
    exact = grid[np.searchsorted(cdf, [0.025, 0.5, 0.975])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", EstimationWarning)  # "truncation may bind" at K=1
        e = LCMCR(K=1, burnin=500, samples=10_000, thin=2, chains=2, seed=5).fit(h)
    assert e.total == pytest.approx(exact[1], rel=0.005)
    assert e.interval.low == pytest.approx(exact[0], rel=0.01)
    assert e.interval.high == pytest.approx(exact[2], rel=0.015)


def test_seed_makes_runs_reproducible() -> None:
    h = load("spina_bifida")
    a = LCMCR(seed=42, **SHORT).fit(h)
    b = LCMCR(seed=42, **SHORT).fit(h)
    c = LCMCR(seed=43, **SHORT).fit(h)
    assert a.draws is not None and b.draws is not None and c.draws is not None
    assert np.array_equal(a.draws, b.draws)
    assert not np.array_equal(a.draws, c.draws)
    assert a.settings["seed"] == 42


def test_seed_is_recorded_when_drawn() -> None:
    e = LCMCR(chains=2, **SHORT).fit(load("spina_bifida"))
    seed = e.settings["seed"]
    again = LCMCR(chains=2, seed=seed, **SHORT).fit(load("spina_bifida"))
    assert np.array_equal(e.draws, again.draws)  # type: ignore[arg-type]


def test_result_shape_and_diagnostics() -> None:
    e = LCMCR(seed=1, chains=3, **SHORT).fit(load("spina_bifida"))
    assert e.draws is not None and e.draws.size == 3 * 1000
    assert e.method == "lcmcr"
    d = e.diagnostics
    assert len(d["chain_medians"]) == 3
    assert d["ess_bulk"] > 100 and d["rhat"] < 1.1
    assert d["mcse_median"] >= 0
    assert e.observed < e.interval.low < e.total < e.interval.high
    assert e.settings["K"] == 10 and e.settings["a_alpha"] == 0.25


@pytest.mark.parametrize("name", ["Ned", "Ned_5"])
def test_bimodal_netherlands_tables_are_flagged(name: str) -> None:
    with pytest.warns(ConvergenceWarning, match="chains disagree"):
        e = LCMCR(seed=1, burnin=3000, samples=1000, thin=5).fit(load(name))
    assert e.diagnostics["rhat"] > 1.05
    assert any("disagree" in n for n in e.notes)


def test_dispersed_start_also_flags_netherlands() -> None:
    with pytest.warns(ConvergenceWarning):
        LCMCR(seed=2, burnin=3000, samples=1000, thin=5, init="dispersed").fit(load("Ned"))


def test_isolated_list_warns() -> None:
    with pytest.warns(EstimationWarning, match="List C"):
        LCMCR(seed=1, **SHORT).fit(load("Artificial_3"))


def test_no_overlap_is_refused() -> None:
    h = CaptureHistories.from_arrays(["A", "B", "C"], [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
                                     [5, 6, 7])
    with pytest.raises(InsufficientOverlap):
        LCMCR(seed=1, **SHORT).fit(h)


def test_rhat_and_ess_on_known_chains() -> None:
    rng = np.random.default_rng(0)
    good = rng.normal(size=(4, 1000))
    assert rhat(good) < 1.01
    assert 3000 < ess(good) < 5000
    bad = good + np.array([[0.0], [0.0], [0.0], [5.0]])
    assert rhat(bad) > 1.5
    ar = np.zeros((2, 2000))
    for t in range(1, 2000):
        ar[:, t] = 0.9 * ar[:, t - 1] + rng.normal(size=2)
    # AR(1) with phi=0.9: integrated autocorrelation time (1+phi)/(1-phi) = 19
    assert 4000 / 19 * 0.6 < ess(ar) < 4000 / 19 * 1.6
