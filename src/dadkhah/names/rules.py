"""Loader for the romanisation variant table (``data/romanization.csv``).

The table drives the keys and the transliteration; code here only reads it and
applies grapheme rules (longest match first, positional rules before general ones).

Public (for other packages that need the same tables, e.g. :mod:`dadkhah.simulate`):
:func:`load_rules` (the parsed table, cached), :class:`Rules`, :class:`GraphemeTable` and
:func:`read_data_csv` (any CSV file in ``dadkhah/names/data``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from dadkhah.names.normalize import ZWNJ, has_persian, normalize_latin, normalize_persian

__all__ = ["GraphemeTable", "Rules", "load_rules", "read_data_csv"]


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV file in ``dadkhah/names/data``; lines starting with ``#`` are comments."""
    text = resources.files("dadkhah.names").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        for row in csv.DictReader(lines)
    ]


@dataclass(frozen=True)
class GraphemeTable:
    """Grapheme → output rules by position; :meth:`apply` maps one token."""

    initial: dict[str, str] = field(default_factory=dict)
    final: dict[str, str] = field(default_factory=dict)
    anywhere: dict[str, str] = field(default_factory=dict)
    max_len: int = 1

    def apply(self, token: str) -> list[str]:
        """Outputs of the rules, one per grapheme matched (unmatched characters dropped).

        A *final* rule needs a letter before it: a token of one letter (an initial, «H.»,
        «ح.») takes the letter's rule for anywhere (``h``, not the silent final he ``E``).
        """
        return [out for _, out in self.pieces(token)]

    def pieces(self, token: str) -> list[tuple[str, str]]:
        """(grapheme, output) of each grapheme matched, as :meth:`apply`."""
        out: list[tuple[str, str]] = []
        i, n = 0, len(token)
        while i < n:
            best = None  # (length, positional, output)
            for ln in range(min(self.max_len, n - i), 0, -1):
                piece = token[i : i + ln]
                if i == 0 and piece in self.initial:
                    cand = (ln, 1, self.initial[piece])
                elif i + ln == n and n > 1 and piece in self.final:
                    cand = (ln, 1, self.final[piece])
                elif piece in self.anywhere:
                    cand = (ln, 0, self.anywhere[piece])
                else:
                    continue
                if best is None or cand[:2] > best[:2]:
                    best = cand
                if best[0] == ln:  # longest possible at this length already found
                    # a positional rule of the same length still wins; checked above
                    break
            if best is None:
                i += 1
                continue
            out.append((token[i:i + best[0]], best[2]))
            i += best[0]
        return out


@dataclass(frozen=True)
class Rules:
    """The parsed romanisation table."""

    latin_token: dict[str, str]
    latin_prefix: tuple[tuple[str, str], ...]
    latin_suffix: tuple[tuple[str, str], ...]
    latin_key: GraphemeTable
    persian_key: GraphemeTable
    persian_latin: GraphemeTable
    bound_suffix: dict[str, str]  # normalised form (either script) -> canonical Latin
    bound_suffix_persian: dict[str, str]  # canonical Latin -> Persian spelling
    titles: dict[str, str]
    connectors: dict[str, str]
    abbreviations: dict[str, str]
    latin_marker: dict[str, str]
    persian_marker: dict[str, str]


def _table(rows: list[dict[str, str]], norm: Callable[[str], str] | None) -> GraphemeTable:
    initial: dict[str, str] = {}
    final: dict[str, str] = {}
    anywhere: dict[str, str] = {}
    for r in rows:
        src = norm(r["from"]) if norm else r["from"]
        target = {"initial": initial, "final": final}.get(r["where"], anywhere)
        target.setdefault(src, r["to"])
    max_len = max((len(k) for d in (initial, final, anywhere) for k in d), default=1)
    return GraphemeTable(initial, final, anywhere, max_len)


def _norm_any(text: str) -> str:
    if has_persian(text):
        return normalize_persian(text).replace(ZWNJ, "")
    return normalize_latin(text)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Read ``romanization.csv`` once (cached)."""
    rows = read_data_csv("romanization.csv")
    by: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by.setdefault(r["table"], []).append(r)

    def pairs(name: str) -> list[tuple[str, str]]:
        return [(normalize_latin(r["from"]), normalize_latin(r["to"])) for r in by.get(name, [])]

    bound = {}
    bound_fa: dict[str, str] = {}
    for r in by.get("bound_suffix", []):
        src = _norm_any(r["from"])
        bound[src] = r["to"]
        if has_persian(src):  # a Persian spelling
            bound_fa.setdefault(r["to"], src)
    return Rules(
        latin_token=dict(pairs("latin_token")),
        latin_prefix=tuple(sorted(pairs("latin_prefix"), key=lambda p: -len(p[0]))),
        latin_suffix=tuple(sorted(pairs("latin_suffix"), key=lambda p: -len(p[0]))),
        latin_key=_table(by.get("latin_key", []), None),
        persian_key=_table(by.get("persian_key", []), None),
        persian_latin=_table(by.get("persian_latin", []), None),
        bound_suffix=bound,
        bound_suffix_persian=bound_fa,
        titles={_norm_any(r["from"]): r["to"] for r in by.get("title", [])},
        connectors={_norm_any(r["from"]): r["to"] for r in by.get("connector", [])},
        abbreviations={_norm_any(r["from"]): r["to"] for r in by.get("abbreviation", [])},
        latin_marker={r["from"]: r["to"] for r in by.get("latin_marker", [])},
        persian_marker={r["from"]: r["to"] for r in by.get("persian_marker", [])},
    )
