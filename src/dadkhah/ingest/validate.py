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

Day/month order is settled per list (:class:`DateChecker`): a value that only one order
reads (13/05/1988) is read that way; a value that both read (08/10/1988) takes the order
of the column's other values (a column whose other dates have a day above 12 first is
day/month), else of the list's other date column, else the ``date_order`` option
(:func:`parse_date_order`), else it is a ``bad_date``.  The preview says, per column, which
order was chosen and why (``date_orders``).
* ``implausible_date``: a date that reads, but lies wholly outside the years plausible for
  the case (:class:`DateWindow`; by default births 1900-1975 and deaths 1979-1992, for the
  1988 prison massacres — set another window per import).

**Such a row is kept, not rejected.**  The project's rule is that nothing a user imported
is lost, and a list's name of a victim is worth more than its date: the record is imported
with the date kept exactly as written (in its field and in the raw row), so the register
reads no date for it (``bad_date``) or the date as written (``implausible_date``; linkage
reads such a date as unknown, not as a disagreement) until someone corrects it; ``dadkhah
normalize`` lists it again.  The warning only makes the problem visible before the import
is written; ``--strict`` refuses rows with the problems of :data:`PROBLEM_KINDS`, not
dates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from dadkhah.errors import InvalidInput
from dadkhah.names import MAX_AGE, DateInterval, parse_age, read_sex, try_parse_date
from dadkhah.names.dates import DateOrder, numeric_order

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
def _read_date(value: str, day_first: bool | None = None
               ) -> tuple[DateInterval | None, str | None]:
    return try_parse_date(value, day_first=day_first)  # lists repeat their dates


KEEP_PENDING = 200
"""Rows kept per column, for the report, of values read only once the order is settled."""

DATE_ORDERS = {"day_first": True, "month_first": False}
"""The ``date_order`` option of a mapping file (or ``date_order=`` of an import): how the
list writes numeric dates such as 08/10/1988, when its values do not settle it."""


def parse_date_order(text: str | None) -> bool | None:
    """``"day_first"`` → True, ``"month_first"`` → False, None/"" → None (settle from the
    values); raises :class:`~dadkhah.errors.InvalidInput` for anything else."""
    if not text:
        return None
    key = text.strip().lower().replace("-", "_").replace("/", "_")
    key = {"dmy": "day_first", "d_m": "day_first", "mdy": "month_first",
           "m_d": "month_first"}.get(key, key)
    if key not in DATE_ORDERS:
        raise InvalidInput(f"Date order {text!r} is not one of day_first, month_first.",
                           hint='Write date_order = "day_first" (08/10/1988 is 8 October) or '
                                '"month_first" (August 10).')
    return DATE_ORDERS[key]


