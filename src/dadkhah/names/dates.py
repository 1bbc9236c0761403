"""Dates as written in victim lists → an interval [earliest, latest] with a precision.

Solar Hijri (Jalali) and Gregorian, numeric or with month names in Persian or Latin
script, Persian or ASCII digits, two-digit years, partial dates, seasons, «early/mid/late»,
decades and ranges.  Calendar conversion is done by :mod:`jdatetime`; nothing here does
calendar arithmetic by hand.  Intervals are held as Gregorian :class:`datetime.date` and
shown back in both calendars.

Conventions (each is a choice; they are listed so that a reader can disagree):

* A four-digit year 1200-1499 is Solar Hijri, 1800-2100 Gregorian.  Lunar Hijri dates are
  not recognised (a lunar year such as 1408 would be read as Solar Hijri).
* A two-digit year is Solar Hijri (13yy; 14yy for 00-10) unless a Gregorian month name
  is present (19yy; 20yy for 00-30).
* Numeric dates: a four-digit first number means year/month/day (the Iranian order); a
  four-digit last number means day/month/year, or month/day/year when the middle number
  is above 12; a date with only one valid reading is read (13/05/1988 is 13 May, 05/13/1988
  is 13 May); when both orders are valid (08/10/1988) the value is refused as ambiguous
  unless the caller says ``day_first``.  With two-digit numbers at both ends the number
  above 31 is the year; if both could be days the value is refused as ambiguous.
* A day and a month name without a year («27 July») is refused; a month name followed by
  a two-digit number is month and year («مرداد ۶۷», «Aug 88»).
* Seasons follow the Iranian calendar: spring = Farvardin-Khordad, summer = Tir-Shahrivar,
  autumn = Mehr-Azar, winter = Dey-Esfand.  «summer 1988» is Tir-Shahrivar 1367
  (22 June - 22 September 1988); «winter 1988» is Dey-Esfand 1367 (December 1988 -
  March 1989).
* «early/mid/late» a month = days 1-10 / 11-20 / 21-end; a year = its first / middle /
  last four months.  The words are read in Persian («اوایل/اواسط/اواخر مرداد ۶۷»), English
  ("early/mid/late July 1988", "mid-1988", "end of July"), French ("début/mi/fin juillet
  1988", "fin de juillet", "début d'août") and German ("Anfang/Mitte/Ende Juli"); the
  result keeps its precision (``part_month``, ``part_year``).
* «early/mid/late» a season = its first / second / third month (precision
  ``part_season``): «اواخر تابستان ۶۷», "late summer 1988" are Shahrivar 1367.
* Halves and tens of days: «نیمه اول/دوم» a month, "first/second half of", «première/seconde
  quinzaine» = days 1-15 / 16-end (of a year: its first / last six months); «دهه
  اول/دوم/سوم» a month = days 1-10 / 11-20 / 21-end (``part_month``).
* Two month names joined by a dash or slash share the year: "August-September 1988",
  "Aug./Sept. 1988", «مرداد-شهریور ۶۷» are ranges.
* «about», «c.», «حدود», «تقریباً» mark the value approximate; the interval is not widened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import jdatetime

from dadkhah.names.misreading import MisreadReader
from dadkhah.names.normalize import (
    fold_digits,
    has_persian,
    normalize_latin,
    normalize_persian,
    persian_digits,
)
from dadkhah.names.rules import read_data_csv

__all__ = [
    "MAX_AGE",
    "DateInterval",
    "DateOrder",
    "numeric_order",
    "settle_date_order",
    "age_at",
    "birth_interval_from_age",
    "parse_age",
    "parse_date",
    "try_parse_date",
]

JALALI_MONTHS = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)


def _load_vocabulary() -> dict[str, dict[str, int]]:
    """``data/date_words.csv`` by kind: normalised word -> value (0 where none)."""
    vocab: dict[str, dict[str, int]] = {}
    for row in read_data_csv("date_words.csv"):
        word = row["word"]
        forms = {normalize_latin(word)}
        if has_persian(word):
            fa = normalize_persian(word).replace("\u200c", "")
            forms = {fa, normalize_latin(fa)}  # as in Persian text, and in mixed text
        for form in forms:
            vocab.setdefault(row["kind"], {})[form] = int(row["value"] or 0)
    return vocab


_VOCAB = _load_vocabulary()
_JALALI_NAMES = _VOCAB["jalali_month"]
_GREG_NAMES = _VOCAB["gregorian_month"]
_SEASONS = _VOCAB["season"]
_PARTS = _VOCAB["part"]
_ORDINAL_WORDS = _VOCAB["ordinal"]
_TENS = _VOCAB["tens"]
_APPROX = set(_VOCAB["approximate"])
_NOISE = set(_VOCAB["ignore"])
_JALALI_MARK = set(_VOCAB["jalali_mark"])
_GREG_MARK = set(_VOCAB["gregorian_mark"])
_LUNAR = set(_VOCAB["lunar"])
# «بیست و پنجم» (twenty-fifth): joined into one number before tokenising
_UNITS = {w: v for w, v in _ORDINAL_WORDS.items() if 1 <= v <= 9}
_COMPOUND_ORDINAL = re.compile(
    "(" + "|".join(map(re.escape, _TENS)) + ")\\s+و\\s*(" + "|".join(map(re.escape, _UNITS)) + ")"
)

PRECISIONS = ("day", "part_month", "month", "part_season", "season", "part_year", "year", "decade",
              "range")


@dataclass(frozen=True, slots=True)
class DateInterval:
    """A date known to lie in [earliest, latest] (Gregorian dates, both ends included)."""

    earliest: date
    latest: date
    precision: str  # one of PRECISIONS
    calendar: str  # "jalali" | "gregorian": the calendar it was written in
    original: str = ""
    approximate: bool = False

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ValueError(f"interval ends before it starts: {self.earliest} > {self.latest}")

    @property
    def jalali_earliest(self) -> jdatetime.date:
        return jdatetime.date.fromgregorian(date=self.earliest)

    @property
    def jalali_latest(self) -> jdatetime.date:
        return jdatetime.date.fromgregorian(date=self.latest)

    def gregorian_text(self) -> str:
        a, b = self.earliest.isoformat(), self.latest.isoformat()
        return a if a == b else f"{a} … {b}"

    def jalali_text(self) -> str:
        a = self.jalali_earliest.strftime("%Y/%m/%d")
        b = self.jalali_latest.strftime("%Y/%m/%d")
        return a if a == b else f"{a} … {b}"

    def describe(self) -> str:
        """Both calendars, the one it was written in first.

        Examples
        --------
        >>> parse_date("۱۰ مرداد ۱۳۶۷").describe()
        '1367/05/10 (Solar Hijri) = 1988-08-01 (Gregorian), precision day'
        """
        j = f"{self.jalali_text()} (Solar Hijri)"
        g = f"{self.gregorian_text()} (Gregorian)"
        first, second = (j, g) if self.calendar == "jalali" else (g, j)
        approx = ", approximate" if self.approximate else ""
        return f"{first} = {second}, precision {self.precision}{approx}"

    def to_dict(self) -> dict[str, object]:
        return {
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "precision": self.precision,
            "calendar": self.calendar,
            "approximate": self.approximate,
            "jalali": self.jalali_text(),
            "gregorian": self.gregorian_text(),
            "original": self.original,
        }


class _Fail(Exception):
    pass


# --- calendar helpers (all conversion through jdatetime) -------------------------------


def _jalali_day(y: int, m: int, d: int) -> date:
    try:
        day: date = jdatetime.date(y, m, d).togregorian()  # jdatetime is untyped
        return day
    except ValueError as exc:
        raise _Fail(f"no such Solar Hijri date {y}/{m}/{d}") from exc


def _jalali_month_end(y: int, m: int) -> date:
    nxt = jdatetime.date(y + 1, 1, 1) if m == 12 else jdatetime.date(y, m + 1, 1)
    last: date = nxt.togregorian() - timedelta(days=1)  # jdatetime is untyped
    return last


def _greg_day(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise _Fail(f"no such Gregorian date {y}-{m}-{d}") from exc


def _greg_month_end(y: int, m: int) -> date:
    return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)


def _month(cal: str, y: int, m: int) -> tuple[date, date]:
    if not 1 <= m <= 12:
        raise _Fail(f"no month {m}")
    if cal == "jalali":
        return _jalali_day(y, m, 1), _jalali_month_end(y, m)
    return date(y, m, 1), _greg_month_end(y, m)


def _year(cal: str, y: int) -> tuple[date, date]:
    if cal == "jalali":
        return _jalali_day(y, 1, 1), _jalali_month_end(y, 12)
    return date(y, 1, 1), date(y, 12, 31)


def _season(cal: str, y: int, s: int) -> tuple[date, date]:
    jy = y if cal == "jalali" else y - 621  # the Jalali year that starts in March of y
    first = 3 * (s - 1) + 1
    return _jalali_day(jy, first, 1), _jalali_month_end(jy, first + 2)


def _part_month(cal: str, y: int, m: int, part: int) -> tuple[date, date]:
    start, end = _month(cal, y, m)
    a = start + timedelta(days=10 * part)
    b = start + timedelta(days=10 * part + 9) if part < 2 else end
    return a, b


def _part_year(cal: str, y: int, part: int) -> tuple[date, date]:
    a, _ = _month(cal, y, 4 * part + 1)
    _, b = _month(cal, y, 4 * part + 4)
    return a, b


# --- tokenising --------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+|[^\W\d_]+|~", re.UNICODE)
_ELISION = re.compile(r"(?i)\b([dl])['’ʼ]")  # French d'août, l'été: the article is its own word
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th|er|e|ام|م|ٔم|امین)$")


# «نیمه اول مرداد» (first half), «دهه سوم شهریور» (third ten days), "second half of
# August", «première quinzaine d'août»: one marker token each, read by _from_tokens
_HALF_TENTH = [
    (re.compile(r"نیمه\s*(?:اول|نخست|یکم)"), " halffirst "),
    (re.compile(r"نیمه\s*(?:دوم)"), " halfsecond "),
    (re.compile(r"دهه\s*(?:اول|نخست|یکم)(?=\s*\D)"), " tenthfirst "),
    (re.compile(r"دهه\s*(?:دوم)(?=\s*\D)"), " tenthsecond "),
    (re.compile(r"دهه\s*(?:سوم|آخر)(?=\s*\D)"), " tenththird "),
    (re.compile(r"(?i)\bfirst\s+half(?:\s+of)?\b"), " halffirst "),
    (re.compile(r"(?i)\b(?:second|latter|last)\s+half(?:\s+of)?\b"), " halfsecond "),
    (re.compile(r"(?i)\bpremi[eè]re\s+(?:quinzaine|moiti[eé])(?:\s+de)?\b"), " halffirst "),
    (re.compile(r"(?i)\b(?:seconde|deuxi[eè]me)\s+(?:quinzaine|moiti[eé])(?:\s+de)?\b"),
     " halfsecond "),
]
_HALVES = {"halffirst": 0, "halfsecond": 1}
_TENTHS = {"tenthfirst": 0, "tenthsecond": 1, "tenththird": 2}


def _tokens(text: str) -> list[str]:
    t = fold_digits(normalize_persian(text))
    t = _ELISION.sub(r"\1 ", t.replace("\u200c", ""))
    for pattern, marker in _HALF_TENTH:
        t = pattern.sub(marker, t)
    t = _COMPOUND_ORDINAL.sub(lambda m: str(_TENS[m.group(1)] + _UNITS[m.group(2)]), t)
    t = normalize_latin(t) if re.search(r"[A-Za-z]", t) else t
    # "10th", "۱۰ام": split digits from an ordinal suffix
    out: list[str] = []
    for tok in _TOKEN.findall(t):
        m = _ORDINAL.match(tok)
        if m:
            tok = m.group(1)
        elif tok in _ORDINAL_WORDS:
            tok = str(_ORDINAL_WORDS[tok])
        elif tok.endswith("ماه") and tok[:-3] in _JALALI_NAMES:  # مردادماه
            tok = tok[:-3]
        out.append(tok)
    return out


def _year_of(n: str, cal_hint: str | None) -> tuple[int, str]:
    v = int(n)
    if len(n) <= 2:
        if cal_hint == "gregorian":
            return (2000 + v if v <= 30 else 1900 + v), "gregorian"
        return (1400 + v if v <= 10 else 1300 + v), "jalali"
    if 1200 <= v <= 1499:
        if cal_hint == "gregorian":
            raise _Fail(f"year {v} is Solar Hijri but the month is Gregorian")
        return v, "jalali"
    if 1800 <= v <= 2100:
        if cal_hint == "jalali":
            raise _Fail(f"year {v} is Gregorian but the month is Solar Hijri")
        return v, "gregorian"
    raise _Fail(f"year {v} is outside 1200-1499 (Solar Hijri) and 1800-2100 (Gregorian)")


_NUMERIC3 = re.compile(r"^(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})(?:[t ]\d.*)?$")
_NUMERIC2 = re.compile(r"^(\d{1,4})\s*[/\-.]\s*(\d{1,4})$")


def _numeric(s: str, day_first: bool | None) -> tuple[tuple[date, date], str, str] | None:
    m = _NUMERIC3.match(s)
    if m:
        a, b, c = m.groups()
        if len(a) >= 3 or (len(c) <= 2 and int(a) > 31):
            y, mo, d = a, int(b), int(c)
        elif len(c) >= 3 or int(c) > 31:
            y, mo, d = c, int(b), int(a)
            gregorian = _year_of(c, None)[1] == "gregorian"
            # month/day/year is a Gregorian (US) habit only; Solar Hijri is day/month/year
            if not gregorian:
                pass
            elif int(a) <= 12 and int(b) <= 12 and a.lstrip("0") != b.lstrip("0"):
                if day_first is None:
                    raise _Fail(
                        f"ambiguous numeric date {s!r}: day/month or month/day "
                        "(set day_first for this source)"
                    )
                if not day_first:
                    mo, d = int(a), int(b)
            elif int(b) > 12 and int(a) <= 12:  # 08/25/1988: month/day
                mo, d = int(a), int(b)
        else:
            raise _Fail(f"ambiguous numeric date {s!r}: which number is the year?")
        year, cal = _year_of(y, None)
        day = _jalali_day(year, mo, d) if cal == "jalali" else _greg_day(year, mo, d)
        return (day, day), "day", cal
    m = _NUMERIC2.match(s)
    if m:
        a, b = m.groups()
        if len(a) >= 3 and len(b) >= 3:
            return None  # 1987-1988: a range of years
        if len(a) >= 3:
            y, mo = a, int(b)
        elif len(b) >= 3:
            y, mo = b, int(a)
        else:
            return None
        year, cal = _year_of(y, None)
        return _month(cal, year, mo), "month", cal
    return None


def _from_tokens(toks: list[str]) -> tuple[tuple[date, date], str, str, bool]:
    approx = False
    cal_hint: str | None = None
    month: tuple[int, str] | None = None
    season: int | None = None
    part: int | None = None
    decade = False
    half: int | None = None
    day_before_month = False
    nums: list[str] = []
    for tok in toks:
        if tok in _APPROX:
            approx = True
        elif tok in _NOISE:
            continue
        elif tok in _JALALI_MARK:
            cal_hint = "jalali"
        elif tok in _GREG_MARK:
            cal_hint = "gregorian"
        elif tok in _LUNAR:
            raise _Fail("lunar Hijri dates are not supported; convert to Solar Hijri or Gregorian")
        elif tok in ("دهه", "decade"):
            decade = True
        elif tok.isdigit():
            nums.append(tok)
            if month is None and len(tok) <= 2:
                day_before_month = True
        elif tok in ("s",) and nums and len(nums[-1]) == 4 and nums[-1].endswith("0"):
            decade = True  # "1980s" split as 1980 + s
        elif tok in _JALALI_NAMES and month is None:
            month = (_JALALI_NAMES[tok], "jalali")
        elif tok in _GREG_NAMES and month is None:
            month = (_GREG_NAMES[tok], "gregorian")
        elif tok in _SEASONS:
            season = _SEASONS[tok]
        elif tok in _PARTS:
            part = _PARTS[tok]
        elif tok in _TENTHS:
            part = _TENTHS[tok]  # the first / second / last ten days of a month
        elif tok in _HALVES:
            half = _HALVES[tok]
        else:
            raise _Fail(f"unknown word {tok!r}")
    if month and cal_hint and month[1] != cal_hint:
        raise _Fail("month name and calendar mark disagree")
    hint = month[1] if month else cal_hint
    if not nums:
        raise _Fail("no year")
    if month and len(nums) == 1 and len(nums[0]) <= 2 and day_before_month:
        raise _Fail("day and month but no year")
    # the year is the number with 3-4 digits, else the last number
    yi = next((i for i, n in enumerate(nums) if len(n) >= 3), len(nums) - 1)
    year, cal = _year_of(nums[yi], hint)
    rest = [int(n) for i, n in enumerate(nums) if i != yi]
    if decade:
        if rest or month or season is not None:
            raise _Fail("decade with more detail")
        base = year - year % 10
        a, _ = _year(cal, base)
        _, b = _year(cal, base + 9)
        return (a, b), "decade", cal, approx
    if month:
        mo = month[0]
        if len(rest) > 1:
            raise _Fail("too many numbers")
        if rest:
            d = rest[0]
            if part is not None:
                raise _Fail("day and early/mid/late together")
            day = _jalali_day(year, mo, d) if cal == "jalali" else _greg_day(year, mo, d)
            return (day, day), "day", cal, approx
        if half is not None:
            start, end = _month(cal, year, mo)
            mid = start + timedelta(days=14)
            return ((start, mid) if half == 0 else (mid + timedelta(days=1), end)), \
                "part_month", cal, approx
        if part is not None:
            return _part_month(cal, year, mo, part), "part_month", cal, approx
        return _month(cal, year, mo), "month", cal, approx
    if rest:
        raise _Fail("numbers without a month name")
    if season is not None:
        if part is not None:  # «اواخر تابستان ۶۷», "late summer 1988": one month of it
            start, _ = _season(cal, year, season)
            jy = jdatetime.date.fromgregorian(date=start)
            return _month("jalali", jy.year, jy.month + part), "part_season", cal, approx
        return _season(cal, year, season), "season", cal, approx
    if half is not None:
        a, _ = _month(cal, year, 6 * half + 1)
        _, b = _month(cal, year, 6 * half + 6)
        return (a, b), "part_year", cal, approx
    if part is not None:
        return _part_year(cal, year, part), "part_year", cal, approx
    return _year(cal, year), "year", cal, approx


def _parse_one(text: str, day_first: bool | None = None) -> DateInterval:
    s = fold_digits(normalize_persian(text)).strip().lower()
    s = re.sub(r"\s*(ه\.?\s*ش\.?|هـ\.?\s*ش\.?|ش\.?)$", " ش", s).strip()
    approx = False
    core = re.sub(r"^(?:ca\.?|c\.|~|about|circa|حدود|حدودا|تقریبا)\s*", "", s)
    if core != s:
        approx = True
    core_no_mark = re.sub(r"\s+ش$", "", core)
    num = _numeric(core_no_mark, day_first)
    if num is not None:
        (a, b), prec, cal = num
        return DateInterval(a, b, prec, cal, text, approx)
    (a, b), prec, cal, approx2 = _from_tokens(_tokens(core))
    return DateInterval(a, b, prec, cal, text, approx or approx2)


_RANGE = re.compile(
    r"^\s*(?:between|from|از|بین)?\s*(.+?)\s*(?:\s(?:to|until|till|and|تا|و)\s|\s[-–—]\s|–|—)\s*(.+?)\s*$",
    re.IGNORECASE,
)


_MONTH_PAIR = re.compile(r"([^\W\d_]+)\.?\s*[-–—/]\s*(?=[^\W\d_])")


def _is_month(word: str) -> bool:
    w = normalize_latin(word) if word.isascii() else normalize_persian(word)
    return w in _JALALI_NAMES or w in _GREG_NAMES


def _parse_range(text: str, day_first: bool | None = None) -> DateInterval:
    norm = fold_digits(normalize_persian(text))
    # "1-10 August 1988": a day range glued with a hyphen
    norm = re.sub(r"^\s*(\d{1,2})\s*[-–—]\s*(\d{1,2})\s+(?=\D)", r"\1 to \2 ", norm)
    norm = re.sub(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$", r"\1 to \2", norm)
    # "August-September 1988", "Aug./Sept. 1988", «مرداد-شهریور ۶۷»: two months, one year
    norm = _MONTH_PAIR.sub(
        lambda m: f"{m.group(1)} to " if _is_month(m.group(1)) else m.group(0), norm)
    m = _RANGE.match(norm)
    if not m:
        raise _Fail("not a range")
    left, right = m.group(1), m.group(2)
    b = _parse_one(right, day_first)
    try:
        if re.fullmatch(r"\s*\d{1,2}\s*", left):
            raise _Fail("a bare day: borrow month and year from the right")
        a = _parse_one(left, day_first)
    except _Fail:
        # "27 July – 6 Sept 1988", "10 تا 20 مرداد 67": borrow what the left side lacks
        rtoks = _tokens(right)
        ltoks = _tokens(left)
        extra = [t for t in rtoks if not t.isdigit() or len(t) >= 3 or t == rtoks[-1]]
        if not any(t in _JALALI_NAMES or t in _GREG_NAMES for t in ltoks):
            extra = [t for t in rtoks if not t.isdigit() or t == rtoks[-1]]
        else:
            extra = [rtoks[-1]] if rtoks and rtoks[-1].isdigit() else []
        a = _parse_one(" ".join(ltoks + extra), day_first)
    if a.earliest > b.latest:
        raise _Fail("range ends before it starts")
    return DateInterval(
        a.earliest, b.latest, "range", a.calendar, text, a.approximate or b.approximate
    )


# --- day/month order of a list -----------------------------------------------------------

ORDER_CLASSES = ("day_first", "month_first", "either")
"""What one numeric Gregorian date says about its list's order: readable only as
day/month (13/05/1988), only as month/day (05/13/1988), or both ways (08/10/1988)."""


@lru_cache(maxsize=65_536)
def numeric_order(text: str) -> str | None:
    """Which day/month orders give a valid date for a numeric Gregorian date written
    ``A/B/YYYY``: ``"day_first"``, ``"month_first"``, ``"either"``, or None when the value
    raises no order question (not such a date, the same number twice, a Solar Hijri year —
    always day/month — or no valid reading at all).

    Examples
    --------
    >>> numeric_order("13/05/1988"), numeric_order("05/13/1988"), numeric_order("08/10/1988")
    ('day_first', 'month_first', 'either')
    >>> numeric_order("1988-08-10"), numeric_order("08/08/1988"), numeric_order("۱۰/۰۵/۱۳۶۷")
    (None, None, None)
    """
    m = _NUMERIC3.match(fold_digits(normalize_persian(text)).strip().lower())
    if not m:
        return None
    a, b, c = m.groups()
    if len(a) > 2 or len(c) < 3 or a.lstrip("0") == b.lstrip("0"):
        return None
    year = int(c)
    if not 1800 <= year <= 2100:
        return None

    def valid(mo: int, d: int) -> bool:
        try:
            date(year, mo, d)
        except ValueError:
            return False
        return True

    dm, md = valid(int(b), int(a)), valid(int(a), int(b))
    if dm and md:
        return "either"
    return "day_first" if dm else "month_first" if md else None


@dataclass(frozen=True, slots=True)
class DateOrder:
    """How one list (or column) writes numeric Gregorian dates, settled from its values.

    ``day_first`` is True (day/month), False (month/day) or None (nothing settles it, or
    no value needs it); ``reason`` says which, from what.  Values readable only one way
    (13/05/1988) are read that way whatever the order; the order is for the values that
    both orders read (08/10/1988).
    """

    day_first: bool | None
    day_first_only: int = 0
    month_first_only: int = 0
    either: int = 0
    reason: str = ""

    @property
    def needed(self) -> bool:
        """Whether some value is read only once the order is known."""
        return self.either > 0

    def summary(self) -> str:
        order = {True: "read day/month", False: "read month/day",
                 None: "order not settled"}[self.day_first]
        return f"{order}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"day_first": self.day_first, "order": {True: "day_first", False: "month_first",
                                                        None: None}[self.day_first],
                "day_first_only": self.day_first_only,
                "month_first_only": self.month_first_only, "either": self.either,
                "reason": self.reason}

    @classmethod
    def settle(cls, day_first_only: int, month_first_only: int, either: int, *,
               given: bool | None = None, examples: dict[str, str] | None = None,
               minority: float = 0.1) -> DateOrder:
        """The order from counts of values of each :data:`ORDER_CLASSES` class.

        ``given`` (the user's choice) wins.  Otherwise values readable only day/month and
        none only month/day settle day/month, and the other way round; when the list has
        both, the larger side wins if the other is at most ``minority`` of them (a few
        typing slips), and nothing is settled otherwise.
        """
        ex = examples or {}

        def eg(kind: str) -> str:
            return f" such as {ex[kind]}" if kind in ex else ""

        dm, md, n = day_first_only, month_first_only, either
        if given is not None:
            why = f"set for this import ({'day/month' if given else 'month/day'})"
            return cls(given, dm, md, n, why)
        if n == 0:
            return cls(None, dm, md, n, "no value is readable both ways")
        if dm == md == 0:
            return cls(None, dm, md, n, f"{n:,} value(s){eg('either')} read both ways and no "
                       "value of the list is readable only one way")
        if md == 0 or (dm and md <= minority * (dm + md)):
            why = (f"{dm:,} value(s){eg('day_first')} can only be day/month"
                   + (f" (and {md:,}{eg('month_first')} only month/day, taken as slips)"
                      if md else "")
                   + f", so the {n:,} value(s){eg('either')} read both ways are day/month")
            return cls(True, dm, md, n, why)
        if dm == 0 or dm <= minority * (dm + md):
            why = (f"{md:,} value(s){eg('month_first')} can only be month/day"
                   + (f" (and {dm:,}{eg('day_first')} only day/month, taken as slips)"
                      if dm else "")
                   + f", so the {n:,} value(s){eg('either')} read both ways are month/day")
            return cls(False, dm, md, n, why)
        return cls(None, dm, md, n,
                   f"the list writes both orders ({dm:,} only day/month{eg('day_first')}, "
                   f"{md:,} only month/day{eg('month_first')}), so the {n:,} value(s)"
                   f"{eg('either')} read both ways are left unread")


def settle_date_order(values: Iterable[str], *, given: bool | None = None) -> DateOrder:
    """The day/month order of one list's (or column's) date values (:meth:`DateOrder.settle`).

    Examples
    --------
    >>> o = settle_date_order(["13/05/1988", "08/10/1988", "25/07/1988"])
    >>> o.day_first
    True
    >>> print(o.reason)  # doctest: +NORMALIZE_WHITESPACE
    2 value(s) such as 13/05/1988 can only be day/month, so the 1 value(s) such as
    08/10/1988 read both ways are day/month
    >>> settle_date_order(["08/10/1988"]).day_first is None
    True
    >>> try_parse_date("08/10/1988", day_first=o.day_first)[0].gregorian_text()
    '1988-10-08'
    """
    counts: dict[str, int] = dict.fromkeys(ORDER_CLASSES, 0)
    examples: dict[str, str] = {}
    for v in values:
        k = numeric_order(v) if v else None
        if k is not None:
            counts[k] += 1
            examples.setdefault(k, v.strip())
    return DateOrder.settle(counts["day_first"], counts["month_first"], counts["either"],
                            given=given, examples=examples)


@lru_cache(maxsize=100_000)
def jalali_of(iso: str, *, persian: bool = True) -> str:
    """A Gregorian ISO day as a Solar Hijri ``YYYY/MM/DD``, in Persian digits unless
    ``persian=False``.

    Examples
    --------
    >>> jalali_of("1988-08-15")
    '۱۳۶۷/۰۵/۲۴'
    >>> jalali_of("1988-08-15", persian=False)
    '1367/05/24'
    """
    text = jdatetime.date.fromgregorian(date=date.fromisoformat(iso)).strftime("%Y/%m/%d")
    return persian_digits(text) if persian else text


def try_parse_date(
    text: str, *, day_first: bool | None = None, misread: bool = True
) -> tuple[DateInterval | None, str | None]:
    """(interval, None) or (None, reason) — never raises on any string.

    *day_first* settles numeric Gregorian dates such as 08/10/1988 where both orders are
    valid: ``None`` (the default) refuses them as ambiguous, ``True`` reads day/month,
    ``False`` month/day.  *misread*: a date the strict reading refuses is read again as a
    machine may have misread it (stray marks, a month name with its dots lost or moved:
    «۲۰ مزداد ۱۳۶۷»); ``False`` for the strict reading alone (to propose the text's own
    correction to a person).

    Examples
    --------
    >>> try_parse_date("مرداد ۶۷")[0].gregorian_text()
    '1988-07-23 … 1988-08-22'
    >>> try_parse_date("yesterday")
    (None, "unknown word 'yesterday'")

    Only one reading of 13/05/1988 is a date, so it is read; vague dates are intervals
    with their precision:

    >>> try_parse_date("13/05/1988")[0].gregorian_text()
    '1988-05-13'
    >>> d = parse_date("اواخر مرداد ۶۷")
    >>> d.jalali_text(), d.precision
    ('1367/05/21 … 1367/05/31', 'part_month')
    >>> [parse_date(t).gregorian_text() for t in ("late July 1988", "fin juillet 1988")]
    ['1988-07-21 … 1988-07-31', '1988-07-21 … 1988-07-31']
    >>> parse_date("mid-1988").precision
    'part_year'
    """
    if not text or not text.strip():
        return None, "empty"
    try:
        return _parse_one(text, day_first), None
    except _Fail as exc:
        first = str(exc)
    except (ValueError, OverflowError) as exc:
        first = str(exc) or "invalid date"
    try:
        return _parse_range(text, day_first), None
    except (_Fail, ValueError, OverflowError):
        pass
    repaired = _misread_repaired(text) if misread else text
    if repaired != text:
        for parse in (_parse_one, _parse_range):
            try:
                return replace(parse(repaired, day_first), original=text), None
            except (_Fail, ValueError, OverflowError):
                continue
    return None, first


# A stray mark between two digits («۱۳:۶۷», «۱۳.۶۷/۰۵/۰۸», «۱-۳۳۳») or elsewhere («۱۷- مرذاد»,
# «۱۳۶۷/۰۵/۰۲.»), as a machine reading of a typed page leaves them.
# Only a four-digit year is rejoined: «5.5» or «1-2» are not a year split by a mark.
_MARK_IN_NUMBER = re.compile(r"(?<!\d)(\d{1,3})[:.'’»«،,؛\-](\d{1,3})(?!\d)")
_STRAY_MARK = re.compile(r"[:.'’»«،,؛!\-]+")


@lru_cache(maxsize=1)
def _month_reader() -> MisreadReader:
    return MisreadReader(w for kind in _VOCAB.values() for w in kind if has_persian(w))


def _misread_repaired(text: str) -> str:
    """A date the strict reading refused, re-read as a misread one: marks inside a number
    dropped, other stray marks taken for spaces, and a Persian word the date vocabulary
    lacks read as the one vocabulary word of its dotless shape («مرذاد», «مژداد» for
    «مرداد», «سهریور» for «شهریور»; :class:`dadkhah.names.misreading.MisreadReader`).  A
    list's own numeric separators («/») are kept, so a date that was a date stays one."""
    t = fold_digits(normalize_persian(text))
    t = _MARK_IN_NUMBER.sub(lambda m: m.group(1) + m.group(2)
                            if len(m.group(1) + m.group(2)) == 4 else m.group(0), t)
    t = _STRAY_MARK.sub(" ", t)
    return " ".join(_month_reader().read(t).split())


