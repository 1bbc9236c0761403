"""Levels of the full-name comparison see what they should, and no more.

- a name split into given name and surname differently (a surname prefix between the words
  read as «surname first») is at the level of «same consonants, split differently», and
  such pairs are blocked;
- «both equal but for letters misreading confuses» needs the Latin forms to be alike too:
  the shape keys alone equate unrelated names («طاهری» and «نبی‌آبادی»).
"""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.evaluate import blocking_recall
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.settings import BLOCKING_KEYS, father_comparison, name_comparison
from tests.linkage.conftest import level_holds


def _level(label: str) -> str:
    levels = name_comparison().get_comparison("duckdb").comparison_levels
    return next(lv.sql_condition for lv in levels if lv.label_for_charts.startswith(label))


def test_a_name_split_otherwise_is_blocked_and_agrees() -> None:
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4],
        "source_id": [1, 2, 1, 2],
        "full_name": [None, "علي حاج عظيمي پور", None, "حسن حاج حبيبي فر"],
        "given_names": ["علی", None, "حسن", None],
        "surname": ["حاج‌عظیمی‌پور", None, "حاج‌حبیبی‌فر", None],
    })
    feats = compute_features(records)
    truth = pd.Series([1, 1, 3, 3], index=[1, 2, 3, 4])
    assert blocking_recall(feats, truth, BLOCKING_KEYS)["all rules"] == 1.0
    split = _level("same consonants")
    assert level_holds(split, feats, 1, 2) and level_holds(split, feats, 3, 4)
    assert not level_holds(split, feats, 1, 4)


def test_shapes_alike_are_not_enough() -> None:
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4],
        "source_id": [1, 2, 3, 4],
        "given_names": ["Hossein", "Hassan", "Mohammad", "Mobammad"],
        "surname": ["Taheri", "Nabiabadi", "Rahimi", "Rabimi"],
    })
    feats = compute_features(records)
    f = feats.set_index("unique_id")
    # the premise: the shape keys of «Hossein Taheri» and «Hassan Nabiabadi» agree
    assert f.loc[1, "given_shape"] == f.loc[2, "given_shape"]
    assert f.loc[1, "surname_shape"] == f.loc[2, "surname_shape"]
    shape = _level("both equal but for letters misreading")
    assert not level_holds(shape, feats, 1, 2)
    assert level_holds(shape, feats, 3, 4)  # OCR'd Latin: «b» read for «h»


def test_dotless_names_agree_only_beside_a_list_that_looks_misread() -> None:
    """SYNTHETIC: list 1 was read by a machine (dots lost or moved in many names), lists 2
    and 3 were typed.  «محمد اللهث» of list 1 is «محمد اللهی» of list 2 once dots are taken
    away; the same words typed in list 3 among names written right are not admitted on
    their dotless shape (in typed lists shapes equate names such as «تقی» and «نقی», often
    brothers)."""
    misread = ["محمد اللهث", "چسین چسینی", "علی رضاپی", "مهدب جهانراد", "رضا نظزی",
               "حسن کزیمی", "زهرا موشوی", "اکبر تهرانن"]
    typed = ["علی رضایی", "مهدی جهانراد", "حسن کریمی", "زهرا موسوی"] * 20
    names = [*misread, "محمد اللهی", "محمد اللهث", *typed, "حسین حسینی"]
    records = pd.DataFrame({
        "unique_id": range(1, len(names) + 1),
        "source_id": [1] * len(misread) + [2, 3] + [3] * len(typed) + [2],
        "full_name": names,
    })
    feats = compute_features(records)
    f = feats.set_index("unique_id")
    n = len(misread)
    clean, typed_ocr = n + 1, n + 2
    assert f.loc[1, "misread"] > 0.3 and f.loc[typed_ocr, "misread"] < 0.03
    level = _level("both equal but for letters misreading")
    assert level_holds(level, feats, 1, clean)
    assert level_holds(level, feats, 2, len(names))  # «چسین چسینی» / «حسین حسینی»
    assert f.loc[typed_ocr, "given_dotless"] == f.loc[clean, "given_dotless"]
    assert not level_holds(level, feats, typed_ocr, clean)
    truth = pd.Series(1, index=[1, clean])
    assert blocking_recall(feats.loc[feats.unique_id.isin([1, clean])], truth,
                           BLOCKING_KEYS)["all rules"] == 1.0


def test_fathers_names_alike_but_for_dots_agree_beside_a_misread_list() -> None:
    """SYNTHETIC: the father's name of a machine-read list's record («حسبن», which two names
    of the dictionary could be) is «حسین» of a typed list once dots are taken away; between
    two typed lists it is not."""
    misread = ["محمد اللهث", "چسین چسینی", "علی رضاپی", "مهدب جهانراد", "رضا نظزی"]
    typed = ["علی رضایی", "مهدی جهانراد", "حسن کریمی", "زهرا موسوی"] * 20
    names = [*misread, "محمد اللهی", *typed, "محمد اللهی"]
    records = pd.DataFrame({
        "unique_id": range(1, len(names) + 1),
        "source_id": [1] * len(misread) + [2] + [3] * len(typed) + [3],
        "full_name": names,
        "father_name": ["حسبن"] + [None] * (len(misread) - 1) + ["حسین"] + [None] * len(typed)
                       + ["حسبن"],
    })
    feats = compute_features(records)
    levels = father_comparison().get_comparison("duckdb").comparison_levels
    cut = next(lv.sql_condition for lv in levels
               if lv.label_for_charts.startswith("one father's name cut short"))
    n = len(misread)
    assert level_holds(cut, feats, 1, n + 1)
    assert not level_holds(cut, feats, len(names), n + 1)
