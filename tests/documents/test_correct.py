"""Name-aware proposals: confusable letters, joined and split words, names in the case."""

from __future__ import annotations

from dadkhah.documents import NameCorrector
from dadkhah.documents.correct import FieldCorrector, confusion_cost, rasm

ZWNJ = "\u200c"


def test_confusion_classes_cost_less_than_other_edits() -> None:
    assert rasm("اصغر") == rasm("اضعر")
    assert confusion_cost("صادق", "ضادق") < 1 <= confusion_cost("صادق", "مادق")
    for a, b in (("ص", "ض"), ("ع", "غ"), ("ح", "ج"), ("ح", "خ"), ("ب", "پ")):
        assert confusion_cost(a, b) < 1


def test_misread_names_get_a_proposal_and_known_names_none() -> None:
    c = NameCorrector.default()
    p = c.propose("علی اصفر رضایی")
    assert p is not None and p.proposed == "علی اصغر رضایی" and p.reading == "علی اصفر رضایی"
    assert c.propose("مخمد حسینی").proposed == "محمد حسینی"  # ح/خ: a dot added
    assert c.propose("علی رضایی") is None  # all known: nothing to propose
    assert c.propose("Ali Rezaei") is None  # not Persian script


def test_joined_and_split_words() -> None:
    c = NameCorrector.default()
    assert c.propose("علیرضایی") is None  # not split unasked: surnames are made of names
    assert c.split("علیرضایی") == "علی رضایی"
    assert c.propose("علی اکبر رضایی").proposed == f"علی{ZWNJ}اکبر رضایی"
    c2 = c.with_names(["میرفخری"])
    assert c2.propose("جواد میر فخری").proposed == "جواد میرفخری"
    # a ZWNJ compound of known parts is known: never split
    assert c.propose(f"حسین ابراهیم{ZWNJ}پور") is None


def test_names_already_in_the_case_are_proposed() -> None:
    c2 = NameCorrector.default().with_names(["مریم بهمن‌نژاد"])
    p = c2.propose("زهرا بهمن‌نژاذ")
    assert p is not None and p.proposed == f"زهرا بهمن{ZWNJ}نژاد"
    assert "نژاذ → " in p.to_dict()["why"] or "بهمن‌نژاذ → " in p.to_dict()["why"]


def test_short_unknown_names_are_not_turned_into_other_names_by_a_plain_edit() -> None:
    c = NameCorrector.default()
    p = c.propose("کاظم ذاکری")
    assert p is None or p.proposed != "کاظم شاکری"


def test_places_and_month_names() -> None:
    f = FieldCorrector()
    assert f.propose("city", "دزقول").proposed == "دزفول"
    assert f.propose("city", "دزفول") is None
    assert f.propose("death_date", "۲۰ مزداد ۱۳۶۷").proposed == "۲۰ مرداد ۱۳۶۷"
    assert f.propose("death_date", "۲۰ مرداد ۱۳۶۷") is None


def test_surnames_built_of_names_are_mended_part_by_part() -> None:
    c = NameCorrector.default().with_names(["سرور", "شاکر", f"شیخ{ZWNJ}حسنی",
                                            f"حسن علی{ZWNJ}محمدی"])
    assert c.propose("خسین سروریور").proposed == "حسین سرورپور"  # سرور + پور, ی/پ misread
    assert c.propose(f"فاطمه شبخ{ZWNJ}شاکریور").proposed == f"فاطمه شیخ{ZWNJ}شاکرپور"
    # two known names side by side are left alone, even if the case holds them joined
    assert c.propose("علی محمدی") is None


def test_names_built_of_known_pieces_are_left_alone() -> None:
    # a right reading of a composed surname is no misreading (it was «corrected» to
    # «محمودیراد» when only whole names counted)
    c = NameCorrector.default().with_names(["حسن محمودی", "علی نژادی"])
    assert c.propose("علی محمودنژاد") is None
    assert c.known("میرحسینی") and c.known("حسین‌زاده")


