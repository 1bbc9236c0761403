"""Commands on the case file: actor, event, allegation, burial, evidence, testimony,
dossier, casefile export|import|example|cite.

Claims take ``--source SLUG[:CREDIBILITY]`` (repeatable); credibility is the Admiralty 1-6
grade of that claim in that source (default 6, cannot be judged).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from dadkhah.cli._choices import (
    ACTOR_KINDS,
    EVENT_TYPES,
    EVIDENCE_KINDS,
    FIGURE_TYPES,
    MODES,
    ROLES,
    STATUSES,
    choice,
    fold_choice,
    metavar,
)
from dadkhah.cli._common import (
    JsonOption,
    console,
    current_user,
    handle_errors,
    open_case,
    print_json,
    print_result,
)
from dadkhah.cli.restrict import IncludeRestrictedOpt, cli_viewer

if TYPE_CHECKING:
    from dadkhah.casefile import Cite

actor_app = typer.Typer(help="Actors (persons, institutions) and their roles.",
                        no_args_is_help=True)
event_app = typer.Typer(help="Events, their victims and the figures sources give.",
                        no_args_is_help=True)
allegation_app = typer.Typer(help="Allegations: an actor's involvement in an event, "
                                  "attributed to sources.", no_args_is_help=True)
burial_app = typer.Typer(help="Burial sites (mass graves).", no_args_is_help=True)
evidence_app = typer.Typer(help="Evidence files: content-addressed store, chain of custody.",
                           no_args_is_help=True)
testimony_app = typer.Typer(help="Witness testimony; identities encrypted (AES-GCM).",
                            no_args_is_help=True)
casefile_app = typer.Typer(help="The case file as a whole: export, import, the 1988 example.",
                           no_args_is_help=True)

SourceOpt = typer.Option([], "--source", "-s",
                         help="SLUG[:CREDIBILITY 1-6] of a source making this claim; repeat.")
EvidenceOpt = typer.Option([], "--evidence", "-e",
                           help="Evidence item (id or SHA-256 prefix) supporting it; repeat.")
RoleOpt = typer.Option(None, "--role", envvar="DADKHAH_ROLE", callback=choice(ROLES),
                       metavar=metavar(ROLES),
                       help="Your team role; default admin, the case owner working locally.")
EvidenceDirOpt = typer.Option(None, "--evidence-dir", envvar="DADKHAH_EVIDENCE_DIR",
                              help="Evidence folder (needed for a PostgreSQL case; default "
                                   "<case>/evidence).")
KeyFileOpt = typer.Option(None, "--key-file",
                          help="Testimony key file (or set DADKHAH_KEY_FILE / DADKHAH_KEY).")




def _role(role: str | None) -> str:
    return role or "admin"


def _cites(sources: list[str]) -> list[Cite]:
    from dadkhah import casefile as cf

    return [cf.Cite.parse(s) for s in sources]


# -- actors ---------------------------------------------------------------------------------
@actor_app.command("add")
@handle_errors
def actor_add(
    slug: str = typer.Argument(..., help="Short id, e.g. raisi."),
    kind: str = typer.Option("person", "--kind", callback=choice(ACTOR_KINDS, fold=fold_choice),
                             metavar=metavar(ACTOR_KINDS), help="person or institution"),
    name_en: str | None = typer.Option(None, "--name-en", help="Name in Latin script."),
    name_fa: str | None = typer.Option(None, "--name-fa", help="Name in Persian script."),
    alias: list[str] = typer.Option([], "--alias", help="Other spelling; repeat."),
    notes: str | None = typer.Option(None, "--notes", help="Biographical notes."),
    source: list[str] = SourceOpt, role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Add a person or institution (names in both scripts)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.add_actor(case, slug=slug, kind=kind, name_en=name_en, name_fa=name_fa,
                         aliases=alias, notes=notes, sources=_cites(source),
                         by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(a, json_out)


@actor_app.command("edit")
@handle_errors
def actor_edit(
    ref: str = typer.Argument(..., help="Actor id (slug) or number."),
    kind: str | None = typer.Option(None, "--kind",
                                    callback=choice(ACTOR_KINDS, fold=fold_choice),
                                    metavar=metavar(ACTOR_KINDS)),
    name_en: str | None = typer.Option(None, "--name-en", help="New Latin name ('' clears)."),
    name_fa: str | None = typer.Option(None, "--name-fa", help="New Persian name ('' clears)."),
    alias: list[str] = typer.Option([], "--alias", help="Replaces the other spellings; repeat."),
    notes: str | None = typer.Option(None, "--notes", help="New notes ('' clears)."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change an actor's kind, names, other spellings or notes (what is not given stays);
    audited with the values before and after."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.get_actor(case, ref, viewer=cli_viewer())
        a = cf.update_actor(case, a.id, kind=kind or a.kind,
                            name_en=a.name_en if name_en is None else name_en,
                            name_fa=a.name_fa if name_fa is None else name_fa,
                            aliases=alias or a.aliases,
                            notes=a.notes if notes is None else notes,
                            by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(a, json_out)


@actor_app.command("list")
@handle_errors
def actor_list(search: str | None = typer.Option(None, "--search", "-q",
                                                    help="A name in either script."),
               json_out: bool = JsonOption) -> None:
    """List actors."""
    from dadkhah import casefile as cf

    with open_case() as case:
        actors = cf.list_actors(case, search, viewer=cli_viewer())
    if json_out:
        print_json(actors)
        return
    t = Table("id", "slug", "kind", "name", "نام", "roles")
    for a in actors:
        t.add_row(str(a.id), a.slug, a.kind, a.name_en or "", a.name_fa or "", str(len(a.roles)))
    console.print(t)


@actor_app.command("show")
@handle_errors
def actor_show(ref: str = typer.Argument(..., help="Actor id, slug or name."),
               json_out: bool = JsonOption) -> None:
    """Show an actor with roles and allegations."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.get_actor(case, ref, viewer=cli_viewer())
        alls = cf.list_allegations(case, accused=a.id, viewer=cli_viewer())
    if json_out:
        print_json({**a.to_dict(), "allegations": alls})
        return
    console.print(a.summary(), soft_wrap=True, markup=False)
    for al in alls:
        console.print(al.summary(), soft_wrap=True, markup=False)


