"""Commands on the case store: init, upgrade, source, import, records, export, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from dadkhah.cli._choices import (
    COPY_EXTENTS,
    RECORD_FORMATS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    choice,
    fold_upper,
    metavar,
)
from dadkhah.cli._common import (
    JsonOption,
    case_location,
    console,
    current_user,
    err_console,
    handle_errors,
    open_case,
    print_json,
    write_table,
)
from dadkhah.cli.restrict import IncludeRestrictedOpt, RoleOpt, cli_viewer

source_app = typer.Typer(help="Sources: the lists and documents that name victims.",
                         no_args_is_help=True)
records_app = typer.Typer(help="Source records: every imported row, verbatim.",
                          no_args_is_help=True)
export_app = typer.Typer(help="Export data for other tools.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)

PROGRESS_MIN_BYTES = 256 * 1024  # show a bar on files over a few thousand rows

# `source add` and `source edit` both record that a source copies another
CopiesOption = typer.Option(
    None, "--copies", metavar="SOURCE",
    help="Record that this source copies SOURCE (id or slug), wholly or in part: estimates "
         "count the two lists together.")
ExtentOption = typer.Option("part", "--extent", callback=choice(COPY_EXTENTS),
                            metavar=metavar(COPY_EXTENTS),
                            help="With --copies: 'whole' or 'part' of it copied.")




@handle_errors
def init(json_out: bool = JsonOption) -> None:
    """Create a new case (a folder with case.db, or an empty PostgreSQL database)."""
    from dadkhah.store import Case

    loc = case_location()
    Case.create(loc, by=current_user()).close()
    if json_out:
        print_json({"case": loc, "created": True})
    else:
        console.print(f"Created case at {loc}")


@handle_errors
def upgrade(json_out: bool = JsonOption) -> None:
    """Apply schema migrations to an existing case (back it up first)."""
    from dadkhah.store import Case

    with Case.upgrade(case_location(), by=current_user()) as case:
        before, after = case.upgraded_from, case.schema_revision()
    if json_out:
        print_json({"from": before, "to": after, "upgraded": before != after})
    else:
        console.print(_upgrade_message(before, after))


def _upgrade_message(before: str | None, after: str | None) -> str:
    """What ``dadkhah upgrade`` did, in English and Persian: from which schema revision to
    which, or that the case was at the newest already."""
    from dadkhah.names import persian_digits

    fa_before, fa_after = persian_digits(str(before)), persian_digits(str(after))
    if before == after:
        return (f"Case schema already at revision {after}: nothing to upgrade.\n"
                f"طرح پرونده از پیش در بازبینی {fa_after} است: چیزی برای ارتقا نبود.")
    if before is None:
        return (f"Case schema created at revision {after} (the database was empty).\n"
                f"طرح پرونده در بازبینی {fa_after} ساخته شد (پایگاه داده خالی بود).")
    return (f"Case schema upgraded from revision {before} to {after}.\n"
            f"طرح پرونده از بازبینی {fa_before} به {fa_after} ارتقا یافت.")


@source_app.command("add")
@handle_errors
def source_add(
    slug: str = typer.Argument(..., help="Short id, e.g. families-1."),
    title: str = typer.Option(..., "--title", help="Title of the list or document."),
    kind: str = typer.Option(..., "--kind", callback=choice(SOURCE_KINDS, fold=None),
                             help="One of: " + ", ".join(SOURCE_KINDS)),
    reliability: str = typer.Option("F", "--reliability", "-r",
                                    callback=choice(RELIABILITY_GRADES, fold=fold_upper),
                                    metavar=metavar(RELIABILITY_GRADES),
                                    help="Admiralty grade A–F (F: cannot be judged)."),
    organisation: str | None = typer.Option(None, "--organisation"),
    author: str | None = typer.Option(None, "--author"),
    date: str | None = typer.Option(None, "--date", help="Date of the source, any calendar."),
    citation: str | None = typer.Option(None, "--citation"),
    url: str | None = typer.Option(None, "--url"),
    language: str | None = typer.Option(None, "--language", help="e.g. fa, en"),
    script: str | None = typer.Option(None, "--script", help="persian, latin or mixed"),
    notes: str | None = typer.Option(None, "--notes"),
    synthetic: bool = typer.Option(False, "--synthetic", help="Mark as synthetic test data."),
    copies: str | None = CopiesOption,
    extent: str = ExtentOption,
    json_out: bool = JsonOption,
) -> None:
    """Register a source."""
    with open_case() as case:
        s = case.add_source(slug=slug, title=title, kind=kind, reliability=reliability,
                            organisation=organisation, author=author, date=date,
                            citation=citation, url=url, language=language, script=script,
                            notes=notes, synthetic=synthetic, copies=copies,
                            copies_extent=extent, by=current_user(), viewer=cli_viewer())
    if json_out:
        print_json(s)
    else:
        console.print(f"Added source {s.id} ({s.slug}): {s.title}"
                      + (f"; it copies {'all' if extent == 'whole' else 'part'} of {copies}"
                         if copies else ""))


@source_app.command("edit")
@handle_errors
def source_edit(
    ref: str = typer.Argument(..., help="Source id or slug."),
    copies: str | None = CopiesOption,
    extent: str = ExtentOption,
    note: str | None = typer.Option(None, "--note",
                                    help="With --copies: how it is known (e.g. the preface)."),
    no_copies: str | None = typer.Option(
        None, "--no-copies", metavar="SOURCE|all",
        help="Withdraw the statement that this source copies SOURCE ('all': every one)."),
    json_out: bool = JsonOption,
) -> None:
    """Change what is recorded about a source: which other source it copies (audited).
    Only between sources the --user may see: --no-copies all withdraws the copies of those."""
    if (copies is None) == (no_copies is None):
        from dadkhah.errors import InvalidInput

        raise InvalidInput("Say what to change: --copies SOURCE or --no-copies SOURCE.",
                           hint="e.g. dadkhah source edit ngo_b --copies ngo_a --extent part")
    with open_case() as case:
        if copies is not None:
            c = case.set_source_copy(ref, copies, extent=extent, note=note, by=current_user(),
                                     viewer=cli_viewer())
            out: dict[str, Any] = {"copies": c.to_dict()}
            text = f"Recorded: {c.summary()}. Estimates count the two lists together."
        else:
            n = case.remove_source_copy(ref, None if no_copies == "all" else no_copies,
                                        by=current_user(), viewer=cli_viewer())
            out = {"removed": n}
            text = f"Withdrew {n} statement(s) that {ref} copies another source."
    if json_out:
        print_json(out)
    else:
        console.print(text, markup=False)


@source_app.command("list")
@handle_errors
def source_list(json_out: bool = JsonOption) -> None:
    """List the sources with their record counts (and, for a document, how many of its
    records are machine readings no person has checked): those the --user may see."""
    from dadkhah.documents import reading_counts

    viewer = cli_viewer()
    with open_case(read_only=True) as case:
        sources = case.sources(viewer)
        readings = {c.source_id: c for c in reading_counts(case, viewer=viewer)}
    if json_out:
        print_json([{**s.to_dict(),
                     "machine_readings": readings[s.id].readings if s.id in readings else 0,
                     "unverified_readings": (readings[s.id].unverified if s.id in readings
                                             else 0)} for s in sources])
        return
    t = Table("id", "slug", "title", "kind", "grade", "records", "imports",
              *(["unchecked machine readings"] if readings else []))
    for s in sources:
        c = readings.get(s.id)
        t.add_row(str(s.id), s.slug, s.title + (" [SYNTHETIC]" if s.synthetic else ""), s.kind,
                  s.reliability, f"{s.records:,}", str(s.imports),
                  *([f"{c.unverified:,} of {c.readings:,}" if c else ""] if readings else []))
    console.print(t)
    if readings:
        left = sum(c.unverified for c in readings.values())
        console.print(f"{left:,} machine reading(s) no person has checked (they weigh less in "
                      f"linkage): dadkhah records unverified", markup=False, soft_wrap=True)


@source_app.command("show")
@handle_errors
def source_show(ref: str = typer.Argument(..., help="Source id or slug."),
                json_out: bool = JsonOption) -> None:
    """Show one source and its imports.

    A source kept from the --user is answered as a missing one; a recorded copy with such
    a source is not shown.
    """
    viewer = cli_viewer()
    with open_case(read_only=True) as case:
        s = case.source(ref, viewer)
        imports = case.imports(s.id)
        # a copy of, or by, a source kept from the user would name it
        visible = {v.slug for v in case.sources(viewer)}
        copies = [c for c in case.source_copies() if s.slug in (c.source, c.copied)
                  and c.source in visible and c.copied in visible]
    if json_out:
        print_json({**s.to_dict(), "import_batches": imports,
                    "copies": [c.to_dict() for c in copies]})
        return
    for k, v in s.to_dict().items():
        if v not in (None, ""):
            console.print(f"[bold]{k}[/]: {v}")
    for c in copies:
        console.print(f"copies: {c.summary()} (recorded by {c.created_by}; estimates count "
                      "the two lists together)", markup=False, soft_wrap=True)
    for i in imports:
        console.print(f"  import {i.id}: {i.file_name} sha256 {i.file_sha256[:12]}… "
                      f"{i.rows_imported:,} imported, {i.rows_rejected:,} rejected "
                      f"({i.imported_at[:19]} by {i.imported_by})")


@handle_errors
def import_(
    file: Path = typer.Argument(..., help="CSV, XLSX or JSONL file; or a document: PDF, "
                                          "PNG/JPEG/TIFF scan, saved HTML page."),
    source: str = typer.Option(..., "--source", "-s", help="Source id or slug."),
    mapping: Path | None = typer.Option(None, "--mapping", "-m",
                                           help="TOML mapping file ([columns] field = header)."),
    encoding: str | None = typer.Option(None, "--encoding",
                                           help="Text encoding (detected if omitted)."),
    file_format: str | None = typer.Option(None, "--format",
                                           help="csv, xlsx, jsonl, pdf, image or html."),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX sheet name."),
    strict: bool = typer.Option(False, "--strict", help="Reject the whole file on any error."),
    force: bool = typer.Option(False, "--force", help="Import a file imported before."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show the mapping, the date checks and first rows; "
                                      "write nothing."),
    birth_years: str | None = typer.Option(
        None, "--birth-years", metavar="FIRST-LAST",
        help="Plausible Gregorian years of birth dates (default 1900-1975)."),
    death_years: str | None = typer.Option(
        None, "--death-years", metavar="FIRST-LAST",
        help="Plausible Gregorian years of death dates (default 1979-1992)."),
    layout: Path | None = typer.Option(
        None, "--layout", help="Documents: TOML file saying how entries are written "
                               "([layout] order, [labels], [document] url, languages, dpi)."),
    url: str | None = typer.Option(None, "--url", help="Saved web page: its address."),
    captured_at: str | None = typer.Option(None, "--captured-at",
                                           help="Saved web page: when it was captured."),
    evidence_dir: Path | None = typer.Option(
        None, "--evidence-dir", envvar="DADKHAH_EVIDENCE_DIR",
        help="Documents: evidence folder the file is kept in (needed for a PostgreSQL "
             "case; default <case>/evidence)."),
    json_out: bool = JsonOption,
) -> None:
    """Import a list into a source. One transaction: all or nothing.

    Documents (PDF, scans, saved web pages) are read line by line (text layer, OCR or
    HTML); each entry becomes a record marked as an unverified machine reading, keeping
    the file's SHA-256, page, box, OCR confidence and reading in its raw row.  The
    document itself is kept in the evidence store (with its custody), so each line's
    image can be checked against its reading: dadkhah records verify.

    Dates that cannot be dates (month 13, day 40) or fall outside the plausible years are
    listed per column with their rows; those rows are imported with the date kept as
    written.
    """
    from dadkhah.ingest import DateWindow, import_file, load_mapping

    window = None
    if birth_years or death_years:
        opts = load_mapping(mapping).options if mapping else {}
        default = DateWindow()
        b = birth_years or opts.get("birth_years")
        d = death_years or opts.get("death_years")
        window = DateWindow(
            birth=DateWindow.parse_years(b, "--birth-years") if b else default.birth,
            death=DateWindow.parse_years(d, "--death-years") if d else default.death)
    with open_case() as case:
        kwargs: dict[str, Any] = dict(source=source, mapping=mapping, encoding=encoding,
                      file_format=file_format, sheet=sheet, strict=strict, force=force,
                      dry_run=dry_run, by=current_user(), date_window=window,
                      layout=layout, url=url, captured_at=captured_at,
                      viewer=cli_viewer())
        from dadkhah.documents import document_kind

        is_document = (document_kind(file, file_format) is not None
                       and file_format not in ("csv", "xlsx", "jsonl"))
        show_bar = (not json_out and file.is_file()
                    and (file.stat().st_size > PROGRESS_MIN_BYTES or is_document))
        if is_document:
            from dadkhah.casefile import check_document_keepable, evidence_root

            # the document is kept as evidence after the import: a PostgreSQL case with no
            # evidence folder, or bytes already kept from this user, are refused now,
            # before anything is written (a dry run says so too)
            if not dry_run:
                evidence_root(case, evidence_dir)
            check_document_keepable(case, file, viewer=kwargs["viewer"])
        kept_as: dict[str, Any] = {}

        def keep(conn: Any, report: Any) -> None:
            """The document kept as evidence in the import's own transaction: a restriction
            set on its bytes since the check above rolls the records back too."""
            if report.document is None:
                return
            from dadkhah.casefile import keep_document

            kept_as["item"] = keep_document(
                case, file, source=source, by=current_user(),
                acquired_from=report.document.get("url"), evidence_dir=evidence_dir,
                viewer=kwargs["viewer"], conn=conn)

        kwargs["on_stored"] = keep
        if show_bar and is_document:
            with Progress(TextColumn("reading {task.description}, pages"), MofNCompleteColumn(),
                          BarColumn(), TimeRemainingColumn(), console=console,
                          transient=True) as bar:
                task = bar.add_task(file.name, total=None)
                report = import_file(
                    case, file, page_progress=lambda done, total: bar.update(
                        task, completed=done, total=total), **kwargs)
        elif show_bar:
            with Progress(TextColumn("importing {task.description}"), BarColumn(),
                          TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                          console=console, transient=True) as bar:
                task = bar.add_task(file.name, total=None)
                report = import_file(
                    case, file, progress=lambda done, total: bar.update(task, completed=done,
                                                                  total=total), **kwargs)
        else:
            report = import_file(case, file, **kwargs)
        kept = kept_as.get("item")
    if json_out:
        print_json(report)
        return
    console.print(report.summary(), soft_wrap=True)
    if kept is not None:
        console.print(f"Kept as evidence {kept.id} (sha256 {kept.sha256[:12]}…); check the "
                      f"readings with: dadkhah records unverified --source {source}")
    if report.dry_run and report.preview:
        t = Table("row", *report.mapping.keys(), title="First rows as they would be stored")
        for r in report.preview:
            t.add_row(str(r["row_number"]), *[(r.get(f) or "") for f in report.mapping])
        console.print(t)


@records_app.command("list")
@handle_errors
def records_list(
    source: str | None = typer.Option(None, "--source", "-s", help="Source id or slug."),
    search: str | None = typer.Option(None, "--search", "-q",
                                         help="Text in either script, in any field."),
    limit: int = typer.Option(50, "--limit", "-n"),
    offset: int = typer.Option(0, "--offset"),
    json_out: bool = JsonOption,
) -> None:
    """List source records."""
    from dadkhah.register import search_records

    with open_case(read_only=True) as case:
        recs = search_records(case, search, source=source, limit=limit, offset=offset,
                              viewer=cli_viewer())
    if json_out:
        print_json(recs)
        return
    t = Table("id", "source", "row", "name", "father", "death date", "prison")
    for r in recs:
        f = r.fields
        name = f["full_name"] or " ".join(x for x in (f["given_names"], f["surname"]) if x)
        t.add_row(str(r.id), str(r.source_id), str(r.row_number), name, f["father_name"] or "",
                  f["death_date"] or "", f["prison"] or "")
    console.print(t)
    console.print(f"{len(recs)} record(s) shown.")


@records_app.command("show")
@handle_errors
def records_show(record_id: int = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Show one record: provenance, raw row and mapped fields (unless restricted from the
    --user)."""
    with open_case(read_only=True) as case:
        r = case.record(record_id, viewer=cli_viewer())
    if json_out:
        print_json(r)
        return
    console.print(f"[bold]record {r.id}[/] — source {r.source_id} ({r.source_title}), "
                  f"import {r.import_id}, row {r.row_number}")
    console.print(f"raw: {r.raw}", soft_wrap=True)
    console.print(f"sha256: {r.raw_sha256}")
    for k, v in r.fields.items():
        if v:
            console.print(f"  {k}: {v}")


