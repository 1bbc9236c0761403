"""Two-factor login over HTTP (TestClient): forced enrolment for an editor, TOTP codes
computed here from the secret the enrolment page shows, replay refused, recovery codes
single-use, the second step throttled like logins, API tokens unaffected, the admin's reset
audited.  Every test works on its own copy of the case (``fresh_case``): the shared users
must keep logging in with a password only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from sqlalchemy import select

from tests.web.conftest import PASSWORD, SECRET, csrf_of


def _client(location: str, require: str = "admin,editor"):
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    return TestClient(create_app(location, secret_key=SECRET, require_2fa=require),
                      base_url="https://testserver")


def _password(c, user: str, password: str = PASSWORD):
    token = csrf_of(c.get("/team/login").text)
    return c.post("/team/login", data={"username": user, "password": password,
                                       "csrf_token": token, "next": "/team/search"},
                  follow_redirects=False)


def _secret_of(html: str) -> str:
    m = re.search(r'<code id="totp-secret" dir="ltr">([A-Z2-7 ]+)</code>', html)
    assert m, "the enrolment page shows no secret"
    return m.group(1).replace(" ", "")


def _codes_of(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)


def _later(secret: str, steps: int = 1) -> str:
    """The code of a later 30-second step (accepted one step ahead, and unused)."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30 * steps))


def _enrol(c, user: str = "editor") -> tuple[str, list[str]]:
    r = _password(c, user)
    assert r.status_code == 303 and r.headers["location"] == "/team/login/enrol"
    page = c.get("/team/login/enrol")
    assert page.status_code == 200 and "<svg" in page.text
    secret = _secret_of(page.text)
    r = c.post("/team/login/enrol", data={"code": pyotp.TOTP(secret).now(),
                                          "csrf_token": csrf_of(page.text)})
    assert r.status_code == 200, r.text[:300]
    codes = _codes_of(r.text)
    assert len(codes) == 10
    return secret, codes


def _verify(c, code: str, follow: bool = False):
    page = c.get("/team/login/verify")
    assert page.status_code == 200
    return c.post("/team/login/verify", data={"code": code, "csrf_token": csrf_of(page.text)},
                  follow_redirects=follow)


def _logout(c) -> None:
    token = csrf_of(c.get("/team/").text)
    c.post("/team/logout", data={"csrf_token": token})


def test_editor_without_second_factor_must_enrol_then_logs_in_with_totp(fresh_case) -> None:
    with _client(fresh_case.location) as c:
        r = _password(c, "editor")
        assert r.headers["location"] == "/team/login/enrol"
        # The password alone gives no session: team pages still send to the login form.
        r = c.get("/team/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/team/login")
        c.cookies.clear()
        secret, _ = _enrol(c)
        assert c.get("/team/", follow_redirects=False).status_code == 200
        _logout(c)
        r = _password(c, "editor")
        assert r.headers["location"] == "/team/login/verify"
        assert c.get("/team/", follow_redirects=False).status_code == 303
        code = _later(secret)
        r = _verify(c, code)
        assert r.status_code == 303 and r.headers["location"] == "/team/search"
        assert c.get("/team/", follow_redirects=False).status_code == 200
        _logout(c)
        # Replay: the same code, within its window, a second time.
        _password(c, "editor")
        r = _verify(c, code)
        assert r.status_code == 401 and "already used" in r.text
        assert c.get("/team/", follow_redirects=False).status_code == 303


def test_viewer_is_not_asked_and_policy_none_asks_nobody(fresh_case) -> None:
    with _client(fresh_case.location) as c:
        r = _password(c, "viewer")
        assert r.status_code == 303 and r.headers["location"] == "/team/search"
    with _client(fresh_case.location, require="none") as c:
        assert _password(c, "admin").headers["location"] == "/team/search"


def test_recovery_code_works_once(fresh_case) -> None:
    with _client(fresh_case.location) as c:
        _, codes = _enrol(c)
        _logout(c)
        _password(c, "editor")
        r = _verify(c, codes[3].upper())
        assert r.status_code == 303
        assert c.get("/team/", follow_redirects=False).status_code == 200
        _logout(c)
        _password(c, "editor")
        assert _verify(c, codes[3]).status_code == 401
        assert _verify(c, codes[4]).status_code == 303


