"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so editing,
deleting or inserting any entry breaks every link after it.  An import's entry also holds
the digest of the raw-row hashes it wrote (``records_digest``), so ``verify`` detects an
edited or deleted source record too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from dadkhah.store.tables import AuditEntry, Import, SourceRecord

GENESIS = "0" * 64


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def entry_hash(seq: int, at: str, by: str, action: str, target: str, details: str,
               prev_hash: str) -> str:
    payload = canonical_json([seq, at, by, action, target, details, prev_hash])
    return sha256_text(payload)


@dataclass(frozen=True)
class AuditHead:
    """The newest entry of the chain: its id (entries are numbered 1, 2, … without gaps, so
    it is also how many entries there are) and its hash, which commits to every entry."""

    id: int
    entry_hash: str


def head(conn: Connection) -> AuditHead | None:
    """The chain's newest entry, or None when the log is empty.

    Quote its hash to pin the state of a case (a report's reproducibility block does); to
    append, use :func:`append`, which reads the head under the write lock itself.
    """
    last = conn.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return AuditHead(int(last.id), last.entry_hash) if last else None


def lock(conn: Connection) -> None:
    """Take the case's write lock inside the caller's write transaction, before reading what
    the write depends on.  SQLite's ``BEGIN IMMEDIATE`` already holds it; on PostgreSQL it is
    a transaction-scoped advisory lock (the one :func:`append` takes; taking it twice is
    harmless)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")


def append(conn: Connection, *, by: str, action: str, target: str,
           details: dict[str, Any]) -> int:
    """Append one entry inside the caller's transaction; returns its id.

    The caller's transaction holds the write lock (SQLite BEGIN IMMEDIATE; on PostgreSQL
    an advisory lock taken here), so the head read below cannot be stale.
    """
    lock(conn)
    last = head(conn)
    seq = (last.id + 1) if last else 1
    prev = last.entry_hash if last else GENESIS
    at = now_utc()
    det = canonical_json(details)
    h = entry_hash(seq, at, by, action, target, det, prev)
    conn.execute(
        insert(AuditEntry).values(
            id=seq, at=at, actor=by, action=action, target=target, details=det,
            prev_hash=prev, entry_hash=h,
        )
    )
    return seq


class RecordsDigest:
    """Running SHA-256 over (row_number, raw_sha256) of an import's records, in row order."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, row_number: int, raw_sha256: str) -> None:
        self._h.update(f"{row_number}:{raw_sha256}\n".encode())

    def hexdigest(self) -> str:
        return self._h.hexdigest()


@dataclass(frozen=True)
class AuditReport:
    """Result of :func:`verify`.  ``ok`` is False at the first broken link."""

    entries: int
    records_checked: int
    ok: bool
    broken_entry: int | None = None
    problem: str | None = None

    def summary(self) -> str:
        if self.ok:
            return (f"Audit chain intact: {self.entries} entries, "
                    f"{self.records_checked} source records match their hashes.")
        return f"Audit chain BROKEN: {self.problem}"


def verify(conn: Connection) -> AuditReport:
    """Re-walk the chain and re-hash every source record; report the first broken link."""
    prev = GENESIS
    expected_seq = 1
    n = 0
    for e in conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)):
        n += 1
        if e.id != expected_seq:
            return AuditReport(n - 1, 0, False, e.id,
                               f"audit entry {expected_seq} is missing (next is {e.id}).")
        if e.prev_hash != prev:
            return AuditReport(n - 1, 0, False, e.id,
                               f"audit entry {e.id} does not follow entry {e.id - 1}: "
                               f"its prev_hash differs from that entry's hash.")
        h = entry_hash(e.id, e.at, e.actor, e.action, e.target, e.details, e.prev_hash)
        if h != e.entry_hash:
            return AuditReport(n - 1, 0, False, e.id,
                               f"audit entry {e.id} ({e.action} {e.target}) was altered: "
                               f"its content no longer matches its hash.")
        prev = e.entry_hash
        expected_seq += 1

    # Every import's records against the digest its audit entry committed to.
    logged: dict[int, str] = {}
    for e in conn.execute(select(AuditEntry.__table__).where(AuditEntry.action == "import")):
        d = json.loads(e.details)
        logged[int(d["import_id"])] = d["records_digest"]
    checked = 0
    for imp in conn.execute(select(Import.id, Import.records_digest).order_by(Import.id)):
        if logged.get(imp.id) != imp.records_digest:
            return AuditReport(n, checked, False, None,
                               f"import {imp.id} is not in the audit log as recorded.")
        rows = conn.execute(
            select(SourceRecord.id, SourceRecord.row_number, SourceRecord.raw,
                   SourceRecord.raw_sha256)
            .where(SourceRecord.import_id == imp.id).order_by(SourceRecord.row_number)
        )
        digest = RecordsDigest()
        for r in rows:
            checked += 1
            if sha256_text(r.raw) != r.raw_sha256:
                return AuditReport(n, checked, False, None,
                                   f"source record {r.id} (import {imp.id}, row "
                                   f"{r.row_number}) was altered: its raw row no longer "
                                   f"matches its SHA-256.")
            digest.add(r.row_number, r.raw_sha256)
        if digest.hexdigest() != imp.records_digest:
            return AuditReport(n, checked, False, None,
                               f"the source records of import {imp.id} differ from those "
                               f"written at import (a record was added, removed or changed).")
    return AuditReport(n, checked, True)
