"""Clustering scored pairs into persons, with human decisions and consistency as constraints.

Plain connected components at a threshold chains records: A–B and B–C above threshold put
A and C together even when A is a woman executed in Tehran in August and C a man executed in
Shiraz in September, or when A and C are two namesakes each close to a vaguer record B.
Here edges are applied strongest first, and a merge of two groups of records is refused
when, by default (``linkage="average"``), the mean log-odds of a match over *all* pairs
across the two groups is below the threshold's (a pair not among the scored pairs counts
as :data:`UNSCORED_LOG_ODDS`: the model found the two unlike, or no blocking rule found
them alike; with ``linkage="fields"``, as the linkage runs it, the scored pairs count at
the log-odds of their comparisons combined field by field, :data:`FIELD_WEIGHT_PREFIX`),
or when it would

- put two records with a *cannot-link* decision in one person, or
- make the person inconsistent: two definite sexes, or death-date (or birth-year) intervals
  with no common point, allowing ``tolerance_days`` (``tolerance_years``; by default
  :data:`dadkhah.names.DEATH_TOLERANCE_DAYS`, :data:`dadkhah.names.BIRTH_TOLERANCE_YEARS`,
  which the register's linkage draws apply too) for scribal error, or
- merge siblings: when ``records`` give ``surname_key``, ``father_key`` and ``given1_key``, a
  merge is refused when the two groups hold records with one surname and father's name but
  only different given names (brothers and sisters named differently are never one person;
  lists name siblings executed together on the same day in the same prison); with
  ``given_guard``, also when no father's name is known: one surname under only different
  given names (see :func:`cluster_records`).  Two records that one list names as two members
  of one family, even under two forms of one given name («محمد» and «محمدرضا» in two
  rows), are never one person (:func:`one_list_siblings`).

Why the consistency checks stay vetoes rather than evidence that lowers the group score:
on tuning profiles 1-4 (3,000 persons) the merges they refused were true pairs 1% of the
time for birth years (of 191), 4% for sex (26), 9% for siblings (335) and 29% for death
dates (21), against 50% for the group score (482); the persons left split are mostly
records never scored against their person, or scored 0.1-0.55 (``benchmarks/linkage_bench.py``).

Which rule refuses the true pairs scored at or above the threshold (0.4) that end in
different persons, on tuning profiles 1-20 (3,000 persons, no households; the scored pairs
of ``benchmarks/linkage_bench.py --split tuning`` cached and re-clustered, session 14):
919 such true pairs against 5,170 false ones (pairs: refused edges whose records end apart;
"part missing": a record without a given name or a surname)::

    rule            records        true  false    distinct group pairs: true  false
    surnames        part missing    213   1180                           108    746
    average         full names      206    724                           266    739
    average         part missing    171    469                           (both kinds)
    not linkable    (run._linkable) 129    221
    siblings        full / part   64/33 616/119                           44    288
    given_names     full / part   26/22 225/191                           29    252
    sex             full / part    12/9  250/91                           10    157
    death_date      full / part    2/18  49/136                           13    105
    birth_year      full / part     6/8 553/346                            9    505

Every rule refuses three or more false pairs for each true one, and no simple cut separates
them: the average-rule refusals of a single record against a group of two were 94 true, 85
false; with every cross pair scored 150 true, 157 false; by the edge's probability the true
share is 14-43% in every band of 0.1 (surname guard: 5-27% below 0.99); the sibling guard's
refusals above 0.99 are 29 true, 83 false, the given-name guard's 11 true, 9 false. Each
change tried, re-clustering the same scores (baseline mean pairwise F1 0.9478, worst 0.9104,
persons +5.77%, clusters with siblings 6), missed the adoption bar (F1 +0.002 or persons
-0.5 point): without the surname guard 0.9467, without the given-name guard 0.9466, without
the sibling guard 0.9475 (siblings mixed 6 -> 21); unscored pairs at -1.5 / -2.5 / -3:
0.9474 / 0.9480 / 0.9481 (persons +5.71 / +5.82 / +5.89%); unscored pairs with a record
lacking a name part at 0 / -1 (others -2): 0.9460 / 0.9472; -3 for full names, -2 for
partial: 0.9482, persons +5.83%; ``"average"`` linkage 0.9465; accepting a merge when either
the field-wise or the pairwise mean reaches the cut: 0.9471 (0.9477 with the pairwise mean 1
lower); retrying the refused edges once after the pass (groups have grown): no merge
changes. Of the 266 group pairs the average rule kept apart though true, 199 have a side
that ends mixing two persons: an earlier wrong merge drags the group score down, which no
rule applied merge by merge can undo.

Neither the order of the merges nor undoing them helps (session 15, the same tuning profiles
re-clustered from the scored pairs of ff6426a: mean pairwise F1 0.9482, worst 0.9104
(profile 17), persons +5.74%, clusters mixing persons 769, with siblings 6).  Merging the
two groups with the best group score first (a priority queue over group pairs, re-scored
after each merge: average linkage proper) instead of along the strongest edge: 0.9482 ->
0.9488, worst 0.9114, persons +5.75%, mixing 760, siblings 5 (the whole tuning benchmark
so: 0.9483 -> 0.9488), for 60-90% more clustering CPU; ordered by the objective's gain
(sizes' product times the score less the cut) 0.9473.  Then local moves (a record of a
person touched by a refused edge moves to the neighbouring person it fits best, every veto
holding; the rest split into its connected parts and merged again): compared by the mean
score 0.9491 (worst 0.9133, persons +5.75%; 0.9490 strongest edge first), by the
objective's sum 0.9479; the moves were right about as often as wrong (mean score,
strongest edge first, one round: 56 moves better, 51 worse, 20 neither on profiles 1-20).
The ceiling, with the truth's help: every person mixing two persons split by the truth
(precision 0.9920) and merged again by the scores gives 0.9493 (precision 0.9762, recall
0.9240): the scores remake the same mixes, the wrong merges pass the group score on their
own; with those wrong merges forbidden as well, 0.9581, recall 0.9236 -> 0.9277 and persons
+6.44% (more persons: each mix had counted two as one).  So undoing wrong merges is worth at
most +0.004 of recall even knowing which they are, and the persons in excess are records
that the scores (and blocking) leave far from their person, not records the merge order
kept apart.  (The code of these experiments: commit 8de5953 on branch h15-clus,
``merge_order="group"``, ``refine=True``.)  The records of a mixed person that are not of
its main person, 867 on those profiles: 497 name only a given name (200 joined by
:func:`_attach_given_only`, 297 by their scores, 258 of them at 0.4-0.9 with the main
person), 301 full names (61 scored 0.99 or more with it), 69 lack another part.
Given-name-only records joined by their scores at 0.4-0.7 were right 503 times against
186: a stricter cut for them would cost more persons than it saves mixes.

Rescuing records left alone by their best pair below the threshold does not pay either
(session 16, the scored pairs of tuning profiles 1-20 at 3,000 persons linked by
``link_features``): of the register's 16,436 one-record persons, 4,149 have other records
in truth (1,998 full names, 1,843 given-name-only, 308 lacking another part).  Joining a
one-record person to the person holding its best linkable scored pair when that pair is
in [p, 0.4), leads the next person's best by a margin in log-odds, and the person has no
record of the same list, would be right for full names 302 times of 866 (p 0.1, margin 2:
448 true pairs against 1,129 false) or 141 of 321 (p 0.2, margin 4: 214 against 381); for
given-name-only records 111 of 331 (p 0.05, margin 1); for the rest 18 of 24 (p 0.2,
margin 4): false pairs outnumber true ones except in the last, too few to count.

A record that names only a given name (a memoir's «Hassan, 21, of Karaj») is then *attached*
to a person when that person is the only one its given name, town and birth year fit, or
fits far better than the others that do (see :func:`_attach_given_only`): the pairwise
score of such a record is honestly low, since one given name fits many, but the lack of any
other candidate as good is evidence the pairwise model cannot see.

*Must-link* decisions are applied before any scored edge and are never refused for
consistency (a human looked at them); under average linkage every pair across the two
persons the scores alone would make of the two records counts as certain, so the decision
unites those persons, not only the two records.  A must-link that contradicts a
cannot-link is a conflict, reported and not applied — never silently dropped.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from dadkhah.linkage.written_dates import DateSlips
from dadkhah.names.dates import BIRTH_TOLERANCE_YEARS, DEATH_TOLERANCE_DAYS
from dadkhah.names.keys import loose_key, qg_key, title_keys

K = TypeVar("K", bound=Hashable)

NO_LO = -(10**9)
NO_HI = 10**9


@dataclass(frozen=True)
class Conflict:
    """Two decisions that cannot both hold."""

    must_link: tuple[int, int]
    cannot_link: tuple[int, int]

    def describe(self) -> str:
        a, b = self.must_link
        c, d = self.cannot_link
        return (f"must-link {a}–{b} would put {c} and {d} in one person, but a decision says "
                f"{c} and {d} are different persons")


@dataclass(frozen=True)
class Refusal:
    """A scored edge above the threshold that was not applied, and why."""

    left: int
    right: int
    probability: float
    reason: str  # "cannot_link" | "sex" | "death_date" | "birth_year" | "one_list" |
    # "list_once" | "siblings" | "given_names" | "surnames" | "average"


@dataclass(frozen=True)
class ClusterResult:
    """record id → cluster id (the smallest record id in the cluster)."""

    assignment: pd.Series
    conflicts: tuple[Conflict, ...] = ()
    refusals: tuple[Refusal, ...] = field(default=(), repr=False)
    # (record id, id of a record of the person it joined): given-name-only records joined
    # by the uniqueness rule, not by their scores (see _attach_given_only)
    attached: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def n_clusters(self) -> int:
        return int(self.assignment.nunique())

    def refusal_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.refusals:
            out[r.reason] = out.get(r.reason, 0) + 1
        return out

    def members(self) -> dict[int, list[int]]:
        groups = self.assignment.groupby(self.assignment).groups
        return {int(k): sorted(int(x) for x in v) for k, v in groups.items()}


class _Components:
    """Union-find over record indices with per-component consistency summaries."""

    def __init__(self, n: int, sex: np.ndarray, dlo: np.ndarray, dhi: np.ndarray,
                 blo: np.ndarray, bhi: np.ndarray) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}  # root -> member indices (roots of size > 1)
        self.size = [1] * n
        self.sex = sex.tolist()  # 0 unknown, 1 m, 2 f, 3 both (only via must-link)
        self.dlo, self.dhi = dlo.tolist(), dhi.tolist()
        self.blo, self.bhi = blo.tolist(), bhi.tolist()
        self.forbid: dict[int, set[int]] = {}  # root -> record indices it may not join
        # root -> records of its lists that name other members of its family
        # (:func:`one_list_siblings`): never one person with it
        self.apart: dict[int, set[int]] = {}
        # root -> {(surname key, father key): first given-name keys}, for the sibling guard
        self.family: dict[int, dict[tuple[str, str], set[str]]] = {}
        # root -> (surname key, given-name key) of its records, for the surname guard
        self.surnames: dict[int, set[tuple[str, str]]] = {}
        # root -> {surname key: first given-name keys}, for the given-name guard
        self.named: dict[int, dict[str, set[str]]] = {}
        # root -> fathers' names of its records that are given names of the dictionary
        self.fathers: dict[int, set[str]] = {}
        # root -> the lists naming each person once (``once_lists``) that name it
        self.lists: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def forbidden(self, ra: int, rb: int) -> bool:
        fa, fb = self.forbid.get(ra), self.forbid.get(rb)
        if fa and any(self.find(x) == rb for x in fa):
            return True
        return bool(fb and any(self.find(x) == ra for x in fb))

    def separated(self, ra: int, rb: int) -> bool:
        """Whether one group holds a record that a list names beside a record of the other
        group as another member of its family (:func:`one_list_siblings`)."""
        fa, fb = self.apart.get(ra), self.apart.get(rb)
        if fa and any(self.find(x) == rb for x in fa):
            return True
        return bool(fb and any(self.find(x) == ra for x in fb))

    def inconsistency(self, ra: int, rb: int, tol_d: int, tol_y: int) -> str | None:
        sa, sb = self.sex[ra], self.sex[rb]
        if sa and sb and (sa | sb) == 3:
            return "sex"
        death, birth = self.dates_apart(ra, rb, tol_d, tol_y)
        return "death_date" if death else "birth_year" if birth else None

    def dates_apart(self, ra: int, rb: int, tol_d: int, tol_y: int) -> tuple[bool, bool]:
        """Whether the groups' death dates, and their birth years, do not meet."""
        return (max(self.dlo[ra], self.dlo[rb]) - min(self.dhi[ra], self.dhi[rb]) > tol_d,
                max(self.blo[ra], self.blo[rb]) - min(self.bhi[ra], self.bhi[rb]) > tol_y)

    def siblings(self, ra: int, rb: int) -> bool:
        """Whether the groups share a surname and father's name only under different given
        names (one given name in common on each side is enough to allow the merge)."""
        return _only_other_given_names(self.family.get(ra), self.family.get(rb))

    def given_names_differ(self, ra: int, rb: int) -> bool:
        """Whether the groups share a surname key only under given names that all differ
        (:func:`given_names_differ`, ``loose``), whatever their fathers' names."""
        return _only_other_given_names(self.named.get(ra), self.named.get(rb),
                                       known=known_given_names())

    def fathers_differ(self, ra: int, rb: int) -> bool:
        """Whether both groups name fathers and every father of one is another name than
        every father of the other (:func:`fathers_differ`)."""
        fa, fb = self.fathers.get(ra), self.fathers.get(rb)
        if not fa or not fb:
            return False
        return all(fathers_differ(x, y) for x in fa for y in fb)

    def one_list_twice(self, ra: int, rb: int) -> bool:
        """Whether both groups hold a record of one list that names each person once."""
        la, lb = self.lists.get(ra), self.lists.get(rb)
        return bool(la and lb and not la.isdisjoint(lb))

    def surnames_differ(self, ra: int, rb: int) -> bool:
        """Whether both groups hold records with a surname and every surname of one differs
        from every surname of the other (:func:`surnames_differ`), and is not the other
        record's given name (given name and surname swapped)."""
        sa, sb = self.surnames.get(ra), self.surnames.get(rb)
        if not sa or not sb:
            return False
        return all(surnames_differ(x, y) and x != gy and y != gx
                   for x, gx in sa for y, gy in sb)

    def union(self, ra: int, rb: int) -> None:
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] = self.members.pop(ra, [ra]) + self.members.pop(rb, [rb])
        self.size[ra] += self.size[rb]
        self.sex[ra] |= self.sex[rb]
        self.dlo[ra] = max(self.dlo[ra], self.dlo[rb])
        self.dhi[ra] = min(self.dhi[ra], self.dhi[rb])
        self.blo[ra] = max(self.blo[ra], self.blo[rb])
        self.bhi[ra] = min(self.bhi[ra], self.bhi[rb])
        if rb in self.forbid:
            self.forbid.setdefault(ra, set()).update(self.forbid.pop(rb))
        if rb in self.apart:
            self.apart.setdefault(ra, set()).update(self.apart.pop(rb))
        if rb in self.surnames:
            self.surnames.setdefault(ra, set()).update(self.surnames.pop(rb))
        if rb in self.fathers:
            self.fathers.setdefault(ra, set()).update(self.fathers.pop(rb))
        if rb in self.lists:
            self.lists.setdefault(ra, set()).update(self.lists.pop(rb))
        if rb in self.family:
            mine = self.family.setdefault(ra, {})
            for k, given in self.family.pop(rb).items():
                mine.setdefault(k, set()).update(given)
        if rb in self.named:
            ours = self.named.setdefault(ra, {})
            for s, given in self.named.pop(rb).items():
                ours.setdefault(s, set()).update(given)

    def fields_log_odds(self, ra: int, rb: int, fields: _FieldEvidence,
                        fixed: dict[tuple[int, int], float], unscored: float) -> float:
        """Log-odds of a match between two groups, combining their records' comparisons
        field by field (see :data:`FIELD_WEIGHT_PREFIX`): each field's weight is its mean
        over the cross pairs that compared it, and the sum of those means (with the prior)
        stands for every scored cross pair; then the mean over all cross pairs, where a pair
        in ``fixed`` (a decision) counts at its value and an unscored pair at ``unscored``."""
        ma, mb = self.members.get(ra, [ra]), self.members.get(rb, [rb])
        rows: list[int] = []
        other = 0.0
        n_ids, row = fields.n_ids, fields.row
        for x in ma:
            for y in mb:
                key = (x, y) if x < y else (y, x)
                if key in fixed:
                    other += fixed[key]
                    continue
                k = row.get(key[0] * n_ids + key[1])
                if k is None:
                    other += unscored
                else:
                    rows.append(k)
        n = len(ma) * len(mb)
        if not rows:
            return other / n
        if len(rows) == 1:  # one pair's fields are its own: its log-odds (most merges)
            return (float(fields.total[rows[0]]) + other) / n
        w = fields.weights[rows]
        seen = fields.observed[rows].sum(axis=0)
        combined = float(fields.prior[rows].mean() + (w.sum(axis=0) / np.maximum(seen, 1)).sum())
        return (len(rows) * combined + other) / n

    def mean_log_odds(self, ra: int, rb: int, odds: dict[tuple[int, int], float],
                      unscored: float) -> float:
        """Mean log-odds of a match over all pairs across the two groups (a pair not in
        ``odds`` counts as ``unscored``)."""
        ma, mb = self.members.get(ra, [ra]), self.members.get(rb, [rb])
        total = 0.0
        for x in ma:
            for y in mb:
                total += odds.get((x, y) if x < y else (y, x), unscored)
        return total / (len(ma) * len(mb))


