"""Import one file (:func:`import_file`) or rows in memory (:func:`import_rows`) into one
source, in one transaction.

The import either commits whole or leaves the store exactly as it was (interrupt, kill -9,
disk full, ``--strict`` with an error).  Every row read ends up either as a source record
or as a rejected row with its reasons; the raw row is kept verbatim in both.  Both entry
points share one path (:func:`_run`); they differ only in how rows are read.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Mapping as MappingType
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from dadkhah.access import INTERNAL, Viewer
from dadkhah.errors import DuplicateImport, IngestError, NotFound, RowValidationError
from dadkhah.ingest._rows import (
    RECORD_COLUMNS,
    REJECTED_COLUMNS,
    WORKER_MIN_BYTES,
    RowProcessor,
    RowState,
    worker_batches,
)
from dadkhah.ingest.mapping import Mapping, check_mapping, detect_mapping, load_mapping
from dadkhah.ingest.readers import (
    DOCUMENT_FORMATS,
    FileFacts,
    RowsReader,
    detect_format,
    file_facts,
    open_reader,
)
from dadkhah.ingest.validate import (
    DATE_FIELDS,
    DATE_WARNING_KINDS,
    DEFAULT_DATE_WINDOW,
    PROBLEM_KINDS,
    DateWindow,
    parse_date_order,
)
from dadkhah.names import split_scripts
from dadkhah.store import Case
from dadkhah.store.audit import append, lock, now_utc
from dadkhah.store.restrict import source_hidden
from dadkhah.store.tables import Import, Source, SourceRecord

Progress = Callable[[int, int], None]
"""progress(done, total): units are bytes for CSV/JSONL and sheet rows for XLSX."""



@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    file_name: str
    file_sha256: str
    file_size: int
    file_format: str
    encoding: str | None
    source_id: int
    mapping: dict[str, str]
    mapping_origin: str
    unmapped_columns: list[str]
    rows_read: int
    rows_imported: int
    rows_rejected: int
    blank_rows: int
    problem_counts: dict[str, int]
    problems: list[dict[str, Any]]
    import_id: int | None = None
    dry_run: bool = False
    preview: list[dict[str, Any]] = field(default_factory=list)
    mapping_reasons: dict[str, str] = field(default_factory=dict)
    """Field → why its column was chosen."""
    mapping_unsure: dict[str, str] = field(default_factory=dict)
    """Field → why the choice should be checked before importing."""
    date_checks: list[dict[str, Any]] = field(default_factory=list)
    """Per date column: ``column``, ``field``, ``years`` (the plausible window) and the
    number of values of each kind of :data:`~dadkhah.ingest.validate.DATE_WARNING_KINDS`."""
    date_warnings: list[dict[str, Any]] = field(default_factory=list)
    date_orders: list[dict[str, Any]] = field(default_factory=list)
    """Per date column: the day/month order chosen for values such as 08/10/1988
    (``order``: day_first, month_first or None), the counts behind it and ``reason``."""
    document: dict[str, Any] | None = None
    """For a document: its kind, engine, url and capture time, and how each page was read
    (``pages``: page, method, reason, lines, seconds, skew)."""
    """The first 200 date values that cannot be dates or lie outside the window: row, line,
    column, value, kind, detail, how it is stored (``stored``) and ``message``.  Their rows
    are imported, the value kept as written."""

    name_warnings: list[dict[str, Any]] = field(default_factory=list)
    """The first 200 name cells that could not be read as a name (no letters), whose Latin
    part is not the same name as the Persian part (left out), or whose Persian and Latin
    words alternate (read, to be checked): ``row``, ``field``, ``value``,
    ``problem``, ``kind`` (no_letters, left_out, interleaved), the parts read
    (``persian``, ``latin``, ``left_out``) and ``message``.  Their rows are imported, the
    cell kept as written."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        head = "DRY RUN (nothing written): " if self.dry_run else f"Import {self.import_id}: "
        lines = [
            f"{head}{self.file_name} ({self.file_format}, {self.encoding or 'binary'}, "
            f"{self.file_size:,} bytes, sha256 {self.file_sha256[:12]}…) into source "
            f"{self.source_id}",
            f"  rows read {self.rows_read:,}; imported {self.rows_imported:,}; "
            f"rejected {self.rows_rejected:,}" + (f"; blank rows skipped {self.blank_rows:,}"
                                                   if self.blank_rows else ""),
            f"  mapping ({self.mapping_origin}):",
        ]
        for f, c in self.mapping.items():
            why = self.mapping_reasons.get(f)
            lines.append(f"    {f} ← {c!r}" + (f": {why}" if why else ""))
            if f in self.mapping_unsure:
                lines.append(f"      UNSURE: {self.mapping_unsure[f]}")
        if self.unmapped_columns:
            # A wide sheet would otherwise print thousands of names; the raw rows keep them.
            listed = self.unmapped_columns[:20]
            rest = len(self.unmapped_columns) - len(listed)
            lines.append("  not mapped (kept in the raw row): "
                         + ", ".join(repr(c) for c in listed)
                         + (f" … and {rest:,} more" if rest else ""))
        for kind, n in self.problem_counts.items():
            lines.append(f"  {n:,} × {PROBLEM_KINDS[kind]}")
        for p in self.problems[:10]:
            lines.append(f"    {p['message']}")
        if len(self.problems) > 10:
            lines.append(f"    … {sum(self.problem_counts.values()) - 10:,} more "
                         f"(all stored with the rejected rows)")
        if self.document:
            d = self.document
            lines.append(f"  document ({d['kind']}, {d['engine']}"
                         + (f", from {d['url']}" if d.get("url") else "")
                         + (f" captured {d['captured_at']}" if d.get("captured_at") else "")
                         + f"): records are machine readings, unverified; "
                         f"{d['proposals']:,} name correction(s) proposed")
            for pg in d["pages"]:
                lines.append(f"    page {pg['page']}: {pg['method']}, {pg['lines']} line(s) — "
                             f"{pg['reason']}")
        for chk in self.date_checks:
            lo, hi = chk["years"]
            found = [f"{chk[k]:,} {DATE_WARNING_KINDS[k]}" for k in DATE_WARNING_KINDS if chk[k]]
            lines.append(f"  dates in {chk['column']!r} ({chk['field']}, plausible {lo}-{hi}): "
                         + ("; ".join(found) + " — rows kept, values as written"
                            if found else "all readable"))
            order = next((o for o in self.date_orders if o["column"] == chk["column"]), None)
            if order and (order["either"] or order["day_first_only"]
                          or order["month_first_only"]):
                lines.append(f"    numeric dates such as 08/10/1988 {order['summary']}")
            shown = [w for w in self.date_warnings if w["column"] == chk["column"]]
            for w in shown[:10]:
                lines.append(f"    {w['message']}")
            more = sum(chk[k] for k in DATE_WARNING_KINDS) - len(shown[:10])
            if more > 0:
                lines.append(f"    … {more:,} more")
        if self.name_warnings:
            lines.append(f"  names not read as names ({len(self.name_warnings):,}"
                         f"{'+' if len(self.name_warnings) >= NAME_WARNINGS_KEPT else ''}); "
                         "rows kept, values as written:")
            lines += [f"    {w['message']}" for w in self.name_warnings[:10]]
        return "\n".join(lines)


