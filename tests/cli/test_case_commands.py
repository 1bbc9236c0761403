"""The CLI end to end, through Typer's runner: commands, --json, errors without tracebacks."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dadkhah.cli import app
from tests.conftest import write_csv

runner = CliRunner()


def run(*args: str, ok: bool = True):
    res = runner.invoke(app, list(args))
    if ok:
        assert res.exit_code == 0, res.output
    return res


@pytest.fixture
def cli_case(case_location: str) -> str:
    run("--case", case_location, "init")
    run("-C", case_location, "source", "add", "fam", "--title", "فهرست خانواده‌ها",
        "--kind", "family_list", "-r", "B", "--synthetic")
    return case_location


def test_source_add_list_show_json(cli_case: str) -> None:
    sources = json.loads(run("-C", cli_case, "source", "list", "--json").stdout)
    assert [(s["slug"], s["title"], s["reliability"], s["records"]) for s in sources] == [
        ("fam", "فهرست خانواده‌ها", "B", 0)]
    shown = json.loads(run("-C", cli_case, "source", "show", "1", "--json").stdout)
    assert shown["slug"] == "fam" and shown["import_batches"] == []


def test_import_then_records_list_and_search(cli_case: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["نام", "نام خانوادگی", "سن"],
                                          ["علی‌اکبر", "حسین‌زاده", "۲۵"],
                                          ["Reza", "Karimi", "40"]])
    rep = json.loads(run("-C", cli_case, "import", str(path), "-s", "fam", "--json").stdout)
    assert rep["rows_imported"] == 2 and rep["import_id"] == 1
    recs = json.loads(run("-C", cli_case, "records", "list", "--json").stdout)
    assert [r["fields"]["surname"] for r in recs] == ["حسین‌زاده", "Karimi"]
    # Arabic-form yeh typed by a user finds the Persian-form record.
    hits = json.loads(run("-C", cli_case, "records", "list", "-q", "حسين", "--json").stdout)
    assert [h["fields"]["given_names"] for h in hits] == ["علی‌اکبر"]
    hits = json.loads(run("-C", cli_case, "records", "list", "-q", "karimi", "--json").stdout)
    assert [h["row_number"] for h in hits] == [2]
    one = json.loads(run("-C", cli_case, "records", "show", str(recs[1]["id"]), "--json").stdout)
    assert json.loads(one["raw"]) == ["Reza", "Karimi", "40"]


def test_dry_run_shows_mapping_and_writes_nothing(cli_case: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["Full name", "Father", "Date of execution"],
                                          ["Ali Rezaei", "Hasan", "1988-08-01"]])
    res = run("-C", cli_case, "import", str(path), "-s", "fam", "--dry-run")
    assert "DRY RUN" in res.stdout and "full_name ← 'Full name'" in res.stdout
    assert "Ali Rezaei" in res.stdout
    assert json.loads(run("-C", cli_case, "records", "list", "--json").stdout) == []


def test_errors_are_one_sentence_with_hint_and_no_traceback(cli_case: str,
                                                            tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["name", "age"], ["Ali", "old"]])
    res = run("-C", cli_case, "import", str(path), "-s", "fam", "--strict", ok=False)
    assert res.exit_code == 1
    assert "Error:" in res.output and "row 1 (line 2), column 'age'" in res.output
    assert "Hint:" in res.output and "Traceback" not in res.output
    res = run("-C", cli_case, "import", str(path), "-s", "nope", ok=False)
    assert res.exit_code == 1 and "No source 'nope'" in res.output
    res = run("records", "list", ok=False)
    assert res.exit_code == 1 and "No case chosen" in res.output


def test_unknown_kind_and_grade_are_refused(cli_case: str) -> None:
    res = run("-C", cli_case, "source", "add", "x", "--title", "X", "--kind", "blog", ok=False)
    text = " ".join(res.output.replace("│", " ").split())
    assert res.exit_code == 2 and "'blog' is not one of: family_list, ngo_list" in text
    res = run("-C", cli_case, "source", "add", "x", "--title", "X", "--kind", "press",
              "-r", "G", ok=False)
    text = " ".join(res.output.replace("│", " ").split())
    assert res.exit_code == 2 and "'G' is not one of: A, B, C, D, E, F" in text


def test_audit_verify_json(cli_case: str) -> None:
    rep = json.loads(run("-C", cli_case, "audit", "verify", "--json").stdout)
    assert rep["ok"] is True and rep["entries"] == 2


def test_demo_runs_every_stage(tmp_path: Path) -> None:
    import json

    from dadkhah.demo import LISTS_FOLDER
    from dadkhah.store import Case

    res = run("demo", "--folder", str(tmp_path / "demo"))
    assert "SYNTHETIC" in res.stdout and "Audit chain intact" in res.stdout
    assert "true number of victims" in res.stdout
    man = json.loads((tmp_path / "demo" / LISTS_FOLDER / "SYNTHETIC-manifest.json")
                     .read_text(encoding="utf-8"))
    with Case.open(tmp_path / "demo") as case:
        # The register's lists; the 1988 case file's sources (stage_casefile) import nothing;
        # the scanned list (stage_scans) is imported after the truth stage and not linked.
        sources = [s for s in case.sources() if s.imports and s.slug != "scan-1"]
        assert [s.slug for s in sources] == [x["id"] for x in man["lists"]]
        assert all(s.synthetic and s.records > 0 for s in sources)
        assert [s.records for s in sources] == [x["records"] for x in man["lists"]]
        assert all(i.rows_rejected == 0 for i in case.imports())
        from dadkhah.register import register_of

        reg = register_of(case)
        assert len(reg) == sum(x["records"] for x in man["lists"])  # every record linked
        # the register is close to the truth, and the demo says how close
        assert abs(reg.nunique() - man["observed_persons"]) < 0.05 * man["observed_persons"]
    assert "linkage against the truth" in res.stdout
    assert res.stdout.count("ESTIMATED total") == 2 and "interval" in res.stdout
    out = res.stdout
    # the linkage's refusals and truth-free leads; the estimate with linkage uncertainty and
    # the headline verdict; the web stage's jobs; tamper evidence on a copy of the case
    assert "merges refused:" in out and "leads for reviewers" in out
    assert "loglinear with linkage uncertainty" in out and "of the width from linkage" in out
    assert "headline: " in out and "/team/jobs" in out
    assert "figures row id" in out and "was altered outside dadkhah" in out
    assert "the last audit entry cut, verified against the checkpoint: the chain has" in out
    with Case.open(tmp_path / "demo") as case:
        assert case.verify_audit().ok  # the tampering was done on copies only
        scanned = case.records(source="scan-1") if shutil.which("tesseract") else []
    if shutil.which("tesseract"):
        assert "read by OCR" in out and "relink to include them" in out
        assert scanned and all(json.loads(r.raw)["verified"] is False for r in scanned)
        # the scan kept as evidence, one line cut from it, one reading checked (audited)
        assert "the scan kept as evidence" in out and "px PNG" in out
        assert "verified by demo" in out and "left to check" in out
    else:
        assert "skipped: tesseract is not installed" in out


def test_search_finds_a_name_in_the_other_script_after_normalize(cli_case: str,
                                                                  tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["نام", "نام خانوادگی"], ["علی‌اکبر", "حسین‌زاده"],
                                          ["رضا", "کریمی"]])
    run("-C", cli_case, "import", str(path), "-s", "fam")
    # before normalisation only the letters typed can match
    assert json.loads(run("-C", cli_case, "records", "list", "-q", "Hosseinzadeh",
                          "--json").stdout) == []
    run("-C", cli_case, "normalize")
    hits = json.loads(run("-C", cli_case, "records", "list", "-q", "Hoseinzade",
                          "--json").stdout)
    assert [h["fields"]["surname"] for h in hits] == ["حسین‌زاده"]
    hits = json.loads(run("-C", cli_case, "records", "list", "-q", "Karimi", "--json").stdout)
    assert [h["fields"]["given_names"] for h in hits] == ["رضا"]


def test_dry_run_lists_impossible_dates(cli_case: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["نام", "تاریخ اعدام"], ["علی رضایی", "۱۳۶۷/۱۳/۴۰"],
                                          ["حسن احمدی", "۱۳۶۷/۰۵/۱۰"]])
    res = run("-C", cli_case, "import", str(path), "-s", "fam", "--dry-run")
    assert "cannot be a date" in res.stdout and "row 1 (line 2)" in res.stdout
    rep = json.loads(run("-C", cli_case, "import", str(path), "-s", "fam", "--dry-run",
                         "--json", "--death-years", "1979-1985").stdout)
    assert rep["rows_rejected"] == 0
    assert [(w["row"], w["kind"]) for w in rep["date_warnings"]] == [
        (1, "bad_date"), (2, "implausible_date")]
    assert rep["date_checks"][0]["years"] == [1979, 1985]
    res = run("-C", cli_case, "import", str(path), "-s", "fam", "--dry-run",
              "--birth-years", "soon", ok=False)
    assert res.exit_code != 0 and "soon" in res.output


def test_upgrade_says_from_which_revision_to_which(cli_case: str) -> None:
    from dadkhah.names import persian_digits
    from dadkhah.store import Case
    from dadkhah.store._engine import head_revision
    from tests.conftest import downgrade

    head = head_revision()
    with Case.open(cli_case) as case:
        downgrade(case, "0016")
    out = run("-C", cli_case, "upgrade").stdout
    assert f"upgraded from revision 0016 to {head}." in out
    assert f"از بازبینی ۰۰۱۶ به {persian_digits(head)} ارتقا یافت." in out
    out = run("-C", cli_case, "upgrade").stdout
    assert f"already at revision {head}: nothing to upgrade." in out and "از پیش" in out
    assert json.loads(run("-C", cli_case, "upgrade", "--json").stdout) == {
        "from": head, "to": head, "upgraded": False}
