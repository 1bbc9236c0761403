"""Submissions from the public: a family member reports a victim or corrects a memorial entry.

A submission is validated field by field (every problem is reported at once, each naming its
field, so a form can show it beside the input), stored as *pending* together with an audit
entry, and waits for a moderator (:mod:`dadkhah.portal.moderation`).  Until it is accepted it
is not a source record and no public page can see it.

The submitter's contact details are PROTECTED: they are kept in their own table, never in the
submission's fields, the source record it may become, or the audit log, and are read back only
by a role holding ``protected.read`` (:func:`submission_contact`), which is itself audited.
Given the case's testimony key (:class:`dadkhah.casefile.testimony.TestimonyKey`, kept outside
the case) they are encrypted at rest with AES-256-GCM, bound to their submission; without a
key they are stored in clear in that table (``scheme`` says which) — the server then holds
them like any other protected field, readable by whoever reads the database file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import insert, select

from dadkhah.access import require
from dadkhah.errors import DadkhahError, NotFound
from dadkhah.store import Case
from dadkhah.store.audit import append, canonical_json, now_utc
from dadkhah.store.tables import PortalSubmission, PortalSubmissionContact, insert_row

SUBMISSION_KINDS = ("report", "correction")
"""``report``: a victim who may not be listed yet; ``correction``: of a memorial entry."""

SUBMISSION_FIELDS = (
    "full_name", "given_names", "surname", "father_name", "sex", "age", "birth_date",
    "death_date", "place_of_arrest", "prison", "city", "notes",
)
"""Record fields a submitter may fill (a subset of :data:`dadkhah.store.RECORD_FIELDS`)."""

MAX_LENGTH = {"notes": 2000, "relation": 200, "contact": 300}
DEFAULT_MAX_LENGTH = 200
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): nobody types
# them into a name on purpose, and "\u202eevil\u202c Hosseini" reads differently from what is
# stored (review I21).  They are removed on the way in and the submitter is told.  Marks
# (U+200E/U+200F) and ZWNJ stay: Persian text needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one form field; ``code`` is stable (for translated messages)."""

    field: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class SubmissionInvalid(DadkhahError):
    """A submission form with problems; ``problems`` lists every one, field by field."""

    http_status = 422

    def __init__(self, problems: list[FieldProblem]) -> None:
        fields = ", ".join(dict.fromkeys(p.field for p in problems))
        super().__init__(
            f"The submission has {len(problems)} problem(s), in: {fields}. "
            + " ".join(f"{p.field}: {p.message}" for p in problems),
            hint="Correct the fields named and send the form again; nothing was stored.")
        self.problems = list(problems)

    def by_field(self) -> dict[str, list[FieldProblem]]:
        out: dict[str, list[FieldProblem]] = {}
        for p in self.problems:
            out.setdefault(p.field, []).append(p)
        return out


@dataclass(frozen=True)
class SubmissionForm:
    """A validated submission, ready to store.  ``contact`` is PROTECTED."""

    kind: str
    fields: dict[str, str]
    relation: str
    contact: str | None = field(default=None, repr=False)
    person_id: int | None = None
    language: str = "en"
    bidi_removed: tuple[str, ...] = ()
    """Fields from which bidi override/isolate controls were removed (tell the submitter)."""


