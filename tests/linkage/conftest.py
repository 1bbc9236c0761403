"""Shared fixtures of the linkage tests (SYNTHETIC data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from dadkhah.linkage.features import compute_features
from dadkhah.register import linkage_input
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists


@pytest.fixture(scope="session")
def _dense_names_features(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp: Path = tmp_path_factory.mktemp("dense_names")
    cfg = draw_profile(1001).config(400).with_(given_exponent=1.8, surname_exponent=1.6)
    sim = simulate(cfg, seed=1, scenario="profile-1001")
    manifest = write_simulation(sim, tmp / "lists")
    case = Case.create(tmp / "case", by="test")
    import_lists(case, tmp / "lists", manifest, by="test")
    return compute_features(linkage_input(case).records)


@pytest.fixture
def dense_names_features(_dense_names_features: pd.DataFrame) -> pd.DataFrame:
    """The linkage features of profile 1001 at 400 persons with very concentrated names
    (given-name exponent 1.8, surname 1.6): made once per test session, a copy per test."""
    return _dense_names_features.copy()


def assert_same_link(ours: Any, theirs: Any, *, weights: bool = True) -> list[str]:
    """Two links (:func:`dadkhah.linkage.run.link_features` results) give the same pairs,
    each with the same probability (and, with ``weights``, the same match weight and every
    ``mw_`` column) to 1e-12, and the same clusters.  Returns the ``mw_`` columns compared."""
    key = ["unique_id_l", "unique_id_r"]
    a = ours.pairs.sort_values(key).reset_index(drop=True)
    b = theirs.pairs.sort_values(key).reset_index(drop=True)
    assert len(a) > 100
    mw = [c for c in a.columns if c.startswith("mw_")] if weights else []
    cols = [*key, "match_probability", *(["match_weight", *mw] if weights else [])]
    pd.testing.assert_frame_equal(a[cols], b[cols], rtol=1e-12)
    assert ours.clusters.assignment.sort_index().equals(
        theirs.clusters.assignment.sort_index())
    return mw


def level_holds(condition: str, feats: pd.DataFrame, a: int, b: int) -> bool:
    """Whether a comparison level's SQL ``condition`` holds for records ``a`` (left) and
    ``b`` (right) of ``feats`` (features, with ``unique_id``), evaluated by DuckDB."""
    f = feats.set_index("unique_id")
    row = {f"{c}_l": f.loc[a, c] for c in f.columns} | {f"{c}_r": f.loc[b, c]
                                                       for c in f.columns}
    pair = pd.DataFrame([row]).astype(object).where(pd.DataFrame([row]).notna(), None)
    con = duckdb.connect()
    con.register("p", pair)
    return bool(con.execute(f"SELECT COALESCE(({condition}), false) FROM p").fetchone()[0])
