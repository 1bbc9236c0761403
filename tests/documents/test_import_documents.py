"""`import_file` on documents: born-digital PDFs (reversed text repaired), saved web pages,
and files that are not what they say, which give one clear error and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dadkhah.errors import DuplicateImport, IngestError
from dadkhah.ingest import import_file
from dadkhah.store import Case
from dadkhah.store.tables import AuditEntry, Import, RejectedRow, SourceRecord
from tests.documents.conftest import visual_pdf

ZWNJ = "\u200c"
LINES = ["فهرست اعدام‌شدگان",
         "۱. علی‌اصغر رضایی، فرزند حسن، زندان اوین، اعدام ۱۳۶۷/۰۵/۱۰",
         "۲. مریم احمدی، فرزند محمود، متولد ۱۳۴۰، زندان گوهردشت، اهل کرج، اعدام ۱۰ شهریور ۱۳۶۷"]


def _state(case: Case) -> tuple[int, int, int, int]:
    with case.read() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (Import, SourceRecord, RejectedRow, AuditEntry))


def test_born_digital_pdf_with_reversed_presentation_forms(case: Case, tmp_path: Path) -> None:
    pdf = visual_pdf(tmp_path / "list.pdf", LINES)
    rep = import_file(case, pdf, source="s1", by="tester")
    assert rep.file_format == "pdf"
    assert (rep.rows_imported, rep.rows_rejected) == (2, 1)  # the heading has no name
    page = rep.document["pages"][0]
    assert page["method"] == "text-repaired" and "reversed" in page["reason"]
    recs = case.records()
    f = recs[0].fields
    assert f["full_name"] == f"علی{ZWNJ}اصغر رضایی"  # reading order, ZWNJ restored
    assert (f["external_id"], f["father_name"], f["prison"], f["death_date"]) == (
        "۱", "حسن", "زندان اوین", "۱۳۶۷/۰۵/۱۰")
    g = recs[1].fields
    assert (g["full_name"], g["birth_date"], g["city"], g["death_date"]) == (
        "مریم احمدی", "۱۳۴۰", "کرج", "۱۰ شهریور ۱۳۶۷")
    raw = json.loads(recs[0].raw)
    assert raw["reading"].startswith("۱. علی") and raw["verified"] is False
    assert raw["page"] == 1 and raw["box_unit"] == "pt" and raw["method"] == "text-repaired"
    x0, top, x1, bottom = raw["box"]
    # fpdf2 put the line's baseline at y = 40 mm from the top, x from 20 mm
    assert abs(x0 - 20 * 72 / 25.4) < 2 and top < 40 * 72 / 25.4 < bottom + 3
    assert raw["file_sha256"] == rep.file_sha256
    # the heading is kept too, as a rejected row with its reading
    with case.read() as conn:
        rejected = conn.execute(select(RejectedRow.raw)).scalar_one()
    # (its ZWNJ is lost in the PDF and is no name's, so it stays lost)
    assert json.loads(rejected)["reading"] == "فهرست اعدامشدگان"
    with pytest.raises(DuplicateImport):
        import_file(case, pdf, source="s1", by="tester")


def test_base_letters_in_visual_order_are_reversed_by_the_lexicon(case: Case,
                                                                  tmp_path: Path) -> None:
    pdf = visual_pdf(tmp_path / "plain.pdf", LINES[1:2], presentation_forms=False)
    import_file(case, pdf, source="s1", by="tester")
    assert case.records()[0].fields["full_name"] == f"علی{ZWNJ}اصغر رضایی"


SAVED = """<!DOCTYPE html>
<!-- saved from url=(0038)https://example.org/lists/1988-fa.html -->
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>فهرست</title>
<meta property="article:modified_time" content="2019-03-02T10:00:00Z"></head>
<body><h1>فهرست اعدام‌شدگان (ساختگی)</h1>
<table>
<tr><th>ردیف</th><th>نام و نام خانوادگی</th><th>نام پدر</th><th>زندان</th><th>تاریخ اعدام</th></tr>
<tr><td>۱</td><td>حسن کریمی</td><td>علی</td><td>اوین</td><td>۱۳۶۷/۰۵/۱۲</td></tr>
<tr><td>۲</td><td>زهرا موسوی</td><td>جواد</td><td>گوهردشت</td><td>۱۳۶۷/۰۶/۰۱</td></tr>
</table>
<ol><li>رضا نادری، فرزند جمشید، زندان وکیل‌آباد، اعدام ۱۰ مرداد ۱۳۶۷</li>
<li>سارا احمدی، فرزند مهدی، اعدام ۱۳۶۷/۰۵/۲۰</li></ol>
<script>var x = "۱. نه یک نام";</script>
</body></html>"""


def test_saved_web_page_with_a_table_and_a_list(case: Case, tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    rep = import_file(case, page, source="s1", by="tester")
    assert (rep.rows_imported, rep.rows_rejected) == (4, 0)
    assert rep.document["url"] == "https://example.org/lists/1988-fa.html"
    assert rep.document["captured_at"] == "2019-03-02T10:00:00Z"
    recs = case.records()
    f = [r.fields for r in recs]
    assert [x["full_name"] for x in f] == ["حسن کریمی", "زهرا موسوی", "رضا نادری", "سارا احمدی"]
    assert (f[0]["external_id"], f[0]["father_name"], f[0]["prison"], f[0]["death_date"]) == (
        "۱", "علی", "اوین", "۱۳۶۷/۰۵/۱۲")
    assert (f[2]["external_id"], f[2]["father_name"], f[2]["prison"], f[2]["death_date"]) == (
        "1", "جمشید", "زندان وکیل‌آباد", "۱۰ مرداد ۱۳۶۷")  # the number the browser shows
    raw = [json.loads(r.raw) for r in recs]
    assert raw[1]["locator"] == "table 1, row 3" and raw[3]["locator"] == "list 1, item 2"
    assert all(r["url"] == "https://example.org/lists/1988-fa.html" for r in raw)
    assert raw[0]["box"] is None and raw[0]["method"] == "html" and raw[0]["verified"] is False


def test_given_url_and_capture_time_win(case: Case, tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    rep = import_file(case, page, source="s1", by="tester", url="https://archive.example/x",
                      captured_at="2024-05-01T09:00:00Z")
    assert rep.document["url"] == "https://archive.example/x"
    assert json.loads(case.records()[0].raw)["captured_at"] == "2024-05-01T09:00:00Z"


def _bad_pdfs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    from fpdf import FPDF

    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("name,prison\nعلی,اوین\n", encoding="utf-8")
    empty_file = tmp_path / "empty.pdf"
    empty_file.write_bytes(b"")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n")
    blank = tmp_path / "blank.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(blank))
    enc = visual_pdf(tmp_path / "locked.pdf", LINES, encrypt="secret")
    return {"not a PDF": (not_pdf, "is not a PDF"), "empty file": (empty_file, "is not a PDF"),
            "damaged": (damaged, "damaged PDF"), "blank": (blank, "no text was found"),
            "encrypted": (enc, "encrypted with a password")}


@pytest.mark.parametrize("kind", ["not a PDF", "empty file", "damaged", "blank", "encrypted"])
def test_bad_pdfs_give_one_clear_error_and_write_nothing(case: Case, tmp_path: Path,
                                                         kind: str) -> None:
    path, message = _bad_pdfs(tmp_path)[kind]
    before = _state(case)
    with pytest.raises(IngestError, match=message) as err:
        import_file(case, path, source="s1", by="tester")
    assert "nothing was imported" in str(err.value) and err.value.hint
    assert _state(case) == before


def test_an_unreadable_image_gives_one_clear_error(case: Case, tmp_path: Path) -> None:
    img = tmp_path / "scan.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    before = _state(case)
    with pytest.raises(IngestError, match="not a readable image"):
        import_file(case, img, source="s1", by="tester")
    assert _state(case) == before
