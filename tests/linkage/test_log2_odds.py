"""One conversion from log2-odds to match probability, used wherever pairs are re-scored."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dadkhah.linkage.active import Recalibration, probability_of_log2_odds
from dadkhah.linkage.run import temper_machine_readings


def _pairs() -> pd.DataFrame:
    # SYNTHETIC scored pairs: prior log2-odds -6, two comparisons
    mw_name = np.array([8.0, -5.0, 2.0])
    mw_date = np.array([3.0, 1.0, -2.0])
    weight = -6 + mw_name + mw_date
    return pd.DataFrame({"unique_id_l": [1, 2, 3], "unique_id_r": [4, 5, 6],
                         "mw_name": mw_name, "mw_date": mw_date, "match_weight": weight,
                         "match_probability": 2.0 ** weight / (1 + 2.0 ** weight)})


def test_log2_odds_to_probability() -> None:
    got = probability_of_log2_odds(np.array([0.0, 1.0, -1.0, 10.0]))
    assert np.allclose(got, [0.5, 2 / 3, 1 / 3, 1024 / 1025], rtol=0, atol=1e-15)
    pairs = _pairs()
    assert np.allclose(probability_of_log2_odds(pairs.match_weight.to_numpy()),
                       pairs.match_probability, rtol=0, atol=1e-15)


def test_both_re_scorings_give_the_probability_of_their_weight() -> None:
    pairs = _pairs()
    tempered = temper_machine_readings(pairs, [2])
    assert tempered.match_weight[1] > pairs.match_weight[1]  # the disagreement tempered
    assert tempered.match_probability[1] == probability_of_log2_odds(
        tempered.match_weight.to_numpy())[1]
    assert tempered.match_probability[[0, 2]].equals(pairs.match_probability[[0, 2]])
    refit = Recalibration(intercept=-5.0, intercept0=-6.0,
                          scale={"mw_name": 1.5, "mw_date": 0.5}).apply(pairs)
    want = -5 + 1.5 * pairs.mw_name + 0.5 * pairs.mw_date
    assert np.allclose(refit.match_weight, want, rtol=0, atol=1e-12)
    assert np.allclose(refit.match_probability, 2.0 ** want / (1 + 2.0 ** want), rtol=0,
                       atol=1e-15)