NAME_WARNINGS_KEPT = 200
_NAME_FIELDS = ("full_name", "given_names", "surname", "father_name")


def _name_warnings(records: list[tuple[Any, ...]], name: str,
                   out: list[dict[str, Any]]) -> None:
    """Add to ``out`` the name cells of ``records`` (rows as inserted) that hold no letters,
    or whose Persian and Latin words alternate (:func:`dadkhah.names.split_scripts`)."""
    at = {f: RECORD_COLUMNS.index(f) for f in _NAME_FIELDS}
    for rec in records:
        for f, i in at.items():
            if len(out) >= NAME_WARNINGS_KEPT:
                return
            v = rec[i]
            if not v or not str(v).strip():
                continue
            parts = split_scripts(str(v))
            if parts.persian is None and parts.latin is None:
                kind, problem = "no_letters", "no letters: not read as a name"
            elif parts.left_out:
                kind = "left_out"
                problem = (f"the Latin part \"{parts.left_out}\" does not read as the same "
                           f"name as «{parts.persian}»: left out of the name (kept in the "
                           "raw row)")
            elif parts.interleaved:
                kind = "interleaved"
                problem = (f"Persian and Latin words alternate: read as «{parts.persian}» "
                           f"and \"{parts.latin}\"; check the reading")
            else:
                continue
            out.append({"row": rec[2], "field": f, "value": v, "problem": problem,
                        "kind": kind, "persian": parts.persian, "latin": parts.latin,
                        "left_out": parts.left_out,
                        "message": f"{name} row {rec[2]}, {f} {v!r}: {problem}"})


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...]) -> str:
    """A plain positional INSERT: executemany on tuples skips SQLAlchemy's per-row
    parameter processing, which otherwise costs as much as the insert itself."""
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":1"}[
        conn.dialect.paramstyle]
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))})")


