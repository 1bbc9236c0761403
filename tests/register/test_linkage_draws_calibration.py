"""The drawn registers carry the uncertainty of their own calibration, and the kept-apart map
applies only to the merges the clustering's checks allow (session 12; SYNTHETIC)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import TUNED_PAIR_CALIBRATION, CalibrationMap, PairCalibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty, draw_registers
from tests.register.conftest import paired_persons

APART = CalibrationMap("apart", -1.0, 0.5)


def _dates(k: int, refused: np.ndarray) -> pd.DataFrame:
    """Death dates for :func:`paired_persons`' records: each first person in 1988, its
    partner in 1988 too, or two years later where ``refused`` (the date check refuses)."""
    ids = np.arange(1, 4 * k + 1)
    j, slot = (ids - 1) // 4, (ids - 1) % 4
    late = refused[j] & (slot >= 2)
    lo = np.where(late, 7300, 6600)
    return pd.DataFrame({"unique_id": ids, "sex": None, "death_lo": lo, "death_hi": lo + 10,
                         "birth_lo": np.nan, "birth_hi": np.nan})


def test_a_merge_the_checks_refuse_counts_for_nothing_and_the_others_as_the_map_says() -> None:
    pp = paired_persons(k=200, p=0.5)
    refused = np.arange(200) % 2 == 0
    feats = _dates(200, refused)
    cal = PairCalibration(apart=APART, apart_by="strongest", unstored=1.0,
                          apart_passable=True)
    draws = draw_registers(pp.ids, pp.assignment, pp.pairs, n=20, seed=1,
                           cluster=cluster_records, calibration=cal, records=feats)
    rate = [float(np.mean([d[4 * j + 2] == d[4 * j + 3] for d in draws])) for j in range(200)]
    assert max(r for r, x in zip(rate, refused, strict=True) if x) == 0.0
    fits = np.mean([r for r, x in zip(rate, refused, strict=True) if not x])
    assert fits == pytest.approx(1 / (1 + np.exp(1.0)), abs=0.04)  # expit(-1 + 0.5 * 0)
    # the missed links the case shows count the allowed merges only (with the clustering)
    records = pd.DataFrame({"unique_id": pp.ids, "source": ["A", "A", "B", "B"] * 200})
    unc = LinkageUncertainty(records=records, assignment=pp.assignment, pairs=pp.pairs,
                             lists=("A", "B"), features=feats, calibration=cal)
    assert unc.missed_links(cluster=cluster_records).apart_links == pytest.approx(
        100 / (1 + np.exp(1.0)))
    assert unc.missed_links().apart_links == pytest.approx(200 / (1 + np.exp(1.0)))


def test_a_calibration_drawn_per_register_widens_the_spread_of_drawn_persons() -> None:
    # 400 lone pairs kept apart at 0.5: each drawn register merges about 400 expit(a + ...)
    # pairs; with the intercept uncertain (sd 0.5) the count varies between registers far
    # more than the binomial spread alone
    k = 400
    ids = list(range(1, 2 * k + 1))
    pairs = pd.DataFrame({"unique_id_l": range(1, 2 * k, 2), "unique_id_r": range(2, 2 * k + 1, 2),
                          "match_probability": 0.5})
    sure = PairCalibration(apart=APART, apart_by="strongest")
    unsure = replace(sure, spread=(0.25,) + (0.0,) * 15)
    assert unsure.uncertain and not sure.uncertain

    def persons(cal: PairCalibration) -> np.ndarray:
        d = draw_registers(ids, pd.Series(ids, index=ids), pairs, n=60, seed=2,
                           cluster=cluster_records, calibration=cal)
        return np.array([x.nunique() for x in d])

    a, b = persons(sure), persons(unsure)
    assert abs(a.mean() - b.mean()) < 10  # the centre stays (up to the map's curvature)
    assert b.std() > 2 * a.std()
    # a calibration that carries no uncertainty draws exactly as before (nothing drawn)
    assert sure.sample(np.random.default_rng(1)) is sure


def test_audit_answers_keep_only_the_unseen_rates_spread() -> None:
    from dadkhah.estimate import fit_pair_calibration

    pri = replace(TUNED_PAIR_CALIBRATION, spread=tuple(float(i) for i in range(16)),
                  apart_passable=True)
    fitted = fit_pair_calibration(np.zeros(50), ["apart"] * 50, np.arange(50) % 5 == 0,
                                  prior=pri)
    assert fitted.apart.fitted and not fitted.apart_passable
    assert fitted.spread == (0.0,) * 15 + (15.0,)
