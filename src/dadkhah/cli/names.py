"""``dadkhah names explain`` and ``dadkhah normalize``: names, dates and places."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from dadkhah.cli._choices import EXPLAIN_KINDS, choice, metavar
from dadkhah.cli._common import (
    JsonOption,
    case_location,
    console,
    current_user,
    handle_errors,
    print_json,
)
from dadkhah.errors import ConfigError

names_app = typer.Typer(
    help="Persian and Latin names, Solar Hijri dates, places: see how the machine reads them.",
    no_args_is_help=True,
)


@names_app.command("explain")
@handle_errors
def explain_cmd(
    text: str = typer.Argument(..., help="A name, a date or a place, in any script."),
    as_: str = typer.Option(
        "auto", "--as", callback=choice(EXPLAIN_KINDS), metavar=metavar(EXPLAIN_KINDS),
        help="Read TEXT as a name, a date or a place (auto: guess)."
    ),
    json_out: bool = JsonOption,
) -> None:
    """Show every step taken on one name, date or place."""
    from dadkhah.names.explain import explain

    if as_ not in ("auto", "name", "date", "place"):
        raise ConfigError(f"--as must be auto, name, date or place, not {as_!r}.",
                          hint="For example: dadkhah names explain '10 Mordad 1367' --as date")
    e = explain(text, as_)
    if json_out:
        print_json(e.to_dict())
        return
    table = Table(title=f"{e.kind}: {text}", show_lines=False)
    table.add_column("step")
    table.add_column("result")
    table.add_column("how", style="dim")
    for s in e.steps:
        value = ", ".join(map(str, s.value)) if isinstance(s.value, list) else str(s.value)
        table.add_row(s.name, value, s.how)
    console.print(table)


@handle_errors
def normalize(
    json_out: bool = JsonOption,
    show: int = typer.Option(5, "--examples", help="Unread values shown per source and field."),
) -> None:
    """Fill the parsed name, date and place columns of every record (safe to re-run)."""
    from dadkhah.register import normalize_case
    from dadkhah.store import Case

    with Case.open(case_location()) as case:
        if json_out:
            report = normalize_case(case, by=current_user())
        else:
            with Progress(
                TextColumn("normalising"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=console, transient=True,
            ) as bar:
                task = bar.add_task("normalise", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = normalize_case(case, by=current_user(), progress=progress)
    if json_out:
        print_json(report.to_dict())
        return
    console.print(
        f"{report.records:,} records: {report.changed:,} updated, "
        f"{report.unchanged:,} already up to date."
    )
    if not report.unparsed:
        console.print("Every name, date and place value was read.")
        return
    table = Table(title="Values that could not be read (kept as written)")
    table.add_column("source")
    table.add_column("field")
    table.add_column("records", justify="right")
    table.add_column("examples")
    for (source, field), n in sorted(report.unparsed.items()):
        ex = report.examples.get((source, field), [])[:show]
        table.add_row(source, field, f"{n:,}", " | ".join(ex))
    console.print(table)
    console.print("Check a value with: dadkhah names explain \"VALUE\"")


def register(app: typer.Typer) -> None:
    app.add_typer(names_app, name="names")
    app.command("normalize")(normalize)
