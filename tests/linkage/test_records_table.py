"""The records a DuckDB link reads are a table of DuckDB's own, with the text columns the
model only tests for equality stored as integer codes (``run._register_records``,
``run._coded``): a speed change, so a link gives the same pairs, probabilities and
register as one reading the pandas frame as it is.

SYNTHETIC: profile 1001 at 400 persons with very concentrated names, and a dense-block
limit of 3 records so that every capped rule's dense path is taken."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

import dadkhah.linkage.run as run
from dadkhah.linkage import blocking
from dadkhah.linkage.features import compute_features
from dadkhah.register import linkage_input
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp: Path = tmp_path_factory.mktemp("records_table")
    cfg = draw_profile(1001).config(400).with_(given_exponent=1.8, surname_exponent=1.6)
    sim = simulate(cfg, seed=1, scenario="profile-1001")
    manifest = write_simulation(sim, tmp / "lists")
    case = Case.create(tmp / "case", by="test")
    import_lists(case, tmp / "lists", manifest, by="test")
    return compute_features(linkage_input(case).records)


def test_codes_keep_every_equality_within_a_group_and_every_missing_value(
        features: pd.DataFrame) -> None:
    coded = run._coded(features)
    assert coded["unique_id"].equals(features["unique_id"])
    sample = features.sample(300, random_state=1).index
    done = 0
    for group in run.CODED_COLUMNS:
        cols = [c for c in group if c in features.columns]
        assert cols == list(group)  # the features still have every coded column
        for c in cols:
            assert str(coded[c].dtype) == "Int32"
            assert coded[c].isna().equals(features[c].isna())
        for a, b in itertools.product(cols, cols):
            text = features.loc[sample, a].to_numpy()[:, None] == \
                features.loc[sample, b].to_numpy()[None, :]
            code = (coded.loc[sample, a].to_numpy(dtype=float, na_value=-1)[:, None] ==
                    coded.loc[sample, b].to_numpy(dtype=float, na_value=-2)[None, :])
            known = features.loc[sample, a].notna().to_numpy()[:, None] & \
                features.loc[sample, b].notna().to_numpy()[None, :]
            assert ((text & known) == code).all()
            done += int((text & known).sum())
    assert done > 10_000  # many equal pairs were checked, across columns too


def test_a_link_on_the_coded_table_is_the_link_on_the_frame(
        features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "mark_dense_blocks",
                        lambda f, keys: blocking.mark_dense_blocks(f, keys, limit=3))
    ours = run.link_features(features)
    monkeypatch.setattr(run, "_coded", lambda f: f)
    monkeypatch.setattr(run, "_register_records",
                        lambda db, f, _backend, name: db.register(f, dataset_display_name=name))
    theirs = run.link_features(features)
    key = ["unique_id_l", "unique_id_r"]
    a = ours.pairs.sort_values(key).reset_index(drop=True)
    b = theirs.pairs.sort_values(key).reset_index(drop=True)
    assert len(a) > 100
    assert ours.prior == pytest.approx(theirs.prior, rel=1e-12)
    weights = [c for c in a.columns if c.startswith("mw_")]
    pd.testing.assert_frame_equal(a[[*key, "match_probability", "match_weight", *weights]],
                                  b[[*key, "match_probability", "match_weight", *weights]],
                                  rtol=1e-12)
    assert ours.clusters.assignment.sort_index().equals(
        theirs.clusters.assignment.sort_index())
