"""u from random pairs, with the matches a random sample holds taken out."""

from __future__ import annotations

import pandas as pd
import pytest
from splink import DuckDBAPI, Linker

from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import U_FLOOR_SHARE, _u_without_matches
from dadkhah.linkage.settings import model_settings


@pytest.fixture()
def linker() -> Linker:
    records = pd.DataFrame({"unique_id": [1, 2, 3], "source_id": [1, 2, 2],
                            "given_names": ["علی", "Ali", "حسن"],
                            "surname": ["رضایی", "Rezaei", "کریمی"]})
    return Linker(DuckDBAPI().register(compute_features(records)), model_settings(),
                  log_level=None)


def _levels(linker: Linker):
    return [lv for c in linker._settings_obj.comparisons for lv in c.comparison_levels
            if not lv.is_null_level]


def test_rare_levels_lose_the_matches_common_ones_keep_their_u(linker) -> None:
    lam = 1e-3
    linker._settings_obj._probability_two_random_records_match = lam
    levels = _levels(linker)
    # a rare level that matches reach (m 0.08, sampled u 1e-4: λm is 80% of it), a common
    # one, and one whose sampled u the matches alone exceed (floored)
    rare, common, over = levels[3], levels[-1], levels[4]
    rare.m_probability, rare.u_probability = 0.08, 1e-4
    common.m_probability, common.u_probability = 0.05, 0.9
    over.m_probability, over.u_probability = 0.5, 1e-4
    notes: list[str] = []
    _u_without_matches(linker, notes)
    assert rare.u_probability == pytest.approx((1e-4 - lam * 0.08) / (1 - lam))
    assert rare.u_probability < 0.25e-4
    assert common.u_probability == pytest.approx((0.9 - lam * 0.05) / (1 - lam))
    assert common.u_probability > 0.899
    assert over.u_probability == pytest.approx(U_FLOOR_SHARE * 1e-4)
    assert any("u corrected" in n for n in notes), notes


def test_no_prior_no_change(linker) -> None:
    linker._settings_obj._probability_two_random_records_match = 0.0
    before = [(lv.m_probability, lv.u_probability) for lv in _levels(linker)]
    _u_without_matches(linker, [])
    assert [(lv.m_probability, lv.u_probability) for lv in _levels(linker)] == before
