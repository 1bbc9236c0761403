"""The records a DuckDB link reads are a table of DuckDB's own, with the text columns the
model only tests for equality stored as integer codes (``run._register_records``,
``run._coded``): a speed change, so a link gives the same pairs, probabilities and
register as one reading the pandas frame as it is.

SYNTHETIC: profile 1001 at 400 persons with very concentrated names, and a dense-block
limit of 3 records so that every capped rule's dense path is taken."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import dadkhah.linkage.run as run
from dadkhah.linkage import blocking
from tests.linkage.conftest import assert_same_link


def test_codes_keep_every_equality_within_a_group_and_every_missing_value(
        dense_names_features: pd.DataFrame) -> None:
    coded = run._coded(dense_names_features)
    assert coded["unique_id"].equals(dense_names_features["unique_id"])
    sample = dense_names_features.sample(300, random_state=1).index
    done = 0
    for group in run.CODED_COLUMNS:
        cols = [c for c in group if c in dense_names_features.columns]
        assert cols == list(group)  # the dense_names_features still have every coded column
        for c in cols:
            assert str(coded[c].dtype) == "Int32"
            assert coded[c].isna().equals(dense_names_features[c].isna())
        for a, b in itertools.product(cols, cols):
            text = dense_names_features.loc[sample, a].to_numpy()[:, None] == \
                dense_names_features.loc[sample, b].to_numpy()[None, :]
            code = (coded.loc[sample, a].to_numpy(dtype=float, na_value=-1)[:, None] ==
                    coded.loc[sample, b].to_numpy(dtype=float, na_value=-2)[None, :])
            known = dense_names_features.loc[sample, a].notna().to_numpy()[:, None] & \
                dense_names_features.loc[sample, b].notna().to_numpy()[None, :]
            assert ((text & known) == code).all()
            done += int((text & known).sum())
    assert done > 10_000  # many equal pairs were checked, across columns too


def test_a_link_on_the_coded_table_is_the_link_on_the_frame(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "mark_dense_blocks",
                        lambda f, keys: blocking.mark_dense_blocks(f, keys, limit=3))
    ours = run.link_features(dense_names_features)
    monkeypatch.setattr(run, "_coded", lambda f: f)
    monkeypatch.setattr(run, "_register_records",
                        lambda db, f, _backend, name: db.register(f, dataset_display_name=name))
    theirs = run.link_features(dense_names_features)
    assert ours.prior == pytest.approx(theirs.prior, rel=1e-12)
    assert_same_link(ours, theirs)