UNSCORED_LOG_ODDS = -2.0
"""Log-odds of a match that average linkage gives a pair across two groups that is not
among the scored pairs (probability 0.12).  Such a pair was scored below the kept minimum
(0.01), has names that disagree (not linkable), or was never blocked: mostly evidence
against, but not certainty, which the probability 0 counted before implied.  With
probabilities averaged and unscored pairs at 0, one record of a person that no rule
compared with a memoir's given-name-only record outweighed the strong pairs: on tuning
profiles 1–20 (1,200 persons) 600 true pairs scored above the threshold were refused.
Mean log-odds with -2 (threshold 0.55, see :data:`dadkhah.linkage.DEFAULT_THRESHOLD`) raised
pairwise recall 0.899 -> 0.903 at precision 0.977 -> 0.979; -1.5 to -2.5 were alike,
-4 lost recall."""

FIELD_WEIGHT_PREFIX = "lw_"
"""Columns of the scored pairs that ``linkage="fields"`` combines: ``lw_<field>`` is the
pair's log Bayes factor (natural log) from that field's comparison, 0 where the field was
not compared (unknown on a side), and ``lw_prior`` the log prior odds; their sum is the
log-odds of ``match_probability`` (:func:`dadkhah.linkage.run.field_log_weights` makes them
from splink's per-comparison match weights).

Why field by field: the records of one person differ in what they give.  «Ali Sabeti,
Hamadan, 1961, father Kowrosh» and a list's «Sabeti, Hamadan» (no given name) score low
against a third record «Ali Sabeti, Evin, 1961» although it is him: the pair without a given
name has little to agree on.  The mean of the pairs' log-odds (``"average"``) takes that
lack of evidence for evidence against; the mean of each field over the pairs that compared
it lets the given name come from the records that have one, while a field that disagrees
(another prison) still counts fully, as it should."""