def parse_date(text: str, *, day_first: bool | None = None) -> DateInterval:
    """Parse a date as written; raises :class:`ValueError` (with the reason) if it cannot.

    Examples
    --------
    >>> parse_date("10 Mordad 1367").earliest
    datetime.date(1988, 8, 1)
    >>> parse_date("summer 1988").precision
    'season'
    """
    result, problem = try_parse_date(text, day_first=day_first)
    if result is None:
        raise ValueError(f"cannot read date {text!r}: {problem}")
    return result


# --- ages ------------------------------------------------------------------------------

DEATH_TOLERANCE_DAYS = 45
"""Days two records' death-date intervals may miss each other by and still be one person's
(scribal error, a date of burial or of notification given for the date of death): the
tolerance the linkage's clustering (:func:`dadkhah.linkage.cluster.cluster_records`) and the
register's linkage draws both apply, defined here once so that they cannot drift."""

BIRTH_TOLERANCE_YEARS = 3
"""Years two records' birth-year intervals may miss each other by (an age rounded, or read
against another year): the clustering's and the linkage draws' one tolerance."""

MAX_AGE = 120
"""The oldest age read: the oldest documented human lived to 122, so a larger number in an
age column is a mistake (often a year written in the wrong column), not an age."""

_AGE_APPROX = "در حدود|حدودا|حدود|تقریبا|approximately|approx|around|about|circa|ca|c|~"
_AGE_UNIT = "ساله|سالگی|سال|years old|years|year|yrs|yr|yo|y|ans|jahre"
_AGE_NUMBER = r"\d{1,3}(?:\.\d+)?"
_AGE = re.compile(
    rf"(?P<approx>(?:{_AGE_APPROX})\.?)?\s*(?P<a>{_AGE_NUMBER})"
    rf"(?:\s*(?:-|–|—|to|تا)\s*(?P<b>{_AGE_NUMBER}))?"
    rf"\s*(?P<q1>\?+)?\s*(?:(?:{_AGE_UNIT})\.?)?\s*(?P<mark>\?+|\+)?"
)