def _set_pairs(values: list[str]) -> dict[str, str | None]:
    """``FIELD=VALUE`` options as {field: value}; an empty value empties the field."""
    out: dict[str, str | None] = {}
    for v in values:
        field, eq, value = v.partition("=")
        if not eq or not field.strip():
            raise typer.BadParameter(f"{v!r} is not FIELD=VALUE (e.g. full_name=علی رضایی).",
                                     param_hint="--set")
        out[field.strip()] = value.strip() or None
    return out


@records_app.command("verify")
@handle_errors
def records_verify(
    record_id: int = typer.Argument(..., help="The record read from a document."),
    set_: list[str] = typer.Option([], "--set", metavar="FIELD=VALUE",
                                   help="A corrected field (repeat for several; an empty "
                                        "value empties the field)."),
    accept_proposals: bool = typer.Option(False, "--accept-proposals",
                                          help="Take the correction proposals stored with "
                                               "the reading (--set wins over them)."),
    note: str | None = typer.Option(None, "--note", help="What was checked, against what."),
    json_out: bool = JsonOption,
) -> None:
    """Record that you checked a machine reading: as read, with its proposals, or with
    corrections.  Audited (record.verify); the raw row keeps the machine reading."""
    from dadkhah.documents import verify_entry

    corrections = _set_pairs(set_)
    with open_case() as case:
        case.record(record_id, viewer=cli_viewer())  # a hidden record is not found
        v = verify_entry(case, record_id, by=current_user(), corrections=corrections,
                         accept_proposals=accept_proposals, note=note)
    if json_out:
        print_json(v)
        return
    console.print(v.summary(), soft_wrap=True)


