"""The given-name guard: records with one surname but different given names are not merged
by the model even when no father's name is known (brothers executed together share the
surname, the day, the prison and the town); one name written differently still merges."""

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records, given_names_differ


def _recs(given: list[str | None], surname: str = "mhbdY") -> pd.DataFrame:
    n = len(given)
    return pd.DataFrame({"unique_id": range(1, n + 1), "surname_key": [surname] * n,
                         "father_key": [None] * n, "given1_key": given})


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_brothers_without_a_fathers_name_are_not_merged() -> None:
    # «Hossein Mahbudi» and «Fereydun Mahbudi», one town, one day: scored 0.955 on tuning
    # profile 6; the sibling guard needs the father's name on both sides.
    edges = _edges((1, 2, .99), (1, 3, .96), (2, 3, .95))
    res = cluster_records(_recs(["hsYn", "hsYn", "frYdVn"]), edges, threshold=.5)
    assert res.members() == {1: [1, 2], 3: [3]}
    assert res.refusal_counts() == {"given_names": 2}
    off = cluster_records(_recs(["hsYn", "hsYn", "frYdVn"]), edges, threshold=.5,
                          given_guard=False)
    assert off.members() == {1: [1, 2, 3]}


def test_other_surnames_are_not_its_business() -> None:
    recs = pd.DataFrame({"unique_id": [1, 2], "surname_key": ["mhbdY", "krYmY"],
                         "father_key": [None, None], "given1_key": ["hsYn", "frYdVn"]})
    res = cluster_records(recs, _edges((1, 2, .99)), threshold=.5, surname_guard=False)
    assert res.n_clusters == 1


@pytest.mark.parametrize(("a", "b"), [
    ("mrtzY", "mVrtsA"),  # Morteza / «Murtsa»: consonants one apart (four or more)
    ("msftY", "mstfY"),  # two letters swapped
    ("rqYE", "rVgYE"),  # Roghayeh / «Rugayeh»: گ for ق/غ
    ("rstm", "rVstrn"),  # Rostam printed with «rn» for «m»
    ("hj", "mhdY"),  # a list writing only the title «Haj» where the given name goes
])
def test_one_name_written_differently_still_merges(a: str, b: str) -> None:
    assert not given_names_differ(a, b, loose=True)
    res = cluster_records(_recs([a, b]), _edges((1, 2, .99)), threshold=.5)
    assert res.n_clusters == 1


@pytest.mark.parametrize(("a", "b"), [
    ("_hmd", "mhmd"),  # Ahmad / Mohammad: three consonants, not allowed an edit
    ("hsYn", "frYdVn"),
    ("mhdY", "_hmd"),  # Mahdi / Ahmad
    ("sYd", "mhdY"),  # Saeed / Mahdi: «Saeed» shares the key of the title «Seyed»
    ("sYdE", "mrYm"),  # Saeedeh / Maryam, likewise «Seyedeh»
])
def test_different_names_still_differ(a: str, b: str) -> None:
    assert given_names_differ(a, b, loose=True)


@pytest.mark.parametrize(("a", "b"), [
    ("_Srf", "_kbrf"),  # Ashraf misread: tuning profile 3, scored 0.87-0.99 to her records
    ("SpVr", "kbpVr"),  # Shapour, «Sh» read as «kb»
    ("mstfY", "msbhdY"),  # Mostafa, letters misread in both halves
])
def test_a_misread_given_name_does_not_split_a_person(a: str, b: str) -> None:
    # the names differ beyond what the loose comparison forgives, but one of them is no
    # name the names dictionary knows: a misreading, not a brother
    assert given_names_differ(a, b, loose=True)
    res = cluster_records(_recs([a, a, b]), _edges((1, 2, .99), (1, 3, .95), (2, 3, .9)),
                          threshold=.5)
    assert res.members() == {1: [1, 2, 3]}
