"""Capture histories: which lists named how many people, the input of every estimator.

A :class:`CaptureHistories` holds one row per observed capture pattern (a 0/1 vector over the
lists) with its count, optionally split by stratum.  It is built from

- a CSV in the ``shared/data/mse`` format (one 0/1 column per list, then ``count``, optionally
  stratum columns), :meth:`CaptureHistories.from_csv`;
- a pandas DataFrame with one row per person and one 0/1 column per list,
  :meth:`CaptureHistories.from_persons`;
- the register of persons (one row per linked person with the lists naming them).  That seam is
  :meth:`CaptureHistories.from_persons` too: the linkage layer will produce exactly such a frame,
  and nothing in the estimators needs to change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dadkhah.errors import EstimationError

__all__ = ["CaptureHistories"]

_COUNT = "count"


def _freeze(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class CaptureHistories:
    """Counts of observed capture patterns over a set of lists.

    Parameters
    ----------
    lists
        Names of the lists (sources), in column order.
    patterns
        ``(P, J)`` 0/1 array; row ``p`` says which lists captured pattern ``p``.  The all-zero
        pattern is not allowed (nobody is observed with it).
    counts
        ``(P,)`` non-negative integers, how many people have each pattern.
    strata
        Optional ``(P,)`` tuple of stratum labels, each a tuple of ``(column, value)`` pairs;
        ``()`` for unstratified data.
    synthetic
        True when the data come from a simulator (results then carry a SYNTHETIC banner).

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [10, 40, 30])
    >>> h.observed, h.list_totals()
    (80, {'A': 50, 'B': 40})
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    strata: tuple[tuple[tuple[str, str], ...], ...] | None = None
    synthetic: bool = False
    stratum: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        pat = np.asarray(self.patterns, dtype=np.int8)
        cnt = np.asarray(self.counts)
        if pat.ndim != 2 or pat.shape[1] != len(self.lists):
            raise ValueError(
                f"patterns must be (P, {len(self.lists)}) for {len(self.lists)} lists, "
                f"got shape {pat.shape}"
            )
        if cnt.shape != (pat.shape[0],):
            raise ValueError(f"counts must have shape ({pat.shape[0]},), got {cnt.shape}")
        if not np.isin(pat, (0, 1)).all():
            raise ValueError("patterns must hold only 0 and 1")
        if cnt.size and (np.any(cnt < 0) or np.any(np.asarray(cnt) != np.round(cnt))):
            raise ValueError("counts must be non-negative integers")
        if len(set(self.lists)) != len(self.lists):
            raise ValueError(f"list names must be distinct: {self.lists}")
        if self.strata is not None and len(self.strata) != pat.shape[0]:
            raise ValueError("strata must have one label per pattern row")
        if pat.shape[0] and (pat.sum(axis=1) == 0).any():
            zero = cnt[pat.sum(axis=1) == 0].sum()
            if zero:
                raise ValueError(
                    f"the all-zero pattern has count {int(zero)}: nobody can be observed on no "
                    "list; drop that row"
                )
            keep = pat.sum(axis=1) > 0
            pat, cnt = pat[keep], cnt[keep]
            if self.strata is not None:
                object.__setattr__(
                    self, "strata", tuple(s for s, k in zip(self.strata, keep, strict=True) if k)
                )
        object.__setattr__(self, "lists", tuple(str(x) for x in self.lists))
        object.__setattr__(self, "patterns", _freeze(pat))
        object.__setattr__(self, "counts", _freeze(cnt.astype(np.int64)))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        lists: Sequence[str],
        patterns: Any,
        counts: Any,
        *,
        synthetic: bool = False,
    ) -> CaptureHistories:
        """Build from a list of names, a pattern matrix and counts (rows may repeat)."""
        h = cls(tuple(lists), np.asarray(patterns), np.asarray(counts), synthetic=synthetic)
        return h.collapsed()

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        lists: Sequence[str] | None = None,
        count: str = _COUNT,
        by: Sequence[str] = (),
        synthetic: bool = False,
    ) -> CaptureHistories:
        """Build from an aggregated table: 0/1 list columns, a count column, stratum columns.

        Columns that are neither ``count`` nor in ``by`` are taken as lists unless ``lists`` is
        given.
        """
        by = tuple(by)
        missing = [c for c in (*by, count) if c not in frame.columns]
        if missing:
            raise EstimationError(
                f"Capture-history table has no column(s) {missing}; it has {list(frame.columns)}.",
                hint="A capture-history table has one 0/1 column per list, a 'count' column "
                "and optional stratum columns (name them with --by).",
            )
        if lists is None:
            lists = [c for c in frame.columns if c != count and c not in by]
        lists = [str(c) for c in lists]
        bad = [c for c in lists if not frame[c].isin([0, 1]).all()]
        if bad:
            raise EstimationError(
                f"List column(s) {bad} hold values other than 0 and 1.",
                hint="Each list column must say 1 (on the list) or 0 (not); stratum columns "
                "must be named with --by.",
            )
        pat = frame[lists].to_numpy(dtype=np.int8)
        cnt = frame[count].to_numpy()
        strata = None
        if by:
            strata = tuple(
                tuple((c, str(v)) for c, v in zip(by, row, strict=True))
                for row in frame[list(by)].itertuples(index=False, name=None)
            )
        h = cls(tuple(lists), pat, cnt, strata=strata, synthetic=synthetic)
        return h.collapsed()

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        by: Sequence[str] = (),
        count: str = _COUNT,
        synthetic: bool = False,
    ) -> CaptureHistories:
        """Read a capture-history CSV (the ``shared/data/mse`` format).

        Examples
        --------
        >>> import io
        >>> h = CaptureHistories.from_csv(io.StringIO("A,B,count\\n1,1,5\\n1,0,20\\n0,1,15\\n"))
        >>> h.lists, h.observed
        (('A', 'B'), 40)
        """
        try:
            frame = pd.read_csv(path)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise EstimationError(
                f"Cannot read capture histories from {path}: {exc}",
                hint="Give a CSV with one 0/1 column per list and a 'count' column.",
            ) from exc
        return cls.from_frame(frame, count=count, by=by, synthetic=synthetic)

    @classmethod
    def from_persons(
        cls,
        persons: pd.DataFrame,
        *,
        lists: Sequence[str],
        by: Sequence[str] = (),
        synthetic: bool = False,
    ) -> CaptureHistories:
        """Build from one row per person with a 0/1 (or bool) column per list.

        This is the seam for the register: the linkage layer yields one row per linked person
        and a column per source saying whether that source names them.  People on no list are
        dropped (they cannot have been observed).
        """
        frame = persons[[*lists, *by]].copy()
        for c in lists:
            frame[c] = frame[c].astype(int)
        frame[_COUNT] = 1
        agg = frame.groupby([*lists, *by], as_index=False, dropna=False)[_COUNT].sum()
        agg = agg[agg[list(lists)].sum(axis=1) > 0]
        return cls.from_frame(agg, lists=lists, by=by, synthetic=synthetic)

    # ------------------------------------------------------------------ views
    def collapsed(self) -> CaptureHistories:
        """Merge duplicate rows (same pattern and stratum) and drop zero counts; sort rows."""
        keys: dict[tuple[Any, ...], int] = {}
        for i in range(self.patterns.shape[0]):
            s = self.strata[i] if self.strata is not None else ()
            k = (s, tuple(int(x) for x in self.patterns[i]))
            keys[k] = keys.get(k, 0) + int(self.counts[i])
        items = [(k, v) for k, v in keys.items() if v > 0]
        # descending binary order, first list most significant (the shared/data/mse order)
        items.sort(key=lambda kv: (kv[0][0], tuple(-x for x in kv[0][1])))
        j = len(self.lists)
        pat = np.array([k[1] for k, _ in items], dtype=np.int8).reshape(-1, j)
        cnt = np.array([v for _, v in items], dtype=np.int64)
        strata = tuple(k[0] for k, _ in items) if self.strata is not None else None
        return CaptureHistories(
            self.lists, pat, cnt, strata=strata, synthetic=self.synthetic, stratum=self.stratum
        )

    @property
    def observed(self) -> int:
        """Distinct people on at least one list."""
        return int(self.counts.sum())

    def isolated_lists(self) -> list[tuple[str, int]]:
        """Lists that share nobody with any other list, with how many people each names:
        nothing in the overlaps says how much of the population they cover."""
        overlap = self.patterns.sum(axis=1) >= 2
        out = []
        for i, name in enumerate(self.lists):
            on_list = self.patterns[:, i] == 1
            n = int(self.counts[on_list].sum())
            if n and not self.counts[overlap & on_list].sum():
                out.append((name, n))
        return out

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def stratum_columns(self) -> tuple[str, ...]:
        if not self.strata:
            return ()
        return tuple(c for c, _ in self.strata[0])

    def list_totals(self) -> dict[str, int]:
        """How many people each list names."""
        tot = (self.patterns.astype(np.int64) * self.counts[:, None]).sum(axis=0)
        return {name: int(t) for name, t in zip(self.lists, tot, strict=True)}

    def full_table(self) -> np.ndarray:
        """Counts of all ``2**J`` patterns, index = binary number with the first list as the
        most significant bit; index 0 (nobody captured) is 0."""
        j = len(self.lists)
        weights = 1 << np.arange(j - 1, -1, -1)
        idx = (self.patterns.astype(np.int64) * weights).sum(axis=1)
        return np.bincount(idx, weights=self.counts, minlength=1 << j).astype(np.int64)

    def pooled(self) -> CaptureHistories:
        """The same histories with strata ignored."""
        h = CaptureHistories(
            self.lists, self.patterns, self.counts, synthetic=self.synthetic, stratum=()
        )
        return h.collapsed()

    def select(self, lists: Sequence[str]) -> CaptureHistories:
        """Histories restricted to some lists (people on none of them are dropped)."""
        unknown = [x for x in lists if x not in self.lists]
        if unknown:
            raise ValueError(f"unknown list(s) {unknown}; lists are {self.lists}")
        idx = [self.lists.index(x) for x in lists]
        pat = self.patterns[:, idx]
        keep = pat.sum(axis=1) > 0
        strata = (
            tuple(s for s, k in zip(self.strata, keep, strict=True) if k)
            if self.strata is not None
            else None
        )
        return CaptureHistories(
            tuple(lists), pat[keep], self.counts[keep], strata=strata,
            synthetic=self.synthetic, stratum=self.stratum,
        ).collapsed()

    def merge_lists(self, groups: Mapping[str, Sequence[str]]) -> CaptureHistories:
        """Histories with each group of lists counted as one list named by its key: a person
        is on the merged list if any of its parts names them.

        For a list known to be copied (wholly or partly) from another: copying is direct
        dependence between two lists, which no estimator here models (LCMCR absorbs only
        dependence that comes from heterogeneity), and it biases the total downwards; the
        two together are one source.  The merged list takes the place of the group's first
        member; the other lists keep their order.

        >>> h = CaptureHistories.from_arrays(["A", "B", "C"], [[1, 0, 0], [0, 1, 1], [1, 1, 0]],
        ...                                  [5, 3, 2])
        >>> m = h.merge_lists({"AB": ["A", "B"]})
        >>> m.lists, m.list_totals(), m.observed
        (('AB', 'C'), {'AB': 10, 'C': 3}, 10)
        """
        seen: dict[str, str] = {}
        for key, parts in groups.items():
            if len(parts) < 1:
                raise ValueError(f"list group {key!r} names no list")
            for p in parts:
                if p not in self.lists:
                    raise ValueError(f"list group {key!r}: unknown list {p!r}; lists are "
                                     f"{self.lists}")
                if p in seen:
                    raise ValueError(f"list {p!r} is in two groups ({seen[p]!r} and {key!r})")
                seen[p] = key
        names: list[str] = []
        cols: list[np.ndarray] = []
        for i, name in enumerate(self.lists):
            group = seen.get(name)
            if group is None:
                names.append(name)
                cols.append(self.patterns[:, i])
            elif group not in names:
                idx = [self.lists.index(p) for p in groups[group]]
                names.append(group)
                cols.append(self.patterns[:, idx].max(axis=1))
        if len(set(names)) != len(names):
            raise ValueError(f"merged list names are not distinct: {names}")
        return CaptureHistories(
            tuple(names), np.stack(cols, axis=1), self.counts, strata=self.strata,
            synthetic=self.synthetic, stratum=self.stratum,
        ).collapsed()

    def by_stratum(self) -> Iterator[tuple[tuple[tuple[str, str], ...], CaptureHistories]]:
        """Yield ``(stratum, histories)`` per stratum, in sorted order."""
        if self.strata is None:
            yield (), self
            return
        labels = sorted(set(self.strata))
        for lab in labels:
            keep = np.array([s == lab for s in self.strata])
            yield lab, CaptureHistories(
                self.lists, self.patterns[keep], self.counts[keep],
                synthetic=self.synthetic, stratum=lab,
            )

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (list columns, stratum columns, count)."""
        df = pd.DataFrame(self.patterns, columns=list(self.lists))
        if self.strata is not None:
            for i, c in enumerate(self.stratum_columns):
                df[c] = [s[i][1] for s in self.strata]
        df[_COUNT] = self.counts
        return df

    def to_dict(self) -> dict[str, Any]:
        return {
            "lists": list(self.lists),
            "patterns": self.patterns.tolist(),
            "counts": self.counts.tolist(),
            "stratum": [list(p) for p in self.stratum],
            "synthetic": self.synthetic,
        }

    def __repr__(self) -> str:
        strata = f", strata={len(set(self.strata))}" if self.strata is not None else ""
        return (
            f"CaptureHistories(lists={self.lists}, patterns={self.patterns.shape[0]}, "
            f"observed={self.observed}{strata})"
        )

    def describe_overlap(self) -> Mapping[str, Any]:
        """Pairwise overlaps, to explain non-identifiable cases."""
        j = len(self.lists)
        out: dict[str, int] = {}
        for a in range(j):
            for b in range(a + 1, j):
                both = self.patterns[:, a].astype(bool) & self.patterns[:, b].astype(bool)
                out[f"{self.lists[a]}&{self.lists[b]}"] = int(self.counts[both].sum())
        return out
