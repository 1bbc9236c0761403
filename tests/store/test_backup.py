"""Encrypted backups on real SQLite and PostgreSQL: round trip, wrong key, damaged files,
refusals, and a snapshot taken while another writer commits."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile
import threading
from pathlib import Path

import pyrage
import pytest

from dadkhah.casefile import add_evidence, verify_evidence
from dadkhah.errors import ConfigError, IntegrityError
from dadkhah.ingest import import_file
from dadkhah.store import Case
from dadkhah.store.backup import (
    create_backup,
    generate_key,
    load_identities,
    load_recipients,
    restore_backup,
    verify_backup,
)
from tests.conftest import _pg_database, write_csv


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "backup.key"
    path.parent.mkdir()
    generate_key(path)
    return path


def _fill(case: Case, tmp_path: Path, rows: int = 30) -> Path | None:
    """Records from a CSV and one evidence file (in an outside folder for a server case)."""
    csv = write_csv(tmp_path / "list.csv", [["نام", "نام خانوادگی", "سن"]] + [
        [f"علی {i}", f"رضایی {i}", str(20 + i % 40)] for i in range(rows)])
    import_file(case, csv, source="s1", by="tester")
    ev_dir = tmp_path / "evidence-outside" if case.is_server else None
    doc = tmp_path / "statement.txt"
    doc.write_text("شهادت‌نامه (SYNTHETIC)\n", encoding="utf-8")
    add_evidence(case, doc, title="statement", evidence_dir=ev_dir, by="tester")
    return ev_dir


def _restore_target(case: Case, tmp_path: Path, name: str):
    """A new target for a restore: a folder, or a fresh empty PostgreSQL database."""
    if case.is_server:
        gen = _pg_database()
        return next(gen), gen
    return str(tmp_path / name), None


def test_keygen_writes_an_owner_only_key_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "k"
    public = generate_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public.startswith("age1") and (tmp_path / "k.pub").read_text().strip() == public
    assert [str(r) for r in load_recipients(tmp_path / "k.pub")] == [public]
    assert str(load_identities(path)[0].to_public()) == public
    with pytest.raises(ConfigError, match="already exists"):
        generate_key(path)
    with pytest.raises(ConfigError, match="no secret key"):
        load_identities(tmp_path / "k.pub")


def test_round_trip(case: Case, tmp_path: Path, key: Path) -> None:
    ev_dir = _fill(case, tmp_path)
    out = tmp_path / "case.age"
    # The public half is enough to make a backup.
    result = create_backup(case, out, key_file=str(key) + ".pub", by="alice",
                           evidence_dir=ev_dir)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"age-encryption.org/v1")
    assert "رضایی".encode() not in out.read_bytes()
    entries_before = case.audit_entries(limit=1)[0]
    assert entries_before.action == "backup.create" and entries_before.actor == "alice"
    assert json.loads(entries_before.details)["sha256"] == result.sha256

    check = verify_backup(out, key_file=key)
    assert check.ok, check.summary()
    assert check.header["audit_entries"] == result.audit_entries
    assert check.header["backend"] == ("postgresql" if case.is_server else "sqlite")

    target, cleanup = _restore_target(case, tmp_path, "restored")
    try:
        new_ev = tmp_path / "evidence-restored" if ev_dir else None
        if ev_dir:  # the outside evidence folder needs a place: refused, nothing written
            with pytest.raises(ConfigError, match="evidence folder"):
                restore_backup(out, key_file=key, to=target, by="bob")
        restored = restore_backup(out, key_file=key, to=target, by="bob", evidence_dir=new_ev)
        assert restored.ok and restored.audit.ok, restored.summary()
        with Case.open(target) as again:
            assert again.count_records() == case.count_records() == 30
            assert [r.fields for r in again.records()] == [r.fields for r in case.records()]
            entries = again.audit_entries(limit=1000)
            # Everything up to the snapshot, then the restore's own entry.
            assert entries[0].action == "backup.restore" and entries[0].actor == "bob"
            assert len(entries) == result.audit_entries + 1
            assert entries[1].entry_hash == result.audit_head
            assert again.verify_audit().ok
            ev = verify_evidence(again, evidence_dir=new_ev, by="tester")
            assert ev.ok and len(ev.items) == 1
    finally:
        if cleanup:
            cleanup.close()


@pytest.fixture
def backup_file(tmp_path: Path, key: Path) -> Path:
    with Case.create(tmp_path / "case", by="t") as case:
        case.add_source(slug="s1", title="List (SYNTHETIC)", kind="ngo_list", by="t")
        _fill(case, tmp_path, rows=200)
        create_backup(case, tmp_path / "b.age", key_file=key, by="t")
    return tmp_path / "b.age"


def test_wrong_key_is_named_and_nothing_is_restored(backup_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.key"
    generate_key(other)
    check = verify_backup(backup_file, key_file=other)
    assert not check.ok and "none of the keys" in check.problems[0]
    with pytest.raises(IntegrityError, match="none of the keys"):
        restore_backup(backup_file, key_file=other, to=tmp_path / "r", by="t")
    assert not (tmp_path / "r").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]


@pytest.mark.parametrize("where", [0.0, 0.01, 0.5, 0.999])
def test_a_flipped_byte_is_found(backup_file: Path, tmp_path: Path, key: Path,
                                 where: float) -> None:
    data = bytearray(backup_file.read_bytes())
    pos = min(len(data) - 1, 20 + int(where * len(data)))
    data[pos] ^= 0x01
    bad = tmp_path / "flipped.age"
    bad.write_bytes(bytes(data))
    check = verify_backup(bad, key_file=key)
    assert not check.ok, pos
    with pytest.raises(IntegrityError):
        restore_backup(bad, key_file=key, to=tmp_path / "r", by="t")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("keep", [0.3, 0.9, -1])
def test_a_truncated_file_is_found(backup_file: Path, tmp_path: Path, key: Path,
                                   keep: float) -> None:
    data = backup_file.read_bytes()
    cut = data[:-1] if keep == -1 else data[:int(len(data) * keep)]
    bad = tmp_path / "cut.age"
    bad.write_bytes(cut)
    check = verify_backup(bad, key_file=key)
    assert not check.ok
    assert "cut short" in " ".join(check.problems)


def _reencrypt(backup: Path, key: Path, out: Path, change) -> None:
    """Decrypt, change the tar members with ``change(list of (info, bytes))``, encrypt
    again with the right key: only the manifest can tell."""
    ident = load_identities(key)
    plain = pyrage.decrypt(backup.read_bytes(), ident)
    members = []
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r|") as tar:
        for info in tar:
            members.append((info, tar.extractfile(info).read()))
    members = change(members)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out.write_bytes(pyrage.encrypt(buf.getvalue(), [i.to_public() for i in ident]))


def test_the_manifest_names_a_changed_a_missing_and_an_added_member(
        backup_file: Path, tmp_path: Path, key: Path) -> None:
    def change(members):
        out = []
        for info, data in members:
            if info.name == "case/case.db":
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            if info.name.startswith("case/evidence/"):
                continue  # dropped
            out.append((info, data))
        extra = tarfile.TarInfo("case/added.txt")
        out.insert(-1, (extra, b"planted"))
        return out

    bad = tmp_path / "changed.age"
    _reencrypt(backup_file, key, bad, change)
    check = verify_backup(bad, key_file=key)
    text = "\n".join(check.problems)
    assert not check.ok
    assert "case/case.db differs from the manifest" in text
    assert "case/evidence/sha256/" in text and "missing" in text
    assert "case/added.txt is not in the manifest" in text

    cut = tmp_path / "nomanifest.age"
    _reencrypt(backup_file, key, cut, lambda m: m[:-1])
    check = verify_backup(cut, key_file=key)
    assert not check.ok and "manifest (MANIFEST.json) is missing" in check.problems[0]


def test_restore_refuses_a_non_empty_folder(backup_file: Path, tmp_path: Path,
                                            key: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not an empty folder"):
        restore_backup(backup_file, key_file=key, to=target, by="t")
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    # An empty folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert restore_backup(backup_file, key_file=key, to=empty, by="t").ok


def test_create_refuses_an_existing_file(backup_file: Path, tmp_path: Path, key: Path) -> None:
    before = backup_file.read_bytes()
    with Case.open(tmp_path / "case") as case, pytest.raises(ConfigError, match="exists"):
        create_backup(case, backup_file, key_file=key, by="t")
    assert backup_file.read_bytes() == before


@pytest.mark.postgres
def test_restore_refuses_a_non_empty_database(backup_file: Path, tmp_path: Path,
                                              key: Path) -> None:
    from tests.conftest import PG_URL

    if not PG_URL:
        pytest.skip("DADKHAH_TEST_PG_URL not set")
    gen = _pg_database()
    url = next(gen)
    try:
        Case.create(url, by="t").close()
        with pytest.raises(ConfigError):  # a SQLite backup, and a database with a case
            restore_backup(backup_file, key_file=key, to=url, by="t")
    finally:
        gen.close()


def test_a_backup_during_concurrent_writes_is_one_committed_state(
        case: Case, tmp_path: Path, key: Path) -> None:
    """A writer adds sources (each with its audit entry) while the backup runs; the
    restored case must hold exactly the sources its audit log says were added, and pass
    audit verify."""
    ev_dir = _fill(case, tmp_path, rows=3000)  # big enough that the backup takes a while
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Case.open(case.location) as other:
                i = 0
                while not stop.is_set():
                    other.add_source(slug=f"w{i}", title=f"Writer {i} (SYNTHETIC)",
                                     kind="ngo_list", by="writer")
                    written.append(i)
                    i += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    try:
        while len(written) < 3:  # the writer is running before the snapshot starts
            stop.wait(0.01)
        at_start = len(written)
        result = create_backup(case, tmp_path / "live.age", key_file=key, by="t",
                               evidence_dir=ev_dir)
        at_end = len(written)
    finally:
        stop.set()
        t.join()
    assert not errors, errors
    assert at_end > at_start, "the writer made no write while the backup ran"
    target, cleanup = _restore_target(case, tmp_path, "live-restored")
    try:
        restored = restore_backup(tmp_path / "live.age", key_file=key, to=target, by="t",
                                  evidence_dir=tmp_path / "ev2" if ev_dir else None)
        assert restored.ok, restored.summary()
        with Case.open(target) as again:
            entries = again.audit_entries(limit=100000)
            added = sum(1 for e in entries if e.action == "source.add")
            sources = again.sources()
            assert len(sources) == added  # table and log from one committed state
            assert len(entries) == result.audit_entries + 1
            n_writer = sum(1 for s in sources if s.slug.startswith("w"))
            assert at_start <= n_writer <= at_end
    finally:
        if cleanup:
            cleanup.close()


def test_nothing_plain_is_left_behind(case: Case, tmp_path: Path, key: Path) -> None:
    _fill(case, tmp_path, rows=5)
    create_backup(case, tmp_path / "x.age", key_file=key, by="t",
                  evidence_dir=tmp_path / "evidence-outside" if case.is_server else None)
    leftovers = [p for p in tmp_path.rglob("*")
                 if ".backup-tmp-" in str(p) or p.name.endswith(".partial")]
    assert leftovers == []
    if not case.is_server:
        assert sorted(os.listdir(case.location)) == sorted(
            n for n in os.listdir(case.location) if not n.startswith("."))


def test_what_a_killed_backup_left_is_removed_by_the_next(tmp_path: Path, key: Path) -> None:
    """A backup killed with SIGKILL leaves its snapshot folder and partial file, named with
    its process id; the next backup removes them once that process is gone (and not those
    of a backup still running)."""
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    with Case.create(tmp_path / "case", by="t") as case:
        stale_dir = tmp_path / "case" / f".backup-tmp-{pid}-abc"
        stale_dir.mkdir()
        (stale_dir / "case.db").write_bytes(b"plain")
        live_dir = tmp_path / "case" / f".backup-tmp-{os.getppid()}-abc"
        live_dir.mkdir()
        stale_part = tmp_path / f".b-2026.age.{pid}.partial"
        stale_part.write_bytes(b"half")
        result = create_backup(case, tmp_path / "b-2026.age", key_file=key, by="t")
    assert not stale_dir.exists() and not stale_part.exists()
    assert live_dir.exists()  # its process (pytest's parent) is alive
    assert not any(".backup-tmp-" in m.name for m in result.members)


def test_the_servers_own_key_is_named_as_kept_outside(case: Case, tmp_path: Path, key: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DADKHAH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DADKHAH_KEY_FILE", raising=False)
    monkeypatch.delenv("DADKHAH_KEY", raising=False)
    first = create_backup(case, tmp_path / "a.age", key_file=key, by="t")
    assert first.kept_outside == () and "kept outside" not in first.summary()
    from dadkhah.web.public import server_key_file, server_secret_key

    server_secret_key(case)  # what a server given no key does on start
    made = server_key_file(case)
    assert made.is_file() and made.is_relative_to(tmp_path / "config")
    second = create_backup(case, tmp_path / "b.age", key_file=key, by="t")
    assert second.kept_outside == (f"the server's own key {made}",)
    assert str(made) in second.summary() and "cannot be read after a restore" in second.summary()
    assert not any(m.name.endswith(made.name) for m in second.members)
