"""The register's split persons in the drawn registers (session 11): a kept-apart merge drawn
by the strongest stored pair across the two persons and by its kind (two single records or
not), and unseen merges drawn only between persons whose dates fit, so that the clustering
realises as many as the rate says (SYNTHETIC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import TUNED_PAIR_CALIBRATION, CalibrationMap, PairCalibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import draw_registers
from tests.register.conftest import paired_persons

EMPTY = pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})


def test_merge_scores_by_the_strongest_pair_and_two_single_records_apart() -> None:
    # two persons of two records each, one cross pair at 0.9 and three never scored: the
    # evidence is (logit 0.9 - 3 * 2) / 4, the strongest pair logit 0.9
    pp = paired_persons(p=0.9)
    apart = CalibrationMap("apart", -1.0, 0.5)

    def merged(cal: PairCalibration) -> float:
        return pp.merged(draw_registers(pp.ids, pp.assignment, pp.pairs, n=20, seed=3,
                                        cluster=cluster_records, calibration=cal))

    x = np.log(9.0)
    by_evidence = merged(PairCalibration(apart=apart, unstored=1.0))
    by_pair = merged(PairCalibration(apart=apart, unstored=1.0, apart_by="strongest"))
    assert by_evidence == pytest.approx(1 / (1 + np.exp(1.0 - 0.5 * (x - 6) / 4)), abs=0.05)
    assert by_pair == pytest.approx(1 / (1 + np.exp(1.0 - 0.5 * x)), abs=0.05)
    # the single-record term applies to two lone records only, not to these persons
    assert merged(PairCalibration(apart=apart, unstored=1.0, apart_by="strongest",
                                  apart_single=3.0)) == pytest.approx(by_pair, abs=0.05)
    lone = draw_registers(list(range(1, 401)),
                          pd.Series(range(1, 401), index=range(1, 401)),
                          pd.DataFrame({"unique_id_l": range(1, 401, 2),
                                        "unique_id_r": range(2, 402, 2),
                                        "match_probability": 0.2}),
                          n=10, seed=4, cluster=cluster_records,
                          calibration=PairCalibration(apart=apart, apart_by="strongest",
                                                      apart_single=3.0))
    rate = np.mean([np.mean([d[i] == d[i + 1] for i in range(1, 401, 2)]) for d in lone])
    assert rate == pytest.approx(1 / (1 + np.exp(-(-1.0 + 0.5 * np.log(0.25) + 3.0))),
                                 abs=0.05)


def test_tuned_default_scores_merges_by_the_strongest_pair() -> None:
    cal = TUNED_PAIR_CALIBRATION
    assert cal.apart_by == "strongest" and cal.apart_single > 0
    # two lone records kept apart are likelier one person than a pair of larger persons
    assert float(cal.merge(-1.0, True)) > 3 * float(cal.merge(-1.0, False))


def test_unseen_merges_join_only_persons_whose_dates_fit_and_are_all_realised() -> None:
    # 400 lone records on two lists; death dates a year apart by halves (never one person
    # by the clustering's date check), birth years unknown; no stored pair
    k = 400
    ids = np.arange(1, k + 1)
    src = pd.Series(np.array(["A", "B"])[ids % 2], index=ids)
    early = ids <= k // 2
    feats = pd.DataFrame({"unique_id": ids, "sex": None,
                          "death_lo": np.where(early, 6400, 6800),
                          "death_hi": np.where(early, 6410, 6810),
                          "birth_lo": np.nan, "birth_hi": np.nan})
    rate = 0.05
    draws = draw_registers(ids, pd.Series(ids, index=ids), EMPTY, n=40, seed=1,
                           cluster=cluster_records, calibration=PairCalibration(
                               unseen_merges=rate), sources=src, records=feats)
    merges = np.array([k - d.nunique() for d in draws])
    # random partners would be refused by the date check about half the time; drawn among
    # fitting persons every merge the rate asks for is made
    assert merges.mean() == pytest.approx(rate * k, abs=4 * np.sqrt(rate * k / 40) + 0.5)
    for d in draws:
        for _, g in d.groupby(d):
            if len(g) > 1:
                assert len(set(early[np.asarray(g.index) - 1].tolist())) == 1
