"""Learning from reviewers: which pair to ask about next, and what the answers teach.

**The queue** (:func:`review_priority`, the one ordering every queue reads: it is stored
as ``link_pairs.priority`` and :func:`dadkhah.register.review_queue`, ``dadkhah review``
and the web queue order by it).  It holds the pairs in the review band and the
cluster-boundary pairs (scored above the threshold but left in two persons — a merge the
clustering refused — or below it yet in one).  An answer is worth asking for when it
changes the register: the queue puts first the pairs the register is likeliest to have
wrong (:func:`register_wrong`, a logistic model, :data:`WRONG_MODEL`, fitted on tuning
profiles with the simulated reviewer) — the two records kept in two persons though one
person, or held in one though two.  That chance rests less on the pair's own score than
on the clustering around it: the pair's status (apart or together), whether the two are
namesakes, the mean probability over every scored pair across the two persons, how
weakly the records are held in their person, the persons' sizes, and, for two persons kept
apart, whether they could be one at all (sexes, death dates, birth years) and whether the
two records look like siblings (one surname, different first given names).  A pair about two
persons already asked about, or inside one already asked about, goes behind the others
(one answer settles them: a "same person" joins the two persons, a "not" parts them).

The earlier ordering — the model's uncertainty (probability near the threshold, namesakes
×1.5), for what an answer teaches the model — is kept under :data:`TUNING` for comparison;
in its first 200 answers about 25 changed the register, against 30–40 now.

**What the answers teach** (:func:`fit_recalibration`).  Reviewed pairs are not a random
sample of matches.  Estimating m from them (splink's ``estimate_m_from_pairwise_labels``)
would take hard pairs for typical ones.  If the choice depended only on the pair's
comparison weights, the *conditional* probability of a match given the weights would be
learnt from them without bias (selection on the covariates) — but the queue chooses on the
register too (pairs kept apart, namesakes, the persons around them), so the answers are
biased even given the weights: re-fitting freely on 50 of them lowered F1 on the tuning
profiles.  The re-fit is therefore shrunk strongly (:data:`RIDGE_SCALE`): it moves the
model only after several hundred answers, and the answers act mainly by binding.  The
decisions re-fit a logistic model on
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

from dadkhah.linkage.cluster import NO_HI, NO_LO, given_names_differ, informative_given
from dadkhah.names.dates import BIRTH_TOLERANCE_YEARS, DEATH_TOLERANCE_DAYS

LN2 = math.log(2)

TUNING: dict[str, float] = {
    "wrong": 1.0,  # weight of the chance the register is wrong (against the uncertainty)
    "namesake": 1.5,  # factor of a namesake pair in the uncertainty ordering
    "same_persons": 2.0,  # discount exponent for pairs about persons already ahead
    "pattern": 0.0,  # weight of log(pairs sharing the comparison pattern)
    "decided": 1.0,  # decided pairs count as asked ahead (1: all, 2: only across persons)
}
"""The queue's terms (see :func:`review_priority`), chosen with the simulated reviewer
(:mod:`dadkhah.linkage.reviewer`) on tuning profiles of :func:`dadkhah.simulate.profiles`
at 1,500 persons, decisions binding only (no re-fit), mean pairwise F1 after 50 / 100 /
200 / 500 answers (session 10):

- profiles 1–6 (0.9505 with none): the earlier ordering (the model's uncertainty, namesakes
  ×1.5, pattern 0.5) 0.9552 / 0.9585 / 0.9636 / 0.9742; the chance the register is wrong
  (:data:`WRONG_MODEL`, fitted on these profiles) 0.9614 / 0.9655 / 0.9700 / 0.9803, worst
  profile 0.9385 → 0.9483 after 200;
- profiles 7–10, not used to fit it (0.9542 with none): earlier ordering with its re-fit
  0.9594 / 0.9632 / 0.9698 / 0.9761 (worst 0.9417 after 200), this one 0.9622 / 0.9670 /
  0.9722 / 0.9807 (worst 0.9540).

Counting the pairs already decided as asked ahead (``decided``: a pair about two persons a
decision is already about goes behind, across relinks too) raised F1 after 200 answers to
0.9721 (worst 0.9480) on profiles 1–6 and 0.9739 (worst 0.9553) on 7–10; counting only
decisions across two persons, 0.9704 and 0.9740.

Measured and left out: weighting by the record pairs a decision moves (exponent 0.15–0.5:
F1 after 200 0.9665–0.9681 against 0.9700), the comparison-pattern term (0.5 and 1.0:
0.9682–0.9689), no discount for pairs about the same persons (0.9682); ``same_persons`` 4
gave the same as 2.  Of the 200 first answers about 30–40 change the register (against
about 25 in the earlier order); a second answer about two persons already asked about
rarely does.

