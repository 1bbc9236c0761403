"""Human review: decisions on pairs of records, and manual merge and split of persons.

Decisions are constraints every later linkage run respects (a *match* is a must-link, *not a
match* a cannot-link, *unsure* is recorded and constrains nothing).  A newer decision on the
same pair supersedes the older one, which is kept.  Merges and splits are decisions too, so
they survive every relink.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, or_, select, true, update
from sqlalchemy import case as sql_case

from dadkhah import access
from dadkhah.access import INTERNAL, Viewer
from dadkhah.errors import LinkageError, NotFound
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.restrict import hidden_records_select, hides, no_such_source, source_hidden
from dadkhah.store.tables import (
    Decision,
    LinkPair,
    Person,
    PersonRecord,
    Source,
    SourceRecord,
)

DECISIONS = ("match", "no_match", "unsure")


@dataclass(frozen=True)
class ReviewPair:
    """A pair offered for review, both records side by side."""

    pair_id: int
    record_l: int
    record_r: int
    match_probability: float
    priority: float
    left: dict[str, Any]
    right: dict[str, Any]
    weights: dict[str, float]  # match weight (log2 Bayes factor) per comparison
    person_l: int | None
    person_r: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def record_dict(conn: Connection, rid: int, viewer: Viewer | None = None) -> dict[str, Any]:
    """One source record as a reviewer sees it: id, source, row and the fields it gives,
    with the name and father's name also in Latin letters when written in Persian (the
    reviewer may read only one script).  Read through ``conn`` (from
    :meth:`dadkhah.store.Case.read` or ``write``); :class:`~dadkhah.errors.NotFound` when
    there is no such record, or ``viewer`` (None: nobody in particular) may not see it."""
    _refuse_hidden(conn, [rid], viewer)
    r = conn.execute(select(SourceRecord.__table__).where(SourceRecord.id == rid)).first()
    if r is None:
        raise NotFound(f"No source record {rid} in this case.",
                       hint="List records with: dadkhah records list")
    out = {"id": r.id, "source_id": r.source_id, "row_number": r.row_number,
           **{f: getattr(r, f) for f in RECORD_FIELDS if getattr(r, f)}}
    # Both scripts side by side: the reviewer may read only one of them.
    name = r.full_name or " ".join(x for x in (r.given_names, r.surname) if x)
    if name:
        from dadkhah.names import detect_script, latin_form

        if detect_script(name) == "persian":
            out["name (Latin)"] = latin_form(name)
        if r.father_name and detect_script(r.father_name) == "persian":
            out["father (Latin)"] = latin_form(r.father_name)
    return out


@dataclass(frozen=True)
class ReviewBatch:
    """A part of the review queue a reviewer takes on at once: the pairs with a record from
    one source (``source``, its slug) and/or a record placed in one prison (``prison``, a
    gazetteer id such as ``evin``).  The empty batch is the whole queue.  Who knows one
    list or one prison's records well reviews them faster and better together."""

    source: str | None = None
    prison: str | None = None

    def __bool__(self) -> bool:
        return bool(self.source or self.prison)

    def condition(self, conn: Connection, lp: Any, viewer: Viewer | None = None) -> Any:
        """The SQL condition on link pairs ``lp`` selecting this batch
        (:class:`~dadkhah.errors.NotFound` for a source the case does not hold, and the
        same answer for one restricted from ``viewer``: its slug is not told apart)."""
        sr = SourceRecord.__table__
        conds = []
        if self.source:
            sid = conn.execute(select(Source.id).where(Source.slug == self.source)).scalar()
            if sid is None or source_hidden(conn, int(sid), viewer):
                raise no_such_source(self.source)
            conds.append(sr.c.source_id == sid)
        if self.prison:
            conds.append(sr.c.prison_id == self.prison)
        if not conds:
            return true()
        inside = select(sr.c.id).where(and_(*conds))
        return or_(lp.c.record_l.in_(inside), lp.c.record_r.in_(inside))