@dataclass(frozen=True)
class _FieldEvidence:
    """Per scored pair (``row``: its indices ``(i, j)``, ``i < j``, as ``i * n_ids + j`` →
    row), its field weights and which fields it compared, and the log prior odds (the same
    for every pair).  One integer per pair, not a tuple of two: the first scoring holds 2.5
    million pairs at 281,487 records, and the tuples cost 0.2 GB more."""

    row: dict[int, int]
    n_ids: int
    weights: np.ndarray  # pairs × fields
    observed: np.ndarray  # pairs × fields, bool
    prior: np.ndarray  # log prior odds per pair (one value, unless pairs were re-fitted)
    total: np.ndarray  # per pair, the log-odds its fields and prior add up to


def _field_evidence(ids: np.ndarray, pairs: pd.DataFrame) -> _FieldEvidence:
    cols = [c for c in pairs.columns
            if c.startswith(FIELD_WEIGHT_PREFIX) and c != f"{FIELD_WEIGHT_PREFIX}prior"]
    if not cols or f"{FIELD_WEIGHT_PREFIX}prior" not in pairs.columns:
        raise ValueError(f"linkage 'fields' needs the columns {FIELD_WEIGHT_PREFIX}<field> and "
                         f"{FIELD_WEIGHT_PREFIX}prior in the scored pairs (see "
                         f"dadkhah.linkage.run.field_log_weights)")
    pl = np.searchsorted(ids, pairs["unique_id_l"].to_numpy())
    pr = np.searchsorted(ids, pairs["unique_id_r"].to_numpy())
    n = len(ids)
    keys = (np.minimum(pl, pr).astype(np.int64) * n + np.maximum(pl, pr)).tolist()
    weights = pairs[cols].to_numpy(dtype=float)
    prior = pairs[f"{FIELD_WEIGHT_PREFIX}prior"].to_numpy(dtype=float)
    return _FieldEvidence(dict(zip(keys, range(len(pairs)), strict=True)), n, weights,
                          weights != 0, prior, prior + weights.sum(axis=1))


_CLAMP = 1e-6  # probabilities of exactly 0 or 1 (decisions) have finite log-odds


def log_odds(p: float) -> float:
    """log(p / (1 - p)), with ``p`` kept within 1e-6 of 0 and 1."""
    p = min(max(p, _CLAMP), 1 - _CLAMP)
    return math.log(p / (1 - p))


ATTACH_MIN_PROBABILITY = 0.1
"""Least match probability of the best scored pair between a given-name-only record and the
person :func:`_attach_given_only` joins it to: the model saw the pair and found nothing
against it.  On tuning profiles 1–18 (3,000 persons) true candidates were scored 96% of the
time, other persons with the same given name 5%."""

ATTACH_IN_REGISTER = 0.5
"""Prior probability that a given-name-only record names a person the register's other
records name (:func:`_attach_given_only`).  On tuning profiles 1–5 (3,000 persons) 364 of
681 such records left alone by clustering did (0.53)."""

ATTACH_GIVEN_AGREES = 0.8
"""Probability that a given-name-only record's given-name key equals one of its person's
keys (tuning profiles 1–5, 3,000 persons: 290 of 364 records whose person is in the
register)."""

ATTACH_TOWN_AGREES = 0.78
"""Probability that a given-name-only record's town is among its person's towns (home towns
and prison towns; tuning profiles 1–5, 3,000 persons: 78% of 290)."""

ATTACH_MIN_POSTERIOR = 0.05
"""Least posterior probability (:func:`_attach_given_only`) that a given-name-only record
is the chosen person for the record to join it.  The posterior is conservative (a person
split in two counts as two namesakes, and the frequencies are the register's, not the
population's), so its floor is set from measurement.  On tuning profiles 1–20 (3,000
persons; ``benchmarks/linkage_bench.py --split tuning`` scores, re-clustered), with
:data:`ATTACH_MIN_LEAD`: at 0.15 680 joins were 77% right, at 0.1 721 76%, at 0.05 779
73%, at 0.02 836 70%.  Each join removes one person from the register, right or wrong; a
wrong one adds false pairs.  Against the rule it replaces (one person fits, or one holds 70%
of the odds of those that fit: 655 joins, 71% right), 0.05 gave mean pairwise F1 0.9466 ->
0.9479, worst 0.9078 -> 0.9104, persons against the truly named +6.04% -> +5.76% (worst
+13.14% -> +12.50%); 0.1: F1 0.9480, worst 0.9104, +5.89%.  Without the lead, 0.15 gave
864 joins (67% right), F1 0.9471 (worst 0.9083) and +5.55%: more persons removed by
guesses between namesakes."""

ATTACH_MIN_LEAD = 2.0
"""How many times the next person's rank the chosen person's must be
(:func:`_attach_given_only`; rank: the posterior weight times the odds of the best scored
pair): two namesakes that fit about as well leave the record alone rather than joined to
either by a coin's toss.  On tuning profiles 1–20 (3,000 persons, posterior at least 0.15),
joining the best whatever its lead made 864 joins, 67% right; a lead of 2 on the posterior
weight alone 626, 78% right; on the rank 680, 77% right (1.5 and 3 gave 686 and 675)."""

ATTACH_WEIGHT_LEAD = 2.0
"""How many times every other candidate's weight (:func:`_attach_given_only`: what the
name's, the town's and the age's frequencies say, without the pairwise model's odds) the
chosen person's must be.  A one-name mention («Kazem, of Tehran») that several persons fit
alike by name, town and age is left alone even when the pairwise model scored one of them
higher: what the model saw besides is mostly what the mention lacks.  A candidate of
another town is such a rival only where the record's town is so common that sharing it
says little.  On the second probe's memoir rows (seeds 1-5), joins where another person of
the register fitted name and town were right 48 times in 97.  On the tuning profiles 1-5
(1,500 persons): pairwise precision 0.9824 -> 0.9854, recall 0.9546 -> 0.9532, F1 0.9683
-> 0.9690 (worst 0.9546 -> 0.9559); counting as rivals only the candidates sharing the
record's town, 0.9683 (profile 2 0.9709 -> 0.9689)."""

ATTACH_UNSCORED = 0.005
"""Match probability counted, when ranking the persons a given-name-only record fits
(:func:`_attach_given_only`), for a person never scored against it."""

ATTACH_BIRTH_YEARS = 0
"""Years by which birth-year intervals may miss each other and still fit, for
:func:`_attach_given_only`.  At 1 (an age told a year off), on tuning profiles 1–18 (3,000
persons), none of the 5 single candidates that fitted only so was the record's person."""