def import_file(case: Case, path: str | Path, *, source: int | str,
                mapping: str | Path | Mapping | None = None, strict: bool = False,
                force: bool = False, encoding: str | None = None, file_format: str | None = None,
                delimiter: str | None = None, sheet: str | None = None, dry_run: bool = False,
                preview_rows: int = 5, by: str = "unknown",
                progress: Progress | None = None,
                date_window: DateWindow | None = None,
                layout: str | Path | Any | None = None, url: str | None = None,
                captured_at: str | None = None,
                page_progress: Progress | None = None,
                viewer: Viewer = INTERNAL,
                on_stored: Callable[[Connection, ImportReport], object] | None = None,
                ) -> ImportReport:
    """Import ``path`` into ``source`` of ``case``, in one write transaction of its own.

    Parameters
    ----------
    mapping
        A TOML mapping file (see :mod:`dadkhah.ingest.mapping`) or a :class:`Mapping`;
        detected from the header when None.
    strict
        Reject the whole file on any row problem (nothing is written).  By default good
        rows are imported and bad rows are stored as rejected rows with their reasons.
    force
        Import even if a file with the same SHA-256, or with the same rows once decoded
        (another line ending, encoding or byte-order mark), was imported into this case
        before.
    dry_run
        Read and validate everything, write nothing; the report carries a preview of the
        first ``preview_rows`` records as they would be stored.
    date_window
        Plausible years of birth and death dates (:class:`~dadkhah.ingest.validate.DateWindow`);
        from the mapping file's ``birth_years``/``death_years`` options, else births
        1900-1975 and deaths 1979-1992.  Date values that cannot be dates or lie outside it
        are listed in the report (``date_checks``, ``date_warnings``); their rows are
        imported with the value kept as written, never rejected for a date.
    layout, url, captured_at
        For documents (PDF, PNG/JPEG/TIFF, saved HTML: :mod:`dadkhah.documents`): how the
        entries are written (a :class:`~dadkhah.documents.EntryLayout` or a layout TOML
        file), and the web page's address and capture time.  Each entry becomes a record
        whose raw row keeps the machine reading verbatim with the file's SHA-256, page,
        box, OCR confidence and ``verified: false``; name corrections are proposed there
        (from the name dictionary and the names already in the case), never applied.
    page_progress
        For a PDF or an image: ``page_progress(pages_read, pages)`` as each page has been
        read (reading, OCR above all, is most of a document's import).
    viewer
        Who imports (the CLI's ``--user``, the web's signed-in member): a source restricted
        from them is refused as a missing one, before anything is read or written.  The
        default checks nothing (library code acting for nobody in particular).
    on_stored
        ``on_stored(conn, report)``, called in the import's write transaction once the
        records are written (not on a dry run): what it writes through ``conn`` commits
        with them, and what it raises rolls the whole import back, leaving the store as it
        was (the command line and the web keep a document as evidence so,
        :func:`dadkhah.casefile.keep_document`, and its check is made there under the
        write lock).
    """
    p = Path(path)
    if not p.is_file():
        raise IngestError(f"File {p} does not exist.", hint="Check the path and try again.")
    source_id = case.resolve_source_id(source, viewer)
    m = _load(mapping)
    opts = m.options if m else {}
    fmt = detect_format(p, file_format or opts.get("format"))
    facts = file_facts(p)
    if not dry_run and not force:
        with case.read() as conn:
            _refuse_duplicate(conn, facts.sha256, p.name, viewer)
    if fmt in DOCUMENT_FORMATS:
        from dadkhah.ingest._documents import DocumentOptions, DocumentReader

        with case.read() as conn:
            names = _case_names(conn)
        reader: Any = DocumentReader(p, fmt, facts, DocumentOptions(
            layout=layout, url=url, captured_at=captured_at, case_names=names,
            pages=page_progress))
    else:
        reader = open_reader(p, fmt, facts, encoding=encoding or opts.get("encoding"),
                             delimiter=delimiter or opts.get("delimiter"),
                             sheet=sheet or opts.get("sheet"))
    try:
        inp = _Input(p.name, facts, reader, p)
        m, idx = _prepare(inp, m)
        window = _window(date_window, m)
        if dry_run:
            return _run(None, inp, m, idx, source_id, strict, by, progress, preview_rows,
                        window)
        if facts.size < WORKER_MIN_BYTES and fmt not in DOCUMENT_FORMATS:
            # Read and decode the file before taking the write lock (review K4): a slow or
            # undecodable file no longer holds the case's writers up.  Bigger files are read
            # by a worker process alongside the writes (worker_batches).
            inp = _Input(p.name, facts, _ReadAhead(reader), p)
        with case.write() as conn:
            if not force:  # again under the write lock: a concurrent import of it may have won
                lock(conn)
                _refuse_duplicate(conn, facts.sha256, p.name, viewer)
            report = _run(conn, inp, m, idx, source_id, strict, by, progress, preview_rows,
                          window, force, viewer)
            if on_stored is not None:
                on_stored(conn, report)
            return report
    finally:
        reader.close()


