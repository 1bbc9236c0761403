"""Encrypted backups of a case: create, verify, restore.

A backup is one file in the `age <https://age-encryption.org/v1>`_ format (through
``pyrage``, the Python binding of the Rust ``age`` crate), holding a tar stream:

``dadkhah-backup.json``
    what the backup is: format version, when and by whom, the backend, the schema revision
    and the audit chain's head *in the snapshot* (entries and hash).
``case/case.db``
    a SQLite case: a consistent snapshot taken with SQLite's online backup API in one step
    (one read transaction, so writers carry on and the copy is one committed state).
``case/…``
    every other file of the case folder (evidence blobs, uploads, reports, the web secret):
    the case folder is case data; SQLite's live files and unfinished temporary files are not.
``database.pgdump``
    a PostgreSQL case: ``pg_dump --format=custom`` run on a snapshot exported by a
    repeatable-read transaction that also reads the chain's head, so the head named in the
    header is exactly the dump's.
``evidence/…``
    a PostgreSQL case's evidence folder, when one is given.
``MANIFEST.json``
    the last member: every member's name, size and SHA-256.  A backup without it was cut.

Why age: it is a small, specified format with two well-kept implementations; a file is
encrypted to X25519 public keys (so a backup host may hold only the public half and never
be able to read what it stores); the payload is authenticated in 64 KiB chunks (STREAM with
ChaCha20-Poly1305, the last chunk marked), so a flipped byte, a wrong key and a truncated
file are all refused; and it streams in constant memory, so multi-GB evidence never has to
fit in memory.  The manifest adds a second, format-level check of each member.

Both ends stream: the tar writer and ``pyrage.encrypt_io`` (or ``decrypt_io`` and the tar
reader) are joined by an OS pipe, one of them in a thread.  A backup is written to a
temporary file beside its destination and renamed into place only when complete; a restore
is unpacked into a temporary folder and moved into place only once every member matched the
manifest and the decryption was authenticated to its last byte.

A backup keeps *everything*, restricted records included (issue 16): it is the case itself,
to restore the case as it was, and only the holder of the private key reads it.  Exports
(the register's, ``casefile export``) are what leave the team, and hold only what the
exporting user may see.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

import pyrage
from pyrage import x25519
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from dadkhah import __version__
from dadkhah.errors import ConfigError, IntegrityError, StoreError
from dadkhah.store import _engine, audit, integrity_anchor
from dadkhah.store.case import Case
from dadkhah.store.tables import AuditEntry

FORMAT = "dadkhah-backup"
FORMAT_VERSION = 1
HEADER = "dadkhah-backup.json"
MANIFEST = "MANIFEST.json"
PG_DUMP = "database.pgdump"
CASE_PREFIX = "case/"
EVIDENCE_PREFIX = "evidence/"

_CHUNK = 1 << 20
_IN_MEMORY = 64 << 20  # smaller files are read whole, so a file changing meanwhile is
# copied as one state; larger ones (evidence blobs, written once, read-only) are streamed
_TMP_PREFIX = ".backup-tmp-"
_LIVE_SQLITE = {_engine.CASE_DB, f"{_engine.CASE_DB}-wal", f"{_engine.CASE_DB}-shm",
                f"{_engine.CASE_DB}-journal"}
_NO_EVIDENCE_DIR = ("This backup holds an evidence folder kept outside the case, but no "
                    "folder to restore it to was given.")
_KEY_HINT = "Create a key with: dadkhah backup keygen KEYFILE (keep it outside the case)."


# -- keys ------------------------------------------------------------------------------------
def generate_key(path: str | Path) -> str:
    """Write a new age X25519 identity to ``path`` (mode 0600, never overwriting) and its
    public half to ``path.pub``; returns the public key (``age1…``).

    The file has the layout ``age-keygen`` writes, so the ``age`` command line tool can
    decrypt a backup too.  ``backup create`` needs only the ``.pub`` file."""
    p = Path(path)
    ident = x25519.Identity.generate()
    public = str(ident.to_public())
    text = (f"# created: {audit.now_utc()}\n# public key: {public}\n"
            f"# dadkhah backup key: keep it outside the case and away from the backups.\n"
            f"{ident}\n")
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise ConfigError(f"A file already exists at {p}.",
                          hint="Choose another path: an existing key is never "
                               "overwritten.") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot create the key file {p}: {exc.strerror}.",
                          hint="Choose a folder you can write to.") from exc
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
    Path(str(p) + ".pub").write_text(public + "\n", encoding="ascii")
    return public


def _key_lines(path: str | Path) -> list[str]:
    p = Path(path)
    try:
        text = p.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the backup key file {p}.", hint=_KEY_HINT) from exc
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def load_identities(path: str | Path) -> list[x25519.Identity]:
    """The secret keys (``AGE-SECRET-KEY-1…``) in ``path``: what decrypts a backup."""
    found = []
    for ln in _key_lines(path):
        if ln.startswith("AGE-SECRET-KEY-"):
            try:
                found.append(x25519.Identity.from_str(ln))
            except pyrage.IdentityError as exc:
                raise ConfigError(f"{path} holds a malformed secret key.",
                                  hint=_KEY_HINT) from exc
    if not found:
        raise ConfigError(f"{path} holds no secret key (AGE-SECRET-KEY-…), so it cannot "
                          f"decrypt a backup.",
                          hint="Pass the key file made by `dadkhah backup keygen`, not its "
                               ".pub file.")
    return found


def load_recipients(path: str | Path) -> list[x25519.Recipient]:
    """The public keys a backup is encrypted to: those of the secret keys in ``path`` and any
    ``age1…`` public key line (a ``.pub`` file is enough to make a backup)."""
    found = []
    for ln in _key_lines(path):
        try:
            if ln.startswith("AGE-SECRET-KEY-"):
                found.append(x25519.Identity.from_str(ln).to_public())
            elif ln.startswith("age1"):
                found.append(x25519.Recipient.from_str(ln))
        except (pyrage.IdentityError, pyrage.RecipientError) as exc:
            raise ConfigError(f"{path} holds a malformed key line.", hint=_KEY_HINT) from exc
    if not found:
        raise ConfigError(f"{path} holds no age key.", hint=_KEY_HINT)
    return found


# -- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupMember:
    """One file in a backup: its name in the archive, size in bytes and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BackupResult:
    """A backup written by :func:`create_backup`."""

    file: str
    size: int
    sha256: str
    backend: str
    audit_entries: int
    audit_head: str | None
    members: tuple[BackupMember, ...]
    skipped: tuple[str, ...] = ()
    created_at: str = ""
    created_by: str = ""
    kept_outside: tuple[str, ...] = ()
    """Key files this case needs that live outside it and so are not in the backup."""

    @property
    def data_bytes(self) -> int:
        """Bytes of case data before encryption."""
        return sum(m.size for m in self.members)

    def summary(self) -> str:
        lines = [f"Backup written to {self.file}: {len(self.members)} files, "
                 f"{self.data_bytes:,} bytes of case data ({self.backend}), encrypted "
                 f"{self.size:,} bytes, sha256 {self.sha256}.",
                 f"It holds the audit chain up to entry {self.audit_entries}"
                 + (f" (head {self.audit_head[:16]}…)." if self.audit_head else ".")]
        lines += [f"  not included: {s}" for s in self.skipped]
        lines += [f"  not included, kept outside the case: {k}: without it, the contacts "
                  f"and authenticator secrets it seals cannot be read after a restore; "
                  f"keep a copy beside the backup's key (never beside the backup)"
                  for k in self.kept_outside]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "size": self.size, "sha256": self.sha256,
                "backend": self.backend, "audit_entries": self.audit_entries,
                "audit_head": self.audit_head, "files": len(self.members),
                "data_bytes": self.data_bytes, "skipped": list(self.skipped),
                "kept_outside": list(self.kept_outside),
                "created_at": self.created_at, "created_by": self.created_by}


