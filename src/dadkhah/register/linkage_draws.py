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
        rec = self.records
        person = pd.factorize(a.reindex(rec["unique_id"]).to_numpy())[0]
        col = pd.Index(self.lists).get_indexer(rec["source"])
        ok = (person >= 0) & (col >= 0)
        on = np.zeros((int(person.max()) + 1 if person.size else 0, len(self.lists)), np.int8)
        on[person[ok], col[ok]] = 1
        frame = pd.DataFrame(on, columns=list(self.lists))
        return CaptureHistories.from_persons(frame, lists=list(self.lists),
                                             synthetic=self.synthetic)

    def drawn_histories(self, n: int, *, seed: int = 0, cluster: ClusterFn) -> list[Any]:
        """The capture histories of ``n`` drawn registers (see :meth:`draw`)."""
        return [self.histories(a) for a in self.draw(n, seed=seed, cluster=cluster)]

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


def _certain_components(ids: np.ndarray, person: np.ndarray, lo: np.ndarray,
                        hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Groups every draw keeps together: records of one person joined by pairs the run did
    not store.  Returns the sorted record ids and each one's group label."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = ids.size
    order = np.lexsort((ids, person))
    ids_s, per_s = ids[order], person[order]
    # every pair within a person (persons are small; a person of k records gives k(k-1)/2)
    start = np.flatnonzero(np.r_[True, per_s[1:] != per_s[:-1]])
    size = np.diff(np.r_[start, n])
    left, right = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for k in np.unique(size[size > 1]):
        first = start[size == k]
        a, b = np.triu_indices(int(k), 1)
        left.append((first[:, None] + a[None, :]).ravel())
        right.append((first[:, None] + b[None, :]).ravel())
    pl, pr = ids_s[np.concatenate(left)], ids_s[np.concatenate(right)]
    base = int(ids.max()) + 1 if n else 1
    unstored = ~np.isin(np.minimum(pl, pr) * base + np.maximum(pl, pr), lo * base + hi)
    sorted_ids = np.sort(ids)
    g = coo_matrix((np.ones(int(unstored.sum())),
                    (np.searchsorted(sorted_ids, pl[unstored]),
                     np.searchsorted(sorted_ids, pr[unstored]))), shape=(n, n))
    _, label = connected_components(g, directed=False)
    return sorted_ids, label


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
    person = assignment.reindex(ids).to_numpy()
    if pd.isna(person).any():
        raise ValueError("some records are in no person of the register (relink first)")
    sorted_ids, label = _certain_components(
        ids, pd.factorize(person)[0].astype(np.int64), lo, hi)
    must = [(min(a, b), max(a, b)) for a, b in must_link]
    cannot = [(min(a, b), max(a, b)) for a, b in cannot_link]

    def at(x: Any) -> np.ndarray:
        return np.searchsorted(sorted_ids, np.asarray(x, dtype=np.int64))

    # Each kept group is clustered as one node (its smallest record id), so the clustering
    # only sees the drawn links.  A group a cannot-link decision splits (a decision newer
    # than the run) is not contracted: its records and their kept links go in as they are,
    # and the clustering refuses the link that would join the two records.
    rep = pd.Series(sorted_ids).groupby(label).transform("min").to_numpy().copy()
    split = np.zeros(sorted_ids.size, dtype=bool)
    for a, b in cannot:
        ia, ib = at(a), at(b)
        if label[ia] == label[ib]:
            split |= label == label[ia]
    rep[split] = sorted_ids[split]
    by = np.lexsort((sorted_ids, label))
    chain = split[by][1:] & (label[by][1:] == label[by][:-1])
    kept = pd.DataFrame({"unique_id_l": sorted_ids[by][:-1][chain],
                         "unique_id_r": sorted_ids[by][1:][chain],
                         "match_probability": np.ones(int(chain.sum()))})
    nodes = pd.DataFrame({"unique_id": np.unique(rep)})
    rl, rr = rep[at(lo)], rep[at(hi)]
    inside = rl != rr
    rl, rr, rp = rl[inside], rr[inside], p[inside]
    must_r = [(int(x), int(y)) for x, y in zip(rep[at([a for a, _ in must])],
                                               rep[at([b for _, b in must])], strict=True)
              if x != y] if must else []
    cannot_r = [(int(rep[at(a)]), int(rep[at(b)])) for a, b in cannot]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        take = rng.random(rp.size) < rp
        edges = pd.concat([kept, pd.DataFrame({"unique_id_l": rl[take], "unique_id_r": rr[take],
                                               "match_probability": rp[take]})],
                          ignore_index=True)
        # single linkage over the drawn links (each already drawn with its probability);
        # decisions are constraints, applied by the linkage's own clustering
        res = cluster(nodes, edges, threshold=0.0, must_link=must_r, cannot_link=cannot_r,
                      linkage="single")
        node_cluster = res.assignment.reindex(rep).to_numpy()
        out.append(pd.Series(node_cluster, index=sorted_ids, name="cluster"))
    return out


def draws_summary(draws: Sequence[pd.Series]) -> tuple[int, int, int]:
    """Clusters per drawn register: (min, median, max)."""
    k = sorted(int(d.nunique()) for d in draws)
    return k[0], int(np.median(k)), k[-1]


def estimate_over_draws(unc: LinkageUncertainty, fit: Callable[[Any], Any], *, n: int,
                        seed: int = 0, cluster: ClusterFn | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        drawn: Sequence[Any] | None = None) -> Any:
    """``fit`` (capture histories → :class:`~dadkhah.estimate.Estimate`) on the register as
    built and on ``n`` drawn registers, pooled by
    :func:`dadkhah.estimate.combine_linkage_draws`: a
    :class:`~dadkhah.estimate.LinkagePropagated`.  ``progress(done, n)`` after each draw.
    ``drawn``: the drawn registers' histories made already (:meth:`LinkageUncertainty.
    drawn_histories`), to fit several methods on the same draws; ``cluster`` is then unused."""
    from dadkhah.estimate import combine_linkage_draws

    if drawn is None:
        if cluster is None:
            raise ValueError("pass cluster (dadkhah.linkage.cluster.cluster_records) or drawn")
        drawn = unc.drawn_histories(n, seed=seed, cluster=cluster)
    fixed = fit(unc.histories())
    runs = []
    for i, h in enumerate(drawn, start=1):
        runs.append(fit(h))
        if progress is not None:
            progress(i, len(drawn))
    return combine_linkage_draws(fixed, runs, seed=seed, uncertain_pairs=unc.uncertain_pairs)
