"""Linkage on a case: build the register of persons from the source records.

``link_case`` reads every source record and the human decisions in force
(:func:`dadkhah.register.linkage_input`), links them (:func:`dadkhah.linkage.run.link_features`),
and has the register rewritten in one transaction (:func:`dadkhah.register.write_register`):
persons keep their ids when their membership mostly persists; ids that disappear are recorded
as merged or split; the uncertain pairs are kept for review.  This module holds no SQL: the
register's tables belong to :mod:`dadkhah.register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dadkhah.documents import unverified_records
from dadkhah.errors import LinkageError
from dadkhah.linkage.active import review_candidates
from dadkhah.linkage.evaluate import possible_failures
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import LinkResult, link_features
from dadkhah.linkage.settings import DEFAULT_THRESHOLD
from dadkhah.register import (
    RegisterChanges,
    RunRecord,
    linkage_input,
    record_sources,
    register_of,
    reviewed_decisions,
    write_register,
)
from dadkhah.store import Case

if TYPE_CHECKING:
    from pathlib import Path

    from dadkhah.linkage.evaluate import LinkageEvaluation

REVIEW_BAND = (0.2, 0.98)
"""Scored pairs with a match probability in this band are offered for review."""

STORED_FLOOR = 0.01
"""Scored pairs below the review band, down to this match probability, are stored too (not
offered for review) for the linkage draws of the estimates (issue 19); the scorer keeps pairs
down to the same probability (``link_features``' ``min_probability``)."""


@dataclass(frozen=True)
class LinkReport:
    """What a linkage run did to the register."""

    run_id: int
    records: int
    persons: int
    kept_ids: int
    new_persons: int
    merged_ids: int
    split_ids: int
    threshold: float
    prior: float
    scored_pairs: int
    review_pairs: int
    must_links: int
    cannot_links: int
    conflicts: list[str] = field(default_factory=list)
    refusals: dict[str, int] = field(default_factory=dict)
    # truth-free leads: :class:`dadkhah.linkage.evaluate.PossibleFailures` as a dict
    possible_failures: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        lines = [
            f"Linkage run {self.run_id}: {self.records:,} source records → "
            f"{self.persons:,} persons (documented persons, not an estimate of the total)",
            f"  ids: {self.kept_ids:,} kept, {self.new_persons:,} new, {self.merged_ids:,} "
            f"merged into another person, {self.split_ids:,} split",
            f"  threshold {self.threshold}; prior {self.prior:.3g}; {self.scored_pairs:,} "
            f"scored pairs; {self.review_pairs:,} await review",
            f"  decisions applied: {self.must_links:,} match, {self.cannot_links:,} not a match",
        ]
        if self.refusals:
            lines.append("  merges refused: " + ", ".join(f"{k} {v:,}"
                                                          for k, v in self.refusals.items()))
        if self.possible_failures:
            pf = self.possible_failures
            lines.append(f"  to check: {pf['siblings_merged']:,} persons hold records with one "
                         f"surname and father but different given names (siblings merged?); "
                         f"{pf['duplicates_apart']:,} pairs of persons share a full name with "
                         f"consistent sex and dates (one person left in two?)")
        lines += [f"  CONFLICT: {c}" for c in self.conflicts]
        lines += [f"  note: {n}" for n in self.notes]
        lines.append("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))
        return "\n".join(lines)


def link_case(case: Case, *, threshold: float = DEFAULT_THRESHOLD, backend: str = "duckdb",
              by: str = "unknown", progress: Callable[[str], None] | None = None,
              spark: Any = None, train_on_decisions: bool = True) -> LinkReport:
    """Link every source record of ``case`` into persons and rewrite the register.

    ``train_on_decisions``: re-fit the model on the reviewers' answers from the review
    queue (match and not a match, :func:`dadkhah.register.reviewed_decisions`) once there
    are at least :data:`dadkhah.linkage.run.MIN_LABELS` of them among the scored pairs
    (see :mod:`dadkhah.linkage.active`).  Every decision binds the clustering either way.

    Machine readings of documents that no person has checked
    (:func:`dadkhah.documents.unverified_records`) weigh less in every pair they are in
    (:data:`dadkhah.linkage.run.OCR_MISREAD_SHARE`); a case without them is linked as
    before."""
    say = progress or (lambda _m: None)
    given = linkage_input(case)
    records, must, cannot = given.records, given.must_link, given.cannot_link
    if len(records) < 2:
        raise LinkageError(f"The case has {len(records)} source record(s); nothing to link.",
                           hint="Import source lists first (dadkhah import).")
    say(f"features for {len(records):,} records")
    import time

    t0 = time.perf_counter()
    features = compute_features(records)
    t_feat = time.perf_counter() - t0
    readings = unverified_records(case)
    res = link_features(features, threshold=threshold, must_link=must, cannot_link=cannot,
                        backend=backend, progress=say, spark=spark,
                        labels=reviewed_decisions(case) if train_on_decisions else (),
                        machine_readings=readings)
    t_check = time.perf_counter()
    suspects = possible_failures(res.features, res.clusters.assignment).to_dict()
    t_check = time.perf_counter() - t_check
    say("writing the register")
    t1 = time.perf_counter()
    review = _review_pairs(res, [*must, *cannot])
    below = _pairs_below_band(res, review, [*must, *cannot])

    def report_of(done: RegisterChanges) -> dict[str, Any]:
        return _report(done, res, must, cannot, suspects).to_dict()

    done = write_register(
        case, RunRecord(backend=res.backend, threshold=res.threshold, model=res.model,
                        review_band=REVIEW_BAND),
        records, res.features, res.clusters.assignment, review, by=by, report=report_of,
        below_band=below)
    timings = {"features": t_feat, **res.timings, "checks": t_check,
               "write": time.perf_counter() - t1}
    return LinkReport(**{**_report(done, res, must, cannot, suspects).to_dict(),
                         "timings": timings})


def _report(done: RegisterChanges, res: LinkResult, must: list[tuple[int, int]],
            cannot: list[tuple[int, int]], suspects: dict[str, int]) -> LinkReport:
    return LinkReport(
        run_id=done.run_id, records=done.records, persons=done.persons, kept_ids=done.kept,
        new_persons=len(done.new), merged_ids=done.merged, split_ids=done.split,
        threshold=res.threshold, prior=res.prior, scored_pairs=len(res.pairs),
        review_pairs=done.review_pairs, must_links=len(must), cannot_links=len(cannot),
        conflicts=[c.describe() for c in res.clusters.conflicts],
        refusals=res.clusters.refusal_counts(), possible_failures=suspects,
        notes=list(res.notes),
    )


def _review_pairs(res: LinkResult, decided: list[tuple[int, int]]) -> pd.DataFrame:
    """Pairs in the review band, not yet decided, ordered by the estimated chance that the
    register is wrong about them (:func:`dadkhah.linkage.active.review_priority`,
    the one ordering every review queue reads)."""
    return review_candidates(res.pairs, res.clusters.assignment, res.features,
                             band=REVIEW_BAND, threshold=res.threshold, exclude=decided)


def _pairs_below_band(res: LinkResult, review: pd.DataFrame,
                      decided: list[tuple[int, int]]) -> pd.DataFrame:
    """Scored pairs from :data:`STORED_FLOOR` up to the review band that are not offered
    for review nor decided: stored for the linkage draws only."""
    p = res.pairs.match_probability
    out = res.pairs[(p >= STORED_FLOOR) & (p < REVIEW_BAND[0])]
    skip = _pair_keys([a for a, _ in decided], [b for _, b in decided]).append(
        _pair_keys(review.unique_id_l, review.unique_id_r))
    if len(skip) and len(out):
        out = out[~_pair_keys(out.unique_id_l, out.unique_id_r).isin(skip)]
    return out[["unique_id_l", "unique_id_r", "match_probability", "match_weight"]]


def _pair_keys(left: Any, right: Any) -> pd.MultiIndex:
    """(low, high) record ids of each pair, for set look-ups without Python tuples."""
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    return pd.MultiIndex.from_arrays([np.minimum(a, b), np.maximum(a, b)])


def read_truth(path: str | Path) -> pd.DataFrame:
    """A truth file: one row per record with its list (source slug), row number and true
    person.  Column names accepted: ``list_id``/``source``, ``row_number``/``row``,
    ``person_id``/``person``."""
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise LinkageError(f"Truth file {p} does not exist.", hint="Check the path.")
    t = pd.read_csv(p, comment="#", dtype=str)
    aliases = {"list_id": ("list_id", "source", "list", "source_slug"),
               "row_number": ("row_number", "row"),
               "person_id": ("person_id", "person", "true_person")}
    cols = {}
    for want, names in aliases.items():
        found = next((c for c in names if c in t.columns), None)
        if found is None:
            raise LinkageError(f"Truth file {p.name} has no {want} column.",
                               hint="Columns needed: list_id, row_number, person_id; found "
                                    + ", ".join(t.columns) + ".")
        cols[want] = t[found]
    out = pd.DataFrame(cols)
    out["row_number"] = out["row_number"].astype(int)
    return out


def truth_by_record(case: Case, truth: pd.DataFrame) -> pd.Series:
    """record id → true person id, joining a truth table (see :func:`read_truth`) to the
    case's records by source slug and row number."""
    rec = record_sources(case).rename(columns={"source": "list_id"})
    merged = rec.merge(truth, on=["list_id", "row_number"], how="left")
    missing = merged.person_id.isna().sum()
    if missing:
        raise LinkageError(f"{missing} record(s) have no row in the truth file.",
                           hint="Use the truth file written with these lists.")
    return merged.set_index("id").person_id.rename("person_id")


def evaluate_case(case: Case, truth: pd.DataFrame) -> LinkageEvaluation:
    """Compare the register with a truth table (see :func:`read_truth`)."""
    from dadkhah.linkage.evaluate import evaluate_clusters

    true = truth_by_record(case, truth)
    linked = register_of(case)
    if len(linked) < len(true):
        raise LinkageError("Some records are in no person: the register is out of date.",
                           hint="Run dadkhah link first.")
    return evaluate_clusters(linked, true)
