"""`dadkhah import` on a document and `dadkhah export records` with page and box."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.store import Case
from tests.documents.conftest import visual_pdf
from tests.documents.test_import_documents import LINES, SAVED


def _case(tmp_path: Path) -> tuple[CliRunner, str]:
    r = CliRunner()
    loc = str(tmp_path / "c")
    assert r.invoke(app, ["-C", loc, "init"]).exit_code == 0
    assert r.invoke(app, ["-C", loc, "source", "add", "s", "--title", "T (SYNTHETIC)",
                          "--kind", "memoir"]).exit_code == 0
    return r, loc


def test_import_pdf_then_export_records_with_page_and_box(tmp_path: Path) -> None:
    r, loc = _case(tmp_path)
    pdf = visual_pdf(tmp_path / "list.pdf", LINES)
    res = r.invoke(app, ["-C", loc, "import", str(pdf), "-s", "s"])
    assert res.exit_code == 0, res.output
    assert "unverified" in res.output and "page 1: text-repaired" in res.output
    out = tmp_path / "out.csv"
    res = r.invoke(app, ["-C", loc, "export", "records", "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [x["page"] for x in rows] == ["1", "1"]
    assert all(x["box"].endswith(" pt") and len(x["box"].split()) == 5 for x in rows)
    assert {x["verified"] for x in rows} == {"false"}


def test_import_html_with_url_option_and_a_bad_pdf(tmp_path: Path) -> None:
    r, loc = _case(tmp_path)
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    res = r.invoke(app, ["-C", loc, "import", str(page), "-s", "s", "--url",
                         "https://archive.example/x", "--captured-at", "2024-05-01"])
    assert res.exit_code == 0, res.output
    assert "from https://archive.example/x captured 2024-05-01" in res.output
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    res = r.invoke(app, ["-C", loc, "import", str(bad), "-s", "s"])
    assert res.exit_code != 0 and "is not a PDF" in res.output


def test_source_list_counts_the_unchecked_machine_readings(tmp_path: Path) -> None:
    import json

    r, loc = _case(tmp_path)
    assert r.invoke(app, ["-C", loc, "source", "add", "csv", "--title", "L (SYNTHETIC)",
                          "--kind", "ngo_list"]).exit_code == 0
    listed = tmp_path / "l.csv"
    listed.write_text("full_name\nعلی رضایی\n", encoding="utf-8")
    assert r.invoke(app, ["-C", loc, "import", str(listed), "-s", "csv"]).exit_code == 0
    res = r.invoke(app, ["-C", loc, "source", "list", "--json"])
    assert [s["unverified_readings"] for s in json.loads(res.stdout)] == [0, 0]
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    assert r.invoke(app, ["-C", loc, "import", str(page), "-s", "s"]).exit_code == 0
    first = json.loads(r.invoke(app, ["-C", loc, "records", "unverified", "--json"]).stdout)
    rid = first["records"][0]["id"]
    assert r.invoke(app, ["-C", loc, "records", "verify", str(rid)]).exit_code == 0
    res = r.invoke(app, ["-C", loc, "source", "list", "--json"])
    got = {s["slug"]: (s["machine_readings"], s["unverified_readings"])
           for s in json.loads(res.stdout)}
    assert got == {"s": (4, 3), "csv": (0, 0)}
    res = r.invoke(app, ["-C", loc, "source", "list"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "3 of 4" in res.output and "3 machine reading(s) no person has checked" in res.output


def test_a_postgres_case_refuses_a_document_without_an_evidence_folder_first(
        case_location: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The document is kept as evidence after its import; a PostgreSQL case has no folder
    for it, so without --evidence-dir the import is refused before anything is written."""
    if not case_location.startswith("postgresql"):
        pytest.skip("only a PostgreSQL case has no folder (DADKHAH_TEST_PG_URL)")
    monkeypatch.delenv("DADKHAH_EVIDENCE_DIR", raising=False)
    r = CliRunner()
    assert r.invoke(app, ["-C", case_location, "init"]).exit_code == 0
    assert r.invoke(app, ["-C", case_location, "source", "add", "s", "--title",
                          "T (SYNTHETIC)", "--kind", "memoir"]).exit_code == 0
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    with Case.open(case_location) as case:
        before = len(case.audit_entries(limit=1000))
    res = r.invoke(app, ["-C", case_location, "import", str(page), "-s", "s"])
    assert res.exit_code == 1, res.output
    assert "PostgreSQL" in res.output and "--evidence-dir" in res.output
    assert "Traceback" not in res.output
    with Case.open(case_location) as case:
        assert case.count_records() == 0
        assert len(case.audit_entries(limit=1000)) == before  # nothing written
    folder = tmp_path / "evidence"
    res = r.invoke(app, ["-C", case_location, "import", str(page), "-s", "s",
                         "--evidence-dir", str(folder)])
    assert res.exit_code == 0, res.output
    with Case.open(case_location) as case:
        assert case.count_records() == 4
    assert [p for p in folder.rglob("*") if p.is_file()]
