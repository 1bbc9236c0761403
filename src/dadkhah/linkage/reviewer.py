"""A simulated reviewer (SYNTHETIC data only): answers the review queue from the truth.

It measures what learning from reviewers is worth: link, answer the head of the queue
(:func:`dadkhah.linkage.active.review_candidates`, the ordering ``dadkhah review`` offers)
from the simulation's truth, relink with the answers as decisions (binding the clustering,
and re-fitting the model as :func:`dadkhah.linkage.link_case` does), and score the register
after each number of decisions.  ``order="random"`` answers random queue items instead: the
baseline the ordering must beat.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dadkhah.linkage.active import review_candidates
from dadkhah.linkage.evaluate import LinkageEvaluation, evaluate_clusters
from dadkhah.linkage.pipeline import REVIEW_BAND
from dadkhah.linkage.run import link_features
from dadkhah.linkage.settings import DEFAULT_THRESHOLD

STEPS = (0, 50, 100, 200, 500)


@dataclass(frozen=True)
class ReviewStep:
    """The register after ``decisions`` answers (``matches`` of them "same person")."""

    decisions: int
    matches: int
    evaluation: LinkageEvaluation
    queue_left: int  # undecided pairs still in the review band

    @property
    def persons_diff(self) -> float:
        """Persons in the register against persons truly named, as a share (+0.05: 5% too
        many)."""
        ev = self.evaluation
        return (ev.clusters - ev.true_persons) / ev.true_persons


@dataclass(frozen=True)
class ReviewCurve:
    """Quality after each number of simulated decisions."""

    order: str
    steps: tuple[ReviewStep, ...]

    def f1(self, decisions: int) -> float:
        """Pairwise F1 after the step with this many decisions asked for."""
        return next(s.evaluation.pairwise_f1 for s in self.steps if s.decisions >= decisions)

    def summary(self) -> str:
        lines = [f"simulated reviewer ({self.order} order), SYNTHETIC truth:"]
        for s in self.steps:
            ev = s.evaluation
            lines.append(f"  {s.decisions:>4} decisions ({s.matches} match): pairwise "
                         f"P {ev.pairwise_precision:.4f} R {ev.pairwise_recall:.4f} "
                         f"F1 {ev.pairwise_f1:.4f}; persons {ev.clusters:,} vs "
                         f"{ev.true_persons:,} truly named ({100 * s.persons_diff:+.1f}%); "
                         f"{s.queue_left:,} left in the queue")
        return "\n".join(lines)


def simulate_reviewer(features: pd.DataFrame, truth: pd.Series | Mapping[int, object], *,
                      steps: Iterable[int] = STEPS, order: str = "queue", seed: int = 1,
                      threshold: float = DEFAULT_THRESHOLD, learn: bool = True,
                      band: tuple[float, float] = REVIEW_BAND) -> ReviewCurve:
    """Link ``features``, then answer queue pairs from ``truth`` (record id → person) up to
    each of ``steps`` decisions, relinking at each step; the register's quality at each.

    ``order``: ``"queue"`` (the review queue's order) or ``"random"`` (uniformly among the
    queue's pairs, seeded by ``seed``).  ``learn``: re-fit the model on the answers (as
    ``dadkhah link`` does by default); without it the answers only bind the clustering.
    The queue is the latest run's, less decided pairs, as a reviewer sees it after each
    relink; when it runs dry, a step has fewer decisions than asked for."""
    if order not in ("queue", "random"):
        raise ValueError(f"order must be 'queue' or 'random', not {order!r}")
    true = pd.Series(truth)
    rng = np.random.default_rng(seed)
    decided: dict[tuple[int, int], bool] = {}

    def relink() -> tuple[pd.DataFrame, pd.Series]:
        res = link_features(
            features, threshold=threshold,
            must_link=[k for k, v in decided.items() if v],
            cannot_link=[k for k, v in decided.items() if not v],
            labels=[(a, b, v) for (a, b), v in decided.items()] if learn else ())
        queue = review_candidates(res.pairs, res.clusters.assignment, features, band=band,
                                  threshold=threshold, exclude=decided)
        return queue, res.clusters.assignment

    queue, assignment = relink()
    out: list[ReviewStep] = []
    for target in sorted(set(steps)):
        if target > len(decided) and len(queue):
            rows = queue if order == "queue" else queue.iloc[rng.permutation(len(queue))]
            take = rows.head(target - len(decided))
            for a, b in zip(take.unique_id_l.astype(int), take.unique_id_r.astype(int),
                            strict=True):
                decided[(min(a, b), max(a, b))] = bool(true[a] == true[b])
            queue, assignment = relink()
        out.append(ReviewStep(decisions=len(decided), matches=sum(decided.values()),
                              evaluation=evaluate_clusters(assignment, true),
                              queue_left=len(queue)))
    return ReviewCurve(order, tuple(out))
