"""Plausible registers drawn from the linkage model's pair probabilities.

The register as built is one clustering of the records; the model scored many pairs it was
unsure of.  A *drawn register* takes each uncertain pair as a link with its match probability
(independently), keeps every link the register holds without doubt, and clusters the result
with the reviewers' decisions as hard constraints: *must-link* pairs are always in one
person, *cannot-link* pairs never (the clustering refuses any link that would join them).
Estimating on many drawn registers and pooling the estimates
(:func:`dadkhah.estimate.combine_linkage_draws`) carries the linkage's uncertainty into the
total.

What counts as uncertain is what the linkage run stored (:class:`LinkageUncertainty`): the
pairs in the run's stored band (the review band of :data:`dadkhah.linkage.REVIEW_BAND`).
Pairs the run did not store are taken as the register has them: records of one person stay
linked (the model scored them above the band, or a chain of stronger links joined them), and
records of different persons stay apart (scored below the band, or never compared).

Clustering is the linkage's own (:func:`dadkhah.linkage.cluster.cluster_records`), passed in as
``cluster`` because this package sits below :mod:`dadkhah.linkage`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import select

from dadkhah.errors import NotFound
from dadkhah.register.build import linkage_input
from dadkhah.store import Case
from dadkhah.store.tables import LinkPair, PersonRecord, Source, SourceRecord

__all__ = ["ClusterFn", "LinkageUncertainty", "draw_registers", "draws_summary",
           "estimate_over_draws", "linkage_uncertainty"]

Pair = tuple[int, int]


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
    the order histories use; ``synthetic``: every list is synthetic."""

    records: pd.DataFrame = field(repr=False)
    assignment: pd.Series = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    must_link: tuple[Pair, ...] = ()
    cannot_link: tuple[Pair, ...] = ()
    lists: tuple[str, ...] = ()
    synthetic: bool = False

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
        return (f"{len(self.records):,} records in {self.assignment.nunique():,} persons; "
                f"{self.uncertain_pairs:,} uncertain pairs; decisions: "
                f"{len(self.must_link):,} match, {len(self.cannot_link):,} not a match")

    def histories(self, assignment: pd.Series | None = None) -> Any:
        """:class:`~dadkhah.estimate.CaptureHistories` of a register (record id → person;
        default the register as built): one row per person, a column per list."""
        from dadkhah.estimate import CaptureHistories

        a = self.assignment if assignment is None else assignment
        src = self.records.set_index("unique_id")["source"]
        frame = pd.crosstab(a.reindex(src.index).to_numpy(), src.to_numpy()).clip(upper=1)
        frame = frame.reindex(columns=list(self.lists), fill_value=0)
        return CaptureHistories.from_persons(frame.reset_index(drop=True),
                                             lists=list(self.lists), synthetic=self.synthetic)

    def draw(self, n: int, *, seed: int = 0, cluster: ClusterFn) -> list[pd.Series]:
        """``n`` drawn registers (record id → cluster key), see :func:`draw_registers`."""
        return draw_registers(self.records["unique_id"], self.assignment, self.pairs,
                              must_link=self.must_link, cannot_link=self.cannot_link,
                              n=n, seed=seed, cluster=cluster)


def linkage_uncertainty(case: Case) -> LinkageUncertainty:
    """The register, the latest run's stored pairs and the decisions in force, from ``case``."""
    given = linkage_input(case)
    with case.read() as conn:
        members = pd.read_sql(select(PersonRecord.record_id, PersonRecord.person_id), conn)
        pairs = pd.read_sql(select(LinkPair.record_l.label("unique_id_l"),
                                   LinkPair.record_r.label("unique_id_r"),
                                   LinkPair.match_probability), conn)
        src = pd.read_sql(select(SourceRecord.id.label("unique_id"),
                                 Source.slug.label("source"))
                          .join(Source, Source.id == SourceRecord.source_id)
                          .order_by(SourceRecord.id), conn)
        slugs = list(conn.execute(select(Source.slug).order_by(Source.id)).scalars())
    if members.empty:
        raise NotFound("The register is empty.", hint="Run dadkhah link first.")
    assignment = members.set_index("record_id").person_id.rename("cluster")
    src = src[src.unique_id.isin(assignment.index)]
    used = [s for s in slugs if (src.source == s).any()]
    synthetic = all(s.synthetic for s in case.sources() if s.slug in used)
    return LinkageUncertainty(records=src.reset_index(drop=True), assignment=assignment,
                              pairs=pairs, must_link=tuple(given.must_link),
                              cannot_link=tuple(given.cannot_link), lists=tuple(used),
                              synthetic=synthetic)


