"""Background jobs (web workspace): started, followed and cancelled over the API and pages;
a job that fails or is cancelled leaves the case as it was; a restart marks the jobs it
interrupted; roles are respected.  Real SQLite case, real import and linkage."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import write_csv
from tests.web.conftest import job_id_of, login, make_client, wait_job


def _counts(location: str) -> dict[str, int]:
    """Rows of every table a job's work could change (the audit log without job and login
    entries)."""
    from dadkhah.store import Case
    from dadkhah.store.tables import (
        AuditEntry,
        Decision,
        Import,
        LinkRun,
        Person,
        PersonRecord,
        RejectedRow,
        SourceRecord,
        StoredEstimate,
    )

    with Case.open(location) as case, case.read() as conn:
        out = {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar()
               for t in (Import, SourceRecord, RejectedRow, LinkRun, Person, PersonRecord,
                         Decision, StoredEstimate)}
        out["audit (not jobs)"] = conn.execute(
            select(func.count()).select_from(AuditEntry)
            .where(~AuditEntry.action.like("job.%"),
                   ~AuditEntry.action.like("user.login%"))).scalar()  # logins are logged
    return out


def _bearer(wc, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {wc.tokens[role]}"}


def test_a_relink_job_runs_in_the_background_and_reports_its_result(fresh_case) -> None:
    from dadkhah.register import count_persons
    from dadkhah.store import Case

    with make_client(fresh_case.location) as c:
        r = c.post("/api/jobs", json={"kind": "link"}, headers=_bearer(fresh_case, "reviewer"))
        assert r.status_code == 202, r.text
        job = r.json()
        assert job["status"] in ("queued", "running") and job["created_by"] == "reviewer"
        done = wait_job(c, job["id"], headers=_bearer(fresh_case, "reviewer"))
        assert done["status"] == "done", done
        listed = c.get("/api/jobs", headers=_bearer(fresh_case, "viewer")).json()
        assert [j["id"] for j in listed][:1] == [job["id"]]  # who started what, for anyone
    with Case.open(fresh_case.location) as case:
        assert done["result"]["persons"] == count_persons(case)
        assert done["result"]["run_id"] == latest_run(case)
    # Another server over the same case (a reload after a restart) sees the same job.
    with make_client(fresh_case.location) as c:
        again = c.get(f"/api/jobs/{job['id']}", headers=_bearer(fresh_case, "viewer")).json()
        assert again["status"] == "done" and again["result"] == done["result"]


def latest_run(case):  # type: ignore[no-untyped-def]
    from dadkhah.register import register_version

    return register_version(case)[0]


def test_roles_decide_who_starts_which_job(fresh_case) -> None:
    with make_client(fresh_case.location) as c:
        viewer = c.post("/api/jobs", json={"kind": "link"}, headers=_bearer(fresh_case, "viewer"))
        assert viewer.status_code == 403
        # A reviewer relinks (decisions apply then) but does not recompute estimates.
        est = c.post("/api/jobs", json={"kind": "estimate"},
                     headers=_bearer(fresh_case, "reviewer"))
        assert est.status_code == 403 and "write" in est.json()["error"]
        bad = c.post("/api/jobs", json={"kind": "import"}, headers=_bearer(fresh_case, "admin"))
        assert bad.status_code == 422  # imports start from their preview, with a file
        assert c.get("/api/jobs").status_code == 401
    from dadkhah.store import Case
    from dadkhah.store.jobs import list_jobs

    with Case.open(fresh_case.location) as case:
        assert list_jobs(case) == []


def _upload(c, token: str, slug: str, path: Path):  # type: ignore[no-untyped-def]
    return c.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                  files={"file": (path.name, path.read_bytes(), "text/csv")})


def test_a_cancelled_import_leaves_the_case_as_it_was(fresh_case, tmp_path) -> None:
    """Cancelled once its rows are written, inside the import's one transaction (before its
    audit entry): nothing of it stays.  Run in this thread with run_one, so the moment is exact."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job, submit_job
    from dadkhah.web.jobs import JobRunner

    rows = [["full_name", "death_date", "prison"]] + [
        [f"Test Person {i} (SYNTHETIC)", "1988-08-05", "Evin"] for i in range(3000)]
    csv = write_csv(tmp_path / "long-list.csv", rows)
    uploads = tmp_path / "uploads"
    (uploads / "tok").mkdir(parents=True)
    shutil.copy(csv, uploads / "tok" / csv.name)
    before = _counts(fresh_case.location)
    case = Case.open(fresh_case.location)
    try:
        slug = case.sources()[0].slug
        runner = JobRunner(case, output_dir=tmp_path / "out", upload_dir=uploads)
        # Queued without waking a runner thread: this test runs the job itself.
        job = submit_job(case, "import", {"token": "tok", "file": csv.name, "source": slug},
                         by="editor")
        seen: list[float | None] = []
        real = runner._progress

        def cancel_midway(ctx, fraction, message):  # type: ignore[no-untyped-def]
            # Called after a batch of rows was inserted, inside the import's transaction.
            seen.append(fraction)
            runner._cancel.add(ctx.job.id)  # as runner.cancel does, minus its own write
            real(ctx, fraction, message)

        runner._progress = cancel_midway  # type: ignore[method-assign]
        assert runner.run_one()
        stored = get_job(case, job.id)
        runner.stop()
    finally:
        case.close()
    assert len(seen) == 1 and seen[0] is not None and seen[0] > 0, seen  # rows were written
    assert stored.status == "cancelled" and "nothing it was writing was kept" in stored.error
    assert _counts(fresh_case.location) == before


