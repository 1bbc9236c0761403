"""One list line split into fields, as such lists are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah.documents import EntryLayout, leading_number, load_layout, parse_entry
from dadkhah.errors import MappingError


def test_a_labelled_line_gives_every_field_as_written() -> None:
    e = parse_entry("۱۲. علی‌اصغر رضایی، فرزند حسن، متولد ۱۳۴۰، زندان اوین، اهل تبریز، "
                    "اعدام ۱۰ مرداد ۱۳۶۷")
    assert e.number == "۱۲"
    assert e.fields == {"full_name": "علی‌اصغر رضایی", "father_name": "حسن",
                        "birth_date": "۱۳۴۰", "prison": "زندان اوین", "city": "تبریز",
                        "death_date": "۱۰ مرداد ۱۳۶۷"}


def test_age_sex_affiliation_and_arabic_indic_digits() -> None:
    e = parse_entry("٣٤- مریم احمدی، ۲۵ ساله، دختر محمود، هوادار مجاهدین، اعدام ٠٥/٠٦/١٣٦٧")
    assert e.number == "٣٤"
    assert e.fields["age"] == "۲۵" and e.fields["sex"] == "f"
    assert e.fields["father_name"] == "محمود"
    assert e.fields["affiliation"] == "هوادار مجاهدین"
    assert e.fields["death_date"] == "٠٥/٠٦/١٣٦٧"


def test_unlabelled_parts_by_recognition_and_by_the_layout_order() -> None:
    # dates and prisons are recognised without labels
    e = parse_entry("۷) حسن کریمی، اوین، 1988-08-10")
    assert e.fields == {"full_name": "حسن کریمی", "prison": "اوین", "death_date": "1988-08-10"}
    # a part nothing recognises goes to the layout's next field
    lay = EntryLayout(order=("full_name", "father_name", "death_date"))
    e = parse_entry("۸. رضا نادری، جمشید، ۱۳۶۷/۰۶/۰۱", lay)
    assert e.fields == {"full_name": "رضا نادری", "father_name": "جمشید",
                        "death_date": "۱۳۶۷/۰۶/۰۱"}
    # without a layout field for it, the part is kept in notes, not lost
    e = parse_entry("۸. رضا نادری، جمشید")
    assert e.fields["notes"] == "جمشید" and e.unplaced == ("جمشید",)


def test_what_ocr_does_to_separators_and_labels_is_read_through() -> None:
    # «،» read as «,» «.» «ء», a separator lost before a label, a label misread by dots,
    # a bidi mark beside the number, a stray dot between a label and its value
    e = parse_entry("\u200f۶ سعیده کریمی, فززند امید. زندان. وکیل‌آباد اهل اراکء اعذام ۱۳۶۷/۰۵/۲۸")
    assert e.number == "۶"
    assert e.fields == {"full_name": "سعیده کریمی", "father_name": "امید",
                        "prison": "زندان وکیل‌آباد", "city": "اراک",
                        "death_date": "۱۳۶۷/۰۵/۲۸"}


def test_a_name_run_on_into_the_date_is_cut_before_it() -> None:
    e = parse_entry("۹ حسن رضایی ۱۰ مرداد ۱۳۶۷")
    assert e.fields == {"full_name": "حسن رضایی", "death_date": "۱۰ مرداد ۱۳۶۷"}
    lay = EntryLayout(order=("full_name", "prison", "death_date"))
    e = parse_entry("۹ حسن رضایی اوین ۱۳۶۷/۰۵/۱۰", lay)
    assert e.fields == {"full_name": "حسن رضایی", "prison": "اوین",
                        "death_date": "۱۳۶۷/۰۵/۱۰"}


def test_english_lines() -> None:
    e = parse_entry("12- Ali Rezaei, son of Hasan, born 1340, Evin Prison, executed 1988-08-10")
    assert e.fields == {"full_name": "Ali Rezaei", "father_name": "Hasan", "sex": "m",
                        "birth_date": "1340", "prison": "Evin Prison",
                        "death_date": "1988-08-10"}


def test_leading_numbers() -> None:
    assert [leading_number(t) for t in ("۱۲. علی", "(3) Ali", "۴- x", "علی ۱۲", "1367/05/10")] \
        == ["۱۲", "3", "۴", None, None]


def test_layout_file(tmp_path: Path) -> None:
    p = tmp_path / "layout.toml"
    p.write_text('[layout]\norder = ["full_name", "prison"]\nnumbered = true\n'
                 '[labels]\nfather_name = ["ابن"]\n[document]\nurl = "https://example.org/l"\n',
                 encoding="utf-8")
    lay = load_layout(p)
    assert lay.order == ("full_name", "prison") and lay.numbered is True
    assert lay.document["url"] == "https://example.org/l"
    assert parse_entry("۱. علی رضایی، ابن حسن", lay).fields["father_name"] == "حسن"
    p.write_text('[layout]\norder = ["full_name", "shoe_size"]\n', encoding="utf-8")
    with pytest.raises(MappingError, match="shoe_size"):
        load_layout(p)
    with pytest.raises(MappingError, match="does not exist"):
        load_layout(tmp_path / "missing.toml")


def test_more_ocr_damage_read_through() -> None:
    # a misread label with its separator lost, a run of dots, a lone digit after a year
    e = parse_entry("۶ ناصر بدیعی، زندان اوین آهل شیراز، متولد ۱۳۳۷..زندان قزلحصار، "
                    "اعدام ۲۰ آذر ۱۳۶۷ ۱")
    # (a second prison is not the record's prison: it is kept in the notes)
    assert e.fields == {"full_name": "ناصر بدیعی", "prison": "زندان اوین", "city": "شیراز",
                        "birth_date": "۱۳۳۷", "death_date": "۲۰ آذر ۱۳۶۷",
                        "notes": "زندان قزلحصار"}
    # «۱.» read as alef; a year's comma read as a leading zero
    e = parse_entry("ا. علی نظری، متولد ۰۱۳۴۰، زندان لاکان")
    assert e.number == "۱" and e.fields["full_name"] == "علی نظری"
    assert e.fields["birth_date"] == "۱۳۴۰"


def test_a_lists_consensus_year_is_proposed_for_impossible_years() -> None:
    from dadkhah.documents import DocumentReading, Line, entry_rows

    texts = [f"{i}. علی رضایی، اعدام {d} مرداد ۱۳۶۷" for i, d in enumerate(range(1, 7), 1)]
    texts += ["7. حسن کریمی، اعدام ۸ مزداد ۱۳۳۶", "8. رضا نادری، اعدام ۹ مهر ۱۳۶"]
    lines = tuple(Line(1, (0, i, 10, i + 1), t, 90.0, "ocr") for i, t in enumerate(texts))
    rows = entry_rows(DocumentReading("x", "0" * 64, "image", "px", "t", (), lines))
    assert all(r["proposals"] == [] for r in rows[:6])
    (p7,) = rows[6]["proposals"]
    assert p7["proposed"] == "۸ مرداد ۱۳۶۷" and "6 of the list's 8" in p7["why"]
    assert rows[6]["death_date"] == "۸ مزداد ۱۳۳۶"  # the reading stays
    assert rows[7]["proposals"][0]["proposed"] == "۹ مهر ۱۳۶۷"


def test_the_consensus_is_among_plausible_years_when_most_are_misread() -> None:
    # a page of small print: 5 of 11 death years read right, the others misread as years
    # no killing of the list can have (SYNTHETIC, as on tuning page 300)
    from dadkhah.documents import DocumentReading, Line, entry_rows

    years = ["۱۳۶۷"] * 5 + ["۱۳۲۶", "۱۳۹۶", "۱۲۶۷", "۱۳۷۶", "۱۳۲۶", "۱۳۶"]
    texts = [f"{i}. علی رضایی، اعدام {i} مرداد {y}" for i, y in enumerate(years, 1)]
    lines = tuple(Line(1, (0, i, 10, i + 1), t, 90.0, "ocr") for i, t in enumerate(texts))
    rows = entry_rows(DocumentReading("x", "0" * 64, "image", "px", "t", (), lines))
    assert all(r["proposals"] == [] for r in rows[:5])
    assert [r["proposals"][0]["proposed"] for r in rows[5:]] == \
        [f"{i} مرداد ۱۳۶۷" for i in range(6, 12)]
    # two plausible years split evenly: no consensus, nothing proposed
    years = ["۱۳۶۷"] * 5 + ["۱۳۶۵"] * 5 + ["۱۳۲۶"]
    texts = [f"{i}. علی رضایی، اعدام {i} مرداد {y}" for i, y in enumerate(years, 1)]
    lines = tuple(Line(1, (0, i, 10, i + 1), t, 90.0, "ocr") for i, t in enumerate(texts))
    rows = entry_rows(DocumentReading("x", "0" * 64, "image", "px", "t", (), lines))
    assert all(r["proposals"] == [] for r in rows)


def test_marks_before_the_number_and_dots_in_labels() -> None:
    """What OCR made of noisy pages (SYNTHETIC tuning pages 15-40)."""
    e = parse_entry('" ۲۶. محرم اقبالی‌نژاد. فرزند فرشید، زندان عادل‌آباد')
    assert e.number == "۲۶" and e.fields["full_name"] == "محرم اقبالی‌نژاد"
    e = parse_entry("اا. جعفر حامدپور فرزند کاوه. زندان مرکزی تبریز")
    assert e.number == "۱۱" and e.fields["full_name"] == "جعفر حامدپور"
    e = parse_entry("۴ محمود حیدری, متولد.۱۳۳۵, زندان لاکان. اعدام ۲۰ آبان ۱۳۶۷")
    assert e.fields["birth_date"] == "۱۳۳۵" and e.fields["full_name"] == "محمود حیدری"
    e = parse_entry("۵ رقیه. رضوانی فرزند نوروز متولد ۱۳۲۳ زندان عادل‌آباد")
    assert e.fields["full_name"] == "رقیه رضوانی" and e.fields["father_name"] == "نوروز"


def test_labels_misread_on_noisy_pages() -> None:
    """A city's label misread before a known city, a date's label with its last letter
    misread or digits run into it, a place whose name ends in a label word (SYNTHETIC
    tuning pages 15-40)."""
    e = parse_entry("۳ علی رشتی, فرزند بابک. زندان گوهردشت افل بجنورد, اعدام ۲۵ مهر ۱۳۶۷")
    assert e.fields["prison"] == "زندان گوهردشت" and e.fields["city"] == "بجنورد"
    e = parse_entry("۲. طیبه بهرام‌راد. زندان عادل‌آباد. امن مسجدسلیمان اعدام ۲۸ آذر ۱۳۶۷")
    assert e.fields["city"] == "مسجدسلیمان" and e.fields["death_date"] == "۲۸ آذر ۱۳۶۷"
    e = parse_entry("۵ کریم سلامتی. متولد ۱۳۲۲ زندان عادل‌آباد. اعداغ ۱۲ آذر ۱۳۶۷")
    assert e.fields["death_date"] == "۱۲ آذر ۱۳۶۷" and "notes" not in e.fields
    e = parse_entry("۴ علی سجادی, متولد ۱۳۳۰. زندان گوهردشت. اعدام۲۰ آبان ۱۳۶۷")
    assert e.fields["death_date"] == "۲۰ آبان ۱۳۶۷"
    e = parse_entry("۳ زینب احمدی, زندان مرکزی تبریز, اهل قائم شهر اعدام ۲۲ مهر ۱۳۶۷")
    assert e.fields["city"] == "قائم شهر" and e.fields["death_date"] == "۲۲ مهر ۱۳۶۷"
    # a word like the city's label before no city stays in the value
    e = parse_entry("۶ امن رضایی, زندان اوین, اعدام ۲۲ مهر ۱۳۶۷")
    assert e.fields["full_name"] == "امن رضایی" and "city" not in e.fields


def test_marks_and_numbers_glued_to_the_name() -> None:
    """What OCR made of noisy two-column pages (SYNTHETIC tuning pages 300-329)."""
    cases = {"< ۳۱. حسین سیدرفیعی, زندان عادل‌آباد": ("۳۱", "حسین سیدرفیعی"),
             "#۴۷ محمد واحدپور, فرزند کاک": ("۴۷", "محمد واحدپور"),
             "۵علی سیفی, فرزند سیاوش": ("۵", "علی سیفی"),
             "۰ ۰.۵۰سعید یعقوبی, فرزند امیرعلی": ("۰", "سعید یعقوبی"),
             "۳۱ حسین:میرزاجعفری, زندان لاکان": ("۳۱", "حسین میرزاجعفری")}
    for text, (number, name) in cases.items():
        e = parse_entry(text)
        assert (e.number, e.fields["full_name"]) == (number, name), text
    # a «۱» glued to letters may be an alef («۱سدالله»): left for the name's correction
    assert parse_entry("۱سدالله رضایی، زندان اوین").fields["full_name"] == "۱سدالله رضایی"


def test_a_birth_year_out_of_the_lists_century_gets_it_proposed() -> None:
    # small print reads «۳» as «۲»: «۱۲۴۰» in a list whose birth years are «۱۳..»
    # (SYNTHETIC tuning pages 300-329: 18 birth years mended)
    from dadkhah.documents import DocumentReading, Line, entry_rows

    years = ["۱۳۴۰", "۱۳۲۵", "۱۳۳۸", "۱۳۴۵", "۱۳۲۹", "۱۳۳۳", "۱۳۲۱", "۱۳۴۴", "۱۳۳۰",
             "۱۲۴۰", "۱۹۶۰"]
    texts = [f"{i}. علی رضایی، متولد {y}، زندان اوین" for i, y in enumerate(years, 1)]
    lines = tuple(Line(1, (0, i, 10, i + 1), t, 90.0, "ocr") for i, t in enumerate(texts))
    rows = entry_rows(DocumentReading("x", "0" * 64, "image", "px", "t", (), lines))
    assert all(r["proposals"] == [] for r in rows[:9])
    (p,) = rows[9]["proposals"]
    assert p["proposed"] == "۱۳۴۰" and "9 of the list's 11" in p["why"]
    assert rows[9]["birth_date"] == "۱۲۴۰"  # the reading stays
    assert rows[10]["proposals"] == []  # another calendar, not a misread digit


def test_an_entrys_number_read_as_a_line_of_its_own_joins_its_row() -> None:
    # Tesseract put the numbers of a column in a block apart (SYNTHETIC, as on tuning
    # page 429): each number joins the line at its left on the same row
    from dadkhah.documents import DocumentReading, Line, entry_rows

    lines = (Line(1, (170, 160, 740, 195), "اکبر میرساعدی، زندان اوین، ۱۳۶۷/۰۵/۱۶", 90.0, "ocr"),
             Line(1, (752, 167, 787, 187), "۳۵", 90.0, "ocr"),
             Line(1, (180, 214, 742, 258), "علی رضایی، زندان اوین، ۱۳۶۷/۰۸/۱۰", 90.0, "ocr"),
             Line(1, (752, 227, 786, 246), "۳۶", 90.0, "ocr"),
             Line(1, (900, 214, 1400, 258), "۹۰. حسن کریمی، زندان اوین، ۱۳۶۷/۰۸/۱۰", 90.0,
                  "ocr"))
    rows = entry_rows(DocumentReading("x", "0" * 64, "image", "px", "t", (), lines),
                      EntryLayout(order=("full_name", "prison", "death_date")))
    assert [(r["number"], r["full_name"]) for r in rows] == \
        [("۳۵", "اکبر میرساعدی"), ("۳۶", "علی رضایی"), ("۹۰", "حسن کریمی")]
    assert rows[0]["box"] == [170, 160, 787, 195]
