"""Signed checkpoints of the audit chain, kept outside the case (security review T4, T6, T20).

The chain proves that nothing *inside* it was changed, but whoever holds the database can
cut off its tail, or recompute every hash after an edit, and the chain is again
self-consistent.  A checkpoint records the chain's head (the number of entries and the newest
entry's hash) at a moment, signed with an Ed25519 key that is not in the case:
``audit verify`` against it proves that the first ``entries`` entries are those that existed
when it was signed, and therefore — as the entries seal the row hashes — that nothing they
cover was changed since.  It proves nothing about what happened before the checkpoint.

* :class:`CheckpointKey` — the signing key, a PEM file (mode 0600) created on first use;
  by default ``<config>/checkpoint-ed25519.pem`` where ``<config>`` is ``$DADKHAH_CONFIG_DIR``,
  else ``$XDG_CONFIG_HOME/dadkhah``, else ``~/.config/dadkhah``.
* :func:`make_checkpoint` / :func:`append_checkpoint` / :func:`read_checkpoints` — one
  checkpoint is one line of JSON; the default file, :func:`default_checkpoint_file`, lives
  in ``<config>/checkpoints/`` named after the case's first entry, so copying a case does not
  copy its anchors.  Keep a copy elsewhere too (mail it, print it: it holds no secret).
* :func:`timestamp_request` / :func:`verify_timestamp` — an RFC 3161 time-stamp request over
  a checkpoint (DER ``.tsq``, to send to any time-stamping authority) and the check of its
  reply (``.tsr``) with ``openssl ts -verify``, so a third party vouches for *when*.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Connection, select

from dadkhah.errors import ConfigError, IntegrityError
from dadkhah.store.audit import AuditReport, canonical_json, head, now_utc, verify
from dadkhah.store.case import Case
from dadkhah.store.tables import AuditEntry

FORMAT = "dadkhah-checkpoint/1"
KEY_ENV = "DADKHAH_CHECKPOINT_KEY"
"""Environment variable naming the checkpoint key file."""
CONFIG_ENV = "DADKHAH_CONFIG_DIR"


def config_dir() -> Path:
    """Where dadkhah keeps per-user files outside any case (the checkpoint key and files)."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dadkhah"


