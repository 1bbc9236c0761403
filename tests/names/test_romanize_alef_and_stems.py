"""Two readings of session 16, each chosen by cross-validation on folds 1–4
(``benchmarks/romanize_cv.py --grid 'ALEF_WRITTEN_A=0,1;BARE_SUFFIX_STEM=1,0'``):

* a word ending in ا also takes the other countries' spellings of the same word ending in
  the Arabic alef maqsura that end in a («هدا» Hoda, written «هدی» too: Huda);
* a bound suffix alone («اله» ollah) is no stem for another suffix unless the lexicon
  holds it as a name («الهی» is Elahi, not ollah + i).
"""

from __future__ import annotations

import pytest

from dadkhah.names import romanize as translit
from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import NameLexicon, load_name_lexicon


def test_a_final_alef_takes_the_alef_maqsura_spellings_ending_in_a(
        monkeypatch: pytest.MonkeyPatch) -> None:
    got = rm.arabic_world_readings("هدا")
    assert list(got)[0] == "hoda" and got["hoda"] > 50
    monkeypatch.setattr(rm, "ALEF_WRITTEN_A", False)
    assert rm.arabic_world_readings("هدا") == {}


def test_only_the_alef_maqsura_spellings_read_a_are_taken() -> None:
    with_a = rm.arabic_world_readings("هدا")
    assert with_a and all(latin.endswith("a") for latin in with_a)
    # «علی» Ali is no spelling of «علا» Ola
    assert "ali" not in rm._world_readings("علا", True)
    assert rm._world_readings("علا", True) == rm._world_readings("علا", False)
    # a word already in the list keeps its own spellings and gains the others'
    assert rm._world_readings("لیلا", True)["leila"] > rm._world_readings("لیلا", False)["leila"]


@pytest.fixture(scope="module")
def without_elahi() -> NameLexicon:
    lex = load_name_lexicon()
    return lex.restricted([e.persian for e in lex.entries
                           if e.persian.replace("\u200c", "") not in ("الهی", "اله")])


def test_a_bare_suffix_is_no_stem(without_elahi: NameLexicon,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert translit._known("الهی", without_elahi) is None
    assert translit.transliterate_word("الهی", without_elahi) == ("Elahi", False)
    monkeypatch.setattr(translit, "BARE_SUFFIX_STEM", True)
    assert translit._known("الهی", without_elahi) == "ollahi"


def test_a_suffix_after_a_real_stem_still_reads(without_elahi: NameLexicon) -> None:
    # «الله» after a name is the affix; the stem is no bare suffix
    assert translit._known("نعمت‌الله".replace("\u200c", ""), without_elahi) == "nematollah"
    assert translit._known("حسینی", without_elahi) == "hosseini"
