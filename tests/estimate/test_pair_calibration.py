"""The pair calibration given the register's decision, fitted on reviewed answers, against
known truth (SYNTHETIC answers drawn from a known curve)."""

from __future__ import annotations

import numpy as np
import pytest

from dadkhah.estimate import PairCalibration, fit_pair_calibration
from dadkhah.estimate.linkage_quality import MIN_REVIEWED


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def test_a_known_curve_is_recovered_on_each_side_separately() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    s_apart = rng.normal(0.5, 1.5, n)      # the model scores kept-apart pairs 0.2-0.95 ...
    m_apart = rng.random(n) < _expit(-1.5 + 0.3 * s_apart)  # ... true far less often
    s_link = rng.normal(0.0, 1.0, n)
    m_link = rng.random(n) < _expit(3.0 + 0.2 * s_link)     # linked: right whatever the score
    cal = fit_pair_calibration(np.r_[s_apart, s_link], ["apart"] * n + ["linked"] * n,
                               np.r_[m_apart, m_link])
    assert cal.apart.fitted and cal.linked.fitted and cal.source == "audit sample"
    grid = np.linspace(-2, 3, 11)
    assert np.abs(cal.apart(grid) - _expit(-1.5 + 0.3 * grid)).max() < 0.04
    assert np.abs(cal.linked(grid) - _expit(3.0 + 0.2 * grid)).max() < 0.03
    assert "fitted on 3000 answered pairs" in cal.summary()


def test_few_answers_keep_the_default_and_a_few_of_one_kind_do_not_make_it_certain() -> None:
    few = fit_pair_calibration([0.0] * (MIN_REVIEWED - 1), ["apart"] * (MIN_REVIEWED - 1),
                               [False] * (MIN_REVIEWED - 1))
    assert not few.fitted and few.source == "default"
    assert few.apart(0.0) == pytest.approx(0.5)  # the model's own probability
    ten = fit_pair_calibration(np.linspace(-1, 1, 10), ["apart"] * 10, [False] * 10)
    assert 0.0 < float(ten.apart(0.0)) < 0.5  # moved toward the answers, not to zero
    assert float(ten.apart(0.0)) > 0.05


def test_unstored_linked_pairs_have_their_own_rate() -> None:
    cal = fit_pair_calibration([np.nan] * 40, ["linked"] * 40, [True] * 36 + [False] * 4)
    assert cal.unstored == pytest.approx((36 + 4 * 0.99) / 44)
    assert cal.unstored_reviewed == 40 and not cal.linked.fitted
    assert PairCalibration().unstored == 0.99


def test_bad_input_says_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="side must be one of"):
        fit_pair_calibration([0.0], ["kept"], [True])
    with pytest.raises(ValueError, match="one entry per pair"):
        fit_pair_calibration([0.0, 1.0], ["apart"], [True])
