"""A simulated reviewer (SYNTHETIC data only): answers the review queue from the truth.

It measures what learning from reviewers is worth: link, answer the head of the queue
(:func:`dadkhah.linkage.active.review_candidates`, the ordering ``dadkhah review`` offers)
from the simulation's truth, relink with the answers as decisions (binding the clustering,
and re-fitting the model as :func:`dadkhah.linkage.link_case` does), and score the register
after each number of decisions.  ``order="random"`` answers random queue items instead: the
baseline the ordering must beat.

A decision is one answer to one question.  With ``candidates=1`` a question is one queue
pair ("same person or not?"); with more (the default, as ``dadkhah review -i`` asks) it is
the question a queue pair opens (:mod:`dadkhah.register.questions`): the pair's record in
the smaller person beside up to ``candidates`` records of other persons, the pair's other
record first — "which of these are the same person?" — and one answer settles every pair
shown.  The curve counts answers; :attr:`ReviewStep.pairs` counts the pair decisions they
recorded.
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
from dadkhah.register.questions import QUESTION_CANDIDATES, question_candidates, question_focal

STEPS = (0, 50, 100, 200, 500)


@dataclass(frozen=True)
class ReviewStep:
    """The register after ``decisions`` answers, which recorded ``pairs`` pair decisions
    (``matches`` of them "same person"; as many as answers when each question is one
    pair)."""

    decisions: int
    matches: int
    evaluation: LinkageEvaluation
    queue_left: int  # undecided pairs still in the review band
    pairs: int = 0

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
            lines.append(f"  {s.decisions:>4} decisions ({s.pairs} pairs, {s.matches} match): "
                         "pairwise "
                         f"P {ev.pairwise_precision:.4f} R {ev.pairwise_recall:.4f} "
                         f"F1 {ev.pairwise_f1:.4f}; persons {ev.clusters:,} vs "
                         f"{ev.true_persons:,} truly named ({100 * s.persons_diff:+.1f}%); "
                         f"{s.queue_left:,} left in the queue")
        return "\n".join(lines)


def simulate_reviewer(features: pd.DataFrame, truth: pd.Series | Mapping[int, object], *,
                      steps: Iterable[int] = STEPS, order: str = "queue", seed: int = 1,
                      threshold: float = DEFAULT_THRESHOLD, learn: bool = True,
                      band: tuple[float, float] = REVIEW_BAND,
                      candidates: int = QUESTION_CANDIDATES) -> ReviewCurve:
    """Link ``features``, then answer queue pairs from ``truth`` (record id → person) up to
    each of ``steps`` decisions, relinking at each step; the register's quality at each.

    ``order``: ``"queue"`` (the review queue's order) or ``"random"`` (uniformly among the
    queue's pairs, seeded by ``seed``).  ``learn``: re-fit the model on the answers (as
    ``dadkhah link`` does by default); without it the answers only bind the clustering.
    ``candidates``: records shown in each question (see the module docstring; 1: one pair
    per question).  The queue is the latest run's, less decided pairs, as a reviewer sees it
    after each relink; a queue pair an earlier answer of the same batch decided is passed
    over; when the queue runs dry, a step has fewer decisions than asked for."""
    if order not in ("queue", "random"):
        raise ValueError(f"order must be 'queue' or 'random', not {order!r}")
    true = pd.Series(truth)
    rng = np.random.default_rng(seed)
    decided: dict[tuple[int, int], bool] = {}

    def relink() -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
        res = link_features(
            features, threshold=threshold,
            must_link=[k for k, v in decided.items() if v],
            cannot_link=[k for k, v in decided.items() if not v],
            labels=[(a, b, v) for (a, b), v in decided.items()] if learn else ())
        queue = review_candidates(res.pairs, res.clusters.assignment, features, band=band,
                                  threshold=threshold, exclude=decided)
        return queue, res.clusters.assignment, res.pairs

    queue, assignment, scored = relink()
    answers = 0
    out: list[ReviewStep] = []
    for target in sorted(set(steps)):
        if target > answers and len(queue):
            rows = queue if order == "queue" else queue.iloc[rng.permutation(len(queue))]
            ask = _Questions(scored, assignment, candidates)
            for a, b in zip(rows.unique_id_l.astype(int), rows.unique_id_r.astype(int),
                            strict=True):
                if answers >= target:
                    break
                if _key(a, b) in decided:
                    continue  # settled by an earlier answer of this batch
                focal, shown = ask(a, b, decided)
                for c in shown:
                    decided[_key(focal, c)] = bool(true[focal] == true[c])
                answers += 1
            queue, assignment, scored = relink()
        out.append(ReviewStep(decisions=answers, matches=sum(decided.values()),
                              evaluation=evaluate_clusters(assignment, true),
                              queue_left=len(queue), pairs=len(decided)))
    return ReviewCurve(order, tuple(out))


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class _Questions:
    """The question each queue pair opens on one run's register (as
    :func:`dadkhah.register.questions.review_question` builds it from the stored pairs)."""

    def __init__(self, scored: pd.DataFrame, assignment: pd.Series, candidates: int) -> None:
        self.k = candidates
        self.person = assignment.to_dict()
        self.size = assignment.map(assignment.value_counts()).to_dict()
        self.near: dict[int, list[tuple[int, float]]] = {}
        if candidates > 1:
            left = scored.unique_id_l.to_numpy(dtype=np.int64)
            right = scored.unique_id_r.to_numpy(dtype=np.int64)
            prob = scored.match_probability.to_numpy(dtype=float)
            for x, y, p in zip(np.r_[left, right].tolist(), np.r_[right, left].tolist(),
                               np.r_[prob, prob].tolist(), strict=True):
                self.near.setdefault(x, []).append((y, p))

    def __call__(self, a: int, b: int,
                 decided: Mapping[tuple[int, int], bool]) -> tuple[int, list[int]]:
        if self.k == 1:
            return a, [b]
        focal, first = question_focal(a, b, self.size)
        return focal, question_candidates(focal, first, self.near.get(focal, ()), self.person,
                                          k=self.k, decided=decided)
