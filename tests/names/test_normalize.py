from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dadkhah.names import (
    detect_script,
    explain,
    fold_digits,
    name_key,
    normalize_latin,
    normalize_name,
    normalize_persian,
    parse_name,
    transliterate,
)

# Persian letters, Arabic forms, harakat, digits, ZWNJ/ZWJ, bidi marks, tatweel, spaces
PERSIAN_ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأإئؤءةيكىۀ"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0670\u0640"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u2066\u2069\ufeff \t\n-.،"
    "ﻋﻠﻰﷲ"
)
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ āīūḥṣʿʾ'’-.,éèöüıİß"

persian_text = st.text(alphabet=PERSIAN_ALPHABET, max_size=30)
latin_text = st.text(alphabet=LATIN_ALPHABET, max_size=30)
mixed_text = st.text(alphabet=PERSIAN_ALPHABET + LATIN_ALPHABET, max_size=30)
any_text = st.text(max_size=40)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),
        ("كريم", "کریم"),
        ("فاطمة", "فاطمه"),
        ("مُحَمَّد", "محمد"),
        ("زهـــرا", "زهرا"),
        ("\u200fمسعود\u200e", "مسعود"),
        ("  حسن   احمدی ", "حسن احمدی"),
        ("ﻋﻠﻰ", "علی"),
        ("مؤمنی", "مومنی"),
        ("۱۳۶۷", "1367"),
        ("٦٧", "67"),
        ("علی\u200c\u200cاکبر", "علی\u200cاکبر"),  # doubled ZWNJ
        ("\u200cعلی\u200c", "علی"),  # ZWNJ at the edges
        ("رضا\u200cزاده", "رضازاده"),  # ZWNJ after a non-joining letter is invisible
    ],
)
def test_normalize_persian_examples(raw: str, expected: str) -> None:
    assert normalize_persian(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ʿAlī-Akbar  Ḥoseyn-Zādeh", "ali akbar hoseyn zadeh"),
        ("Ja'far", "jafar"),
        ("JA’FARI", "jafari"),
        ("Mohammad.Reza", "mohammad reza"),
        ("  Hassan   AHMADI ", "hassan ahmadi"),
    ],
)
def test_normalize_latin_examples(raw: str, expected: str) -> None:
    assert normalize_latin(raw) == expected


def test_detect_script() -> None:
    assert detect_script("حسین") == "persian"
    assert detect_script("Hossein") == "latin"
    assert detect_script("1367") == "none"
    assert detect_script("Hossein حسین") == "mixed"


def test_fold_digits() -> None:
    assert fold_digits("۱۳۶۷/۰۵/۱۰ و ٦٧") == "1367/05/10 و 67"


@settings(max_examples=300, deadline=None)
@given(persian_text)
def test_normalize_persian_is_idempotent(text: str) -> None:
    once = normalize_persian(text)
    assert normalize_persian(once) == once


@settings(max_examples=300, deadline=None)
@given(latin_text)
def test_normalize_latin_is_idempotent(text: str) -> None:
    once = normalize_latin(text)
    assert normalize_latin(once) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(mixed_text, any_text))
def test_normalize_name_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@settings(max_examples=200, deadline=None)
@given(st.one_of(mixed_text, any_text))
def test_nothing_crashes_on_any_unicode(text: str) -> None:
    normalize_persian(text)
    normalize_latin(text)
    key = name_key(text)
    assert isinstance(key, str)
    p = parse_name(text)
    assert p.original == text
    transliterate(text)
    for kind in ("auto", "name", "date", "place"):
        assert explain(text, kind).steps


@settings(max_examples=200, deadline=None)
@given(persian_text)
def test_key_is_stable_under_normalisation(text: str) -> None:
    assert name_key(text) == name_key(normalize_persian(text))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        persian_text,
        latin_text,
        mixed_text,
        # only characters the fast paths take
        st.text(alphabet="ابپتحسشعغیيكىةۀأإؤئآ\u064e\u0651\u0670\u0640\u061c،؛۱۲٣ .-\t\n",
                max_size=20),
        st.text(alphabet="abcXYZ'`-_. \t\n0123", max_size=20),
    )
)
def test_fast_paths_match_the_full_passes(text: str) -> None:
    from dadkhah.names import normalize as n

    assert n.normalize_persian(text) == n._normalize_persian_slow(text)
    assert n.normalize_latin(text) == n._normalize_latin_slow(text)


@pytest.mark.parametrize(
    ("scholarly", "press"),
    [
        ("Ṣāliḥī", "Salehi"),
        ("BĀQIRĪ", "Baqeri"),
        ("Gulistānī", "Golestani"),
        ("Manṣūrah", "Mansureh"),
        ("Mihdī", "Mehdi"),
        ("Ḥusayn-Zādah", "Hosseinzadeh"),
        ("Tavakkulī", "Tavakoli"),
        ("Kirmānshāh", "Kermanshah"),
    ],
)
def test_scholarly_romanisation_keys_like_the_press(scholarly: str, press: str) -> None:
    # ALA-LC marks every long vowel, so its bare i and u are the short e and o
    assert name_key(scholarly) == name_key(press)


@pytest.mark.parametrize("word", ["Rahimi", "Husayn", "Allāh", "Shāh", "Rūhī"])
def test_unmarked_or_long_vowels_are_not_respelled(word: str) -> None:
    # without the marks i/u may be long (Rahimi); marked long vowels and a real h stay
    assert normalize_latin(word) == word.lower().replace("ā", "a").replace("ū", "u").replace(
        "ī", "i")


@pytest.mark.parametrize(("marked", "press"), [
    ("ʿAli", "Ali"), ("ʻAli Rezaei", "Ali Rezaei"), ("Jaʿfari", "Jafari"),
    ("Esmaʿil", "Esmaeil"), ("Moʾmeni", "Momeni"),
])
def test_an_ayn_or_hamza_mark_alone_does_not_make_a_word_scholarly(marked: str,
                                                                   press: str) -> None:
    # press-style lists write ʿ for ع and leave long vowels unmarked: «ʿAli» is Ali, not
    # the «Ale» a scholarly reading of its bare i gives
    assert name_key(marked) == name_key(press)


def test_an_ayn_word_beside_a_macron_is_read_as_scholarly() -> None:
    assert name_key("ʻAlī Ṣāliḥī") == name_key("Ali Salehi")


@pytest.mark.parametrize(("latin", "persian"), [
    ("Shojaie", "شجاعی"), ("Rezaie", "رضایی"), ("ʿAli", "علی"), ("Jaʿfari", "جعفری"),
])
def test_common_press_variants_key_as_the_persian(latin: str, persian: str) -> None:
    assert name_key(latin) == name_key(persian)
