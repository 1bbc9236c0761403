"""The audit answers update a prior calibration: with too few answers a side keeps the
prior's map, with many it moves to what they show; the unseen-merge rate is the prior's."""

from __future__ import annotations

import numpy as np

from dadkhah.estimate import (
    TUNED_PAIR_CALIBRATION,
    CalibrationMap,
    PairCalibration,
    fit_pair_calibration,
)
from dadkhah.estimate.linkage_quality import MIN_REVIEWED


def test_few_answers_keep_the_priors_map_and_rate() -> None:
    prior = PairCalibration(linked=CalibrationMap("linked", 3.0, 0.2),
                            apart=CalibrationMap("apart", -1.0, 0.0), unstored=0.995,
                            source="prior", unseen_merges=0.04, unseen_cv=0.5,
                            unseen_per_apart=0.3, unseen_power=0.7)
    cal = fit_pair_calibration([0.0] * (MIN_REVIEWED - 1), ["apart"] * (MIN_REVIEWED - 1),
                               [True] * (MIN_REVIEWED - 1), prior=prior)
    assert (cal.apart.intercept, cal.apart.slope) == (-1.0, 0.0)
    assert (cal.linked.intercept, cal.linked.slope) == (3.0, 0.2)
    assert cal.unstored == 0.995 and cal.unseen_merges == 0.04 and cal.unseen_cv == 0.5
    assert (cal.unseen_per_apart, cal.unseen_power) == (0.3, 0.7)
    assert "prior" in cal.source


def test_many_answers_override_the_prior() -> None:
    rng = np.random.default_rng(4)
    s = rng.normal(0.0, 1.0, 600)
    truth = rng.random(600) < 0.6  # kept-apart pairs true 60% of the time
    cal = fit_pair_calibration(s, ["apart"] * 600, truth, prior=TUNED_PAIR_CALIBRATION)
    assert abs(float(cal.apart(s).mean()) - truth.mean()) < 0.03
    # the prior alone says far less
    assert float(TUNED_PAIR_CALIBRATION.apart(s).mean()) < 0.45


def test_the_tuned_default_says_where_it_comes_from() -> None:
    t = TUNED_PAIR_CALIBRATION
    assert not t.fitted and "tuning" in t.source
    assert "missed links" in t.summary() and "tuning" in t.line()
    # identity without a prior, as before
    assert fit_pair_calibration([], [], []).source == "default"
