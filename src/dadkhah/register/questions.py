"""Review questions about one record and several candidates: "is this record the same person
as any of these?", as reconciliation tools ask.

A question starts from a pair of the review queue (:func:`dadkhah.register.review_queue`).
It is about the record of the pair that sits in the smaller person (a lone record is the
likeliest to be missing its person; see :func:`question_focal`) and shows beside it the
pair's other record and the records of other persons that the latest run scored most
likely to be the same as it, one per person (:func:`question_candidates`), including
pairs scored below the review band that no queue offers.  The reviewer ticks those that
are the same person; one answer records a decision on every pair shown (*match* for the
ticked, *not a match* for the others, :func:`answer_question`), each an ordinary review
decision that binds every later run and teaches the model.

One answer counts as one decision in the simulated reviewer's curve
(:func:`dadkhah.linkage.reviewer.simulate_reviewer`), however many pairs it settles.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, or_, select

from dadkhah import access
from dadkhah.access import Viewer
from dadkhah.errors import LinkageError
from dadkhah.register.review import ReviewPair, _insert_decision, _refuse_hidden, record_dict
from dadkhah.store import Case
from dadkhah.store.audit import append
from dadkhah.store.restrict import hidden_records_select, hides
from dadkhah.store.tables import Decision, LinkPair, PersonRecord

QUESTION_CANDIDATES = 4
"""Records shown beside the one a question is about: the queue pair's other record and up
to three more.  Chosen with the simulated reviewer on tuning profiles 3, 6 and 9 at 3,000
persons (mean pairwise F1 after 200 answers: one candidate, the pair, 0.9450; four 0.9500;
eight 0.9513): more candidates add little, since most records have few scored pairs with
other persons, and a longer list is slower to read."""


def question_focal(record_l: int, record_r: int, size: Mapping[int, int]) -> tuple[int, int]:
    """``(focal, other)``: the record of a queue pair a question is about — the one in the
    smaller person (``size``: record id → records of its person; a record missing counts
    as alone), the left one on a tie — and the pair's other record."""
    if size.get(record_r, 1) < size.get(record_l, 1):
        return record_r, record_l
    return record_l, record_r


def question_candidates(focal: int, first: int, neighbours: Iterable[tuple[int, float]],
                        person: Mapping[int, Any], *, k: int = QUESTION_CANDIDATES,
                        decided: Collection[tuple[int, int]] = ()) -> list[int]:
    """The records shown beside ``focal``: ``first`` (the queue pair's other record), then
    the other records of ``focal``'s scored pairs (``neighbours``: (record id, match
    probability)), most probable first (ties by record id), one per person (``person``:
    record id → person), none in ``focal``'s person or already decided with ``focal``
    (``decided``: (low id, high id) pairs); at most ``k`` in all."""
    if k < 1:
        raise ValueError(f"a question shows at least one candidate, not k={k}")
    out = [first]
    seen = {person.get(first, ("record", first)), person.get(focal, ("record", focal))}
    for rid, _p in sorted(neighbours, key=lambda n: (-n[1], n[0])):
        if len(out) >= k:
            break
        who = person.get(rid, ("record", rid))
        if rid in (focal, first) or who in seen or _pair(focal, rid) in decided:
            continue
        out.append(rid)
        seen.add(who)
    return out


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class QuestionRecord:
    """A record shown in a question: its fields as a reviewer sees them
    (:func:`dadkhah.register.record_fields`), its person, and the latest run's match
    probability with the question's record (None for the record the question is about)."""

    record: int
    person: int | None
    match_probability: float | None
    fields: dict[str, Any]


