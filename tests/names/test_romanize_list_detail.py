"""What the PNGT-26K list's spellings say beyond the short vowels: a doubled consonant no
letter shows (the shadda: «حنانه» Hannaneh, «عفت» Effat) and how each و is read («سولماز»
Solmaz, «نیکو» Nikou), weighed apart from the vowels (``romanize_model._list_detail``,
``LIST_DETAIL_WEIGHT``).  (Chosen by cross-validation on folds 1–4:
``benchmarks/romanize_cv.py --grid 'LIST_DETAIL_WEIGHT=0,3,6,12,20;LIST_DOUBLING=0,1;
LIST_VAV=0,1'``.)"""

from __future__ import annotations

import pytest

from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import NameLexicon, load_name_lexicon
from dadkhah.names.romanize import transliterate_word

# names the packaged model reads with a single consonant or another و when the lexicon
# lacks them, and the list writes as the lexicon does
WORDS = {"حنانه": "Hannaneh", "عفت": "Effat", "عمار": "Ammar", "سولماز": "Solmaz",
         "خورشید": "Khorshid", "نیکو": "Nikou"}


def test_the_detail_of_a_spelling() -> None:
    assert rm._list_detail("طناز", "tannaz") == ("", "+", "", "")
    assert rm._list_detail("مینو", "minou") == ("", "", "", "/ou")
    assert rm._list_detail("سولماز", "solmaz")[1] == "/o"
    # the press's ss between vowels is no shadda, nor an alef's aa a doubled consonant
    assert rm._list_detail("حسین", "hossein") == ("", "", "", "")
    assert rm._list_detail("عاطفه", "aatefeh") == ("", "", "", "", "")
    assert rm._list_detail("طناز", "tnx") is None


def test_the_lists_doubling_scores_highest() -> None:
    got = rm._vowel_agreement("حنانه", ["hannaneh", "hananeh"],
                              rm.persian_list_readings("حنانه"), rm._list_detail)
    assert got["hannaneh"] > got["hananeh"]


@pytest.fixture(scope="module")
def without_words() -> NameLexicon:
    lex = load_name_lexicon()
    return lex.restricted([e.persian for e in lex.entries if e.persian not in WORDS])


def test_a_name_the_lexicon_lacks_takes_the_lists_doubling_and_vav(
        without_words: NameLexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    for fa, latin in WORDS.items():
        assert transliterate_word(fa, without_words) == (latin, False)
    monkeypatch.setattr(rm, "LIST_DETAIL_WEIGHT", 0.0)
    off = {fa: transliterate_word(fa, without_words)[0] for fa in WORDS}
    # the vowels alone: Hananeh, Efat, Amar, Soulmaz, Khourshid, Niko
    assert all(off[fa] != latin for fa, latin in WORDS.items())


def test_a_word_the_list_lacks_is_not_changed(
        without_words: NameLexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    word = "گوهردشت"  # a place, no given name: the term is never computed for it
    assert rm.persian_list_readings(word) == {}
    on = transliterate_word(word, without_words)
    monkeypatch.setattr(rm, "LIST_DETAIL_WEIGHT", 0.0)
    assert transliterate_word(word, without_words) == on
