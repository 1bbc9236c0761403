"""qg_key folds the letters lists confuse for ق/غ/گ, and only those."""

from __future__ import annotations

import pytest

from dadkhah.names import name_key
from dadkhah.names.keys import qg_key


@pytest.mark.parametrize(("a", "b"), [
    ("قاسم", "گاسم"), ("Sadeghi", "Sadegi"), ("صادقی", "Sadegi"), ("Qulamamini", "Gulamamini"),
    ("Luqmannejad", "Lugmannejad"), ("غلامی", "گلامی"), ("Mohammad Sadegh", "محمدصادگ"),
])
def test_qg_variants_fold_together(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)  # the keys themselves keep them apart
    assert qg_key(name_key(a)) == qg_key(name_key(b))


@pytest.mark.parametrize(("a", "b"), [
    ("Haghani", "Hakani"), ("Hassan", "Hossein"), ("Golami", "Kolami"), ("Ahmad", "Hamed"),
])
def test_other_names_stay_apart(a: str, b: str) -> None:
    assert qg_key(name_key(a)) != qg_key(name_key(b))


def test_keys_without_g_are_unchanged() -> None:
    for name in ("قاسم", "Hossein", "Mohammad Reza", "Ahmadi"):
        assert qg_key(name_key(name)) == name_key(name)
