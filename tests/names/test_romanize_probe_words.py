"""Name words lists hold that the lexicon lacks (benchmarks/probe_romanisation.py): a known
name + وش or بین, بنی and الله opening a name, a word the lexicon knows only as a town, and
machine readings with too few vowels."""

from __future__ import annotations

from functools import lru_cache

from dadkhah.names.lexicon import LexiconEntry, NameLexicon, load_name_lexicon
from dadkhah.names.romanize import transliterate_word
from dadkhah.names.romanize_model import sayable


@lru_cache(maxsize=1)
def _packaged_without() -> NameLexicon:
    """The packaged lexicon without a few words, as if lists held them and it did not."""
    drop = {"داریوش", "برون", "ختائی"}
    return NameLexicon([e for e in load_name_lexicon().entries if e.persian not in drop])


def _lex(*rows: tuple[str, str, str]) -> NameLexicon:
    return NameLexicon([LexiconEntry(fa, la, kind, "test") for fa, la, kind in rows])


def test_a_known_name_and_vash_is_read_so() -> None:
    # «ملکوش» was the model's "Malakoush", «بهار‌وش» "Baharoush": lists write -vash
    lex = _lex(("ملک", "Malek", "given"), ("بهار", "Bahar", "given"),
               ("حسین", "Hossein", "given"))
    assert transliterate_word("ملکوش", lex) == ("Malekvash", True)
    assert transliterate_word("بهار‌وش", lex) == ("Baharvash", True)
    assert transliterate_word("حسینبین", lex) == ("Hosseinbin", True)  # as Nikbin


def test_a_name_lists_write_in_oush_is_not_split() -> None:
    # «داریوش» is Dariush, a name the Latin name lists hold, not «داری» Daari + vash, even
    # where the lexicon lacks it
    lex = _packaged_without()
    assert lex.latin("داری") == "Daari"
    assert "vash" not in transliterate_word("داریوش", lex)[0]


def test_a_town_in_a_name_is_spelled_as_the_names_built_on_it() -> None:
    # the town «مهر» is Mohr; in a name it is Mehr, as Mehri and Mehrnia say
    lex = _lex(("مهر", "Mohr", "place"), ("مهری", "Mehri", "given"),
               ("مهرنیا", "Mehrnia", "surname"), ("قلی", "Gholi", "given"))
    assert transliterate_word("قلی‌مهر", lex) == ("Gholimehr", True)
    # one name built on a town is not enough to respell it («ری» Rey, «ریوند» Rivand)
    lex = _lex(("ری", "Rey", "place"), ("ریوند", "Rivand", "surname"),
               ("قلی", "Gholi", "given"))
    assert transliterate_word("قلی‌ری", lex) == ("Gholirey", True)


def test_bani_and_allah_opening_a_name() -> None:
    # «بنی» (sons of) before a name is Bani, as in Banisadr; «الله» opening a compound is
    # Allah, as in Allahyari, not the suffix ollah of Nasrollah
    lex = _lex(("پور", "Pour", "surname"), ("زاده", "Zadeh", "surname"),
               ("نصر", "Nasr", "given"))
    assert transliterate_word("بنی‌پور", lex) == ("Banipour", True)
    assert transliterate_word("الله‌زاده", lex) == ("Allahzadeh", True)
    assert transliterate_word("نصر‌الله", lex) == ("Nasrollah", True)


def test_a_machine_reading_has_the_vowels_persian_implies() -> None:
    # the model read «برون» "Broun" and «ختائی» "Khtaei": no Persian word opens with two
    # consonants, so a reading with a vowel between them is taken
    lex = _packaged_without()
    assert transliterate_word("برون", lex) == ("Boroun", False)
    assert transliterate_word("ختائی", lex) == ("Khataei", False)
    assert not sayable("hbshti") and not sayable("hmmd") and sayable("hamed")


def test_a_title_word_before_a_bound_part_is_the_surname() -> None:
    from dadkhah.names.keys import name_tokens

    assert name_tokens("میر پور") == ([], ["میر\u200cپور"])
    assert name_tokens("Haji Zadeh") == ([], ["hajizadeh"])
    assert name_tokens("سید علی آقا زاده") == (["seyed"], ["علی", "آقا\u200cزاده"])
    assert name_tokens("حاج علی") == (["haj"], ["علی"])


def test_the_same_name_written_another_way_reads_alike() -> None:
    # joined «اللهپور» as «الله‌پور» (was Ollahpour); «کربلائی» as «کربلایی»; the town «مهر»
    # written as a word of its own in a name as in «قلی‌مهر»
    lex = _lex(("پور", "Pour", "surname"), ("کاری", "Kari", "surname"),
               ("مهر", "Mohr", "place"), ("مهری", "Mehri", "given"),
               ("مهرنیا", "Mehrnia", "surname"))
    assert transliterate_word("اللهپور", lex) == ("Allahpour", True)
    assert transliterate_word("کربلائیکاری", lex) == transliterate_word("کربلاییکاری", lex)
    assert transliterate_word("مهر", lex) == ("Mehr", True)


def test_teh_marbuta_before_allah_reads_t() -> None:
    # Arabic-style «رحمة الله», «هدایة الله» were Rahmehollah, Hedayehollah, keyed apart
    # from «رحمت‌الله»; the ة of «فاطمة» stays ه
    from dadkhah.names import name_key, transliterate

    assert transliterate("هدایة الله دانشور") == "Hedayatollah Daneshvar"
    assert name_key("رحمة الله") == name_key("رحمت‌الله")
    assert transliterate("فاطمة") == "Fatemeh"