def default_key_file() -> Path:
    """``$DADKHAH_CHECKPOINT_KEY``, else ``<config>/checkpoint-ed25519.pem``."""
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else config_dir() / "checkpoint-ed25519.pem"


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw public key, hex: how a key is named in messages and files."""
    return hashlib.sha256(public_raw).hexdigest()


@dataclass(frozen=True)
class CheckpointKey:
    """An Ed25519 key pair that signs checkpoints (the private half may be absent: a key
    loaded from a ``.pub`` file only verifies)."""

    public_raw: bytes
    private: Ed25519PrivateKey | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    @classmethod
    def load(cls, path: str | Path) -> CheckpointKey:
        """A private key (PEM) or a public key (PEM or raw base64) from ``path``."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ConfigError(f"Cannot read the checkpoint key {p}: {exc.strerror}.",
                              hint="Pass --key-file PATH, or create one with "
                                   "`dadkhah audit checkpoint` (it makes the key on first "
                                   "use).") from exc
        try:
            if b"PRIVATE KEY" in data:
                priv = serialization.load_pem_private_key(data, password=None)
                if not isinstance(priv, Ed25519PrivateKey):
                    raise ValueError("not an Ed25519 key")
                return cls(_raw(priv.public_key()), priv)
            if b"PUBLIC KEY" in data:
                pub = serialization.load_pem_public_key(data)
                if not isinstance(pub, Ed25519PublicKey):
                    raise ValueError("not an Ed25519 key")
                return cls(_raw(pub))
            raw = base64.b64decode(data.strip(), validate=True)
            Ed25519PublicKey.from_public_bytes(raw)
            return cls(raw)
        except ValueError as exc:
            raise ConfigError(f"{p} is not an Ed25519 checkpoint key ({exc}).",
                              hint="Give the PEM file `dadkhah audit checkpoint` created, or "
                                   "its .pub copy.") from exc

    @classmethod
    def create(cls, path: str | Path) -> CheckpointKey:
        """A new key written to ``path`` (mode 0600, refusing to overwrite) and its public
        half to ``path.pub``."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        priv = Ed25519PrivateKey.generate()
        pem = priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise ConfigError(f"A key already exists at {p}.",
                              hint="Use it, or choose another --key-file.") from exc
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        key = cls(_raw(priv.public_key()), priv)
        pub = priv.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        Path(str(p) + ".pub").write_bytes(pub)
        return key

    @classmethod
    def load_or_create(cls, path: str | Path | None = None) -> tuple[CheckpointKey, bool]:
        """The key at ``path`` (default :func:`default_key_file`), created if missing;
        returns (key, created)."""
        p = Path(path) if path else default_key_file()
        if p.exists():
            return cls.load(p), False
        return cls.create(p), True

    def sign(self, payload: bytes) -> bytes:
        if self.private is None:
            raise ConfigError("This checkpoint key is a public key: it cannot sign.",
                              hint="Pass the private key file (PEM) with --key-file.")
        return self.private.sign(payload)

    def verify(self, payload: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_raw).verify(signature, payload)
        except InvalidSignature:
            return False
        return True


def _raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at ``at``, signed: ``entries`` entries, the newest hashing to
    ``head_hash``.  ``case_id`` is the hash of the case's first entry (its ``init``)."""

    case_id: str
    entries: int
    head_hash: str
    at: str
    key: str  # fingerprint of the signing key
    public_key: str  # base64 of the raw Ed25519 public key
    signature: str = ""  # base64 Ed25519 signature of payload()
    format: str = FORMAT

    def payload(self) -> bytes:
        """The signed bytes: canonical JSON of every field but the signature."""
        d = asdict(self)
        d.pop("signature")
        return canonical_json(d).encode("utf-8")

    def line(self) -> str:
        return canonical_json(asdict(self))

    def digest(self) -> bytes:
        """SHA-256 of the checkpoint's line: what a time-stamp request covers."""
        return hashlib.sha256(self.line().encode("utf-8")).digest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (f"Checkpoint {self.at}: {self.entries} audit entries, head "
                f"{self.head_hash[:16]}…, signed by key {self.key[:16]}…")


def case_id(conn: Connection) -> str:
    """The case's identity for checkpoints: the hash of its first audit entry."""
    first = conn.execute(select(AuditEntry.entry_hash).where(AuditEntry.id == 1)).scalar()
    if first is None:
        raise IntegrityError("The audit log has no first entry: this case cannot be "
                             "checkpointed.", hint="Run dadkhah audit verify.")
    return str(first)


def server_key_file(conn: Connection) -> Path:
    """Where a server that was given no key keeps the one it made for this case: in the
    user's dadkhah folder (:func:`config_dir`), outside the case, so that a copy of the
    database or a backup never holds a readable contact.  The file may not exist yet."""
    return config_dir() / "server-keys" / f"{case_id(conn)[:32]}.key"


def make_checkpoint(conn: Connection, key: CheckpointKey) -> Checkpoint:
    """Sign the chain's head as it is now."""
    h = head(conn)
    if h is None:
        raise IntegrityError("The audit log is empty: nothing to checkpoint.",
                             hint="Create the case with dadkhah init.")
    cp = Checkpoint(case_id=case_id(conn), entries=h.id, head_hash=h.entry_hash, at=now_utc(),
                    key=key.fingerprint,
                    public_key=base64.b64encode(key.public_raw).decode("ascii"))
    return replace(cp, signature=base64.b64encode(key.sign(cp.payload())).decode("ascii"))