def test_a_failed_import_job_says_why_and_changes_nothing(fresh_case, tmp_path) -> None:
    """A file whose name column is left unmapped fails in the job (as a stale mapping
    would), with the reason and a hint; the case is untouched."""
    csv = write_csv(tmp_path / "odd.csv", [["ستون الف", "زندان"], ["علی رضایی", "اوین"]])
    before = _counts(fresh_case.location)
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        from dadkhah.store import Case

        with Case.open(fresh_case.location) as case:
            slug = case.sources()[0].slug
        r = _upload(c, token, slug, csv)
        # The preview cannot map a name: it says so in the page, with the editor, not an
        # error page, and offers no import button.
        assert r.status_code == 400 and 'id="mapping-problem"' in r.text
        assert 'id="mapping-editor"' in r.text and 'id="confirm-import"' not in r.text
        upload = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
        # Confirming anyway (a hand-made request) runs a job that fails cleanly.
        r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload,
                                                   "source": slug})
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "failed" and "no column holds a name" in job["error"]
        assert job["hint"]
        page = c.get(f"/team/jobs/{job['id']}").text
        assert 'id="job-error"' in page and "The case was left as it was" in page
        assert job["result"] == {"error_kind": "MappingError"}
        # in Persian, the page leads with what kind of failure it was, in Persian
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        page = c.get(f"/team/jobs/{job['id']}").text
        from dadkhah.web.i18n import catalog

        assert 'id="job-error-kind"' in page
        assert catalog("fa")["error.kind.MappingError"] in page
        assert "no column holds a name" in page  # the particulars are kept as the detail
    assert _counts(fresh_case.location) == before


def test_the_mapping_editor_maps_an_unknown_persian_header(fresh_case, tmp_path) -> None:
    from dadkhah.ingest import load_mapping
    from dadkhah.store import Case

    csv = write_csv(tmp_path / "odd-headers.csv", [
        ["ستون الف", "زندان", "تاریخ اعدام"],
        ["مهدی سلطانی (SYNTHETIC)", "اوین", "۱۳۶۷/۰۵/۱۰"],
        ["سیما رضایی (SYNTHETIC)", "گوهردشت", "۱۳۶۷/۰۶/۰۲"]])
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        with Case.open(fresh_case.location) as case:
            slug = case.sources()[0].slug
            imports_before = len(case.imports())
        r = _upload(c, token, slug, csv)
        upload = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
        # The known headers are preselected; the unknown one is offered unmapped.
        assert re.search(r'<select name="col1" id="col1" data-field="prison">', r.text)
        assert re.search(r'<select name="col0" id="col0" data-field="">', r.text)
        r = c.post("/team/imports/mapping", data={
            "csrf_token": token, "token": upload, "source": slug,
            "col0": "full_name", "col1": "prison", "col2": "death_date"})
        assert r.status_code == 200, r.text[:300]
        assert "مهدی سلطانی" in r.text and 'id="confirm-import"' in r.text
        toml = c.get(f"/team/imports/mapping.toml?token={upload}")
        assert toml.status_code == 200
        mapping_file = tmp_path / "mapping.toml"
        mapping_file.write_bytes(toml.content)
        # The file the CLI reads: the same mapping.
        assert load_mapping(mapping_file).columns == {
            "full_name": "ستون الف", "prison": "زندان", "death_date": "تاریخ اعدام"}
        twice = c.post("/team/imports/mapping", data={
            "csrf_token": token, "token": upload, "source": slug,
            "col0": "full_name", "col1": "full_name"})
        assert twice.status_code == 400 and "Two columns are mapped to Full name" in twice.text
        r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload,
                                                   "source": slug})
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "done" and job["result"]["rows_imported"] == 2, job
    with Case.open(fresh_case.location) as case:
        assert len(case.imports()) == imports_before + 1
        names = [rec.fields["full_name"] for rec in case.records(source=slug)[-2:]]
    assert names == ["مهدی سلطانی (SYNTHETIC)", "سیما رضایی (SYNTHETIC)"]


