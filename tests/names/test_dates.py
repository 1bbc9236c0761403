from __future__ import annotations

from datetime import date, timedelta

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dadkhah.names import (
    DateInterval,
    age_at,
    birth_interval_from_age,
    parse_age,
    parse_date,
    try_parse_date,
)
from tests.names._corpus import read

DATES = read("dates.csv")
BAD = read("dates_unparseable.csv")


def test_corpus_size() -> None:
    assert len(DATES) >= 150
    assert {r["calendar"] for r in DATES} == {"jalali", "gregorian"}
    assert {r["precision"] for r in DATES} >= {
        "day", "month", "season", "year", "part_month", "range", "decade",
    }


@pytest.mark.parametrize("row", DATES, ids=[r["text"] for r in DATES])
def test_every_labelled_date_parses_to_its_interval(row: dict[str, str]) -> None:
    d, problem = try_parse_date(row["text"])
    assert d is not None, problem
    assert d.earliest.isoformat() == row["earliest"]
    assert d.latest.isoformat() == row["latest"]
    assert d.precision == row["precision"]
    assert d.calendar == row["calendar"]


@pytest.mark.parametrize("row", BAD, ids=[r["text"] or "empty" for r in BAD])
def test_unparseable_dates_are_refused_with_a_reason(row: dict[str, str]) -> None:
    d, problem = try_parse_date(row["text"])
    assert d is None
    assert problem


def test_parse_date_raises_value_error() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date("08/10/1988")
    assert parse_date("08/10/1988", day_first=True).earliest == date(1988, 10, 8)
    assert parse_date("08/10/1988", day_first=False).earliest == date(1988, 8, 10)


def test_both_calendars_are_shown() -> None:
    d = parse_date("۱۰ مرداد ۱۳۶۷")
    assert d.describe() == "1367/05/10 (Solar Hijri) = 1988-08-01 (Gregorian), precision day"
    g = parse_date("August 1988")
    assert g.jalali_text() == "1367/05/10 … 1367/06/09"
    assert g.to_dict()["gregorian"] == "1988-08-01 … 1988-08-31"


def test_approximate_is_flagged_not_widened() -> None:
    d = parse_date("c. 1988")
    assert d.approximate
    assert (d.earliest, d.latest) == (date(1988, 1, 1), date(1988, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2050, 12, 31)))
def test_jalali_written_dates_round_trip(day: date) -> None:
    j = jdatetime.date.fromgregorian(date=day)
    for text in (f"{j.year}/{j.month}/{j.day}", f"{j.day} {j.j_months_en[j.month - 1]} {j.year}"):
        d = parse_date(text)
        assert d.earliest == d.latest == day, text


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2050, 12, 31)))
def test_gregorian_iso_round_trips(day: date) -> None:
    d = parse_date(day.isoformat())
    assert d.earliest == d.latest == day
    assert d.calendar == "gregorian"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_try_parse_date_never_raises(text: str) -> None:
    d, problem = try_parse_date(text)
    assert (d is None) != (problem is None)
    if d is not None:
        assert d.earliest <= d.latest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23", (23, 23)),
        ("۲۳", (23, 23)),
        ("۲۳ ساله", (23, 23)),
        ("23 years", (23, 23)),
        ("20-25", (20, 25)),
        ("about 25", (23, 27)),
        ("حدود ۳۰", (28, 32)),
        ("old", None),
        ("", None),
        ("200", None),
        (19, (19, 19)),
    ],
)
def test_parse_age(text: str | int, expected: tuple[int, int] | None) -> None:
    assert parse_age(text) == expected


def test_birth_interval_from_age_at_a_day() -> None:
    b = birth_interval_from_age(23, parse_date("1988-08-01"))
    assert (b.earliest, b.latest) == (date(1964, 8, 2), date(1965, 8, 1))


def test_birth_interval_from_age_at_a_month_in_jalali() -> None:
    b = birth_interval_from_age(23, parse_date("مرداد ۶۷"))
    # aged 23 at some day of Mordad 1367 (1988-07-23 … 1988-08-22)
    assert (b.earliest, b.latest) == (date(1964, 7, 24), date(1965, 8, 22))


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 12, 31)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)),
)
def test_age_and_birth_interval_agree(birth: date, ref: date) -> None:
    if ref < birth:
        return
    at = DateInterval(ref, ref, "day", "gregorian")
    lo, hi = age_at(DateInterval(birth, birth, "day", "gregorian"), at)
    assert lo == hi
    b = birth_interval_from_age(lo, at)
    assert b.earliest <= birth <= b.latest
    assert (b.latest - b.earliest) < timedelta(days=367)