def default_checkpoint_file(case_identity: str) -> Path:
    """``<config>/checkpoints/<first 16 hex of the case id>.jsonl``."""
    return config_dir() / "checkpoints" / f"{case_identity[:16]}.jsonl"


def append_checkpoint(cp: Checkpoint, path: str | Path) -> Path:
    """Add ``cp`` as one line to ``path`` (created, mode 0600, with its folder)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(cp.line() + "\n")
    return p


def read_checkpoints(path: str | Path, *, key: CheckpointKey | None = None,
                     case_identity: str | None = None) -> list[Checkpoint]:
    """Every checkpoint in ``path``, each signature checked.

    ``key``: the key the checkpoints must be signed with (else each line's own public key is
    used, which proves only that the line is intact: anyone can sign with a key of their
    own).  ``case_identity``: refuse checkpoints of another case.  Raises
    :class:`~dadkhah.errors.IntegrityError` naming the line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the checkpoint file {p}: {exc.strerror}.",
                          hint="Pass the file `dadkhah audit checkpoint` wrote.") from exc
    out: list[Checkpoint] = []
    for n, text in enumerate(lines, 1):
        if not text.strip():
            continue
        where = f"{p}, line {n}"
        try:
            d = json.loads(text)
            cp = Checkpoint(**{k: d[k] for k in (
                "case_id", "entries", "head_hash", "at", "key", "public_key", "signature",
                "format")})
            raw = base64.b64decode(cp.public_key, validate=True)
            sig = base64.b64decode(cp.signature, validate=True)
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(f"{where} is not a dadkhah checkpoint ({exc}).",
                                 hint="Give a file written by dadkhah audit checkpoint.") from exc
        if cp.format != FORMAT:
            raise IntegrityError(f"{where}: unknown checkpoint format {cp.format!r}.",
                                 hint="Use the dadkhah version that wrote it.")
        signer = key or CheckpointKey(raw)
        if fingerprint(raw) != cp.key or signer.public_raw != raw:
            raise IntegrityError(
                f"{where} is signed by key {cp.key[:16]}…, not by the checkpoint key "
                f"{signer.fingerprint[:16]}….",
                hint="Pass the key that signed the checkpoints (--key-file / --public-key); "
                     "a checkpoint signed by another key proves nothing.")
        if not signer.verify(cp.payload(), sig):
            raise IntegrityError(f"{where} was altered: its signature does not match.",
                                 hint="Use an untouched copy of the checkpoint file.")
        if case_identity is not None and cp.case_id != case_identity:
            raise IntegrityError(f"{where} belongs to another case (case id "
                                 f"{cp.case_id[:16]}…, this case {case_identity[:16]}…).",
                                 hint="Pass this case's checkpoint file.")
        out.append(cp)
    return out


# -- RFC 3161 trusted timestamps -----------------------------------------------------------------
_SHA256_ALGID = bytes.fromhex("300d06096086480165030402010500")


def _der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        nb = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(nb)]) + nb
    return bytes([tag]) + length + body


def _der_int(v: int) -> bytes:
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=False)
    return _der(0x02, b)


def timestamp_request(cp: Checkpoint, *, nonce: int | None = None) -> bytes:
    """An RFC 3161 ``TimeStampReq`` (DER) over :meth:`Checkpoint.digest`, asking for the
    TSA's certificate in the reply.  Send it to a time-stamping authority (for example
    ``curl -H 'Content-Type: application/timestamp-query' --data-binary @cp.tsq URL``)."""
    imprint = _der(0x30, _SHA256_ALGID + _der(0x04, cp.digest()))
    n = secrets.randbits(63) if nonce is None else nonce
    body = _der_int(1) + imprint + _der_int(n) + _der(0x01, b"\xff")
    return _der(0x30, body)


