"""The joint-sequence (graphone) model of romanisation and compounds read as a known word
plus the rest (dadkhah.names.romanize_model.GraphoneLM, romanize's compound
proposals)."""

from __future__ import annotations

import pytest

from dadkhah.names import romanize
from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import LexiconEntry, NameLexicon, load_name_lexicon

PAIRS = [("فرهاد", "Farhad"), ("فرزانه", "Farzaneh"), ("فرامرز", "Faramarz"),
         ("فریدون", "Fereydoun"), ("بهرام", "Bahram"), ("مهرداد", "Mehrdad")]


def test_graphones_are_letter_and_chunk_pairs() -> None:
    assert rm.graphones("حسین", rm.align_parts("حسین", "Hossein") or []) == (
        "ح:ho", "س:ss", "ی:ei", "ن:n")


def test_graphone_lm_prefers_a_reading_spelled_as_its_names_spell_those_letters() -> None:
    joint = rm.GraphoneLM(PAIRS)
    word = "فرزاد"  # not among its names; «فر…» is "far…" in four of the five it read
    good, bad = rm.align_parts(word, "Farzad"), rm.align_parts(word, "Forzed")
    assert good is not None and bad is not None
    assert joint.log_probability(word, good) > joint.log_probability(word, bad)
    # its own proposals are readings of the word, the most probable first, and include it
    readings = joint.readings(word, beam=8)
    assert 1 < len(readings) <= 8
    assert all(len(r) == len(word) for r in readings)
    assert "farzad" in {"".join(c + v for c, v in r) for r in readings}
    scores = [joint.log_probability(word, r) for r in readings]
    assert scores == sorted(scores, reverse=True)
    # a letter it never saw: no reading to propose
    assert joint.readings("ژ" + word) == []


def test_joint_weight_can_change_the_choice_and_zero_leaves_the_crfs_reading() -> None:
    model = rm.load_romanize_model()
    if model is None:
        pytest.skip("python-crfsuite or the packaged model missing")
    word = "گوهردشت"
    own = model.romanize(word)
    # a joint model that has only ever seen another reading of the word, weighted
    # heavily, makes that reading win; weight 0 leaves the CRFs' own
    other = next("".join(c + v for c, v in r) for r in model.readings(word)[1:])
    joint = rm.GraphoneLM([(word, other)] * 5)
    lm = rm.LatinNameLM({own: 1.0, other: 1.0})
    assert model.romanize(word, lm=lm, joint=joint, joint_weight=5.0) == other
    assert model.romanize(word, lm=lm, joint=joint, joint_weight=0.0) == own


def test_a_compound_with_a_known_word_reads_that_word_and_the_rest() -> None:
    tr = romanize
    if rm.load_romanize_model() is None:
        pytest.skip("python-crfsuite or the packaged model missing")
    lex = load_name_lexicon()
    # «گوهردشت» is not in the lexicon; «گوهر» is (Gohar): the model alone hears و as
    # "ou" and drops the vowel of «گوهر» (Gouhrdasht)
    assert lex.latin("گوهردشت") is None and lex.latin("گوهر") == "Gohar"
    assert tr.transliterate_word("گوهردشت") == ("Gohardasht", False)
    # the whole word alone, without the proposal, is read otherwise
    model = rm.load_romanize_model()
    assert model is not None
    alone = model.romanize("گوهردشت", lex.latin_vocabulary(), lm=lex.latin_lm(),
                           joint=lex.graphone_lm())
    assert alone != "gohardasht" and alone.endswith("dasht")


def test_graphone_lm_of_a_lexicon_is_built_once_from_its_own_pairs() -> None:
    lex = NameLexicon([LexiconEntry(fa, la, "given", "dadkhah") for fa, la in PAIRS])
    joint = lex.graphone_lm()
    assert lex.graphone_lm() is joint
    grown = lex.with_examples([("فرناز", "Farnaz")])
    assert grown.graphone_lm() is not joint
