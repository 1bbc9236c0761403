"""A retyped list drops or swaps a letter of a surname its source spells right («رضا امدی»
for «رضا احمدی»): the rare key one letter off a commoner one is blocked against it when the
given names agree (``surname_fix``), though the exact keys (which the scores read) differ and
nothing else of the two records agrees (SYNTHETIC names)."""

from __future__ import annotations

import duckdb
import pandas as pd

from dadkhah.linkage.blocking import DENSE_BLOCK
from dadkhah.linkage.evaluate import blocking_recall
from dadkhah.linkage.features import compute_features, likelier_spellings
from dadkhah.linkage.settings import BLOCKING_KEYS, father_comparison


def test_a_rare_key_one_letter_off_points_to_the_commoner_one() -> None:
    counts = {"_hmdY": 6, "_mdY": 1, "mhmdY": 40, "hsYnY": 30, "hsnY": 12, "bY": 1, "bnY": 5}
    likelier = likelier_spellings(counts)
    assert likelier["_mdY"][0] == "_hmdY"  # a letter dropped
    assert "hsnY" not in likelier  # two families of like frequency: no slip
    assert "_hmdY" not in likelier  # Ahmadi is no rare key and Mohammadi not 8 times as common
    assert likelier_spellings({"_hmdY": 6, "mhmdY": 48})["_hmdY"] == ["mhmdY"]
    assert "bY" not in likelier  # too short for one letter to be a slip
    # a swap of two neighbours, and of two equally rare keys only the later is mapped
    swapped = likelier_spellings({"nVrzd": 1, "nVzrd": 1})
    assert swapped == {"nVzrd": ["nVrzd"]}


def test_a_dropped_letter_is_blocked_with_the_same_given_name() -> None:
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5],
        "source_id": [1, 2, 3, 2, 3],
        "given_names": ["رضا", "رضا", "Reza", "علی", "Ali"],
        "surname": ["احمدی", "امدی", "Ahmadi", "حینی", "Hosseini"],
        # nothing else agrees, so only a name rule can admit the pairs
        "death_date": ["1988-08-01", "1988-09-05", "1988-07-21", "1988-08-02", "1988-09-06"],
        "city": ["Tehran", "Tabriz", "Shiraz", "Rasht", "Ahvaz"],
    })
    f = compute_features(records).set_index("unique_id", drop=False)
    assert f.loc[2, "surname_key"] != f.loc[1, "surname_key"]
    assert f.loc[2, "surname_fix"] == f.loc[1, "surname_key"] == f.loc[3, "surname_key"]
    assert f.loc[1, "surname_fix"] is None
    truth = pd.Series({1: "a", 2: "a", 3: "a", 4: "b", 5: "b"})
    without = [k for k in BLOCKING_KEYS if not any("surname_fix" in i for i in k)]
    assert len(without) == len(BLOCKING_KEYS) - 3
    assert blocking_recall(f, truth, without)["all rules"] < 1.0
    assert blocking_recall(f, truth, BLOCKING_KEYS)["all rules"] == 1.0


def test_no_fix_into_a_dense_block_of_namesakes() -> None:
    n = DENSE_BLOCK + 1
    records = pd.DataFrame({
        "unique_id": range(1, n + 3),
        "source_id": [1] * (n + 2),
        "given_names": ["محمد"] * (n + 1) + ["رضا"],
        "surname": ["محمدی"] * n + ["محمي", "محمي"],
    })
    f = compute_features(records).set_index("unique_id")
    # among thousands of «محمد محمدی» the slip says nothing; with another given name it may
    assert f.loc[n + 1, "surname_fix"] is None
    assert f.loc[n + 2, "surname_fix"] == f.loc[1, "surname_key"]


def test_a_letter_dropped_as_written_though_two_apart_as_keys() -> None:
    # «ممدی» for «محمدی»: one letter dropped as written, «mdY» against «mhmdY» as keys
    records = pd.DataFrame({
        "unique_id": [1, 2, 3],
        "source_id": [1, 2, 3],
        "given_names": ["رضا", "رضا", "Reza"],
        "surname": ["محمدی", "ممدی", "Mohammadi"],
        "death_date": ["1988-08-01", "1988-09-05", "1988-07-21"],
        "city": ["Tehran", "Tabriz", "Shiraz"],
    })
    f = compute_features(records).set_index("unique_id", drop=False)
    assert len(likelier_spellings(f["surname_key"].value_counts().to_dict())) == 0
    assert f.loc[2, "surname_fix"] == f.loc[3, "surname_key"]
    truth = pd.Series({1: "a", 2: "a", 3: "a"})
    assert blocking_recall(f, truth, BLOCKING_KEYS)["all rules"] == 1.0


def _holds(condition: str, feats: pd.DataFrame, a: int, b: int) -> bool:
    f = feats.set_index("unique_id")
    row = {f"{c}_l": f.loc[a, c] for c in f.columns} | {f"{c}_r": f.loc[b, c]
                                                       for c in f.columns}
    pair = pd.DataFrame([row]).astype(object)
    pair = pair.where(pair.notna(), None)
    con = duckdb.connect()
    con.register("p", pair)
    return bool(con.execute(f"SELECT COALESCE(({condition}), false) FROM p").fetchone()[0])


def test_a_fathers_name_with_two_letters_swapped_is_not_another_father() -> None:
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5],
        "source_id": [1, 1, 1, 2, 2],
        "given_names": ["محسن", "علی", "رضا", "محسن", "مهدی"],
        "surname": ["محمدی", "رضایی", "کریمی", "محمدي", "نوری"],
        "father_name": ["اکبر", "اکبر", "اکبر", "اكرب", "حسن"],
    })
    feats = compute_features(records)
    f = feats.set_index("unique_id")
    assert f.loc[4, "father_key"] != f.loc[1, "father_key"]
    assert f.loc[4, "father_fix"] == f.loc[1, "father_key"]
    levels = father_comparison().get_comparison("duckdb").comparison_levels
    near = next(lv.sql_condition for lv in levels
                if lv.label_for_charts.startswith("one father's name cut short"))
    assert _holds(near, feats, 1, 4)
    assert not _holds(near, feats, 4, 5)
