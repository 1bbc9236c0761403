"""Regression test for the security review's W36 (``reviews/security-review.md``): a server
started without a key (no DADKHAH_KEY_FILE / DADKHAH_KEY, the default) stored the contact
details of families who wrote through the public form in clear in ``case.db``.  Now such a
server encrypts them with a key of its own, kept outside the case."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from dadkhah.portal.ratelimit import TOKEN_FIELD
from dadkhah.store.tables import PortalSubmissionContact
from dadkhah.web.public import PortalConfig, server_key_file
from tests.web.conftest import csrf_of, login, make_client

CONTACT = "PLANTEDSUBMITTERCONTACT family@example.org"


@pytest.fixture
def no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DADKHAH_KEY_FILE", raising=False)
    monkeypatch.delenv("DADKHAH_KEY", raising=False)
    monkeypatch.setenv("DADKHAH_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def _submit(client) -> int:  # type: ignore[no-untyped-def]
    client.app.state.portal_config = PortalConfig(min_fill_seconds=0)
    html = client.get("/submit").text
    stamp = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    r = client.post("/submit", data={"csrf_token": csrf_of(html), TOKEN_FIELD: stamp,
                                     "kind": "report", "full_name": "Ali Contactclear",
                                     "relation": "sister", "contact": CONTACT},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    with client.app.state.case.read() as conn:
        return int(conn.execute(PortalSubmissionContact.__table__.select()).one().submission_id)


def test_w36_a_server_without_a_key_never_stores_a_contact_in_clear(fresh_case, no_key) -> None:
    case_dir = Path(fresh_case.location)
    with make_client(fresh_case.location) as c:
        sid = _submit(c)
        with c.app.state.case.read() as conn:
            row = conn.execute(PortalSubmissionContact.__table__.select()).one()
        key_file = server_key_file(c.app.state.case)
    # The review's check: grep the database and its WAL.
    raw = b"".join(p.read_bytes() for p in case_dir.glob("case.db*"))
    assert CONTACT.encode() not in raw and b"PLANTEDSUBMITTER" not in raw
    assert row.scheme.startswith("aes-gcm:") and row.scheme != "plain"
    # The key is the server's own, outside the case folder, readable by its owner only.
    assert key_file.is_file() and no_key in key_file.parents
    assert case_dir not in key_file.parents
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # After a restart the same key opens it: an editor reveals the contact (and it is logged).
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        r = c.post(f"/team/submissions/{sid}/contact", data={"csrf_token": token})
        assert r.status_code == 200 and CONTACT in r.text
    # …and so does the command line, given that key file.
    from dadkhah import portal
    from dadkhah.casefile import load_key
    from dadkhah.store import Case

    with Case.open(fresh_case.location) as case:
        assert portal.submission_contact(case, sid, role="admin", by="t",
                                         key=load_key(key_file)) == CONTACT


def test_w36_a_key_given_to_the_server_is_the_one_used(fresh_case, no_key, tmp_path,
                                                      monkeypatch) -> None:
    from dadkhah.casefile import write_key_file

    key = write_key_file(tmp_path / "case.key")
    monkeypatch.setenv("DADKHAH_KEY_FILE", str(tmp_path / "case.key"))
    with make_client(fresh_case.location) as c:
        _submit(c)
        with c.app.state.case.read() as conn:
            row = conn.execute(PortalSubmissionContact.__table__.select()).one()
        assert not server_key_file(c.app.state.case).exists()
    assert row.scheme == "aes-gcm:" + key.fingerprint[:16]
