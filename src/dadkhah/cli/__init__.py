"""The dadkhah command line: a thin layer over the library API.

Each domain module defines ``register(app)`` which adds its commands or sub-apps;
the list below is the one place they are joined.
"""

from __future__ import annotations

import importlib

import typer

from dadkhah import __version__
from dadkhah.cli._common import state as _state

app = typer.Typer(
    name="dadkhah",
    help="dadkhah: victim register, death-toll estimation and case file for mass atrocities.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals could show witness data
    add_completion=False,
)

# One module per domain; each has register(app).
_DOMAINS = [
    "dadkhah.cli.estimate",
    "dadkhah.cli.case",
    "dadkhah.cli.names",
    "dadkhah.cli.demo",
    "dadkhah.cli.simulate",
    "dadkhah.cli.link",
    "dadkhah.cli.report",
    "dadkhah.cli.casefile",
    "dadkhah.cli.web",
    "dadkhah.cli.portal",
    "dadkhah.cli.backup",
    "dadkhah.cli.restrict",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dadkhah {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    case: str | None = typer.Option(
        None, "--case", "-C", envvar="DADKHAH_CASE",
        help="Case folder (holding case.db) or a postgresql:// URL.",
    ),
    user: str | None = typer.Option(
        None, "--user", envvar="DADKHAH_USER", help="Name recorded in the audit log."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    _state.case = case
    _state.user = user
    _state.debug = debug


for _mod in _DOMAINS:
    importlib.import_module(_mod).register(app)


def main() -> None:
    """Run the command line (the ``dadkhah`` console script)."""
    app()


__all__ = ["app", "main"]