def _attach_given_only(comp: _Components, recs: pd.DataFrame, edges: pd.DataFrame,
                       ids: np.ndarray, min_probability: float, tol_d: int,
                       tol_y: int, part: str = "given_key") -> list[tuple[int, int]]:
    """Join each record that has a given name but no surname, and that clustering left
    alone, to the person it most probably names, when that probability reaches
    :data:`ATTACH_MIN_POSTERIOR`.

    The record names one of the register's other persons (prior
    :data:`ATTACH_IN_REGISTER`) or someone else.  The candidates are the persons with a
    record of the same given-name key (agreeing with probability
    :data:`ATTACH_GIVEN_AGREES` when it is the person), a birth-year interval that meets
    the record's (within :data:`ATTACH_BIRTH_YEARS`), no other sex, no record of the same
    list (a list rarely names one person twice: ``source_id``, when present) and that pass
    the consistency checks of clustering.  What tells a candidate from a namesake is how
    common that given name, that town and that age are among the register's persons: with
    ``n_g`` persons of that given-name key, a share ``s`` of persons having the record's
    town (home town or prison town, either side) and a share ``b`` whose birth years fit,
    a candidate whose towns include the record's weighs
    ``π · m_g · (m_t / s) / (n_g · b)`` against ``1 − π`` for «someone else», one whose
    towns do not ``π · m_g · ((1 − m_t) / (1 − s)) / (n_g · b)`` (Fellegi–Sunter with the
    given name, town and age frequencies of the register itself, where the pairwise model's
    given-name-only comparisons are not calibrated).  With a single candidate of the
    record's town, the posterior is ``π m_g m_t / (π m_g m_t + (1 − π) λ)``, λ = n_g s b the
    namesakes expected by chance: «Hassan, of Karaj, 21» is one of the register's
    persons only when few Hassans of that age and town are expected.

    The candidates are ranked by that weight times the odds of their best scored pair with
    the record (what the pairwise model saw besides); the first must lead the next by
    :data:`ATTACH_MIN_LEAD` (namesakes that fit alike leave the record alone), its posterior
    reach :data:`ATTACH_MIN_POSTERIOR` and its best scored pair ``min_probability``.
    Records are joined most probable first, each person taking at most one record of a
    list (an assignment per list: a person taken by one record is no candidate for the
    next, whose posterior is computed again without it).  Returns the (record,
    person's root) index pairs joined.

    ``part="surname_key"`` does the same for records naming only a surname (a memoir's
    «Rashidi was taken on the sixth»), with the same constants: a surname is known to its
    person's other records at least as often as a given name, and namesakes are counted
    from the register the same way."""
    n = len(ids)
    other_part = "surname_key" if part == "given_key" else "given_key"
    missing = recs[other_part].to_numpy(dtype=object)
    named_part = recs[part].to_numpy(dtype=object)
    one_part = pd.isna(missing) & ~pd.isna(named_part)
    alone = np.fromiter((one_part[i] and comp.find(i) == i and comp.size[i] == 1
                         for i in range(n)), dtype=bool, count=n)
    joined: list[tuple[int, int]] = []
    if not alone.any():
        return joined
    towns = [recs[c].to_numpy(dtype=object) for c in ("city_id", "prison_city")
             if c in recs.columns]
    source = recs["source_id"].to_numpy(dtype=object) if "source_id" in recs.columns \
        else None
    blo = _column(recs, "birth_lo", NO_LO)
    bhi = _column(recs, "birth_hi", NO_HI)
    sex = recs["sex"].to_numpy(dtype=object) if "sex" in recs else np.full(n, None)
    sex_code = pd.Series(sex).map({"m": 1, "f": 2}).fillna(0).to_numpy(dtype=np.int64)
    # the register's persons (roots of records not alone): keys of the named part, towns, lists
    others = np.flatnonzero(~alone).tolist()
    root_of = {i: comp.find(i) for i in others}
    by_part: dict[object, set[int]] = {}
    person_towns: dict[int, set[object]] = {}
    person_lists: dict[int, set[object]] = {}
    for i in others:
        r = root_of[i]
        if not pd.isna(named_part[i]):
            by_part.setdefault(named_part[i], set()).add(r)
        mine = person_towns.setdefault(r, set())
        for t in towns:
            if not pd.isna(t[i]):
                mine.add(t[i])
        if source is not None:
            person_lists.setdefault(r, set()).add(source[i])
    persons = len(person_towns)
    if not persons:
        return joined
    town_count: dict[object, int] = {}
    for ts in person_towns.values():
        for t in ts:
            town_count[t] = town_count.get(t, 0) + 1
    roots = np.fromiter(person_towns, dtype=np.int64, count=persons)
    lo_sorted = np.sort(np.asarray(comp.blo, dtype=np.int64)[roots])
    hi_sorted = np.sort(np.asarray(comp.bhi, dtype=np.int64)[roots])
    # best scored pair from each alone record to each other person (roots do not change
    # within a pass: a record joins a root, which stays; pairs between two alone records
    # are not kept, so a record joined during the pass adds none)
    li = np.searchsorted(ids, edges["unique_id_l"].to_numpy())
    ri = np.searchsorted(ids, edges["unique_id_r"].to_numpy())
    one = alone[li] != alone[ri]  # pairs between an alone record and another
    root_at = np.full(n, -1, dtype=np.int64)
    root_at[others] = [root_of[i] for i in others]
    # (record, person's root) -> its best pair's probability, sorted by record then root:
    # a record's persons are a slice (grouped as arrays; a loop over the pairs took a
    # tenth of the clustering at 281,487 records)
    best = pd.DataFrame({"a": np.where(alone[li], li, ri)[one],
                         "r": root_at[np.where(alone[li], ri, li)[one]],
                         "p": edges["match_probability"].to_numpy(dtype=float)[one]}
                        ).dropna().groupby(["a", "r"], sort=True)["p"].max()
    best_a = best.index.get_level_values("a").to_numpy(dtype=np.int64)
    best_r = best.index.get_level_values("r").to_numpy(dtype=np.int64)
    best_p = best.to_numpy(dtype=float)

    def best_of(i: int) -> tuple[np.ndarray, np.ndarray]:
        """The persons' roots record ``i`` has scored pairs with (ascending), and the
        best probability with each."""
        lo, hi = np.searchsorted(best_a, i, side="left"), np.searchsorted(best_a, i, "right")
        return best_r[lo:hi], best_p[lo:hi]
    pi, m_g, m_t = ATTACH_IN_REGISTER, ATTACH_GIVEN_AGREES, ATTACH_TOWN_AGREES
    # The candidates of a record are every person of its name (thousands of «Mohammad» at
    # 140,000 persons), so they are judged as arrays, not one by one: a loop over them per
    # record took 15 minutes of a 22-minute link there.  Copies of the groups' summaries,
    # kept up to date for the roots records join.
    named_roots = {k: np.fromiter(sorted(v), dtype=np.int64, count=len(v))
                   for k, v in by_part.items()}
    c_sex = np.asarray(comp.sex, dtype=np.int64)
    c_blo, c_bhi = np.asarray(comp.blo, dtype=np.int64), np.asarray(comp.bhi, dtype=np.int64)
    c_dlo, c_dhi = np.asarray(comp.dlo, dtype=np.int64), np.asarray(comp.dhi, dtype=np.int64)
    # list -> whether each root's person has a record of it
    has_list: defaultdict[object, np.ndarray] = defaultdict(lambda: np.zeros(n, dtype=bool))
    for r, lists in person_lists.items():
        for s in lists:
            has_list[s][r] = True
    town_index = {t: k for k, t in enumerate(town_count)}
    # (root, town) pairs as sorted codes root * T + town, for membership by binary search
    n_towns = max(len(town_index), 1)
    town_codes = np.sort(np.fromiter(
        (r * n_towns + town_index[t] for r, ts in person_towns.items() for t in ts),
        dtype=np.int64))

    def with_town(cands: np.ndarray, t: object) -> np.ndarray:
        if t not in town_index:  # no person of the register has it
            return np.zeros(len(cands), dtype=bool)
        q = cands * n_towns + town_index[t]
        pos = np.minimum(np.searchsorted(town_codes, q), len(town_codes) - 1)
        return town_codes[pos] == q

    def posterior(i: int) -> tuple[float, int]:
        """The most probable candidate person's root for record ``i`` and its posterior."""
        named = named_roots.get(named_part[i])
        if named is None or not len(named):
            return 0.0, -1
        own = {t[i] for t in towns if not pd.isna(t[i])}
        share = min(max((town_count.get(t, 0) for t in own), default=0) / persons, 0.99)
        # a candidate sharing the record's rarer town (a memoir's home town beside the
        # prison's city) is told by that town's share, not the commoner one's
        own_share = {t: min(max(town_count.get(t, 0), 1) / persons, 0.99) for t in own}
        lo, hi = blo[i] - ATTACH_BIRTH_YEARS, bhi[i] + ATTACH_BIRTH_YEARS
        fit = (int(np.searchsorted(lo_sorted, hi, side="right"))
               - int(np.searchsorted(hi_sorted, lo, side="left"))) / persons
        base = pi * m_g / (len(named) * max(fit, 1 / persons))
        ok = (np.maximum(c_blo[named], blo[i]) - np.minimum(c_bhi[named], bhi[i])
              <= ATTACH_BIRTH_YEARS)
        sx = c_sex[named]
        if sex_code[i]:
            ok &= (sx == 0) | (sx == sex_code[i])
        if source is not None and source[i] in has_list:
            ok &= ~has_list[source[i]][named]
        # comp.inconsistency, for every candidate at once
        si = comp.sex[i]
        if si:
            ok &= (sx == 0) | ((sx | si) != 3)
        ok &= np.maximum(c_dlo[named], comp.dlo[i]) - np.minimum(c_dhi[named], comp.dhi[i]) \
            <= tol_d
        ok &= np.maximum(c_blo[named], comp.blo[i]) - np.minimum(c_bhi[named], comp.bhi[i]) \
            <= tol_y
        if comp.forbid:
            for k in np.flatnonzero(ok).tolist():
                if comp.forbidden(int(named[k]), i):
                    ok[k] = False
        cands = named[ok]
        if not len(cands):
            return 0.0, -1
        w = np.full(len(cands), base * (1 - m_t) / (1 - share))
        if own:
            rarest = np.full(len(cands), np.inf)
            for t in own:
                there = with_town(cands, t)
                rarest[there] = np.minimum(rarest[there], own_share[t])
            shared = np.isfinite(rarest)
            w[shared] = base * m_t / rarest[shared]
        # ranked with the pairwise model's odds of its best pair with the record
        p = np.full(len(cands), ATTACH_UNSCORED)
        scored_r, scored_p = best_of(i)
        at = np.minimum(np.searchsorted(cands, scored_r), len(cands) - 1)
        hit = cands[at] == scored_r
        p[at[hit]] = np.minimum(np.maximum(scored_p[hit], ATTACH_UNSCORED), 1 - _CLAMP)
        rank = w * (p / (1 - p))
        k_top = int(np.argmax(rank))  # ties: the smallest root (cands are sorted)
        top, top_w, top_root = float(rank[k_top]), float(w[k_top]), int(cands[k_top])
        if len(cands) > 1:
            rest = np.delete(np.arange(len(cands)), k_top)
            if top < ATTACH_MIN_LEAD * float(rank[rest].max()):
                return 0.0, -1
            if float(w[rest].max()) * ATTACH_WEIGHT_LEAD > top_w:
                return 0.0, -1  # another person fits the name, town and age about as well
        return top_w / (float(w.sum()) + 1 - pi), top_root

    # A record whose best scored pair with every person is under ``min_probability`` is
    # never joined (checked below), and judging it changes nothing for the others: its
    # posterior is not worked out (half the time of this function at 281,487 records).
    joinable = np.zeros(n, dtype=bool)
    joinable[best_a[best_p >= min_probability]] = True
    first = sorted(((posterior(i)[0], i) for i in np.flatnonzero(alone & joinable).tolist()),
                   key=lambda t: (-t[0], t[1]))
    for p0, i in first:
        if p0 < ATTACH_MIN_POSTERIOR:
            break
        post, root = posterior(i)  # persons taken by records before it no longer count
        if post < ATTACH_MIN_POSTERIOR:
            continue
        scored_r, scored_p = best_of(i)
        at_root = int(np.searchsorted(scored_r, root))
        if at_root == len(scored_r) or scored_r[at_root] != root \
                or scored_p[at_root] < min_probability:
            continue
        joined.append((i, root))
        comp.union(root, i)  # the root stays (a person is at least as large as a record)
        c_sex[root], c_blo[root], c_bhi[root] = comp.sex[root], comp.blo[root], comp.bhi[root]
        c_dlo[root], c_dhi[root] = comp.dlo[root], comp.dhi[root]
        if source is not None:
            person_lists.setdefault(root, set()).add(source[i])
            has_list[source[i]][root] = True
    return joined


