"""The dense-block cap of blocking rules: blocks of very common names admit only pairs that
share one more field, the SQL splink runs and the Python reading used for blocking recall
agree pair by pair, and blocks of ordinary size are untouched."""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd
import pytest

from dadkhah.linkage.blocking import (
    CAP,
    DENSE_BLOCK,
    admitted_by,
    guard_fields,
    mark_dense_blocks,
    rule_sql,
)
from dadkhah.linkage.settings import BLOCKING_KEYS


def _records(n_common: int, n_rare: int, seed: int = 7) -> pd.DataFrame:
    """``n_common`` namesakes «mhmd mhmdY» and ``n_rare`` records of rarer names, with
    random death days, prisons, birth years and fathers (some unknown)."""
    rng = np.random.default_rng(seed)
    n = n_common + n_rare
    given = ["mhmd"] * n_common + [f"g{i % 7}" for i in range(n_rare)]
    surname = ["mhmdY"] * n_common + [f"s{i % 5}" for i in range(n_rare)]

    def pick(values: list, p_missing: float) -> list:
        out = list(rng.choice(values, size=n))
        return [None if rng.random() < p_missing else v for v in out]

    return pd.DataFrame({
        "unique_id": np.arange(1, n + 1, dtype="int64"),
        "given_key": given, "surname_key": surname,
        "death_lo": pd.array(pick([6747, 6748, 6750], 0.1), dtype="Int64"),
        "prison_id": pick(["prison:evin", "prison:gohardasht"], 0.1),
        "birth_lo": pd.array(pick(list(range(1950, 1970)), 0.4), dtype="Int64"),
        "father_key": pick(["ali", "hsn", "mhmd", "rza"], 0.6),
    })


RULE = ("given_key", "surname_key", CAP)


def _all_pairs(f: pd.DataFrame) -> pd.DataFrame:
    ids = f["unique_id"].tolist()
    return pd.DataFrame(list(itertools.combinations(ids, 2)), columns=["id_l", "id_r"])


def test_a_dense_block_admits_only_pairs_sharing_a_guard_field() -> None:
    f = mark_dense_blocks(_records(60, 40), [RULE], limit=50)
    col = "dense__given_key__surname_key"
    assert f[col].sum() == 60  # the 60 namesakes, not the rarer names
    fi = f.set_index("unique_id")
    pairs = _all_pairs(f)
    ok = admitted_by(fi, pairs, RULE)
    left, right = fi.loc[pairs.id_l], fi.loc[pairs.id_r]
    same_name = ((left.given_key.to_numpy() == right.given_key.to_numpy())
                 & (left.surname_key.to_numpy() == right.surname_key.to_numpy()))
    dense = left[col].to_numpy()

    def agree(c: str) -> np.ndarray:
        lv, rv = left[c].to_numpy(), right[c].to_numpy()
        return pd.notna(lv) & pd.notna(rv) & (lv == rv)

    guard = agree("birth_lo") | agree("father_key") | (agree("death_lo") & agree("prison_id"))
    assert np.array_equal(ok, same_name & (~dense | guard))
    # the cap did something: some namesake pairs dropped, every rare-name pair kept
    assert (same_name & dense & ~ok).sum() > 0
    assert ok[same_name & ~dense].all()


def test_the_sql_splink_runs_admits_exactly_the_same_pairs() -> None:
    """The two readings of the rule syntax (SQL for splink, Python for blocking recall)
    agree on every pair, for every capped rule shape of the default rules."""
    f = mark_dense_blocks(_records(70, 50, seed=3), [RULE, ("surname_key", "birth_lo", CAP)],
                          limit=30)
    fi = f.set_index("unique_id")
    pairs = _all_pairs(f)
    con = duckdb.connect()
    con.register("f", f)
    for key in (RULE, ("surname_key", "birth_lo", CAP)):
        got = con.execute(f"SELECT l.unique_id, r.unique_id FROM f l JOIN f r "
                          f"ON {rule_sql(key)} AND l.unique_id < r.unique_id").fetchall()
        ok = admitted_by(fi, pairs, key)
        want = set(map(tuple, pairs[ok].to_numpy().tolist()))
        assert set(got) == want, key
        assert len(want) > 0


def test_a_rule_equating_a_guard_field_does_not_count_it_as_the_guard() -> None:
    assert guard_fields(("surname_key", "birth_lo", CAP)) == (
        ("father_key",), ("death_lo", "prison_id"))
    assert guard_fields(("given_key", "death_lo", "region_id", CAP)) == (
        ("birth_lo",), ("father_key",), ("prison_id",))


def test_blocks_of_ordinary_size_are_untouched() -> None:
    f = mark_dense_blocks(_records(DENSE_BLOCK, 200), [RULE])
    assert not f["dense__given_key__surname_key"].any()  # DENSE_BLOCK records: not over it


def test_a_capped_rule_must_equate_plain_columns() -> None:
    with pytest.raises(ValueError, match="capped blocking rule"):
        rule_sql(("given_key>surname_key", CAP))


def test_the_default_rules_cap_the_name_rules_and_read_back() -> None:
    capped = [k for k in BLOCKING_KEYS if CAP in k]
    assert ("given_key", "surname_key", CAP) in capped and len(capped) >= 10
    for key in BLOCKING_KEYS:
        sql = rule_sql(key)
        assert ("dense__" in sql) == (CAP in key)