Session 14 (tuning profiles at 3,000 persons, re-fitting, F1 after 200 answers; code on
branch ``h14-rev-levers``): correcting :data:`WRONG_MODEL` per kind of pair by how often the
answers so far found the register wrong against its expectation (namesakes, siblings,
conflicts, refused merges, lone records, other pairs apart; namesakes and others held
together: log((O + 5) / (E + 5)) on the log-odds) — a fair test, since the queue chooses
on these covariates and never on the answer — gave 0.9688 against 0.9695 on profiles 1–3
(which fitted the model) and 0.9692 against 0.9689 on profiles 7–9 (which did not): no
gain; the model already expects within a few pairs per kind what the answers find.
Namesakes kept apart offered below the band too (from 0.01, judged as if at the band's
floor; 14–35% of them one person): 0.9691 against 0.9695."""

WRONG_MODEL: dict[str, float] = {
    "intercept": -2.927,
    "apart": 2.768,  # the clustering keeps the two records in two persons
    "log_odds_apart": -0.249,  # the pair's log-odds (natural) when kept apart
    "log_odds_together": -0.117,  # … when held in one person
    "sure_apart": 1.378,  # kept apart although scored above 0.98 (a refused merge)
    "namesake_apart": 1.221,  # equal given name and surname, kept apart
    "namesake_together": -2.170,  # equal given name and surname, in one person
    "across_apart": 0.563,  # log-odds of the mean probability over all pairs across the two
    "hold_together": -0.477,  # log-odds of the weaker record's mean probability to its person
    "log_size_apart": -1.047,  # log of the larger person's records, kept apart
    "log_size_together": 0.884,  # log of the person's records, held together
    "conflict_apart": -2.0,  # kept apart, and the two persons' sexes, death dates or birth
    # years conflict (the clustering's consistency check refuses them)
    "siblings_apart": -1.5,  # kept apart, one surname and first given names that differ
}
"""Logistic model (natural log-odds) of the chance that the register is wrong about a
queued pair: the two records in two persons though one person, or in one though two.

Fitted on the queues of tuning profiles 1–6 at 1,500 persons (19,457 queued pairs, 1,690 of
them wrong), at 0, 50, 100 and 200 answers of a simulated reviewer.  What it found: the
clustering is right about a pair it keeps apart about 85% of the time whatever the pair's
score (the other pairs across the two persons decide); namesakes kept apart are wrong 42%
of the time and namesakes held together under 1%; a refused merge scored above 0.98 is
wrong 36% of the time; a record held weakly in a large person is the likeliest split to be
missing.  Leaving one profile out, the fitted order put 24 wrong pairs in the first 50 of a
profile's queue against 22 (and 9–10 against 7–10 in each later 50).

Session 12 added two terms for pairs kept apart, fitted (as offsets to the model above) on
the queues of tuning profiles 1–3 and the households family (seed 1) at 1,500 persons, 0
answers (1,448 pairs kept apart, 198 of them wrong): ``conflict_apart``, the two persons
could not be one by the clustering's consistency check (:func:`persons_conflict`: sexes,
death dates or birth years) — 5 of 433 such pairs were one person, where the model said
15% — and ``siblings_apart``, one surname under first given names that differ
(:func:`sibling_pairs`) — 15 of 230 (6.5%) where the model said 24%, none of 99 in the
households family.  Fitted -2.07 and -2.17; set at -2.0 and -1.5 (the siblings' fit rests
mostly on the households family)."""

RIDGE_SCALE = 1000.0
"""Shrinkage of each comparison's weight scale βₖ towards 1 (per squared unit): strong, a
prior worth several hundred decisions, because answers from the queue are a sample chosen
on the register (see the module docstring).  Session 10, simulated reviewer on tuning
profiles 1–6 at 1,500 persons, mean pairwise F1 after 50 / 100 / 200 / 500 answers in the
order of :data:`WRONG_MODEL`: no re-fit 0.9611 / 0.9649 / 0.9695 / 0.9806; these values
0.9593 / 0.9644 / 0.9685 / 0.9815; the earlier 20 (scales) and 1 (intercept) 0.9509 /
0.9620 / 0.9685 / 0.9817, with the worst profile at 0.910 after 50 (0.923 with none);
(1000, 20) and (1000, 100) 0.968 after 200.

