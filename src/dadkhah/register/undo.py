"""Undo of a review decision, and one pair as the reviewer sees it.

An undo never deletes: it is a new decision on the same pair that restores what was in force
before (the decision the undone one superseded), or, when there was none, *unsure*, which
constrains no linkage run, so the register is built as if the pair had never been decided.
The undone decision and the undo both stay in the decisions table and the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from dadkhah import access
from dadkhah.access import Viewer
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.register.review import ReviewPair, record_decision, record_dict
from dadkhah.store import Case
from dadkhah.store.restrict import hidden_records_select, hides
from dadkhah.store.tables import Decision, LinkPair, PersonRecord, SourceRecord


@dataclass(frozen=True)
class UndoResult:
    """What an undo recorded: the new decision's id and kind, on which pair, undoing which."""

    decision_id: int
    decision: str
    record_l: int
    record_r: int
    undone: int

    def summary(self) -> str:
        return (f"decision {self.undone} undone by decision {self.decision_id}: records "
                f"{self.record_l} and {self.record_r} are back to {self.decision}")


def undo_decision(case: Case, decision_id: int, *, by: str, role: str | None = None,
                  viewer: Viewer | None = None) -> UndoResult:
    """Undo decision ``decision_id`` with a new decision (see :class:`UndoResult`).  Only
    the decision in force on its pair can be undone (a later one already replaced it).
    ``role`` needs ``review``, as for :func:`record_decision`; a decision on a record
    ``viewer`` (None: nobody in particular) may not see is "no decision"."""
    access.require(role, "review", what="linkage decisions")
    with case.read() as conn:
        d = conn.execute(select(Decision.__table__).where(Decision.id == decision_id)).first()
        if d is not None and hides(conn, viewer) and conn.execute(
                select(SourceRecord.id).where(
                    SourceRecord.id.in_([d.record_l, d.record_r]),
                    SourceRecord.id.in_(hidden_records_select(viewer)))).first() is not None:
            d = None
        if d is None:
            raise NotFound(f"No decision {decision_id} in this case.",
                           hint="See the decisions with: dadkhah review list")
        if d.superseded_by is not None:
            raise InvalidInput(
                f"Decision {decision_id} is no longer in force (decision {d.superseded_by} "
                "replaced it).", hint="Undo the newer decision instead.")
        before = conn.execute(select(Decision.decision).where(
            Decision.superseded_by == decision_id).order_by(Decision.id.desc())).scalar()
    restored = before or "unsure"
    new_id = record_decision(case, d.record_l, d.record_r, restored, by=by, role=role,
                             reason=f"undo of decision {decision_id} ({d.decision})",
                             viewer=viewer)
    return UndoResult(new_id, restored, d.record_l, d.record_r, decision_id)


def review_pair(case: Case, record_l: int, record_r: int, *,
                viewer: Viewer | None = None) -> ReviewPair:
    """Two records as the review page shows them, with the model's per-comparison weights
    from the latest run when it scored this pair (empty otherwise)."""
    lo, hi = min(record_l, record_r), max(record_l, record_r)
    with case.read() as conn:
        p = conn.execute(select(LinkPair.__table__).where(
            ((LinkPair.record_l == lo) & (LinkPair.record_r == hi))
            | ((LinkPair.record_l == hi) & (LinkPair.record_r == lo)))).first()
        person = dict(conn.execute(select(PersonRecord.record_id, PersonRecord.person_id)
                                   .where(PersonRecord.record_id.in_([lo, hi]))).all())
        a, b = (p.record_l, p.record_r) if p is not None else (lo, hi)
        return ReviewPair(pair_id=p.id if p is not None else 0, record_l=a, record_r=b,
                          match_probability=p.match_probability if p is not None else 0.0,
                          priority=p.priority if p is not None else 0.0,
                          left=record_dict(conn, a, viewer),
                          right=record_dict(conn, b, viewer),
                          weights=json.loads(p.gamma or "{}") if p is not None else {},
                          person_l=person.get(a), person_r=person.get(b))
