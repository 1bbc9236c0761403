"""docs/cli.md documents every command, exactly as the CLI's own help gives it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer.main

from dadkhah.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _builder():
    spec = importlib.util.spec_from_file_location("build_cli_docs",
                                                  ROOT / "scripts" / "build_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _command_paths(group, prefix: str = "dadkhah") -> list[str]:
    out = []
    for name, cmd in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        out.append(path)
        out.extend(_command_paths(cmd, path))
    return out


def test_every_command_has_a_section() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    paths = _command_paths(typer.main.get_command(app))
    assert len(paths) > 50  # the whole tree, sub-apps included
    missing = [p for p in paths if f"## `{p}`" not in text]
    assert missing == [], f"run python scripts/build_cli_docs.py: {missing}"


def test_the_reference_is_what_the_cli_says_now() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == _builder().cli_reference(), "run python scripts/build_cli_docs.py"
