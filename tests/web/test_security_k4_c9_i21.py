"""Regression tests for the security review's findings K4, C9 and I21
(``reviews/security-review.md``), each built from its reproduction.

K4   a writer holding the SQLite write lock (a long import) made every web login and write
     fail with HTTP 500 after 30 s and the CLI die with a raw "database is locked"
     traceback.  Here a real second process holds the lock.
C9   a crafted case file with a forged testimony row (garbage ciphertext, the case's key
     fingerprint, created_by/created_at chosen by the file) was imported, and key rotation
     then failed for the whole case.
I21  bidi override/isolate characters in names reached the public JSON API and the
     moderation page as they are.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, SECRET, csrf_of

# A real second process that takes the case's write lock and keeps it until killed: what a
# long `dadkhah import` does (it writes inside one BEGIN IMMEDIATE transaction).
_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def write_lock_held(location: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(Path(location) / "case.db")],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _login_form(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    form = client.get("/team/login")
    assert form.status_code == 200  # pages only read: they do not wait for the writer
    return {"username": "editor", "password": PASSWORD, "csrf_token": csrf_of(form.text),
            "next": "/team/"}


# -- K4 ---------------------------------------------------------------------------------
def test_k4_login_while_another_process_holds_the_write_lock_is_a_prompt_503(
        fresh_case) -> None:
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    app = create_app(fresh_case.location, secret_key=SECRET, write_wait=1)
    with TestClient(app, base_url="https://testserver") as client:
        with write_lock_held(fresh_case.location):
            data = _login_form(client)
            start = time.monotonic()
            r = client.post("/team/login", data=data, follow_redirects=False)
            waited = time.monotonic() - start
            assert r.status_code == 503, r.text[:300]
            assert r.headers["Retry-After"].isdigit()
            assert "busy" in r.text and "Nothing was saved" in r.text
            assert "database is locked" not in r.text and "Traceback" not in r.text
            assert waited < 10  # bounded by write_wait, not the CLI's 30 s

            # the same page in Persian for a Persian-speaking user
            client.cookies.set("dadkhah_lang", "fa")
            r = client.post("/team/login", data=_login_form(client), follow_redirects=False)
            assert r.status_code == 503
            assert "پرونده مشغول است" in r.text
            client.cookies.delete("dadkhah_lang")
        # once the other writer is done, the same login works
        r = client.post("/team/login", data=_login_form(client), follow_redirects=False)
        assert r.status_code == 303, r.text[:300]


def test_k4_cli_import_while_the_case_is_locked_fails_with_one_clear_line(
        fresh_case, tmp_path: Path) -> None:
    from dadkhah.store import Case

    listing = tmp_path / "list.csv"
    listing.write_text("name,age\nAli Rezaei,30\n", encoding="utf-8")
    with Case.open(fresh_case.location) as case:
        source = case.add_source(slug="k4-list", title="K4 list", kind="ngo_list",
                                 by="tests")
        with case.read() as conn:
            before = conn.exec_driver_sql("SELECT count(*) FROM imports").scalar()
    assert source.id
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
           "DADKHAH_WRITE_WAIT": "1"}
    dadkhah = str(Path(sys.executable).with_name("dadkhah"))
    with write_lock_held(fresh_case.location):
        r = subprocess.run([dadkhah, "--case", fresh_case.location, "import", str(listing),
                            "--source", "k4-list"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "is busy: another process" in out and "retry" in out, out
    assert "Traceback" not in out and "sqlalchemy" not in out.lower(), out
    with Case.open(fresh_case.location) as case, case.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM imports").scalar() == before


def test_k4_an_import_reads_and_decodes_its_file_before_taking_the_write_lock(
        tmp_path: Path) -> None:
    """A file that cannot be decoded is refused at once, even while another process holds
    the lock: the reading happens before the write lock (it used to be inside it)."""
    import pytest

    from dadkhah.errors import IngestError, StoreBusy
    from dadkhah.ingest import import_file
    from dadkhah.store import Case

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"name,age\n" + "علی رضایی,30\n".encode() * 50
                    + "محمد كريمي,31\n".encode("cp1256"))
    good = tmp_path / "good.csv"
    good.write_text("name,age\nAli Rezaei,30\n", encoding="utf-8")
    with Case.create(str(tmp_path / "case"), by="t") as case:
        case.add_source(slug="k4", title="K4", kind="ngo_list", by="t")
    with Case.open(str(tmp_path / "case"), busy_timeout=1) as case:
        with write_lock_held(case.location):
            start = time.monotonic()
            with pytest.raises(IngestError) as exc:
                import_file(case, bad, source="k4", encoding="utf-8", force=True, by="t")
            assert not isinstance(exc.value, StoreBusy) and "utf-8" in exc.value.message
            assert time.monotonic() - start < 1  # refused without waiting for the lock
            # a good file is read, then waits a bounded time for the lock: a clear error
            with pytest.raises(StoreBusy, match="is busy"):
                import_file(case, good, source="k4", force=True, by="t")
        report = import_file(case, good, source="k4", by="t")  # lock released: imported
        assert report.rows_imported == 1 and case.verify_audit().ok


# -- I21 --------------------------------------------------------------------------------
_BIDI = "[\u202a-\u202e\u2066-\u2069]"
SPOOF = "\u202eevil\u202c Hosseini \u2067x\u2069"


@pytest.fixture(scope="module")
def portal_site(web_case, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Persons published, as in test_portal_public."""
    from tests.web.test_portal_public import build_portal_site

    return build_portal_site(web_case.location, tmp_path_factory.mktemp("portal") / "case")


