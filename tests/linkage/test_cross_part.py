"""A lone name word in the other part's column is compared, and scored as such.

A list may name someone by one word put in the wrong column: «عطاری» (a surname) in the
given-name column, «ریحانه» (a given name) in the surname column.  Such a record must be
compared with the full record (blocking) and the comparison must see the agreement
(levels of ``given_alone`` and ``surname_alone``), not «given names differ».
"""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.evaluate import blocking_recall
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.settings import (
    BLOCKING_KEYS,
    GIVEN_ALONE,
    GIVEN_IS_SURNAME,
    SURNAME_ALONE,
    SURNAME_IS_GIVEN,
)
from tests.linkage.conftest import level_holds

RECORDS = pd.DataFrame({
    "unique_id": [1, 2, 3, 4, 5, 6],
    "source_id": [1, 2, 1, 2, 1, 2],
    "given_names": ["محسن", "عطاری", "ریحانه", None, "Hassan", "Mahmoud"],
    "surname": ["عطاری", None, "صفایی", "ریحانه", "Karimi", None],
    "father_name": ["جعفر", "جعفر", "کوروش", "کوروش", "Ali", "Reza"],
    "city": ["کرج"] * 6,
})
TRUTH = pd.Series([1, 1, 3, 3, 5, 6], index=[1, 2, 3, 4, 5, 6])


def test_the_lone_word_is_compared_with_the_full_record() -> None:
    feats = compute_features(RECORDS)
    # the pairs of one person (1-2, 3-4) are admitted by some blocking rule
    assert blocking_recall(feats, TRUTH, BLOCKING_KEYS)["all rules"] == 1.0


def test_the_lone_word_agrees_across_parts() -> None:
    feats = compute_features(RECORDS)
    f = feats.set_index("unique_id")
    # the lone word kept where the list put it: the comparison, not the features, relates it
    assert pd.isna(f.loc[2, "surname_key"]) and f.loc[2, "given_key"] == f.loc[1, "surname_key"]
    assert level_holds(GIVEN_ALONE, feats, 1, 2) and level_holds(GIVEN_IS_SURNAME, feats, 1, 2)
    assert level_holds(GIVEN_IS_SURNAME, feats, 2, 1)  # either orientation
    assert pd.isna(f.loc[4, "given_key"])
    assert level_holds(SURNAME_ALONE, feats, 3, 4) and level_holds(SURNAME_IS_GIVEN, feats, 3, 4)
    # a lone given name that is nobody's surname here: no cross-part agreement
    assert not level_holds(GIVEN_IS_SURNAME, feats, 5, 6)
