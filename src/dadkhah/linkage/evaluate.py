"""How close a register is to the truth: pairwise and B-cubed precision/recall.

Only possible on synthetic data (or on a hand-labelled sample): the truth maps each record
to the person it really names.

- *pairwise*: over all pairs of records, a pair is predicted when both are in one cluster
  and true when both name one person.
- *B-cubed* (Bagga & Baldwin 1998): per record, precision is the share of its cluster that
  names its person, recall the share of its person's records in its cluster; averaged over
  records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from dadkhah.linkage.blocking import admitted_by, mark_dense_blocks
from dadkhah.linkage.cluster import given_names_differ
from dadkhah.names.dates import BIRTH_TOLERANCE_YEARS, DEATH_TOLERANCE_DAYS


@dataclass(frozen=True)
class LinkageEvaluation:
    """Quality of a clustering against the truth (all shares in [0, 1])."""

    records: int
    true_persons: int
    clusters: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    persons_split: int  # true persons whose records are in more than one cluster
    clusters_mixed: int  # clusters holding records of more than one true person
    true_pairs: int
    predicted_pairs: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.records:,} records, {self.true_persons:,} true persons, "
            f"{self.clusters:,} clusters\n"
            f"pairwise  P {self.pairwise_precision:.4f}  R {self.pairwise_recall:.4f}  "
            f"F1 {self.pairwise_f1:.4f}  ({self.predicted_pairs:,} predicted / "
            f"{self.true_pairs:,} true pairs)\n"
            f"B-cubed   P {self.bcubed_precision:.4f}  R {self.bcubed_recall:.4f}  "
            f"F1 {self.bcubed_f1:.4f}\n"
            f"true persons split: {self.persons_split:,}; clusters mixing persons: "
            f"{self.clusters_mixed:,}"
        )


def _pairs(sizes: np.ndarray) -> int:
    s = sizes.astype(np.int64)
    return int((s * (s - 1) // 2).sum())


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def evaluate_clusters(predicted: Mapping[int, object] | pd.Series,
                      truth: Mapping[int, object] | pd.Series) -> LinkageEvaluation:
    """Compare ``predicted`` (record id → cluster) with ``truth`` (record id → person).

    Records missing from either side are an error: the two must cover the same records.
    """
    pred = pd.Series(predicted, name="cluster")
    true = pd.Series(truth, name="person")
    if len(pred) != len(true) or not pred.index.isin(true.index).all():
        missing = len(set(true.index) ^ set(pred.index))
        raise ValueError(f"predicted and truth cover different records ({missing} differ)")
    df = pd.concat([pred, true], axis=1, join="inner")
    cell = df.groupby(["cluster", "person"], sort=False).size()
    csize = df.groupby("cluster", sort=False).size()
    tsize = df.groupby("person", sort=False).size()
    tp = _pairs(cell.to_numpy())
    pp, tpairs = _pairs(csize.to_numpy()), _pairs(tsize.to_numpy())
    p = tp / pp if pp else 1.0
    r = tp / tpairs if tpairs else 1.0
    # B-cubed: each record in cell (c, t) scores n_ct / |c| and n_ct / |t|.
    n_ct = cell.to_numpy().astype(float)
    c_of = csize.reindex(cell.index.get_level_values(0)).to_numpy()
    t_of = tsize.reindex(cell.index.get_level_values(1)).to_numpy()
    n = len(df)
    bp = float((n_ct * n_ct / c_of).sum() / n) if n else 1.0
    br = float((n_ct * n_ct / t_of).sum() / n) if n else 1.0
    cells_per_person = cell.groupby(level=1).size()
    cells_per_cluster = cell.groupby(level=0).size()
    return LinkageEvaluation(
        records=n, true_persons=len(tsize), clusters=len(csize),
        pairwise_precision=p, pairwise_recall=r, pairwise_f1=_f1(p, r),
        bcubed_precision=bp, bcubed_recall=br, bcubed_f1=_f1(bp, br),
        persons_split=int((cells_per_person > 1).sum()),
        clusters_mixed=int((cells_per_cluster > 1).sum()),
        true_pairs=tpairs, predicted_pairs=pp,
    )


def pair_recall(pairs: pd.DataFrame, truth: Mapping[int, object] | pd.Series,
                left: str = "unique_id_l", right: str = "unique_id_r") -> float:
    """Share of the true pairs present in ``pairs`` (e.g. the pairs blocking produced)."""
    true = pd.Series(truth)
    tpairs = _pairs(true.value_counts().to_numpy())
    if tpairs == 0:
        return 1.0
    same = true.reindex(pairs[left]).to_numpy() == true.reindex(pairs[right]).to_numpy()
    # count each unordered pair once
    key = np.minimum(pairs[left].to_numpy(), pairs[right].to_numpy()) * (1 << 32) + \
        np.maximum(pairs[left].to_numpy(), pairs[right].to_numpy())
    found = len(np.unique(key[same]))
    return found / tpairs


def true_pairs(truth: Mapping[int, object] | pd.Series) -> pd.DataFrame:
    """Every unordered pair of records naming the same person (``id_l`` < ``id_r``)."""
    t = pd.Series(truth).rename("person").rename_axis("rid").reset_index()
    m = t.merge(t, on="person", suffixes=("_l", "_r"))
    m = m[m.rid_l < m.rid_r]
    return m[["rid_l", "rid_r"]].rename(columns={"rid_l": "id_l", "rid_r": "id_r"})


def blocking_recall(features: pd.DataFrame, truth: Mapping[int, object] | pd.Series,
                    keys: list[tuple[str, ...]]) -> dict[str, float]:
    """Share of true pairs that at least one blocking rule admits (all its equalities hold,
    values known on both records, the smaller id on the left as splink pairs them), overall
    and per rule; computed from the truth side, so it is exact and needs no blocked pairs.
    ``keys`` as in :data:`dadkhah.linkage.settings.BLOCKING_KEYS`."""
    pairs = true_pairs(truth)
    f = mark_dense_blocks(features, keys).set_index("unique_id")
    out: dict[str, float] = {}
    admitted = np.zeros(len(pairs), dtype=bool)
    for key in keys:
        ok = admitted_by(f, pairs, key)
        admitted |= ok
        out["+".join(key)] = float(ok.mean()) if len(ok) else 1.0
    out["all rules"] = float(admitted.mean()) if len(admitted) else 1.0
    return out


CALIBRATION_BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
"""Edges of the predicted-probability bins of :func:`calibration`."""


@dataclass(frozen=True)
class Calibration:
    """Whether scored pairs' match probabilities mean what they say, against the truth.

    ``table`` has one row per predicted-probability bin: ``lo``, ``hi``, ``pairs``,
    ``predicted`` (mean predicted probability) and ``observed`` (share of the bin's pairs
    that truly name one person).  ``brier`` is the mean squared difference between the
    predicted probability and the truth (0 or 1) over the scored pairs; ``ece`` the
    expected calibration error (pair-weighted mean |predicted − observed| over bins).
    ``expected_matches`` (sum of probabilities) beside ``true_matches`` among the scored
    pairs, and ``missed_matches``: true pairs that were not scored at all."""

    table: pd.DataFrame
    brier: float
    ece: float
    pairs: int
    expected_matches: float
    true_matches: int
    missed_matches: int

    def summary(self) -> str:
        lines = [f"calibration over {self.pairs:,} scored pairs: Brier {self.brier:.4f}, "
                 f"ECE {self.ece:.4f}; expected matches (sum of p) "
                 f"{self.expected_matches:,.0f} vs {self.true_matches:,} true among them "
                 f"({self.missed_matches:,} true pairs not scored)",
                 "  predicted   pairs  mean p  observed"]
        for r in self.table.itertuples():
            lines.append(f"  {r.lo:.2f}–{r.hi:.2f} {r.pairs:7,d}  {r.predicted:.3f}   "
                         f"{r.observed:.3f}")
        return "\n".join(lines)


def calibration(pairs: pd.DataFrame, truth: Mapping[int, object] | pd.Series,
                bins: tuple[float, ...] = CALIBRATION_BINS,
                left: str = "unique_id_l", right: str = "unique_id_r",
                probability: str = "match_probability") -> Calibration:
    """Reliability table and Brier score of the scored ``pairs`` against ``truth`` (record
    id → person): among pairs predicted 0.8, about 8 in 10 should truly match."""
    true = pd.Series(truth)
    p = pairs[probability].to_numpy(dtype=float)
    y = (true.reindex(pairs[left]).to_numpy() == true.reindex(pairs[right]).to_numpy())
    y = y.astype(float)
    edges = np.asarray(bins, dtype=float)
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for i in range(len(edges) - 1):
        sel = idx == i
        n = int(sel.sum())
        rows.append({"lo": edges[i], "hi": edges[i + 1], "pairs": n,
                     "predicted": float(p[sel].mean()) if n else float("nan"),
                     "observed": float(y[sel].mean()) if n else float("nan")})
    table = pd.DataFrame(rows)
    n = len(p)
    full = table[table.pairs > 0]
    ece = float((full.pairs * (full.predicted - full.observed).abs()).sum() / n) if n else 0.0
    tp = _pairs(true.value_counts().to_numpy())
    found = int(y.sum())
    return Calibration(table=table, brier=float(((p - y) ** 2).mean()) if n else 0.0,
                       ece=ece, pairs=n, expected_matches=float(p.sum()),
                       true_matches=found, missed_matches=tp - found)


# ------------------------------------------------------------ clustering failure counts
def _differ(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """:func:`~dadkhah.linkage.cluster.given_names_differ`, over aligned rows of ``a``, ``b``."""
    return np.fromiter((given_names_differ(x, y) for x, y in
                        zip(a["given1_key"].tolist(), b["given1_key"].tolist(), strict=True)),
                       dtype=bool, count=len(a))


def _consistent(a: pd.DataFrame, b: pd.DataFrame, tol_days: int, tol_years: int) -> np.ndarray:
    """Rows of ``a`` and ``b`` (aligned) whose sex, death-date and birth-year intervals and
    father's name do not contradict each other (unknown contradicts nothing); the same
    tolerances as :func:`dadkhah.linkage.cluster.cluster_records`."""
    def arr(df: pd.DataFrame, col: str, default: int) -> np.ndarray:
        return df[col].astype("Float64").fillna(default).to_numpy(dtype=float)

    big = 10**9
    ok = np.ones(len(a), dtype=bool)
    sa, sb = a["sex"].to_numpy(dtype=object), b["sex"].to_numpy(dtype=object)
    ok &= ~(pd.notna(sa) & pd.notna(sb) & (sa != sb))
    for lo, hi, tol in (("death_lo", "death_hi", tol_days), ("birth_lo", "birth_hi", tol_years)):
        gap = (np.maximum(arr(a, lo, -big), arr(b, lo, -big))
               - np.minimum(arr(a, hi, big), arr(b, hi, big)))
        ok &= gap <= tol
    fa, fb = a["father_key"].to_numpy(dtype=object), b["father_key"].to_numpy(dtype=object)
    ok &= ~(pd.notna(fa) & pd.notna(fb) & (fa != fb))
    return ok


def _side(m: pd.DataFrame, suffix: str) -> pd.DataFrame:
    return m[[c for c in m.columns if c.endswith(suffix)]].rename(
        columns=lambda c: c[: -len(suffix)])


_FAILURE_COLUMNS = ("unique_id", "given_key", "surname_key", "father_key", "given1_key",
                    "sex", "death_lo", "death_hi", "birth_lo", "birth_hi")


def _within(frame: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Every unordered pair of rows of ``frame`` agreeing on ``on`` (suffixes _l, _r)."""
    m = frame.merge(frame, on=on, suffixes=("_l", "_r"))
    return m[m["unique_id_l"] < m["unique_id_r"]]