def _clean(value: Any) -> str:
    """Text as typed, NFC, outer spaces and runs of inner whitespace reduced."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return re.sub(r"[ \t]+", " ", text).strip()


def validate_submission(data: Mapping[str, Any]) -> SubmissionForm:
    """Check a submission form and return it cleaned, or raise :class:`SubmissionInvalid`.

    ``data`` holds ``kind`` (``report`` or ``correction``), ``person_id`` (for a correction:
    the memorial entry corrected), the :data:`SUBMISSION_FIELDS`, ``relation`` (the
    submitter's relation to the victim, required), ``contact`` (optional) and ``language``.
    Dates may be Solar Hijri or Gregorian, in Persian or ASCII digits, as
    :func:`dadkhah.names.parse_date` reads them.
    """
    from dadkhah.names import MAX_AGE, fold_digits, parse_age, read_sex, try_parse_date

    problems: list[FieldProblem] = []

    def bad(fld: str, code: str, message: str) -> None:
        problems.append(FieldProblem(fld, code, message))

    kind = _clean(data.get("kind") or "report")
    if kind not in SUBMISSION_KINDS:
        bad("kind", "kind", f"must be one of {', '.join(SUBMISSION_KINDS)}, not {kind!r}.")
    person_id: int | None = None
    pid = fold_digits(_clean(data.get("person_id")))
    if pid:
        if pid.isdigit():
            person_id = int(pid)
        else:
            bad("person_id", "person_id", "must be the number of a memorial entry.")
    elif kind == "correction":
        bad("person_id", "required",
            "a correction must name the memorial entry it corrects (its number).")

    values: dict[str, str] = {}
    bidi_removed: list[str] = []
    for fld in (*SUBMISSION_FIELDS, "relation", "contact"):
        raw = data.get(fld)
        text = _clean(raw)
        if BIDI_CONTROLS.search(text):
            text = _clean(BIDI_CONTROLS.sub("", text))
            bidi_removed.append(fld)
        limit = MAX_LENGTH.get(fld, DEFAULT_MAX_LENGTH)
        if len(text) > limit:
            bad(fld, "too_long", f"is {len(text):,} characters long; at most {limit:,}.")
        elif _BAD_CHARS.search(text) or ("\n" in text and fld != "notes"):
            bad(fld, "bad_text", "holds control characters or line breaks.")
        if text:
            values[fld] = text

    if not any(values.get(f) for f in ("full_name", "given_names", "surname")):
        bad("full_name", "required",
            "give the victim's name (full name, or given name and surname), in any script.")
    for fld in ("full_name", "given_names", "surname", "father_name"):
        v = values.get(fld)
        if v and not any(ch.isalpha() for ch in v):
            bad(fld, "not_a_name", "holds no letters.")
    for fld in ("birth_date", "death_date"):
        v = values.get(fld)
        if not v:
            continue
        interval, why = try_parse_date(v)
        if interval is None:
            bad(fld, "bad_date", f"cannot read {v!r} as a date ({why}); write it as "
                                 f"1367/05/10 (Solar Hijri), 1988-08-01, «مرداد ۱۳۶۷» or "
                                 f"«summer 1988».")
    if values.get("age") and parse_age(values["age"]) is None:
        bad("age", "bad_age", f"must be a number of years between 0 and {MAX_AGE}, such as "
                              f"25, about 25 or 20-25.")
    if values.get("sex") and read_sex(values["sex"]) is None:
        bad("sex", "bad_sex", "write female, male or unknown (زن، مرد، نامعلوم).")
    if not values.get("relation"):
        bad("relation", "required",
            "say how you know the victim (e.g. sister, son, cell-mate, friend).")
    language = _clean(data.get("language") or "en")
    if language not in ("en", "fa"):
        language = "en"
    if problems:
        raise SubmissionInvalid(problems)
    return SubmissionForm(
        kind=kind, fields={f: values[f] for f in SUBMISSION_FIELDS if f in values},
        relation=values["relation"], contact=values.get("contact"), person_id=person_id,
        language=language, bidi_removed=tuple(bidi_removed))


@dataclass(frozen=True)
class Submission:
    """A stored submission as a moderator sees it; never holds the contact itself."""

    id: int
    kind: str
    status: str
    fields: dict[str, str]
    relation: str
    language: str
    submitted_at: str
    person_id: int | None = None
    has_contact: bool = False
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    record_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        name = (self.fields.get("full_name")
                or " ".join(self.fields.get(f, "") for f in ("given_names", "surname")).strip())
        target = f" of person {self.person_id}" if self.person_id else ""
        tail = f" → source record {self.record_id}" if self.record_id else ""
        why = f" ({self.reason})" if self.reason else ""
        return (f"submission {self.id}: {self.kind}{target}, {self.status}{why}{tail}; "
                f"{name} — by a {self.relation}, {self.submitted_at[:10]}")


def _aad_label(submission_id: int) -> str:
    # The testimony key's associated data is "dadkhah-testimony:<label>"; a testimony
    # pseudonym is a slug and has no ":", so these labels never collide with one.
    return f"submission:{submission_id}"


def submit(case: Case, form: SubmissionForm, *, client_hash: str = "",
           key: Any = None, by: str = "public") -> Submission:
    """Store a validated submission as *pending*, with its audit entry, in one transaction.

    ``client_hash`` is a keyed hash of the sender's address (see
    :func:`dadkhah.portal.ratelimit.client_hash`); the address itself is never stored.
    ``key`` (a :class:`~dadkhah.casefile.testimony.TestimonyKey`) encrypts the contact.
    """
    values = dict(kind=form.kind, person_id=form.person_id,
                  fields=canonical_json(form.fields), relation=form.relation,
                  language=form.language, client_hash=client_hash, status="pending",
                  submitted_at=now_utc())
    with case.write() as conn:
        sid = insert_row(conn, PortalSubmission, **values)
        if form.contact:
            if key is not None:
                stored = key.encrypt({"contact": form.contact}, _aad_label(sid))
                scheme = "aes-gcm:" + key.fingerprint[:16]
            else:
                stored, scheme = form.contact, "plain"
            conn.execute(insert(PortalSubmissionContact).values(
                submission_id=sid, contact=stored, scheme=scheme))
        # No field values in the log: it is read by every team member.
        append(conn, by=by, action="submission.receive", target=f"submission:{sid}",
               details={"submission_id": sid, "kind": form.kind, "person_id": form.person_id,
                        "fields": sorted(form.fields), "has_contact": bool(form.contact)})
    return get_submission(case, sid, role="admin")


def _view(row: Any, has_contact: bool) -> Submission:
    return Submission(id=row.id, kind=row.kind, status=row.status,
                      fields=json.loads(row.fields), relation=row.relation,
                      language=row.language, submitted_at=row.submitted_at,
                      person_id=row.person_id, has_contact=has_contact,
                      decided_at=row.decided_at, decided_by=row.decided_by,
                      reason=row.reason, record_id=row.record_id)


def get_submission(case: Case, submission_id: int, *, role: str | None) -> Submission:
    """One submission (moderators only)."""
    require(role, "moderate", what=f"submission {submission_id}")
    with case.read() as conn:
        row = conn.execute(select(PortalSubmission.__table__)
                           .where(PortalSubmission.id == submission_id)).first()
        if row is None:
            raise NotFound(f"No submission {submission_id} in this case.",
                           hint="List them with: dadkhah submissions list")
        has = conn.execute(select(PortalSubmissionContact.submission_id).where(
            PortalSubmissionContact.submission_id == submission_id)).first() is not None
    return _view(row, has)


def list_submissions(case: Case, *, role: str | None, status: str | None = "pending",
                     limit: int = 100, offset: int = 0) -> list[Submission]:
    """Submissions, oldest first; ``status`` None lists all (moderators only)."""
    require(role, "moderate", what="public submissions")
    t = PortalSubmission.__table__
    q = select(t, PortalSubmissionContact.submission_id.label("contact_of")).outerjoin(
        PortalSubmissionContact, PortalSubmissionContact.submission_id == t.c.id)
    if status is not None:
        q = q.where(t.c.status == status)
    q = q.order_by(t.c.id).limit(limit).offset(offset)
    with case.read() as conn:
        return [_view(r, r.contact_of is not None) for r in conn.execute(q)]


def submission_contact(case: Case, submission_id: int, *, role: str | None,
                       by: str = "unknown", key: Any = None) -> str | None:
    """PROTECTED: the submitter's contact details (``protected.read``); the read is audited.
    An encrypted contact needs the ``key`` it was written with."""
    from dadkhah.errors import ConfigError

    require(role, "protected.read", what=f"the contact details of submission {submission_id}")
    with case.write() as conn:
        row = conn.execute(select(PortalSubmissionContact.contact,
                                  PortalSubmissionContact.scheme).where(
            PortalSubmissionContact.submission_id == submission_id)).first()
        if row is not None and row.scheme != "plain":
            want = row.scheme.split(":", 1)[1]
            if key is None or not key.fingerprint.startswith(want):
                raise ConfigError(
                    f"The contact details of submission {submission_id} are encrypted with "
                    f"key {want}…; " + ("no key was given." if key is None else
                                        f"the key given is {key.fingerprint[:16]}…."),
                    hint="Give the case's testimony key (--key-file, DADKHAH_KEY_FILE or "
                         "DADKHAH_KEY). Nothing was read.")
        append(conn, by=by, action="submission.contact.read",
               target=f"submission:{submission_id}",
               details={"submission_id": submission_id, "found": row is not None})
    if row is None:
        return None
    if row.scheme == "plain":
        return row.contact
    return key.decrypt(row.contact, _aad_label(submission_id))["contact"]