@records_app.command("unverified")
@handle_errors
def records_unverified(
    source: str | None = typer.Option(None, "--source", "-s", help="Source id or slug."),
    limit: int = typer.Option(50, "--limit", "-n"),
    json_out: bool = JsonOption,
) -> None:
    """List the machine readings of documents that no person has checked yet, with their
    reading, page and proposals; counts per source first."""
    import json as _json

    from dadkhah.documents import provenance, reading_counts, unverified_records

    viewer = cli_viewer()
    with open_case(read_only=True) as case:
        ids = unverified_records(case, source=source, viewer=viewer)
        counts = [c for c in reading_counts(case, viewer=viewer)
                  if source is None or source in (c.slug, str(c.source_id))]
        recs = [case.record(i, viewer=viewer) for i in ids[:limit]]
    if json_out:
        print_json({"counts": counts, "unverified": len(ids),
                    "records": [{"id": r.id, "source_id": r.source_id, "fields": r.fields,
                                 **(provenance(r.raw) or {})} for r in recs]})
        return
    for c in counts:
        console.print(c.summary())
    t = Table("id", "source", "page", "conf.", "reading", "proposals")
    for r in recs:
        p = provenance(r.raw) or {}
        props = "; ".join(f"{x.get('field')}: {x.get('proposed')}"
                          for x in p.get("proposals") or [])
        conf = p.get("confidence")
        t.add_row(str(r.id), str(r.source_id), str(p.get("page") or ""),
                  f"{conf:.0f}" if isinstance(conf, int | float) else "",
                  str(_json.loads(r.raw).get("reading") or ""), props)
    console.print(t)
    console.print(f"{len(recs)} of {len(ids):,} unverified reading(s) shown; check one with: "
                  f"dadkhah records verify ID [--set FIELD=VALUE] [--accept-proposals]")


