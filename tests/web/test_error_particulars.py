"""Errors' particulars in Persian (issue #17 item 7): where an import's bad row is (file, row,
line, column, value) and the ids, files and dates of the errors users meet in the web's loop
are said in Persian with Persian digits, the English original kept, collapsed.  The errors
are raised by the library itself, so a reworded library message fails here."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_csv
from tests.web.conftest import login, make_client

HEADER = ["نام", "نام خانوادگی", "نام پدر", "سن", "تاریخ اعدام"]
ROWS = [
    ["علی", "رضایی", "حسن", "31", "مرداد ۱۳۶۷"],
    ["زهرا", "کاظمی", "محمد", "بیست‌وپنج سال و اندی", "مرداد ۱۳۶۷"],  # row 2: a bad age
    ["مریم", "نیک‌نام", "رضا", "40", "۱۳۶۷/۱۳/۴۵"],                      # row 3: a bad date
]
LATIN_DIGITS = re.compile(r"[0-9]")


def _visible(html: str) -> str:
    """The text of an HTML fragment, tags removed (``<bdi>`` isolates join their words)."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", html)).split())


def _preview(client: Any, token: str, slug: str, path: Path) -> str:
    r = client.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                    files={"file": (path.name, path.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text[:500]
    return str(r.text)


def _items(html: str, ul_id: str) -> list[str]:
    block = re.search(rf'<ul id="{ul_id}">(.*?)</ul>', html, re.S)
    assert block, f"no {ul_id} list"
    return [_visible(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)]


def test_a_persian_import_preview_says_where_the_bad_rows_are_in_persian(
        fresh_case: Any, tmp_path: Path) -> None:
    from dadkhah.store import Case

    path = write_csv(tmp_path / "list-1367.csv", [HEADER, *ROWS])
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        en = _items(_preview(c, token, slug, path), "import-problems")
        assert len(en) == 1 and "row 2 (line 3)" in en[0] and "'سن'" in en[0]
        c.post("/lang", data={"lang": "fa", "next": "/team/imports", "csrf_token": token})
        html = _preview(c, token, slug, path)
    fa = _items(html, "import-problems")
    assert len(fa) == 1
    text = fa[0]
    # The file, the row and line in Persian digits, the column, the value, and what is wrong.
    assert "list-1367.csv" in text
    assert "ردیف ۲ (خط ۳)" in text and "ستون «سن»" in text
    assert "بیست‌وپنج سال و اندی" in text and "سن عددی از سال‌ها نیست" in text
    assert not LATIN_DIGITS.search(text.replace("list-1367.csv", ""))
    assert "row 2" not in text
    # The English original is there, collapsed.
    original = re.search(r'<details id="import-problems-original">(.*?)</details>', html, re.S)
    assert original and "row 2 (line 3)" in original.group(1)
    # The bad date: a warning, in Persian too, with its row and column.
    dates = _items(html, "date-warnings")
    assert any("ردیف ۳ (خط ۴)" in d and "تاریخ اعدام" in d and "۱۳۶۷/۱۳/۴۵" in d
               for d in dates), dates
    assert 'id="date-warnings-original"' in html


def test_a_persian_error_page_for_a_rejected_import_names_row_and_column(
        fresh_case: Any, tmp_path: Path) -> None:
    """A strict import refused by the library (RowValidationError with every problem),
    shown by the application's own error page."""
    from dadkhah.errors import RowValidationError
    from dadkhah.ingest import import_file
    from dadkhah.store import Case

    path = write_csv(tmp_path / "strict.csv", [HEADER, *ROWS])
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
        with pytest.raises(RowValidationError) as caught:
            import_file(case, path, source=slug, strict=True, by="tests")
    error = caught.value
    assert error.problems
    with make_client(fresh_case.location) as c:
        def boom() -> None:
            raise error

        c.app.add_api_route("/team/test-boom", boom)
        token = login(c, "viewer")
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        r = c.get("/team/test-boom")
        assert r.status_code == 400
        said = re.search(r'<ul class="particulars" id="error-particulars">(.*?)</ul>', r.text,
                         re.S)
        assert said, r.text[:2000]
        text = _visible(said.group(1))
        assert "«strict.csv»، ردیف ۲ (خط ۳)، ستون «سن»" in text
        assert not LATIN_DIGITS.search(text.replace("strict.csv", ""))
        original = re.search(r'<details id="error-original">.*?</details>', r.text, re.S)
        assert original and "row 2 (line 3)" in original.group(0)
        # In English the page keeps the library's message and has no Persian particulars.
        c.post("/lang", data={"lang": "en", "next": "/team/", "csrf_token": token})
        en = c.get("/team/test-boom").text
        assert 'id="error-particulars"' not in en and "row 2 (line 3)" in en


def test_the_loops_common_errors_are_said_in_persian(fresh_case: Any, tmp_path: Path) -> None:
    """Raised by the library: a file imported twice, a list with no name column, an undo of
    a decision that does not exist or was replaced, a person or record that is not there."""
    from dadkhah.errors import DadkhahError, DuplicateImport, MappingError
    from dadkhah.ingest import detect_mapping, import_file
    from dadkhah.ingest.mapping import check_mapping
    from dadkhah.register import get_person, record_decision, undo_decision
    from dadkhah.store import Case
    from dadkhah.web.error_text import error_particulars

    def said(exc: DadkhahError) -> str:
        out = error_particulars("fa", exc)
        assert len(out) == 1, (type(exc).__name__, exc.message)
        assert not LATIN_DIGITS.search(re.sub(r"[\w.-]+\.csv", "", out[0])), out[0]
        return out[0]

    path = write_csv(tmp_path / "twice.csv", [HEADER, *ROWS[:1]])
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
        first = import_file(case, path, source=slug, by="tests")
        with pytest.raises(DuplicateImport) as dup:
            import_file(case, path, source=slug, by="tests")
        text = said(dup.value)
        assert "twice.csv" in text and "پیش‌تر وارد شده" in text
        from dadkhah.names import persian_digits

        assert f"ورود شمارهٔ {persian_digits(str(first.import_id))}" in text
        with pytest.raises(MappingError) as nomap:
            check_mapping(detect_mapping(["ستون الف", "نام پدر"]), ["ستون الف", "نام پدر"],
                          "memoir.csv")
        assert "هیچ ستونی نام را ندارد" in said(nomap.value)
        with pytest.raises(DadkhahError) as gone:
            undo_decision(case, 987654, by="tests", role="editor")
        assert "تصمیمی با شناسهٔ ۹۸۷۶۵۴" in said(gone.value)
        with case.read() as conn:
            records = [r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM source_records ORDER BY id LIMIT 2")]
        d1 = record_decision(case, records[0], records[1], "no_match", by="tests",
                             role="editor")
        record_decision(case, records[0], records[1], "unsure", by="tests", role="editor")
        with pytest.raises(DadkhahError) as replaced:
            undo_decision(case, d1, by="tests", role="editor")
        assert "دیگر معتبر نیست" in said(replaced.value)
        with pytest.raises(DadkhahError) as noperson:
            get_person(case, 987654321)
        assert "فردی با شناسهٔ ۹۸۷۶۵۴۳۲۱" in said(noperson.value)
    # English: nothing added, the library's message is shown as it is.
    assert error_particulars("en", dup.value) == []


def test_a_failed_import_job_says_in_persian_which_import_came_first(
        fresh_case: Any, tmp_path: Path) -> None:
    """The same list imported twice through the web: the second job fails (DuplicateImport);
    its page in Persian says which import, into which source and when, in Persian digits."""
    from dadkhah.names import persian_digits
    from dadkhah.store import Case
    from tests.web.conftest import job_id_of, wait_job

    path = write_csv(tmp_path / "again.csv", [HEADER, *ROWS[:1]])
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        jobs = []
        for _ in range(2):
            html = _preview(c, token, slug, path)
            upload = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload,
                                                      "source": slug})
            jobs.append(job_id_of(r.url))
            wait_job(c, jobs[-1])
        first = wait_job(c, jobs[0])
        assert first["status"] == "done"
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        html = c.get(f"/team/jobs/{jobs[1]}").text
    said = re.search(r'<p id="job-error-particulars">(.*?)</p>', html, re.S)
    assert said, html[html.find('id="job-error"'):][:1500]
    text = _visible(said.group(1))
    assert "again.csv" in text and "پیش‌تر وارد شده" in text
    import_id = first["result"]["import_id"]
    assert f"ورود شمارهٔ {persian_digits(str(import_id))}" in text
    assert not LATIN_DIGITS.search(text.replace("again.csv", ""))
    assert "was already imported" in html  # the English original, collapsed


def test_a_failed_import_job_names_no_import_into_a_source_kept_from_the_importer(
        fresh_case: Any, tmp_path: Path) -> None:
    """The list was imported first into a source restricted to "admin": "editor"'s job for
    the same list fails (DuplicateImport), and its page, in English and in Persian, names
    neither that import, nor its source, date or file name."""
    from dadkhah.access import NOBODY, Viewer
    from dadkhah.ingest import import_file
    from dadkhah.register import restrict
    from dadkhah.store import Case
    from tests.web.conftest import job_id_of, wait_job

    first = write_csv(tmp_path / "secret-first.csv", [HEADER, *ROWS[:1]])
    again = tmp_path / "again.csv"
    again.write_bytes(first.read_bytes())
    with Case.open(fresh_case.location) as case:
        kept, slug = (s.slug for s in case.sources(NOBODY)[:2])
        restrict(case, "source", case.resolve_source_id(kept), users=["admin"], by="admin",
                 role="admin")
        rep = import_file(case, first, source=kept, by="admin", viewer=Viewer("admin", "admin"))
        date = case.imports()[-1].imported_at[:10]
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        html = _preview(c, token, slug, again)
        upload = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload,
                                                  "source": slug})
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "failed", job
        pages = {}
        for lang in ("en", "fa"):
            c.post("/lang", data={"lang": lang, "next": "/team/", "csrf_token": token})
            pages[lang] = c.get(str(r.url)).text
    assert "restricted from you" in pages["en"]
    said = re.search(r'<p id="job-error-particulars">(.*?)</p>', pages["fa"], re.S)
    assert said, pages["fa"][pages["fa"].find('id="job-error"'):][:1500]
    assert "اجازهٔ دیدنش را ندارید" in _visible(said.group(1))
    for page in pages.values():
        for leak in (f"import {rep.import_id} ", kept, date, first.name):
            assert leak not in page, leak
