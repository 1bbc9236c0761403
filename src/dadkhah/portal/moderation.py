"""The moderation queue: a moderator accepts a submission (it becomes a source record of the
"public submissions" source) or rejects it with a reason.

Acceptance goes through the normal import path: the submission is one row given to
:func:`dadkhah.ingest.import_rows`, validated and stored exactly as an imported list would be
(raw row kept verbatim with its SHA-256, records digest in the ``import`` audit entry), inside
the same transaction that marks the submission accepted and logs the moderator's decision.
So ``dadkhah audit verify`` covers it like any other record, and the next ``dadkhah link``
places it in the register like any other record.  The contact details never reach the record.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select, update

from dadkhah.access import require
from dadkhah.errors import DuplicateImport, IngestError, NotFound, StoreError
from dadkhah.ingest import Mapping, import_rows
from dadkhah.portal.submissions import Submission, get_submission
from dadkhah.register.normalize import INPUT_FIELDS, PARSED, normalize_fields
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import PortalSubmission, Source, SourceRecord

SUBMISSIONS_SOURCE = "public-submissions"
"""Slug of the source that accepted submissions become records of (kind public_submission)."""

SUBMISSIONS_TITLE = "Public submissions (memorial portal)"


@dataclass(frozen=True)
class Decision:
    """What a moderation decision did."""

    submission: Submission
    record_id: int | None = None
    import_id: int | None = None
    source_id: int | None = None
    decision_id: int | None = None  # a correction: the "match" tying it to its person

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        s = self.submission
        if s.status == "accepted":
            tied = (f"; decision {self.decision_id} ties it to person {s.person_id}"
                    if self.decision_id else "")
            return (f"Accepted submission {s.id}: source record {self.record_id} of source "
                    f"{SUBMISSIONS_SOURCE!r} (import {self.import_id}){tied}. Run `dadkhah "
                    f"link` to place it in the register.")
        return f"Rejected submission {s.id}: {s.reason}"


def submissions_source_id(case: Case, *, by: str = "unknown") -> int:
    """The id of the "public submissions" source, registered on first use."""
    with case.read() as conn:
        sid = conn.execute(select(Source.id).where(Source.slug == SUBMISSIONS_SOURCE)).scalar()
    if sid is not None:
        return int(sid)
    return case.add_source(
        slug=SUBMISSIONS_SOURCE, title=SUBMISSIONS_TITLE, kind="public_submission",
        reliability="F", notes="Reports and corrections sent by families through the public "
                               "portal, each accepted by a moderator.", by=by).id


def _pending(conn: Any, submission_id: int) -> Any:
    row = conn.execute(select(PortalSubmission.__table__)
                       .where(PortalSubmission.id == submission_id)).first()
    if row is None:
        raise NotFound(f"No submission {submission_id} in this case.",
                       hint="List them with: dadkhah submissions list")
    if row.status != "pending":
        raise StoreError(f"Submission {submission_id} was already {row.status} "
                         f"(by {row.decided_by} on {(row.decided_at or '')[:10]}).",
                         hint="Only pending submissions can be accepted or rejected.")
    return row


def _row_of(sub: Any) -> dict[str, Any]:
    """The line stored for an accepted submission: its fields and provenance, no contact."""
    fields = json.loads(sub.fields)
    row: dict[str, Any] = {"external_id": f"submission-{sub.id}", **fields,
                           "submission_kind": sub.kind, "relation": sub.relation,
                           "submitted_at": sub.submitted_at}
    if sub.person_id is not None:
        row["corrects_person"] = sub.person_id
    return row


def accept(case: Case, submission_id: int, *, by: str, role: str | None) -> Decision:
    """Accept a pending submission: it becomes one source record of the public-submissions
    source, through the importer, in one transaction with the moderator's audit entry."""
    require(role, "moderate", what=f"submission {submission_id}")
    with case.read() as conn:
        _pending(conn, submission_id)  # refuse early, before registering the source
    source_id = submissions_source_id(case, by=by)
    with case.write() as conn:
        sub = _pending(conn, submission_id)  # again, under the write lock
        row = _row_of(sub)
        mapping = Mapping(columns={k: k for k in row if k in RECORD_FIELDS}, origin="file")
        try:
            report = import_rows(case, [row], source=source_id, mapping=mapping, strict=True,
                                 name=f"public-submission-{sub.id}.jsonl", preview_rows=0,
                                 by=by, conn=conn)
        except DuplicateImport:
            raise StoreError(f"Submission {sub.id} was imported before (same SHA-256).",
                             hint="Nothing was written; check the public-submissions "
                                  "source.") from None
        if report.rows_imported != 1:
            raise IngestError(f"Submission {sub.id} could not be stored as a record: "
                              + "; ".join(p["message"] for p in report.problems),
                              hint="Reject it with a reason, or ask the submitter to resend.")
        rec = conn.execute(select(SourceRecord.__table__)
                           .where(SourceRecord.import_id == report.import_id)).one()
        # Parse it now, so that the memorial search finds it before the next full normalize.
        parsed = normalize_fields({f: getattr(rec, f) for f in INPUT_FIELDS})
        conn.execute(update(SourceRecord).where(SourceRecord.id == rec.id).values(
            **{p: parsed[p] for p in PARSED}, normalized_at=now_utc()))
        decision_id = _link_correction(conn, sub, rec.id, by) if sub.person_id else None
        at = now_utc()
        conn.execute(update(PortalSubmission).where(PortalSubmission.id == sub.id).values(
            status="accepted", decided_at=at, decided_by=by, record_id=rec.id))
        append(conn, by=by, action="submission.accept", target=f"submission:{sub.id}",
               details={"submission_id": sub.id, "record_id": rec.id,
                        "import_id": report.import_id, "source_id": source_id,
                        "raw_sha256": rec.raw_sha256, "decision_id": decision_id})
    return Decision(get_submission(case, submission_id, role=role), rec.id, report.import_id,
                    source_id, decision_id)


