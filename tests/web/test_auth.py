"""Logging in and out, sessions, cookies, passwords."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.conftest import PASSWORD, csrf_of, login


def test_login_sets_a_secure_httponly_session_cookie(client) -> None:
    form = client.get("/team/login")
    r = client.post("/team/login", data={"username": "viewer", "password": PASSWORD,
                                         "csrf_token": csrf_of(form.text)},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/team/"
    cookie = next(h for h in r.headers.get_list("set-cookie")
                  if h.startswith("dadkhah_session="))
    low = cookie.lower()
    assert "httponly" in low and "secure" in low and "samesite=lax" in low
    assert client.get("/team/").status_code == 200


def test_wrong_password_is_refused_and_gives_no_session(client) -> None:
    form = client.get("/team/login")
    r = client.post("/team/login", data={"username": "viewer", "password": "not the password",
                                         "csrf_token": csrf_of(form.text)},
                    follow_redirects=False)
    assert r.status_code == 401
    assert "dadkhah_session" not in r.headers.get("set-cookie", "")
    assert client.get("/team/", follow_redirects=False).status_code == 303


def test_passwords_are_stored_as_argon2id_and_sessions_as_hashes(client, web_case) -> None:
    from dadkhah.store import Case
    from dadkhah.store.tables import User, WebSession

    login(client, "editor")
    token = client.cookies.get("dadkhah_session")
    with Case.open(web_case.location) as case, case.read() as conn:
        hashes = list(conn.execute(select(User.password_hash)).scalars())
        sessions = list(conn.execute(select(WebSession.token_sha256)).scalars())
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)
    assert token not in sessions  # only the SHA-256 of the cookie is stored
    import hashlib

    assert hashlib.sha256(token.encode()).hexdigest() in sessions


def test_logout_ends_the_session_on_the_server(client) -> None:
    csrf = login(client, "viewer")
    token = client.cookies.get("dadkhah_session")
    r = client.post("/team/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    # Replaying the old cookie must not work: the server forgot the session.
    client.cookies.set("dadkhah_session", token)
    assert client.get("/team/", follow_redirects=False).status_code == 303


def test_disabled_user_loses_sessions_and_cannot_log_in(fresh_case) -> None:
    from dadkhah import users
    from dadkhah.store import Case
    from tests.web.conftest import make_client

    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        with Case.open(fresh_case.location) as case:
            users.set_disabled(case, "viewer", True, by="tests")
        assert c.get("/team/", follow_redirects=False).status_code == 303
        form = c.get("/team/login")
        r = c.post("/team/login", data={"username": "viewer", "password": PASSWORD,
                                        "csrf_token": csrf_of(form.text)},
                   follow_redirects=False)
        assert r.status_code == 401


def test_repeated_failed_logins_are_throttled(web_case) -> None:
    from tests.web.conftest import make_client

    with make_client(web_case.location) as c:
        token = csrf_of(c.get("/team/login").text)
        codes = [c.post("/team/login", data={"username": "editor", "password": f"guess {i}",
                                             "csrf_token": token}).status_code
                 for i in range(6)]
        assert codes == [401] * 5 + [429]
        # Even the right password is refused while throttled…
        r = c.post("/team/login", data={"username": "editor", "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 429
        # …but only for that user name.
        r = c.post("/team/login", data={"username": "viewer", "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303


def test_password_spraying_from_one_address_is_throttled(web_case) -> None:
    """W16: 4 guesses at each of 4 accounts from one address gave 16×401, never 429."""
    from dadkhah.web.account import ADDRESS_ATTEMPTS
    from tests.web.conftest import make_client

    with make_client(web_case.location) as c:
        token = csrf_of(c.get("/team/login").text)
        codes = [c.post("/team/login", data={"username": user, "password": f"guess {i}",
                                             "csrf_token": token}).status_code
                 for i in range(4) for user in ("admin", "editor", "viewer", "nobody")]
        assert codes[:ADDRESS_ATTEMPTS] == [401] * ADDRESS_ATTEMPTS
        assert set(codes[ADDRESS_ATTEMPTS:]) == {429}
        r = c.post("/team/login", data={"username": "viewer", "password": PASSWORD,
                                        "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 429
