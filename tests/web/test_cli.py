"""The web application's command: ``dadkhah serve``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.conftest import free_port


def test_serve_starts_the_application(web_case) -> None:
    port = free_port()
    env = {**os.environ, "DADKHAH_CASE": web_case.location}
    exe = str(Path(sys.executable).parent / "dadkhah")
    proc = subprocess.Popen([exe, "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts uvicorn slowly
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


def _serve(location: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DADKHAH_CASE": location}
    env.pop("DADKHAH_KEY_FILE", None)
    env.pop("DADKHAH_KEY", None)
    exe = str(Path(sys.executable).parent / "dadkhah")
    proc = subprocess.Popen([exe, "serve", "--port", str(port), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded CI machine starts uvicorn slowly
    while True:
        try:
            httpx.get(f"{url}/team/login", timeout=2)
            return proc, url
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(proc.stdout.read().decode() if proc.stdout else "timeout"
                                     ) from None
            time.sleep(0.2)


def _try_login(client: httpx.Client, user: str, password: str,
               headers: dict[str, str] | None = None) -> int:
    from tests.web.conftest import csrf_of

    form = client.get("/team/login")
    return client.post("/team/login", data={"username": user, "password": password,
                                            "csrf_token": csrf_of(form.text), "next": "/team/"},
                       headers=headers or {}, follow_redirects=False).status_code


def test_x_forwarded_for_does_not_reset_the_login_lockout(fresh_case) -> None:
    """W15: after the lock-out, a login with a made-up X-Forwarded-For is refused too, unless
    the proxy that sends it is named with --forwarded-allow-ips."""
    from tests.web.conftest import PASSWORD

    for args, spoofed in (((), 429), (("--forwarded-allow-ips", "127.0.0.1"), 303)):
        proc, url = _serve(fresh_case.location, "--insecure-cookies", *args)
        try:
            with httpx.Client(base_url=url) as c:
                codes = [_try_login(c, "viewer", "wrong password!") for _ in range(6)]
                assert codes[-1] == 429, codes
                assert _try_login(c, "viewer", PASSWORD,
                                  {"X-Forwarded-For": "203.0.113.77"}) == spoofed
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_serve_without_a_key_names_the_key_it_encrypts_secrets_with(web_case) -> None:
    """W36: without DADKHAH_KEY_FILE / DADKHAH_KEY, serve says contacts and authenticator
    secrets are encrypted with the server's own key, and where that key is."""
    proc, _ = _serve(web_case.location)
    proc.terminate()
    out = " ".join(proc.communicate(timeout=10)[0].decode().split())
    assert "server-keys" in out and "authenticator-app secrets are encrypted" in out, out
    assert "UNENCRYPTED" not in out
