"""Shared helpers of the register's tests (SYNTHETIC data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dadkhah.ingest import import_file
from dadkhah.store import Case


def case_from_csv(location: str | Path, csv: str, folder: Path) -> Case:
    """A new case at ``location`` holding ``csv`` (written into ``folder``) imported as the
    one SYNTHETIC source ``synthetic-1``."""
    case = Case.create(location)
    case.add_source(slug="synthetic-1", title="SYNTHETIC test list", kind="other",
                    synthetic=True)
    f = folder / "list.csv"
    f.write_text(csv, encoding="utf-8")
    import_file(case, f, source="synthetic-1")
    return case


@dataclass(frozen=True)
class PairedPersons:
    """``k`` pairs of persons of two records each, as the register kept them apart: person
    j holds records 4j+1, 4j+2 and person j' records 4j+3, 4j+4 (their pairs not stored:
    scored above the band), and one stored cross pair (4j+2, 4j+3) at ``p``; the other three
    cross pairs never scored.  Average linkage refuses every such merge."""

    k: int
    ids: list[int]
    assignment: pd.Series
    pairs: pd.DataFrame

    def merged(self, draws: list[pd.Series]) -> float:
        """Share of the k merges made, averaged over ``draws``."""
        return float(np.mean([np.mean([d[4 * j + 2] == d[4 * j + 3] for j in range(self.k)])
                              for d in draws]))

    def held(self, draws: list[pd.Series]) -> float:
        """Share of the first persons kept whole (records 4j+1, 4j+2), over ``draws``."""
        return float(np.mean([np.mean([d[4 * j + 1] == d[4 * j + 2] for j in range(self.k)])
                              for d in draws]))


def paired_persons(k: int = 100, p: float = 0.9) -> PairedPersons:
    """:class:`PairedPersons` of ``k`` pairs, the cross pair scored ``p``."""
    ids: list[int] = []
    assign: dict[int, int] = {}
    rows = []
    for j in range(k):
        a, b, c, d = (4 * j + x for x in (1, 2, 3, 4))
        ids += [a, b, c, d]
        assign.update({a: a, b: a, c: c, d: c})
        rows.append((b, c, p))
    pairs = pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])
    return PairedPersons(k=k, ids=ids, assignment=pd.Series(assign), pairs=pairs)
