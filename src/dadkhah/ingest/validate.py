"""Row validation: what makes an imported row unusable, named precisely.

Validation is deliberately shallow: it refuses only what cannot be a record (no name,
misaligned cells, an age that is not a number, an unknown sex, broken text).  Ages and sex
words are read by :func:`dadkhah.names.parse_age` and :func:`dadkhah.names.read_sex`, the
same readers the normaliser uses, so a value that import accepts is one the register reads.
Dates, places and names are kept as written and parsed later by ``dadkhah normalize``, which
reports what it cannot parse without rejecting anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dadkhah.names import MAX_AGE, parse_age, read_sex

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
