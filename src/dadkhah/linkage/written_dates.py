"""Birth years and death dates as linkage reads them from the cells as written, and as they
would read with one clerical slip of a digit.

A copyist or a keyboard changes one digit of a year («۱۳۲۵» for «۱۳۴۵»), swaps two («1964»
for «1946»), writes a Solar Hijri year in a Gregorian frame («۱۹۲۷» for «۱۳۲۷») or a month
one off («۱۳۶۷/۰۹/۲۳» for «۱۳۶۷/۰۵/۲۳»), and an age column may hold a year cut to two digits
(«46» for 1346).  Such a record's interval misses its person's by years, and the
clustering's date checks (:func:`dadkhah.linkage.cluster.cluster_records`) would keep it
apart for good.  :func:`birth_slips` and :func:`death_slips` give what the record would say
had the slip not been made, so the clustering can tell such a slip, for records whose names
agree in full, from two persons (see :data:`dadkhah.linkage.cluster.SLIP_TOLERANCE_YEARS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from dadkhah.ingest.validate import DEFAULT_DATE_WINDOW
from dadkhah.names import (
    DateInterval,
    birth_interval_from_age,
    fold_digits,
    parse_age,
    try_parse_date,
)
from dadkhah.register.build import EPOCH

DEFAULT_DEATH = (date(1988, 7, 1), date(1988, 12, 31))
"""When only an age is known and no death date, the age is taken at the 1988 executions."""

_SHORT_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")
_DIGIT = re.compile(r"\d")


def implausible(iv: DateInterval, years: tuple[int, int]) -> bool:
    """Whether a date lies wholly outside the case's plausible years (the import's
    ``implausible_date``: :data:`dadkhah.ingest.validate.DEFAULT_DATE_WINDOW`).

    Such a date is kept as written, but it is a slip of the pen or the keyboard far more
    often than a fact («شهریور ۱۳۹۷» for ۱۳۶۷: 2018), so linkage reads it as unknown
    rather than as a disagreement that keeps the record from its person (a second blind
    probe's copied list: one digit in twenty mistyped)."""
    return iv.latest.year < years[0] or iv.earliest.year > years[1]


def _days(d: date) -> int:
    return (d - EPOCH).days


def read_death(text: str) -> tuple[int | None, int | None, str | None]:
    """A death-date cell as (first day, last day, precision), days since 1970-01-01; all
    None where it cannot be read or is implausible."""
    iv, _ = try_parse_date(text)
    if iv is None or implausible(iv, DEFAULT_DATE_WINDOW.death):
        return None, None, None
    return _days(iv.earliest), _days(iv.latest), iv.precision


def read_born(text: str) -> DateInterval | None:
    """A birth-date cell as a date interval, None where unreadable or implausible."""
    b = try_parse_date(text)[0]
    return None if b is None or implausible(b, DEFAULT_DATE_WINDOW.birth) else b


def short_number(text: object) -> tuple[int, int] | None:
    """A birth-date cell holding one or two digits: an age, or a two-digit Solar Hijri year
    («۴۳» for 1343)?  Lists do both, so both readings are kept (see :func:`birth_years`)."""
    if not isinstance(text, str) or not _SHORT_NUMBER.match(fold_digits(text)):
        return None
    return parse_age(text)


def birth_years(born: object, age: object, short: object, death_lo: object,
                death_hi: object) -> tuple[int, int] | None:
    """A record's birth-year interval from its birth-date cell read as a date (``born``)
    and as a short number (``short``), its age and its death-date interval (days)."""
    at = (DEFAULT_DEATH if death_lo is None or death_lo != death_lo else
          (date.fromordinal(EPOCH.toordinal() + int(death_lo)),  # type: ignore[call-overload]
           date.fromordinal(EPOCH.toordinal() + int(death_hi))))  # type: ignore[call-overload]
    if isinstance(born, DateInterval) and isinstance(short, tuple):
        # «25» in the birth column may be an age written in the wrong column or a short
        # year: the birth interval is then the hull of both readings, vague rather than wrong
        iv = _from_age(short, at)
        return min(born.earliest.year, iv[0]), max(born.latest.year, iv[1])
    if isinstance(born, DateInterval):
        return born.earliest.year, born.latest.year
    if isinstance(age, tuple):
        return _from_age(age, at)
    return None


def _from_age(age: tuple[int, int], at: tuple[date, date]) -> tuple[int, int]:
    iv = birth_interval_from_age(age, DateInterval(at[0], at[1], "range", "gregorian"))
    return iv.earliest.year, iv.latest.year


def digit_slips(text: str) -> tuple[str, ...]:
    """``text`` (digits folded to ASCII) with one digit changed, or two adjacent digits
    swapped: what was meant, if a copyist slipped once.

    >>> "1345" in digit_slips("۱۳۲۵"), "1946" in digit_slips("1964")
    (True, True)
    """
    s = fold_digits(text)
    out: dict[str, None] = {}
    spots = [m.start() for m in _DIGIT.finditer(s)]
    for i in spots:
        for d in "0123456789":
            if d != s[i]:
                out[s[:i] + d + s[i + 1:]] = None
    for i in spots:
        if i + 1 < len(s) and s[i + 1].isdigit() and s[i + 1] != s[i]:
            out[s[:i] + s[i + 1] + s[i] + s[i + 2:]] = None
    return tuple(out)


# The readings of the digit slips of the cells: the same few years and dates recur among
# records' slips (1340 is a slip of 1341 and of 1350), so each is parsed once, not once per
# record: parsing them was a sixth of the clustering's time at 281,487 records.
_slipped_born = lru_cache(maxsize=65_536)(read_born)
_slipped_death = lru_cache(maxsize=65_536)(read_death)


@lru_cache(maxsize=65_536)
def birth_slips(birth_text: str | None, age_text: str | None, death_lo: int | None,
                death_hi: int | None) -> tuple[tuple[int, int], ...]:
    """Birth-year intervals the record would give with one digit of its birth-date cell
    (or, without one, of its age) slipped (:func:`digit_slips`), or, where it gives an age
    and no birth date, with the age read as a year cut to two digits («46» for 1346)."""
    out: set[tuple[int, int]] = set()
    if isinstance(birth_text, str) and birth_text.strip():
        for v in digit_slips(birth_text):
            iv = birth_years(_slipped_born(v), None, short_number(v), death_lo, death_hi)
            if iv is not None:
                out.add(iv)
    elif isinstance(age_text, str) and age_text.strip():
        for v in digit_slips(age_text):
            iv = birth_years(None, parse_age(v), None, death_lo, death_hi)
            if iv is not None:
                out.add(iv)
        as_year = read_born(f"13{fold_digits(age_text).strip()}") \
            if _SHORT_NUMBER.match(fold_digits(age_text)) else None
        if as_year is not None:
            out.add((as_year.earliest.year, as_year.latest.year))
    return tuple(sorted(out))


@lru_cache(maxsize=65_536)
def death_slips(death_text: str | None) -> tuple[tuple[int, int], ...]:
    """Death-date intervals (days since 1970-01-01) the record would give with one digit
    of its death-date cell slipped (:func:`digit_slips`): a year or a month one digit off."""
    out: set[tuple[int, int]] = set()
    if isinstance(death_text, str):
        for v in digit_slips(death_text):
            lo, hi, _ = _slipped_death(v)
            if lo is not None and hi is not None:
                out.add((lo, hi))
    return tuple(sorted(out))


SLIP_TOLERANCE_YEARS = 0
"""Years by which a record's birth year read with one slip (:func:`birth_slips`) may miss
the birth years of its person's other records: none, as a slip and a vague age besides is
two explanations where the records' agreement would be one."""

SLIP_TOLERANCE_DAYS = 0
"""Days by which a death date read with one slip (:func:`death_slips`) may miss the death
dates of its person's other records: none, as for birth years."""

Interval = tuple[int, int]


def _gap(a: Interval, b: Interval) -> int:
    return max(a[0], b[0]) - min(a[1], b[1])


def _consensus(items: list[tuple[int, Interval, tuple[Interval, ...]]], tol: int,
               slip_tol: int, precise: int) -> tuple[Interval, list[int], list[int]] | None:
    """Intervals of one person's records, each with its readings under one slip: the
    interval the others share (within ``tol``, as the clustering's date checks allow) with
    every remaining record read as slipped once, which records those are and which
    agree.  None where
    no reading explains them all, where two of the slipped records agree with each other
    (two witnesses of another date are not a slip), or where they outnumber the agreeing
    records that state a date (an interval of at most ``precise``: an age turned into a
    span of thirteen years agrees with anything and witnesses nothing)."""
    best: tuple[Interval, list[int], list[int]] | None = None
    for anchor, (_, own, _) in enumerate(items):
        lo, hi = own
        stated = int(own[1] - own[0] <= precise)
        rest = []
        agree = [items[anchor][0]]
        for k, (i, iv, _) in enumerate(items):
            if k == anchor:
                continue
            if _gap((lo, hi), iv) <= tol:
                lo, hi = max(lo, iv[0]), min(hi, iv[1])
                stated += iv[1] - iv[0] <= precise
                agree.append(i)
            else:
                rest.append(k)
        if not rest or len(rest) > stated:
            continue
        if any(_gap(items[x][1], items[y][1]) <= tol for i, x in enumerate(rest)
               for y in rest[i + 1:]):
            continue
        if all(any(_gap((lo, hi), s) <= slip_tol for s in items[k][2]) for k in rest):
            slipped = [items[k][0] for k in rest]
            if best is None or len(slipped) < len(best[1]):
                best = ((lo, hi), slipped, agree)
    return best


@dataclass(frozen=True)
class DateSlips:
    """What the clustering needs, per record (by index), to tell a date slipped once from
    another person's (:meth:`settle`): its own intervals, its cells as written, its name
    keys."""

    birth: list[Interval | None]
    death: list[Interval | None]
    birth_text: list[str | None]
    age_text: list[str | None]
    death_text: list[str | None]
    given: list[str | None]
    surname: list[str | None]
    father: list[str | None]

    COLUMNS = ("birth_lo", "birth_hi", "death_lo", "death_hi", "birth_text", "age_text",
               "death_text", "given_key", "surname_key", "father_key")

    @classmethod
    def of(cls, records: pd.DataFrame) -> DateSlips | None:
        """From the linkage features (in the clustering's record order); None where
        ``records`` lack a column the rule needs."""
        if not set(cls.COLUMNS) <= set(records.columns):
            return None

        def text(col: str) -> list[str | None]:
            return [v if isinstance(v, str) else None for v in records[col].tolist()]

        def spans(lo: str, hi: str) -> list[Interval | None]:
            return [None if pd.isna(a) or pd.isna(b) else (int(a), int(b))
                    for a, b in zip(records[lo].tolist(), records[hi].tolist(), strict=True)]

        return cls(spans("birth_lo", "birth_hi"), spans("death_lo", "death_hi"),
                   text("birth_text"), text("age_text"), text("death_text"), text("given_key"),
                   text("surname_key"), text("father_key"))

    def settle(self, left: list[int], right: list[int], a: int, b: int, death: bool,
               birth: bool, tol_days: int, tol_years: int
               ) -> tuple[Interval | None, Interval | None] | None:
        """Whether the merge of two groups of records (``left``, ``right``) along the
        scored edge ``a``–``b``, refused because their death dates (``death``) or birth
        years (``birth``) do not meet, is one person with a date slipped once: the edge's
        two records name no two fathers; every record whose date must be read as slipped
        bears the given name, surname and no other father of a record of the other group
        whose date agrees; the agreeing records that state a date are at least as many as
        the slipped, no two of which agree (a slip is weaker evidence than agreement:
        :func:`_consensus`).  Returns the death-date and birth-year intervals of the merged
        group (None for a field that did not conflict), or None where the dates stay a
        reason to refuse."""
        fa, fb = self.father[a], self.father[b]
        if fa is not None and fb is not None and fa != fb:
            return None
        # every slipped record needs a witness across that bears its name: without one
        # name on both sides nothing can be settled (most refusals: brothers), so skip
        # reading the dates
        if not self._names(left) & self._names(right):
            return None
        members = left + right
        out: list[Interval | None] = [None, None]
        for field_no, conflict in ((0, death), (1, birth)):
            if not conflict:
                continue
            items = []
            for i in members:
                own = self.death[i] if field_no == 0 else self.birth[i]
                if own is None:
                    continue
                slips = death_slips(self.death_text[i]) if field_no == 0 else \
                    birth_slips(self.birth_text[i], self.age_text[i],
                                *(self.death[i] or (None, None)))
                items.append((i, own, slips))
            found = _consensus(items, tol_days if field_no == 0 else tol_years,
                               SLIP_TOLERANCE_DAYS if field_no == 0 else SLIP_TOLERANCE_YEARS,
                               31 if field_no == 0 else 2)
            if found is None:
                return None
            mine = set(left)
            for i in found[1]:
                # a witness across: a record of the other group, agreeing on the date, that
                # names the slipped record's given name, surname and no other father
                if not any((j in mine) != (i in mine) and self._one_name(i, j)
                           for j in found[2]):
                    return None
            out[field_no] = found[0]
        return out[0], out[1]

    def _one_name(self, i: int, j: int) -> bool:
        """Whether records ``i`` and ``j`` give one given name, one surname, no two fathers."""
        g, s, f = self.given[i], self.surname[i], self.father[i]
        return g is not None and s is not None and g == self.given[j] and \
            s == self.surname[j] and (f is None or self.father[j] is None or f == self.father[j])

    def _names(self, group: list[int]) -> set[tuple[str, str]]:
        return {(g, s) for g, s in ((self.given[i], self.surname[i]) for i in group)
                if g is not None and s is not None}
