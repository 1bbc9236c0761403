"""Given-name-only records joined to the one person their given name, town and age fit."""

import pandas as pd

from dadkhah.linkage.cluster import cluster_records


def _records(*rows: tuple) -> pd.DataFrame:
    """rows: (id, given_key, surname_key, city_id, birth_lo, birth_hi, sex)."""
    df = pd.DataFrame(rows, columns=["unique_id", "given_key", "surname_key", "city_id",
                                     "birth_lo", "birth_hi", "sex"])
    df["prison_city"] = None
    return df


def _edges(*triples: tuple) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


# Hassan Abbasi of Karaj, born 1967, in two lists (one person); a memoir's «Hassan, of
# Karaj, born 1966» scored 0.3 against one of them (many Hassans exist).
PERSON = [(1, "hsn", "_bsY", "karaj", 1967, 1968, "m"), (2, "hsn", "_bsY", "karaj", 1967, 1967,
                                                         "m")]
MEMOIR = (3, "hsn", None, "karaj", 1966, 1967, None)
EDGES = [(1, 2, 0.99), (1, 3, 0.3), (2, 3, 0.2)]


def _cluster(records: pd.DataFrame, edges: pd.DataFrame, **kw) -> dict[int, int]:
    return cluster_records(records, edges, threshold=0.5, **kw).assignment.to_dict()


def test_memoir_record_joins_the_only_person_that_fits() -> None:
    res = cluster_records(_records(*PERSON, MEMOIR), _edges(*EDGES), threshold=0.5)
    got = res.assignment.to_dict()
    assert got[3] == got[1] == got[2]
    assert [a for a, _ in res.attached] == [3]
    # without the pass the pair's score (0.3 < 0.5) leaves it alone
    off = _cluster(_records(*PERSON, MEMOIR), _edges(*EDGES), attach_given_only=False)
    assert off[3] == 3 and off[1] == off[2]


def test_a_second_person_who_fits_as_well_leaves_it_alone() -> None:
    # another Hassan (Karimi) of Karaj born 1966, scored about as high: two persons fit, so
    # the memoir's Hassan is ambiguous (odds 0.43 and 0.33: the best holds 56% < 70%)
    other = (4, "hsn", "krYmY", "karaj", 1966, 1966, "m")
    got = _cluster(_records(*PERSON, MEMOIR, other), _edges(*EDGES, (3, 4, 0.25)))
    assert got[3] == 3 and got[4] == 4 and got[1] == got[2]


def test_a_person_who_fits_far_better_than_the_others_takes_it() -> None:
    # the other Hassan of Karaj fits too, but scored 0.05 (odds 0.05 against 0.43: the
    # best holds 89% of the odds); a rival never scored counts at 0.005
    other = (4, "hsn", "krYmY", "karaj", 1966, 1966, "m")
    third = (5, "hsn", "nVrY", "karaj", 1966, 1966, "m")
    res = cluster_records(_records(*PERSON, MEMOIR, other, third),
                          _edges(*EDGES, (3, 4, 0.05)), threshold=0.5)
    got = res.assignment.to_dict()
    assert got[3] == got[1] == got[2] and got[4] == 4 and got[5] == 5
    assert [a for a, _ in res.attached] == [3]


def test_namesakes_elsewhere_or_of_another_age_do_not_count() -> None:
    elsewhere = (4, "hsn", "krYmY", "shiraz", 1966, 1966, "m")
    older = (5, "hsn", "rzAYY", "karaj", 1950, 1950, "m")
    woman = (6, "hsn", "mVsvY", "karaj", 1966, 1966, "f")
    memoir_man = (3, "hsn", None, "karaj", 1966, 1967, "m")
    got = _cluster(_records(*PERSON, memoir_man, elsewhere, older, woman), _edges(*EDGES))
    assert got[3] == got[1]


def test_no_scored_pair_or_a_low_one_is_not_enough() -> None:
    unscored = _cluster(_records(*PERSON, MEMOIR), _edges((1, 2, 0.99)))
    assert unscored[3] == 3
    low = _cluster(_records(*PERSON, MEMOIR), _edges((1, 2, 0.99), (1, 3, 0.05)))
    assert low[3] == 3


def test_decisions_still_win() -> None:
    got = _cluster(_records(*PERSON, MEMOIR), _edges(*EDGES), cannot_link=[(2, 3)])
    assert got[3] == 3 and got[1] == got[2]


def test_death_dates_that_cannot_be_one_person_leave_it_alone() -> None:
    recs = _records(*PERSON, MEMOIR).assign(death_lo=[6800, 6800, 6900],
                                            death_hi=[6800, 6800, 6900])
    got = _cluster(recs, _edges(*EDGES))
    assert got[3] == 3
