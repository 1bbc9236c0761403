"""The case file's public surface: every exported function is listed in the API docstring
(the web application and notebooks are written against it)."""

import inspect

from dadkhah import casefile as cf


def test_all_names_exist_and_functions_are_documented() -> None:
    assert sorted(cf.__all__) == sorted(set(cf.__all__))
    doc = cf.__doc__ or ""
    for name in cf.__all__:
        obj = getattr(cf, name)
        if inspect.isfunction(obj):
            assert f"{name}(" in doc, f"{name} is missing from the API docstring"
            assert obj.__doc__, f"{name} has no docstring"
            params = inspect.signature(obj).parameters
            touches_case = "case" in params
            if touches_case and name.startswith((
                    "add_", "set_", "link_", "write_", "export_", "import_", "read_",
                    "verify_", "reveal_", "rekey_", "cite_", "load_e")):
                assert "by" in params, f"{name} must take by= for the audit log"
