"""Every ``dadkhah …`` command the interface names exists: a user told to run a command must
find it (the testimonies page once named ``dadkhah casefile testimony reveal``, which does
not exist)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from dadkhah.cli import app

SRC = Path(__file__).resolve().parents[2] / "src" / "dadkhah"
# A command as the interface shows it: in <code>…</code> in a template, in `…` in a catalogue.
_CODE = re.compile(r"<code[^>]*>\s*(dadkhah\s[^<]*)</code>|`(dadkhah\s[^`]*)`")


def _named_commands() -> list[tuple[str, str]]:
    files = [p for p in SRC.rglob("*") if p.suffix in (".html", ".j2", ".toml")
             and "static" not in p.parts]
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in _CODE.finditer(text):
            found.append((str(path.relative_to(SRC)), (m.group(1) or m.group(2)).strip()))
    return found


def _problem(line: str) -> str | None:
    """Why ``line`` is not a command of the CLI, or None when it is."""
    cmd: Any = typer.main.get_command(app)  # Typer's own click: tell groups by .commands
    words = line.split()[1:]
    path = ["dadkhah"]
    for word in words:
        if "{" in word or word in ("|", "&&", ";"):  # a template expression or a pipe: stop
            break
        if word.startswith("-"):
            name = word.split("=", 1)[0]
            opts = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
            if name not in opts:
                return f"{' '.join(path)} has no option {name}"
            continue
        if hasattr(cmd, "commands"):
            sub = cmd.commands.get(word)
            if sub is None:
                return f"{' '.join(path)} has no command {word!r}"
            cmd = sub
            path.append(word)
        # otherwise an argument (a name, a file, a placeholder such as PSEUDONYM)
    if hasattr(cmd, "commands"):
        return f"{' '.join(path)} needs a command"
    return None


def test_the_checker_knows_a_missing_command() -> None:
    assert _problem("dadkhah casefile testimony reveal") is not None
    assert _problem("dadkhah testimony show --reveal --no-such") is not None
    assert _problem("dadkhah testimony show PSEUDONYM --reveal --key-file KEY") is None


def test_every_command_named_in_templates_exists() -> None:
    named = _named_commands()
    assert any("testimony show" in c for _, c in named)  # the parser does find them
    assert len(named) >= 10
    problems = [(where, c, why) for where, c in named if (why := _problem(c))]
    assert not problems, problems
