"""Row validation: what makes an imported row unusable, named precisely.

Validation is deliberately shallow: it refuses only what cannot be a record (no name,
misaligned cells, an age that is not a number, an unknown sex, broken text).  Ages and sex
words are read by :func:`dadkhah.names.parse_age` and :func:`dadkhah.names.read_sex`, the
same readers the normaliser uses, so a value that import accepts is one the register reads.
Places and names are kept as written and parsed later by ``dadkhah normalize``, which
reports what it cannot parse without rejecting anything.

Dates are checked at import, before anything is written (:class:`DateChecker`): every value
of a date column (``birth_date``, ``death_date``) is read by
:func:`dadkhah.names.try_parse_date`, and two kinds of value are reported, per column, with
row numbers, in the import report and the dry-run preview (:data:`DATE_WARNING_KINDS`):

* ``bad_date``: a value that cannot be a date («۱۳۶۷/۱۳/۴۰»: month 13, day 40; a word that
  is not a date; day/month order that nothing settles);
* ``implausible_date``: a date that reads, but lies wholly outside the years plausible for
  the case (:class:`DateWindow`; by default births 1900-1975 and deaths 1979-1992, for the
  1988 prison massacres — set another window per import).

**Such a row is kept, not rejected.**  The project's rule is that nothing a user imported
is lost, and a list's name of a victim is worth more than its date: the record is imported
with the date kept exactly as written (in its field and in the raw row), so the register
reads no date for it (``bad_date``) or the date as written (``implausible_date``) until
someone corrects it; ``dadkhah normalize`` lists it again.  The warning only makes the
problem visible before the import is written; ``--strict`` refuses rows with the problems
of :data:`PROBLEM_KINDS`, not dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dadkhah.errors import InvalidInput
from dadkhah.names import MAX_AGE, DateInterval, parse_age, read_sex, try_parse_date

MAX_CELL = 10_000

PROBLEM_KINDS = {
    "misaligned": "the row has a different number of cells than the header",
    "no_name": "no name in any name column",
    "bad_age": f"age is not a number of years between 0 and {MAX_AGE} "
               "(such as 25, about 25, 25? or 20-25)",
    "bad_sex": "sex is not one of the recognised values",
    "bad_text": "text holds control characters or undecodable bytes",
    "too_long": f"a cell is longer than {MAX_CELL:,} characters",
}
"""Problem classes, with the sentence shown to users."""

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell (or row), with where it is."""

    row: int  # data row number (1-based, header excluded)
    line: int  # line of the file / sheet row
    column: str | None  # header of the column, None for whole-row problems
    value: str | None
    kind: str  # key of PROBLEM_KINDS
    detail: str = ""

    def describe(self, file_name: str) -> str:
        where = f"{file_name}, row {self.row} (line {self.line})"
        if self.column is not None:
            where += f", column {self.column!r}"
        what = PROBLEM_KINDS[self.kind] + (f" ({self.detail})" if self.detail else "")
        val = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{val}: {what}."

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "line": self.line, "column": self.column, "value": self.value,
                "kind": self.kind, "problem": PROBLEM_KINDS[self.kind], "detail": self.detail}


def validate_row(row: int, line: int, cells: list[str], header: list[str],
                 fields: dict[str, str | None], columns: dict[str, str]) -> list[Problem]:
    """All problems of one row.

    ``fields`` are the mapped values (None = not mapped or cell missing); ``columns`` maps
    each mapped field to its header, so problems name the column the user sees.
    """
    problems: list[Problem] = []
    n, w = len(cells), len(header)
    if n < w or (n > w and any(c.strip() for c in cells[w:])):
        problems.append(Problem(row, line, None, None, "misaligned",
                                f"{n} cells, header has {w}"))
    joined = "\t".join(cells)  # one scan for the common, clean row
    if len(joined) > MAX_CELL or _BAD_CHARS.search(joined):
        for i, cell in enumerate(cells):
            col = header[i] if i < w else f"#{i + 1}"
            if len(cell) > MAX_CELL:
                problems.append(Problem(row, line, col, cell[:40] + "…", "too_long"))
            elif _BAD_CHARS.search(cell):
                problems.append(Problem(row, line, col, cell, "bad_text"))
    if not any((fields.get(f) or "").strip() for f in ("full_name", "given_names", "surname")):
        problems.append(Problem(row, line, None, None, "no_name"))
    age = fields.get("age")
    if age is not None and age.strip() and parse_age(age) is None:
        problems.append(Problem(row, line, columns["age"], age, "bad_age"))
    sex = fields.get("sex")
    if sex is not None and sex.strip() and read_sex(sex) is None:
        problems.append(Problem(row, line, columns["sex"], sex, "bad_sex"))
    return problems



