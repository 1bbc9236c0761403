"""One slipped digit of a year or a date («۱۳۲۵» for «۱۳۴۵», «1964» for 1946, month «۰۹» for
«۰۵», «46» in an age column for 1346) does not keep two records of one full name apart; two
witnesses of another year, another given name or another father still do.  SYNTHETIC."""

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records
from dadkhah.linkage.written_dates import (
    birth_slips,
    birth_years,
    digit_slips,
    read_born,
    read_death,
    short_number,
)
from dadkhah.names import parse_age, word_key


def _recs(rows: list[tuple]) -> pd.DataFrame:
    """(given, father, birth cell, age cell, death cell) per record, one surname."""
    out = []
    for i, (given, father, born, age, died) in enumerate(rows, start=1):
        dlo, dhi, _ = read_death(died) if died else (None, None, None)
        iv = birth_years(read_born(born) if born else None, parse_age(age) if age else None,
                         short_number(born), dlo, dhi)
        out.append({"unique_id": i, "given_key": word_key(given), "given1_key": word_key(given),
                    "surname_key": word_key("رحیمی"),
                    "father_key": word_key(father) if father else None,
                    "birth_lo": iv[0] if iv else None, "birth_hi": iv[1] if iv else None,
                    "death_lo": dlo, "death_hi": dhi,
                    "birth_text": born, "age_text": age, "death_text": died})
    return pd.DataFrame(out)


def _chain(n: int) -> pd.DataFrame:
    pairs = [(i, j, .99 - .01 * (i + j)) for i in range(1, n + 1) for j in range(i + 1, n + 1)]
    return pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r", "match_probability"])


@pytest.mark.parametrize(("a", "b"), [
    (("۱۳۲۵", None), ("۱۳۴۵", None)),  # one digit mistyped: twenty years apart
    (("1946", None), ("1964", None)),  # two digits swapped
    (("۱۳۲۷", None), ("۱۹۲۷", None)),  # a Solar Hijri year in a Gregorian frame
    (("۱۳۴۶", None), (None, "46")),  # a year cut to two digits in the age column
])
def test_one_slipped_digit_of_the_birth_year_is_one_person(a: tuple, b: tuple) -> None:
    recs = _recs([("حسین", "علی", *a, "مرداد ۱۳۶۷"), ("حسین", "علی", *b, "مرداد ۱۳۶۷")])
    assert cluster_records(recs, _chain(2), threshold=.5).n_clusters == 1
    off = cluster_records(recs, _chain(2), threshold=.5, date_slips=False)
    assert off.refusal_counts() == {"birth_year": 1}


def test_a_slipped_month_or_year_of_the_death_date_is_one_person() -> None:
    for died in ("۱۳۶۷/۰۹/۲۳", "۱۳۶۳/۰۵/۲۳"):
        recs = _recs([("حسین", None, "۱۳۴۰", None, "۱۳۶۷/۰۵/۲۳"),
                      ("حسین", "علی", "۱۳۴۰", None, died)])
        assert cluster_records(recs, _chain(2), threshold=.5).n_clusters == 1
        assert cluster_records(recs, _chain(2), threshold=.5,
                               date_slips=False).refusal_counts() == {"death_date": 1}


@pytest.mark.parametrize("rows", [
    # brothers: one surname and father, another given name
    [("حسین", "علی", "۱۳۲۵", None, None), ("حسن", "علی", "۱۳۴۵", None, None)],
    # namesakes: two fathers
    [("حسین", "علی", "۱۳۲۵", None, None), ("حسین", "رضا", "۱۳۴۵", None, None)],
    # two records agree on each year: two witnesses, not a slip
    [("حسین", None, "۱۳۲۵", None, None), ("حسین", None, "1946", None, None),
     ("حسین", None, "۱۳۴۵", None, None), ("حسین", None, "1966", None, None)],
    # years two digits apart
    [("حسین", "علی", "۱۳۲۵", None, None), ("حسین", "علی", "۱۳۳۸", None, None)],
])
def test_other_persons_stay_apart(rows: list[tuple]) -> None:
    recs = _recs(rows)
    edges = _chain(len(rows))
    if len(rows) == 4:  # each pair of witnesses is one person first
        edges = pd.concat([pd.DataFrame([(1, 2, .999), (3, 4, .999)],
                                        columns=edges.columns), edges])
    assert cluster_records(recs, edges, threshold=.5, sibling_guard=False,
                           father_guard=False, given_guard=False).n_clusters == 2


def test_slips_are_what_a_copyist_makes() -> None:
    assert {"1345", "1352", "1925"} <= set(digit_slips("۱۳۲۵"))
    assert "1325" not in digit_slips("1325") and "1253" not in digit_slips("1325")
    # «46» in an age column: aged 46, or born in 1346 (1967)
    assert (1967, 1968) in birth_slips(None, "46", None, None)


def test_a_slip_needs_a_witness_of_its_own_name_across() -> None:
    # «حسین» of 1345 meets a group whose only year, 1325, is a «حسن»'s: one digit apart,
    # but nobody of his name across vouches for 1325, so the years still say two persons
    recs = _recs([("حسین", None, "۱۳۴۵", None, None), ("حسین", None, None, None, None),
                  ("حسن", None, "۱۳۲۵", None, None)])
    edges = pd.DataFrame([(2, 3, .999), (2, 1, .99)],
                         columns=["unique_id_l", "unique_id_r", "match_probability"])
    res = cluster_records(recs, edges, threshold=.5, sibling_guard=False, given_guard=False)
    assert res.n_clusters == 2 and res.refusal_counts() == {"birth_year": 1}