EXPORT_COLUMNS = ["record_id", "source_id", "source_title", "import_id", "row_number", "raw",
                  "raw_sha256", "page", "box", "verified"]
"""The provenance columns of ``export records``; the record fields follow.  ``page``,
``box`` (``left top right bottom unit``) and ``verified`` are those of a record read from
a document (blank for a spreadsheet row)."""


def _document_columns(raw: str, verified: bool) -> list[Any]:
    from dadkhah.documents import provenance

    p = provenance(raw)
    if p is None:
        return [None, None, None]
    box = p.get("box")
    box_text = (" ".join(f"{v:g}" for v in box) + f" {p.get('box_unit') or ''}").strip() \
        if box else p.get("locator")
    return [p.get("page"), box_text, "true" if verified else "false"]


@export_app.command("records")
@handle_errors
def export_records(
    fmt: str = typer.Option("csv", "--format", "-f", callback=choice(RECORD_FORMATS),
                            metavar=metavar(RECORD_FORMATS), help="File format."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                          help="File to write (standard output if omitted)."),
    source: str | None = typer.Option(None, "--source", "-s"),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
) -> None:
    """Export one row per source record, with provenance and the raw row as stored (the
    records the --user may see)."""
    from dadkhah.documents import verifications
    from dadkhah.store import RECORD_FIELDS, audit
    from dadkhah.store.restrict import hidden_records_select
    from dadkhah.store.tables import SourceRecord

    viewer = cli_viewer(include_restricted, role)
    with open_case(read_only=True) as case:
        if source is not None:  # a source kept from the user is answered as a missing one
            case.resolve_source_id(source, viewer)
        checked = verifications(case)
        rows = ([r.id, r.source_id, r.source_title, r.import_id, r.row_number, r.raw,
                 r.raw_sha256, *_document_columns(r.raw, r.id in checked),
                 *[r.fields[f] for f in RECORD_FIELDS]]
                for r in case.iter_records(source=source, where=SourceRecord.id.not_in(
                    hidden_records_select(viewer))))
        n = write_table(rows, [*EXPORT_COLUMNS, *RECORD_FIELDS], fmt, output)
        # Logged like the other exports (dadkhah.report.exports): who, the file, the rows.
        audit.record_access(case, by=current_user(), action="export.records",
                            target="export:records",
                            details={"path": str(output) if output else "-", "format": fmt,
                                     "rows": n, "source": source,
                                     "include_restricted": viewer.sees_all,
                                     "sha256": audit.file_sha256(output) if output else None},
                            written=[output] if output else [])
    if output:
        console.print(f"Wrote {n:,} records to {output}")


