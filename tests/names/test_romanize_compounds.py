"""Two known words written as one: which splits the look-up takes as known, and which it
leaves to the model (romanize.COMPOUND_MIN_PART)."""

from __future__ import annotations

import pytest

from dadkhah.names.lexicon import LexiconEntry, NameLexicon
from dadkhah.names.romanize import COMPOUND_MIN_PART, transliterate, transliterate_word


def _lex(*pairs: tuple[str, str]) -> NameLexicon:
    return NameLexicon([LexiconEntry(fa, la, "surname", "test") for fa, la in pairs])


def test_two_long_known_words_written_as_one_are_known() -> None:
    lex = _lex(("امیر", "Amir"), ("حسین", "Hossein"))
    assert transliterate_word("امیرحسین", lex) == ("Amirhossein", True)


def test_a_short_piece_is_no_known_split() -> None:
    # «اصفهانی» is not اصف (Asef) + هانی (Hani), «سمیرا» not سمی + را: pieces under
    # COMPOUND_MIN_PART letters match by chance, so the word is the model's guess
    assert COMPOUND_MIN_PART >= 4
    lex = _lex(("اصف", "Asef"), ("هانی", "Hani"), ("سمی", "Sommi"), ("را", "Ra"))
    latin, known = transliterate_word("اصفهانی", lex)
    assert not known and latin != "Asefhani"
    latin, known = transliterate_word("سمیرا", lex)
    assert not known and latin != "Sommira"


def test_a_word_put_together_from_known_parts_is_spelled_in_the_press_convention() -> None:
    # a Latin list writes the town «قم» Qom; the surname made from it is the press's Ghomi,
    # and a stem written with oo/u takes ou (Fouladi); the lexicon's own words keep theirs
    lex = _lex(("قم", "Qom"), ("فولاد", "Foolad"), ("قزوینی", "Qazvini"))
    assert transliterate_word("قمی", lex) == ("Ghomi", True)
    assert transliterate_word("فولادی", lex) == ("Fouladi", True)
    assert transliterate_word("قزوینی", lex) == ("Qazvini", True)
    assert transliterate_word("قم", lex) == ("Qom", True)


ZWNJ = "\u200c"


def test_a_zwnj_joined_article_part_is_read_with_the_part_before_it() -> None:
    # «فتح‌الهی» is «فتحالهی» written with a ZWNJ: Fath + ollah + i, not Fath + «الهی»
    # Elahi; the surname «الهی» written apart stays a word of its own
    from dadkhah.names.romanize import transliterate

    lex = _lex(("فتح", "Fath"), ("روح", "Rouh"), ("الهی", "Elahi"), ("علی", "Ali"))
    assert transliterate_word("فتح" + ZWNJ + "الهی", lex) == ("Fathollahi", True)
    assert transliterate_word("روح" + ZWNJ + "الهی", lex) == ("Rouhollahi", True)
    assert transliterate_word("فتحالهی", lex) == ("Fathollahi", True)
    assert transliterate("فتح الهی", lex) == "Fath Elahi"
    assert transliterate("علی الهی", lex) == "Ali Elahi"


@pytest.mark.parametrize("joined", [
    "فتحالهی", "روحالهی", "کریمالهی", "عزتالهی", "رحمتالهی", "ولیالهی", "فتحاللهی",
    "روحاللهی", "فتحالله", "نعمتالله", "حسینزاده", "قلیزاده", "علیپور", "حسنپور",
    "فریبرزنژاد", "عبدالله", "عبدالرضا", "عبدالنظری", "ابوالفضل", "شیخالاسلامی",
    "سیفالدین", "امینالاسلام"])
def test_a_zwnj_joined_affix_reads_as_the_word_written_as_one(joined: str) -> None:
    # the packaged lexicon: «…‌الهی», «…‌الله», «…‌زاده», «…‌پور», «…‌نژاد», «عبد‌…»
    for affix in ("الهی", "اللهی", "الله", "زاده", "پور", "نژاد", "الدین", "الاسلامی",
                  "الاسلام"):
        if joined.endswith(affix):
            zwnj = joined[: -len(affix)] + ZWNJ + affix
            break
    else:
        zwnj = joined[:3] + ZWNJ + joined[3:]  # عبد‌… / ابو‌…
    assert transliterate_word(zwnj) == transliterate_word(joined), zwnj


def test_the_packaged_lexicon_reads_zwnj_elahi_as_ollahi_and_keeps_elahi_apart() -> None:
    from dadkhah.names.romanize import transliterate

    assert transliterate_word("فتح" + ZWNJ + "الهی")[0] == "Fathollahi"
    assert transliterate_word("روح" + ZWNJ + "الهی")[0] == "Rouhollahi"
    assert transliterate("علی الهی") == "Ali Elahi"
    assert transliterate("علی فتح" + ZWNJ + "الهی") == "Ali Fathollahi"


@pytest.mark.parametrize("word,latin", [
    ("سیدعلی", "Seyedali"), ("سیداحمد", "Seyedahmad"), ("سیدهاشم", "Seyedhashem"),
    ("سیدجوادی", "Seyedjavadi"),
])
def test_seyed_glued_to_a_name_reads_as_the_lexicon_writes_such_compounds(word: str,
                                                                          latin: str) -> None:
    # the lexicon's own compounds: Seyedhosseini, Seyedemami, Seyedrezaei
    assert transliterate(word) == latin


def test_a_pour_surname_of_an_unknown_name_is_pour_and_the_models_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # «پورستار»: the model, trained mostly on single names, read the whole word (Pourstar);
    # پور is split off as …زاده is and the model reads the name after it (Poursattar).
    # Chosen on folds 1-4: all words 67.9% -> 68.0% exact, earlier sources unchanged.
    from dadkhah.names import romanize as translit

    asked: list[str] = []

    def model(word: str, lex: NameLexicon) -> str:
        asked.append(word)
        return {"ستار": "sattar"}.get(word, "x")

    monkeypatch.setattr(translit, "_model_word", model)
    assert transliterate_word("پورستار", _lex(("علی", "Ali"))) == ("Poursattar", False)
    assert asked == ["ستار"]
    # a name that only begins with the letters of پور stays whole («پوریا» Pouria)
    asked.clear()
    transliterate_word("پوریا", _lex(("علی", "Ali")))
    assert asked == ["پوریا"]