Session 14 (tuning profiles 1–3 at 3,000 persons, F1 after 50 / 100 / 200 answers): with
the re-fit 0.9609 / 0.9642 / 0.9695, without it (answers only binding) 0.9614 / 0.9644 /
0.9693 — the re-fit is worth nothing measurable here, either way.  Nor would a sharper
recalibration of the pair probabilities (even one fitted on an unbiased sample): after 200
answers on profile 2, scored pairs in the band are one person less often than the model
says (0.5–0.65: 41% against 57%; 0.8–0.9: 63% against 86%), so a calibration map lowers
them, yet the clustering, not the pair's probability, is what errs: pairs it keeps apart
are one person 2–16% of the time at every score of the band, pairs it links 80–90% even
below 0.5, and which way a shift would help differs by profile (the best threshold, with no
answers, is 0.3 on profile 1, +0.0025 F1; 0.7 on profile 2, +0.0007; 0.6 on profile 3,
+0.001).  The prior too low on lists the model was not tuned on (issue 14) is another
matter this simulator does not show."""
RIDGE_INTERCEPT = 1000.0
"""Shrinkage of the intercept (bits) towards the trained prior, as strong as
:data:`RIDGE_SCALE` and for the same reason: the queue asks about pairs kept apart whose
answer is mostly "no", which drags the prior down when it is free (with 1, the first 50
answers in the present order lowered the worst tuning profile's F1 from 0.923 to 0.910)."""


def _key(a: Any, b: Any) -> tuple[int, int]:
    a, b = int(a), int(b)
    return (a, b) if a < b else (b, a)


def review_priority(pairs: pd.DataFrame, assignment: pd.Series,
                    features: pd.DataFrame | None = None, *,
                    threshold: float = 0.5,
                    tuning: Mapping[str, float] | None = None,
                    evidence: pd.DataFrame | None = None,
                    decided: Iterable[tuple[int, int]] = ()) -> pd.Series:
    """How much a decision on each of ``pairs`` would change the register (higher first):
    the chance the register is wrong about the pair (:func:`register_wrong`), discounted
    for each pair ahead about the same two persons; see the module docstring.

    ``pairs``: scored pairs (``unique_id_l``, ``unique_id_r``, ``match_probability`` and the
    ``mw_*`` weights); ``assignment``: record id → cluster; ``features``: the linkage features
    (``unique_id``, ``given_key``, ``surname_key``) to find namesakes, or None;
    ``evidence``: every scored pair of the run (default ``pairs``), for the evidence across
    and inside persons.  Returns a series aligned with ``pairs``' index.  ``tuning``
    overrides :data:`TUNING` (for experiments on the tuning profiles).  ``decided``: the
    pairs already decided, each counted as a question asked ahead about its two persons.
    """
    if pairs.empty:
        return pd.Series([], index=pairs.index, dtype=float)
    k = {**TUNING, **(tuning or {})}
    p = pairs.match_probability.to_numpy(dtype=float)
    left, right = pairs.unique_id_l, pairs.unique_id_r
    cl, cr = assignment.reindex(left).to_numpy(), assignment.reindex(right).to_numpy()
    namesake = np.zeros(len(pairs), dtype=bool)
    if features is not None and {"given_key", "surname_key"} <= set(features.columns):
        f = features.set_index("unique_id")
        full = (f.given_key + "|" + f.surname_key).where(
            f.given_key.notna() & f.surname_key.notna())
        fl, fr = full.reindex(left).to_numpy(), full.reindex(right).to_numpy()
        namesake = pd.notna(fl) & (fl == fr)
    conflict = siblings = None
    if features is not None:
        conflict = persons_conflict(pairs, assignment, features)
        siblings = sibling_pairs(pairs, features)
    base = np.zeros(len(pairs))
    if k["wrong"]:
        base += k["wrong"] * register_wrong(pairs, assignment, namesake,
                                            pairs if evidence is None else evidence,
                                            conflict=conflict, siblings=siblings)
    if k["wrong"] < 1:
        # the earlier ordering: how unsure the model is, 1 at the threshold and 0 at
        # certainty either way, namesakes first
        spread = np.where(p >= threshold, 1 - threshold, threshold)
        uncertainty = np.clip(1 - np.abs(p - threshold) / spread, 0, 1)
        base += (1 - k["wrong"]) * uncertainty * np.where(namesake, k["namesake"], 1.0)
    order = pd.Series(base, index=pairs.index).sort_values(ascending=False, kind="stable").index
    # One decision settles the two persons it is about: the next pair between the same two
    # persons (or inside the same one) adds little, so it goes behind the others.
    a, b = np.minimum(cl, cr), np.maximum(cl, cr)
    persons = pd.Series(list(zip(a.tolist(), b.tolist(), strict=True)), index=pairs.index)
    ahead = _rank_within(persons, order)
    done = list(decided)
    if done and k["decided"]:
        dl = assignment.reindex([x for x, _ in done]).to_numpy()
        dr = assignment.reindex([y for _, y in done]).to_numpy()
        asked = pd.Series(list(zip(np.minimum(dl, dr).tolist(), np.maximum(dl, dr).tolist(),
                                   strict=True)))
        if k["decided"] == 2:
            asked = asked[dl != dr]
        ahead = ahead + persons.map(asked.value_counts()).fillna(0).to_numpy(dtype=float)
    base = base / (1 + ahead) ** k["same_persons"]
    # The pattern a decision teaches about: the per-comparison weights, to half a bit; the
    # more pairs share it, the more one answer teaches, less for each answer already ahead.
    weights = sorted(c for c in pairs.columns if c.startswith("mw_"))
    if weights and k["pattern"]:
        pattern = pd.Series(list(map(tuple, np.round(
            pairs[weights].fillna(0).to_numpy(dtype=float) * 2))), index=pairs.index)
        many = pattern.map(pattern.value_counts()).to_numpy(dtype=float)
        base = base * (1 + k["pattern"] * np.log(many)) / (1 + _rank_within(pattern, order))
    return pd.Series(base, index=pairs.index, name="priority")


def _logit(x: np.ndarray, eps: float) -> np.ndarray:
    x = np.clip(x, eps, 1 - eps)
    return np.log(x / (1 - x))


def probability_of_log2_odds(z: np.ndarray) -> np.ndarray:
    """The match probability of log2-odds ``z`` (a ``match_weight``: the prior's log2-odds
    plus the comparisons' log2 Bayes factors), as splink computes it: 1 / (1 + 2^-z)."""
    return 1 / (1 + np.exp2(-z))


def persons_conflict(pairs: pd.DataFrame, assignment: pd.Series, features: pd.DataFrame, *,
                     tolerance_days: int = DEATH_TOLERANCE_DAYS,
                     tolerance_years: int = BIRTH_TOLERANCE_YEARS) -> np.ndarray:
    """Per pair, whether the two persons (``assignment``: record id → person) holding its
    records could not be one by the clustering's consistency check
    (:func:`dadkhah.linkage.cluster.cluster_records`): a man and a woman (the sex stated,
    else the one the given name tells), death dates or birth years that no common interval
    holds within the tolerances.  False for a pair inside one person; a column missing
    from ``features`` checks nothing."""
    f = features.set_index("unique_id").reindex(assignment.index)
    person = assignment.to_numpy()
    sex = f["sex"] if "sex" in f else pd.Series(None, index=f.index, dtype=object)
    if "name_sex" in f:
        sex = sex.where(sex.notna(), f["name_sex"])
    bits = sex.map({"m": 1, "f": 2}).fillna(0).astype(np.int64).to_numpy()
    per = pd.DataFrame({"p": person, "m": (bits & 1) > 0, "f": (bits & 2) > 0})
    for col, fill in (("death_lo", NO_LO), ("death_hi", NO_HI), ("birth_lo", NO_LO),
                      ("birth_hi", NO_HI)):
        per[col] = f[col].fillna(fill).astype(np.int64).to_numpy() if col in f else fill
    g = per.groupby("p").agg(m=("m", "max"), f=("f", "max"), death_lo=("death_lo", "max"),
                             death_hi=("death_hi", "min"), birth_lo=("birth_lo", "max"),
                             birth_hi=("birth_hi", "min"))
    cl = assignment.reindex(pairs.unique_id_l).to_numpy()
    cr = assignment.reindex(pairs.unique_id_r).to_numpy()
    a, b = g.reindex(cl), g.reindex(cr)

    def v(frame: pd.DataFrame, col: str) -> np.ndarray:
        return frame[col].to_numpy()

    sexes = ((v(a, "m") | v(b, "m")) & (v(a, "f") | v(b, "f"))).astype(bool)
    death = (np.maximum(v(a, "death_lo"), v(b, "death_lo"))
             - np.minimum(v(a, "death_hi"), v(b, "death_hi"))) > tolerance_days
    birth = (np.maximum(v(a, "birth_lo"), v(b, "birth_lo"))
             - np.minimum(v(a, "birth_hi"), v(b, "birth_hi"))) > tolerance_years
    return (cl != cr) & (sexes | death | birth)


def sibling_pairs(pairs: pd.DataFrame, features: pd.DataFrame) -> np.ndarray:
    """Per pair, whether its two records share a surname key under first given names that
    differ (:func:`dadkhah.linkage.cluster.given_names_differ`, ``loose``): brothers or
    sisters more often than one person.  False where ``features`` lack the columns."""
    if not {"surname_key", "given1_key"} <= set(features.columns):
        return np.zeros(len(pairs), dtype=bool)
    f = features.set_index("unique_id")
    sl, sr = f.surname_key.reindex(pairs.unique_id_l), f.surname_key.reindex(pairs.unique_id_r)
    gl, gr = f.given1_key.reindex(pairs.unique_id_l), f.given1_key.reindex(pairs.unique_id_r)
    out = np.zeros(len(pairs), dtype=bool)
    same = (sl.notna().to_numpy() & (sl.to_numpy() == sr.to_numpy())
            & gl.notna().to_numpy() & gr.notna().to_numpy())
    for i in np.flatnonzero(same).tolist():
        x, y = gl.iat[i], gr.iat[i]
        out[i] = (informative_given(x) and informative_given(y)
                  and given_names_differ(x, y, loose=True))
    return out


def register_wrong(pairs: pd.DataFrame, assignment: pd.Series, namesake: np.ndarray,
                   evidence: pd.DataFrame, *, conflict: np.ndarray | None = None,
                   siblings: np.ndarray | None = None) -> np.ndarray:
    """The chance that the register (``assignment``: record id → person) is wrong about
    each of ``pairs``: the two records in two persons though one, or in one though two
    (:data:`WRONG_MODEL`).  ``namesake``: per pair, equal given name and surname;
    ``evidence``: every scored pair (``unique_id_l``, ``unique_id_r``,
    ``match_probability``), whose probabilities are averaged across two persons (unscored
    pairs count 0) and, per record, over the other records of its person; ``conflict``
    (:func:`persons_conflict`) and ``siblings`` (:func:`sibling_pairs`): per pair, or None
    (all False)."""
    w = WRONG_MODEL
    p = pairs.match_probability.to_numpy(dtype=float)
    left, right = pairs.unique_id_l.to_numpy(), pairs.unique_id_r.to_numpy()
    cl, cr = assignment.reindex(left).to_numpy(), assignment.reindex(right).to_numpy()
    apart = cl != cr
    size = assignment.map(assignment.value_counts())
    sl = size.reindex(left).fillna(1).to_numpy(dtype=float)
    sr = size.reindex(right).fillna(1).to_numpy(dtype=float)
    # the evidence of all scored pairs: summed over pairs across two persons, and per record
    # over pairs inside its person
    el, er = evidence.unique_id_l.to_numpy(), evidence.unique_id_r.to_numpy()
    ecl, ecr = assignment.reindex(el).to_numpy(), assignment.reindex(er).to_numpy()
    ep = evidence.match_probability.to_numpy(dtype=float)
    lo_c, hi_c = np.minimum(ecl, ecr), np.maximum(ecl, ecr)
    out = lo_c != hi_c
    across = pd.Series(ep[out]).groupby([lo_c[out], hi_c[out]]).sum()
    held = pd.Series(np.concatenate([ep[~out], ep[~out]])).groupby(
        np.concatenate([el[~out], er[~out]])).sum()
    key = pd.MultiIndex.from_arrays([np.minimum(cl, cr), np.maximum(cl, cr)])
    mean_across = across.reindex(key).fillna(0).to_numpy() / (sl * sr)
    hold = np.minimum(held.reindex(left).fillna(0).to_numpy() / np.maximum(sl - 1, 1),
                      held.reindex(right).fillna(0).to_numpy() / np.maximum(sr - 1, 1))
    z = np.where(
        apart,
        w["apart"] + w["log_odds_apart"] * _logit(p, 1e-4) + w["sure_apart"] * (p > 0.98)
        + w["namesake_apart"] * namesake + w["across_apart"] * _logit(mean_across, 1e-3)
        + w["log_size_apart"] * np.log(np.maximum(sl, sr))
        + w["conflict_apart"] * (np.zeros(len(p), dtype=bool) if conflict is None else conflict)
        + w["siblings_apart"] * (np.zeros(len(p), dtype=bool) if siblings is None else siblings),
        w["log_odds_together"] * _logit(p, 1e-4) + w["namesake_together"] * namesake
        + w["hold_together"] * _logit(hold, 1e-3) + w["log_size_together"] * np.log(sl))
    return 1 / (1 + np.exp(-(w["intercept"] + z)))


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
    out["priority"] = review_priority(out, assignment, features, threshold=threshold,
                                      evidence=pairs, decided=done)
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
        out["match_probability"] = probability_of_log2_odds(z)
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
