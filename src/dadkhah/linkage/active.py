"""Learning from reviewers: which pair to ask about next, and what the answers teach.

**The queue** (:func:`review_priority`, the one ordering every queue reads: it is stored
as ``link_pairs.priority`` and :func:`dadkhah.register.review_queue`, ``dadkhah review``
and the web queue order by it).  It holds the pairs in the review band and the
cluster-boundary pairs (scored above the threshold but left in two persons — a merge the
clustering refused — or below it yet in one).  A decision is asked for first when

- the model is unsure of it: the pair's probability is near the clustering threshold (the
  answer teaches the model most, and is the likeliest to be a surprise);
- it is about namesakes (equal given name and surname), where persons get invented or
  lost (×1.5);
- it teaches about many pairs: the number of queued pairs with the same pattern of
  comparison weights;
- and not when an answer ahead of it already settles the same question: each pair ahead
  about the same two persons, or with the same pattern, discounts it.

Terms that were measured and left at zero (:data:`TUNING`): the number of record pairs a
decision would move, the chance the register is wrong (p for pairs kept apart), and a
boost for boundary pairs; each lowered or did not raise F1 on the tuning profiles.

**What the answers teach** (:func:`fit_recalibration`).  Reviewed pairs are not a random
sample of matches: they are chosen by the model for being uncertain.  Estimating m from
them (splink's ``estimate_m_from_pairwise_labels``) would take those hard pairs for typical
ones.  But the choice depends only on the pair's comparison weights, never on the answer,
so the *conditional* probability of a match given the weights is learnt from them without
bias (selection on the covariates).  The decisions therefore re-fit a logistic model on
the model's own per-comparison weights: log-odds = c + Σ βₖ·wₖ, starting from (and shrunk
towards) the trained model, c = log-odds of the prior and βₖ = 1.  βₖ > 1 means the
decisions found comparison k more telling than EM did: its effective m moves away from u
(:meth:`Recalibration.effective_m`).  Both match and no-match decisions count.  The
decisions themselves still bind the clustering as must-link and cannot-link.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

LN2 = math.log(2)

TUNING: dict[str, float] = {
    "boundary_floor": 0.0,  # least uncertainty given to a pair the clustering decided against
    "boundary": 1.0,  # factor of such a pair
    "namesake": 1.5,  # factor of a namesake pair (equal given-name and surname keys)
    "impact": 0.0,  # weight of log(record pairs a decision changes)
    "risk": 0.0,  # weight of the chance the register is wrong, against the model's uncertainty
    "same_persons": 2.0,  # discount exponent for pairs about persons already ahead
    "pattern": 0.5,  # weight of log(pairs sharing the comparison pattern)
}
"""The queue's terms (see :func:`review_priority`), chosen on tuning profiles 1–3 of
:func:`dadkhah.simulate.profiles` (1,500 persons) with the simulated reviewer
(:mod:`dadkhah.linkage.reviewer`), mean pairwise F1 after 50 / 100 / 200 decisions:
expected change to the register (uncertainty × record pairs moved, boundary pairs ×2)
0.849 / 0.848 / 0.855; plain uncertainty 0.857 / 0.861 / 0.870; these values 0.857 /
0.863 / 0.869, with the boundary terms (floor 0.5) 0.858 / 0.861 / 0.868.  Weighting by the
records a decision moves *lowered* F1: a decision binds two records, not their persons, so
the clustering rarely moves whole persons on one answer (issue 14, part 4)."""

RIDGE_SCALE = 20.0
"""Shrinkage of each comparison's weight scale βₖ towards 1 (per squared unit): a prior
worth a few decisions, so that 30 decisions move the model and one cannot flip it."""
RIDGE_INTERCEPT = 1.0
"""Shrinkage of the intercept (bits) towards the trained prior: weak, since the prior is
the parameter the data estimate least well (issue 14: 3.4 times too low)."""


def _key(a: Any, b: Any) -> tuple[int, int]:
    a, b = int(a), int(b)
    return (a, b) if a < b else (b, a)


def review_priority(pairs: pd.DataFrame, assignment: pd.Series,
                    features: pd.DataFrame | None = None, *,
                    threshold: float = 0.5,
                    tuning: Mapping[str, float] | None = None) -> pd.Series:
    """How much a decision on each of ``pairs`` would teach the model and change the
    register (higher first); see the module docstring for the terms.

    ``pairs``: scored pairs (``unique_id_l``, ``unique_id_r``, ``match_probability`` and the
    ``mw_*`` weights); ``assignment``: record id → cluster; ``features``: the linkage features
    (``unique_id``, ``given_key``, ``surname_key``) to find namesakes, or None.  Returns a
    series aligned with ``pairs``' index.  ``tuning`` overrides :data:`TUNING` (for
    experiments on the tuning profiles).
    """
    if pairs.empty:
        return pd.Series([], index=pairs.index, dtype=float)
    k = {**TUNING, **(tuning or {})}
    p = pairs.match_probability.to_numpy(dtype=float)
    size = assignment.map(assignment.value_counts())
    left, right = pairs.unique_id_l, pairs.unique_id_r
    cl, cr = assignment.reindex(left).to_numpy(), assignment.reindex(right).to_numpy()
    sl = size.reindex(left).fillna(1).to_numpy(dtype=float)
    sr = size.reindex(right).fillna(1).to_numpy(dtype=float)
    apart = cl != cr
    # How unsure the model is: 1 at the threshold, 0 at certainty either way.  An answer
    # near the threshold teaches the model most and is the likeliest to be a surprise.
    spread = np.where(p >= threshold, 1 - threshold, threshold)
    uncertainty = np.clip(1 - np.abs(p - threshold) / spread, 0, 1)
    # Where the clustering went against the score (a refused merge, or records held
    # together only through others), the register is as unsure as the model would be at
    # the threshold.
    boundary = np.where(apart, p >= threshold, p < threshold)
    uncertainty = np.where(boundary, np.maximum(uncertainty, k["boundary_floor"]), uncertainty)
    # What a decision would change: the record pairs a merge would link (sl × sr), or
    # those a split would unlink (at least the record leaving: sl - 1); on a log scale,
    # since a decision binds two records, not their whole persons.
    impact = np.where(apart, sl * sr, np.maximum(sl - 1, 1))
    namesake = np.zeros(len(pairs), dtype=bool)
    if features is not None and {"given_key", "surname_key"} <= set(features.columns):
        f = features.set_index("unique_id")
        full = (f.given_key + "|" + f.surname_key).where(
            f.given_key.notna() & f.surname_key.notna())
        fl, fr = full.reindex(left).to_numpy(), full.reindex(right).to_numpy()
        namesake = pd.notna(fl) & (fl == fr)
    # The chance the register is wrong about the pair, if the score is right: p when it
    # keeps the two apart; when it holds them together the clustering found their groups
    # alike on average (mean probability at least the threshold), so 1 - max(p, threshold).
    risk = np.where(apart, p, 1 - np.maximum(p, threshold))
    value = (1 - k["risk"]) * uncertainty + k["risk"] * risk
    base = (value * (1 + k["impact"] * np.log(impact))
            * np.where(namesake, k["namesake"], 1.0) * np.where(boundary, k["boundary"], 1.0))
    order = pd.Series(base, index=pairs.index).sort_values(ascending=False, kind="stable").index
    # One decision settles the two persons it is about: the next pair between the same two
    # persons (or inside the same one) adds little, so it goes behind the others.
    a, b = np.minimum(cl, cr), np.maximum(cl, cr)
    persons = pd.Series(list(zip(a.tolist(), b.tolist(), strict=True)), index=pairs.index)
    base = base / (1 + _rank_within(persons, order)) ** k["same_persons"]
    # The pattern a decision teaches about: the per-comparison weights, to half a bit; the
    # more pairs share it, the more one answer teaches, less for each answer already ahead.
    weights = sorted(c for c in pairs.columns if c.startswith("mw_"))
    if weights and k["pattern"]:
        pattern = pd.Series(list(map(tuple, np.round(
            pairs[weights].fillna(0).to_numpy(dtype=float) * 2))), index=pairs.index)
        many = pattern.map(pattern.value_counts()).to_numpy(dtype=float)
        base = base * (1 + k["pattern"] * np.log(many)) / (1 + _rank_within(pattern, order))
    return pd.Series(base, index=pairs.index, name="priority")


def _rank_within(groups: pd.Series, order: pd.Index) -> np.ndarray:
    """For each row, how many rows of its group come before it in ``order``."""
    g = groups.reindex(order)
    return g.groupby(g, sort=False).cumcount().reindex(groups.index).to_numpy(dtype=float)


def review_candidates(pairs: pd.DataFrame, assignment: pd.Series,
                      features: pd.DataFrame | None = None, *,
                      band: tuple[float, float] = (0.2, 0.98), threshold: float = 0.5,
                      exclude: Iterable[tuple[int, int]] = ()) -> pd.DataFrame:
    """The pairs to offer for review, less ``exclude`` (decided pairs), with their
    ``priority`` (:func:`review_priority`), highest first: those in the review ``band`` of
    match probability, and the cluster-boundary pairs whatever their probability (scored
    at or above ``threshold`` yet in two persons — a merge the clustering refused — or
    below it yet in one)."""
    lo, hi = band
    p = pairs.match_probability
    apart = (assignment.reindex(pairs.unique_id_l).to_numpy()
             != assignment.reindex(pairs.unique_id_r).to_numpy())
    boundary = np.where(apart, p >= threshold, p < threshold)
    out = pairs[((p >= lo) & (p <= hi)) | boundary].copy()
    done = {_key(a, b) for a, b in exclude}
    if done and len(out):
        keys = [_key(a, b) for a, b in zip(out.unique_id_l, out.unique_id_r, strict=True)]
        out = out[[k not in done for k in keys]]
    out["priority"] = review_priority(out, assignment, features, threshold=threshold)
    return out.sort_values(["priority", "unique_id_l", "unique_id_r"],
                           ascending=[False, True, True], kind="stable")


@dataclass(frozen=True)
class Recalibration:
    """The model re-fitted on reviewers' decisions: log2-odds = intercept + Σ scale[k]·mw_k.

    ``intercept0`` is the trained model's (the prior's log2-odds); a scale of 1 leaves a
    comparison as EM trained it."""

    intercept: float
    intercept0: float
    scale: Mapping[str, float] = field(default_factory=dict)
    n_match: int = 0
    n_no_match: int = 0
    n_unscored: int = 0  # decided pairs no blocking rule scored: they bind, but teach nothing
    n_sure: int = 0  # decided pairs the model was sure of: they bind, but are not fitted

    @property
    def prior(self) -> float:
        """The prior probability two random records match, as re-fitted."""
        return 1 / (1 + 2 ** -self.intercept)

    def summary(self) -> str:
        moved = ", ".join(f"{k[3:]} ×{v:.2f}" for k, v in self.scale.items()
                          if abs(v - 1) >= 0.05) or "none by 5% or more"
        prior0 = 1 / (1 + 2 ** -self.intercept0)
        return (f"model re-fitted on {self.n_match} match and {self.n_no_match} no-match "
                f"reviewed decisions: prior {prior0:.3g} → {self.prior:.3g}; comparison "
                f"weights scaled: {moved}"
                + (f"; {self.n_sure} decided pairs the model was sure of were not fitted"
                   if self.n_sure else "")
                + (f"; {self.n_unscored} decided pairs were not scored" if self.n_unscored
                   else ""))

    def log2_odds(self, pairs: pd.DataFrame) -> np.ndarray:
        """The re-fitted log2-odds of match of each scored pair."""
        z = np.full(len(pairs), self.intercept)
        for col, beta in self.scale.items():
            if col in pairs:
                z = z + beta * pairs[col].fillna(0).to_numpy(dtype=float)
        return z

    def apply(self, pairs: pd.DataFrame, min_probability: float = 0.0) -> pd.DataFrame:
        """``pairs`` re-scored: each ``mw_*`` weight scaled, ``match_weight`` and
        ``match_probability`` recomputed; pairs below ``min_probability`` dropped."""
        out = pairs.copy()
        z = self.log2_odds(pairs)
        for col, beta in self.scale.items():
            if col in out:
                out[col] = out[col] * beta
        out["match_weight"] = z
        out["match_probability"] = 1 / (1 + np.exp2(-z))
        return out[out.match_probability >= min_probability].reset_index(drop=True)

    def effective_m(self, model: Mapping[str, Any]) -> dict[str, list[float]]:
        """Per comparison of a trained splink ``model`` (``LinkResult.model``), the m
        probabilities of its non-null levels that give the re-fitted weights with the same
        u: m'ₗ ∝ uₗ·(mₗ/uₗ)^β, normalised (the weights then agree up to a constant per
        comparison, which the intercept absorbs)."""
        out: dict[str, list[float]] = {}
        for comp in model.get("comparisons", []):
            name = comp["output_column_name"]
            beta = self.scale.get(f"mw_{name}", 1.0)
            levels = [lv for lv in comp["comparison_levels"]
                      if not lv.get("is_null_level") and lv.get("m_probability") is not None
                      and lv.get("u_probability")]
            if not levels:
                continue
            raw = [lv["u_probability"] * (lv["m_probability"] / lv["u_probability"]) ** beta
                   for lv in levels]
            total = sum(raw)
            out[name] = [r / total for r in raw]
        return out


def labelled_pairs(labels: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int], bool]:
    """Decisions as {(low id, high id): is a match}: ``(a, b)`` is a match (as a must-link
    is), ``(a, b, is_match)`` says which.  A later label on the same pair wins."""
    out: dict[tuple[int, int], bool] = {}
    for lab in labels:
        if len(lab) == 2:
            out[_key(lab[0], lab[1])] = True
        else:
            out[_key(lab[0], lab[1])] = bool(lab[2])
    return out


def fit_recalibration(pairs: pd.DataFrame, labels: Mapping[tuple[int, int], bool], *,
                      prior: float, ridge_scale: float = RIDGE_SCALE,
                      ridge_intercept: float = RIDGE_INTERCEPT,
                      band: tuple[float, float] = (0.02, 0.98)) -> Recalibration:
    """Fit :class:`Recalibration` on the scored ``pairs`` that ``labels`` decide (see
    :func:`labelled_pairs`), by penalised maximum likelihood (Newton's method), shrunk
    towards the trained model (``prior``, scales 1).  Decided pairs that were not scored
    are counted, not used."""
    cols = sorted(c for c in pairs.columns if c.startswith("mw_"))
    c0 = math.log2(prior / (1 - prior))
    keys = [_key(a, b) for a, b in zip(pairs.unique_id_l, pairs.unique_id_r, strict=True)]
    prob = pairs.match_probability.to_numpy(dtype=float)
    # Only decisions on pairs the model was unsure of teach it: a pair it scored near
    # certain and the clustering kept apart (a refused merge) is about the clustering, and
    # a few siblings scored 0.99 would otherwise drag every weight down.
    sure = (prob < band[0]) | (prob > band[1])
    hit = np.array([k in labels for k in keys], dtype=bool) & ~sure
    scored = {k for k, h in zip(keys, hit, strict=True) if h}
    y = np.array([labels[k] for k, h in zip(keys, hit, strict=True) if h], dtype=float)
    X = np.column_stack([np.ones(int(hit.sum()))]
                        + [pairs.loc[hit, c].fillna(0).to_numpy(dtype=float) for c in cols])
    theta0 = np.array([c0] + [1.0] * len(cols))
    pen = np.diag([ridge_intercept] + [ridge_scale] * len(cols))
    theta = theta0.copy()

    def loss(t: np.ndarray) -> float:
        z = LN2 * (X @ t)
        nll = float(np.sum(np.logaddexp(0, z) - y * z))
        d = t - theta0
        return nll + 0.5 * float(d @ pen @ d)

    current = loss(theta)
    for _ in range(100):
        z = LN2 * (X @ theta)
        mu = 1 / (1 + np.exp(-z))
        grad = LN2 * X.T @ (mu - y) + pen @ (theta - theta0)
        hess = LN2 ** 2 * (X.T * (mu * (1 - mu))) @ X + pen
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-6:  # step halving keeps every iteration a descent
            cand = theta - t * step
            new = loss(cand)
            if new <= current:
                break
            t /= 2
        else:
            break
        theta, done = cand, current - new < 1e-10
        current = new
        if done:
            break
    n_match = int(y.sum())
    return Recalibration(intercept=float(theta[0]), intercept0=c0,
                         scale={c: float(b) for c, b in zip(cols, theta[1:], strict=True)},
                         n_match=n_match, n_no_match=len(y) - n_match,
                         n_unscored=len(set(labels) - set(keys)),
                         n_sure=len(set(labels) & set(keys)) - len(scored))