def parse_age(text: str | int | None) -> tuple[int, int] | None:
    """Age as (youngest, oldest) whole years, or ``None`` if not readable.

    The one reading of an age cell: import validation refuses a row only when this returns
    ``None``, and the normaliser uses the same interval, so what is imported is read.

    Grammar (after Persian normalisation: Persian/Arabic-Indic digits, Arabic letter forms,
    «؟» as «?»; case ignored):

    * a number of years, with an optional unit: ``25``, ``۲۵``, ``25 years``, ``25 yrs.``,
      ``۲۵ ساله``, ``۲۵ سال`` → (25, 25); a decimal is floored to completed years:
      ``2.5``, ``۲٫۵`` → (2, 2);
    * a range: ``20-25``, ``20–25``, ``20 to 25``, ``۲۰ تا ۲۵`` → (20, 25);
    * approximate, widened by two years each way: ``about 25``, ``around 25``, ``c. 25``,
      ``ca 25``, ``~25``, ``حدود ۲۵``, ``حدوداً ۲۵``, ``تقریباً ۲۵`` → (23, 27); a question
      mark says the same: ``25?``, ``۲۵ ساله؟`` → (23, 27); ``about 20-25`` → (18, 27);
    * at least: ``60+`` → (60, 120).

    Every number written must lie in 0 … :data:`MAX_AGE` (120), the first end of a range
    must not exceed the second, and widening stops at 0 and 120.  Anything else (``old``,
    ``twenty``, ``121``, ``25-20``, a year such as ``1367``) is ``None``.  An ``int`` is
    taken as whole years.

    Examples
    --------
    >>> parse_age("۲۳ ساله"), parse_age("20-25"), parse_age("about 25"), parse_age("25?")
    ((23, 23), (20, 25), (23, 27), (23, 27))
    >>> parse_age("old"), parse_age("121")
    (None, None)
    """
    if text is None:
        return None
    if isinstance(text, int):
        return (text, text) if 0 <= text <= MAX_AGE else None
    return _parse_age_text(str(text))


