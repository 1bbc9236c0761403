"""Blocking: which pairs of records are scored at all, and how blocks of very common names
are kept selective.

A rule is a tuple of items (see :data:`dadkhah.linkage.settings.BLOCKING_KEYS`):

- ``col``: the two records agree on ``col`` (known on both);
- ``a>b``: the left record's ``a`` equals the right record's ``b``;
- ``?col``: at least one of the two records lacks ``col``;
- ``cap``: a *dense-block cap*.  When the rule's block (the records sharing the values of
  its plain ``col`` items) holds more than :data:`DENSE_BLOCK` records, a pair in it is
  admitted only if it also agrees on one of :data:`DENSE_GUARD`.

Why the cap: the number of pairs a rule admits is the sum of k·(k−1)/2 over its blocks,
so it is ruled by the largest blocks.  When common names are very common (the top of the
simulator's name-concentration range: 3,000 records of «Mohammad Mohammadi» in 270,000)
the name rules alone admit some 185 million pairs.  Two records in such a block that agree
on nothing else — no death day, prison, birth year or father's name — cannot be told
from thousands of namesakes by any score, so not scoring them loses no link the model
could make, and the other rules (name with father, with date, with place) still admit
the pairs that carry evidence.  Blocks of at most DENSE_BLOCK records are never touched:
on lists of a few thousand records the cap changes nothing; on large ones it touches only
the commonest names.

The one reading of this syntax is here: :func:`rule_sql` (what splink runs),
:func:`pairs_sql` (the same pairs, made faster in one query, see there),
:func:`admitted_by` (which given pairs a rule admits, for blocking recall) and
:func:`mark_dense_blocks` (the flags the cap reads).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

DENSE_BLOCK = 300
"""A capped rule's block with more records than this is *dense*: its pairs must agree on
one more field (:data:`DENSE_GUARD`).  Chosen on a tuning case (``large``, seed 2, the top
of the name-concentration range, 271,302 records): with the cap at 300 the capped rules'
pairs fell from 449 to 159 million (summed over rules) and blocking recall from 0.99747 to
0.99626; the 229 true pairs no rule admits any more disagree on the death date (98%) and
mostly on the prison, in blocks of hundreds of namesakes, where no score could link them."""

DENSE_GUARD = ("birth_lo", "father_key", "death_lo+prison_id")
"""What a pair in a dense block must also share, one of: the birth year, the father's
name, or the death date *and* the prison (``a+b``: both).  Fields the rule itself equates
are left out.  The death date or the prison alone would not do: in 1988 most prisoners of
a region were killed in the same few days in the same two or three prisons, so each alone
kept half of a dense block's pairs."""

CAP = "cap"
"""The rule item that marks a rule as capped (see the module's docstring)."""


def _items(key: tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]], list[str], bool]:
    """(plain columns, (a, b) cross items, ``?`` columns, capped) of a rule."""
    plain, cross, unknown, capped = [], [], [], False
    for item in key:
        if item == CAP:
            capped = True
        elif item.startswith("?"):
            unknown.append(item[1:])
        elif ">" in item:
            a, _, b = item.partition(">")
            cross.append((a, b))
        else:
            plain.append(item)
    if capped and (cross or not plain):
        raise ValueError(f"A capped blocking rule needs plain equalities only: {key!r}.")
    return plain, cross, unknown, capped


def dense_column(key: tuple[str, ...]) -> str:
    """The feature column flagging records in a dense block of the capped rule ``key``."""
    plain, _, _, _ = _items(key)
    return "dense__" + "__".join(plain)


