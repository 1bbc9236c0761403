"""Dates for people to read (names.datefmt): the truth comes from jdatetime directly."""

from __future__ import annotations

from datetime import date, timedelta

import jdatetime
import pytest

from dadkhah.names import format_interval, format_iso, format_years, parse_date

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _j(d: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=d)


@pytest.mark.parametrize("day", [date(1988, 7, 19), date(1988, 9, 22), date(1960, 3, 20),
                                 date(1960, 3, 21), date(1989, 3, 20)])
def test_a_day_is_a_solar_hijri_day_in_persian_digits(day: date) -> None:
    want = _j(day).strftime("%Y/%m/%d").translate(FA)
    assert format_interval(day.isoformat(), day.isoformat()) == want
    assert format_interval(day, day, lang="en") == day.isoformat()
    assert format_interval(day, day, lang="fa", calendar="gregorian") == \
        day.isoformat().translate(FA)


@pytest.mark.parametrize("year", [1940, 1955, 1960, 1966, 1970])
def test_a_gregorian_birth_year_is_the_two_solar_hijri_years_it_overlaps(year: int) -> None:
    a, b = _j(date(year, 1, 1)).year, _j(date(year, 12, 31)).year
    assert format_years(year) == f"{a}–{b}".translate(FA)
    assert format_years(year, lang="en") == str(year)
    assert format_years(year, year + 2) == \
        f"{a}–{_j(date(year + 2, 12, 31)).year}".translate(FA)
    assert format_years(f"{year}–{year + 2}") == format_years(year, year + 2)


def test_vague_dates_keep_their_precision() -> None:
    # a Solar Hijri month from a Persian list shows as that month
    mordad = parse_date("مرداد ۱۳۶۷")
    assert format_interval(mordad.earliest, mordad.latest) == \
        f"{jdatetime.date.j_months_fa[4]} 1367".translate(FA)
    # a Solar Hijri season: its months
    summer = parse_date("تابستان ۱۳۶۷")
    assert format_interval(summer.earliest, summer.latest) == "تیر–شهریور ۱۳۶۷"
    # a Solar Hijri year
    y = parse_date("۱۳۶۷")
    assert format_interval(y.earliest, y.latest) == "۱۳۶۷"
    # a Gregorian month: a month in Gregorian, its exact days in Solar Hijri
    aug = parse_date("August 1988")
    assert format_interval(aug.earliest, aug.latest, lang="en") == "1988-08"
    lo, hi = _j(date(1988, 8, 1)), _j(date(1988, 8, 31))
    assert format_interval(aug.earliest, aug.latest) == \
        f"{lo.strftime('%Y/%m/%d')} – {hi.strftime('%Y/%m/%d')}".translate(FA)
    # an interval stays an interval
    r = parse_date("1988-08-01 to 1988-08-15")
    assert format_interval(r.earliest, r.latest, lang="en") == "1988-08-01 – 1988-08-15"
    assert " – " in format_interval(r.earliest, r.latest)


def test_whole_months_and_one_end() -> None:
    lo = date(1988, 7, 1)
    hi = date(1988, 9, 1) - timedelta(days=1)
    assert format_interval(lo, hi, lang="en") == "1988-07 – 1988-08"
    assert format_interval(None, "1988-08-01", lang="en") == "1988-08-01"
    assert format_interval(None, None) == ""
    assert format_iso("1988", lang="en") == "1988"


def test_not_a_date_is_shown_not_dropped() -> None:
    assert format_interval("later", None, lang="en") == "later"
    assert format_iso("۱۳۶۷/۱۳/۴۰") == "۱۳۶۷/۱۳/۴۰"
    with pytest.raises(ValueError, match="calendar"):
        format_interval("1988-08-01", "1988-08-01", calendar="julian")
