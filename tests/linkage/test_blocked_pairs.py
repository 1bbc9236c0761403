"""The blocked pairs dadkhah makes itself for DuckDB (``blocking.pairs_sql``) are exactly
splink's, pair by pair and rule by rule, and a link scored on them gives the same pairs and
the same register as one where splink blocks by itself.

SYNTHETIC: profile 1001 at 400 persons with very concentrated names, and a dense-block
limit of 3 records so that every capped rule's dense path is taken."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from splink import DuckDBAPI, Linker

import dadkhah.linkage.run as run
from dadkhah.errors import LinkageError
from dadkhah.linkage.blocking import CAP, mark_dense_blocks, pairs_sql
from dadkhah.linkage.settings import BLOCKING_KEYS, model_settings
from tests.linkage.conftest import assert_same_link


def test_the_pairs_are_splinks_pair_by_pair_with_the_same_first_rule(
        dense_names_features: pd.DataFrame) -> None:
    f = mark_dense_blocks(dense_names_features, BLOCKING_KEYS, limit=3)
    capped = [k for k in BLOCKING_KEYS if CAP in k]
    dense = [k for k in capped if f["dense__" + "__".join(k[:-1])].any()]
    assert len(dense) >= 5  # the dense paths are exercised, not only the ordinary blocks
    db = DuckDBAPI()
    records = db.register(f, dataset_display_name="records")
    linker = Linker(records, model_settings(), log_level=None)
    theirs = linker.inference.compute_blocked_pairs_for_predict()
    con = db.duckdb_con
    cols = "match_key, join_key_l, join_key_r"
    want = set(con.execute(f"SELECT CAST(match_key AS INT), join_key_l, join_key_r "
                          f"FROM {theirs.physical_name}").fetchall())
    got = con.execute(f"SELECT {cols} FROM ({pairs_sql(BLOCKING_KEYS, 'records')})"
                      ).fetchall()
    assert len(got) == len(set(got))  # each pair once
    assert set(got) == want
    assert len(want) > 300
    assert len({k for k, _, _ in want}) >= 5  # pairs first admitted by several rules
    # made in three parts by left id: the same pairs, each in one part
    parts = [con.execute(f"SELECT {cols} FROM "
                         f"({pairs_sql(BLOCKING_KEYS, 'records', part=(i, 3))})").fetchall()
             for i in range(3)]
    assert sorted(x for p in parts for x in p) == sorted(got)
    assert all(parts)


def test_a_link_on_these_pairs_scores_and_clusters_as_splinks_own_blocking(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = run.link_features(dense_names_features)
    monkeypatch.setattr(run, "_blocked_pairs", lambda *_a, **_k: None)
    monkeypatch.setattr(run, "_comparison_vectors", lambda *_a, **_k: None)
    theirs = run.link_features(dense_names_features, model=ours.model,
                               term_frequencies=ours.term_frequencies)
    assert_same_link(ours, theirs, weights=False)


def test_scoring_stored_comparison_vectors_gives_splinks_predictions_at_every_scoring(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    # a whole link, trained here, scored twice (the prior re-estimated from the clusters
    # and name frequencies counted over persons): each scoring from the comparison vectors
    # made once, against splink's own predict on the same blocked pairs at each scoring
    ours = run.link_features(dense_names_features)
    assert any("over persons of a first clustering" in n for n in ours.notes)
    monkeypatch.setattr(run, "_comparison_vectors", lambda *_a, **_k: None)
    theirs = run.link_features(dense_names_features)
    assert ours.prior == pytest.approx(theirs.prior, rel=1e-12)
    assert len(assert_same_link(ours, theirs)) >= 10


class _Tight:
    """A DuckDB connection whose memory holds the pairs of a part but not all of them at
    once: making them in one part raises DuckDB's own out-of-memory error (the densest
    names at 1.5 GB did so for real; here it is simulated so that the test stays small)."""

    def __init__(self, con: object, whole_fails: bool = True,
                 table: str = "dadkhah_pairs_", fail_first: bool = False) -> None:
        self.con, self.whole_fails, self.refused, self.table = con, whole_fails, 0, table
        self.fail_first = fail_first  # only the first making statement fails

    def execute(self, sql: str, *args: object) -> object:
        making = self.table in sql and not sql.startswith("DROP")
        if self.fail_first:
            making = making and not self.refused
        if making and (self.fail_first or self.whole_fails and " % " not in sql
                       or not self.whole_fails):
            self.refused += 1
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate (test)")
        return self.con.execute(sql, *args)  # type: ignore[attr-defined]


class _DB:
    def __init__(self, db: DuckDBAPI, con: _Tight) -> None:
        self.db, self.duckdb_con = db, con

    def register(self, name: str) -> object:
        return self.db.register(name)


def test_pairs_made_again_in_smaller_parts_when_duckdb_runs_out_of_memory(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "PAIRS_PART_RECORDS", 10**9)  # one part first
    f = mark_dense_blocks(dense_names_features, BLOCKING_KEYS)
    db = DuckDBAPI()
    records = db.register(f, dataset_display_name="records")
    tight = _Tight(db.duckdb_con)
    made = run._blocked_pairs(_DB(db, tight), records, "duckdb")
    assert tight.refused == 1  # the whole failed once, then four parts went through
    con, cols = db.duckdb_con, "match_key, join_key_l, join_key_r"
    got = con.execute(f"SELECT {cols} FROM {made.physical_name}").fetchall()
    want = con.execute(f"SELECT {cols} FROM ({pairs_sql(BLOCKING_KEYS, 'records')})").fetchall()
    assert len(got) == len(set(got)) and set(got) == set(want) and len(want) > 300


def test_pairs_that_never_fit_give_a_clear_error(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "PAIRS_MAX_PARTS", 16)
    f = mark_dense_blocks(dense_names_features, BLOCKING_KEYS)
    db = DuckDBAPI()
    records = db.register(f, dataset_display_name="records")
    tight = _Tight(db.duckdb_con, whole_fails=False)
    with pytest.raises(LinkageError, match="ran out of DuckDB's memory even in 16 parts") as e:
        run._blocked_pairs(_DB(db, tight), records, "duckdb")
    assert "DADKHAH_DUCKDB_MEMORY" in (e.value.hint or "")
    assert tight.refused == 3  # 1, 4 and 16 parts tried


def test_vectors_made_straight_from_the_blocking_sql_in_parts_when_memory_is_short(
        dense_names_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    # the vectors made part by part from each part's blocking SQL (no table of pairs) are
    # those of the pairs table, pair by pair, whether made whole or again in four parts
    # after running out of memory
    f = mark_dense_blocks(dense_names_features, BLOCKING_KEYS)
    db = DuckDBAPI()
    records = db.register(f, dataset_display_name="records")
    linker = Linker(records, model_settings(), log_level=None)
    con = db.duckdb_con
    whole = run._comparison_vectors(linker, db, records, "duckdb")
    gammas = [c for c in con.execute(f"SELECT * FROM {whole.physical_name} LIMIT 0"
                                     ).fetchdf().columns if c.startswith("gamma_")]
    assert len(gammas) >= 10
    cols = ", ".join(["match_key", "unique_id_l", "unique_id_r", *gammas])
    a = con.execute(f"SELECT {cols} FROM {whole.physical_name}").fetchall()
    monkeypatch.setattr(run, "PAIRS_PART_RECORDS", 10**9)  # one part first
    tight = _Tight(con, table="dadkhah_vectors_", fail_first=True)
    parted = run._comparison_vectors(linker, _DB(db, tight), records, "duckdb")
    assert tight.refused == 1  # the whole failed once, then four parts went through
    assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name LIKE "
                           "'dadkhah_part_pairs_%'").fetchall()  # a part's pairs dropped
    b = con.execute(f"SELECT {cols} FROM {parted.physical_name}").fetchall()
    pairs = run._blocked_pairs(db, records, "duckdb")
    want = set(con.execute(f"SELECT match_key, join_key_l, join_key_r FROM "
                           f"{pairs.physical_name}").fetchall())
    assert len(a) == len(set(a)) and sorted(a) == sorted(b)
    assert {(int(k), x, y) for k, x, y, *_ in a} == want and len(want) > 300
