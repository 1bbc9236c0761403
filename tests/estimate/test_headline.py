"""The headline number is refused when it would mislead (SYNTHETIC data, known truth)."""

from __future__ import annotations

import pytest

from dadkhah.estimate import (
    LCMCR,
    Estimate,
    LinkageQuality,
    LogLinear,
    judge_headline,
    synthetic_histories,
)

pytestmark = pytest.mark.filterwarnings("ignore::dadkhah.errors.EstimationWarning")


def _quality(p: float, r: float) -> LinkageQuality:
    return LinkageQuality(precision=p, precision_low=p - 0.02, precision_high=min(1, p + 0.02),
                          recall=r, recall_low=r - 0.02, recall_high=min(1, r + 0.02),
                          level=0.95, linked_pairs=1000, missed_pairs=10.0, reviewed=200)


@pytest.fixture(scope="module")
def hist():  # type: ignore[no-untyped-def]
    return synthetic_histories(2000, n_lists=4, seed=11)


@pytest.mark.filterwarnings("ignore::dadkhah.errors.ConvergenceWarning")
def test_headline_refused_when_chains_disagree(hist) -> None:  # type: ignore[no-untyped-def]
    # chains started from 0.25 to 16 times the observed, with no burn-in and few draws,
    # cannot have met: their R-hat is far above 1
    bad = LCMCR(burnin=0, samples=30, thin=1, chains=4, init="dispersed", seed=2).fit(hist)
    assert bad.diagnostics["rhat"] > 1.05
    h = judge_headline(bad)
    assert h.refused and h.value is None
    assert "chains disagree" in (h.reason or "")
    assert h.low <= bad.interval.low and h.high >= bad.interval.high
    assert "NO SINGLE ESTIMATE" in h.text()
    assert h.to_dict()["headline"] is None


def test_headline_stands_when_converged_models_agree_and_quality_good(hist) -> None:  # type: ignore[no-untyped-def]
    good = LCMCR(burnin=2000, samples=2000, thin=5, chains=2, seed=1).fit(hist)
    alt = LogLinear().fit(hist)
    h = judge_headline(good, alternatives=[alt], quality=_quality(0.99, 0.98),
                       quality_required=True)
    assert not h.refused, h.reasons
    assert h.value == good.total
    assert h.low <= 2000 <= h.high  # the truth


def test_headline_refused_when_models_disagree_beyond_tolerance() -> None:
    e = Estimate(method="loglinear", lists=("a", "b", "c"), observed=900, total=1000.0,
                 interval=(950.0, 1060.0))
    near = Estimate(method="dga", lists=("a", "b", "c"), observed=900, total=1200.0,
                    interval=(1100.0, 1300.0))
    assert not judge_headline(e, alternatives=[near], tolerance=0.25).refused
    h = judge_headline(e, alternatives=[near], tolerance=0.1)
    assert h.refused and "disagree by more than 10%" in (h.reason or "")
    assert (h.low, h.high) == (950.0, 1300.0)


def test_headline_refused_without_or_with_poor_audit() -> None:
    e = Estimate(method="loglinear", lists=("a", "b", "c"), observed=900, total=1000.0,
                 interval=(950.0, 1060.0))
    assert judge_headline(e, quality_required=True).refused
    assert "unknown" in (judge_headline(e, quality_required=True).reason or "")
    poor = judge_headline(e, quality=_quality(0.8, 0.95), quality_required=True)
    assert poor.refused and "below 0.9" in (poor.reason or "")
    assert not judge_headline(e, quality=_quality(0.97, 0.95), quality_required=True).refused
    assert not judge_headline(e).refused  # histories given as they are: nothing to audit