CheckpointKeyOpt = typer.Option(
    None, "--key-file",
    help="Checkpoint key (Ed25519 PEM; a .pub file is enough to verify). Default: "
         "$DADKHAH_CHECKPOINT_KEY, else checkpoint-ed25519.pem in $DADKHAH_CONFIG_DIR "
         "(~/.config/dadkhah). Keep it outside the case.")


@audit_app.command("log")
@handle_errors
def audit_log(
    action: str | None = typer.Option(None, "--action", "-a",
                                      help="Only this action or those under it (user.login, "
                                           "export, report, testimony.read …)."),
    actor: str | None = typer.Option(None, "--actor", help="Only entries by this user."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=100_000,
                              help="How many entries, newest first."),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """The audit log, newest first: who did or read what, when (writes, logins, exports,
    reports, dossiers, reveals).  Entries about material restricted from the --user are
    left out and counted (all of them only with --include-restricted --role admin,
    audited); `audit verify` checks the whole chain."""
    import json as _json

    from dadkhah.casefile import audit_log as read_log

    with open_case(read_only=True) as case:
        page = read_log(case, viewer=cli_viewer(include_restricted, role), by=current_user(),
                        limit=limit, action=action, actor=actor)
    entries = [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                "target": e.target, "details": _json.loads(e.details)} for e in page.entries]
    note = page.note()
    if json_out:
        print_json(entries)  # the same list as ever; the count goes to stderr, as notes do
        if note:
            err_console.print(note, soft_wrap=True, markup=False)
        return
    for e in entries:
        console.print(f"{e['id']:>6}  {e['at'][:19]}  {e['actor']}  {e['action']}  "
                      f"{e['target']}", soft_wrap=True, markup=False)
    if note:
        console.print(note, soft_wrap=True, markup=False)


