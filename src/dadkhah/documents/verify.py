"""A person checks a machine reading: verification and correction, audited.

A record read from a document is a machine reading (``verified: false`` in its raw row).
:func:`verify_entry` records that a person checked it, with the fields they corrected (or
the proposals they accepted): the record's mapped fields take the corrected values, the raw
row keeps the machine reading unchanged (so its SHA-256 still verifies), and one audit
entry (``record.verify``) keeps who, when, the reading and every value before and after.
The latest verification of a record is its state (:func:`verifications`).

The parsed columns (keys, intervals, places) follow the mapped fields at the next
``dadkhah normalize``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, true, update

from dadkhah.access import Viewer
from dadkhah.documents.read import provenance
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.audit import append
from dadkhah.store.restrict import hidden_records_select, hides, visible_source_id
from dadkhah.store.tables import AuditEntry, Source, SourceRecord

__all__ = ["VERIFY_ACTION", "ReadingCount", "Verification", "reading_counts",
           "reading_states", "unverified_records", "verifications", "verify_entry"]

VERIFY_ACTION = "record.verify"


@dataclass(frozen=True)
class Verification:
    """One person's check of one machine reading."""

    record_id: int
    by: str
    at: str
    audit_id: int
    reading: str
    changes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    note: str | None = None

    def summary(self) -> str:
        what = "; ".join(f"{f}: «{a or ''}» → «{b or ''}»" for f, (a, b) in self.changes.items())
        return (f"record {self.record_id} verified by {self.by} at {self.at[:19]}"
                + (f", corrected {what}" if what else ", accepted as read"))


def verify_entry(case: Case, record_id: int, *, by: str,
                 corrections: Mapping[str, str | None] | None = None,
                 accept_proposals: bool = False, note: str | None = None) -> Verification:
    """Record that ``by`` checked the machine reading of ``record_id``.

    ``corrections`` (field → value, None to empty it) win over the proposals;
    ``accept_proposals`` takes the correction proposals stored with the reading.  Raises
    :class:`~dadkhah.errors.InvalidInput` (nothing written) for a record not read from a
    document or an unknown field.
    """
    given = dict(corrections or {})
    unknown = [f for f in given if f not in RECORD_FIELDS]
    if unknown:
        raise InvalidInput(f"Unknown field(s) {', '.join(unknown)} for record {record_id}; "
                           f"nothing was written.", hint="Fields are: " + ", ".join(RECORD_FIELDS))
    with case.write() as conn:
        rec = conn.execute(select(SourceRecord.__table__)
                           .where(SourceRecord.id == record_id)).first()
        if rec is None:
            raise NotFound(f"No source record {record_id} in this case.",
                           hint="List records with: dadkhah records list")
        prov = provenance(rec.raw)
        if prov is None:
            raise InvalidInput(f"Record {record_id} was not read from a document (it is a "
                               f"row of a list file), so there is no machine reading to "
                               f"verify; nothing was written.",
                               hint="Correct list rows by importing a corrected list.")
        wanted: dict[str, str | None] = {}
        if accept_proposals:
            for p in prov.get("proposals") or []:
                if p.get("field") in RECORD_FIELDS:
                    wanted[p["field"]] = p["proposed"]
        wanted.update(given)
        changes = {f: (getattr(rec, f), v) for f, v in wanted.items() if getattr(rec, f) != v}
        if changes:
            conn.execute(update(SourceRecord).where(SourceRecord.id == record_id)
                         .values({f: v for f, (_, v) in changes.items()}))
        reading = json.loads(rec.raw).get("reading", "")
        details: dict[str, Any] = {
            "record_id": record_id, "raw_sha256": rec.raw_sha256, "reading": reading,
            "page": prov.get("page"), "box": prov.get("box"),
            "changes": {f: {"before": a, "after": b} for f, (a, b) in changes.items()},
            "note": note}
        audit_id = append(conn, by=by, action=VERIFY_ACTION, target=f"record:{record_id}",
                          details=details)
        at = conn.execute(select(AuditEntry.at).where(AuditEntry.id == audit_id)).scalar_one()
    return Verification(record_id, by, at, audit_id, reading, changes, note)