@dataclass(frozen=True)
class BackupCheck:
    """What :func:`verify_backup` found: ``ok`` only when the file decrypted to its last
    byte and every member matches the manifest, none missing and none added."""

    file: str
    ok: bool
    header: dict[str, Any] = field(default_factory=dict)
    members: tuple[BackupMember, ...] = ()
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.ok:
            h = self.header
            return (f"Backup intact: {self.file} decrypts and all {len(self.members)} files "
                    f"match the manifest ({h.get('backend')} case, audit chain up to entry "
                    f"{h.get('audit_entries')}, made {h.get('created_at')} by "
                    f"{h.get('created_by')}).")
        lines = [f"Backup PROBLEMS in {self.file}: {len(self.problems)}."]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "ok": self.ok, "header": self.header,
                "files": len(self.members), "problems": list(self.problems)}


@dataclass(frozen=True)
class RestoreResult:
    """A case restored by :func:`restore_backup`, with the audit check of the result."""

    location: str
    evidence_dir: str | None
    check: BackupCheck
    audit: audit.AuditReport

    @property
    def ok(self) -> bool:
        return self.check.ok and self.audit.ok

    def summary(self) -> str:
        where = self.location + (f" (evidence in {self.evidence_dir})"
                                 if self.evidence_dir else "")
        return (f"Restored {len(self.check.members)} files from {self.check.file} to "
                f"{where}.\n{self.audit.summary()}")

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "evidence_dir": self.evidence_dir,
                "check": self.check.to_dict(), "audit_ok": self.audit.ok,
                "audit": self.audit.summary()}