def import_rows(case: Case, rows: Iterable[MappingType[str, Any] | Sequence[Any]], *,
                source: int | str, header: Sequence[str] | None = None, name: str = "rows",
                mapping: str | Path | Mapping | None = None, strict: bool = False,
                force: bool = False, dry_run: bool = False, preview_rows: int = 5,
                by: str = "unknown", conn: Connection | None = None,
                progress: Progress | None = None,
                date_window: DateWindow | None = None) -> ImportReport:
    """Import rows given in memory into ``source`` of ``case``: the same validation,
    storage and audit as :func:`import_file`, for a caller that holds rows, not a file.

    Parameters
    ----------
    rows
        Mappings (column name → value; the columns are every key, in order of first
        appearance), or, with ``header``, lists of cells.  Values are text; ``None`` is an
        empty cell, and numbers or booleans are written as JSON (``25``, ``true``).
    header
        The column names, when ``rows`` are lists of cells.
    name
        What the import is called in the store, the report and problem messages (the
        ``file_name`` of the import).
    mapping, strict, force, dry_run, preview_rows, actor, progress, date_window
        As for :func:`import_file`.  The mapping is detected from the column names when
        None, so rows keyed by field name (``full_name``, ``age`` …) map themselves.
    conn
        A connection inside the caller's write transaction (``with case.write() as conn``):
        the import is written in it and commits or rolls back with the caller's other
        writes.  When None, the import runs in a write transaction of its own.

    Guarantees (as for a file): each row's text is kept verbatim with its SHA-256, in the
    source record or, with its problems and row number, in the rejected rows; the records
    digest is in the ``import`` audit entry; the whole import is written or nothing is.
    The rows' canonical text (see :class:`~dadkhah.ingest.readers.RowsReader`) has a
    SHA-256 like a file's, so the same rows imported twice raise
    :class:`~dadkhah.errors.DuplicateImport` unless ``force``.
    """
    m = _load(mapping)
    reader = RowsReader(rows, header=header, name=name)
    inp = _Input(name, reader.facts, reader, None)
    m, idx = _prepare(inp, m)
    window = _window(date_window, m)

    def run(c: Connection) -> ImportReport:
        source_id = _resolve_source(c, source)
        if dry_run:
            return _run(None, inp, m, idx, source_id, strict, by, progress, preview_rows,
                        window)
        if not force:
            lock(c)
            _refuse_duplicate(c, reader.facts.sha256, name, INTERNAL)
        return _run(c, inp, m, idx, source_id, strict, by, progress, preview_rows, window,
                    force)

    if conn is not None:
        return run(conn)
    if dry_run:
        with case.read() as c:
            return run(c)
    with case.write() as c:
        return run(c)