def verifications(case: Case, record_ids: Iterable[int] | None = None
                  ) -> dict[int, Verification]:
    """The latest verification of each verified record (all, or of ``record_ids``); a
    record absent from the result is an unverified machine reading."""
    wanted = set(record_ids) if record_ids is not None else None
    out: dict[int, Verification] = {}
    with case.read() as conn:
        rows = conn.execute(select(AuditEntry.id, AuditEntry.at, AuditEntry.actor,
                                   AuditEntry.details)
                            .where(AuditEntry.action == VERIFY_ACTION).order_by(AuditEntry.id))
        for r in rows:
            d = json.loads(r.details)
            rid = int(d["record_id"])
            if wanted is not None and rid not in wanted:
                continue
            out[rid] = Verification(rid, r.actor, r.at, r.id, d.get("reading", ""),
                                    {f: (c["before"], c["after"])
                                     for f, c in d.get("changes", {}).items()}, d.get("note"))
    return out


@dataclass(frozen=True)
class ReadingCount:
    """How many of a source's records are machine readings of a document, and how many of
    those no person has checked yet."""

    source_id: int
    slug: str
    title: str
    readings: int
    unverified: int

    def summary(self) -> str:
        return (f"{self.slug}: {self.unverified:,} of {self.readings:,} machine reading(s) "
                f"unverified")


def _document_rows(case: Case, source: int | str | None, viewer: Viewer | None
                   ) -> list[tuple[int, int]]:
    """(record id, source id) of every record read from a document that ``viewer`` may see,
    in record order (``source_records.machine_reading``, indexed: set at import where
    :func:`provenance` reads the raw row as a document entry)."""
    t = SourceRecord.__table__
    q = select(t.c.id, t.c.source_id).where(t.c.machine_reading == true()).order_by(t.c.id)
    with case.read() as conn:
        if source is not None:
            q = q.where(t.c.source_id == visible_source_id(conn, source, viewer))
        if hides(conn, viewer):
            q = q.where(t.c.id.not_in(hidden_records_select(viewer)))
        return [(r.id, r.source_id) for r in conn.execute(q)]


def unverified_records(case: Case, *, source: int | str | None = None,
                       viewer: Viewer | None = None, after: int | None = None,
                       limit: int | None = None) -> list[int]:
    """The ids of the machine readings no person has checked (:func:`verify_entry`), in
    record order: of one source (id or slug) or all, those ``viewer`` may see (None: nobody
    in particular), from the first id above ``after`` on, at most ``limit``.  A source
    hidden from ``viewer`` is not found, as an unknown one."""
    rows = _document_rows(case, source, viewer)
    done = verifications(case, [rid for rid, _ in rows])
    out = [rid for rid, _ in rows if rid not in done and (after is None or rid > after)]
    return out[:limit] if limit is not None else out


def reading_counts(case: Case, *, viewer: Viewer | None = None) -> list[ReadingCount]:
    """Per source with records read from a document (those ``viewer`` may see): how many
    there are and how many are unverified, in source order."""
    rows = _document_rows(case, None, viewer)
    done = verifications(case, [rid for rid, _ in rows])
    total: dict[int, int] = {}
    open_: dict[int, int] = {}
    for rid, sid in rows:
        total[sid] = total.get(sid, 0) + 1
        open_[sid] = open_.get(sid, 0) + (rid not in done)
    if not total:
        return []
    with case.read() as conn:
        names = {r.id: (r.slug, r.title) for r in conn.execute(
            select(Source.id, Source.slug, Source.title).where(Source.id.in_(list(total))))}
    return [ReadingCount(sid, *names[sid], total[sid], open_[sid]) for sid in sorted(total)]


def reading_states(case: Case, record_ids: Iterable[int]) -> dict[int, str]:
    """``"unverified"`` or ``"verified"`` for each of ``record_ids`` that is a machine
    reading of a document; a row of a list file is left out (nothing to verify).  The
    caller has checked that its reader may see these records."""
    ids = list(record_ids)
    if not ids:
        return {}
    t = SourceRecord.__table__
    with case.read() as conn:
        readings = list(conn.execute(select(t.c.id).where(
            t.c.id.in_(ids), t.c.machine_reading == true())).scalars())
    done = verifications(case, readings)
    return {rid: "verified" if rid in done else "unverified" for rid in readings}
