"""Plausible registers drawn from the linkage model's pair probabilities.

The register as built is one clustering of the records; the model scored many pairs it was
unsure of.  A *drawn register* perturbs each uncertain pair's log-odds of a match (so that a
pair on its own links with its match probability) and clusters the records again by the rule
that built the register (average linkage at the run's threshold), with the reviewers'
decisions as hard constraints: *must-link* pairs are always in one person, *cannot-link* pairs
never.  Estimating on many drawn registers and pooling the estimates
(:func:`dadkhah.estimate.combine_linkage_draws`) carries the linkage's uncertainty into the
total.  (:func:`draw_registers` says why links are not drawn pair by pair.)

What counts as uncertain is what the linkage run stored (:class:`LinkageUncertainty`): the
pairs in the review band of :data:`dadkhah.linkage.REVIEW_BAND` and on the clustering's
boundary, and (since issue 19) those scored below the band down to
``dadkhah.linkage.pipeline.STORED_FLOOR`` (0.01), which are stored but never offered for review.
Pairs the run did not store are taken as the register has them: records of one person stay
linked (the model scored them above the band, or a chain of stronger links joined them), and
records of different persons stay apart (scored below the floor, or never compared).

Clustering is the linkage's own (:func:`dadkhah.linkage.cluster.cluster_records`), passed in as
``cluster`` because this package sits below :mod:`dadkhah.linkage`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import select

from dadkhah.access import INTERNAL
from dadkhah.errors import NotFound, Wording
from dadkhah.estimate import (
    TUNED_PAIR_CALIBRATION,
    PairCalibration,
    combine_imputations,
    estimate_by_stratum,
    fit_pair_calibration,
)
from dadkhah.names import BIRTH_TOLERANCE_YEARS, DEATH_TOLERANCE_DAYS
from dadkhah.register.build import linkage_input
from dadkhah.register.impute import impute_missing
from dadkhah.register.persons import MISSING
from dadkhah.register.quality import audit_answers
from dadkhah.store import Case
from dadkhah.store.tables import LinkPair, LinkRun, PersonRecord, Source, SourceRecord

__all__ = ["ClusterFn", "LinkageUncertainty", "MissedLinks", "audit_calibration",
           "draw_registers", "drawn_strata", "draws_summary", "estimate_over_draws",
           "linkage_uncertainty", "stratified_over_draws"]

Pair = tuple[int, int]

DEFAULT_THRESHOLD = 0.4
"""The clustering threshold a draw uses when the case's linkage run does not record one (the
linkage's own default, :data:`dadkhah.linkage.DEFAULT_THRESHOLD`, which this package sits
below)."""


@dataclass(frozen=True)
class MissedLinks:
    """The register's missed links (true links it split) as the case shows them, and as the
    drawn registers add them back (:meth:`LinkageUncertainty.missed_links`).

    ``candidates``: pairs of persons with an undecided stored pair across them (merges the
    model proposed and the clustering or the threshold refused); ``apart_links``: the
    expected number of true links among them, the calibration's ``apart`` probability summed
    over them (fitted to the audit sample's kept-apart answers when there are any);
    ``unseen``: the expected number of true links no stored pair shows
    (:meth:`~dadkhah.estimate.PairCalibration.unseen_expected`); ``persons``: in the register
    as built.  Each drawn register merges about ``apart_links + unseen`` pairs of persons."""

    persons: int
    candidates: int
    apart_links: float
    unseen: float

    @property
    def per_person(self) -> float:
        """Expected missed links per register person, seen and unseen."""
        return (self.apart_links + self.unseen) / self.persons if self.persons else 0.0

    def wording(self) -> Wording:
        """:meth:`summary` as a :class:`~dadkhah.errors.Wording`, for an interface to say it
        in its reader's language."""
        return Wording.of("pair_calibration.missed", apart=float(self.apart_links),
                          candidates=int(self.candidates), unseen=float(self.unseen),
                          per_person=float(self.per_person))

    def summary(self) -> str:
        return (f"missed links expected: {self.apart_links:.1f} among {self.candidates:,} "
                f"merges the stored pairs propose, {self.unseen:.1f} no stored pair shows "
                f"({self.per_person:.3f} per person)")


class ClusterFn(Protocol):
    """The signature of :func:`dadkhah.linkage.cluster.cluster_records` this module uses."""

    def __call__(self, records: pd.DataFrame, edges: pd.DataFrame, *, threshold: float,
                 must_link: Iterable[Pair], cannot_link: Iterable[Pair],
                 linkage: str) -> Any: ...


@dataclass(frozen=True)
class LinkageUncertainty:
    """What drawing registers needs, read from a case at one moment (or built by hand).

    ``records``: ``unique_id`` (record id) and ``source`` (the list's slug), one row per
    record; ``assignment``: record id → person (the register as built); ``pairs``:
    ``unique_id_l``, ``unique_id_r``, ``match_probability`` of the uncertain pairs;
    ``must_link`` / ``cannot_link``: the decisions in force; ``lists``: the lists in
    the order histories use; ``synthetic``: every list is synthetic; ``threshold``: the
    linkage run's clustering threshold, which draws cluster at; ``features``: one row per
    record with the columns the clustering checks (sex, dates, the sibling guard's name keys:
    :func:`dadkhah.linkage.features.compute_features`), so that draws refuse the merges the
    register refused for them (without it, draws check only the decisions);
    ``found_links``: the audit sample's pairs that its run had kept apart and that were
    answered match (missed links the audit found, joined since by the decision if the case
    was linked again), which :meth:`missed_links` counts as seen; ``prior``: the probability
    that two random records match the run scored its pairs with (for :func:`mention_merges`;
    ``None``: the run did not record it, and the draws treat unresolved mentions as any
    kept-apart record)."""

    records: pd.DataFrame = field(repr=False)
    assignment: pd.Series = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    must_link: tuple[Pair, ...] = ()
    cannot_link: tuple[Pair, ...] = ()
    lists: tuple[str, ...] = ()
    synthetic: bool = False
    threshold: float = DEFAULT_THRESHOLD
    features: pd.DataFrame | None = field(default=None, repr=False)
    calibration: PairCalibration | None = None
    found_links: tuple[Pair, ...] = ()
    prior: float | None = None

    @property
    def uncertain_pairs(self) -> int:
        """Stored pairs not settled by a decision (those a draw may link or not)."""
        decided = set(self.must_link) | set(self.cannot_link)
        lo = np.minimum(self.pairs.unique_id_l, self.pairs.unique_id_r)
        hi = np.maximum(self.pairs.unique_id_l, self.pairs.unique_id_r)
        p = self.pairs.match_probability.to_numpy()
        return sum(1 for a, b, q in zip(lo.tolist(), hi.tolist(), p.tolist(), strict=True)
                   if (a, b) not in decided and 0.0 < q < 1.0)

    def summary(self) -> str:
        cal = self.calibration or PairCalibration()
        return (f"{len(self.records):,} records in {self.assignment.nunique():,} persons; "
                f"{self.uncertain_pairs:,} uncertain pairs; decisions: "
                f"{len(self.must_link):,} match, {len(self.cannot_link):,} not a match\n"
                + cal.summary() + "\n  " + self.missed_links().summary())

    def missed_links(self, calibration: PairCalibration | None = None, *,
                     cluster: ClusterFn | None = None) -> MissedLinks:
        """The register's missed links by ``calibration`` (default :attr:`calibration`, or
        the model's own probabilities without one): what the calibrated draws add back.

        The true links among the stored pairs the register kept apart are the decided ones
        (a match decision across two persons, or an audit pair of the kept-apart strata
        answered match: :attr:`found_links`, each counted once) plus, for the undecided ones,
        ``calibration.apart`` summed over the merges they propose; the links no stored pair
        shows are :meth:`~dadkhah.estimate.PairCalibration.unseen_expected` of that sum.
        Match decisions made in the review queue and since joined by a relink are not
        counted (nothing says the run had kept them apart).  When the calibration's map
        applies only to the merges the clustering's checks allow
        (:attr:`~dadkhah.estimate.PairCalibration.apart_passable`) and ``cluster`` is given
        (with :attr:`features`), the others count 0, as in the draws."""
        cal = calibration or self.calibration or PairCalibration()
        ids = np.sort(self.records["unique_id"].astype(np.int64).to_numpy())
        person = pd.factorize(self.assignment.reindex(ids).to_numpy())[0].astype(np.int64)
        lo = np.minimum(self.pairs.unique_id_l.to_numpy(),
                        self.pairs.unique_id_r.to_numpy()).astype(np.int64)
        hi = np.maximum(self.pairs.unique_id_l.to_numpy(),
                        self.pairs.unique_id_r.to_numpy()).astype(np.int64)
        keep = np.isin(lo, ids) & np.isin(hi, ids)
        lo, hi = lo[keep], hi[keep]
        p = np.clip(self.pairs.match_probability.to_numpy(dtype=float)[keep], 1e-6, 1 - 1e-6)
        _, across = _undecided_sides(ids, person, lo, hi, self.must_link, self.cannot_link)
        cand = _candidate_merges(ids, person, lo, hi, p, across)
        ok = None
        if cal.apart_passable and cluster is not None and self.features is not None:
            nodes = (self.features.set_index("unique_id").reindex(ids)
                     .rename_axis("unique_id").reset_index())
            ka, kb = _kept_pairs(ids, person, lo, hi)
            ok = _passable(ids, person, lo, hi, ka, kb, cand, nodes, cluster,
                           list(self.must_link), list(self.cannot_link))
        apart = float(_merge_probability(cal, cand, ok).sum()) + self.decided_links()
        k = int(person.max()) + 1 if person.size else 0
        return MissedLinks(persons=k, candidates=len(cand), apart_links=apart,
                           unseen=cal.unseen_expected(apart, k))

    def decided_links(self) -> int:
        """Missed links the decisions show: match decisions across two persons of the
        register and :attr:`found_links`, each pair once."""
        a = self.assignment
        across = {(min(x, y), max(x, y)) for x, y in self.must_link
                  if x in a.index and y in a.index and a[x] != a[y]}
        return len(across | {(min(x, y), max(x, y)) for x, y in self.found_links})

    def histories(self, assignment: pd.Series | None = None) -> Any:
        """:class:`~dadkhah.estimate.CaptureHistories` of a register (record id → person;
        default the register as built): one row per person, a column per list."""
        from dadkhah.estimate import CaptureHistories

        a = self.assignment if assignment is None else assignment
        rec = self.records
        person = pd.factorize(a.reindex(rec["unique_id"]).to_numpy())[0]
        col = pd.Index(self.lists).get_indexer(rec["source"])
        ok = (person >= 0) & (col >= 0)
        on = np.zeros((int(person.max()) + 1 if person.size else 0, len(self.lists)), np.int8)
        on[person[ok], col[ok]] = 1
        frame = pd.DataFrame(on, columns=list(self.lists))
        return CaptureHistories.from_persons(frame, lists=list(self.lists),
                                             synthetic=self.synthetic)

    def drawn_histories(self, n: int, *, seed: int = 0, cluster: ClusterFn,
                        method: str = "calibrated") -> list[Any]:
        """The capture histories of ``n`` drawn registers (see :meth:`draw`)."""
        return [self.histories(a)
                for a in self.draw(n, seed=seed, cluster=cluster, method=method)]

    def draw(self, n: int, *, seed: int = 0, cluster: ClusterFn,
             method: str = "calibrated") -> list[pd.Series]:
        """``n`` drawn registers (record id → cluster key).

        ``method``: ``calibrated`` (the default) draws each pair given the register's decision
        with :attr:`calibration` (the model's own probabilities, ``PairCalibration()``,
        without it: a register built by hand says how sure it is through its pairs; one read
        from a case by :func:`linkage_uncertainty` always carries a calibration, the tuned
        default :data:`~dadkhah.estimate.TUNED_PAIR_CALIBRATION` when no audit answers
        update it), see :func:`draw_registers`; ``model`` does the same with the model's own
        probabilities whatever :attr:`calibration` says (identity maps, no unseen merges: the
        default before the tuned one, kept for comparison); ``recluster`` perturbs the model's
        probabilities and clusters again by the register's rule (the former draws)."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
        cal = {"calibrated": self.calibration or PairCalibration(),
               "model": PairCalibration(), "recluster": None}[method]
        src = self.records.set_index("unique_id")["source"]
        return draw_registers(self.records["unique_id"], self.assignment, self.pairs,
                              must_link=self.must_link, cannot_link=self.cannot_link,
                              n=n, seed=seed, cluster=cluster, threshold=self.threshold,
                              records=self.features, calibration=cal, sources=src,
                              found_links=self.found_links,
                              prior=self.prior if method == "calibrated" else None)


METHODS = ("calibrated", "model", "recluster")
"""How :meth:`LinkageUncertainty.draw` draws registers."""


def linkage_uncertainty(case: Case, *,
                        features: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
                        calibrate: bool = True,
                        prior: PairCalibration | None = None) -> LinkageUncertainty:
    """The register, the latest run's stored pairs and the decisions in force, from ``case``.

    ``features``: :func:`dadkhah.linkage.features.compute_features` (passed in, as this
    package sits below :mod:`dadkhah.linkage`), for draws to apply the clustering's
    consistency checks and sibling guard as the register did; recommended.
    ``calibrate``: fit the pair calibration on the answers to the latest audit sample
    (:func:`audit_calibration`), updating ``prior`` (default
    :data:`~dadkhah.estimate.TUNED_PAIR_CALIBRATION`); without answers the draws use
    ``prior`` itself; with ``calibrate=False`` no calibration is stored and the draws use
    the model's own probabilities (``PairCalibration()``)."""
    given = linkage_input(case)
    with case.read() as conn:
        # ordered, so that one seed draws the same registers from one case: the linkage
        # writes its pairs in the order its threads return them (session 15)
        members = pd.read_sql(select(PersonRecord.record_id, PersonRecord.person_id)
                              .order_by(PersonRecord.record_id), conn)
        pairs = pd.read_sql(select(LinkPair.record_l.label("unique_id_l"),
                                   LinkPair.record_r.label("unique_id_r"),
                                   LinkPair.match_probability)
                            .order_by(LinkPair.record_l, LinkPair.record_r), conn)
        src = pd.read_sql(select(SourceRecord.id.label("unique_id"),
                                 Source.slug.label("source"))
                          .join(Source, Source.id == SourceRecord.source_id)
                          .order_by(SourceRecord.id), conn)
        slugs = list(conn.execute(select(Source.slug).order_by(Source.id)).scalars())
        run = conn.execute(select(LinkRun.threshold, LinkRun.report)
                           .where(LinkRun.finished_at.is_not(None))
                           .order_by(LinkRun.id.desc()).limit(1)).first()
    threshold = run.threshold if run is not None else None
    run_prior = json.loads(run.report or "{}").get("prior") if run is not None else None
    if members.empty:
        raise NotFound("The register is empty.", hint="Run dadkhah link first.")
    assignment = members.set_index("record_id").person_id.rename("cluster")
    src = src[src.unique_id.isin(assignment.index)]
    used = [s for s in slugs if (src.source == s).any()]
    synthetic = all(s.synthetic for s in case.sources(INTERNAL) if s.slug in used)
    feats = None
    if features is not None:
        cols = ["unique_id", "sex", "death_lo", "death_hi", "birth_lo", "birth_hi",
                "surname_key", "father_key", "given1_key", "given_key", "city_id",
                "prison_city"]
        f = features(given.records)
        feats = f[[c for c in cols if c in f.columns]]
        feats = feats[feats.unique_id.isin(assignment.index)].reset_index(drop=True)
    cal = audit_calibration(case, prior=prior) if calibrate else None
    found = tuple((int(r["record_l"]), int(r["record_r"])) for r in audit_answers(case)
                  if r["kind"] != "linked" and r["answer"] == "match")
    return LinkageUncertainty(records=src.reset_index(drop=True), assignment=assignment,
                              features=feats, calibration=cal, found_links=found,
                              pairs=pairs, must_link=tuple(given.must_link),
                              cannot_link=tuple(given.cannot_link), lists=tuple(used),
                              synthetic=synthetic,
                              threshold=float(threshold) if threshold else DEFAULT_THRESHOLD,
                              prior=float(run_prior) if run_prior else None)


UNSCORED_LOG_ODDS = -2.0
"""Log-odds a pair across two persons counts for in their merge evidence when the run did not
store it: the clustering's own value (:data:`dadkhah.linkage.cluster.UNSCORED_LOG_ODDS`,
which this package sits below)."""


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


def _merge_evidence(pa: np.ndarray, pb: np.ndarray, logit: np.ndarray,
                    size: np.ndarray) -> pd.Series:
    """Average-linkage evidence for merging two persons, by (smaller, larger) person code:
    the mean log-odds over every pair of records across them, stored pairs at their score and
    the others at :data:`UNSCORED_LOG_ODDS` (what the register's clustering weighed)."""
    a, b = np.minimum(pa, pb), np.maximum(pa, pb)
    g = pd.DataFrame({"a": a, "b": b, "x": logit}).groupby(["a", "b"]).x.agg(["sum", "count"])
    ia = g.index.get_level_values("a").to_numpy()
    ib = g.index.get_level_values("b").to_numpy()
    cross = (size[ia] * size[ib]).astype(float)
    ev = (g["sum"].to_numpy() + (cross - g["count"].to_numpy()) * UNSCORED_LOG_ODDS) / cross
    return pd.Series(ev, index=g.index, name="evidence")


def _cohesion(person: np.ndarray, logit: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Average-linkage evidence holding each person together, by person code: the mean
    log-odds over every pair of its records, stored pairs (``person``, ``logit``: one entry
    per stored pair within a person) at their score and the others at the log-odds of
    :data:`KEPT_PROBABILITY` (scored above the stored band, or joined through other records).
    NaN for a person of one record."""
    pairs = size * (size - 1) / 2.0
    total = np.bincount(person, weights=logit, minlength=size.size)
    count = np.bincount(person, minlength=size.size)
    kept = math.log(KEPT_PROBABILITY / (1 - KEPT_PROBABILITY))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((total + (pairs - count) * kept) / pairs)


def audit_calibration(case: Case, *, prior: PairCalibration | None = None) -> PairCalibration:
    """The pair calibration fitted on the answers to the case's latest audit sample
    (:func:`dadkhah.estimate.fit_pair_calibration`), updating ``prior`` (default
    :data:`~dadkhah.estimate.TUNED_PAIR_CALIBRATION`); ``prior`` itself when no pair of it
    is answered match or not a match.

    Each answered pair is scored by the log-odds the run it was sampled from gave it (none
    for a linked pair the run did not store: it informs the rate for unstored pairs), on the
    side of the decision that run made (its audit stratum).  Scores from that run, not the
    current one: answers are decisions, and after a relink the answered pairs sit where the
    answers put them, which would tie the score to the answer.  The maps are learnt on
    pairs and applied by the draws to a person's cohesion or two persons' merge evidence,
    which are the pair's own log-odds for persons of one or two records (most of them).
    Only audit answers are used, not review-queue decisions: the audit sample is random
    given its strata (bands of the score and of the decision, so conditioning on both is
    enough), while the queue picks pairs for being informative.
    """
    from dadkhah.register.quality import audit_answers

    pri = TUNED_PAIR_CALIBRATION if prior is None else prior
    rows = [r for r in audit_answers(case) if r["answer"] in ("match", "no_match")]
    if not rows:
        return pri
    score = [float(_logit(np.array([r["match_probability"]]))[0])
             if r["match_probability"] is not None else math.nan for r in rows]
    side = ["linked" if r["kind"] == "linked" else "apart" for r in rows]
    match = [r["answer"] == "match" for r in rows]
    return fit_pair_calibration(score, side, match, source="audit sample", prior=pri)


KEPT_PROBABILITY = 0.99
"""Match probability a draw gives a pair of records of one person that the run did not store
(scored above the stored band, or joined through stronger links): certain, nearly.  Drawn
probabilities are kept just below it (:data:`DRAWN_CEILING`), so that the clustering, which
applies the strongest pairs first, forms these groups before it weighs any drawn pair, as
the register's clustering did."""

DRAWN_CEILING = 0.985
"""Highest probability a drawn pair is given (below :data:`KEPT_PROBABILITY`; whether a lone
pair links depends only on the threshold, so the ceiling does not change how often)."""


def _kept_pairs(ids: np.ndarray, person: np.ndarray, lo: np.ndarray,
                hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of records of one person (as built) that the run did not store: every draw
    scores them :data:`KEPT_PROBABILITY`.  Returns their (smaller, larger) record ids."""
    n = ids.size
    order = np.lexsort((ids, person))
    ids_s, per_s = ids[order], person[order]
    # every pair within a person (persons are small; a person of k records gives k(k-1)/2)
    start = np.flatnonzero(np.r_[True, per_s[1:] != per_s[:-1]]) if n else np.empty(0, int)
    size = np.diff(np.r_[start, n])
    left, right = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for k in np.unique(size[size > 1]):
        first = start[size == k]
        a, b = np.triu_indices(int(k), 1)
        left.append((first[:, None] + a[None, :]).ravel())
        right.append((first[:, None] + b[None, :]).ravel())
    pl, pr = ids_s[np.concatenate(left)], ids_s[np.concatenate(right)]
    a, b = np.minimum(pl, pr), np.maximum(pl, pr)
    base = int(ids.max()) + 1 if n else 1
    unstored = ~np.isin(a * base + b, lo * base + hi)
    return a[unstored], b[unstored]


def draw_registers(record_ids: Sequence[int] | pd.Series, assignment: pd.Series,
                   pairs: pd.DataFrame, *, must_link: Iterable[Pair] = (),
                   cannot_link: Iterable[Pair] = (), n: int, seed: int = 0,
                   cluster: ClusterFn, threshold: float = DEFAULT_THRESHOLD,
                   records: pd.DataFrame | None = None,
                   calibration: PairCalibration | None = None,
                   sources: pd.Series | None = None,
                   unseen: float | None = None,
                   prior: float | None = None,
                   found_links: Iterable[Pair] = ()) -> list[pd.Series]:
    """``n`` registers drawn from the pair probabilities.

    **With** ``calibration`` (what :meth:`LinkageUncertainty.draw` passes by default), each
    draw decides every uncertain pair *given the register's decision for it*, with the
    probability ``calibration`` gives (:class:`dadkhah.estimate.PairCalibration`):

    * a stored pair within a person stays linked with ``calibration.linked(cohesion)``, the
      cohesion being the mean log-odds over every pair of the person's records (unstored
      ones at :data:`KEPT_PROBABILITY`): the evidence the register's average linkage held
      the person together by, and for a person of two records the pair's own log-odds; a
      pair within a person that the run did not store stays with ``calibration.unstored``;
    * two persons the register kept apart though some pair across them was stored merge with
      ``calibration.merge(score, single)`` (:meth:`~dadkhah.estimate.PairCalibration.merge`),
      the score being by ``calibration.apart_by`` the evidence, the mean log-odds over every
      pair of records across them (unstored pairs at :data:`UNSCORED_LOG_ODDS`: the quantity
      the register's average linkage weighed), or, in the tuned default, the log-odds of the
      strongest stored pair across them (which ranks true merges far better: that method's
      docstring), and ``single`` whether both persons are single records (two lone records
      kept apart were true half the time on the tuning profiles);

    with ``calibration.apart_passable`` (the tuned default since session 12) only the merges
    the clustering's checks allow are drawn by the map, the others never
    (:func:`_passable`: on the tuning registers the draws had realised only 30-40% of the
    kept-apart merges they drew, the rest refused by those checks); and when the calibration
    carries its own uncertainty (``calibration.spread``) each drawn register first draws its
    calibration from it (:meth:`~dadkhah.estimate.PairCalibration.sample`: the map's
    coefficients and the unseen rate), so that the drawn registers spread as far as the
    calibration is unsure;

    then the kept links and merges are closed into persons by ``cluster`` with single
    linkage, so that the decisions (a must-link pair always in one person, a cannot-link pair
    never) and, when ``records`` carries their columns, the sex and date checks and the
    sibling guard hold in every draw, as they held in the register.

    Why given the decision: the model's probabilities are not calibrated once the register
    has decided.  On the simulator's held-out profiles 1-4 (400 persons each), pairs the
    register linked were true 92-99% of the time at any score, pairs it kept apart 17-45% of
    the time at any score; draws that re-clustered from the model's probabilities (the
    former method, below) kept refused merges refused and held the truly named count
    outside the drawn range in 6 replicates of 6.  The calibration that says how often a
    decision is wrong can only come from answers the model did not choose: the random audit
    sample (:func:`audit_calibration`).  Without answers a case's draws use
    :data:`dadkhah.estimate.TUNED_PAIR_CALIBRATION`, fitted on the registers ``dadkhah link``
    built from the simulator's tuning profiles 1-20 (never the held-out ones), applied to
    the evidence the register's rule weighed (a person's cohesion, two persons' merge
    evidence) rather than to each pair alone; the audit answers update it as a prior.  The
    model's own posterior (identity maps, ``PairCalibration()``), the default before it,
    overstated the error given the decision (the demo's pooled total moved +8.3% while the
    register was 99.6% precise): on held-out replicates 0-40 (profiles 1001-1020, 400
    persons, no review) its pooled total averaged 420 for a true 400 and covered 37 of 41,
    the tuned default's 396 and 39 of 41; over 78 held-out replicates the tuned default
    covered 92% against the fixed register's 78% (``benchmarks/mse_linkage_coverage.py``);
    with the missed links estimated from each case (session 8), 92 of 100 never-seen
    held-out replicates against the fixed register's 89.

    Missed links no stored pair shows (true pairs scored below the stored band or never
    compared: the register's main error is splitting) are drawn too when the calibration
    says how many (:attr:`~dadkhah.estimate.PairCalibration.draws_unseen`): each draw merges
    a gamma-Poisson number of random pairs of persons on no common list (``sources``: record
    id → list), of one sex, never across a cannot-link decision, and the clustering applies
    its checks to them as to any link (:func:`_unseen_merges`).  The expected number is
    ``unseen``, by default :meth:`~dadkhah.estimate.PairCalibration.unseen_expected` of the
    case's *seen* missed links (match decisions across persons and ``found_links``, the
    audit's pairs answered match that its run had kept apart, each pair once, and the
    calibrated ``apart`` probabilities summed over the merges the undecided stored pairs
    propose: :meth:`LinkageUncertainty.missed_links`' sum, computed here from the same
    :func:`_passable` clustering as the draws', so one draw call clusters for it once): a register
    whose stored pairs show no missed link draws none, one that shows many draws more.  It
    replaced a fixed rate per person learnt on the simulator (0.036), which on the demo's
    lists drew 126 unseen links where the register had 23, and drew the registers below the
    truly named count.  Which persons they join is unknown, so the drawn registers' pairwise
    precision falls a few points; what the merges carry into the estimate is how much the
    overlaps between lists may have been understated.

    Unresolved mentions (records naming only a given name that the clustering left alone,
    :func:`dadkhah.linkage.cluster.unresolved_mentions`) are drawn by their own model when
    ``prior`` (the run's prior probability of a match) and ``records``' name keys are given
    (:func:`mention_merges`): in each draw such a record joins one of the persons its stored
    pairs fit, with the probability the mention model's EM gives that it names that person,
    instead of by the kept-apart map (which, fitted on all kept-apart pairs, takes back few
    of them: on the tuning profiles without the hard group about half of the register's
    excess over the truly named were such records).

    **Without** ``calibration``, each draw perturbs every stored pair's log-odds of a match by
    independent standard logistic noise, shifted so that a pair alone (no other record near
    either record) links exactly with its match probability, and clusters the records again with
    the rule that built the register: average linkage at ``threshold`` (the run's), the
    decisions as constraints (a must-link pair always shares a cluster, a cannot-link pair never
    does, unless the decisions contradict each other, which ``cluster`` reports), and the
    consistency and sibling checks when ``records`` carries their columns (see
    :func:`dadkhah.linkage.cluster.cluster_records`).  Records of one person that the run did
    not store a pair for are scored :data:`KEPT_PROBABILITY`.

    Why not a link per pair drawn with its probability and the links closed transitively:
    that ignores what the clustering knew.  On the simulator (held-out profiles 1-4, 400
    persons each) pairs the register kept apart though scored 0.55-0.99 (average linkage,
    sex, dates or siblings refused them) were true matches 21% of the time, not 63-95%; pairs
    the register put in one person and scored 0.2-0.55 were 98% true, not 30-50%.  Such draws
    merged refused pairs with their raw probability and split sound persons: their pairwise
    precision against the truth was 0.73-0.98 where the register's was 0.98-1.00, and their
    person counts fell below the register's on every seed, nearer the truth only by those
    wrong merges.  Drawn by the clustering (with ``records``), precision was 0.95-0.99 and
    recall within 0.05 of the register's (``benchmarks/mse_linkage_coverage.py
    --draws-check``).

    Known limit of this former method (why the calibrated one is the default): the draws
    are calibrated to the model's probabilities, and those are not calibrated given the
    register's decision (pairs inside a person were true 92-99% of the
    time at any score, pairs across persons 17-45%).  Draws therefore split weakly scored
    persons more often than the truth would, which lowers overlaps between lists and raises
    the total: on the demo's lists the pooled log-linear total moved +7.9% from the fixed
    one while the width grew by under 1%.  Recalibrating the probabilities on the audit
    sample's answers would fix it; the estimate reports that move
    (:attr:`dadkhah.estimate.LinkagePropagated.centre_shift`).

    Each returned Series maps every record id to its cluster key (the smallest record id of
    its cluster).

    Examples
    --------
    >>> from dadkhah.linkage.cluster import cluster_records
    >>> pairs = pd.DataFrame({"unique_id_l": [1, 2], "unique_id_r": [2, 3],
    ...                       "match_probability": [0.5, 0.5]})
    >>> regs = draw_registers([1, 2, 3], pd.Series([1, 2, 3], index=[1, 2, 3]), pairs,
    ...                       cannot_link=[(1, 3)], n=50, seed=1, cluster=cluster_records)
    >>> any(r[1] == r[3] for r in regs), len({r.nunique() for r in regs}) > 1
    (False, True)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    ids = np.sort(pd.Series(record_ids).astype(np.int64).to_numpy())
    lo = np.minimum(pairs.unique_id_l.to_numpy(), pairs.unique_id_r.to_numpy()).astype(np.int64)
    hi = np.maximum(pairs.unique_id_l.to_numpy(), pairs.unique_id_r.to_numpy()).astype(np.int64)
    p = np.clip(pairs.match_probability.to_numpy(dtype=float), 1e-6, 1 - 1e-6)
    # the pairs in one order whatever order they came in (a case's stored pairs come in the
    # order the linkage's threads wrote them): each random number then goes to the same pair,
    # and one seed draws the same registers (session 15: replicate 545's upper bound was
    # 351, 381 or 349 from run to run)
    order = np.lexsort((p, hi, lo))
    lo, hi, p = lo[order], hi[order], p[order]
    person = assignment.reindex(ids).to_numpy()
    if pd.isna(person).any():
        raise ValueError("some records are in no person of the register (relink first)")
    codes = pd.factorize(person)[0].astype(np.int64)
    ka, kb = _kept_pairs(ids, codes, lo, hi)
    if calibration is not None:
        nodes = (pd.DataFrame({"unique_id": ids}) if records is None else
                 records.set_index("unique_id").reindex(ids).rename_axis("unique_id")
                 .reset_index())
        lists = (None if sources is None else
                 pd.factorize(sources.reindex(ids).to_numpy())[0].astype(np.int64))
        ment = (mention_merges(ids, codes, nodes, lo, hi, p, prior)
                if prior is not None and records is not None else None)
        return _draw_given_decisions(ids, codes, lo, hi, p, ka, kb, must_link, cannot_link,
                                     n=n, seed=seed, cluster=cluster, nodes=nodes,
                                     calibration=calibration, lists=lists, unseen=unseen,
                                     mentions=ment, found_links=found_links)
    kept = pd.DataFrame({"unique_id_l": ka, "unique_id_r": kb,
                         "match_probability": np.full(ka.size, KEPT_PROBABILITY)})
    if records is None:
        nodes = pd.DataFrame({"unique_id": ids})
    else:
        nodes = records.set_index("unique_id").reindex(ids).rename_axis("unique_id") \
            .reset_index()
    must = [(int(a), int(b)) for a, b in must_link]
    cannot = [(int(a), int(b)) for a, b in cannot_link]
    # logit(p) + L >= 0 with L standard logistic has probability p: shifting by the
    # threshold's log-odds makes a lone pair cross the threshold exactly that often
    base = np.log(p / (1 - p)) + math.log(threshold / (1 - threshold))
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        z = base + rng.logistic(size=p.size)
        drawn = pd.DataFrame({"unique_id_l": lo, "unique_id_r": hi,
                              "match_probability": np.minimum(1.0 / (1.0 + np.exp(-z)),
                                                              DRAWN_CEILING)})
        edges = pd.concat([kept, drawn], ignore_index=True)
        res = cluster(nodes, edges, threshold=threshold, must_link=must, cannot_link=cannot,
                      linkage="average")
        out.append(pd.Series(res.assignment.reindex(ids).to_numpy(), index=ids,
                             name="cluster"))
    return out


WITHIN = 0.995
"""Score a draw gives a link it keeps within a person, above :data:`MERGED` so that single
linkage (strongest first) rebuilds the persons before it weighs merges between them."""

MERGED = 0.99
"""Score a draw gives a merge of two persons it drew."""


def _draw_given_decisions(ids: np.ndarray, person: np.ndarray, lo: np.ndarray,
                          hi: np.ndarray, p: np.ndarray, ka: np.ndarray, kb: np.ndarray,
                          must_link: Iterable[Pair], cannot_link: Iterable[Pair], *, n: int,
                          seed: int, cluster: ClusterFn, nodes: pd.DataFrame,
                          calibration: PairCalibration,
                          lists: np.ndarray | None = None,
                          unseen: float | None = None,
                          mentions: pd.DataFrame | None = None,
                          found_links: Iterable[Pair] = ()) -> list[pd.Series]:
    """The calibrated draws of :func:`draw_registers` (see there)."""
    must = [(int(a), int(b)) for a, b in must_link]
    cannot = [(int(a), int(b)) for a, b in cannot_link]
    inside, across = _undecided_sides(ids, person, lo, hi, must, cannot)
    pl = person[np.searchsorted(ids, lo)]
    ph = person[np.searchsorted(ids, hi)]
    x = _logit(p)
    size = np.bincount(person)
    coh = _cohesion(pl[pl == ph], x[pl == ph], size)
    l_lo, l_hi, q_in = lo[inside], hi[inside], calibration.linked(coh[pl[inside]])
    cand = _candidate_merges(ids, person, lo, hi, p, across)
    # merges the clustering's checks refuse are never drawn; with a map fitted only on the
    # others (apart_passable) they count for nothing either
    ok = (_passable(ids, person, lo, hi, ka, kb, cand, nodes, cluster, must, cannot)
          if calibration.apart_passable else None)
    q_merge = _merge_probability(calibration, cand, ok)
    m_lo, m_hi = cand["lo"].to_numpy(), cand["hi"].to_numpy()
    pos = {int(r): i for i, r in enumerate(ids.tolist())}
    # the seen missed links the decisions show, as LinkageUncertainty.decided_links counts
    decided = len({(min(a, b), max(a, b)) for a, b in must
                   if a in pos and b in pos and person[pos[a]] != person[pos[b]]}
                  | {(min(int(a), int(b)), max(int(a), int(b))) for a, b in found_links})
    base_unseen = calibration.unseen_expected(float(q_merge.sum()) + decided, int(size.size))
    if unseen is None:
        unseen = base_unseen
    mt_rec = mt_tgt = np.empty(0, np.int64)
    mt_cum = np.empty(0, float)
    mt_start = np.zeros(1, np.int64)
    by_mention = np.zeros(len(cand), dtype=bool)
    if mentions is not None and len(mentions):
        # the mentions' merges by their own model, not by the kept-apart map (the unseen
        # links stay as tuned: learnt on every proposed merge's expected true links)
        lone = person[np.searchsorted(ids, mentions["record"].unique())]
        ca, cb = cand["a"].to_numpy(), cand["b"].to_numpy()
        by_mention = np.isin(ca, lone) | np.isin(cb, lone)
        q_merge = np.where(by_mention, 0.0, q_merge)
        mt = mentions.sort_values("record", kind="stable")
        mt_rec, mt_tgt = mt["record"].to_numpy(), mt["target"].to_numpy()
        mt_cum = mt.groupby("record")["q"].cumsum().to_numpy()
        mt_start = np.r_[0, np.flatnonzero(np.diff(mt_rec)) + 1, mt_rec.size]
    sex = nodes["sex"].to_numpy() if "sex" in nodes.columns else None
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        # the calibration itself drawn from its uncertainty, once per drawn register
        # (PairCalibration.sample; nothing drawn when it carries none)
        cal = calibration.sample(rng)
        q_m, unseen_m = q_merge, unseen
        if cal is not calibration:
            q_all = _merge_probability(cal, cand, ok)
            q_m = np.where(by_mention, 0.0, q_all)
            expected = cal.unseen_expected(float(q_all.sum()) + decided, int(size.size))
            unseen_m = (unseen * expected / base_unseen if base_unseen > 0 else expected)
        keep = rng.random(l_lo.size) < q_in
        keep_k = rng.random(ka.size) < calibration.unstored
        merge = rng.random(m_lo.size) < q_m
        u_lo, u_hi = _unseen_merges(ids, person, lists, sex, cannot, unseen_m,
                                    calibration.unseen_cv, rng, nodes=nodes)
        j_l, j_r = [], []
        if mt_rec.size:
            u = rng.random(mt_start.size - 1)
            for g, (s0, s1) in enumerate(zip(mt_start[:-1], mt_start[1:], strict=True)):
                k = int(np.searchsorted(mt_cum[s0:s1], u[g], side="right"))
                if k < s1 - s0:  # else: someone no other record names
                    j_l.append(int(mt_rec[s0]))
                    j_r.append(int(mt_tgt[s0 + k]))
        edges = pd.DataFrame({
            "unique_id_l": np.r_[l_lo[keep], ka[keep_k], m_lo[merge], j_l, u_lo],
            "unique_id_r": np.r_[l_hi[keep], kb[keep_k], m_hi[merge], j_r, u_hi],
            "match_probability": np.r_[np.full(int(keep.sum() + keep_k.sum()), WITHIN),
                                       np.full(int(merge.sum()) + len(j_l), MERGED),
                                       np.full(u_lo.size, UNSEEN)]})
        res = cluster(nodes, edges, threshold=0.5, must_link=must, cannot_link=cannot,
                      linkage="single")
        for _ in range(UNSEEN_ROUNDS):
            # unseen merges the clustering refused (a guard, or a conflict with another
            # merge) are offered again between other random persons, so that the draw makes
            # as many as it drew: the rate counts merges made, not merges offered
            a = res.assignment
            refused = a.reindex(u_lo).to_numpy() != a.reindex(u_hi).to_numpy()
            if not refused.any():
                break
            taken = person[np.searchsorted(ids, np.r_[u_lo, u_hi])]
            r_lo, r_hi = _unseen_merges(ids, person, lists, sex, cannot, 0.0, 0.0, rng,
                                        nodes=nodes, want=int(refused.sum()), avoid=taken)
            if not r_lo.size:
                break
            u_lo, u_hi = np.r_[u_lo[~refused], r_lo], np.r_[u_hi[~refused], r_hi]
            edges = pd.concat([edges[edges["match_probability"] != UNSEEN], pd.DataFrame({
                "unique_id_l": u_lo, "unique_id_r": u_hi,
                "match_probability": np.full(u_lo.size, UNSEEN)})], ignore_index=True)
            res = cluster(nodes, edges, threshold=0.5, must_link=must, cannot_link=cannot,
                          linkage="single")
        out.append(pd.Series(res.assignment.reindex(ids).to_numpy(), index=ids,
                             name="cluster"))
    return out


UNSEEN_ROUNDS = 2
"""Times a draw offers again, between other random persons, the unseen merges its clustering
refused (session 13: on tuning replicates 500-506, without the hard group, about 10% of the
unseen merges drawn were refused by the sibling, surname and given-name guards, so the draws
took back fewer split persons than the tuned rate said)."""


def mention_merges(ids: np.ndarray, person: np.ndarray, nodes: pd.DataFrame, lo: np.ndarray,
                   hi: np.ndarray, p: np.ndarray, prior: float) -> pd.DataFrame:
    """The persons each unresolved mention may name, with the probability it names each:
    one row per (``record``, ``target``: a record of the candidate person) and ``q``.

    A mention is a record with a given name and no surname (``nodes``' ``given_key`` and
    ``surname_key``) alone in its person.  The model is the linkage's own
    (:func:`dadkhah.linkage.cluster.unresolved_mentions`, which this package sits below): the
    record names one of the N other persons with probability π (each equally likely before
    its fields are compared), else someone no other record names; a person's Bayes factor
    B_j is its best stored pair's odds over the prior odds ``prior``, so the record names
    person j with probability π/N B_j / (π/N Σ B + 1 − π), π by EM over the given-name-only
    records (those the clustering joined count as named by another record).  Pairs the run
    did not store (scored below its floor) count as B = 0.

    >>> nodes = pd.DataFrame({"unique_id": [1, 2, 3], "given_key": ["hasan"] * 3,
    ...                       "surname_key": [None, "a", "b"]})
    >>> m = mention_merges(np.array([1, 2, 3]), np.array([0, 1, 2]), nodes, np.array([1, 1]),
    ...                    np.array([2, 3]), np.array([0.5, 0.5]), 0.01)
    >>> list(m.target), bool(0 < m.q.sum() < 1)
    ([2, 3], True)
    """
    none = pd.DataFrame({"record": np.empty(0, np.int64), "target": np.empty(0, np.int64),
                         "q": np.empty(0, float)})
    if not {"given_key", "surname_key"} <= set(nodes.columns) or not 0.0 < prior < 1.0:
        return none
    node = nodes.set_index("unique_id").reindex(ids)
    given_only = (node["surname_key"].isna() & node["given_key"].notna()).to_numpy()
    size = np.bincount(person)[person]
    alone = given_only & (size == 1)
    if not alone.any():
        return none
    lone_ids = ids[alone]
    lone_persons = set(person[alone].tolist())
    others = len(set(person.tolist()) - lone_persons)
    joined = int((given_only & (size > 1)).sum())
    pl, ph = person[np.searchsorted(ids, lo)], person[np.searchsorted(ids, hi)]
    left, right = np.isin(lo, lone_ids), np.isin(hi, lone_ids)
    one = left ^ right
    if not one.any() or not others:
        return none
    rec = np.where(left, lo, hi)[one]
    tgt = np.where(left, hi, lo)[one]
    tgt_person = np.where(left, ph, pl)[one]
    q = np.clip(p[one], 1e-9, 1 - 1e-9)
    factor = (q / (1 - q)) / (prior / (1 - prior))
    best = (pd.DataFrame({"record": rec, "person": tgt_person, "target": tgt, "b": factor})
            .sort_values("b", ascending=False).drop_duplicates(["record", "person"]))
    total = best.groupby("record")["b"].sum().reindex(lone_ids).fillna(0.0).to_numpy()
    pi = 0.5
    for _ in range(MENTION_EM_ITERATIONS):
        a = pi / others * total
        new_pi = min(max((float((a / (a + 1 - pi)).sum()) + joined) / (len(lone_ids) + joined),
                         1e-6), 1 - 1e-6)
        if abs(new_pi - pi) < 1e-9:
            break
        pi = new_pi
    best["q"] = pi / others * best["b"] / (pi / others * best["record"].map(
        pd.Series(total, index=lone_ids)) + 1 - pi)
    return best[["record", "target", "q"]].sort_values(["record", "q"], ascending=[True, False],
                                                       kind="stable").reset_index(drop=True)


MENTION_EM_ITERATIONS = 200
"""EM iterations of :func:`mention_merges` (the linkage's own number)."""

UNSEEN_TRIES = 50
"""Random pairs of persons tried per unseen merge wanted before a draw gives up (pairs that
share a list, differ in sex or are kept apart by a cannot-link decision are refused)."""

UNSEEN = 0.98
"""Score a draw gives an unseen merge: below :data:`MERGED`, so that the persons and the
merges the stored pairs show are formed first."""


def _undecided_sides(ids: np.ndarray, person: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     must: Sequence[Pair], cannot: Sequence[Pair]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Masks over the stored pairs: undecided within one person, undecided across two."""
    decided = {(min(a, b), max(a, b)) for a, b in (*must, *cannot)}
    base = int(ids.max()) + 1 if ids.size else 1
    undecided = ~np.isin(lo * base + hi, np.array([a * base + b for a, b in decided],
                                                  dtype=np.int64))
    pl = person[np.searchsorted(ids, lo)]
    ph = person[np.searchsorted(ids, hi)]
    return (pl == ph) & undecided, (pl != ph) & undecided


def _candidate_merges(ids: np.ndarray, person: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                      p: np.ndarray, across: np.ndarray) -> pd.DataFrame:
    """The merges of two persons the stored pairs propose, one row per pair of persons
    (``a`` < ``b``, person codes) with an undecided stored pair across them (``across``):
    the strongest such pair (``lo``, ``hi``, ``p``; any would do for single linkage, as the
    persons' own links are rebuilt first), the merge's ``evidence``
    (:func:`_merge_evidence` over every stored pair across them) and ``single`` (both
    persons are single records)."""
    pl = person[np.searchsorted(ids, lo)]
    ph = person[np.searchsorted(ids, hi)]
    size = np.bincount(person) if person.size else np.zeros(0, np.int64)
    x = _logit(p)
    apart = pl != ph
    ev = _merge_evidence(pl[apart], ph[apart], x[apart], size)
    cand = pd.DataFrame({"a": np.minimum(pl, ph), "b": np.maximum(pl, ph), "lo": lo,
                         "hi": hi, "p": p})[across]
    cand = cand.sort_values("p", ascending=False).drop_duplicates(["a", "b"])
    cand["evidence"] = ev.reindex(pd.MultiIndex.from_frame(cand[["a", "b"]])).to_numpy()
    cand["single"] = (size[cand["a"].to_numpy()] == 1) & (size[cand["b"].to_numpy()] == 1)
    return cand.reset_index(drop=True)


def _merge_probability(calibration: PairCalibration, cand: pd.DataFrame,
                       passable: np.ndarray | None = None) -> np.ndarray:
    """Each proposed merge's probability (:func:`_candidate_merges`) by ``calibration``:
    :meth:`~dadkhah.estimate.PairCalibration.merge` of its average-linkage evidence or its
    strongest stored pair's log-odds (``calibration.apart_by``; why the tuned default takes
    the latter: that method's docstring) and whether both persons are single records."""
    score = (_logit(cand["p"].to_numpy()) if calibration.apart_by == "strongest"
             else cand["evidence"].to_numpy())
    q = np.asarray(calibration.merge(score, cand["single"].to_numpy()))
    return q if passable is None else np.where(passable, q, 0.0)


PASSABLE_ROUNDS = 3
"""Rounds of :func:`_passable` (a merge refused after another grew a person is offered again
without the merges already accepted)."""


def _passable(ids: np.ndarray, person: np.ndarray, lo: np.ndarray, hi: np.ndarray,
              ka: np.ndarray, kb: np.ndarray, cand: pd.DataFrame, nodes: pd.DataFrame,
              cluster: ClusterFn, must: Sequence[Pair], cannot: Sequence[Pair],
              rounds: int = PASSABLE_ROUNDS) -> np.ndarray:
    """Whether each proposed merge (:func:`_candidate_merges`) passes the clustering's checks
    on the register as built: the decisions, sex and dates, the sibling, surname and
    given-name guards (``nodes``' columns; with none of them only the decisions).

    The persons are rebuilt from every link within them, then every proposed merge is
    offered by its strongest pair, strongest first, with single linkage; a merge refused
    only because an earlier one had grown a person is offered again alone in the next round
    (``rounds`` in all), so that the answer is nearly "on its own"."""
    ok = np.zeros(len(cand), dtype=bool)
    if not len(cand):
        return ok
    pl, ph = person[np.searchsorted(ids, lo)], person[np.searchsorted(ids, hi)]
    w_l, w_r = np.r_[lo[pl == ph], ka], np.r_[hi[pl == ph], kb]
    within = pd.DataFrame({"unique_id_l": w_l, "unique_id_r": w_r,
                           "match_probability": np.full(w_l.size, WITHIN)})
    c_lo, c_hi = cand["lo"].to_numpy(), cand["hi"].to_numpy()
    # offered strongest first, all below the persons' own links and above the threshold
    rank = np.argsort(np.argsort(-cand["p"].to_numpy(), kind="stable"), kind="stable")
    score = MERGED - (MERGED - 0.6) * rank / max(len(cand), 1)
    todo = np.ones(len(cand), dtype=bool)
    for _ in range(rounds):
        if not todo.any():
            break
        edges = pd.concat([within, pd.DataFrame({"unique_id_l": c_lo[todo],
                                                 "unique_id_r": c_hi[todo],
                                                 "match_probability": score[todo]})],
                          ignore_index=True)
        res = cluster(nodes, edges, threshold=0.5, must_link=must, cannot_link=cannot,
                      linkage="single")
        a = res.assignment
        joined = a.reindex(c_lo).to_numpy() == a.reindex(c_hi).to_numpy()
        ok |= todo & joined
        refused = {(min(r.left, r.right), max(r.left, r.right)) for r in res.refusals}
        again = todo & ~joined & np.array([(int(x), int(y)) in refused
                                           for x, y in zip(c_lo, c_hi, strict=True)])
        if (again == todo).all():  # nothing joined this round: the rest refuse on their own
            break
        todo = again
    return ok


def _unseen_merges(ids: np.ndarray, person: np.ndarray, lists: np.ndarray | None,
                   sex: np.ndarray | None, cannot: Sequence[Pair], mean: float, cv: float,
                   rng: np.random.Generator, nodes: pd.DataFrame | None = None,
                   want: int | None = None, avoid: Iterable[int] = ()
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of persons of the register to merge in one draw, as many as a
    gamma-Poisson draw of mean ``mean`` and coefficient of variation ``cv`` says: the true
    links no stored pair shows (:meth:`LinkageUncertainty.missed_links`).  Returns one
    record of each (smaller, larger id), as edges for the draw's clustering, which then
    applies the decisions, the sex and date checks and the sibling guard to them as to every
    other link (so a few are refused).

    Which persons a missed link joins is unknown (the model scored them too low to say), so
    the partners are drawn at random among persons named on no common list (a missed link
    is across lists; duplicates within a list are rare), of one sex when both are known, and
    never across a cannot-link decision.  What the merges change is the overlap between the
    lists, which is all the capture histories see.

    With ``nodes`` (the records' features, in ``ids`` order) the partners are also drawn
    among persons whose death dates and birth years fit (the clustering's own tolerances,
    :data:`dadkhah.names.DEATH_TOLERANCE_DAYS`, :data:`dadkhah.names.BIRTH_TOLERANCE_YEARS`),
    and the record given for each is one with a surname when the person has one: a true
    missed link passes those checks, and before session 11 the random partners did not, so
    that the clustering refused about 60% of the unseen merges drawn (tuning profiles
    without the hard group, ``--ablate hard``) and the draws took back fewer split persons
    than the rate said.

    ``want``: that many merges instead of a draw of the rate (nothing drawn for it), among
    persons other than ``avoid`` (person codes): how a draw offers again the unseen merges
    its clustering refused (:data:`UNSEEN_ROUNDS`)."""
    k = int(person.max()) + 1 if person.size else 0
    if want is None:
        rate = rng.gamma(1.0 / cv**2, mean * cv**2) if cv > 0 and mean > 0 else mean
        want = int(rng.poisson(rate)) if rate > 0 else 0
    none = (np.empty(0, np.int64), np.empty(0, np.int64))
    if want == 0 or k < 2:
        return none
    mask = np.zeros(k, dtype=np.int64)
    if lists is not None:
        np.bitwise_or.at(mask, person, np.left_shift(1, lists % 62))
    rep_ = np.full(k, -1, dtype=np.int64)
    rep_[person[::-1]] = ids[::-1]  # the smallest record id of each person
    span = _person_spans(person, k, nodes)
    if nodes is not None and "surname_key" in nodes.columns:
        named = nodes["surname_key"].notna().to_numpy()
        rep_[person[named][::-1]] = ids[named][::-1]  # ... with a surname when it has one
    psex = np.full(k, None, dtype=object)
    if sex is not None:
        for c, v in zip(person.tolist(), sex.tolist(), strict=True):
            if isinstance(v, str) and v:
                psex[c] = v
    pos = {int(r): i for i, r in enumerate(ids.tolist())}
    refused = {frozenset((int(person[pos[a]]), int(person[pos[b]]))) for a, b in cannot
               if a in pos and b in pos}
    used: set[int] = {int(c) for c in avoid}
    a_out, b_out = [], []
    for _ in range(want * UNSEEN_TRIES):
        a, b = (int(x) for x in rng.integers(0, k, size=2))
        if (a == b or a in used or b in used or mask[a] & mask[b]
                or (psex[a] is not None and psex[b] is not None and psex[a] != psex[b])
                or frozenset((a, b)) in refused or not _spans_fit(span, a, b)):
            continue
        used.update((a, b))  # each person in one unseen merge at most: missed links are rare
        a_out.append(min(rep_[a], rep_[b]))
        b_out.append(max(rep_[a], rep_[b]))
        if len(a_out) == want:
            break
    return np.asarray(a_out, dtype=np.int64), np.asarray(b_out, dtype=np.int64)


def _person_spans(person: np.ndarray, k: int,
                  nodes: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """Each person's death-date and birth-year interval (the latest start and earliest end
    over its records; ±inf where none is known), from ``nodes``' ``death_lo`` … ``birth_hi``."""
    out: dict[str, np.ndarray] = {}
    if nodes is None:
        return out
    for col, fill, agg in (("death_lo", -np.inf, np.maximum), ("death_hi", np.inf, np.minimum),
                           ("birth_lo", -np.inf, np.maximum), ("birth_hi", np.inf, np.minimum)):
        if col not in nodes.columns:
            continue
        v = pd.to_numeric(nodes[col], errors="coerce").to_numpy(dtype=float)
        acc = np.full(k, fill)
        agg.at(acc, person, np.where(np.isnan(v), fill, v))
        out[col] = acc
    return out


def _spans_fit(span: dict[str, np.ndarray], a: int, b: int) -> bool:
    """Whether persons ``a`` and ``b`` may be one by their dates (as the clustering checks)."""
    for kind, tol in (("death", DEATH_TOLERANCE_DAYS), ("birth", BIRTH_TOLERANCE_YEARS)):
        lo, hi = span.get(f"{kind}_lo"), span.get(f"{kind}_hi")
        if lo is not None and hi is not None and \
                max(lo[a], lo[b]) - min(hi[a], hi[b]) > tol:
            return False
    return True


def draws_summary(draws: Sequence[pd.Series]) -> tuple[int, int, int]:
    """Clusters per drawn register: (min, median, max)."""
    k = sorted(int(d.nunique()) for d in draws)
    return k[0], int(np.median(k)), k[-1]


def estimate_over_draws(unc: LinkageUncertainty, fit: Callable[[Any], Any], *, n: int,
                        seed: int = 0, cluster: ClusterFn | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        drawn: Sequence[Any] | None = None, fixed: Any = None,
                        prepare: Callable[[Any], Any] | None = None,
                        reselect: bool = False) -> Any:
    """``fit`` (capture histories → :class:`~dadkhah.estimate.Estimate`) on the register as
    built and on ``n`` drawn registers, pooled by
    :func:`dadkhah.estimate.combine_linkage_draws`: a
    :class:`~dadkhah.estimate.LinkagePropagated`.  ``progress(done, n)`` after each draw.
    ``drawn``: the drawn registers' histories made already (:meth:`LinkageUncertainty.
    drawn_histories`), to fit several methods on the same draws; ``cluster`` is then unused.
    ``fixed``: ``fit`` on the register as built, fitted already (to pool several kinds of
    draws against one fixed estimate).  ``prepare``: applied to every histories before
    ``fit`` (copied lists merged, lists kept), the register's and each draw's.

    A method that chooses a model fits the model chosen on the register to every drawn
    register (:func:`dadkhah.estimate.same_model`; why: that module's docstring), so the
    propagated width is the linkage's, not model selection flipping between near-identical
    registers; ``reselect=True`` chooses afresh on each draw (the former behaviour)."""
    from dadkhah.estimate import combine_linkage_draws, same_model

    def prep(h: Any) -> Any:
        return prepare(h) if prepare is not None else h

    if drawn is None:
        if cluster is None:
            raise ValueError("pass cluster (dadkhah.linkage.cluster.cluster_records) or drawn")
        drawn = unc.drawn_histories(n, seed=seed, cluster=cluster)
    if fixed is None:
        fixed = fit(prep(unc.histories()))
    fit_draw = fit if reselect else same_model(fixed, fit)
    runs = []
    for i, h in enumerate(drawn, start=1):
        runs.append(fit_draw(prep(h)))
        if progress is not None:
            progress(i, len(drawn))
    line, wording = _calibration_line(unc, cluster)
    return combine_linkage_draws(fixed, runs, seed=seed, uncertain_pairs=unc.uncertain_pairs,
                                 register_persons=int(unc.assignment.nunique()),
                                 calibration=line, calibration_wording=wording)


def drawn_strata(unc: LinkageUncertainty, frame: pd.DataFrame, by: Sequence[str],
                 drawn: Iterable[pd.Series], *, missing: str = MISSING) -> list[pd.DataFrame]:
    """One person frame per drawn register (for :func:`stratified_over_draws`): a 0/1 column
    per list of ``unc`` and the ``by`` columns.  ``frame``: the register's persons (index:
    the person keys of ``unc.assignment``; :func:`~dadkhah.register.person_lists`), whose
    values each record takes from its register person; a drawn person's value is the
    commonest known one among its records (ties: the first in sort order), ``missing`` when
    none of its records' persons has one.

    >>> recs = pd.DataFrame({"unique_id": [1, 2, 3], "source": ["A", "B", "B"]})
    >>> pairs = pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability"])
    >>> unc = LinkageUncertainty(records=recs, pairs=pairs, lists=("A", "B"),
    ...                          assignment=pd.Series([7, 8, 8], index=[1, 2, 3]))
    >>> reg = pd.DataFrame({"p": ["x", "unknown"]}, index=[7, 8])
    >>> draws = [pd.Series([1, 2, 2], index=[1, 2, 3]), pd.Series([1, 1, 2], index=[1, 2, 3])]
    >>> for f in drawn_strata(unc, reg, ["p"], draws):
    ...     print(f.to_dict("list"))
    {'A': [1, 0], 'B': [0, 1], 'p': ['x', 'unknown']}
    {'A': [1, 0], 'B': [1, 1], 'p': ['x', 'unknown']}
    """
    rec = unc.records
    person = unc.assignment.reindex(rec.unique_id).to_numpy()
    values = {b: frame[b].reindex(person).to_numpy(dtype=object) for b in by}
    out = []
    for d in drawn:
        t = pd.DataFrame({"cluster": d.reindex(rec.unique_id).to_numpy(),
                          "source": rec.source.to_numpy(), **values})
        on = (pd.crosstab(t.cluster, t.source).clip(upper=1)
              .reindex(columns=list(unc.lists), fill_value=0))
        f = on.reset_index(drop=True)
        f.columns = list(unc.lists)
        for b in by:
            known = t[t[b].notna() & (t[b] != missing)]
            v = (known.groupby("cluster")[b].agg(lambda x: x.mode().iloc[0])
                 .reindex(on.index).fillna(missing))
            f[b] = v.to_numpy(dtype=object)
        out.append(f)
    return out


def stratified_over_draws(frames: Iterable[pd.DataFrame], lists: Sequence[str],
                          by: Sequence[str], fit: Callable[[Any], Any], *,
                          imputations: int = 1, seed: int = 0, synthetic: bool = False,
                          level: float = 0.95,
                          prepare: Callable[[Any], Any] | None = None,
                          progress: Callable[[int, int], None] | None = None) -> Any:
    """A stratified estimate that carries the linkage's uncertainty as well as the missing
    strata's: each of ``frames`` (one per drawn register; one row per drawn person, 0/1
    ``lists`` columns and the ``by`` columns, ``unknown`` where a person's value is not
    known) gets its own ``imputations`` completed copies (:func:`~dadkhah.register.
    impute_missing`, seed ``seed + i`` for the i-th draw), ``fit`` is run per stratum on
    every copy (:func:`dadkhah.estimate.estimate_by_stratum`), and all draws x imputations
    are pooled by :func:`dadkhah.estimate.combine_imputations` (Bayesian estimates pool
    their posterior draws, frequentist ones follow Rubin's rules on log N).  Imputing on one
    register and drawing only some registers gives the stratified total less linkage
    variance than the unstratified total over all draws (issue 19, session 14).
    ``prepare``: applied to every completed copy's histories before ``fit`` (lists kept,
    copied lists merged); ``progress(done, n)`` after each draw.

    >>> import pandas as pd
    >>> from dadkhah.estimate.chapman import chapman
    >>> f = pd.DataFrame({"A": [1, 1, 0] * 40, "B": [1, 0, 1] * 40,
    ...                   "p": ["x"] * 60 + ["y"] * 59 + ["unknown"]})
    >>> res = stratified_over_draws([f, f.iloc[3:]], ["A", "B"], ["p"], chapman,
    ...                             imputations=2)
    >>> res.replicates, [e.stratum for e in res.strata]
    (4, [(('p', 'x'),), (('p', 'y'),)])
    """
    frames = list(frames)
    runs: list[Any] = []
    imputed: dict[Any, float] = {}
    n = 0
    for i, f in enumerate(frames):
        imp = impute_missing(f, list(lists), list(by), m=imputations, seed=seed + i)
        n += 1
        for k, v in imp.imputed.items():
            imputed[k] = imputed.get(k, 0.0) + v
        runs += [estimate_by_stratum(prepare(h) if prepare is not None else h, fit,
                                     level=level, seed=seed)
                 for h in imp.histories(synthetic=synthetic)]
        if progress is not None:
            progress(n, len(frames))
    if not n:
        raise ValueError("no drawn register to estimate on")
    return combine_imputations(runs, level=level, seed=seed,
                               imputed={k: v / n for k, v in imputed.items()},
                               linkage_drawn=True)


def _calibration_line(unc: LinkageUncertainty,
                      cluster: ClusterFn | None = None) -> tuple[str, Wording]:
    """Where the draws' probabilities came from, and the missed links they add back: in
    English, and as a wording for the reader's language."""
    cal = unc.calibration or PairCalibration()
    if not cal.draws_unseen:
        return cal.line(), cal.line_wording()
    missed = unc.missed_links(cal, cluster=cluster)
    return (cal.line() + "; " + missed.summary(),
            Wording.of("pair_calibration.with_missed", line=cal.line_wording(),
                       missed=missed.wording()))