@audit_app.command("verify")
@handle_errors
def audit_verify(
    checkpoint: list[Path] = typer.Option(
        [], "--checkpoint", "-c",
        help="Checkpoint file(s) written by `audit checkpoint` (default: this case's file "
             "in the config folder, when there is one). Proves the chain was not cut or "
             "rewritten since each checkpoint."),
    key_file: Path | None = CheckpointKeyOpt,
    tsr: Path | None = typer.Option(None, "--tsr",
                                    help="RFC 3161 reply (.tsr) for the newest checkpoint."),
    tsa_ca: Path | None = typer.Option(None, "--tsa-ca",
                                       help="CA certificate (PEM) of the time-stamping "
                                            "authority, to check --tsr."),
    json_out: bool = JsonOption,
) -> None:
    """Re-walk the whole audit hash chain (every entry, also those `audit log` does not show
    the --user: the check shows no content), re-hash every source record and every
    protected row, and check the chain against signed checkpoints."""
    from dadkhah.errors import ConfigError
    from dadkhah.store.integrity_anchor import case_checkpoints, verify_timestamp

    with open_case(read_only=True) as case:
        cps, files, key = case_checkpoints(case, checkpoint, key_file=key_file)
        report = case.verify_audit(anchors=cps)
    ts = None
    if tsr is not None:
        if not cps or tsa_ca is None:
            raise ConfigError("--tsr needs a checkpoint and --tsa-ca.",
                              hint="Pass --checkpoint FILE --tsr REPLY.tsr --tsa-ca CA.pem.")
        ts = verify_timestamp(cps[-1], tsr, ca_file=tsa_ca)
    if json_out:
        print_json({**report.__dict__, "checkpoint_files": [str(f) for f in files],
                    "checkpoint_key": key.fingerprint if key else None,
                    "timestamp": ts})
    else:
        console.print(report.summary(), soft_wrap=True)
        if cps:
            how = (f"key {key.fingerprint[:16]}…" if key else
                   "the key written in the file itself (pass --key-file to check whose)")
            console.print(f"Checked against {len(cps)} checkpoint(s), the newest of "
                          f"{cps[-1].at} ({cps[-1].entries} entries), signed by {how}.")
        else:
            console.print("No checkpoint: a cut or recomputed chain cannot be told from an "
                          "intact one. Take one with: dadkhah audit checkpoint")
        if ts is not None:
            console.print(ts.summary())
    if not report.ok or (ts is not None and not ts.ok):
        raise typer.Exit(code=2)


