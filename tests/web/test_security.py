"""Security: every team page refuses anonymous users, a viewer cannot write, a request
without the CSRF token is refused and changes nothing.  Routes are enumerated from the
application itself, so a route added later is checked without editing this file."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dadkhah.web.account import SELF_SERVICE_PATHS
from tests.web.conftest import csrf_of, login, make_client

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ANONYMOUS_OK = {"/team/login", "/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"}
# Writes any logged-in user may make about themselves (login steps, own second factors).
SELF_SERVICE = {"/lang"} | SELF_SERVICE_PATHS


def _routes(location: str) -> list[tuple[str, str]]:
    from dadkhah.web import create_app
    from dadkhah.web.app import route_table

    app = create_app(location, secret_key="x")
    out = route_table(app)
    app.state.case.close()
    return out


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _team(path: str) -> bool:
    return path.startswith(("/team", "/api")) and not path.startswith("/api/public") \
        and path not in ANONYMOUS_OK


def _audit_entries(location: str) -> int:
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    with Case.open(location) as case, case.read() as conn:
        return conn.execute(select(func.count()).select_from(AuditEntry)).scalar()


def test_routes_are_enumerated(web_case) -> None:
    routes = _routes(web_case.location)
    team = [r for r in routes if _team(r[1])]
    # The enumeration must see the pages this file is about, or it proves nothing.
    for expected in [("GET", "/team/"), ("GET", "/team/search"), ("POST", "/team/review/decide"),
                     ("POST", "/team/imports/confirm"), ("POST", "/api/review/decisions"),
                     ("GET", "/team/users"), ("POST", "/team/users")]:
        assert expected in team
    assert len(team) >= 25


def test_every_team_page_refuses_anonymous_users(web_case, client) -> None:
    token = csrf_of(client.get("/team/login").text)  # a valid anonymous CSRF token
    before = _audit_entries(web_case.location)
    checked = 0
    for method, path in _routes(web_case.location):
        if not _team(path):
            continue
        url = _fill(path)
        if method == "GET":
            r = client.get(url, follow_redirects=False)
            if path.startswith("/api"):
                assert r.status_code == 401, (method, path, r.status_code)
            else:
                assert r.status_code == 303, (method, path, r.status_code)
                assert r.headers["location"].startswith("/team/login?next=")
        elif method in UNSAFE:
            r = client.request(method, url, data={"csrf_token": token},
                               headers={"X-CSRF-Token": token}, follow_redirects=False)
            assert r.status_code == 401, (method, path, r.status_code, r.text[:200])
        checked += 1
    assert checked >= 25
    assert _audit_entries(web_case.location) == before


def test_a_viewer_cannot_write(web_case, client) -> None:
    token = login(client, "viewer")
    before = _audit_entries(web_case.location)
    checked = 0
    for method, path in _routes(web_case.location):
        if method not in UNSAFE or not _team(path) or path in SELF_SERVICE:
            continue
        r = client.request(method, _fill(path), data={"csrf_token": token},
                           headers={"X-CSRF-Token": token}, follow_redirects=False)
        assert r.status_code == 403, (method, path, r.status_code, r.text[:300])
        checked += 1
    assert checked >= 12
    assert _audit_entries(web_case.location) == before
    # The pages do not offer the forms either.
    assert 'action="/team/review/decide"' not in client.get("/team/review").text
    assert 'id="upload-form"' not in client.get("/team/imports").text


def test_a_viewer_cannot_write_through_the_api(web_case, client) -> None:
    r = client.post("/api/review/decisions", json={"record_l": 1, "record_r": 2,
                                                   "decision": "match"},
                    headers={"Authorization": f"Bearer {web_case.tokens['viewer']}"})
    assert r.status_code == 403
    assert r.json()["ok"] is False and "review" in r.json()["error"]


def test_posts_without_csrf_token_are_refused(web_case, client) -> None:
    login(client, "admin")
    before = _audit_entries(web_case.location)
    checked = 0
    for method, path in _routes(web_case.location):
        if method not in UNSAFE:
            continue
        for data in ({}, {"csrf_token": "0" * 64}):
            r = client.request(method, _fill(path), data=data, follow_redirects=False)
            assert r.status_code == 403, (method, path, r.status_code, r.text[:200])
            checked += 1
    assert checked >= 30
    assert _audit_entries(web_case.location) == before
    assert client.get("/team/").status_code == 200  # still logged in


def test_csrf_token_of_another_session_is_refused(web_case) -> None:
    with make_client(web_case.location) as a, make_client(web_case.location) as b:
        token_a = login(a, "admin")
        login(b, "admin")
        r = b.post("/team/sources", data={"csrf_token": token_a, "slug": "x-csrf",
                                          "title": "t", "kind": "other"},
                   follow_redirects=False)
        assert r.status_code == 403


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_login_does_not_redirect_off_site(client, target) -> None:
    from tests.web.conftest import PASSWORD

    form = client.get("/team/login")
    r = client.post("/team/login", data={"username": "viewer", "password": PASSWORD,
                                         "csrf_token": csrf_of(form.text), "next": target},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/team/"


def test_error_shape_is_one_format(client, web_case) -> None:
    h = {"Authorization": f"Bearer {web_case.tokens['viewer']}"}
    for url, status in [("/api/persons/999999", 404), ("/api/persons?died_from=notadate", 400),
                        ("/api/persons?page=0", 422)]:
        r = client.get(url, headers=h)
        assert r.status_code == status, url
        body = r.json()
        assert set(body) == {"ok", "error", "hint", "status"}
        assert body["ok"] is False and body["status"] == status and body["error"]


JS_URL = ("javascript:window.__xss='url1';"
          "alert(document.querySelector('meta[name=csrf-token]').content)")


def test_a_javascript_source_url_written_into_the_database_renders_inert(fresh_case) -> None:
    """W22: a `javascript:` URL that reached the database (an older version, a direct edit)
    is shown as text on the team's case-file pages, never as a link."""
    from sqlalchemy import update

    from dadkhah import casefile as cf
    from dadkhah.store import Case
    from dadkhah.store.tables import Source

    with Case.open(fresh_case.location) as case:
        case.add_source(slug="js-url", title="Innocent UN report", kind="un_document",
                        url="https://example.org/report", by="tests")
        case.add_source(slug="fine-url", title="A fine report", kind="un_document",
                        url="https://example.org/fine?a=1&b=2", by="tests")
        with case.write() as conn:  # the library refuses it: write it as an attacker would
            conn.execute(update(Source).where(Source.slug == "js-url").values(url=JS_URL))
        cf.add_event(case, slug="jsurl-event", event_type="other", title="T",
                     date="1988-08-01", sources=["js-url:3", "fine-url"], by="tests")
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        html = c.get("/team/casefile/events/jsurl-event").text
    assert "Innocent UN report" in html
    assert 'href="javascript' not in html.lower()
    assert not re.search(r"href=\"\s*javascript", html, re.IGNORECASE)
    assert "window.__xss=" in html  # shown, as text
    assert '<a href="https://example.org/fine?a=1&amp;b=2"' in html