def review_queue(case: Case, *, limit: int = 20, include_decided: bool = False,
                 batch: ReviewBatch | None = None,
                 viewer: Viewer | None = None) -> list[ReviewPair]:
    """Uncertain pairs of the latest run in queue order (:func:`_queue_order`: what a
    decision would teach the model and change in the register, highest first), skipping
    decided pairs unless ``include_decided``, and pairs with a record ``viewer`` may not
    see (restricted records); only those of ``batch`` when given."""
    lp, undecided = _undecided()
    query = select(lp).where(lp.c.review).order_by(*_queue_order(lp)).limit(limit)
    with case.read() as conn:
        if hides(conn, viewer):  # one indexed query: nothing to filter in most cases
            hidden = hidden_records_select(viewer)
            query = query.where(lp.c.record_l.not_in(hidden), lp.c.record_r.not_in(hidden))
        if batch:
            query = query.where(batch.condition(conn, lp, viewer))
        rows = conn.execute(query if include_decided else query.where(undecided)).all()
        ids = sorted({r for p in rows for r in (p.record_l, p.record_r)})
        person = dict(conn.execute(select(PersonRecord.record_id, PersonRecord.person_id)
                                   .where(PersonRecord.record_id.in_(ids))).all())
        return [ReviewPair(pair_id=p.id, record_l=p.record_l, record_r=p.record_r,
                           match_probability=p.match_probability, priority=p.priority,
                           left=record_dict(conn, p.record_l, viewer),
                           right=record_dict(conn, p.record_r, viewer),
                           weights=json.loads(p.gamma or "{}"),
                           person_l=person.get(p.record_l), person_r=person.get(p.record_r))
                for p in rows]


def _queue_order(lp: Any) -> tuple[Any, ...]:
    """The one order of the review queue (CLI, web page, web API): the ``priority`` each
    linkage run stores (:func:`dadkhah.linkage.active.review_priority`), then pair id."""
    return (lp.c.priority.desc(), lp.c.id)


def record_fields(case: Case, record_ids: Iterable[int], *,
                  viewer: Viewer | None = None) -> list[dict[str, Any]]:
    """:func:`record_dict` of each record, in the order given, read in one connection
    (:class:`~dadkhah.errors.NotFound` for a record ``viewer`` may not see)."""
    with case.read() as conn:
        return [record_dict(conn, rid, viewer) for rid in record_ids]


def _undecided() -> tuple[Any, Any]:
    """The link-pairs table and the condition "no current decision covers this pair"."""
    lp = LinkPair.__table__
    lo = sql_case((lp.c.record_l < lp.c.record_r, lp.c.record_l), else_=lp.c.record_r)
    hi = sql_case((lp.c.record_l < lp.c.record_r, lp.c.record_r), else_=lp.c.record_l)
    decided = exists(select(Decision.id).where(Decision.superseded_by.is_(None),
                                               Decision.record_l == lo, Decision.record_r == hi))
    # pairs stored below the review band (for the linkage draws) are never offered
    return lp, and_(lp.c.review, ~decided)


def review_backlog(case: Case, batch: ReviewBatch | None = None, *,
                   viewer: Viewer | None = None) -> int:
    """Pairs awaiting review that ``viewer`` (None: nobody in particular) may see — the
    pairs :func:`review_queue` would offer them —, of ``batch`` when given (counted in
    SQL: a large register has tens of thousands)."""
    lp, undecided = _undecided()
    with case.read() as conn:
        query = select(func.count()).select_from(lp).where(undecided)
        if batch:
            query = query.where(batch.condition(conn, lp, viewer))
        if hides(conn, viewer):  # one indexed query: nothing to filter in most cases
            hidden = hidden_records_select(viewer)
            query = query.where(lp.c.record_l.not_in(hidden), lp.c.record_r.not_in(hidden))
        return int(conn.execute(query).scalar() or 0)


def next_review_pair(case: Case, batch: ReviewBatch | None = None, *,
                     viewer: Viewer | None = None) -> ReviewPair | None:
    """The pair :func:`review_queue` offers first (None when none awaits), of ``batch``
    when given: one indexed query, not a read of every decision and register row (0.7 s
    on ``large``, per decision)."""
    head = review_queue(case, limit=1, batch=batch, viewer=viewer)
    return head[0] if head else None


def reviewed_decisions(case: Case) -> list[tuple[int, int, bool]]:
    """The decisions in force that reviewers made on pairs offered to them (origin
    ``review``: the review queue and the audit sample), as ``(record_l, record_r,
    is_match)``; *unsure* is left out.  Linkage learns from these
    (:mod:`dadkhah.linkage.active`): pairs chosen by the model, then answered.  Merges,
    splits and accepted portal submissions are left out: a person chose those pairs
    *because* of the answer, so they would teach a biased model (they still bind)."""
    with case.read() as conn:
        rows = conn.execute(select(Decision.record_l, Decision.record_r, Decision.decision)
                            .where(Decision.superseded_by.is_(None),
                                   Decision.origin == "review",
                                   Decision.decision != "unsure")
                            .order_by(Decision.id)).all()
    return [(int(a), int(b), d == "match") for a, b, d in rows]