@dataclass(frozen=True)
class _Input:
    """What is being imported: its name, byte facts and reader; ``path`` is a file that a
    worker process may read again (None for rows in memory)."""

    name: str
    facts: FileFacts
    reader: Any
    path: Path | None


READ_AHEAD_ROWS = 200_000  # rows read before the write lock; the rest stream under it


class _ReadAhead:
    """A reader whose first :data:`READ_AHEAD_ROWS` rows are read (and decoded: a bad byte
    raises here) at construction, before any lock; the rest, if any, stream from the reader
    as before, so memory stays bounded.  Otherwise it is the reader (``__getattr__``)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._rest = reader.rows()
        self._ahead = list(itertools.islice(self._rest, READ_AHEAD_ROWS))
        self._read_to = reader.position()
        self._done = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def rows(self) -> Iterator[Any]:
        for row in self._ahead:
            self._done += 1
            yield row
        self._ahead = []
        self._done = -1  # from here on, the reader's own position
        yield from self._rest

    def position(self) -> int:
        if self._done < 0 or not self._ahead:
            return int(self._reader.position())
        # progress through the rows read ahead, scaled to where the reading stopped
        return self._read_to * self._done // len(self._ahead)


def _case_names(conn: Connection) -> tuple[str, ...]:
    """The names already in the case (full names and fathers' names, each once), which a
    document's readings are checked against."""
    rows = conn.execute(select(SourceRecord.full_name, SourceRecord.given_names,
                               SourceRecord.surname, SourceRecord.father_name).distinct())
    return tuple({v for row in rows for v in row if v})


def _load(mapping: str | Path | Mapping | None) -> Mapping | None:
    if isinstance(mapping, Mapping):
        return mapping
    return load_mapping(mapping) if mapping else None


def _window(given: DateWindow | None, m: Mapping) -> DateWindow:
    """The date window: given, else from the mapping file's options, else the default."""
    if given is not None:
        return given
    birth, death = m.options.get("birth_years"), m.options.get("death_years")
    return DateWindow(
        birth=DateWindow.parse_years(birth, "birth_years") if birth
        else DEFAULT_DATE_WINDOW.birth,
        death=DateWindow.parse_years(death, "death_years") if death
        else DEFAULT_DATE_WINDOW.death)


def _prepare(inp: _Input, m: Mapping | None) -> tuple[Mapping, dict[str, int]]:
    """The mapping (detected when None), checked against the header, and its indices."""
    header = inp.reader.header
    m = m or detect_mapping(header)
    check_mapping(m, header, inp.name)
    return m, m.indices(header)


def _refuse_duplicate(conn: Connection, sha256: str, name: str, viewer: Viewer) -> None:
    prior = conn.execute(select(Import.id, Import.source_id, Import.imported_at)
                         .where(Import.file_sha256 == sha256)).first()
    if prior:
        raise DuplicateImport(
            f"{name} was already imported ("
            f"{_prior_import(prior, source_hidden(conn, prior.source_id, viewer))}; same "
            f"SHA-256).",
            hint="Nothing was written. Pass --force to import it again anyway.")


def _refuse_same_rows(conn: Connection, digest: str, import_id: int | None,
                      name: str, viewer: Viewer) -> None:
    """Refuse rows already imported from another file: the same list re-saved with other
    line endings, encoding or byte-order mark has another SHA-256 but, once decoded, the
    same rows, so the same records digest (row numbers and raw-row hashes)."""
    prior = conn.execute(select(Import.id, Import.source_id, Import.file_name,
                                Import.imported_at)
                         .where(Import.records_digest == digest, Import.id != import_id,
                                Import.rows_imported > 0)
                         .order_by(Import.id)).first()
    if prior:
        hidden = source_hidden(conn, prior.source_id, viewer)
        which, differ = (("a list already imported", "the files differ only in their bytes")
                         if hidden else (f"{prior.file_name}, already imported",
                                         "the file differs only in its bytes"))
        raise DuplicateImport(
            f"{name} holds the same rows as {which} ({_prior_import(prior, hidden)}; "
            f"{differ}: line endings, encoding or byte-order mark).",
            hint="Nothing was written. Pass --force to import it again anyway.")


def _prior_import(prior: Any, hidden: bool) -> str:
    """Which import a duplicate repeats, as far as its importer may know: an import into a
    source kept from them (``hidden``) is still refused (the list would count twice), but
    neither its number, its source, its date nor its file is theirs to learn."""
    if hidden:
        return "into a source restricted from you"
    return f"import {prior.id} into source {prior.source_id} on {prior.imported_at[:10]}"


def _resolve_source(conn: Connection, ref: int | str) -> int:
    """Source id from its number or slug, read in ``conn`` (so a source registered earlier
    in the caller's transaction is found)."""
    cond = Source.slug == str(ref)
    if isinstance(ref, int) or str(ref).isdigit():
        cond = or_(cond, Source.id == int(ref))
    sid = conn.execute(select(Source.id).where(cond)).scalar()
    if sid is None:
        raise NotFound(f"No source {ref!r} in this case.",
                       hint="List sources with: dadkhah source list; add one with: "
                            "dadkhah source add")
    return int(sid)


def _document_facts(reader: Any) -> dict[str, Any] | None:
    reading = getattr(reader, "reading", None)
    if reading is None:
        return None
    return {"kind": reading.kind, "engine": reading.engine, "url": reading.url,
            "captured_at": reading.captured_at, "box_unit": reading.box_unit,
            "proposals": sum(len(r["proposals"]) for r in reader.entries),
            "pages": [asdict(p) for p in reading.pages]}


def _run(conn: Connection | None, inp: _Input, m: Mapping, idx: dict[str, int], source_id: int,
         strict: bool, by: str, progress: Progress | None,
         preview_rows: int, window: DateWindow = DEFAULT_DATE_WINDOW,
         force: bool = False, viewer: Viewer = INTERNAL) -> ImportReport:
    """The one import path: with ``conn`` None, validate only (dry run).  ``viewer`` (who
    imports) decides what a refused duplicate says of the import it repeats."""
    reader, facts, name = inp.reader, inp.facts, inp.name
    header = reader.header
    day_first = parse_date_order(m.options.get("date_order"))
    import_id = None
    if conn is not None:
        key = conn.execute(insert(Import).values(
            source_id=source_id, file_name=name, file_sha256=facts.sha256,
            file_size=facts.size, file_format=reader.format, encoding=reader.encoding,
            header=json.dumps(header, ensure_ascii=False),
            mapping=json.dumps(m.columns, ensure_ascii=False), mapping_origin=m.origin,
            strict=strict, rows_read=0, rows_imported=0, rows_rejected=0,
            imported_by=by, imported_at=now_utc(),
        )).inserted_primary_key
        assert key is not None  # a single-row INSERT always has its key
        import_id = key[0]
    options: dict[str, Any] = dict(source_id=source_id, import_id=import_id, strict=strict,
                   preview_rows=preview_rows, date_window=window, day_first=day_first)
    if (conn is not None and inp.path is not None and facts.size >= WORKER_MIN_BYTES
            and reader.format not in DOCUMENT_FORMATS):  # a document is read already
        state = RowState()
        batches = worker_batches(reader, inp.path, header, idx, options, state)
    else:
        processor = RowProcessor(header, idx, **options)
        state = processor.state
        batches = processor.batches(reader)
    if conn is not None:
        rec_sql = _insert_sql(conn, "source_records", RECORD_COLUMNS)
        rej_sql = _insert_sql(conn, "rejected_rows", REJECTED_COLUMNS)
    name_warnings: list[dict[str, Any]] = []
    for records, rejected, done, total in batches:
        _name_warnings(records, name, name_warnings)
        if conn is not None:
            if records:
                conn.exec_driver_sql(rec_sql, records)
            if rejected:
                conn.exec_driver_sql(rej_sql, rejected)
        if progress:
            progress(done, total)
    read, imported, rejected_n, blank = state.read, state.imported, state.rejected, state.blank
    counts, kept, preview = state.counts, state.kept, state.preview

    problems = [dict(pr.to_dict(), message=pr.describe(name)) for pr in kept]
    date_checks = [
        {"column": header[idx[f]], "field": f, "years": list(window.years(f)),
         **{k: state.date_counts[(header[idx[f]], k)] for k in DATE_WARNING_KINDS}}
        for f in DATE_FIELDS if f in idx]
    date_warnings = [dict(w.to_dict(), message=w.describe(name)) for w in state.date_kept]
    if strict and counts:
        total = sum(counts.values())
        raise RowValidationError(
            f"{name}: {total:,} problem(s) in {rejected_n:,} row(s); nothing was imported "
            f"(--strict). First: {kept[0].describe(name)}",
            problems=problems,
            hint="Fix the rows named, or import without --strict to keep the good rows and "
                 "store the bad ones as rejected rows.")
    report = ImportReport(
        file_name=name, file_sha256=facts.sha256, file_size=facts.size,
        file_format=reader.format, encoding=reader.encoding, source_id=source_id,
        mapping=dict(m.columns), mapping_origin=m.origin, unmapped_columns=m.unmapped(header),
        rows_read=read, rows_imported=imported, rows_rejected=rejected_n, blank_rows=blank,
        problem_counts=dict(counts), problems=problems, import_id=import_id,
        dry_run=conn is None, preview=preview, mapping_reasons=dict(m.reasons),
        mapping_unsure=dict(m.unsure), date_checks=date_checks, date_warnings=date_warnings,
        date_orders=list(state.date_orders),
        document=_document_facts(reader), name_warnings=name_warnings,
    )
    if conn is not None and not force and imported:
        _refuse_same_rows(conn, state.digest, import_id, name, viewer)
    if conn is not None:
        conn.execute(update(Import).where(Import.id == import_id).values(
            rows_read=read, rows_imported=imported, rows_rejected=rejected_n,
            records_digest=state.digest))
        first_id, last_id = conn.execute(
            select(func.min(SourceRecord.id), func.max(SourceRecord.id))
            .where(SourceRecord.import_id == import_id)).one()
        append(conn, by=by, action="import", target=f"import:{import_id}", details={
            "import_id": import_id, "source_id": source_id, "file_name": name,
            "file_sha256": facts.sha256, "rows_read": read, "rows_imported": imported,
            "rows_rejected": rejected_n, "records_digest": state.digest,
            "first_record_id": first_id, "last_record_id": last_id,
            **({"document": report.document} if report.document else {}),
            # the day/month order chosen per date column, for whoever reads the dates later
            **({"date_orders": {o["column"]: o["order"] for o in report.date_orders
                                if o["either"]}} if any(o["either"] for o in report.date_orders)
               else {}),
        })
    return report
