"""Unchecked machine readings weigh less in linkage (issue 18, item 5).

SYNTHETIC: simulator profile 3 (a tuning profile), 150 persons; 30 records of persons named
more than once get one letter of the surname (or given name) replaced by a letter OCR
confuses it with (:func:`dadkhah.testing.misread_records`, seed 3), and are treated as
unchecked machine readings.  One trained model scores the pairs with and without the rule,
so the difference is the rule's alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import OCR_MISREAD_SHARE, link_features, temper_machine_readings
from dadkhah.register import linkage_input
from dadkhah.testing import misread_records, simulated_case


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ocr")
    sc = simulated_case(tmp / "case", profile=3, persons=150, seed=1)
    truth = sc.truth
    records, picked = misread_records(linkage_input(sc.case).records, truth, 30, seed=3)
    features = compute_features(records)
    trained = link_features(features)

    def replay(machine=(), **kw):
        return link_features(features, model=trained.model,
                             term_frequencies=trained.term_frequencies,
                             machine_readings=machine, **kw)

    return replay, replay(), replay(picked), picked


def _keyed(pairs: pd.DataFrame) -> pd.DataFrame:
    return pairs.set_index(["unique_id_l", "unique_id_r"]).sort_index()


def test_a_disagreement_read_by_the_machine_scores_higher(scored) -> None:
    _, base, tempered, picked = scored
    b, t = _keyed(base.pairs), _keyed(tempered.pairs)
    both = b.merge(t, left_index=True, right_index=True, suffixes=("_b", "_t"))
    ids = both.index.to_frame()
    touched = (ids.unique_id_l.isin(picked) | ids.unique_id_r.isin(picked)).to_numpy()
    disagree = touched & (both["mw_name_b"] < 0).to_numpy()
    assert disagree.sum() >= 2  # 3 measured (most one-letter misreadings keep a
    # fuzzy name level with a positive weight)
    assert (both.mw_name_t[disagree] > both.mw_name_b[disagree]).all()
    # the pair scores higher unless its other fields' agreements, tempered too, outweigh
    # the name (1 of the 3 measured)
    assert (both.match_probability_t[disagree] > both.match_probability_b[disagree]).sum() >= 2
    # a disagreement weighs at most log2(1/e) bits against
    assert (both["mw_name_t"][disagree] + both["mw_tf_adj_name_t"][disagree].fillna(0)
            >= np.log2(OCR_MISREAD_SHARE) - 1e-9).all()
    # pairs without a reading are scored exactly as before
    same = ~touched
    assert np.array_equal(both.match_probability_t[same].to_numpy(),
                          both.match_probability_b[same].to_numpy())


def test_no_reading_or_a_checked_one_counts_in_full(scored) -> None:
    replay, base, _, _ = scored
    assert temper_machine_readings(base.pairs, []) is base.pairs
    again = replay(())  # every reading checked: none left unverified
    pd.testing.assert_frame_equal(_keyed(again.pairs), _keyed(base.pairs))
    assert again.clusters.assignment.equals(base.clusters.assignment)


def test_decisions_still_win(scored) -> None:
    replay, _, tempered, picked = scored
    a = tempered.clusters.assignment
    pairs = tempered.pairs
    touched = pairs[pairs.unique_id_l.isin(picked) | pairs.unique_id_r.isin(picked)]
    linked = touched[[a[x] == a[y] for x, y in zip(touched.unique_id_l, touched.unique_id_r,
                                                  strict=True)]]
    apart = touched[[a[x] != a[y] for x, y in zip(touched.unique_id_l, touched.unique_id_r,
                                                 strict=True)]]
    assert len(linked) and len(apart)
    no = (int(linked.unique_id_l.iloc[0]), int(linked.unique_id_r.iloc[0]))
    yes = (int(apart.unique_id_l.iloc[0]), int(apart.unique_id_r.iloc[0]))
    res = replay(picked, must_link=[yes], cannot_link=[no])
    got = res.clusters.assignment
    assert got[no[0]] != got[no[1]]
    assert got[yes[0]] == got[yes[1]]