def insert_decision(conn: Connection, record_l: int, record_r: int, decision: str, *,
                    by: str, reason: str | None = None, origin: str = "review") -> int:
    """Store a decision on a pair of records inside the caller's write transaction ``conn``
    (from :meth:`dadkhah.store.Case.write`) and return its id.

    The newer decision supersedes any current one on the same pair.  No audit entry is
    written: the caller appends its own in the same transaction (the portal's moderation
    does, for the submission it accepts).  ``origin`` says where it came from: ``review``,
    ``merge``, ``split`` or ``portal``.  Use :func:`record_decision` for a decision on its
    own.
    """
    return _insert_decision(conn, record_l, record_r, decision, by, reason, origin)


def _insert_decision(conn: Connection, a: int, b: int, decision: str, by: str,
                     reason: str | None, origin: str) -> int:
    if decision not in DECISIONS:
        raise LinkageError(f"Unknown decision {decision!r}.",
                           hint="Use match, no_match or unsure.")
    if a == b:
        raise LinkageError(f"A decision needs two different records (got {a} twice).",
                           hint="Name two record ids.")
    for rid in (a, b):
        if conn.execute(select(SourceRecord.id).where(SourceRecord.id == rid)).first() is None:
            raise _no_record(rid)
    lo, hi = min(a, b), max(a, b)
    key = conn.execute(insert(Decision).values(
        record_l=lo, record_r=hi, decision=decision, reviewer=by, reason=reason,
        at=now_utc(), origin=origin)).inserted_primary_key
    assert key is not None  # a single-row INSERT always has its key
    new_id = key[0]
    conn.execute(update(Decision).where(
        Decision.record_l == lo, Decision.record_r == hi, Decision.id != new_id,
        Decision.superseded_by.is_(None)).values(superseded_by=new_id))
    return int(new_id)


def _no_record(rid: int) -> NotFound:
    """The one answer for a record that is not there or is hidden from the reviewer (the
    same words: a hidden record's id cannot be told from a wrong one)."""
    return NotFound(f"No source record {rid} in this case.",
                    hint="List the records you may see with: dadkhah records list (a record "
                         "restricted to other users is decided by one of them or an admin).")


def _refuse_hidden(conn: Connection, record_ids: Iterable[int],
                   viewer: Viewer | None) -> None:
    """Refuse (:func:`_no_record`) a decision naming a record ``viewer`` may not see; one
    indexed query when nothing is hidden from them."""
    ids = [int(r) for r in record_ids]
    if not ids or not hides(conn, viewer):
        return
    hidden = set(conn.execute(select(SourceRecord.id).where(
        SourceRecord.id.in_(ids), SourceRecord.id.in_(hidden_records_select(viewer))))
        .scalars())
    for rid in ids:
        if rid in hidden:
            raise _no_record(rid)


def record_decision(case: Case, record_l: int, record_r: int, decision: str, *,
                    by: str, reason: str | None = None, role: str | None = None,
                    viewer: Viewer | None = None) -> int:
    """Store a reviewer's decision on a pair; it binds every later linkage run.

    ``role`` needs the ``review`` permission (``None``: the case's local owner).  A record
    ``viewer`` (None: nobody in particular) may not see is refused as one the case does not
    hold, and nothing is stored."""
    access.require(role, "review", what="linkage decisions")
    with case.write() as conn:
        _refuse_hidden(conn, (record_l, record_r), viewer)
        did = _insert_decision(conn, record_l, record_r, decision, by, reason, "review")
        append(conn, by=by, action="decision", target=f"decision:{did}", details={
            "decision_id": did, "records": [record_l, record_r], "decision": decision,
            "reason": reason})
    return did


