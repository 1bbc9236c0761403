"""The Examples sections of dadkhah.documents run as doctests, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dadkhah.documents

MODULES = [m.name for m in pkgutil.iter_modules(dadkhah.documents.__path__,
                                                "dadkhah.documents.")]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
