"""``dadkhah demo``: the whole pipeline on bundled synthetic data."""

from __future__ import annotations

from pathlib import Path

import typer

from dadkhah.cli._common import console, handle_errors, state


@handle_errors
def demo(
    folder: Path = typer.Option(Path("demo-case"), "--folder",
                                help="Where to build the demo case (replaced if it exists)."),
) -> None:
    """Build a fresh case from synthetic example data and run every stage."""
    from dadkhah.demo import run_demo

    loc = Path(state.case) if state.case else folder
    run_demo(loc, say=lambda s: console.print(s, soft_wrap=True, markup=False))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