class DateChecker:
    """Checks the date columns of one file's rows against a :class:`DateWindow`, and
    settles the list's day/month order (:class:`dadkhah.names.dates.DateOrder`).

    A value that both orders read (08/10/1988) is held back until every row was seen
    (:meth:`finish`): the column's values that read only one way (13/05/1988 is day/month)
    settle it; a column with none borrows the order of the list's other date column.
    ``day_first`` (the user's choice) settles it up front.
    """

    def __init__(self, header: list[str], indices: dict[str, int],
                 window: DateWindow = DEFAULT_DATE_WINDOW,
                 day_first: bool | None = None) -> None:
        self.window = window
        self.day_first = day_first
        self.columns = [(f, indices[f], header[indices[f]]) for f in DATE_FIELDS
                        if f in indices]
        self._orders: dict[str, Counter[str]] = {c: Counter() for _, _, c in self.columns}
        self._examples: dict[str, dict[str, str]] = {c: {} for _, _, c in self.columns}
        self._pending: dict[str, list[tuple[int, int, str]]] = {c: [] for _, _, c
                                                                in self.columns}
        self._pending_values: dict[str, Counter[str]] = {c: Counter() for _, _, c
                                                         in self.columns}
        self.orders: list[dict[str, object]] = []
        """Per date column, once :meth:`finish` ran: ``column``, ``field``, the
        :meth:`~dadkhah.names.dates.DateOrder.to_dict` fields and ``summary``."""

    def warnings(self, row: int, line: int, cells: list[str]) -> list[DateWarning]:
        out: list[DateWarning] = []
        n = len(cells)
        for fld, i, col in self.columns:
            value = cells[i] if i < n else ""
            if not value.strip():
                continue
            kind = numeric_order(value)
            if kind is not None:
                self._orders[col][kind] += 1
                self._examples[col].setdefault(kind, value.strip())
                if kind == "either" and self.day_first is None:
                    if len(self._pending[col]) < KEEP_PENDING:
                        self._pending[col].append((row, line, value))
                    self._pending_values[col][value] += 1
                    continue
            w = self._check(row, line, fld, col, value, self.day_first)
            if w is not None:
                out.append(w)
        return out

    def _check(self, row: int, line: int, fld: str, col: str, value: str,
               day_first: bool | None) -> DateWarning | None:
        interval, problem = _read_date(value, day_first)
        if interval is None:
            return DateWarning(row, line, col, fld, value, "bad_date", problem or "",
                               f"kept as written in {fld}; read as no date until corrected")
        lo, hi = self.window.years(fld)
        if interval.latest.year < lo or interval.earliest.year > hi:
            return DateWarning(
                row, line, col, fld, value, "implausible_date",
                f"read as {interval.describe()}; plausible years {lo}-{hi}",
                f"kept as written in {fld}, read as {interval.gregorian_text()}")
        return None

    def finish(self) -> tuple[list[DateWarning], Counter[tuple[str, str]]]:
        """Settle each column's order and check the values held back: the warnings of the
        rows kept (:data:`KEEP_PENDING` per column) and the count of every warning by
        (column, kind)."""
        out: list[DateWarning] = []
        counts: Counter[tuple[str, str]] = Counter()
        total: Counter[str] = Counter()
        total_ex: dict[str, str] = {}
        for col_ in self._orders:
            total.update(self._orders[col_])
            for k, v in self._examples[col_].items():
                total_ex.setdefault(k, v)
        for fld, _, col in self.columns:
            c, ex = self._orders[col], self._examples[col]
            order = DateOrder.settle(c["day_first"], c["month_first"], c["either"],
                                     given=self.day_first, examples=ex)
            if (order.needed and order.day_first is None and not c["day_first"]
                    and not c["month_first"] and (total["day_first"] or total["month_first"])):
                # no value of this column settles it: the list's other date column may
                others = DateOrder.settle(total["day_first"], total["month_first"],
                                          c["either"], examples={**total_ex, **ex})
                if others.day_first is not None:
                    order = DateOrder(others.day_first, 0, 0, c["either"],
                                      "no value of this column reads only one way; the "
                                      "list's other date column settles it: "
                                      + others.reason)
            self.orders.append({"column": col, "field": fld, **order.to_dict(),
                                "summary": order.summary()})
            if not order.needed or self.day_first is not None:
                continue
            for row, line, value in self._pending[col]:
                w = self._unsettled(row, line, fld, col, value, order)
                if w is not None:
                    out.append(w)
            for value, times in self._pending_values[col].items():
                w = self._unsettled(0, 0, fld, col, value, order)
                if w is not None:
                    counts[(col, w.kind)] += times
        return out, counts

    def _unsettled(self, row: int, line: int, fld: str, col: str, value: str,
                   order: DateOrder) -> DateWarning | None:
        if order.day_first is None:
            return DateWarning(
                row, line, col, fld, value, "bad_date",
                "both day/month and month/day are dates, and the list's other dates do "
                "not settle the order",
                f"kept as written in {fld}; read as no date until corrected, or import "
                "with date_order = \"day_first\" or \"month_first\"")
        return self._check(row, line, fld, col, value, order.day_first)