@audit_app.command("checkpoint")
@handle_errors
def audit_checkpoint(
    key_file: Path | None = CheckpointKeyOpt,
    out: Path | None = typer.Option(
        None, "--out", "-o",
        help="Checkpoint file to append to (default: checkpoints/<case id>.jsonl in the "
             "config folder)."),
    tsq: Path | None = typer.Option(None, "--tsq",
                                    help="Also write an RFC 3161 time-stamp request (.tsq) "
                                         "for this checkpoint, to send to a TSA."),
    json_out: bool = JsonOption,
) -> None:
    """Sign the audit chain's head with a key kept outside the case (created on first use)
    and append the checkpoint to a file outside the case."""
    from dadkhah.store.integrity_anchor import checkpoint_case, timestamp_request

    with open_case(read_only=True) as case:
        cp, path, created = checkpoint_case(case, key_file=key_file, out=out)
    if tsq is not None:
        tsq.write_bytes(timestamp_request(cp))
    if json_out:
        print_json({**cp.to_dict(), "file": str(path), "key_created": created,
                    "tsq": str(tsq) if tsq else None})
        return
    if created:
        console.print("Created a checkpoint key (keep it safe, outside the case; its public "
                      "half is the .pub file beside it).")
    console.print(cp.summary())
    console.print(f"Appended to {path}. Keep a copy elsewhere too: it holds no secret.")
    if tsq is not None:
        console.print(f"Time-stamp request written to {tsq} (send it to a time-stamping "
                      f"authority; check the reply with audit verify --tsr).")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("upgrade")(upgrade)
    app.add_typer(source_app, name="source")
    app.command("import")(import_)
    app.add_typer(records_app, name="records")
    app.add_typer(export_app, name="export")
    app.add_typer(audit_app, name="audit")