@dataclass(frozen=True)
class ClusteringFailures:
    """The two ways clustering fails, counted against the truth (record id → person).

    *Chained namesakes*: clusters that mix true persons (``clusters_mixed``); of them,
    ``mixed_siblings`` hold two persons with the same surname and father's name but
    different given names (:func:`~dadkhah.linkage.cluster.given_names_differ`, strict) —
    siblings, which must never be merged — and ``mixed_namesakes`` two persons with the
    same given names and surname.
    ``sibling_pairs_merged`` counts such sibling record pairs.

    *Obvious duplicates left apart*: true persons split over clusters (``persons_split``);
    of them, ``split_obvious`` have two records in different clusters that either scored at
    or above ``threshold`` (``split_high_score``) or give the same given names and surname
    with no contradicting sex, dates or father's name (``split_same_name``)."""

    clusters_mixed: int
    mixed_siblings: int
    mixed_namesakes: int
    sibling_pairs_merged: int
    persons_split: int
    split_obvious: int
    split_high_score: int
    split_same_name: int
    threshold: float

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"chained namesakes: {self.clusters_mixed:,} clusters mix true persons; "
            f"{self.mixed_siblings:,} of them siblings with different given names "
            f"({self.sibling_pairs_merged:,} record pairs), {self.mixed_namesakes:,} "
            f"namesakes with the same name\n"
            f"duplicates left apart: {self.persons_split:,} true persons split; "
            f"{self.split_obvious:,} obviously ({self.split_high_score:,} with a pair scored "
            f"≥ {self.threshold:g} across clusters, {self.split_same_name:,} with the same "
            f"name and consistent fields)")


