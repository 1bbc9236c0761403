"""Person ids that survive relinking.

A person keeps their id across relinks when their membership mostly persists: the new
cluster holding more than half of the old person's records inherits the id, however many new
records it gained (at most one heir per old id; a cluster holding the majorities of several
old persons keeps the id of the one it shares most records with, and the others are recorded
as merged into it).
Every old id that finds no heir is recorded as *merged into* the person that now holds most
of its records, or *split* when its records are spread over several persons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IdChange:
    """A person id that found no heir in a relink: ``kind`` ``merged`` (its records now sit
    in one person) or ``split`` (over several); ``into``: those persons' ids, largest share
    first."""

    old_id: int
    kind: str  # "merged" | "split"
    into: tuple[int, ...]  # new person ids now holding its records (largest share first)


@dataclass(frozen=True)
class IdAssignment:
    """cluster key → person id, with what happened to the previous ids."""

    person_of: dict[int, int]
    kept: int
    new: tuple[int, ...]
    changes: tuple[IdChange, ...] = field(default=())

    def summary(self) -> str:
        merged = sum(c.kind == "merged" for c in self.changes)
        split = sum(c.kind == "split" for c in self.changes)
        return (f"{self.kept:,} persons kept their id, {len(self.new):,} new persons, "
                f"{merged:,} merged into another, {split:,} split")


def assign_person_ids(previous: Mapping[int, Sequence[int]],
                      clusters: Mapping[int, Sequence[int]],
                      next_id: int) -> IdAssignment:
    """Give each cluster a person id, reusing ``previous`` ids (person id → record ids).

    ``clusters``: cluster key → record ids; ``next_id``: the first id a new person may take
    (one above every id ever used, so a retired id is never given again)."""
    person_of_record = {r: pid for pid, recs in previous.items() for r in recs}
    size_old = {pid: len(recs) for pid, recs in previous.items()}
    candidates: list[tuple[int, int, int]] = []  # (-overlap, cluster, old id)
    for key, recs in clusters.items():
        counts = Counter(person_of_record[r] for r in recs if r in person_of_record)
        for pid, n in counts.items():
            if 2 * n > size_old[pid]:
                candidates.append((-n, key, pid))
    candidates.sort()
    person_of: dict[int, int] = {}
    used: set[int] = set()
    for _, key, pid in candidates:
        if key not in person_of and pid not in used:
            person_of[key] = pid
            used.add(pid)
    kept = len(person_of)
    new: list[int] = []
    for key in sorted(clusters):
        if key not in person_of:
            person_of[key] = next_id
            new.append(next_id)
            next_id += 1
    cluster_of_record = {r: key for key, recs in clusters.items() for r in recs}
    changes: list[IdChange] = []
    for pid in sorted(set(previous) - used):
        shares = Counter(person_of[cluster_of_record[r]] for r in previous[pid]
                         if r in cluster_of_record)
        into = tuple(p for p, _ in shares.most_common())
        if into:
            changes.append(IdChange(pid, "merged" if len(into) == 1 else "split", into))
    return IdAssignment(person_of, kept, tuple(new), tuple(changes))