def _odds(p: float) -> float:
    return p / (1 - p)


def _only_other_given_names(a: Mapping[K, set[str]] | None,
                            b: Mapping[K, set[str]] | None,
                            known: frozenset[str] | None = None) -> bool:
    """Whether two groups' given names, keyed by family (surname and father's name for the
    sibling guard, surname alone for the given-name guard), share a key under which every
    given name of one differs from every given name of the other (``loose``); with
    ``known``, names differ only where both are among ``known``."""
    if not a or not b:
        return False
    if len(b) < len(a):
        a, b = b, a
    return any(k in b and all(given_names_differ(x, y, loose=True)
                              and (known is None or (x in known and y in known))
                              for x in a[k] for y in b[k])
               for k in a)


@lru_cache(maxsize=1)
def known_given_names() -> frozenset[str]:
    """Keys of the given names of the names dictionary (``dadkhah.names``): the given-name
    guard of :func:`cluster_records` holds two first given names for different names only
    when both are among them.

    A given name the dictionary does not know is mostly a misreading of one it knows
    («اکبرف» / «Akbraf» for «Ashraf», «Kbapour» for «Shapour», «Mosbahdi» for «Mostafa»,
    letters misread in both), which the loose comparison (:data:`LOOSE_SKELETON`) cannot
    recognise, while brothers and sisters carry names people are given.  On tuning
    profiles 1-20 (3,000 persons, the same scored pairs re-clustered): mean pairwise F1
    0.9455 -> 0.9468, worst 0.9048 -> 0.9060 (profile 17), precision 0.9742 -> 0.9741,
    recall 0.9188 -> 0.9212, persons against the truly named +6.30% -> +6.08%, clusters
    with siblings of different given names 6 -> 6.  Asking the same of the sibling guard
    (surname and father's name shared) merged siblings: 3 -> 8 on profiles 1-10."""
    from dadkhah.names import load_name_dictionary, word_key

    return frozenset(k for e in load_name_dictionary().entries
                     if e.kind == "given" and (k := word_key(e.persian)))


@lru_cache(maxsize=1)
def known_father_names() -> frozenset[str]:
    """Keys of the given names of the names dictionary and of the romanisation lexicon
    (``dadkhah.names``, about 1,900 names): the father guard of :func:`cluster_records`
    holds two fathers' names for two names only when both are among them.  Wider than
    :func:`known_given_names`, whose guard compares brothers' names (one letter apart may
    be two names there): the father guard asks more of the names themselves
    (:func:`fathers_differ`), so a name the lexicon knows is enough."""
    from dadkhah.names import load_name_lexicon, word_key

    return known_given_names() | frozenset(
        k for e in load_name_lexicon().entries if e.kind == "given" and (k := word_key(e.persian)))


def informative_given(key: object) -> bool:
    """Whether a first-given-name key names a name, not an initial or a title: «م.» or
    «A.» (keys of one letter, after the word marker) agree with any name starting so, and a
    list that writes only «Haj» or «Mirza» where the given name goes tells no given name."""
    return (isinstance(key, str) and len(key.lstrip("_")) >= 2
            and key not in title_keys())


def given_names_differ(a: object, b: object, *, loose: bool = False) -> bool:
    """Whether two records' given names differ: the keys of their first given-name words
    (``given1_key``: cross-script, so «Ali» / «علی» agree) are both names (not initials, see
    :func:`informative_given`), not equal, and neither begins the other («Ali» / «Aliakbar»
    may be a name written in one word or two).  «Hassan» / «Hossein» differ.  A given
    name written as an initial («M. Reza», which the names rules read as Mohammad Reza) is
    keyed by the register's features by its initial alone
    (:func:`dadkhah.names.keys.written_initial`), which differs from no name; a Mohammad
    written out differs from Mahmoud and Mostafa.

    ``loose``: also agree when the keys' consonant skeletons do (``names.loose_key``) or
    the keys are one edit apart: lists romanised in other systems give «'Alaa» for «Ali»,
    «Hamaad» for «Hamid», and lists drop letters («متبی» for «مجتبی»).  Used where a wrong
    "differ" costs a true link (the sibling guard).  Two names that are both given names
    of the names dictionary (:func:`known_given_names`) still differ: «Hassan» / «Hossein»,
    «Mohammad» / «Mahmoud», «Hamid» / «Hamed» are brothers' names, not one name misread.
    """
    if not (informative_given(a) and informative_given(b)):
        return False
    x, y = str(a), str(b)
    if x.startswith(y) or y.startswith(x):
        return False
    if loose:
        known = known_given_names()
        if x in known and y in known:
            return True
        sx, sy = _skeleton(x), _skeleton(y)
        if not (sx and sy) or sx == sy or _one_edit(x, y) or _swapped(x, y):
            return False
        qx, qy = _qg_skeleton(x), _qg_skeleton(y)
        return qx != qy and not (min(len(qx), len(qy)) >= LOOSE_SKELETON and _one_edit(qx, qy))
    return True


def one_list_siblings(records: pd.DataFrame, ids: np.ndarray,
                      pairs: pd.DataFrame) -> list[tuple[int, int]]:
    """Pairs of records (indices into ``ids``, the sorted record ids of ``records``) that
    one list names as two members of one family: among the scored ``pairs``, two records
    of one list (``source_id``) with one surname key, fathers' names not different (equal,
    or unknown on a side), and whole given names (``given_key``) that are two names
    (:func:`given_names_differ`, ``loose``) or two forms of a name, one beginning the other
    («علی» / «علی‌اکبر», «Mohammad» / «Mohammad Reza»), unless the two are one letter apart
    («محم» for «محمد»: a letter dropped) or their birth years are both given and agree.

    Why: lists drop the second part of compound given names, so elsewhere «Mohammad» may
    well be a «Mohammad Reza», and the guards let such forms be one person; but a list that
    names a «Mohammad» and a «Mohammad Reza» of one family names two persons, brothers
    listed together, as families' lists do.  A list naming one person twice (lists compiled
    from several reports do) gives him the same age twice; brothers' ages differ.  Measured
    on the second probe (``benchmarks/second_probe.py``, seeds 1-5): of the 1,309 pairs
    found, 4 were one person (in a retyped list: two letters of «محمد» dropped, a misspelt
    «محمود», a title run into «جاسم»), and of the 112 with two forms of a name none (before
    leaving out a letter dropped, 5 of 121 were); on the simulator's tuning profiles 1-20
    (3,000 persons) none of 768.  Without the birth-year exception the simulator's lists
    would be split: within one list, one surname and father, two forms of a given name were
    one person named twice 32 times in 101 there, each time with the birth year repeated.
    """
    need = ("source_id", "surname_key", "father_key", "given_key", "given1_key")
    if not len(pairs) or not set(need) <= set(records.columns):
        return []
    pl = np.searchsorted(ids, pairs["unique_id_l"].to_numpy())
    pr = np.searchsorted(ids, pairs["unique_id_r"].to_numpy())
    src, sk, fk, gk, g1 = (records[c].to_numpy(dtype=object) for c in need)
    blo = _column(records, "birth_lo", NO_LO)
    bhi = _column(records, "birth_hi", NO_HI)
    keep = (pd.notna(src[pl]) & (src[pl] == src[pr]) & pd.notna(sk[pl]) & (sk[pl] == sk[pr])
            & pd.notna(gk[pl]) & pd.notna(gk[pr]) & (gk[pl] != gk[pr])
            & ~(pd.notna(fk[pl]) & pd.notna(fk[pr]) & (fk[pl] != fk[pr]))
            & ~((blo[pl] != NO_LO) & (blo[pr] != NO_LO)
                & (np.maximum(blo[pl], blo[pr]) <= np.minimum(bhi[pl], bhi[pr]))))
    out: list[tuple[int, int]] = []
    for a, b in zip(pl[keep].tolist(), pr[keep].tolist(), strict=True):
        if not (informative_given(g1[a]) and informative_given(g1[b])):
            continue
        x, y = str(gk[a]), str(gk[b])
        if x.startswith(y) or y.startswith(x):
            if not _one_edit(x, y):
                out.append((a, b))
        elif given_names_differ(x, y, loose=True):
            out.append((a, b))
    return out