def test_a_misread_surname_ending_is_mended() -> None:
    c = NameCorrector.default()
    p = c.propose("جلیل رشیدیوز")
    assert p is not None and p.proposed == "جلیل رشیدپور"
    p = c.with_names(["لقمان رضایی"]).propose("سمیه لقمان گلایی")
    assert p is not None and p.proposed.replace(ZWNJ, "") == "سمیه لقمانکلایی"


def test_a_dot_inside_a_name_parts_its_words() -> None:
    p = NameCorrector.default().propose("احمد قاسم.عسکرزاده")
    assert p is not None and p.proposed == "احمد قاسم عسکرزاده"


def test_dates_are_tidied_and_places_spelled_as_the_gazetteer_does() -> None:
    from dadkhah.documents.correct import FieldCorrector

    f = FieldCorrector()
    assert f.propose("death_date", "۵.آذر ۱۳۶۷").proposed == "۵ آذر ۱۳۶۷"
    assert f.propose("death_date", "آبان ۲۷ ۱۳۶۷").proposed == "۲۷ آبان ۱۳۶۷"
    assert f.propose("death_date", "۱۳۶۷/۰۵/۱۲") is None
    assert f.propose("prison", "زندان عادل آباد").proposed == f"زندان عادل{ZWNJ}آباد"
    assert f.propose("prison", "زندان اوین") is None


def test_surname_endings_titles_and_given_names_misread() -> None:
    """Failure classes of the tuning pages 15-40 (SYNTHETIC): a surname's ending misread
    after its ZWNJ, a title read as a word of its own, a surname read where the given name
    stands, an alef read as the digit one."""
    c = NameCorrector.default()
    assert c.propose(f"اسماعیل آرش{ZWNJ}بور").proposed == f"اسماعیل آرش{ZWNJ}پور"
    assert c.propose(f"مرضیه رضوی{ZWNJ}پون").proposed == f"مرضیه رضوی{ZWNJ}پور"
    assert c.propose("حامد حاجی کاظمی").proposed.replace(ZWNJ, "") == "حامد حاجیکاظمی"
    assert c.propose("صفری ناصری").proposed == "صغری ناصری"  # صفری is a surname
    assert c.propose("علی صفری") is None  # … and right where a surname stands
    assert c.propose("۱سدالله رضایی").proposed == "اسدالله رضایی"
    assert c.propose("حاجی رضایی") is None  # a title at the head is left alone


def test_a_fathers_name_is_mended_among_given_names() -> None:
    """Where a given name stands, two confusable letters may be mended (SYNTHETIC tuning
    pages 15-40: مجمذ، ناضز، قزیان); a surname's place keeps one confusion per four letters."""
    c = NameCorrector.default()
    assert c.propose("مجمذ", "father_name").proposed == "محمد"
    assert c.propose("قزیان", "father_name").proposed == "قربان"
    p = c.propose("علی ناضز")  # a surname: not mended among the given names
    assert p is None or p.proposed != "علی ناصر"


def test_titles_and_short_endings_misread() -> None:
    """A title misread before its ZWNJ; a surname of a name and a two-letter ending, its
    name misread (SYNTHETIC tuning pages 15-40)."""
    c = NameCorrector.default()
    assert c.propose(f"محمود خاجی{ZWNJ}رضایی").proposed == f"محمود حاجی{ZWNJ}رضایی"
    assert c.with_names(["ستار رضایی"]).propose("مهدی ستازفر").proposed == "مهدی ستارفر"


def test_surnames_built_of_a_known_name_are_proposed_by_their_confusable_letters() -> None:
    # no dictionary holds «فرهنگی» or «قادریان» whole; a name of the case and a surname's
    # ending build them (SYNTHETIC tuning pages 300-329: 4 names mended, none spoiled)
    c = NameCorrector.default().with_names(["فرهنگ کریمی", "قادر حسینی"])
    assert c.propose("خدیجه قرهنگی").proposed == "خدیجه فرهنگی"  # ق/ف
    assert c.propose("اسد قادزیان").proposed == "اسد قادریان"  # ز/ر
    # two ways to mend it, or none built plainly: nothing proposed
    assert c.propose("علی سیاوشلو") is None