@actor_app.command("role")
@handle_errors
def actor_role(
    holder: str = typer.Argument(..., help="Actor id or slug."),
    position: str = typer.Option(..., "--position"),
    position_fa: str | None = typer.Option(None, "--position-fa"),
    institution: str | None = typer.Option(None, "--institution",
                                              help="Institution (an actor slug)."),
    start: str | None = typer.Option(None, "--from", help="Start date, any calendar."),
    end: str | None = typer.Option(None, "--to", help="End date, any calendar."),
    notes: str | None = typer.Option(None, "--notes"),
    source: list[str] = SourceOpt, role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Record a position an actor held over a time interval."""
    from dadkhah import casefile as cf

    with open_case() as case:
        r = cf.add_role(case, holder=holder, position=position, position_fa=position_fa,
                        institution=institution, start=start, end=end, notes=notes,
                        sources=_cites(source), by=current_user(), role=_role(role),
                        viewer=cli_viewer())
    print_result(r, json_out)


@actor_app.command("role-edit")
@handle_errors
def actor_role_edit(
    role_id: int = typer.Argument(..., help="Role number (dadkhah actor show SLUG --json)."),
    position: str | None = typer.Option(None, "--position"),
    position_fa: str | None = typer.Option(None, "--position-fa", help="'' clears."),
    institution: str | None = typer.Option(None, "--institution",
                                              help="Institution (an actor slug; '' clears)."),
    start: str | None = typer.Option(None, "--from", help="Start date, any calendar."),
    end: str | None = typer.Option(None, "--to", help="End date, any calendar ('' clears)."),
    notes: str | None = typer.Option(None, "--notes", help="'' clears."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change a role's position, institution, dates or notes (what is not given stays);
    audited with the values before and after."""
    from dadkhah import casefile as cf

    with open_case() as case:
        r = cf.get_role(case, role_id, viewer=cli_viewer())
        r = cf.update_role(
            case, r.id, position=r.position if position is None else position,
            position_fa=r.position_fa if position_fa is None else position_fa,
            institution=r.institution_slug if institution is None else institution,
            start=r.start_text if start is None else start,
            end=r.end_text if end is None else end,
            notes=r.notes if notes is None else notes, by=current_user(), role=_role(role),
            viewer=cli_viewer())
    print_result(r, json_out)


# -- events ---------------------------------------------------------------------------------
@event_app.command("add")
@handle_errors
def event_add(
    slug: str = typer.Argument(...),
    event_type: str = typer.Option(..., "--type", callback=choice(EVENT_TYPES, fold=fold_choice),
                                   help=", ".join(EVENT_TYPES)),
    title: str = typer.Option(..., "--title"),
    title_fa: str | None = typer.Option(None, "--title-fa"),
    description: str | None = typer.Option(None, "--description"),
    date: str | None = typer.Option(None, "--date",
                                       help="As written, either calendar: '28 Tir 1367', "
                                            "'summer 1988', '1988-07-27 to 1988-09-06'."),
    place: str | None = typer.Option(None, "--place", help="Gazetteer id or place name."),
    burial_site: str | None = typer.Option(None, "--burial-site"),
    part_of: str | None = typer.Option(None, "--part-of", help="Encompassing event."),
    source: list[str] = SourceOpt, evidence: list[str] = EvidenceOpt,
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Add an event."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.add_event(case, slug=slug, event_type=event_type, title=title,
                         title_fa=title_fa, description=description, date=date, place=place,
                         burial_site=burial_site, part_of=part_of, sources=_cites(source),
                         evidence=evidence, by=current_user(), role=_role(role),
                         viewer=cli_viewer())
    print_result(e, json_out)


@event_app.command("edit")
@handle_errors
def event_edit(
    ref: str = typer.Argument(..., help="Event id (slug) or number."),
    event_type: str | None = typer.Option(None, "--type",
                                          callback=choice(EVENT_TYPES, fold=fold_choice),
                                          metavar=metavar(EVENT_TYPES)),
    title: str | None = typer.Option(None, "--title"),
    title_fa: str | None = typer.Option(None, "--title-fa", help="('' clears)"),
    date: str | None = typer.Option(None, "--date", help="As written, either calendar "
                                                         "('' clears)."),
    place: str | None = typer.Option(None, "--place", help="Gazetteer id or name ('' clears)."),
    description: str | None = typer.Option(None, "--description", help="('' clears)"),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change an event's type, titles, date, place or description (what is not given
    stays); audited with the values before and after."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.get_event(case, ref, viewer=cli_viewer())
        e = cf.update_event(
            case, e.id, event_type=event_type or e.event_type, title=title or e.title,
            title_fa=e.title_fa if title_fa is None else title_fa,
            description=e.description if description is None else description,
            date=e.date_text if date is None else date,
            place=(e.place_id or e.place_text) if place is None else (place or None),
            by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(e, json_out)


@event_app.command("list")
@handle_errors
def event_list(json_out: bool = JsonOption) -> None:
    """List events in date order."""
    from dadkhah import casefile as cf

    with open_case() as case:
        events = cf.list_events(case, viewer=cli_viewer())
    if json_out:
        print_json(events)
        return
    t = Table("slug", "type", "when", "title", "sources", "figures")
    for e in events:
        t.add_row(e.slug, e.event_type, e.when(), e.title, str(len(e.sources)),
                  str(len(e.figures)))
    console.print(t)


@event_app.command("show")
@handle_errors
def event_show(ref: str = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Show an event with its figures (side by side) and allegations."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.get_event(case, ref, viewer=cli_viewer())
        alls = cf.list_allegations(case, event=e.id, viewer=cli_viewer())
    if json_out:
        print_json({**e.to_dict(), "allegations": alls})
        return
    console.print(e.summary(), soft_wrap=True, markup=False)
    if e.description:
        console.print(f"  {cf.attribution(e.sources)}: {e.description}", soft_wrap=True,
                      markup=False)
    for f in e.figures:
        console.print("  figure: " + f.summary(), soft_wrap=True, markup=False)
    for al in alls:
        console.print(al.summary(), soft_wrap=True, markup=False)


@event_app.command("victim")
@handle_errors
def event_victim(event: str = typer.Argument(...),
                 person: int | None = typer.Option(None, "--person",
                                                      help="Person id in the register."),
                 record: int | None = typer.Option(None, "--record",
                                                      help="Source record id."),
                 notes: str | None = typer.Option(None, "--notes"),
                 role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Tie a victim in the register to an event."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.link_victim(case, event, person_id=person, record_id=record, notes=notes,
                           by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(e, json_out)


@event_app.command("figure")
@handle_errors
def event_figure(
    event: str = typer.Argument(...),
    quantity: str = typer.Option("killed", "--quantity", help="killed, buried, names_listed…"),
    figure_type: str = typer.Option(..., "--type", callback=choice(FIGURE_TYPES, fold=fold_choice),
                                    help=", ".join(FIGURE_TYPES)),
    value: str = typer.Option(..., "--value", help="The figure in the source's words."),
    low: int | None = typer.Option(None, "--low"),
    high: int | None = typer.Option(None, "--high"),
    notes: str | None = typer.Option(None, "--notes"),
    source: list[str] = SourceOpt, role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Record a figure one source gives (kept beside the others, never reconciled)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        f = cf.add_figure(case, event, quantity=quantity, figure_type=figure_type,
                          value_text=value, low=low, high=high, notes=notes,
                          sources=_cites(source), by=current_user(), role=_role(role),
                          viewer=cli_viewer())
    print_result(f, json_out)


@event_app.command("figure-edit")
@handle_errors
def event_figure_edit(
    figure_id: int = typer.Argument(..., help="Figure number (dadkhah event show SLUG --json)."),
    quantity: str | None = typer.Option(None, "--quantity"),
    figure_type: str | None = typer.Option(None, "--type",
                                           callback=choice(FIGURE_TYPES, fold=fold_choice),
                                           help=", ".join(FIGURE_TYPES)),
    value: str | None = typer.Option(None, "--value", help="The figure in the source's words."),
    low: int | None = typer.Option(None, "--low"),
    high: int | None = typer.Option(None, "--high"),
    no_range: bool = typer.Option(False, "--no-range", help="Clear the low and high ends."),
    notes: str | None = typer.Option(None, "--notes", help="'' clears."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change a figure's quantity, type, value, range or notes (what is not given stays);
    its sources change with 'casefile source-add' and 'casefile source-remove'."""
    from dadkhah import casefile as cf

    with open_case() as case:
        f = cf.get_figure(case, figure_id, viewer=cli_viewer())
        f = cf.update_figure(
            case, f.id, quantity=f.quantity if quantity is None else quantity,
            figure_type=figure_type or f.figure_type,
            value_text=f.value_text if value is None else value,
            low=None if no_range else (f.low if low is None else low),
            high=None if no_range else (f.high if high is None else high),
            notes=f.notes if notes is None else notes, by=current_user(), role=_role(role),
            viewer=cli_viewer())
    print_result(f, json_out)


# -- allegations ----------------------------------------------------------------------------
@allegation_app.command("add")
@handle_errors
def allegation_add(
    accused: str = typer.Option(..., "--actor", help="Actor id or slug."),
    event: str = typer.Option(..., "--event"),
    mode: str = typer.Option(..., "--mode", callback=choice(MODES, fold=fold_choice),
                             help=", ".join(MODES)),
    status: str = typer.Option("alleged", "--status", callback=choice(STATUSES, fold=fold_choice),
                               help=", ".join(STATUSES)),
    text: str = typer.Option(..., "--text", help="The allegation as the source states it."),
    text_fa: str | None = typer.Option(None, "--text-fa"),
    source: list[str] = SourceOpt, evidence: list[str] = EvidenceOpt,
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Record an allegation, attributed to its sources."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.add_allegation(case, accused=accused, event=event, mode=mode, status=status,
                              text=text, text_fa=text_fa, sources=_cites(source),
                              evidence=evidence, by=current_user(), role=_role(role),
                              viewer=cli_viewer())
    print_result(a, json_out)


@allegation_app.command("list")
@handle_errors
def allegation_list(accused: str | None = typer.Option(None, "--actor"),
                    event: str | None = typer.Option(None, "--event"),
                    json_out: bool = JsonOption) -> None:
    """List allegations, each with its attribution."""
    from dadkhah import casefile as cf

    with open_case() as case:
        alls = cf.list_allegations(case, accused=accused, event=event, viewer=cli_viewer())
    if json_out:
        print_json(alls)
        return
    for a in alls:
        console.print(a.summary(), soft_wrap=True, markup=False)
    console.print(f"{len(alls)} allegation(s).")


@allegation_app.command("edit")
@handle_errors
def allegation_edit(
    allegation_id: int = typer.Argument(...),
    mode: str | None = typer.Option(None, "--mode", callback=choice(MODES, fold=fold_choice),
                                    metavar=metavar(MODES)),
    text: str | None = typer.Option(None, "--text", help="New wording, as the sources state it."),
    text_fa: str | None = typer.Option(None, "--text-fa", help="('' clears)"),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change an allegation's mode or wording (its status: 'allegation status')."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.get_allegation(case, allegation_id, viewer=cli_viewer())
        a = cf.update_allegation(case, a.id, mode=mode or a.mode, text=text or a.text,
                                 text_fa=a.text_fa if text_fa is None else text_fa,
                                 by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(a, json_out)


@allegation_app.command("status")
@handle_errors
def allegation_status(allegation_id: int = typer.Argument(...),
                      status: str = typer.Argument(..., callback=choice(STATUSES, fold=fold_choice),
                                                   help=", ".join(STATUSES)),
                      source: list[str] = SourceOpt, role: str | None = RoleOpt,
                      json_out: bool = JsonOption) -> None:
    """Change an allegation's status, citing what changed it."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.set_allegation_status(case, allegation_id, status, sources=_cites(source),
                                     by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(a, json_out)


# -- burial sites ---------------------------------------------------------------------------
@burial_app.command("add")
@handle_errors
def burial_add(
    slug: str = typer.Argument(...),
    name_en: str | None = typer.Option(None, "--name-en"),
    name_fa: str | None = typer.Option(None, "--name-fa"),
    place: str | None = typer.Option(None, "--place", help="Gazetteer id or name."),
    geojson: str | None = typer.Option(None, "--geojson",
                                          help="GeoJSON geometry, or @FILE to read one."),
    description: str | None = typer.Option(None, "--description"),
    source: list[str] = SourceOpt, role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Add a burial site."""
    from dadkhah import casefile as cf

    if geojson and geojson.startswith("@"):
        geojson = Path(geojson[1:]).read_text(encoding="utf-8")
    with open_case() as case:
        b = cf.add_burial_site(case, slug=slug, name_en=name_en, name_fa=name_fa, place=place,
                               geometry=geojson, description=description,
                               sources=_cites(source), by=current_user(), role=_role(role),
                               viewer=cli_viewer())
    print_result(b, json_out)


@burial_app.command("edit")
@handle_errors
def burial_edit(
    ref: str = typer.Argument(..., help="Burial site id (slug) or number."),
    name_en: str | None = typer.Option(None, "--name-en", help="('' clears)"),
    name_fa: str | None = typer.Option(None, "--name-fa", help="('' clears)"),
    place: str | None = typer.Option(None, "--place", help="Gazetteer id or name ('' clears)."),
    geojson: str | None = typer.Option(None, "--geojson",
                                       help="GeoJSON geometry, @FILE, or '' to clear."),
    description: str | None = typer.Option(None, "--description", help="('' clears)"),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Change a burial site's names, place, geometry or description (what is not given
    stays); audited with the values before and after."""
    from dadkhah import casefile as cf

    if geojson and geojson.startswith("@"):
        geojson = Path(geojson[1:]).read_text(encoding="utf-8")
    with open_case() as case:
        b = cf.get_burial_site(case, ref, viewer=cli_viewer())
        b = cf.update_burial_site(
            case, b.id, name_en=b.name_en if name_en is None else name_en,
            name_fa=b.name_fa if name_fa is None else name_fa,
            place=b.place_id if place is None else (place or None),
            geometry=b.geometry if geojson is None else (geojson or None),
            description=b.description if description is None else description,
            by=current_user(), role=_role(role), viewer=cli_viewer())
    print_result(b, json_out)


@burial_app.command("list")
@handle_errors
def burial_list(json_out: bool = JsonOption) -> None:
    """List burial sites."""
    from dadkhah import casefile as cf

    with open_case() as case:
        sites = cf.list_burial_sites(case, viewer=cli_viewer())
    if json_out:
        print_json(sites)
        return
    for b in sites:
        console.print(b.summary(), soft_wrap=True, markup=False)


# -- evidence -------------------------------------------------------------------------------
@evidence_app.command("add")
@handle_errors
def evidence_add(
    file: Path = typer.Argument(..., help="The file to add."),
    title: str | None = typer.Option(None, "--title"),
    description: str | None = typer.Option(None, "--description"),
    kind: str | None = typer.Option(None, "--kind",
                                    callback=choice(EVIDENCE_KINDS, fold=fold_choice),
                                    help=", ".join(EVIDENCE_KINDS)),
    acquired_by: str | None = typer.Option(None, "--acquired-by", help="Who obtained it."),
    acquired_at: str | None = typer.Option(None, "--acquired-at", help="When."),
    acquired_from: str | None = typer.Option(None, "--acquired-from",
                                                help="From whom or where (URL…)."),
    method: str | None = typer.Option(None, "--method", help="How it was obtained."),
    source: str | None = typer.Option(None, "--source", help="Source it belongs to."),
    evidence_dir: Path | None = EvidenceDirOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """Add a file to the evidence store (stored once per SHA-256) and log its acquisition."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.add_evidence(case, file, title=title, description=description, kind=kind,
                            acquired_by=acquired_by, acquired_at=acquired_at,
                            acquired_from=acquired_from, acquisition_method=method,
                            source=source, evidence_dir=evidence_dir, by=current_user(),
                            role=_role(role), viewer=cli_viewer())
    print_result(e, json_out)


@evidence_app.command("list")
@handle_errors
def evidence_list(json_out: bool = JsonOption) -> None:
    """List evidence items with their hashes."""
    from dadkhah import casefile as cf

    with open_case() as case:
        items = cf.list_evidence(case, viewer=cli_viewer())
    if json_out:
        print_json(items)
        return
    t = Table("id", "sha256", "kind", "bytes", "title / original name")
    for e in items:
        t.add_row(str(e.id), e.sha256[:16] + "…", e.kind, f"{e.size:,}",
                  e.title or e.original_name)
    console.print(t)


@evidence_app.command("show")
@handle_errors
def evidence_show(ref: str = typer.Argument(..., help="Id or SHA-256 (prefix)."),
                  json_out: bool = JsonOption) -> None:
    """Show an item's metadata and chain of custody (reads no bytes)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        e = cf.get_evidence(case, ref, viewer=cli_viewer())
        custody = cf.custody_history(case, ref)
    if json_out:
        print_json({**e.to_dict(), "custody": custody})
        return
    console.print(e.summary(), soft_wrap=True, markup=False)
    for c in custody:
        console.print("  " + c.summary(), soft_wrap=True, markup=False)


@evidence_app.command("verify")
@handle_errors
def evidence_verify(evidence_dir: Path | None = EvidenceDirOpt,
                    include_restricted: bool = IncludeRestrictedOpt,
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Re-hash every evidence file the --user may see; report mismatches and missing files
    (exit code 2) and how many items were not checked because they are restricted from the
    --user (all of them only with --include-restricted --role admin)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        rep = cf.verify_evidence(case, by=current_user(), evidence_dir=evidence_dir,
                                 viewer=cli_viewer(include_restricted, role))
    print_result(rep, json_out)
    if not rep.ok:
        raise typer.Exit(code=2)


@evidence_app.command("export")
@handle_errors
def evidence_export(ref: str = typer.Argument(..., help="Id or SHA-256 (prefix)."),
                    dest: Path = typer.Option(..., "--to", help="Folder or file to write."),
                    recipient: str | None = typer.Option(None, "--recipient",
                                                            help="Who receives the copy."),
                    purpose: str | None = typer.Option(None, "--purpose"),
                    evidence_dir: Path | None = EvidenceDirOpt,
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Copy an item out of the store (re-hashed, logged in its chain of custody)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        out = cf.export_evidence(case, ref, dest, by=current_user(), role=_role(role),
                                 recipient=recipient, purpose=purpose,
                                 evidence_dir=evidence_dir, viewer=cli_viewer())
    if json_out:
        print_json({"path": str(out)})
    else:
        console.print(f"Exported to {out} (hash checked, custody logged).")


@evidence_app.command("link")
@handle_errors
def evidence_link(ref: str = typer.Argument(..., help="Id or SHA-256 (prefix)."),
                  claim: str = typer.Option(..., "--to",
                                            help="KIND:ID, e.g. allegation:3, event:decree-1988"),
                  locator: str | None = typer.Option(None, "--locator",
                                                        help="Page, timestamp …"),
                  role: str | None = RoleOpt) -> None:
    """Let an evidence item support a claim (allegation, event, role, figure, burial…)."""
    from dadkhah import casefile as cf

    kind, _, cid = claim.partition(":")
    with open_case() as case:
        cf.link_evidence(case, ref, claim_kind=kind, claim_id=cid, locator=locator,
                         by=current_user(), role=_role(role), viewer=cli_viewer())
    console.print(f"Linked evidence {ref} to {claim}.")


# -- testimony ------------------------------------------------------------------------------
@testimony_app.command("keygen")
@handle_errors
def testimony_keygen(path: Path = typer.Argument(..., help="New key file (mode 600)."),
                     json_out: bool = JsonOption) -> None:
    """Make a new testimony key file.  Keep it outside the case and back it up: a lost key
    cannot be recovered (the identities it protects are then lost; nothing else is)."""
    from dadkhah import casefile as cf

    key = cf.write_key_file(path)
    if json_out:
        print_json({"path": str(path), "fingerprint": key.fingerprint})
    else:
        console.print(f"Wrote a new key to {path} (fingerprint {key.fingerprint[:16]}…).")


@testimony_app.command("add")
@handle_errors
def testimony_add(
    pseudonym: str = typer.Argument(..., help="Shown everywhere instead of the name."),
    identity: str = typer.Option(..., "--identity", help="Witness's name (encrypted)."),
    contact: str | None = typer.Option(None, "--contact", help="Contact (encrypted)."),
    summary: str | None = typer.Option(None, "--summary", help="Pseudonymised summary."),
    event: str | None = typer.Option(None, "--event"),
    taken_at: str | None = typer.Option(None, "--taken-at"),
    taken_place: str | None = typer.Option(None, "--taken-place"),
    language: str | None = typer.Option(None, "--language"),
    consent: str | None = typer.Option(None, "--consent",
                                          help="Who may receive it (UN, courts…)."),
    key_file: Path | None = KeyFileOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """Record a testimony; identity and contact are encrypted with the key."""
    from dadkhah import casefile as cf

    key = cf.load_key(key_file)
    with open_case() as case:
        t = cf.add_testimony(case, pseudonym=pseudonym, identity=identity, contact=contact,
                             summary=summary, event=event, taken_at=taken_at,
                             taken_place=taken_place, language=language, consent=consent,
                             key=key, by=current_user(), role=_role(role),
                             viewer=cli_viewer())
    print_result(t, json_out)


@testimony_app.command("list")
@handle_errors
def testimony_list(json_out: bool = JsonOption) -> None:
    """List testimonies by pseudonym (no key needed)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        items = cf.list_testimonies(case, viewer=cli_viewer())
    if json_out:
        print_json(items)
        return
    for t in items:
        console.print(t.summary(), soft_wrap=True, markup=False)


@testimony_app.command("show")
@handle_errors
def testimony_show(ref: str = typer.Argument(..., help="Id or pseudonym."),
                   reveal: bool = typer.Option(False, "--reveal",
                                               help="Decrypt identity and contact (logged)."),
                   key_file: Path | None = KeyFileOpt, role: str | None = RoleOpt,
                   json_out: bool = JsonOption) -> None:
    """Show a testimony; with --reveal, the witness's identity (needs protected.read)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        t = cf.get_testimony(case, ref, viewer=cli_viewer())
        fields = (cf.reveal_testimony(case, ref, key=cf.load_key(key_file),
                                      by=current_user(), role=_role(role),
                                      viewer=cli_viewer())
                  if reveal else None)
    if json_out:
        print_json({**t.to_dict(), "protected": fields.to_dict() if fields else None})
        return
    console.print(t.summary(), soft_wrap=True, markup=False)
    if t.summary_text:
        console.print(f"  {t.summary_text}", soft_wrap=True, markup=False)
    if fields:
        console.print(f"  identity: {fields.identity}", soft_wrap=True, markup=False)
        console.print(f"  contact: {fields.contact or '-'}", soft_wrap=True, markup=False)


@testimony_app.command("rekey")
@handle_errors
def testimony_rekey(key_file: Path | None = KeyFileOpt,
                    new_key_file: Path = typer.Option(..., "--new-key-file",
                                                      help="The new key (make it with "
                                                           "testimony keygen)."),
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Re-encrypt every testimony with a new key, in one transaction."""
    from dadkhah import casefile as cf

    old, new = cf.load_key(key_file), cf.load_key(new_key_file)
    with open_case() as case:
        rep = cf.rekey_testimonies(case, old_key=old, new_key=new, by=current_user(),
                                   role=_role(role))
    print_result(rep, json_out)


# -- dossier and exchange -------------------------------------------------------------------
@handle_errors
def dossier(ref: str = typer.Argument(..., help="Actor id, slug or name."),
            output: Path | None = typer.Option(None, "--output", "-o",
                                                  help="HTML file (default dossier-SLUG.html)."),
            role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Write a self-contained HTML dossier of everything alleged against an actor."""
    from dadkhah import casefile as cf

    with open_case() as case:
        a = cf.get_actor(case, ref, viewer=cli_viewer())
        out = cf.write_dossier(case, a.id, output or Path(f"dossier-{a.slug}.html"),
                               by=current_user(), role=_role(role), viewer=cli_viewer())
        d = cf.dossier_data(case, a.id, viewer=cli_viewer())
    if json_out:
        print_json({"path": str(out), "actor": a.slug, "allegations": len(d.allegations),
                    "sources": len(d.sources), "evidence": len(d.evidence)})
    else:
        console.print(d.summary(), soft_wrap=True, markup=False)
        console.print(f"Wrote {out}")


@casefile_app.command("export")
@handle_errors
def casefile_export(folder: Path = typer.Argument(..., help="New folder, or a .zip file."),
                    evidence_dir: Path | None = EvidenceDirOpt,
                    include_restricted: bool = IncludeRestrictedOpt,
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Export the case file (versioned JSON + evidence files + custody): what you may see;
    data restricted to other users only with --include-restricted --role admin (audited)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        rep = cf.export_casefile(case, folder, by=current_user(), role=_role(role),
                                 evidence_dir=evidence_dir,
                                 viewer=cli_viewer(include_restricted, role))
    print_result(rep, json_out)


@casefile_app.command("import")
@handle_errors
def casefile_import(folder: Path = typer.Argument(..., help="Export folder or .zip."),
                    evidence_dir: Path | None = EvidenceDirOpt,
                    key_file: Path | None = typer.Option(
                        None, "--key-file", help="Testimony key (or DADKHAH_KEY_FILE / "
                        "DADKHAH_KEY): needed when the file holds testimonies; each must decrypt "
                        "with it."),
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Import a case-file export; every evidence file is re-hashed first (all or nothing)."""
    import os

    from dadkhah import casefile as cf

    # With a key at hand, forged testimony rows are refused (review C9); without one, only
    # their form can be checked.
    have_key = key_file or os.environ.get("DADKHAH_KEY_FILE") or os.environ.get("DADKHAH_KEY")
    key = cf.load_key(key_file) if have_key else None
    with open_case() as case:
        rep = cf.import_casefile(case, folder, by=current_user(), role=_role(role),
                                 evidence_dir=evidence_dir, testimony_key=key)
    print_result(rep, json_out)


@casefile_app.command("example")
@handle_errors
def casefile_example(evidence_dir: Path | None = EvidenceDirOpt,
                     role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Load the 1988 example case file (public facts with citations)."""
    from dadkhah import casefile as cf

    with open_case() as case:
        rep = cf.load_example(case, by=current_user(), role=_role(role),
                              evidence_dir=evidence_dir)
    print_result(rep, json_out)


@casefile_app.command("cite")
@handle_errors
def casefile_cite(source: str = typer.Argument(..., help="Source id or slug."),
                  accessed: str | None = typer.Option(None, "--accessed",
                                                         help="Day the URL was read."),
                  archive_url: str | None = typer.Option(None, "--archive-url"),
                  archive_sha256: str | None = typer.Option(None, "--archive-sha256"),
                  role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Set a source's citation details: date accessed, archived copy and its SHA-256."""
    from dadkhah import casefile as cf

    with open_case() as case:
        d = cf.cite_source(case, source, accessed_at=accessed, archive_url=archive_url,
                           archive_sha256=archive_sha256, by=current_user(),
                           role=_role(role), viewer=cli_viewer())
    if json_out:
        print_json(d)
    else:
        for k, v in d.items():
            console.print(f"{k}: {v if v is not None else '-'}", soft_wrap=True, markup=False)


_CLAIMS = ("actor", "role", "event", "figure", "allegation", "burial")


@casefile_app.command("source-add")
@handle_errors
def casefile_source_add(
    claim_kind: str = typer.Argument(..., callback=choice(_CLAIMS), metavar=metavar(_CLAIMS)),
    claim: str = typer.Argument(..., help="Its id (slug) or number."),
    source: str = typer.Option(..., "--source", "-s", help="SLUG[:CREDIBILITY 1-6]."),
    locator: str | None = typer.Option(None, "--locator", help="Page, paragraph or time."),
    quote: str | None = typer.Option(None, "--quote", help="The words the claim rests on."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Cite one more source for a claim already recorded (graded 1-6); audited."""
    from dadkhah import casefile as cf

    c = cf.Cite.parse(source)
    with open_case() as case:
        d = cf.add_citation(case, claim_kind, claim,
                            cf.Cite(c.source, c.credibility, locator, quote),
                            by=current_user(), role=_role(role), viewer=cli_viewer())
    if json_out:
        print_json(d)
    else:
        console.print(f"cited {d['source']} [{d['credibility']}] for {claim_kind} {claim}",
                      soft_wrap=True, markup=False)


@casefile_app.command("source-remove")
@handle_errors
def casefile_source_remove(
    claim_kind: str = typer.Argument(..., callback=choice(_CLAIMS), metavar=metavar(_CLAIMS)),
    claim: str = typer.Argument(..., help="Its id (slug) or number."),
    source: str = typer.Argument(..., help="The source's id (slug) or number."),
    reason: str = typer.Option(..., "--reason", help="Why it no longer supports the claim."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Take a source off a claim, with the reason (kept in the audit log with what was
    cited).  A figure or an allegation keeps at least one source: cite the replacement
    first."""
    from dadkhah import casefile as cf

    with open_case() as case:
        d = cf.remove_citation(case, claim_kind, claim, source, reason=reason,
                               by=current_user(), role=_role(role), viewer=cli_viewer())
    if json_out:
        print_json(d)
    else:
        console.print(f"removed {d['source']} from {claim_kind} {claim}", soft_wrap=True,
                      markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(actor_app, name="actor")
    app.add_typer(event_app, name="event")
    app.add_typer(allegation_app, name="allegation")
    app.add_typer(burial_app, name="burial")
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(testimony_app, name="testimony")
    app.command("dossier")(dossier)
    app.add_typer(casefile_app, name="casefile")

