"""``dadkhah names explain``/``correct``/``corrections``/``withdraw`` and ``dadkhah
normalize``: names, dates and places."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from dadkhah.cli._choices import EXPLAIN_KINDS, ROLES, choice, metavar
from dadkhah.cli._common import (
    JsonOption,
    case_location,
    console,
    current_user,
    handle_errors,
    open_case,
    print_json,
    print_result,
)
from dadkhah.cli.restrict import IncludeRestrictedOpt, cli_viewer
from dadkhah.errors import ConfigError

if TYPE_CHECKING:
    from dadkhah.access import Viewer

names_app = typer.Typer(
    help="Persian and Latin names, Solar Hijri dates, places: see how the machine reads them.",
    no_args_is_help=True,
)


@names_app.command("explain")
@handle_errors
def explain_cmd(
    text: str | None = typer.Argument(None, help="A name, a date or a place, in any script."),
    as_: str = typer.Option(
        "auto", "--as", callback=choice(EXPLAIN_KINDS), metavar=metavar(EXPLAIN_KINDS),
        help="Read TEXT as a name, a date or a place (auto: guess)."
    ),
    person: int | None = typer.Option(
        None, "--person", help="Instead of TEXT: where each display name of this person of "
        "the register came from (sources, machine, or a correction by a person), as you "
        "(--user) may see the person."),
    include_restricted: bool = IncludeRestrictedOpt,
    role: str | None = typer.Option(None, "--role", envvar="DADKHAH_ROLE",
                                    callback=choice(ROLES), metavar=metavar(ROLES),
                                    help="Your team role (admin, with --include-restricted)."),
    json_out: bool = JsonOption,
) -> None:
    """Show every step taken on one name, date or place, or where a person's names came
    from (--person)."""
    from dadkhah.names.explanation import explain

    if person is not None:
        if text is not None:
            raise ConfigError("Give TEXT or --person, not both.",
                              hint="dadkhah names explain --person 12")
        _explain_person(person, json_out, cli_viewer(include_restricted, role))
        return
    if text is None:
        raise ConfigError("Nothing to explain: give a name, a date or a place, or --person.",
                          hint='dadkhah names explain "علی رضایی" or dadkhah names explain '
                               "--person 12")
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


def _explain_person(person: int, json_out: bool, viewer: Viewer) -> None:
    from dadkhah.register import name_provenance

    with open_case(read_only=True) as case:
        prov = name_provenance(case, person, viewer=viewer)
    if json_out:
        print_json(prov)
        return
    table = Table(title=f"Person {person} ({prov.status}): where each name came from")
    for col in ("name", "script", "value", "origin", "written by / correction"):
        table.add_column(col)
    for f in prov.forms:
        how = ", ".join(f.sources) or (f"correction {f.correction_id}"
                                        if f.correction_id is not None else "")
        table.add_row(f.field, f.script, f.value or "", f.origin or "", how)
    console.print(table)
    for c in prov.corrections:
        console.print(c.summary(), soft_wrap=True, markup=False)


RoleOpt = typer.Option(None, "--role", envvar="DADKHAH_ROLE", callback=choice(ROLES),
                       metavar=metavar(ROLES),
                       help="Your team role (default: the case owner working locally).")


@names_app.command("correct")
@handle_errors
def correct_cmd(
    person: int = typer.Argument(..., help="Person id of the register."),
    latin: str | None = typer.Option(None, "--latin", help="The name in Latin letters."),
    persian: str | None = typer.Option(None, "--persian", help="The name in Persian script."),
    father_latin: str | None = typer.Option(
        None, "--father-latin", help="The father's name in Latin letters."),
    father_persian: str | None = typer.Option(
        None, "--father-persian", help="The father's name in Persian script."),
    reason: str = typer.Option(..., "--reason", help="Who says so, on what evidence."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Correct a person's display name and/or their father's (audited; wins over every
    automatic choice and is re-applied after every relink)."""
    from dadkhah.register import correct_name

    with open_case() as case:
        res = correct_name(case, person, latin=latin, persian=persian, reason=reason,
                           by=current_user(), role=role, father_latin=father_latin,
                           father_persian=father_persian)
    print_result(res, json_out)


@names_app.command("withdraw")
@handle_errors
def withdraw_cmd(
    correction: int = typer.Argument(..., help="Correction id (dadkhah names corrections)."),
    reason: str = typer.Option(..., "--reason", help="Why it is withdrawn."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Withdraw a name correction (audited; the sources' names apply again)."""
    from dadkhah.register import withdraw_correction

    with open_case() as case:
        res = withdraw_correction(case, correction, reason=reason, by=current_user(),
                                  role=role)
    print_result(res, json_out)


@names_app.command("corrections")
@handle_errors
def corrections_cmd(
    person: int | None = typer.Argument(None, help="Only this person's corrections."),
    json_out: bool = JsonOption,
) -> None:
    """List the name corrections made by people, withdrawn ones too."""
    from dadkhah.register import name_corrections

    with open_case(read_only=True) as case:
        rows = name_corrections(case, person_id=person, viewer=cli_viewer())
    if json_out:
        print_json(rows)
        return
    if not rows:
        console.print("No name corrections.")
        return
    table = Table(title="Name corrections")
    for col in ("id", "person", "Persian", "Latin", "father", "reason", "by", "state"):
        table.add_column(col)
    for c in rows:
        state = "in force" if c.in_force else f"withdrawn {(c.withdrawn_at or '')[:10]}"
        father = " / ".join(n for n in (c.father_fa, c.father_latin) if n)
        table.add_row(str(c.id), str(c.person_id), c.name_fa or "", c.name_latin or "",
                      father, c.reason, c.created_by, state)
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
