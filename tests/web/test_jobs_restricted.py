"""Jobs another member started, as a member kept from what they touched sees them: an
import into a source restricted from the reader is not there for them (jobs list, job page,
``/api/jobs``: the file's name, the import's number and its rows would tell them of the
list), and another member's export or dossier shows no counts (its file holds what its
starter may see).  Real SQLite case, real import job.  SYNTHETIC rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import write_csv
from tests.web.conftest import csrf_of, job_id_of, login, make_client, wait_job

HEADER = ["full_name", "father_name", "death_date"]
ROWS = [["Secret Informant One (SYNTHETIC)", "Hassan", "1988-08-01"],
        ["Secret Informant Two (SYNTHETIC)", "Ali", "1988-08-02"]]


def _import(c: Any, slug: str, path: Path) -> dict[str, Any]:
    token = csrf_of(c.get("/team/imports").text)
    r = c.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
               files={"file": (path.name, path.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text[:500]
    upload = re.search(r'name="token" value="([^"]+)"', r.text)
    assert upload
    r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload.group(1),
                                              "source": slug})
    job = wait_job(c, job_id_of(str(r.url)))
    assert job["status"] == "done", job
    return job


def test_an_import_into_a_source_kept_from_a_member_is_no_job_of_theirs(
        fresh_case: Any, tmp_path: Path) -> None:
    from dadkhah.access import NOBODY
    from dadkhah.register import restrict
    from dadkhah.store import Case

    path = write_csv(tmp_path / "informants-of-the-secret-list.csv", [HEADER, *ROWS])
    with Case.open(fresh_case.location) as case:
        kept = case.sources(NOBODY)[0].slug
        restrict(case, "source", case.resolve_source_id(kept), users=["admin"], by="admin",
                 role="admin", reason="SYNTHETIC")
    with make_client(fresh_case.location) as c:
        login(c, "admin")
        job = _import(c, kept, path)
        assert job["result"]["file"] == path.name
        assert f'href="/team/jobs/{job["id"]}"' in c.get("/team/jobs").text  # theirs: shown
        for who in ("editor", "viewer"):
            login(c, who)
            listed = c.get("/team/jobs").text
            assert f'href="/team/jobs/{job["id"]}"' not in listed, who
            page = c.get(f"/team/jobs/{job['id']}")
            api = c.get(f"/api/jobs/{job['id']}")
            assert page.status_code == 404 and api.status_code == 404, who
            missing = c.get("/api/jobs/999999")
            assert api.json() == {**missing.json(), "error": missing.json()["error"].replace(
                "999999", str(job["id"]))}  # the words a job the case does not hold gets
            every = c.get("/api/jobs").json()
            assert job["id"] not in {j["id"] for j in every}, who
            for text in (listed, page.text, api.text, str(every)):
                assert path.name not in text and kept not in text


def test_another_members_export_shows_no_counts(fresh_case: Any) -> None:
    from dadkhah.register import restrict
    from dadkhah.store import Case

    with Case.open(fresh_case.location) as case:
        src = case.sources()[0]
        restrict(case, "source", src.id, users=["editor"], by="tests", role="admin",
                 reason="a confidential list (SYNTHETIC)")
    with make_client(fresh_case.location) as c:
        login(c, "editor")
        page = c.get("/team/jobs").text
        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "export",
                                       "what": "register", "fmt": "csv"})
        job = wait_job(c, job_id_of(str(r.url)))
        assert job["status"] == "done" and job["result"]["rows"] > 0, job
        for who in ("admin", "viewer"):
            login(c, who)
            api = c.get(f"/api/jobs/{job['id']}").json()
            assert api["status"] == "done" and api["result"] is None, (who, api)
            assert job["id"] in {j["id"] for j in c.get("/api/jobs").json()}
            shown = c.get(f"/team/jobs/{job['id']}")
            assert shown.status_code == 200 and 'id="job-done"' in shown.text
            assert f"{job['result']['rows']:,}" not in shown.text.split('id="job-done"')[1]


def test_a_dossier_job_reads_the_actor_as_its_starter(fresh_case: Any) -> None:
    """The dossier job resolves the actor as the member who started it: an actor known only
    from a source kept for the editor is written for the editor (it was refused as missing)
    and is missing for the admin, who is kept from that source, with the words an actor the
    case does not hold gets; the dossier's entry records the starter's role."""
    import json

    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.register import restrict
    from dadkhah.store import Case

    with Case.open(fresh_case.location) as case:
        case.add_source(slug="kept-memoir", title="A kept memoir (SYNTHETIC)", kind="memoir",
                        reliability="C", synthetic=True, by="tests")
        restrict(case, "source", case.resolve_source_id("kept-memoir"), users=["editor"],
                 by="tests", role="admin", reason="SYNTHETIC")
        ghost = cf.add_actor(case, slug="ghost-actor", kind="person",
                             name_en="Ghost Actor (SYNTHETIC)", sources=["kept-memoir:2"],
                             by="editor", viewer=Viewer("editor", "editor"))

    def dossier(c: Any, ref: str) -> dict[str, Any]:
        page = c.get("/team/jobs").text
        r = c.post("/team/jobs", data={"csrf_token": csrf_of(page), "kind": "dossier",
                                       "actor": ref})
        return wait_job(c, job_id_of(str(r.url)))

    with make_client(fresh_case.location) as c:
        login(c, "editor")
        assert f'<option value="{ghost.id}">' in c.get("/team/jobs").text
        job = dossier(c, "ghost-actor")
        assert job["status"] == "done", job
        assert "Ghost Actor (SYNTHETIC)" in c.get(f"/team/jobs/{job['id']}/file").text
        login(c, "admin")
        assert f'<option value="{ghost.id}">' not in c.get("/team/jobs").text
        missing = dossier(c, "no-such-actor")
        for ref in ("ghost-actor", str(ghost.id)):
            job = dossier(c, ref)
            assert job["status"] == "failed" and "Ghost Actor" not in str(job), job
            assert job["error"] == missing["error"].replace("no-such-actor", ref), job
    with Case.open(fresh_case.location, read_only=True) as case:
        [e] = case.audit_entries(action="dossier.write")
        d = json.loads(e.details)
        assert (e.actor, d["as_user"], d["role"]) == ("editor", "editor", "editor")
