"""Lexicon neighbours: words beginning or ending with the same Persian letters say how
those letters are spelled (dadkhah.names.romanize_model.LatinNeighbours)."""

from __future__ import annotations

from dadkhah.names.romanize_model import LatinNeighbours


def test_agreement_with_words_that_begin_and_end_alike() -> None:
    near = LatinNeighbours([("احتشامی", "Ehteshami"), ("احتشام", "Ehtesham"),
                            ("بهرام", "Bahram"), ("اکرام", "Ekram")])
    got = near.agreement("احترام", ["ehteram", "ahtaram", "ehtaram"])
    # «احت…» is "eht…" in both neighbours that begin so; «…رام» is "ram" in both ending so
    assert got["ehteram"] == 2.0
    assert got["ahtaram"] == 1.0      # the ending agrees, the beginning does not
    assert got["ehtaram"] == 2.0      # "ehte" is not required: only the letters shared


def test_the_longest_shared_beginning_decides_and_never_the_whole_word() -> None:
    near = LatinNeighbours([("مریم", "Maryam"), ("مرتضی", "Morteza"), ("مرتضوی", "Mortazavi")])
    # «مرت…» (3 letters) is shared by two words spelled "mort…": «مریم» shares only «مر»
    assert near.agreement("مرتاض", ["mortaz", "martaz"]) == {"mortaz": 1.0, "martaz": 0.0}
    # at least three letters are shared, and never the whole word: a three-letter word
    # has no neighbours
    assert near.agreement("مرت", ["mort"]) == {"mort": 0.0}


def test_neighbours_are_press_style_and_skip_what_cannot_align() -> None:
    near = LatinNeighbours([("قاسمی", "Qasemi"), ("حسین", "Smith")])
    assert near.agreement("قاسملو", ["ghasemlou", "qasemlou"]) == \
        {"ghasemlou": 1.0, "qasemlou": 0.0}
    assert near.agreement("حسینی", ["hosseini"]) == {"hosseini": 0.0}
