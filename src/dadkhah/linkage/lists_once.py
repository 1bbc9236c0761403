"""Lists that name each person once, read off a first clustering.

Some lists are registers, one row per person (a families' association's list, a prison's
roll); others are compilations that repeat a person copied from two sources.  Two records
of a register are two persons, however alike: at scale, where every common full name has
namesakes, a chain through records of other lists otherwise joins two namesakes that one
register names apart.  Which kind a list is shows in the first clustering: a compilation's
repeats score high against each other and end in one person; a register's records join
another record of their own list only where namesakes were merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REPEAT_SHARE_MAX = 0.02
"""Largest share of a list's records that a first clustering joins to another record of
the same list, by a scored pair at or above the threshold, for the list to be read as
naming each person once.  Second probe at 20,000 persons (seed 41, SYNTHETIC): the lists
that name nobody twice 0.14-0.42%, the two that repeat persons 3.6% and 9.6%.  Reading a
list as a register refuses at most about this share of its records' merges with their own
list, so a wrong reading costs little."""

MIN_RECORDS = 20
"""Fewer records than this say nothing about a list's repeats: it is left unguarded."""


def lists_naming_once(features: pd.DataFrame, pairs: pd.DataFrame, assignment: pd.Series,
                      threshold: float) -> frozenset[int]:
    """The ``source_id`` of the lists whose records a clustering (``assignment``: record
    id → person) joins to another record of the same list, by a pair of ``pairs``
    (``unique_id_l``, ``unique_id_r``, ``match_probability``) at or above ``threshold``,
    for at most :data:`REPEAT_SHARE_MAX` of their records."""
    if "source_id" not in features.columns or pairs.empty:
        return frozenset()
    source = features.set_index("unique_id")["source_id"]
    left, right = pairs["unique_id_l"], pairs["unique_id_r"]
    sl, sr = source.reindex(left).to_numpy(), source.reindex(right).to_numpy()
    joined = ((sl == sr)
              & (assignment.reindex(left).to_numpy() == assignment.reindex(right).to_numpy())
              & (pairs["match_probability"].to_numpy(dtype=float) >= threshold))
    repeated = pd.Index(np.concatenate([left.to_numpy()[joined],
                                        right.to_numpy()[joined]])).unique()
    records = source.dropna().value_counts()
    share = (source.reindex(repeated).value_counts().reindex(records.index, fill_value=0)
             / records)
    once = share[(share <= REPEAT_SHARE_MAX) & (records >= MIN_RECORDS)]
    return frozenset(int(s) for s in once.index)