def test_the_mapping_editor_of_a_wide_sheet_lists_mapped_columns_and_counts_the_rest(
        fresh_case, tmp_path) -> None:
    """A 1,000-column sheet: the editor offers its first EDITOR_COLUMNS columns and the
    mapped ones beyond them (the name at column 700), and says how many it left out."""
    from dadkhah.store import Case
    from dadkhah.web.team import EDITOR_COLUMNS

    header = [f"extra {i}" for i in range(1000)]
    header[700], header[850] = "full_name", "death_date"
    row = ["x"] * 1000
    row[700], row[850] = "Test Person (SYNTHETIC)", "1988-08-05"
    csv = write_csv(tmp_path / "wide.csv", [header, row])
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        with Case.open(fresh_case.location) as case:
            slug = case.sources()[0].slug
        r = _upload(c, token, slug, csv)
        assert r.status_code == 200, r.text[:300]
        selects = re.findall(r'<select name="col(\d+)"', r.text)
        assert [int(i) for i in selects] == [*range(EDITOR_COLUMNS), 700, 850]
        assert re.search(r'<select name="col700" id="col700" data-field="full_name">', r.text)
        left_out = 1000 - EDITOR_COLUMNS - 2
        assert f"{left_out:,} more columns are not listed" in r.text
        upload = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
        # Checking again with the editor's form keeps the mapped columns beyond the cut.
        r = c.post("/team/imports/mapping", data={
            "csrf_token": token, "token": upload, "source": slug,
            "col700": "full_name", "col850": "death_date", "col3": "prison"})
        assert r.status_code == 200 and 'id="confirm-import"' in r.text
        assert re.search(r'<select name="col3" id="col3" data-field="prison">', r.text)


def test_a_restart_marks_the_job_it_interrupted(fresh_case) -> None:
    from dadkhah.store import Case
    from dadkhah.store.jobs import claim_job, get_job, submit_job

    with Case.open(fresh_case.location) as case:
        job = submit_job(case, "link", {}, by="reviewer")
        # A runner in a process that is gone (no such pid on this host).
        import socket

        claim_job(case, f"{socket.gethostname()[:100]}:999999999:{secrets.token_hex(4)}")
    with make_client(fresh_case.location) as c:
        j = c.get(f"/api/jobs/{job.id}", headers=_bearer(fresh_case, "viewer")).json()
    assert j["status"] == "failed" and j["error"].startswith("Interrupted")
    with Case.open(fresh_case.location) as case:
        assert get_job(case, job.id).finished


def test_a_queued_job_is_cancelled_at_once_and_audited(fresh_case) -> None:
    from dadkhah.store import Case
    from dadkhah.store.jobs import submit_job
    from dadkhah.store.tables import AuditEntry

    with make_client(fresh_case.location) as c:
        c.app.state.jobs.stop()  # no runner takes the job: it stays queued until cancelled
        with Case.open(fresh_case.location) as case:
            job = submit_job(case, "estimate", {}, by="editor")
        r = c.post(f"/api/jobs/{job.id}/cancel", headers=_bearer(fresh_case, "editor"))
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        viewer = c.post(f"/api/jobs/{job.id}/cancel", headers=_bearer(fresh_case, "viewer"))
        assert viewer.status_code == 403
    with Case.open(fresh_case.location) as case, case.read() as conn:
        acts = conn.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.details)
                            .where(AuditEntry.action.like("job.%"))
                            .order_by(AuditEntry.id)).all()
    assert [(a, b) for a, b, _ in acts] == [("editor", "job.submit"), ("editor", "job.cancel")]
    assert json.loads(acts[-1][2])["job"] == job.id


