"""Re-hashing the evidence store as a reader (restricted records): ``evidence verify`` checks
only the items the reader may see and says how many it did not check, never which; an admin
who asks (``--include-restricted --role admin``) checks every item.  SYNTHETIC data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dadkhah import casefile as cf
from dadkhah.access import NOBODY, Viewer
from dadkhah.register import restrict
from dadkhah.store import Case
from tests.casefile.unseen_case import add_team

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")
SECRET_NAME = "informant-r-evin.txt"


def _damaged_hidden_item(case: Case, tmp_path: Path) -> cf.EvidenceInfo:
    """One item everyone sees, and one kept for alice whose file is gone."""
    add_team(case)
    shared = tmp_path / "public-note.txt"
    shared.write_bytes(b"SYNTHETIC public note\n")
    cf.add_evidence(case, shared, title="A public note (SYNTHETIC)", by="alice", viewer=ALICE)
    secret = tmp_path / SECRET_NAME
    secret.write_bytes(b"SYNTHETIC scan of an informant's note\n")
    item = cf.add_evidence(case, secret, title="Informant R. (SYNTHETIC)", by="alice",
                           viewer=ALICE)
    restrict(case, "evidence", item.id, users=["alice"], by="admin", role="admin")
    blob = cf.evidence.blob_path(cf.evidence_root(case), item.sha256)
    os.chmod(blob, 0o644)
    blob.unlink()
    return item


def test_verify_checks_only_what_the_reader_may_see(cf_case: Case, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    item = _damaged_hidden_item(cf_case, tmp_path)
    for who in (BOB, NOBODY, None):
        rep = cf.verify_evidence(cf_case, by="bob", viewer=who)
        assert rep.ok and len(rep.items) == 1 and rep.not_checked == 1, rep
        said = rep.summary() + str(rep.to_dict())
        assert "1 item(s) not checked" in rep.summary(), said
        for leak in (SECRET_NAME, item.sha256, f"evidence {item.id}"):
            assert leak not in said, (leak, said)
        custody = cf.custody_history(cf_case, item.id)
        assert all(c.action != "evidence.verify" for c in custody)  # not checked, not logged
    for who in (ALICE, Viewer.everything("root", "admin")):
        rep = cf.verify_evidence(cf_case, by="alice", viewer=who)
        assert not rep.ok and rep.not_checked == 0
        assert [(p.id, p.status) for p in rep.problems] == [(item.id, "missing")]
        assert SECRET_NAME in rep.summary() and "not checked" not in rep.summary()

    for var in ("DADKHAH_ROLE", "DADKHAH_USER", "DADKHAH_CASE"):
        monkeypatch.delenv(var, raising=False)
    if cf_case.is_server:
        return  # the command line's case below is the SQLite folder
    from dadkhah.cli import app

    loc = cf_case.location
    run = CliRunner()
    out = run.invoke(app, ["-C", loc, "--user", "bob", "evidence", "verify"])
    assert out.exit_code == 0, out.output
    assert "1 item(s) not checked" in out.output and SECRET_NAME not in out.output
    out = run.invoke(app, ["-C", loc, "--user", "alice", "evidence", "verify"])
    assert out.exit_code == 2 and SECRET_NAME in out.output, out.output
    out = run.invoke(app, ["-C", loc, "--user", "root", "evidence", "verify",
                           "--include-restricted", "--role", "admin"])
    assert out.exit_code == 2 and SECRET_NAME in out.output, out.output
    out = run.invoke(app, ["-C", loc, "--user", "bob", "evidence", "verify",
                           "--include-restricted"])
    assert out.exit_code != 0 and SECRET_NAME not in out.output, out.output