# The one parse_age: everything either former reader accepted (ingest's and this one), with
# the decisions pinned: 0-120, approximate (words or «?») widened by 2 each way and clamped,
# ranges kept, decimals floored, «60+» up to 120.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25", (25, 25)),
        ("۲۵", (25, 25)),
        ("٢٥", (25, 25)),
        ("25 yrs.", (25, 25)),
        ("25 years old", (25, 25)),
        ("۲۵ سال", (25, 25)),
        ("0", (0, 0)),
        ("120", (120, 120)),
        ("121", None),
        ("2.5", (2, 2)),
        ("۲٫۵", (2, 2)),
        ("20-25", (20, 25)),
        ("20 – 25", (20, 25)),
        ("20 to 25", (20, 25)),
        ("۲۰ تا ۲۵", (20, 25)),
        ("25-20", None),
        ("25-130", None),
        ("about 25", (23, 27)),
        ("around 25", (23, 27)),
        ("approx. 25", (23, 27)),
        ("c. 25", (23, 27)),
        ("ca 25", (23, 27)),
        ("~25", (23, 27)),
        ("حدود ۲۵", (23, 27)),
        ("حدوداً ۲۵", (23, 27)),
        ("تقریباً ۲۵", (23, 27)),
        ("در حدود ۲۵", (23, 27)),
        ("25?", (23, 27)),
        ("۲۵ ساله؟", (23, 27)),
        ("about 20-25", (18, 27)),
        ("about 1", (0, 3)),
        ("119?", (117, 120)),
        ("60+", (60, 120)),
        ("twenty", None),
        ("1367", None),
        ("?", None),
        ("25 30", None),
        (130, None),
        (None, None),
    ],
)
def test_parse_age_grammar(text: str | int | None, expected: tuple[int, int] | None) -> None:
    assert parse_age(text) == expected


# Issue 15, part 6: unambiguous numeric dates and vague dates, as lists write them.
# (text, earliest, latest, precision, calendar)
DATE_FORMS = [
    ("13/05/1988", "1988-05-13", "1988-05-13", "day", "gregorian"),
    ("05/13/1988", "1988-05-13", "1988-05-13", "day", "gregorian"),
    ("13.05.1988", "1988-05-13", "1988-05-13", "day", "gregorian"),
    ("31/07/1988", "1988-07-31", "1988-07-31", "day", "gregorian"),
    ("late July 1988", "1988-07-21", "1988-07-31", "part_month", "gregorian"),
    ("end of July 1988", "1988-07-21", "1988-07-31", "part_month", "gregorian"),
    ("early August 1988", "1988-08-01", "1988-08-10", "part_month", "gregorian"),
    ("mid-August 1988", "1988-08-11", "1988-08-20", "part_month", "gregorian"),
    ("mid-1988", "1988-05-01", "1988-08-31", "part_year", "gregorian"),
    ("late 1988", "1988-09-01", "1988-12-31", "part_year", "gregorian"),
    ("fin juillet 1988", "1988-07-21", "1988-07-31", "part_month", "gregorian"),
    ("fin de juillet 1988", "1988-07-21", "1988-07-31", "part_month", "gregorian"),
    ("à la fin de juillet 1988", "1988-07-21", "1988-07-31", "part_month", "gregorian"),
    ("début août 1988", "1988-08-01", "1988-08-10", "part_month", "gregorian"),
    ("début d'août 1988", "1988-08-01", "1988-08-10", "part_month", "gregorian"),
    ("au début d’août 1988", "1988-08-01", "1988-08-10", "part_month", "gregorian"),
    ("mi-juillet 1988", "1988-07-11", "1988-07-20", "part_month", "gregorian"),
    ("اواخر مرداد ۶۷", "1988-08-12", "1988-08-22", "part_month", "jalali"),
    ("اوایل شهریور ۱۳۶۷", "1988-08-23", "1988-09-01", "part_month", "jalali"),
    ("اواسط مرداد ۶۷", "1988-08-02", "1988-08-11", "part_month", "jalali"),
    ("اوائل شهریورماه ۶۷", "1988-08-23", "1988-09-01", "part_month", "jalali"),
    ("اواخر سال ۶۷", "1988-11-22", "1989-03-20", "part_year", "jalali"),
]


@pytest.mark.parametrize("text,earliest,latest,precision,calendar", DATE_FORMS,
                         ids=[r[0] for r in DATE_FORMS])
def test_unambiguous_and_vague_dates(text: str, earliest: str, latest: str, precision: str,
                                     calendar: str) -> None:
    d, problem = try_parse_date(text)
    assert d is not None, problem
    assert (d.earliest.isoformat(), d.latest.isoformat(), d.precision, d.calendar) == (
        earliest, latest, precision, calendar)


@pytest.mark.parametrize("text", ["08/10/1988", "31/06/1988", "۱۳۶۷/۱۳/۴۰", "fin de 1988x"])
def test_dates_with_no_single_valid_reading_are_refused(text: str) -> None:
    d, problem = try_parse_date(text)
    assert d is None and problem
