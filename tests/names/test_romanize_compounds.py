"""Two known words written as one: which splits the look-up takes as known, and which it
leaves to the model (transliterate.COMPOUND_MIN_PART)."""

from __future__ import annotations

from dadkhah.names.lexicon import LexiconEntry, NameLexicon
from dadkhah.names.transliterate import COMPOUND_MIN_PART, transliterate_word


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
