"""«Same home town» weighs by how common the town is among persons (session 19).

A second blind probe's memoir («Hamid, of Tehran») joined the wrong Hamid 47 times in 91:
agreeing on Tehran, the home of a third of its persons, counted 4.7 bits, as much as a town
nobody else is from.  SYNTHETIC: simulator tuning profile 3, 300 persons."""

from __future__ import annotations

import pandas as pd
import pytest

from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import link_features, person_term_frequencies
from dadkhah.register import linkage_input
from dadkhah.testing import simulated_case


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("town")
    sc = simulated_case(tmp / "case", profile=3, persons=300, seed=1)
    features = compute_features(linkage_input(sc.case).records)
    return features, link_features(features)


def test_a_common_home_town_weighs_less_than_a_rare_one(linked) -> None:
    features, res = linked
    town = features.set_index("unique_id")["home_town"]
    p = res.pairs
    same = p[(town.reindex(p.unique_id_l).to_numpy() == town.reindex(p.unique_id_r).to_numpy())
             & (p.mw_town != 0)].copy()
    same["town"] = town.reindex(same.unique_id_l).to_numpy()
    same["weight"] = same.mw_town + same.mw_tf_adj_town
    by_town = same.groupby("town")["weight"].first()
    tf = person_term_frequencies(features, res.clusters.assignment)["home_town"]
    freq = tf.set_index("home_town")["tf_home_town"].reindex(by_town.index)
    assert len(by_town) >= 3
    # every pair of towns: the commoner one weighs less (equal frequency, equal weight)
    common, rare = freq.idxmax(), freq.idxmin()
    assert freq[common] > 3 * freq[rare]
    assert by_town[common] < by_town[rare] - 1.5  # bits
    assert (same.groupby("town")["weight"].nunique() == 1).all()
    assert pd.Series(by_town.to_numpy(), index=freq.to_numpy()).sort_index().is_monotonic_decreasing