@dataclass(frozen=True)
class ReviewQuestion:
    """Is ``focal`` the same person as any of ``candidates``?  Answered with
    :func:`answer_question`."""

    focal: QuestionRecord
    candidates: tuple[QuestionRecord, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def review_question(case: Case, pair: ReviewPair, *, candidates: int = QUESTION_CANDIDATES,
                    viewer: Viewer | None = None) -> ReviewQuestion:
    """The question a queue ``pair`` (from :func:`dadkhah.register.review_queue`) opens: its
    record in the smaller person, with up to ``candidates`` records to compare it with
    (:func:`question_candidates`, from the latest run's stored pairs, those below the review
    band too), leaving out records ``viewer`` may not see and pairs already decided."""
    lp = LinkPair.__table__
    with case.read() as conn:
        both = (pair.record_l, pair.record_r)
        size = _person_sizes(conn, both)
        focal, first = question_focal(pair.record_l, pair.record_r, size)
        query = select(lp.c.record_l, lp.c.record_r, lp.c.match_probability).where(
            or_(lp.c.record_l == focal, lp.c.record_r == focal))
        if hides(conn, viewer):
            hidden = hidden_records_select(viewer)
            query = query.where(lp.c.record_l.not_in(hidden), lp.c.record_r.not_in(hidden))
        probability: dict[int, float] = {}
        for a, b, p in conn.execute(query):
            other = int(b) if int(a) == focal else int(a)
            probability[other] = max(float(p), probability.get(other, 0.0))
        decided = {_pair(int(a), int(b)) for a, b in conn.execute(
            select(Decision.record_l, Decision.record_r).where(
                Decision.superseded_by.is_(None),
                or_(Decision.record_l == focal, Decision.record_r == focal)))}
        person = _persons(conn, [focal, *probability])
        shown = question_candidates(focal, first, probability.items(), person, k=candidates,
                                    decided=decided)
        probability.setdefault(first, pair.match_probability)

        def one(rid: int, p: float | None) -> QuestionRecord:
            return QuestionRecord(record=rid, person=person.get(rid), match_probability=p,
                                  fields=record_dict(conn, rid, viewer))

        return ReviewQuestion(focal=one(focal, None),
                              candidates=tuple(one(r, probability[r]) for r in shown))


def _persons(conn: Connection, records: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(records))
    return {int(r): int(p) for r, p in conn.execute(
        select(PersonRecord.record_id, PersonRecord.person_id)
        .where(PersonRecord.record_id.in_(ids)))}


def _person_sizes(conn: Connection, records: Iterable[int]) -> dict[int, int]:
    person = _persons(conn, records)
    counts = dict(conn.execute(select(PersonRecord.person_id, func.count())
                               .where(PersonRecord.person_id.in_(set(person.values())))
                               .group_by(PersonRecord.person_id)).all())
    return {r: int(counts[p]) for r, p in person.items()}


def answer_question(case: Case, focal: int, candidates: Iterable[int], same: Iterable[int] | None,
                    *, by: str, reason: str | None = None, role: str | None = None,
                    viewer: Viewer | None = None) -> list[int]:
    """Record the answer to a question (:func:`review_question`): ``same``, the candidates
    that are the same person as ``focal``, get a *match* decision and the other candidates
    *not a match*; ``same=None`` is "unsure" about every pair shown.  One decision per
    pair, each an ordinary review decision (it binds every later run and teaches the
    model), in one transaction; returns their ids in ``candidates``' order.  ``role`` needs
    the ``review`` permission; a record ``viewer`` may not see is refused as one the case
    does not hold."""
    access.require(role, "review", what="linkage decisions")
    shown = list(dict.fromkeys(int(c) for c in candidates))
    if not shown:
        raise LinkageError("A question needs at least one candidate record.",
                           hint="Answer the records the question showed.")
    chosen = None if same is None else {int(s) for s in same}
    if chosen is not None and not chosen <= set(shown):
        stray = sorted(chosen - set(shown))
        raise LinkageError(f"Record(s) {stray} were not among the candidates {shown}.",
                           hint="Tick only records the question showed beside "
                                f"record {focal}.")
    out = []
    with case.write() as conn:
        _refuse_hidden(conn, [focal, *shown], viewer)
        for rid in shown:
            decision = ("unsure" if chosen is None
                        else "match" if rid in chosen else "no_match")
            did = _insert_decision(conn, focal, rid, decision, by, reason, "review")
            append(conn, by=by, action="decision", target=f"decision:{did}", details={
                "decision_id": did, "records": [focal, rid], "decision": decision,
                "reason": reason, "question": {"record": focal, "candidates": shown}})
            out.append(did)
    return out