@lru_cache(maxsize=8192)
def _parse_age_text(text: str) -> tuple[int, int] | None:
    m = _AGE.fullmatch(fold_digits(normalize_persian(text)).strip().lower())
    if not m:
        return None
    a = int(float(m.group("a")))
    b = int(float(m.group("b"))) if m.group("b") else a
    if a > b or b > MAX_AGE:
        return None
    if m.group("mark") == "+":
        if m.group("b") or m.group("approx") or m.group("q1"):
            return None
        return a, MAX_AGE
    if m.group("approx") or m.group("q1") or m.group("mark"):
        a, b = max(0, a - 2), min(MAX_AGE, b + 2)
    return a, b


def _minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year - years, day=28)


def birth_interval_from_age(
    age: int | tuple[int, int], at: DateInterval | date
) -> DateInterval:
    """Birth dates consistent with being *age* years old at some time in *at*.

    A person aged a on day r was born in (r − (a+1) years, r − a years].

    Examples
    --------
    >>> b = birth_interval_from_age(23, parse_date("1988-08-01"))
    >>> b.earliest, b.latest
    (datetime.date(1964, 8, 2), datetime.date(1965, 8, 1))
    """
    lo, hi = (age, age) if isinstance(age, int) else age
    if isinstance(at, date):
        at = DateInterval(at, at, "day", "gregorian", at.isoformat())
    earliest = _minus_years(at.earliest, hi + 1) + timedelta(days=1)
    latest = _minus_years(at.latest, lo)
    return DateInterval(
        earliest, latest, "range", at.calendar, f"age {lo}-{hi} at {at.original}",
        at.approximate,
    )


def age_at(birth: DateInterval, at: DateInterval) -> tuple[int, int]:
    """(youngest, oldest) possible age in whole years at *at* for a birth in *birth*."""

    def years(b: date, r: date) -> int:
        return r.year - b.year - ((r.month, r.day) < (b.month, b.day))

    return max(0, years(birth.latest, at.earliest)), years(birth.earliest, at.latest)
