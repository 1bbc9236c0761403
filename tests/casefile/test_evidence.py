"""Evidence: content addressing, verify, and a custody entry on every access path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import AccessDenied, ConfigError, IntegrityError, NotFound
from dadkhah.store import Case


def _blobs(case: Case) -> list[Path]:
    root = cf.evidence_root(case)
    return sorted(p for p in (root / "sha256").rglob("*") if p.is_file())


def _flip_byte(path: Path, at: int = 3) -> None:
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(content)
    return p


def test_same_bytes_twice_are_stored_once(cf_case: Case, tmp_path: Path) -> None:
    a = _file(tmp_path, "scan.txt", "سند ۱ — document one\n".encode())
    b = _file(tmp_path, "copy-of-scan.txt", a.read_bytes())
    first = cf.add_evidence(cf_case, a, title="scan", acquired_by="A", by="tester")
    second = cf.add_evidence(cf_case, b, acquired_by="B", by="tester")
    assert not first.already_present
    assert second.already_present and second.id == first.id
    assert [e.sha256 for e in cf.list_evidence(cf_case)] == [first.sha256]
    assert _blobs(cf_case) == [cf.evidence_root(cf_case) / "sha256" / first.sha256[:2]
                               / first.sha256[2:]]
    assert _blobs(cf_case)[0].read_bytes() == a.read_bytes()
    # Both acquisitions are in the chain of custody, the second marked as a duplicate.
    acq = [c for c in cf.custody_history(cf_case, first.id) if c.action == "evidence.acquire"]
    assert [(c.details["acquired_by"], c.details["duplicate"]) for c in acq] == [
        ("A", False), ("B", True)]


def test_verify_reports_a_flipped_byte_and_a_missing_file(cf_case: Case,
                                                          tmp_path: Path) -> None:
    items = [cf.add_evidence(cf_case, _file(tmp_path, f"f{i}.txt", f"file {i}\n".encode()),
                             by="tester") for i in range(3)]
    assert cf.verify_evidence(cf_case, by="tester").ok
    root = cf.evidence_root(cf_case)
    _flip_byte(cf.evidence.blob_path(root, items[0].sha256))
    os.chmod(cf.evidence.blob_path(root, items[2].sha256), 0o644)
    cf.evidence.blob_path(root, items[2].sha256).unlink()
    rep = cf.verify_evidence(cf_case, by="tester")
    assert not rep.ok
    assert {(p.id, p.status) for p in rep.problems} == {(items[0].id, "mismatch"),
                                                        (items[2].id, "missing")}
    mismatch = next(p for p in rep.problems if p.status == "mismatch")
    assert mismatch.found_sha256 and mismatch.found_sha256 != items[0].sha256
    assert "CHANGED" in rep.summary() and "MISSING" in rep.summary()
    last = cf.custody_history(cf_case, items[2].id)[-1]
    assert (last.action, last.details["result"]) == ("evidence.verify", "missing")
    with pytest.raises(IntegrityError, match="no longer matches"):
        cf.read_evidence(cf_case, items[0].id, by="tester", role="viewer")
    # The failed read is still in the custody log, with the failed hash check.
    last = cf.custody_history(cf_case, items[0].id)[-1]
    assert (last.action, last.details["hash_ok"]) == ("evidence.access", False)


def test_custody_entry_on_every_access_path(cf_case: Case, tmp_path: Path) -> None:
    item = cf.add_evidence(cf_case, _file(tmp_path, "a.txt", b"evidence bytes\n"),
                           acquired_from="https://example.org/a", by="alice")
    assert cf.read_evidence(cf_case, item.sha256[:10], by="bob", role="viewer",
                            purpose="review") == b"evidence bytes\n"
    out = cf.export_evidence(cf_case, item.id, tmp_path / "out", by="carol", role="editor",
                             recipient="UN mechanism")
    assert out.read_bytes() == b"evidence bytes\n"
    cf.verify_evidence(cf_case, by="dave")
    cf.export_casefile(cf_case, tmp_path / "export", by="erin", role="admin")
    entries = cf.custody_history(cf_case, item.id)
    assert [(c.action, c.by) for c in entries] == [
        ("evidence.acquire", "alice"), ("evidence.access", "bob"), ("evidence.export", "carol"),
        ("evidence.verify", "dave"), ("evidence.export", "erin")]
    assert all(c.details["sha256"] == item.sha256 for c in entries)
    assert entries[2].details["recipient"] == "UN mechanism"
    # Into another case: the item arrives with a transfer entry naming the export.
    other = Case.create(str(tmp_path / "other"), by="frank")
    cf.import_casefile(other, tmp_path / "export", by="frank",
                       evidence_dir=tmp_path / "other-evidence")
    moved = cf.custody_history(other, item.sha256)
    assert [c.action for c in moved] == ["evidence.transfer"]
    assert moved[0].details["from"] == str(tmp_path / "export")
    other.close()
    assert cf_case.verify_audit().ok


def test_export_refused_to_a_role_without_permission(cf_case: Case, tmp_path: Path) -> None:
    item = cf.add_evidence(cf_case, _file(tmp_path, "a.txt", b"x"), by="tester")
    before = cf.custody_history(cf_case, item.id)
    for role in ("viewer", "reviewer", None):
        with pytest.raises(AccessDenied, match="evidence export"):
            cf.export_evidence(cf_case, item.id, tmp_path / "out", by="v", role=role)
    assert not (tmp_path / "out").exists()
    assert cf.custody_history(cf_case, item.id) == before


def test_failed_add_leaves_the_store_as_it_was(cf_case: Case, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="No source 'nope'"):
        cf.add_evidence(cf_case, _file(tmp_path, "a.txt", b"new bytes"), source="nope",
                        by="tester")
    assert cf.list_evidence(cf_case) == []
    root = cf.evidence_root(cf_case) / "sha256"
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    assert cf_case.verify_audit().ok


def test_postgres_case_needs_an_evidence_folder(case_location: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if not case_location.startswith("postgresql"):
        pytest.skip("only a PostgreSQL case has no folder")
    monkeypatch.delenv("DADKHAH_EVIDENCE_DIR", raising=False)
    with Case.create(case_location, by="t") as case:
        with pytest.raises(ConfigError, match="no folder for evidence") as exc:
            cf.add_evidence(case, _file(tmp_path, "a.txt", b"x"), by="t")
        assert "--evidence-dir" in exc.value.hint
        assert cf.list_evidence(case) == []


def test_link_evidence_to_a_claim(cf_case: Case, tmp_path: Path) -> None:
    item = cf.add_evidence(cf_case, _file(tmp_path, "a.txt", b"x"), by="t")
    cf.add_actor(cf_case, slug="a", kind="person", name_en="A (SYNTHETIC)", by="t")
    cf.add_event(cf_case, slug="ev", event_type="decree", title="E (SYNTHETIC)", by="t")
    al = cf.add_allegation(cf_case, accused="a", event="ev", mode="ordered", text="t",
                           sources=["ngo"], by="t")
    cf.link_evidence(cf_case, item.id, claim_kind="allegation", claim_id=al.id, by="t")
    cf.link_evidence(cf_case, item.sha256, claim_kind="event", claim_id="ev", by="t")
    assert cf.list_allegations(cf_case)[0].evidence == (item.sha256,)
    assert cf.get_event(cf_case, "ev").evidence == (item.sha256,)
    with pytest.raises(NotFound, match="No allegation 99 "):
        cf.link_evidence(cf_case, item.id, claim_kind="allegation", claim_id=99, by="t")
    assert [c.action for c in cf.custody_history(cf_case, item.id)] == [
        "evidence.acquire", "evidence.link", "evidence.link"]
