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

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


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


def admitted_by(features: pd.DataFrame, pairs: pd.DataFrame, key: tuple[str, ...]) -> np.ndarray:
    """Which ``pairs`` (id_l, id_r) a blocking rule admits; ``features`` indexed by id."""
    ok = np.ones(len(pairs), dtype=bool)
    for item in key:
        if item.startswith("?"):
            lv = features[item[1:]].reindex(pairs.id_l).to_numpy()
            rv = features[item[1:]].reindex(pairs.id_r).to_numpy()
            ok &= pd.isna(lv) | pd.isna(rv)
            continue
        a, _, b = item.partition(">")
        lv = features[a].reindex(pairs.id_l).to_numpy()
        rv = features[b or a].reindex(pairs.id_r).to_numpy()
        ok &= pd.notna(lv) & pd.notna(rv) & (lv == rv)
    return ok


def blocking_recall(features: pd.DataFrame, truth: Mapping[int, object] | pd.Series,
                    keys: list[tuple[str, ...]]) -> dict[str, float]:
    """Share of true pairs that at least one blocking rule admits (all its equalities hold,
    values known on both records, the smaller id on the left as splink pairs them), overall
    and per rule; computed from the truth side, so it is exact and needs no blocked pairs.
    ``keys`` as in :data:`dadkhah.linkage.settings.BLOCKING_KEYS`."""
    pairs = true_pairs(truth)
    f = features.set_index("unique_id")
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