def _certain_edges(assignment: pd.Series, stored: set[Pair]) -> list[Pair]:
    """Pairs within one person of the register that the run did not store: kept linked."""
    out: list[Pair] = []
    groups = assignment.groupby(assignment.to_numpy()).groups
    for members in groups.values():
        ids = sorted(int(x) for x in members)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if (a, b) not in stored:
                    out.append((a, b))
    return out


def draw_registers(record_ids: Sequence[int] | pd.Series, assignment: pd.Series,
                   pairs: pd.DataFrame, *, must_link: Iterable[Pair] = (),
                   cannot_link: Iterable[Pair] = (), n: int, seed: int = 0,
                   cluster: ClusterFn) -> list[pd.Series]:
    """``n`` registers drawn from the pair probabilities (the module's docstring says how).

    Each returned Series maps every record id to its cluster key (the smallest record id of
    its cluster).  Decisions bind every draw: a must-link pair always shares a cluster and a
    cannot-link pair never does (unless the decisions contradict each other, which
    ``cluster`` reports).

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
    ids = pd.Series(record_ids).astype(np.int64).to_numpy()
    lo = np.minimum(pairs.unique_id_l.to_numpy(), pairs.unique_id_r.to_numpy()).astype(np.int64)
    hi = np.maximum(pairs.unique_id_l.to_numpy(), pairs.unique_id_r.to_numpy()).astype(np.int64)
    p = pairs.match_probability.to_numpy(dtype=float)
    stored = set(zip(lo.tolist(), hi.tolist(), strict=True))
    certain = _certain_edges(assignment.reindex(ids), stored)
    must = [(min(a, b), max(a, b)) for a, b in must_link]
    cannot = [(min(a, b), max(a, b)) for a, b in cannot_link]
    base = pd.DataFrame({"unique_id_l": [a for a, _ in certain],
                         "unique_id_r": [b for _, b in certain],
                         "match_probability": np.ones(len(certain))})
    records = pd.DataFrame({"unique_id": ids})
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        take = rng.random(p.size) < p
        edges = pd.concat([base, pd.DataFrame({"unique_id_l": lo[take], "unique_id_r": hi[take],
                                               "match_probability": p[take]})],
                          ignore_index=True)
        # single linkage over the drawn links (each already drawn with its probability);
        # decisions are constraints, applied by the linkage's own clustering
        res = cluster(records, edges, threshold=0.0, must_link=must, cannot_link=cannot,
                      linkage="single")
        out.append(res.assignment)
    return out


def draws_summary(draws: Sequence[pd.Series]) -> tuple[int, int, int]:
    """Clusters per drawn register: (min, median, max)."""
    k = sorted(int(d.nunique()) for d in draws)
    return k[0], int(np.median(k)), k[-1]


def estimate_over_draws(unc: LinkageUncertainty, fit: Callable[[Any], Any], *, n: int,
                        seed: int = 0, cluster: ClusterFn,
                        progress: Callable[[int, int], None] | None = None) -> Any:
    """``fit`` (capture histories → :class:`~dadkhah.estimate.Estimate`) on the register as
    built and on ``n`` drawn registers, pooled by
    :func:`dadkhah.estimate.combine_linkage_draws`: a
    :class:`~dadkhah.estimate.LinkagePropagated`.  ``progress(done, n)`` after each draw."""
    from dadkhah.estimate import combine_linkage_draws

    fixed = fit(unc.histories())
    runs = []
    for i, a in enumerate(unc.draw(n, seed=seed, cluster=cluster), start=1):
        runs.append(fit(unc.histories(a)))
        if progress is not None:
            progress(i, n)
    return combine_linkage_draws(fixed, runs, seed=seed, uncertain_pairs=unc.uncertain_pairs)
