"""Lists that name each person once, read off a first clustering.

Some lists are registers, one row per person (a families' association's list, a prison's
roll); others are compilations that repeat a person copied from two sources.  Two records
of a register are two persons, however alike: at scale, where every common full name has
namesakes, a chain through records of other lists otherwise joins two namesakes that one
register names apart.  Which kind a list is shows in a first clustering: a compilation's
repeats score as one person against each other and end in one person; a register's
records seldom do, and then as namesakes the scores could not tell apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CONFIDENT_REPEAT = 0.99
"""Match probability from which a pair of records of one list, put in one person by the
first clustering, counts as the list naming that person twice."""

REPEAT_SHARE_MAX = 0.0025
"""Largest share of a list's records in such confident repeats for the list to be read as
naming each person once.  Second probe at 20,000 persons (seed 41, SYNTHETIC): the three
lists that name nobody twice 0.02%, 0 and 0; the two that repeat persons 1.6% and 2.1%.
On the simulator's tuning profiles 1-5 (1,500 persons) lists repeat persons in 0.4-1% of
their records at the pairs' threshold (0.67-1% confidently); read as registers, they lost
recall (profile 4: 0.9536 -> 0.9485 with a cap of 2% at the threshold)."""

MIN_RECORDS = 20
"""Fewer records than this say nothing about a list's repeats: it is left unguarded."""


def lists_naming_once(features: pd.DataFrame, pairs: pd.DataFrame,
                      assignment: pd.Series) -> frozenset[int]:
    """The ``source_id`` of the lists whose records a clustering (``assignment``: record
    id → person) puts in one person with another record of the same list, by a pair of
    ``pairs`` (``unique_id_l``, ``unique_id_r``, ``match_probability``) of at least
    :data:`CONFIDENT_REPEAT`, for at most :data:`REPEAT_SHARE_MAX` of their records (and
    that hold at least :data:`MIN_RECORDS`)."""
    if "source_id" not in features.columns:
        return frozenset()
    source = features.set_index("unique_id")["source_id"].dropna()
    left, right = pairs["unique_id_l"], pairs["unique_id_r"]
    sl, sr = source.reindex(left).to_numpy(), source.reindex(right).to_numpy()
    repeat = ((sl == sr)
              & (assignment.reindex(left).to_numpy() == assignment.reindex(right).to_numpy())
              & (pairs["match_probability"].to_numpy(dtype=float) >= CONFIDENT_REPEAT))
    repeated = pd.Index(np.concatenate([left.to_numpy()[repeat],
                                        right.to_numpy()[repeat]])).unique()
    records = source.value_counts()
    share = (source.reindex(repeated).value_counts().reindex(records.index, fill_value=0)
             / records)
    once = share[(share <= REPEAT_SHARE_MAX) & (records >= MIN_RECORDS)]
    return frozenset(int(s) for s in once.index)
