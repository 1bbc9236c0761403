"""The web application's commands: ``dadkhah user …`` and ``dadkhah serve``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from dadkhah.cli import app
from tests.web.conftest import free_port

runner = CliRunner()


def _run(case: str, *args: str) -> object:
    res = runner.invoke(app, ["--case", case, "--user", "tester", *args])
    return res


def test_user_commands(case_location) -> None:
    from sqlalchemy import select

    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry
    from dadkhah.web import auth

    Case.create(case_location).close()
    res = _run(case_location, "user", "add", "sara", "--role", "editor", "--language", "fa",
               "--password", "long enough password", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["role"] == "editor"
    res = _run(case_location, "user", "add", "sara", "--password", "long enough password")
    assert res.exit_code == 1 and "already exists" in res.output
    res = _run(case_location, "user", "add", "bad", "--role", "boss",
               "--password", "long enough password")
    assert res.exit_code == 1 and "Unknown role" in res.output
    assert _run(case_location, "user", "role", "sara", "reviewer").exit_code == 0
    assert _run(case_location, "user", "passwd", "sara", "--password",
                "another long password").exit_code == 0
    res = _run(case_location, "user", "token", "sara", "--json")
    token = json.loads(res.output)["token"]
    with Case.open(case_location) as case:
        assert auth.token_user(case, token).username == "sara"
        assert auth.authenticate(case, "sara", "another long password").role == "reviewer"
    assert _run(case_location, "user", "disable", "sara").exit_code == 0
    listed = json.loads(_run(case_location, "user", "list", "--json").output)
    assert listed[0]["disabled"] is True and listed[0]["role"] == "reviewer"
    with Case.open(case_location) as case:
        assert auth.token_user(case, token) is None  # disabling revoked the token
        with case.read() as conn:
            actions = list(conn.execute(select(AuditEntry.action)
                                        .order_by(AuditEntry.id)).scalars())
    assert actions[-5:] == ["user.add", "user.role", "user.passwd", "user.token", "user.disable"]


def test_serve_starts_the_application(web_case) -> None:
    port = free_port()
    env = {**os.environ, "DADKHAH_CASE": web_case.location}
    exe = str(Path(sys.executable).parent / "dadkhah")
    proc = subprocess.Popen([exe, "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/team/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, \
                    proc.stdout.read().decode() if proc.poll() is not None else "timeout"
                time.sleep(0.2)
        assert r.status_code == 200 and 'name="password"' in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/me").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
