from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from dadkhah.errors import EstimationError, EstimationWarning, InsufficientOverlap
from dadkhah.estimate import (
    CaptureHistories,
    LogLinear,
    fit_loglinear_model,
    hierarchical_models,
    lincoln_petersen,
)
from dadkhah.estimate._glm import fit_poisson, fit_statsmodels
from dadkhah.estimate.loglinear import design
from tests.estimate.conftest import load


@pytest.mark.parametrize(
    ("lists", "order", "count"), [(3, 2, 8), (4, 2, 64), (4, 3, 113), (5, 2, 1024)]
)
def test_number_of_hierarchical_models(lists: int, order: int, count: int) -> None:
    # Rcapture closedpMS.t compares 8, 113 and 1024 models on these shapes
    assert len(hierarchical_models(lists, order)) == count


def test_models_are_hierarchical_and_never_saturated() -> None:
    for m in hierarchical_models(4, 3):
        terms = set(m.terms)
        assert (0, 1, 2, 3) not in terms
        for t in terms:
            for sub in itertools.combinations(t, len(t) - 1):
                assert len(sub) == 1 or sub in terms


def test_saturated_three_list_model_by_hand() -> None:
    h = load("spina_bifida")
    f = {tuple(p): c for p, c in zip(h.patterns.tolist(), h.counts.tolist(), strict=True)}
    by_hand = (f[(1, 0, 0)] * f[(0, 1, 0)] * f[(0, 0, 1)] * f[(1, 1, 1)]) / (
        f[(1, 1, 0)] * f[(1, 0, 1)] * f[(0, 1, 1)]
    )
    e = fit_loglinear_model(h, [("BC", "DC"), ("BC", "MR"), ("DC", "MR")])
    assert e.total == pytest.approx(h.observed + by_hand, rel=1e-8)


def test_two_list_independence_is_lincoln_petersen() -> None:
    h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [20, 30, 20])
    assert fit_loglinear_model(h).total == pytest.approx(lincoln_petersen(h).total)


def test_numpy_irls_agrees_with_statsmodels() -> None:
    h = load("kosovo")
    y = h.full_table()[1:].astype(float)
    for m in hierarchical_models(4, 3)[::7]:
        x = design(4, m.terms)
        ours = fit_poisson(x, y, tol=1e-12, maxiter=100)
        beta, _, llf = fit_statsmodels(x, y)
        assert ours.beta[0] == pytest.approx(beta[0], rel=1e-6)
        assert ours.loglik == pytest.approx(llf, rel=1e-9)


def test_profile_interval_contains_mle_and_exceeds_observed() -> None:
    e = LogLinear().fit(load("spina_bifida"))
    assert e.observed < e.interval.low < e.total < e.interval.high


def test_aic_and_bic_are_both_reported() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        bic = LogLinear(criterion="bic", max_order=3).fit(load("kosovo"))
        aic = LogLinear(criterion="aic", max_order=3).fit(load("kosovo"))
    assert bic.diagnostics["best_aic_model"] == aic.diagnostics["model"]
    assert aic.diagnostics["best_bic_model"] == bic.diagnostics["model"]


def test_model_averaging() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        avg = LogLinear(average=True, max_order=3).fit(load("kosovo"))
        best = LogLinear(max_order=3).fit(load("kosovo"))
    top = avg.diagnostics["top_models"]
    assert sum(m["weight"] for m in top) <= 1 + 1e-9
    assert avg.total == pytest.approx(best.diagnostics["model_averaged_total"])
    assert min(m["total"] for m in top) <= avg.total <= max(m["total"] for m in top)
    assert avg.interval.low < avg.total < avg.interval.high
    assert "model-averaged" in avg.interval_kind


def test_close_runner_up_is_warned() -> None:
    # Kosovo: [123,134] is 0.08 BIC points behind and gives 12,741 instead of 10,356
    with pytest.warns(EstimationWarning, match="Model uncertainty"):
        e = LogLinear(max_order=3).fit(load("kosovo"))
    assert any("12,741" in n for n in e.notes)


def test_isolated_list_is_refused() -> None:
    with pytest.raises(InsufficientOverlap, match="List C"):
        LogLinear().fit(load("Artificial_3"))


def test_runaway_model_is_refused() -> None:
    # Artificial_3's BIC-best model in Rcapture, [12,3], has N of about 1.4e13
    with pytest.raises(EstimationError, match="does not exist|runs away|no upper end"):
        fit_loglinear_model(load("Artificial_3"), [("A", "B")])


def test_dropping_the_isolated_list_gives_an_estimate() -> None:
    e = fit_loglinear_model(load("Artificial_3").select(["A", "B"]))
    assert np.isfinite(e.total) and e.total > 76


def test_seven_lists_exhaustive_search_is_refused() -> None:
    rng = np.random.default_rng(0)
    pats = rng.integers(0, 2, size=(200, 7))
    pats = pats[pats.sum(axis=1) > 0]
    h = CaptureHistories.from_arrays(list("ABCDEFG"), pats, np.ones(len(pats), dtype=int))
    with pytest.raises(EstimationError, match="limited to"):
        LogLinear(max_models=1000).fit(h)
