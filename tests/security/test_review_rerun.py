"""``benchmarks/security_review.py`` re-runs every attack of the security review of d4de26f:
its table must hold the review's 107 attacks, with the review's outcome and severity for each
of the 42 that broke there (7 high, 21 medium, 14 low).  The re-run itself takes ~18 minutes
and is a benchmark, not a test; each finding has its own regression test (grep its id)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.conftest import load_script

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "security_review.py"

# The review's table, by group: ids tried, and those that broke with their severity.
BROKE = {
    "W15": "medium", "W16": "low", "W18": "low", "W22": "high", "W23": "low", "W24": "low",
    "W26": "low", "W27": "low", "W28": "medium", "W32": "low", "W35": "medium", "W36": "medium",
    "W38": "low", "X1": "medium", "X2": "high", "C7": "high", "C8": "low", "C9": "medium",
    "C10": "low", "I4": "medium", "I17": "low", "I21": "low", "I22": "medium", "I24": "low",
    "I26": "medium", "K2": "medium", "K4": "medium", "K5": "medium", "T2": "high",
    "T4": "medium", "T6": "medium", "T9": "medium", "T10": "medium", "T13": "high",
    "T14": "high", "T15": "high", "T16": "medium", "T17": "medium", "T18": "medium",
    "T19": "medium", "T20": "medium", "T24": "low"}
TRIED = {"W": 39, "X": 2, "C": 10, "I": 26, "K": 6, "T": 24}


def _load():  # type: ignore[no-untyped-def]
    return load_script(SCRIPT)


def test_the_rerun_holds_every_attack_of_the_review() -> None:
    mod = _load()
    ids = [a.id for a in mod.ATTACKS]
    assert len(ids) == len(set(ids)) == 107
    by_group = Counter(i.rstrip("0123456789") for i in ids)
    assert dict(by_group) == TRIED
    for g, n in TRIED.items():
        assert {f"{g}{k}" for k in range(1, n + 1)} <= set(ids), g
    broke = {a.id: a.severity for a in mod.ATTACKS if a.review == "BROKE"}
    assert broke == BROKE
    assert Counter(broke.values()) == {"high": 7, "medium": 21, "low": 14}


def test_totals_count_by_severity() -> None:
    mod = _load()
    R = mod.Result
    rs = [R("T2", "integrity", "high", "BROKE", "BROKE", "x"),
          R("T1", "integrity", "high", "HELD", "HELD", "x"),
          R("K5", "concurrency", "medium", "BROKE", "NOT RUN", "no PostgreSQL")]
    table = mod.totals(rs)
    assert "| total | 3 | 1 | 1 | 1 | 0 | 0 | 1 |" in table
    assert "of them still broken: 1" in table
