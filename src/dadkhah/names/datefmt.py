"""Dates for people to read: one function for every page, report and export that shows one.

A stored date is an interval of Gregorian days (``earliest``, ``latest``: ISO strings, see
:mod:`dadkhah.names.dates`).  :func:`format_interval` shows it in the Solar Hijri calendar
(``calendar="jalali"``, the default for Persian) or the Gregorian one, in Persian digits for
Persian, **keeping its precision**: one day shows as a day, a whole month of that calendar as
a month («مرداد ۱۳۶۷», "1988-08"), whole months as months («تیر–شهریور ۱۳۶۷», a season), a
whole year as a year, any other interval as an interval of days
(«۱۳۶۷/۰۵/۲۱ – ۱۳۶۷/۰۵/۳۱»).  A month or year of the *other* calendar is not a month
or year of this one: a Gregorian year (a birth year from an English list) is shown as the
two Solar Hijri years it overlaps («۱۳۳۸–۱۳۳۹» for 1960), a Gregorian month as its exact
days.  Birth years, which the register keeps as whole Gregorian years, go through
:func:`format_years`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import jdatetime

from dadkhah.names.normalize import persian_digits

__all__ = ["CALENDARS", "JALALI_MONTHS", "default_calendar", "format_interval",
           "format_iso", "format_years"]

CALENDARS = ("jalali", "gregorian")
JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
                 "آذر", "دی", "بهمن", "اسفند")
"""Persian names of the Solar Hijri months, Farvardin first."""
_JALALI_MONTHS_EN = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
                     "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand")
_DASH = " – "


def default_calendar(lang: str) -> str:
    """The calendar a reader of *lang* sees unless they ask: Solar Hijri for Persian."""
    return "jalali" if lang == "fa" else "gregorian"


def _check(lang: str, calendar: str | None) -> str:
    cal = calendar or default_calendar(lang)
    if cal not in CALENDARS:
        raise ValueError(f"calendar must be one of {CALENDARS}, not {calendar!r}")
    return cal


def _j(d: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=d)


def _is_jalali_month(lo: date, hi: date) -> bool:
    a, b = _j(lo), _j(hi + timedelta(days=1))
    return a.day == 1 and b.day == 1 and (
        (b.year, b.month) == ((a.year, a.month + 1) if a.month < 12 else (a.year + 1, 1)))


def _jalali_years(lo: date, hi: date) -> tuple[int, int] | None:
    a, b = _j(lo), _j(hi + timedelta(days=1))
    if a.month == a.day == 1 and b.month == b.day == 1:
        return a.year, b.year - 1
    return None


def _gregorian_years(lo: date, hi: date) -> tuple[int, int] | None:
    if (lo.month, lo.day) == (1, 1) and (hi.month, hi.day) == (12, 31):
        return lo.year, hi.year
    return None


def _is_gregorian_month(lo: date, hi: date) -> bool:
    nxt = hi + timedelta(days=1)
    return lo.day == 1 and nxt.day == 1 and lo.year == hi.year and lo.month == hi.month


def _span(a: int, b: int) -> str:
    return f"{a}" if a == b else f"{a}–{b}"


@lru_cache(maxsize=50_000)
def _interval(lo: date, hi: date, lang: str, cal: str) -> str:
    if cal == "jalali":
        if lo == hi:
            text = _j(lo).strftime("%Y/%m/%d")
        elif _is_jalali_month(lo, hi):
            a = _j(lo)
            names = JALALI_MONTHS if lang == "fa" else _JALALI_MONTHS_EN
            text = f"{names[a.month - 1]} {a.year}"
        elif (jy := _jalali_years(lo, hi)) is not None:
            text = _span(*jy)
        elif (gy := _gregorian_years(lo, hi)) is not None:
            # a Gregorian year overlaps two Solar Hijri years (1960 → 1338–1339)
            text = _span(gy[0] - 622, gy[1] - 621)
        elif _j(lo).day == 1 and _j(hi + timedelta(days=1)).day == 1:
            # whole Solar Hijri months (a season): «تیر–شهریور ۱۳۶۷»
            a, b = _j(lo), _j(hi)
            names = JALALI_MONTHS if lang == "fa" else _JALALI_MONTHS_EN
            if a.year == b.year:
                text = f"{names[a.month - 1]}–{names[b.month - 1]} {a.year}"
            else:
                text = f"{names[a.month - 1]} {a.year} – {names[b.month - 1]} {b.year}"
        else:
            text = _j(lo).strftime("%Y/%m/%d") + _DASH + _j(hi).strftime("%Y/%m/%d")
    else:
        if lo == hi:
            text = lo.isoformat()
        elif _is_gregorian_month(lo, hi):
            text = lo.isoformat()[:7]
        elif (gy := _gregorian_years(lo, hi)) is not None:
            text = _span(*gy)
        elif lo.day == 1 and (hi + timedelta(days=1)).day == 1:  # whole Gregorian months
            text = lo.isoformat()[:7] + _DASH + hi.isoformat()[:7]
        else:
            text = lo.isoformat() + _DASH + hi.isoformat()
    return persian_digits(text) if lang == "fa" else text


def _day(value: str | date | None, *, end: bool) -> date | None:
    """A day from an ISO day, month (``1988-08``) or year (``1988``): its first or last day."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parts = value.strip()[:10].split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return date(y, 12, 31) if end else date(y, 1, 1)
    m = int(parts[1])
    if len(parts) == 2:
        if not end:
            return date(y, m, 1)
        return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)
    return date(y, m, int(parts[2]))