# -- streaming through age -------------------------------------------------------------------
class _HashingReader(io.RawIOBase):
    """Reads ``size`` bytes from ``src``, hashing them; a short source is an error (the file
    shrank while it was being copied)."""

    def __init__(self, src: BinaryIO, size: int, name: str) -> None:
        self._src, self._left, self._name = src, size, name
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        want = self._left if n < 0 else min(n, self._left)
        data = self._src.read(want)
        if len(data) < want:
            raise StoreError(f"{self._name} became shorter while it was being backed up.",
                             hint="Run the backup again when nothing is writing to it.")
        self._left -= len(data)
        self.sha.update(data)
        return data


class _ArchiveWriter:
    """A tar stream encrypted on the fly into ``out``; members are hashed as written."""

    def __init__(self, out: BinaryIO, recipients: list[x25519.Recipient]) -> None:
        r, w = os.pipe()
        self._pipe_r = os.fdopen(r, "rb")
        self._pipe_w = os.fdopen(w, "wb")
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._encrypt, args=(out, recipients),
                                        daemon=True)
        self._thread.start()
        self._tar = tarfile.open(fileobj=self._pipe_w, mode="w|",  # noqa: SIM115 - closed in close()
                                 format=tarfile.PAX_FORMAT)
        self.members: list[BackupMember] = []

    def _encrypt(self, out: BinaryIO, recipients: list[x25519.Recipient]) -> None:
        try:
            with self._pipe_r:
                pyrage.encrypt_io(self._pipe_r, out, recipients)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - reported by close()
            self._error.append(exc)

    def add_bytes(self, name: str, data: bytes, mode: int = 0o600) -> BackupMember:
        return self.add_stream(name, io.BytesIO(data), len(data), mode)

    def add_stream(self, name: str, src: BinaryIO, size: int, mode: int = 0o600) -> BackupMember:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, mode & 0o777, 0
        reader = _HashingReader(src, size, name)
        self._tar.addfile(info, reader)
        member = BackupMember(name, size, reader.sha.hexdigest())
        self.members.append(member)
        return member

    def add_file(self, name: str, path: Path) -> BackupMember:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size <= _IN_MEMORY:
                return self.add_bytes(name, fh.read(), st.st_mode)
            return self.add_stream(name, fh, st.st_size, st.st_mode)

    def close(self, *, failed: bool = False) -> None:
        """Finish the archive (or, ``failed``, just stop); raises the encryptor's error."""
        try:
            if not failed:
                self._tar.close()
        except BrokenPipeError:
            pass  # the encryptor stopped: its own error is raised below
        finally:
            with contextlib.suppress(BrokenPipeError):
                self._pipe_w.close()
            self._thread.join()
        if self._error:
            raise StoreError(f"Encryption failed: {self._error[0]}.",
                             hint="Check the key file and the free space where the backup "
                                  "is written.") from self._error[0]


@dataclass
class _Read:
    header: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] | None = None
    members: list[BackupMember] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    decrypted_bytes: int = 0


class _CountingReader(io.RawIOBase):
    def __init__(self, src: BinaryIO) -> None:
        self._src, self.n = src, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._src.read(len(b))
        b[:len(data)] = data
        self.n += len(data)
        return len(data)


def _decrypt_error(exc: BaseException, key_file: str | Path, at: int) -> str:
    text = str(exc)
    if "No matching keys" in text:
        return (f"none of the keys in {key_file} can decrypt this backup: it was made for "
                f"another key, or its header was altered.")
    if "Header is invalid" in text or "header" in text.lower():
        return f"this is not an age-encrypted dadkhah backup, or its header is damaged ({text})."
    return (f"decryption failed after {at:,} bytes of content ({text}): the file was altered "
            f"or cut short there; nothing after that point can be trusted.")


