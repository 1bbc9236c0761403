"""The prior (probability that two random records match) is estimated from the data."""

from __future__ import annotations

import numpy as np
import pytest

from dadkhah.linkage.evaluate import calibration, evaluate_clusters
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import link_features
from dadkhah.register import linkage_input
from dadkhah.testing import simulated_case


def _true_prior(truth) -> float:
    sizes = truth.value_counts().to_numpy().astype(np.int64)
    n = len(truth)
    return float((sizes * (sizes - 1) // 2).sum()) / (n * (n - 1) / 2)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prior")
    sc = simulated_case(tmp / "case", scenario="small", persons=2000, seed=11)
    features = compute_features(linkage_input(sc.case).records)
    return features, sc.truth


def test_prior_moves_with_the_share_of_matches(small) -> None:
    """Keeping a tenth of the persons (all their records) makes true matches about ten times
    as common among all pairs: the estimated prior must follow, close to the truth."""
    features, truth = small
    rng = np.random.default_rng(3)
    persons = truth.unique()
    kept = set(rng.choice(persons, size=len(persons) // 10, replace=False))
    few = truth[truth.isin(kept)]
    dense = features[features.unique_id.isin(few.index)].reset_index(drop=True)

    full = link_features(features, reestimate_prior=False)
    sub = link_features(dense, reestimate_prior=False)
    true_full, true_sub = _true_prior(truth), _true_prior(few)
    assert any("from EM" in n for n in full.notes), full.notes
    # measured (seed 11): full 1.12×, tenth 1.29× the true share; ratio 12.1 for a true 10.5
    for res, true in ((full, true_full), (sub, true_sub)):
        assert true / 1.5 < res.prior < true * 1.5, (res.prior, true, res.notes)
    assert 6 < sub.prior / full.prior < 15, (sub.prior, full.prior)
    # and the links stay good on both
    assert evaluate_clusters(sub.clusters.assignment, few).pairwise_f1 > 0.95


def test_calibration_table(small) -> None:
    """The reliability table covers every scored pair; probabilities of 0.99 and more are
    right at least 97 times in 100 on the simulator's own scenario."""
    features, truth = small
    res = link_features(features)
    cal = calibration(res.pairs, truth)
    assert cal.table.pairs.sum() == len(res.pairs) == cal.pairs
    top = cal.table.iloc[-1]
    assert top.observed >= 0.97, cal.summary()
    assert 0 <= cal.brier < 0.05, cal.summary()