def named_as_one_brother(records: pd.DataFrame, ids: np.ndarray, pairs: pd.DataFrame,
                         brothers: list[tuple[int, int]],
                         threshold: float) -> list[tuple[int, int]]:
    """For each pair of ``brothers`` (:func:`one_list_siblings`) named by two forms of a given
    name («محمد» and «محمدرضا»), the records scored at or above ``threshold`` with both whose
    whole given name (``given_key``) is written exactly as one brother's, paired with the
    other brother (indices into ``ids``): a third «محمد میری» is Mohammad, not Mohammad Reza
    with the second part dropped, once a list shows that the family has both.

    A name cut short is a likely reading of «محمد» only when no brother bears it: the pair
    scores weigh «محمد» / «محمدرضا» almost as «محمد» / «محمد», and the strongest edge then
    often joins the third record to the wrong brother (second probe, seed 1: an English
    «Mohammad Miri» joined to «محمدرضا میری»).  On the second probe (seeds 1-5, the scored
    pairs re-clustered) mean pairwise F1 0.9057 -> 0.9084, record pairs of siblings with one
    given name beginning the other put in one person 52 -> 14; the simulator's tuning
    profiles 1-20 (3,000 persons) unchanged (0.9519).
    """
    if not brothers:
        return []
    gk = records["given_key"].to_numpy(dtype=object)
    pl = np.searchsorted(ids, pairs["unique_id_l"].to_numpy())
    pr = np.searchsorted(ids, pairs["unique_id_r"].to_numpy())
    named = np.unique(np.asarray(brothers, dtype=np.int64))
    # only pairs with a brother on a side: the third records are among their partners
    high = (pairs["match_probability"].to_numpy(dtype=float) >= threshold) & (
        np.isin(pl, named) | np.isin(pr, named))
    pl, pr = pl[high], pr[high]
    near: dict[int, set[int]] = {}
    for x, y in zip(pl.tolist(), pr.tolist(), strict=True):
        near.setdefault(x, set()).add(y)
        near.setdefault(y, set()).add(x)
    out: list[tuple[int, int]] = []
    for a, b in brothers:
        x, y = str(gk[a]), str(gk[b])
        if not (x.startswith(y) or y.startswith(x)):
            continue
        for c in sorted(near.get(a, set()) & near.get(b, set())):
            if gk[c] == x:
                out.append((c, b))
            elif gk[c] == y:
                out.append((c, a))
    return out


LOOSE_SKELETON = 4
"""Least number of consonants (after folding گ into ق/غ and printed «rn» into «m») of both
given names for :func:`given_names_differ` (``loose``) to count names whose consonants are
one edit apart as one name: «Morteza» / «Murtsa» (another romanisation), «Nohamad» /
«Mohamad» (a typo).  Shorter names one edit apart are often different names (Ahmad /
Mohammad, Hamid / Mahdi).  With it, and adjacent letters swapped, the folding and titles
(«Seyed» written where the given name goes) not counted as given names: the sibling guard
refused fewer true pairs, mean pairwise F1 0.9407 -> 0.9413 on tuning profiles 2-20 (13
profiles, 1,500 persons, same scored pairs re-clustered), persons +5.81% -> +5.72%."""