def format_interval(earliest: str | date | None, latest: str | date | None = None, *,
                    lang: str = "fa", calendar: str | None = None) -> str:
    """A date known to lie in [*earliest*, *latest*] for a reader of *lang*.

    *calendar*: ``"jalali"`` or ``"gregorian"``; by default Solar Hijri for Persian and
    Gregorian otherwise.  Either end may be missing (the other is shown); both missing give
    ``""``.  A value that is not a date is returned as it is (in Persian digits for
    Persian), never dropped.

    Examples
    --------
    >>> format_interval("1988-08-15", "1988-08-15")
    '۱۳۶۷/۰۵/۲۴'
    >>> format_interval("1988-07-23", "1988-08-22")  # the month of Mordad 1367
    'مرداد ۱۳۶۷'
    >>> format_interval("1960-01-01", "1960-12-31")  # a Gregorian year
    '۱۳۳۸–۱۳۳۹'
    >>> format_interval("1988-08-01", "1988-08-31", lang="en")
    '1988-08'
    >>> format_interval("1988-08-12", "1988-08-22", lang="en", calendar="jalali")
    '1367/05/21 – 1367/05/31'
    """
    cal = _check(lang, calendar)
    try:
        lo, hi = _day(earliest, end=False), _day(latest, end=True)
    except (ValueError, IndexError):
        raw = " … ".join(dict.fromkeys(str(v) for v in (earliest, latest) if v))
        return persian_digits(raw) if lang == "fa" else raw
    if lo is None and hi is None:
        return ""
    if lo is None or hi is None:
        # one end only: show that end with the precision it was written with
        one = earliest if lo is not None else latest
        lo, hi = _day(one, end=False), _day(one, end=True)
    assert lo is not None and hi is not None
    if hi < lo:
        lo, hi = hi, lo
    return _interval(lo, hi, lang, cal)


def format_iso(value: str | None, *, lang: str = "fa", calendar: str | None = None) -> str:
    """One ISO value (a day ``1988-07-30``, a month ``1988-07`` or a year ``1988``) with
    its precision: :func:`format_interval` of its first and last day.

    >>> format_iso("1988-08")
    '۱۳۶۷/۰۵/۱۰ – ۱۳۶۷/۰۶/۰۹'
    """
    if not value:
        return ""
    return format_interval(value, value, lang=lang, calendar=calendar)


def format_years(lo: int | str | None, hi: int | str | None = None, *, lang: str = "fa",
                 calendar: str | None = None) -> str:
    """Gregorian years (a birth year, or a span of them) for a reader of *lang*: in Solar
    Hijri the years they overlap («۱۳۳۸–۱۳۳۹» for 1960).  A text such as ``"1958–1960"``
    (how the memorial keeps a span) is read too.

    >>> format_years(1960), format_years(1960, lang="en"), format_years("1958–1960")
    ('۱۳۳۸–۱۳۳۹', '1960', '۱۳۳۶–۱۳۳۹')
    """
    if isinstance(lo, str) and hi is None:
        bits = lo.replace("–", "-").split("-")
        if len(bits) == 2 and all(b.strip().isdigit() for b in bits):
            lo, hi = bits[0].strip(), bits[1].strip()
    if lo is None or lo == "":
        return ""
    hi = lo if hi is None or hi == "" else hi
    try:
        a, b = int(lo), int(hi)
    except ValueError:
        return persian_digits(str(lo)) if lang == "fa" else str(lo)
    return format_interval(date(a, 1, 1), date(b, 12, 31), lang=lang, calendar=calendar)