def test_the_page_and_the_api_cancel_under_one_rule(fresh_case) -> None:
    """A reviewer may start link jobs but not estimates: neither the page nor the API lets
    them cancel an editor's estimate; the editor cancels it from the page."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job, submit_job

    with make_client(fresh_case.location) as c:
        c.app.state.jobs.stop()  # no runner takes the jobs: they stay queued until cancelled
        with Case.open(fresh_case.location) as case:
            job = submit_job(case, "estimate", {}, by="editor")
        api = c.post(f"/api/jobs/{job.id}/cancel", headers=_bearer(fresh_case, "reviewer"))
        assert api.status_code == 403 and "may not cancel" in api.json()["error"]
        token = login(c, "reviewer")
        page = c.post(f"/team/jobs/{job.id}/cancel", data={"csrf_token": token},
                      follow_redirects=False)
        assert page.status_code == 403
        with Case.open(fresh_case.location) as case:
            assert get_job(case, job.id).status == "queued"
        c.cookies.clear()
        token = login(c, "editor")
        r = c.post(f"/team/jobs/{job.id}/cancel", data={"csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/team/jobs/{job.id}"
    with Case.open(fresh_case.location) as case:
        assert get_job(case, job.id).status == "cancelled"


def test_the_job_page_polls_while_running_and_stops_when_done(fresh_case) -> None:
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        r = c.post("/team/jobs", data={"csrf_token": token, "kind": "link"})
        job_id = job_id_of(r.url)
        first = r.text
        assert 'id="job"' in first
        wait_job(c, job_id)
        frag = c.get(f"/team/jobs/{job_id}", headers={"HX-Request": "true"}).text
        assert frag.lstrip().startswith('<div id="job"') and "hx-trigger" not in frag
        assert 'data-status="done"' in frag and 'href="/team/review"' in frag
        listing = c.get("/team/jobs").text
        assert f'href="/team/jobs/{job_id}"' in listing and "editor" in listing


def test_exports_and_dossiers_run_as_jobs_and_download_audited(fresh_case) -> None:
    """#17: the register export and an actor's dossier are started from the jobs page, run
    in the background, and their files download (each download in the audit log with the
    file's hash); a viewer may not start them and a bad format is refused before queuing."""
    import csv
    import hashlib
    import io

    from dadkhah import casefile as cf
    from dadkhah.register import count_persons
    from dadkhah.report.exports import REGISTER_COLUMNS
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry
    from tests.web.conftest import csrf_of

    with Case.open(fresh_case.location) as case:
        persons = count_persons(case)
        actor = cf.add_actor(case, slug="judge-x", kind="person",
                             name_en="Judge X (SYNTHETIC)", by="tests")
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        page = c.get("/team/jobs").text
        assert 'id="export-form"' not in page
        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "export",
                                       "what": "register", "fmt": "csv"})
        assert r.status_code == 403

        login(c, "editor")
        page = c.get("/team/jobs").text
        assert 'id="export-form"' in page and f'<option value="{actor.id}">' in page
        before = _counts(fresh_case.location)["audit (not jobs)"]
        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "export",
                                       "what": "histories", "fmt": "xlsx"})
        assert r.status_code == 400 and "histories" in r.text  # refused, nothing queued
        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "export",
                                       "what": "register", "fmt": "csv"})
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "done", job
        assert job["result"]["rows"] == persons
        page = c.get(f"/team/jobs/{job['id']}").text
        assert 'id="download-file"' in page
        got = c.get(f"/team/jobs/{job['id']}/file?download=1")
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8"))))
        assert tuple(rows[0]) == tuple(REGISTER_COLUMNS) and len(rows) == persons + 1
        assert c.get(f"/team/jobs/{job['id']}/report").status_code == 404  # not a report

        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "dossier",
                                       "actor": str(actor.id)})
        dossier = wait_job(c, job_id_of(r.url))
        assert dossier["status"] == "done", dossier
        html = c.get(f"/team/jobs/{dossier['id']}/file")
        assert html.status_code == 200 and "Judge X (SYNTHETIC)" in html.text
        assert "script-src" not in html.headers["content-security-policy"]
    with Case.open(fresh_case.location) as case, case.read() as conn:
        entries = {a: json.loads(d) for a, d in conn.execute(
            select(AuditEntry.action, AuditEntry.details).order_by(AuditEntry.id))}
    assert entries["export.download"]["sha256"] == hashlib.sha256(got.content).hexdigest()
    assert entries["export.register"]["rows"] == persons
    assert "dossier.write" in entries and "dossier.download" in entries
    assert _counts(fresh_case.location)["audit (not jobs)"] > before


def test_an_export_holds_what_its_starter_may_see_and_is_theirs_alone(fresh_case) -> None:
    """Restricted records (#16): a web export runs as the user who started it, so a list
    restricted to them is in it, and nobody else may download that file."""
    from dadkhah.register import restrict
    from dadkhah.store import Case
    from tests.web.conftest import csrf_of

    with Case.open(fresh_case.location) as case:
        src = case.sources()[0]
        restrict(case, "source", src.id, users=["editor"], by="tests", role="admin",
                 reason="a confidential list (SYNTHETIC)")
    slugs = {}
    with make_client(fresh_case.location) as c:
        for who in ("editor", "admin"):
            login(c, who)
            page = c.get("/team/jobs").text
            r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "export",
                                           "what": "histories", "fmt": "csv"})
            job = wait_job(c, job_id_of(r.url))
            assert job["status"] == "done", job
            header = c.get(f"/team/jobs/{job['id']}/file?download=1").text.splitlines()[0]
            slugs[who] = (job["id"], header.split(","))
        # the admin did not ask for everything: the list restricted to the editor is not theirs
        assert src.slug in slugs["editor"][1] and src.slug not in slugs["admin"][1]
        r = c.get(f"/team/jobs/{slugs['editor'][0]}/file?download=1")  # still the admin
        assert r.status_code == 403
