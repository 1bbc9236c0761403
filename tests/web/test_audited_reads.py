"""Reads in the web workspace are in the audit chain (issue 16 part 3): logins, failed
logins (the name tried and the address, never the password), failed second factors, report
jobs and their downloads, and the reveal of a submitter's contact — each exactly one entry
naming who, what and when, shown on ``/team/audit``; ``audit verify`` stays intact.

Every test works on its own copy of the case (``fresh_case``) over the real application
(``TestClient``), and reads the chain back through the store."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pyotp

from dadkhah.store import Case
from tests.web.conftest import PASSWORD, csrf_of, job_id_of, login, make_client, wait_job
from tests.web.test_portal_submit import REPORT, form_tokens, portal_client, stored
from tests.web.test_two_factor import _client, _enrol, _logout, _password, _verify

WRONG = "not the password 8821"


def chain(location: str) -> list[Any]:
    with Case.open(location, read_only=True) as case:
        return list(reversed(case.audit_entries(limit=100_000)))


def since(location: str, n: int) -> list[Any]:
    return [e for e in chain(location)[n:] if e.action != "rows.sealed"]


def intact(location: str) -> None:
    with Case.open(location, read_only=True) as case:
        report = case.verify_audit()
    assert report.ok, report.summary()


def test_login_and_failed_login(fresh_case) -> None:
    loc = fresh_case.location
    with make_client(loc) as c:
        n = len(chain(loc))
        form = c.get("/team/login")
        r = c.post("/team/login", data={"username": " Editor ", "password": WRONG,
                                        "csrf_token": csrf_of(form.text)})
        assert r.status_code == 401
        [e] = since(loc, n)
        assert (e.actor, e.action, e.target) == ("anonymous", "user.login.failed",
                                                 "login:editor")
        d = json.loads(e.details)
        assert d["username"] == "editor" and d["address"] == "testclient"
        assert d["step"] == "password" and d["throttled"] is False
        assert WRONG not in e.details and PASSWORD not in e.details

        n = len(chain(loc))
        login(c, "editor")
        [e] = since(loc, n)
        assert (e.actor, e.action) == ("editor", "user.login")
        assert json.loads(e.details) == {"address": "testclient", "second_factor": False}

        # Shown on the team's audit page, newest first, and filtered by action or author.
        page = c.get("/team/audit").text
        assert "user.login.failed" in page and "login:editor" in page
        page = c.get("/team/audit", params={"action": "user.login"}).text
        shown = re.findall(r'<td dir="ltr">([a-z0-9_.-]+)</td>', page)
        assert set(shown) == {"user.login", "user.login.failed"}, shown
        page = c.get("/team/audit", params={"action": "user.login", "actor": "anonymous"}).text
        assert re.findall(r'<td dir="ltr">([a-z0-9_.-]+)</td>', page) == ["user.login.failed"]
        page = c.get("/team/audit", params={"action": "user.lo"}).text  # whole names only
        assert "user.login" not in re.sub(r'<input[^>]*>|<datalist.*?</datalist>', "", page,
                                          flags=re.S)
    intact(loc)


def test_failed_logins_stop_at_the_throttle(fresh_case) -> None:
    """A guesser adds one entry per checked attempt, and none once refused unchecked: the
    chain grows by at most the address's allowance a window, however many requests."""
    from dadkhah.web.account import ADDRESS_ATTEMPTS, LOGIN_ATTEMPTS

    loc = fresh_case.location
    with make_client(loc) as c:
        n = len(chain(loc))
        token = csrf_of(c.get("/team/login").text)
        codes = [c.post("/team/login", data={"username": "admin", "password": f"guess {i}",
                                             "csrf_token": token}).status_code
                 for i in range(LOGIN_ATTEMPTS + 5)]
        assert codes == [401] * LOGIN_ATTEMPTS + [429] * 5
        failed = since(loc, n)
        assert [e.action for e in failed] == ["user.login.failed"] * LOGIN_ATTEMPTS
        assert [json.loads(e.details)["throttled"] for e in failed] == \
            [False] * (LOGIN_ATTEMPTS - 1) + [True]
        assert LOGIN_ATTEMPTS <= ADDRESS_ATTEMPTS
    intact(loc)


def test_failed_second_factor(fresh_case) -> None:
    loc = fresh_case.location
    with _client(loc) as c:
        secret, _ = _enrol(c, "editor")
        _logout(c)
        assert _password(c, "editor").headers["location"] == "/team/login/verify"
        n = len(chain(loc))
        good = pyotp.TOTP(secret).now()
        wrong = "000000" if good != "000000" else "111111"
        assert _verify(c, wrong).status_code == 401
        [e] = since(loc, n)
        assert (e.actor, e.action) == ("editor", "user.2fa.failed")
        d = json.loads(e.details)
        assert d["method"] == "totp" and d["address"] == "testclient"
        assert wrong not in e.details and secret not in e.details
    intact(loc)


def test_report_job_and_its_download(fresh_case) -> None:
    loc = fresh_case.location
    with make_client(loc) as c:
        token = login(c, "editor")
        n = len(chain(loc))
        r = c.post("/team/jobs", data={"kind": "report", "csrf_token": token})
        job_id = job_id_of(r.url)
        assert wait_job(c, job_id)["status"] == "done"
        written = [e for e in since(loc, n) if e.action.startswith("report.")]
        assert [(e.actor, e.action) for e in written] == [("editor", "report.write")]

        c.post("/team/logout", data={"csrf_token": token})
        login(c, "viewer")
        n = len(chain(loc))
        r = c.get(f"/team/jobs/{job_id}/report?download=1")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        [e] = since(loc, n)
        assert (e.actor, e.action, e.target) == ("viewer", "report.download", f"job:{job_id}")
        d = json.loads(e.details)
        assert d["download"] is True and d["file"] == f"report-{job_id}.html"
        assert d["sha256"] == hashlib.sha256(r.content).hexdigest()
    intact(loc)


def test_contact_reveal(fresh_case) -> None:
    loc = fresh_case.location
    with portal_client(loc) as c:
        c.post("/submit", data={**form_tokens(c), **REPORT})
        (row,) = stored(c)
        token = login(c, "admin")
        n = len(chain(loc))
        c.get(f"/team/submissions/{row.id}")  # the page alone reveals nothing: no entry
        assert since(loc, n) == []
        r = c.post(f"/team/submissions/{row.id}/contact", data={"csrf_token": token})
        assert r.status_code == 200 and REPORT["contact"] in r.text
        [e] = since(loc, n)
        assert (e.actor, e.action, e.target) == ("admin", "submission.contact.read",
                                                 f"submission:{row.id}")
        assert REPORT["contact"] not in e.details
    intact(loc)