class RowChecker:
    """:func:`validate_row` for one file's header and mapping, with a fast path: a clean row
    (the common case) is recognised with a few string operations, and only a row that fails
    them goes through the full check that names every problem."""

    def __init__(self, header: list[str], indices: dict[str, int]) -> None:
        self.header = header
        self.width = len(header)
        self.indices = indices
        self.columns = {f: header[i] for f, i in indices.items()}
        self._names = [indices[f] for f in ("full_name", "given_names", "surname")
                       if f in indices]
        self._age = indices.get("age")
        self._sex = indices.get("sex")

    def _clean(self, cells: list[str]) -> bool:
        n = len(cells)
        if n != self.width and (n < self.width or any(c.strip() for c in cells[self.width:])):
            return False
        joined = "\t".join(cells)
        if len(joined) > MAX_CELL or _BAD_CHARS.search(joined):
            return False
        if not any(i < n and cells[i].strip() for i in self._names):
            return False
        if self._age is not None and self._age < n:
            a = cells[self._age]
            if a.strip() and parse_age(a) is None:
                return False
        if self._sex is not None and self._sex < n:
            s = cells[self._sex]
            if s.strip() and read_sex(s) is None:
                return False
        return True

    def problems(self, row: int, line: int, cells: list[str]) -> list[Problem]:
        if self._clean(cells):
            return []
        n = len(cells)
        fields = {f: (cells[i] if i < n else None) for f, i in self.indices.items()}
        return validate_row(row, line, cells, self.header, fields, self.columns)


# ------------------------------------------------------------------------------ dates

DATE_FIELDS = ("birth_date", "death_date")
"""The mapped fields holding dates, checked at import."""

DATE_WARNING_KINDS = {
    "bad_date": "cannot be a date",
    "implausible_date": "a date outside the plausible years for this case",
}
"""Warnings about date values, with the sentence shown to users.  The row is kept."""


@dataclass(frozen=True, slots=True)
class DateWindow:
    """Plausible Gregorian years (both ends included) for the dates of one import.

    The defaults suit the 1988 case: victims were born 1900-1975 (aged about 13 to 88 in
    1988) and died 1979-1992 (from the revolution to the last executions recorded after
    the massacres).  A date whose whole interval lies outside its window is reported as
    ``implausible_date``; one that overlaps it (a decade, «1350s») is not.  Set another
    window per import (``date_window=``, ``dadkhah import --birth-years 1920-1970``, or
    ``birth_years = "1920-1970"`` in a mapping file's ``[options]``).
    """

    birth: tuple[int, int] = (1900, 1975)
    death: tuple[int, int] = (1979, 1992)

    def __post_init__(self) -> None:
        for name, (lo, hi) in (("birth", self.birth), ("death", self.death)):
            if lo > hi:
                raise InvalidInput(f"The {name} years {lo}-{hi} end before they start.",
                                   hint=f"Write the {name} years as FIRST-LAST, e.g. 1900-1975.")

    def years(self, fld: str) -> tuple[int, int]:
        """The window of ``birth_date`` or ``death_date``."""
        return self.birth if fld == "birth_date" else self.death

    @staticmethod
    def parse_years(text: str, what: str = "years") -> tuple[int, int]:
        """``"1900-1975"`` → (1900, 1975) (Gregorian years); raises
        :class:`~dadkhah.errors.InvalidInput` for anything else."""
        m = re.fullmatch(r"\s*(\d{4})\s*[-–:]\s*(\d{4})\s*", text)
        if not m:
            raise InvalidInput(f"{what} {text!r} is not a range of Gregorian years.",
                               hint="Write it as FIRST-LAST, e.g. 1900-1975.")
        return int(m.group(1)), int(m.group(2))


DEFAULT_DATE_WINDOW = DateWindow()
"""Births 1900-1975, deaths 1979-1992 (Gregorian years)."""


@dataclass(frozen=True, slots=True)
class DateWarning:
    """A date value that cannot be a date or lies outside the plausible years; the row is
    kept, with the value as written."""

    row: int
    line: int
    column: str
    field: str
    value: str
    kind: str  # key of DATE_WARNING_KINDS
    detail: str
    stored: str  # how the value will be stored and read

    def describe(self, file_name: str) -> str:
        return (f"{file_name}, row {self.row} (line {self.line}), column {self.column!r}: "
                f"value {self.value!r} {DATE_WARNING_KINDS[self.kind]} ({self.detail}); "
                f"{self.stored}.")

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "line": self.line, "column": self.column, "field": self.field,
                "value": self.value, "kind": self.kind, "problem": DATE_WARNING_KINDS[self.kind],
                "detail": self.detail, "stored": self.stored}


@lru_cache(maxsize=65_536)
def _read_date(value: str) -> tuple[DateInterval | None, str | None]:
    return try_parse_date(value)  # lists repeat their dates: read each text once


class DateChecker:
    """Checks the date columns of one file's rows against a :class:`DateWindow`."""

    def __init__(self, header: list[str], indices: dict[str, int],
                 window: DateWindow = DEFAULT_DATE_WINDOW) -> None:
        self.window = window
        self.columns = [(f, indices[f], header[indices[f]]) for f in DATE_FIELDS
                        if f in indices]

    def warnings(self, row: int, line: int, cells: list[str]) -> list[DateWarning]:
        out: list[DateWarning] = []
        n = len(cells)
        for fld, i, col in self.columns:
            value = cells[i] if i < n else ""
            if not value.strip():
                continue
            interval, problem = _read_date(value)
            if interval is None:
                out.append(DateWarning(row, line, col, fld, value, "bad_date", problem or "",
                                       f"kept as written in {fld}; read as no date until "
                                       "corrected"))
                continue
            lo, hi = self.window.years(fld)
            if interval.latest.year < lo or interval.earliest.year > hi:
                out.append(DateWarning(
                    row, line, col, fld, value, "implausible_date",
                    f"read as {interval.describe()}; plausible years {lo}-{hi}",
                    f"kept as written in {fld}, read as {interval.gregorian_text()}"))
        return out
