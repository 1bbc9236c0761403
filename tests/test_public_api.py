"""Each package's public API is exactly its ``__all__``, and every exported name is documented.

In the style of httpx's ``tests/test_exported_members.py``: a name imported into a package's
``__init__`` is public only if ``__all__`` lists it, and ``__all__`` lists nothing that is not
there.  Submodules are public by their path (``dadkhah.store.tables``) and need no listing,
unless a package re-exports one on purpose.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import dadkhah

PACKAGES = sorted(["dadkhah"] + [m.name for m in pkgutil.iter_modules(dadkhah.__path__, "dadkhah.")
                                 if m.ispkg])
MODULES = ["dadkhah.errors", "dadkhah.access", "dadkhah.report.html"]


def _public(module: ModuleType) -> set[str]:
    listed = set(getattr(module, "__all__", ()))
    return {name for name, value in vars(module).items()
            if not name.startswith("_") and name != "annotations"
            and not (inspect.ismodule(value) and name not in listed)}


@pytest.mark.parametrize("name", MODULES)
def test_a_modules_all_lists_every_class_and_function_it_defines(name: str) -> None:
    module = importlib.import_module(name)
    defined = {n for n, v in vars(module).items() if not n.startswith("_")
               and (inspect.isclass(v) or inspect.isfunction(v)) and v.__module__ == name}
    assert defined <= set(module.__all__) <= set(vars(module))


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    assert len(module.__all__) == len(set(module.__all__)), f"{name}.__all__ repeats a name"
    assert {n for n in module.__all__ if not n.startswith("__")} == _public(module)


@pytest.mark.parametrize("name", PACKAGES + MODULES)
def test_every_exported_function_and_class_is_documented(name: str) -> None:
    module = importlib.import_module(name)
    assert (module.__doc__ or "").strip(), f"{name} has no docstring"
    undocumented = [n for n in module.__all__
                    if (inspect.isfunction(obj := getattr(module, n)) or inspect.isclass(obj))
                    and not (obj.__doc__ or "").strip()]
    assert undocumented == []
