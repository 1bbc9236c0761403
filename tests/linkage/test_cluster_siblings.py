"""The sibling guard: records with one surname and father but different given names are
never merged into one person by the model; a reviewer's must-link may."""

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records, given_names_differ


def _recs(given: list[str | None], surname: str = "_hmdY", father: str | None = "hsn"
          ) -> pd.DataFrame:
    n = len(given)
    return pd.DataFrame({"unique_id": range(1, n + 1), "surname_key": [surname] * n,
                         "father_key": [father] * n, "given1_key": given})


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_brothers_are_not_merged() -> None:
    # Ali (1, 2 in two scripts: one key) and his brother Hossein (3), same day and prison:
    # the model scores 3 high with both, average linkage alone would merge all three.
    edges = _edges((1, 2, .99), (1, 3, .97), (2, 3, .96))
    res = cluster_records(_recs(["_lY", "_lY", "hsYn"]), edges, threshold=.5)
    assert res.members() == {1: [1, 2], 3: [3]}
    assert res.refusal_counts() == {"siblings": 2}  # 1–3 and 2–3
    off = cluster_records(_recs(["_lY", "_lY", "hsYn"]), edges, threshold=.5,
                          sibling_guard=False, given_guard=False)
    assert off.members() == {1: [1, 2, 3]}


@pytest.mark.parametrize(("a", "b"), [
    ("hsn", "hsYn"),  # Hassan / Hossein: one consonant skeleton
    ("mhmd", "mhmVd"),  # Mohammad / Mahmoud: one edit apart
    ("hmYd", "hmd"),  # Hamid / Hamed
])
def test_brothers_names_one_letter_apart_are_not_merged(a: str, b: str) -> None:
    # The guard compares loosely (romanisations differ in vowels, lists drop letters), but
    # two given names of the names dictionary are two names, not one misread (session 19:
    # a second blind probe's households had brothers Mohammad and Mahmoud merged)
    res = cluster_records(_recs([a, b]), _edges((1, 2, .99)), threshold=.5)
    assert res.n_clusters == 2 and res.refusal_counts() == {"siblings": 1}
    assert given_names_differ(a, b) and given_names_differ(a, b, loose=True)


def test_an_initial_does_not_block_but_mohammad_written_out_does() -> None:
    # «M.» keys as its initial (the features' given1_key: dadkhah.names.keys.written_initial)
    assert cluster_records(_recs(["mstfY", "m"]), _edges((1, 2, .99)),
                           threshold=.5).n_clusters == 1
    # Mohammad written out is not an initial: Mostafa is another brother
    assert cluster_records(_recs(["mstfY", "mhmd"]), _edges((1, 2, .99)),
                           threshold=.5).n_clusters == 2


def test_a_given_name_written_as_an_initial_is_keyed_by_the_initial() -> None:
    from dadkhah.linkage.features import compute_features

    recs = pd.DataFrame({"unique_id": [1, 2, 3], "source_id": [1, 1, 2],
                         "full_name": ["M. Reza Ahmadi", "Mohammad Reza Ahmadi", None],
                         "given_names": [None, None, "م. رضا"], "surname": [None, None, "احمدی"]})
    keys = compute_features(recs).set_index("unique_id")["given1_key"].to_dict()
    assert keys[1] == keys[3] == "m" and keys[2] == "mhmd"


@pytest.mark.parametrize(("a", "b"), [
    ("_lY", "_lA"),  # «'Alaa»: Ali in an Arabic-style romanisation (one skeleton)
    ("mjtbY", "mtbY"),  # a dropped letter
    ("_lY", "_lYkbr"),  # «Ali Akbar» written in one word
])
def test_one_name_written_differently_is_not_siblings(a: str, b: str) -> None:
    res = cluster_records(_recs([a, b]), _edges((1, 2, .99)), threshold=.5)
    assert res.n_clusters == 1


def test_different_fathers_or_unknown_fields_do_not_trigger() -> None:
    # (the given-name guard, test_cluster_given_guard.py, refuses these; here the sibling
    # guard alone)
    recs = _recs(["_lY", "hsYn"])
    recs.loc[1, "father_key"] = "jfr"
    alone = {"given_guard": False, "father_guard": False}
    assert cluster_records(recs, _edges((1, 2, .99)), threshold=.5, **alone).n_clusters == 1
    recs = _recs(["_lY", "hsYn"], father=None)
    assert cluster_records(recs, _edges((1, 2, .99)), threshold=.5, **alone).n_clusters == 1
    assert cluster_records(recs, _edges((1, 2, .99)), threshold=.5).n_clusters == 2
    # without the name columns the guards cannot apply (records of older callers)
    bare = recs[["unique_id"]]
    assert cluster_records(bare, _edges((1, 2, .99)), threshold=.5).n_clusters == 1


def test_a_must_link_may_join_different_given_names_and_opens_the_way() -> None:
    # A reviewer decided 1 and 2 are one person listed under two given names; 3 (named
    # like 2) may then join them, since one given name on each side agrees.
    edges = _edges((2, 3, .99), (1, 3, .6))
    res = cluster_records(_recs(["_lY", "hsYn", "hsYn"]), edges, threshold=.5,
                          must_link=[(1, 2)])
    assert res.members() == {1: [1, 2, 3]} and not res.refusals
    # without the decision, 1 and 2 are brothers and 3 goes with 2
    res = cluster_records(_recs(["_lY", "hsYn", "hsYn"]), pd.concat([edges, _edges(
        (1, 2, .7))]), threshold=.5)
    assert res.members() == {1: [1], 2: [2, 3]}