def test_failed_second_factors_are_throttled(fresh_case) -> None:
    from dadkhah.web.account import LOGIN_ATTEMPTS

    with _client(fresh_case.location) as c:
        secret, _ = _enrol(c)
        _logout(c)
        _password(c, "editor")
        right = _later(secret)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        statuses = [_verify(c, wrong).status_code for _ in range(LOGIN_ATTEMPTS + 1)]
        assert statuses[:LOGIN_ATTEMPTS] == [401] * LOGIN_ATTEMPTS
        assert statuses[LOGIN_ATTEMPTS] == 429
        # Locked: the right code is refused too, and no session starts.
        assert _verify(c, right).status_code == 429
        assert c.get("/team/", follow_redirects=False).status_code == 303


def test_pending_login_expires_and_cannot_be_forged(fresh_case) -> None:
    from dadkhah.web.account import PENDING_COOKIE

    with _client(fresh_case.location) as c:
        assert c.get("/team/login/verify", follow_redirects=False).status_code == 303
        c.cookies.set(PENDING_COOKIE, "eyJ1IjoxfQ.forged.sig")
        r = c.get("/team/login/verify", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/team/login")


def test_api_token_needs_no_second_factor(fresh_case) -> None:
    with _client(fresh_case.location) as c:
        _enrol(c)
        r = c.get("/api/me", headers={"Authorization": f"Bearer {fresh_case.tokens['editor']}"})
        assert r.status_code == 200 and r.json()["username"] == "editor"


def test_account_page_disable_and_admin_reset_are_audited(fresh_case) -> None:
    from dadkhah import users
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    with _client(fresh_case.location) as c:
        # A viewer turns it on from the account page, then off again.
        assert _password(c, "viewer").status_code == 303
        page = c.get("/team/account/totp")
        secret = _secret_of(page.text)
        r = c.post("/team/account/totp", data={"code": pyotp.TOTP(secret).now(),
                                               "csrf_token": csrf_of(page.text)})
        assert len(_codes_of(r.text)) == 10
        acct = c.get("/team/account")
        assert 'id="twofa-disable"' in acct.text
        r = c.post("/team/account/disable", data={"password": "wrong password",
                                                  "csrf_token": csrf_of(acct.text)})
        assert r.status_code == 403
        r = c.post("/team/account/disable", data={"password": PASSWORD,
                                                  "csrf_token": csrf_of(acct.text)})
        assert r.status_code == 200 and "Two-factor login is off" in r.text
        _logout(c)
        # An editor may not turn it off (the role requires it).
        _enrol(c)
        acct = c.get("/team/account")
        assert 'id="twofa-disable"' not in acct.text
        r = c.post("/team/account/disable", data={"password": PASSWORD,
                                                  "csrf_token": csrf_of(acct.text)})
        assert r.status_code == 403
    with Case.open(fresh_case.location) as case:
        users.reset_two_factor(case, "editor", by="admin")
        assert not users.two_factor_status(case, "editor").enrolled
        with case.read() as conn:
            acts = [(e.action, e.actor) for e in conn.execute(
                select(AuditEntry.action, AuditEntry.actor).order_by(AuditEntry.id))]
        assert ("user.2fa.disable", "viewer") in acts
        assert ("user.2fa.enrol", "editor") in acts
        assert acts[-1] == ("user.2fa.reset", "admin")
        assert case.verify_audit().ok


def test_cli_2fa_reset(fresh_case) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    with _client(fresh_case.location) as c:
        _enrol(c)
        assert c.get("/team/", follow_redirects=False).status_code == 200
        runner = CliRunner()
        r = runner.invoke(app, ["--case", fresh_case.location, "user", "2fa-status", "editor"])
        assert r.exit_code == 0 and "authenticator app" in r.output
        r = runner.invoke(app, ["--case", fresh_case.location, "user", "2fa-reset", "editor"])
        assert r.exit_code == 0, r.output
        # The reset ends the user's logins (a lost phone may be in someone's hands).
        assert c.get("/team/", follow_redirects=False).status_code == 303
        # Next login: the role requires a second factor, so enrolment again.
        assert _password(c, "editor").headers["location"] == "/team/login/enrol"
    r = runner.invoke(app, ["--case", fresh_case.location, "user", "2fa-status", "editor",
                            "--json"])
    assert '"totp": false' in r.output
    r = runner.invoke(app, ["--case", fresh_case.location, "user", "2fa-reset", "nobody"])
    assert r.exit_code != 0 and "nobody" in r.output


def test_second_factor_pages_in_persian(fresh_case) -> None:
    """The enrolment, second-step, recovery and account pages for a Persian user: right to
    left, and no English interface text the Persian catalog translates."""
    from dadkhah import users
    from dadkhah.store import Case
    from dadkhah.web import i18n
    from tests.web.test_persian_pages import _english_fragments, _visible

    english = _english_fragments()
    seen = []
    with Case.open(fresh_case.location) as case:  # a logged-in user's pages: their language
        users.set_language(case, users.get_user(case, "editor").id, "fa")

    def check(html: str) -> None:
        assert 'dir="rtl"' in html
        text = _visible(html)
        left = [k for k, piece in english.items() if piece in text]
        assert not left, left
        seen.append(text)

    with _client(fresh_case.location) as c:
        c.cookies.set(i18n.LANG_COOKIE, "fa")
        _password(c, "editor")
        page = c.get("/team/login/enrol")
        check(page.text)
        assert i18n.translate("fa", "twofa.setup_title") in page.text
        secret = _secret_of(page.text)
        r = c.post("/team/login/enrol", data={"code": pyotp.TOTP(secret).now(),
                                              "csrf_token": csrf_of(page.text)})
        check(r.text)
        check(c.get("/team/account").text)
        _logout(c)
        c.cookies.set(i18n.LANG_COOKIE, "fa")
        _password(c, "editor")
        check(c.get("/team/login/verify").text)
    assert len(seen) == 4


def test_a_session_without_second_factor_ends_when_the_role_requires_one(fresh_case) -> None:
    """An editor logged in while two-factor login was not required: once the server
    requires it, that session no longer opens team pages; the editor is sent to enrol."""
    from dadkhah.web.app import SESSION_COOKIE

    with _client(fresh_case.location, require="none") as c:
        assert _password(c, "editor").headers["location"] == "/team/search"
        cookie = c.cookies.get(SESSION_COOKIE)
        assert c.get("/team/", follow_redirects=False).status_code == 200
    with _client(fresh_case.location) as c:
        c.cookies.set(SESSION_COOKIE, cookie)
        r = c.get("/team/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/team/login")
        assert c.get("/api/me").status_code == 401
        # After enrolling, the new session (with its second factor) works.
        c.cookies.clear()
        _enrol(c)
        assert c.get("/team/", follow_redirects=False).status_code == 200


def test_a_server_without_a_key_encrypts_authenticator_secrets_with_its_own(fresh_case,
                                                                            tmp_path) -> None:
    """Review follow-up (as W36 for contacts): a server given no case key stored the team's
    TOTP secrets in clear; it now seals them with its own key, kept outside the case, and a
    secret stored in clear by an older server still works."""
    import sqlite3

    from dadkhah.store import Case
    from dadkhah.web.public import server_key_file

    with _client(fresh_case.location) as c:
        secret, _ = _enrol(c, "editor")
        _logout(c)
    db = Path(fresh_case.location) / "case.db"
    raw = db.read_bytes() + (db.with_name("case.db-wal").read_bytes()
                             if db.with_name("case.db-wal").exists() else b"")
    assert secret.encode() not in raw  # not in the database file, nor its log
    with Case.open(fresh_case.location) as case:
        assert server_key_file(case).is_file()
    con = sqlite3.connect(db)
    (fingerprint,) = con.execute("SELECT key_fingerprint FROM user_totp").fetchone()
    con.close()
    assert fingerprint
    with _client(fresh_case.location) as c:  # a restarted server reads it with the same key
        _password(c, "editor")
        r = _verify(c, _later(secret))
        assert r.status_code == 303, r.text[:300]
