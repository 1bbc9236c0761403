"""Commands for restricted records: ``dadkhah restrict add|remove|list`` and groups.

Who the command line reads as: the user named by ``--user`` / ``DADKHAH_USER`` (a team
member sees what is restricted to them or their groups; anyone else sees no restricted
data).  An admin may ask for everything with ``--include-restricted --role admin``; the
export's audit entry records it.  The command line is not a security boundary against
whoever holds the case folder (they can read the database); it keeps restricted data out of
what is listed and exported by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from dadkhah.access import Viewer
from dadkhah.cli._choices import RESTRICTABLE_KINDS, ROLES, choice, metavar
from dadkhah.cli._common import JsonOption, console, current_user, handle_errors, print_json
from dadkhah.cli._common import open_case as _case

if TYPE_CHECKING:
    from dadkhah.store import Case

restrict_app = typer.Typer(help="Restrict sources, records, evidence and testimonies to named "
                                "users or groups.", no_args_is_help=True)

RoleOpt = typer.Option(None, "--role", envvar="DADKHAH_ROLE", callback=choice(ROLES),
                       metavar=metavar(ROLES),
                       help="Your team role; default admin, the case owner working locally.")
IncludeRestrictedOpt = typer.Option(
    False, "--include-restricted",
    help="Include data restricted to other users (admins only, with --role admin; audited).")
KindArg = typer.Argument(..., callback=choice(RESTRICTABLE_KINDS),
                         metavar=metavar(RESTRICTABLE_KINDS), help="What to restrict.")


def cli_viewer(include_restricted: bool = False, role: str | None = None) -> Viewer:
    """Who a command reads as: the ``--user``; everything only for an admin who asked."""
    if include_restricted:
        return Viewer.everything(current_user(), role)
    return Viewer(current_user(), role)


def _object_id(case: Case, kind: str, ref: str) -> int:
    if kind == "source":
        return case.resolve_source_id(ref)
    if not ref.isdigit():
        raise typer.BadParameter(f"{kind} ids are numbers, not {ref!r}.")
    return int(ref)


def _show(rows: Sequence[Any], json_out: bool, empty: str) -> None:
    if json_out:
        print_json([r.to_dict() for r in rows])
    elif not rows:
        console.print(empty, markup=False)
    else:
        for r in rows:
            console.print(r.summary(), markup=False, soft_wrap=True)


@restrict_app.command("add")
@handle_errors
def add(kind: str = KindArg,
        ref: str = typer.Argument(..., help="Id (a source: its id or slug)."),
        to_user: list[str] = typer.Option([], "--to-user", "-u", help="A user who may see it."),
        to_group: list[str] = typer.Option([], "--to-group", "-g",
                                           help="A group whose members may see it."),
        reason: str | None = typer.Option(None, "--reason"),
        role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Restrict an object: from now on only these users and groups see it, anywhere (team
    pages, API, exports, reports); it never reaches the public portal."""
    from dadkhah.register import restrict

    with _case() as case:
        rows = restrict(case, kind, _object_id(case, kind, ref), users=to_user,
                        groups=to_group, reason=reason, by=current_user(),
                        role=role or "admin")
    _show(rows, json_out, "")


@restrict_app.command("remove")
@handle_errors
def remove(kind: str = KindArg, ref: str = typer.Argument(..., help="Id (or source slug)."),
           user: list[str] = typer.Option([], "--user", "-u", help="Take this user off."),
           group: list[str] = typer.Option([], "--group", "-g", help="Take this group off."),
           role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Take users or groups off a restriction; with none named, lift it entirely."""
    from dadkhah.register import unrestrict

    with _case() as case:
        rows = unrestrict(case, kind, _object_id(case, kind, ref), users=user, groups=group,
                          by=current_user(), role=role or "admin")
    _show(rows, json_out, "Not restricted any more: every team member sees it.")


@restrict_app.command("list")
@handle_errors
def list_(kind: str | None = typer.Option(None, "--kind", callback=choice(RESTRICTABLE_KINDS),
                                          metavar=metavar(RESTRICTABLE_KINDS)),
          json_out: bool = JsonOption) -> None:
    """Every restricted object and who may see it."""
    from dadkhah.register import restrictions

    with _case(read_only=True) as case:
        rows = restrictions(case, kind=kind)
    _show(rows, json_out, "Nothing is restricted.")


@restrict_app.command("groups")
@handle_errors
def groups_(json_out: bool = JsonOption) -> None:
    """Groups of users and their members."""
    from dadkhah.register import groups

    with _case(read_only=True) as case:
        rows = groups(case)
    if json_out:
        print_json([g.to_dict() for g in rows])
        return
    t = Table("group", "members")
    for g in rows:
        t.add_row(g.name, ", ".join(g.members))
    console.print(t)


@restrict_app.command("group-create")
@handle_errors
def group_create(name: str = typer.Argument(...),
                 member: list[str] = typer.Option([], "--member", "-m"),
                 role: str | None = RoleOpt) -> None:
    """Create a group of users to restrict data to."""
    from dadkhah.register import create_group

    with _case() as case:
        g = create_group(case, name, members=member, by=current_user(), role=role or "admin")
    console.print(g.summary(), markup=False)


@restrict_app.command("group-add")
@handle_errors
def group_add(name: str = typer.Argument(...), users: list[str] = typer.Argument(...),
              role: str | None = RoleOpt) -> None:
    """Add users to a group."""
    from dadkhah.register import add_to_group

    with _case() as case:
        g = add_to_group(case, name, users, by=current_user(), role=role or "admin")
    console.print(g.summary(), markup=False)


@restrict_app.command("group-remove")
@handle_errors
def group_remove(name: str = typer.Argument(...), users: list[str] = typer.Argument(...),
                 role: str | None = RoleOpt) -> None:
    """Remove users from a group (they lose what is restricted to it at once)."""
    from dadkhah.register import remove_from_group

    with _case() as case:
        g = remove_from_group(case, name, users, by=current_user(), role=role or "admin")
    console.print(g.summary(), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(restrict_app, name="restrict")