def _swapped(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` differ only by two neighbouring letters swapped."""
    if len(x) != len(y):
        return False
    d = [i for i in range(len(x)) if x[i] != y[i]]
    return len(d) == 2 and d[1] == d[0] + 1 and x[d[0]] == y[d[1]] and x[d[1]] == y[d[0]]


def fathers_differ(a: str, b: str) -> bool:
    """Whether two fathers' name keys (cross-script) are two names: both given names of the
    names dictionary (:func:`known_given_names`), neither begins the other («Ali» /
    «Aliakbar»: lists drop the second part of compound names), not the same consonants
    («Mohammad» / «Mahmoud» may be one name misread) and not one edit apart («Hassan» /
    «Hossein» may be a retyping error).  A person has one father: two records whose fathers
    are «Iraj» and «Mansour» are two persons, however alike their names, and however many
    records without a father's name lie between them in a group."""
    if a == b or a.startswith(b) or b.startswith(a):
        return False
    known = known_father_names()
    if a not in known or b not in known:
        return False
    return _skeleton(a) != _skeleton(b) and not _one_edit(a, b) and not _swapped(a, b)


def surnames_differ(a: str, b: str) -> bool:
    """Whether two surname keys name different families: not equal, neither begins the
    other («Hosseini» / «Hosseini-Nasab»), not the same consonants and not one edit apart,
    either as keys or as consonants («Hashemi» / «Hashimi», a letter dropped)."""
    if a == b or a.startswith(b) or b.startswith(a):
        return False
    sa, sb = _skeleton(a), _skeleton(b)
    return sa != sb and not _one_edit(a, b) and not _one_edit(sa, sb)


def _one_edit(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` are at most one insertion, deletion or substitution apart."""
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) > len(y):
        x, y = y, x
    i = 0
    while i < len(x) and x[i] == y[i]:
        i += 1
    return x[i + (len(x) == len(y)):] == y[i + 1:]


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _qg_skeleton(key: str) -> str:
    """Consonants of a name key with گ folded into ق/غ (:func:`~dadkhah.names.keys.qg_key`)
    and «rn» read as «m» (printed Latin), doubled letters once."""
    return _skeleton(qg_key(key).replace("rn", "m"))


@lru_cache(maxsize=65536)
def _skeleton(key: str) -> str:
    """Consonants of a name key, doubled letters once (as ``features.given_skel``)."""
    return _DOUBLED.sub(r"\1", loose_key(key))


def _column(records: pd.DataFrame, name: str, default: int) -> np.ndarray:
    if name not in records:
        return np.full(len(records), default, dtype=np.int64)
    return records[name].fillna(default).astype(np.int64).to_numpy()


def cluster_records(
    records: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    threshold: float = 0.9,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    tolerance_days: int = DEATH_TOLERANCE_DAYS,
    tolerance_years: int = BIRTH_TOLERANCE_YEARS,
    keep_refusals: int = 10_000,
    linkage: str = "average",
    sibling_guard: bool = True,
    surname_guard: bool = True,
    given_guard: bool = True,
    list_guard: bool = True,
    father_guard: bool = True,
    date_slips: bool = True,
    unscored_log_odds: float = UNSCORED_LOG_ODDS,
    attach_given_only: bool = True,
    attach_min_probability: float = ATTACH_MIN_PROBABILITY,
    evidence: pd.DataFrame | None = None,
    once_lists: Collection[int] = (),
) -> ClusterResult:
    """Cluster ``records`` using scored ``edges`` and human decisions.

    Parameters
    ----------
    records
        One row per record: ``unique_id`` and optionally ``sex`` ("m"/"f"/None),
        ``death_lo``/``death_hi`` (days since 1970-01-01, the death-date interval) and
        ``birth_lo``/``birth_hi`` (years); with ``surname_key``, ``father_key`` and
        ``given1_key`` the sibling guard applies.
    edges
        ``unique_id_l``, ``unique_id_r``, ``match_probability`` (splink's predictions).
    threshold
        Edges with probability at or above it are merge candidates.
    linkage
        ``"average"``: two groups merge only when the mean log-odds of a match over all
        pairs across them reaches the log-odds of ``threshold`` (pairs absent from
        ``edges`` count as ``unscored_log_odds``, so pass every scored pair, not only those
        above the threshold).  ``"single"``: any one edge merges them (connected
        components, with the consistency checks only).  On the simulator's ``large``
        scenario average linkage (then the mean probability, unscored pairs 0) raised
        pairwise precision from 0.95 to 0.98 at equal recall
        (``benchmarks/linkage_bench.py``).  ``"fields"``: as ``"average"``, but the scored
        cross pairs count at the log-odds their comparisons give field by field, each
        field's weight averaged over the pairs that compared it (see
        :data:`FIELD_WEIGHT_PREFIX`; ``evidence`` must hold those columns).
    evidence
        The scored pairs whose evidence the group score of ``"average"``/``"fields"`` uses
        (default ``edges``): pass every scored pair here and, as ``edges``, only those that
        may link records automatically.  A pair left out of ``edges`` because its names
        disagree is still better evidence than an unscored pair.
    sibling_guard
        Refuse merges that would put records with one surname and father's name but
        different given-name keys in one person (must-links excepted: a reviewer may know a
        person was listed under another given name).
    surname_guard
        With ``surname_key`` in ``records``: refuse merges of two groups that both hold
        records with a surname when every surname of one differs from every surname of the
        other (:func:`surnames_differ`; must-links excepted), when the edge proposing it
        has a record without a surname on one side (between two records with surnames
        the name comparison has judged them already).  Records naming only a given name
        otherwise chain namesakes: «حسین, Tehran» close to both «Hossein Kateb-Nejad» and
        «Hossein Shayanpour» made them one person (tuning profile 9, after the «حاج» fix
        of session 10 moved EM a little: precision 0.940 -> 0.923).  On tuning profiles
        3, 6, 9, 10, 14 (3,000 persons) the guard refused 475 merges, 64 of them true
        pairs; mean pairwise F1 0.9228 -> 0.9237, worst 0.9074 -> 0.9085.  Applied to
        every merge it refused 102 true pairs on profiles 3, 6, 9 alone, and lost F1.
    given_guard
        With ``surname_key`` and ``given1_key``: refuse merges of two groups that share a
        surname key only under first given names that all differ
        (:func:`given_names_differ`, ``loose``) and are both names the names dictionary
        knows (:func:`known_given_names`: an unknown one is mostly a misreading), whatever
        their fathers' names (must-links excepted).  The sibling guard needs the father's
        name on both sides; lists often give none, and brothers shot together share the
        surname, the day, the prison and the town, so the model scores them high: among the
        scored pairs at or above 0.4 of tuning profiles 2-20 (13 profiles, 1,500 persons)
        with one surname and given names that differ so, 15 of 401 were one person where the
        fathers' names agreed, 101 of 362 where a father was unknown (those mostly one name
        written differently, which the loose comparison now recognises: see
        :data:`LOOSE_SKELETON`).  Re-clustering the same scored pairs at the threshold 0.4:
        mean pairwise F1 0.9407 -> 0.9422, worst 0.9222 -> 0.9255, precision 0.965 -> 0.970,
        recall 0.918 -> 0.916, persons against the truly named +5.8% -> +6.3% (worst +9.7%
        -> +10.2%: brothers now apart). Linked anew, tuning profiles 1-20 at 1,500 persons
        (``benchmarks/linkage_bench.py --split tuning --profiles 20 --persons 1500
        --no-households``): mean pairwise F1 0.9506 -> 0.9516 (P 0.9700 -> 0.9744, R 0.9322
        -> 0.9300), worst 0.9200 -> 0.9234, clusters mixing persons 410 -> 368, persons
        +4.7% -> +5.1% (worst +9.7% -> +10.2%); the densest namesakes
        (``benchmarks/scale_bench.py``, 75,000 persons, exponents 1.8/1.6) unchanged, F1
        0.9029.
    list_guard
        With ``source_id``, ``surname_key``, ``father_key``, ``given_key`` and
        ``given1_key``: two records that one list names as two members of a family
        (:func:`one_list_siblings`: one surname, fathers not different, two given names or
        two forms of one, «محمد» / «محمدرضا») never end in one person (must-links
        excepted); a third record scored high with both and written exactly as one of them
        never joins the other (:func:`named_as_one_brother`), any other joins whichever it
        fits or stays alone.  On
        the second probe, seeds 1-5 (the same scored pairs re-clustered), mean pairwise F1
        0.9023 -> 0.9057 (worst 0.8939 -> 0.8993), precision 0.958 -> 0.967, recall 0.853
        -> 0.852, record pairs of siblings put in one person 208 -> 92; on the simulator's
        tuning profiles 1-20 (3,000 persons) 0.9518 -> 0.9519, worst 0.9122 unchanged.
    once_lists
        With ``source_id``: the lists that name each person once
        (:func:`lists_naming_once`); two groups that both hold a record of one of them are
        not merged (must-links excepted: the groups they make may hold two).
    attach_given_only
        With ``given_key`` and ``city_id`` (and optionally ``prison_city`` and
        ``source_id``) in ``records``: after clustering, a record with a given name but no
        surname, still alone, joins the person it most probably names, judged by how many
        of the register's persons share its given name, town and age
        (:func:`_attach_given_only`), when that posterior reaches
        :data:`ATTACH_MIN_POSTERIOR` and a scored pair between them reaches
        ``attach_min_probability``; a person takes at most one record of each list.
    """
    if linkage not in ("average", "fields", "single"):
        raise ValueError(f"linkage must be 'average', 'fields' or 'single', not {linkage!r}")
    scored = edges if evidence is None else evidence
    must_link = [(int(a), int(b)) for a, b in must_link]  # read twice below
    ids = records["unique_id"].astype(np.int64).to_numpy()
    order = np.argsort(ids)
    ids = ids[order]
    recs = records.iloc[order]
    if len(np.unique(ids)) != len(ids):
        raise ValueError("records hold duplicate unique_id values")
    sex = recs["sex"].map({"m": 1, "f": 2}).fillna(0).astype(np.int64).to_numpy() \
        if "sex" in recs else np.zeros(len(ids), dtype=np.int64)
    comp = _Components(len(ids), sex, _column(recs, "death_lo", NO_LO),
                       _column(recs, "death_hi", NO_HI), _column(recs, "birth_lo", NO_LO),
                       _column(recs, "birth_hi", NO_HI))

    if sibling_guard and {"surname_key", "father_key", "given1_key"} <= set(recs.columns):
        fam = recs[["surname_key", "father_key", "given1_key"]]
        known = (fam.notna().all(axis=1) & fam["given1_key"].map(informative_given)).to_numpy()
        for i, s, f, g in zip(np.flatnonzero(known).tolist(), *(fam[c].to_numpy()[known]
                              for c in ("surname_key", "father_key", "given1_key")),
                              strict=True):
            comp.family[i] = {(s, f): {g}}
    if given_guard and {"surname_key", "given1_key"} <= set(recs.columns):
        sg = recs[["surname_key", "given1_key"]]
        known = (sg.notna().all(axis=1) & sg["given1_key"].map(informative_given)
                 & sg["surname_key"].map(informative_given)).to_numpy()
        for i, s, g in zip(np.flatnonzero(known).tolist(),
                           *(sg[c].to_numpy()[known] for c in ("surname_key", "given1_key")),
                           strict=True):
            comp.named[i] = {s: {g}}

    if father_guard and "father_key" in recs.columns:
        known_names = known_father_names()
        for i, f in enumerate(recs["father_key"].tolist()):
            if isinstance(f, str) and f in known_names:
                comp.fathers[i] = {f}

    if once_lists and "source_id" in recs.columns:
        once = set(once_lists)
        for i, sid in enumerate(recs["source_id"].tolist()):
            if sid in once:
                comp.lists[i] = {sid}

    has_surname = [False] * len(ids)
    if surname_guard and "surname_key" in recs.columns:
        given = recs["given_key"].tolist() if "given_key" in recs.columns else [None] * len(ids)
        for i, (k, g) in enumerate(zip(recs["surname_key"].tolist(), given, strict=True)):
            if isinstance(k, str) and len(k.lstrip("_")) >= 2:
                comp.surnames[i] = {(k, g if isinstance(g, str) else "")}
                has_surname[i] = True

    def index(a: int) -> int:
        i = int(np.searchsorted(ids, a))
        if i >= len(ids) or ids[i] != a:
            raise ValueError(f"decision names record {a}, which is not among the records")
        return i

    cannot = [(int(a), int(b)) for a, b in cannot_link]
    for a, b in cannot:
        ia, ib = index(a), index(b)
        comp.forbid.setdefault(ia, set()).add(ib)
        comp.forbid.setdefault(ib, set()).add(ia)

    conflicts: list[Conflict] = []
    for a, b in must_link:
        ra, rb = comp.find(index(a)), comp.find(index(b))
        if ra == rb:
            continue
        if comp.forbidden(ra, rb):
            culprit = next((c for c in cannot
                            if {comp.find(index(c[0])), comp.find(index(c[1]))} == {ra, rb}),
                           cannot[0])
            conflicts.append(Conflict((int(a), int(b)), culprit))
            continue
        comp.union(ra, rb)

    prob: dict[tuple[int, int], float] = {}  # pair of indices -> log-odds of a match
    fields: _FieldEvidence | None = None
    fixed: dict[tuple[int, int], float] = {}  # decided pairs (fields linkage)
    if linkage == "fields":
        fields = _field_evidence(ids, scored)
        prob = fixed
    if linkage in ("average", "fields"):
        if linkage == "average":
            pl = np.searchsorted(ids, scored["unique_id_l"].to_numpy())
            pr = np.searchsorted(ids, scored["unique_id_r"].to_numpy())
            lo, hi = np.minimum(pl, pr).tolist(), np.maximum(pl, pr).tolist()
            pe = np.clip(scored["match_probability"].to_numpy(dtype=float), _CLAMP,
                         1 - _CLAMP)
            prob.update(zip(zip(lo, hi, strict=True), np.log(pe / (1 - pe)).tolist(),
                            strict=True))
        for a, b in must_link:  # a human said so: certain
            ia, ib = sorted((index(a), index(b)))
            prob[(ia, ib)] = log_odds(1.0)
        if must_link:
            # A reviewer who says two records are one person says the two persons the
            # scores make of them are one: every pair across those persons counts as
            # certain.  (Only the pair itself did before, and average linkage then kept
            # each person's other records apart: 35 match answers removed 5 persons in a
            # simulated review.)
            alone = cluster_records(records, edges, threshold=threshold,
                                    cannot_link=cannot, tolerance_days=tolerance_days,
                                    tolerance_years=tolerance_years, keep_refusals=0,
                                    linkage=linkage, sibling_guard=sibling_guard,
                                    surname_guard=surname_guard,
                                    given_guard=given_guard, list_guard=list_guard,
                                    father_guard=father_guard, date_slips=date_slips,
                                    unscored_log_odds=unscored_log_odds,
                                    attach_given_only=attach_given_only,
                                    attach_min_probability=attach_min_probability,
                                    evidence=evidence, once_lists=once_lists).assignment
            person = alone.groupby(alone).groups
            for a, b in must_link:
                both = sorted({*person[alone[a]], *person[alone[b]]})
                idx = [index(int(x)) for x in both]
                for i, x in enumerate(idx):
                    for y in idx[i + 1:]:
                        prob[(x, y) if x < y else (y, x)] = log_odds(1.0)

    if list_guard and {"source_id", "surname_key", "father_key", "given_key", "given1_key"} \
            <= set(recs.columns):
        # after the must-links: a reviewer may know better than the list
        found = one_list_siblings(recs, ids, scored)
        for a, b in found + named_as_one_brother(recs, ids, scored, found, threshold):
            comp.apart.setdefault(a, set()).add(b)
            comp.apart.setdefault(b, set()).add(a)

    refusals: list[Refusal] = []
    e = edges.loc[edges["match_probability"] >= threshold,
                  ["unique_id_l", "unique_id_r", "match_probability"]]
    # Strongest first; ties (and probabilities equal but for float noise, which differs
    # between runs of the parallel database engine) in record-id order, so that the same
    # scores always give the same register.
    e = e.assign(_p=e["match_probability"].astype(float).round(12)).sort_values(
        ["_p", "unique_id_l", "unique_id_r"], ascending=[False, True, True], kind="stable")
    li = np.searchsorted(ids, e["unique_id_l"].to_numpy())
    ri = np.searchsorted(ids, e["unique_id_r"].to_numpy())
    probs = e["match_probability"].to_numpy()
    tol_d, tol_y = tolerance_days, tolerance_years
    cut = log_odds(threshold)
    slips = DateSlips.of(recs) if date_slips else None
    for a, b, p in zip(li.tolist(), ri.tolist(), probs.tolist(), strict=True):
        ra, rb = comp.find(a), comp.find(b)
        if ra == rb:
            continue
        reason = "cannot_link" if comp.forbidden(ra, rb) else \
            comp.inconsistency(ra, rb, tol_d, tol_y)
        settled = None
        if slips is not None and reason in ("death_date", "birth_year"):
            settled = slips.settle(comp.members.get(ra, [ra]), comp.members.get(rb, [rb]), a,
                                   b, *comp.dates_apart(ra, rb, tol_d, tol_y), tol_d, tol_y)
            if settled is not None:
                reason = None
        if not reason and comp.apart and comp.separated(ra, rb):
            reason = "one_list"
        if not reason and comp.lists and comp.one_list_twice(ra, rb):
            reason = "list_once"
        if not reason and comp.family and comp.siblings(ra, rb):
            reason = "siblings"
        if not reason and comp.named and comp.given_names_differ(ra, rb):
            reason = "given_names"
        if not reason and comp.fathers and comp.fathers_differ(ra, rb):
            reason = "fathers"
        if not reason and comp.surnames and not (has_surname[a] and has_surname[b]) and \
                comp.surnames_differ(ra, rb):
            # an edge from a record without a surname would join two families
            reason = "surnames"
        if not reason and (fields is not None or prob):
            group = comp.fields_log_odds(ra, rb, fields, fixed, unscored_log_odds) \
                if fields is not None else comp.mean_log_odds(ra, rb, prob, unscored_log_odds)
            if group < cut:
                reason = "average"
        if reason:
            if len(refusals) < keep_refusals:
                refusals.append(Refusal(int(ids[a]), int(ids[b]), float(p), reason))
            continue
        comp.union(ra, rb)
        if settled is not None:  # the group's dates are those its agreeing records give
            root = comp.find(ra)
            if settled[0] is not None:
                comp.dlo[root], comp.dhi[root] = settled[0]
            if settled[1] is not None:
                comp.blo[root], comp.bhi[root] = settled[1]

    attached: list[tuple[int, int]] = []
    if attach_given_only and {"given_key", "surname_key", "city_id"} <= set(recs.columns):
        attached = [(int(ids[i]), int(ids[j])) for part in ("given_key", "surname_key")
                    for i, j in _attach_given_only(comp, recs, edges, ids,
                                                   attach_min_probability, tol_d, tol_y, part)]

    roots = np.fromiter((comp.find(i) for i in range(len(ids))), dtype=np.int64,
                        count=len(ids))
    # Cluster id = smallest record id in the cluster: stable and readable.
    smallest = pd.Series(ids).groupby(roots).transform("min").to_numpy()
    return ClusterResult(pd.Series(smallest, index=ids, name="cluster"), tuple(conflicts),
                         tuple(refusals), tuple(attached))



@dataclass(frozen=True)
class UnresolvedMentions:
    """Records naming only a given name (a memoir's «Hassan, 21, of Karaj») that clustering
    left alone, and how many persons they are expected to add to the register's others.

    ``expected_new`` is the sum over those records of the probability that the record's
    person is not among the register's other persons; ``share_in_register`` the share of
    given-name-only records estimated to name someone the other records name
    (:func:`unresolved_mentions`)."""

    ids: tuple[int, ...] = ()
    expected_new: float = 0.0
    share_in_register: float = 0.0

    @property
    def count(self) -> int:
        return len(self.ids)


MENTION_EM_ITERATIONS = 200


def unresolved_mentions(features: pd.DataFrame, assignment: pd.Series,
                        pairs: pd.DataFrame, prior: float) -> UnresolvedMentions:
    """The given-name-only records left alone by clustering (``assignment``: record id →
    cluster), with the number of persons they are expected to be beyond the others.

    Each such record is one of the register's other persons or someone no other record
    names.  Which of the many «Hassan»s of Karaj of that age it is, no rule can say, so it
    stays a person of its own in the register: counted as one person each, a memoir of 400
    given names adds hundreds of persons that other lists already name (on tuning profile 6,
    3,000 persons, 280 such records were 77 persons no other record named).

    The model: a record names one of the N other persons with probability π (each equally
    likely before its fields are compared), else someone new.  Its scored pairs give each
    person j a Bayes factor B_j (the pair's match weight without the prior: what the fields
    say), so P(in the register) = π/N Σ_j B_j / (π/N Σ_j B_j + 1 − π), and π is estimated
    by EM over all given-name-only records (those clustering joined count as in the
    register).  Persons never scored against the record count B = 0.  ``prior`` is the
    prior probability of a match the pairs were scored with (for pairs without splink's
    match weights)."""
    ids = features["unique_id"].astype(np.int64).to_numpy()
    given_only = (features["surname_key"].isna() & features["given_key"].notna()).to_numpy()
    asg = assignment.reindex(ids).to_numpy()
    size = pd.Series(asg).map(pd.Series(asg).value_counts()).to_numpy()
    alone = given_only & (size == 1)
    lone = ids[alone]
    if not len(lone):
        return UnresolvedMentions()
    others = int(pd.Series(asg[~alone]).nunique())
    lone_set = pd.Index(lone)
    left = pairs["unique_id_l"].isin(lone_set).to_numpy()
    right = pairs["unique_id_r"].isin(lone_set).to_numpy()
    one = left ^ right
    mention = np.where(left, pairs["unique_id_l"], pairs["unique_id_r"])[one]
    other = np.where(left, pairs["unique_id_r"], pairs["unique_id_l"])[one]
    if "match_weight" in pairs.columns:
        mw = [c for c in pairs.columns if c.startswith("mw_")]
        bits = pairs[mw].sum(axis=1).to_numpy(dtype=float)[one]
        factor = np.exp2(np.minimum(bits, 60.0))
    else:
        p = np.clip(pairs["match_probability"].to_numpy(dtype=float)[one], _CLAMP, 1 - _CLAMP)
        factor = (p / (1 - p)) / _odds(min(max(prior, _CLAMP), 1 - _CLAMP))
    best = pd.DataFrame({"m": mention, "c": assignment.reindex(other).to_numpy(),
                         "b": factor}).groupby(["m", "c"])["b"].max()
    total = best.groupby(level=0).sum().reindex(lone).fillna(0.0).to_numpy()
    joined = int((given_only & (size > 1)).sum())
    pi = 0.5
    p_in = np.zeros(len(lone))
    if others:
        for _ in range(MENTION_EM_ITERATIONS):
            a = pi / others * total
            p_in = a / (a + 1 - pi)
            new_pi = min(max((float(p_in.sum()) + joined) / (len(lone) + joined), 1e-6),
                         1 - 1e-6)
            if abs(new_pi - pi) < 1e-9:
                break
            pi = new_pi
    return UnresolvedMentions(tuple(int(x) for x in lone), float((1 - p_in).sum()),
                              pi if others else 0.0)
