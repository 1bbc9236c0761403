"""A record naming only a given name, romanised otherwise, is compared with its person.

Lists that lose a surname (a list's blank cell, a Latin list naming «Moudjtaba» alone) keep
the prison, the dates and the age; the given name is then the only name, and a French or
press romanisation gives it another key than the Persian list's («Moudjtaba» mVjtbA against
«مجتبی» mjtbY).  The blocking rules for such records asked for the given-name key itself, so
the pair was never scored, however well the prison and the age agreed.  Their consonants
agree (``given_skel``).  The comparison scores them as a typo apart when their Latin forms
are close («Mourteza» / «Morteza»), and, where they are not («'Alaa» / «Ali», «Tahara» /
«Tahereh»), when the consonants agree and one of the two is not a given name of the names
dictionary: Hasan and Hossein, both known, stay two names.

SYNTHETIC records.
"""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.evaluate import blocking_recall
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.settings import BLOCKING_KEYS, GIVEN_ALONE, given_alone_comparison
from tests.linkage.conftest import level_holds

RECORDS = pd.DataFrame({
    "unique_id": [1, 2, 3, 4, 5, 6],
    "source_id": [1, 2, 1, 2, 1, 2],
    "given_names": ["مجتبی", "Moudjtaba", "مرتضی", "Mourteza", "خسرو", "Khousrow"],
    "surname": ["ابراهیمی", None, "طاهری", None, "نجار", None],
    "father_name": ["علی", None, "پرویز", None, "حسین", None],
    "birth_date": ["۱۳۴۹", "1970", "۱۳۵۱", None, "۱۳۳۹", None],
    "age": [None, None, None, "16", None, "28"],
    "death_date": ["۱۷ مرداد ۱۳۶۷", "summer 1988", "۱۴ مرداد ۱۳۶۷", "July 1988",
                   "۷ مرداد ۱۳۶۷", "summer 1988"],
    "prison": ["کارون", "Karun", "اوین", "Evin", "زندان گوهردشت", "Gohardasht"],
    "city": ["اهواز", "Ahvaz", "تهران", "Teehran", "زاهدان", "Zahedan"],
})
TRUTH = pd.Series([1, 1, 3, 3, 5, 5], index=[1, 2, 3, 4, 5, 6])


def test_the_keys_differ_but_the_consonants_agree() -> None:
    f = compute_features(RECORDS).set_index("unique_id")
    for a, b in ((1, 2), (3, 4), (5, 6)):
        assert pd.isna(f.loc[b, "surname_key"])
        assert f.loc[a, "given_key"] != f.loc[b, "given_key"]
        assert f.loc[a, "given_skel"] == f.loc[b, "given_skel"]


def test_a_lone_given_name_romanised_otherwise_is_compared_with_its_person() -> None:
    feats = compute_features(RECORDS)
    assert blocking_recall(feats, TRUTH, BLOCKING_KEYS)["all rules"] == 1.0


SPELLINGS = pd.DataFrame({
    "unique_id": range(1, 11),
    "source_id": [1, 2] * 5,
    "given_names": ["علی", "'Alaa", "طاهره", "Tahara", "ابراهیم", "Abrahaam",
                    "حسن", "Hossein", "محمد", "Mahmoud"],
    "surname": ["کرمانشاهی", None, "تبریزی", None, "محسنی", None, "رحیمی", None, "کاظمی", None],
})


def test_a_lone_given_name_romanised_otherwise_is_one_name_a_dictionary_pair_is_two() -> None:
    feats = compute_features(SPELLINGS)
    typo = [lv for lv in given_alone_comparison().get_comparison("duckdb").comparison_levels
            if lv.label_for_charts.startswith("given names a typo apart")][0]
    level = typo.sql_condition
    for a, b in ((1, 2), (3, 4), (5, 6)):  # one name, another romanisation
        assert level_holds(GIVEN_ALONE, feats, a, b)
        assert level_holds(level, feats, a, b) and level_holds(level, feats, b, a)
    for a, b in ((7, 8), (9, 10)):  # two names with one skeleton: Hasan / Hossein
        assert level_holds(GIVEN_ALONE, feats, a, b)
        assert not level_holds(level, feats, a, b)