def _members(conn: Connection, pid: int, viewer: Viewer | None = INTERNAL
             ) -> tuple[list[int], list[int]]:
    """(every record of person ``pid``, those ``viewer`` may see); a person with none
    visible is "no person", as one the register does not hold."""
    st = conn.execute(select(Person.status).where(Person.id == pid)).scalar()
    none = NotFound(f"No person {pid} in the register.",
                    hint="List the persons you may see with: dadkhah persons list")
    if st is None:
        raise none
    members = sorted(conn.execute(select(PersonRecord.record_id)
                                  .where(PersonRecord.person_id == pid)).scalars())
    visible = members
    if hides(conn, viewer):
        hidden = set(conn.execute(select(PersonRecord.record_id).where(
            PersonRecord.person_id == pid,
            PersonRecord.record_id.in_(hidden_records_select(viewer)))).scalars())
        visible = [r for r in members if r not in hidden]
        if not visible:
            raise none
    if st != "active":
        raise LinkageError(f"Person {pid} is no longer in the register (status {st}).",
                           hint="See dadkhah persons show for where its records went.")
    return members, visible


def merge_persons(case: Case, keep: int, other: int, *, by: str, reason: str,
                  role: str | None = None, viewer: Viewer | None = None) -> int:
    """Merge person ``other`` into ``keep`` now, and record it as a decision that every
    relink respects.  Returns the decision id.  ``role`` needs ``review``; a person
    ``viewer`` (None: nobody in particular) may not see is "no person", and the decision
    names records they may see."""
    access.require(role, "review", what="persons")
    if not reason.strip():
        raise LinkageError("A merge needs a reason.", hint="Pass --reason \"…\".")
    with case.write() as conn:
        (a, seen_a), (b, seen_b) = _members(conn, keep, viewer), _members(conn, other, viewer)
        did = _insert_decision(conn, seen_a[0], seen_b[0], "match", by, reason, "merge")
        conn.execute(update(PersonRecord).where(PersonRecord.person_id == other)
                     .values(person_id=keep))
        conn.execute(update(Person).where(Person.id == other).values(status="merged"))
        conn.execute(update(Person).where(Person.id == keep).values(
            n_records=len(a) + len(b)))
        append(conn, by=by, action="person.merge", target=f"person:{keep}", details={
            "kept": keep, "merged": other, "decision_id": did, "reason": reason})
    return did


def split_person(case: Case, person: int, records: list[int], *, by: str,
                 reason: str, role: str | None = None, viewer: Viewer | None = None) -> int:
    """Move ``records`` out of ``person`` into a new person, now and in every relink
    (cannot-link between the two groups, must-link within the moved group).
    Returns the new person's id.  A person or record ``viewer`` (None: nobody in
    particular) may not see is refused as one the case does not hold."""
    access.require(role, "review", what="persons")
    if not reason.strip():
        raise LinkageError("A split needs a reason.", hint="Pass --reason \"…\".")
    with case.write() as conn:
        members, visible = _members(conn, person, viewer)
        moved = sorted(set(records))
        _refuse_hidden(conn, moved, viewer)
        stray = [r for r in moved if r not in members]
        if stray:
            raise LinkageError(f"Record(s) {stray} are not in person {person}.",
                               hint=f"Person {person} holds records {visible}.")
        stay = [r for r in members if r not in moved]
        if not moved or not stay:
            raise LinkageError("A split must leave records on both sides.",
                               hint=f"Person {person} holds records {visible}.")
        for a, b in itertools.product(moved, stay):
            _insert_decision(conn, a, b, "no_match", by, reason, "split")
        for a, b in itertools.pairwise(moved):
            _insert_decision(conn, a, b, "match", by, reason, "split")
        new_id = (conn.execute(select(func.max(Person.id))).scalar() or 0) + 1
        row = conn.execute(select(Person.__table__).where(Person.id == person)).one()._asdict()
        row.update(id=new_id, n_records=len(moved), status="active")
        conn.execute(insert(Person).values(**row))
        conn.execute(update(Person).where(Person.id == person).values(n_records=len(stay)))
        conn.execute(update(PersonRecord).where(PersonRecord.record_id.in_(moved))
                     .values(person_id=new_id))
        append(conn, by=by, action="person.split", target=f"person:{person}",
               details={"person": person, "new_person": new_id, "moved": moved,
                        "reason": reason})
    return new_id


def decisions(case: Case) -> list[dict[str, Any]]:
    """Every decision stored, superseded ones included, in the order they were made."""
    with case.read() as conn:
        return [r._asdict() for r in conn.execute(select(Decision.__table__)
                                                  .order_by(Decision.id))]


