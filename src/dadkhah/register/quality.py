"""The register's quality measured where there is no truth: a reviewed random sample of pairs.

:func:`draw_audit_sample` draws a stratified random sample of record pairs from the latest
linkage run and stores it; reviewers answer the pairs with ordinary decisions
(:func:`dadkhah.register.record_decision`, which also bind every later run);
:func:`audit_progress` counts the answers and estimates the register's pairwise precision and
recall from them (:func:`dadkhah.estimate.estimate_linkage_quality`), and
:func:`store_audit_estimate` keeps that estimate with the sample, hence with its run.

**The frame** (what the sample is drawn from, and so what the figures describe):

* *linked* pairs: every pair of records within every person of the run's register (the
  pairs pairwise precision counts), stratified by the pair's match probability where the run
  stored it (``<0.5``, ``0.5-0.98``; pairs the run did not store scored above the review band
  or were linked through other records: ``>0.98/unstored``) and by the person's number of
  records (``2``, ``3-4``, ``5-9``, ``10+``: large persons are where namesakes chain);
* *unlinked* pairs: pairs the model scored within the review band (match probability 0.2 to
  0.98, the pairs the run stores) whose records are in different persons, stratified by
  probability (``0.2-0.5``, ``0.5-0.8``, ``0.8-0.98``).

So recall is recall **among pairs scored at least 0.2**: a true pair scored lower, or never
scored because blocking never compared it, is in no stratum and no sample can see it.

An answer is the decision in force on the pair (``match`` or ``no_match``); ``unsure`` and
unanswered pairs are left out, which is unbiased only if reviewers are unsure independently of
the truth.  The estimate describes the run the sample was drawn from; decisions made since
change later runs, so after a relink draw a new sample to measure the new register.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select, update

from dadkhah.errors import LinkageError, NotFound
from dadkhah.estimate import (
    AuditStratum,
    LinkageQuality,
    allocate_sample,
    estimate_linkage_quality,
)
from dadkhah.register.estimates import latest_run_id
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import AuditPair, AuditSample, Decision, LinkPair, PersonRecord


@dataclass(frozen=True)
class AuditProgress:
    """An audit sample and its answers: ``answered`` of ``size`` pairs answered match or not
    a match, ``pending`` pairs with no decision (``unsure`` ones are neither);
    ``current`` when drawn from the latest linkage run.  ``quality`` is the estimate from
    the answers so far (None before any linked pair is answered); ``stored`` the one kept
    with the sample by :func:`store_audit_estimate`, if any."""

    sample_id: int
    run_id: int
    current: bool
    size: int
    answered: int
    pending: int
    quality: LinkageQuality | None
    stored: LinkageQuality | None

    def summary(self) -> str:
        """A line on the sample, then the estimate's summary (or what it waits for)."""
        run = f"run {self.run_id}" + ("" if self.current else ", not the latest run")
        head = (f"Audit sample {self.sample_id} ({run}): {self.answered} of {self.size} "
                f"pairs answered, {self.pending} awaiting review.")
        if self.quality is None:
            return head + "\nNo estimate yet: answer pairs with dadkhah review audit -i."
        return head + "\n" + self.quality.summary()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (the estimates as :meth:`LinkageQuality.to_dict`)."""
        return {"sample_id": self.sample_id, "run_id": self.run_id, "current": self.current,
                "size": self.size, "answered": self.answered, "pending": self.pending,
                "quality": self.quality.to_dict() if self.quality else None,
                "stored": self.stored.to_dict() if self.stored else None}


def _size_band(k: int) -> str:
    return "2" if k == 2 else "3-4" if k <= 4 else "5-9" if k <= 9 else "10+"


def _linked_band(p: float | None) -> str:
    if p is None:
        return ">0.98/unstored"
    return "<0.5" if p < 0.5 else "0.5-0.98"


def _unlinked_band(p: float) -> str:
    return "0.2-0.5" if p < 0.5 else "0.5-0.8" if p < 0.8 else "0.8-0.98"


Pair = tuple[int, int, float | None]


def _frame(conn: Connection) -> dict[tuple[str, str], list[Pair]]:
    """(kind, stratum) → pairs (lo, hi, stored match probability), in a fixed order."""
    prob: dict[tuple[int, int], float] = {}
    # the pairs offered for review: those stored below the band (for the linkage draws)
    # are outside the audit's frame, as before they were stored
    for a, b, p in conn.execute(select(LinkPair.record_l, LinkPair.record_r,
                                       LinkPair.match_probability).where(LinkPair.review)):
        prob[(min(a, b), max(a, b))] = float(p)
    members: dict[int, list[int]] = defaultdict(list)
    for rid, pid in conn.execute(select(PersonRecord.record_id, PersonRecord.person_id)
                                 .order_by(PersonRecord.person_id, PersonRecord.record_id)):
        members[pid].append(rid)
    person = {r: pid for pid, rs in members.items() for r in rs}
    frame: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for rs in members.values():
        if len(rs) < 2:
            continue
        size = _size_band(len(rs))
        for i, a in enumerate(rs):
            for b in rs[i + 1:]:
                q = prob.get((a, b))
                frame[("linked", f"linked p{_linked_band(q)} size {size}")].append((a, b, q))
    for (a, b), p in sorted(prob.items()):
        if person.get(a) != person.get(b):
            frame[("unlinked", f"unlinked p{_unlinked_band(p)}")].append((a, b, p))
    return frame


def draw_audit_sample(case: Case, n: int, *, by: str, seed: int = 1) -> AuditProgress:
    """Draw a stratified random sample of about ``n`` pairs from the latest linkage run (the
    frame is described in this module's docstring), store it with its strata's sizes, and
    return its progress (pairs already decided count as answered).

    Half the sample goes to linked pairs and half to unlinked ones (what the unlinked frame
    cannot fill goes to linked pairs); within each half, strata get shares in proportion to the
    square root of their sizes (:func:`dadkhah.estimate.allocate_sample`).
    """
    if n < 2:
        raise LinkageError(f"An audit sample needs at least 2 pairs (got {n}).",
                           hint="Try --audit-sample 200: a few hours of review.")
    rng = np.random.default_rng(seed)
    with case.write() as conn:
        run = latest_run_id(conn)
        if run is None:
            raise NotFound("No linkage run to audit.", hint="Run dadkhah link first.")
        frame = _frame(conn)
        keys = sorted(frame)
        linked = [k for k in keys if k[0] == "linked"]
        unlinked = [k for k in keys if k[0] == "unlinked"]
        if not linked:
            raise LinkageError("The register links no records: there is nothing to audit.",
                               hint="Import more lists, then run dadkhah link.")
        n_unlinked = min(n // 2, sum(len(frame[k]) for k in unlinked))
        take: dict[tuple[str, str], int] = {}
        for group, m in ((linked, n - n_unlinked), (unlinked, n_unlinked)):
            take.update(zip(group, allocate_sample([len(frame[k]) for k in group], m),
                            strict=True))
        strata = {k[1]: {"kind": k[0], "size": len(frame[k])} for k in keys}
        chosen = []
        for k in keys:
            for i in sorted(rng.choice(len(frame[k]), size=take[k], replace=False).tolist()):
                a, b, p = frame[k][i]
                chosen.append({"record_l": a, "record_r": b, "kind": k[0], "stratum": k[1],
                               "match_probability": p})
        key = conn.execute(insert(AuditSample).values(
            run_id=run, drawn_at=now_utc(), drawn_by=by, seed=seed, size=len(chosen),
            strata=json.dumps(strata))).inserted_primary_key
        assert key is not None
        sample_id = int(key[0])
        conn.execute(insert(AuditPair), [{"sample_id": sample_id, **c} for c in chosen])
        append(conn, by=by, action="audit.sample", target=f"audit_sample:{sample_id}",
               details={"run_id": run, "size": len(chosen), "seed": seed,
                        "strata": {s: v["size"] for s, v in strata.items()}})
    progress = audit_progress(case, sample_id)
    assert progress is not None
    return progress


def _latest_sample(conn: Connection, sample_id: int | None) -> Any:
    q = select(AuditSample.__table__)
    q = (q.where(AuditSample.id == sample_id) if sample_id is not None
         else q.order_by(AuditSample.id.desc()).limit(1))
    return conn.execute(q).first()


def audit_answers(case: Case, sample_id: int | None = None) -> list[dict[str, Any]]:
    """The pairs of an audit sample (the latest when ``sample_id`` is None), each with its
    kind, stratum, stored match probability and ``answer``: the decision in force on the pair
    (``match``, ``no_match``, ``unsure``) or None.  Empty when no sample was drawn."""
    with case.read() as conn:
        s = _latest_sample(conn, sample_id)
        if s is None:
            if sample_id is not None:
                raise NotFound(f"No audit sample {sample_id}.",
                               hint="Draw one with: dadkhah link --audit-sample 200")
            return []
        rows = conn.execute(select(AuditPair.__table__).where(AuditPair.sample_id == s.id)
                            .order_by(AuditPair.id)).all()
        ids = sorted({r.record_l for r in rows} | {r.record_r for r in rows})
        answer: dict[tuple[int, int], str] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            for a, b, d in conn.execute(select(Decision.record_l, Decision.record_r,
                                               Decision.decision)
                                        .where(Decision.superseded_by.is_(None),
                                               Decision.record_l.in_(part))):
                answer[(a, b)] = d
    return [{"sample_id": s.id, "record_l": r.record_l, "record_r": r.record_r,
             "kind": r.kind, "stratum": r.stratum, "match_probability": r.match_probability,
             "answer": answer.get((min(r.record_l, r.record_r),
                                   max(r.record_l, r.record_r)))}
            for r in rows]


def audit_progress(case: Case, sample_id: int | None = None, *, level: float = 0.95,
                   seed: int = 1) -> AuditProgress | None:
    """The answers to an audit sample (the latest when ``sample_id`` is None) and the
    precision and recall estimated from them, with intervals at ``level``; None when no
    sample was ever drawn."""
    pairs = audit_answers(case, sample_id)
    with case.read() as conn:
        s = _latest_sample(conn, sample_id)
        if s is None:
            return None
        latest = latest_run_id(conn)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        if p["answer"] in ("match", "no_match"):
            counts[p["stratum"]][0] += 1
            counts[p["stratum"]][1] += p["answer"] == "match"
    strata = [AuditStratum(name, v["kind"], v["size"], *counts[name])
              for name, v in json.loads(s.strata).items()]
    answered = sum(c[0] for c in counts.values())
    linked_answered = sum(st.reviewed for st in strata if st.kind == "linked")
    quality = (estimate_linkage_quality(strata, level=level, seed=seed)
               if linked_answered else None)
    return AuditProgress(
        sample_id=s.id, run_id=s.run_id, current=s.run_id == latest, size=s.size,
        answered=answered, pending=sum(p["answer"] is None for p in pairs), quality=quality,
        stored=LinkageQuality.from_dict(json.loads(s.estimate)) if s.estimate else None)


def store_audit_estimate(case: Case, *, by: str, sample_id: int | None = None,
                         level: float = 0.95) -> AuditProgress:
    """Estimate precision and recall from the answers so far and keep the estimate with the
    sample (hence with the run it was drawn from), with an audit entry."""
    progress = audit_progress(case, sample_id, level=level)
    if progress is None:
        raise NotFound("No audit sample drawn yet.",
                       hint="Draw one with: dadkhah link --audit-sample 200")
    if progress.quality is None:
        raise LinkageError("No linked pair of the audit sample is answered yet.",
                           hint="Answer pairs with: dadkhah review audit -i")
    q = progress.quality
    with case.write() as conn:
        conn.execute(update(AuditSample).where(AuditSample.id == progress.sample_id).values(
            estimate=json.dumps(q.to_dict(), ensure_ascii=False), estimated_at=now_utc()))
        append(conn, by=by, action="audit.estimate",
               target=f"audit_sample:{progress.sample_id}",
               details={"run_id": progress.run_id, "answered": progress.answered,
                        "precision": [q.precision, q.precision_low, q.precision_high],
                        "recall": [q.recall, q.recall_low, q.recall_high]})
    out = audit_progress(case, progress.sample_id, level=level)
    assert out is not None
    return out
