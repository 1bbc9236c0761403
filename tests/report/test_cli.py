"""``dadkhah report`` and ``dadkhah export register|histories|every-casualty`` through Typer's
runner."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from dadkhah.cli import app

runner = CliRunner()


def test_report_command_json(linked, tmp_path) -> None:
    loc = str(linked.case.location)
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["-C", loc, "report", "--out", str(out), "--by", "sex",
                              "--method", "loglinear", "--no-names", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["html"] == str(out) and doc["pdf"] is None and doc["synthetic"] is True
    html = out.read_text(encoding="utf-8")
    assert 'id="table-estimates-sex"' in html and 'id="table-names"' not in html
    assert "Persons are not listed by name" in html and "dadkhah export register" in html
    # the command line with every setting, for reproducibility
    assert (f"dadkhah --case {loc} report --out {out} --by sex --method loglinear "
            f"--stratum-method loglinear --seed 1 "
            "--level 0.95 --no-names") in html


def test_report_on_an_unlinked_case_says_what_to_do(tmp_path) -> None:
    loc = str(tmp_path / "empty")
    assert runner.invoke(app, ["-C", loc, "init"]).exit_code == 0
    res = runner.invoke(app, ["-C", loc, "report", "--method", "loglinear"])
    assert res.exit_code == 1
    assert "register is empty" in res.output and "dadkhah link" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "empty" / "report.html").exists()


def test_pdf_without_browser_fails_before_the_work(linked, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DADKHAH_CHROMIUM", str(tmp_path / "nothing"))
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["-C", str(linked.case.location), "report", "--out", str(out),
                              "--pdf", "--method", "loglinear", "--by", "none"])
    assert res.exit_code == 1
    assert "no Chromium" in res.output and "system-deps.sh" in res.output
    assert not out.exists()


def test_unknown_stratum(linked, tmp_path) -> None:
    res = runner.invoke(app, ["-C", str(linked.case.location), "report", "--out",
                              str(tmp_path / "r.html"), "--by", "shoe_size"])
    assert res.exit_code == 1 and "shoe_size" in res.output and "prison" in res.output


def test_export_commands(linked, tmp_path) -> None:
    loc = str(linked.case.location)
    for args, name in ((["register", "-f", "xlsx"], "r.xlsx"),
                       (["histories", "--by", "sex"], "h.csv"),
                       (["every-casualty", "--type-of-death", "execution"], "e.csv")):
        out = tmp_path / name
        res = runner.invoke(app, ["-C", loc, "export", *args, "-o", str(out), "--json"])
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        assert doc["path"] == str(out) and doc["rows"] > 0 and out.is_file()
    with open(tmp_path / "h.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with linked.case.read() as conn:
        persons = conn.exec_driver_sql("SELECT count(*) FROM persons WHERE status = 'active'"
                                       ).scalar()
    assert "sex" in rows[0] and sum(int(r["count"]) for r in rows) == persons
    # as text: the summary on one line, a long path whole (not wrapped at 80 columns)
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / "histories-by-sex.csv"
    deep.parent.mkdir()
    res = runner.invoke(app, ["-C", loc, "export", "histories", "--by", "sex", "-o", str(deep)])
    assert res.exit_code == 0, res.output
    assert len(res.stdout.strip().splitlines()) == 1 and str(deep) in res.stdout, res.stdout
    bad = runner.invoke(app, ["-C", loc, "export", "register", "-f", "parquet",
                              "-o", str(tmp_path / "x")])
    text = " ".join(bad.output.replace("│", " ").split())  # Rich's error box wraps lines
    assert bad.exit_code == 2 and "'parquet' is not one of: csv, xlsx, json" in text


def test_no_method(linked, tmp_path) -> None:
    res = runner.invoke(app, ["-C", str(linked.case.location), "report", "--out",
                              str(tmp_path / "r.html"), "--method", ","])
    assert res.exit_code == 1 and "No estimation method" in res.output
    assert "--method lcmcr" in res.output


def test_a_database_case_asks_for_the_option_the_command_has() -> None:
    # no folder to write to: the hint names the option of that command (report --out, the
    # exports --output); the check comes before any connection, so no server is needed
    url = "postgresql://nobody@127.0.0.1:1/none"
    res = runner.invoke(app, ["-C", url, "export", "register"])
    assert res.exit_code == 1 and "Pass --output PATH" in res.output, res.output
    res = runner.invoke(app, ["-C", url, "report"])
    assert res.exit_code == 1 and "Pass --out PATH" in res.output, res.output
