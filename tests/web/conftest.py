"""Fixtures for the web application's tests (team workspace and public portal).

Session-wide, built once:

``web_case``      a SYNTHETIC simulated case, imported, normalised and linked, with one user
                  per role (``admin``, ``editor``, ``reviewer``, ``viewer``; password
                  :data:`PASSWORD`) and an API token for each (``web_case.tokens[role]``).
``live_server``   the application on a free port in a uvicorn thread (``live_server.url``).
``browser``       one headless Debian chromium driven by Playwright.

Per test:

``client``        an httpx ``TestClient`` over the app on ``web_case`` (https://testserver,
                  so the Secure cookies are sent); ``login(client, "editor")`` logs it in.
``fresh_case``    a private copy of ``web_case`` as built (not as earlier tests left it), for
                  tests that must start from a known state.
``page``          a new browser context and page on ``live_server``;
                  ``browser_login(page, "reviewer")`` logs it in;
                  ``switch_language(page, "fa")`` changes the user's language and waits
                  for the page in it.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The shared test users log in with a password only: two-factor login, required for admins
# and editors by default, is turned on by tests/web/test_two_factor*.py for their own apps.
os.environ.setdefault("DADKHAH_REQUIRE_2FA", "none")

PASSWORD = "correct horse battery"  # test users' password (>= 10 characters)
SECRET = "test-secret-key"
ROLES = ("admin", "editor", "reviewer", "viewer")
PERSONS = 1200  # simulated victims: enough for review pairs in both scripts, built in ~6 s
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class WebCase:
    location: str
    lists_folder: Path
    truth: Any
    tokens: dict[str, str] = field(default_factory=dict)
    # A copy taken as built: browser tests change the shared case through the live server
    # (an upload, review decisions), and a test on a fresh copy must not see that.
    pristine: str = ""


def build_web_case(location: Path, *, persons: int = PERSONS, seed: int = 5) -> WebCase:
    """Simulate, import, normalise and link a SYNTHETIC case, and add one user per role."""
    from dadkhah import users
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    sc = simulated_case(location, scenario="small", persons=persons, seed=seed)
    normalize_case(sc.case, by="tests")
    link_case(sc.case, by="tests")
    wc = WebCase(str(location), sc.lists_folder, sc.truth)
    for role in ROLES:
        users.add_user(sc.case, role, PASSWORD, role=role, by="tests")
        wc.tokens[role] = users.create_api_token(sc.case, role, "tests", by="tests")
    sc.case.close()
    return wc


@pytest.fixture(scope="session")
def web_case(tmp_path_factory: pytest.TempPathFactory) -> WebCase:
    wc = build_web_case(tmp_path_factory.mktemp("web") / "case")
    wc.pristine = str(copy_case(wc.location, Path(wc.location).parent / "pristine"))
    return wc


def copy_case(location: str, target: Path) -> Path:
    """A copy of a SQLite case at ``target`` (SQLite's online backup, so pending WAL pages
    come too)."""
    import sqlite3

    target.mkdir(parents=True)
    src = sqlite3.connect(Path(location) / "case.db")
    dst = sqlite3.connect(target / "case.db")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def with_published_name(location: str, target: Path, person_id: int, name: str) -> Path:
    """A copy of a SQLite case (:func:`copy_case`) where person ``person_id``, published,
    has the Latin name ``name``, written past the library as a hostile row would be."""
    import sqlite3

    copy = copy_case(location, target)
    db = sqlite3.connect(copy / "case.db")
    db.create_function("dadkhah_tx", 0, lambda: "outside")  # the row-hash triggers call it
    with db:
        db.execute("update persons set name_latin = ? where id = ?", (name, person_id))
        db.execute("update published_persons set name_latin = ? where person_id = ?",
                   (name, person_id))
    db.close()
    return copy


@pytest.fixture(scope="module")
def example_case(web_case: WebCase, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the web case with the 1988 example case file loaded (one a test module)."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    target = copy_case(web_case.pristine, tmp_path_factory.mktemp("cf") / "case")
    with Case.open(str(target)) as case:
        cf.load_example(case, by="tests")
    return str(target)


@pytest.fixture
def fresh_case(web_case: WebCase, tmp_path: Path) -> WebCase:
    """A copy of the session case as it was built (before any test changed it), for tests
    that change it."""
    target = copy_case(web_case.pristine, tmp_path / "case")
    return WebCase(str(target), web_case.lists_folder, web_case.truth, dict(web_case.tokens))


def make_client(location: str) -> Any:
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    return TestClient(create_app(location, secret_key=SECRET), base_url="https://testserver")


@pytest.fixture
def client(web_case: WebCase) -> Iterator[Any]:
    with make_client(web_case.location) as c:
        yield c


def csrf_of(html: str) -> str:
    """The CSRF token a page carries (its <meta name="csrf-token">)."""
    m = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


def login(client: Any, role: str, password: str = PASSWORD) -> str:
    """Log ``client`` in as the user named ``role``; returns the session's CSRF token."""
    form = client.get("/team/login")
    r = client.post("/team/login", data={"username": role, "password": password,
                                         "csrf_token": csrf_of(form.text), "next": "/team/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return csrf_of(client.get("/team/").text)


# -- live server and browser ------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    app: Any


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` (from ``create_app``) on a free local port in a thread; its base URL.
    "localhost" is a secure context for Chromium, so the Secure cookies work over HTTP.
    On leaving, the server stops and the app's case is closed."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.case.close()


@contextmanager
def served_page(browser: Any, location: str, user: str, *,
                lang: str | None = None) -> Iterator[Any]:
    """A browser page on the application over the case at ``location`` (:func:`serve`),
    logged in as ``user`` and, with ``lang``, switched to that language; the context is
    closed and the server stopped on the way out."""
    from dadkhah.web import create_app

    with serve(create_app(location, secret_key=SECRET)) as url:
        context = browser.new_context(base_url=url, locale="en-GB")
        try:
            page = context.new_page()
            browser_login(page, user)
            if lang is not None:
                switch_language(page, lang)
            yield page
        finally:
            context.close()


@pytest.fixture(scope="session")
def live_server(web_case: WebCase) -> Iterator[LiveServer]:
    from dadkhah.web import create_app

    app = create_app(web_case.location, secret_key=SECRET)
    with serve(app) as url:
        yield LiveServer(url, app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                               args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def browser_login(page: Any, role: str, password: str = PASSWORD) -> None:
    """Log the browser page in through the login form."""
    page.goto("/team/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/team/$"))


def switch_language(page: Any, lang: str) -> None:
    """Press the language button and wait until the page it leads to is in ``lang`` and
    loaded. A click's navigation may not have begun when ``click`` returns, so
    ``wait_for_load_state`` alone can answer for the old page; and a ``goto`` straight after
    could cancel the form's POST, leaving the user's language unchanged for later tests."""
    from playwright.sync_api import expect

    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.wait_for_load_state()


# -- background jobs ----------------------------------------------------------------------
def wait_job(client: Any, job_id: int, timeout: float = 300,
             headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Poll ``/api/jobs/{job_id}`` until the job is finished; its JSON."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}", headers=headers).json()
        assert job.get("ok", True), job  # an error (login, no such job) is not a job
        if job.get("finished") or time.monotonic() > deadline:
            assert job.get("finished"), f"job {job_id} did not finish in {timeout} s: {job}"
            return job
        time.sleep(0.2)


def job_id_of(url: Any) -> int:
    """The job id at the end of a /team/jobs/<id> address."""
    m = re.search(r"/team/jobs/(\d+)$", str(url))
    assert m, f"not a job page: {url}"
    return int(m.group(1))
