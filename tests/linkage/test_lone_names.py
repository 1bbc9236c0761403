"""A memoir's one-name rows are read as the part they name (SYNTHETIC names)."""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.features import compute_features

# a families' list naming both parts, and a memoir naming people by one name each
FAMILIES = [("کاظم", "شیرکار"), ("منصور", "نظر‌پور"), ("علی", "احمدی"), ("حسن", "رضایی"),
            ("تقی", "زر‌بخش")]
MEMOIR = ["شیرکار", "نظر پور", "زر بخش", "کاظم", "محمد رضا", "روح الله", "حسین", "علی",
          "مهدی", "رضا", "احمد", "ناصر"]


def _features() -> pd.DataFrame:
    n = len(FAMILIES)
    records = pd.DataFrame({
        "unique_id": range(1, n + len(MEMOIR) + 1),
        "source_id": [1] * n + [2] * len(MEMOIR),
        "given_names": [g for g, _ in FAMILIES] + [None] * len(MEMOIR),
        "surname": [s for _, s in FAMILIES] + [None] * len(MEMOIR),
        "full_name": [None] * n + MEMOIR,
    })
    f = compute_features(records)
    f["text"] = [f"{g} {s}" for g, s in FAMILIES] + MEMOIR
    return f.set_index("text")


def test_a_lone_word_other_lists_write_as_a_surname_is_that_surname() -> None:
    f = _features()
    # «شیرکار» is no surname by its form: the families' list says it is one
    assert f.loc["شیرکار", "surname_key"] == f.loc["کاظم شیرکار", "surname_key"]
    assert pd.isna(f.loc["شیرکار", "given_key"])
    # a lone given name stays a given name
    assert f.loc["کاظم", "given_key"] == f.loc["کاظم شیرکار", "given_key"]
    assert pd.isna(f.loc["کاظم", "surname_key"])


def test_a_surname_written_in_two_words_in_a_one_name_list_is_one_surname() -> None:
    f = _features()
    # «نظر پور»: not given name «نظر» and surname «پور»; «زر بخش» as the families write it
    for memoir, full in (("نظر پور", "منصور نظر‌پور"), ("زر بخش", "تقی زر‌بخش")):
        assert f.loc[memoir, "surname_key"] == f.loc[full, "surname_key"], memoir
        assert pd.isna(f.loc[memoir, "given_key"]), memoir
    # two given names, and a compound given name, stay given names
    assert pd.isna(f.loc["محمد رضا", "surname_key"])
    assert pd.isna(f.loc["روح الله", "surname_key"])
