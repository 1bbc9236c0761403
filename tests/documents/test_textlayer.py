"""Repair of a PDF text layer: presentation forms, visual order, lost ZWNJ."""

from __future__ import annotations

from dadkhah.documents import (
    choose_order,
    fold_presentation_forms,
    restore_zwnj,
    visual_to_logical,
)

ZWNJ = "\u200c"


def test_presentation_forms_fold_to_base_letters() -> None:
    assert fold_presentation_forms("\ufecb\ufee0\ufef0") == "علی"
    assert fold_presentation_forms("\ufefb") == "لا"  # the lam-alef ligature, in order
    assert fold_presentation_forms("علی 1367") == "علی 1367"


def test_visual_order_is_turned_back_keeping_numbers_left_to_right() -> None:
    assert visual_to_logical("۱۳۶۷/۰۵/۱۰ مادعا") == "اعدام ۱۳۶۷/۰۵/۱۰"
    assert visual_to_logical("(نیوا)") == "(اوین)"
    # a ligature drawn in visual order keeps its letters' order once folded
    assert visual_to_logical("\ufefb\ufe98\ufee3") == "متلا"


def test_choose_order_prefers_the_reading_with_known_words_and_right_shapes() -> None:
    logical = "زندان اوین فرزند حسن"
    got = choose_order([("as stored", logical[::-1]), ("reversed", logical)])
    assert got.text == logical and got.candidate == "reversed" and got.known == 4
    # presentation forms alone tell the order: a word begins with an initial form
    import arabic_reshaper

    shaped = arabic_reshaper.reshape("سپهر قلیچ")  # words unknown to the lexicon
    got = choose_order([("as stored", shaped[::-1]), ("reversed", shaped)])
    assert got.candidate == "reversed" and got.form_votes > 0


def test_zwnj_is_restored_where_the_dictionary_spells_it() -> None:
    assert restore_zwnj("علیاصغر رضایی") == f"علی{ZWNJ}اصغر رضایی"
    assert restore_zwnj("حسینزاده") == f"حسین{ZWNJ}زاده"
    assert restore_zwnj("فیروزآبادی") == "فیروزآبادی"  # ز does not join: no ZWNJ
    assert restore_zwnj("عادلآباد") == f"عادل{ZWNJ}آباد"