def _link_correction(conn: Any, sub: Any, record_id: int, by: str) -> int | None:
    """A correction names its memorial entry; the moderator who accepts it confirms that
    it is about that person, so a "match" decision ties the new record to the person's
    first record and every later relink keeps them together.  When the person is no longer
    in the register (merged or split since), nothing is tied: linkage decides alone."""
    from dadkhah.register import insert_decision
    from dadkhah.store.tables import Person, PersonRecord

    active = conn.execute(select(Person.status).where(Person.id == sub.person_id)).scalar()
    first = conn.execute(select(PersonRecord.record_id).where(
        PersonRecord.person_id == sub.person_id).order_by(PersonRecord.record_id)
        .limit(1)).scalar()
    if active != "active" or first is None:
        return None
    return insert_decision(conn, first, record_id, "match", by=by,
                           reason=f"public correction of person {sub.person_id} "
                                  f"(submission {sub.id}), accepted by the moderator",
                           origin="portal")


def reject(case: Case, submission_id: int, *, reason: str, by: str,
           role: str | None) -> Decision:
    """Reject a pending submission with a reason (kept, with the moderator, in the log)."""
    require(role, "moderate", what=f"submission {submission_id}")
    reason = (reason or "").strip()
    if not reason:
        raise StoreError(f"Rejecting submission {submission_id} needs a reason.",
                         hint="Say why, e.g. --reason 'duplicate of person 12' or 'spam'.")
    with case.write() as conn:
        _pending(conn, submission_id)
        conn.execute(update(PortalSubmission).where(PortalSubmission.id == submission_id)
                     .values(status="rejected", decided_at=now_utc(), decided_by=by,
                             reason=reason))
        append(conn, by=by, action="submission.reject",
               target=f"submission:{submission_id}",
               details={"submission_id": submission_id, "reason": reason})
    return Decision(get_submission(case, submission_id, role=role))
