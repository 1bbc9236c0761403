"""Protected testimony: witness identity and contact encrypted at rest (AES-256-GCM).

The key lives outside the case — a key file (``--key-file``, ``$DADKHAH_KEY_FILE``) or
``$DADKHAH_KEY`` (base64 of 32 bytes) — and is never written to the store.  Each row keeps
the key's *fingerprint* (a SHA-256 of the key under a fixed label, which reveals nothing of
a random 256-bit key), so a wrong key is told apart from a damaged row.

Everything else about a testimony (pseudonym, event, date, language, consent scope,
pseudonymised summary) is plain and shown to every reader: losing the key loses the
identities only, and nothing else in the case depends on them.  Only roles holding
``protected.read`` decrypt, and every decryption is written to the audit log.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Row, or_, select, update

from dadkhah import access
from dadkhah.access import Viewer
from dadkhah.casefile._common import check_slug, resolve, write
from dadkhah.casefile._unseen import unseen
from dadkhah.errors import ConfigError, IntegrityError, InvalidInput, NotFound, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.restrict import hidden_ids_select
from dadkhah.store.tables import Event, Testimony, insert_row

KEY_FILE_ENV = "DADKHAH_KEY_FILE"
KEY_ENV = "DADKHAH_KEY"
_KEYGEN_HINT = ("Pass --key-file PATH, or set DADKHAH_KEY_FILE (a key file) or DADKHAH_KEY "
                "(base64). Make a new key with: dadkhah testimony keygen PATH")
_NONCE = 12


@dataclass(frozen=True, repr=False)
class TestimonyKey:
    """A 256-bit AES-GCM key.  ``repr`` shows the fingerprint only."""

    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) != 32:
            raise ConfigError(f"A testimony key is 32 bytes; this one has {len(self.key)}.",
                              hint=_KEYGEN_HINT)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(b"dadkhah testimony key v1\0" + self.key).hexdigest()

    def __repr__(self) -> str:
        return f"TestimonyKey(fingerprint={self.fingerprint[:16]}…)"

    @classmethod
    def generate(cls) -> TestimonyKey:
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_base64(cls, text: str, where: str = "the key") -> TestimonyKey:
        try:
            return cls(base64.b64decode(text.strip(), validate=True))
        except (binascii.Error, ValueError):
            raise ConfigError(f"{where} is not base64 of a 32-byte key.",
                              hint=_KEYGEN_HINT) from None

    def to_base64(self) -> str:
        return base64.b64encode(self.key).decode("ascii")

    def encrypt(self, payload: dict[str, Any], pseudonym: str) -> str:
        nonce = secrets.token_bytes(_NONCE)
        ct = AESGCM(self.key).encrypt(nonce, json.dumps(payload, ensure_ascii=False)
                                      .encode("utf-8"), _aad(pseudonym))
        return base64.b64encode(nonce + ct).decode("ascii")

    def decrypt(self, blob: str, pseudonym: str) -> dict[str, Any]:
        problem = ciphertext_problem(blob)
        if problem:
            raise IntegrityError(
                f"The protected fields of testimony {pseudonym!r} are not ciphertext dadkhah "
                f"wrote ({problem}): the row was forged or damaged.",
                hint="Restore the case from a backup; the other testimonies are unaffected.")
        raw = base64.b64decode(blob)
        try:
            plain = AESGCM(self.key).decrypt(raw[:_NONCE], raw[_NONCE:], _aad(pseudonym))
        except InvalidTag:
            raise IntegrityError(
                f"The protected fields of testimony {pseudonym!r} do not decrypt with the "
                f"right key: the row was altered or damaged.",
                hint="Restore the case from a backup; the other testimonies are unaffected."
            ) from None
        return json.loads(plain)


_MIN_CIPHERTEXT = _NONCE + 16 + 2  # nonce, AES-GCM tag, and at least the JSON "{}"


def ciphertext_problem(blob: object) -> str | None:
    """Why ``blob`` cannot be a testimony's encrypted fields as :meth:`TestimonyKey.encrypt`
    writes them (strict base64 of nonce + ciphertext + tag), or None when its form is right.

    Checks the form only: without the key nobody can tell a forged blob of the right form
    from a real one (:func:`dadkhah.casefile.import_casefile` decrypts when given the key)."""
    if not isinstance(blob, str) or not blob:
        return "it is empty or not text"
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return "it is not base64"
    if len(raw) < _MIN_CIPHERTEXT:
        return f"it is {len(raw)} bytes, shorter than any encrypted record ({_MIN_CIPHERTEXT})"
    return None


def _aad(pseudonym: str) -> bytes:
    # Binds the ciphertext to its row: swapping two rows' protected fields fails to decrypt.
    return b"dadkhah-testimony:" + pseudonym.encode("utf-8")


def load_key(key_file: str | Path | None = None) -> TestimonyKey:
    """The key from ``key_file``, else ``$DADKHAH_KEY_FILE``, else ``$DADKHAH_KEY``."""
    path = key_file or os.environ.get(KEY_FILE_ENV)
    if path:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"No key file at {p}.", hint=_KEYGEN_HINT)
        return TestimonyKey.from_base64(p.read_text(encoding="ascii", errors="replace"),
                                        where=f"The key file {p}")
    text = os.environ.get(KEY_ENV)
    if text:
        return TestimonyKey.from_base64(text, where=f"${KEY_ENV}")
    raise ConfigError("No testimony key given.", hint=_KEYGEN_HINT)


def write_key_file(path: str | Path) -> TestimonyKey:
    """Create a new random key in a new file readable by its owner only."""
    p = Path(path)
    if p.exists():
        raise ConfigError(f"{p} already exists; not overwriting a key.",
                          hint="Choose a new file name: a lost key cannot be recovered.")
    key = TestimonyKey.generate()
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.to_base64() + "\n")
    return key


@dataclass(frozen=True)
class TestimonyInfo:
    """A testimony as every reader sees it: the pseudonym, never the identity."""

    id: int
    pseudonym: str
    event: str | None
    taken_at: str | None
    taken_place: str | None
    language: str | None
    consent: str | None
    summary_text: str | None
    key_fingerprint: str
    created_at: str = ""
    created_by: str = ""

    def summary(self) -> str:
        return (f"testimony {self.id}: witness {self.pseudonym!r}"
                + (f", event {self.event}" if self.event else "")
                + (f", taken {self.taken_at}" if self.taken_at else "")
                + (f"; consent: {self.consent}" if self.consent else ""))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, repr=False)
class ProtectedFields:
    """Decrypted identity and contact of one witness.  ``repr`` hides them."""

    pseudonym: str
    identity: str
    contact: str | None

    def __repr__(self) -> str:
        return f"ProtectedFields(pseudonym={self.pseudonym!r}, <protected>)"

    def summary(self) -> str:
        return f"{self.pseudonym}: {self.identity}" + (f" — {self.contact}"
                                                        if self.contact else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RekeyReport:
    rows: int
    old_fingerprint: str
    new_fingerprint: str

    def summary(self) -> str:
        return (f"Re-encrypted {self.rows} testimony row(s): key {self.old_fingerprint[:16]}… "
                f"→ {self.new_fingerprint[:16]}…. Keep the new key safe; the old one no "
                f"longer opens anything in this case.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_key(conn: Connection, key: TestimonyKey) -> None:
    """Refuse a key other than the one the stored rows were encrypted with."""
    other = conn.execute(select(Testimony.key_fingerprint)
                         .where(Testimony.key_fingerprint != key.fingerprint).limit(1)).first()
    if other is not None:
        n = conn.execute(select(Testimony.id)
                         .where(Testimony.key_fingerprint != key.fingerprint)).all()
        raise ConfigError(
            f"Wrong testimony key: its fingerprint is {key.fingerprint[:16]}…, but "
            f"{len(n)} testimony row(s) were encrypted with key {other[0][:16]}….",
            hint="Use the key file this case's testimonies were written with. Nothing was "
                 "changed.")


def add_testimony(case: Case, *, pseudonym: str, identity: str, contact: str | None = None,
                  summary: str | None = None, event: int | str | None = None,
                  taken_at: str | None = None, taken_place: str | None = None,
                  language: str | None = None, consent: str | None = None,
                  key: TestimonyKey, by: str, role: str,
                  viewer: Viewer | None = None) -> TestimonyInfo:
    """Record a testimony; ``identity`` and ``contact`` are encrypted with ``key`` and never
    stored in clear.  ``summary`` is shown to every reader: write it pseudonymised."""
    access.require(role, "write", what="testimonies")
    access.require(role, "protected.read", what="witness identities")
    check_slug(pseudonym, "Pseudonym")
    if not identity.strip():
        raise InvalidInput("A testimony needs the witness's identity (it is encrypted).",
                           hint="Pass --identity.")
    protected = key.encrypt({"identity": identity, "contact": contact}, pseudonym)
    with write(case) as conn:
        _check_key(conn, key)
        if conn.execute(select(Testimony.id).where(Testimony.pseudonym == pseudonym)).first():
            raise StoreError(f"A testimony with pseudonym {pseudonym!r} already exists.",
                             hint="Choose another pseudonym.")
        # an event that does not exist for the writer (``viewer``) is not found either
        ev = (resolve(conn, Event.__table__, event, "event", "List events with: dadkhah "
                      "event list", unseen(conn, viewer).events) if event is not None else None)
        tid = insert_row(conn, Testimony,
            pseudonym=pseudonym, event_id=ev.id if ev else None, taken_at=taken_at,
            taken_place=taken_place, language=language, consent=consent, summary=summary,
            protected=protected, key_fingerprint=key.fingerprint,
            created_at=audit.now_utc(), created_by=by)
        # Only the pseudonym goes to the audit log: it is readable by every reader.
        audit.append(conn, by=by, action="testimony.add", target=f"testimony:{tid}",
                      details={"pseudonym": pseudonym, "event": ev.slug if ev else None,
                               "key_fingerprint": key.fingerprint})
    return get_testimony(case, tid)


def _resolve(conn: Connection, ref: int | str, viewer: Viewer | None = None) -> Row[Any]:
    """A testimony by id or pseudonym; one restricted from ``viewer`` (None: nobody) is not
    found, with the same answer as an unknown one."""
    cond = Testimony.pseudonym == str(ref)
    if isinstance(ref, int) or str(ref).isdigit():
        cond = or_(cond, Testimony.id == int(ref))
    row = conn.execute(select(Testimony.__table__).where(
        cond, Testimony.id.not_in(hidden_ids_select("testimony", viewer)))).first()
    if row is None:
        raise NotFound(f"No testimony {ref!r} in this case.",
                       hint="List testimonies with: dadkhah testimony list")
    return row


def _info(conn: Connection, r: Row[Any], unseen_events: Collection[int] = ()
          ) -> TestimonyInfo:
    """The testimony of row ``r``; its event left out when it is one of ``unseen_events``
    (that event does not exist for the reader: :mod:`dadkhah.casefile._unseen`)."""
    ev = conn.execute(select(Event.slug).where(Event.id == r.event_id)).scalar() \
        if r.event_id and r.event_id not in unseen_events else None
    return TestimonyInfo(id=r.id, pseudonym=r.pseudonym, event=ev, taken_at=r.taken_at,
                         taken_place=r.taken_place, language=r.language, consent=r.consent,
                         summary_text=r.summary, key_fingerprint=r.key_fingerprint,
                         created_at=r.created_at, created_by=r.created_by)


def get_testimony(case: Case, ref: int | str, *,
                  viewer: Viewer | None = None) -> TestimonyInfo:
    """A testimony by id or pseudonym, as every reader sees it (no identity); one
    restricted from ``viewer`` (None: nobody) is not found."""
    with case.read() as conn:
        return _info(conn, _resolve(conn, ref, viewer), unseen(conn, viewer).events)


def list_testimonies(case: Case, *, viewer: Viewer | None = None) -> list[TestimonyInfo]:
    """Every testimony ``viewer`` may see, under its pseudonym; needs no key."""
    with case.read() as conn:
        gone = unseen(conn, viewer).events
        return [_info(conn, r, gone) for r in conn.execute(
            select(Testimony.__table__).where(
                Testimony.id.not_in(hidden_ids_select("testimony", viewer)))
            .order_by(Testimony.id)).all()]


def reveal_testimony(case: Case, ref: int | str, *, key: TestimonyKey, by: str,
                     role: str, viewer: Viewer | None = None) -> ProtectedFields:
    """Decrypt a witness's identity and contact; needs ``protected.read`` and is logged.
    A testimony restricted from ``viewer`` (None: nobody) is not found."""
    access.require(role, "protected.read", what=f"testimony {ref}")
    with write(case) as conn:
        row = _resolve(conn, ref, viewer)
        if row.key_fingerprint != key.fingerprint:
            raise ConfigError(
                f"Wrong testimony key for testimony {row.id}: the key's fingerprint is "
                f"{key.fingerprint[:16]}…, the row was encrypted with {row.key_fingerprint[:16]}….",
                hint="Use the key file this case's testimonies were written with.")
        fields = key.decrypt(row.protected, row.pseudonym)
        audit.append(conn, by=by, action="testimony.read", target=f"testimony:{row.id}",
                      details={"pseudonym": row.pseudonym, "role": role})
    return ProtectedFields(row.pseudonym, fields["identity"], fields.get("contact"))


def rekey_testimonies(case: Case, *, old_key: TestimonyKey, new_key: TestimonyKey,
                      by: str, role: str) -> RekeyReport:
    """Re-encrypt every testimony from ``old_key`` to ``new_key`` in one transaction: all rows
    change, or (on any failure) none."""
    access.require(role, "keys.manage", what="the testimony key")
    if old_key.fingerprint == new_key.fingerprint:
        raise ConfigError("The new key is the old key.", hint="Make a new key with: dadkhah "
                                                              "testimony keygen PATH")
    with write(case) as conn:
        _check_key(conn, old_key)
        rows = conn.execute(select(Testimony.id, Testimony.pseudonym, Testimony.protected)
                            .order_by(Testimony.id)).all()
        # Decrypt every row before changing any, so that one damaged or forged row is named
        # (with every other one) and the case keeps one key: all rows or none (review C9).
        plain: dict[int, dict[str, Any]] = {}
        bad: list[str] = []
        for r in rows:
            problem = ciphertext_problem(r.protected)
            try:
                if problem is None:
                    plain[r.id] = old_key.decrypt(r.protected, r.pseudonym)
            except IntegrityError:
                problem = "does not decrypt: altered or forged"
            if problem:
                bad.append(f"testimony {r.id} ({r.pseudonym!r}): {problem}")
        if bad:
            raise IntegrityError(
                f"{len(bad)} of {len(rows)} testimony row(s) cannot be decrypted with the old "
                f"key, so none was re-keyed: " + "; ".join(bad[:10])
                + (f"; … {len(bad) - 10} more" if len(bad) > 10 else "") + ".",
                hint="Nothing was changed. These rows were forged or damaged (a case-file "
                     "import brings rows it cannot check without the key: import with "
                     "--key-file). Restore the case from a backup taken before they came, "
                     "then re-key.")
        for r in rows:
            fields = plain[r.id]
            blob = new_key.encrypt(fields, r.pseudonym)
            if new_key.decrypt(blob, r.pseudonym) != fields:  # never write what cannot be read
                raise IntegrityError(f"Re-encryption of testimony {r.id} did not round-trip.",
                                     hint="Nothing was changed; report this as a bug.")
            conn.execute(update(Testimony).where(Testimony.id == r.id)
                         .values(protected=blob, key_fingerprint=new_key.fingerprint))
        audit.append(conn, by=by, action="testimony.rekey", target="testimonies",
                      details={"rows": len(rows), "old_fingerprint": old_key.fingerprint,
                               "new_fingerprint": new_key.fingerprint})
    return RekeyReport(len(rows), old_key.fingerprint, new_key.fingerprint)
