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
from tests.documents.conftest import needs_tesseract, visual_pdf
from tests.documents.test_import_documents import LINES
from tests.web.conftest import job_id_of, login, make_client, wait_job


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


@needs_tesseract
def test_a_scan_uploaded_is_read_in_a_job_and_kept_as_evidence(fresh_case, tmp_path) -> None:
    from dadkhah.casefile import custody_history, list_evidence
    from dadkhah.simulate.scans import ScanSpec, render_scans, write_scans

    loc = fresh_case.location
    doc = render_scans(ScanSpec(entries=5, font="dejavu", noise=0.1, skew=0.0), seed=3)
    (png,) = write_scans(doc, tmp_path / "SYNTHETIC-scan.png")
    with Case.open(loc) as case:
        case.add_source(slug="scan", title="Scan (SYNTHETIC)", kind="memoir", by="tests")
    with make_client(loc) as c:
        token = login(c, "editor")
        r = c.post("/team/imports/preview", data={"source": "scan", "csrf_token": token},
                   files={"file": (png.name, png.read_bytes(), "image/png")})
        assert r.status_code == 200, r.text[:500]
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "done", job
        result = job["result"]
        assert result["document"] == "image" and result["rows_imported"] >= 4
        page = c.get(str(r.url)).text
        assert 'id="go-verify"' in page and 'id="document-kept"' in page
        assert 'href="/team/verify?source=scan"' in page
        verify = c.get("/team/verify?source=scan").text
        assert 'id="line-image"' in verify
    with Case.open(loc, read_only=True) as case:
        (ev,) = list_evidence(case, viewer=None)
        assert ev.id == result["evidence_id"] and ev.original_name == png.name
        assert ev.source == "scan" and ev.kind == "image"
        assert [e.action for e in custody_history(case, ev.id)] == ["evidence.acquire"]
        assert custody_history(case, ev.id)[0].by == "editor"
        rec = case.records(source="scan")[0]
        assert json.loads(rec.raw)["file_sha256"] == ev.sha256


def test_the_person_page_tells_machine_readings_apart(doc_case) -> None:
    from dadkhah.documents import reading_states, verify_entry
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import iter_person_records, normalize_case

    loc, (first, second) = doc_case.location, doc_case.records
    with Case.open(loc) as case:
        verify_entry(case, second, by="tests")
        assert reading_states(case, [first, second, 1]) == {first: "unverified",
                                                            second: "verified"}
        normalize_case(case, by="tests")
        link_case(case, by="tests")
        person = {r["record_id"]: r["person_id"] for r in iter_person_records(case)}
    with make_client(loc) as c:
        login(c, "editor")
        html = c.get(f"/team/persons/{person[first]}").text
        assert 'data-reading="unverified"' in html
        assert f'href="/team/verify?source=doc&amp;record={first}"' in html
        assert 'data-reading="verified"' in c.get(f"/team/persons/{person[second]}").text
        html = c.get(f"/team/persons/{person[1]}").text  # a list row: no tag
        assert "data-reading" not in html


def test_a_restriction_set_while_a_document_job_runs_leaves_the_case_as_it_was(
        fresh_case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF's bytes are an evidence item the editor may see when the upload and the job
    ask; an admin restricts it right after the job's check, before the import stores
    anything: the job fails ("restricted from you") and the case holds no import, record or
    custody entry of it (the document is kept in the import's own transaction)."""
    import dadkhah.casefile as cf
    from tests.casefile.test_restrict_writers import _stored

    loc = fresh_case.location
    pdf = visual_pdf(tmp_path / "SYNTHETIC-list.pdf", LINES)
    with Case.open(loc) as case:
        case.add_source(slug="doc", title="A list read from a PDF (SYNTHETIC)", kind="memoir",
                        by="tests")
        item = cf.add_evidence(case, pdf, title="Informant's list (SYNTHETIC)", by="admin")
        before = _stored(case)
    checked, asked = cf.check_document_keepable, []

    def check_then_restrict(case: Case, path, **kw) -> None:  # type: ignore[no-untyped-def]
        checked(case, path, **kw)
        asked.append(path)
        if len(asked) == 2:  # the job's own check: restricted just after it
            restrict(case, "evidence", item.id, users=["admin"], by="admin", role="admin")

    monkeypatch.setattr(cf, "check_document_keepable", check_then_restrict)
    with make_client(loc) as c:
        token = login(c, "editor")
        r = c.post("/team/imports/preview", data={"source": "doc", "csrf_token": token},
                   files={"file": ("bobs-copy.pdf", pdf.read_bytes(), "application/pdf")})
        assert r.status_code == 200, r.text[:500]
        job = wait_job(c, job_id_of(r.url))
    assert len(asked) == 2
    assert job["status"] == "failed" and "restricted from you" in job["error"], job
    with Case.open(loc, read_only=True) as case:
        assert _stored(case) == before
