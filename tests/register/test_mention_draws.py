"""Unresolved mentions (a record naming only a given name, left alone by the clustering) in
the drawn registers: merged with the persons its stored pairs fit, as often as the mention
model says, and by the kept-apart map when the run's prior is unknown (SYNTHETIC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import CalibrationMap, PairCalibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import draw_registers
from dadkhah.register.linkage_draws import mention_merges

# records 1-40 given name and surname, each its own person; 41-60 given name only, each
# stored against two of the others (0.3 and 0.1); prior 0.01
IDS = np.arange(1, 61)
NODES = pd.DataFrame({"unique_id": IDS, "given_key": "hasan",
                      "surname_key": [f"s{i}" if i <= 40 else None for i in IDS]})
PAIRS = pd.DataFrame({"unique_id_l": np.r_[IDS[40:] - 40, IDS[40:] - 20],
                      "unique_id_r": np.r_[IDS[40:], IDS[40:]],
                      "match_probability": np.r_[np.full(20, 0.3), np.full(20, 0.1)]})
NEVER = PairCalibration(apart=CalibrationMap("apart", -30.0, 0.0))  # the map merges none


def test_the_mention_model_gives_each_candidate_its_share() -> None:
    m = mention_merges(IDS, IDS - 1, NODES, np.minimum(PAIRS.unique_id_l, PAIRS.unique_id_r)
                       .to_numpy(), np.maximum(PAIRS.unique_id_l, PAIRS.unique_id_r).to_numpy(),
                       PAIRS.match_probability.to_numpy(), 0.01)
    assert set(m.record) == set(IDS[40:]) and len(m) == 40
    per = m.groupby("record").q.agg(["sum", "max", "min"])
    assert (per["sum"] < 1).all() and (per["max"] > per["min"]).all()
    # a record with a surname is no mention
    assert not mention_merges(IDS, IDS - 1, NODES.assign(surname_key="s"),
                              PAIRS.unique_id_l.to_numpy(), PAIRS.unique_id_r.to_numpy(),
                              PAIRS.match_probability.to_numpy(), 0.01).size


@pytest.mark.parametrize("prior", [None, 0.01])
def test_draws_merge_mentions_only_with_the_runs_prior(prior: float | None) -> None:
    draws = draw_registers(IDS, pd.Series(IDS, index=IDS), PAIRS, n=30, seed=2,
                           cluster=cluster_records, records=NODES, calibration=NEVER,
                           prior=prior)
    merged = np.mean([60 - d.nunique() for d in draws])
    if prior is None:
        assert merged == 0
        return
    m = mention_merges(IDS, IDS - 1, NODES, PAIRS.unique_id_l.to_numpy(),
                       PAIRS.unique_id_r.to_numpy(), PAIRS.match_probability.to_numpy(), prior)
    expected = float(m.q.sum())
    assert expected > 2
    assert merged == pytest.approx(expected, abs=4 * np.sqrt(expected / 30) + 0.5)
    for d in draws:  # a mention joins one person at most, never another mention
        for _, g in d.groupby(d):
            assert len(g) <= 2 and (len(g) == 1 or (g.index <= 40).sum() == 1)