def guard_fields(key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The :data:`DENSE_GUARD` alternatives a pair in a dense block of ``key`` may agree
    on, each a tuple of fields that must all agree, less the fields the rule equates."""
    plain, _, _, _ = _items(key)
    out = []
    for g in DENSE_GUARD:
        need = tuple(f for f in g.split("+") if f not in plain)
        if need and need not in out:
            out.append(need)
    return tuple(out)


def rule_sql(key: tuple[str, ...]) -> str:
    """The SQL condition of a blocking rule over splink's ``l`` and ``r`` records."""
    plain, cross, unknown, capped = _items(key)
    parts = [f"l.{c} = r.{c}" for c in plain]
    parts += [f"l.{a} = r.{b}" for a, b in cross]
    parts += [f"(l.{c} IS NULL OR r.{c} IS NULL)" for c in unknown]
    if capped:
        guard = " OR ".join("(" + " AND ".join(f"l.{f} = r.{f}" for f in g) + ")"
                            for g in guard_fields(key))
        parts.append(f"(NOT l.{dense_column(key)} OR {guard})")
    return " AND ".join(parts)


def mark_dense_blocks(features: pd.DataFrame, keys: Iterable[tuple[str, ...]],
                      limit: int = DENSE_BLOCK) -> pd.DataFrame:
    """``features`` with a boolean column per capped rule (:func:`dense_column`): the
    record is in a block of that rule holding more than ``limit`` records.  Records lacking
    one of the rule's columns are in no block (False)."""
    out = features.copy()
    for key in keys:
        plain, _, _, capped = _items(key)
        if not capped:
            continue
        known = out[plain].notna().all(axis=1)
        sizes = out[known].groupby(plain, dropna=True)[plain[0]].transform("size")
        out[dense_column(key)] = (sizes.reindex(out.index).fillna(0) > limit).to_numpy()
    return out


def admitted_by(features: pd.DataFrame, pairs: pd.DataFrame, key: tuple[str, ...]
                ) -> np.ndarray:
    """Which ``pairs`` (``id_l``, ``id_r``) the rule ``key`` admits; ``features`` indexed by
    record id (with the :func:`mark_dense_blocks` columns when the rule is capped)."""
    plain, cross, unknown, capped = _items(key)

    def sides(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        return (features[a].reindex(pairs.id_l).to_numpy(),
                features[b].reindex(pairs.id_r).to_numpy())

    ok = np.ones(len(pairs), dtype=bool)
    for a, b in [(c, c) for c in plain] + cross:
        lv, rv = sides(a, b)
        ok &= pd.notna(lv) & pd.notna(rv) & (lv == rv)
    for c in unknown:
        lv, rv = sides(c, c)
        ok &= pd.isna(lv) | pd.isna(rv)
    if capped:
        dense = features[dense_column(key)].reindex(pairs.id_l).to_numpy().astype(bool)
        guard = np.zeros(len(pairs), dtype=bool)
        for g in guard_fields(key):
            agree = np.ones(len(pairs), dtype=bool)
            for f in g:
                lv, rv = sides(f, f)
                agree &= pd.notna(lv) & pd.notna(rv) & (lv == rv)
            guard |= agree
        ok &= ~dense | guard
    return ok



def _join_conditions(key: tuple[str, ...]) -> list[str]:
    """``key``'s condition as disjoint conditions whose union admits the same pairs, each
    led by equalities a hash join can use and with the rest said of one side where it
    can be, so that the database filters each side before joining rather than
    enumerating pairs it then drops:

    - a capped rule: its blocks of ordinary size, and for each :data:`DENSE_GUARD`
      alternative its dense blocks joined on that alternative's fields too (as one
      condition the join enumerates every pair of a dense block: 3,017 «Mohammad
      Mohammadi» make 4.5 million pairs, most of which the guard drops);
    - a ``?col`` item: the left record lacks ``col``, or it has it and the right one
      lacks it (as one condition, «given name and prison equal, one surname missing»
      enumerated every pair of namesakes in a prison to keep 900 of them: 12 s of CPU on
      270,707 records at the densest names)."""
    plain, cross, unknown, capped = _items(key)
    eq = [f"l.{c} = r.{c}" for c in plain] + [f"l.{a} = r.{b}" for a, b in cross]
    variants: list[list[str]] = [[]]
    for c in unknown:
        variants = [v + w for v in variants
                    for w in ([f"l.{c} IS NULL"], [f"l.{c} IS NOT NULL", f"r.{c} IS NULL"])]
    if capped:
        dense = dense_column(key)
        # a block is dense or not as a whole, so both sides carry the same flag: saying it
        # of both lets the database filter each side before the join
        caps = [[f"NOT l.{dense}", f"NOT r.{dense}"]]
        caps += [[f"l.{f} = r.{f}" for f in g] + [f"l.{dense}", f"r.{dense}"]
                 for g in guard_fields(key)]
        variants = [v + w for v in variants for w in caps]
    return [" AND ".join(eq + v) for v in variants]


def pairs_sql(keys: Iterable[tuple[str, ...]], table: str, id_column: str = "unique_id",
              part: tuple[int, int] = (0, 1)) -> str:
    """SQL (DuckDB) for the distinct pairs that any of the rules ``keys`` admits over
    ``table`` (with the :func:`mark_dense_blocks` columns when a rule is capped), smaller
    id on the left, in splink's blocked-pairs form: ``match_key`` (the index of the first
    rule that admits the pair, a number), ``join_key_l``, ``join_key_r``.  ``part``
    ``(i, n)``: only the pairs whose left id is ``i`` modulo ``n`` (to make the pairs in
    ``n`` parts, each needing 1/n of the memory).

    The same pairs splink makes from the rules (:func:`rule_sql`), made otherwise: splink
    joins rule by rule, each join keeping only the pairs that none of the rules before it
    admitted, so the *n*-th rule's join tests every pair it finds against the *n* − 1
    conditions before it: with 45 rules, 47 of the 67 s of CPU of a prediction on
    101,159 records at the densest names, where the joins alone take 8 s.  Here each
    rule's join is plain (split by :func:`_join_conditions`), tests only the first rule
    (which admits most of the pairs the others admit again: 159 million found, 103
    million without the first rule's, 77 million distinct on 270,707 records at the
    densest names), and the duplicates left are removed by grouping."""
    keys = list(keys)
    i, n = part
    only = f" AND l.{id_column} % {n} = {i}" if n > 1 else ""
    first = f" AND NOT coalesce(({rule_sql(keys[0])}), false)" if keys else ""
    parts = []
    for k, key in enumerate(keys):
        for cond in _join_conditions(key):
            parts.append(f"SELECT {k} AS k, l.{id_column} AS join_key_l, "
                         f"r.{id_column} AS join_key_r FROM {table} AS l JOIN {table} AS r "
                         f"ON {cond} AND l.{id_column} < r.{id_column}{only}"
                         f"{first if k else ''}")
    return ("SELECT CAST(min(k) AS SMALLINT) AS match_key, join_key_l, join_key_r FROM ("
            + " UNION ALL ".join(parts) + ") AS p GROUP BY join_key_l, join_key_r")
