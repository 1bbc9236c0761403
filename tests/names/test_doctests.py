"""The Examples sections of dadkhah.names run as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dadkhah.names

MODULES = [m.name for m in pkgutil.iter_modules(dadkhah.names.__path__, "dadkhah.names.")]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
