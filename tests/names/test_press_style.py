"""The romanisation model is trained on one spelling convention (press/passport style).

The lexicon's Wikidata spellings mix conventions (Qasem beside Ghasem, Noori beside
Nouri); the model's training targets are respelled to the project's one
(:func:`dadkhah.names.romanize_model.press_style`), so the model does not toss a coin
between two spellings of the same sound.  The lexicon itself is not respelled: a word it
holds keeps the spelling its source wrote.
"""

from __future__ import annotations

import pytest

from dadkhah.names.lexicon import LexiconEntry, heldout_fold, load_name_lexicon
from dadkhah.names.romanize_model import (
    align_parts,
    load_romanize_model,
    press_style,
    training_pairs,
)


@pytest.mark.parametrize(("persian", "latin", "press"), [
    ("قاسم", "Qasem", "ghasem"),        # ق written q → gh
    ("غلامی", "Qolami", "gholami"),     # غ written q → gh
    ("نوری", "Noori", "nouri"),         # long و written oo → ou
    ("یوسفی", "Yusefi", "yousefi"),     # long و written u → ou
    ("مصطفی", "Mustafa", "mostafa"),    # short u → o
    ("حسین", "Hossein", "hossein"),     # already press style: unchanged
    ("وحید", "Vahid", "vahid"),         # و as a consonant stays v
])
def test_press_style_respells_only_the_mixed_sounds(persian: str, latin: str,
                                                    press: str) -> None:
    assert press_style(persian, latin) == press


def test_press_style_keeps_letters_it_cannot_align() -> None:
    # "Ludwig" for «لودویگ» aligns; an English given name for a Persian word does not
    assert align_parts("حسین", "Smith") is None
    assert press_style("حسین", "Smith") == "smith"


def test_training_pairs_are_press_style_and_aligned_the_same_way() -> None:
    entries = [LexiconEntry("قاسمی", "Qasemi", "surname", "wikidata-ir"),
               LexiconEntry("نوروزی", "Noroozi", "surname", "wikidata-ir")]
    assert training_pairs(entries) == [("قاسمی", "ghasemi"), ("نوروزی", "norouzi")]
    # the respelling reads each letter as before, only the spelling of a sound changes
    for (fa, la), e in zip(training_pairs(entries), entries, strict=True):
        assert len(align_parts(fa, la) or []) == len(align_parts(e.persian, e.latin) or [1])


def test_lexicon_words_keep_their_source_spelling() -> None:
    """Look-up is not respelled: a Wikidata entry written with oo or q stays so."""
    lex = load_name_lexicon()
    mixed = [e for e in lex.entries if e.source == "wikidata-ir"
             and ("oo" in e.latin.lower() or "q" in e.latin.lower())]
    assert mixed, "the lexicon has Wikidata spellings in the other convention"
    assert all(lex.latin(e.persian) == e.latin for e in mixed[:50])


def test_model_writes_the_press_convention_for_unseen_words() -> None:
    """Held-out words (fold 0: the packaged model never saw them) with ق or a long و are
    read gh and ou, never q or oo."""
    model = load_romanize_model()
    assert model is not None
    lex = load_name_lexicon()
    words = [e.persian for e in lex.entries if heldout_fold(e.persian) == 0
             and e.kind != "place" and ("ق" in e.persian or "و" in e.persian)][:300]
    assert len(words) >= 100
    read = [model.romanize(w) for w in words]
    assert not [r for r in read if "q" in r or "oo" in r]
