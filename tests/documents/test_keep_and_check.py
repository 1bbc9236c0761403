"""A document imported as a list is kept as evidence; its lines' images are cut from it; a
person checks readings with ``dadkhah records verify`` (audited, the reading kept)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from dadkhah.casefile import custody_history, keep_document, list_evidence, record_line_image
from dadkhah.cli import app
from dadkhah.documents import line_image, reading_counts, unverified_records
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.ingest import import_file, import_rows
from dadkhah.simulate.scans import ScanSpec, render_scans, write_scans
from dadkhah.store import Case
from tests.documents.conftest import needs_tesseract, visual_pdf
from tests.documents.test_import_documents import LINES


@pytest.fixture(scope="module")
def scan():
    return render_scans(ScanSpec(entries=6, font="dejavu", noise=0.1, skew=0.0), seed=11)


@pytest.fixture(autouse=True)
def _evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a PostgreSQL case has no folder: the evidence store is named (SQLite: the same)
    monkeypatch.setenv("DADKHAH_EVIDENCE_DIR", str(tmp_path / "evidence"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


@needs_tesseract
def test_scan_kept_as_evidence_and_a_line_image_has_its_box_size(case: Case, tmp_path: Path,
                                                                 scan) -> None:
    (png,) = write_scans(scan, tmp_path / "SYNTHETIC-list.png")
    rep = import_file(case, png, source="s1", by="tester")
    kept = keep_document(case, png, source="s1", by="tester")
    assert kept is not None and kept.sha256 == rep.file_sha256 and kept.source == "s1"
    assert kept.kind == "image" and [e.id for e in list_evidence(case)] == [kept.id]
    assert [c.action for c in custody_history(case, kept.id)] == ["evidence.acquire"]
    rec = case.records()[0]
    prov = json.loads(rec.raw)
    left, top, right, bottom = prov["box"]
    w, h = _png_size(record_line_image(case, rec.id, by="tester", role="editor"))
    pad = max(4.0, 0.4 * (bottom - top))
    assert abs(w - (right - left + 2 * pad)) <= 3 and abs(h - (bottom - top + 2 * pad)) <= 3
    # reading the document for the image is custody: logged, the hash checked
    assert custody_history(case, kept.id)[-1].action == "evidence.access"
    # the same bytes again: stored once, the second acquisition logged
    again = keep_document(case, png, source="s1", by="tester")
    assert again is not None and again.already_present and again.id == kept.id
    n = len(unverified_records(case, source="s1"))
    assert n == rep.rows_imported
    (count,) = reading_counts(case)
    assert (count.slug, count.readings, count.unverified) == ("s1", n, n)


def test_pdf_line_image_is_rendered_at_the_dpi_and_cropped(case: Case, tmp_path: Path) -> None:
    pdf = visual_pdf(tmp_path / "list.pdf", LINES)
    pages: list[tuple[int, int]] = []
    import_file(case, pdf, source="s1", by="tester",
                page_progress=lambda done, total: pages.append((done, total)))
    assert pages == [(1, 1)]  # each page reported as it is read
    keep_document(case, pdf, source="s1", by="tester")
    rec = case.records()[0]
    prov = json.loads(rec.raw)
    assert prov["box_unit"] == "pt"
    left, top, right, bottom = prov["box"]
    w, h = _png_size(record_line_image(case, rec.id, by="t", role="viewer", dpi=144))
    pad = max(4.0, 0.4 * (bottom - top) * 2)
    assert abs(w - ((right - left) * 2 + 2 * pad)) <= 3
    assert abs(h - ((bottom - top) * 2 + 2 * pad)) <= 3
    with pytest.raises(NotFound, match="page 3"):
        line_image(pdf.read_bytes(), 3, prov["box"], box_unit="pt")


def test_no_line_image_without_a_page_or_a_kept_document(case: Case, tmp_path: Path) -> None:
    import_rows(case, [{"full_name": "علی رضایی"}], source="s1", by="t")
    with pytest.raises(InvalidInput, match="row of a list file"):
        record_line_image(case, case.records()[0].id, by="t", role="editor")
    pdf = visual_pdf(tmp_path / "list.pdf", LINES)
    import_file(case, pdf, source="s1", by="tester")  # read, but not kept
    with pytest.raises(NotFound, match="not kept in the evidence store"):
        record_line_image(case, case.records()[-1].id, by="t", role="editor")
    # a file that is no document is not kept
    csv = tmp_path / "l.csv"
    csv.write_text("full_name\nعلی\n", encoding="utf-8")
    assert keep_document(case, csv, source="s1", by="t") is None


def _cli_case(tmp_path: Path) -> tuple[CliRunner, str, Path]:
    r = CliRunner()
    loc = str(tmp_path / "c")
    assert r.invoke(app, ["-C", loc, "init"]).exit_code == 0
    assert r.invoke(app, ["-C", loc, "source", "add", "s", "--title", "T (SYNTHETIC)",
                          "--kind", "memoir"]).exit_code == 0
    pdf = visual_pdf(tmp_path / "list.pdf", LINES)
    res = r.invoke(app, ["-C", loc, "import", str(pdf), "-s", "s"])
    assert res.exit_code == 0, res.output
    assert "Kept as evidence 1" in res.output
    return r, loc, pdf


def test_cli_verify_is_audited_keeps_the_reading_and_errors_write_nothing(
        tmp_path: Path) -> None:
    r, loc, _ = _cli_case(tmp_path)
    res = r.invoke(app, ["-C", loc, "records", "unverified", "-s", "s"])
    assert res.exit_code == 0, res.output
    assert "s: 2 of 2 machine reading(s) unverified" in res.output
    case = Case.open(loc)
    try:
        (ev,) = list_evidence(case)
        rec = case.records()[0]
        raw, n_audit = rec.raw, len(case.audit_entries(limit=1000))
    finally:
        case.close()
    bad = [(["records", "verify", "999"], "No source record 999"),
           (["records", "verify", str(rec.id), "--set", "shoe_size=42"], "shoe_size"),
           (["records", "verify", str(rec.id), "--set", "noequals"], "FIELD=VALUE")]
    for args, msg in bad:
        res = r.invoke(app, ["-C", loc, *args])
        assert res.exit_code != 0 and msg in res.output, res.output
    res = r.invoke(app, ["-C", loc, "--user", "checker", "records", "verify", str(rec.id),
                         "--set", "full_name=علی رضایی", "--note", "against page 1"])
    assert res.exit_code == 0, res.output
    assert "verified by checker" in res.output
    case = Case.open(loc)
    try:
        entries = case.audit_entries(limit=1000)
        assert len(entries) == n_audit + 1  # the errors wrote nothing
        assert entries[0].action == "record.verify" and entries[0].actor == "checker"
        after = case.record(rec.id)
        assert after.raw == raw and after.fields["full_name"] == "علی رضایی"
        assert json.loads(entries[0].details)["reading"] == json.loads(raw)["reading"]
        assert unverified_records(case) == [case.records()[1].id]
        assert ev.sha256 == json.loads(raw)["file_sha256"]
    finally:
        case.close()
    res = r.invoke(app, ["-C", loc, "records", "unverified", "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["unverified"] == 1


def test_cli_verify_refuses_a_list_row(tmp_path: Path) -> None:
    r, loc, _ = _cli_case(tmp_path)
    csv = tmp_path / "l.csv"
    csv.write_text("full_name\nعلی\n", encoding="utf-8")
    assert r.invoke(app, ["-C", loc, "import", str(csv), "-s", "s"]).exit_code == 0
    res = r.invoke(app, ["-C", loc, "records", "verify", "3", "--accept-proposals"])
    assert res.exit_code != 0 and "not read from a document" in res.output