def clustering_failures(features: pd.DataFrame, predicted: Mapping[int, object] | pd.Series,
                        truth: Mapping[int, object] | pd.Series,
                        pairs: pd.DataFrame | None = None, *, threshold: float = 0.5,
                        tolerance_days: int = DEATH_TOLERANCE_DAYS,
                        tolerance_years: int = BIRTH_TOLERANCE_YEARS
                        ) -> ClusteringFailures:
    """Count chained namesakes and obvious duplicates left apart (see
    :class:`ClusteringFailures`).  ``features`` as :func:`dadkhah.linkage.compute_features`
    makes them; ``pairs`` the scored pairs (``unique_id_l``, ``unique_id_r``,
    ``match_probability``), if any."""
    f = features[list(_FAILURE_COLUMNS)].copy()
    f["cluster"] = pd.Series(predicted).reindex(f["unique_id"]).to_numpy()
    f["person"] = pd.Series(truth).reindex(f["unique_id"]).to_numpy()
    if f["cluster"].isna().any() or f["person"].isna().any():
        raise ValueError("features, predicted and truth must cover the same records")
    # chained namesakes: pairs of records of different persons inside mixed clusters
    per_cluster = f.groupby("cluster")["person"].nunique()
    mixed_ids = per_cluster.index[per_cluster > 1]
    m = _within(f[f["cluster"].isin(mixed_ids)], ["cluster"])
    m = m[m["person_l"] != m["person_r"]]
    left, right = _side(m, "_l"), _side(m, "_r")
    sib = (m["surname_key_l"].notna() & m["father_key_l"].notna()
           & (m["surname_key_l"] == m["surname_key_r"])
           & (m["father_key_l"] == m["father_key_r"])).to_numpy() & _differ(left, right)
    same_name = (m["given_key_l"].notna() & m["surname_key_l"].notna()
                 & (m["given_key_l"] == m["given_key_r"])
                 & (m["surname_key_l"] == m["surname_key_r"])).to_numpy()
    # duplicates left apart: pairs of records of one person in different clusters
    per_person = f.groupby("person")["cluster"].nunique()
    split_ids = per_person.index[per_person > 1]
    s = _within(f[f["person"].isin(split_ids)], ["person"])
    s = s[s["cluster_l"] != s["cluster_r"]]
    high = np.zeros(len(s), dtype=bool)
    if pairs is not None and len(s):
        scored = pairs.loc[pairs["match_probability"] >= threshold,
                           ["unique_id_l", "unique_id_r"]]
        key = set(zip(np.minimum(scored.unique_id_l, scored.unique_id_r).tolist(),
                      np.maximum(scored.unique_id_l, scored.unique_id_r).tolist(),
                      strict=True))
        high = np.fromiter(((a, b) in key for a, b in zip(s["unique_id_l"].tolist(),
                                                          s["unique_id_r"].tolist(),
                                                          strict=True)),
                           dtype=bool, count=len(s))
    twin = ((s["given_key_l"].notna() & s["surname_key_l"].notna()
             & (s["given_key_l"] == s["given_key_r"])
             & (s["surname_key_l"] == s["surname_key_r"])).to_numpy()
            & _consistent(_side(s, "_l"), _side(s, "_r"), tolerance_days, tolerance_years))
    persons = s["person"].to_numpy()
    return ClusteringFailures(
        clusters_mixed=len(mixed_ids),
        mixed_siblings=int(m["cluster"][sib].nunique()),
        mixed_namesakes=int(m["cluster"][same_name].nunique()),
        sibling_pairs_merged=int(sib.sum()),
        persons_split=len(split_ids),
        split_obvious=len(set(persons[high | twin].tolist())),
        split_high_score=len(set(persons[high].tolist())),
        split_same_name=len(set(persons[twin].tolist())),
        threshold=threshold)