def test_meem_read_as_feh() -> None:
    # a medial «م» with a speck above reads as «ف» (tuning pages 300-329: 6 names)
    assert confusion_cost("همتی", "هفتی") < 1
    assert NameCorrector.default().propose("فحسن صالحی").proposed == "محسن صالحی"


def test_a_speck_read_as_a_word_before_the_given_name_is_dropped() -> None:
    # SYNTHETIC tuning pages 15-40 and 300-329: 3 names mended, none spoiled
    c = NameCorrector.default()
    assert c.propose("زر مصطفی ادیبی").proposed == "مصطفی ادیبی"
    assert c.propose("ب قاسم رضایی").proposed == "قاسم رضایی"
    # a name of two words, or a known word first, is left
    for text in ("زر مصطفی", "علی مصطفی رضایی"):
        p = c.propose(text)
        assert p is None or p.proposed == text


def test_a_fathers_compound_given_name_read_as_two_words_is_joined() -> None:
    # SYNTHETIC tuning page 334: «علی اصغر» for the father «علی‌اصغر», twice
    c = NameCorrector.default()
    assert c.propose("علی اصغر", "father_name").proposed == "علی\u200cاصغر"
    # a full name of two words is a given name and a surname: left as read
    p = c.propose("علی اصغر")
    assert p is None or p.proposed == "علی اصغر"


def test_a_proposal_always_changes_something() -> None:
    c = NameCorrector.default()
    for text in ("زر مصطفی", "علی مصطفی رضایی", "محمد رضایی", "علی اصغر"):
        p = c.propose(text)
        assert p is None or p.proposed != p.original


def test_a_surname_of_the_lexicon_is_proposed_by_its_confusable_letters() -> None:
    # SYNTHETIC tuning page 341 (2 columns, small print): «ب» read as «ی»
    c = NameCorrector.default()
    assert c.propose("علی اردییلی").proposed == "علی اردبیلی"
    assert c.propose("علی اردبیلی") is None


def test_unknown_surnames_are_read_again_as_known_pieces() -> None:
    c = NameCorrector.default().with_names(["علی قنبری", "حسن مسعودی", "رضا کبیری"])
    # a confusable letter inside a surname built of a name and an ending
    assert c.propose("پروانه قتبروند").proposed == "پروانه قنبروند"
    # a tooth OCR added («ن») dropped
    assert c.propose("امیر مسنعودیان").proposed == "امیر مسعودیان"
    # a final «ی» read as «ق»
    assert c.propose("مرتضی رضوق").proposed == "مرتضی رضوی"
    # a madda is never taken away, and a surname built of known pieces is left alone
    assert c.propose(f"مژگان آتش{ZWNJ}کار") is None or "اتش" not in c.propose(
        f"مژگان آتش{ZWNJ}کار").proposed
    assert c.propose("بهرام حسینلو") is None


def test_a_surname_split_before_its_last_piece_is_joined() -> None:
    c = NameCorrector.default()
    assert c.propose("علی زنجانی اصل").proposed == f"علی زنجانی{ZWNJ}اصل"
    assert c.propose("کامران اسماعیل آبادی").proposed == f"کامران اسماعیل{ZWNJ}آبادی"
    assert c.propose("مرضیه شیر جمشیدی").proposed == f"مرضیه شیر{ZWNJ}جمشیدی"
    # two given names before the surname stay two words
    assert c.propose("محمد رحیم رضایی") is None


