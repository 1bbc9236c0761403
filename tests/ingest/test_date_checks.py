"""Dates checked at import, before anything is written (issue 15, part 6): values that
cannot be dates or lie outside the case's plausible years are listed per column with their
rows; the rows are kept, the value as written."""

from pathlib import Path

import pytest

from dadkhah.errors import InvalidInput
from dadkhah.ingest import DATE_WARNING_KINDS, DateWindow, import_file
from dadkhah.store import Case
from tests.conftest import write_csv, write_list

HEADER = ["نام و نام خانوادگی", "تاریخ تولد", "تاریخ اعدام"]
ROWS = [
    ["علی رضایی", "۱۳۴۰", "۱۳۶۷/۰۵/۱۰"],      # fine
    ["حسن احمدی", "1340", "۱۳۶۷/۱۳/۴۰"],       # month 13, day 40
    ["رضا کریمی", "۱۳۶۷", "1988-08-01"],       # born 1988: outside 1900-1975
    ["مریم حسینی", "", "1995-01-01"],          # died 1995: outside 1979-1992
    ["Reza Karimi", "yesterday", ""],          # not a date at all
]


def _write(tmp_path: Path, fmt: str) -> Path:
    return write_list(tmp_path, fmt, HEADER, ROWS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_dry_run_lists_impossible_and_implausible_dates(case: Case, tmp_path: Path,
                                                        fmt: str) -> None:
    rep = import_file(case, _write(tmp_path, fmt), source="s1", dry_run=True)
    assert rep.file_format == fmt and case.imports() == []
    # kept, not rejected: a bad date never costs a victim's name
    assert (rep.rows_imported, rep.rows_rejected) == (5, 0)
    checks = {c["column"]: c for c in rep.date_checks}
    assert checks["تاریخ اعدام"] == {"column": "تاریخ اعدام", "field": "death_date",
                                      "years": [1979, 1992], "bad_date": 1,
                                      "implausible_date": 1}
    assert (checks["تاریخ تولد"]["bad_date"], checks["تاریخ تولد"]["implausible_date"]) == (1, 1)
    found = {(w["row"], w["column"], w["kind"]) for w in rep.date_warnings}
    assert found == {(2, "تاریخ اعدام", "bad_date"), (3, "تاریخ تولد", "implausible_date"),
                     (4, "تاریخ اعدام", "implausible_date"), (5, "تاریخ تولد", "bad_date")}
    bad = next(w for w in rep.date_warnings if w["row"] == 2)
    assert bad["value"] == "۱۳۶۷/۱۳/۴۰" and "1367/13/40" in bad["detail"]
    assert bad["stored"].startswith("kept as written in death_date")
    line = 2 if fmt == "jsonl" else 3  # a JSON Lines file has no header line
    assert bad["message"].startswith(f"list.{fmt}, row 2 (line {line}), column 'تاریخ اعدام'")
    text = rep.summary()
    assert "dates in 'تاریخ اعدام' (death_date, plausible 1979-1992): 1 cannot be a date" in text
    assert "۱۳۶۷/۱۳/۴۰" in text


def test_the_row_is_imported_with_the_date_as_written(case: Case, tmp_path: Path) -> None:
    rep = import_file(case, _write(tmp_path, "csv"), source="s1")
    assert rep.rows_rejected == 0 and len(rep.date_warnings) == 4
    rec = case.records()[1]
    assert rec.fields["death_date"] == "۱۳۶۷/۱۳/۴۰" and rec.fields["full_name"] == "حسن احمدی"


def test_strict_is_not_refused_for_a_date(case: Case, tmp_path: Path) -> None:
    rep = import_file(case, _write(tmp_path, "csv"), source="s1", strict=True)
    assert rep.rows_imported == 5


def test_clean_dates_are_reported_as_checked(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["Name", "Date of execution"],
                                          ["Ali", "late July 1988"], ["Reza", "مرداد ۶۷"]])
    rep = import_file(case, path, source="s1", dry_run=True)
    assert rep.date_warnings == []
    assert rep.date_checks[0]["bad_date"] == rep.date_checks[0]["implausible_date"] == 0
    assert "all readable" in rep.summary()


def test_the_window_is_set_per_import(case: Case, tmp_path: Path) -> None:
    path = _write(tmp_path, "csv")
    rep = import_file(case, path, source="s1", dry_run=True,
                      date_window=DateWindow(birth=(1900, 1990), death=(1979, 2000)))
    assert {w["kind"] for w in rep.date_warnings} == {"bad_date"}
    mp = tmp_path / "m.toml"
    mp.write_text('[columns]\nfull_name = "نام و نام خانوادگی"\ndeath_date = "تاریخ اعدام"\n'
                  '[options]\ndeath_years = "1979-2000"\n', encoding="utf-8")
    rep = import_file(case, path, source="s1", dry_run=True, mapping=mp)
    assert rep.date_checks[0]["years"] == [1979, 2000]
    assert rep.date_checks[0]["implausible_date"] == 0


def test_a_decade_overlapping_the_window_is_not_flagged(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["Name", "Date of birth"], ["Ali", "1970s"]])
    assert import_file(case, path, source="s1", dry_run=True).date_warnings == []


@pytest.mark.parametrize("text", ["1975-1900", "1900", "from 1900"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        DateWindow(birth=DateWindow.parse_years(text))


def test_warning_kinds_are_documented() -> None:
    assert set(DATE_WARNING_KINDS) == {"bad_date", "implausible_date"}