def _safe_name(name: str) -> PurePosixPath | None:
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in name:
        return None
    return p


def _read_archive(file: Path, key_file: str | Path,
                  sink: Callable[[str, tarfile.TarInfo], IO[bytes] | None] | None = None
                  ) -> _Read:
    """Decrypt and walk ``file``, hashing each member; ``sink(name, info)`` may return a file
    to copy the member into.  Every problem found is in the result (nothing raised for a bad
    archive)."""
    identities = load_identities(key_file)
    res = _Read()
    r, w = os.pipe()
    pipe_r, pipe_w = os.fdopen(r, "rb"), os.fdopen(w, "wb")
    errors: list[BaseException] = []

    def decrypt() -> None:
        try:
            with file.open("rb") as fin, pipe_w:
                pyrage.decrypt_io(fin, pipe_w, identities)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=decrypt, daemon=True)
    thread.start()
    counter = _CountingReader(pipe_r)
    tar_problem: str | None = None
    try:
        with tarfile.open(fileobj=io.BufferedReader(counter, _CHUNK), mode="r|") as tar:
            for info in tar:
                name = info.name
                if res.manifest is not None:
                    res.problems.append(f"{name} comes after the manifest (added later).")
                if not info.isfile():
                    res.problems.append(f"{name} is not a regular file; it was not read.")
                    continue
                if _safe_name(name) is None:
                    res.problems.append(f"{name} has an unsafe path; it was not read.")
                    continue
                src = tar.extractfile(info)
                assert src is not None  # a regular file
                if name in (HEADER, MANIFEST):
                    data = src.read()
                    try:
                        parsed = json.loads(data)
                    except ValueError:
                        res.problems.append(f"{name} is not valid JSON.")
                        parsed = {}
                    if name == HEADER:
                        res.header = parsed
                        res.members.append(BackupMember(name, len(data),
                                                        hashlib.sha256(data).hexdigest()))
                    else:
                        res.manifest = parsed
                    continue
                out = sink(name, info) if sink else None
                sha = hashlib.sha256()
                size = 0
                try:
                    while chunk := src.read(_CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            out.write(chunk)
                finally:
                    if out is not None:
                        out.close()
                res.members.append(BackupMember(name, size, sha.hexdigest()))
    except (tarfile.TarError, OSError, EOFError) as exc:
        tar_problem = f"the archive inside is damaged or cut short ({exc})."
    finally:
        pipe_r.close()  # a decryptor still writing gets a broken pipe and stops
        thread.join()
    res.decrypted_bytes = counter.n
    if errors and not isinstance(errors[0], BrokenPipeError):
        res.problems.insert(0, _decrypt_error(errors[0], key_file, counter.n))
        return res
    if tar_problem:
        res.problems.append(tar_problem)
    _check_manifest(res)
    return res


def _check_manifest(res: _Read) -> None:
    if res.header.get("format") != FORMAT:
        res.problems.append(f"the first member is not a {FORMAT} header.")
    elif int(res.header.get("version", 0)) > FORMAT_VERSION:
        res.problems.append(f"this backup is format version {res.header.get('version')}; "
                            f"this dadkhah reads up to {FORMAT_VERSION}.")
    if res.manifest is None:
        res.problems.append(f"the manifest ({MANIFEST}) is missing: the backup was cut short "
                            f"or never finished.")
        return
    listed = {m["name"]: m for m in res.manifest.get("members", [])}
    seen = set()
    for m in res.members:
        seen.add(m.name)
        want = listed.get(m.name)
        if want is None:
            res.problems.append(f"{m.name} is not in the manifest (added after the backup).")
        elif want["sha256"] != m.sha256 or int(want["size"]) != m.size:
            res.problems.append(f"{m.name} differs from the manifest: sha256 {m.sha256} and "
                                f"{m.size:,} bytes, manifest says {want['sha256']} and "
                                f"{int(want['size']):,} bytes.")
    for name in listed:
        if name not in seen:
            res.problems.append(f"{name} is listed in the manifest but missing.")


# -- create ----------------------------------------------------------------------------------
def _case_files(folder: Path, exclude: set[Path]) -> Iterator[tuple[str, Path | None]]:
    """(relative POSIX name, path) of every case file to back up; path None = skipped."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        rootp = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_TMP_PREFIX)
                         and not (rootp / d).is_symlink())
        for f in sorted(files):
            p = rootp / f
            rel = p.relative_to(folder).as_posix()
            if (rootp == folder and f in _LIVE_SQLITE) or f.startswith(".incoming-") \
                    or (f.startswith(".") and f.endswith(".partial")) or p.resolve() in exclude:
                continue
            if p.is_symlink() or not p.is_file():
                yield rel, None
            else:
                yield rel, p


def _sqlite_snapshot(db: Path, dest: Path) -> tuple[int, str | None]:
    """Copy ``db`` to ``dest`` with SQLite's online backup API; (entries, head hash)."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        # One step (pages=-1) is one read transaction: a committed state, whatever writers do.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        ok = dst.execute("PRAGMA quick_check").fetchone()
        if ok is None or ok[0] != "ok":
            raise IntegrityError(f"The snapshot of {db} fails SQLite's quick_check: {ok}.",
                                 hint="Run `sqlite3 case.db 'PRAGMA integrity_check'` and "
                                      "restore from an earlier backup if it is damaged.")
        row = dst.execute(f"SELECT id, entry_hash FROM {AuditEntry.__tablename__} "
                          f"ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        src.close()
        dst.close()
    os.chmod(dest, 0o600)
    return (int(row[0]), str(row[1])) if row else (0, None)


def _pg_env(location: str) -> dict[str, str]:
    """libpq settings for ``location`` as environment variables (no password on a command
    line, where other users could read it)."""
    url = make_url(_engine.database_url(location))
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _run_pg(args: list[str], env: dict[str, str], what: str) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise ConfigError(f"{tool} is not installed, so a PostgreSQL case cannot be {what}.",
                          hint="Install Debian's postgresql-client (scripts/system-deps.sh) "
                               "in the server's major version.")
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise StoreError(f"{tool} failed ({proc.returncode}): "
                         f"{proc.stderr.strip()[-500:] or 'no message'}",
                         hint=f"Check that {tool} matches the server's major version and "
                              f"that the database user may {what.split()[0]} it.")


def _pg_snapshot(case: Case, dest: Path) -> tuple[int, str | None]:
    """``pg_dump`` of the case on a snapshot whose chain head is read in the same snapshot."""
    with case.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            head = audit.head(conn)
            _run_pg(["pg_dump", "--format=custom", f"--snapshot={snapshot}",
                     f"--file={dest}"], _pg_env(case.location), "backed up")
    os.chmod(dest, 0o600)
    return (head.id, head.entry_hash) if head else (0, None)


def _remove_stale(folder: Path, pattern: str) -> None:
    """Remove what a backup killed before it finished left behind (its temporary snapshot
    folder or partial file, named with its process id), when that process is gone."""
    for p in folder.glob(pattern):
        text = (p.name[len(_TMP_PREFIX):].split("-")[0] if p.name.startswith(_TMP_PREFIX)
                else p.name.rsplit(".", 2)[-2])
        pid = int(text) if text.isdigit() else None
        if pid is None or pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running (another backup)
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()


def _shown_location(location: str) -> str:
    if _engine.is_server_url(location):
        return make_url(_engine.database_url(location)).render_as_string(hide_password=True)
    return location


def create_backup(case: Case, out: str | Path, *, key_file: str | Path, by: str,
                  evidence_dir: str | Path | None = None) -> BackupResult:
    """Write an encrypted backup of ``case`` to ``out`` (refusing an existing file) and log
    it in the case's audit chain (``backup.create``: who, when, the file and its SHA-256).

    ``key_file``: a key from :func:`generate_key` or its ``.pub`` file.  ``evidence_dir``:
    a PostgreSQL case's evidence folder (a case folder's own is always included)."""
    recipients = load_recipients(key_file)
    dest = Path(out)
    if dest.exists():
        raise ConfigError(f"{dest} already exists.",
                          hint="Give a new file name: a backup never overwrites a file.")
    if not dest.parent.is_dir():
        raise ConfigError(f"The folder {dest.parent} does not exist.",
                          hint="Create it first, or write the backup elsewhere.")
    server = case.is_server
    folder = None if server else Path(case.location)
    ev = Path(evidence_dir) if evidence_dir else None
    if ev is not None and not ev.is_dir():
        raise ConfigError(f"The evidence folder {ev} does not exist.",
                          hint="Pass the folder the case's evidence is kept in "
                               "(--evidence-dir), or leave it out to back up the database "
                               "only.")
    if folder is not None:
        _remove_stale(folder, _TMP_PREFIX + "*")
    _remove_stale(dest.parent, f".{dest.name}.*.partial")
    # Plain-text snapshots go where the case itself is (an owner-only folder), never /tmp.
    work = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", dir=folder))
    tmp = dest.parent / f".{dest.name}.{os.getpid()}.partial"
    created_at = audit.now_utc()
    skipped: list[str] = []
    try:
        if folder is not None:
            snap = work / _engine.CASE_DB
            entries, head_hash = _sqlite_snapshot(folder / _engine.CASE_DB, snap)
        else:
            snap = work / PG_DUMP
            entries, head_hash = _pg_snapshot(case, snap)
        header = {"format": FORMAT, "version": FORMAT_VERSION, "created_at": created_at,
                  "created_by": by, "dadkhah": __version__,
                  "backend": "postgresql" if server else "sqlite",
                  "case": _shown_location(case.location), "schema": case.schema_revision(),
                  "audit_entries": entries, "audit_head": head_hash,
                  "evidence_folder": ev is not None,
                  "recipients": [str(r) for r in recipients]}
        with tmp.open("xb") as fh:
            writer = _ArchiveWriter(fh, recipients)
            try:
                writer.add_bytes(HEADER, json.dumps(header, ensure_ascii=False,
                                                    indent=1).encode())
                roots: list[tuple[str, Path]] = []
                if folder is not None:
                    writer.add_file(CASE_PREFIX + _engine.CASE_DB, snap)
                    roots.append((CASE_PREFIX, folder))
                else:
                    writer.add_file(PG_DUMP, snap)
                if ev is not None and (folder is None or not ev.resolve().is_relative_to(
                        folder.resolve())):
                    roots.append((EVIDENCE_PREFIX, ev))
                exclude = {dest.resolve(), tmp.resolve()}
                for prefix, root in roots:
                    for rel, path in _case_files(root, exclude):
                        if path is None:
                            skipped.append(f"{root / rel} (not a regular file)")
                            continue
                        try:
                            writer.add_file(prefix + rel, path)
                        except FileNotFoundError:
                            skipped.append(f"{root / rel} (removed during the backup)")
                manifest = {"members": [m.__dict__ for m in writer.members]}
                writer.add_bytes(MANIFEST, json.dumps(manifest, indent=0).encode())
            except BrokenPipeError:
                writer.close(failed=True)  # raises the encryptor's error
                raise
            except BaseException:
                with contextlib.suppress(StoreError):
                    writer.close(failed=True)
                raise
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        sha = hashlib.sha256()
        with tmp.open("rb") as f:
            while chunk := f.read(_CHUNK):
                sha.update(chunk)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        shutil.rmtree(work, ignore_errors=True)
    with case.read() as conn:
        server_key = integrity_anchor.server_key_file(conn)
    outside = (f"the server's own key {server_key}",) if server_key.is_file() else ()
    result = BackupResult(str(dest), dest.stat().st_size, sha.hexdigest(),
                          "postgresql" if server else "sqlite", entries, head_hash,
                          tuple(writer.members[:-1]), tuple(skipped), created_at, by,
                          outside)
    with case.write() as conn:
        audit.append(conn, by=by, action="backup.create", target="case",
                     details={"file": str(dest.resolve()), "sha256": result.sha256,
                              "size": result.size, "files": len(result.members),
                              "audit_entries": entries, "audit_head": head_hash,
                              "recipients": header["recipients"]})
    return result


# -- verify and restore ----------------------------------------------------------------------
def verify_backup(file: str | Path, *, key_file: str | Path) -> BackupCheck:
    """Decrypt ``file`` to its end and check every member against the manifest.  Reads
    only; nothing is written to disk."""
    p = Path(file)
    if not p.is_file():
        raise ConfigError(f"No backup file at {p}.", hint="Check the path.")
    res = _read_archive(p, key_file)
    return BackupCheck(str(p), not res.problems, res.header, tuple(res.members),
                       tuple(res.problems))


def _empty_target(path: Path) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ConfigError(f"{path} is not an empty folder: a restore never writes over "
                          f"existing files.",
                          hint="Restore into a new folder, then move it into place.")


def restore_backup(file: str | Path, *, key_file: str | Path, to: str | Path, by: str,
                   evidence_dir: str | Path | None = None) -> RestoreResult:
    """Restore the backup ``file`` as a new case at ``to`` and check its audit chain.

    A SQLite backup: ``to`` is a folder that does not exist or is empty.  A PostgreSQL
    backup: ``to`` is the URL of an empty database (``pg_restore`` in one transaction), and
    ``evidence_dir`` an empty or new folder for the evidence files, when it has some.
    Nothing is written at ``to`` unless every member matched the manifest; the restored
    case logs ``backup.restore`` (who, when, from which file)."""
    src = Path(file)
    if not src.is_file():
        raise ConfigError(f"No backup file at {src}.", hint="Check the path.")
    target = str(to)
    server = _engine.is_server_url(target)
    ev = Path(evidence_dir) if evidence_dir else None
    if ev is not None:
        _empty_target(ev)
    if server:
        engine = _engine.make_engine(target)
        try:
            tables = inspect(engine).get_table_names()
        finally:
            engine.dispose()
        if tables:
            raise ConfigError(f"The database {_shown_location(target)} is not empty "
                              f"({len(tables)} tables): a restore never writes over a case.",
                              hint="Create an empty database (createdb) and restore into it.")
        stage_parent = ev.parent if ev is not None else None
    else:
        _empty_target(Path(target))
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        stage_parent = Path(target).parent
    stage = Path(tempfile.mkdtemp(prefix=".restore-", dir=stage_parent))
    try:
        def sink(name: str, info: tarfile.TarInfo) -> IO[bytes] | None:
            rel = _safe_name(name)
            if rel is None:
                return None
            if name.startswith(EVIDENCE_PREFIX) and ev is None:  # say so before the rest
                raise ConfigError(_NO_EVIDENCE_DIR, hint="Pass --evidence-dir NEWFOLDER.")
            path = stage.joinpath(*rel.parts)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                         (info.mode & 0o700) or 0o600)
            return os.fdopen(fd, "wb")

        res = _read_archive(src, key_file, sink)
        check = BackupCheck(str(src), not res.problems, res.header, tuple(res.members),
                            tuple(res.problems))
        if not check.ok:
            raise IntegrityError(f"The backup {src} failed its check; nothing was restored: "
                                 + "; ".join(check.problems[:5]),
                                 hint="Run `dadkhah backup verify` for every problem; "
                                      "restore from another copy of the backup.")
        backend = res.header.get("backend")
        if (backend == "postgresql") != server:
            raise ConfigError(f"This is a backup of a {backend} case; restore it "
                              + ("to a postgresql:// URL." if backend == "postgresql"
                                 else "into a folder."),
                              hint="Pass --to accordingly.")
        staged_evidence = stage / EVIDENCE_PREFIX.rstrip("/")
        has_evidence = staged_evidence.exists()
        if has_evidence and ev is None:
            raise ConfigError(_NO_EVIDENCE_DIR, hint="Pass --evidence-dir NEWFOLDER.")
        if server:
            env = _pg_env(target)
            _run_pg(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                     "--exit-on-error", f"--dbname={env['PGDATABASE']}",
                     str(stage / PG_DUMP)], env, "restored")
        else:
            with contextlib.suppress(FileNotFoundError):
                Path(target).rmdir()
            os.replace(stage / CASE_PREFIX.rstrip("/"), target)
            os.chmod(target, 0o700)
        if has_evidence and ev is not None:
            with contextlib.suppress(FileNotFoundError):
                ev.rmdir()
            ev.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(staged_evidence), ev)
        location = target
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    case = Case.open(location)
    try:
        with case.write() as conn:
            audit.append(conn, by=by, action="backup.restore", target="case",
                         details={"file": str(src.resolve()),
                                  "backup_created_at": res.header.get("created_at"),
                                  "backup_created_by": res.header.get("created_by"),
                                  "backup_audit_entries": res.header.get("audit_entries"),
                                  "backup_audit_head": res.header.get("audit_head")})
        report = case.verify_audit()
    finally:
        case.close()
    return RestoreResult(_shown_location(location), str(ev) if ev and has_evidence else None,
                         check, report)


__all__ = ["FORMAT", "FORMAT_VERSION", "BackupCheck", "BackupMember", "BackupResult",
           "RestoreResult", "create_backup", "generate_key", "load_identities",
           "load_recipients", "restore_backup", "verify_backup"]
