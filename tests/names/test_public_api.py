from __future__ import annotations

from dadkhah import names


def test_all_is_sorted_and_complete() -> None:
    assert names.__all__ == sorted(names.__all__, key=lambda n: (not n[0].isupper(), n))
    for name in names.__all__:
        assert hasattr(names, name), name
    public = {n for n in dir(names) if not n.startswith("_") and n[0] != n[0].lower()}
    assert public <= set(names.__all__)


def test_every_public_function_has_a_docstring() -> None:
    for name in names.__all__:
        obj = getattr(names, name)
        assert obj.__doc__ and obj.__doc__.strip(), name


def test_no_public_name_shadows_a_submodule() -> None:
    # A package attribute named like a submodule hides it: `from dadkhah.names import explain`
    # gave the function, so the module could not be reached (or patched) by that name.
    import pkgutil
    import types

    import dadkhah.names as names

    modules = {m.name for m in pkgutil.iter_modules(names.__path__)}
    shadowed = [n for n in names.__all__
                if n in modules and not isinstance(getattr(names, n), types.ModuleType)]
    assert shadowed == []
