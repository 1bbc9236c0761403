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
