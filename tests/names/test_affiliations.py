import pytest

from dadkhah.names.affiliations import affiliation_family, load_affiliations, resolve_affiliation


@pytest.mark.parametrize("text,expected", [
    ("مجاهدین خلق", "mek"), ("هوادار مجاهدين", "mek"), ("منافقین", "mek"), ("PMOI", "mek"),
    ("Mujahedin-e Khalq", "mek"), ("فداییان خلق (اقلیت)", "fadaian_minority"),
    ("فدائیان اکثریت", "fadaian_majority"), ("Fedaian Aksariyat", "fadaian_majority"),
    ("Fadaian", "fadaian"), ("حزب توده", "tudeh"), ("توده‌ای", "tudeh"),
    ("Tudeh Party", "tudeh"), ("پیکار", "peykar"), ("Paykar", "peykar"),
    ("راه کارگر", "rah_e_kargar"), ("Rah-e Kargar", "rah_e_kargar"), ("کومله", "komala"),
    ("حزب دموکرات کردستان", "kdpi"), ("KDPI", "kdpi"), ("اتحادیه کمونیست‌ها", "union_communists"),
    ("چپ", "left"), ("leftist", "left"),
])
def test_written_forms_resolve(text: str, expected: str) -> None:
    assert resolve_affiliation(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "unknown", "زندانی سیاسی", "Mojahedeenx"])
def test_unrecognised_values_are_not_guessed(text: str) -> None:
    assert resolve_affiliation(text) is None


def test_families() -> None:
    assert affiliation_family("fadaian_minority") == ("fadaian_minority", "fadaian", "left")
    assert affiliation_family("mek") == ("mek",)
    table = load_affiliations()
    for a in table.values():  # every parent exists: the chain always ends
        assert affiliation_family(a.id)[-1] in table
