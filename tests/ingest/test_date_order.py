"""Day/month order settled per list at import (issue 15, part 6): the dry run says, per
date column, which order was chosen and why; values both orders read take the list's
order; a list that does not settle it lists them, with rows, as dates it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah.errors import InvalidInput
from dadkhah.ingest import import_file
from dadkhah.store import Case
from tests.conftest import write_list

HEADER = ["Name", "Surname", "Date of birth", "Date of execution"]


def _write(tmp_path: Path, fmt: str, rows: list[list[str]]) -> Path:
    return write_list(tmp_path, fmt, HEADER, rows)


DAY_FIRST = [
    ["Ali", "Rezaei", "", "25/07/1988"],       # only day/month: settles the list
    ["Reza", "Karimi", "", "08/10/1988"],      # both read: 8 October by the list's order
    ["Hassan", "Ahmadi", "", "13/05/1988"],
    ["Maryam", "Hosseini", "", "08/10/1995"],  # read day/month, then outside 1979-1992
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_a_day_first_list_reads_its_ambiguous_dates_day_first(case: Case, tmp_path: Path,
                                                              fmt: str) -> None:
    rep = import_file(case, _write(tmp_path, fmt, DAY_FIRST), source="s1", dry_run=True)
    order = next(o for o in rep.date_orders if o["column"] == "Date of execution")
    assert (order["order"], order["day_first_only"], order["either"]) == ("day_first", 2, 2)
    assert "25/07/1988" in order["reason"]
    warned = {(w["row"], w["kind"]) for w in rep.date_warnings}
    assert warned == {(4, "implausible_date")}  # row 2 is read, as 8 October 1988
    w = rep.date_warnings[0]
    assert "1995-10-08" in w["stored"]
    text = rep.summary()
    assert "08/10/1988 read day/month: 2 value(s) such as 25/07/1988" in text
    assert rep.to_dict()["date_orders"] == rep.date_orders


def test_a_month_first_list(case: Case, tmp_path: Path) -> None:
    rows = [["Ali", "R", "", "07/25/1988"], ["Reza", "K", "", "08/10/1988"]]
    rep = import_file(case, _write(tmp_path, "csv", rows), source="s1", dry_run=True)
    order = next(o for o in rep.date_orders if o["field"] == "death_date")
    assert order["order"] == "month_first" and rep.date_warnings == []


def test_an_unsettled_list_lists_its_ambiguous_dates_with_rows(case: Case,
                                                               tmp_path: Path) -> None:
    rows = [["Ali", "R", "", "08/10/1988"], ["Reza", "K", "", "مرداد ۶۷"],
            ["Hassan", "A", "", "03/04/1988"]]
    rep = import_file(case, _write(tmp_path, "csv", rows), source="s1", dry_run=True)
    order = next(o for o in rep.date_orders if o["field"] == "death_date")
    assert order["order"] is None
    bad = [(w["row"], w["kind"]) for w in rep.date_warnings]
    assert bad == [(1, "bad_date"), (3, "bad_date")]
    assert "date_order" in rep.date_warnings[0]["stored"]
    assert rep.date_checks[1]["bad_date"] == 2
    assert "order not settled" in rep.summary()
    assert rep.rows_imported == 3  # kept, never rejected for a date


def test_a_column_borrows_the_order_of_the_lists_other_date_column(case: Case,
                                                                   tmp_path: Path) -> None:
    rows = [["Ali", "R", "25/03/1960", "08/10/1988"], ["Reza", "K", "14/02/1958", ""]]
    rep = import_file(case, _write(tmp_path, "csv", rows), source="s1", dry_run=True)
    order = next(o for o in rep.date_orders if o["field"] == "death_date")
    assert order["order"] == "day_first" and "other date column" in order["reason"]
    assert rep.date_warnings == []


def test_the_mapping_file_sets_the_order(case: Case, tmp_path: Path) -> None:
    rows = [["Ali", "R", "", "08/10/1988"]]
    path = _write(tmp_path, "csv", rows)
    mp = tmp_path / "m.toml"
    mp.write_text('[columns]\ngiven_names = "Name"\nsurname = "Surname"\n'
                  'death_date = "Date of execution"\n[options]\ndate_order = "month_first"\n',
                  encoding="utf-8")
    rep = import_file(case, path, source="s1", dry_run=True, mapping=mp)
    assert rep.date_orders[0]["order"] == "month_first" and rep.date_warnings == []
    assert "set for this import" in rep.date_orders[0]["reason"]
    mp.write_text(mp.read_text(encoding="utf-8").replace("month_first", "sideways"),
                  encoding="utf-8")
    with pytest.raises(InvalidInput, match="sideways"):
        import_file(case, path, source="s1", dry_run=True, mapping=mp)
    assert case.imports() == []


def test_many_ambiguous_values_are_all_counted(case: Case, tmp_path: Path) -> None:
    rows = [["Ali", "R", "", "08/10/1988"]] * 450 + [["Reza", "K", "", "09/11/1988"]]
    rep = import_file(case, _write(tmp_path, "csv", rows), source="s1", dry_run=True)
    assert rep.date_checks[1]["bad_date"] == 451
    assert len(rep.date_warnings) == 200  # the first rows, as for every warning


def test_the_order_is_settled_in_the_reader_process_too(case: Case, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # large files are read in a second process: the order comes back with its state
    import dadkhah.ingest.importer as importer

    monkeypatch.setattr(importer, "WORKER_MIN_BYTES", 0)
    rep = import_file(case, _write(tmp_path, "csv", DAY_FIRST), source="s1")
    order = next(o for o in rep.date_orders if o["field"] == "death_date")
    assert order["order"] == "day_first"
    assert {(w["row"], w["kind"]) for w in rep.date_warnings} == {(4, "implausible_date")}
    assert case.records()[1].fields["death_date"] == "08/10/1988"  # kept as written


def test_the_chosen_order_is_in_the_audit_entry(case: Case, tmp_path: Path) -> None:
    from sqlalchemy import select

    from dadkhah.store.tables import AuditEntry

    import_file(case, _write(tmp_path, "csv", DAY_FIRST), source="s1")
    with case.read() as conn:
        details = conn.execute(select(AuditEntry.details).where(AuditEntry.action == "import")
                               ).scalar_one()
    assert json.loads(details)["date_orders"] == {"Date of execution": "day_first"}