@dataclass(frozen=True)
class PossibleFailures:
    """The same two failures looked for without a truth, as leads for reviewers.

    ``siblings_merged``: persons (clusters) holding two records with the same surname and
    father's name but different given names (strictly, see
    :func:`~dadkhah.linkage.cluster.given_names_differ`: the sibling guard compares loosely,
    so these are the pairs it let the scores decide, such as «Hassan» / «Hossein», or a
    reviewer's must-link) — two siblings merged, or one name written two ways.
    ``duplicates_apart``: pairs of persons holding
    records with the same given names and surname whose sex, dates and father's name do not
    contradict each other (within the clustering tolerances) — one person left in two, or
    two namesakes the data cannot tell apart.  ``records_apart``: the records involved."""

    persons: int
    siblings_merged: int
    duplicates_apart: int
    records_apart: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def summary(self) -> str:
        return (f"possible clustering failures (no truth: leads to review): "
                f"{self.siblings_merged:,} persons hold two records with one surname and "
                f"father but different given names (siblings merged?); "
                f"{self.duplicates_apart:,} pairs of persons share a full name with "
                f"consistent sex and dates ({self.records_apart:,} records; one person "
                f"left apart?)")


def possible_failures(features: pd.DataFrame, predicted: Mapping[int, object] | pd.Series, *,
                      tolerance_days: int = DEATH_TOLERANCE_DAYS,
                      tolerance_years: int = BIRTH_TOLERANCE_YEARS) -> PossibleFailures:
    """Count :class:`PossibleFailures` in a register (record id → person) without a truth.

    Pairs of persons are compared on their records' full names: within each name, each
    person contributes one row per record, so the cost is the number of records sharing a
    name with a record of another person, squared per name; names held by more than 200
    persons (too common to be evidence) are left out."""
    f = features[list(_FAILURE_COLUMNS)].copy()
    f["cluster"] = pd.Series(predicted).reindex(f["unique_id"]).to_numpy()
    if f["cluster"].isna().any():
        raise ValueError("predicted must cover every record of features")
    # siblings merged: within each cluster, records with one surname and father
    fam = f.dropna(subset=["surname_key", "father_key", "given1_key"])
    fam = fam[fam.groupby(["cluster", "surname_key", "father_key"])["given1_key"]
              .transform("nunique") > 1]
    m = _within(fam, ["cluster", "surname_key", "father_key"])
    siblings = int(m["cluster"][_differ(_side(m, "_l"), _side(m, "_r"))].nunique())
    # duplicates apart: same full name, different clusters, nothing contradicting
    named = f.dropna(subset=["given_key", "surname_key"])
    n_clusters = named.groupby(["given_key", "surname_key"])["cluster"].transform("nunique")
    named = named[(n_clusters > 1) & (n_clusters <= 200)]
    cluster_pairs: set[tuple[Any, Any]] = set()
    records: set[int] = set()
    for part in _name_batches(named, ["given_key", "surname_key"]):
        d = _within(part, ["given_key", "surname_key"])
        d = d[d["cluster_l"] != d["cluster_r"]]
        d = d[_consistent(_side(d, "_l"), _side(d, "_r"), tolerance_days, tolerance_years)]
        cl, cr = d["cluster_l"].to_numpy(), d["cluster_r"].to_numpy()
        cluster_pairs |= {(min(a, b), max(a, b)) for a, b in zip(cl.tolist(), cr.tolist(),
                                                                 strict=True)}
        records |= set(d["unique_id_l"].tolist()) | set(d["unique_id_r"].tolist())
    return PossibleFailures(persons=int(f["cluster"].nunique()), siblings_merged=siblings,
                            duplicates_apart=len(cluster_pairs), records_apart=len(records))


WITHIN_BATCH_ROWS = 500_000
"""Most rows of one self-join in :func:`possible_failures` (the sum of k² over the names of
a batch, k records each).  All names in one join raised the peak memory by 1.1 GB on
101,159 records at the densest names (SYNTHETIC, seed 1, name exponents 1.8/1.6); in
batches of this size by 0.2 GB, in 2.2 s of CPU against 4.0 s, with the same counts."""


def _name_batches(frame: pd.DataFrame, on: list[str]) -> Iterator[pd.DataFrame]:
    """``frame`` in parts holding whole groups of ``on``, each of at most
    :data:`WITHIN_BATCH_ROWS` rows in its self-join (a larger group alone)."""
    if frame.empty:
        yield frame
        return
    group = frame.groupby(on, sort=False).ngroup().to_numpy()
    sizes = np.bincount(group).astype(np.int64)
    batch = np.zeros(len(sizes), dtype=np.int64)
    total, b = 0, 0
    for g, k in enumerate((sizes * sizes).tolist()):
        if total and total + k > WITHIN_BATCH_ROWS:
            b, total = b + 1, 0
        batch[g] = b
        total += k
    of_row = batch[group]
    for i in range(b + 1):
        yield frame[of_row == i]
