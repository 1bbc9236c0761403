"""Multiple imputation of missing stratum values, for estimates by stratum.

A person whose stratum value (province, prison, …) is missing is not set apart in an
``unknown`` stratum — lumping them distorted the Peru truth commission's estimates — but
given a value drawn, M times, from what the lists say about people like them:

1. what can be derived is derived first (:func:`person_lists`: the person's other records,
   prison → city → province);
2. the rest are drawn from the known values of persons named by exactly the same lists,
   with a prior from the source coverage (the known values among everyone on any of the
   person's lists).  Each replicate first draws the category shares from their Dirichlet
   posterior, then the values, so the replicates carry the uncertainty of the shares too
   (a "proper" imputation).

This assumes values are missing at random given the lists that name a person.  The
statistics that combine the M estimates live in :func:`dadkhah.estimate.combine_imputations`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dadkhah.access import INTERNAL
from dadkhah.register.persons import MISSING, person_lists
from dadkhah.store import Case

Stratum = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ImputedStrata:
    """M completed copies of a per-person frame, and how many values were imputed."""

    by: tuple[str, ...]
    lists: tuple[str, ...]
    replicates: tuple[pd.DataFrame, ...]
    missing: dict[str, int]
    """stratum column → persons whose value was missing (and imputed)"""
    imputed: dict[Stratum, float]
    """stratum → mean number of persons per replicate whose value was imputed into it"""
    seed: int

    def histories(self, *, synthetic: bool = False) -> list[Any]:
        """One :class:`~dadkhah.estimate.CaptureHistories` per replicate."""
        from dadkhah.estimate import CaptureHistories

        return [CaptureHistories.from_persons(f, lists=list(self.lists), by=list(self.by),
                                              synthetic=synthetic) for f in self.replicates]

    def summary(self) -> str:
        """One line per stratum column: how many persons were imputed."""
        return "; ".join(f"{b}: {n:,} persons imputed" for b, n in self.missing.items())


def _draw_column(frame: pd.DataFrame, lists: Sequence[str], column: str, m: int,
                 rng: np.random.Generator, missing: str) -> list[np.ndarray]:
    """M arrays of values for the rows of ``frame`` whose ``column`` is missing."""
    known = frame[column] != missing
    cats = np.array(sorted(frame.loc[known, column].unique()), dtype=object)
    if cats.size == 0:
        return [np.full(int((~known).sum()), missing, dtype=object) for _ in range(m)]
    k = cats.size
    code = frame[column].map({c: i for i, c in enumerate(cats)}).fillna(-1).astype(int)
    code = code.to_numpy()
    on = frame[list(lists)].to_numpy().astype(bool)
    # known values per list (the source coverage), and per exact capture pattern
    per_list = np.zeros((len(lists), k))
    for j in range(len(lists)):
        rows = on[:, j] & known.to_numpy()
        per_list[j] = np.bincount(code[rows], minlength=k)
    pattern = pd.Series([row.tobytes() for row in on], index=frame.index)
    kn = known.to_numpy()
    pat_counts: dict[bytes, np.ndarray] = {}
    for pat, c in zip(pattern[kn], code[kn], strict=True):
        pat_counts.setdefault(pat, np.zeros(k))[c] += 1
    overall = np.bincount(code[kn], minlength=k).astype(float)
    miss_idx = np.flatnonzero(~kn)
    out = [np.empty(miss_idx.size, dtype=object) for _ in range(m)]
    groups: dict[bytes, list[int]] = {}
    for pos, i in enumerate(miss_idx):
        groups.setdefault(pattern.iloc[i], []).append(pos)
    for pat, positions in groups.items():
        row = np.frombuffer(pat, dtype=bool)
        cover = per_list[row].sum(axis=0) if row.any() else overall
        if cover.sum() == 0:
            cover = overall
        alpha = pat_counts.get(pat, np.zeros(k)) + k * cover / cover.sum()
        alpha = np.maximum(alpha, 1e-6)
        for r in range(m):
            shares = rng.dirichlet(alpha)
            out[r][positions] = cats[rng.choice(k, size=len(positions), p=shares)]
    return out


def impute_missing(frame: pd.DataFrame, lists: Sequence[str], by: Sequence[str], *,
                   m: int = 20, seed: int = 0, missing: str = MISSING) -> ImputedStrata:
    """M completed copies of ``frame`` (one row per person: 0/1 list columns and stratum
    columns, ``missing`` marking an unknown value), each missing value drawn as the module
    describes.  Pure: works on any such frame (the register's, or a simulation's).

    >>> f = pd.DataFrame({"A": [1, 1, 0, 1], "B": [0, 1, 1, 1],
    ...                   "province": ["prov:tehran", "prov:fars", "prov:fars", "unknown"]})
    >>> imp = impute_missing(f, ["A", "B"], ["province"], m=3)
    >>> [r.province.iloc[3] != "unknown" for r in imp.replicates], imp.missing
    ([True, True, True], {'province': 1})
    """
    if m < 1:
        raise ValueError(f"m must be at least 1, got {m}")
    if not any((frame[b] == missing).any() for b in by):
        m = 1  # nothing to impute: every replicate would be the data itself
    rng = np.random.default_rng(seed)
    reps = [frame.copy() for _ in range(m)]
    missing_n: dict[str, int] = {}
    imputed: dict[Stratum, float] = {}
    was_missing = pd.Series(False, index=frame.index)
    for b in by:
        mask = frame[b] == missing
        missing_n[b] = int(mask.sum())
        was_missing |= mask
        if not mask.any():
            continue
        for rep, vals in zip(reps, _draw_column(frame, lists, b, m, rng, missing), strict=True):
            rep.loc[mask, b] = vals
    for rep in reps:
        sub = rep.loc[was_missing, list(by)]
        for key, n in sub.value_counts().items():
            k = key if isinstance(key, tuple) else (key,)
            stratum = tuple(zip(by, map(str, k), strict=True))
            imputed[stratum] = imputed.get(stratum, 0.0) + n / m
    return ImputedStrata(by=tuple(by), lists=tuple(lists), replicates=tuple(reps),
                         missing=missing_n, imputed=imputed, seed=seed)


def imputed_histories(case: Case, *, by: Sequence[str], m: int = 20, seed: int = 0,
                      boundaries: str = "1988") -> tuple[list[Any], ImputedStrata]:
    """The register's capture histories by ``by`` with missing stratum values multiply
    imputed: M :class:`~dadkhah.estimate.CaptureHistories` (for
    :func:`dadkhah.estimate.combine_imputations`) and the imputation record."""
    frame, slugs = person_lists(case, by=tuple(by), boundaries=boundaries)
    used = [s for s in slugs if frame[s].sum() > 0]
    synthetic = all(s.synthetic for s in case.sources(INTERNAL) if s.slug in used)
    imp = impute_missing(frame, used, by, m=m, seed=seed)
    return imp.histories(synthetic=synthetic), imp