def test_feh_read_for_ghain_is_proposed_back_by_the_cases_names() -> None:
    c = NameCorrector.default()
    case = c.with_names(["حسن اصغری", "رضا اصغری", "علی اصغری", "اصغر رضایی", "اصغر کریمی"])
    assert case.propose("محمد اصفری").proposed == "محمد اصغری"
    # without the case's names «اصفری» (a surname of the lexicon) is left as read
    assert c.propose("محمد اصفری") is None
    # inside a surname built of pieces, where «اصغر» is a piece of its own
    assert case.propose("زهره اصفرنژاد").proposed == "زهره اصغرنژاد"
    assert case.propose("ابوالقاسم ملاصفرنژاد") is None  # ملا + صفر + نژاد


def test_a_surname_is_chosen_by_how_often_the_case_ends_names_with_it() -> None:
    case = NameCorrector.default().with_names(["مریم حسنی", "رضا حسنی", "علی حسنی"])
    assert case.propose("حشمت حسنن").proposed == "حشمت حسنی"


def test_two_letters_of_a_lexicon_word_make_no_piece_of_a_known_surname() -> None:
    # SYNTHETIC tuning pages 471, 477: «بن» + «اهی», «وفا» + «بی» made misreadings known
    case = NameCorrector.default().with_names(["مریم پناهی", "رضا پناهی", "علی وفایی",
                                               "حسن وفایی"])
    assert case.propose("افسانه بناهی").proposed == "افسانه پناهی"
    assert case.propose("رجب وفابی").proposed == "رجب وفایی"
    # a name with «ی» before an ending is built of pieces still: left as read
    assert case.with_names(["رضا کلات"]).propose(f"مجید کلاتی{ZWNJ}نژاد") is None


def test_a_piece_surnames_are_built_of_outweighs_a_piece_of_a_lexicon_word() -> None:
    # SYNTHETIC tuning pages 410, 419, 473: «پ» read for «ی» of «یار»; «تار» is a piece too
    c = NameCorrector.default().with_names(["علی فرجی", "رضا عارفی"])
    assert c.propose("محمد رحیم پارفرجی").proposed == "محمد رحیم یارفرجی"
    assert c.propose("فاطمه پارعارفی").proposed == "فاطمه یارعارفی"


def test_a_surname_ending_after_its_zwnj_with_letters_lost_or_changed() -> None:
    # SYNTHETIC tuning pages 503, 507, 541, 590 (two columns, noisy)
    c = NameCorrector.default()
    assert c.propose(f"سولماز طیب{ZWNJ}نژا").proposed == f"سولماز طیب{ZWNJ}نژاد"
    assert c.propose(f"طیبه عبدالرحیم{ZWNJ}پو").proposed == f"طیبه عبدالرحیم{ZWNJ}پور"
    assert c.propose(f"صادق سبحان{ZWNJ}نژان").proposed == f"صادق سبحان{ZWNJ}نژاد"
    assert c.propose(f"کامران محمدعلی{ZWNJ}زادو").proposed == f"کامران محمدعلی{ZWNJ}زاده"
    # two endings as close («نیا», «نژاد»): nothing proposed for the ending
    p = c.propose(f"اشرف شمیرانی{ZWNJ}نیاد")
    assert p is None or p.proposed.endswith("نیاد")
    # the reading stays beside the proposal
    assert c.propose(f"سولماز طیب{ZWNJ}نژا").reading == f"سولماز طیب{ZWNJ}نژا"


def test_feh_read_for_ghain_inside_a_zwnj_compound() -> None:
    # SYNTHETIC noisy two-column tuning page 548: «اصفری‌بور» for «اصغری‌پور»
    case = NameCorrector.default().with_names(
        ["حسن اصغری", "رضا اصغری", "علی اصغری", "اصغر رضایی", "اصغر کریمی"])
    assert case.propose(f"صالح اصفری{ZWNJ}بور").proposed == f"صالح اصغری{ZWNJ}پور"
    assert case.propose(f"صالح اصفری{ZWNJ}پور").proposed == f"صالح اصغری{ZWNJ}پور"
    # a case that holds «اصفری» keeps it
    assert case.with_names(["مریم اصفری", "زهرا اصفری"]).propose(f"صالح اصفری{ZWNJ}پور") is None
