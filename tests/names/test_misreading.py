"""Dates and places of a list read by a machine from a typed page (SYNTHETIC values):
dots lost or moved, stray marks, are read as the one word of the field's vocabulary
that has the same dotless shape, and only then."""

from __future__ import annotations

import pytest

from dadkhah.names.dates import try_parse_date
from dadkhah.names.misreading import MisreadReader, dotless
from dadkhah.names.places import resolve_place


@pytest.mark.parametrize(("text", "jalali"), [
    ("۲۹ مرذاد ۱۳۶۷", "1367/05/29"),  # ذ for د
    ("۷ مژداد ۱۳۶۷", "1367/05/07"),  # ژ for ر
    ("۲۱ سهریور ۱۳۶۷.", "1367/06/21"),  # س for ش, a stray full stop
    ("۷ شهرتور ۱۳۶۷", "1367/06/07"),  # ت for ی
    ("۱۸ مرداد ۱۳:۶۷", "1367/05/18"),  # a mark inside the year
    ("۱۳.۶۷/۰۵/۰۸", "1367/05/08"),
    ("۱۷- مرذاد ۱۳۶۷", "1367/05/17"),
])
def test_a_misread_date_is_read(text: str, jalali: str) -> None:
    iv, err = try_parse_date(text)
    assert iv is not None, err
    assert iv.jalali_text() == jalali
    assert iv.original == text


@pytest.mark.parametrize("text", ["5.5", "1-2", "yesterday", "۱۳۶۷/۰۰/۰۹"])
def test_what_is_no_date_stays_none(text: str) -> None:
    assert try_parse_date(text)[0] is None


@pytest.mark.parametrize(("text", "place"), [
    ("زنداپ سثندج", "prison:sanandaj"),
    ("اویب", "prison:evin"),
    ("رندان دستگرذ اصفهان", "prison:dastgerd"),
    ("زندان کارون اهواژ", "prison:karun"),
    ("زندان وکیل‌آباد مسهد", "prison:vakilabad"),
])
def test_a_misread_prison_is_found(text: str, place: str) -> None:
    m = resolve_place(text, "prison")
    assert (m.id, m.method) == (place, "misread")


def test_only_a_word_the_vocabulary_lacks_with_one_word_of_its_shape_is_repaired() -> None:
    reader = MisreadReader(["تیر", "مرداد", "بیر", "حسن", "جسن"])
    assert reader.read("تیر") == "تیر"  # known as written
    assert reader.read("ثیر") == "ثیر"  # two words of that shape: which one is unknown
    assert reader.read("مرذاد") == "مرداد"
    assert reader.read("خسن") == "خسن"  # حسن and جسن share the shape
    assert dotless("خسن") == dotless("حسن") == dotless("چسن")
    assert reader.read("Evin") == "Evin"
