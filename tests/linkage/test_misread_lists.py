"""The names of a list imported as text that looks machine-read are read as the names of the
dictionary and of the case's typed lists (SYNTHETIC names): nothing says the list was OCR'd,
its own words do."""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.features import compute_features


def test_the_names_of_a_list_that_looks_misread_are_read_as_the_dictionarys() -> None:
    """«خسینی» of a machine-read list is keyed as «حسینی» (the one name of the dictionary
    with its dotless shape), so it agrees with «Hosseini»; «چسین» is read as «حسین», which
    the typed list writes far more often than «حسنی» of the same shape."""
    misread = ["محمد خسینی", "چسین رضاپی", "علی رضاپی", "مهدب جهانراد", "رضا نظزی"]
    typed = ["علی رضایی", "حسین جهانراد", "حسین کریمی", "زهرا موسوی"] * 10
    names = [*misread, *typed, "Mohammad Hosseini"]
    records = pd.DataFrame({
        "unique_id": range(1, len(names) + 1),
        "source_id": [1] * len(misread) + [2] * len(typed) + [3],
        "full_name": names,
    })
    f = compute_features(records).set_index("unique_id")
    latin = len(names)
    assert f.loc[1, "surname_key"] == f.loc[latin, "surname_key"]
    assert f.loc[2, "given_key"] == f.loc[len(misread) + 2, "given_key"]  # «حسین»


def test_a_given_name_run_into_the_surname_is_split_in_a_misread_list() -> None:
    """«عثمانصادقبخشی» of a machine-read list is «عثمان» (a given name the typed list writes)
    and «صادقبخشی»; a lone «عثمانصادقبخشی» of a typed list stays one word."""
    misread = ["عثمانصادقبخشی", "چسین رضاپی", "علی رضاپی", "مهدب جهانراد", "رضا نظزی"]
    typed = ["علی رضایی", "حسین جهانراد", "حسین کریمی", "زهرا موسوی"] * 10
    records = pd.DataFrame({
        "unique_id": range(1, len(misread) + len(typed) + 3),
        "source_id": [1] * len(misread) + [2] * len(typed) + [2, 3],
        "full_name": [*misread, *typed, None, "عثمانصادقبخشی"],
        "given_names": [None] * (len(misread) + len(typed)) + ["عثمان", None],
        "surname": [None] * (len(misread) + len(typed)) + ["صادقبخشی", None],
    })
    f = compute_features(records).set_index("unique_id")
    typed_row, lone = len(misread) + len(typed) + 1, len(misread) + len(typed) + 2
    assert f.loc[1, "given_key"] == f.loc[typed_row, "given_key"]
    assert f.loc[1, "surname_key"] == f.loc[typed_row, "surname_key"]
    assert f.loc[lone, "misread"] < 0.03 and pd.isna(f.loc[lone, "given_key"])