def test_chains_through_a_group_are_refused() -> None:
    # 4 (Reza, no father) links to 1 (Ali) and to 3 (Hossein); 1 and 3 are brothers: the
    # group {1, 2, 4} may not take in 3 through 4.
    recs = _recs(["_lY", "_lY", "hsYn", "rzA"])
    recs.loc[3, "father_key"] = None
    edges = _edges((1, 2, .99), (1, 4, .98), (2, 4, .98), (3, 4, .97), (1, 3, .9),
                   (2, 3, .9))
    res = cluster_records(recs, edges, threshold=.5, given_guard=False)
    assert res.members() == {1: [1, 2, 4], 3: [3]}
    # the given-name guard keeps Reza apart from both (one surname, no father for him)
    res = cluster_records(recs, edges, threshold=.5)
    assert res.members() == {1: [1, 2], 3: [3], 4: [4]}


def test_given_names_differ_strict_and_loose() -> None:
    assert given_names_differ("hsn", "hsYn")  # Hassan / Hossein
    # one skeleton, but both are given names of the dictionary (session 19)
    assert given_names_differ("hsn", "hsYn", loose=True)
    assert not given_names_differ("hsn", "hsYnn", loose=True)  # one of them not a name
    assert not given_names_differ("_lY", None) and not given_names_differ("E", "hsYn")
    assert given_names_differ("_lY", "rzA", loose=True)
    # Mohammad written out differs from Mehdi (an «M.» keys as "m": session 19)
    assert given_names_differ("mhmd", "mhdY") and not given_names_differ("m", "mhdY")


def _listed(rows: list[tuple[int, str, str | None, int | None]]) -> pd.DataFrame:
    """(list, whole given-name key, father's key, birth year) per record, one surname."""
    return pd.DataFrame({
        "unique_id": range(1, len(rows) + 1), "source_id": [r[0] for r in rows],
        "surname_key": "mYrY", "given_key": [r[1] for r in rows],
        "given1_key": [r[1][:4] if r[1].startswith("mhmd") else r[1] for r in rows],
        "father_key": [r[2] for r in rows], "birth_lo": [r[3] for r in rows],
        "birth_hi": [None if r[3] is None else r[3] + 1 for r in rows]})


def test_one_list_naming_two_forms_of_a_name_names_two_brothers() -> None:
    # A families' list names «محمد میری» and «محمدرضا میری», father محمد, in two rows: two
    # brothers, although elsewhere a «Mohammad» may be a Mohammad Reza with the second part
    # dropped.  A third «Mohammad Miri» of another list, scored higher with Mohammad Reza
    # (the birth years agree), is Mohammad: the family has both.
    recs = _listed([(1, "mhmd", "mhmd", None), (1, "mhmdrzA", "mhmd", 1948),
                    (2, "mhmd", "mhmd", 1949)])
    edges = _edges((1, 2, .9), (1, 3, .95), (2, 3, .99))
    res = cluster_records(recs, edges, threshold=.5)
    assert res.members() == {1: [1, 3], 2: [2]}
    assert res.refusal_counts() == {"one_list": 2}  # 2–3, then 1–2
    assert cluster_records(recs, edges, threshold=.5, list_guard=False).n_clusters == 1
    # «Mohammad Reza Miri» of a third list goes to Mohammad Reza
    recs = _listed([(1, "mhmd", "mhmd", None), (1, "mhmdrzA", "mhmd", 1948),
                    (2, "mhmdrzA", "mhmd", None)])
    assert cluster_records(recs, _edges((1, 2, .9), (1, 3, .995), (2, 3, .99)),
                           threshold=.5).members() == {1: [1], 2: [2, 3]}


@pytest.mark.parametrize(("rows", "why"), [
    ([(1, "mhmd", "mhmd", None), (2, "mhmdrzA", "mhmd", 1948)], "two lists"),
    ([(1, "mhmd", "mhmd", 1948), (1, "mhmdrzA", "mhmd", 1948)], "one age: one person twice"),
    ([(1, "mhm", "mhmd", None), (1, "mhmd", "mhmd", 1948)], "a letter dropped"),
    ([(1, "mhmd", "_lY", None), (1, "mhmdrzA", "mhmd", 1948)], "other fathers"),
])
def test_what_one_list_does_not_tell(rows: list, why: str) -> None:
    # the list guard alone (two fathers are two persons by the father guard,
    # test_cluster_fathers.py)
    res = cluster_records(_listed(rows), _edges((1, 2, .99)), threshold=.5,
                          father_guard=False)
    assert res.n_clusters == 1, why


def test_a_reviewer_may_join_what_one_list_names_twice() -> None:
    recs = _listed([(1, "mhmd", "mhmd", None), (1, "mhmdrzA", "mhmd", 1948),
                    (2, "mhmdrzA", "mhmd", 1948)])
    res = cluster_records(recs, _edges((1, 3, .95), (2, 3, .99)), threshold=.5,
                          must_link=[(1, 2)])
    assert res.members() == {1: [1, 2, 3]} and not res.refusals