@dataclass(frozen=True)
class TimestampCheck:
    """Result of :func:`verify_timestamp`."""

    ok: bool
    detail: str

    def summary(self) -> str:
        return ("Trusted timestamp verified: " if self.ok else
                "Trusted timestamp NOT verified: ") + self.detail


def verify_timestamp(cp: Checkpoint, tsr: str | Path, *, ca_file: str | Path,
                     untrusted: Sequence[str | Path] = ()) -> TimestampCheck:
    """Check an RFC 3161 reply (``.tsr``) against the checkpoint and the TSA's CA
    certificate with ``openssl ts -verify`` (the reply must cover exactly this
    checkpoint's digest).  Needs the ``openssl`` program."""
    exe = shutil.which("openssl")
    if exe is None:
        raise ConfigError("The openssl program is needed to check a trusted timestamp.",
                          hint="Install openssl (Debian: apt-get install openssl).")
    with tempfile.TemporaryDirectory(prefix="dadkhah-ts-") as tmp:
        data = Path(tmp) / "checkpoint.json"
        data.write_text(cp.line(), encoding="utf-8")
        cmd = [exe, "ts", "-verify", "-in", str(tsr), "-data", str(data),
               "-CAfile", str(ca_file)]
        for u in untrusted:
            cmd += ["-untrusted", str(u)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        out = (res.stdout + res.stderr).strip()
    if res.returncode == 0 and "Verification: OK" in out:
        info = subprocess.run([exe, "ts", "-reply", "-in", str(tsr), "-text"],
                              capture_output=True, text=True, timeout=60, check=False).stdout
        when = next((ln.split(":", 1)[1].strip() for ln in info.splitlines()
                     if ln.startswith("Time stamp:")), "?")
        return TimestampCheck(True, f"the checkpoint of {cp.at} existed at {when} "
                                    f"(time-stamping authority's time).")
    last = out.splitlines()[-1] if out else "no output"
    return TimestampCheck(False, f"openssl ts -verify failed: {last}")


# -- on a case ---------------------------------------------------------------------------------
def checkpoint_case(case: Case, *, key_file: str | Path | None = None,
                    out: str | Path | None = None) -> tuple[Checkpoint, Path, bool]:
    """Sign the case's chain head and append it to ``out`` (default
    :func:`default_checkpoint_file`); the key is created if missing.  Returns (checkpoint,
    file, key created).  Reads only: the case is not changed."""
    key, created = CheckpointKey.load_or_create(key_file)
    with case.read() as conn:
        cp = make_checkpoint(conn, key)
    path = Path(out) if out else default_checkpoint_file(cp.case_id)
    append_checkpoint(cp, path)
    return cp, path, created


def case_checkpoints(case: Case, files: Sequence[str | Path] = (), *,
                     key_file: str | Path | None = None) -> tuple[list[Checkpoint], list[Path],
                                                                   CheckpointKey | None]:
    """The checkpoints of ``case`` in ``files`` (default: its default file, when there is
    one), each checked against the key in ``key_file`` (private or public; default
    :func:`default_key_file` when it exists; else each line's own key).  Returns
    (checkpoints, files read, key used)."""
    with case.read() as conn:
        ident = case_id(conn)
    paths = [Path(f) for f in files]
    if not paths and default_checkpoint_file(ident).exists():
        paths = [default_checkpoint_file(ident)]
    kf = Path(key_file) if key_file else default_key_file()
    key = CheckpointKey.load(kf) if (key_file or kf.exists()) else None
    cps = [cp for p in paths for cp in read_checkpoints(p, key=key, case_identity=ident)]
    return cps, paths, key


def verify_case(case: Case, files: Sequence[str | Path] = (), *,
                key_file: str | Path | None = None) -> AuditReport:
    """:func:`dadkhah.store.audit.verify` of ``case`` against its checkpoints (see
    :func:`case_checkpoints`)."""
    cps, _, _ = case_checkpoints(case, files, key_file=key_file)
    with case.read() as conn:
        return verify(conn, anchors=cps)
