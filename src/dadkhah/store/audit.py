"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so editing,
deleting or inserting any entry breaks every link after it.  An import's entry also holds
the digest of the raw-row hashes it wrote (``records_digest``), so ``verify`` detects an
edited or deleted source record too.

Every other table a claim rests on is covered by row hashes (:mod:`dadkhah.store.integrity`):
:func:`append` seals the rows the transaction changed and its entry commits to them
(``details["rows_sealed"]``).  Truncation and a rewritten chain are caught against a signed
checkpoint kept outside the case (:mod:`dadkhah.store.integrity_anchor`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection, insert, select

from dadkhah.store import integrity
from dadkhah.store.tables import AuditEntry, Import, RejectedRow, SourceRecord

if TYPE_CHECKING:
    from dadkhah.store.case import Case

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
    an advisory lock taken here), so the head read below cannot be stale.  The rows the
    transaction changed so far are sealed into this entry (``details["rows_sealed"]``:
    count and digest of their hashes, see :mod:`dadkhah.store.integrity`).
    """
    lock(conn)
    last = head(conn)
    seq = (last.id + 1) if last else 1
    return _write_entry(conn, last, integrity.seal(conn, seq), by=by, action=action,
                        target=target, details=details)


def _write_entry(conn: Connection, last: AuditHead | None, sealed: integrity.Sealed | None,
                 *, by: str, action: str, target: str, details: dict[str, Any]) -> int:
    seq = (last.id + 1) if last else 1
    prev = last.entry_hash if last else GENESIS
    at = now_utc()
    baseline = conn.info.pop(integrity.BASELINE, False)  # set by integrity.mark_all
    if sealed is not None:
        rows = sealed.to_details()
        if baseline:
            rows["baseline"] = True
        details = {**details, "rows_sealed": rows}
    conn.info[_LAST_ACTOR] = (conn.get_transaction(), by)
    det = canonical_json(details)
    h = entry_hash(seq, at, by, action, target, det, prev)
    conn.execute(
        insert(AuditEntry).values(
            id=seq, at=at, actor=by, action=action, target=target, details=det,
            prev_hash=prev, entry_hash=h,
        )
    )
    return seq


_LAST_ACTOR = "dadkhah.audit.last_actor"


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read in blocks (an export or report can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_access(case: Case, *, by: str, action: str, target: str,
                  details: dict[str, Any], written: Sequence[str | Path] = ()) -> int:
    """Append the entry of a read or an export (who read what, when) in a short write
    transaction of its own; returns its id.

    Reads are often made through a read-only handle (``Case.open(read_only=True)``: the web
    pages, ``dadkhah report``, ``dadkhah export``).  Such a handle cannot write, and skipping
    the entry would leave the read unaccounted for, so the entry is written through a writer
    opened on the same case for this one transaction and closed at once (it may wait for a
    running import, up to the store's busy timeout).  ``written``: files the read produced;
    when the entry cannot be written they are deleted, so no export exists without its
    entry, and the error is raised."""
    writer = case
    if case.read_only:
        from dadkhah.store.case import Case

        writer = Case.open(case.location)
    try:
        with writer.write() as conn:
            return append(conn, by=by, action=action, target=target, details=details)
    except BaseException:
        for f in written:
            Path(f).unlink(missing_ok=True)
        raise
    finally:
        if writer is not case:
            writer.close()


def seal_pending(conn: Connection) -> int | None:
    """Seal rows the transaction changed after its last entry (or without one) into an
    entry of their own (``rows.sealed``, by the last entry's author); called by
    :meth:`dadkhah.store.Case.write` before it commits.  Returns the entry id, or None when
    no row hash changed (a login writes only columns left out of the hashes)."""
    if not integrity.pending(conn):
        return None
    lock(conn)
    last = head(conn)
    sealed = integrity.seal(conn, (last.id + 1) if last else 1)
    if sealed is None:
        return None
    txn, by = conn.info.get(_LAST_ACTOR, (None, "unknown"))
    return _write_entry(conn, last, sealed, by=by if txn is conn.get_transaction() else "unknown",
                        action="rows.sealed", target="rows", details={})


class RecordsDigest:
    """Running SHA-256 over (row_number, raw_sha256) of an import's records, in row order."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, row_number: int, raw_sha256: str) -> None:
        self._h.update(f"{row_number}:{raw_sha256}\n".encode())

    def hexdigest(self) -> str:
        return self._h.hexdigest()


class Anchor(Protocol):
    """A head of the chain recorded outside the case (a signed checkpoint): the number of
    entries then and the newest entry's hash."""

    @property
    def entries(self) -> int: ...

    @property
    def head_hash(self) -> str: ...

    @property
    def at(self) -> str: ...


@dataclass(frozen=True)
class AuditReport:
    """Result of :func:`verify`.  ``ok`` is False when anything differs; ``problem`` is the
    first finding, ``problems`` all of them (the chain walk stops at its first broken link;
    the row checks name every row that differs, up to :data:`MAX_PROBLEMS`)."""

    entries: int
    records_checked: int
    ok: bool
    broken_entry: int | None = None
    problem: str | None = None
    problems: tuple[str, ...] = ()
    rows_checked: int = 0
    tables_checked: int = 0
    tampered: tuple[integrity.RowProblem, ...] = ()
    anchors_checked: int = 0

    def summary(self) -> str:
        if self.ok:
            anchored = (f" It extends {self.anchors_checked} signed checkpoint(s)."
                        if self.anchors_checked else "")
            return (f"Audit chain intact: {self.entries} entries, "
                    f"{self.records_checked} source records match their hashes, "
                    f"{self.rows_checked} rows of {self.tables_checked} tables match the "
                    f"chain.{anchored}")
        lines = [f"Audit chain BROKEN: {self.problem}"]
        lines += [f"  {p}" for p in self.problems[1:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"  … {len(self.problems) - MAX_PROBLEMS} more")
        return "\n".join(lines)


MAX_PROBLEMS = 50
"""Findings printed by :meth:`AuditReport.summary`; all are in ``problems``."""


def _broken(n: int, checked: int, entry: int | None, problems: Sequence[str],
            **kw: Any) -> AuditReport:
    return AuditReport(n, checked, False, entry, problems[0], tuple(problems), **kw)


def verify(conn: Connection, *, anchors: Sequence[Anchor] = ()) -> AuditReport:
    """Re-walk the chain, re-hash every source record, check every protected row against
    the hashes the chain sealed, and check the chain against ``anchors`` (signed
    checkpoints: an anchor proves the chain has not been cut or rewritten since)."""
    prev = GENESIS
    expected_seq = 1
    n = 0
    sealed: dict[int, tuple[int, str, bool]] = {}
    hashes_at: dict[int, str] = {}
    want_at = {a.entries for a in anchors}
    for e in conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)):
        n += 1
        if e.id != expected_seq:
            return _broken(n - 1, 0, e.id,
                           [f"audit entry {expected_seq} is missing (next is {e.id})."])
        if e.prev_hash != prev:
            return _broken(n - 1, 0, e.id,
                           [f"audit entry {e.id} does not follow entry {e.id - 1}: "
                            f"its prev_hash differs from that entry's hash."])
        h = entry_hash(e.id, e.at, e.actor, e.action, e.target, e.details, e.prev_hash)
        if h != e.entry_hash:
            return _broken(n - 1, 0, e.id,
                           [f"audit entry {e.id} ({e.action} {e.target}) was altered: "
                            f"its content no longer matches its hash."])
        rs = integrity.sealed_in(e.details)
        if rs is not None:
            sealed[e.id] = rs
        if e.id in want_at:
            hashes_at[e.id] = e.entry_hash
        prev = e.entry_hash
        expected_seq += 1

    problems: list[str] = []
    for a in sorted(anchors, key=lambda a: a.entries):
        if a.entries > n:
            problems.append(
                f"the chain has {n} entries but the checkpoint of {a.at} covers {a.entries}: "
                f"entries {n + 1}–{a.entries} (at least) were removed.")
        elif hashes_at.get(a.entries) != a.head_hash:
            problems.append(
                f"audit entry {a.entries} is not the one checkpointed at {a.at}: the chain "
                f"was rewritten at or before entry {a.entries}.")
    if problems:
        return _broken(n, 0, None, problems)

    # Every import's records against the digest its audit entry committed to.
    logged: dict[int, str] = {}
    for e in conn.execute(select(AuditEntry.__table__).where(AuditEntry.action == "import")):
        d = json.loads(e.details)
        logged[int(d["import_id"])] = d["records_digest"]
    checked = 0
    for imp in conn.execute(select(Import.id, Import.records_digest).order_by(Import.id)):
        if logged.get(imp.id) != imp.records_digest:
            problems.append(f"import {imp.id} is not in the audit log as recorded.")
            continue
        rows = conn.execute(
            select(SourceRecord.id, SourceRecord.row_number, SourceRecord.raw,
                   SourceRecord.raw_sha256)
            .where(SourceRecord.import_id == imp.id).order_by(SourceRecord.row_number)
        )
        digest = RecordsDigest()
        bad = False
        for r in rows:
            checked += 1
            if sha256_text(r.raw) != r.raw_sha256:
                problems.append(f"source record {r.id} (import {imp.id}, row "
                                f"{r.row_number}) was altered: its raw row no longer "
                                f"matches its SHA-256.")
                bad = True
            digest.add(r.row_number, r.raw_sha256)
        if not bad and digest.hexdigest() != imp.records_digest:
            problems.append(f"the source records of import {imp.id} differ from those "
                            f"written at import (a record was added, removed or changed).")
    for rj in conn.execute(select(RejectedRow.id, RejectedRow.import_id,
                                  RejectedRow.row_number, RejectedRow.raw,
                                  RejectedRow.raw_sha256)):
        if sha256_text(rj.raw) != rj.raw_sha256:
            problems.append(f"rejected row {rj.id} (import {rj.import_id}, row "
                            f"{rj.row_number}) was altered: its raw row no longer matches "
                            f"its SHA-256.")

    found = integrity.verify_rows(conn, sealed, n)
    problems += found.problems
    kw: dict[str, Any] = dict(rows_checked=found.rows_checked,
                              tables_checked=found.tables_checked, tampered=found.rows,
                              anchors_checked=len(anchors))
    if problems:
        return _broken(n, checked, None, problems, **kw)
    return AuditReport(n, checked, True, **kw)
