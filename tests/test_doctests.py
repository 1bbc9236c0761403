"""The Examples sections of the library packages run as doctests, so they stay true.

(``dadkhah.names`` runs its own in ``tests/names/test_doctests.py``.)
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dadkhah.estimate
import dadkhah.register
import dadkhah.simulate

MODULES = [m.name for pkg in (dadkhah.estimate, dadkhah.simulate, dadkhah.register)
           for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")]
MODULES += ["dadkhah.estimate", "dadkhah.simulate"]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