def test_i21_the_public_api_sends_names_without_bidi_controls(portal_site, tmp_path) -> None:
    """`\u202eevil\u202c Hosseini` in a published name: the JSON API sends "evil Hosseini"
    (the pages' rule), while the stored name stays verbatim."""
    import json
    import re
    import sqlite3

    from tests.web.conftest import make_client, with_published_name

    pid = portal_site.public_ids[0]
    location = with_published_name(portal_site.location, tmp_path / "case", pid, SPOOF)
    with make_client(str(location)) as c:
        one = c.get(f"/api/public/persons/{pid}")
        found = c.get("/api/public/persons", params={"q": "Hosseini"})
        listing = c.get("/api/public/persons", params={"limit": 200})
    assert one.status_code == found.status_code == listing.status_code == 200
    assert one.json()["name_latin"] == "evil Hosseini x"
    assert pid in [p["person_id"] for p in found.json()["persons"]]
    for r in (one, found, listing):
        # neither raw nor \u-escaped controls anywhere in the body
        assert not re.search(_BIDI, r.text) and not re.search(_BIDI, json.dumps(r.json()))
    with sqlite3.connect(location / "case.db") as db:
        assert db.execute("select name_latin from persons where id = ?",
                          (pid,)).fetchone()[0] == SPOOF


def test_i21_the_family_form_removes_bidi_controls_and_says_so(fresh_case) -> None:
    import re

    from dadkhah.store.tables import PortalSubmission
    from tests.web.conftest import login
    from tests.web.test_portal_submit import REPORT, form_tokens, portal_client

    with portal_client(fresh_case.location) as c:
        data = {**form_tokens(c), **REPORT, "full_name": SPOOF,
                "relation": "\u2066niece\u2069"}
        r = c.post("/submit", data=data, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/submit/thanks?bidi=1"
        thanks = c.get(r.headers["location"]).text
        assert 'id="bidi-removed"' in thanks and "direction control" in thanks
        c.cookies.set("dadkhah_lang", "fa")
        assert "کنترل جهت" in c.get("/submit/thanks?bidi=1").text
        c.cookies.delete("dadkhah_lang")
        # an ordinary report gets the ordinary thanks
        r = c.post("/submit", data={**form_tokens(c), **REPORT}, follow_redirects=False)
        assert r.headers["location"] == "/submit/thanks"
        assert 'id="bidi-removed"' not in c.get("/submit/thanks").text

        with c.app.state.case.read() as conn:
            rows = conn.execute(PortalSubmission.__table__.select()
                                .order_by(PortalSubmission.id)).all()
        assert "evil Hosseini x" in rows[0].fields and not re.search(_BIDI, rows[0].fields)
        assert rows[0].relation == "niece"
        # what the moderator reads is what is stored
        login(c, "reviewer")
        page = c.get(f"/team/submissions/{rows[0].id}").text
        assert "evil Hosseini x" in page and not re.search(_BIDI, page)


def test_i21_validate_submission_reports_the_fields_it_cleaned() -> None:
    from dadkhah.portal import validate_submission

    form = validate_submission({"full_name": SPOOF, "relation": "son", "surname": "Rezaei"})
    assert form.fields["full_name"] == "evil Hosseini x"
    assert form.bidi_removed == ("full_name",)
    assert validate_submission({"full_name": "Ali", "relation": "son"}).bidi_removed == ()
