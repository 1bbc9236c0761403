"""SYNTHETIC misreadings: records made to look as Tesseract misreads Persian names."""

from __future__ import annotations

import numpy as np
import pandas as pd

OCR_CONFUSABLE = {"ص": "ض", "ض": "ص", "ع": "غ", "غ": "ع", "ح": "ج", "ج": "خ", "خ": "ح",
                  "ب": "پ", "پ": "ب", "ت": "ث", "ث": "ت", "ر": "ز", "ز": "ر", "س": "ش",
                  "ش": "س", "ف": "ق", "ق": "ف", "د": "ذ", "ذ": "د", "ک": "گ", "گ": "ک",
                  "ط": "ظ", "ظ": "ط"}
"""Letter → the letter OCR reads in its place: dots lost, added or moved (ص/ض, ع/غ,
ح/ج/خ …), as issue 18's raw Tesseract misses were."""


def misread(text: str, rng: np.random.Generator) -> str | None:
    """``text`` with one letter of :data:`OCR_CONFUSABLE` (drawn with ``rng``) replaced by
    its confusion, or None when it has none."""
    at = [i for i, ch in enumerate(text) if ch in OCR_CONFUSABLE]
    if not at:
        return None
    i = int(rng.choice(at))
    return text[:i] + OCR_CONFUSABLE[text[i]] + text[i + 1:]


def misread_records(records: pd.DataFrame, truth: pd.Series, n: int, seed: int
                    ) -> tuple[pd.DataFrame, list[int]]:
    """A copy of ``records`` (linkage input: ``unique_id``, ``surname``, ``given_names``)
    with up to ``n`` records misread, and their ids in the order picked.

    Records are visited in a random order (``seed``); a record is picked when its true
    person (``truth``: record id → person id) has two or more records and none picked yet,
    and its surname, else its given names, has a letter to confuse (:func:`misread`)."""
    rng = np.random.default_rng(seed)
    ids = records["unique_id"].astype("int64")
    person = truth.reindex(ids).to_numpy()
    counts = pd.Series(person).value_counts()
    out = records.copy()
    picked: list[int] = []
    seen: set[object] = set()
    for pos in rng.permutation(len(out)):
        p = person[pos]
        if p in seen or counts[p] < 2:
            continue
        for col in ("surname", "given_names"):
            value = out.iloc[pos][col]
            changed = misread(value, rng) if isinstance(value, str) else None
            if changed:
                out.iloc[pos, out.columns.get_loc(col)] = changed
                picked.append(int(ids.iloc[pos]))
                seen.add(p)
                break
        if len(picked) >= n:
            break
    return out, picked
