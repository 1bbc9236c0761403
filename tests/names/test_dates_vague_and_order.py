"""Vague dates as intervals and the day/month order of a list (issue 15, part 6)."""

from __future__ import annotations

from datetime import date

import pytest

from dadkhah.names import try_parse_date
from dadkhah.names.dates import DateOrder, numeric_order, settle_date_order


@pytest.mark.parametrize("text,jalali,precision", [
    ("اواخر مرداد ۶۷", "1367/05/21 … 1367/05/31", "part_month"),
    ("اوایل شهریور ۱۳۶۷", "1367/06/01 … 1367/06/10", "part_month"),
    ("تابستان ۶۷", "1367/04/01 … 1367/06/31", "season"),
    ("summer 1988", "1367/04/01 … 1367/06/31", "season"),
    # part of a season: one month of it
    ("اواخر تابستان ۶۷", "1367/06/01 … 1367/06/31", "part_season"),
    ("late summer 1988", "1367/06/01 … 1367/06/31", "part_season"),
    ("fin de l'été 1988", "1367/06/01 … 1367/06/31", "part_season"),
    ("early autumn 1988", "1367/07/01 … 1367/07/30", "part_season"),
    # halves and tens of days
    ("نیمه دوم مرداد ۶۷", "1367/05/16 … 1367/05/31", "part_month"),
    ("نیمه اول شهریور ۱۳۶۷", "1367/06/01 … 1367/06/15", "part_month"),
    ("دهه اول شهریور ۶۷", "1367/06/01 … 1367/06/10", "part_month"),
    ("دهه سوم مرداد ۶۷", "1367/05/21 … 1367/05/31", "part_month"),
    ("نیمه دوم سال ۶۷", "1367/07/01 … 1367/12/29", "part_year"),
    # month pairs share their year
    ("مرداد-شهریور ۶۷", "1367/05/01 … 1367/06/31", "range"),
])
def test_persian_and_season_vague_dates(text: str, jalali: str, precision: str) -> None:
    iv, problem = try_parse_date(text)
    assert iv is not None, problem
    assert (iv.jalali_text(), iv.precision) == (jalali, precision)


@pytest.mark.parametrize("text,first,last,precision", [
    ("late July 1988", date(1988, 7, 21), date(1988, 7, 31), "part_month"),
    ("fin juillet 1988", date(1988, 7, 21), date(1988, 7, 31), "part_month"),
    ("first half of August 1988", date(1988, 8, 1), date(1988, 8, 15), "part_month"),
    ("second half of August 1988", date(1988, 8, 16), date(1988, 8, 31), "part_month"),
    ("première quinzaine d'août 1988", date(1988, 8, 1), date(1988, 8, 15), "part_month"),
    ("seconde quinzaine de juillet 1988", date(1988, 7, 16), date(1988, 7, 31), "part_month"),
    ("first half of 1988", date(1988, 1, 1), date(1988, 6, 30), "part_year"),
    ("August-September 1988", date(1988, 8, 1), date(1988, 9, 30), "range"),
    ("Aug./Sept. 1988", date(1988, 8, 1), date(1988, 9, 30), "range"),
])
def test_latin_vague_dates(text: str, first: date, last: date, precision: str) -> None:
    iv, problem = try_parse_date(text)
    assert iv is not None, problem
    assert (iv.earliest, iv.latest, iv.precision) == (first, last, precision)


def test_a_decade_is_still_a_decade() -> None:
    iv, _ = try_parse_date("دهه ۶۰")
    assert iv is not None and iv.precision == "decade"


@pytest.mark.parametrize("text,order", [
    ("13/05/1988", "day_first"), ("05/13/1988", "month_first"), ("08/10/1988", "either"),
    ("31/12/1988", "day_first"), ("۰۸/۱۰/۱۹۸۸", "either"), ("08/08/1988", None),
    ("1988-08-10", None), ("10/05/1367", None), ("32/13/1988", None), ("مرداد ۶۷", None),
])
def test_what_one_value_says_about_the_order(text: str, order: str | None) -> None:
    assert numeric_order(text) == order


def test_only_one_valid_reading_is_read() -> None:
    assert try_parse_date("13/05/1988")[0].earliest == date(1988, 5, 13)  # type: ignore[union-attr]
    assert try_parse_date("05/13/1988")[0].earliest == date(1988, 5, 13)  # type: ignore[union-attr]
    assert try_parse_date("08/10/1988")[0] is None  # alone, nothing settles it


def test_a_list_with_day_first_values_is_day_first() -> None:
    o = settle_date_order(["13/05/1988", "08/10/1988", "25/07/1988", "", "مرداد ۶۷"])
    assert (o.day_first, o.day_first_only, o.month_first_only, o.either) == (True, 2, 0, 1)
    assert "13/05/1988" in o.reason and "day/month" in o.reason
    assert try_parse_date("08/10/1988", day_first=o.day_first)[0].earliest == date(1988, 10, 8)  # type: ignore[union-attr]


def test_a_list_with_month_first_values_is_month_first() -> None:
    o = settle_date_order(["08/25/1988", "08/10/1988", "12/31/1988"])
    assert o.day_first is False and "month/day" in o.reason
    assert try_parse_date("08/10/1988", day_first=o.day_first)[0].earliest == date(1988, 8, 10)  # type: ignore[union-attr]


def test_a_few_slips_do_not_unsettle_a_list() -> None:
    values = ["25/07/1988"] * 30 + ["07/25/1988"] + ["08/10/1988"]
    o = settle_date_order(values)
    assert o.day_first is True and "slips" in o.reason


def test_a_list_that_writes_both_orders_is_not_settled() -> None:
    o = settle_date_order(["25/07/1988"] * 5 + ["07/25/1988"] * 5 + ["08/10/1988"])
    assert o.day_first is None and "both orders" in o.reason


def test_nothing_to_settle_and_nothing_settling() -> None:
    assert settle_date_order(["13/05/1988"]).needed is False
    o = settle_date_order(["08/10/1988", "03/04/1988"])
    assert o.needed and o.day_first is None and "only one way" in o.reason


def test_the_users_choice_wins() -> None:
    o = settle_date_order(["13/05/1988", "08/10/1988"], given=False)
    assert o.day_first is False and "set for this import" in o.reason
    assert DateOrder.settle(0, 0, 3, given=True).day_first is True
