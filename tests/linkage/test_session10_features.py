"""Session 10's linkage features and counts: initials in the surname column, the sex a given
name tells, the father's name cut short, loose keys of both parts, and the given-name-only
records left alone counted apart (SYNTHETIC names)."""

from __future__ import annotations

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records, surnames_differ, unresolved_mentions
from dadkhah.linkage.features import compute_features, sex_of_given
from dadkhah.linkage.run import _cluster
from dadkhah.linkage.settings import BLOCKING_KEYS


def _features(**cols: list) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    records = pd.DataFrame({"unique_id": range(1, n + 1), "source_id": range(1, n + 1),
                            **cols})
    return compute_features(records).set_index("unique_id")


def test_a_surname_column_of_initials_means_the_columns_are_swapped() -> None:
    """«شکوری | ش.»: lists abbreviate given names, never surnames."""
    f = _features(given_names=["شکوری", "شاپور"], surname=["ش.", "شکوری"])
    assert f.loc[1, "surname_key"] == f.loc[2, "surname_key"]
    assert f.loc[1, "initial"] == f.loc[2, "initial"]


def test_the_sex_a_given_name_tells_is_kept_apart_from_the_stated_sex() -> None:
    f = _features(given_names=["فاطمه", "Mohammad", "Mohammad"], surname=["دولت‌زاده"] * 3,
                  sex=[None, None, "f"])
    assert f.loc[1, "name_sex"] == "f" and pd.isna(f.loc[1, "sex"])
    assert f.loc[2, "name_sex"] == "m" and pd.isna(f.loc[2, "sex"])
    assert f.loc[3, "sex"] == "f"  # what the list states is not overwritten
    assert set(sex_of_given().values()) == {"m", "f"}


def test_father_cut_short_and_loose_keys() -> None:
    # («Muhamed» keys as محمد since the short-vowel respelling; «Mouhamed» does not)
    f = _features(given_names=["رضا", "Reza", "Mouhamed", "محمد"],
                  surname=["ستارپور", "Sattarpour", "Asgari", "اصغری"],
                  father_name=["حسین", "Amaar", None, None])
    assert f.loc[3, "given_lq"] == f.loc[4, "given_lq"]
    assert f.loc[3, "surname_lq"] == f.loc[4, "surname_lq"]
    assert f.loc[3, "given_key"] != f.loc[4, "given_key"]  # only the loose keys agree
    g = _features(father_name=["حسی", "حسین", "امیر", "Amaar"], given_names=["a"] * 4)
    assert g.loc[2, "father_key"].startswith(g.loc[1, "father_key"])
    assert g.loc[3, "father_skel"] == g.loc[4, "father_skel"]
    # too dear on dense names to be a blocking rule (settings.BLOCKING_KEYS' comment)
    assert not any(k[:2] == ("given_lq", "surname_lq") for k in BLOCKING_KEYS)


def _mention_case(strong: float) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Three named persons (records 1-3) and two given-name-only records (4, 5): record 4
    scored against person 1 with ``strong`` bits of evidence, record 5 never scored."""
    features = pd.DataFrame({"unique_id": [1, 2, 3, 4, 5],
                             "given_key": ["hsn", "_lY", "rzA", "hsn", "mhmd"],
                             "surname_key": ["_hmdY", "krmY", "rzY", None, None]})
    assignment = pd.Series([1, 2, 3, 4, 5], index=[1, 2, 3, 4, 5])
    pairs = pd.DataFrame({"unique_id_l": [1], "unique_id_r": [4],
                          "match_probability": [0.3], "match_weight": [strong - 10.0],
                          "mw_given_alone": [strong]})
    return features, assignment, pairs


def test_unresolved_mentions_are_counted_at_their_expected_new_persons() -> None:
    weak = unresolved_mentions(*_mention_case(0.0), prior=1e-3)
    strong = unresolved_mentions(*_mention_case(20.0), prior=1e-3)
    assert weak.ids == strong.ids == (4, 5)
    # the record never scored is new; the other is new unless its evidence is strong
    assert 1.0 <= strong.expected_new < 1.1
    assert weak.expected_new > 1.5
    assert strong.share_in_register > weak.share_in_register


def test_a_mention_that_clustering_joined_is_not_unresolved() -> None:
    features, _, pairs = _mention_case(20.0)
    joined = pd.Series([1, 2, 3, 1, 5], index=[1, 2, 3, 4, 5])
    m = unresolved_mentions(features, joined, pairs, prior=1e-3)
    assert m.ids == (5,)
    assert m.expected_new == pytest.approx(1.0)


def test_cross_sex_merge_by_given_name_sex_is_refused() -> None:
    """The clustering reads an unstated sex from the given name: «Mohammad Dowlatzadeh» and
    «Fatemeh Zahra Dowlatzadeh», one prison and day, scored alike, stay two persons; with
    the name's sex left out the given-name guard (one surname, given names that differ)
    still keeps them apart."""
    features = _features(given_names=["Mohammad", "Fatemeh Zahra"],
                         surname=["Dowlatzadeh", "Dowlatzadeh"]).reset_index()
    pairs = pd.DataFrame({"unique_id_l": [1], "unique_id_r": [2],
                          "match_probability": [0.99], "match_weight": [6.6],
                          "mw_name": [3.0], "mw_place": [13.6], "mw_list": [0.0]})
    res = _cluster(features, pairs, 0.5, [], [])
    assert res.n_clusters == 2 and res.refusal_counts() == {"sex": 1}
    blind = _cluster(features.drop(columns="name_sex"), pairs, 0.5, [], [])
    assert blind.n_clusters == 2 and blind.refusal_counts() == {"given_names": 1}


def test_a_given_name_only_record_does_not_chain_two_families() -> None:
    """«حسین, Tehran» scored above the threshold against both «Hossein Kateb-Nejad» and
    «Hossein Shayanpour» joins one of them; the other stays apart (surname guard), while a
    surname a letter or a vowel off, or swapped with the given name, does not stop a merge."""
    records = pd.DataFrame({"unique_id": [1, 2, 3],
                            "given_key": ["hsYn", "hsYn", "hsYn"],
                            "surname_key": ["ktbnZd", None, "SYnpVr"]})
    edges = pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
                          "match_probability": [0.9, 0.8]})
    res = cluster_records(records, edges, threshold=0.5, linkage="single",
                          attach_given_only=False)
    assert res.n_clusters == 2 and res.refusal_counts() == {"surnames": 1}
    off = cluster_records(records, edges, threshold=0.5, linkage="single",
                          attach_given_only=False, surname_guard=False)
    assert off.n_clusters == 1
    for a, b in (("hSmY", "hSYmY"), ("hmYdpVr", "hmYdVr"), ("hsYnY", "hsYnYnsb")):
        assert not surnames_differ(a, b), (a, b)
    assert surnames_differ("ktbnZd", "SYnpVr")
    swapped = pd.DataFrame({"unique_id": [1, 2], "given_key": ["hsYn", "nYknm"],
                            "surname_key": ["nYknm", "hsYn"]})
    one = cluster_records(swapped, edges.iloc[:1], threshold=0.5, linkage="single")
    assert one.n_clusters == 1
