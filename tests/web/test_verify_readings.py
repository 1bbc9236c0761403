"""Checking machine readings in the workspace (issue 18): the verification page, its line
images from the document kept as evidence, roles, CSRF and restricted sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah.casefile import keep_document
from dadkhah.documents import unverified_records
from dadkhah.ingest import import_file
from dadkhah.register import restrict
from dadkhah.store import Case
from tests.documents.conftest import visual_pdf
from tests.documents.test_import_documents import LINES
from tests.web.conftest import login, make_client


def _with_document(location: str, tmp_path: Path) -> list[int]:
    """Source ``doc`` read from a born-digital PDF (SYNTHETIC), its file kept as evidence."""
    pdf = visual_pdf(tmp_path / "SYNTHETIC-list.pdf", LINES)
    with Case.open(location) as case:
        case.add_source(slug="doc", title="A list read from a PDF (SYNTHETIC)", kind="memoir",
                        by="tests")
        import_file(case, pdf, source="doc", by="tests")
        keep_document(case, pdf, source="doc", by="tests")
        return unverified_records(case, source="doc")


@pytest.fixture
def doc_case(fresh_case, tmp_path: Path):
    fresh_case.records = _with_document(fresh_case.location, tmp_path)
    return fresh_case


def _actions(location: str, n: int = 5) -> list[str]:
    with Case.open(location, read_only=True) as case:
        return [e.action for e in case.audit_entries(limit=n) if e.action != "rows.sealed"]


def test_an_editor_checks_readings_one_after_another(doc_case) -> None:
    loc, (first, second) = doc_case.location, doc_case.records
    with make_client(loc) as c:
        token = login(c, "editor")
        sources = c.get("/team/sources").text
        assert 'href="/team/verify?source=doc" data-unverified="2"' in sources
        assert 'data-unverified="2"' in c.get("/team/imports").text
        page = c.get("/team/verify?source=doc")
        assert page.status_code == 200
        assert f'src="/team/records/{first}/line.png"' in page.text
        assert 'data-shortcut="a"' in page.text and 'accesskey="n"' in page.text
        img = c.get(f"/team/records/{first}/line.png")
        assert img.status_code == 200 and img.headers["content-type"] == "image/png"
        assert img.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert _actions(loc, 1) == ["evidence.access"]  # custody of the document's bytes
        # without the CSRF token, nothing is written
        r = c.post("/team/verify", data={"record_id": first, "source": "doc",
                                         "action": "accept"}, follow_redirects=False)
        assert r.status_code == 403
        assert _actions(loc, 1) == ["evidence.access"]
        r = c.post("/team/verify", data={"record_id": first, "source": "doc", "action": "accept",
                                         "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303 and f"after={first}" in r.headers["location"]
        assert _actions(loc, 1) == ["record.verify"]
        nxt = c.get(r.headers["location"])
        assert f'data-record="{second}"' in nxt.text and 'id="verify-done"' in nxt.text
        with Case.open(loc, read_only=True) as case:
            before = case.record(second)
        r = c.post("/team/verify", data={"record_id": second, "source": "doc",
                                         "action": "save", "csrf_token": token,
                                         "full_name": "نام درست‌شده",
                                         "prison": before.fields["prison"] or ""},
                   follow_redirects=False)
        assert r.status_code == 303
        with Case.open(loc, read_only=True) as case:
            after = case.record(second)
            entry = case.audit_entries(limit=2)
            assert unverified_records(case, source="doc") == []
        assert after.fields["full_name"] == "نام درست‌شده" and after.raw == before.raw
        d = json.loads(next(e for e in entry if e.action == "record.verify").details)
        assert list(d["changes"]) == ["full_name"]  # only the field changed
        assert 'id="all-checked"' in c.get("/team/verify?source=doc").text


def test_roles_and_a_restricted_source(doc_case) -> None:
    loc, (first, _) = doc_case.location, doc_case.records
    with make_client(loc) as c:
        token = login(c, "viewer")
        assert c.get("/team/verify?source=doc").status_code == 403
        r = c.post("/team/verify", data={"record_id": first, "source": "doc",
                                         "action": "accept", "csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 403
    with Case.open(loc) as case:
        sid = case.resolve_source_id("doc")
        restrict(case, "source", sid, users=["reviewer"], by="tests", role="admin")
        n = len(case.audit_entries(limit=100_000))
    with make_client(loc) as c:
        token = login(c, "editor")
        assert c.get(f"/team/records/{first}/line.png").status_code == 404
        assert c.get("/team/verify?source=doc").status_code == 404
        r = c.post("/team/verify", data={"record_id": first, "source": "doc",
                                         "action": "accept", "csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 404
        assert "data-unverified" not in c.get("/team/sources").text
    with Case.open(loc, read_only=True) as case:
        # the editor's login is the one entry: nothing read, nothing verified
        assert [e.action for e in case.audit_entries(limit=100_000)[:-n]
                if e.action != "rows.sealed"] == ["user.login"]


def test_the_verification_page_in_persian(doc_case) -> None:
    with make_client(doc_case.location) as c:
        token = login(c, "editor")
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        html = c.get("/team/verify?source=doc").text
        assert '<html lang="fa" dir="rtl">' in html
        assert "بازبینی خوانش‌های ماشینی" in html and "پذیرش چنان‌که خوانده شد" in html