@pytest.mark.parametrize("path", ["/", "/memorial", "/team/login", "/team/", "/api/me",
                                  "/api/public/persons", "/api/openapi.json", "/static/app.css",
                                  "/no-such-page"])
def test_every_response_carries_a_content_security_policy(client, path) -> None:
    """W26: scripts and styles from this site only, no inline ones, no framing."""
    r = client.get(path, follow_redirects=False)
    csp = r.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, path
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path


def test_strict_transport_security_over_https_only(web_case) -> None:
    """W27: HSTS when the request came over TLS (or from a trusted proxy), never over http."""
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    with make_client(web_case.location) as c:
        assert c.get("/").headers["strict-transport-security"].startswith("max-age=")
    app = create_app(web_case.location, secret_key="x", secure_cookies=False)
    with TestClient(app, base_url="http://testserver") as c:
        assert "strict-transport-security" not in c.get("/").headers


def test_no_page_loads_script_from_another_site(client) -> None:
    """W28: the Swagger UI page loaded its script from a public CDN: there is no docs page,
    the schema stays, and no page names a script or style from another origin."""
    assert client.get("/api/docs").status_code == 404
    assert client.get("/api/openapi.json").json()["info"]["title"] == "dadkhah"
    for path in ("/", "/memorial", "/team/login", "/submit", "/articles"):
        html = client.get(path).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), path
        assert "<style" not in html and "<script>" not in html, path


def test_pages_run_under_the_policy_without_violations(page, live_server) -> None:
    """The pages need nothing the policy refuses: Chromium reports no violation."""
    from tests.web.conftest import browser_login

    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    for path in ("/", "/memorial", "/submit", "/articles"):
        page.goto(path)
    browser_login(page, "editor")
    for path in ("/team/", "/team/search?q=a", "/team/review", "/team/imports"):
        page.goto(path)
    page.wait_for_timeout(300)
    assert refused == []
